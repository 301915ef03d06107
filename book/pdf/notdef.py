"""The pages of a PDF that draw a font's `.notdef` glyph: the box a font shows for a character it has no glyph
for (tofu). Preflight refuses them (P012); the Thai lint names where such a character is typed (TH011).

WeasyPrint writes each font as a Type0 (CID) font whose glyph ids are its CIDs (CIDToGIDMap /Identity), with
2-byte codes mapped to CIDs by /Identity-H or by a CMap of its own; glyph id 0 is `.notdef`. A font that
draws it has width for CID 0 in its /W array, so only such a font's pages are read operator by operator:
a clean book costs one look at each font.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pikepdf
from pikepdf import Name

SHOWS = "Tf Tj TJ ' \" Do"  # the operators that choose a font, show text or draw a form
CID_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s+(\d+)")
CID_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s+(\d+)")


def notdef_pages(pdf: pikepdf.Pdf) -> dict[str, list[int]]:
    """{font name: the pages (from 1) where it draws .notdef}, for every font that does."""
    found: dict[str, list[int]] = {}
    suspects: dict[tuple[int, int], frozenset[int] | None] = {}  # font -> its codes of .notdef (None: clean)
    for number, page in enumerate(pdf.pages, start=1):
        resources = page.obj.get("/Resources")
        if not any(_notdef_codes(font, suspects) for font in _fonts(resources, 0)):
            continue  # no font the page can use draws .notdef: its text is not read
        for font in _shown_notdef(page.obj, resources, suspects, 0):
            pages = found.setdefault(_name(font), [])
            if number not in pages:
                pages.append(number)
    return found


def _shown_notdef(
    content: pikepdf.Object, resources: pikepdf.Object | None, suspects: dict, depth: int
) -> Iterator[pikepdf.Object]:
    """Each font that shows a .notdef code in `content` (following the forms it draws)."""
    if resources is None or depth > 8:
        return
    fonts = resources.get("/Font") or {}
    codes: frozenset[int] | None = None
    font = None
    for operands, operator in pikepdf.parse_content_stream(content, SHOWS):
        op = str(operator)
        if op == "Tf" and operands:
            font = fonts.get(operands[0])
            codes = _notdef_codes(font, suspects) if font is not None else None
        elif op == "Do" and operands:
            xobject = (resources.get("/XObject") or {}).get(operands[0])
            if xobject is not None and xobject.get("/Subtype") == Name.Form:
                yield from _shown_notdef(xobject, xobject.get("/Resources", resources), suspects, depth + 1)
        elif codes and op in ("Tj", "TJ", "'", '"'):
            data = b"".join(bytes(s) for s in _strings(operands))
            if any(int.from_bytes(data[i : i + 2], "big") in codes for i in range(0, len(data) - 1, 2)):
                yield font


def _fonts(resources: pikepdf.Object | None, depth: int) -> Iterator[pikepdf.Object]:
    """Every font of `resources` and of the forms and patterns they hold, without reading a content stream."""
    if resources is None or depth > 8:
        return
    yield from (resources.get("/Font") or {}).values()
    for holder in ("/XObject", "/Pattern"):
        for inner in (resources.get(holder) or {}).values():
            if isinstance(inner, (pikepdf.Dictionary, pikepdf.Stream)):
                yield from _fonts(inner.get("/Resources"), depth + 1)


def _strings(operands: list) -> Iterator[pikepdf.String]:
    for operand in operands:
        for item in operand if isinstance(operand, pikepdf.Array) else [operand]:
            if isinstance(item, pikepdf.String):
                yield item


def _notdef_codes(font: pikepdf.Object, suspects: dict) -> frozenset[int] | None:
    """The 2-byte codes of a Type0 font that show glyph 0, when its widths say it draws it; else None."""
    key = font.objgen
    if key not in suspects:
        suspects[key] = _codes_of_glyph_zero(font)
    return suspects[key]


def _codes_of_glyph_zero(font: pikepdf.Object) -> frozenset[int] | None:
    if font.get("/Subtype") != Name.Type0 or not font.get("/DescendantFonts"):
        return None
    descendant = font.DescendantFonts[0]
    widths = descendant.get("/W")
    if widths is not None and not _has_cid_zero(widths):
        return None
    gid_map = descendant.get("/CIDToGIDMap")
    if gid_map is not None and gid_map != Name.Identity:
        return None  # glyph ids of their own: not WeasyPrint's, not read here
    encoding = font.get("/Encoding")
    if encoding == Name("/Identity-H") or encoding == Name("/Identity-V"):
        return frozenset({0})
    if isinstance(encoding, pikepdf.Stream):
        data = encoding.read_bytes()
        codes = {int(code, 16) for code, cid in CID_CHAR.findall(_between(data, b"cidchar")) if int(cid) == 0}
        for first, _last, cid in CID_RANGE.findall(_between(data, b"cidrange")):
            if int(cid) == 0:
                codes.add(int(first, 16))  # a range starting at CID 0: only its first code is glyph 0
        return frozenset(codes) or None
    return None


def _between(data: bytes, kind: bytes) -> bytes:
    return b"\n".join(re.findall(rb"begin" + kind + rb"(.*?)end" + kind, data, re.S))


def _has_cid_zero(widths: pikepdf.Array) -> bool:
    """Whether a /W array (`c [w ...]` or `first last w` entries) gives a width for CID 0."""
    items, index = list(widths), 0
    while index < len(items):
        first = int(items[index])
        if index + 1 < len(items) and isinstance(items[index + 1], pikepdf.Array):
            last, index = first + len(items[index + 1]) - 1, index + 2
        else:
            last, index = int(items[index + 1]) if index + 1 < len(items) else first, index + 3
        if first <= 0 <= last:
            return True
    return False


def _name(font: pikepdf.Object) -> str:
    """The font's name without its subset tag: `PGWMTB+Sarabun-Regular` -> `Sarabun-Regular`."""
    name = str(font.get("/BaseFont", "?")).lstrip("/")
    return name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
