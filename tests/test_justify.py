"""Thai justification: lines end flush, phrase gaps stay small, and lines that cannot be justified well
stay ragged instead of overflowing."""

import lxml.html
import pytest
from conftest import ROOT
from weasyprint.formatting_structure import boxes

from book.pdf.lines import paragraph_lines, typeset
from book.project.reading import load_book


@pytest.fixture(scope="module")
def book():
    return load_book(ROOT)


@pytest.fixture(scope="module")
def document(book):
    texts = [
        p.text_content() for c in book.numbered[6:12] for p in lxml.html.fromstring(f"<div>{c.html}</div>").xpath("./p")
    ]
    return typeset(book, texts)


@pytest.fixture(scope="module")
def paragraphs(document):
    return paragraph_lines(document)


def test_justified_lines_are_flush_and_gaps_small(book, paragraphs):
    em = 11 * 96 / 72
    lines = [line for paragraph in paragraphs for line in paragraph[:-1]]
    assert len(lines) > 200
    from book.pdf.document import text_block

    measure = text_block(book)[0] * 96 / 25.4  # px; left and right pages start at different x
    flush = [line for line in lines if abs(line.width - measure) < 0.5]
    overflow = [line for line in lines if line.width > measure + 0.5]
    assert overflow == []
    assert len(flush) / len(lines) > 0.9, f"{len(flush)} of {len(lines)} lines are flush"
    widest = max(
        (t.justification_spacing for line in lines for t in line.descendants() if isinstance(t, boxes.TextBox)),
        default=0,
    )
    assert widest / em < 0.355  # added to the 0.243 em space: under 0.6 em between phrases


def test_ragged_when_the_book_says_so(book):
    book.config["justify"] = False
    try:
        texts = [p.text_content() for p in lxml.html.fromstring(f"<div>{book.numbered[0].html}</div>").xpath("./p")]
        from book.pdf.document import generated_css

        assert "p { text-align: left; }" in generated_css(book, lambda face: "")
    finally:
        book.config["justify"] = True
    assert "p { text-align: justify; }" in generated_css(book, lambda face: "")
    assert texts


def test_each_stretched_text_is_drawn_as_wide_as_its_line_counted_it(document, monkeypatch):
    """WeasyPrint shapes each text again to draw it, and only then does a text take the stretch its line gave it
    (`book/engine/justify.py`). Drawn by WeasyPrint's own `draw_first_line`, every text of the sample's justified
    lines is as wide as its line counted it, to a Pango unit: no line is drawn past the measure or short of it."""
    from weasyprint.draw import text as drawing
    from weasyprint.text.ffi import FROM_UNITS, ffi

    drawn = []
    draw_first_line = drawing.draw_first_line

    def measured(stream, textbox, *args, **kwargs):  # noqa: ANN001, ANN202 - WeasyPrint's own signature
        result = draw_first_line(stream, textbox, *args, **kwargs)
        stretch = getattr(textbox.pango_layout, "stretch", None)
        if stretch is not None and any(stretch.units):
            width, run = 0, textbox.pango_layout.get_first_line()[0].runs
            while run != ffi.NULL:
                glyphs = run.data.glyphs
                width += sum(glyphs.glyphs[i].geometry.width for i in range(glyphs.num_glyphs))
                run = run.next
            drawn.append((textbox.text, width * FROM_UNITS, textbox.width))
        return result

    monkeypatch.setattr(drawing, "draw_first_line", measured)
    document.write_pdf()
    assert len(drawn) > 300
    assert [text for text, width, counted in drawn if abs(width - counted) > 0.002] == []
