"""The PDF's text layer gives back the source text, which WeasyPrint alone does not for Thai."""

import subprocess
from pathlib import Path

import fontpkg_sarabun
from weasyprint import HTML

from book.engine import textlayer

SOURCE = "ดำเนินการ น้ำ ผู้คน ทั่วประเทศ อำนาจ ปี่ ฟื้น Learning City 2563"


def extract(tmp_path: Path) -> str:
    font = (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").as_uri()
    style = f"@font-face {{ font-family: S; src: url({font}) }} p {{ font-family: S }}"
    html = f'<html lang="th"><style>{style}</style><p>{SOURCE}</p>'
    pdf = tmp_path / "t.pdf"
    HTML(string=html).write_pdf(pdf)
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.strip()


def test_text_layer_equals_the_source(tmp_path):
    textlayer.install()
    assert extract(tmp_path) == SOURCE


def test_weasyprint_alone_loses_thai_text(tmp_path):
    """What the fix is for: without it the extracted text is wrong (if this starts failing, WeasyPrint fixed
    the defect upstream and `book/engine/textlayer.py` can go)."""
    with textlayer.without_fix():
        assert extract(tmp_path) != SOURCE


def text_layer_differences(book, pdf: Path) -> tuple[int, list[str]]:
    """Compare pdftotext of the whole PDF with the source text, paragraph by paragraph (white space
    ignored). Running heads and folios are left out by reading only the text block, footnotes are taken out
    page by page, and a paragraph is split where a footnote is called. Returns (pieces compared, pieces not found)."""
    import re

    import lxml.html

    from book.render.rendering import render_pages
    from book.thai.text import digits

    def squash(text: str) -> str:
        return re.sub(r"\s+", "", text)

    pages = render_pages(book)
    notes, pieces = [], []
    for page in pages:
        if page.kind == "contents":
            continue  # made by the toolkit, with page numbers and leaders between the words
        root = lxml.html.fromstring(f"<div>{page.html}</div>")
        for number, note in enumerate(root.xpath("//aside[@class='footnote']"), start=1):
            for back in note.xpath(".//a[@class='backlink']"):
                back.drop_tree()
            notes.append(digits(number, book.config["numerals"]) + "." + squash(note.text_content()))
            note.drop_tree()
        for hidden in root.xpath("//*[@hidden]"):  # what only another edition shows (the ebook's colophon facts)
            hidden.drop_tree()
        for element in root.xpath("//p | //h1 | //h2 | //h3 | //li | //dd"):
            for call in element.xpath(".//sup[a[@class='noteref']]"):
                call.text = "\u241e"  # a separator no chapter uses
                call[:] = []
            pieces += [squash(piece) for piece in element.text_content().split("\u241e") if squash(piece)]
    # Only the text block: running heads sit in the top margin and folios in the bottom one.
    from book.project import page_geometry

    to_pt = 72 / 25.4
    page = page_geometry(book.config)
    width, height = (side * to_pt for side in page.trim)
    top, bottom = page.margins["top"] * to_pt, page.margins["bottom"] * to_pt
    bottom -= 11 * 1.75  # a chapter's last pages may run one body line into the foot margin (book/engine/floats.py)
    crop = ["-x", "0", "-y", f"{top - 2:.0f}", "-W", f"{width:.0f}", "-H", f"{height - top - bottom + 4:.0f}"]
    text = subprocess.run(["pdftotext", *crop, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    cleaned = []
    for page in text.split("\f"):
        page = squash(page)
        for note in notes:
            page = page.replace(note, "")
        cleaned.append(page)
    whole = "".join(cleaned)
    return len(pieces), [piece for piece in pieces if piece not in whole]


def test_the_books_pdf_text_is_its_source_text(default_book):
    from conftest import output

    compared, missing = text_layer_differences(default_book.book, output(default_book, "-screen.pdf"))
    assert compared > 600
    assert missing == []


def test_a_book_set_in_a_second_font_too(tmp_path):
    from conftest import PROJECTS

    from book.building import build

    result = build(PROJECTS / "second-font", tmp_path, ("pdf",))
    pdf = next(o.path for o in result.outputs if o.path.name.endswith("-screen.pdf"))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Kanit" in fonts and "Sarabun" not in fonts
    compared, missing = text_layer_differences(result.book, pdf)
    assert compared > 30
    assert missing == []
