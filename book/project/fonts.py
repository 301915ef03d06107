"""Fonts: resolve the families declared in `fonts/fonts.yaml` to files, and write their @font-face CSS.

Each family comes whole from one place (a Python font package, or files a designer put in `fonts/`): one
family is never split across `unicode-range` files, since WeasyPrint then draws Latin with Thai glyphs.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

from ..diagnostics import Problems
from .containment import font_package_file, project_file
from .limits import read_text
from .model import FontFace
from .schema import FONT_FAMILY, Field, load_yaml, validate

WEIGHTS = {
    "thin": 100,
    "extralight": 200,
    "light": 300,
    "regular": 400,
    "medium": 500,
    "semibold": 600,
    "bold": 700,
    "extrabold": 800,
    "black": 900,
}
FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}


def face_style(name: str) -> tuple[int, str] | None:
    """'bold-italic' -> (700, 'italic'); 'italic' -> (400, 'italic'); None if the name is not a face."""
    weight, _, style = name.partition("-")
    if weight == "italic" and not style:
        return 400, "italic"
    if weight in WEIGHTS and style in ("", "italic"):
        return WEIGHTS[weight], style or "normal"
    return None


def face_name(weight: int, style: str) -> str:
    """(700, 'italic') -> 'bold-italic'; (400, 'normal') -> 'regular': the name a face is asked for by."""
    name = next((n for n, w in WEIGHTS.items() if w == weight), str(weight))
    if style == "italic":
        return "italic" if name == "regular" else f"{name}-italic"
    return name


def package_files(package: str) -> dict[tuple[int, str], Path] | None:
    """The files a fontpkg package ships, by (weight, style); None when it is not installed. A variable file
    (Noto Sans Thai ships only one, `NotoSansThai[wdth,wght].ttf`) gives every named weight its `wght` axis
    spans, in its style; a static file of the same face wins over it. WeasyPrint draws a variable file's face
    at the weight the CSS asks for, and embeds that instance alone."""
    spec = importlib.util.find_spec(package.replace("-", "_"))
    if spec is None or spec.origin is None:
        return None
    root = Path(spec.origin).parent
    metadata = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    axes = {axis.get("tag"): axis for axis in metadata.get("axes") or []}
    files: dict[tuple[int, str], Path] = {}
    for file in metadata["files"]:
        if not file.get("variable"):
            files[(file["weight"], file["style"])] = root / file["path"]
    for file in metadata["files"]:
        if file.get("variable"):
            low, high = _weights(axes.get("wght"), file.get("weight"))
            for weight in WEIGHTS.values():
                if low <= weight <= high:
                    files.setdefault((weight, file["style"]), root / file["path"])
    return files


def _weights(axis: dict | None, weight: int | None) -> tuple[float, float]:
    """The weights a variable file spans: its `wght` axis, else the one weight it names (else regular)."""
    if axis is not None:
        return float(axis.get("min", 400)), float(axis.get("max", 400))
    return (weight or 400, weight or 400)


# The families a project without fonts/fonts.yaml is set in: the toolkit's own font packages.
DEFAULT_FAMILIES = """\
Sarabun:
  package: fontpkg-sarabun
  faces: [regular, italic, bold, bold-italic, medium, semibold]
Kanit:
  package: fontpkg-kanit
  faces: [regular, medium, semibold]
"""


def load_fonts(root: Path, roles: dict[str, str], problems: Problems) -> dict[str, list[FontFace]]:
    """Faces for each role in `book.yaml`'s `fonts:` (body, heading), from `fonts/fonts.yaml`; a project
    without one (a plain book: book.yaml and chapters/ alone) is set in Sarabun and Kanit."""
    path = root / "fonts" / "fonts.yaml"
    if not path.exists() and not path.is_symlink():
        text = DEFAULT_FAMILIES if not (root / "fonts").exists() else None
        if text is None:
            problems.add(path, None, "F001")
            return {}
    else:
        text = read_text(path, problems, "fonts.yaml")  # bounded, and bad bytes named by line like any project file
    node = load_yaml(text, path, problems) if text is not None else None
    if node is None:
        return {}
    families = validate(node, _families_spec(node), path, problems)
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in getattr(node, "value", [])}
    faces: dict[str, list[FontFace]] = {}
    for role, family in roles.items():
        if family not in families:
            problems.add(path, None, "F002", family=family, role=role)
        elif family not in faces:
            faces[family] = _faces(root, family, families[family], lines.get(family), path, problems)
    return {role: faces[family] for role, family in roles.items() if family in faces}


def _families_spec(node: object) -> Field:
    names = [str(k.value) for k, _ in getattr(node, "value", [])]
    return Field(
        "fonts.yaml",
        "mapping",
        "Font families.",
        fields=tuple(Field(n, "mapping", "", fields=FONT_FAMILY.fields) for n in names),
    )


def _faces(root: Path, family: str, spec: dict, line: int | None, path: Path, problems: Problems) -> list[FontFace]:
    faces: list[FontFace] = []
    if spec.get("package"):
        shipped = package_files(spec["package"])
        if shipped is None:
            problems.add(path, line, "F003", family=family, package=spec["package"])
            return []
        for name in spec.get("faces") or ["regular"]:
            style = face_style(name)
            if style is None or style not in shipped:
                found = ", ".join(face_name(*face) for face in sorted(shipped)) or "-"
                problems.add(path, line, "F004", family=family, face=name, package=spec["package"], found=found)
                continue
            if font_package_file(shipped[style]) is None:  # a package's file that leads out of the package
                problems.add(path, line, "G102", family=family, font_file=shipped[style].name)
                continue
            faces.append(FontFace(family, *style, shipped[style]))
    for name, file_name in (spec.get("files") or {}).items():
        style = face_style(name)
        file = root / "fonts" / file_name
        if style is None:
            problems.add(path, line, "F004.name", family=family, face=name)
        elif project_file(root, file, ("fonts",)) is None:
            # a symlink to /etc/passwd or out of the project: refused, so it never becomes a file outputs read
            problems.add(path, line, "G102", family=family, font_file=file_name)
        elif not file.is_file() or file.suffix.lower() not in FONT_TYPES:
            problems.add(path, line, "F005", family=family, font_file=file_name, found=_font_files(root / "fonts"))
        else:
            faces.append(FontFace(family, *style, file))
    if not faces:
        problems.add(path, line, "F006", family=family)
    return faces


def _font_files(folder: Path) -> str:
    """The font files of the project's fonts/ folder (not its hidden ones), for a message: "-" for none."""
    try:
        found = sorted(
            p.name for p in folder.iterdir() if p.suffix.lower() in FONT_TYPES and not p.name.startswith(".")
        )
    except OSError:
        found = []
    return ", ".join(found[:12]) + (", ..." if len(found) > 12 else "") if found else "-"


def font_file_name(face: FontFace) -> str:
    """The name a font file goes by in the EPUB and the HTML export: its own, each run of characters a URL may
    not hold as they are (the brackets and comma of a variable font's `NotoSansThai[wdth,wght].ttf`) made one
    '-', which EPUBCheck requires."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", face.path.name)


def font_face_css(fonts: dict[str, list[FontFace]], url: callable) -> str:
    """@font-face rules for every face, with `url(face)` giving each file's address."""
    seen: set[FontFace] = set()  # a family set in two roles is declared once; a variable file once per weight
    rules = []
    for face in (f for faces in fonts.values() for f in faces):
        if face in seen:
            continue
        seen.add(face)
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; src: url("{url(face)}"); '
            f"font-weight: {face.weight}; font-style: {face.style}; }}"
        )
    return "\n".join(rules)


def role_css(fonts: dict[str, list[FontFace]]) -> str:
    """The families of book.yaml's `fonts:` roles: the body family for everything, the heading family for every
    heading (the title page's, the chapters', parts', matter's and contents' titles are all h1) and what a
    stylesheet marks `.heading-face`. The cover sets its own (book/pdf/cover.py)."""
    body = fonts["body"][0].family if fonts.get("body") else "serif"
    heading = fonts["heading"][0].family if fonts.get("heading") else body
    return (
        f':root {{ font-family: "{body}"; }}\n'
        f'h1, h2, h3, h4, h5, h6, .heading-face {{ font-family: "{heading}", "{body}"; }}'
    )
