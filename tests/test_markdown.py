"""Chapter bodies: footnotes, pull quotes, infographic placeholders and Thai-safe unique ids."""

from pathlib import Path

import lxml.html
from conftest import problems

from book.project.model import Book
from book.project.reading import load_book
from book.scheduler.cache import project_cache


def body(project: Path, slug: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<div>{load_book(project).chapter(slug).html}</div>")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_placeholder_renders_a_labelled_box_with_its_declared_size(project):
    (figure,) = body(project, "nan").xpath("//figure")
    assert figure.get("id") == "fig-nan-river"
    assert figure.get("class") == "infographic size-half-page placeholder"
    box = figure.xpath(".//div[@class='placeholder-box']")[0]
    assert box.get("role") == "img"
    assert box.get("aria-label") == "แผนที่แม่น้ำน่านช่วงที่ไหลผ่านตัวเมือง พร้อมชุมชนสองฝั่ง"
    assert "nan-river" in box.text_content() and "half-page" in box.text_content()
    caption = figure.xpath(".//figcaption")[0].text_content()
    assert caption == "แม่น้ำน่านกับชุมชนสองฝั่งอินโฟกราฟิก: ฝ่ายศิลป์ทดสอบ"


def test_artwork_replaces_the_placeholder_when_it_exists(project):
    book = load_book(project)
    (figure,) = book.chapter("trang").infographics
    assert figure.status == "ready" and figure.artwork.name == "trang-cafes.svg"
    img = lxml.html.fromstring(book.chapter("trang").html).xpath("//img")[0]
    assert img.get("src") == "infographics/trang-cafes.svg"
    assert img.get("alt") == "แผนภาพร้านกาแฟในเมืองตรังที่มีมุมหนังสือ"


def test_credit_defaults_to_the_books_and_can_be_given(project):
    replace_in(project / "chapters" / "01-nan.md", "size: half-page\n", "size: half-page\ncredit: etceen studio\n")
    book = load_book(project)
    assert book.chapter("nan").infographics[0].credit == "etceen studio"
    assert book.chapter("trang").infographics[0].credit == "ฝ่ายศิลป์ทดสอบ"


def test_placeholder_mistakes_are_reported_with_their_line(project):
    path = project / "chapters" / "01-nan.md"
    replace_in(path, "size: half-page", "size: quarter-page")
    replace_in(path, "::: infographic nan-river", "::: infographic trang-cafes")
    assert problems(project) == [
        "chapters/01-nan.md:21: infographic trang-cafes: unknown size 'quarter-page'; "
        "use one of full-page, half-page, column [M007]",
        "chapters/02-trang.md:16: infographic id 'trang-cafes' is used twice (also in chapters/01-nan.md) [M008]",
    ]
    replace_in(path, "size: quarter-page", "size: column")
    assert problems(project) == [
        "chapters/02-trang.md:16: infographic id 'trang-cafes' is used twice (also in chapters/01-nan.md) [M008]"
    ]


def test_missing_caption_and_unclosed_block(project):
    path = project / "chapters" / "01-nan.md"
    replace_in(path, "caption: แม่น้ำน่านกับชุมชนสองฝั่ง\n", "")
    assert problems(project) == ["chapters/01-nan.md:21: infographic nan-river: 'caption' is required [M006]"]
    path.write_text(path.read_text(encoding="utf-8") + "\n::: pullquote\nไม่มีวันปิด\n", encoding="utf-8")
    assert any("'::: pullquote' is never closed" in p for p in problems(project))


def test_pull_quote_is_an_aside(project):
    (quote,) = body(project, "nan").xpath("//aside[@class='pullquote']")
    assert quote.text_content().strip() == "ผู้คนจึงต้องเรียนรู้ที่จะอยู่กับน้ำ"


def test_footnotes_have_unique_ids_roles_and_back_links(project):
    book = load_book(project)
    nan = lxml.html.fromstring(f"<div>{book.chapter('nan').html}</div>")
    (ref,) = nan.xpath("//a[@class='noteref']")
    assert ref.get("href") == "#fn-nan-river" and ref.get("role") == "doc-noteref"
    (note,) = nan.xpath("//aside[@class='footnote']")
    assert note.get("id") == "fn-nan-river" and note.get("role") == "doc-footnote"
    assert note.xpath(".//a[@role='doc-backlink']/@href") == ["#fnref-nan-river"]
    assert book.chapter("nan").footnotes == 1


def test_a_broken_footnote_reference(project):
    replace_in(project / "chapters" / "02-trang.md", "ของเมือง[^cafe]", "ของเมือง[^cafes]")
    assert problems(project) == [
        "chapters/02-trang.md:10:76: footnote [^cafes] has no text; add a line '[^cafes]: ...' [M009]"
    ]


def test_thai_heading_ids_are_readable_and_unique_in_the_book(project):
    book = load_book(project)
    ids = [h.id for c in book.chapters for h in c.headings]
    assert ids == ["ผู้คนริมน้ำ", "ผู้คนริมน้ำ_1", "trang-ผู้คนริมน้ำ"]
    assert len(set(ids)) == len(ids)


def chapter_facts(book: Book) -> list[tuple]:
    return [(c.slug, c.html, c.headings, c.infographics, c.footnotes) for c in book.chapters]


def test_markdown_read_again_comes_from_the_cache_and_gives_the_same_book(project):
    replace_in(project / "chapters" / "02-trang.md", "ของเมือง[^cafe]", "ของเมือง")  # an uncalled note: M011
    first = load_book(project, project_cache(project))
    entries = set((project / ".cache" / "markdown").glob("*.entry"))
    assert len(entries) == sum(c.kind != "credits" for c in first.chapters)
    cache = project_cache(project)
    again = load_book(project, cache)
    assert cache.used == entries  # every chapter's HTML was taken from the cache...
    assert chapter_facts(again) == chapter_facts(first)  # ...and the book is the one read without it
    assert chapter_facts(load_book(project)) == chapter_facts(first)
    assert [w.code for w in again.warnings] == [w.code for w in first.warnings] == ["M011"]

    replace_in(project / "chapters" / "01-nan.md", "ผู้คนริมน้ำ", "คนริมน้ำ")
    edited = load_book(project, project_cache(project))
    assert [h.id for h in edited.chapter("nan").headings][0] == "คนริมน้ำ"
    assert len(set((project / ".cache" / "markdown").glob("*.entry")) - entries) == 1
