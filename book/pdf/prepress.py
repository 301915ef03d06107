"""Prepress: what turns WeasyPrint's PDF into one a printer accepts, and the screen edition's page boxes.

WeasyPrint lays the pages out in RGB and draws CSS crop marks inside the bleed. For the press this module
then, with pikepdf:

- sets the TrimBox, a BleedBox exactly `print.bleed` beyond it, and a MediaBox with room for the marks;
- draws crop and registration marks outside the bleed in the registration colour (all four inks);
- converts every colour into the output profile's CMYK: greys and near-greys (`is_grey`) to black ink alone,
  wherever they are drawn (text, rules, borders, backgrounds, SVG paths, shadings, the folio layer), other
  colours and RGB images through the ICC profile, a picture in greys to one grey channel (black ink), and
  transparency groups to DeviceCMYK;
- writes the PDF/X output intent with the ICC profile of the book's paper (`print.paper`, or the printer's
  own `print.profile`), and drops link annotations (none in PDF/X).

Written against WeasyPrint 70.0 and pikepdf 10.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator
from PIL import Image, ImageChops, ImageCms

from .. import PACKAGE
from ..diagnostics import BookError, diagnostic
from ..project import Book, profile_problem
from .joining import tag_font_subsets

PT_PER_MM = 72 / 25.4
UNITS_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}
# The profile of each paper `print.paper` names, with its output condition (identifier, description); see
# book/icc/README.md for where each comes from and its licence. Uncoated is the default: a book's text paper
# (bond, cream "eye-care" stock) is uncoated far more often than not, and a coated profile on uncoated paper
# prints every picture and tint too dark, while the other mistake only prints them a little flat.
PAPERS = {
    "coated": (
        PACKAGE / "icc" / "ISOcoated_v2_300_bas.icc",
        "FOGRA39",
        "Offset commercial printing according to ISO 12647-2:2004/Amd 1, paper types 1 and 2 (coated), 300% TAC",
    ),
    "uncoated": (
        PACKAGE / "icc" / "FOGRA29L_uncoated.icc",
        "FOGRA29",
        "Offset printing according to ISO 12647-2:2004, paper type 4 (white, uncoated), 300% TAC",
    ),
}
DEFAULT_PAPER = "uncoated"
DEFAULT_COVER_PAPER = "coated"  # a paperback's cover is coated board (art card), laminated or varnished
DEFAULT_PROFILE = PAPERS[DEFAULT_PAPER][0]
REGISTRY = "http://www.color.org"
MARK_OFFSET_MM = 3.0  # crop marks start this far outside the trim, or at the bleed if that is wider
MARK_LENGTH_MM = 5.0
SLUG_MM = 10.0  # room for the marks beyond the bleed
ZERO_WIDTH = re.compile("[\u200b\u2060]")


def mm(length: str) -> float:
    """'3mm' -> 3.0; '0.25in' -> 6.35 (lengths as book.yaml writes them)."""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)(mm|cm|in|pt|px)", length.strip())
    if not found:
        raise ValueError(f"not a length: {length!r}")
    return float(found.group(1)) * UNITS_MM[found.group(2)]


@dataclass(frozen=True)
class PrintSettings:
    """The print settings of `book.yaml` resolved: lengths in mm, the ICC profile as a file."""

    trim: tuple[float, float]  # width, height in mm
    bleed: float
    marks: bool
    signature: int
    booklet_signature: int
    caliper: float
    profile: Path
    condition: str
    condition_info: str

    @cached_property
    def profile_name(self) -> str:
        return ImageCms.getOpenProfile(str(self.profile)).profile.profile_description.strip()

    def spine(self, pages: int) -> float:
        """The spine width in mm of an interior of `pages` pages: one caliper per leaf."""
        return round(-(-pages // 2) * self.caliper, 3)


def print_settings(book: Book, cover: bool = False) -> PrintSettings:
    """Read `print:` from book.yaml, for the interior or (`cover`) the cover, whose board is `cover_paper`; a
    profile that is missing or not CMYK, or an odd signature, is a diagnostic pointing at book.yaml."""
    config = book.config["print"]
    problems = []

    def problem(entry: str, /, **values: object) -> None:
        problems.append(diagnostic("book.yaml", None, entry, **values))

    paper = (config.get("cover_paper") or DEFAULT_COVER_PAPER) if cover else (config.get("paper") or DEFAULT_PAPER)
    profile, condition, info = PAPERS[paper]
    if config.get("profile"):  # the printer's own profile wins over the paper's
        profile = book.root / config["profile"]
        condition, info = config.get("condition") or "Custom", ""
        wrong = profile_problem(book.root, config["profile"])  # `check` names it first, at its line
        if wrong:
            problem(wrong[0], **wrong[1])
    for key in ("signature", "booklet_signature"):
        if config[key] < 2 or config[key] % 2:
            problem("S006.signature", key=key, value=config[key])
    if problems:
        raise BookError(problems)
    trim = book.config["trim"]
    return PrintSettings(
        trim=(mm(trim["width"]), mm(trim["height"])),
        bleed=mm(config["bleed"]),
        marks=bool(config["marks"]),
        signature=config["signature"],
        booklet_signature=config["booklet_signature"],
        caliper=mm(config["caliper"]),
        profile=profile,
        condition=condition,
        condition_info=info,
    )


def finish_for_press(data: bytes, settings: PrintSettings, target: Path, folds: tuple[float, ...] = ()) -> None:
    """Write WeasyPrint's PDF `data` to `target` ready for the press: boxes, marks, CMYK, output intent.

    `folds` are x positions in mm from the trim's left edge where fold marks go (the cover's spine edges).
    """
    with pikepdf.open(io.BytesIO(data)) as pdf:
        press_pages(pdf, settings, folds)
        press_document(pdf, settings)
        pdf.save(target)


def press_pages(pdf: pikepdf.Pdf, settings: PrintSettings, folds: tuple[float, ...] = (), marks: bool = True) -> None:
    """Each page of `pdf` made ready for the press: TrimBox, BleedBox, a MediaBox with room for the marks,
    CMYK colours and (with `marks` and the book's `print.marks`) crop, registration and fold marks."""
    colours = CmykConversion(settings.profile)
    registration = _registration_space(pdf) if marks and settings.marks else None
    for page in pdf.pages:
        trim = _trim(page)
        bleed = settings.bleed * PT_PER_MM
        media = bleed + (SLUG_MM * PT_PER_MM if settings.marks else 0)
        page.obj.TrimBox = Array(trim)
        page.obj.BleedBox = Array(_grow(trim, bleed))
        page.obj.MediaBox = Array(_grow(trim, media))
        for key in ("/CropBox", "/ArtBox", "/Annots"):
            if key in page.obj:
                del page.obj[key]
        colours.convert_page(pdf, page)
        if registration is not None:
            _draw_marks(pdf, page, trim, settings.bleed, folds, registration)


def press_document(pdf: pikepdf.Pdf, settings: PrintSettings) -> None:
    """The whole file made ready for the press once its pages are (see `press_pages`): the output intent,
    each font subset's own tag, and bookmarks without break hints."""
    _output_intent(pdf, settings)
    tag_font_subsets(pdf)
    clean_outline(pdf)


def add_blank_pages(pdf: pikepdf.Pdf, count: int, settings: PrintSettings) -> None:
    """`count` blank pages at the end of a PDF made ready for the press, with the last page's boxes and marks."""
    if not count:
        return
    trim = _trim(pdf.pages[-1])
    registration = _registration_space(pdf) if settings.marks else None
    bleed = settings.bleed * PT_PER_MM
    media = bleed + (SLUG_MM * PT_PER_MM if settings.marks else 0)
    for _ in range(count):
        page = pdf.add_blank_page(page_size=(trim[2] - trim[0], trim[3] - trim[1]))
        page.obj.TrimBox = Array(trim)
        page.obj.BleedBox = Array(_grow(trim, bleed))
        page.obj.MediaBox = Array(_grow(trim, media))
        if registration is not None:
            _draw_marks(pdf, page, trim, settings.bleed, (), registration)


def finish_for_screen(data: bytes, target: Path) -> None:
    """Write WeasyPrint's PDF `data` to `target` cut to the trim: no bleed, no marks; tags and links kept."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        screen_pages(pdf)
        clean_outline(pdf)
        pdf.save(target)


def screen_pages(pdf: pikepdf.Pdf) -> None:
    """Each page of `pdf` cut to its trim."""
    for page in pdf.pages:
        trim = Array(_trim(page))
        page.obj.MediaBox = page.obj.TrimBox = page.obj.BleedBox = trim


def clean_outline(pdf: pikepdf.Pdf) -> None:
    """Bookmarks without the zero-width break hints (U+200B, U+2060) that Thai line breaking puts in headings:
    they are for laying out lines, not for a reader's list of chapters."""
    with pdf.open_outline() as outline:
        items = list(outline.root)
        while items:
            item = items.pop()
            clean = ZERO_WIDTH.sub("", item.title)
            if clean != item.title:
                item.title = clean
            items.extend(item.children)


def _trim(page: pikepdf.Page) -> list[float]:
    box = page.obj.get("/TrimBox", page.obj.MediaBox)
    x0, y0, x1, y1 = (float(v) for v in box)
    return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]


def _grow(box: list[float], by: float) -> list[float]:
    return [box[0] - by, box[1] - by, box[2] + by, box[3] + by]


def _draw_marks(
    pdf: pikepdf.Pdf,
    page: pikepdf.Page,
    trim: list[float],
    bleed: float,
    folds: tuple[float, ...],
    registration: pikepdf.Object,
) -> None:
    """Crop marks at the four corners, fold marks at `folds`, registration targets mid-edge, all outside the
    bleed so that trimming never shows them, in the registration colour."""
    if "/Resources" not in page.obj:
        page.obj.Resources = Dictionary()
    if "/ColorSpace" not in page.obj.Resources:
        page.obj.Resources.ColorSpace = Dictionary()
    page.obj.Resources.ColorSpace.Registration = registration
    x0, y0, x1, y1 = trim
    start = max(MARK_OFFSET_MM, bleed) * PT_PER_MM
    end = start + MARK_LENGTH_MM * PT_PER_MM
    lines = []
    for x, y, dx in ((x0, y0, -1), (x1, y0, 1), (x0, y1, -1), (x1, y1, 1)):
        dy = -1 if y == y0 else 1
        lines.append((x + dx * start, y, x + dx * end, y))  # horizontal mark on the trim line
        lines.append((x, y + dy * start, x, y + dy * end))  # vertical mark
    for fold in folds:
        x = x0 + fold * PT_PER_MM
        lines += [(x, y0 - start, x, y0 - end), (x, y1 + start, x, y1 + end)]
    ops = ["q", "/Registration CS 1 SC 0.25 w"]
    ops += [f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in lines]
    centre = (start + end) / 2
    radius = 1.6 * PT_PER_MM
    for cx, cy in (((x0 + x1) / 2, y0 - centre), ((x0 + x1) / 2, y1 + centre), (x0 - centre, (y0 + y1) / 2),
                   (x1 + centre, (y0 + y1) / 2)):  # fmt: skip
        ops.append(_circle(cx, cy, radius))
        reach = radius * 1.6
        ops.append(f"{cx - reach:.3f} {cy:.3f} m {cx + reach:.3f} {cy:.3f} l {cx:.3f} {cy - reach:.3f} m "
                   f"{cx:.3f} {cy + reach:.3f} l S")  # fmt: skip
    ops.append("Q")
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, ("Q\n" + "\n".join(ops) + "\n").encode()))


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5523 * r  # Bézier approximation of a quarter circle
    return (
        f"{cx + r:.3f} {cy:.3f} m "
        f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
        f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
        f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
        f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c S"
    )


def _registration_space(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The Separation colour space `All`, which prints on every plate: the colour of printer's marks."""
    tint = Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0, 0, 0, 0]), C1=Array([1, 1, 1, 1]), N=1)
    return pdf.make_indirect(Array([Name.Separation, Name.All, Name.DeviceCMYK, tint]))


def _output_intent(pdf: pikepdf.Pdf, settings: PrintSettings) -> None:
    found = settings.profile.stat()
    profile = pikepdf.Stream(pdf, b"")
    profile.write(_deflated(settings.profile, found.st_mtime_ns, found.st_size), filter=Name.FlateDecode)
    profile.N = 4
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(settings.condition),
        Info=pikepdf.String(settings.profile_name),
        DestOutputProfile=profile,
    )
    if settings.condition_info:
        intent.OutputCondition = pikepdf.String(settings.condition_info)
        intent.RegistryName = pikepdf.String(REGISTRY)
    pdf.Root.OutputIntents = Array([intent])


@lru_cache(maxsize=4)
def _deflated(profile: Path, modified: int, size: int) -> bytes:
    """The ICC profile file, compressed once per process and version of the file: left to qpdf, its megabyte
    was compressed again in every file that embeds it (the print PDF, the cover), 0.06 s each time."""
    return zlib.compress(profile.read_bytes())


# What WeasyPrint writes on a text page is numbers, names, hex strings and operators: no literal string, no
# comment, no inline image, and colours only as `r g b rg` (fill) and `RG` (stroke). In such a stream the
# colour operators are found exactly by their letters (a hex string holds no letter beyond f, a name starts
# with /) and the rest is kept byte for byte; parsing it operator by operator and writing it again took
# 0.6 CPU s a cold build. Any other stream, or one that sets a colour space (`cs`, `CS`) or colours through
# it, is parsed whole.
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_RGB_OPERATOR = re.compile(rb"(?:rg|RG)(?![^\s\[</])")
_NUMBER = rb"([+-]?(?:\d+\.?\d*|\.\d+))"
_THREE_NUMBERS = re.compile(rb"(?:^|(?<=[\s\]>]))" + rb"\s+".join([_NUMBER] * 3) + rb"\s+$")


def content_bytes(content: pikepdf.Page | pikepdf.Object) -> bytes:
    """The decoded content of a page (one stream or an array of them, joined by line ends, which end no token
    early) or of a form or pattern stream."""
    if isinstance(content, pikepdf.Stream):
        return content.read_bytes()
    page = content.obj if isinstance(content, pikepdf.Page) else content
    contents = page.get("/Contents")
    streams = [] if contents is None else [contents] if isinstance(contents, pikepdf.Stream) else list(contents)
    return b"\n".join(stream.read_bytes() for stream in streams)


def _needs_parsing(data: bytes) -> bool:
    """Whether a content stream holds more than `_RGB_OPERATOR` can change alone: a literal string or a
    comment, an inline image (`BI`, `ID`), or a colour space and colours set through it."""
    if b"(" in data or b"%" in data:
        return True
    for word in (b"BI", b"ID", b"cs", b"CS", b"sc", b"SC"):  # and scn, SCN
        start = data.find(word)
        while start != -1:
            end = start + 2
            if word in (b"sc", b"SC") and data[end : end + 1] in (b"n", b"N"):
                end += 1
            if (start == 0 or data[start - 1] not in _WORD) and (end == len(data) or data[end] not in _WORD):
                return True
            start = data.find(word, start + 1)
    return False


# What counts as grey, in CIELAB chroma (C*ab, the distance from neutral at the same lightness). Greys a
# designer picks are rarely exact: the toolkit's own styles use Tailwind's warm "stone" greys (#57534e, C* 3.6)
# and cool "gray" ones (#4b5563, C* 9.4; #374151, C* 11.0) for captions, credits and rules. Up to C* 12 a
# mid or dark colour is such a grey, and printed in four inks its small text and hairlines would show colour
# fringes wherever the plates miss each other by a hair; in black alone they cannot. Light tints are another
# matter: there a little chroma is the whole colour (a cream #fffbeb, C* 8.2; a pink panel #fef2f2, C* 4.3),
# so from L* 90 up only what is neutral to the eye counts as grey: up to C* 3, which takes the light greys
# (#f3f4f6 1.1, #e5e7eb 2.2, #f1f5f9 2.5) and leaves the palest tints (#fef2f2 and #f0f9ff 4.3) their colour.
GREY_CHROMA = 12.0
LIGHT_TINT = 90.0  # L* from which a colour is a light tint
LIGHT_GREY_CHROMA = 3.0
GREY_SPREAD = 8  # of 255, in a picture (see `_greys_only`)


@lru_cache(maxsize=4096)
def is_grey(r: float, g: float, b: float) -> bool:
    """Whether the sRGB colour `r g b` (0-1) is meant as grey, so prints in black ink alone (see GREY_CHROMA)."""
    if r == g == b:
        return True
    lightness, a, b_star = _lab(r, g, b)
    return math.hypot(a, b_star) <= (GREY_CHROMA if lightness < LIGHT_TINT else LIGHT_GREY_CHROMA)


def grey_tint(r: float, g: float, b: float) -> float:
    """The black ink (0-1) of a grey: the grey of the same luminance, 1 - r for an exact grey `r r r`."""
    if r == g == b:
        return round(1 - r, 4)
    luminance = sum(w * _linear(v) for w, v in zip((0.2126, 0.7152, 0.0722), (r, g, b), strict=True))
    encoded = 12.92 * luminance if luminance <= 0.0031308 else 1.055 * luminance ** (1 / 2.4) - 0.055
    return round(1 - encoded, 4)


def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _lab(r: float, g: float, b: float) -> tuple[float, float, float]:
    """CIELAB (D65 white) of an sRGB colour."""
    red, green, blue = _linear(r), _linear(g), _linear(b)
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _number(value: float) -> str:
    """A colour component as a PDF number: at most four decimals (what `colour` rounds to), no exponent."""
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _transforms(profile: Path) -> tuple[ImageCms.ImageCmsTransform, ImageCms.ImageCmsTransform, dict]:
    """The vector and photo transforms from sRGB into `profile`, and a cache of converted colours: made once
    per process and version of the file (a tenth of a second each), as a build finishes many PDFs with one
    profile, and `build.py watch` builds many times."""
    found = profile.stat()
    return _transforms_of(profile, found.st_mtime_ns, found.st_size)


@lru_cache(maxsize=4)
def _transforms_of(
    profile: Path, modified: int, size: int
) -> tuple[ImageCms.ImageCmsTransform, ImageCms.ImageCmsTransform, dict]:
    srgb = ImageCms.createProfile("sRGB")
    # Read into memory: a profile opened by name stays tied to its open file, whose position a forked worker
    # shares with the build, and two processes converting at once then move it under each other.
    cmyk = ImageCms.getOpenProfile(io.BytesIO(profile.read_bytes()))
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
    vector = ImageCms.buildTransform(srgb, cmyk, "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC, flags)
    photo = ImageCms.buildTransform(srgb, cmyk, "RGB", "CMYK", ImageCms.Intent.PERCEPTUAL, flags)
    return vector, photo, {}


class CmykConversion:
    """Converts RGB colours and images into the CMYK of one ICC profile, once per distinct colour."""

    def __init__(self, profile: Path) -> None:
        self.vector, self.photo, self.cache = _transforms(profile)
        self.done: set[tuple[int, int]] = set()

    def colour(self, r: float, g: float, b: float) -> list[float]:
        """A CMYK colour for an RGB one (0-1): greys (`is_grey`) are black ink alone, so grey text and rules
        never print in four inks."""
        if is_grey(r, g, b):
            return [0.0, 0.0, 0.0, grey_tint(r, g, b)]
        key = (r, g, b)
        if key not in self.cache:
            self.convert([key])
        return self.cache[key]

    def convert(self, colours: Iterable[tuple[float, float, float]]) -> None:
        """Convert the RGB `colours` not converted before, all in one pass of the transform: Pillow writes out
        the whole output profile after each pass (7 ms), so a stream's new colours go through together. Each
        pixel is converted alone, so a colour comes out the same whatever it goes through with."""
        missing = [key for key in dict.fromkeys(colours) if key not in self.cache and not is_grey(*key)]
        if not missing:
            return
        row = Image.new("RGB", (len(missing), 1))
        row.putdata([tuple(round(v * 255) for v in key) for key in missing])
        converted = ImageCms.applyTransform(row, self.vector)
        for x, key in enumerate(missing):
            self.cache[key] = [round(v / 255, 4) for v in converted.getpixel((x, 0))]

    def convert_page(self, pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
        self._group(page.obj)
        self._resources(pdf, page.obj.get("/Resources"))
        page.obj.Contents = pdf.make_stream(self._stream(page))

    def _resources(self, pdf: pikepdf.Pdf, resources: pikepdf.Object | None) -> None:
        if resources is None:
            return
        for kind in ("/XObject", "/Pattern"):
            for obj in (resources.get(kind) or {}).values():
                if not isinstance(obj, pikepdf.Stream) or not self._first_visit(obj):
                    continue
                if obj.get("/Subtype") == Name.Image:
                    self._image(obj)
                elif obj.get("/Subtype") == Name.Form or obj.get("/PatternType") == 1:
                    self._group(obj)
                    self._resources(pdf, obj.get("/Resources"))
                    obj.write(self._stream(obj))
        for shading in (resources.get("/Shading") or {}).values():
            self._shading(shading)
        for pattern in (resources.get("/Pattern") or {}).values():
            if pattern.get("/PatternType") == 2:
                self._shading(pattern.Shading)

    def _first_visit(self, obj: pikepdf.Object) -> bool:
        key = obj.objgen
        if key != (0, 0) and key in self.done:
            return False
        self.done.add(key)
        return True

    @staticmethod
    def _group(obj: pikepdf.Object) -> None:
        group = obj.get("/Group")
        if group is not None and group.get("/CS") == Name.DeviceRGB:
            group.CS = Name.DeviceCMYK

    def _stream(self, content: pikepdf.Object) -> bytes:
        data = content_bytes(content)
        quick = None if _needs_parsing(data) else self._rgb_operators(data)
        if quick is not None:
            return quick
        rgb_fill, rgb_stroke, stack, out = False, False, [], []
        for operands, operator in pikepdf.parse_content_stream(content):
            op = str(operator)
            if op in ("rg", "RG"):
                out.append((self.colour(*(float(v) for v in operands)), Operator("k" if op == "rg" else "K")))
                continue
            if op in ("cs", "CS"):
                rgb = operands[0] == Name.DeviceRGB
                if rgb:
                    operands = [Name.DeviceCMYK]
                rgb_fill, rgb_stroke = (rgb, rgb_stroke) if op == "cs" else (rgb_fill, rgb)
            elif op in ("sc", "scn") and rgb_fill and len(operands) == 3:
                operands = self.colour(*(float(v) for v in operands))
            elif op in ("SC", "SCN") and rgb_stroke and len(operands) == 3:
                operands = self.colour(*(float(v) for v in operands))
            elif op == "q":
                stack.append((rgb_fill, rgb_stroke))
            elif op == "Q" and stack:
                rgb_fill, rgb_stroke = stack.pop()
            out.append((operands, operator))
        return pikepdf.unparse_content_stream(out)

    def _rgb_operators(self, data: bytes) -> bytes | None:
        """A content stream in which `r g b rg` and `r g b RG` are the only colours (see `_needs_parsing`),
        with each of them in CMYK and every other byte as it was; None if an `rg` or `RG` is not after three
        numbers (the stream is then parsed whole)."""
        found, kept = [], 0
        for operator in _RGB_OPERATOR.finditer(data):
            at = operator.start()
            if at and data[at - 1] not in b" \t\r\n\f\x00":  # the end of a longer word
                continue
            operands = _THREE_NUMBERS.search(data, max(kept, at - 80), at)
            if operands is None:
                return None
            found.append((operands, operator, tuple(float(v) for v in operands.groups())))
            kept = operator.end()
        self.convert(rgb for _, _, rgb in found)
        out, kept = [], 0
        for operands, operator, rgb in found:
            cmyk = " ".join(_number(v) for v in self.colour(*rgb))
            out += [data[kept : operands.start()], f"{cmyk} {'k' if operator.group() == b'rg' else 'K'}".encode()]
            kept = operator.end()
        out.append(data[kept:])
        return b"".join(out)

    def _shading(self, shading: pikepdf.Object) -> None:
        if shading.get("/ColorSpace") != Name.DeviceRGB or not self._first_visit(shading):
            return
        functions = [shading.Function] if "/Function" in shading else []
        while functions:
            function = functions.pop()
            if function.get("/FunctionType") == 3:
                functions.extend(function.Functions)
            elif function.get("/FunctionType") == 2:
                for key in ("/C0", "/C1"):
                    values = [float(v) for v in function.get(key, [0, 0, 0] if key == "/C0" else [1, 1, 1])]
                    function[key] = Array(self.colour(*values))
        shading.ColorSpace = Name.DeviceCMYK

    def _image(self, image: pikepdf.Stream) -> None:
        space = image.get("/ColorSpace")
        rgb = space == Name.DeviceRGB or (
            isinstance(space, Array) and space[0] == Name.ICCBased and int(space[1].get("/N", 0)) == 3
        )
        if not rgb:
            return
        picture = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
        if _greys_only(picture):  # a black-and-white photograph, a scanned page: black ink alone
            image.write(zlib.compress(picture.convert("L").tobytes(), 6), filter=Name.FlateDecode)
            image.ColorSpace = Name.DeviceGray
        else:
            cmyk = ImageCms.applyTransform(picture, self.photo)
            image.write(zlib.compress(cmyk.tobytes(), 6), filter=Name.FlateDecode)
            image.ColorSpace = Name.DeviceCMYK
        image.BitsPerComponent = 8
        for key in ("/DecodeParms", "/Decode", "/Intent"):
            if key in image:
                del image[key]


def _greys_only(picture: Image.Image) -> bool:
    """Whether every pixel of an RGB picture is grey: its channels nowhere more than GREY_SPREAD apart (a
    JPEG of a grey picture strays a few levels from neutral; 8 of 255 stays under C* 8 at any lightness)."""
    red, green, blue = picture.split()
    spread = max(ImageChops.difference(red, green).getextrema()[1], ImageChops.difference(green, blue).getextrema()[1])
    return spread <= GREY_SPREAD
