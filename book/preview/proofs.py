"""Proofs: one page group of the book (a chapter, the credits...) laid out alone by WeasyPrint exactly as the
print PDF lays it out, numbered as in the book when a full build is there to say where it starts, and its
pages drawn as images for the browser.

Proofs are made one at a time (WeasyPrint and PDFium are not made to run in parallel), on demand, and the
latest one of each page is kept until its HTML or the styles change.
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c

from ..pdf import folio_of, front_matter_css, lay_out
from ..project import Book
from ..render import Page
from .state import PACKAGE_TEMPLATES, digest

IMAGE_SCALE = 2.0  # PDF points to image pixels: sharp on high-density screens at the page's printed size


@dataclass(frozen=True)
class Folio:
    """The number printed on a page: in the body's numerals, or the front matter's (ก ข ค, i ii iii)."""

    number: int
    front: bool


@dataclass
class Proof:
    """A page group's print pages: the PDF, how many pages, and the book page number of the first."""

    page_id: str
    version: str
    pdf: bytes
    pages: int
    first_page: int
    build: Path | None  # the full build the numbers come from; None when numbered from 1
    size: tuple[float, float]  # the trim size in CSS pixels, for the images' proportions
    images: dict[int, bytes] = field(default_factory=dict)


class Proofs:
    """Proofs of a book's pages, numbered from the full build in `out` when it has them."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._latest: dict[str, tuple[str, Future[Proof]]] = {}
        self._lock = threading.Lock()
        self._pdfium = threading.Lock()
        self._starts: dict[tuple, dict[str, tuple[int, str]]] = {}
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="preview-proof")

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)

    def proof(self, book: Book, page: Page) -> Proof:
        """The proof of `page` as it is now; made (or waited for) when its HTML, the styles, the print
        template, the settings or the full build changed."""
        build = self.full_build(book)
        folio = self.folio(book, build, page.id) if build else None
        version = digest(page.html, print_inputs(book), repr(folio))
        with self._lock:
            latest = self._latest.get(page.id)
            if latest is None or latest[0] != version:
                future = self._worker.submit(self._make, book, page, version, folio, build if folio else None)
                latest = self._latest[page.id] = (version, future)
        return latest[1].result()

    def full_build(self, book: Book) -> Path | None:
        """The last full build's PDF in the output folder (the screen edition, else the print edition)."""
        for suffix in ("-screen.pdf", "-print.pdf"):
            path = self.out / f"{book.config['id']}{suffix}"
            if path.is_file():
                return path
        return None

    def folio(self, book: Book, build: Path, page_id: str) -> Folio | None:
        """Where `page_id` starts in the full build, as its folio: body pages count from the first chapter's
        first page unless the front matter is numbered on with the body (book/pdf/numbering.py)."""
        first = book.body[0].slug if book.body else None  # the body's first page is page 1
        starts = self._build_starts(build, [page_id, *([first] if first else [])])
        if page_id not in starts:
            return None
        index, label = starts[page_id]
        found = folio_of(label) if label else None
        if found is not None:  # the page's label is its folio (the screen PDF leaves blank pages out)
            return Folio(*found)
        first_chapter = starts[first][0] if first in starts else None
        if book.config.get("front_numerals", "continuous") == "continuous" or first_chapter is None:
            return Folio(index + 1, front=False)
        if index < first_chapter:
            return Folio(index + 1, front=True)
        return Folio(index - first_chapter + 1, front=False)

    def _build_starts(self, build: Path, ids: list[str]) -> dict[str, tuple[int, str]]:
        """The 0-based page of each id in the build, from the PDF's named destinations (WeasyPrint writes
        one per element id), and that page's label ("" for none)."""
        stat = build.stat()
        known = self._starts.setdefault((build, stat.st_mtime_ns, stat.st_size), {})
        wanted = [i for i in ids if i not in known]
        if wanted:
            with self._pdfium:
                document = pypdfium2.PdfDocument(build)
                try:
                    for name in wanted:
                        destination = pdfium_c.FPDF_GetNamedDestByName(document.raw, name.encode("utf-8"))
                        index = pdfium_c.FPDFDest_GetDestPageIndex(document.raw, destination) if destination else -1
                        known[name] = (index, (document.get_page_label(index) or "") if index >= 0 else "")
                finally:
                    document.close()
        return {i: known[i] for i in ids if known[i][0] >= 0}

    def image(self, proof: Proof, number: int) -> bytes | None:
        """Page `number` (1-based, within the proof) as a PNG; None when there is no such page."""
        if not 1 <= number <= proof.pages:
            return None
        if number not in proof.images:
            with self._pdfium:
                document = pypdfium2.PdfDocument(proof.pdf)
                try:
                    bitmap = document[number - 1].render(scale=IMAGE_SCALE)
                    png = io.BytesIO()
                    bitmap.to_pil().save(png, format="PNG")
                finally:
                    document.close()
            proof.images[number] = png.getvalue()
        return proof.images[number]

    def _make(self, book: Book, page: Page, version: str, folio: Folio | None, build: Path | None) -> Proof:
        folio = folio or Folio(1, front=False)
        # Laid out by the print builder itself (pdf.lay_out), the page alone, with the book's folio going on
        # from where the page starts in the book: a <style> in the page's own HTML does that, since
        # WeasyPrint applies a page-counter reset on the first page after its increment.
        numbering = f"@page :first {{ counter-reset: page {folio.number}; }}"
        if folio.front:
            numbering += "\n" + front_matter_css(10_000)
        numbered = replace(page, html=f"<style>{numbering}</style>\n{page.html}")
        document = lay_out(book, [numbered])
        size = (document.pages[0].width, document.pages[0].height)
        return Proof(page.id, version, document.write_pdf(), len(document.pages), folio.number, build, size)


def print_inputs(book: Book) -> str:
    """Everything besides a page's HTML that its print layout follows: settings, fonts, styles, the print
    template (the project's, else the toolkit's)."""
    template = book.templates / "print.html" if book.templates and (book.templates / "print.html").is_file() else None
    template = template or PACKAGE_TEMPLATES / "print.html"
    return digest(repr(book.config), repr(book.fonts), book.css("thai.css", "print.css"), template.read_text("utf-8"))
