"""A build, as a checklist: read the book, render its pages, lay out the print interior, write each output,
and report what was written and what preflight found.

Each step is plain code. The layout hands its parts to the scheduler (`book/scheduler/`), which lays them out
on every core and keeps them in the cache; no other step knows that there are workers or a cache behind the
layout. The writing hands the scheduler two jobs, the PDFs and the EPUB, which run side by side on a machine
with a core to spare; what each wrote, found or warned about is reported as if this process had done both."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from .diagnostics import BookError, Diagnostic
from .epub import build_epub, reading_ahead
from .pdf import (
    Editions,
    Interior,
    build_booklets,
    cached_front_cover_jpeg,
    cover_edition,
    infographics_csv,
    lay_out_interior,
    print_edition,
    screen_edition,
)
from .project import Book, lint_chapters, load_book
from .publish import withdrawn_while_writing, write_download_files
from .render import Page, render_pages
from .scheduler import PARTIAL, Ahead, Cache, Workers, output_lock, project_cache, write_atomic, write_text_atomic
from .thai import BreakPolicy, ReadingMarks

TARGETS = ("pdf", "epub")  # a full build; "print" is the print PDF alone
# What a build keeps only its own of; the EPUB's reading marks are kept through builds without the EPUB.
CACHED = ("parts", "folios", "fonts", "markdown", "breaks", "reading", "placeholders")


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
    lint: list[Diagnostic] = field(default_factory=list)  # the Thai lint's findings in the chapters (`check`)
    laid_out: tuple[int, int] = (0, 0)  # parts laid out by this build, of all parts

    @property
    def print_ready(self) -> bool:
        return all(report.ok for report in self.reports)


def output_name(book: Book, suffix: str) -> str:
    return f"{book.config['id']}{suffix}"


def build(
    project: Path | str,
    out: Path | str | None = None,
    targets: tuple[str, ...] = TARGETS,
    progress: Callable[[str], None] = lambda step: None,
    cache: bool = True,
    final: bool = False,
    strict: bool = False,
) -> BuildResult:
    """Build `targets` ("pdf": the print, screen and cover PDFs; "print": the print PDF alone; "epub") of the
    project into `out` (default `project/dist`), with the cache in `project/.cache` unless `cache` is False;
    raises `BookError` on problems. A `final` build's print PDF fails preflight if a placeholder is left. The
    Thai lint's findings are counted in the result; a `strict` build refuses them as errors (`BookError`)
    before anything is laid out or written, so the outputs of the last build stay as they were."""
    started = time.perf_counter()
    store = project_cache(Path(project).resolve(), cache)
    book, out = _read(project, out, progress, store)
    lint = _lint(book, strict)
    with output_lock(out):
        pages = render_pages(book)
        marks = _reading_ahead(book, pages, store) if "epub" in targets else None
        variants = ("print", "screen") if "pdf" in targets else ("print",) if "print" in targets else ()
        interior = lay_out_interior(book, pages, variants, store, progress)
        result = BuildResult(book, laid_out=(interior.laid_out, interior.parts), lint=lint)
        progress(_writing_step(targets))
        cover = cached_front_cover_jpeg(book, store) if {"pdf", "epub"} & set(targets) else None
        with withdrawn_while_writing(out) as download_files:  # no page that lists a file it does not describe
            _write_editions(result, pages, interior, targets, out, store, cover, final, marks)
            if variants:
                _write_manifest(result, interior, out)
        if set(TARGETS) <= set(targets) or download_files.listed:  # written last, from the files in `out`
            _write_download_page(result, out, store)
        store.keep_only_used(CACHED if "epub" in targets else tuple(k for k in CACHED if k != "reading"))
    result.seconds = time.perf_counter() - started
    return result


def _reading_ahead(book: Book, pages: list[Page], cache: Cache) -> Ahead:
    """The EPUB's Thai reading marks of the sections not in the cache (`reading_ahead`), worked out in a worker
    while this process fits the placeholders and the layout starts: the EPUB, made beside the PDFs once the
    layout is done, was the longer of the two writing jobs."""
    return Ahead(BreakPolicy.warm, (book.break_policy,), reading_ahead, book, pages, cache)


def _read(
    project: Path | str, out: Path | str | None, progress: Callable[[str], None], cache: Cache | None = None
) -> tuple[Book, Path]:
    """The book, read and checked, and the folder its outputs go to (default `project/dist`)."""
    progress("อ่านต้นฉบับและตรวจสอบ (reading and checking the sources)")
    book = load_book(project, cache)
    return book, Path(out) if out else book.root / "dist"


def _lint(book: Book, strict: bool) -> list[Diagnostic]:
    """The Thai lint's findings in the book's chapters; `strict`, each one an error that stops the build."""
    findings, _ = lint_chapters(book.root, [c.path for c in book.chapters], book.config, book.fonts)
    if strict and findings:
        raise BookError([replace(d, severity="error") for d in findings])
    return findings


def _writing_step(targets: tuple[str, ...]) -> str:
    if set(targets) == {"epub"}:
        return "ประกอบ EPUB (packaging the EPUB)"
    return "เขียนไฟล์และตรวจก่อนพิมพ์ (writing and preflighting the files)"


@dataclass
class _Written:
    """What one writing job made: the files (path and what to say about each), preflight's reports, and the
    warnings it added to the book and the cache entries it used, both in the process that ran it."""

    outputs: list[Output] = field(default_factory=list)
    reports: list = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    used: set[Path] = field(default_factory=set)


def _write_editions(
    result: BuildResult,
    pages: list[Page],
    interior: Interior,
    targets: tuple[str, ...],
    out: Path,
    cache: Cache,
    cover: bytes | None,
    final: bool,
    marks: Ahead | None = None,
) -> None:
    """The PDFs and the EPUB, side by side on a machine with a core to spare: they share nothing but what the
    layout gave them, and one at a time, the EPUB's Thai marks and the PDFs' joins and preflight left a core
    idle for a second or more. The EPUB is made aside (`_prepared`) and put in place here, after the PDFs, as
    before: a build whose PDFs fail replaces nothing, and only this process replaces outputs (the download
    page is withdrawn first, `withdrawn_while_writing`)."""
    book = result.book
    jobs = [job for job, wanted in (("epub", "epub" in targets), ("pdfs", bool(interior.variants))) if wanted]
    try:
        ahead = marks.result() if marks is not None else {}
        with Workers(_ready_to_write, book, pages, interior, targets, out, cache, cover, final, ahead) as pool:
            written = dict(zip(jobs, pool.map(_write, jobs), strict=True))
        for job in ("pdfs", "epub"):  # in this order, whichever process made them
            if job in written:
                if job == "epub":
                    write_atomic(out / output_name(book, ".epub"), partial(os.replace, _prepared(book, out)))
                result.outputs += written[job].outputs
                result.reports += written[job].reports
                book.warnings.extend(w for w in written[job].warnings if w not in book.warnings)
                cache.used |= written[job].used  # or the build would delete them as unused
    finally:
        _prepared(book, out).unlink(missing_ok=True)  # made, but not put in place


# What the writing jobs work on (see `_ready_to_write`).
_writing: tuple = ()


def _ready_to_write(*context: object) -> None:
    global _writing
    _writing = context


def _write(job: str) -> _Written:
    """The PDFs ("pdfs") or the EPUB ("epub"), in whichever process takes the job."""
    book, pages, interior, targets, out, cache, cover, final, ahead = _writing
    warned, used = len(book.warnings), set(cache.used)
    written = _Written()
    if job == "pdfs":
        for editions in _write_pdfs(book, interior, targets, out, cache, cover, final):
            written.outputs += [Output(path, detail) for path, detail in editions.written]
            written.reports += editions.reports
    else:
        written.outputs.append(_write_epub(book, pages, interior, out, cache, cover, ahead))
    written.warnings = book.warnings[warned:]
    written.used = cache.used - used
    return written


def _write_pdfs(
    book: Book,
    interior: Interior,
    targets: tuple[str, ...],
    out: Path,
    cache: Cache,
    cover: bytes | None,
    final: bool = False,
) -> list[Editions]:
    """The print and screen editions of the laid-out interior, and the cover sized for it with the front
    `cover` as JPEG beside it, each preflighted (the print edition as `final`: no placeholder left)."""
    written = []
    if "print" in interior.variants:
        written.append(print_edition(book, interior, out / output_name(book, "-print.pdf"), final))
    if "screen" in interior.variants:
        written.append(screen_edition(book, interior, out / output_name(book, "-screen.pdf")))
    if "pdf" in targets:
        pdf, jpeg = out / output_name(book, "-cover.pdf"), out / output_name(book, "-cover.jpg")
        written.append(cover_edition(book, interior.pages + interior.padding, pdf, jpeg, cover, cache))
    return written


def _write_epub(
    book: Book,
    pages: list[Page],
    interior: Interior,
    out: Path,
    cache: Cache,
    cover: bytes | None,
    ahead: dict[str, list[ReadingMarks]],
) -> Output:
    """The EPUB, with the print edition's page list and the front `cover`, made aside (`_prepared`) for the
    build to put in place; what to say about it, under the name it will have. `ahead` are the reading marks
    worked out while the layout started (`reading_ahead`)."""
    ebook = build_epub(book, pages, _prepared(book, out), interior.starts, cover, cache, ahead)
    target = out / output_name(book, ".epub")
    return Output(target, f"{ebook.documents} documents, {ebook.print_pages} print pages")


def _prepared(book: Book, out: Path) -> Path:
    """Where the EPUB is made before the build puts it in place: in the hidden folder of files being written,
    which the next build clears if this one is killed (`output_lock`)."""
    return out / PARTIAL / output_name(book, ".epub")


def _write_manifest(result: BuildResult, interior: Interior, out: Path) -> None:
    """The infographics manifest, with the page each one fell on."""
    book = result.book
    folios = {start.number: start.label for start in interior.starts}
    path = write_text_atomic(out / "infographics.csv", infographics_csv(book, interior.figure_pages, folios))
    ready = sum(1 for figure in book.infographics if figure.artwork)
    result.outputs.append(Output(path, f"{len(book.infographics)} infographics, {ready} ready"))


def _write_download_page(result: BuildResult, out: Path, cache: Cache) -> None:
    """The readers' download page and the OPDS feed, listing every file of the book in `out`: those this
    build wrote, and those an earlier build wrote that this one did not replace; with those files, they are the
    readers' site (`out/site`), named as the outputs for the producer to upload."""
    page, feed = write_download_files(result.book, out, cache=cache)
    page_detail = "download page; upload its folder as it is"
    result.outputs += [Output(page, page_detail), Output(feed, "OPDS acquisition feed")]


def build_chapter_booklets(
    project: Path | str,
    out: Path | str | None = None,
    slugs: list[str] | None = None,
    progress: Callable[[str], None] = lambda step: None,
    final: bool = False,
) -> BuildResult:
    """Build a print-ready booklet of each chapter in `slugs` (every numbered one when None) into `out/booklets/`
    (`final`: a placeholder left fails preflight)."""
    started = time.perf_counter()
    book, out = _read(project, out, progress)
    with output_lock(out / "booklets"):  # where the booklets go: one build at a time, leftovers cleared
        booklets = build_booklets(book, render_pages(book), out, slugs, progress, final)
    result = BuildResult(book, [Output(path, detail) for path, detail in booklets.written], reports=booklets.reports)
    result.seconds = time.perf_counter() - started
    return result
