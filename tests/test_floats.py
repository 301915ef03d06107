"""Figures that float (book/engine/floats.py): a figure that does not fit on its page goes to the next one while the
text fills this one, figures keep their order, and a pinned figure stays where it stands.

tests/projects/floats is one chapter whose two half-page infographics each fall where the page has no room
left for them: without floats each would leave the page before it about half empty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from book.engine.floats import FULL, SHORT, last_lines, marked_floats
from book.pdf import lay_out_interior, lay_out_part, print_parts
from book.pdf.document import text_block
from book.pdf.partlayout import _layouts, _marked
from book.project import load_book
from book.render import render_pages
from book.scheduler import project_cache
from tests.conftest import PROJECTS, ROOT, copy_project

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


def test_pictures_infographics_and_tables_float_and_nothing_else() -> None:
    html = (
        '<figure class="picture size-column" id="a"></figure><figure class="picture size-page" id="b"></figure>'
        '<figure class="infographic size-half-page placeholder" id="c"></figure><div class="table-wrap"></div>'
        '<figure class="opener-ornament"></figure><div class="pullquote"></div>'
    )
    marked = marked_floats(html)
    assert [int(n) for n in re.findall(r'data-float="(\d+)"', marked)] == [0, 1, 2, 3]
    assert 'class="opener-ornament">' in marked and 'class="pullquote">' in marked


def test_a_chapter_does_not_end_with_a_page_of_three_lines_or_fewer(tmp_path: Path) -> None:
    """Ten paragraphs and three one-line ones fill two pages and three lines: the chapter is set two lines
    longer on the pages before its last, and ends a page sooner."""
    project = copy_project(FLOATS, tmp_path / "book")
    _short_ending(project)
    book = load_book(project)
    parts = print_parts(book, render_pages(book))
    part = next(p for p in parts.items if p.pages[0].kind == "chapter")
    layouts = _layouts(book, parts)
    plain = layouts.render(marked_floats(_marked(book, part.html, parts, None)[0]))
    assert len(plain.pages) == 3 and last_lines(plain.pages) <= SHORT  # what it would be
    laid = lay_out_part(book, parts, part, "", ())
    assert laid.pages == 2
    assert laid.fills[-1] > 0.5


def test_a_chapter_that_ends_with_a_page_sized_figure_does_not_leave_its_last_lines_alone(tmp_path: Path) -> None:
    """The same chapter with a full-page infographic after its text: the three lines before the figure's page are
    the chapter's ending, and are taken back as well."""
    project = copy_project(FLOATS, tmp_path / "book")
    chapter = project / "chapters" / "01-river.md"
    paragraphs = [p for p in chapter.read_text(encoding="utf-8").split("\n\n") if p.startswith("ย่อหน้าที่")]
    short = ["ทุกคนเป็นครูและผู้เรียนในเวลาเดียวกัน"] * 3
    figure = "::: infographic river-plan\ncaption: ผังเมืองริมน้ำ\nsize: full-page\nbrief: ผังเมืองทั้งหน้า\n:::"
    text = "\n\n".join(paragraphs[:9] + paragraphs[:1] + short + [figure])
    chapter.write_text("---\ntitle: ท้ายบท\n---\n\n" + text + "\n")
    book = load_book(project)
    parts = print_parts(book, render_pages(book))
    part = next(p for p in parts.items if p.pages[0].kind == "chapter")
    layouts = _layouts(book, parts)
    plain = layouts.render(marked_floats(_marked(book, part.html, parts, None)[0]))
    assert len(plain.pages) == 4 and last_lines(plain.pages[:3]) <= SHORT  # what it would be
    assert last_lines(plain.pages) == 0  # the placeholder's own lines are no text of the chapter
    laid = lay_out_part(book, parts, part, "", ())
    assert laid.pages == 3


def test_no_chapter_of_the_default_book_ends_with_a_short_page(default_book) -> None:  # noqa: ANN001
    laid = interior(ROOT)  # from the cache the session's build filled
    line = 11 * 1.75 / 72 * 25.4 / text_block(default_book.book)[1]  # a body line, as a share of the page
    for part in laid.parts_laid_out:
        if part.id in ("title-page", "contents"):
            continue
        fills = [fill for fill, shape in zip(part.fills, part.shapes, strict=True) if not shape.blank]
        assert fills[-1] == 0 or fills[-1] > (SHORT + 0.5) * line, (part.id, fills[-1])


def test_the_default_book_has_no_hole_before_a_figure(default_book) -> None:  # noqa: ANN001
    assert interior(ROOT).holes == []


def _short_ending(project: Path) -> None:
    chapter = project / "chapters" / "01-river.md"
    paragraphs = [p for p in chapter.read_text(encoding="utf-8").split("\n\n") if p.startswith("ย่อหน้าที่")]
    short = ["ทุกคนเป็นครูและผู้เรียนในเวลาเดียวกัน"] * 3
    chapter.write_text("---\ntitle: ท้ายบท\n---\n\n" + "\n\n".join(paragraphs[:9] + paragraphs[:1] + short) + "\n")


@pytest.mark.parametrize("case", ["figures", "ending"])
def test_a_part_laid_out_on_the_other_side_from_its_first_layout_is_laid_out_as_from_scratch(case, tmp_path):
    """A chapter laid out on the right and then on the left, starting from where the first layout moved its
    figures and how it ended the chapter (one layout), has the pages of the chapter laid out on the left from
    scratch (a layout for each figure that moves, and for each ending tried)."""
    project = copy_project(FLOATS, tmp_path / "book")
    if case == "ending":
        _short_ending(project)
    book = load_book(project)
    parts = print_parts(book, render_pages(book))
    part = next(p for p in parts.items if p.pages[0].kind == "chapter")
    right = lay_out_part(book, parts, part, "", (), side="right")
    assert (right.moved != marked_floats(_marked(book, part.html, parts, None)[0])) == (case == "figures")
    assert bool(right.ending) == (case == "ending")
    then = lay_out_part(book, parts, part, "", (), side="left", moved=right.moved, ending=right.ending)
    scratch = lay_out_part(book, parts, part, "", (), side="left")
    assert then.shapes == scratch.shapes and then.shapes[0].side == "left"
    assert (then.starts, then.fills, then.holes) == (scratch.starts, scratch.fills, scratch.holes)
    assert (then.moved, then.ending) == (scratch.moved, scratch.ending)
    assert [s.text for s in then.starts] == [s.text for s in right.starts]
