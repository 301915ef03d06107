"""Thai line breaking: where the toolkit lets lines break, checked on laid-out lines of real text."""

import re
from pathlib import Path

import pytest
from conftest import ROOT

from book.engine.graphemes import clusters
from book.pdf.lines import line_text, paragraph_lines, typeset
from book.project.reading import load_book
from book.thai.breaking import NBSP, ZWSP, BreakPolicy, mark_for_browser, mark_for_print

# Gold-segmented real Thai text kept with the tests (tests/data/thai-seg/README.md: source and licence).
GOLD = Path(__file__).parent / "data" / "thai-seg"
SETS = ("wisesight-1000.txt", "ud-thai-pud-1-500.txt")
LEADING_VOWELS = "เแโใไ"


def bad_line_ends(lines: list[str]) -> list[str]:
    """Line ends that split a grapheme cluster, strand ๆ or a closing mark, or leave a leading vowel."""
    bad = []
    for before, after in zip(lines, lines[1:], strict=False):
        head = after.lstrip()
        if not head or not before.strip():
            continue
        joined = before.rstrip() + head
        if len(clusters(joined)) != len(clusters(before.rstrip())) + len(clusters(head)):
            bad.append(f"{before[-8:]}|{head[:8]} (inside a cluster)")
        elif head[0] in "ๆฯ”’)]?!%":
            bad.append(f"{before[-8:]}|{head[:8]} (starts with {head[0]})")
        elif before.rstrip()[-1] in LEADING_VOWELS + "“‘([":
            bad.append(f"{before[-8:]}|{head[:8]} (ends with {before.rstrip()[-1]})")
    return bad


def test_the_check_itself_sees_bad_line_ends():
    assert bad_line_ends(["ต่าง", "ๆ นานา"]) == ["ต่าง|ๆ นานา (starts with ๆ)"]
    assert bad_line_ends(["น้", "ำท่วม"]) == ["น้|ำท่วม (inside a cluster)"]
    assert bad_line_ends(["ทุกเ", "มือง"]) == ["ทุกเ|มือง (ends with เ)"]
    assert bad_line_ends(["ทุก", "เมือง"]) == []


@pytest.fixture(scope="module")
def book():
    return load_book(ROOT)


@pytest.fixture(scope="module")
def real_text() -> list[str]:
    texts = []
    for name in SETS:
        lines = (GOLD / name).read_text(encoding="utf-8").split("\n")
        texts += [re.sub(r"\s+", " ", line).strip() for line in lines[:150] if line.strip()]
    return texts


def test_no_line_end_inside_a_cluster_or_before_mai_yamok(book, real_text):
    document = typeset(book, real_text)
    lines = [[line_text(line) for line in paragraph] for paragraph in paragraph_lines(document)]
    assert sum(len(p) for p in lines) > 300
    assert [bad for paragraph in lines for bad in bad_line_ends(paragraph)] == []


def test_the_book_chapters_break_cleanly(book):
    import lxml.html

    texts = [
        p.text_content()
        for chapter in book.numbered[:6]
        for p in lxml.html.fromstring(f"<div>{chapter.html}</div>").xpath("./p")
    ]
    lines = [[line_text(line) for line in paragraph] for paragraph in paragraph_lines(typeset(book, texts))]
    assert [bad for paragraph in lines for bad in bad_line_ends(paragraph)] == []


def test_protected_names_and_units_stay_on_one_line(book):
    names = ["สามารถ สุวรรณรัตน์", "ลลิตา จิตเมตตาบริสุทธิ์", "เมืองแห่งการเรียนรู้", "บพท.", "ย่านกะดีจีน"]
    units = ["พ.ศ. 2563", "ฯลฯ", "฿1,500", "ต่าง ๆ", "“ความรู้”"]
    filler = "ผู้คนในเมืองเรียนรู้ร่วมกันทุกวันโดยไม่ต้องรอใคร"
    texts = [f"{filler[: n % 17]}{x}{filler[: 17 - n % 17]}" * 3 for n, x in enumerate((names + units) * 6)]
    lines = [[line_text(line) for line in paragraph] for paragraph in paragraph_lines(typeset(book, texts))]
    for paragraph in lines:
        for before, after in zip(paragraph, paragraph[1:], strict=False):
            edge = before.rstrip() + "|" + after.lstrip()
            for word in names + units:
                for cut in range(1, len(word)):
                    assert word[:cut].rstrip() + "|" + word[cut:].lstrip() not in edge, (word, edge)


def test_break_opportunities_follow_confident_word_boundaries():
    policy = BreakPolicy(["สามารถ สุวรรณรัตน์"])
    marked = policy.for_print("เดินทางไปหัวหินกับสามารถ สุวรรณรัตน์เพื่อการเรียนรู้ของเมือง")
    assert marked.replace(ZWSP, "|").replace(NBSP, "_") == "เดินทาง|ไป|หัวหิน|กับ|สามารถ_สุวรรณรัตน์|เพื่อ|การเรียนรู้|ของ|เมือง"


def test_browsers_get_names_and_units_wrapped_not_altered(book):
    html = mark_for_browser("<p>ในปี พ.ศ. 2563 สามารถ สุวรรณรัตน์ไปเมืองต่าง ๆ</p>", book.break_policy)
    assert '<span class="nobr">พ.ศ. 2563</span>' in html
    assert '<span class="nobr">สามารถ สุวรรณรัตน์</span>' in html
    assert '<span class="nobr">ต่าง ๆ</span>' in html  # ๆ with its whole word, not "ง ๆ"
    assert ZWSP not in html
    hinted = mark_for_browser("<p>เมืองแห่งการเรียนรู้ของผู้คน</p>", book.break_policy, hints=True)
    assert hinted.count(ZWSP) >= 1 and "เมืองแห่งการเรียนรู้" in hinted.replace(ZWSP, "")


def test_rendered_pages_carry_the_browser_marks(book):
    from book.render.rendering import render_pages

    credits = next(p for p in render_pages(book) if p.kind == "credits")
    assert '<span class="nobr">สามารถ สุวรรณรัตน์</span>' in credits.html


def test_epub_text_is_clean_unless_the_book_asks_for_break_hints(project, tmp_path):
    import zipfile

    from conftest import run_epubcheck, severities

    from book.building import build

    def chapter_text(out):
        result = build(project, out, ("epub",))
        epub = next(o.path for o in result.outputs if o.path.suffix == ".epub")
        with zipfile.ZipFile(epub) as archive:
            return archive.read("EPUB/nan.xhtml").decode(), epub

    clean, _ = chapter_text(tmp_path / "clean")
    assert ZWSP not in clean and "ผู้คนในเมืองเรียนรู้จากแม่น้ำ" in re.sub(r"<[^>]+>", "", clean)  # words in markup
    with open(project / "book.yaml", "a", encoding="utf-8") as config:
        config.write("epub:\n  break_hints: true\n")
    hinted, epub = chapter_text(tmp_path / "hinted")
    assert hinted.count(ZWSP) > 5
    words = re.sub(r"<[^>]+>", "", hinted)
    assert "ผู้คนในเมืองเรียนรู้จากแม่น้ำ" not in words and "แม่น้ำน่าน" in words.replace(ZWSP, "")
    found = severities(run_epubcheck(epub))
    assert found.get("ERROR", []) == found.get("WARNING", []) == []


def test_the_quick_word_list_segments_like_pythainlps_trie():
    """newmm with `WordPrefixes` (read in hundredths of a second) finds the words PyThaiNLP's own trie finds,
    on the gold corpora's lines and on every chapter of the book."""
    from pythainlp.tokenize import word_dict_trie, word_tokenize

    from book.thai.dictionary import word_prefixes

    lines = [line for name in SETS for line in _lines(GOLD / name)]
    lines += [line for path in sorted((ROOT / "chapters").glob("*.md")) for line in _lines(path)]
    assert len(lines) > 1000
    quick, trie = word_prefixes(), word_dict_trie()
    for line in lines:
        assert word_tokenize(line, engine="newmm", custom_dict=quick) == word_tokenize(
            line, engine="newmm", custom_dict=trie
        ), line


def _lines(path):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_print_marking_takes_known_texts_and_reports_every_text(book):
    policy = book.break_policy
    html = "<!DOCTYPE html><html><body><p>เมืองแห่งการเรียนรู้</p><p>ผู้คนในเมือง</p></body></html>"
    used: dict[str, str] = {}
    first = mark_for_print(html, policy, None, used)
    assert set(used) == {"เมืองแห่งการเรียนรู้", "ผู้คนในเมือง"}
    assert mark_for_print(html, policy, used) == first  # the same, without segmenting again
    known = {"ผู้คนในเมือง": "ผู้คน\u200bใน\u200bเมือง (as marked before)"}
    assert "(as marked before)" in mark_for_print(html, policy, known)  # a known text is not marked again


def test_mai_yamok_keeps_the_whole_word_before_it_in_a_browser():
    """ๆ goes with its word: a reading system is never handed เล็|ก ๆ as two pieces."""
    policy = BreakPolicy(["เชียงใหม่"])
    text = "พบย่านเล็ก ๆ ที่ค่อย ๆ เปลี่ยนไป และอุปกรณ์ต่าง ๆ"
    assert [text[start:end] for start, end in policy.glued(text)] == ["เล็ก ๆ", "ค่อย ๆ", "ต่าง ๆ"]
    marked = mark_for_browser(text, policy)
    assert '<span class="nobr">เล็ก ๆ</span>' in marked and '<span class="nobr">ต่าง ๆ</span>' in marked


def test_the_word_before_mai_yamok_is_the_one_newmm_finds_in_the_whole_text():
    """`glued` segments only the text from the space before each ๆ; it finds the word newmm finds there in the
    whole text (a space parts newmm's words, and ๆ joins the word before it): on every line of the gold corpora
    and the book's chapters with ๆ, and on one paragraph of 400."""
    import re
    from itertools import accumulate

    policy = BreakPolicy([])
    lines = [line for name in SETS for line in _lines(GOLD / name)]
    lines += [line for path in sorted((ROOT / "chapters").glob("*.md")) for line in _lines(path)]
    lines = [line.replace("|", "") for line in lines if re.search(r"\S\s+ๆ", line)]
    assert len(lines) > 40
    for text in [*lines, "เด็ก ๆ ในชุมชนเล่าเรื่องของตนเองให้ผู้ใหญ่ฟังทุกเย็นริมแม่น้ำ " * 400]:
        starts = list(accumulate((len(token) for token in policy.tokens(text)), initial=0))
        wanted = [(max(t for t in starts if t <= m.start()), m.end()) for m in re.finditer(r"\S\s+ๆ", text)]
        assert [span for span in policy.glued(text) if text[span[1] - 1] == "ๆ"] == wanted, text
