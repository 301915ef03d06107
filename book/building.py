"""A build: read the book once, render every page once, then hand them to each builder."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .epub import build_epub
from .model import Book
from .outputs import infographics_csv, write_text_atomic
from .pdf import build_print_pdf
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


def output_name(book: Book, suffix: str) -> str:
    return f"{book.config['id']}{suffix}"


def build(
    project: Path | str,
    out: Path | str | None = None,
    targets: tuple[str, ...] = TARGETS,
    progress: Callable[[str], None] = lambda step: None,
) -> BuildResult:
    """Build `targets` of the project into `out` (default `project/dist`); raises `BookError` on problems."""
    started = time.perf_counter()
    progress("อ่านต้นฉบับและตรวจสอบ (reading and checking the sources)")
    book = load_book(project)
    out = Path(out) if out else book.root / "dist"
    pages = render_pages(book)
    result = BuildResult(book)
    figure_pages: dict[str, int] = {}
    if "pdf" in targets:
        progress("จัดหน้า PDF สำหรับงานพิมพ์ (laying out the print PDF)")
        pdf = build_print_pdf(book, pages, out / output_name(book, "-print.pdf"))
        figure_pages = pdf.figure_pages
        result.outputs.append(Output(pdf.path, f"{pdf.pages} pages"))
    if "epub" in targets:
        progress("ประกอบ EPUB (packaging the EPUB)")
        ebook = build_epub(book, pages, out / output_name(book, ".epub"))
        result.outputs.append(Output(ebook.path, f"{ebook.documents} documents"))
    if "pdf" in targets:
        manifest = write_text_atomic(out / "infographics.csv", infographics_csv(book.infographics, figure_pages))
        ready = sum(1 for f in book.infographics if f.artwork)
        result.outputs.append(Output(manifest, f"{len(book.infographics)} infographics, {ready} ready"))
    result.seconds = time.perf_counter() - started
    return result
