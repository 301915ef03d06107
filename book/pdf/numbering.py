"""Page numbering of the print edition: folios in the book's numerals, and front matter numbered apart
(ก ข ค ง, as Thai books do: without ฃ ฅ ฆ, or i ii iii) with the first chapter on page 1.

WeasyPrint resets the page counter only from a page rule, so the front matter is laid out on its own first
to count its pages; the body then starts on the next right-hand page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..project import Book

BODY_PAGES = frozenset({"chapter", "part"})  # the pages the body is made of: page 1 is the first of them
# Front matter folios in Thai letters: ก ข ค ง จ ..., the consonants in alphabetical order without the obsolete
# ฃ and ฅ and without the rare ฆ. The sequence is the W3C Internationalization note "Ready-made Counter Styles"
# (https://www.w3.org/TR/predefined-counter-styles/, `thai-alphabetic`): 41 letters, ก to ฮ; Thai university
# thesis templates number front pages with the same list. Some guides also skip letters easily confused in print
# (ฎ ฏ, ฑ ฒ) but do not agree on which, so this follows the one published list (docs/designer.md).
THAI_LETTERS = "ก ข ค ง จ ฉ ช ซ ฌ ญ ฎ ฏ ฐ ฑ ฒ ณ ด ต ถ ท ธ น บ ป ผ ฝ พ ฟ ภ ม ย ร ล ว ศ ษ ส ห ฬ อ ฮ"
FRONT_STYLES = {
    "thai-letters": f"system: alphabetic; symbols: {THAI_LETTERS};",
    "roman": "system: extends lower-roman;",
    "continuous": "system: extends folio;",
}


def counter_styles(book: Book) -> str:
    """`folio` for body pages and `front-folio` for the front matter, as @counter-style rules."""
    folio = "thai" if book.config["numerals"] == "thai" else "decimal"
    front = FRONT_STYLES[book.config["front_numerals"]]
    lists = "ol { list-style-type: thai; }" if book.config["numerals"] == "thai" else ""
    return f"@counter-style folio {{ system: extends {folio}; }}\n@counter-style front-folio {{ {front} }}\n{lists}"


def front_matter_css(front_pages: int) -> str:
    """Front pages show `front-folio`; the page after them is page 1."""
    if not front_pages:
        return ""
    return front_folios_css(f":nth(-n+{front_pages})") + f"\n@page :nth({front_pages + 1}) {{ counter-reset: page 1; }}"


def front_folios_css(pages: str = "") -> str:
    """The pages that `pages` selects (every page by default: a front matter part laid out alone) show
    `front-folio`."""
    return "\n".join(
        [
            f"@page {pages}:left {{ @bottom-left {{ content: counter(page, front-folio); }} }}",
            f"@page {pages}:right {{ @bottom-right {{ content: counter(page, front-folio); }} }}",
            f"@page {pages}:blank {{ @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}",
        ]
    )


def count_front_pages(book: Book, front_html: Callable[[], str | None]) -> int:
    """How many pages come before the first chapter, counting the blank page that puts it on the right.

    `front_html` gives the print document of the front matter alone (None when the book has none).
    """
    if book.config["front_numerals"] == "continuous":
        return 0
    html = front_html()
    if html is None:
        return 0
    import logging

    from weasyprint import HTML

    from ..project import gate

    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # the contents' links point into the body, which is not laid out here
    try:
        document = HTML(string=html, base_url=str(book.root / "assets") + "/", url_fetcher=gate(book))
        pages = len(document.render().pages)
    finally:
        logger.setLevel(level)
    return pages + pages % 2


ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50), ("xl", 40))
ROMAN += (("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def roman(value: int) -> str:
    """`value` in lower-case Roman numerals, as the `lower-roman` counter writes it."""
    out = []
    for letters, amount in ROMAN:
        count, value = divmod(value, amount)
        out.append(letters * count)
    return "".join(out)


def folio_label(book: Book, page: int, front_pages: int) -> str:
    """The folio of the book's `page`-th page (1-based) when `front_pages` pages come before page 1: what
    `counter(page, folio)` or `counter(page, front-folio)` prints there."""
    from ..thai import digits

    numerals = book.config["numerals"]
    if page > front_pages:
        return digits(page - front_pages, numerals)
    if book.config["front_numerals"] == "roman":
        return roman(page)
    letters = THAI_LETTERS.split()
    return letters[page - 1] if page <= len(letters) else digits(page, numerals)


def page_labels(pdf: pikepdf.Pdf, labels: Sequence[str]) -> None:
    """Give `pdf` page labels (ISO 32000-1, 12.4.2), one for each page: what a viewer shows as the page's
    number and goes to when a reader types it, so they are the folios printed on the pages (`folio_label`).

    A run of arabic or roman numbers is one range of PDF's own styles; Thai letters and Thai digits, which PDF
    has no style for, are a range per page whose prefix is the whole label."""
    nums = Array()
    run: tuple[str, int, int] | None = None  # (style, first number, first page) of the range open
    for index, label in enumerate(labels):
        if run is not None and label == _styled(run[0], run[1] + index - run[2]):
            continue
        number = _number_of(label)
        if number is not None:
            style = "D" if label.isdigit() else "r"
            run = (style, number, index)
            label_range = Dictionary(S=Name("/" + style), St=number)
        else:
            run = None
            label_range = Dictionary(P=pikepdf.String(label))
        nums.extend([index, label_range])
    pdf.Root.PageLabels = pdf.make_indirect(Dictionary(Nums=nums))


_ROMANS = {roman(value): value for value in range(1, 400)}  # more front pages than any book has


def _number_of(label: str) -> int | None:
    """The number an arabic or lower-roman `label` writes (None for any other)."""
    if label.isascii() and label.isdigit() and not label.startswith("0"):
        return int(label)
    return _ROMANS.get(label)


def _styled(style: str, number: int) -> str:
    return str(number) if style == "D" else roman(number)


def folio_of(label: str) -> tuple[int, bool] | None:
    """What `folio_label` wrote `label` from: the page's number in its numbering and whether that is the front
    matter's (Thai letters, roman numerals); None for a label it never writes."""
    if label.isdigit():  # arabic or Thai digits
        return int(label.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))), False
    letters = THAI_LETTERS.split()
    if label in letters:
        return letters.index(label) + 1, True
    number = _ROMANS.get(label)
    return (number, True) if number is not None else None
