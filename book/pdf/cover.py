"""The cover: back cover, spine and front cover on one sheet with bleed and marks (`*-cover.pdf`), the spine
as wide as the interior is thick, and the front cover alone as a JPEG for the EPUB.

The sheet is laid out by WeasyPrint from `templates/cover.html` and `styles/cover.css`, and finished for the
press like the interior (see `prepress`): PDF/X-4 in CMYK, TrimBox and BleedBox, crop marks and fold marks at
the spine's edges.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from weasyprint import HTML

from .. import PACKAGE
from ..diagnostics import BookError, diagnostic
from ..engine import fontsubset, textlayer
from ..project import Book, font_face_css, gate
from ..render import render_document
from ..scheduler import Cache, write_atomic
from ..thai import mark_for_print
from .prepress import finish_for_press, print_settings

PACKAGE_STYLE = PACKAGE / "styles" / "cover.css"
REVERSED_MIN_MM = 3.18  # 9 pt (3.175 mm) rounded up: REVERSED_MIN_PT, the least reversed text (preflighting.py)
SPINE_TEXT_MIN_MM = 4.0  # below this the spine is too thin to carry legible text
EAN_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
EAN_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL")


@dataclass(frozen=True)
class CoverSheet:
    """Where each panel of the cover sheet lies, in mm from the sheet's left trim edge."""

    width: float  # one cover (the trim width)
    height: float
    spine: float

    @property
    def back(self) -> float:
        return 0.0

    @property
    def spine_left(self) -> float:
        return self.width

    @property
    def front(self) -> float:
        return self.width + self.spine

    @property
    def total(self) -> float:
        return round(2 * self.width + self.spine, 3)

    @property
    def spine_text(self) -> bool:
        return self.spine >= SPINE_TEXT_MIN_MM

    @property
    def spine_font(self) -> float:
        return round(min(self.spine * 0.5, 4.2), 2)

    @property
    def spine_publisher_font(self) -> float:
        """The publisher's size on the spine (mm): a tenth smaller than the title, but not under 9 pt, below
        which reversed text fills in (preflight P141), unless the spine is too thin for 9 pt even in the title."""
        return round(min(self.spine_font, max(self.spine_font * 0.9, REVERSED_MIN_MM)), 2)


@dataclass(frozen=True)
class CoverResult:
    path: Path
    spine: float  # mm
    interior_pages: int


def cover_sheet(book: Book, interior_pages: int) -> CoverSheet:
    """The sheet for an interior of `interior_pages` pages: its spine is one caliper per leaf."""
    settings = print_settings(book, cover=True)
    width, height = settings.trim
    return CoverSheet(width, height, settings.spine(interior_pages))


def cover_html(book: Book, sheet: CoverSheet, place: dict[str, float], page_width: float, marked: bool = True) -> str:
    """The cover as HTML: the panels named in `place` (back, spine, front), each at its left edge in mm, on a
    page `page_width` mm wide; with bleed when it is the whole sheet."""
    config = book.config["cover"]
    bleed = book.config["print"]["bleed"] if len(place) > 1 else "0mm"
    heading = book.fonts.get("heading") or book.fonts.get("body") or []
    body = book.fonts.get("body") or heading
    faces = ", ".join(f'"{f[0].family}"' for f in (heading, body) if f) or "serif"
    css = "\n".join(
        [
            font_face_css(book.fonts, lambda face: face.path.as_uri()),
            f'html {{ font-family: "{body[0].family}", serif; }}' if body else "",
            f"h1 {{ font-family: {faces}; }}",
            f"@page {{ size: {page_width}mm {sheet.height}mm; bleed: {bleed}; background: {config['background']}; }}",
            f":root {{ --ink: {config['ink']}; --accent: {config['accent']}; --height: {sheet.height}mm; "
            f"--heading-face: {faces}; --background: {config['background']}; }}",
            f".front-picture {{ top: -{bleed}; bottom: -{bleed}; right: -{bleed}; }}",
            *(p.read_text(encoding="utf-8") for p in _styles(book)),
        ]
    )
    blurb = (config.get("blurb") or book.config.get("description") or "").strip()
    barcode = isbn_barcode_svg(book, body[0].family if body else "serif")
    html = render_document(book, "cover.html", sheet=sheet, place=place, css=css, blurb=blurb, barcode=barcode)
    if not marked:  # what the cache key needs: the marks follow from it (and the break policy)
        return html
    return mark_for_print(html, book.break_policy)  # Thai breaks where the toolkit marks them (book/thai/breaking.py)


def _styles(book: Book) -> list[Path]:
    own = book.root / "styles" / "cover.css"
    return [PACKAGE_STYLE] + ([own] if own.is_file() else [])


def build_cover_pdf(book: Book, interior_pages: int, target: Path, cache: Cache | None = None) -> CoverResult:
    """Lay out the cover sheet for an interior of `interior_pages` pages and write it ready for the press
    (taken from `cache` when the same sheet was made before)."""
    settings = print_settings(book, cover=True)
    sheet = cover_sheet(book, interior_pages)
    place = {"back": 0.0, "spine": sheet.spine_left, "front": sheet.front}
    key = _key(book, cover_html(book, sheet, place, sheet.total, marked=False), repr(settings))
    entry = cache.get("cover", key, _holds(b"%PDF-")) if cache else None
    if entry is not None and "pdf" in entry[1]:
        write_atomic(target, lambda path: path.write_bytes(entry[1]["pdf"]))
        return CoverResult(target, sheet.spine, interior_pages)
    textlayer.install()
    fontsubset.install()
    html = cover_html(book, sheet, place, sheet.total)
    data = HTML(string=html, base_url=str(book.root) + "/", url_fetcher=gate(book)).write_pdf(pdf_variant="pdf/x-4")
    folds = (sheet.spine_left, sheet.front)
    write_atomic(target, lambda path: finish_for_press(data, settings, path, folds))
    if cache:
        cache.put("cover", key, {}, {"pdf": target.read_bytes()})
    return CoverResult(target, sheet.spine, interior_pages)


def cached_front_cover_jpeg(book: Book, cache: Cache) -> bytes:
    """`front_cover_jpeg`, from the cache when the front cover is as it was."""
    sheet = cover_sheet(book, 0)
    key = _key(book, cover_html(book, sheet, {"front": 0.0}, sheet.width, marked=False), "jpeg")
    entry = cache.get("cover", key, _holds(b"\xff\xd8\xff"))
    if entry is not None and "jpeg" in entry[1]:
        return entry[1]["jpeg"]
    jpeg = front_cover_jpeg(book)
    cache.put("cover", key, {}, {"jpeg": jpeg})
    return jpeg


def _holds(magic: bytes) -> Callable[[dict, dict[str, bytes]], bool]:
    """Whether a cache entry holds a cover as kept here: no facts, one file that begins with `magic`."""
    return lambda facts, files: facts == {} and len(files) == 1 and next(iter(files.values())).startswith(magic)


def _key(book: Book, html: str, extra: str) -> str:
    """What a cover is made from: its HTML (styles included), the toolkit, the fonts and its images."""
    from ..scheduler import digest
    from .parts import assets_state, fingerprint

    return digest(fingerprint(book, ""), html, extra, assets_state(html, book.root))


def front_cover_pdf(book: Book) -> bytes:
    """The front cover alone, cut to the trim, in screen colours, as a PDF."""
    sheet = cover_sheet(book, 0)
    textlayer.install()
    fontsubset.install()
    html = cover_html(book, sheet, {"front": 0.0}, sheet.width)
    return HTML(string=html, base_url=str(book.root) + "/", url_fetcher=gate(book)).write_pdf()


def front_cover_jpeg(book: Book, width: int = 1600, quality: int = 90) -> bytes:
    """The front cover as a JPEG `width` pixels wide (height in the trim's proportion), for the EPUB's cover
    image; rasterised by poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        raise BookError([diagnostic("pdftoppm", None, "U004")])
    with tempfile.TemporaryDirectory(prefix="thaibook-cover-") as folder:
        pdf = Path(folder) / "front.pdf"
        pdf.write_bytes(front_cover_pdf(book))
        command = ["pdftoppm", "-jpeg", "-jpegopt", f"quality={quality}", "-singlefile", "-scale-to-x", str(width)]
        subprocess.run([*command, "-scale-to-y", "-1", str(pdf), str(Path(folder) / "front")], check=True)
        return (Path(folder) / "front.jpg").read_bytes()


def isbn13(isbn: str) -> str | None:
    """The 13 digits of an ISBN-10 or ISBN-13 (hyphens and spaces ignored), or None if it is not valid."""
    digits = "".join(c for c in isbn if c.isdigit() or c in "Xx").upper()
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        if total % 11 or "X" in digits[:9]:
            return None
        digits = "978" + digits[:9]
        return digits + str(-sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits)) % 10)
    if len(digits) != 13 or not digits.isdigit():
        return None
    check = -sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits[:12])) % 10
    return digits if int(digits[12]) == check else None


def isbn_barcode_svg(book: Book, family: str = "serif") -> str:
    """An EAN-13 bar code of the book's ISBN as inline SVG, or '' without an ISBN."""
    isbn = book.config.get("isbn")
    if not isbn:
        return ""
    digits = isbn13(isbn)
    if digits is None:
        raise BookError([diagnostic("book.yaml", None, "S007", isbn=isbn)])
    left = "".join(
        EAN_L[int(d)] if parity == "L" else EAN_L[int(d)].translate(str.maketrans("01", "10"))[::-1]
        for d, parity in zip(digits[1:7], EAN_PARITY[int(digits[0])], strict=True)
    )
    right = "".join(EAN_L[int(d)].translate(str.maketrans("01", "10")) for d in digits[7:])
    modules = "101" + left + "01010" + right + "101"
    guards = {*range(3), *range(45, 50), *range(92, 95)}
    bars = "".join(
        f'<rect x="{11 + run.start()}" y="0" width="{len(run.group())}" '
        f'height="{60 if run.start() in guards else 55}" />'
        for run in re.finditer("1+", modules)
    )
    text = (
        f'<text x="5" y="68" font-size="9">{digits[0]}</text>'
        f'<text x="{11 + 24}" y="68" font-size="9" text-anchor="middle">{digits[1:7]}</text>'
        f'<text x="{11 + 70}" y="68" font-size="9" text-anchor="middle">{digits[7:]}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 113 70" preserveAspectRatio="xMidYMid meet" '
        f'role="img" aria-label="ISBN {digits}"><g fill="#000000">{bars}</g>'
        f'<g font-family="{family}" fill="#000000">{text}</g></svg>'
    )
