"""Thai line breaking in reading systems (issue 20): the EPUB's lines end between words in Chromium, the engine
of most reading apps, without a character added to the text; e-ink readers get U+200B only when the book asks.
The line ends are judged as benchmarks/reading.py judges them (PyThaiNLP `longest`, stock dictionary)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, benchmark_script, browser_tab, output
from lxml import etree

from book.thai import BreakPolicy, mark_for_reading
from book.thai.breaking import ZWSP

XHTML = "http://www.w3.org/1999/xhtml"
CHAPTERS = ("chiang-mai", "lampang", "bangkok-kadijeen", "nakhon-si-thammarat", "khon-kaen")


def paragraph(text: str) -> etree._Element:
    return etree.fromstring(f'<p xmlns="{XHTML}">{text}</p>')


@pytest.mark.parametrize("width", [390, 768])
def test_line_ends_fall_between_words_and_never_inside_a_name(default_book, browser, tmp_path, width):
    bench = benchmark_script("reading")
    folder = bench.unpack(output(default_book, ".epub"), tmp_path)
    files = [folder / f"{slug}.xhtml" for slug in CHAPTERS]
    with browser_tab(browser, width, bench.HEIGHT) as page:
        figures = bench.measure(page, files, default_book.book.break_policy.protected)
    assert figures.line_ends > 150 * 768 // width  # the chapters' paragraphs run to many lines at this width
    assert figures.share >= 99.0, figures.misses
    assert figures.inside_names == []
    assert figures.overflowing == 0  # no word kept whole is wider than the column


def test_words_are_kept_whole_by_markup_and_the_text_is_unchanged():
    policy = BreakPolicy(["สามารถ สุวรรณรัตน์"])
    text = "คนท้องถิ่นร่วมขับเคลื่อนเมืองกับสามารถ สุวรรณรัตน์ ผู้สูงอายุก็ได้เรียนรู้"
    root = paragraph(text)
    mark_for_reading(root, policy)
    assert "".join(root.itertext()) == text
    words = [span.text for span in root.iter(f"{{{XHTML}}}span")]
    assert {"ท้องถิ่น", "ขับเคลื่อน", "ผู้สูงอายุ"} <= set(words)
    assert not any("สุวรรณ" in word and word != "สามารถ สุวรรณรัตน์" for word in words)
    assert len(list(root.iter(f"{{{XHTML}}}wbr"))) >= 3
    assert all(span.get("class") == "word" for span in root.iter(f"{{{XHTML}}}span"))


def test_a_compound_the_dictionary_holds_is_not_broken_in_a_reading_system_though_the_print_may():
    policy = BreakPolicy([])
    text = "ยังคงมองเห็นได้ชัด"
    at = text.index("เห็น")
    assert at in policy.breaks(text)  # the print's justified line may break มอง|เห็น
    assert at not in policy.reading_breaks(text)
    assert set(policy.reading_breaks(text)) <= set(policy.breaks(text))


def test_reading_breaks_are_the_breaks_not_inside_a_compound_the_dictionary_holds():
    """`reading_breaks` finds the words and clusters near each break in order (a slice of each); here they are
    found by going through them all, as its docstring says, on the gold corpora's lines and the book's
    chapters, and on one paragraph of 20,000 characters."""
    from itertools import accumulate

    from book.engine import cluster_starts
    from book.thai.breaking import LONGEST_WORD
    from book.thai.dictionary import word_prefixes

    policy, words = BreakPolicy([]), word_prefixes().words
    gold = Path(__file__).parent / "data" / "thai-seg"
    files = [gold / "wisesight-1000.txt", gold / "ud-thai-pud-1-500.txt", *sorted((ROOT / "chapters").glob("*.md"))]
    lines = [line.replace("|", "") for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line.strip()]
    for text in [*lines, " ".join(lines)[:20000]]:
        starts = [0, *accumulate(len(token) for token in policy.tokens(text))]
        clusters, kept = sorted(cluster_starts(text)), []
        for offset in policy.breaks(text):
            heads = [start for start in starts if offset - LONGEST_WORD < start < offset][-3:]
            ends = [end for end in clusters if offset < end <= offset + LONGEST_WORD]
            if not any(text[head:end] in words for head in heads for end in ends):
                kept.append(offset)
        assert policy.reading_breaks(text) == tuple(kept), text


def test_marks_worked_out_ahead_make_the_same_epub_and_leave_only_the_cut_texts(project, tmp_path, monkeypatch):
    """The reading marks worked out while the layout starts (`reading_ahead`) are the EPUB's: the same EPUB,
    and only the texts the print's page breaks cut in two are segmented once the page list is known."""
    from book.epub import build_epub, reading_ahead
    from book.pdf import lay_out_interior
    from book.project import load_book
    from book.render import render_pages
    from book.scheduler import Cache

    chapter = project / "chapters" / "01-nan.md"  # a paragraph long enough that a print page begins inside it
    long = "ผู้คนในชุมชนเล่าเรื่องราวของตนเองให้ลูกหลานฟังทุกเย็นริมแม่น้ำ " * 40
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + long + "\n", encoding="utf-8")
    book = load_book(project)
    pages = render_pages(book)
    starts = lay_out_interior(book, pages, (), Cache(None)).starts
    assert any(start.offset for start in starts)
    ahead = reading_ahead(book, pages)
    assert len(ahead) == len(pages)  # without a cache, every section
    segmented, reading_breaks = [], BreakPolicy.reading_breaks

    def counted(policy: BreakPolicy, text: str) -> tuple[int, ...]:
        segmented.append(text)
        return reading_breaks(policy, text)

    monkeypatch.setattr(BreakPolicy, "reading_breaks", counted)
    build_epub(book, pages, tmp_path / "ahead.epub", starts, ahead=ahead)
    cut = list(segmented)
    segmented.clear()
    build_epub(book, pages, tmp_path / "alone.epub", starts)
    assert (tmp_path / "ahead.epub").read_bytes() == (tmp_path / "alone.epub").read_bytes()
    assert 0 < len(cut) < len(segmented) / 4
    known = {text for marks in ahead.values() for text, _, _ in marks}
    assert not set(cut) & known  # each is a piece of a text worked out ahead
    assert all(any(piece in text for text in known) for piece in cut)


def test_e_ink_hints_stand_where_the_wbr_would(default_book):
    policy = default_book.book.break_policy
    text = "คนท้องถิ่นร่วมขับเคลื่อนเมือง"
    plain, hinted = paragraph(text), paragraph(text)
    mark_for_reading(plain, policy)
    mark_for_reading(hinted, policy, hints=True)
    wbrs = len(list(plain.iter(f"{{{XHTML}}}wbr")))
    assert wbrs >= 2 and not list(hinted.iter(f"{{{XHTML}}}wbr"))
    assert "".join(hinted.itertext()).count(ZWSP) == wbrs
    assert "".join(hinted.itertext()).replace(ZWSP, "") == text


def test_the_epub_carries_no_zero_width_character_and_keeps_its_names_whole(default_book):
    with zipfile.ZipFile(output(default_book, ".epub")) as archive:
        chapter = archive.read("EPUB/chiang-mai.xhtml").decode()
    assert ZWSP not in chapter and "\u2060" not in chapter
    assert "<wbr/>" in chapter and '<span class="word">ท้องถิ่น</span>' in chapter
    css = Path(ROOT / "book" / "styles" / "epub.css").read_text(encoding="utf-8")
    assert "span.word { white-space: nowrap; }" in css


def test_a_number_stays_with_its_classifier_and_a_numbered_word_with_its_number():
    root = paragraph("มีงานวิจัย 41 ชุดโครงการ ตาม มาตรา 20 ของ 3 คน ในปี 2563 แล้ว")
    mark_for_reading(root, BreakPolicy([]))
    words = [span.text for span in root.iter(f"{{{XHTML}}}span")]
    assert {"41 ชุด", "มาตรา 20", "3 คน"} <= set(words)
    assert "ปี 2563" not in words  # ปี before a year is neither: the space stays a break


def test_thai_digits_alone_are_not_wrapped():
    root = paragraph("ข้อ ๑.")
    mark_for_reading(root, BreakPolicy([]))
    assert [span.text for span in root.iter(f"{{{XHTML}}}span")] == ["ข้อ ๑."]  # a word with its number
    note = paragraph("๑.")
    mark_for_reading(note, BreakPolicy([]))
    assert note.text == "๑." and len(note) == 0


def test_markup_characters_and_a_carriage_return_stay_as_written_around_the_elements_they_sit_by():
    """The words of a text are written as markup and parsed back (`_mark_words`): what markup would read
    otherwise (& < > and a carriage return, which a parser makes a line feed) comes back as it was, and the
    elements between the texts stay where they were."""
    root = paragraph("ชุมชน&amp;ท้องถิ่น<b>ขับเคลื่อน</b> เมือง&lt;เรียนรู้&gt; <i>1</i>")
    bold = root.find(f"{{{XHTML}}}b")
    bold.tail = bold.tail + "\rผู้สูงอายุ"
    text = "".join(root.itertext())
    mark_for_reading(root, BreakPolicy([]))
    assert "".join(root.itertext()) == text
    assert "".join(root.find(f"{{{XHTML}}}b").itertext()) == "ขับเคลื่อน"
    marks = {f"{{{XHTML}}}wbr", f"{{{XHTML}}}span"}
    assert [child.tag.split("}")[1] for child in root if child.tag not in marks] == ["b", "i"]
    assert "\r" in "".join(root.itertext()) and root.find(f"{{{XHTML}}}i").text == "1"
