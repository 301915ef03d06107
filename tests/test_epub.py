"""The EPUB: validated by EPUBCheck and Ace by DAISY, its page list checked against the print PDF's text, its
semantics and metadata read back as XML, its bytes compared across builds, and a chapter rendered in Chromium
with the embedded fonts."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import lxml.etree as etree
import pytest
from conftest import (
    MINI,
    NS,
    PROJECTS,
    ROOT,
    XML_LANG,
    browser_tab,
    output,
    pdftotext,
    run_epubcheck,
    severities,
)
from fontTools.ttLib import TTFont
from PIL import Image

from book.building import BuildResult, build
from book.diagnostics.problems import BookError
from book.engine.pagelist import PageStart, place_marker
from book.pdf.numbering import folio_label
from book.project.reading import load_book

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
PAGEBREAKS = PROJECTS / "pagebreaks"
ACE = ROOT / "node_modules" / ".bin" / "ace-cli"


def buildable(folder: Path) -> bool:
    try:
        load_book(folder)
    except BookError:
        return False  # a project that shows a mistake; its diagnostics are tested elsewhere
    return True


# the hostile projects are built by tests/test_containment.py, with the secrets it makes outside them
TEST_PROJECTS = sorted(
    p.name
    for p in PROJECTS.iterdir()
    if (p / "book.yaml").is_file() and not p.name.startswith("hostile-") and buildable(p)
)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """Build a project by name ("default" or a folder of tests/projects) once per session."""

    @cache
    def get(name: str) -> BuildResult:
        if name == "default":
            return request.getfixturevalue("default_book")
        if name == "mini":
            return request.getfixturevalue("mini_book")
        return build(PROJECTS / name, tmp_path_factory.mktemp(name))

    return get


@pytest.fixture(scope="session")
def pagebreaks_book(built) -> BuildResult:
    return built("pagebreaks")


class Epub:
    """An EPUB read back: its package document, nav and XHTML documents as XML."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.files = {info.filename: archive.read(info) for info in archive.infolist()}
            self.infos = archive.infolist()
        self.opf = etree.fromstring(self.files["EPUB/content.opf"])
        self.manifest = {i.get("id"): i for i in self.opf.iterfind(".//opf:item", NS)}
        self.spine = [self.manifest[r.get("idref")].get("href") for r in self.opf.iterfind(".//opf:itemref", NS)]
        self.nav = self.xml("nav.xhtml")

    def xml(self, href: str) -> etree._Element:
        return etree.fromstring(self.files["EPUB/" + href.split("#")[0]])

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]

    def page_list(self) -> list[tuple[str, str]]:
        return [(a.get("href"), a.text) for a in self.nav.iterfind(".//x:nav[@epub:type='page-list']//x:a", NS)]


def epub_of(result: BuildResult) -> Epub:
    return Epub(output(result, ".epub"))


def squash(text: str) -> str:
    """Text as both outputs must agree on it: no spaces, digits, bullets or leader dots (generated in print)."""
    return re.sub(r"[\s0-9๐-๙•.·]+", "", text)


# --- Validators -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", *TEST_PROJECTS])
def test_epubcheck_finds_no_error_and_no_warning(name, built):
    report = run_epubcheck(output(built(name), ".epub"))
    found = severities(report)
    assert found.get("FATAL", []) == found.get("ERROR", []) == found.get("WARNING", []) == []
    # The only usage note is CSS-028 ("use of font-face declaration"): embedding the Thai fonts is intended.
    assert {m.split(":")[0] for m in found.get("USAGE", [])} <= {"CSS-028"}


@pytest.mark.parametrize("name", ["default", "pagebreaks"])
def test_ace_finds_no_critical_or_serious_violation(name, built, tmp_path):
    assert ACE.is_file(), "Ace by DAISY is not installed: run `python3 build.py setup` (needs Node.js 20+ and npm)"
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=shutil.which("chromium") or "/usr/bin/chromium")
    done = subprocess.run(
        [str(ACE), "--silent", "--force", "--outdir", str(tmp_path), str(output(built(name), ".epub"))],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    violations = [
        f"{a['earl:testSubject']['url']}: {t['earl:test']['earl:impact']} {t['earl:test']['dct:title']}"
        for a in report["assertions"]
        for t in a.get("assertions", [])
    ]
    assert [v for v in violations if " critical " in v or " serious " in v] == []
    assert report["properties"]["hasPageBreaks"] is True
    assert {"schema:accessMode", "schema:accessibilitySummary", "dcterms:conformsTo"} <= set(
        report["a11y-metadata"]["present"]
    )


# --- Page list --------------------------------------------------------------------------------------------


def text_after(document: etree._Element, marker_id: str, length: int = 24) -> str:
    """The squashed text that follows the element `marker_id`, footnote calls left out."""
    out: list[str] = []
    started = False

    def walk(element: etree._Element) -> None:
        nonlocal started
        if element.get("id") == marker_id:
            started = True
        if "placeholder-box" in (element.get("class") or "").split():
            # an infographic to come: the print edition's box begins with its id (then its size and brief), the
            # EPUB's says only that the picture is being made
            out.extend([f"อินโฟกราฟิก {element.get('id').removeprefix('box-')}", element.tail or ""] if started else [])
            return
        note = element.get("role") == "doc-noteref"
        if started and element.text and not note:
            out.append(element.text)
        if not note:
            for child in element:
                walk(child)
        if started and element.tail:
            out.append(element.tail)

    walk(document)
    return squash("".join(out))[:length]


def page_texts(pdf: Path) -> list[str]:
    return pdftotext(pdf).split("\f")[:-1]


def running_heads(epub: Epub, book_title: str) -> set[str]:
    heads = {book_title}
    for href in epub.spine:
        heads |= {e.get("data-running") for e in epub.xml(href).iter() if e.get("data-running")}
    return {squash(h) for h in heads}


FOLIO = r"[0-9๐-๙]+|[ivxlcdm]+|[ก-ฮ]"


def page_number(href: str) -> int:
    return int(re.fullmatch(r"[^#]+#page-(\d+)", href)[1])


@pytest.mark.parametrize("name", ["default", "pagebreaks", "mini"])
def test_the_page_list_has_one_entry_per_print_page_with_body_text(name, built):
    result = built(name)
    epub = epub_of(result)
    heads = running_heads(epub, result.book.title)
    entries = epub.page_list()
    with_text = set()
    for number, text in enumerate(page_texts(output(result, "-print.pdf")), start=1):
        lines = [squash(line) for line in text.splitlines()]
        body = [line for line in lines if line and line not in heads and not re.fullmatch(FOLIO, line)]
        if body:
            with_text.add(number)
    assert [page_number(href) for href, _ in entries] == sorted(with_text)
    for href, label in entries:
        marker = next(epub.xml(href).iterfind(f".//*[@id='{href.split('#')[1]}']"))
        assert marker.get(EPUB_TYPE) == "pagebreak" and marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == label
    assert epub.meta("pageBreakSource") and epub.opf.findtext(".//dc:source", namespaces=NS)


@pytest.mark.parametrize("name", ["default", "pagebreaks"])
def test_the_text_after_each_page_marker_is_the_top_of_that_print_page(name, built):
    result = built(name)
    epub = epub_of(result)
    pages = page_texts(output(result, "-print.pdf"))
    heads = running_heads(epub, result.book.title) | {""}
    checked = inside = 0
    for href, label in epub.page_list():
        document = epub.xml(href)
        if document.find(".//x:section[@role='doc-chapter']", NS) is None:
            continue  # the contents' page numbers and the credits' columns come out of pdftotext reordered
        marker_id = href.split("#")[1]
        want = text_after(document, marker_id)
        top = squash(pages[page_number(href) - 1])
        repeated = {squash(h.xpath("string()")) for h in document.iterfind(".//x:thead", NS)} | {""}
        assert want and any(top.startswith(h + r + want) for h in heads for r in repeated), (label, want, top[:80])
        parent = next(document.iterfind(f".//*[@id='{marker_id}']")).getparent()
        inside += etree.QName(parent).localname in ("p", "li", "strong", "td")
        checked += 1
    assert checked >= {"default": 100, "pagebreaks": 9}[name]
    assert inside >= {"default": 30, "pagebreaks": 4}[name]  # pages that begin in mid-paragraph, list or table


def test_page_labels_are_the_printed_folios(pagebreaks_book):
    entries = epub_of(pagebreaks_book).page_list()
    assert [label for _, label in entries][:2] == ["i", "ii"]  # the title page and imprint print none: counted back
    pages = page_texts(output(pagebreaks_book, "-print.pdf"))
    printed = 0
    for href, label in entries:
        last = [line for line in pages[page_number(href) - 1].splitlines() if line.strip()][-1]
        if re.fullmatch(FOLIO, last):
            assert last == label, href
            printed += 1
    assert printed >= len(entries) - 4
    chapter = [label for href, label in entries if href.startswith("paper-and-screen.xhtml")]
    assert chapter == [str(n) for n in range(1, len(chapter) + 1)]


def marked(body: str, anchor: str, offset: int, text: str) -> str:
    """`body` (XHTML) with the marker of a page that begins `offset` counted characters into `anchor`,
    serialised with the marker shown as [N]."""
    root = etree.fromstring(f'<body xmlns="{NS["x"]}" xmlns:epub="{NS["epub"]}">{body}</body>')
    place_marker(next(root.iterfind(f".//*[@id='{anchor}']")), PageStart(7, "7", anchor, offset, text))
    out = etree.tostring(root, encoding="unicode")
    out = re.sub(r"<span [^>]*doc-pagebreak[^>]*/>", "[7]", out)
    return re.sub(r"^<body[^>]*>|</body>$|\s+xmlns(:\w+)?=\"[^\"]*\"", "", out)


@pytest.mark.parametrize(
    ("body", "anchor", "offset", "text", "expected"),
    [
        # a page that begins in mid-paragraph: at its first word
        ('<p id="b1">ผู้คน ริมน้ำ<b>เรียนรู้</b></p>', "b1", 5, "ริมน้ำ", '<p id="b1">ผู้คน [7]ริมน้ำ<b>เรียนรู้</b></p>'),
        ('<p id="b1">ผู้คน ริมน้ำ<b>เรียนรู้</b></p>', "b1", 11, "เรียนรู้", '<p id="b1">ผู้คน ริมน้ำ[7]<b>เรียนรู้</b></p>'),
        # a footnote call is not counted (print draws it as generated content)
        (
            '<p id="b1">น้ำ<sup><a epub:type="noteref" role="doc-noteref" href="#n">1</a></sup>ป่า</p>',
            "b1",
            3,
            "ป่า",
            '<p id="b1">น้ำ<sup><a epub:type="noteref" role="doc-noteref" href="#n">1</a></sup>[7]ป่า</p>',
        ),
        # a page that begins with a block: between blocks
        (
            '<div id="s"><p id="b1">หนึ่ง</p><p id="b2">สอง</p></div>',
            "b2",
            0,
            "สอง",
            '<div id="s"><p id="b1">หนึ่ง</p>[7]<p id="b2">สอง</p></div>',
        ),
        (
            '<div id="s"><table id="t"><tr><td>ก</td></tr></table></div>',
            "t",
            0,
            "ก",
            '<div id="s">[7]<table id="t"><tr><td>ก</td></tr></table></div>',
        ),
        # in a list or a table, at the start of the item or cell where the page begins
        ('<ul id="l"><li>หนึ่ง</li><li>สอง</li></ul>', "l", 5, "สอง", '<ul id="l"><li>หนึ่ง</li><li>[7]สอง</li></ul>'),
        # a heading, or text hidden from screen readers, is read whole: the marker follows it
        (
            '<section id="s"><h2>หัว เรื่อง</h2><p>ต่อ</p></section>',
            "s",
            3,
            "เรื่อง",
            '<section id="s"><h2>หัว เรื่อง</h2>[7]<p>ต่อ</p></section>',
        ),
        (
            '<aside id="q" aria-hidden="true"><p>คำ คม</p></aside>',
            "q",
            2,
            "คม",
            '<aside id="q" aria-hidden="true"><p>คำ คม</p></aside>[7]',
        ),
        # the page's first characters decide when the count drifted (a character only print has)
        ('<p id="b1">ก ข ค ง จ</p>', "b1", 2, "งจ", '<p id="b1">ก ข ค [7]ง จ</p>'),
    ],
)
def test_a_page_marker_goes_where_the_page_begins(body, anchor, offset, text, expected):
    assert marked(body, anchor, offset, text) == expected


def test_every_page_has_the_label_its_place_gives_it():
    """Pages without a printed folio (a title page, a blank page) too: what the counter would print there."""

    def labels(front_numerals: str, numerals: str, front: int, count: int) -> list[str]:
        book = SimpleNamespace(config={"front_numerals": front_numerals, "numerals": numerals})
        return [folio_label(book, page, front) for page in range(1, count + 1)]

    assert labels("roman", "arabic", 7, 10) == ["i", "ii", "iii", "iv", "v", "vi", "vii", "1", "2", "3"]
    assert labels("thai-letters", "thai", 4, 5) == ["ก", "ข", "ค", "ง", "๑"]  # ฃ ฅ ฆ are not counted
    assert labels("continuous", "thai", 0, 2) == ["๑", "๒"]


# --- Semantics --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "pagebreaks", "mini"])
def test_every_document_is_thai_with_headings_in_order(name, built):
    epub = epub_of(built(name))
    assert epub.opf.get(XML_LANG) == "th" and epub.opf.findtext(".//dc:language", namespaces=NS) == "th"
    for href in [*epub.spine, "nav.xhtml"]:
        document = epub.xml(href)
        assert document.get("lang") == document.get(XML_LANG) == "th", href
        levels = [int(h.tag[-1]) for h in document.iter() if re.fullmatch(r"\{[^}]+\}h[1-6]", str(h.tag))]
        if href == "cover.xhtml":
            assert levels == []
            continue
        assert levels[0] == 1, href
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (href, levels)


def test_footnotes_are_epub_notes_with_back_links(default_book):
    epub = epub_of(default_book)
    notes = 0
    for href in epub.spine:
        document = epub.xml(href)
        for call in document.iterfind(".//x:a[@epub:type='noteref']", NS):
            assert call.get("role") == "doc-noteref"
            note = next(document.iterfind(f".//*[@id='{call.get('href')[1:]}']"))
            assert etree.QName(note).localname == "aside"
            assert note.get(EPUB_TYPE) == "footnote" and note.get("role") == "doc-footnote"
            back = note.find(".//x:a[@role='doc-backlink']", NS)
            assert back is not None and back.get("aria-label")
            assert next(document.iterfind(f".//*[@id='{back.get('href')[1:]}']")).find("x:a", NS) is call
            notes += 1
    assert notes == sum(c.footnotes for c in default_book.book.chapters)


@pytest.mark.parametrize("name", ["default", "pagebreaks"])
def test_infographics_are_figures_with_alt_text_and_a_visible_caption(name, built):
    result = built(name)
    epub = epub_of(result)
    figures = {}
    for href in epub.spine:
        for figure in epub.xml(href).iterfind(".//x:figure", NS):
            if "infographic" in figure.get("class", "").split():  # pictures are figures too (test_pictures.py)
                figures[figure.get("id")[4:]] = figure
    assert set(figures) == {f.id for f in result.book.infographics}
    for info in result.book.infographics:
        figure = figures[info.id]
        assert info.caption in figure.find("x:figcaption", NS).xpath("string()")
        image = figure.find(".//x:img", NS)
        if image is not None:
            assert image.get("alt") == info.brief
            assert "EPUB/" + image.get("src") in epub.files
        else:  # not drawn yet: the reader is told so in words, the designer's brief stays out (test_ebook_reading.py)
            assert figure.find(".//*[@role='img']", NS) is None
            assert info.brief not in etree.tostring(figure, encoding="unicode")


def test_credits_colophon_and_chapters_are_marked(default_book):
    epub = epub_of(default_book)
    kinds = {}
    for href in epub.spine:
        body = epub.xml(href).find("x:body", NS)
        section = body.find("x:section", NS)
        kinds[href] = (body.get(EPUB_TYPE), section.get(EPUB_TYPE), section.get("role"))
    assert kinds["credits.xhtml"] == ("backmatter", "credits", "doc-credits")
    assert kinds["colophon.xhtml"] == ("backmatter", "colophon", "doc-colophon")
    assert kinds["chiang-mai.xhtml"] == ("bodymatter", "chapter", "doc-chapter")
    assert kinds["title-page.xhtml"][:2] == ("frontmatter", "titlepage")
    assert kinds["cover.xhtml"][:2] == ("cover", "cover")


def test_nav_has_contents_with_sections_and_the_landmarks(default_book):
    epub = epub_of(default_book)
    book = default_book.book
    toc = epub.nav.find(".//x:nav[@epub:type='toc']", NS)
    chapters = {a.text: a.getparent() for a in toc.iterfind("x:ol/x:li/x:a", NS)}
    for chapter in book.numbered:
        sections = [a.text for a in chapters[chapter.title].iterfind("x:ol/x:li/x:a", NS)]
        assert sections == [h.text for h in chapter.headings if h.level == 2]
    landmarks = {
        a.get(EPUB_TYPE): a.get("href") for a in epub.nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)
    }
    first = book.numbered[0].slug
    assert landmarks == {
        "cover": "cover.xhtml",
        "titlepage": "title-page.xhtml",
        "toc": "contents.xhtml",
        "bodymatter": f"{first}.xhtml",
        "colophon": "colophon.xhtml",
    }
    assert all(href in epub.spine for href in landmarks.values())


def test_the_cover_is_the_front_cover_jpeg(default_book):
    epub = epub_of(default_book)
    covers = [i for i in epub.manifest.values() if "cover-image" in (i.get("properties") or "")]
    assert len(covers) == 1 and covers[0].get("media-type") == "image/jpeg"
    image = Image.open(io.BytesIO(epub.files["EPUB/" + covers[0].get("href")]))
    assert image.format == "JPEG" and image.height > image.width > 1000
    assert epub.spine[0] == "cover.xhtml"
    img = epub.xml("cover.xhtml").find(".//x:img", NS)
    assert img.get("src") == covers[0].get("href") and default_book.book.title in img.get("alt")


# --- Metadata ---------------------------------------------------------------------------------------------


def test_metadata_and_accessibility_metadata(default_book):
    epub = epub_of(default_book)
    book = default_book.book
    expected = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "thaibook:wecitizens-learning-city"))
    assert epub.opf.findtext(".//dc:identifier", namespaces=NS) == expected
    titles = {t.get("id"): t.text for t in epub.opf.iterfind(".//dc:title", NS)}
    assert titles == {"title": book.title, "subtitle": book.config["subtitle"]}
    assert sorted(epub.meta("title-type")) == ["main", "subtitle"]
    for tag in ("publisher", "date", "rights", "description"):
        assert epub.opf.findtext(f".//dc:{tag}", namespaces=NS), tag
    assert [s.text for s in epub.opf.iterfind(".//dc:subject", NS)] == book.config["subjects"]
    assert epub.meta("dcterms:modified") == ["2026-11-27T00:00:00Z"]
    assert epub.meta("schema:accessMode") == ["textual", "visual"]
    assert "textual" in epub.meta("schema:accessModeSufficient")
    features = set(epub.meta("schema:accessibilityFeature"))
    assert {"tableOfContents", "structuralNavigation", "pageNavigation", "pageBreakMarkers", "alternativeText"} <= (
        features
    )
    assert epub.meta("schema:accessibilityHazard") == ["none"]
    (summary,) = epub.meta("schema:accessibilitySummary")
    assert re.search("[ก-๙]", summary) and "เลขหน้า" in summary
    assert epub.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert epub.meta("a11y:certifiedBy") == [book.config["publisher"]]


def test_an_isbn_is_the_identifier_and_the_page_source_and_a_summary_can_be_given(pagebreaks_book):
    epub = epub_of(pagebreaks_book)
    assert epub.opf.findtext(".//dc:identifier", namespaces=NS) == "urn:isbn:9786160000029"
    assert epub.meta("pageBreakSource") == ["urn:isbn:9786160000029"]
    assert epub.meta("schema:accessibilitySummary")[0].startswith("หนังสือทดสอบเล่มนี้มีสารบัญ")
    assert epub.meta("schema:accessMode") == ["textual", "visual"]  # the cover and the artwork


# --- Fonts ------------------------------------------------------------------------------------------------


def test_fonts_are_subset_and_cover_every_character_of_the_book(default_book):
    epub = epub_of(default_book)
    text = "".join("".join(epub.xml(href).itertext()) for href in [*epub.spine, "nav.xhtml"] if href.endswith(".xhtml"))
    needed = {ord(c) for c in text if not c.isspace() and ord(c) >= 0x20 and c not in "\u200b\u2060\ufeff"}
    fonts = {f.path.name: f.path for faces in default_book.book.fonts.values() for f in faces}
    for name, original in fonts.items():
        data = epub.files[f"EPUB/fonts/{name}"]
        assert len(data) < original.stat().st_size / 2, name
        font = TTFont(io.BytesIO(data))
        cmap = set(font.getBestCmap())
        assert needed & set(TTFont(original).getBestCmap()) - cmap == set(), name
        assert set(range(0x0E01, 0x0E3B)) <= cmap, name  # the whole Thai block: ำ is drawn as ํ + า
        assert font["name"].getDebugName(13), name  # the licence notice is kept
        whole = TTFont(original)
        assert len(font["name"].names) == len(whole["name"].names), name  # every record, legacy ones too
        for table in ("GSUB", "GPOS"):  # every layout feature, for Thai shaping
            assert _features(font, table) == _features(whole, table), (name, table)


def _features(font: TTFont, table: str) -> set[str]:
    return {record.FeatureTag for record in font[table].table.FeatureList.FeatureRecord} if table in font else set()


def test_a_font_subset_is_the_same_bytes_every_time_and_needs_harfbuzz_subset(default_book, monkeypatch):
    from book.engine import fontsubset

    path = default_book.book.fonts["body"][0].path
    shown = fontsubset.characters("เสียงของคนจากทุกเมืองแห่งการเรียนรู้")
    assert fontsubset.subset_font(path, shown) == fontsubset.subset_font(path, shown)
    monkeypatch.setattr(fontsubset, "harfbuzz_subset", None)  # as WeasyPrint leaves it without the library
    with pytest.raises(BookError) as error:
        fontsubset.subset_font(path, shown)
    assert [d.code for d in error.value.diagnostics] == ["U005"]


# --- Reproducible -----------------------------------------------------------------------------------------


def test_two_builds_give_the_same_epub_bytes(default_book, tmp_path):
    env = dict(os.environ, PYTHONHASHSEED="12345")
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        [sys.executable, "build.py", "epub", "--out", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    again = tmp_path / output(default_book, ".epub").name
    assert again.read_bytes() == output(default_book, ".epub").read_bytes()


def test_every_zip_entry_carries_the_build_time_in_a_fixed_order(mini_book, tmp_path, monkeypatch):
    epub = epub_of(mini_book)
    assert [i.filename for i in epub.infos[:3]] == ["mimetype", "META-INF/container.xml", "EPUB/content.opf"]
    assert epub.infos[0].compress_type == zipfile.ZIP_STORED
    assert {i.date_time for i in epub.infos} == {(2025, 3, 15, 0, 0, 0)}  # the book's date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    again = Epub(output(build(MINI, tmp_path, ("epub",)), ".epub"))
    assert {i.date_time for i in again.infos} == {(2026, 1, 1, 0, 0, 0)}
    assert again.meta("dcterms:modified") == ["2026-01-01T00:00:00Z"]


# --- The reader's view ------------------------------------------------------------------------------------


def unpack(epub: Path, into: Path) -> Path:
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(into)
    return into / "EPUB"


def chapter_in_chromium(browser, document: Path, screenshot: Path) -> dict[str, list[dict]]:  # noqa: ANN001
    """Render `document` in the session's headless Chromium, take a screenshot, and return the fonts Chromium drew
    the first body paragraph, the chapter title and a section heading with (DevTools CSS.getPlatformFontsForNode).
    """
    with browser_tab(browser, 600, 900) as page:
        page.goto(document.as_uri())
        page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        fonts = {}
        for selector in (".chapter-body > p", "h1", "h2"):
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            fonts[selector] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        page.screenshot(path=str(screenshot))
    return fonts


def test_a_chapter_renders_in_chromium_with_the_embedded_thai_fonts(default_book, tmp_path, browser):
    folder = unpack(output(default_book, ".epub"), tmp_path / "epub")
    shot = tmp_path / "chiang-mai.png"
    fonts = chapter_in_chromium(browser, folder / "chiang-mai.xhtml", shot)
    body = default_book.book.fonts["body"][0].family
    heading = default_book.book.fonts["heading"][0].family
    assert [(f["familyName"], f["isCustomFont"]) for f in fonts[".chapter-body > p"]] == [(body, True)]
    for selector in ("h1", "h2"):
        assert [f["familyName"].startswith(heading) and f["isCustomFont"] for f in fonts[selector]] == [True]
    image = Image.open(shot).convert("L")
    assert image.size == (600, 900)
    dark = sum(1 for value in image.getdata() if value < 128)
    assert 0.02 < dark / (600 * 900) < 0.5  # text on a light page


def test_the_font_subsets_draw_the_chapter_exactly_as_the_whole_fonts(default_book, tmp_path, browser):
    """A subset that lost a glyph the shaper needs (ำ drawn as ํ + า) shows boxes: compare every pixel."""
    subset = unpack(output(default_book, ".epub"), tmp_path / "subset")
    whole = unpack(output(default_book, ".epub"), tmp_path / "whole")
    for face in (f for faces in default_book.book.fonts.values() for f in faces):
        shutil.copyfile(face.path, whole / "fonts" / face.path.name)
    chapter_in_chromium(browser, subset / "chiang-mai.xhtml", tmp_path / "subset.png")
    chapter_in_chromium(browser, whole / "chiang-mai.xhtml", tmp_path / "whole.png")
    assert (tmp_path / "subset.png").read_bytes() != b""
    assert Image.open(tmp_path / "subset.png").tobytes() == Image.open(tmp_path / "whole.png").tobytes()
