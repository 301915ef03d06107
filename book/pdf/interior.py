"""The print interior, fast: the book's parts (`book/pdf/parts.py`) taken from the cache when nothing they depend
on changed, the others laid out in parallel on every core, then the parts that print page numbers (the
contents, the page references `[@page:id]`) with those numbers written in, laid out again until they settle,
the folio layer, and the joined print and screen PDFs (`book/pdf/joining.py`).

Everything the other outputs need from the layout comes from here too: where each page begins (the EPUB's
page list), each infographic's page (the manifest), the page count (the cover's spine).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import pikepdf

from ..diagnostics import Diagnostic, texts
from ..engine import PageStart, sides
from ..project import Book, page_geometry
from ..render import Page
from ..scheduler import Cache, Later, Workers, digest, give_back_memory, shared_numbers
from .document import figure_pages
from .joining import join, tag_font_subsets
from .numbering import folio_label, page_labels
from .partlayout import FolioLayer, LaidOutPart, _layouts, folio_layer, lay_out_part
from .parts import Parts, print_parts
from .preflighting import TrimProblem, trim_facts, trim_from_facts
from .prepress import PrintSettings, add_blank_pages, press_document, print_settings
from .screen import finish_screen_pages

ROUNDS = 5  # layouts of the parts that print page numbers before they must have settled
CONTENTS_GUESS = 2  # pages, before the contents is laid out
STAND_IN = 100  # the page whose folio stands in for a page reference's before the pages are known


@dataclass
class Interior:
    """The laid-out interior: its PDFs and what the other outputs take from its pages."""

    variants: tuple[str, ...]  # the PDFs it can give (see `pdf`)
    pages: int  # the book's own pages, before the padding
    padding: int
    signature: int
    starts: list[PageStart]  # where each page with text begins, numbered and labelled in the book
    figure_pages: dict[str, int]  # infographic id -> 1-based page
    blank: int = 0  # blank pages in the book's own pages: versos before right-hand openings
    holes: list[int] = field(default_factory=list)  # 1-based pages left under-filled before a figure
    fills: list[float] = field(default_factory=list)  # how full each of the book's own pages is
    laid_out: int = 0  # parts this build laid out; the others came from the cache
    parts: int = 0
    warnings: list = field(default_factory=list)
    parts_laid_out: list[LaidOutPart] = field(default_factory=list, repr=False)
    folios: dict[str, list[bytes]] = field(default_factory=dict, repr=False)  # variant -> each part's folios
    folio_trim: list[list[TrimProblem]] = field(default_factory=list)  # each part's folios past the trim
    settings: PrintSettings | None = None
    labels: list[str] = field(default_factory=list)  # the folio of each page, the padding's included
    centring: float = 0.0  # mm the screen edition moves each page sideways (`PageGeometry.centring`)

    @property
    def screen_pages(self) -> int:
        """The screen edition's pages: the book's own without the blank ones."""
        return self.pages - self.blank

    def trim_problems(self) -> list[TrimProblem]:
        """What the print edition's pages draw past the trim: each part's own, as preflight would find it in the
        joined file (`trim_problems`), and each folio layer's, each found once as it was made (and kept with it
        in the cache), page by page, a page's folio after what it is drawn over. The joined file draws a folio
        layer as a form clipped to the trim (`joining._overlay`), so a folio set past it would vanish there
        without a trace: only its layer shows it. The pages that fill the last signature hold only printer's
        marks."""
        folios = self.folio_trim or [[] for _ in self.parts_laid_out]
        return [
            (offset + page, key, values)
            for (offset, part), layer in zip(_offsets(self.parts_laid_out), folios, strict=True)
            for page, key, values in sorted([*part.trim, *layer], key=lambda problem: problem[0])  # stable
        ]

    def pdf(self, variant: str) -> bytes:
        """The joined PDF of `variant`: "print" (padded to whole signatures, ready for the press) or
        "screen" (cut to the trim, tagged, without the blank pages and with the text block centred: see
        `book/pdf/screen.py`). Each page is labelled with its folio."""
        parts = [part.pdfs[variant] for part in self.parts_laid_out]
        faked = [part.faked for part in self.parts_laid_out]
        shapes = [shape for part in self.parts_laid_out for shape in part.shapes]
        if variant == "print":
            settings = self.settings

            def finish(pdf: pikepdf.Pdf) -> None:
                add_blank_pages(pdf, self.padding, settings)
                press_document(pdf, settings)
                page_labels(pdf, self.labels)
        else:

            def finish(pdf: pikepdf.Pdf) -> None:
                page_sides, blank = [s.side for s in shapes], [s.blank for s in shapes]
                finish_screen_pages(pdf, page_sides, blank, self.labels[: len(shapes)], self.centring)
                tag_font_subsets(pdf)

        try:
            return join(parts, faked, self.folios.get(variant), finish)
        finally:
            give_back_memory()


def lay_out_interior(
    book: Book,
    pages: list[Page],
    variants: tuple[str, ...],
    cache: Cache,
    progress: Callable[[str], None] = lambda step: None,
) -> Interior:
    """Lay out the print interior of `pages` and write it in each of `variants` ("print", "screen"; none
    for only the page starts): the parts that changed on every core, the others from the cache."""
    settings = print_settings(book)  # its problems are reported before any work starts
    parts = print_parts(book, pages, cache)
    items = parts.items
    last = len(items) - 1
    plan = _Plan([i != last and not items[i + 1].flows for i in range(len(items))], ["right"] * len(items))
    referencing = {i: part.page_references for i, part in enumerate(items) if part.page_references}
    # first laid out with a stand-in for each folio, but the contents, whose length moves nothing in the body
    written = {i: _stand_ins(book, anchors) for i, anchors in referencing.items() if not items[i].is_contents}
    keys = {i: parts.key(part, plan.extra(i, written.get(i))) for i, part in enumerate(items)}
    keys = {i: key for i, key in keys.items() if i not in referencing or i in written}
    laid: dict[int, LaidOutPart] = {}
    for i, key in keys.items():
        entry = cache.get("parts", key, LaidOutPart.fits)
        if entry is not None and set(variants) <= set(entry[1]):
            laid[i] = LaidOutPart.from_entry(*entry)
    _known_side(parts, laid, keys, written, plan, variants, cache)
    todo = [i for i in keys if i not in laid]
    board = _Board(parts, laid)
    with Workers(_ready, book, parts, cache, "print" in variants, board) as pool:
        if todo:
            progress(f"จัดหน้า {len(todo)} จาก {len(items)} ส่วน (laying out {len(todo)} of {len(items)} parts)")
        else:
            progress(f"ใช้หน้าที่จัดไว้แล้วทั้ง {len(items)} ส่วน (all {len(items)} parts laid out before)")
        order = sorted(todo)
        jobs = [Later(partial(_part_job, parts, i, board, keys, written, plan, variants)) for i in order]
        # When a part opens on any page, every process takes the next part, so that each knows most sides;
        # else this process takes them from the back, and the longest parts, often the last, do not end alone.
        in_order = any(items[i].flows for i in order)
        for i, done in zip(order, pool.map(_task, jobs, in_order=in_order), strict=True):
            laid[i], keys[i], plan.sides[i] = done, done.key, done.shapes[0].side
            cache.put("parts", keys[i], *done.entry())
        laid_out = len(todo)
        layers: dict[int, FolioLayer] = {}
        alone = [i for i in range(len(items)) if i not in referencing and _apart(book, parts, i, referencing)]
        for _ in range(ROUNDS):  # the parts that open on any page, on the side the parts before them leave
            flowed = _flow(parts, laid, written, plan, variants, cache, pool)
            if flowed and layers:
                layers.clear()  # made for pages that moved
            laid_out += flowed
            if referencing:  # with the folio layers that do not depend on their lengths, side by side
                laid_out += _settle(book, parts, laid, referencing, written, variants, cache, pool, layers, alone, plan)
                alone = []
            if _sides(parts, laid) == plan.sides:
                break
        ordered = [laid[i] for i in range(len(items))]
        _folio_layers(book, parts, ordered, variants, cache, pool, layers, [i for i in laid if i not in layers])
        folios = {variant: [layers[i].pdfs[variant] for i in range(len(items))] for variant in variants}
        folio_trim = [layers[i].trim for i in range(len(items))]
        front = _front_pages(book, parts, [part.pages for part in ordered])
        cache.keep("breaks", [key for part in ordered for key in part.breaks])  # for the next edit of a part
    starts, offset = [], 0
    for part in ordered:
        for start in part.starts:
            number = start.number + offset
            starts.append(replace(start, number=number, label=folio_label(book, number, front)))
        offset += part.pages
    padding = -offset % settings.signature
    blank = sum(shape.blank for part in ordered for shape in part.shapes)
    holes = [start + hole + 1 for start, part in _offsets(ordered) for hole in part.holes]
    fills = [fill for part in ordered for fill in part.fills]
    figures = figure_pages(  # a link's stand-in target (a reference to a figure in another part) is not it
        [name for name in anchors if name not in part.faked] for part in ordered for anchors in part.anchors
    )
    warnings = [w for part in ordered for w in part.warnings]
    labels = [folio_label(book, page, front) for page in range(1, offset + padding + 1)]
    advice = signature_advice(book, offset, blank, settings.signature)
    if advice is not None:
        warnings.append(advice)
    for warning in warnings:
        if warning not in book.warnings:
            book.warnings.append(warning)
    return Interior(
        variants, offset, padding, settings.signature, starts, figures, blank, holes, fills, laid_out, len(items),
        warnings, ordered, folios, folio_trim, settings, labels, page_geometry(book.config).centring,
    )  # fmt: skip


@dataclass
class _Plan:
    """How each part joins the next: whether it ends on a left-hand page (`pads`: the next part opens on the
    right), and the side its first page falls on (`sides`: "left" only for a part that opens on any page
    after a part of odd length)."""

    pads: list[bool]
    sides: list[str]

    def extra(self, index: int, folios: dict[str, str] | None, side: str = "") -> str:
        """What part `index`'s key holds besides its HTML: how it joins (on its side in the plan, or `side`),
        and the folios written in it."""
        joins = f"pad={self.pads[index]};side={side or self.sides[index]}"
        return joins + (f";folios={json.dumps(folios)}" if folios is not None else "")


def _part_job(
    parts: Parts,
    index: int,
    board: _Board,
    keys: dict[int, str],
    written: dict[int, dict[str, str]],
    plan: _Plan,
    variants: tuple[str, ...],
    finished: dict[int, LaidOutPart],  # noqa: ARG001 - the map's results so far: the board has more
) -> tuple:
    """The job that lays out part `index`, made as a process takes it (a `Later` of the map): on the side the
    parts before it leave as the `board` has them, counting those not laid out yet as even. When that side is
    a guess, the job has the key of the part on the other side too, and the process that takes it looks at
    the board again once it has laid the part out (`_Board.where`), to write it on its true side: by then the
    parts before it are most often laid out, since every process takes the parts in the book's order. Its key
    and `plan` follow the side."""
    side, sure = board.side(index)
    if side != plan.sides[index]:
        plan.sides[index] = side
        keys[index] = parts.key(parts.items[index], plan.extra(index, written.get(index)))
    facing = "" if sure else parts.key(parts.items[index], plan.extra(index, written.get(index), sides.FACING[side]))
    return ("part in order", (index, keys[index], variants, written.get(index), plan.pads[index], side, facing))


class _Board:
    """How many pages each part has, shared by the processes laying the parts out: each part's count from the
    cache, or posted by the process that lays it out as soon as it has (before it writes the part's PDF). A
    process that laid out a part on a guessed side reads from it the side the part opens on (`where`)."""

    def __init__(self, parts: Parts, laid: dict[int, LaidOutPart]) -> None:
        self.flows = [part.flows for part in parts.items]
        counts = [laid[i].pages if i in laid else -1 for i in range(len(parts.items))]  # -1: not laid out yet
        self.pages = shared_numbers(counts)

    def side(self, index: int) -> tuple[str, bool]:
        """The side part `index` opens on after the parts before it as posted so far (`_side`)."""
        return _side(self.flows, index, lambda i: count if (count := self.pages[i]) >= 0 else None)

    def where(self, index: int) -> Callable[[int], str | None]:
        """What a process laying out part `index` on a guessed side tells once it has: the part's page count
        (posted), and back the side it opens on, or None if not every part before it is laid out yet."""

        def posted(pages: int) -> str | None:
            self.pages[index] = pages
            side, sure = self.side(index)
            return side if sure else None

        return posted


def _side(flows: list[bool], index: int, pages: Callable[[int], int | None]) -> tuple[str, bool]:
    """The side part `index` opens on, after the parts before it of `pages` pages (None: not laid out yet,
    counted as even), and whether that is sure (every part it depends on laid out). `flows` says which parts
    open on any page; one that does not opens on the right, so only the parts from the last such one on count."""
    if not flows[index]:
        return "right", True
    since = max((i for i in range(index) if not flows[i]), default=0)
    counts = [pages(i) for i in range(since, index)]
    return ("left" if sum(count or 0 for count in counts) % 2 else "right"), None not in counts


def _known_side(
    parts: Parts,
    laid: dict[int, LaidOutPart],
    keys: dict[int, str],
    written: dict[int, dict[str, str]],
    plan: _Plan,
    variants: tuple[str, ...],
    cache: Cache,
) -> None:
    """Each part not in the cache whose side the parts in the cache decide, laid out at once on that side: its
    key (and `plan`) for that side, and the part from the cache if it is there. After a one-word edit of a
    chapter that opens on a left-hand page, that is one layout instead of two (on the right, then on the left
    again). A part that does not open on any page opens on the right (the part before it ends on a left-hand
    one), so the side of a part after it depends only on the parts from there on.

    A part that opens on any page whose side is not known yet (a part before it is to be laid out) is taken
    from the cache on the other side when it is there: where an earlier build laid it out. Whether that side
    holds is settled with the others (`_flow`); after an edit that keeps the edited chapter's page count, the
    chapters after it keep their sides, and none of them is laid out again."""
    items = parts.items

    def take(part: int, side: str) -> bool:
        """Part `part` on `side`: its key and `plan` for that side, and the part from the cache if there."""
        plan.sides[part] = side
        keys[part] = parts.key(items[part], plan.extra(part, written.get(part)))
        entry = cache.get("parts", keys[part], LaidOutPart.fits)
        if entry is None or not set(variants) <= set(entry[1]):
            return False
        laid[part] = LaidOutPart.from_entry(*entry)
        return True

    flows = [item.flows for item in items]
    for part in sorted(i for i in keys if i not in laid):
        side, sure = _side(flows, part, lambda i: laid[i].pages if i in laid else None)
        if not sure:
            guessed, key = plan.sides[part], keys[part]
            if not take(part, sides.FACING[guessed]):
                plan.sides[part], keys[part] = guessed, key
        elif side != plan.sides[part]:
            take(part, side)


def _sides(parts: Parts, laid: dict[int, LaidOutPart]) -> list[str]:
    """The side each part's first page falls on, after the parts before it as laid out (a part not laid out
    yet counts as even)."""
    sides, offset = [], 0
    for index, part in enumerate(parts.items):
        sides.append("left" if part.flows and offset % 2 else "right")
        offset += laid[index].pages if index in laid else 0
    return sides


def _flow(
    parts: Parts,
    laid: dict[int, LaidOutPart],
    written: dict[int, dict[str, str]],
    plan: _Plan,
    variants: tuple[str, ...],
    cache: Cache,
    pool: Workers,
) -> int:
    """Lay out again, each on the side the parts before it leave, the parts that open on any page and were
    laid out on the other side; how many layouts it made (the others came from the cache)."""
    laid_out = 0
    for _ in range(ROUNDS):
        wanted = _sides(parts, laid)
        stale = [i for i in laid if wanted[i] != plan.sides[i]]
        if not stale:
            return laid_out
        plan.sides[:] = wanted
        jobs, keys = [], []
        for i in stale:
            key = parts.key(parts.items[i], plan.extra(i, written.get(i)))
            entry = cache.get("parts", key, LaidOutPart.fits)
            if entry is not None and set(variants) <= set(entry[1]):
                laid[i] = LaidOutPart.from_entry(*entry)
            else:  # from where its layout on the other side moved its figures, ending as that one did
                moved = (laid[i].moved, laid[i].ending)
                jobs.append(("part", (i, key, variants, written.get(i), plan.pads[i], plan.sides[i], *moved)))
                keys.append(key)
        for job, key, done in zip(jobs, keys, pool.map(_task, jobs) if jobs else [], strict=True):
            laid[job[1][0]] = done
            cache.put("parts", key, *done.entry())
            laid_out += 1
    raise RuntimeError("the sides the chapters open on do not settle")


def signature_advice(book: Book, pages: int, blank: int, signature: int) -> Diagnostic | None:
    """A warning when the book's `pages` run a few pages (a third of a signature or less) over whole
    signatures, naming the settings that save the blank pages filling the last one (`blank`: the versos
    before right-hand openings)."""
    over, padding = pages % signature, -pages % signature
    if not over or over > signature // 3:
        return None
    settings = []
    if book.config.get("opening", "right") == "right" and blank:
        settings.append(texts("F101.any", versos=blank))
    half = signature // 2
    if half >= 4 and signature % 2 == 0 and -pages % half < padding:
        settings.append(texts("F101.signature", half=half, fill=-pages % half, padding=padding))
    settings.append(texts("F101.fewer", over=over))
    said = {
        language: texts(
            "F101", over=over, signatures=pages // signature, signature=signature, padding=padding,
            settings="; ".join(setting[language] for setting in settings),
        )[language]
        for language in ("en", "th")
    }  # fmt: skip
    return Diagnostic("book.yaml", None, "F101", said["en"], None, "warning", said["th"])


def _offsets(ordered: list[LaidOutPart]) -> list[tuple[int, LaidOutPart]]:
    """Each part with the number of pages before it."""
    found, offset = [], 0
    for part in ordered:
        found.append((offset, part))
        offset += part.pages
    return found


def _stand_ins(book: Book, anchors: list[str]) -> dict[str, str]:
    """A folio for each of `anchors` before the pages are known, about as wide as most."""
    return {anchor: folio_label(book, STAND_IN, 0) for anchor in anchors}


def _settle(
    book: Book,
    parts: Parts,
    laid: dict[int, LaidOutPart],
    referencing: dict[int, list[str]],
    written: dict[int, dict[str, str]],
    variants: tuple[str, ...],
    cache: Cache,
    pool: Workers,
    layers: dict[int, FolioLayer],
    alone: list[int],
    plan: _Plan,
) -> int:
    """Lay out each part that prints page numbers (`referencing`: the contents, the parts with page references)
    with the folios of its anchors written in, and again until they settle: a part laid out again may grow or
    shrink and move the pages after it. `written` are the folios each laid-out part was laid out with. The
    folio layers of the parts `alone` are made meanwhile (into `layers`). Returns how many layouts it made
    (the others came from the cache)."""
    laid_out = 0
    for _ in range(ROUNDS):
        wanted = _anchor_folios(book, parts, laid, referencing)
        stale = [i for i in referencing if i not in laid or written.get(i) != wanted[i]]
        if not stale:
            return laid_out
        jobs, keys = [], []
        for i in stale:
            key = parts.key(parts.items[i], plan.extra(i, wanted[i]))
            entry = cache.get("parts", key, LaidOutPart.fits)
            if entry is not None and set(variants) <= set(entry[1]):
                laid[i], written[i] = LaidOutPart.from_entry(*entry), wanted[i]
            else:
                jobs.append(("part", (i, key, variants, wanted[i], plan.pads[i], plan.sides[i])))
                keys.append(key)
        if alone:  # the first time round only
            made = _folio_layers(book, parts, None, variants, cache, pool, layers, alone, laid, jobs)
            alone = []
        else:
            made = pool.map(_task, jobs) if jobs else []
        for job, key, done in zip(jobs, keys, made, strict=True):
            index = job[1][0]
            laid[index], written[index] = done, wanted[index]
            cache.put("parts", key, *done.entry())
            laid_out += 1
    raise RuntimeError("the page numbers of the contents and the page references do not settle")


def _anchor_folios(
    book: Book, parts: Parts, laid: dict[int, LaidOutPart], referencing: dict[int, list[str]]
) -> dict[int, dict[str, str]]:
    """For each part of `referencing`, the folio of each of its anchors (anchor -> folio) where the parts laid out
    put them; a part not laid out yet (the contents) counts as CONTENTS_GUESS pages."""
    sizes = [laid[i].pages if i in laid else CONTENTS_GUESS for i in range(len(parts.items))]
    front = _front_pages(book, parts, sizes)
    where: dict[str, int] = {}
    page = 1
    for index, size in enumerate(sizes):
        if index in laid:
            faked = set(laid[index].faked)  # a link's stand-in target, not the target
            for number, names in enumerate(laid[index].anchors):
                for name in names:
                    if name not in faked:
                        where.setdefault(name, page + number)
        page += size
    return {
        index: {anchor: folio_label(book, where[anchor], front) for anchor in anchors if anchor in where}
        for index, anchors in referencing.items()
    }


def _apart(book: Book, parts: Parts, index: int, referencing: dict[int, list[str]]) -> bool:
    """Whether part `index`'s folios are the same whatever the length of the parts that print page numbers:
    none of them comes before it in its own numbering (the front matter's, or the body's, or the whole book's
    when the front matter is numbered with the body)."""

    def numbering(i: int) -> bool:
        return _continuous(book) or i < parts.first_chapter

    return not any(other < index and numbering(other) == numbering(index) for other in referencing)


def _continuous(book: Book) -> bool:
    return book.config["front_numerals"] == "continuous"


def _front_pages(book: Book, parts: Parts, sizes: list[int]) -> int:
    """The pages numbered apart before page 1 (see `numbering.folio_label`): none when the front matter is
    numbered with the body."""
    return 0 if _continuous(book) else sum(sizes[: parts.first_chapter])


def _folio_starts(book: Book, parts: Parts, sizes: list[int]) -> list[tuple[int, bool]]:
    """Each part's first folio and whether it is numbered as front matter: the front matter counts from its
    first page, the body from its own (or on from the front matter when numbering is continuous)."""
    continuous = _continuous(book)
    page = {True: 1, False: 1}  # the next folio of the front matter, and of the body
    starts = []
    for index, size in enumerate(sizes):
        front = index < parts.first_chapter and not continuous
        starts.append((page[front], front))
        page[front] += size
        if continuous:
            page[not front] = page[front]
    return starts


def _folio_layers(
    book: Book,
    parts: Parts,
    ordered: list[LaidOutPart] | None,
    variants: tuple[str, ...],
    cache: Cache,
    pool: Workers,
    layers: dict[int, FolioLayer],
    indexes: list[int],
    laid: dict[int, LaidOutPart] | None = None,
    first: list[tuple] = (),
) -> list[LaidOutPart]:
    """The folio layer of each part of `indexes`, into `layers`, each part's first folio
    counted from the pages before it. `ordered` are all the parts; or `laid`, all but the contents, when
    only parts whose folios do not depend on it are asked for. The parts' layout jobs `first` are done in
    the same map, and their results given back."""
    if ordered is not None:
        sizes = [part.pages for part in ordered]
        shapes = {i: part.shapes for i, part in enumerate(ordered)}
    else:
        sizes = [laid[i].pages if i in laid else 0 for i in range(len(parts.items))]
        shapes = {i: laid[i].shapes for i in indexes}
    starts = _folio_starts(book, parts, sizes)
    jobs, keys = [], []
    for index in indexes:
        start, front = starts[index]
        page_shapes = json.dumps([[s.side, s.blank, s.name] for s in shapes[index]])
        key = digest(parts.fingerprint, page_shapes, f"{start}{front}")
        pages = len(shapes[index])
        entry = cache.get("folios", key, partial(_is_folio_layer, pages)) if variants else None
        if entry is not None and set(variants) <= set(entry[1]):
            layers[index] = FolioLayer(entry[1], trim_from_facts(entry[0]["trim"], pages) or [])
        elif variants:
            jobs.append(("folios", (index, shapes[index], start, front, variants)))
            keys.append(key)
        else:  # no PDF asked for: no folios either
            layers[index] = FolioLayer({})
    tasks = [*first, *jobs]  # the parts first: a worker takes them at once
    done = pool.map(_task, tasks) if tasks else []
    for job, key, made in zip(jobs, keys, done[len(first) :], strict=True):
        layers[job[1][0]] = made
        cache.put("folios", key, {"trim": trim_facts(made.trim)}, made.pdfs)
    return done[: len(first)]


def _is_folio_layer(pages: int, facts: dict, files: dict[str, bytes]) -> bool:
    """Whether a cache entry holds a folio layer of `pages` pages as `_folio_layers` keeps it: its trim
    problems (`trim_facts`) the only fact, PDFs for files."""
    return (
        set(facts) == {"trim"}
        and trim_from_facts(facts["trim"], pages) is not None
        and all(pdf.startswith(b"%PDF-") for pdf in files.values())
    )


# What every process laying out parts works on (see `_ready`).
_work: dict[str, object] = {}


def _ready(book: Book, parts: Parts, cache: Cache, press: bool, board: _Board) -> None:
    """Ready a process to lay out `parts`: the book, the Thai dictionaries, and the stylesheet, fonts and Pango
    loaded once (in the build before it forks its workers, which then share them), with the colour
    transforms when the parts go to the `press`."""
    _work.update(book=book, parts=parts, cache=cache, board=board)
    book.break_policy.warm()
    _layouts(book, parts).warm(press)


def _task(job: tuple) -> LaidOutPart | FolioLayer:
    """A part laid out ("part"; "part in order" in the map that takes them in the book's order, see `_part_job`)
    or a part's folio layer ("folios")."""
    kind, arguments = job
    try:
        if kind in ("part", "part in order"):
            index, key, variants, folios, pad, side, *more = arguments  # more: moved and ending, or facing
            parts: Parts = _work["parts"]
            book, cache = _work["book"], _work["cache"]
            part = parts.items[index]
            if kind == "part":
                return lay_out_part(book, parts, part, key, variants, folios, pad, cache, side, *more)
            where = _work["board"].where(index)
            return lay_out_part(book, parts, part, key, variants, folios, pad, cache, side, facing=more[0], where=where)
        _, shapes, start, front, variants = arguments
        return folio_layer(_work["book"], _work["parts"], shapes, start, front, variants)
    finally:
        give_back_memory()
