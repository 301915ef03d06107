"""Pictures: a Markdown image standing alone in its paragraph becomes a figure with its caption and credit;
one inside running text stays inline, no taller than a line. Where each size of picture goes on the printed
page, how large it prints there and whether it has enough pixels for that. The printed page itself (trim, bleed,
book.yaml's `margins:`), its body text (`text:`) as CSS, and the checks of the page's settings that name files or
must leave room (the cover picture, the colour profile, the margins, the signature).

    ![alt text](photos/harbour.jpg "caption"){#harbour credit="ภาพ: ..." size=text}

- The path is read from `assets/`: `photos/harbour.jpg` and `assets/photos/harbour.jpg` name the same file.
- The title (in quotes) is the caption; `credit=` adds the credit after it; `#id` is the figure's id (other
  figures get `pic-` and the file's name).
- `size=` is one of `PICTURE_SIZES`: `column` (the default: as wide as the column, at most half the text block
  high), `text` (as large as the text block allows with its caption), `page` (a page of its own, without running
  head or folio, as large as the text block allows) and `bleed` (a page of its own, filling the page to the
  bleed edges).
- The alt text is required; a picture that only decorates says so with `{decorative}` and has an empty alt.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html
import yaml

from ..diagnostics import Problems
from ..thai import slugify
from .containment import project_file
from .limits import Unread, read_bounded
from .model import Chapter
from .sanitize import find_line
from .schema import BOOK

PICTURE_SIZES = ("column", "text", "page", "bleed")
PICTURE_KEYS = ("credit", "size", "decorative")
# what an <img> may carry besides: HTML's own attributes, left to the other checks (a misspelt key is not one)
HTML_IMAGE_KEYS = ("src", "alt", "title", "id", "class", "role", "srcset", "sizes", "width", "height", "style", "lang")
HTML_IMAGE_KEYS += ("dir", "loading", "decoding")
UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}
CAPTION_MM = 22.0  # room kept under a picture for its caption and credit
COLUMN_SHARE = 0.5  # a column picture is at most this share of the text block high
WARN_PPI = 200
ERROR_PPI = 100
PREFIX = re.compile(r"^(?:\./)?(?:assets/)+")


def length_mm(length: str) -> float:
    """'3mm' -> 3.0, '0.25in' -> 6.35: a length as book.yaml writes it (already checked), in mm."""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)(mm|cm|in|pt|px)", str(length).strip())
    return float(found[1]) * UNITS_MM[found[2]] if found else 0.0


# The text block's margins on the printed page when book.yaml sets none (`margins:`), mirrored: inner by the
# spine, outer at the fore-edge.
MARGINS_MM = {f.name: length_mm(f.default) for f in BOOK.field("margins").fields}


@dataclass(frozen=True)
class PageGeometry:
    """The printed page, in mm: the trim (width, height), the bleed and the text block's margins (top, bottom,
    inner, outer). The print edition's page rules (book/pdf/document.py), the pictures' printed sizes and their
    resolution check, the floats' page endings and the screen PDF's centring all read the margins here."""

    trim: tuple[float, float]
    bleed: float
    margins: Mapping[str, float] = field(default_factory=lambda: dict(MARGINS_MM))

    @property
    def block(self) -> tuple[float, float]:
        """The text block's width and height."""
        width, height = self.trim
        m = self.margins
        return width - m["inner"] - m["outer"], height - m["top"] - m["bottom"]

    @property
    def centring(self) -> float:
        """How far the screen PDF moves each page sideways (mm) to centre its text block: half the difference of
        the mirrored margins."""
        return (self.margins["inner"] - self.margins["outer"]) / 2

    def box(self, size: str) -> tuple[float, float]:
        """The largest box a picture of `size` may fill (width, height); a bleed picture covers it, the others
        fit inside it keeping their proportions."""
        width, height = self.block
        if size == "column":
            return round(width, 1), round(height * COLUMN_SHARE, 1)
        if size == "bleed":
            return round(self.trim[0] + 2 * self.bleed, 1), round(self.trim[1] + 2 * self.bleed, 1)
        return round(width, 1), round(height - CAPTION_MM, 1)

    def printed(self, size: str, pixels: tuple[int, int]) -> tuple[float, float, float]:
        """How a picture of `pixels` prints at `size`: the width and height in mm it is drawn at, and its
        effective resolution in pixels per inch."""
        box_width, box_height = self.box(size)
        fit = max if size == "bleed" else min
        scale = fit(box_width / pixels[0], box_height / pixels[1])  # mm per pixel
        # a bleed picture is cut to its box: what prints is the box
        width, height = min(pixels[0] * scale, box_width), min(pixels[1] * scale, box_height)
        return width, height, 25.4 / scale


def page_geometry(config: dict) -> PageGeometry:
    """The printed page of a book's settings (`trim:`, `margins:` and `print.bleed` of book.yaml, already
    checked)."""
    trim = config["trim"]
    given = config.get("margins") or {}
    margins = {side: length_mm(given[side]) if given.get(side) else mm for side, mm in MARGINS_MM.items()}
    return PageGeometry(
        (length_mm(trim["width"]), length_mm(trim["height"])), length_mm(config["print"]["bleed"]), margins
    )


def normal_source(src: str) -> str:
    """A picture's address as the outputs read it, relative to `assets/`: `assets/a.jpg` and `a.jpg` are one."""
    return PREFIX.sub("", src.strip())


def make_figures(
    root: lxml.html.HtmlElement,
    chapter: Chapter,
    project: Path,
    problems: Problems,
    geometry: PageGeometry | None = None,
) -> None:
    """Turn the chapter's Markdown pictures into figures (alone in a paragraph) or inline pictures, each
    checked: its alt text, its attributes and, with `geometry`, its resolution at the printed size."""
    seen: dict[str, int] = {}
    for image in root.xpath(".//img[not(ancestor::figure)]"):
        src = image.get("src")
        if src is None:
            continue
        src = normal_source(src)
        image.set("src", src)
        seen[src] = seen.get(src, 0) + 1
        line = _line(chapter, src, seen[src])
        decorative = image.attrib.pop("decorative", None) is not None
        if not (image.get("alt") or "").strip() and not decorative:
            problems.add(chapter.path, line, "I101", src=src)
        if decorative:
            image.set("alt", "")
            image.set("role", "presentation")
        for key in list(image.attrib):
            if key not in PICTURE_KEYS and key not in HTML_IMAGE_KEYS and not key.startswith(("aria-", "data-")):
                problems.add(chapter.path, line, "I103", severity="warning", src=src, key=key, known=_known())
                del image.attrib[key]
        size = image.attrib.pop("size", "column")
        if size not in PICTURE_SIZES:
            problems.add(chapter.path, line, "I102", src=src, size=size, sizes=", ".join(PICTURE_SIZES))
            size = "column"
        held = image.getparent()
        # a linked picture, `[![alt](a.jpg "caption")](https://...)`, is a figure holding its link
        holder = held if held is not None and held.tag == "a" and _alone(image, held, held) else image
        paragraph = holder.getparent()
        if _alone(holder, paragraph, root):
            figure = _figure(image, holder, size)
            paragraph.getparent().replace(paragraph, figure)
            if geometry is not None:
                check_resolution(chapter, project / "assets", src, line, size, geometry, problems)
        else:
            image.attrib.pop("credit", None)
            image.set("class", " ".join(filter(None, [image.get("class"), "inline"])))


def _known() -> str:
    return ", ".join(("#id", *PICTURE_KEYS))


def _alone(image: lxml.html.HtmlElement, paragraph: lxml.html.HtmlElement | None, root: lxml.html.HtmlElement) -> bool:
    """Whether `image` is all its paragraph holds (and the paragraph is a block of the chapter itself, not
    one inside a list or a quotation, where a page-sized figure has no room); with `paragraph` as `root`,
    whether it is all that element holds."""
    if paragraph is None or paragraph.tag not in ("p", "a") or len(paragraph) != 1:
        return False
    if (paragraph.text or "").strip() or (image.tail or "").strip():
        return False
    return paragraph is root or paragraph.getparent() is root


def _figure(image: lxml.html.HtmlElement, holder: lxml.html.HtmlElement, size: str) -> lxml.html.HtmlElement:
    caption = image.attrib.pop("title", "") or ""
    credit = image.attrib.pop("credit", "") or ""
    figure_id = image.attrib.pop("id", None) or "pic-" + (slugify(Path(image.get("src")).stem) or "picture")
    classes = " ".join(filter(None, ["picture", f"size-{size}", image.attrib.pop("class", None)]))
    credit_html = f'<span class="credit">{html.escape(credit)}</span>' if credit.strip() else ""
    figure = lxml.html.fragment_fromstring(
        f'<figure class="{html.escape(classes)}" id="{html.escape(figure_id)}">'
        f"<figcaption>{html.escape(caption)}{credit_html}</figcaption></figure>"
    )
    holder.tail = None
    figure.insert(0, holder)
    return figure


def _line(chapter: Chapter, src: str, nth: int = 1) -> int | None:
    """The line of the `nth` Markdown image naming `src` (however its path was spelled); the first one's for
    a picture named in raw HTML."""
    image = re.compile(r"\]\(\s*<?(?:\./)?(?:assets/)*" + re.escape(src) + r"[\s\")>]")
    found = [
        chapter.body_line + number
        for number, text in enumerate(chapter.source.split("\n"))
        for _ in image.finditer(text)
    ]
    return found[nth - 1] if len(found) >= nth else found[0] if found else find_line(chapter, src)


def pixel_size(path: Path) -> tuple[int, int] | None:
    """The width and height in pixels of a raster picture (None for an SVG or one that cannot be read)."""
    if path.suffix.lower() == ".svg":
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(read_bounded(path, "image"))) as picture:
            return picture.size
    except (Unread, OSError, ValueError, Image.DecompressionBombError):
        return None  # named by the image checks already


def check_resolution(
    chapter: Chapter, assets: Path, src: str, line: int | None, size: str, geometry: PageGeometry, problems: Problems
) -> None:
    """A warning under WARN_PPI, an error under ERROR_PPI, at the size the picture prints (an SVG is exempt)."""
    path = assets / src
    try:
        inside = path.resolve().is_relative_to(assets.resolve())
    except (OSError, RuntimeError, ValueError):
        inside = False
    pixels = pixel_size(path) if inside and path.is_file() else None
    if pixels is None or not all(pixels) or min(geometry.block) <= 0:  # margins leaving no block: S006 says so
        return
    width, height, ppi = geometry.printed(size, pixels)
    if ppi >= WARN_PPI:
        return
    values = dict(src=src, ppi=round(ppi), width=pixels[0], height=pixels[1], size=size)
    values |= dict(print_width=round(width), print_height=round(height), wanted=WARN_PPI)
    if ppi < ERROR_PPI:
        problems.add(chapter.path, line, "I105", least=ERROR_PPI, **values)
    else:
        problems.add(chapter.path, line, "I104", severity="warning", **values)


# -- the printed page's other settings: the body text as CSS, and what `check` makes of the settings that name
# files or must leave room (the margins, the signature, the colour profile, the cover picture), each at its line
# of book.yaml. They sit beside the page's geometry, which reads the margins.

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
