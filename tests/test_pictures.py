"""Pictures in every output: the figure HTML, each size's box measured in the laid-out PDFs, the resolution
checks, preflight's trim check on real PDFs, the EPUB (scaled, alt text, EPUBCheck clean) and the HTML export.

The project is tests/projects/pictures; its pictures are made here with Pillow, so the repository holds none."""

from __future__ import annotations

import http.client
import io
import re
import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from conftest import NS, PROJECTS, copy_project, output, pdftotext, problems, run_epubcheck, severities
from PIL import Image, ImageDraw

from book.building import BuildResult, build
from book.pdf.preflighting import _shown, preflight, rules_for
from book.project import MARGINS_MM, page_geometry
from book.project.reading import load_book

PICTURES = PROJECTS / "pictures"
CHAPTER = "chapters/01-pictures.md"
PT_PER_MM = 72 / 25.4
SIZES = {  # file -> pixels; each large enough for the size it prints at (200 ppi or more)
    "harbour.jpg": (1600, 1000),
    "tall/tower.jpg": (1000, 2000),
    "page.jpg": (2000, 1300),
    "bleed.jpg": (1300, 1800),
}


def photo(path: Path, size: tuple[int, int]) -> None:
    """A JPEG with a photograph's range of colours (a gradient, a disc, a frame): small on disk, sharp to measure."""
    width, height = size
    ramp = Image.linear_gradient("L").resize(size)
    picture = Image.merge("RGB", (ramp, ramp.rotate(90).resize(size), Image.new("L", size, 160)))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((width // 4, height // 4, width // 2, height // 2), fill=(200, 60, 40))
    draw.rectangle((width // 2, height // 2, width * 7 // 8, height * 7 // 8), outline=(20, 20, 20), width=8)
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, quality=85)


def make_pictures(project: Path) -> Path:
    """Write the pictures the chapter names into the project's assets/; the project."""
    assets = project / "assets"
    for name, size in SIZES.items():
        photo(assets / name, size)
    icon = Image.new("RGBA", (1800, 1800), (0, 0, 0, 0))  # transparent, and larger than an ebook needs
    ImageDraw.Draw(icon).ellipse((100, 100, 1700, 1700), fill=(30, 120, 200, 255))
    icon.save(assets / "icon.png")
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><circle cx="200" cy="150" r="120"/></svg>'
    (assets / "diagram.svg").write_text(svg)
    return project


@pytest.fixture(scope="session")
def pictures_book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    project = make_pictures(copy_project(PICTURES, tmp_path_factory.mktemp("pictures") / "book"))
    return build(project, project / "dist")


@pytest.fixture
def pictures_project(tmp_path: Path) -> Path:
    return make_pictures(copy_project(PICTURES, tmp_path / "book"))


def chapter_html(result: BuildResult) -> lxml.html.HtmlElement:
    chapter = next(c for c in result.book.chapters if c.slug == "pictures")
    return lxml.html.fromstring(f"<div>{chapter.html}</div>")


def line_of(project: Path, needle: str) -> int:
    lines = (project / CHAPTER).read_text(encoding="utf-8").split("\n")
    return next(number for number, text in enumerate(lines, start=1) if needle in text)


def test_a_picture_alone_in_its_paragraph_is_a_figure_with_caption_credit_and_id(pictures_book):
    root = chapter_html(pictures_book)
    harbour = root.get_element_by_id("harbour")  # the author's {#harbour}
    assert harbour.tag == "figure" and harbour.get("class") == "picture size-column"
    image = harbour.find("img")
    assert image.get("src") == "harbour.jpg"  # written `assets/harbour.jpg`: both spellings are one file
    assert image.get("alt") == "ทุ่งหญ้ากับท้องฟ้าสีฟ้า" and image.get("title") is None
    caption = harbour.find("figcaption")
    assert caption.text == "ภาพกว้างเท่าคอลัมน์" and caption.find("span[@class='credit']").text == "ภาพ: ผู้ทดสอบ"
    tower = root.get_element_by_id("pic-tower")  # no id given: one from the file's name
    assert tower.get("class") == "picture size-text" and tower.find("img").get("src") == "tall/tower.jpg"
    assert tower.find("figcaption").text == "ภาพแนวตั้งเต็มกรอบข้อความ" and tower.find("figcaption/span") is None
    sizes = [figure.get("class") for figure in root.iter("figure")]
    assert sizes == [f"picture size-{s}" for s in ("column", "text", "column", "page", "bleed")]
    assert all(figure.get("id") and figure.find("figcaption") is not None for figure in root.iter("figure"))


def test_a_picture_in_running_text_stays_inline_and_a_decorative_one_needs_no_alt(pictures_book):
    icon = next(i for i in chapter_html(pictures_book).iter("img") if i.get("src") == "icon.png")
    assert icon.getparent().tag == "p" and icon.get("class") == "inline"
    assert icon.get("alt") == "" and icon.get("role") == "presentation" and icon.get("decorative") is None
    assert not [w for w in pictures_book.book.warnings if w.code.startswith("I1")]


def test_a_linked_picture_alone_is_a_figure_holding_its_link(pictures_project):
    chapter = pictures_project / CHAPTER
    linked = '\n[![แผนภาพ](diagram.svg "แผนภาพที่เป็นลิงก์")](https://example.org/)\n\n'
    linked += "ดู [![ไอคอน](icon.png)](https://example.org/) นี้\n"
    chapter.write_text(chapter.read_text(encoding="utf-8") + linked, encoding="utf-8")
    html = next(c for c in load_book(pictures_project).chapters if c.slug == "pictures").html
    root = lxml.html.fromstring(f"<div>{html}</div>")
    figure = root.get_element_by_id("pictures-pic-diagram")  # the chapter's first diagram took `pic-diagram`
    assert [e.tag for e in figure] == ["a", "figcaption"] and figure.find("a/img").get("src") == "diagram.svg"
    assert figure.find("figcaption").text == "แผนภาพที่เป็นลิงก์"
    icon = root.xpath("//p/a/img[@alt='ไอคอน']")
    assert icon and icon[0].get("class") == "inline"


def test_alt_text_a_size_and_the_file_are_checked_with_their_line(pictures_project):
    chapter = pictures_project / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("![ภาพแนวตั้ง](tall/tower.jpg", "![](tall/tower.jpg")
    text = text.replace("{size=page}", "{size=huge}").replace("(page.jpg", "(assets/missing.jpg")
    chapter.write_text(text, encoding="utf-8")
    found = problems(pictures_project)
    tower, page = line_of(pictures_project, "tower.jpg"), line_of(pictures_project, "missing.jpg")
    assert any(f"{CHAPTER}:{tower}:" in p and "[I101]" in p and "tall/tower.jpg" in p for p in found), found
    assert any(f"{CHAPTER}:{page}:" in p and "[I102]" in p and "huge" in p for p in found), found
    assert any(f"{CHAPTER}:{page}:" in p and "[I002]" in p and "missing.jpg" in p for p in found), found


def test_resolution_at_the_printed_size_warns_under_200_ppi_and_refuses_under_100(pictures_project):
    photo(pictures_project / "assets" / "harbour.jpg", (700, 440))  # column width, 113 mm: 157 ppi
    chapter = pictures_project / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![อีกครั้ง](./harbour.jpg)\n", encoding="utf-8")
    book = load_book(pictures_project)
    lines = (line_of(pictures_project, "harbour.jpg"), line_of(pictures_project, "./harbour.jpg"))
    warned = [w for w in book.warnings if w.code == "I104"]
    assert [(w.file, w.line) for w in warned] == [(CHAPTER, lines[0]), (CHAPTER, lines[1])]  # each its own line
    assert "700 x 440 px printed 113 x 71 mm (size column) is 157 ppi" in warned[0].message
    photo(pictures_project / "assets" / "tall" / "tower.jpg", (200, 400))  # the text block's height: 68 ppi
    found = problems(pictures_project)
    tower = line_of(pictures_project, "tower.jpg")
    assert any(f"{CHAPTER}:{tower}:" in p and "[I105]" in p and "200 x 400 px" in p and "68 ppi" in p for p in found)
    (pictures_project / "assets" / "tall" / "tower.jpg").unlink()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="40"><rect width="20" height="40"/></svg>'
    (pictures_project / "assets" / "tall" / "tower.svg").write_text(svg)
    chapter = pictures_project / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("tower.jpg", "tower.svg"), encoding="utf-8")
    assert not [p for p in problems(pictures_project) if "[I105]" in p]  # an SVG has no pixels to count


def images(pdf: Path) -> list[tuple[int, tuple[int, int], tuple[float, ...], tuple[float, ...]]]:
    """Every image drawn in `pdf`: its page, its pixels, where it shows (cut by its clip) and the page's trim,
    in mm from the trim's lower left corner."""
    found = []
    document = pypdfium2.PdfDocument(str(pdf))
    for number in range(len(document)):
        page = document[number]
        trim = page.get_trimbox()
        for obj in page.get_objects(filter=[pdfium.FPDF_PAGEOBJ_IMAGE], max_depth=8):
            box = [(v - trim[i % 2]) / PT_PER_MM for i, v in enumerate(_shown(obj))]
            size = ((trim[2] - trim[0]) / PT_PER_MM, (trim[3] - trim[1]) / PT_PER_MM)
            found.append((number + 1, tuple(obj.get_px_size()), tuple(box), size))
    document.close()
    return found


def text_block(page: int, trim: tuple[float, float], centred: bool = False) -> tuple[float, float, float, float]:
    """The text block of a page of the print edition, mirrored: a right-hand (odd) page has its inner margin
    on the left; of the screen edition (`centred`), in the middle (book/pdf/screen.py)."""
    m = MARGINS_MM
    if centred:
        side = (m["inner"] + m["outer"]) / 2
        return side, m["bottom"], trim[0] - side, trim[1] - m["top"]
    left = m["inner"] if page % 2 else m["outer"]
    right = trim[0] - (m["outer"] if page % 2 else m["inner"])
    return left, m["bottom"], right, trim[1] - m["top"]


@pytest.mark.parametrize("suffix", ["-print.pdf", "-screen.pdf"])
def test_each_size_lies_in_the_text_block_and_a_bleed_picture_fills_the_page(pictures_book, suffix):
    geometry = page_geometry(pictures_book.book.config)
    by_pixels = {pixels: (page, box, trim) for page, pixels, box, trim in images(output(pictures_book, suffix))}
    tolerance = 0.3  # mm
    for name in ("harbour.jpg", "tall/tower.jpg", "page.jpg"):
        page, box, trim = by_pixels[SIZES[name]]
        left, bottom, right, top = text_block(page, trim, centred=suffix == "-screen.pdf")
        assert left - tolerance <= box[0] and box[2] <= right + tolerance, (name, page, box)
        assert bottom - tolerance <= box[1] and box[3] <= top + tolerance, (name, page, box)
    harbour = by_pixels[SIZES["harbour.jpg"]][1]
    assert abs((harbour[2] - harbour[0]) - geometry.block[0]) < tolerance  # a landscape photo: the column's width
    tower = by_pixels[SIZES["tall/tower.jpg"]][1]
    assert abs((tower[3] - tower[1]) - geometry.box("text")[1]) < tolerance  # a tall one: scaled to the block
    page, box, trim = by_pixels[SIZES["bleed.jpg"]]
    if suffix == "-print.pdf":  # to the bleed edge on every side, no further
        assert all(abs(a - b) < tolerance for a, b in zip(box, (-3, -3, trim[0] + 3, trim[1] + 3), strict=True))
    else:  # cut to the trim, moved by less than the bleed to centre the text block: the picture covers the page
        assert box[0] <= 0 and box[1] <= 0 and box[2] >= trim[0] and box[3] >= trim[1]
    full = by_pixels[SIZES["page.jpg"]][0]
    assert not pdftotext(output(pictures_book, suffix), "-f", str(full), "-l", str(full)).strip().isdigit()


def test_preflight_passes_the_book_with_its_bleed_picture(pictures_book):
    for report in pictures_book.reports:
        assert not [p for p in report.problems if p.code == "P101"], report.problems
        assert report.ok


def test_preflight_fails_on_content_crossing_the_trim(pictures_project, tmp_path):
    chapter = pictures_project / CHAPTER
    wide = '\n<div style="width: 175mm; border: 1pt solid #000; white-space: nowrap">ตารางกว้างเกินหน้า ' * 1
    chapter.write_text(chapter.read_text(encoding="utf-8") + wide + "ตารางกว้างเกินหน้า " * 6 + "</div>\n")
    result = build(pictures_project, tmp_path / "out", targets=("print",))
    report = next(r for r in result.reports if r.kind == "print")
    crossing = [p for p in report.problems if p.code == "P101"]
    assert not report.ok and crossing
    assert any("text runs" in p.message for p in crossing) and any("a drawing" in p.message for p in crossing)
    again = preflight(output(result, "-print.pdf"), rules_for(result.book, "print"))
    assert [p.message for p in again.problems if p.code == "P101"] == [p.message for p in crossing]
    # each part's pages were checked as it was laid out: a build that takes every part from the cache says the same
    warm = build(pictures_project, tmp_path / "warm", targets=("print",))
    assert warm.laid_out[0] == 0
    report = next(r for r in warm.reports if r.kind == "print")
    assert [p.message for p in report.problems if p.code == "P101"] == [p.message for p in crossing]


def test_every_picture_is_in_the_epub_scaled_with_its_alt_text(pictures_book):
    epub = output(pictures_book, ".epub")
    with zipfile.ZipFile(epub) as packed:
        names = set(packed.namelist())
        document = lxml.etree.fromstring(packed.read("EPUB/pictures.xhtml"))
        opf = packed.read("EPUB/content.opf").decode()
        pictures = [n for n in names if n.startswith("EPUB/pictures/") and not n.endswith(".svg")]
        sizes = {n: Image.open(io.BytesIO(packed.read(n))) for n in pictures}
    shown = {i.get("src"): i.get("alt") for i in document.iterfind(".//x:img", NS)}
    assert shown["pictures/harbour.jpg"] == "ทุ่งหญ้ากับท้องฟ้าสีฟ้า" and shown["pictures/icon.png"] == ""
    assert set(shown) == {n.removeprefix("EPUB/") for n in names if n.startswith("EPUB/pictures/")}
    assert sizes["EPUB/pictures/page.jpg"].size == (1600, 1040)  # scaled to 1600 px on its longest side
    assert sizes["EPUB/pictures/harbour.jpg"].size == (1600, 1000)  # never enlarged, never shrunk below
    icon = sizes["EPUB/pictures/icon.png"]
    assert icon.format == "PNG" and icon.mode == "RGBA" and icon.size == (1600, 1600)
    assert re.search(r'href="pictures/diagram.svg" id="[^"]+" media-type="image/svg\+xml"', opf)
    found = severities(run_epubcheck(epub))
    assert not found.get("ERROR") and not found.get("WARNING") and not found.get("FATAL"), found


def test_the_html_export_carries_the_pictures_beside_it(pictures_book, tmp_path):
    from book.publish.htmlexport import write_print_html

    html = write_print_html(pictures_book.book, tmp_path)
    root = lxml.html.fromstring(html.read_bytes())
    sources = {i.get("src") for i in root.iter("img")}
    assert {"harbour.jpg", "tall/tower.jpg", "icon.png", "diagram.svg"} <= sources
    assert all((html.parent / src).is_file() for src in sources if not src.startswith("infographics/"))
    assert root.get_element_by_id("harbour").find("figcaption") is not None


def test_the_preview_shows_the_pictures_from_assets(pictures_project):
    from book.preview.server import PreviewServer

    with PreviewServer(pictures_project, port=0, log=lambda line: None, language="en") as running:
        port = running.server_address[1]

        def get(target: str) -> tuple[int, bytes]:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                return response.status, response.read()
            finally:
                connection.close()

        status, body = get("/page/pictures")
        assert status == 200
        root = lxml.html.fromstring(body)
        figure = root.get_element_by_id("pic-tower")
        src = figure.find("img").get("src")
        assert re.fullmatch(r"tall/tower\.jpg\?v=\d+", src)  # dated: a replaced picture shows at once
        status, picture = get(f"/page/{src}")
        assert status == 200 and picture == (pictures_project / "assets" / "tall" / "tower.jpg").read_bytes()


def test_an_animated_gif_goes_into_the_epub_as_its_first_frame(tmp_path):
    from book.epub.ebook import ebook_picture

    frames = [Image.new("P", (40, 30), colour) for colour in (1, 2, 3)]
    frames[0].save(tmp_path / "moving.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    still = Image.open(io.BytesIO(ebook_picture(tmp_path / "moving.gif", ".png")))
    assert still.format == "PNG" and still.size == (40, 30) and getattr(still, "n_frames", 1) == 1


def test_a_misspelt_attribute_is_named_and_left_out(pictures_project):
    chapter = pictures_project / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("{size=page}", "{sise=page}"), encoding="utf-8")
    book = load_book(pictures_project)
    line = line_of(pictures_project, "sise=page")
    [warned] = [w for w in book.warnings if w.code == "I103"]
    assert (warned.file, warned.line) == (CHAPTER, line) and "'sise'" in warned.message
    html = next(c for c in book.chapters if c.slug == "pictures").html
    assert "sise" not in html and 'class="picture size-column" id="pic-page"' in html


def test_pictures_are_numbered_and_referred_to_by_number_and_page(pictures_project, tmp_path):
    """Pictures are figures like infographics: `figures: numbered` numbers them, and a reference names the
    number and prints the folio of the page the picture is on."""
    yaml = pictures_project / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "figures: numbered\n", encoding="utf-8")
    chapter = pictures_project / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\nดูภาพแนวตั้งใน[@pic-tower] ที่[@page:pic-tower]\n", encoding="utf-8")
    result = build(pictures_project, tmp_path / "dist")
    with zipfile.ZipFile(output(result, ".epub")) as archive:
        root = lxml.etree.fromstring(archive.read("EPUB/pictures.xhtml"))
    captions = [caption.xpath("string()") for caption in root.xpath("//x:figcaption", namespaces=NS)]
    assert [caption.split("\u00a0")[0] for caption in captions] == ["ภาพที่"] * 5
    assert captions[1].startswith("ภาพที่\u00a02") and "ภาพแนวตั้งเต็มกรอบข้อความ" in captions[1]
    pdf = output(result, "-print.pdf")
    pages = pdftotext(pdf).split("\f")
    tower = next(i for i, page in enumerate(pages) if "ภาพแนวตั้งเต็มกรอบข้อความ" in page)
    words = lxml.etree.fromstring(pdftotext(pdf, "-bbox").encode()).iter("{*}page")
    page_words = next(page for i, page in enumerate(words) if i == tower).iter("{*}word")
    folio = max((float(w.get("yMax")), w.text) for w in page_words if w.text.isdigit())[1]  # the lowest number
    said = re.search(r"ดูภาพแนวตั้งใน\s*ภาพที่\s*2\s*ที่\s*หน้า\s*(\d+)", "".join(pages))
    assert said is not None and said[1] == folio
