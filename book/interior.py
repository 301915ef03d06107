"""The print interior, fast: the book's parts (`book/parts.py`) taken from the cache when nothing they depend
on changed, the others laid out in parallel on every core, then the contents with the chapters' page numbers,
the folio layer, and the joined print and screen PDFs (`book/joining.py`).

Everything the other outputs need from the layout comes from here too: where each page begins (the EPUB's
page list), each infographic's page (the manifest), the page count (the cover's spine).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pikepdf

from .cache import Cache
from .joining import join
from .model import Book
from .numbering import folio_label
from .pagelist import PageStart
from .partlayout import LaidOutPart, _layouts, folio_layer, lay_out_part
from .parts import Parts, digest, print_parts
from .pdf import figure_pages
from .prepress import PrintSettings, add_blank_pages, clean_outline, press_document, print_settings
from .rendering import Page
from .workers import cores, pool, share


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
        return join(parts, faked, self.folios.get(variant), finish)


def lay_out_interior(
    book: Book,
    pages: list[Page],
    variants: tuple[str, ...],
    cache: Cache,
    progress: Callable[[str], None] = lambda step: None,
    meanwhile: Callable[[], None] = lambda: None,
) -> Interior:
    """Lay out the print interior of `pages` and write it in each of `variants` ("print", "screen"; none
    for only the page starts). `meanwhile` is called once the workers are started (to start work of its own
    that shares what they were started with)."""
    settings = print_settings(book)  # its problems are reported before any work starts
    parts = print_parts(book, pages)
    items = parts.items
    last = len(items) - 1
    contents = next((i for i, part in enumerate(items) if part.is_contents), None)
    keys = {i: parts.key(part, f"last={i == last}") for i, part in enumerate(items) if i != contents}
    laid: dict[int, LaidOutPart] = {}
    for i, key in keys.items():
        entry = cache.get("parts", key)
        if entry is not None and set(variants) <= set(entry[1]):
            laid[i] = LaidOutPart.from_entry(*entry)
    todo = [i for i in keys if i not in laid]
    with _Pool(book, parts, len(todo)) as pool:
        meanwhile()
        if todo:
            progress(f"จัดหน้า {len(todo)} จาก {len(items)} ส่วน (laying out {len(todo)} of {len(items)} parts)")
        else:
            progress(f"ใช้หน้าที่จัดไว้แล้วทั้ง {len(items)} ส่วน (all {len(items)} parts laid out before)")
        for i, done in zip(todo, pool.map(_part, [(i, keys[i], variants, None, i == last) for i in todo]), strict=True):
            laid[i] = done
            cache.put("parts", keys[i], *done.entry())
        laid_out = len(todo)
        if contents is not None:
            laid[contents], again = _contents(book, parts, laid, contents, variants, cache)
            laid_out += again
        ordered = [laid[i] for i in range(len(items))]
        front = sum(part.pages for part in ordered[: parts.first_chapter])
        folios = _folio_layers(book, parts, ordered, variants, cache, pool)
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
    book: Book, parts: Parts, laid: dict[int, LaidOutPart], index: int, variants: tuple[str, ...], cache: Cache
) -> tuple[LaidOutPart, int]:
    """The contents part, laid out with the page number of every chapter written in, and whether it had to be
    laid out (1) or came from the cache (0). Its own length moves no chapter's number (the body is numbered
    from 1), but it is checked, and laid out again if it did."""
    guess, laid_out = 2, 0
    for _ in range(3):
        folios = _chapter_folios(book, parts, laid, index, guess)
        key = parts.key(parts.items[index], f"last={index == len(parts.items) - 1};folios={json.dumps(folios)}")
        entry = cache.get("parts", key)
        if entry is not None and set(variants) <= set(entry[1]):
            done = LaidOutPart.from_entry(*entry)
        else:
            done = _part((index, key, variants, folios, index == len(parts.items) - 1))  # here: it is one job
            cache.put("parts", key, *done.entry())
            laid_out = 1
        if _chapter_folios(book, parts, laid, index, done.pages) == folios:
            return done, laid_out
        guess = done.pages
    raise RuntimeError("the contents' page numbers do not settle")


def _chapter_folios(book: Book, parts: Parts, laid: dict[int, LaidOutPart], contents: int, pages: int) -> dict:
    """slug -> the folio its chapter opens on, if the contents has `pages` pages."""
    sizes = [pages if i == contents else laid[i].pages for i in range(len(parts.items))]
    front = sum(sizes[: parts.first_chapter])
    folios, page = {}, 1
    for part, size in zip(parts.items, sizes, strict=True):
        for item in part.pages:
            if item.chapter is not None:
                folios[item.chapter.slug] = folio_label(book, page, front)
        page += size
    return folios


def _folio_layers(
    book: Book, parts: Parts, ordered: list[LaidOutPart], variants: tuple[str, ...], cache: Cache, pool: _Pool
) -> dict[str, list[bytes]]:
    """The folio layer of every part (variant -> one PDF per part), each part's first folio counted from the
    pages before it: the front matter from the first page, the body from its own first page."""
    if not variants:
        return {}
    continuous = book.config["front_numerals"] == "continuous"
    jobs, keys, found = [], [], {}
    page = {True: 1, False: 1}  # the next folio of the front matter, and of the body
    for index, part in enumerate(ordered):
        front = index < parts.first_chapter and not continuous
        start = page[front]
        page[front] += part.pages
        if continuous:
            page[not front] = page[front]
        key = digest(parts.fingerprint, json.dumps([[s.side, s.blank, s.name] for s in part.shapes]), f"{start}{front}")
        entry = cache.get("folios", key)
        if entry is not None and set(variants) <= set(entry[1]):
            found[index] = entry[1]
        else:
            jobs.append((index, part.shapes, start, front, variants))
            keys.append(key)
    for job, key, made in zip(jobs, keys, pool.map(_folios, jobs), strict=True):
        found[job[0]] = made
        cache.put("folios", key, {}, made)
    return {variant: [found[i][variant] for i in range(len(ordered))] for variant in variants}


# What the worker processes work on: set before they are forked, so they inherit it instead of receiving it.
_work: dict[str, object] = {}


def _part(job: tuple) -> LaidOutPart:
    index, key, variants, folios, last = job
    parts: Parts = _work["parts"]
    return lay_out_part(_work["book"], parts, parts.items[index], key, variants, folios, last)


def _folios(job: tuple) -> dict[str, bytes]:
    _, shapes, start, front, variants = job
    return folio_layer(_work["book"], _work["parts"], shapes, start, front, variants)


class _Pool:
    """This process and, on a machine with more than one core, worker processes forked from it (after it has
    read the book and warmed the Thai dictionary, which they then share): every one of them takes jobs."""

    def __init__(self, book: Book, parts: Parts, jobs: int) -> None:
        _work.update(book=book, parts=parts)
        helpers = min(cores(), max(jobs, 1)) - 1
        self.helpers = helpers
        self.executor = None
        if helpers > 0:
            book.break_policy.warm()
            _layouts(book, parts)  # fonts, styles, Pango: loaded once, and shared with the workers
            gc.freeze()  # what the workers inherit stays shared: the collector does not touch it
            self.executor = pool(helpers)

    def map(self, function: Callable, jobs: list) -> list:
        """`function` of each job, in order, shared between this process and the workers."""
        return share(function, jobs, self.executor, self.helpers)

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown()
            gc.unfreeze()
        _work.clear()
