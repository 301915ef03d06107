"""The designer's settings of `book.yaml` that are more than a value: the body text as CSS, and the checks that
`check` makes of the settings that name files or must leave room (the margins, the colour profile, the cover
picture), each reported at its line of book.yaml.

The margins themselves are read with the rest of the printed page's geometry (`pictures.page_geometry`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Problems
from .containment import project_file
from .limits import Unread, read_bounded
from .pictures import length_mm, page_geometry

LEAST_BLOCK_MM = 40.0  # a text block narrower or lower than this holds no line of Thai worth reading
PT_PER_MM = 72 / 25.4


def text_css(config: dict[str, Any], edition: str) -> str:
    """The body text's size, leading and paragraph indent (`text:` of book.yaml) as CSS, which goes right after
    thai.css (the toolkit's and the project's) and so wins over it. Print takes all three; the EPUB (`edition`
    "epub") keeps its reader's size, so it takes the leading and the indent alone, the indent as a share of
    the size (em). Plain values, no custom properties: e-ink reading systems (crengine) drop a `var()`."""
    text = config.get("text") or {}
    size, leading, indent = text.get("size") or "11pt", text.get("leading") or 1.75, text.get("indent") or "1.5em"
    if edition == "print":
        return f":root {{ font-size: {size}; line-height: {leading:g}; }}\np {{ text-indent: {indent}; }}"
    if not indent.endswith("em"):
        indent = f"{length_mm(indent) / length_mm(size):.3g}em"
    return f":root {{ line-height: {leading:g}; }}\np {{ text-indent: {indent}; }}"


def check_settings(root: Path, config: dict[str, Any], node: yaml.Node | None, problems: Problems) -> None:
    """What `check` finds wrong in the settings beyond their form: margins that leave no text block, an odd
    signature, a colour profile that is missing, unreadable or not CMYK, a cover picture that is missing,
    outside the project or not a picture."""
    path = root / "book.yaml"
    geometry = page_geometry(config)
    width, height = geometry.block
    for sides, room, page in (
        (("inner", "outer"), width, geometry.trim[0]),
        (("top", "bottom"), height, geometry.trim[1]),
    ):
        if room < LEAST_BLOCK_MM:
            line = key_line(node, "margins", sides[0]) or key_line(node, "margins")
            values = dict(
                first=sides[0], second=sides[1], room=f"{room:g}", page=f"{page:g}", least=f"{LEAST_BLOCK_MM:g}"
            )
            problems.add(path, line, "S006.margins", **values)
    for key in ("signature", "booklet_signature"):  # folded sheets hold an even number of pages
        value = config["print"].get(key)
        if isinstance(value, int) and (value < 2 or value % 2):
            problems.add(path, key_line(node, "print", key), "S006.signature", key=key, value=value)
    profile = config["print"].get("profile")
    if profile:
        wrong = profile_problem(root, profile)
        if wrong:
            problems.add(path, key_line(node, "print", "profile"), wrong[0], **wrong[1])
    picture = config["cover"].get("picture")
    if picture:
        wrong = picture_problem(root, picture)
        if wrong:
            problems.add(path, key_line(node, "cover", "picture"), wrong, picture=picture)


def profile_problem(root: Path, profile: str) -> tuple[str, dict[str, str]] | None:
    """What is wrong with `print.profile` (a catalogue key and its values), or None for a readable CMYK ICC
    profile inside the project. The PDF/X output intent embeds its bytes, and every colour is converted into it."""
    from PIL import ImageCms

    file = root / profile
    if not file.is_file():
        return "S006.profile", {"profile": profile}
    if project_file(root, file, None) is None:
        return "G108", {"profile": profile}
    try:
        space = ImageCms.getOpenProfile(str(file)).profile.xcolor_space.strip()
    except (OSError, ImageCms.PyCMSError):
        return "S006.unreadable", {"profile": profile}
    if space != "CMYK":
        return "S006.cmyk", {"profile": profile, "space": space}
    return None


def picture_problem(root: Path, picture: str) -> str | None:
    """What is wrong with `cover.picture` (a catalogue key), or None for a raster picture in one of the
    project's folders (assets/, as a rule) that Pillow reads whole."""
    from PIL import Image

    file = root / picture
    if not (file.exists() or file.is_symlink()):
        return "S008"
    if project_file(root, file) is None:  # a symlink out, a hidden file, a folder the outputs never read
        return "S008.outside"
    try:
        with Image.open(io.BytesIO(read_bounded(file, "image"))) as image:
            image.load()
    except (Unread, OSError, ValueError, Image.DecompressionBombError):
        return "S008.unreadable"
    return None


def key_line(node: yaml.Node | None, *keys: str) -> int | None:
    """The 1-based line of the key at `keys` (e.g. "print", "profile") in book.yaml's node tree, or of the
    nearest key above it that is there; None when not even the first is."""
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return line
        found = next(((k, v) for k, v in node.value if str(k.value) == key), None)
        if found is None:
            return line
        line, node = found[0].start_mark.line + 1, found[1]
    return line
