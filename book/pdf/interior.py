"""The print interior, fast: the book's parts (`book/pdf/parts.py`) taken from the cache when nothing they depend
on changed, the others laid out in parallel on every core, then the contents with the chapters' page numbers,
the folio layer, and the joined print and screen PDFs (`book/pdf/joining.py`).

Everything the other outputs need from the layout comes from here too: where each page begins (the EPUB's
page list), each infographic's page (the manifest), the page count (the cover's spine).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pikepdf

from ..engine import PageStart
from ..project import Book
from ..render import Page
from ..scheduler import Cache, Workers, digest, give_back_memory
from .document import figure_pages
from .joining import join
from .numbering import folio_label
from .partlayout import LaidOutPart, _layouts, folio_layer, lay_out_part
from .parts import Parts, print_parts
from .prepress import PrintSettings, add_blank_pages, clean_outline, press_document, print_settings


@dataclass
class Interior:
    """The laid-out interior: its PDFs and what the other outputs take from its pages."""

    variants: tuple[str, ...]  # the PDFs it can give (see `pdf`)
    pages: int  # the book's own pages, before the padding
    padding: int
    signature: int
    starts: list[PageStart]  # where each page with text begins, numbered and labelled in the book
    figure_pages: dict[str, int]  # infographic id -> 1-based page
    laid_out: int = 0  # parts this build laid out; the others came from the cache
    parts: int = 0
    warnings: list = field(default_factory=list)
    parts_laid_out: list[LaidOutPart] = field(default_factory=list, repr=False)
    folios: dict[str, list[bytes]] = field(default_factory=dict, repr=False)  # variant -> each part's folios
    settings: PrintSettings | None = None

    def pdf(self, variant: str) -> bytes:
        """The joined PDF of `variant`: "print" (padded to whole signatures, ready for the press) or
        "screen" (cut to the trim, tagged)."""
        parts = [part.pdfs[variant] for part in self.parts_laid_out]
        faked = [part.faked for part in self.parts_laid_out]
        if variant == "print":
            settings = self.settings

            def finish(pdf: pikepdf.Pdf) -> None:
                add_blank_pages(pdf, self.padding, settings)
                press_document(pdf, settings)
        else:
            finish = clean_outline
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
    parts = print_parts(book, pages)
    items = parts.items
    last = len(items) - 1
    contents = next((i for i, part in enumerate(items) if part.is_contents), None)
    keys = {i: parts.key(part, f"last={i == last}") for i, part in enumerate(items) if i != contents}
    laid: dict[int, LaidOutPart] = {}
    for i, key in keys.items():
        entry = cache.get("parts", key, LaidOutPart.fits)
        if entry is not None and set(variants) <= set(entry[1]):
            laid[i] = LaidOutPart.from_entry(*entry)
    todo = [i for i in keys if i not in laid]
    todo.sort(key=lambda i: -len(items[i].html))  # the longest first: no core is left alone with a long one
    with Workers(_ready, book, parts, cache, "print" in variants) as pool:
        if todo:
            progress(f"จัดหน้า {len(todo)} จาก {len(items)} ส่วน (laying out {len(todo)} of {len(items)} parts)")
        else:
            progress(f"ใช้หน้าที่จัดไว้แล้วทั้ง {len(items)} ส่วน (all {len(items)} parts laid out before)")
        jobs = [("part", (i, keys[i], variants, None, i == last)) for i in todo]
        for i, done in zip(todo, pool.map(_task, jobs), strict=True):
            laid[i] = done
            cache.put("parts", keys[i], *done.entry())
        laid_out = len(todo)
        layers: dict[int, dict[str, bytes]] = {}
        if contents is not None:  # with the folio layers that do not depend on its length, side by side
            alone = [i for i in range(len(items)) if i != contents and _apart(book, parts, i, contents)]
            laid[contents], again = _contents(book, parts, laid, contents, variants, cache, pool, layers, alone)
            laid_out += again
        ordered = [laid[i] for i in range(len(items))]
        _folio_layers(book, parts, ordered, variants, cache, pool, layers, [i for i in laid if i not in layers])
        folios = {variant: [layers[i][variant] for i in range(len(items))] for variant in variants}
        front = _front_pages(book, parts, [part.pages for part in ordered])
        cache.keep("breaks", [key for part in ordered for key in part.breaks])  # for the next edit of a part
    starts, offset = [], 0
    for part in ordered:
        for start in part.starts:
            number = start.number + offset
            starts.append(replace(start, number=number, label=folio_label(book, number, front)))
        offset += part.pages
    padding = -offset % settings.signature
    figures = figure_pages(anchors for part in ordered for anchors in part.anchors)
    warnings = [w for part in ordered for w in part.warnings]
    for warning in warnings:
        if warning not in book.warnings:
            book.warnings.append(warning)
    return Interior(
        variants, offset, padding, settings.signature, starts, figures, laid_out, len(items), warnings,
        ordered, folios, settings,
    )  # fmt: skip


def _contents(
    book: Book,
    parts: Parts,
    laid: dict[int, LaidOutPart],
    index: int,
    variants: tuple[str, ...],
    cache: Cache,
    pool: Workers,
    layers: dict[int, dict[str, bytes]],
    alone: list[int],
) -> tuple[LaidOutPart, int]:
    """The contents part, laid out with the page number of every chapter written in, and whether it had to be
    laid out (1) or came from the cache (0). Its length moves no chapter's number unless the front matter is
    numbered with the body, but it is checked, and laid out again if it did. The folio layers of the parts
    `alone` are made meanwhile (into `layers`)."""
    guess, laid_out = 2, 0
    for _ in range(3):
        folios = _chapter_folios(book, parts, laid, index, guess)
        key = parts.key(parts.items[index], f"last={index == len(parts.items) - 1};folios={json.dumps(folios)}")
        entry = cache.get("parts", key, LaidOutPart.fits)
        found = LaidOutPart.from_entry(*entry) if entry is not None and set(variants) <= set(entry[1]) else None
        job = None if found is not None else ("part", (index, key, variants, folios, index == len(parts.items) - 1))
        if alone:  # the first time round only
            made = _folio_layers(book, parts, None, variants, cache, pool, layers, alone, laid, job)
            alone = []
        else:
            made = pool.map(_task, [job])[0] if job is not None else None
        done = found or made
        if job is not None:
            cache.put("parts", key, *done.entry())
            laid_out = 1
        if _chapter_folios(book, parts, laid, index, done.pages) == folios:
            return done, laid_out
        guess = done.pages
    raise RuntimeError("the contents' page numbers do not settle")


def _chapter_folios(book: Book, parts: Parts, laid: dict[int, LaidOutPart], contents: int, pages: int) -> dict:
    """slug -> the folio its chapter opens on, if the contents has `pages` pages."""
    sizes = [pages if i == contents else laid[i].pages for i in range(len(parts.items))]
    front = _front_pages(book, parts, sizes)
    folios, page = {}, 1
    for part, size in zip(parts.items, sizes, strict=True):
        for item in part.pages:
            if item.chapter is not None:
                folios[item.chapter.slug] = folio_label(book, page, front)
        page += size
    return folios


def _apart(book: Book, parts: Parts, index: int, contents: int) -> bool:
    """Whether part `index`'s folios are the same whatever the contents' length: it comes before the
    contents, or it is in the body and the body is numbered from its own first page."""
    return index < contents or (index >= parts.first_chapter > contents and not _continuous(book))


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
    layers: dict[int, dict[str, bytes]],
    indexes: list[int],
    laid: dict[int, LaidOutPart] | None = None,
    contents: tuple | None = None,
) -> LaidOutPart | None:
    """The folio layer (variant -> PDF) of each part of `indexes`, into `layers`, each part's first folio
    counted from the pages before it. `ordered` are all the parts; or `laid`, all but the contents, when
    only parts whose folios do not depend on it are asked for. The `contents` part's layout job, if
    given, is done in the same map, and its result given back."""
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
        entry = cache.get("folios", key, _is_folio_layer) if variants else None
        if entry is not None and set(variants) <= set(entry[1]):
            layers[index] = entry[1]
        elif variants:
            jobs.append(("folios", (index, shapes[index], start, front, variants)))
            keys.append(key)
        else:  # no PDF asked for: no folios either
            layers[index] = {}
    tasks = ([contents] if contents is not None else []) + jobs  # the part first: a worker takes it at once
    done = pool.map(_task, tasks)
    for job, key, made in zip(jobs, keys, done[len(tasks) - len(jobs) :], strict=True):
        layers[job[1][0]] = made
        cache.put("folios", key, {}, made)
    return done[0] if contents is not None else None


def _is_folio_layer(facts: dict, files: dict[str, bytes]) -> bool:
    """Whether a cache entry holds folio layers as `_folio_layers` keeps them: no facts, PDFs for files."""
    return facts == {} and all(pdf.startswith(b"%PDF-") for pdf in files.values())


# What every process laying out parts works on (see `_ready`).
_work: dict[str, object] = {}


def _ready(book: Book, parts: Parts, cache: Cache, press: bool) -> None:
    """Ready a process to lay out `parts`: the book, the Thai dictionaries, and the stylesheet, fonts and Pango
    loaded once (in the build before it forks its workers, which then share them), with the colour
    transforms when the parts go to the `press`."""
    _work.update(book=book, parts=parts, cache=cache)
    book.break_policy.warm()
    _layouts(book, parts).warm(press)


def _task(job: tuple) -> LaidOutPart | dict[str, bytes]:
    """A part laid out ("part") or a part's folio layer ("folios")."""
    kind, arguments = job
    try:
        if kind == "part":
            index, key, variants, folios, last = arguments
            parts: Parts = _work["parts"]
            return lay_out_part(_work["book"], parts, parts.items[index], key, variants, folios, last, _work["cache"])
        _, shapes, start, front, variants = arguments
        return folio_layer(_work["book"], _work["parts"], shapes, start, front, variants)
    finally:
        give_back_memory()
