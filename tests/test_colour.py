"""Print colour (issue 19): greys in black ink alone, the paper's profile, small reversed text on the cover,
and one tag for each font subset."""

from __future__ import annotations

import io
import math
import re
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

from book.pdf.prepress import PAPERS, CmykConversion, content_bytes, is_grey
from tests.conftest import output

NUMBER = rb"([+-]?(?:\d+\.?\d*|\.\d+))"
CMYK = re.compile(rb"(?<![\w.])" + rb"\s+".join([NUMBER] * 4) + rb"\s+(k|K)(?![\w])")
RGB = re.compile(rb"(?<![\w.])" + rb"\s+".join([NUMBER] * 3) + rb"\s+(rg|RG)(?![\w])")


def content_streams(pdf: pikepdf.Pdf, pages: list[pikepdf.Page] | None = None) -> list[pikepdf.Object]:
    """Every content stream of the pages (all, or `pages`) and of the forms, patterns and soft masks drawn on
    them, each once."""
    found, seen = [], set()
    todo = [page.obj for page in (pdf.pages if pages is None else pages)]
    while todo:
        obj = todo.pop()
        if obj.objgen != (0, 0) and obj.objgen in seen:
            continue
        seen.add(obj.objgen)
        found.append(obj)
        resources = obj.get("/Resources") or {}
        for kind in ("/XObject", "/Pattern"):
            for child in (resources.get(kind) or {}).values():
                if isinstance(child, pikepdf.Stream) and child.get("/Subtype") != pikepdf.Name.Image:
                    todo.append(child)
        for state in (resources.get("/ExtGState") or {}).values():
            mask = state.get("/SMask")
            if isinstance(mask, pikepdf.Dictionary) and "/G" in mask:
                todo.append(mask.G)
    return found


def black_only_pages(path: Path) -> list[int]:
    """The pages (1-based) of `path` that draw no colour but greys: no CMYK colour with C, M or Y, no image,
    no shading."""
    black = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            streams = content_streams(pdf, [page])
            coloured = any(
                max(float(v) for v in match.groups()[:3]) > 0
                for stream in streams
                for match in CMYK.finditer(content_bytes(stream))
            )
            drawn = [r for r in ((s.get("/Resources") or {}) for s in streams)]
            pictures = any(
                x.get("/Subtype") == pikepdf.Name.Image for r in drawn for x in (r.get("/XObject") or {}).values()
            )
            if not coloured and not pictures and not any(r.get("/Shading") for r in drawn):
                black.append(number)
    return black


def four_ink_greys(path: Path) -> Counter:
    """The CMYK colours drawn in `path` that are greys made with cyan, magenta and yellow: all three inks set
    and, through the file's own output profile, a colour within the grey tolerance (C*ab under 12)."""
    colours = Counter()
    with pikepdf.open(path) as pdf:
        profile = io.BytesIO(pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes())
        for stream in content_streams(pdf):
            data = content_bytes(stream)
            assert not RGB.search(data), "an RGB colour is left"
            for match in CMYK.finditer(data):
                cmyk = tuple(float(v) for v in match.groups()[:4])
                if min(cmyk[:3]) > 0.02:
                    colours[cmyk] += 1
    if not colours:
        return Counter()
    to_lab = ImageCms.buildTransform(ImageCms.getOpenProfile(profile), ImageCms.createProfile("LAB"), "CMYK", "LAB")
    row = Image.new("CMYK", (len(colours), 1))
    row.putdata([tuple(round(v * 255) for v in cmyk) for cmyk in colours])
    lab = ImageCms.applyTransform(row, to_lab)
    greys = Counter()
    for x, cmyk in enumerate(colours):
        _, a, b = lab.getpixel((x, 0))  # a and b are kept with 128 added
        if math.hypot(a - 128, b - 128) < 12:
            greys[cmyk] = colours[cmyk]
    return greys


def inkcov(path: Path, first: int, last: int) -> list[tuple[float, float, float, float]]:
    """Ghostscript's ink coverage (C, M, Y, K, each 0-1 of the page) of pages `first` to `last`, inside the trim
    (the crop marks print on every plate)."""
    done = subprocess.run(
        [
            "gs",
            "-q",
            "-o",
            "-",
            "-sDEVICE=inkcov",
            "-dUseTrimBox",
            f"-dFirstPage={first}",
            f"-dLastPage={last}",
            str(path),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return [tuple(float(v) for v in line.split()[:4]) for line in done.stdout.splitlines() if "CMYK" in line]


@pytest.mark.parametrize("suffix", ["-print.pdf", "-cover.pdf"])
def test_no_grey_is_made_of_cyan_magenta_and_yellow(default_book, suffix):
    assert four_ink_greys(output(default_book, suffix)) == Counter()


def test_every_page_without_colour_prints_in_black_ink_alone(default_book):
    path = output(default_book, "-print.pdf")
    black = black_only_pages(path)
    assert len(black) > 40  # the pages of text, with their grey folios, captions and rules
    coverage = inkcov(path, 1, len(pikepdf.open(path).pages))
    assert [page for page in black if coverage[page - 1][:3] != (0.0, 0.0, 0.0)] == []
    assert sum(coverage[page - 1][3] > 0 for page in black) > 40  # and they print: text in black


def test_the_measure_finds_a_grey_made_of_four_inks(tmp_path):
    from book.pdf.prepress import PrintSettings, press_document

    colour = CmykConversion(PAPERS["coated"][0])
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), (75, 85, 99)), colour.vector).getpixel((0, 0))
    grey = [round(v / 255, 4) for v in pixel]  # #4b5563 through the ICC profile, as builds made it before
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        drawn = " ".join(f"{v:.4f}" for v in grey) + " k 0 0 10 10 re f 0.1 0.7 0.9 0.1 k 0 0 5 5 re f"
        pdf.pages[0].contents_add(pikepdf.Stream(pdf, drawn.encode()))
        profile, condition, info = PAPERS["coated"]
        press_document(pdf, PrintSettings((148, 210), 3, False, 16, 4, 0.1, profile, condition, info))
        pdf.save(tmp_path / "four.pdf")
    assert list(four_ink_greys(tmp_path / "four.pdf")) == [tuple(grey)]


def test_a_page_of_grey_text_prints_in_black_ink_alone(tmp_path):
    from book.pdf.prepress import DEFAULT_PROFILE

    html = "".join(
        f'<p style="color: {c}; border-bottom: 0.5pt solid {c}">ข้อความสีเทา {c} grey text</p>'
        for c in ("#000", "#555", "#57534e", "#4b5563", "#78716c", "#999")
    )
    from weasyprint import HTML

    data = HTML(string=f"<html><body>{html}<hr style='border-color: #374151'></body></html>").write_pdf()
    target = tmp_path / "grey.pdf"
    conversion = CmykConversion(DEFAULT_PROFILE)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            conversion.convert_page(pdf, page)
        pdf.save(target)
    [(c, m, y, k)] = inkcov(target, 1, 1)
    assert c == m == y == 0 and k > 0


@pytest.mark.parametrize(
    ("colour", "grey"),
    [
        ("#555555", True),
        ("#57534e", True),  # Tailwind stone-600, a warm grey
        ("#374151", True),  # gray-700, a cool grey (C* 11)
        ("#f3f4f6", True),  # a light grey panel
        ("#e5e7eb", True),  # a light grey rule (C* 2.2)
        ("#f0f9ff", False),  # the palest sky blue (C* 4.3)
        ("#fffbeb", False),  # a cream: a light tint whose little chroma is the colour
        ("#fef2f2", False),
        ("#1e3a8a", False),  # a dark blue
        ("#7c2d12", False),
    ],
)
def test_what_counts_as_grey(colour, grey):
    assert is_grey(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))) is grey


def test_a_grey_picture_goes_to_black_ink_and_a_colour_one_to_cmyk():
    from book.pdf.prepress import DEFAULT_PROFILE

    conversion = CmykConversion(DEFAULT_PROFILE)
    with pikepdf.new() as pdf:
        spaces = []
        for fill in ((90, 93, 90), (200, 40, 40)):  # a grey JPEG strays a few levels from neutral
            picture = Image.new("RGB", (8, 8), fill)
            image = pikepdf.Stream(pdf, picture.tobytes())
            image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
            image.Width = image.Height = 8
            image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
            conversion._image(image)
            spaces.append(image.ColorSpace)
    assert spaces == [pikepdf.Name.DeviceGray, pikepdf.Name.DeviceCMYK]


def test_each_paper_has_a_cmyk_profile_with_its_licence_beside_it():
    from PIL import ImageCms

    for profile, condition, _ in PAPERS.values():
        assert ImageCms.getOpenProfile(str(profile)).profile.xcolor_space.strip() == "CMYK", condition
        assert (profile.parent / f"LICENSE-{profile.stem}.txt").is_file()
        assert profile.name in (profile.parent / "README.md").read_text(encoding="utf-8")


# --- the paper and its profile ---------------------------------------------------------------------------------


def test_the_paper_chooses_the_profile_and_the_output_intent(project):
    from book.pdf.prepress import press_document, print_settings
    from book.project import load_book

    book = load_book(project)
    assert book.config["print"]["paper"] == "uncoated"  # the default: see PAPERS
    for paper, (profile, condition, info) in PAPERS.items():
        book.config["print"]["paper"] = paper
        settings = print_settings(book)
        assert (settings.profile, settings.condition) == (profile, condition)
        with pikepdf.new() as pdf:
            press_document(pdf, settings)
            [intent] = pdf.Root.OutputIntents
            assert str(intent.OutputConditionIdentifier) == condition and str(intent.OutputCondition) == info
            assert intent.DestOutputProfile.read_bytes() == profile.read_bytes()


def test_the_cover_is_on_coated_board_unless_cover_paper_says_otherwise(project, default_book):
    from book.pdf.prepress import print_settings
    from book.project import load_book

    book = load_book(project)
    assert print_settings(book, cover=True).condition == "FOGRA39"
    book.config["print"]["cover_paper"] = "uncoated"
    assert print_settings(book, cover=True).condition == "FOGRA29"
    with pikepdf.open(output(default_book, "-cover.pdf")) as pdf:
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA39"


def test_a_named_profile_wins_over_the_paper(project):
    from book.pdf.prepress import print_settings
    from book.project import load_book

    (project / "printer.icc").write_bytes(PAPERS["coated"][0].read_bytes())
    with (project / "book.yaml").open("a", encoding="utf-8") as config:
        config.write("print:\n  paper: uncoated\n  profile: printer.icc\n  condition: FOGRA39\n")
    settings = print_settings(load_book(project))
    assert settings.profile == project / "printer.icc" and settings.condition == "FOGRA39"


def test_a_paper_that_is_neither_is_a_diagnostic(project):
    from tests.conftest import problems

    with (project / "book.yaml").open("a", encoding="utf-8") as config:
        config.write("print:\n  paper: glossy\n")
    [said] = [p for p in problems(project) if "print.paper" in p]
    assert "book.yaml:" in said and "coated, uncoated" in said


def test_the_default_book_says_its_cream_stock_is_uncoated():
    from book.project import load_book
    from tests.conftest import ROOT

    book = load_book(ROOT)
    assert "ถนอมสายตา" in book.config["colophon"]["paper"] and book.config["print"]["paper"] == "uncoated"


# --- font subsets ----------------------------------------------------------------------------------------------


def font_objects_by_tag(path: Path) -> dict[str, set[str]]:
    """The subset tags `pdffonts` lists for `path`, each with the font objects named by it; every font is a
    tagged subset."""
    listed = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    objects: dict[str, set[str]] = {}
    for line in listed.splitlines()[2:]:
        name, number = line.split()[0], " ".join(line.split()[-2:])
        assert re.fullmatch(r"[A-Z]{6}\+.+", name), line
        objects.setdefault(name.partition("+")[0], set()).add(number)
    return objects


@pytest.mark.parametrize("suffix", ["-print.pdf", "-screen.pdf", "-cover.pdf"])
def test_every_font_subset_has_a_tag_of_its_own(default_book, suffix):
    objects = font_objects_by_tag(output(default_book, suffix))
    assert len(objects) > 2 and all(len(numbers) == 1 for numbers in objects.values()), objects


def test_the_tags_are_the_same_in_every_build(default_book, tmp_path):
    from book.pdf.joining import tag_font_subsets

    path = output(default_book, "-print.pdf")
    with pikepdf.open(path) as pdf:
        before = [str(f.BaseFont) for f in pdf.pages[12].Resources.Font.values()]
        tag_font_subsets(pdf)  # again: nothing changes
        assert [str(f.BaseFont) for f in pdf.pages[12].Resources.Font.values()] == before


# --- small text reversed out of several inks on the cover -----------------------------------------------------


def _cover(project: Path, background: str, tmp_path: Path, css: str = "") -> list[str]:
    """The preflight warnings of a cover whose blurb is set at 7 pt in cream on `background` (and `css`)."""
    from book.pdf.cover import build_cover_pdf
    from book.pdf.preflighting import preflight, rules_for
    from book.project import load_book

    with (project / "book.yaml").open("a", encoding="utf-8") as config:
        config.write(f'cover:\n  background: "{background}"\n  ink: "#fffbeb"\n  blurb: เล่มเล็กสำหรับทดสอบ\n')
    (project / "styles").mkdir(exist_ok=True)
    (project / "styles" / "cover.css").write_text(".blurb { font-size: 7pt; }\n" + css, encoding="utf-8")
    book = load_book(project)
    target = tmp_path / "x-cover.pdf"
    build_cover_pdf(book, 64, target)
    report = preflight(target, rules_for(book, "cover", 64))
    return [d.shown("en") for d in report.problems if d.severity == "warning"]


def test_small_text_reversed_out_of_several_inks_on_the_cover_is_a_warning_naming_it(project, tmp_path):
    warnings = [w for w in _cover(project, "#7c2d12", tmp_path) if "[P141]" in w]
    assert len(warnings) == 1, warnings
    assert "“เล่มเล็กสำหรับทดสอบ” is 7.0 pt, reversed out of a background of" in warnings[0]
    assert "page 1" in warnings[0]


def test_small_text_reversed_out_of_black_alone_is_not(project, tmp_path):
    assert not [w for w in _cover(project, "#1c1917", tmp_path) if "[P141]" in w]  # a near-black: K alone


def test_small_text_reversed_out_of_a_colour_picture_is_a_warning_too(project, tmp_path):
    picture = Image.new("RGB", (60, 90), (30, 60, 120))  # a dark blue photograph, say
    picture.paste((120, 30, 40), (0, 45, 60, 90))
    (project / "assets").mkdir(exist_ok=True)
    picture.save(project / "assets" / "back.png")
    css = ".panel.back { background: url(assets/back.png) center / cover; }\n"
    warnings = [w for w in _cover(project, "#1c1917", tmp_path, css) if "[P141]" in w]
    assert len(warnings) == 1 and "“เล่มเล็กสำหรับทดสอบ” is 7.0 pt" in warnings[0], warnings
