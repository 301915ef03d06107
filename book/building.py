"""A build: read the book once, render every page once, then hand them to each builder."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cover import front_cover_jpeg
from .editions import build_booklets, build_editions
from .epub import build_epub
from .model import Book
from .outputs import infographics_csv, output_lock, write_text_atomic
from .pdf import print_layout
from .reading import load_book
from .rendering import render_pages

TARGETS = ("pdf", "epub")


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

    @property
    def print_ready(self) -> bool:
        return all(report.ok for report in self.reports)


def output_name(book: Book, suffix: str) -> str:
    return f"{book.config['id']}{suffix}"


def _read(project: Path | str, out: Path | str | None, progress: Callable[[str], None]) -> tuple[Book, Path]:
    """The book, read and checked, and the folder its outputs go to (default `project/dist`)."""
    progress("อ่านต้นฉบับและตรวจสอบ (reading and checking the sources)")
    book = load_book(project)
    return book, Path(out) if out else book.root / "dist"


def build(
    project: Path | str,
    out: Path | str | None = None,
    targets: tuple[str, ...] = TARGETS,
    progress: Callable[[str], None] = lambda step: None,
) -> BuildResult:
    """Build `targets` of the project into `out` (default `project/dist`); raises `BookError` on problems."""
    started = time.perf_counter()
    book, out = _read(project, out, progress)
    with output_lock(out):
        result = _build(book, out, targets, progress)
    result.seconds = time.perf_counter() - started
    return result


def _build(book: Book, out: Path, targets: tuple[str, ...], progress: Callable[[str], None]) -> BuildResult:
    pages = render_pages(book)
    result = BuildResult(book)
    figure_pages: dict[str, int] = {}
    if "pdf" in targets:
        editions = build_editions(book, pages, out, lambda suffix: output_name(book, suffix), progress)
        pdf = editions.interior
        figure_pages = pdf.figure_pages
        result.outputs += [Output(path, detail) for path, detail in editions.written]
        result.reports += editions.reports
    if "epub" in targets:
        progress("ประกอบ EPUB (packaging the EPUB)")
        layout = pdf.document if "pdf" in targets else print_layout(book, pages)  # its pages give the page list
        ebook = build_epub(book, pages, out / output_name(book, ".epub"), layout, front_cover_jpeg(book))
        result.outputs.append(Output(ebook.path, f"{ebook.documents} documents, {ebook.print_pages} print pages"))
    if "pdf" in targets:
        manifest = write_text_atomic(out / "infographics.csv", infographics_csv(book.infographics, figure_pages))
        ready = sum(1 for f in book.infographics if f.artwork)
        result.outputs.append(Output(manifest, f"{len(book.infographics)} infographics, {ready} ready"))
    if set(TARGETS) <= set(targets):  # a full build: the download page and the feed list every file
        from .download import write_download_files

        page, feed = write_download_files(book, out, [o.path for o in result.outputs])
        result.outputs += [Output(page, "download page"), Output(feed, "OPDS acquisition feed")]
    return result


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
