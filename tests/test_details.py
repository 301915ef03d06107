"""Details a designer sees (issue 19): placeholders whose text fits their box, the infographics manifest in
millimetres and printed folios, preflight's "not final", the contents' page numbers on one right edge, and the
title page on one axis. The front-matter letters are tested in tests/test_numbering.py."""

from __future__ import annotations

import csv
import html
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pikepdf
import pytest
from conftest import MINI, ROOT, copy_project, output, pdftotext

from book.building import build
from book.pdf import preflight, rules_for
from book.pdf.document import _word_ends, figure_size

PT_PER_MM = 72 / 25.4
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
EDGE_PT = 0.5  # what "the same edge" allows: rounding, and half a hairline
LONG_BRIEF = " ".join(["แผนภาพเส้นทางน้ำของเมืองน่านตั้งแต่ต้นน้ำบนดอยจนถึงปากแม่น้ำ แสดงชุมชน วัด ตลาด และโรงเรียนริมฝั่งทั้งสองข้าง"] * 12)


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """The words pdftotext finds on `page` (1-based): text, xMin, yMin, xMax, yMax in pt from the top left of
    the page's MediaBox."""
    found = pdftotext(pdf, "-bbox", "-f", str(page), "-l", str(page))
    return [(html.unescape(text).replace("\u200b", ""), *(float(v) for v in box)) for *box, text in WORD.findall(found)]


def lines(found: list[tuple[str, float, float, float, float]]) -> list[list[tuple]]:
    """`found` words grouped into lines by their top (within a point), top to bottom."""
    rows: dict[int, list[tuple]] = defaultdict(list)
    for word in found:
        rows[round(word[2])].append(word)
    merged: list[list[tuple]] = []
    for top in sorted(rows):
        if merged and top - round(merged[-1][0][2]) <= 1:
            merged[-1] += rows[top]
        else:
            merged.append(rows[top])
    return [sorted(row, key=lambda w: w[1]) for row in merged]


def destinations(pdf_path: Path) -> dict[str, tuple[int, float, float]]:
    """Each named destination: its 1-based page and its point (x, y), in pt from the MediaBox's top left."""
    with pikepdf.open(pdf_path) as pdf:
        index = {page.objgen: n for n, page in enumerate(pdf.pages, start=1)}
        names = pdf.Root.Names.Dests.Names
        found = {}
        for i in range(0, len(names), 2):
            target = names[i + 1]
            target = target.D if isinstance(target, pikepdf.Dictionary) else target
            number = index[target[0].objgen]
            box = [float(v) for v in pdf.pages[number - 1].mediabox]
            found[str(names[i])] = (number, float(target[2]) - box[0], box[3] - float(target[3]))
        return found


def overflowing(pdf: Path, book, figure, brief: str) -> list[str]:  # noqa: ANN001
    """The words of `figure`'s placeholder that stand below its box (the box's place from its `box-ID` anchor,
    its height as printed)."""
    page, left, top = destinations(pdf)[f"box-{figure.id}"]
    width, height = (side * PT_PER_MM for side in figure_size(book, figure.size))
    caption = figure.caption + " " + figure.credit
    inside = f"อินโฟกราฟิก {figure.id} {brief}"
    mine = [
        w for w in words(pdf, page)
        if left - 1 <= w[1] and w[3] <= left + width + 1 and w[2] >= top - 1 and w[0] in inside and w[0] not in caption
    ]  # fmt: skip
    assert mine, (figure.id, page)
    return [w[0] for w in mine if w[4] > top + height + EDGE_PT]


@pytest.mark.parametrize("suffix", ["-print.pdf", "-screen.pdf"])
def test_every_placeholder_text_stays_in_its_box(default_book, suffix):
    """The default book's longest briefs, in all three sizes: set smaller where they need it, never beyond the
    box (they ran over the caption before)."""
    book = default_book.book
    sizes = {figure.size for figure in book.infographics}
    assert sizes == {"full-page", "half-page", "column"}
    pdf = output(default_book, suffix)
    for figure in book.infographics:
        assert overflowing(pdf, book, figure, figure.brief) == [], figure.id


def test_a_brief_too_long_for_its_box_is_shortened_and_kept_whole_in_the_manifest(tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    chapter = project / "chapters" / "01-nan.md"
    text = chapter.read_text(encoding="utf-8")
    declared = "size: half-page\nbrief: แผนที่แม่น้ำน่านช่วงที่ไหลผ่านตัวเมือง พร้อมชุมชนสองฝั่ง"
    assert declared in text
    chapter.write_text(text.replace(declared, f"size: column\nbrief: {LONG_BRIEF}"), encoding="utf-8")
    result = build(project, tmp_path / "out", ("print",))
    figure = next(f for f in result.book.infographics if f.id == "nan-river")
    pdf = output(result, "-print.pdf")
    page = destinations(pdf)[f"box-{figure.id}"][0]
    shown = "".join(w[0] for w in words(pdf, page)).replace(" ", "")
    assert "…" in shown and shown.count("แผนภาพเส้นทางน้ำ") < 12
    cut = shown[shown.index("แผนภาพเส้นทางน้ำ") : shown.index("…")]
    assert LONG_BRIEF.replace(" ", "").startswith(cut)
    assert overflowing(pdf, result.book, figure, LONG_BRIEF) == []
    with output(result, "infographics.csv").open(encoding="utf-8") as manifest:
        rows = {row["id"]: row for row in csv.DictReader(manifest)}
    assert rows["nan-river"]["brief"] == LONG_BRIEF
    ends = {len(LONG_BRIEF[:end].replace(" ", "")) for end in _word_ends(result.book, LONG_BRIEF)}
    assert len(cut) in ends, "the brief is cut at a word boundary the break policy allows, not inside a word"


def printed_folio(pdf: Path, page: int) -> str:
    """The folio printed at the foot of `page`: the last line of its text."""
    found = [line.strip() for line in pdftotext(pdf, "-f", str(page), "-l", str(page)).splitlines() if line.strip()]
    return found[-1] if found and re.fullmatch(r"[0-9๐-๙ก-ฮ]{1,4}", found[-1]) else ""


def test_manifest_gives_sizes_in_millimetres_and_printed_folios(default_book):
    book = default_book.book
    pdf = output(default_book, "-print.pdf")
    with output(default_book, "infographics.csv").open(encoding="utf-8") as manifest:
        reader = csv.DictReader(manifest)
        rows = list(reader)
    assert reader.fieldnames == [
        "id", "chapter", "caption", "brief", "size", "width_mm", "height_mm", "status", "folio", "pdf_page",
    ]  # fmt: skip
    places = destinations(pdf)
    for row, figure in zip(rows, book.infographics, strict=True):
        assert row["brief"] == figure.brief
        assert (float(row["width_mm"]), float(row["height_mm"])) == figure_size(book, figure.size)
        assert int(row["pdf_page"]) == places[f"fig-{figure.id}"][0]
        printed = printed_folio(pdf, int(row["pdf_page"]))
        if printed:  # a full-page figure's page is bare: no folio printed, the one it would carry is given
            assert row["folio"] == printed, row
        assert row["folio"] != row["pdf_page"], "the folio is the page's number in the book, not in the PDF"
    assert sum(1 for row in rows if printed_folio(pdf, int(row["pdf_page"]))) >= len(rows) // 2


def test_placeholders_left_are_a_warning_or_with_final_an_error(default_book):
    pdf = output(default_book, "-print.pdf")
    book = default_book.book
    report = next(r for r in default_book.reports if r.kind == "print")
    assert [(p.code, p.severity) for p in report.problems] == [("P121", "warning")] and report.ok
    pages = sorted({places[0] for name, places in destinations(pdf).items() if name.startswith("box-")})
    assert str(report.problems[0]).count(",") + 1 >= len({p for p in pages}) // 2  # the pages are named
    final = preflight(pdf, rules_for(book, "print", report.pages, final=True))
    assert [(p.code, p.severity) for p in final.problems] == [("P121", "error")] and not final.ok
    screen = next(r for r in default_book.reports if r.kind == "screen")
    assert screen.problems == []  # the screen edition is for reading: no press rule


def test_the_final_flag_fails_a_build_with_placeholders(tmp_path):
    command = [sys.executable, "build.py", "print", "--project", str(MINI), "--out", str(tmp_path), "--lang", "en"]
    done = subprocess.run([*command, "--final"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "[P121]" in done.stderr and "NOT print-ready" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "[P121]" in done.stderr and "warning" in done.stderr, done.stderr
    # the PDF checked again alone: its placeholders are found in it, by their boxes' anchors
    check = [sys.executable, "build.py", "check", "--project", str(MINI), "--lang", "en", "--pdf"]
    check.append(str(tmp_path / "mini-test-book-print.pdf"))
    done = subprocess.run([*check, "--final"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "[P121]" in done.stdout and "NOT print-ready" in done.stdout, done.stdout
    done = subprocess.run(check, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "[P121]" in done.stdout and "warning" in done.stdout, done.stdout


def contents_pages(pdf: Path) -> list[int]:
    """The contents' pages: those of the front matter with dot leaders."""
    pages = pdftotext(pdf, "-l", "12").split("\f")
    return [n for n, text in enumerate(pages, start=1) if "......" in text]


@pytest.mark.parametrize("suffix", ["-print.pdf", "-screen.pdf"])
def test_contents_numbers_stand_on_one_right_edge_and_no_line_is_leaders_only(default_book, suffix):
    """Front matter and body entries, one-line and wrapped titles: each page's numbers end on one edge (a left
    page's text block is mirrored, so each page has its own)."""
    pdf = output(default_book, suffix)
    pages = contents_pages(pdf)
    assert len(pages) == 2
    entries, wrapped = 0, 0
    for page in pages:
        rows = lines(words(pdf, page))
        edges, starts = [], []
        for row in rows:
            texts = [w[0] for w in row]
            assert not all(re.fullmatch(r"\.+", t) for t in texts), f"page {page}: a line of leaders alone"
            if _leads(row):
                assert not re.fullmatch(r"\.+", texts[0]), f"page {page}: leaders open the line {texts}"
                assert re.fullmatch(r"[0-9๐-๙ก-ฮ]{1,4}", texts[-1]), f"page {page}: no page number ends {texts}"
                edges.append(row[-1][3])
                starts.append(row[0][1])
        assert max(edges) - min(edges) <= EDGE_PT, (page, sorted(edges))
        entries += len(edges)
        wrapped += sum(1 for x in starts if x > min(starts) + 5)  # a title's last line, under its first
    assert entries == len(default_book.book.chapters) - 1  # every chapter but the contents itself
    assert wrapped, "the default book's contents has titles that wrap: the leader follows their last line"


def _leads(row: list[tuple]) -> bool:
    return sum(1 for w in row if re.fullmatch(r"\.+", w[0])) >= 4


def test_title_page_and_imprint_stand_on_one_axis(default_book):
    pdf = output(default_book, "-print.pdf")
    title = lines(words(pdf, 1))
    assert len(title) >= 4  # publisher, the title in two lines, the subtitle
    starts = [row[0][1] for row in title]
    assert max(starts) - min(starts) <= EDGE_PT, starts
    imprint = lines(words(pdf, 2))
    left = [row[0][1] for row in imprint if row[0][1] > 0]
    assert max(left) - min(left) <= EDGE_PT, left


OVERFLOWING_JS = """() => [...document.querySelectorAll('.placeholder-box')].flatMap(box => {
    const bottom = box.getBoundingClientRect().bottom, right = box.getBoundingClientRect().right;
    return [...box.querySelectorAll('p')]
        .filter(p => p.getBoundingClientRect().bottom > bottom + 0.5 || p.getBoundingClientRect().right > right + 0.5)
        .map(p => box.id);
})"""


def test_placeholder_text_stays_in_its_box_in_the_epub_at_any_width(default_book, tmp_path, browser):
    """The EPUB's box is as wide as the reader's column: at a phone's width and a wide one, every placeholder's
    text ends inside its box."""
    import zipfile

    from conftest import browser_tab

    with zipfile.ZipFile(output(default_book, ".epub")) as archive:
        archive.extractall(tmp_path)
    chapters = [p for p in sorted((tmp_path / "EPUB").rglob("*.xhtml")) if "placeholder-box" in p.read_text("utf-8")]
    assert len(chapters) >= 10
    for width in (320, 900):
        with browser_tab(browser, width, 700) as tab:
            for chapter in chapters:
                tab.goto(chapter.as_uri())
                assert tab.evaluate(OVERFLOWING_JS) == [], (chapter.name, width)
