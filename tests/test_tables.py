"""Markdown tables as book tables (book/render/tables.py): in print the header row is repeated on every page a
table runs over, rows are kept whole, a row taller than a page still lays out, numbers are set right-aligned,
Thai text in cells breaks at word boundaries and digits follow `numerals`; in the EPUB the tables are accessible
and scroll sideways at phone width."""

from __future__ import annotations

import re
import zipfile

import lxml.etree
import lxml.html
import pytest
from conftest import NS, PROJECTS, browser_tab, output, pdftotext

from book.building import build
from book.project.reading import load_book
from book.render import render_pages
from book.thai import mark_for_print

XREF = PROJECTS / "xref"
HEADER = ["ลำดับ", "เหตุการณ์", "ระดับน้ำ", "ความเร็ว"]


@pytest.fixture(scope="module")
def xref(tmp_path_factory: pytest.TempPathFactory):
    return build(XREF, tmp_path_factory.mktemp("xref-tables"), ("pdf", "epub"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_header_row_is_repeated_on_the_next_page_of_a_long_table(xref):
    pages = pdftotext(output(xref, "-print.pdf")).split("\f")
    first = next(i for i, page in enumerate(pages) if "ระดับน้ำที่ท่าเรือเก่า" in squash(page))
    body = squash(pages[first + 1])
    assert all(word in body for word in HEADER), body[:200]
    assert body.index("เหตุการณ์") < body.index("ของฤดูน้ำหลาก")  # above the rows that did not fit before


def test_rows_are_kept_whole_and_a_row_taller_than_a_page_still_lays_out(xref):
    pages = [squash(page) for page in pdftotext(output(xref, "-print.pdf")).split("\f")]
    thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    for day in range(1, 61):
        event, level = f"วันที่{day}ของฤดูน้ำหลาก".translate(thai), str(100 + day * 7).translate(thai)
        holding = [i for i, page in enumerate(pages) if event in page]
        assert len(holding) == 1, day
        assert event + level in pages[holding[0]], day  # its cells on its page, in a row
    tall = [i for i, page in enumerate(pages) if "ในวันนั้นน้ำขึ้นสูงกว่าทุกวัน" in page]
    assert len(tall) >= 2  # the row taller than a page runs on over the next
    assert sum(page.count("ขนสินค้าขึ้นฝั่งก่อนค่ำ") for page in pages) == 30  # every sentence of it, to its end


def test_digits_in_cells_follow_the_numerals_and_numbers_are_set_right(xref):
    text = pdftotext(output(xref, "-print.pdf"))
    assert "๑,๒๕๐" in text and "1,250" not in text
    page = next(p for p in render_pages(load_book(XREF)) if p.id == "market")
    table = lxml.html.fromstring(page.html).xpath("//table")[0]
    assert [cell.get("class") for cell in table.xpath(".//tr/*[2]")] == ["num", "num", "num"]
    assert [cell.get("class") for cell in table.xpath(".//tr/*[1]")] == [None, None, None]


def test_thai_text_in_cells_gets_the_break_marks_of_the_body():
    book = load_book(XREF)
    page = next(p for p in render_pages(book) if p.id == "harbour")
    marked = lxml.html.fromstring(mark_for_print(f"<html><body>{page.html}</body></html>", book.break_policy))
    cell = marked.xpath("//tr[td[1] = '๙๙']/td[2]")[0].text_content()
    assert "\u200b" in cell
    assert cell.replace("\u200b", "").startswith("ในวันนั้นน้ำขึ้นสูง")


def test_epub_tables_are_accessible_with_a_caption_scoped_headers_and_a_scrolling_wrapper(xref):
    with zipfile.ZipFile(output(xref, ".epub")) as archive:
        tree = lxml.etree.fromstring(archive.read("EPUB/harbour.xhtml"))
        css = archive.read("EPUB/style/book.css").decode()
    (table,) = tree.xpath("//x:table", namespaces=NS)
    assert table.get("id") == "tbl-tides"
    assert table.getparent().get("class") == "table-wrap"
    assert [child.tag.split("}")[1] for child in table] == ["caption", "thead", "tbody"]
    assert squash(table[0].xpath("string()")) == "ตารางที่๑ระดับน้ำที่ท่าเรือเก่าตลอดฤดูน้ำหลาก"
    assert [th.get("scope") for th in table.xpath("x:thead//x:th", namespaces=NS)] == ["col"] * 4
    assert re.search(r"\.table-wrap\s*\{[^}]*overflow-x:\s*auto", css)


def test_a_wide_table_scrolls_inside_its_wrapper_at_phone_width(xref, browser, tmp_path):
    """The EPUB's chapter in a 360 px wide browser, its table made wider than the screen: the table scrolls
    inside its wrapper, the page does not scroll sideways."""
    with zipfile.ZipFile(output(xref, ".epub")) as archive:
        archive.extractall(tmp_path)
    with browser_tab(browser, 360, 640) as tab:
        tab.goto((tmp_path / "EPUB" / "harbour.xhtml").as_uri())
        scroll_width, client_width, page_width, viewport = tab.evaluate(
            "() => { document.querySelector('table').style.minWidth = '900px';"
            " const w = document.querySelector('.table-wrap');"
            " return [w.scrollWidth, w.clientWidth, document.documentElement.scrollWidth, innerWidth]; }"
        )
    assert scroll_width >= 900 > client_width
    assert page_width <= viewport
