"""The settings a designer expects in book.yaml (issue 22): margins, the body text's size, leading and indent,
the heading family, the imprint page sized from the trim, a cover picture, the colour profile and the ISBN
checked by `check`, and any Thai font from a package or a font folder.

tests/projects/designer sets every one of them away from its default on a 130 x 190 mm trim; its real builds are
measured with pdftotext's boxes and pypdfium2's fonts, never compared byte for byte."""

from __future__ import annotations

import ctypes
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import lxml.etree
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from conftest import PROJECTS, ROOT, copy_project, output, pdftotext, problems
from PIL import Image, ImageCms

from book.building import BuildResult, build
from book.diagnostics.problems import BookError
from book.pdf.document import print_css
from book.project import MARGINS_MM, load_book

DESIGNER = PROJECTS / "designer"
PT_PER_MM = 72 / 25.4
TRIM = (130.0, 190.0)
MARGINS = {"inner": 24.0, "outer": 14.0, "top": 22.0, "bottom": 24.0}  # as tests/projects/designer/book.yaml sets
SIZE_PT, LEADING, INDENT_MM = 12.0, 1.9, 8.0


@pytest.fixture(scope="session")
def designer_book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(DESIGNER, tmp_path_factory.mktemp("designer"))


@pytest.fixture
def designer(tmp_path: Path) -> Path:
    """A fresh copy of the designer project to change."""
    return copy_project(DESIGNER, tmp_path / "book")


def lines_by_page(pdf: Path) -> list[tuple[list[tuple[float, float, float, float]], tuple[float, float]]]:
    """Each page's text lines as (left, top, right, bottom) in mm from the trim's top left corner, and the
    trim's origin within the page; pdftotext measures from the crop box, the print PDF's trim lies inside it."""
    with pikepdf.open(pdf) as document:
        offsets = []
        for page in document.pages:
            crop = [float(v) for v in page.obj.get("/CropBox", page.obj.MediaBox)]
            trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
            offsets.append(((trim[0] - crop[0]) / PT_PER_MM, (crop[3] - trim[3]) / PT_PER_MM))
    pages = lxml.etree.fromstring(pdftotext(pdf, "-bbox-layout").encode()).iter("{*}page")
    found = []
    for page, (dx, dy) in zip(pages, offsets, strict=True):
        lines = [
            tuple(float(line.get(k)) / PT_PER_MM for k in ("xMin", "yMin", "xMax", "yMax"))
            for line in page.iter("{*}line")
        ]
        found.append(([(x0 - dx, y0 - dy, x1 - dx, y1 - dy) for x0, y0, x1, y1 in lines], (dx, dy)))
    return found


def full_lines(pdf: Path, block: float) -> list[tuple[int, list[tuple[float, float, float, float]]]]:
    """The lines as wide as the text block (justified body text), page by page (1-based), on the pages that
    have three or more (a page of ragged lines may have one nearly as wide)."""
    found = []
    for number, (lines, _) in enumerate(lines_by_page(pdf), start=1):
        full = [line for line in lines if line[2] - line[0] > 0.97 * block]
        if len(full) >= 3:
            found.append((number, full))
    return found


# -- margins and the body text -----------------------------------------------------------------------------------


def test_the_margins_set_where_the_text_block_stands_on_every_printed_page(designer_book):
    block = TRIM[0] - MARGINS["inner"] - MARGINS["outer"]
    pages = full_lines(output(designer_book, "-print.pdf"), block)
    assert len(pages) >= 4
    sides, tops = set(), []
    for number, lines in pages:
        left, right = min(x0 for x0, *_ in lines), TRIM[0] - max(x1 for *_, x1, _ in lines)
        inner, outer = (left, right) if number % 2 else (right, left)  # odd pages of the print PDF are recto
        sides.add(number % 2)
        assert inner == pytest.approx(MARGINS["inner"], abs=0.4), f"page {number}"
        assert outer == pytest.approx(MARGINS["outer"], abs=0.4), f"page {number}"
        tops.append(min(y0 for _, y0, *_ in lines))
        assert tops[-1] >= MARGINS["top"], f"page {number}"
        assert max(y1 for *_, y1 in lines) <= TRIM[1] - MARGINS["bottom"] + 0.5, f"page {number}"
    assert sides == {0, 1}  # both sides measured: the margins mirror
    # on a page the text runs over, the first line's glyphs start less than a line below the block's top edge
    assert sum(top < MARGINS["top"] + SIZE_PT * LEADING / PT_PER_MM for top in tops) >= 2


def test_the_screen_pdf_centres_the_text_block_of_the_margins_set(designer_book):
    block = TRIM[0] - MARGINS["inner"] - MARGINS["outer"]
    pages = full_lines(output(designer_book, "-screen.pdf"), block)
    assert pages
    for number, lines in pages:
        left, right = min(x0 for x0, *_ in lines), TRIM[0] - max(x1 for *_, x1, _ in lines)
        assert left == pytest.approx(right, abs=0.5), f"page {number}"
        assert left == pytest.approx((MARGINS["inner"] + MARGINS["outer"]) / 2, abs=0.5), f"page {number}"
    assert MARGINS["inner"] + MARGINS["outer"] != MARGINS_MM["inner"] + MARGINS_MM["outer"]  # not the default's


def test_the_body_text_has_the_size_leading_and_indent_set(designer_book):
    pdf = output(designer_book, "-print.pdf")
    block = TRIM[0] - MARGINS["inner"] - MARGINS["outer"]
    steps, indents, sizes = [], [], Counter()
    for index, (lines, _) in enumerate(lines_by_page(pdf)):
        body = [line for line in lines if line[2] - line[0] > 0.6 * block]
        full = [line for line in body if line[2] - line[0] > 0.97 * block]
        if not full:
            continue
        left = min(x0 for x0, *_ in full)
        tops = sorted(y0 for _, y0, *_ in body)
        steps += [b - a for a, b in zip(tops, tops[1:], strict=False)]
        indents += [round(x0 - left, 1) for x0, *_ in body if x0 - left > 1]
        sizes.update(font_sizes(pdf, index))
    pitch = SIZE_PT * LEADING / PT_PER_MM  # mm from line to line
    assert sum(abs(step - pitch) < 0.15 for step in steps) > 20
    assert min(steps) == pytest.approx(pitch, abs=0.15)  # never closer
    assert Counter(indents).most_common(1)[0][0] == pytest.approx(INDENT_MM, abs=0.3)
    assert sizes.most_common(1)[0][0] == SIZE_PT * 4 / 3  # WeasyPrint's font sizes are in CSS px, 0.75 pt


def test_the_epub_takes_the_leading_and_the_indent_but_not_the_size(designer_book):
    with zipfile.ZipFile(output(designer_book, ".epub")) as epub:
        css = epub.read("EPUB/style/book.css").decode()
    assert ":root { line-height: 1.9; }" in css
    assert f"p {{ text-indent: {INDENT_MM / (SIZE_PT / PT_PER_MM):.3g}em; }}" in css  # 8 mm of 12 pt: 1.89em
    assert "12pt" not in css  # the reader keeps its own size


def test_the_defaults_are_the_values_the_toolkit_always_had():
    css = print_css(load_book(PROJECTS / "mini"))
    assert "margin: 18.0mm 15.0mm 20.0mm 20.0mm;" in css
    assert ":root { font-size: 11pt; line-height: 1.75; }\np { text-indent: 1.5em; }" in css
    assert ".imprint { height: 170mm; }" in css  # A5 less the margins, less 2 mm, as it was fixed before


# -- fonts of the headings and the cover ---------------------------------------------------------------------


def font_sizes(pdf: Path, page_index: int) -> Counter:
    """How many characters of a page are drawn at each size, in points (pypdfium2)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = document[page_index].get_textpage()
        return Counter(round(pdfium_raw.FPDFText_GetFontSize(text.raw, i), 1) for i in range(text.count_chars()))
    finally:
        document.close()


def fonts_of(pdf: Path, page_index: int) -> dict[str, str]:
    """The text drawn in each font on a page, by font name without its subset tag (pypdfium2)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = document[page_index].get_textpage()
        drawn: dict[str, str] = {}
        for index in range(text.count_chars()):
            name = ctypes.create_string_buffer(128)
            pdfium_raw.FPDFText_GetFontInfo(text.raw, index, name, 128, ctypes.byref(ctypes.c_int()))
            font = name.value.decode().split("+")[-1]
            drawn[font] = drawn.get(font, "") + text.get_text_range(index, 1)
        return drawn
    finally:
        document.close()


def test_the_heading_family_sets_every_heading_and_the_cover_title(designer_book):
    pdf = output(designer_book, "-print.pdf")
    pages = pdftotext(pdf).split("\f")
    title_page = next(i for i, text in enumerate(pages) if "สำนักพิมพ์ทดสอบ" in text)
    opener = next(i for i, text in enumerate(pages) if "เมืองที่ 1" in text)
    contents = next(i for i, text in enumerate(pages) if "สารบัญ" in text)
    for index, heading in ((title_page, "สองเมืองริมน้ำ"), (opener, "น่านเมืองเล็กริมแม่น้ำ"), (contents, "สารบัญ")):
        drawn = fonts_of(pdf, index)
        kanit = "".join(text for font, text in drawn.items() if font.startswith("Kanit"))
        assert heading in re.sub(r"\s", "", kanit), (index, drawn)
        assert any(font.startswith("Sarabun") for font in drawn)  # the body family beside it
    cover = fonts_of(output(designer_book, "-cover.pdf"), 0)
    assert "สองเมืองริมน้ำ" in re.sub(r"\s", "", "".join(t for f, t in cover.items() if f.startswith("Kanit")))


# -- the imprint ------------------------------------------------------------------------------------------------


def test_the_imprint_fits_one_page_of_a_trim_smaller_than_a5(designer_book):
    pdf = output(designer_book, "-print.pdf")
    pages = pdftotext(pdf).split("\f")
    holding = [i for i, text in enumerate(pages) if "จำนวนพิมพ์" in text or "สงวนลิขสิทธิ์" in text]
    (page,) = holding  # one of its first facts and its last line, on one page
    assert "ISBN" in pages[page] and "designer@example.org" in pages[page]
    lines, _ = lines_by_page(pdf)[page]
    assert max(y1 for *_, y1 in lines) <= TRIM[1] - MARGINS["bottom"] + 0.5  # inside the text block
    assert max(y1 for *_, y1 in lines) > TRIM[1] - MARGINS["bottom"] - 10  # standing at its foot


# -- the cover picture ----------------------------------------------------------------------------------------


def test_the_cover_picture_fills_the_front_to_the_bleed_under_a_readable_title(designer_book, tmp_path):
    cover = output(designer_book, "-cover.pdf")
    assert "สองเมืองริมน้ำ" in re.sub(r"\s", "", pdftotext(cover))
    listed = subprocess.run(["pdfimages", "-list", str(cover)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"\b1620\s+2340\b", listed)  # the picture itself, embedded whole
    with pikepdf.open(cover) as document:
        page = document.pages[0]
        media = [float(v) for v in page.obj.MediaBox]
        trim = [float(v) for v in page.obj.TrimBox]
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", str(cover), str(tmp_path / "c")], check=True)
    image = Image.open(tmp_path / "c.png").convert("RGB")
    scale = image.width / (media[2] - media[0])  # pixels per point

    def colour(x_pt: float, y_pt: float) -> tuple[int, int, int]:  # from the media box's bottom left
        return image.getpixel((int((x_pt - media[0]) * scale), int((media[3] - y_pt) * scale)))

    def far(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
        return sum(abs(p - q) for p, q in zip(a, b, strict=True)) > 60

    bleed = 1.5 * PT_PER_MM  # halfway into the 3 mm bleed
    background = colour(trim[0] + 20 * PT_PER_MM, trim[1] + 100 * PT_PER_MM)  # the back cover's colour
    assert far(colour(trim[2] + bleed, trim[3] - 40 * PT_PER_MM), background)  # the sky, in the fore-edge bleed
    assert far(colour(trim[2] - 40 * PT_PER_MM, trim[1] - bleed), background)  # the river, in the foot bleed
    assert far(colour(trim[2] - 40 * PT_PER_MM, trim[3] + bleed), background)  # the sky, in the head bleed
    # the title's band is the cover's colour, across the picture
    band = colour(trim[2] - 5 * PT_PER_MM, trim[3] - 37 * PT_PER_MM)
    assert not far(band, background)


@pytest.mark.parametrize(
    ("picture", "said"),
    [
        ("assets/none.jpg", "cover.picture: no picture at assets/none.jpg [S008]"),
        ("assets/notes.jpg", "cover.picture: assets/notes.jpg is not a picture that can be read (JPEG, PNG or "
         "TIFF) [S008]"),
        ("book.yaml", "cover.picture: book.yaml is hidden or lies outside the project's folders (put it in assets/); "
         "not read [S008]"),
    ],
)  # fmt: skip
def test_check_names_a_cover_picture_it_cannot_print_at_its_line(designer, picture, said):
    (designer / "assets" / "notes.jpg").write_text("not a picture", encoding="utf-8")
    text = (designer / "book.yaml").read_text(encoding="utf-8")
    (designer / "book.yaml").write_text(text.replace("picture: assets/cover.jpg", f"picture: {picture}"), "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "picture:" in row)
    assert problems(designer) == [f"book.yaml:{line}: {said}"]


# -- check: the colour profile, the ISBN, the settings' own values ----------------------------------------------


def test_check_refuses_an_rgb_an_unreadable_or_a_missing_colour_profile_at_its_line(designer):
    (designer / "assets" / "srgb.icc").write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    (designer / "assets" / "broken.icc").write_bytes(b"not a profile")
    text = (designer / "book.yaml").read_text(encoding="utf-8")
    line = len(text.splitlines()) + 2
    expected = {
        "assets/srgb.icc": "print.profile: assets/srgb.icc is not a CMYK ICC profile (it is RGB) [S006]",
        "assets/broken.icc": "print.profile: assets/broken.icc is not a CMYK ICC profile (it is unreadable) [S006]",
        "assets/none.icc": "print.profile: no ICC profile at assets/none.icc [S006]",
    }
    for profile, said in expected.items():
        (designer / "book.yaml").write_text(text + f"print:\n  profile: {profile}\n", encoding="utf-8")
        assert problems(designer) == [f"book.yaml:{line}: {said}"]


def test_check_accepts_a_cmyk_profile(designer):
    shutil.copy(ROOT / "book" / "icc" / "ISOcoated_v2_300_bas.icc", designer / "assets")
    text = (designer / "book.yaml").read_text(encoding="utf-8")
    (designer / "book.yaml").write_text(text + "print:\n  profile: assets/ISOcoated_v2_300_bas.icc\n", "utf-8")
    assert problems(designer) == []


def test_an_isbn_written_as_plain_digits_gets_the_hint_to_quote_it(designer):
    text = (designer / "book.yaml").read_text(encoding="utf-8")
    (designer / "book.yaml").write_text(text.replace('isbn: "978-616-00-0000-5"', "isbn: 9786160000005"), "utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("isbn:"))
    with pytest.raises(BookError) as raised:
        load_book(designer)
    (found,) = raised.value.diagnostics
    assert str(found) == (
        f"book.yaml:{line}: isbn: 9786160000005 is read as a number, not as text; write it in quotes: "
        'isbn: "9786160000005" [S003]'
    )
    assert 'ให้ใส่เครื่องหมายคำพูดครอบไว้ แบบนี้ isbn: "9786160000005"' in found.text("th")


KEYS = ("inner:", "leading:", "indent:")


def test_the_settings_own_values_are_checked(designer):
    text = (designer / "book.yaml").read_text(encoding="utf-8")
    text = text.replace("leading: 1.9", "leading: wide").replace("indent: 8mm", "indent: 8")
    (designer / "book.yaml").write_text(text.replace("inner: 24mm", "inner: 80mm"), encoding="utf-8")
    rows = text.splitlines()
    at = {key: next(n for n, row in enumerate(rows, start=1) if row.strip().startswith(key)) for key in KEYS}
    assert problems(designer) == [
        f"book.yaml:{at['inner:']}: margins.inner and margins.outer leave 36 mm of the 130 mm page for the text; "
        "leave 40 mm at least [S006]",
        f"book.yaml:{at['leading:']}: text.leading: expected a number greater than 0 like 1.75, got 'wide' [S003]",
        f"book.yaml:{at['indent:']}: text.indent: expected a length like '1.5em' or '6mm', got 8 [S003]",
    ]


# -- any Thai font ----------------------------------------------------------------------------------------------


def fake_variable_package(folder: Path) -> str:
    """A fontpkg package laid out as fontpkg-noto-sans-thai is (metadata.json naming one variable file with a
    wght axis, no static face), in `folder`, importable once `folder` is on sys.path. Its file is Sarabun's
    regular, renamed as a variable file is: what is under test is how the toolkit reads the package, and
    WeasyPrint draws a font without an fvar table as it is."""
    from book.project.fonts import package_files

    package = folder / "fontpkg_test_variable"
    (package / "files").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    sarabun = package_files("fontpkg-sarabun")[(400, "normal")]
    shutil.copy(sarabun, package / "files" / "TestVariable[wdth,wght].ttf")
    metadata = {
        "family": "Test Variable",
        "axes": [{"tag": "wdth", "min": 75.0, "max": 100.0}, {"tag": "wght", "min": 300.0, "max": 700.0}],
        "files": [{"path": "files/TestVariable[wdth,wght].ttf", "style": "normal", "weight": None, "variable": True}],
    }
    (package / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return "fontpkg-test-variable"


def use_variable_package(project: Path, tmp_path: Path, monkeypatch, role: str, faces: str) -> str:  # noqa: ANN001
    """The stand-in variable package, importable, listed in fonts.yaml with `faces` and set as the book's `role`
    family; its name."""
    monkeypatch.syspath_prepend(str(tmp_path / "packages"))
    package = fake_variable_package(tmp_path / "packages")
    with (project / "fonts" / "fonts.yaml").open("a", encoding="utf-8") as fonts:
        fonts.write(f"Test Variable:\n  package: {package}\n  faces: [{faces}]\n")
    text = (project / "book.yaml").read_text(encoding="utf-8")
    (project / "book.yaml").write_text(text.replace(f"{role}: Sarabun", f"{role}: Test Variable"), encoding="utf-8")
    return package


def test_a_font_package_of_one_variable_file_gives_every_weight_it_spans(project, tmp_path, monkeypatch):
    use_variable_package(project, tmp_path, monkeypatch, "heading", "regular, semibold, bold")
    book = load_book(project)
    assert [(f.weight, f.path.name) for f in book.fonts["heading"]] == [
        (400, "TestVariable[wdth,wght].ttf"),
        (600, "TestVariable[wdth,wght].ttf"),
        (700, "TestVariable[wdth,wght].ttf"),
    ]
    css = print_css(book)
    for weight in (400, 600, 700):  # one rule per face, though they share a file
        assert re.search(rf'font-family: "Test Variable"; src: url\("[^"]+"\); font-weight: {weight};', css)
    result = build(project, tmp_path / "out", targets=("print", "epub"))
    fonts = subprocess.run(["pdffonts", str(output(result, "-print.pdf"))], capture_output=True, text=True).stdout
    assert "Test-Variable" in fonts or "TestVariable" in fonts
    with zipfile.ZipFile(output(result, ".epub")) as epub:
        names = epub.namelist()
    assert "EPUB/fonts/TestVariable-wdth-wght-.ttf" in names  # brackets are not allowed in an EPUB's URLs


def test_a_missing_face_names_the_faces_the_package_has(project, tmp_path, monkeypatch):
    package = use_variable_package(project, tmp_path, monkeypatch, "body", "regular, italic, black")
    has = "light, regular, medium, semibold, bold"
    assert problems(project) == [
        f"fonts/fonts.yaml:4: Test Variable: face '{face}' is not in {package}, which has: {has}; list only those "
        "under faces: [F004]"
        for face in ("italic", "black")
    ]


def test_a_font_folder_takes_files_of_any_name_and_names_what_it_holds_when_one_is_missing(project, tmp_path):
    from book.project.fonts import package_files

    shipped = package_files("fontpkg-sarabun")
    shutil.copy(shipped[(400, "normal")], project / "fonts" / "NotoSansThai-Regular.ttf")
    shutil.copy(shipped[(700, "normal")], project / "fonts" / "NotoSansThai-Bold.ttf")
    declared = "Folder Sans:\n  files:\n    regular: NotoSansThai-Regular.ttf\n    bold: NotoSansThai-Bold.ttf\n"
    (project / "fonts" / "fonts.yaml").write_text(declared, encoding="utf-8")
    text = (project / "book.yaml").read_text(encoding="utf-8")
    (project / "book.yaml").write_text(text.replace("Sarabun", "Folder Sans"), encoding="utf-8")
    result = build(project, tmp_path / "out", targets=("print",))
    fonts = subprocess.run(["pdffonts", str(output(result, "-print.pdf"))], capture_output=True, text=True).stdout
    assert "Folder-Sans" in fonts
    (project / "fonts" / "fonts.yaml").write_text(declared + "    semibold: NotoSansThai-SemiBold.ttf\n", "utf-8")
    assert problems(project) == [
        "fonts/fonts.yaml:1: Folder Sans: font file fonts/NotoSansThai-SemiBold.ttf is missing or not a "
        ".ttf/.otf/.woff/.woff2 file (fonts/ has: NotoSansThai-Bold.ttf, NotoSansThai-Regular.ttf) [F005]"
    ]
