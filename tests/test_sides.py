"""A layout turned to the facing sides (book/engine/sides.py) draws what a layout on those sides draws, pixel for
pixel, or is refused when a layout there could differ; a part laid out on a guessed side is written on the side
it proves to open on, turned or laid out again there (book/pdf/partlayout.py `lay_out_part`)."""

from __future__ import annotations

from pathlib import Path

import fontpkg_sarabun
import pypdfium2
import pytest
from conftest import PROJECTS, copy_project
from weasyprint import CSS, HTML
from weasyprint import document as weasyprint_document

from book.engine import margins, sides
from book.pdf import lay_out_part, print_parts
from book.pdf.partlayout import _layouts, _marked
from book.project import load_book
from book.render import render_pages

FONT = (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").as_uri()
# Mirrored margins, a running head on each side (the book's title on the left, the chapter's on the right, but
# not on the page that sets it), footnotes and a box with a background.
STYLE = f"""
@font-face {{ font-family: S; src: url({FONT}) }}
@page {{ size: 110mm 150mm; margin: 14mm 12mm 16mm 20mm; }}
@page :left {{ margin: 14mm 20mm 16mm 12mm; @top-left {{ content: string(book); font: 8pt S; }} }}
@page :right {{ @top-right {{ content: string(chapter, first-except); font: 8pt S; }} }}
html {{ string-set: book "เมืองแห่งการเรียนรู้"; }}
body {{ font: 11pt/1.6 S; text-align: justify; margin: 0; }}
h1 {{ string-set: chapter content(); }}
.note {{ float: footnote; font-size: 8pt; }}
.box {{ height: 25mm; background: #9bd; margin: 3mm 0; }}
"""
PARAGRAPH = (
    "เมืองแห่งการเรียนรู้สร้างโอกาสให้ผู้คนทุกวัยได้เรียนรู้ตลอดชีวิตในชุมชนของตนเอง ห้องสมุด ตลาด และลานวัด"
    "กลายเป็นห้องเรียนที่ทุกคนเป็นทั้งครูและผู้เรียน"
)
TEXT = (
    '<h1>บทที่หนึ่ง</h1><p><a href="#end">ไปท้ายบท</a></p>'
    + f"<p>{PARAGRAPH}<span class='note'>เชิงอรรถของย่อหน้าแรก</span></p>"
    + "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(8))
    + '<div class="box"></div><h2>ตอนที่สอง</h2>'
    + "".join(f"<p>{PARAGRAPH * 3}</p>" for _ in range(8))
    + f'<p id="end">{PARAGRAPH}</p>'
)
LEFT_FIRST = "html { break-before: left; }"  # as a part that opens on a left-hand page is laid out


@pytest.fixture(autouse=True)
def installed():
    """The hook installed while a test runs, and as it was after."""
    before = weasyprint_document.layout_document
    sides.install()
    yield
    weasyprint_document.layout_document = before


def laid_out(side: str, css: str = ""):  # noqa: ANN201 - a WeasyPrint Document
    extra = LEFT_FIRST if side == "left" else ""
    return HTML(string=f"<html lang='th'><body>{TEXT}</body></html>").render(
        stylesheets=[CSS(string=STYLE + css + extra)]
    )


def pixels(pdf: bytes) -> list[bytes]:
    document = pypdfium2.PdfDocument(pdf)
    return [document[i].render(scale=1).to_pil().tobytes() for i in range(len(document))]


@pytest.mark.parametrize("side", ["right", "left"])
def test_a_layout_turned_to_the_facing_sides_is_drawn_as_a_layout_there(side):
    other = sides.FACING[side]
    turned = sides.turned(laid_out(side))
    there = laid_out(other)
    assert turned is not None and len(there.pages) >= 3
    assert [p._page_box.page_type.side for p in turned.pages] == [p._page_box.page_type.side for p in there.pages]
    assert [p.anchors for p in turned.pages] == [p.anchors for p in there.pages]  # where each anchor is
    assert [[link[:3] for link in p.links] for p in turned.pages] == [
        [link[:3] for link in p.links] for p in there.pages
    ]
    drawn, expected = pixels(turned.write_pdf()), pixels(there.write_pdf())
    assert drawn == expected  # the text moved across, the other side's running heads, the footnotes, the box
    assert drawn != pixels(laid_out(side).write_pdf())  # and it is not the layout it was turned from


@pytest.mark.parametrize(
    "css",
    [
        "@page :left { margin-left: 25mm; }",  # a narrower text block on the left
        "@page :left { margin-top: 20mm; }",  # the text block lower on the left
        "h2 { break-before: right; }",  # a break to a side: a blank page or not, by the side
        "@page :left { @footnote { font-size: 12pt; } }",  # the notes set larger on the left
    ],
)
@pytest.mark.parametrize("side", ["right", "left"])
def test_a_layout_that_could_break_otherwise_on_the_other_side_is_not_turned(css, side):
    assert sides.turned(laid_out(side, css)) is None


def test_a_layout_made_without_the_hook_is_not_turned():
    sides.uninstall()
    assert sides.turned(laid_out("right")) is None


# -- a part laid out on a guessed side


def two_chapters(target: Path, css: str = "") -> Path:
    """The floats book (its chapter with figures that move on) with `opening: any` and its chapter twice: the
    second opens on any page."""
    project = copy_project(PROJECTS / "floats", target)
    with (project / "book.yaml").open("a", encoding="utf-8") as config:
        config.write("opening: any\n")
    chapter = (project / "chapters" / "01-river.md").read_text(encoding="utf-8")
    chapter = chapter.replace("infographic river-", "infographic again-").replace(
        "title: ", "slug: again\ntitle: อีก", 1
    )
    (project / "chapters" / "02-again.md").write_text(chapter, encoding="utf-8")
    if css:
        (project / "styles").mkdir(exist_ok=True)
        (project / "styles" / "print.css").write_text(css, encoding="utf-8")
    return project


@pytest.mark.parametrize(
    ("css", "how"),
    [("", "turned"), ("@page :left { margin-left: 25mm; }", "laid out again")],  # a text block of another size
)
def test_a_part_that_proves_to_open_on_the_other_side_is_written_there(css, how, tmp_path):
    """Laid out on the right, and told once laid out that it opens on the left: the part written is the part laid
    out on the left, under the key for the left, with its page count told on the way."""
    book = load_book(two_chapters(tmp_path / "book", css))
    parts = print_parts(book, render_pages(book))
    index = next(i for i, part in enumerate(parts.items) if part.flows)
    part = parts.items[index]
    told = []

    def where(pages: int) -> str:
        told.append(pages)
        return "left"

    on_the_right = _layouts(book, parts).render(_marked(book, part.html, parts, None)[0])
    with margins.only("text"):
        assert (sides.turned(on_the_right) is None) == (how == "laid out again")
    guessed = lay_out_part(book, parts, part, "right-key", ("screen",), side="right", facing="left-key", where=where)
    left = lay_out_part(book, parts, part, "", ("screen",), side="left")
    assert guessed.key == "left-key" and guessed.shapes[0].side == "left"
    assert told == [left.pages]
    assert (guessed.shapes, guessed.anchors, guessed.starts) == (left.shapes, left.anchors, left.starts)
    assert (guessed.fills, guessed.holes, guessed.moved, guessed.ending) == (
        left.fills,
        left.holes,
        left.moved,
        left.ending,
    )
    assert pixels(guessed.pdfs["screen"]) == pixels(left.pdfs["screen"])


def test_a_part_whose_side_is_known_or_not_yet_is_written_where_it_was_laid_out(tmp_path):
    book = load_book(two_chapters(tmp_path / "book"))
    parts = print_parts(book, render_pages(book))
    part = next(part for part in parts.items if part.flows)
    for said in ("right", None):
        laid = lay_out_part(
            book, parts, part, "right-key", (), side="right", facing="left-key", where=lambda _, said=said: said
        )
        assert laid.key == "right-key" and laid.shapes[0].side == "right"
