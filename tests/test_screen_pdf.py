"""The screen edition (book/pdf/screen.py), checked on the built PDFs with independent tools: each page labelled
with the folio printed on it, no blank page, the text block in the middle of every page, and bookmarks, named
destinations, links and the structure tree still naming pages that are there."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import pikepdf
import pytest
from conftest import output, pdftotext

from book.pdf.screen import leave_out
from book.project import MARGINS_MM

PT_PER_MM = 72 / 25.4
FOLIO = re.compile(r"[0-9]+|[๐-๙]+|[ก-ฮ]|[ivxlc]+")
DOTTED = re.compile(r"^\s*(?:\d+\s+)?(?P<title>\S.*?)\s*\.{4,}\s*(?P<folio>[0-9๐-๙]+|[ก-ฮ])\s*$")


def squash(text: str) -> str:
    return re.sub(r"[\s\u200b\u2060]+", "", text)


def labels(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        return [page.label for page in document.pages]


def bbox_pages(pdf: Path, *args: str) -> list[lxml.etree._Element]:
    return list(lxml.etree.fromstring(pdftotext(pdf, "-bbox-layout", *args).encode()).iter("{*}page"))


def printed_folios(pdf: Path) -> list[str | None]:
    """The folio printed on each page: the lowest word in the foot margin (below the text block, above the
    trim), if it is a page number; None on a page that prints none."""
    with pikepdf.open(pdf) as document:
        feet = []
        for page in document.pages:
            top = float(page.obj.get("/CropBox", page.obj.MediaBox)[3])
            trim_bottom = float(page.obj.get("/TrimBox", page.obj.MediaBox)[1])
            feet.append(top - trim_bottom - MARGINS_MM["bottom"] * PT_PER_MM)  # pdftotext counts from the top
    found = []
    for page, foot in zip(bbox_pages(pdf), feet, strict=True):
        words = [(float(w.get("yMax")), w.text) for w in page.iter("{*}word") if float(w.get("yMin")) > foot]
        folio = max(words)[1] if words else None
        found.append(folio if folio is not None and FOLIO.fullmatch(folio) else None)
    return found


def blank_pages(pdf: Path) -> list[int]:
    """The 1-based pages with no text and no image."""
    texts = pdftotext(pdf).split("\f")[:-1]
    with pikepdf.open(pdf) as document:
        return [
            number
            for number, (text, page) in enumerate(zip(texts, document.pages, strict=True), start=1)
            if not text.strip() and not page.get_images()
        ]


# --- page labels -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["-screen.pdf", "-print.pdf"])
def test_every_page_is_labelled_with_the_folio_printed_on_it(mini_book, suffix):
    pdf = output(mini_book, suffix)
    got, printed = labels(pdf), printed_folios(pdf)
    checked = [(number, folio) for number, folio in enumerate(printed, start=1) if folio is not None]
    assert [(number, got[number - 1]) for number, folio in checked] == checked
    assert any(folio in "คงจฉช" for _, folio in checked)  # the front matter's letters were read and checked
    assert any(re.fullmatch("[๐-๙]+", folio) for _, folio in checked)  # and the body's Thai digits
    assert got[0] == "ก"  # the title page prints no folio: the first of the front matter's letters
    assert not any(re.search("[0-9]", label) for label in got)  # the mini book counts in Thai digits


def test_the_page_labels_go_on_where_the_screen_edition_leaves_a_blank_page_out(mini_book):
    printed = labels(output(mini_book, "-print.pdf"))
    screen = labels(output(mini_book, "-screen.pdf"))
    blank = blank_pages(output(mini_book, "-print.pdf"))
    assert blank  # the mini book opens its chapters on the right: it has blank versos
    assert screen == [label for number, label in enumerate(printed, start=1) if number not in blank]


# --- no blank page -----------------------------------------------------------------------------------------


def test_the_screen_pdf_has_no_blank_page_and_every_page_with_something_on_it(mini_book):
    printed, screen = output(mini_book, "-print.pdf"), output(mini_book, "-screen.pdf")
    assert blank_pages(screen) == []
    kept = [text for text in pdftotext(printed).split("\f")[:-1] if text.strip()]
    assert [squash(text) for text in pdftotext(screen).split("\f")[:-1]] == [squash(text) for text in kept]
    detail = next(o.detail for o in mini_book.outputs if o.path == screen)
    left_out = len(blank_pages(printed)) - padding(mini_book)
    assert detail == f"{len(kept)} pages ({left_out} blank left out), tagged PDF/UA-1"


def padding(result) -> int:  # noqa: ANN001 - a BuildResult
    detail = next(o.detail for o in result.outputs if o.path.name.endswith("-print.pdf"))
    found = re.search(r"(\d+) to fill the last signature", detail)
    return int(found.group(1)) if found else 0


# --- margins -----------------------------------------------------------------------------------------------


def text_block_margins(pdf: Path) -> list[tuple[str, float, float]]:
    """For each page whose widest line is a full measure (justified text), its side in the print edition's
    terms (odd pages of the print PDF are right-hand ones) and its left and right margins in mm: from the
    page's edge to the leftmost line's start and from the rightmost line's end."""
    block = (148 - MARGINS_MM["inner"] - MARGINS_MM["outer"]) * PT_PER_MM
    found = []
    for page in bbox_pages(pdf):
        width = float(page.get("width"))
        lines = [(float(line.get("xMin")), float(line.get("xMax"))) for line in page.iter("{*}line")]
        if not lines or max(right for _, right in lines) - min(left for left, _ in lines) < 0.97 * block:
            continue
        left, right = min(left for left, _ in lines), width - max(right for _, right in lines)
        found.append((left / PT_PER_MM, right / PT_PER_MM))
    return found


def test_the_text_block_is_in_the_middle_of_every_page_of_the_screen_pdf(mini_book):
    screen = text_block_margins(output(mini_book, "-screen.pdf"))
    assert len(screen) >= 4
    for left, right in screen:
        assert left == pytest.approx(right, abs=0.5)
        assert left == pytest.approx((MARGINS_MM["inner"] + MARGINS_MM["outer"]) / 2, abs=0.5)


# --- bookmarks, destinations, links, structure ---------------------------------------------------------------


def test_bookmarks_destinations_and_links_name_pages_that_are_there(mini_book):
    pdf = output(mini_book, "-screen.pdf")
    texts = [squash(text) for text in pdftotext(pdf).split("\f")[:-1]]
    with pikepdf.open(pdf) as document:
        index = {page.objgen: number for number, page in enumerate(document.pages)}
        with document.open_outline() as outline:
            items, bookmarks = list(outline.root), 0
            while items:
                item = items.pop()
                items += item.children
                page = index[item.destination[0].objgen]  # a KeyError: a page left out
                assert squash(item.title) in texts[page], item.title  # its heading is on it
                bookmarks += 1
        named = pikepdf.NameTree(document.Root.Names.Dests)
        assert all(destination[0].objgen in index for _, destination in named.items())
        links = [
            link for page in document.pages for link in page.obj.get("/Annots", []) if link.get("/Subtype") == "/Link"
        ]
        internal = [str(link.Dest) for link in links if "/Dest" in link]
        assert internal and all(name in named for name in internal)
        assert bookmarks >= 3
        # what a left-out page would leave behind: a page object that is not in the page tree
        orphans = [o for o in document.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Page"]
        assert {o.objgen for o in orphans} == set(index)
        # the structure tree names only pages that are there, and the parent tree has an entry for each
        parents = document.Root.StructTreeRoot.ParentTree.Nums
        keys = {int(parents[i]) for i in range(0, len(parents), 2)}
        assert all(int(page.obj.StructParents) in keys for page in document.pages)
        elements, seen = [document.Root.StructTreeRoot], 0
        while elements:
            element = elements.pop()
            if "/Pg" in element:
                assert element.Pg.objgen in index
                seen += 1
            kids = element.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            elements += [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        assert seen > 10


def test_the_contents_takes_a_reader_to_the_page_labelled_with_its_folio_in_the_default_book(default_book):
    """The default book: every contents entry's folio is the label of the page its chapter opens on, the
    contents' links go to that page, and no page is blank."""
    pdf = output(default_book, "-screen.pdf")
    assert blank_pages(pdf) == []
    got = labels(pdf)
    texts = [squash(text) for text in pdftotext(pdf).split("\f")[:-1]]
    laid_out = pdftotext(pdf, "-layout").split("\f")
    start = next(i for i, page in enumerate(laid_out) if "สารบัญ" in page)
    entries = []
    for page in laid_out[start : start + 3]:
        entries += [found.groups() for found in map(DOTTED.match, page.split("\n")) if found]
    assert len(entries) >= 18, entries
    for title, folio in entries:
        page = got.index(folio)
        assert squash(title)[-8:] in texts[page], (title, folio)
    assert got.index("1") == 7  # seven front matter pages on screen (ก ข ค ง จ ช ซ: the blank ฉ is left out)
    assert got[:7] == ["ก", "ข", "ค", "ง", "จ", "ช", "ซ"]


def test_what_named_a_page_left_out_names_the_page_after_it(tmp_path):
    """Built pages seldom give a destination on a blank page: a PDF made for it has one of each kind (named
    destination, bookmark, link, link action) on its second page and a parent tree entry for each page."""
    pdf = pikepdf.new()
    for _ in range(4):
        pdf.add_blank_page(page_size=(100, 100))
    pages = [page.obj for page in pdf.pages]
    for key, page in enumerate(pages):
        page.StructParents = key
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        pikepdf.Dictionary(ParentTree=pikepdf.Dictionary(Nums=pikepdf.Array([0, [], 1, [], 2, [], 3, []])))
    )
    there = pikepdf.Array([pages[1], pikepdf.Name.Fit])
    pdf.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), there])))
    link = {"/Type": pikepdf.Name.Annot, "/Subtype": pikepdf.Name.Link, "/Rect": [0, 0, 10, 10]}
    action = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([pages[3], pikepdf.Name.Fit]))
    pages[0].Annots = pikepdf.Array(
        [pdf.make_indirect(pikepdf.Dictionary({**link, "/Dest": [pages[1], pikepdf.Name.Fit]}))]
    )
    pages[2].Annots = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary({**link, "/A": action}))])
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("two", 1))
        outline.root.append(pikepdf.OutlineItem("four", 3))
    leave_out(pdf, [1, 3])
    pdf.save(tmp_path / "out.pdf")
    with pikepdf.open(tmp_path / "out.pdf") as out:
        first, third = (page.objgen for page in out.pages)
        assert pikepdf.NameTree(out.Root.Names.Dests)["x"][0].objgen == third  # the page after the second
        assert out.pages[0].obj.Annots[0].Dest[0].objgen == third
        assert out.pages[1].obj.Annots[0].A.D[0].objgen == third  # the last page's: the last one kept
        with out.open_outline() as outline:
            assert [item.destination[0].objgen for item in outline.root] == [third, third]
        assert list(out.Root.StructTreeRoot.ParentTree.Nums) == [0, [], 2, []]
        assert [o.objgen for o in out.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Page"] in (
            [first, third],
            [third, first],
        )
