"""Cross-references and figure and table numbers (book/render/references.py), checked on the built book: every
page reference prints the folio of the page its target is on in the print PDF, in the front matter and the body,
laid out part by part and as one document; references are links in the screen PDF and the EPUB; numbers are the
same in every edition; a reference to no target is a diagnostic at its file, line and column."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import lxml.etree
import lxml.html
import pikepdf
import pytest
from conftest import NS, PROJECTS, ROOT, copy_project, output, pdftotext, run_epubcheck

from book.building import build
from book.diagnostics.problems import BookError
from book.pdf.document import lay_out
from book.project.reading import load_book
from book.render import render_pages

XREF = PROJECTS / "xref"
FOLIO = re.compile(r"^(?:[๐-๙]+|[ก-ฮ])$")
# (what the text says just before a page reference, text found only on its target's page, the folio expected
# there: a figure, a table, a heading in the front matter, a heading in the body)
PAGE_REFERENCES = [
    ("พบแผนที่ท่าเรือที่", "แผนที่ท่าเรือเก่ากับโกดังริมน้ำ", "๑"),
    ("พบตารางน้ำขึ้นน้ำลงที่", "ระดับน้ำที่ท่าเรือเก่าตลอดฤดูน้ำหลาก", "๒"),
    ("ที่มาของหนังสือเล่มนี้อยู่ที่", "ที่มาของเล่ม", "ค"),
    ("ซึ่งอยู่ที่", "ระดับน้ำที่ท่าเรือเก่าตลอดฤดูน้ำหลาก", "๒"),
    ("ส่วนภาพที่๑อยู่ที่", "แผนที่ท่าเรือเก่ากับโกดังริมน้ำ", "๑"),
    ("บันทึกน้ำขึ้นน้ำลงอยู่ที่", "บันทึกน้ำขึ้นน้ำลง", "๒"),
]


@pytest.fixture(scope="module")
def xref(tmp_path_factory: pytest.TempPathFactory):
    return build(XREF, tmp_path_factory.mktemp("xref"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_texts(pdf: Path) -> list[str]:
    return pdftotext(pdf).split("\f")


def folios(pdf: Path) -> list[str | None]:
    """The folio printed on each page: the lowest word that is a page number (it sits in the foot margin)."""
    tree = lxml.etree.fromstring(pdftotext(pdf, "-bbox").encode())
    found = []
    for page in tree.iter("{*}page"):
        words = [(float(w.get("yMax")), w.text) for w in page.iter("{*}word") if FOLIO.match(w.text or "")]
        found.append(max(words)[1] if words else None)
    return found


def printed_references(texts: list[str], before: str) -> list[str]:
    """The page numbers printed after `before` (its spaces ignored), through the book."""
    spaced = r"\s*".join(re.escape(character) for character in squash(before) + "หน้า")
    pattern = re.compile(spaced + r"\s*([๐-๙]+|[ก-ฮ])(?![ก-๙])")  # a folio below it is on a line of its own
    return [found for text in texts for found in pattern.findall(text)]


def target_page(texts: list[str], text: str) -> int:
    return next(i for i, page in enumerate(texts) if squash(text) in squash(page))


def test_every_page_reference_prints_the_page_its_target_is_on_in_the_print_pdf(xref):
    pdf = output(xref, "-print.pdf")
    texts, printed_folios = page_texts(pdf), folios(pdf)
    for before, target, expected in PAGE_REFERENCES:
        page = target_page(texts, target)
        assert printed_folios[page] == expected, (target, page)
        assert printed_references(texts, before) == [expected], before


def test_one_document_prints_the_same_page_numbers_as_the_parts(xref, tmp_path):
    """`build.py html` and the booklets lay the book out as one document, with target-counter()."""
    book = load_book(XREF)
    single = tmp_path / "single.pdf"
    lay_out(book, render_pages(book)).write_pdf(single)
    texts, printed_folios = page_texts(single), folios(single)
    for before, target, expected in PAGE_REFERENCES:
        assert printed_folios[target_page(texts, target)] == expected, target
        assert printed_references(texts, before) == [expected], before


def test_references_are_links_to_their_targets_page_in_the_screen_pdf(xref):
    pdf = output(xref, "-screen.pdf")
    texts = page_texts(pdf)
    expected = {
        "fig-harbour-map": target_page(texts, "แผนที่ท่าเรือเก่ากับโกดังริมน้ำ"),
        "tbl-tides": target_page(texts, "ระดับน้ำที่ท่าเรือเก่าตลอดฤดูน้ำหลาก"),
        "origin": target_page(texts, "ที่มาของเล่ม"),
    }
    with pikepdf.open(pdf) as document:
        index = {page.objgen: n for n, page in enumerate(document.pages)}
        tree = pikepdf.NameTree(document.Root.Names.Dests)
        linked = {}
        for number, page in enumerate(document.pages):
            for link in page.obj.get("/Annots", []):
                if link.get("/Subtype") == "/Link" and "/Dest" in link and str(link.Dest) in expected:
                    linked.setdefault(str(link.Dest), set()).add(number)
                    assert index[tree[str(link.Dest)][0].objgen] == expected[str(link.Dest)], str(link.Dest)
    assert set(linked) == set(expected)
    assert linked["origin"] == {target_page(texts, "ที่มาของหนังสือเล่มนี้อยู่ที่")}


def test_references_are_links_that_resolve_in_the_epub_and_it_passes_epubcheck(xref):
    epub = output(xref, ".epub")
    report = run_epubcheck(epub)
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0)
    with zipfile.ZipFile(epub) as archive:
        documents = {
            Path(name).name: lxml.etree.fromstring(archive.read(name))
            for name in archive.namelist()
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml")
        }
    links = 0
    for name, tree in documents.items():
        for link in tree.xpath("//x:a[contains(@class, 'xref')]", namespaces=NS):
            file_name, _, anchor = link.get("href").partition("#")
            target = documents[file_name or name]
            if anchor:
                assert target.xpath("//*[@id=$id]", id=unquote(anchor)), link.get("href")
            links += 1
    assert links == 14  # every reference in the book
    market = documents["market.xhtml"]
    named = [link.xpath("string()") for link in market.xpath("//x:a[contains(@class, 'xref')]", namespaces=NS)]
    assert named[:3] == ["บทที่\u00a0๑ ท่าเรือเก่าริมแม่น้ำ", "ตารางที่\u00a0๑", "ตารางที่\u00a0๑"]  # a page reference names it


def test_figures_and_tables_are_numbered_the_same_in_print_and_epub(xref):
    with zipfile.ZipFile(output(xref, ".epub")) as archive:
        captions = [
            squash(caption.xpath("string()"))
            for name in ("harbour.xhtml", "market.xhtml")
            for caption in lxml.etree.fromstring(archive.read(f"EPUB/{name}")).xpath(
                "//x:figcaption | //x:caption", namespaces=NS
            )
        ]
    numbers = [re.match(r"(ภาพที่|ตารางที่)[๐-๙]+", caption)[0] for caption in captions]
    assert numbers == ["ภาพที่๑", "ตารางที่๑", "ภาพที่๒", "ตารางที่๒"]
    printed = squash(pdftotext(output(xref, "-print.pdf")))
    for caption in captions:
        assert caption.replace("อินโฟกราฟิก:ฝ่ายศิลป์ทดสอบ", "") in printed


def test_unnumbered_figures_are_named_by_their_caption(tmp_path):
    project = copy_project(XREF, tmp_path / "book")
    yaml = project / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("figures: numbered\n", ""), encoding="utf-8")
    book = load_book(project)
    page = next(p for p in render_pages(book) if p.id == "market")
    links = lxml.html.fromstring(page.html).xpath("//a[@class='xref'][@href='#fig-harbour-map']")
    assert [link.text_content() for link in links] == ["ภาพ “แผนที่ท่าเรือเก่ากับโกดังริมน้ำ”"]
    assert "ภาพที่" not in page.html
    assert '<span class="table-number">ตารางที่\u00a0๒</span>' in page.html  # tables are numbered apart


def break_reference(tmp_path: Path, wrong: str) -> tuple[Path, int, int]:
    """A copy of the book whose market chapter refers to `wrong`; the line and column it is at."""
    project = copy_project(XREF, tmp_path / "book")
    chapter = project / "chapters" / "02-market.md"
    text = chapter.read_text(encoding="utf-8")
    line = "ตลาดน้ำคึกคักตั้งแต่เช้ามืด"
    chapter.write_text(text.replace(line, f"ดู{wrong} " + line), encoding="utf-8")
    number = text.split("\n").index(next(t for t in text.split("\n") if t.startswith(line))) + 1
    return project, number, len("ดู") + 1


def check(project: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "build.py", "check", "--project", str(project), "--lang", "en"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_a_reference_to_no_target_is_an_error_at_its_line_and_column_in_check_and_build(tmp_path):
    assert check(XREF).returncode == 0  # every reference of the book finds its target
    project, line, col = break_reference(tmp_path, "[@fig-nowhere]")
    done = check(project)
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    said = f"chapters/02-market.md:{line}:{col}: cross-reference [@fig-nowhere]: the book has no figure"
    assert said in done.stdout + done.stderr
    with pytest.raises(BookError) as raised:
        build(project, tmp_path / "out", ("epub",))
    assert [(d.code, d.line, d.col) for d in raised.value.diagnostics] == [("R101", line, col)]


def test_a_near_miss_is_offered_the_ids_it_may_mean(tmp_path):
    project, line, _ = break_reference(tmp_path, "[@page:tbl-tide]")
    with pytest.raises(BookError) as raised:
        render_pages(load_book(project))
    (problem,) = raised.value.diagnostics
    assert problem.code == "R101" and problem.line == line
    assert "did you mean tbl-tides" in problem.message and "หรือหมายถึง tbl-tides" in problem.message_th


def test_references_in_code_are_left_as_written(tmp_path):
    project = copy_project(XREF, tmp_path / "book")
    chapter = project / "chapters" / "02-market.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nเขียนว่า `[@fig-nowhere]` ในต้นฉบับ\n", "utf-8")
    page = next(p for p in render_pages(load_book(project)) if p.id == "market")
    assert "<code>[@fig-nowhere]</code>" in page.html


def test_the_preview_reads_the_whole_book_again_when_a_saved_chapter_has_references(tmp_path):
    """Numbers and references are the whole book's: a chapter re-read alone would show them raw."""
    from book.preview.reread import front_matters, reread_chapter

    project = copy_project(XREF, tmp_path / "book")
    book = load_book(project)
    pages = {page.id: page for page in render_pages(book)}
    fronts = front_matters(book)
    colophon, market = project / "chapters" / "99-colophon.md", project / "chapters" / "02-market.md"
    colophon.write_text(colophon.read_text(encoding="utf-8") + "\nแก้ไขแล้ว\n", encoding="utf-8")
    market.write_text(market.read_text(encoding="utf-8").replace("[@", "[@page:", 1), encoding="utf-8")
    assert reread_chapter(book, dict(pages), market, fronts[market]) is None  # it has references
    assert reread_chapter(book, dict(pages), colophon, fronts[colophon]) is None  # the book has references
    plain = copy_project(PROJECTS / "mini", tmp_path / "plain")
    book = load_book(plain)
    pages, fronts = {page.id: page for page in render_pages(book)}, front_matters(book)
    colophon = plain / "chapters" / "99-colophon.md"
    colophon.write_text(colophon.read_text(encoding="utf-8") + "\nแก้ไขแล้ว\n", encoding="utf-8")
    assert reread_chapter(book, dict(pages), colophon, fronts[colophon]) is not None  # alone, as before


def test_a_reference_to_a_figure_in_another_part_leaves_its_page_in_the_manifest_alone(xref):
    """The screen PDF's link from the foreword to the map needs a stand-in anchor in the foreword's part: the
    designers' list still gives the page the map is on."""
    texts = page_texts(output(xref, "-print.pdf"))
    rows = (output(xref, "infographics.csv")).read_text(encoding="utf-8")
    page = target_page(texts, "แผนที่ท่าเรือเก่ากับโกดังริมน้ำ") + 1
    assert any(row.startswith("harbour-map,") and f",{page}," in f"{row}," for row in rows.splitlines()), rows


def test_a_booklet_names_what_it_does_not_hold_instead_of_printing_no_page(tmp_path):
    from book.pdf.document import booklet_pages, print_html

    book = load_book(XREF)
    html = print_html(book, booklet_pages(book, render_pages(book), "market"))
    assert 'href="#tbl-tides">ตารางที่ ๑</a>' in html.replace("\u200b", "").replace("\u00a0", " ")  # in another chapter
    assert 'class="xref page-ref"' not in html


def test_a_target_that_moves_updates_the_page_references_the_cache_kept(tmp_path):
    """The written folios are part of each part's cache key: after an edit that moves the tides table two pages
    on, the foreword, unchanged and laid out before, is laid out again with the new number."""
    project = copy_project(XREF, tmp_path / "book")
    build(project, tmp_path / "before", ("print",))
    chapter = project / "chapters" / "01-harbour.md"
    more = "\n\n".join(["ท่าเรือเก่ามีเรื่องเล่ามากมาย ชาวเรือเล่าต่อกันมาหลายชั่วอายุคน" * 12] * 8)
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("## บันทึกน้ำขึ้นน้ำลง", more + "\n\n## บันทึกน้ำขึ้นน้ำลง"), encoding="utf-8")
    after = build(project, tmp_path / "after", ("print",))
    pdf = output(after, "-print.pdf")
    texts, printed_folios = page_texts(pdf), folios(pdf)
    moved = printed_folios[target_page(texts, "ระดับน้ำที่ท่าเรือเก่าตลอดฤดูน้ำหลาก")]
    assert moved not in ("๒", None)
    assert printed_references(texts, "พบตารางน้ำขึ้นน้ำลงที่") == [moved]
    assert printed_references(texts, "ซึ่งอยู่ที่") == [moved]
