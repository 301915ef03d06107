"""The print PDF: every page joined into one HTML document and laid out by WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.html
from weasyprint import HTML

from . import textlayer
from .fonts import font_face_css, role_css
from .model import Book
from .outputs import write_atomic
from .rendering import Page, render_document


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    figure_pages: dict[str, int]  # infographic id -> 1-based page in the PDF


def generated_css(book: Book, font_url) -> str:
    """CSS that follows from `book.yaml`: fonts, trim size, the folio counter style."""
    trim = book.config["trim"]
    folio = "thai" if book.config["numerals"] == "thai" else "decimal"
    return "\n".join(
        [
            font_face_css(book.fonts, font_url),
            role_css(book.fonts),
            f"@page {{ size: {trim['width']} {trim['height']}; }}",
            f"@counter-style folio {{ system: extends {folio}; }}",
        ]
    )


def print_html(book: Book, pages: list[Page]) -> str:
    """The print edition as one HTML document, footnotes moved to where they are called."""
    css = "\n".join([generated_css(book, lambda face: face.path.as_uri()), book.css("thai.css", "print.css")])
    return render_document(book, "print.html", pages=[_footnotes_inline(page) for page in pages], css=css)


def _footnotes_inline(page: Page) -> Page:
    """WeasyPrint sets a `float: footnote` element at the foot of the page where it stands, so each note's
    text goes in place of its call, and the notes section goes."""
    if 'class="footnotes"' not in page.html:
        return page
    root = lxml.html.fromstring(f"<div>{page.html}</div>")
    notes = {aside.get("id"): aside for aside in root.xpath(".//aside[@class='footnote']")}
    for call in root.xpath(".//a[@class='noteref']"):
        aside = notes.get(call.get("href", "")[1:])
        sup = call.getparent()
        if aside is None or sup is None:
            continue
        for back in aside.xpath(".//a[@class='backlink']"):
            back.drop_tree()
        note = lxml.html.Element("span", {"class": "footnote-inline", "id": aside.get("id")})
        for index, paragraph in enumerate(aside.xpath("./p")):
            if index:
                note.append(lxml.html.Element("br"))
            span = lxml.html.Element("span")
            span.text, span[:] = paragraph.text, list(paragraph)
            note.append(span)
        note.tail = sup.tail
        sup.getparent().replace(sup, note)
    for section in root.xpath(".//section[@class='footnotes']"):
        section.drop_tree()
    html = "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return Page(page.id, page.kind, page.title, html, page.chapter, page.landmark)


def build_print_pdf(book: Book, pages: list[Page], target: Path) -> PdfResult:
    """Lay out the print edition and write it to `target` (atomically)."""
    textlayer.install()
    document = HTML(string=print_html(book, pages), base_url=str(book.root / "assets") + "/").render()
    figure_pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            if anchor.startswith("fig-"):
                figure_pages.setdefault(anchor[4:], number)
    write_atomic(target, lambda path: document.write_pdf(path))
    return PdfResult(target, len(document.pages), figure_pages)
