"""A build: read the book once, render every page once, lay out the print interior once (from the cache and
on every core, `book/pdf/interior.py`), then hand the pages and the layout to each builder.

The builders then write their files. After worker processes laid out parts (a cold build), they write one
after the other in this process: with a second process two joins would run at once, about 35 MB above the
layout's peak, for a few tenths of a second. When this process laid out the parts alone (a warm build that
laid out one chapter again, whatever the contents and folio layers took), a second process to write beside
it costs no more memory than a layout did, and saves those tenths of a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from pathlib import Path

from .engine.pagelist import PageStart
from .epub.ebook import MadeEpub, build_epub, cut_fonts, make_epub
from .pdf.cover import cached_front_cover_jpeg
from .pdf.editions import build_booklets, cover_edition, infographics_csv, print_edition, screen_edition
from .pdf.interior import lay_out_interior
from .project.model import Book
from .project.reading import load_book
from .render.rendering import render_pages
from .scheduler.cache import Cache, digest, project_cache
from .scheduler.files import output_lock, write_text_atomic
from .scheduler.workers import cores, pool

TARGETS = ("pdf", "epub")  # a full build; "print" is the print PDF alone
CACHED = ("parts", "folios", "fonts", "markdown")  # what a build keeps only its own of
LAST_STARTS = digest("the page starts of the last build")  # kind "starts": a guess, see `_early`


@dataclass(frozen=True)
class Output:
    """One file a build wrote, and what to say about it."""

    path: Path
    detail: str = ""


@dataclass
class BuildResult:
    book: Book
    outputs: list[Output] = field(default_factory=list)
    seconds: float = 0.0
    reports: list = field(default_factory=list)  # preflight.Report of each PDF written
    laid_out: tuple[int, int] = (0, 0)  # parts laid out by this build, of all parts
    epub_ahead: bool = False  # whether the EPUB was made during the layout (see `_early`)

    @property
    def print_ready(self) -> bool:
        return all(report.ok for report in self.reports)


def output_name(book: Book, suffix: str) -> str:
    return f"{book.config['id']}{suffix}"


def _read(
    project: Path | str, out: Path | str | None, progress: Callable[[str], None], cache: Cache | None = None
) -> tuple[Book, Path]:
    """The book, read and checked, and the folder its outputs go to (default `project/dist`)."""
    progress("อ่านต้นฉบับและตรวจสอบ (reading and checking the sources)")
    book = load_book(project, cache)
    return book, Path(out) if out else book.root / "dist"


def build(
    project: Path | str,
    out: Path | str | None = None,
    targets: tuple[str, ...] = TARGETS,
    progress: Callable[[str], None] = lambda step: None,
    cache: bool = True,
) -> BuildResult:
    """Build `targets` ("pdf": the print, screen and cover PDFs; "print": the print PDF alone; "epub") of the
    project into `out` (default `project/dist`), with the cache in `project/.cache` unless `cache` is False;
    raises `BookError` on problems."""
    started = time.perf_counter()
    store = project_cache(Path(project).resolve(), cache)
    book, out = _read(project, out, progress, store)
    with output_lock(out):
        result = _build(book, out, targets, progress, store)
    result.seconds = time.perf_counter() - started
    return result


def _build(
    book: Book, out: Path, targets: tuple[str, ...], progress: Callable[[str], None], cache: Cache
) -> BuildResult:
    pages = render_pages(book)
    result = BuildResult(book)
    variants = ("print", "screen") if "pdf" in targets else ("print",) if "print" in targets else ()
    early = None  # the cover's JPEG and the EPUB's fonts (and maybe the EPUB), made while the interior is laid out
    if {"pdf", "epub"} & set(targets):
        guess = _last_starts(cache) if "epub" in targets and cores() > 1 else None
        early = lambda: _early(book, pages, cache, "epub" in targets, guess)  # noqa: E731
    interior = lay_out_interior(book, pages, variants, cache, progress, early)
    result.laid_out = (interior.laid_out, interior.parts)
    made: Early | None = interior.beside
    if made is not None:
        _merge(book, cache, made.warnings, made.used)
    jpeg = made.jpeg if made is not None else None
    starts = [list(astuple(start)) for start in interior.starts]
    cache.put("starts", LAST_STARTS, {"starts": starts})
    name = lambda suffix: out / output_name(book, suffix)  # noqa: E731
    jobs: dict[str, Callable[[], object]] = {}  # the outputs, each written (and preflighted) on its own
    if "epub" in targets and made is not None and made.epub is not None and made.guess == starts:
        result.epub_ahead = True
        _merge(book, cache, made.epub_warnings, set())
        jobs["epub"] = lambda: made.epub.write(name(".epub"))
    elif "epub" in targets:
        jobs["epub"] = lambda: build_epub(book, pages, name(".epub"), interior.starts, jpeg, cache)
    if "print" in variants:
        jobs["print"] = lambda: print_edition(book, interior, name("-print.pdf"))
    if "screen" in variants:
        jobs["screen"] = lambda: screen_edition(book, interior, name("-screen.pdf"))
    if "pdf" in targets:
        printed = interior.pages + interior.padding
        jobs["cover"] = lambda: cover_edition(book, printed, name("-cover.pdf"), name("-cover.jpg"), jpeg, cache)
    if list(jobs) == ["epub"]:
        progress("ประกอบ EPUB (packaging the EPUB)")
    else:
        progress("เขียนไฟล์และตรวจก่อนพิมพ์ (writing and preflighting the files)")
    if interior.forked:  # workers laid out parts: writing in one process keeps the peak where the layout put it
        done = {key: job() for key, job in jobs.items()}
    else:  # this process laid out the parts (a warm build): a second one to write costs no more than that did
        done = _concurrently(jobs, book, cache)
    for key in ("print", "screen", "cover"):
        if key in done:
            result.outputs += [Output(path, detail) for path, detail in done[key].written]
            result.reports += done[key].reports
    if "epub" in done:
        ebook = done["epub"]
        result.outputs.append(Output(ebook.path, f"{ebook.documents} documents, {ebook.print_pages} print pages"))
    if variants:
        manifest = infographics_csv(book.infographics, interior.figure_pages)
        ready = sum(1 for f in book.infographics if f.artwork)
        path = write_text_atomic(out / "infographics.csv", manifest)
        result.outputs.append(Output(path, f"{len(book.infographics)} infographics, {ready} ready"))
    if set(TARGETS) <= set(targets):  # a full build: the download page and the feed list every file
        from .publish.download import write_download_files

        page, feed = write_download_files(book, out, [o.path for o in result.outputs])
        result.outputs += [Output(page, "download page"), Output(feed, "OPDS acquisition feed")]
    cache.keep_only_used(CACHED)  # the covers are few, and made in worker processes: kept
    return result


def _concurrently(jobs: dict[str, Callable[[], object]], book: Book, cache: Cache) -> dict[str, object]:
    """Run the jobs in this process and a worker forked from it (so a job needs nothing sent to it): the worker
    takes those of `WORKER_WRITES`, one after the other, this process the others; their results, the warnings
    they gave and the cache entries they used come back."""
    theirs = [key for key in jobs if key in WORKER_WRITES]
    ours = [key for key in jobs if key not in WORKER_WRITES]
    if cores() < 2 or not theirs or not ours:
        return {key: job() for key, job in jobs.items()}
    _job[:] = [jobs, book, cache]
    with pool(1) as worker:
        future = worker.submit(_run_named, (theirs, len(book.warnings)))
        here = {key: jobs[key]() for key in ours}
        there, warnings, used = future.result()
    _merge(book, cache, warnings, used)
    done = here | there
    return {key: done[key] for key in jobs}


# What the writing worker of a warm build takes, in one go: the two PDF joins take about as long as each other
# (0.3 to 0.4 s with preflight), so one goes to each process, and the EPUB (0.2 s, or only its writing when it
# was made during the layout) goes with the print PDF, as the cover (0.04 s from the cache) stays here. Handed
# out one at a time, the worker's second job waited 0.05 to 0.08 s for this process, busy joining, to send it.
WORKER_WRITES = ("epub", "print")
_job: list = []  # what the writing worker inherits


def _run_named(job: tuple[list[str], int]) -> tuple[dict[str, object], list, set]:
    keys, warned = job
    jobs, book, cache = _job
    return {key: jobs[key]() for key in keys}, book.warnings[warned:], set(cache.used)


def _merge(book: Book, cache: Cache, warnings: list, used: set) -> None:
    """What another process gave: its warnings (once each), the cache entries it used (kept)."""
    book.warnings.extend(w for w in warnings if w not in book.warnings)
    cache.used |= used


@dataclass
class Early:
    """What `_early` made, in the process beside the layout."""

    jpeg: bytes
    warnings: list
    used: set  # the cache entries it used
    epub: MadeEpub | None = None  # made with the page starts `guess`
    guess: list | None = None
    epub_warnings: list = field(default_factory=list)


def _early(book: Book, pages: list, cache: Cache, epub: bool, guess: list | None) -> Early:
    """What can be made while the interior is laid out: the front cover's JPEG and the EPUB's fonts (into the
    cache, where the EPUB finds them).

    With the page starts of the last build (`guess`), the EPUB itself: a rebuild after an edit that moved no
    page break gives the same starts, and the EPUB made here is then the one the build writes (the page starts
    are all it takes from the layout). Otherwise it is made again after the layout, with the true starts. The
    guess is only made on more than one core: beside a rebuild of one chapter it takes a core that would have
    waited; beside a whole layout, a fifth of a second of a worker, which it saves after the layout when right."""
    warned = len(book.warnings)
    jpeg = cached_front_cover_jpeg(book, cache)
    if epub:
        cut_fonts(book, pages, cache)
    made = Early(jpeg, book.warnings[warned:], set(cache.used))
    if epub and guess is not None:
        warned = len(book.warnings)
        try:
            made.epub = make_epub(book, pages, [PageStart(*start) for start in guess], jpeg, cache)
        except Exception:  # noqa: BLE001 - whatever it is, the EPUB made after the layout reports it
            return made
        made.guess, made.epub_warnings, made.used = guess, book.warnings[warned:], set(cache.used)
    return made


def _last_starts(cache: Cache) -> list | None:
    entry = cache.get("starts", LAST_STARTS)
    starts = entry[0].get("starts") if entry is not None else None
    return starts if isinstance(starts, list) else None


def build_city_booklets(
    project: Path | str,
    out: Path | str | None = None,
    slugs: list[str] | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> BuildResult:
    """Build a print-ready booklet of each city in `slugs` (all when None) into `out/booklets/`."""
    started = time.perf_counter()
    book, out = _read(project, out, progress)
    with output_lock(out / "booklets"):  # where the booklets go: one build at a time, leftovers cleared
        booklets = build_booklets(book, render_pages(book), out, slugs, progress)
    result = BuildResult(book, [Output(path, detail) for path, detail in booklets.written], reports=booklets.reports)
    result.seconds = time.perf_counter() - started
    return result
