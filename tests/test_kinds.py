"""Any book: plain chapters, front and back matter by kind, parts, and chapter kinds a book declares (issue 18).

The default book is compared, page for page, with tests/data/default-book-pages.json: the toolkit's rewrite
must not move a word of it. When a change to its pages is intended, regenerate the record with
`.venv/bin/python tests/data/record_default_book.py` and review the JSON's diff with the change."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from conftest import NS, PROJECTS, ROOT, copy_project, output, pdftotext, problems, run_epubcheck, severities
from lxml import etree

from book.building import BuildResult, build
from book.project import slug_of
from book.project.reading import load_book
from book.render import render_pages

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
from record_default_book import RECORD, record  # noqa: E402


def test_the_default_book_is_unchanged_page_for_page(default_book: BuildResult) -> None:
    expected = json.loads(RECORD.read_text(encoding="utf-8"))
    made = record(output(default_book, "-print.pdf"))
    assert made["pages"] == expected["pages"]
    for number, (page, recorded) in enumerate(zip(made["text"], expected["text"], strict=True), start=1):
        assert page == recorded, f"page {number} of the print PDF differs from the record"


# -- a plain book: book.yaml with a title, chapters without front matter, a preface, an appendix and a part

PLAIN = PROJECTS / "plain"
NEWEST = 1_764_000_000  # the time the plain book's newest chapter was saved, set on the copy built below


@pytest.fixture(scope="module")
def plain_book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    project = copy_project(PLAIN, tmp_path_factory.mktemp("plain") / "plain")
    for number, path in enumerate(sorted((project / "chapters").iterdir())):
        os.utime(path, (NEWEST - number, NEWEST - number))
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    return build(project, project / "dist")


def test_a_plain_book_is_read_with_defaults_and_its_chapters_in_reading_order() -> None:
    book = load_book(PLAIN)
    assert book.config["id"] == "plain" and book.config["language"] == "th"
    assert book.date is None and not book.config.get("publisher")
    found = [(c.kind, c.slug, c.title, c.number, c.part_number) for c in book.chapters]
    assert found == [
        ("preface", "preface", "คำนำ", None, None),  # front matter by kind, though its file comes last
        ("chapter", "muatthuapai", "บททั่วไป", 1, None),  # title from its # heading, slug from its Thai file name
        ("part", "part", "ว่าด้วยการอ่าน", None, 1),
        ("chapter", "reading", "การอ่าน", 2, None),
        ("chapter", "kankepraksa", "การเก็บรักษา", 3, None),  # no front matter, no heading: the file's name
        ("appendix", "appendix", "ภาคผนวก", None, None),  # back matter by kind, though its file is among the body
    ]
    assert [c.in_part and c.in_part.slug for c in book.chapters] == [None, None, None, "part", "part", None]
    assert "# บททั่วไป" not in book.chapters[1].source  # the heading is the opener's title, not printed twice


def test_a_plain_book_prints_every_page_once_in_order(plain_book: BuildResult) -> None:
    pages = pdftotext(output(plain_book, "-print.pdf"), "-layout").split("\f")
    text = "\f".join(pages)
    order = ["คำนำ", "สารบัญ", "บทที่ 1", "ภาคที่ 1", "บทที่ 2", "บทที่ 3", "ภาคผนวก"]
    openers = [next(i for i, page in enumerate(pages) if page.lstrip().startswith(word)) for word in order]
    assert openers == sorted(openers), openers
    squashed = re.sub(r"\s+", "", text)
    for sentence in ("ไม่ได้บอกอะไรเกี่ยวกับตัวเอง", "ภาคนี้รวมบทที่ว่าด้วยการอ่าน", "ไม่พับมุม", "วิธีคั่นหน้า"):
        assert squashed.count(sentence) == 1, sentence  # nothing printed twice
    assert text.count("บททั่วไป") == 2  # its opener and its line in the contents
    assert not re.search(r"(^|\s)-(\s|$)", text)  # no placeholder for a field the book does not have
    assert "จัดพิมพ์โดย" not in text and "(" not in pages[1]  # no publisher, no date on the imprint
    contents = pages[openers[1]]
    assert re.search(r"ภาคที่ 1 ว่าด้วยการอ่าน \.+\s+3", contents)
    # each page number in its own cell on the right edge: pdftotext -layout may set it apart from the leader
    assert re.search(r"1\s+บททั่วไป \.+\s+1\b", contents) and re.search(r"3\s+การเก็บรักษา \.+\s+7\b", contents)
    assert re.search(r"คำนำ \.+\s+ค", contents)  # front matter keeps the front folios
    assert plain_book.print_ready


def test_a_plain_book_makes_a_valid_epub_with_parts_nested_and_kinds_as_epub_types(plain_book: BuildResult) -> None:
    epub = output(plain_book, ".epub")
    report = run_epubcheck(epub)
    found = severities(report)
    assert set(found) <= {"USAGE"} and {m.split(":")[0] for m in found.get("USAGE", [])} <= {"CSS-028"}, found
    with zipfile.ZipFile(epub) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        documents = {name: etree.fromstring(archive.read(name)) for name in archive.namelist() if name.endswith("html")}
    toc = nav.find(".//x:nav[@id='toc']/x:ol", NS)
    assert [a.text for a in toc.findall("x:li/x:a", NS)] == ["คำนำ", "สารบัญ", "บททั่วไป", "ว่าด้วยการอ่าน", "ภาคผนวก"]
    part = toc.find("x:li[4]", NS)
    assert [a.text for a in part.findall("x:ol/x:li/x:a", NS)] == ["การอ่าน", "การเก็บรักษา"]
    semantics = {}
    for name, document in documents.items():
        section = document.find(".//x:body/x:section", NS)
        body = document.find(".//x:body", NS)
        if section is not None:
            semantics[name.removeprefix("EPUB/")] = (
                body.get(f"{{{NS['epub']}}}type"), section.get(f"{{{NS['epub']}}}type"), section.get("role")
            )  # fmt: skip
    assert semantics["preface.xhtml"] == ("frontmatter", "preface", "doc-preface")
    assert semantics["part.xhtml"] == ("bodymatter", "part", "doc-part")
    assert semantics["reading.xhtml"] == ("bodymatter", "chapter", "doc-chapter")
    assert semantics["appendix.xhtml"] == ("backmatter", "appendix", "doc-appendix")
    landmark = nav.find(".//x:nav[@id='landmarks']//x:a[@epub:type='bodymatter']", NS)
    assert landmark.get("href") == "muatthuapai.xhtml"  # the body starts at the first chapter
    assert opf.find(".//dc:date", NS) is None and opf.find(".//dc:publisher", NS) is None
    modified = opf.find(".//opf:meta[@property='dcterms:modified']", NS).text
    assert modified == datetime.fromtimestamp(NEWEST, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_plain_book_passes_check() -> None:
    done = subprocess.run(
        [sys.executable, "build.py", "check", "--project", str(PLAIN), "--lang", "en"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok: พระราชบัญญัติตัวอย่าง: 3 chapters")


# -- chapter kinds a book declares

DECLARED = """\
kinds:
  law:
    doc: A law of the collection.
    title: กฎหมาย
    label: ฉบับที่ {number}
    running: "{short}"
    contents: "ประกาศ {year}"
    fields:
      short: {required: true, doc: "The short name, for the running head.", protect: true}
      year: {type: integer, required: true, opener: fact, label: ปีที่ประกาศ, format: "พ.ศ. {value}"}
      ministry: {opener: line}
"""


def declare(project: Path, kinds: str = DECLARED) -> None:
    config = project / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + kinds, encoding="utf-8")


def law(project: Path, name: str, front: str) -> Path:
    path = project / "chapters" / name
    path.write_text(f"---\nkind: law\ntitle: พระราชบัญญัติทดลอง\n{front}---\n\nมาตรา ๑ ข้อความของกฎหมาย\n", "utf-8")
    return path


def test_a_declared_kind_shows_its_fields_as_the_book_asks(tmp_path: Path) -> None:
    project = copy_project(PLAIN, tmp_path / "book")
    declare(project)
    law(project, "06-law.md", "short: ทดลอง\nyear: 2568\n")
    book = load_book(project)
    chapter = book.chapter("law")
    assert (chapter.kind, chapter.number, chapter.in_part.slug) == ("law", 4, "part")
    assert "ทดลอง" in book.protected_words
    pages = {page.id: page for page in render_pages(book)}
    opener = lxml.html.fromstring(pages["law"].html)
    assert opener.xpath("string(.//p[@class='chapter-number'])") == "ฉบับที่ 4"
    assert opener.xpath("string(.//h1/@data-running)") == "ทดลอง"
    facts = opener.xpath(".//dl[@class='chapter-facts']/div")
    assert [(div.xpath("string(dt)"), div.xpath("string(dd)")) for div in facts] == [("ปีที่ประกาศ", "พ.ศ. 2568")]
    assert not opener.xpath(".//p[contains(@class, 'chapter-ministry')]")  # left out: not shown at all
    contents = lxml.html.fromstring(pages["contents"].html)
    assert contents.xpath("string(.//a[@href='#law']/../span[@class='toc-detail'])") == "ประกาศ 2568"


def test_a_declared_kinds_missing_and_wrong_fields_are_named_at_their_line(tmp_path: Path) -> None:
    project = copy_project(PLAIN, tmp_path / "book")
    declare(project)
    law(project, "06-law.md", "year: two thousand\nshort: ทดลอง\nmayor: x\n")
    law(project, "07-law.md", "ministry: กระทรวงทดลอง\n")
    assert problems(project) == [
        "chapters/06-law.md:4: year: expected a whole number, got 'two thousand' [S003]",
        "chapters/06-law.md:6: mayor: unknown key; known keys: "
        "kind, slug, title, short, year, ministry, summary [S001]",
        "chapters/07-law.md:2: short: missing required key (The short name, for the running head.) [S002]",
        "chapters/07-law.md:2: year: missing required key (year) [S002]",
    ]


def test_a_declaration_that_is_wrong_is_named_at_its_line(tmp_path: Path) -> None:
    project = copy_project(PLAIN, tmp_path / "book")
    declare(project, DECLARED.replace('running: "{short}"', 'running: "{shrot}"').replace("type: integer", "type: int"))
    declare(project, "  chapter:\n    title: บท\n")
    found = problems(project)
    unknown = "'{shrot}' is not a field of the kind (its fields: ministry, short, year) [K107]"
    assert f"book.yaml:7: kinds: law.running: {unknown}" in found
    assert any(p.startswith("book.yaml:11: type: expected one of string, integer") for p in found), found
    assert "book.yaml:13: kinds: 'chapter' is one of the toolkit's own kinds; give yours another name [K102]" in found


def test_kinds_may_be_declared_in_a_file_book_yaml_names(tmp_path: Path) -> None:
    project = copy_project(PLAIN, tmp_path / "book")
    (project / "kinds.yaml").write_text(DECLARED.removeprefix("kinds:\n").replace("\n  ", "\n")[2:], "utf-8")
    declare(project, "kinds: kinds.yaml\n")
    law(project, "06-law.md", "short: ทดลอง\n")
    assert problems(project) == ["chapters/06-law.md:2: year: missing required key (year) [S002]"]
    declare(project, "")
    (project / "book.yaml").write_text("title: ทดลอง\nkinds: ../outside.yaml\n", encoding="utf-8")
    assert problems(project)[0] == "book.yaml:2: kinds: '../outside.yaml' must be a file inside the project [K105]"


def test_the_toolkit_knows_nothing_of_cities() -> None:
    """Cities are the Learning City book's own kind (book.yaml): the toolkit's code, templates and styles never
    name them."""
    found = []
    for path in sorted((ROOT / "book").rglob("*")):
        if path.suffix in (".py", ".html", ".css") and path.is_file():
            text = path.read_text(encoding="utf-8").replace("Learning City", "")
            found += [f"{path.relative_to(ROOT)}: {m}" for m in re.findall(r"\b(?:cit(?:y|ies)|provinces?)\b", text)]
    assert found == []


def test_ids_and_slugs_are_made_from_folder_and_file_names(tmp_path: Path) -> None:
    assert slug_of("หนังสือของฉัน", "book") == "nangsuekhongchan"  # Thai, romanized by the Royal Institute's rules
    assert slug_of("01-บทนำ.md", "chapter") == "bathanam"  # the leading number dropped
    assert slug_of("My Book 2", "book") == "my-book-2" and slug_of("-", "book") == "book"
    project = copy_project(PLAIN, tmp_path / "หนังสือของฉัน")
    assert load_book(project).config["id"] == "nangsuekhongchan"
