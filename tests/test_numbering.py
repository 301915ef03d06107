"""Folios: front matter in Thai letters (ก ข ค), the first chapter on page 1, the book's numerals."""

import re

from conftest import output, pdftotext

from book.pdf.numbering import THAI_LETTERS, folio_label, folio_of


def folios(pdf) -> list[str]:
    """The last short line of each page: its folio, or '' on pages without one."""
    found = []
    for page in pdftotext(pdf).split("\f")[:-1]:
        lines = [line.strip() for line in page.split("\n") if line.strip()]
        found.append(lines[-1] if lines and re.fullmatch(r"[0-9๐-๙ก-ฮ]{1,4}", lines[-1]) else "")
    return found


def test_thai_letters_follow_thai_practice():
    """ก ข ค ง ...: the W3C note's `thai-alphabetic` list (book/pdf/numbering.py), without ฃ ฅ ฆ."""
    letters = THAI_LETTERS.split()
    assert letters[:5] == ["ก", "ข", "ค", "ง", "จ"] and len(letters) == 41 == len(set(letters))
    assert not {"ฃ", "ฅ", "ฆ"} & set(letters)
    assert letters == sorted(letters) and letters[-1] == "ฮ"  # alphabetical: the code points run in its order


def test_front_matter_in_thai_letters_and_chapter_one_on_page_one(default_book):
    pdf = output(default_book, "-screen.pdf")
    pages = pdftotext(pdf).split("\f")
    numbers = folios(pdf)
    foreword = next(i for i, page in enumerate(pages) if page.lstrip().startswith("คำนำ"))
    opener = next(i for i, page in enumerate(pages) if "เมืองที่ 1" in page)
    assert numbers[foreword] == "กขคงจฉชซฌญ"[foreword]
    assert numbers[opener] == "1"
    assert numbers[opener + 1] == "2"
    printed = pdftotext(output(default_book, "-print.pdf")).split("\f")  # the screen PDF has no blank versos
    assert next(i for i, page in enumerate(printed) if "เมืองที่ 1" in page) % 2 == 0  # a right-hand page
    laid_out = pdftotext(pdf, "-layout").split("\f")  # the page numbers hang in a gutter: read lines whole
    contents = next(page for page in laid_out if "สารบัญ" in page and "...." in page)
    assert re.search(r"คำนำ\s*\.+\s*" + "กขคงจฉชซฌญ"[foreword], contents)
    assert re.search(r"ไม่รู้จบ\s*\.+\s*1\b", contents)


def test_a_book_in_thai_numerals(mini_book):
    numbers = folios(output(mini_book, "-screen.pdf"))
    assert "๑" in numbers and "๒" in numbers
    assert not any(re.search(r"[0-9]", n) for n in numbers)


def test_a_folio_reads_back_as_the_page_it_numbers(mini_book):
    """`folio_of` undoes `folio_label`: what the preview reads from a screen PDF's page labels."""
    book = mini_book.book
    for page in range(1, 60):
        assert folio_of(folio_label(book, page, 6)) == ((page, True) if page <= 6 else (page - 6, False))
    assert folio_of("xiv") == (14, True) and folio_of("25") == (25, False) and folio_of("ฃ") is None


def test_a_folio_set_past_the_trim_is_reported_on_its_pages_cold_and_warm(project, tmp_path):
    """A book's stylesheet that sets the folios out past the trim: the joined file draws each folio layer
    clipped to the trim, so the folios would vanish without a word; preflight names their pages instead, as
    it does for a part's own text past the trim, and a build that takes the layers from the cache says the
    same."""
    from book.building import build

    (project / "styles").mkdir(exist_ok=True)
    (project / "styles" / "print.css").write_text(
        "@page :right { @bottom-right { content: counter(page, folio); margin-right: -24mm; } }\n"
        "@page :left { @bottom-left { content: counter(page, folio); margin-left: -24mm; } }\n",
        encoding="utf-8",
    )
    said = []
    for out in ("cold", "warm"):
        result = build(project, tmp_path / out, targets=("print",))
        report = next(r for r in result.reports if r.kind == "print")
        past = [p for p in report.problems if p.code == "P101"]
        assert not report.ok and past
        said.append([p.message for p in past])
    assert result.laid_out[0] == 0  # the warm build laid out nothing: its layers came from the cache
    assert said[0] == said[1]
    numbered = [i + 1 for i, folio in enumerate(folios(output(result, "-print.pdf"))) if folio]
    named = set()  # "pages 3, 5, 9-10: ..." (preflighting._pages)
    for message in said[0]:
        for first, last in re.findall(r"(\d+)(?:-(\d+))?", message.split(":")[0]):
            named |= set(range(int(first), int(last or first) + 1))
    assert numbered and named == set(numbered)  # every page with a folio (pdftotext reads past the clip)


def test_folios_inside_the_trim_are_not_reported(project, tmp_path):
    from book.building import build

    result = build(project, tmp_path / "out", targets=("print",))
    report = next(r for r in result.reports if r.kind == "print")
    assert not [p for p in report.problems if p.code == "P101"]
