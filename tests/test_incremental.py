"""Fast builds give the same book: parts laid out apart and joined give the pages of one layout, and a build
that takes unchanged parts from the cache gives, page by page, what a build without the cache gives."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import MINI, NS, ROOT
from lxml import etree

from book.building import build
from book.pdf.document import lay_out
from book.project.reading import load_book
from book.render.rendering import render_pages

# In the mini book with `opening: any`, the chapter that opens on a left-hand page, and a word of it changed.
LEFT_OPENING, LEFT_EDIT = "02-trang.md", ("ผู้คนชอบอ่านหนังสือ", "ผู้คนรักอ่านหนังสือ")
PAGE_PUSHING = "\n\n" + "ผู้คนในเมืองเล็กริมแม่น้ำเรียนรู้จากกันและกันทุกวัน " * 120 + "\n"
ODD_PAGES = "\n\n" + "ผู้คนในเมืองเล็กริมแม่น้ำเรียนรู้จากกันและกันทุกวัน " * 30 + "\n"  # makes 01-nan.md one page longer


def written_lines(texts: list[str]) -> list[list[str]]:
    """The lines of each page that has any: the screen edition leaves the blank pages out and centres the text
    block (book/pdf/screen.py), which moves every line of a page alike."""
    pages = [[line.strip() for line in text.splitlines() if line.strip()] for text in texts]
    return [page for page in pages if page]


def page_texts(pdf: Path) -> list[str]:
    """The text of every page of `pdf`, as poppler reads it."""
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], capture_output=True, text=True
        ).stdout
        for n in range(1, count + 1)
    ]


def page_list(epub: Path) -> list[tuple[str, str]]:
    """The EPUB's page list: (label, target) of every entry."""
    with zipfile.ZipFile(epub) as archive:
        name = next(n for n in archive.namelist() if n.endswith("nav.xhtml"))
        nav = etree.fromstring(archive.read(name))
    links = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    return [(a.text, a.get("href")) for a in links]


def outputs(out: Path) -> dict[str, object]:
    """What must not depend on the cache: each PDF page by page, the manifest, the EPUB's page list, and the
    EPUB itself byte for byte (made during the layout or after it)."""
    found = {name: page_texts(out / name) for name in ("mini-test-book-print.pdf", "mini-test-book-screen.pdf")}
    found["infographics.csv"] = (out / "infographics.csv").read_text(encoding="utf-8")
    found["page list"] = page_list(out / "mini-test-book.epub")
    found["epub"] = (out / "mini-test-book.epub").read_bytes()
    return found


def same_as_without_cache(project: Path, warm: Path, tmp_path: Path) -> None:
    cold = build(project, tmp_path / "cold", cache=False)
    assert cold.laid_out[0] == cold.laid_out[1]
    expected, got = outputs(tmp_path / "cold"), outputs(warm)
    for name in expected:
        assert got[name] == expected[name], name


def test_the_parts_joined_are_one_layout_of_the_whole(mini_book, tmp_path):
    """The screen edition (the joined parts with the folio layer over them) has, page by page, the text of
    the whole book laid out as one document, folios included."""
    book = load_book(mini_book.book.root)
    whole = tmp_path / "whole.pdf"
    lay_out(book, render_pages(book)).write_pdf(whole)
    screen = next(o.path for o in mini_book.outputs if o.path.name.endswith("-screen.pdf"))
    assert written_lines(page_texts(screen)) == written_lines(page_texts(whole))


@pytest.mark.parametrize("numbering", ["roman", "continuous"])
def test_the_parts_joined_are_one_layout_in_each_front_matter_numbering(project, tmp_path, numbering):
    """The contents is laid out beside the folio layers that do not depend on its length; with continuous
    numbering, every folio after it does."""
    config = project / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"front_numerals: {numbering}\n", encoding="utf-8")
    result = build(project, tmp_path / "out", targets=("pdf",), cache=False)
    book = load_book(project)
    whole = tmp_path / "whole.pdf"
    lay_out(book, render_pages(book)).write_pdf(whole)
    screen = next(o.path for o in result.outputs if o.path.name.endswith("-screen.pdf"))
    assert written_lines(page_texts(screen)) == written_lines(page_texts(whole))


def test_a_one_word_edit_lays_out_one_part_and_changes_nothing_else(project, tmp_path):
    first = build(project, tmp_path / "first")
    assert first.laid_out[0] == first.laid_out[1]  # nothing cached yet
    again = build(project, tmp_path / "again")
    assert again.laid_out[0] == 0  # everything from the cache
    chapter = project / "chapters" / "01-nan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("ตั้งอยู่", "อยู่", 1), encoding="utf-8")
    edited = build(project, tmp_path / "edited")
    assert edited.laid_out[0] == 1
    same_as_without_cache(project, tmp_path / "edited", tmp_path)


def test_chapters_that_open_on_any_page_give_the_same_book_from_the_cache(project, tmp_path):
    """With `opening: any` a chapter after one of an odd number of pages opens on a left-hand page: laid out
    first on the right, then again on the left from where its figures went (book/pdf/interior.py). After a
    one-word edit of it, laid out at once on the left, the book is what a build without the cache gives."""
    config = project / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "opening: any\n", encoding="utf-8")
    before = project / "chapters" / "01-nan.md"  # a page longer: of an odd number of pages
    before.write_text(before.read_text(encoding="utf-8") + ODD_PAGES, encoding="utf-8")
    first = build(project, tmp_path / "first")
    assert first.laid_out[0] >= first.laid_out[1]  # on the left at once when its worker knew, else again
    chapter = project / "chapters" / LEFT_OPENING
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(*LEFT_EDIT, 1), encoding="utf-8")
    edited = build(project, tmp_path / "edited")
    assert edited.laid_out[0] == 1  # at once on its side
    build(project, tmp_path / "cold", cache=False)
    expected, got = outputs(tmp_path / "cold"), outputs(tmp_path / "edited")
    for name in expected:
        assert got[name] == expected[name], name


def test_a_one_word_edit_before_a_chapter_that_opens_on_any_page_lays_out_only_the_edited_one(project, tmp_path):
    """The chapter after the edited one opens on a left-hand page. Its side is not known before the edited
    chapter is laid out, so it is taken from the cache on the side it was laid out on, and the edited chapter,
    as long as before, leaves it there: one layout, and the book a build without the cache gives."""
    config = project / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "opening: any\n", encoding="utf-8")
    before = project / "chapters" / "01-nan.md"  # a page longer: of an odd number of pages
    before.write_text(before.read_text(encoding="utf-8") + ODD_PAGES, encoding="utf-8")
    build(project, tmp_path / "first")
    after = project / "chapters" / LEFT_OPENING  # laid out again at once on the left: the cache has it there only
    after.write_text(after.read_text(encoding="utf-8").replace(*LEFT_EDIT, 1), encoding="utf-8")
    assert build(project, tmp_path / "second").laid_out[0] == 1
    before.write_text(before.read_text(encoding="utf-8").replace("ตั้งอยู่", "อยู่", 1), encoding="utf-8")
    edited = build(project, tmp_path / "edited")
    assert edited.laid_out[0] == 1
    build(project, tmp_path / "cold", cache=False)
    expected, got = outputs(tmp_path / "cold"), outputs(tmp_path / "edited")
    for name in expected:
        assert got[name] == expected[name], name


def test_a_chapter_that_grows_a_page_moves_the_folios_and_the_contents(project, tmp_path):
    build(project, tmp_path / "before")
    chapter = project / "chapters" / "01-nan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + PAGE_PUSHING, encoding="utf-8")
    after = build(project, tmp_path / "after")
    assert after.laid_out[0] <= 2  # the chapter, and the contents whose page numbers moved
    pages = [len(page_texts(tmp_path / name / "mini-test-book-screen.pdf")) for name in ("before", "after")]
    assert pages[1] > pages[0]
    same_as_without_cache(project, tmp_path / "after", tmp_path)


GS_ICC = Path("/usr/share/color/icc/ghostscript")


@pytest.mark.skipif(not (GS_ICC / "default_cmyk.icc").is_file(), reason="ghostscript's ICC profiles are not installed")
def test_a_new_print_profile_lays_every_part_out_again(project, tmp_path):
    """A part's print PDF is made ready for the press with the book's profile: its colours are that profile's
    CMYK. Taken from the cache after the profile changed, the parts kept the old profile's colours under the
    new output intent."""
    build(project, tmp_path / "first", ("pdf",))
    shutil.copy(GS_ICC / "default_cmyk.icc", project / "printer.icc")
    with (project / "book.yaml").open("a", encoding="utf-8") as config:
        config.write("print:\n  profile: printer.icc\n")
    again = build(project, tmp_path / "again", ("pdf",))
    assert again.laid_out[0] == again.laid_out[1]
    cold = build(project, tmp_path / "cold", ("pdf",), cache=False)
    assert ink(tmp_path / "again" / "mini-test-book-print.pdf") == ink(tmp_path / "cold" / "mini-test-book-print.pdf")
    assert ink(tmp_path / "again" / "mini-test-book-print.pdf") != ink(tmp_path / "first" / "mini-test-book-print.pdf")
    assert cold.laid_out[0] == cold.laid_out[1]


def ink(pdf: Path) -> set[bytes]:
    """Every CMYK colour the pages of `pdf` set."""
    found = set()
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            contents = page.obj.Contents
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            for stream in streams:
                found |= set(re.findall(rb"[\d.]+ [\d.]+ [\d.]+ [\d.]+ [kK]\b", stream.read_bytes()))
    return found


def test_a_build_after_another_in_one_process_reports_its_own_refusals(project, tmp_path):
    """`build.py watch` builds many times in one process, with the layout's loaded stylesheet and fonts kept:
    what the gate refuses while laying out a chapter is a warning of the build that laid it out."""
    chapter = project / "chapters" / "02-trang.md"
    refused = "<div style=\"background: url('http://127.0.0.1:9/x.png')\">เครือข่าย</div>"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + refused + "\n", encoding="utf-8")
    first = build(project, tmp_path / "first", ("pdf",))
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("เครือข่าย", "เครือข่ายไกล"), encoding="utf-8")
    second = build(project, tmp_path / "second", ("pdf",))
    assert second.laid_out[0] >= 1
    for result in (first, second):  # a chapter's address out is removed before layout (G101), once a build
        assert [w.code for w in result.book.warnings] == ["G101"]


def test_deleting_the_cache_changes_nothing_but_the_time(project, tmp_path):
    build(project, tmp_path / "one")
    shutil.rmtree(project / ".cache")
    again = build(project, tmp_path / "two")
    assert again.laid_out[0] == again.laid_out[1]
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


@pytest.mark.parametrize("damage", [b"", b"{not json\n", b'{"facts": {}, "files": [["print", 99]]}\n'])
def test_a_damaged_cache_entry_is_laid_out_again(project, tmp_path, damage):
    build(project, tmp_path / "one")
    entries = sorted((project / ".cache" / "parts").glob("*.entry"))
    for entry in entries:
        entry.write_bytes(damage)
    again = build(project, tmp_path / "two")
    assert again.laid_out[0] == again.laid_out[1]
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_the_print_edition_as_html_lays_out_with_plain_weasyprint(tmp_path):
    """`build.py html`: one HTML file with its fonts beside it, no address outside its folder, that the
    `weasyprint` command lays out in the book's own fonts (the benchmark's baseline)."""

    done = subprocess.run(
        [sys.executable, "build.py", "html", "--project", str(MINI), "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    html = tmp_path / "html" / "mini-test-book-print.html"
    text = html.read_text(encoding="utf-8")
    assert "file://" not in text and 'url("fonts/' in text
    assert "\u200b" in text  # the toolkit's Thai break opportunities are in it
    plain = tmp_path / "plain.pdf"
    weasyprint = Path(sys.executable).parent / "weasyprint"
    subprocess.run([str(weasyprint), html.name, str(plain)], cwd=html.parent, check=True, capture_output=True)
    fonts = subprocess.run(["pdffonts", str(plain)], capture_output=True, text=True).stdout
    assert "Sarabun" in fonts


def resident_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the resident size from /proc")
def test_memory_freed_in_the_c_heap_goes_back_to_the_system():
    """What Pango and qpdf free stays mapped by glibc until trimmed: `give_back_memory` hands it back."""
    import ctypes

    from book.scheduler.workers import give_back_memory

    libc = ctypes.CDLL(None)
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(4000) for _ in range(10_000)]  # 40 MB in blocks below glibc's mmap threshold
    for address in blocks:
        ctypes.memset(address, 1, 4000)
    keep = libc.malloc(4000)  # the top of the heap stays in use: only a trim can give back what is below it
    for address in blocks:
        libc.free(address)
    before = resident_kb()
    give_back_memory()
    assert before - resident_kb() > 20_000
    libc.free(keep)


MARGINS_CSS = """@page { size: 120mm 100mm; margin: 20mm;
  @top-center { content: "running head"; }
  @bottom-left { content: counter(page); }
  @bottom-right { content: "a running text long enough to share the bottom edge with the folio"; } }"""


def test_a_part_and_its_folio_layer_make_only_their_own_margin_boxes_placed_as_in_one_layout(monkeypatch):
    # A part is laid out without its folios and a folio layer with only them (book/pdf/partlayout.py, through
    # book/engine/margins.py). A margin box is placed with the others of its edge: the text beside the folio
    # keeps the place it has when both are laid out together, and an edge with nothing wanted is not made at all.
    from weasyprint import CSS, HTML
    from weasyprint import layout as weasyprint_layout

    from book.engine import margins

    monkeypatch.setattr(weasyprint_layout, "make_margin_boxes", weasyprint_layout.make_margin_boxes)
    margins.install()  # undone by monkeypatch
    placed = {}
    for only in margins.WHICH:
        with margins.only(only):
            page = HTML(string="<p>text</p>").render(stylesheets=[CSS(string=MARGINS_CSS)]).pages[0]
        boxes = [box for box in page._page_box.children if hasattr(box, "at_keyword")]
        placed[only] = {box.at_keyword: (box.position_x, box.width) for box in boxes}
    assert set(placed[None]) == {"@top-center", "@bottom-left", "@bottom-right"}
    assert set(placed["text"]) == {"@top-center", "@bottom-right"}
    assert set(placed["folios"]) == {"@bottom-left"}
    for only in ("text", "folios"):
        assert placed[only] == {keyword: placed[None][keyword] for keyword in placed[only]}
