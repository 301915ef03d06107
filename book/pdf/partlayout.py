"""Laying out one part of the print edition (see `book/pdf/parts.py`), and the folio layer that numbers the joined
pages.

A part is laid out without its folios: every margin box whose content counts pages is left out, and the rest
(the running heads) is drawn as usual. Once every part's pages are known, the folio layer is laid out from the
same stylesheet: one empty page for each page of the book, of the same side, name and blankness, with only
the margin boxes that count pages, so each folio lands exactly where one layout of the whole book would have
drawn it. The folio layer is then laid over the parts' pages (`book/pdf/joining.py`).

Everything a part's layout gives back is plain data (`LaidOutPart`): it crosses from a worker process to the
build and is kept in the cache. Which margin boxes a layout makes, a page's shape and the PDF/X-4 metadata come
from the engine (`book/engine/margins.py`, `book/engine/xmp.py`); the rest is WeasyPrint's public API.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

import pikepdf
from pikepdf import Name
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration

from ..diagnostics import Diagnostic
from ..engine import (
    PageStart,
    floats,
    fontsubset,
    justify,
    margins,
    page_starts,
    pango,
    pdf_x4_packet,
    sides,
    textlayer,
)
from ..project import Book, gate, page_geometry
from ..scheduler import Cache, digest, fits
from ..thai import collapse_spaces, mark_for_print
from .numbering import front_folios_css
from .parts import Part, Parts, with_folios
from .preflighting import TrimProblem, trim_facts, trim_from_facts, trim_problems
from .prepress import CmykConversion, PrintSettings, press_pages, print_settings, screen_pages

if TYPE_CHECKING:
    from weasyprint.pdf.metadata import DocumentMetadata


@dataclass(frozen=True)
class PageShape:
    """What decides a page's margin boxes besides its content: its side, whether it is blank, its name."""

    side: str
    blank: bool
    name: str


@dataclass
class LaidOutPart:
    """One part laid out: its pages' shapes, anchors and starts, and its PDF in each variant asked for."""

    id: str
    key: str
    shapes: list[PageShape]
    anchors: list[list[str]]  # the anchors on each page, in order
    starts: list[PageStart]  # where each page with text begins (`number` counts from the part's first page)
    pdfs: dict[str, bytes] = field(default_factory=dict)  # variant ("print", "screen") -> the part's PDF
    faked: tuple[str, ...] = ()  # anchors added so that links to other parts survive (the contents')
    warnings: list[Diagnostic] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)  # its texts' break entries: kept as long as the part
    fills: list[float] = field(default_factory=list)  # how full each page is (`book/engine/floats.py`)
    holes: list[int] = field(default_factory=list)  # pages left under-filled before a figure that could not move
    moved: str = ""  # its HTML with the figures where its layout moved them: where a layout on the other side starts
    ending: str = ""  # the rules its chapter's short ending took (`_ended`), which a layout on the other side takes
    trim: list[TrimProblem] = field(default_factory=list)  # what its print pages draw past the trim (preflight)

    @property
    def pages(self) -> int:
        return len(self.shapes)

    def entry(self) -> tuple[dict, dict[str, bytes]]:
        """The part as plain facts and files, for the cache (`book/scheduler/cache.py`)."""
        facts = {
            "id": self.id,
            "key": self.key,
            "shapes": [[s.side, s.blank, s.name] for s in self.shapes],
            "anchors": self.anchors,
            "starts": [[s.number, s.label, s.anchor, s.offset, s.text] for s in self.starts],
            "faked": list(self.faked),
            "warnings": [[d.file, d.line, d.code, d.message, d.col, d.severity, d.message_th] for d in self.warnings],
            "breaks": self.breaks,
            "fills": self.fills,
            "holes": self.holes,
            "moved": self.moved,
            "ending": self.ending,
            "trim": trim_facts(self.trim),
        }
        return facts, dict(self.pdfs)

    @staticmethod
    def fits(facts: dict, files: dict[str, bytes]) -> bool:
        """Whether a cache entry holds a part as `entry` writes it: facts of the right types, an anchor list
        for each page, and PDFs for files (anything else is laid out again)."""
        optional_int, optional_str = {int, None}, {str, None}
        shape = {
            "id": str,
            "key": str,
            "shapes": [(str, bool, str)],
            "anchors": [[str]],
            "starts": [(int, str, optional_str, int, str)],
            "faked": [str],
            "warnings": [(str, optional_int, str, str, optional_int, str, optional_str)],
            "breaks": [str],
            "fills": [float],
            "holes": [int],
            "moved": str,
            "ending": str,
        }
        return (
            fits(facts, shape)
            and trim_from_facts(facts.get("trim"), len(facts["shapes"])) is not None
            and len(facts["anchors"]) == len(facts["shapes"])
            and all(1 <= start[0] <= len(facts["shapes"]) for start in facts["starts"])
            and all(pdf.startswith(b"%PDF-") for pdf in files.values())
        )

    @classmethod
    def from_entry(cls, facts: dict, files: dict[str, bytes]) -> LaidOutPart:
        return cls(
            facts["id"],
            facts["key"],
            [PageShape(*shape) for shape in facts["shapes"]],
            facts["anchors"],
            [PageStart(*start) for start in facts["starts"]],
            dict(files),
            tuple(facts["faked"]),
            [Diagnostic(*d) for d in facts["warnings"]],
            list(facts["breaks"]),
            list(facts["fills"]),
            list(facts["holes"]),
            facts["moved"],
            facts["ending"],
            trim_from_facts(facts["trim"], len(facts["shapes"])) or [],
        )


class _Layouts:
    """What every layout in one process shares: the hooks, the parsed stylesheet and the loaded fonts."""

    def __init__(self, book: Book, parts: Parts) -> None:
        textlayer.install()
        fontsubset.install()
        pango.install()
        justify.install()
        margins.install()
        sides.install()
        self.fingerprint = parts.fingerprint
        self.settings = print_settings(book)
        self.bottom = page_geometry(book.config).margins["bottom"]  # mm: where a chapter's ending moves it
        self.base_url = str(parts.assets) + "/"
        self.gate = gate(book)
        self.fonts = FontConfiguration()
        self.counters = CounterStyle()  # the book's @counter-style rules (folio, front-folio) live here
        self.css = self.stylesheet(parts.css)

    def warm(self, press: bool) -> None:
        """Make what is otherwise made when first wanted (before worker processes are forked, which then
        share it): the blank page, and for the `press` the colour transforms into its profile (0.04 s)."""
        self.blank  # noqa: B018
        if press:
            CmykConversion(self.settings.profile)

    @cached_property
    def blank(self):  # noqa: ANN201 - a WeasyPrint Page
        """A blank left page, to end a part of an odd number of pages: laid out when first wanted (a rebuild
        of one part of an even number of pages does without it)."""
        blank = '<div></div><div style="break-before: right"></div>'  # its second page is a blank left page
        return self.render(f"<!DOCTYPE html><html><body>{blank}</body></html>").pages[1]

    def stylesheet(self, css: str) -> CSS:
        return CSS(
            string=css,
            base_url=self.base_url,
            url_fetcher=self.gate,
            font_config=self.fonts,
            counter_style=self.counters,
        )

    def render(self, html: str, only: str | None = "text", extra_css: str = ""):  # noqa: ANN201 - a Document
        """Lay out `html` with the book's stylesheet (and `extra_css` after it, of the same origin)."""
        stylesheets = [self.css]
        if extra_css:
            stylesheets.append(self.stylesheet(extra_css))
        with margins.only(only):
            return HTML(string=html, base_url=self.base_url, url_fetcher=self.gate).render(
                stylesheets=stylesheets, font_config=self.fonts, counter_style=self.counters
            )


_shared: dict[str, _Layouts] = {}


def _layouts(book: Book, parts: Parts) -> _Layouts:
    """The layouts of `parts`, kept while their fingerprint stays the same: a process that builds again
    (`build.py watch`) keeps its loaded stylesheet and fonts. What the gate refuses goes to `book`, the book
    of the build laying out now."""
    if parts.fingerprint not in _shared:
        _shared.clear()
        _shared[parts.fingerprint] = _Layouts(book, parts)
    layouts = _shared[parts.fingerprint]
    layouts.gate.book = book
    return layouts


def lay_out_part(
    book: Book,
    parts: Parts,
    part: Part,
    key: str,
    variants: tuple[str, ...],
    folios: dict[str, str] | None = None,
    pad: bool = False,
    cache: Cache | None = None,
    side: str = "right",
    moved: str = "",
    ending: str = "",
    facing: str = "",
    where: Callable[[int], str | None] | None = None,
) -> LaidOutPart:
    """Lay out `part` alone, its first page on `side`, and write it as a PDF in each of `variants`.

    When it is to `pad` (the next part opens on the right), a part that ends on a right-hand page gets a blank
    left page at its end. `folios` (slug -> folio) are the contents' page numbers. `moved` and `ending` are
    those of the same part (the same HTML and folios) laid out on the other side: its figures start where
    that layout moved them, and its chapter ends as that one did. The text block has the same size on both
    sides, so the figures' moves and the ending hold on either: the layout on the other side is one layout,
    not one more for each figure that moves and up to two for a short ending.

    `where`, if given, is told the part's page count once it is laid out, and says the side the part opens
    on, if that is known by then. When `side` is a guess (the parts before it were not all laid out yet) and
    the part opens on the other side, it is turned to it (`book/engine/sides.py`), or laid out again there
    when its layout depends on the side, and written there under the key `facing`.
    """
    layouts = _layouts(book, parts)
    warned = len(book.warnings)
    html = with_folios(part.html, folios) if folios else part.html
    marked, breaks = _marked(book, html, parts, cache)
    side_css = _SIDE_CSS if side == "left" else ""
    if moved:
        floated = moved
        document = layouts.render(moved, extra_css=side_css + "\n" + ending)
    else:
        document, floated = _floated(layouts, floats.marked_floats(marked), side_css)
        if part.pages[0].chapter is not None:  # a chapter, or front or back matter written as one
            document, ending = _ended(layouts, floated, side_css, document)
    known = where(len(document.pages)) if where is not None else None
    if facing and known not in (None, side):
        with margins.only("text"):
            turned = sides.turned(document)
        document = turned or layouts.render(floated, extra_css=(_SIDE_CSS if known == "left" else "") + "\n" + ending)
        side, key = known, facing
    if pad and (len(document.pages) + (side == "left")) % 2:
        document = document.copy([*document.pages, layouts.blank])
    faked = _keep_links(document)
    laid = LaidOutPart(
        part.id,
        key,
        [PageShape(*margins.page_shape(page)) for page in document.pages],
        [list(page.anchors) for page in document.pages],
        page_starts(document),
        faked=faked,
        breaks=breaks,
        fills=[round(fill, 3) for fill in floats.page_fills(document)],
        holes=[hole.page for hole in floats.holes(document)],
        moved=floated,
        ending=ending,
    )
    if variants:  # one tagged write serves both editions: the print one is made from it (see `_finished`)
        tagged = document.write_pdf(pdf_variant="pdf/ua-1")
        for variant in variants:
            laid.pdfs[variant] = _finished(tagged, variant, layouts.settings, document.metadata)
        if "print" in laid.pdfs:  # checked here, once, rather than in the joined book at each build
            laid.trim = list(trim_problems(laid.pdfs["print"]))
    laid.warnings = book.warnings[warned:]
    return laid


# A part that opens on a left-hand page (after a part of odd length, when chapters open on any page).
_SIDE_CSS = "html { break-before: left; }"


def _floated(layouts: _Layouts, html: str, css: str = "") -> tuple:
    """The part laid out (a WeasyPrint Document) with each figure that left a hole before it moved on past the
    text that fills the hole (`book/engine/floats.py`), one figure at a time, at most `ROUNDS` times; and its
    HTML with the figures moved."""
    document = layouts.render(html, extra_css=css)
    for _ in range(floats.ROUNDS):
        changed = next(filter(None, (floats.moved(html, hole) for hole in floats.holes(document))), None)
        if changed is None:
            break
        html = changed
        document = layouts.render(html, extra_css=css)
    return document, html


def _ended(layouts: _Layouts, html: str, css: str, document):  # noqa: ANN001, ANN202 - WeasyPrint Documents
    """A chapter whose last page holds `SHORT` lines or fewer, laid out again with the pages before it one
    line longer, when that takes the lines back (a page saved), else one line shorter, when that gives the last
    page more than `SHORT` lines; as it was when neither does. With the rules it took ("" for none)."""
    text = floats.text_pages(document.pages)  # a page-sized figure after the last lines leaves them the ending
    if len(text) < 2 or not 0 < floats.last_lines(text) <= floats.SHORT:
        return document, ""
    longer = floats.ending_css(text, layouts.bottom, longer=True)
    tighter = layouts.render(html, extra_css=css + "\n" + longer)
    if len(tighter.pages) < len(document.pages):
        return tighter, longer
    shorter = floats.ending_css(text, layouts.bottom, longer=False)
    looser = layouts.render(html, extra_css=css + "\n" + shorter)
    if len(looser.pages) == len(document.pages) and floats.last_lines(floats.text_pages(looser.pages)) > floats.SHORT:
        return looser, shorter
    return document, ""


def _marked(book: Book, html: str, parts: Parts, cache: Cache | None) -> tuple[str, list[str]]:
    """The part's HTML with Thai break opportunities marked (`book/thai/breaking.py`), taking every text
    marked before from the cache: after an edit, only the edited paragraphs are segmented. Each text is an
    entry of its own, keyed by the text and the parts' fingerprint (the toolkit, PyThaiNLP, the protected
    words...): what a text's marks depend on, and nothing else (not which part it was in). Also the keys of
    those entries, which a build keeps while the part is in the book (`Cache.keep`)."""
    if cache is None:
        return mark_for_print(html, book.break_policy), []
    known = _KnownBreaks(cache, parts.fingerprint)
    used: dict[str, str] = {}
    marked = mark_for_print(html, book.break_policy, known, used)
    keys = []
    for text, marks in used.items():
        if marks != text:  # a text without marks is marked again in no time
            keys.append(known.key(text))
            if text not in known.found:
                cache.put("breaks", keys[-1], {"text": text, "marked": marks})
    return marked, keys


class _KnownBreaks:
    """The texts marked before, as `mark_for_print` asks for them (`get`): each read from its cache entry,
    and taken only if it is that text with marks added."""

    def __init__(self, cache: Cache, fingerprint: str) -> None:
        self.cache = cache
        self.fingerprint = fingerprint
        self.found: set[str] = set()

    def key(self, text: str) -> str:
        return digest("breaks", self.fingerprint, text)

    def get(self, text: str) -> str | None:
        entry = self.cache.get("breaks", self.key(text), lambda facts, _: _marks_of(facts, text))
        if entry is None:
            return None
        self.found.add(text)
        return entry[0]["marked"]

    def __bool__(self) -> bool:
        return True


def _marks_of(facts: dict, text: str) -> bool:
    """Whether a break entry holds `text` and `text` marked: the same characters, with break opportunities
    (U+200B) added and spaces made no-break ones (U+00A0), as `BreakPolicy.for_print` marks it."""
    if not fits(facts, {"text": str, "marked": str}) or facts["text"] != text:
        return False
    return _unmarked(facts["marked"]) == _unmarked(text)


def _unmarked(text: str) -> str:
    return collapse_spaces(text).replace("\u200b", "").replace("\u00a0", " ")


def _keep_links(document: object) -> tuple[str, ...]:
    """Anchors for the links that point into other parts (the contents' entries), placed on the link's own
    page so WeasyPrint keeps the link; the join points them at the true anchors."""
    anchors = {name for page in document.pages for name in page.anchors}
    faked = []
    for page in document.pages:
        for kind, target, _, _ in page.links:
            if kind == "internal" and target not in anchors:
                page.anchors[target] = (0, 0, 0, 0)
                anchors.add(target)
                faked.append(target)
    return tuple(faked)


@dataclass
class FolioLayer:
    """A part's folio layer: its PDF in each variant asked for, and what its print pages draw past the trim (a
    book's stylesheet can set a folio out there, where the joined page clips it away: `Interior.trim_problems`)."""

    pdfs: dict[str, bytes]
    trim: list[TrimProblem] = field(default_factory=list)


def folio_layer(
    book: Book, parts: Parts, shapes: list[PageShape], start: int, front: bool, variants: tuple[str, ...]
) -> FolioLayer:
    """For each of `variants`, a PDF with one page for each of a part's page `shapes` that holds only the
    page's folio, where and as the book's stylesheet draws it: the first page numbered `start`, in the front
    matter's numbering when `front` (see `book/pdf/numbering.py`). Finished like the parts' pages, without
    printer's marks (the parts have them); the print pages checked for the trim as a part's are."""
    layouts = _layouts(book, parts)
    divs = []
    for index, shape in enumerate(shapes):
        if shape.blank:
            continue  # made by the break before the next page, as in the book
        style = f"page: {shape.name or 'auto'}" + (f"; break-before: {shape.side}" if index else "")
        divs.append(f'<div style="{style}"></div>')
    divs.append('<div style="break-before: right"></div>')  # makes a blank last page; its own page is dropped
    html = f"<!DOCTYPE html><html><body>{''.join(divs)}</body></html>"
    css = f"@page :nth(1) {{ counter-reset: page {start}; }}\n" + (front_folios_css() if front else "")
    if shapes and shapes[0].side == "left":
        css += "\n" + _SIDE_CSS
    document = layouts.render(html, only="folios", extra_css=css)
    document = document.copy(document.pages[: len(shapes)])
    made = [margins.page_shape(page) for page in document.pages]
    wanted = [(s.side, s.blank, s.name) for s in shapes]
    if made != wanted:  # the skeleton must give the part's pages one for one
        raise RuntimeError(f"the folio layer has pages {made} where the part has {wanted}")
    data = document.write_pdf()
    pdfs = {variant: _finished(data, variant, layouts.settings, marks=False) for variant in variants}
    return FolioLayer(pdfs, list(trim_problems(pdfs["print"])) if "print" in pdfs else [])


def _finished(
    data: bytes, variant: str, settings: PrintSettings, metadata: DocumentMetadata | None = None, marks: bool = True
) -> bytes:
    """A part's PDF with its pages ready for the press (print) or cut to the trim (screen). From the tagged
    PDF/UA file of a part (with its `metadata`), the print edition's part is a PDF/X-4 file: see `_as_pdf_x4`."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if variant == "print":
            if metadata is not None:
                _as_pdf_x4(pdf, metadata)
            press_pages(pdf, settings, marks=marks)
        else:
            screen_pages(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer, force_version="1.6" if variant == "print" else None)
    return buffer.getvalue()


def _as_pdf_x4(pdf: pikepdf.Pdf, metadata: DocumentMetadata) -> None:
    """What WeasyPrint's `pdf/x-4` variant writes instead of its `pdf/ua-1` one: no structure tree (a press
    has no reader to read it to), the PDF/X-4 identification in the XMP metadata, `Trapped` false and PDF 1.6
    (set when saved). The pages' content is what both variants draw, so one write makes both editions."""
    for key in ("/StructTreeRoot", "/MarkInfo"):
        if key in pdf.Root:
            del pdf.Root[key]
    for page in pdf.pages:
        if "/StructParents" in page.obj:
            del page.obj.StructParents
    now = datetime.now().astimezone()
    if not metadata.modified:  # as the pdf/x-4 variant does: PDF/X-4 needs the dates
        metadata.modified = now.isoformat(timespec="seconds")
        pdf.trailer.Info.ModDate = _pdf_date(now)
    if not metadata.created:
        metadata.created = now.isoformat(timespec="seconds")
        pdf.trailer.Info.CreationDate = _pdf_date(now)
    pdf.Root.Metadata = pdf.make_stream(pdf_x4_packet(metadata), Type=Name.Metadata, Subtype=Name.XML)
    pdf.trailer.Info.Trapped = Name("/False")


def _pdf_date(moment: datetime) -> pikepdf.String:
    offset = moment.strftime("%z") or "+0000"
    return pikepdf.String(f"D:{moment:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'")
