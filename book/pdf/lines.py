"""The lines of typeset paragraphs, as text: what the line-breaking checks and benchmarks look at."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

from weasyprint import HTML, Document
from weasyprint.formatting_structure import boxes

from ..engine import justify, pango
from ..project.model import Book
from ..thai.breaking import NBSP, ZWSP, mark_for_print
from .document import generated_css


@contextmanager
def thai_layout(enabled: bool = True) -> Iterator[None]:
    """WeasyPrint with the toolkit's Thai hooks (or, for comparison, without them)."""
    if enabled:
        pango.install()
        justify.install()
    else:
        pango.uninstall()
        justify.uninstall()
    try:
        yield
    finally:
        pango.install()
        justify.install()


def typeset(book: Book, texts: list[str], toolkit: bool = True) -> Document:
    """`texts` as justified paragraphs at the book's body size and measure, through the toolkit's line
    breaking (or plain WeasyPrint when `toolkit` is false)."""
    css = generated_css(book, lambda face: face.path.as_uri()) + book.css("thai.css", "print.css")
    body = "".join(f"<p>{escape(text)}</p>" for text in texts)
    html = f'<html lang="th"><head><style>{css} p {{ text-align: justify; text-indent: 0 }}</style></head>'
    html += f"<body>{body}</body></html>"
    if toolkit:
        html = mark_for_print(html, book.break_policy)
    with thai_layout(toolkit):
        return HTML(string=html).render()


def paragraph_lines(document: Document) -> list[list[boxes.LineBox]]:
    """The line boxes of each paragraph in order (a paragraph split across pages comes in pieces)."""
    found: dict[int, list[boxes.LineBox]] = {}

    def walk(box: boxes.Box) -> None:
        if isinstance(box, boxes.BlockBox) and box.element_tag == "p":
            found.setdefault(id(box.element), []).extend(c for c in box.children if isinstance(c, boxes.LineBox))
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return list(found.values())


def line_text(line: boxes.LineBox) -> str:
    """A line's text as the reader sees it: without the toolkit's break marks."""
    text = "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
    return text.replace(ZWSP, "").replace(NBSP, " ")
