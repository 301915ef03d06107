"""Print colour (issue 19): greys in black ink alone, the paper's profile, small reversed text on the cover,
and one tag for each font subset."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from book.pdf.prepress import PAPERS, CmykConversion, content_bytes, is_grey
from tests.conftest import output

NUMBER = rb"([+-]?(?:\d+\.?\d*|\.\d+))"
CMYK = re.compile(rb"(?<![\w.])" + rb"\s+".join([NUMBER] * 4) + rb"\s+(k|K)(?![\w])")
RGB = re.compile(rb"(?<![\w.])" + rb"\s+".join([NUMBER] * 3) + rb"\s+(rg|RG)(?![\w])")


def content_streams(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every content stream of the pages and of the forms, patterns and soft masks drawn on them, each once."""
    found, seen = [], set()
    todo = [page.obj for page in pdf.pages]
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


def four_ink_greys(path: Path) -> Counter:
    """The CMYK colours drawn in `path` that are greys made from cyan, magenta and yellow: a colour with C, M
    and Y all set and within 0.06 of each other, as an ICC conversion of a grey makes them."""
    found = Counter()
    with pikepdf.open(path) as pdf:
        for stream in content_streams(pdf):
            data = content_bytes(stream)
            assert not RGB.search(data), "an RGB colour is left"
            for match in CMYK.finditer(data):
                c, m, y, _ = (float(v) for v in match.groups()[:4])
                if min(c, m, y) > 0.02 and max(c, m, y) - min(c, m, y) < 0.06:
                    found[match.group(0).decode()] += 1
    return found


def inkcov(path: Path, first: int, last: int) -> list[tuple[float, float, float, float]]:
    """Ghostscript's ink coverage (C, M, Y, K, each 0-1 of the page) of pages `first` to `last`."""
    done = subprocess.run(
        ["gs", "-q", "-o", "-", "-sDEVICE=inkcov", f"-dFirstPage={first}", f"-dLastPage={last}", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return [tuple(float(v) for v in line.split()[:4]) for line in done.stdout.splitlines() if "CMYK" in line]


@pytest.mark.parametrize("suffix", ["-print.pdf", "-cover.pdf"])
def test_no_grey_is_made_of_cyan_magenta_and_yellow(default_book, suffix):
    assert four_ink_greys(output(default_book, suffix)) == Counter()


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


@pytest.mark.parametrize("suffix", ["-print.pdf", "-screen.pdf", "-cover.pdf"])
def test_every_font_subset_has_a_tag_of_its_own(default_book, suffix):
    listed = subprocess.run(
        ["pdffonts", str(output(default_book, suffix))], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    objects: dict[str, set[str]] = {}
    for line in listed:
        name, number = line.split()[0], " ".join(line.split()[-2:])
        assert re.fullmatch(r"[A-Z]{6}\+.+", name), line
        objects.setdefault(name.partition("+")[0], set()).add(number)
    assert len(objects) == len(listed) > 2 and all(len(numbers) == 1 for numbers in objects.values())


def test_the_tags_are_the_same_in_every_build(default_book, tmp_path):
    from book.pdf.joining import tag_font_subsets

    path = output(default_book, "-print.pdf")
    with pikepdf.open(path) as pdf:
        before = [str(f.BaseFont) for f in pdf.pages[12].Resources.Font.values()]
        tag_font_subsets(pdf)  # again: nothing changes
        assert [str(f.BaseFont) for f in pdf.pages[12].Resources.Font.values()] == before
