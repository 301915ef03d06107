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
def paragraphs(book):
    texts = [
        p.text_content() for c in book.numbered[6:12] for p in lxml.html.fromstring(f"<div>{c.html}</div>").xpath("./p")
    ]
    return paragraph_lines(typeset(book, texts))


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


def test_each_letter_spaced_text_is_drawn_as_wide_as_it_was_justified(paragraphs):
    """WeasyPrint lays each text out again to draw it, with the letter spacing its line took. Laid out so here,
    every text is as wide as its line counted it: the spacing Pango puts before a ำ and the hook takes back
    (`book/engine/pango.py`) is off the width once, in both."""
    from weasyprint.text.line_break import line_size

    spaced = [
        text
        for paragraph in paragraphs
        for line in paragraph[:-1]
        for text in line.descendants()
        if isinstance(text, boxes.TextBox) and getattr(text.pango_layout, "cluster_spacing", 0)
    ]
    assert len(spaced) > 100
    for text in spaced:
        text.pango_layout.reactivate(text.style)  # as WeasyPrint does to draw it
        first, _ = text.pango_layout.get_first_line()
        drawn = line_size(first, text.style)[0] - text.pango_layout.hugged
        text.pango_layout.deactivate()
        assert drawn == pytest.approx(text.width, abs=0.01), text.text
