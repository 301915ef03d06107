"""Figures that float (book/pdf/floats.py): a figure that does not fit on its page goes to the next one while the
text fills this one, figures keep their order, and a pinned figure stays where it stands.

tests/projects/floats is one chapter whose two half-page infographics each fall where the page has no room
left for them: without floats each would leave the page before it about half empty."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from book.pdf import lay_out_interior
from book.pdf.floats import FULL, marked_floats
from book.project import load_book
from book.render import render_pages
from book.scheduler import project_cache
from tests.conftest import PROJECTS, copy_project

FLOATS = PROJECTS / "floats"


def interior(project: Path):  # noqa: ANN201 - an Interior
    book = load_book(project)
    return lay_out_interior(book, render_pages(book), (), project_cache(project, False))


def chapter_pages(laid) -> list[float]:  # noqa: ANN001
    """The fills of the chapter's pages but its last (the chapter is the book's longest part)."""
    part = max(laid.parts_laid_out, key=lambda p: p.pages)
    pages = [fill for fill, shape in zip(part.fills, part.shapes, strict=True) if not shape.blank]
    return pages[:-1]


def test_a_figure_that_does_not_fit_leaves_no_hole() -> None:
    laid = interior(FLOATS)
    fills = chapter_pages(laid)
    assert len(fills) >= 3
    assert laid.holes == []
    assert min(fills) >= FULL, fills


def test_figures_keep_their_order() -> None:
    laid = interior(FLOATS)
    pages = laid.figure_pages
    assert set(pages) == {"river-map", "river-chart"}
    assert pages["river-map"] < pages["river-chart"]


def test_a_pinned_figure_stays_where_it_stands(tmp_path: Path) -> None:
    project = copy_project(FLOATS, tmp_path / "book")
    (project / "assets").mkdir(exist_ok=True)
    Image.new("RGB", (1600, 1400), "steelblue").save(project / "assets" / "river.jpg", dpi=(300, 300))
    chapter = project / "chapters" / "01-river.md"
    text = chapter.read_text(encoding="utf-8")
    start = text.index("::: infographic river-map")
    end = text.index(":::\n", start + 3) + 4
    pinned = '![แม่น้ำ](river.jpg "แม่น้ำยามเช้า"){.pin}\n'
    chapter.write_text(text[:start] + pinned + text[end:], encoding="utf-8")
    assert min(chapter_pages(interior(project))) < FULL  # it stays, and leaves its hole
    chapter.write_text(text[:start] + pinned.replace("{.pin}", "") + text[end:], encoding="utf-8")
    assert min(chapter_pages(interior(project))) >= FULL


def test_only_figures_that_share_the_page_float() -> None:
    html = (
        '<figure class="picture size-column" id="a"></figure><figure class="picture size-page" id="b"></figure>'
        '<figure class="infographic size-half-page placeholder" id="c"></figure><div class="table-wrap"></div>'
    )
    marked = marked_floats(html)
    assert marked.count("data-float=") == 3
    assert 'size-page" id="b"' in marked
