"""End to end: the default book and the mini project built into a print PDF, an EPUB and a manifest,
checked by parsing what was written (PDF text, fonts, outline; EPUB XML; EPUBCheck)."""

import csv
import re
import subprocess
import sys
import zipfile

import lxml.etree as etree
import pikepdf
import pytest
from conftest import MINI, NS, ROOT, XML_LANG, output, pdftotext

from book.project.reading import load_book

SEED_CITIES = [
    "เชียงใหม่", "ลำปาง", "ราชบุรี", "กรุงเทพฯ", "กาฬสินธุ์", "นครศรีธรรมราช", "พิษณุโลก", "จันทบุรี", "พะเยา",
    "ปทุมธานี", "ระยอง", "ประจวบคีรีขันธ์", "ยะลา", "สงขลา", "ขอนแก่น", "สระบุรี", "นครราชสีมา", "นครสวรรค์",
]  # fmt: skip


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def book():
    return load_book(ROOT)


def test_the_book_has_the_seeds_18_cities_in_order(book):
    assert [c.meta["city"] for c in book.numbered] == SEED_CITIES
    projects = {c.meta["city"]: c.meta["projects"] for c in book.numbered}
    assert projects["เชียงใหม่"] == projects["ระยอง"] == 2
    assert sum(projects.values()) == 20  # the seed's 20 project sets
    for chapter in book.numbered:
        assert chapter.headings and chapter.infographics and chapter.footnotes, chapter.slug
        assert 'class="pullquote"' in chapter.html, chapter.slug


def test_every_city_chapter_has_at_least_800_words(book):
    from book.thai.text import word_count

    short = {c.slug: n for c in book.numbered if (n := word_count(c.source)) < 800}
    assert short == {}


def test_pdf_pages_fonts_and_outline(default_book, book):
    pdf = output(default_book, "-print.pdf")
    with pikepdf.open(pdf) as document:
        assert len(document.pages) == int(re.search(r"(\d+) pages", default_book.outputs[0].detail)[1])
        width, height = (float(v) for v in document.pages[0].trimbox[2:])  # the media box has room for marks
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)
        assert str(document.Root.Lang) == "th"
        with document.open_outline() as outline:
            top = [item.title for item in outline.root]
    assert top[:2] == ["คำนำ", "สารบัญ"]
    assert top[2:20] == [c.title for c in book.numbered]
    assert top[20:] == ["ทีมงาน", "ว่าด้วยการจัดทำหนังสือเล่มนี้"]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5:-3] == ["yes", "yes"] for row in rows), fonts  # embedded and subset
    assert any("Sarabun" in row for row in rows) and any("Kanit" in row for row in rows)


def test_pdf_text_has_every_city_title_and_every_credited_name(default_book, book):
    text = squash(pdftotext(output(default_book, "-print.pdf")))
    for chapter in book.numbered:
        assert squash(chapter.title) in text, chapter.title
    for name in book.credits.people:
        assert squash(name) in text, name
    assert "ว่าด้วยการจัดทำหนังสือเล่มนี้" in text


def test_chapters_open_where_book_yaml_says_and_the_contents_has_page_numbers(default_book, book):
    pdf = output(default_book, "-print.pdf")
    pages = pdftotext(pdf).split("\f")
    openers = [
        next(i + 1 for i, page in enumerate(pages) if squash(c.title) in squash(page) and "เมืองที่" in page)
        for c in book.numbered
    ]
    if book.config["opening"] == "right":
        assert all(number % 2 == 1 for number in openers), openers
    else:  # `opening: any`: the first chapter on a right-hand page, the others on the next page, some on a left one
        assert openers[0] % 2 == 1 and any(number % 2 == 0 for number in openers), openers
        assert openers == sorted(openers)
    laid = pdftotext(pdf, "-layout").split("\f")
    first = next(i for i, page in enumerate(laid) if "สารบัญ" in page)
    contents = laid[first] + laid[first + 1]
    folios = [int(n) for n in re.findall(r"\.\s*(\d+)$", contents, re.MULTILINE)]  # after the leaders
    # the body is numbered from its first page: each chapter's folio, as the contents must give it
    assert folios[: len(openers)] == [number - openers[0] + 1 for number in openers], folios


def test_infographics_manifest_gives_each_figure_its_pdf_page(default_book, book):
    with output(default_book, "infographics.csv").open(encoding="utf-8") as manifest:
        rows = list(csv.DictReader(manifest))
    assert [r["id"] for r in rows] == [f.id for f in book.infographics]
    assert {r["status"] for r in rows} == {"placeholder"}
    pages = pdftotext(output(default_book, "-print.pdf")).split("\f")
    for row in rows:
        assert row["id"] in pages[int(row["pdf_page"]) - 1], row


def test_epub_structure_language_fonts_and_metadata(default_book, book):
    epub = output(default_book, ".epub")
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        assert names[0] == "mimetype"
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        assert opf.findtext(".//dc:language", namespaces=NS) == "th"
        assert opf.findtext(".//dc:title", namespaces=NS) == book.title
        manifest = {i.get("id"): i for i in opf.iterfind(".//opf:item", NS)}
        spine = [manifest[r.get("idref")].get("href") for r in opf.iterfind(".//opf:itemref", NS)]
        assert [s for s in spine if s[:-6] in {c.slug for c in book.numbered}] == [
            f"{c.slug}.xhtml" for c in book.numbered
        ]
        fonts = [i.get("href") for i in manifest.values() if i.get("media-type") == "font/ttf"]
        assert "fonts/Sarabun-Regular.ttf" in fonts
        assert 'url("../fonts/Sarabun-Regular.ttf")' in archive.read("EPUB/style/book.css").decode()
        for href in spine:
            doc = etree.fromstring(archive.read(f"EPUB/{href}"))
            assert doc.get("lang") == doc.get(XML_LANG) == "th", href
        chapter = etree.fromstring(archive.read("EPUB/chiang-mai.xhtml"))
        assert chapter.find(".//x:h1", NS).xpath("string()") == book.chapter("chiang-mai").title
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        toc = [a.xpath("string()") for a in nav.iterfind(".//x:nav[@epub:type='toc']/x:ol/x:li/*", NS)]
        assert [c.title for c in book.numbered] == [t for t in toc if t in {c.title for c in book.numbered}]
    roles = {m.text for m in opf.iterfind(".//opf:meta[@property='role']", NS)}
    assert {"pdr", "edt", "aut", "bkd", "ill", "pht", "vdg"} <= roles
    creators = {c.text for c in opf.iterfind(".//dc:creator", NS)} | {
        c.text for c in opf.iterfind(".//dc:contributor", NS)
    }
    assert set(book.credits.people) == creators


def test_the_mini_project_builds_from_the_command_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "build.py", "--project", str(MINI), "--out", str(tmp_path), "--lang", "en"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "index.html",
        "infographics.csv",
        "mini-test-book-cover.jpg",
        "mini-test-book-cover.pdf",
        "mini-test-book-print.pdf",
        "mini-test-book-screen.pdf",
        "mini-test-book.epub",
        "opds.xml",
        "site",  # what readers get, to upload as it is (tests/test_download.py)
    ]
    assert "wrote" in done.stdout and "16 pages (1 signature of 16" in done.stdout
    text = pdftotext(tmp_path / "mini-test-book-print.pdf")
    assert "สองเมืองริมน้ำ" in text and "๑" in text  # Thai numerals from its book.yaml
    assert "เสียงของคน" not in text  # nothing of the default book


def test_a_broken_project_fails_clearly_and_leaves_the_outputs_alone(project, tmp_path):
    out = tmp_path / "out"
    ok = subprocess.run(
        [sys.executable, "build.py", "pdf", "--project", str(project), "--out", str(out)], cwd=ROOT, capture_output=True
    )
    assert ok.returncode == 0
    before = (out / "mini-test-book-print.pdf").read_bytes()
    path = project / "chapters" / "02-trang.md"
    path.write_text(path.read_text(encoding="utf-8").replace("projects: 2", "projects: many"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "build.py", "pdf", "--project", str(project), "--out", str(out), "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "chapters/02-trang.md:7: projects: expected a whole number, got 'many' [S003]" in done.stderr
    assert "Traceback" not in done.stderr
    assert (out / "mini-test-book-print.pdf").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [
        "infographics.csv",
        "mini-test-book-cover.jpg",
        "mini-test-book-cover.pdf",
        "mini-test-book-print.pdf",
        "mini-test-book-screen.pdf",
    ]


def test_usage_errors_exit_2(tmp_path):
    done = subprocess.run(
        [sys.executable, "build.py", "bake", "--lang", "en"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and "invalid choice" in done.stderr
    done = subprocess.run(
        [sys.executable, "build.py", "--project", str(tmp_path), "--lang", "en"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 2 and "not a book project" in done.stderr


def test_check_reports_ok_without_building(tmp_path):
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--out", str(tmp_path), "--lang", "en"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0 and done.stdout.startswith("ok: เสียงของคนจากทุกเมืองแห่งการเรียนรู้: 18 chapters")
    assert list(tmp_path.iterdir()) == []
