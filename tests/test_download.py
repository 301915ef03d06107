"""The readers' download page and the OPDS feed beside a full build (book/publish/download.py): the EPUB first
and within a phone's first screen, the printer's files in their own section or left out, the designers'
infographics.csv never listed, a Thai font of the page's own that has every character it shows, and a feed
that keeps every MUST of Atom (RFC 4287) and OPDS Catalog 1.2.

The feed is checked rule by rule (`atom_opds_problems`), each rule named by its section, rather than against the
OPDS 1.2 RELAX NG schema (opds-community/specs, schema/1.2/opds.rnc, which includes RFC 4287's atom.rnc): that
schema is not in the project, and it would not catch what the feed got wrong. Tried once by hand (trang to RNG,
lxml's RelaxNG; its atomUri pattern mended, since as published `[...\\nrt]` for `\\n\\r\\t` refuses every link
with an r or a t in it), it accepts the old feed and this one alike: the rule that an entry without content has
an alternate link is a Schematron note beside the RFC's grammar, and an id is any URI to it."""

from __future__ import annotations

import base64
import re
import shutil
import uuid
from datetime import datetime
from io import BytesIO
from pathlib import Path

import lxml.html
import pytest
from conftest import MINI, browser_tab, copy_project
from fontTools.ttLib import TTFont
from lxml import etree
from test_cache import reseal

from book.engine import fontsubset
from book.project.reading import load_book
from book.publish import write_download_files
from book.scheduler import Cache, FolderError

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM = f"{{{ATOM_NS}}}"
OPDS_NS = "http://opds-spec.org/2010/catalog"
ACQUISITION = "http://opds-spec.org/acquisition"
ACQUISITION_FEED = "application/atom+xml;profile=opds-catalog;kind=acquisition"
MEDIA_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*")  # RFC 4288 4.2, with parameters
READING = ("mini-test-book.epub", "mini-test-book-screen.pdf", "mini-test-book-cover.jpg")
PRINTER = ("mini-test-book-print.pdf", "mini-test-book-cover.pdf")


@pytest.fixture(scope="module")
def built(mini_book) -> Path:  # noqa: ANN001 - conftest's BuildResult
    """The output folder of the mini project's full build."""
    return next(o.path for o in mini_book.outputs if o.path.name.endswith(".epub")).parent


def page_of(out: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / "index.html").read_bytes())


def links(page: lxml.html.HtmlElement) -> list[str]:
    return [a.get("href") for a in page.iter("a")]


# -- what the page lists, and in what order


def test_the_epub_comes_first_then_the_screen_pdf_then_the_printers_section(built):
    page = page_of(built)
    hrefs = links(page)
    assert hrefs[0] == "mini-test-book.epub"  # the first link of the page
    buttons = [a.get("href") for a in page.find_class("button")]
    assert buttons == ["mini-test-book.epub", "mini-test-book-screen.pdf", *PRINTER]
    assert page.find_class("button")[0].get("class") == "button primary"
    assert page.find_class("button")[0].get("type") == "application/epub+zip"
    assert re.fullmatch(r"\d+\.\d MB", page.find_class("button")[0].find_class("size")[0].text)
    (printer,) = page.find_class("printer")
    assert printer.find("h2").text_content() == "สำหรับโรงพิมพ์"
    assert [a.get("href") for a in printer.find_class("button")] == list(PRINTER)
    assert not {"mini-test-book-print.pdf", "mini-test-book-cover.pdf"} & {
        a.get("href") for a in page.find_class("reading")[0].iter("a")
    }
    assert page.find("body").find_class("book")[0].find("div/h1").text_content() == "สองเมืองริมน้ำ"
    assert page.find_class("line")[0].text_content() == "หนังสือทดสอบเล่มเล็ก"  # the subtitle, in one line


def test_the_designers_manifest_is_never_listed(built):
    assert (built / "infographics.csv").is_file()  # the build writes it for the designers...
    page = (built / "index.html").read_text(encoding="utf-8")
    feed = (built / "opds.xml").read_text(encoding="utf-8")
    assert "infographics" not in page and "infographics" not in feed  # ...and neither the page nor the feed has it
    listed = set(links(page_of(built))) - {"opds.xml"}
    assert listed == set(READING + PRINTER)


def test_a_book_may_leave_the_printers_files_off_the_page(built, tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    settings = project / "book.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "download:\n  printer_files: false\n", "utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    write_download_files(load_book(project), out)
    page = page_of(out)
    assert page.find_class("printer") == []
    assert set(links(page)) - {"opds.xml"} == set(READING)
    assert "สำหรับโรงพิมพ์" not in (out / "index.html").read_text(encoding="utf-8")


def test_every_checksum_is_the_files(built):
    import hashlib

    rows = page_of(built).find_class("checksums")[0].iter("tr")
    said = {row.find("td/a").get("href"): row.find("td/code").text for row in rows}
    assert set(said) == set(READING + PRINTER)
    for name, digest in said.items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest


# -- the page's own font


def font_data(html: str) -> list[str]:
    """The page's faces, each as the base64 of its WOFF2 data: URI."""
    return re.findall(r"url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)", html)


def page_fonts(html: str) -> list[TTFont]:
    return [TTFont(BytesIO(base64.b64decode(face))) for face in font_data(html)]


def test_the_page_carries_a_thai_font_with_every_character_it_shows(built):
    html = (built / "index.html").read_text(encoding="utf-8")
    fonts = page_fonts(html)
    assert len(fonts) == 2  # the body face's regular and bold
    assert re.findall(r"url\((?!data:)", html) == []  # nothing fetched from elsewhere
    page = page_of(built)
    shown = set(page.find("body").text_content()) | set(page.find(".//img").get("alt"))
    shown = {c for c in shown if not c.isspace()}
    assert {"ส", "อ", "ง", "เ", "ม", "ื"} <= shown
    for font in fonts:
        cmap = font.getBestCmap()
        assert shown <= set(map(chr, cmap)), sorted(shown - set(map(chr, cmap)))
        assert len(cmap) < len(shown) + 40  # cut to the page: not the whole Thai block and Latin
        assert font["name"].getDebugName(1) == "Sarabun"


def test_the_pages_fonts_are_taken_from_the_cache_as_they_would_be_made(built, tmp_path, monkeypatch):
    """The page's faces are cut and compressed once (0.1 s a face) and taken from the build cache after
    that: the same bytes as made without the cache. A well-sealed entry under their key that holds anything
    but WOFF2 (the cut font not compressed, as the EPUB's entries hold) is made again, and so is every face
    once the toolkit's own code is another (its digest is in the key)."""
    book = load_book(MINI)
    out = tmp_path / "out"
    shutil.copytree(built, out)
    write_download_files(book, out)
    made_without = font_data((out / "index.html").read_text("utf-8"))
    cuts = []
    cut = fontsubset._cut
    monkeypatch.setattr(fontsubset, "_cut", lambda *args: cuts.append(args) or cut(*args))
    cache = Cache(tmp_path / "cache")
    write_download_files(book, out, cache=cache)
    assert len(cuts) == 2 and font_data((out / "index.html").read_text("utf-8")) == made_without
    write_download_files(book, out, cache=Cache(tmp_path / "cache"))
    assert len(cuts) == 2 and font_data((out / "index.html").read_text("utf-8")) == made_without  # both from the cache
    kept = sorted((tmp_path / "cache" / "fonts").glob("*.entry"))
    assert len(kept) == 2
    for path in kept:
        reseal(path, {}, {"font": fontsubset.subset_font(book.fonts["body"][0].path, "กขค")})
    write_download_files(book, out, cache=Cache(tmp_path / "cache"))
    assert len(cuts) == 4 and font_data((out / "index.html").read_text("utf-8")) == made_without
    monkeypatch.setattr(fontsubset, "toolkit_digest", lambda: "a toolkit changed in place")
    write_download_files(book, out, cache=Cache(tmp_path / "cache"))
    assert len(cuts) == 6 and font_data((out / "index.html").read_text("utf-8")) == made_without  # new keys: made again


# -- on a phone, in a real browser


def test_on_a_phone_the_epub_button_is_in_the_first_screen_in_the_pages_own_font(browser, built):
    with browser_tab(browser, 375, 667) as tab:
        tab.goto((built / "index.html").as_uri())
        tab.evaluate("document.fonts.ready")
        assert tab.evaluate("document.querySelector('meta[name=viewport]').content").startswith("width=device-width")
        box = tab.locator("a.button.primary").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 667, box  # seen without scrolling
        assert box["height"] >= 44 and box["width"] >= 300  # a thumb's target, the width of the screen
        assert tab.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
        assert tab.evaluate("parseFloat(getComputedStyle(document.querySelector('.what')).fontSize)") >= 16
        # Chromium says which font drew each element's text: only the page's own, never an installed one
        cdp = tab.context.new_cdp_session(tab)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        drawn = set()
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})["nodeIds"]:
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                drawn.add((font["postScriptName"], font["isCustomFont"]))
        assert drawn == {("Sarabun-Regular", True), ("Sarabun-Bold", True)}


def test_a_long_description_and_no_subtitle_keep_the_epub_in_the_first_screen(browser, built, tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    settings = project / "book.yaml"
    described = " ".join(["หนังสือเล่มนี้เล่าเรื่องของผู้คนในสองเมืองริมแม่น้ำ ที่ร่วมกันสร้างพื้นที่เรียนรู้ของชุมชน"] * 8)
    text = settings.read_text(encoding="utf-8").replace("subtitle: หนังสือทดสอบเล่มเล็ก\n", "")
    settings.write_text(text + f"description: {described}\n", "utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    write_download_files(load_book(project), out)
    assert page_of(out).find_class("about")[0].find("p").text_content() == described  # whole, further down
    with browser_tab(browser, 375, 667) as tab:
        tab.goto((out / "index.html").as_uri())
        tab.evaluate("document.fonts.ready")
        box = tab.locator("a.button.primary").bounding_box()
        assert box["y"] + box["height"] <= 667, box  # the line beside the cover is cut at three lines


# -- the OPDS feed


def atom_opds_problems(feed: etree._Element) -> list[str]:
    """What in an OPDS 1.2 acquisition feed breaks a MUST of RFC 4287 (Atom) or OPDS Catalog 1.2, each named
    by its section; [] when none."""
    problems: list[str] = []

    def need(condition: bool, rule: str) -> None:
        if not condition:
            problems.append(rule)

    def count(parent: etree._Element, name: str) -> int:
        return len(parent.findall(f"{ATOM}{name}"))

    need(feed.tag == f"{ATOM}feed", "RFC 4287 4.1.1: the document is an atom:feed")
    entries = feed.findall(f"{ATOM}entry")
    for name in ("id", "title", "updated"):
        need(count(feed, name) == 1, f"RFC 4287 4.1.1: atom:feed has exactly one atom:{name}")
    for name in ("generator", "icon", "logo", "rights", "subtitle"):
        need(count(feed, name) <= 1, f"RFC 4287 4.1.1: atom:feed has at most one atom:{name}")
    need(
        count(feed, "author") >= 1 or all(count(e, "author") >= 1 for e in entries),
        "RFC 4287 4.1.1: atom:feed has an atom:author unless every entry has one",
    )
    for element, where in [(feed, "atom:feed"), *((e, "atom:entry") for e in entries)]:
        _id_rules(element.findtext(f"{ATOM}id"), where, need)
        for name in ("updated", "published"):
            for date in element.findall(f"{ATOM}{name}"):
                need(_rfc3339(date.text or ""), f"RFC 4287 3.3: {where}'s atom:{name} is an RFC 3339 date-time")
        for name in ("title", "subtitle", "rights", "summary"):
            for text in element.findall(f"{ATOM}{name}"):
                need(text.get("type", "text") in ("text", "html", "xhtml"), f"RFC 4287 3.1: atom:{name}'s type")
                if text.get("type", "text") == "text":
                    need(len(text) == 0, f"RFC 4287 3.1.1: a text atom:{name} has no child elements")
        for person in element.findall(f"{ATOM}author") + element.findall(f"{ATOM}contributor"):
            need(len(person.findall(f"{ATOM}name")) == 1, "RFC 4287 3.2: a person has exactly one atom:name")
        alternates = [(a.get("type"), a.get("hreflang")) for a in element.findall(f"{ATOM}link[@rel='alternate']")]
        need(len(alternates) == len(set(alternates)), f"RFC 4287 4.1: {where} has one alternate per type")
        for link in element.findall(f"{ATOM}link"):
            need(bool(link.get("href")), "RFC 4287 4.2.7.1: atom:link has an href")
            need(
                link.get("type") is None
                or re.fullmatch(r"[\w.+-]+/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*", link.get("type")) is not None,
                f"RFC 4287 4.2.7.3: atom:link's type {link.get('type')!r} is a media type",
            )
            need(
                link.get("length") is None or link.get("length").isdigit(),
                "RFC 4287 4.2.7.6: atom:link's length is a number of octets",
            )
    self_links = feed.findall(f"{ATOM}link[@rel='self']")
    need(
        all(link.get("type") == ACQUISITION_FEED for link in self_links),
        "OPDS 1.2 2.3: a link to an acquisition feed has its type",
    )
    need(len(entries) >= 1, "OPDS 1.2 2: an acquisition feed has its entries")
    for entry in entries:
        for name in ("id", "title", "updated"):
            need(count(entry, name) == 1, f"RFC 4287 4.1.2 / OPDS 1.2 5.1: atom:entry has exactly one atom:{name}")
        for name in ("content", "published", "rights", "source", "summary"):
            need(count(entry, name) <= 1, f"RFC 4287 4.1.2: atom:entry has at most one atom:{name}")
        need(
            count(entry, "content") == 1 or entry.find(f"{ATOM}link[@rel='alternate']") is not None,
            "RFC 4287 4.1.1: an atom:entry without atom:content has an atom:link rel=alternate",
        )
        acquisitions = [
            link for link in entry.findall(f"{ATOM}link") if (link.get("rel") or "").startswith(ACQUISITION)
        ]
        need(len(acquisitions) >= 1, "OPDS 1.2 5.4: an entry has at least one acquisition link")
        need(all(link.get("type") for link in acquisitions), "OPDS 1.2 5.3: every acquisition link has a type")
        need(
            all(link.get("rel") != f"{ACQUISITION}/buy" or link.find(f"{{{OPDS_NS}}}price") is not None
                for link in acquisitions),
            "OPDS 1.2 5.4: a buy link has an opds:price",
        )  # fmt: skip
        for summary in entry.findall(f"{ATOM}summary"):
            need(summary.get("type", "text") == "text", "OPDS 1.2 5.1.3: atom:summary is of type text")
        need(entry.find("{http://purl.org/dc/terms/}title") is None, "OPDS 1.2 5.1: no dc:title, atom:title")
    return problems


def _id_rules(value: str | None, where: str, need) -> None:  # noqa: ANN001 - the checker's `need`
    """RFC 4287 4.2.6: an atom:id is an absolute IRI; this toolkit's are a urn:uuid (RFC 4122) or a urn:isbn."""
    value = value or ""
    if value.startswith("urn:uuid:"):
        try:
            parsed = uuid.UUID(value.removeprefix("urn:uuid:"))
        except ValueError:
            parsed = None
        need(
            parsed is not None and str(parsed) == value.removeprefix("urn:uuid:") and parsed.variant == uuid.RFC_4122,
            f"RFC 4287 4.2.6 / RFC 4122: {where}'s id {value!r} is a urn:uuid",
        )
    elif value.startswith("urn:isbn:"):
        need(_isbn(value.removeprefix("urn:isbn:")), f"RFC 3187: {where}'s id {value!r} is a urn:isbn")
    else:
        need(False, f"RFC 4287 4.2.6: {where}'s id {value!r} is a urn:uuid or urn:isbn")


def _isbn(digits: str) -> bool:
    if re.fullmatch(r"97[89]\d{10}", digits):
        return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    if re.fullmatch(r"\d{9}[\dX]", digits):
        return sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits)) % 11 == 0
    return False


def _rfc3339(value: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def test_the_feed_keeps_every_must_of_atom_and_opds(built):
    feed = etree.parse(str(built / "opds.xml")).getroot()
    assert atom_opds_problems(feed) == []
    (entry,) = feed.findall(f"{ATOM}entry")
    acquisitions = {
        link.get("href"): link.get("type")
        for link in entry.findall(f"{ATOM}link")
        if link.get("rel") == f"{ACQUISITION}/open-access"
    }
    assert acquisitions == {
        "mini-test-book.epub": "application/epub+zip",
        "mini-test-book-screen.pdf": "application/pdf",
    }
    assert entry.find(f"{ATOM}link[@rel='alternate']").attrib == {
        "rel": "alternate", "href": "index.html", "type": "text/html"
    }  # fmt: skip
    # the ids: version 5 UUIDs of the book id, the same at every build, and the feed's not the book's
    assert feed.findtext(f"{ATOM}id") == "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, "thaibook:mini-test-book:opds")
    )
    assert entry.findtext(f"{ATOM}id") == "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "thaibook:mini-test-book"))
    newest = max((built / name).stat().st_mtime for name in READING + PRINTER)
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")).timestamp() == int(newest)


def test_the_checks_catch_what_the_feed_used_to_get_wrong(built):
    feed = etree.parse(str(built / "opds.xml")).getroot()
    entry = feed.find(f"{ATOM}entry")
    entry.remove(entry.find(f"{ATOM}link[@rel='alternate']"))
    feed.find(f"{ATOM}id").text = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "x")) + ":opds"
    feed.find(f"{ATOM}updated").text = "2026-12-04 11:42:58"
    entry.find(f"{ATOM}link[@rel='{ACQUISITION}/open-access']").attrib.pop("type")
    assert atom_opds_problems(feed) == [
        f"RFC 4287 4.2.6 / RFC 4122: atom:feed's id '{feed.findtext(f'{ATOM}id')}' is a urn:uuid",
        "RFC 4287 3.3: atom:feed's atom:updated is an RFC 3339 date-time",
        "RFC 4287 4.1.1: an atom:entry without atom:content has an atom:link rel=alternate",
        "OPDS 1.2 5.3: every acquisition link has a type",
    ]


def test_a_book_with_an_isbn_is_its_urn(built, tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    settings = project / "book.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + 'isbn: "978-616-000-000-5"\n', "utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    write_download_files(load_book(project), out)
    feed = etree.parse(str(out / "opds.xml")).getroot()
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}id") == "urn:isbn:9786160000005"
    assert atom_opds_problems(feed) == []


def test_a_books_description_follows_the_buttons(built, tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    settings = project / "book.yaml"
    described = "หนังสือทดสอบว่าด้วยสองเมืองริมแม่น้ำ เล่าเรื่องผู้คนและการเรียนรู้"
    settings.write_text(settings.read_text(encoding="utf-8") + f"description: {described}\n", "utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    write_download_files(load_book(project), out)
    page = page_of(out)
    assert page.find_class("line")[0].text_content() == "หนังสือทดสอบเล่มเล็ก"  # the subtitle stays the one line
    about = page.find_class("about")[0]
    assert about.find("p").text_content() == described
    assert about.getprevious() is page.find_class("reading")[0]  # under the buttons
    # the font follows the text: the description's characters are in it
    shown = {c for c in page.find("body").text_content() if not c.isspace()}
    for font in page_fonts((out / "index.html").read_text(encoding="utf-8")):
        assert shown <= set(map(chr, font.getBestCmap()))


# -- the readers' site: what the producer uploads, and nothing else

LISTINGS = ("index.html", "opds.xml")


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_the_site_holds_exactly_what_readers_get_and_never_the_manifest(built):
    site = built / "site"
    assert site.is_dir() and not site.is_symlink()
    assert names(site) == set(READING + PRINTER + LISTINGS)  # the csv stays in dist/, with the designers
    for name in names(site):
        published, built_file = (site / name).stat(), (built / name).stat()
        assert (published.st_dev, published.st_ino) == (built_file.st_dev, built_file.st_ino), name  # a hard link
    # the page and the feed list only files beside them in the site
    assert set(links(page_of(site))) - {"opds.xml"} <= names(site)


def test_what_the_page_no_longer_lists_leaves_the_site(built, tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    settings = project / "book.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "download:\n  printer_files: false\n", "utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "site" / "old-id.epub").write_bytes(b"an edition published under the book's earlier id")
    write_download_files(load_book(project), out)
    assert names(out / "site") == set(READING + LISTINGS)  # no printer's files, nothing of an earlier id
    assert "สำหรับโรงพิมพ์" not in (out / "site" / "index.html").read_text(encoding="utf-8")
    assert (out / "mini-test-book-print.pdf").is_file()  # only unpublished: dist/ keeps it


@pytest.mark.parametrize("theirs", ["notes.txt", "infographics.csv", ".htaccess", "photos/", "index.html"])
def test_a_site_folder_of_the_users_own_is_never_swept(built, tmp_path, theirs):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    site = out / "site"
    if theirs.endswith("/"):
        (site / theirs).mkdir()
        (site / theirs / "a.jpg").write_bytes(b"their photo")
    else:
        (site / theirs).unlink(missing_ok=True)
        (site / theirs).write_text("<!DOCTYPE html><title>our press</title>", encoding="utf-8")
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    with pytest.raises(FolderError) as refused:
        write_download_files(load_book(MINI), out)
    (problem,) = refused.value.diagnostics
    assert problem.code == "D110" and problem.file == str(site) and theirs.rstrip("/") in problem.message
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before  # untouched


def test_a_symlink_in_the_site_is_replaced_never_followed(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "web.html").write_text("the press's own page", encoding="utf-8")
    (outside / "keep.pdf").write_bytes(b"not the book's")
    (out / "site" / "index.html").unlink()
    (out / "site" / "index.html").symlink_to(outside / "web.html")
    (out / "site" / "mini-test-book.epub").unlink()
    (out / "site" / "mini-test-book.epub").symlink_to(outside / "keep.pdf")
    (out / "site" / "old-id-print.pdf").symlink_to(outside / "keep.pdf")  # removed as a link; not its target
    (out / "site" / ".partial").symlink_to(outside, target_is_directory=True)  # where the writes would go
    write_download_files(load_book(MINI), out)
    assert (outside / "web.html").read_text(encoding="utf-8") == "the press's own page"
    assert (outside / "keep.pdf").read_bytes() == b"not the book's"
    assert names(outside) == {"web.html", "keep.pdf"}
    assert names(out / "site") == set(READING + PRINTER + LISTINGS)
    assert not any((out / "site" / name).is_symlink() for name in names(out / "site"))
    assert (out / "site" / "mini-test-book.epub").read_bytes() == (out / "mini-test-book.epub").read_bytes()


def test_a_site_folder_that_is_a_symlink_is_replaced_never_written_through(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    outside = tmp_path / "webroot"
    outside.mkdir()
    (outside / "about.html").write_text("the press's own page", encoding="utf-8")
    shutil.rmtree(out / "site")
    (out / "site").symlink_to(outside, target_is_directory=True)
    write_download_files(load_book(MINI), out)
    assert names(outside) == {"about.html"}
    assert (out / "site").is_dir() and not (out / "site").is_symlink()
    assert names(out / "site") == set(READING + PRINTER + LISTINGS)


def test_on_a_disk_without_hard_links_the_site_holds_copies(built, tmp_path, monkeypatch):
    # The one stand-in of the suite: a disk without hard links (FAT, some network shares) cannot be made here.
    import errno
    import os

    import book.publish.site

    def no_links(*args, **kwargs) -> None:  # noqa: ANN002, ANN003 - os.link's
        raise OSError(errno.EPERM, "Operation not permitted")

    out = tmp_path / "out"
    shutil.copytree(built, out)
    shutil.rmtree(out / "site")
    monkeypatch.setattr(book.publish.site.os, "link", no_links)
    write_download_files(load_book(MINI), out)
    monkeypatch.undo()
    assert names(out / "site") == set(READING + PRINTER + LISTINGS)
    for name in names(out / "site"):
        assert (out / "site" / name).read_bytes() == (out / name).read_bytes(), name
        assert not os.path.samefile(out / "site" / name, out / name)


# -- Thai lines on the page


def test_a_number_keeps_the_word_after_it_on_its_line(built, tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    settings = project / "book.yaml"
    text = settings.read_text(encoding="utf-8")
    subtitle = "เรื่องราวจาก 18 เมืองแห่งการเรียนรู้ทั่วประเทศไทย"
    settings.write_text(re.sub(r"(?m)^subtitle:.*$", f"subtitle: {subtitle}", text), "utf-8")
    out = tmp_path / "out"
    shutil.copytree(built, out)
    write_download_files(load_book(project), out)
    line = page_of(out / "site").find_class("line")[0].text_content()
    assert line == subtitle.replace("18 ", "18\u00a0")  # no line ends between the number and เมือง
