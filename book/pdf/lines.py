"""Paragraphs typeset the book's way, and their lines as text (read back by `book/engine/lineboxes.py`): what
the line-breaking checks and benchmarks look at."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from html import escape

from weasyprint import HTML, Document

from ..engine import justify, line_text, pango, paragraph_lines
from ..project import Book
from ..thai import mark_for_print
from .document import generated_css, stylesheets

__all__ = ["line_text", "paragraph_lines", "thai_layout", "typeset"]


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
    css = generated_css(book, lambda face: face.path.as_uri()) + stylesheets(book)
    body = "".join(f"<p>{escape(text)}</p>" for text in texts)
    html = f'<html lang="th"><head><style>{css} p {{ text-align: justify; text-indent: 0 }}</style></head>'
    html += f"<body>{body}</body></html>"
    if toolkit:
        html = mark_for_print(html, book.break_policy)
    with thai_layout(toolkit):
        return HTML(string=html).render()
