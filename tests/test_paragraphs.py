"""Whole-paragraph line breaking (book/engine/paragraphs.py): a paragraph's breaks are chosen together, a number
keeps its classifier and มาตรา its number where another choice exists, a last line of one word is avoided, the
widths planned are the widths WeasyPrint draws, each line made is the one WeasyPrint's own call makes (a soft
hyphen shows its hyphen), a plan is kept with its fonts, and a real page has no ragged line inside a paragraph."""

import re

import fontpkg_kanit
import fontpkg_sarabun
import lxml.html
import pytest
from conftest import ROOT
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text import line_break

from book.engine import paragraphs
from book.pdf.document import text_block
from book.pdf.lines import paragraph_lines, thai_layout, typeset
from book.project.reading import load_book
from book.thai import BreakPolicy, mark_for_browser

FONT = (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").as_uri()
KANIT = (fontpkg_kanit.ROOT / "files" / "Kanit-Regular.ttf").as_uri()
ZWSP, NBSP = "\u200b", "\u00a0"
SHY, HYPHEN = "\u00ad", "\u2010"  # a soft hyphen, and the hyphen WeasyPrint shows at one
# Words with the break opportunities marked, as book/thai/breaking.py marks them for print.
WORDS = "เมือง แห่ง การเรียนรู้ สร้าง โอกาส ให้ ผู้คน ทุก วัย ได้ เรียนรู้ ตลอด ชีวิต ใน ชุมชน ของ ตนเอง".split()


def lines_of(texts: list[str], width: int, greedy: bool) -> list[list[str]]:
    """The lines (their text, marks kept) of each of `texts` set justified `width` px wide in Sarabun 16 px."""
    return [[line_text(line) for line in lines] for lines in paragraph_lines(set_in(FONT, texts, width, greedy))]


def set_in(font: str, texts: list[str], width: int, greedy: bool = False):  # noqa: ANN201 - a WeasyPrint Document
    """`texts` set justified `width` px wide, 16 px, in `font` under the family name S, in fonts of their own."""
    style = f"@font-face {{ font-family: S; src: url({font}) }} body {{ font: 16px S; margin: 0 }}"
    style += f" p {{ width: {width}px; text-align: justify; margin: 0 0 1em }}"
    body = "".join(f"<p>{text}</p>" for text in texts)
    with thai_layout(), paragraphs.greedy(greedy):
        return HTML(string=f'<html lang="th"><style>{style}</style><body>{body}</body></html>').render()


def line_text(line) -> str:  # noqa: ANN001 - a WeasyPrint line box
    return "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))


def sentence(seed: int, words: int) -> str:
    """`words` words from WORDS, a different order for each seed, joined by break opportunities."""
    return ZWSP.join(WORDS[(seed * 7 + i * 5) % len(WORDS)] for i in range(words))


def count(paragraphs_: list[list[str]], broken) -> int:  # noqa: ANN001
    """How many line ends in `paragraphs_` `broken(line, next line)` is true of."""
    return sum(broken(a, b) for lines in paragraphs_ for a, b in zip(lines, lines[1:], strict=False))


# Paragraphs with a number and its classifier, or มาตรา and its number, somewhere in them: at one of the widths
# below greedy breaking parts them, and whole-paragraph breaking must not.
NUMBERED = [f"{sentence(s, 9)} 41 ชุด{ZWSP}{sentence(s + 1, 8)} มาตรา 12 {sentence(s + 2, 9)}" for s in range(6)]
WIDTHS = range(300, 560, 12)


@pytest.fixture(scope="module")
def numbered():
    return {greedy: [lines_of(NUMBERED, width, greedy) for width in WIDTHS] for greedy in (True, False)}


def test_a_number_keeps_its_classifier_when_another_break_will_do(numbered):
    def parted(line: str, following: str) -> bool:
        return line.rstrip(" " + ZWSP).endswith("41") and following.startswith("ชุด")

    assert sum(count(p, parted) for p in numbered[True]) > 0  # greedy breaking does part them
    assert sum(count(p, parted) for p in numbered[False]) == 0


def test_matra_keeps_its_number(numbered):
    def parted(line: str, following: str) -> bool:
        return line.rstrip(" " + ZWSP).endswith("มาตรา") and following.startswith("12")

    assert sum(count(p, parted) for p in numbered[True]) > 0
    assert sum(count(p, parted) for p in numbered[False]) == 0


def spaced(seed: int, words: int) -> str:
    """Like `sentence`, with a phrase space after every third word (where a line can stretch)."""
    chosen = [WORDS[(seed * 7 + i * 5) % len(WORDS)] for i in range(words)]
    return "".join(w + ("" if i == words - 1 else " " if i % 3 == 2 else ZWSP) for i, w in enumerate(chosen))


def one_word_last_lines(paragraphs_: list[list[str]]) -> int:
    return sum(len(lines) > 1 and len(re.findall(r"[^ \u200b]+", lines[-1])) == 1 for lines in paragraphs_)


@pytest.mark.parametrize(("seed", "width"), [(9, 300), (13, 340), (16, 380), (25, 340)])
def test_no_one_word_last_line_when_another_break_will_do(seed, width):
    text = spaced(seed, 10 + seed % 13)
    assert one_word_last_lines(lines_of([text], width, greedy=True)) == 1
    assert one_word_last_lines(lines_of([text], width, greedy=False)) == 0


def test_fewer_one_word_last_lines_in_all():
    """Where keeping a word company would pull another line's letters too far apart, the word stays alone."""
    texts = [spaced(seed, 10 + seed % 13) for seed in range(30)]
    greedy = sum(one_word_last_lines(lines_of(texts, width, True)) for width in (300, 340, 380))
    whole = sum(one_word_last_lines(lines_of(texts, width, False)) for width in (300, 340, 380))
    assert whole < greedy / 2


def test_the_widths_planned_are_the_widths_weasyprint_draws():
    """Each line's natural width, as the paragraph's plan measured it from the whole text at once, against the
    width of the line then made (which WeasyPrint's own call gives too: the test below)."""
    paragraphs.RECORD = []
    try:
        lines_of([sentence(s, 30) + " Learning City 2567 " + sentence(s + 3, 20) for s in range(4)], 320, False)
        record = list(paragraphs.RECORD)
    finally:
        paragraphs.RECORD = None
    assert len(record) >= 20
    assert max(abs(planned - drawn) for _, planned, drawn in record) < 0.05  # px


def test_the_x_of_each_break_measured_in_one_pass_is_the_x_pango_gives_it(monkeypatch):
    """The plan takes every character's x from the widths Pango gives each run (`_cluster_x`), not by asking
    Pango for each break, which is quadratic in the paragraph's length. At every break and line end it is exactly
    the x Pango gives: Thai marks and ำ, digits, Latin, another face's glyphs for what Sarabun lacks, a no-break
    space, and a break Pango allows inside a grapheme (a stray mark after a space, which it measures by itself).
    A layout with a right-to-left run asks Pango for each one (`_positions`)."""
    measure, compared = paragraphs._measure, []

    def checked(text, style, context, spacing):  # noqa: ANN001, ANN202
        breaks, x = measure(text, style, context, spacing)
        layout = line_break.create_layout(text, style, context, None, spacing)
        one_pass = paragraphs._cluster_x(layout.layout, len(text)) is not None
        asked = paragraphs._positions(layout.layout, text, set(x) - {len(text)})
        layout.deactivate()
        compared.append((one_pass, {offset: x[offset] for offset in asked}, asked))
        return breaks, x

    monkeypatch.setattr(paragraphs, "_measure", checked)
    mixed = f"ที่{ZWSP}น้ำ{ZWSP}ทำ{ZWSP}คำ 2567 Learning City ✓ ①{NBSP}ๆ กด \u0e49กิน"  # a stray mark after a space
    texts = [f"{sentence(s, 40)} {mixed} {sentence(s + 1, 30)}" for s in range(3)]
    lines_of([*texts, f"{sentence(4, 20)} שלום עולם {sentence(5, 20)}"], 300, False)
    assert sum(one_pass for one_pass, _, _ in compared) >= 3
    assert any(not one_pass for one_pass, _, _ in compared)  # the paragraph with Hebrew in it
    assert sum(len(asked) for _, _, asked in compared) > 300
    for _, x, asked in compared:
        assert x == asked


def test_each_planned_line_is_the_line_weasyprint_makes_at_that_width(monkeypatch):
    """The hook makes each planned line itself, as WeasyPrint's split_first_line finishes a line it breaks.
    Asked for the same text with exactly that line's width, WeasyPrint's own call gives the same line: its
    text, length, where the next line starts, its width, height and baseline."""
    steer, compared = paragraphs.steer, []

    def checked(original, text, style, context, max_width, spacing, is_line_start):  # noqa: ANN001, ANN202
        made = steer(original, text, style, context, max_width, spacing, is_line_start)
        if made is not None:
            own = original(text, style, context, made[3] + 0.01, spacing, is_line_start, False)
            compared.append((made, own))
        return made

    monkeypatch.setattr(paragraphs, "steer", checked)
    spaced = [f"{sentence(s, 14)} ทำ{ZWSP}คำ{ZWSP}น้ำ {sentence(s + 2, 9)} ๆ Learning City 2567" for s in range(4)]
    for width in (280, 330):
        lines_of(spaced + NUMBERED[:3], width, False)
    assert len(compared) >= 30
    for made, own in compared:
        assert (made[0].text, made[1], made[2]) == (own[0].text, own[1], own[2])
        assert made[3:] == pytest.approx(own[3:], abs=0.001)


def test_a_line_that_ends_at_a_soft_hyphen_shows_its_hyphen():
    """A plan may end a line at a soft hyphen (in an English word of a Thai paragraph): WeasyPrint then draws the
    hyphen, as it does when it breaks there itself."""
    words = f"in{SHY}ter{SHY}na{SHY}tion{SHY}al com{SHY}mu{SHY}ni{SHY}ca{SHY}tion"
    texts = [f"{sentence(s, 12)} {words} {sentence(s + 1, 10)} {words}" for s in range(8)]
    lines = [line for width in (200, 230, 260) for each in lines_of(texts, width, False) for line in each]
    assert sum(line.endswith(SHY + HYPHEN) for line in lines) >= 5
    assert not any(line.rstrip().endswith(SHY) for line in lines)


def test_a_paragraph_set_again_in_another_font_under_the_same_name_is_planned_again():
    """A paragraph's plan is remembered for each font configuration (a build's fonts), not by the fonts'
    names: when the face behind a name changes (a designer swaps the file while the preview runs), the same
    text at the same width is broken for the new face."""

    def lines(document) -> list[tuple[str, list[float]]]:  # noqa: ANN001
        found = [line for each in paragraph_lines(document) for line in each]
        return [
            (line_text(line), [t.width for t in line.descendants() if isinstance(t, boxes.TextBox)]) for line in found
        ]

    texts = [sentence(s, 30) + " Learning City 2567 " + sentence(s + 3, 20) for s in range(3)]
    set_in(KANIT, texts, 330)  # Kanit, a wider face, as S first
    again = lines(set_in(FONT, texts, 330))
    paragraphs._plans.clear()
    assert again == lines(set_in(FONT, texts, 330))


def test_a_no_break_space_beside_a_space_becomes_one():
    policy = BreakPolicy()
    marked = policy.for_print(f"ตาม มาตรา{NBSP} 41 และ มาตรา {NBSP}42 ของ{NBSP}{NBSP}กฎหมาย")
    assert f"มาตรา{NBSP}41" in marked.replace(ZWSP, "")
    assert f"มาตรา{NBSP}42" in marked.replace(ZWSP, "")
    assert f"{NBSP}{NBSP}" in marked  # two no-break spaces are the author's: kept
    browser = mark_for_browser(f"<p>ตาม มาตรา{NBSP} 41</p>", policy)
    assert f"มาตรา{NBSP}41" in lxml.html.fromstring(browser).text_content()


def test_a_real_page_has_no_ragged_line_inside_a_paragraph():
    """The second page of the default book's first chapter, set through the book's stylesheet. (The first page
    has one ragged line: "...ได้สนับสนุนการพัฒนา" before the protected compound เมืองแห่งการเรียนรู้, which no
    break can help; benchmarks/composition.py counts such lines.)"""
    book = load_book(ROOT)
    chapter = book.numbered[0]
    texts = [p.text_content() for p in lxml.html.fromstring(f"<div>{chapter.html}</div>").xpath("./p")]
    document = typeset(book, texts)
    measure = text_block(book)[0] * 96 / 25.4
    page = document.copy(document.pages[1:2])
    inner = [line for lines in paragraph_lines(page) for line in lines[:-1]]
    assert len(inner) > 15
    assert [line.width for line in inner if abs(line.width - measure) > 0.75] == []  # px
