"""Preflight: is a PDF ready for the printer (or, for the screen edition, for readers)?

Run after every PDF build and by `python3 build.py check --pdf FILE`. Each rule reports a clear line with the
page number and a stable code; any error makes the PDF not print-ready.

| code | rule | applies to |
|---|---|---|
| P001 | every font is embedded | all |
| P002 | every font is subset (a warning) | all |
| P003 | every page has a TrimBox | all |
| P004 | every page has a BleedBox, `print.bleed` beyond the TrimBox (the same box without bleed) | all |
| P005 | the trimmed page is the book's trim size | print, screen, booklet |
| P006 | a PDF/X output intent with a CMYK profile | print, booklet, cover |
| P007 | no RGB image | print, booklet, cover |
| P008 | images at 300 ppi or more (a warning) | print, booklet, cover |
| P009 | the page count is a multiple of the signature | print, booklet |
| P010 | the spine is as wide as the interior's page count makes it | cover |
| P011 | tagged, with a title shown and a language | screen |
| P012 | no character drawn as a font's `.notdef` box (`notdef_pages`) | all |
| P101 | nothing drawn crosses the trim unless it is meant to bleed (`trim_problems`) | print, booklet, cover |
| P141 | no text under 9 pt reversed out of a background of several inks (a warning, `reversed_text`) | cover |

A build checks its print interior's trim part by part: each part's pages when the part is laid out, kept with it
in the cache (`book/pdf/partlayout.py`), so a rebuild after an edit reads only the edited part's pages again.
`check --pdf` reads every page of the file.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium
from pikepdf import Name
from PIL import ImageStat

from ..diagnostics import Diagnostic, code_of, say, texts
from ..project import Book
from ..scheduler import fits
from .notdef import notdef_pages
from .prepress import PT_PER_MM, content_bytes, print_settings

KINDS = ("print", "screen", "cover", "booklet")
PRESS_KINDS = ("print", "cover", "booklet")
TOLERANCE_MM = 0.05
PRINT_PPI = 300
RGB_SPACES = (Name.DeviceRGB, Name.CalRGB)
TRIM_TOLERANCE_PT = 0.5  # a hairline's half width, and rounding: less than this past the trim is on it
TrimProblem = tuple[int, str, dict]  # (page, catalogue key, values): see `trim_problems`


@dataclass(frozen=True)
class Rules:
    """What a PDF of one kind must be, from book.yaml (lengths in mm)."""

    kind: str
    bleed: float
    trim: tuple[float, float] | None = None  # the trimmed page (the whole sheet for a cover)
    signature: int | None = None
    spine: float | None = None  # the cover's spine
    interior_pages: int | None = None
    caliper: float = 0.0
    final: bool = False  # `--final`: a placeholder left is an error, not a warning


@dataclass
class Report:
    """What preflight found in one PDF."""

    path: Path
    kind: str
    pages: int = 0
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, language: str = "en") -> str:
        """One line: `preflight: NAME: print-ready` (or not, and why), in `language`."""
        ready = say("ready for readers" if self.kind == "screen" else "print-ready", language)
        if not self.ok:
            return say("preflight not ready", language, name=self.path.name, ready=ready, count=len(self.errors))
        if self.problems:
            count = len(self.problems)
            return say("preflight ready with warnings", language, name=self.path.name, ready=ready, count=count)
        return say("preflight ready", language, name=self.path.name, ready=ready)


def kind_of(path: Path) -> str:
    """The kind of a PDF from its name: *-print.pdf, *-screen.pdf, *-cover.pdf, *-booklet.pdf (else print)."""
    stem = path.name.lower().removesuffix(".pdf")
    return next((kind for kind in KINDS if stem.endswith(f"-{kind}")), "print")


def rules_for(book: Book, kind: str, interior_pages: int | None = None, final: bool = False) -> Rules:
    """The rules of `kind` for this book; a cover needs the interior's page count for its spine. A `final`
    print PDF may hold no infographic placeholder."""
    settings = print_settings(book)
    width, height = settings.trim
    if kind == "screen":
        return Rules(kind, 0.0, settings.trim)
    if kind == "cover":
        spine = settings.spine(interior_pages) if interior_pages is not None else None
        trim = (2 * width + spine, height) if spine is not None else None
        return Rules(kind, settings.bleed, trim, None, spine, interior_pages, settings.caliper)
    signature = settings.booklet_signature if kind == "booklet" else settings.signature
    return Rules(kind, settings.bleed, settings.trim, signature, final=final)


def interior_beside(cover: Path) -> Path:
    """The print interior built with a cover: `x-cover.pdf` -> `x-print.pdf` in the same folder."""
    return cover.with_name(cover.name[: -len("-cover.pdf")] + "-print.pdf")


def preflight(path: Path, rules: Rules, shown: str | None = None, trim: list[TrimProblem] | None = None) -> Report:
    """Check the PDF at `path` against `rules`; every problem is one Diagnostic naming the page. `trim` is what
    its pages draw past the trim when that is known already (the print interior's: `Interior.trim_problems`,
    each part's pages checked as the part was laid out); else it is found in the file (`trim_problems`)."""
    report = Report(path, rules.kind)
    found: dict[tuple[str, str, str, bool], list[int]] = {}

    def add(key: str, page: int = 0, warning: bool = False, **values: object) -> None:
        said = texts(key, **values)  # the same words on several pages make one diagnostic naming them all
        found.setdefault((code_of(key), said["en"], said["th"], warning), []).append(page)

    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as error:
        add("P000", error=error)
    else:
        _check(pdf, rules, report, add)
        if rules.kind in PRESS_KINDS:
            for page, key, values in trim_problems(path) if trim is None else trim:
                add(key, page, **values)
    for (code, en, th, warning), pages in found.items():
        prefix = {lang: _pages(pages, lang) + (say("warning", lang) if warning else "") for lang in ("en", "th")}
        severity = "warning" if warning else "error"
        report.problems.append(
            Diagnostic(shown or str(path), None, code, prefix["en"] + en, None, severity, prefix["th"] + th)
        )
    return report


def _pages(pages: list[int], language: str = "en") -> str:
    """'page 3: ', or 'pages 1-147: ' for a run, or 'pages 2, 5-7: ' (the same problem on several pages)."""
    numbers = sorted(set(p for p in pages if p))
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)
    return say("on page" if len(numbers) == 1 else "on pages", language, pages=text)


def _check(pdf: pikepdf.Pdf, rules: Rules, report: Report, add) -> None:  # noqa: ANN001
    with pdf:
        report.pages = len(pdf.pages)
        fonts_seen: set[tuple[int, int]] = set()
        images_seen: set[tuple[int, int]] = set()
        for number, page in enumerate(pdf.pages, start=1):
            _check_boxes(page, number, rules, add)
            for kind, obj, scale in _used(page.obj, page.obj.get("/Resources"), (1, 0, 0, 1, 0, 0)):
                if kind == "font" and obj.objgen not in fonts_seen:
                    fonts_seen.add(obj.objgen)
                    _check_font(obj, number, add)
                elif kind == "image" and rules.kind in PRESS_KINDS:
                    _check_image(obj, scale, number, add, first=obj.objgen not in images_seen)
                    images_seen.add(obj.objgen)
        _check_document(pdf, report.pages, rules, add)
        for font, pages in notdef_pages(pdf).items():
            for page in pages:
                add("P012", page, font=font)
        if rules.kind == "cover":
            for number, page in enumerate(pdf.pages, start=1):
                for text, size, inks in reversed_text(page):
                    add("P141", number, warning=True, text=text, size=size, inks=inks, least=REVERSED_MIN_PT)
        _check_placeholders(pdf, rules, add)


def _check_placeholders(pdf: pikepdf.Pdf, rules: Rules, add) -> None:  # noqa: ANN001
    """A print PDF that still shows infographic placeholders is not final: a warning, an error with `--final`.
    They are found by the anchor only a placeholder's box has (`box-ID`, a named destination, see
    book/project/markdown.py `figure_html`), on the pages they fall on: a PDF checked alone (`check --pdf`) too."""
    if rules.kind not in PRESS_KINDS:
        return
    names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
    pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    for i in range(0, len(names) - 1, 2):
        anchor, target = str(names[i]), names[i + 1]
        if anchor.startswith("box-"):
            target = target.get("/D") if isinstance(target, pikepdf.Dictionary) else target
            page = pages.get(target[0].objgen, 0) if isinstance(target, pikepdf.Array) and len(target) else 0
            add("P121.final" if rules.final else "P121", page, warning=not rules.final)


def _check_boxes(page: pikepdf.Page, number: int, rules: Rules, add) -> None:  # noqa: ANN001
    trim, bleed = _box(page.obj, "/TrimBox"), _box(page.obj, "/BleedBox")
    if trim is None:
        add("P003", number)
    if bleed is None:
        add("P004", number)
    if trim is None:
        return
    width, height = (trim[2] - trim[0]) / PT_PER_MM, (trim[3] - trim[1]) / PT_PER_MM
    if rules.trim and rules.kind != "cover":
        want_width, want_height = rules.trim
        if abs(width - want_width) > TOLERANCE_MM or abs(height - want_height) > TOLERANCE_MM:
            add("P005", number, width=width, height=height, trim_width=want_width, trim_height=want_height)
    if rules.kind == "cover" and number == 1:
        _check_spine(width, rules, add)
    if bleed is not None:
        gaps = [(trim[0] - bleed[0]), (trim[1] - bleed[1]), (bleed[2] - trim[2]), (bleed[3] - trim[3])]
        gaps = [g / PT_PER_MM for g in gaps]
        if any(abs(g - rules.bleed) > TOLERANCE_MM for g in gaps):
            found = "/".join(f"{g:.2f}" for g in gaps)
            add("P004.bleed", number, found=found, bleed=rules.bleed)


def _check_spine(sheet_width: float, rules: Rules, add) -> None:  # noqa: ANN001
    if rules.spine is None:
        add("P010")
        return
    cover_width = (rules.trim[0] - rules.spine) / 2
    spine = sheet_width - 2 * cover_width
    if abs(spine - rules.spine) > TOLERANCE_MM:
        leaves = -(-rules.interior_pages // 2)
        pages, caliper = rules.interior_pages, rules.caliper
        add("P010.spine", spine=spine, pages=pages, needed=rules.spine, leaves=leaves, caliper=caliper)


def _check_font(font: pikepdf.Object, number: int, add) -> None:  # noqa: ANN001
    name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
    if font.get("/Subtype") == Name.Type3:
        return  # drawn from glyph procedures inside the PDF: nothing to embed
    described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = described.get("/FontDescriptor")
    embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    if not embedded:
        add("P001", number, font=name)
    elif not (len(name) > 7 and name[6] == "+" and name[:6].isupper() and name[:6].isalpha()):
        add("P002", number, warning=True, font=name)


def _is_rgb(space: pikepdf.Object | None) -> bool:
    if space is None:
        return False
    if isinstance(space, pikepdf.Array) and len(space):
        family = space[0]
        if family == Name.ICCBased:
            return int(space[1].get("/N", 0)) == 3
        if family == Name.Indexed:
            return _is_rgb(space[1])
        return family in RGB_SPACES
    return space in RGB_SPACES


def _check_image(image: pikepdf.Object, scale: tuple[float, float], number: int, add, first: bool) -> None:  # noqa: ANN001
    pixels = (int(image.get("/Width", 0)), int(image.get("/Height", 0)))
    if first and _is_rgb(image.get("/ColorSpace")):
        add("P007", number, width=pixels[0], height=pixels[1])
    if image.get("/ImageMask", False) or not all(scale):
        return
    ppi = min(p / (s / 72) for p, s in zip(pixels, scale, strict=True))
    if ppi < PRINT_PPI - 1:
        add("P008", number, warning=True, width=pixels[0], height=pixels[1], ppi=ppi, wanted=PRINT_PPI)


def _check_document(pdf: pikepdf.Pdf, pages: int, rules: Rules, add) -> None:  # noqa: ANN001
    if rules.kind in PRESS_KINDS:
        intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == Name.GTS_PDFX]
        profile = intents[0].get("/DestOutputProfile") if intents else None
        if not intents:
            add("P006")
        elif profile is None or int(profile.get("/N", 0)) != 4:
            add("P006.profile")
    if rules.signature and pages % rules.signature:
        padding = -pages % rules.signature
        add("P009", pages=pages, signature=rules.signature, short=padding)
    if rules.kind == "screen":
        if "/StructTreeRoot" not in pdf.Root or not pdf.Root.get("/MarkInfo", {}).get("/Marked", False):
            add("P011")
        if not str(pdf.docinfo.get("/Title", "")).strip():
            add("P011.title")
        if not str(pdf.Root.get("/Lang", "")).strip():
            add("P011.language")


def _box(page: pikepdf.Object, key: str) -> list[float] | None:
    if key not in page:
        return None
    x0, y0, x1, y1 = (float(v) for v in page[key])
    return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]


def _used(
    content: pikepdf.Object, resources: pikepdf.Object | None, ctm: tuple[float, ...], depth: int = 0
) -> Iterator[tuple[str, pikepdf.Object, tuple[float, float]]]:
    """Every font and image a content stream uses, with each image's placed size in points, following
    form XObjects and tiling patterns.

    Only an image's size needs the graphics state, so a stream that places no image, itself or through the
    forms and patterns it draws (a page of text), is read for the names it uses instead of being parsed
    operator by operator: about six times faster, with the same fonts found (tests/test_print.py)."""
    if resources is None or depth > 8:
        return
    named = _named(content)
    if any(_places_image(resources, name, op, depth) for name, op in named):
        yield from _placed(content, resources, ctm, depth)
        return
    for name, op in named:
        if op == "Tf":
            font = resources.get("/Font", {}).get(name)
            if font is not None:
                yield "font", font, (0.0, 0.0)
        elif op == "Do":
            xobject = resources.get("/XObject", {}).get(name)
            if xobject is not None and xobject.get("/Subtype") == Name.Form:
                yield from _used(xobject, xobject.get("/Resources", resources), ctm, depth + 1)
        else:
            pattern = resources.get("/Pattern", {}).get(name)
            if pattern is not None and pattern.get("/PatternType") == 1:
                yield from _used(pattern, pattern.get("/Resources", resources), ctm, depth + 1)


# A name operand right before Tf (after which comes the size), Do, or scn/SCN (the pattern's name is last).
NAMED = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+(?:[-+]?(?:\d+\.?\d*|\.\d+)\s+)?(Tf|Do|scn|SCN)(?![^\s/\[\]()<>{}%])")


def _named(content: pikepdf.Object) -> list[tuple[str, str]]:
    """The (name, operator) of every Tf, Do, scn and SCN in a page's or a form's content stream. A name
    inside a text string can be taken for one too: it only makes a font or a form that exists be checked."""
    return [("/" + _unescape(name), op.decode()) for name, op in NAMED.findall(content_bytes(content))]


def _unescape(name: bytes) -> str:
    return re.sub(rb"#([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]), name).decode("latin-1")


def _places_image(resources: pikepdf.Object, name: str, op: str, depth: int) -> bool:
    """Whether drawing `name` with `op` places an image, itself or through the forms and patterns it draws."""
    if op == "Tf" or depth > 8:
        return False
    if op == "Do":
        drawn = resources.get("/XObject", {}).get(name)
        if drawn is None:
            return False
        if drawn.get("/Subtype") == Name.Image:
            return True
        if drawn.get("/Subtype") != Name.Form:
            return False
    else:
        drawn = resources.get("/Pattern", {}).get(name)
        if drawn is None or drawn.get("/PatternType") != 1:
            return False
    inner = drawn.get("/Resources", resources)
    return any(_places_image(inner, n, o, depth + 1) for n, o in _named(drawn))


def _placed(
    content: pikepdf.Object, resources: pikepdf.Object, ctm: tuple[float, ...], depth: int
) -> Iterator[tuple[str, pikepdf.Object, tuple[float, float]]]:
    """`_used` for a stream that places images: parsed operator by operator, following the graphics state."""
    stack = []
    for operands, operator in pikepdf.parse_content_stream(content, "q Q cm Tf Do scn SCN"):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "Tf":
            font = resources.get("/Font", {}).get(operands[0])
            if font is not None:
                yield "font", font, (0.0, 0.0)
        elif op == "Do":
            xobject = resources.get("/XObject", {}).get(operands[0])
            if xobject is None:
                continue
            if xobject.get("/Subtype") == Name.Image:
                yield "image", xobject, (math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3]))
            elif xobject.get("/Subtype") == Name.Form:
                matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                yield from _used(xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm), depth + 1)
        elif op in ("scn", "SCN") and operands and isinstance(operands[-1], Name):
            pattern = resources.get("/Pattern", {}).get(operands[-1])
            if pattern is not None and pattern.get("/PatternType") == 1:
                matrix = tuple(float(v) for v in pattern.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                yield from _used(pattern, pattern.get("/Resources", resources), matrix, depth + 1)


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m x n for PDF matrices [a b c d e f] (row vectors, as `cm` concatenates)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def trim_problems(pdf: Path | bytes) -> Iterator[TrimProblem]:
    """What is drawn past the trim of each page of `pdf` (a file, or its bytes) and not meant to be: (page,
    catalogue key, values).

    Each object pdfium finds on a page (text, path, image; inside forms too) is measured where it shows, its
    bounds cut by its clipping path. Meant to cross the trim are the printer's marks (paths wholly outside the
    bleed box) and what bleeds: a picture or a fill that runs exactly to the bleed edge on each side where it
    crosses the trim, as a bleed picture and a cover's background do. Anything else past the trim is an
    accident: a picture at its natural size, a wide table, a designer's negative margin."""
    document = pypdfium2.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        for number in range(len(document)):
            page = document[number]
            trim, bleed = page.get_trimbox(), page.get_bleedbox()
            for obj in page.get_objects(max_depth=8):
                if obj.type == pdfium.FPDF_PAGEOBJ_FORM:
                    continue  # its objects are measured one by one
                box = _shown(obj)
                by = _past(box, trim) if box is not None else 0.0
                if by <= TRIM_TOLERANCE_PT:
                    continue
                if obj.type == pdfium.FPDF_PAGEOBJ_PATH and _outside(box, bleed):
                    continue  # crop and registration marks
                if obj.type != pdfium.FPDF_PAGEOBJ_TEXT and _bleeds(box, trim, bleed):
                    continue
                by_mm = by / PT_PER_MM
                if obj.type == pdfium.FPDF_PAGEOBJ_TEXT:
                    yield number + 1, "P101.text", {"by": by_mm}
                elif obj.type == pdfium.FPDF_PAGEOBJ_IMAGE:
                    width, height = obj.get_px_size()
                    yield number + 1, "P101.image", {"by": by_mm, "width": width, "height": height}
                else:
                    yield number + 1, "P101", {"by": by_mm}
            page.close()
    finally:
        document.close()


def trim_facts(problems: list[TrimProblem]) -> list[list]:
    """`problems` as plain facts, for the cache: [page, key, mm past the trim, the image's width, height]."""
    return [[page, key, values["by"], values.get("width"), values.get("height")] for page, key, values in problems]


def trim_from_facts(facts: object, pages: int) -> list[TrimProblem] | None:
    """The problems `trim_facts` wrote, or None when `facts` are not such problems on `pages` pages: a key of
    the trim's, a page of them, a length, and an image's size in pixels exactly when the problem is an image's.
    Only those values are taken, so nothing else of a cache entry reaches a report."""
    if not fits(facts, [(int, str, {float, int}, {int, None}, {int, None})]):
        return None
    problems: list[TrimProblem] = []
    for page, key, by, width, height in facts:
        image = key == "P101.image"
        if key not in ("P101", "P101.text", "P101.image") or not 1 <= page <= pages:
            return None
        if image != (width is not None) or image != (height is not None):
            return None
        values = {"by": float(by), "width": width, "height": height} if image else {"by": float(by)}
        problems.append((page, key, values))
    return problems


def _shown(obj: pypdfium2.PdfObject) -> tuple[float, float, float, float] | None:
    """Where an object shows on its page: its bounds cut by its clipping path (None when nothing shows)."""
    left, bottom, right, top = obj.get_bounds()
    clip = pdfium.FPDFPageObj_GetClipPath(obj)
    for index in range(pdfium.FPDFClipPath_CountPaths(clip) if clip else 0):
        xs, ys = [], []
        for segment in range(pdfium.FPDFClipPath_CountPathSegments(clip, index)):
            x, y = ctypes.c_float(), ctypes.c_float()
            pdfium.FPDFPathSegment_GetPoint(pdfium.FPDFClipPath_GetPathSegment(clip, index, segment), x, y)
            xs.append(x.value)
            ys.append(y.value)
        if xs:
            left, bottom, right, top = max(left, min(xs)), max(bottom, min(ys)), min(right, max(xs)), min(top, max(ys))
    return (left, bottom, right, top) if left < right and bottom < top else None


def _past(box: tuple[float, ...], trim: tuple[float, ...]) -> float:
    """How far (in points) `box` reaches past the trim on its farthest side."""
    return max(trim[0] - box[0], trim[1] - box[1], box[2] - trim[2], box[3] - trim[3])


def _outside(box: tuple[float, ...], bleed: tuple[float, ...]) -> bool:
    tolerance = TRIM_TOLERANCE_PT
    return (
        box[2] <= bleed[0] + tolerance
        or box[0] >= bleed[2] - tolerance
        or box[3] <= bleed[1] + tolerance
        or box[1] >= bleed[3] - tolerance
    )


def _bleeds(box: tuple[float, ...], trim: tuple[float, ...], bleed: tuple[float, ...]) -> bool:
    """Whether `box` stays inside the bleed box and runs exactly to its edge wherever it crosses the trim."""
    tolerance = TRIM_TOLERANCE_PT
    if _past(box, bleed) > tolerance:
        return False
    crossing = (box[0] < trim[0] - tolerance, box[1] < trim[1] - tolerance, box[2] > trim[2] + tolerance,
                box[3] > trim[3] + tolerance)  # fmt: skip
    edges = (abs(box[0] - bleed[0]), abs(box[1] - bleed[1]), abs(box[2] - bleed[2]), abs(box[3] - bleed[3]))
    return all(edge <= tolerance for edge, crosses in zip(edges, crossing, strict=True) if crosses)


# -- text reversed out of several inks (the cover) -----------------------------------------------------------

REVERSED_MIN_PT = 9.0  # under this, text knocked out of several inks fills in where the plates miss
INK = 0.1  # an ink counts in a background from 10%
INKS = "CMYK"


def reversed_text(page: pikepdf.Page) -> list[tuple[str, float, str]]:
    """Text under REVERSED_MIN_PT on `page` that is reversed out of a background built from two or more
    inks: (the text, its size in points, the background's inks such as "CMYK").

    Light text on such a background is paper showing through a hole in every plate, and the plates never
    meet exactly: a hair's misregistration fills the thin strokes of small letters (and Thai's vowel and
    tone marks) with colour. Reversed means the text carries less than half the background's ink; the
    background is the last shape filled or picture placed before the text that holds the text's starting
    point (a picture counts with its mean ink)."""
    found: dict[tuple[str, str], float] = {}
    for text, size, colour, background in _texts_on_fills(page.obj, page.obj.get("/Resources"), IDENTITY, 0):
        if size >= REVERSED_MIN_PT or background is None:
            continue
        inks = "".join(name for name, value in zip(INKS, background, strict=True) if value >= INK)
        if len(inks) >= 2 and sum(colour) < sum(background) / 2 and text.strip():
            key = (" ".join(text.split()), inks)
            found[key] = min(found.get(key, size), size)
    return [(text, round(size, 1), inks) for (text, inks), size in found.items()]


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
FILLS = frozenset({"f", "F", "f*", "B", "B*", "b", "b*"})


def _texts_on_fills(
    content: pikepdf.Object, resources: pikepdf.Object | None, ctm: tuple[float, ...], depth: int, fills=None
) -> Iterator[tuple[str, float, tuple[float, ...], tuple[float, ...] | None]]:
    """Each text run of a content stream, with forms followed: (its text, its size in points, its fill colour
    as CMYK, the CMYK of the fill under its starting point or None)."""
    fills = [] if fills is None else fills  # (box, cmyk) in the order drawn
    resources = resources if resources is not None else pikepdf.Dictionary()
    stack: list[tuple] = []
    colour: tuple[float, ...] = (0.0, 0.0, 0.0, 1.0)
    path: list[tuple[float, float]] = []
    matrix, line, font, size, actual = IDENTITY, IDENTITY, None, 0.0, None
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "q":
            stack.append((ctm, colour))
        elif op == "Q" and stack:
            ctm, colour = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "k" and len(operands) == 4:
            colour = tuple(float(v) for v in operands)
        elif op == "g" and len(operands) == 1:
            colour = (0.0, 0.0, 0.0, 1 - float(operands[0]))
        elif op == "scn" and operands and isinstance(operands[-1], Name):  # a picture as a background
            colour = _pattern_ink(resources.get("/Pattern", {}).get(operands[-1]))
        elif op == "re" and len(operands) == 4:
            x, y, w, h = (float(v) for v in operands)
            path += [_point(x, y, ctm), _point(x + w, y + h, ctm), _point(x, y + h, ctm), _point(x + w, y, ctm)]
        elif op in ("m", "l", "c", "v", "y") and len(operands) >= 2:
            path.append(_point(float(operands[-2]), float(operands[-1]), ctm))
        elif op in FILLS or op in ("n", "S", "s"):
            if op in FILLS and path:
                xs, ys = [p[0] for p in path], [p[1] for p in path]
                fills.append(((min(xs), min(ys), max(xs), max(ys)), colour))
            path = []
        elif op == "BT":
            matrix = line = IDENTITY
        elif op == "Tf" and len(operands) == 2:
            font, size = resources.get("/Font", {}).get(operands[0]), float(operands[1])
        elif op == "Tm" and len(operands) == 6:
            matrix = line = tuple(float(v) for v in operands)
        elif op in ("Td", "TD") and len(operands) == 2:
            matrix = line = _multiply((1, 0, 0, 1, float(operands[0]), float(operands[1])), line)
        elif op == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
            actual = operands[1].get("/ActualText")
        elif op == "EMC":
            actual = None
        elif op in ("Tj", "TJ", "'", '"'):
            placed = _multiply(matrix, ctm)
            x, y = placed[4], placed[5]
            under = next((c for box, c in reversed(fills) if box[0] <= x <= box[2] and box[1] <= y <= box[3]), None)
            text = str(actual) if actual is not None else _decoded(font, operands)
            yield text, size * math.hypot(placed[2], placed[3]), colour, under
        elif op == "Do" and depth < 8:
            xobject = resources.get("/XObject", {}).get(operands[0])
            if xobject is not None and xobject.get("/Subtype") == Name.Form:
                form = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                inner = xobject.get("/Resources", resources)
                yield from _texts_on_fills(xobject, inner, _multiply(form, ctm), depth + 1, fills)
            elif xobject is not None and xobject.get("/Subtype") == Name.Image:
                corners = [_point(x, y, ctm) for x in (0, 1) for y in (0, 1)]
                xs, ys = [c[0] for c in corners], [c[1] for c in corners]
                fills.append(((min(xs), min(ys), max(xs), max(ys)), _mean_ink(xobject)))


def _pattern_ink(pattern: pikepdf.Object | None) -> tuple[float, ...]:
    """The mean ink of the first picture a tiling pattern draws (how WeasyPrint paints a background image)."""
    for xobject in ((pattern.get("/Resources") or {}).get("/XObject") or {}).values() if pattern is not None else ():
        if xobject.get("/Subtype") == Name.Image:
            return _mean_ink(xobject)
        if xobject.get("/Subtype") == Name.Form:
            return _pattern_ink(xobject)
    return (0.0, 0.0, 0.0, 0.0)


def _mean_ink(image: pikepdf.Object) -> tuple[float, ...]:
    """The mean CMYK of a picture as a background (a grey one is black ink; other spaces count as none)."""
    try:
        picture = pikepdf.PdfImage(image).as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, ValueError):
        return (0.0, 0.0, 0.0, 0.0)
    if picture.mode == "L":
        return (0.0, 0.0, 0.0, 1 - ImageStat.Stat(picture).mean[0] / 255)
    if picture.mode != "CMYK":
        return (0.0, 0.0, 0.0, 0.0)
    return tuple(v / 255 for v in ImageStat.Stat(picture).mean)


def _point(x: float, y: float, m: tuple[float, ...]) -> tuple[float, float]:
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


def _decoded(font: pikepdf.Object | None, operands: list) -> str:
    """A text run's characters through its font's ToUnicode map (two-byte codes, as WeasyPrint writes them)."""
    if font is None or "/ToUnicode" not in font:
        return ""
    cmap = _unicode_map(font.ToUnicode.read_bytes())
    strings = [o for operand in operands for o in (operand if isinstance(operand, pikepdf.Array) else [operand])]
    codes = b"".join(bytes(o) for o in strings if isinstance(o, pikepdf.String))
    return "".join(cmap.get(int.from_bytes(codes[i : i + 2], "big"), "") for i in range(0, len(codes) - 1, 2))


def _unicode_map(data: bytes) -> dict[int, str]:
    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            found[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(start, 16)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                found[code] = chr(base + offset)
    return found
