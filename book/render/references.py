"""Figure and table numbers and cross-references, resolved over the whole book in the one rendering every output
shares, so the print edition, the screen PDF, the EPUB, the HTML export and the preview agree.

Targets are the figures (every `<figure>` with an id and a caption), the captioned tables with an id, the chapters
(by slug) and the headings (by id). In a chapter's Markdown:

- `[@id]` names the target: a numbered figure `ภาพที่ 3`, a numbered table `ตารางที่ 2`, an unnumbered one
  `ภาพ “its caption”`, a chapter its title (`บทที่ 2 ...` when it has a number), a heading its text;
- `[@page:id]` gives the page the target is on: `หน้า 45` in the print edition and the screen PDF (the folio as
  printed there: Thai letters in the front matter, digits in the book's numerals); in the EPUB and on screen,
  where pages are not fixed, it names the target as `[@id]` does.

Both are links to the target (`<a class="xref" href="#id">`); a page reference is `<a class="xref page-ref">`,
whose text the print edition replaces by its page (`print_page_references`). A reference to a target the book
does not have is an error (R101) at its file, line and column; it is left as written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import unquote

import lxml.html

from ..diagnostics import Problems
from ..project import Book, Chapter
from ..thai import digits
from .rendering import Page
from .tables import table_digits, typeset_tables

REFERENCE = re.compile(r"\[@(page:)?([^\]\s\[]+)\]")
FIGURE, TABLE, CHAPTER, PAGE = "ภาพที่", "ตารางที่", "บทที่", "หน้า"
UNNUMBERED = {"figure": "ภาพ", "table": "ตาราง"}
NOT_LINKED = ("a", "code", "pre", "script", "style")
PAGE_REFERENCE = re.compile(r'<a class="xref page-ref" href="#([^"]+)">.*?</a>', re.S)


@dataclass(frozen=True)
class Target:
    """What a reference can point at, and what `[@id]` prints for it."""

    id: str
    kind: str  # figure, table, chapter, heading
    label: str


def resolve_references(book: Book, pages: list[Page], problems: Problems) -> list[Page]:
    """`pages` with their figures and tables numbered (when book.yaml asks), their tables typeset, and every
    reference made a link that names its target; a reference to no target goes to `problems`."""
    numerals = book.config["numerals"]
    numbered = {kind: book.config.get(f"{kind}s") == "numbered" for kind in ("figure", "table")}
    targets: dict[str, Target] = {}
    trees: dict[int, lxml.html.HtmlElement] = {}
    counts = {"figure": 0, "table": 0}
    referred = any("[@" in page.html for page in pages)
    # the pages to work on: a page is left exactly as it was rendered when nothing in it changes
    marks = ["<table", "[@"] + (["<figure"] if referred or numbered["figure"] else [])
    for index, page in enumerate(pages):
        if page.chapter is not None:
            _chapter_targets(page.chapter, targets, numerals)
        if not any(mark in page.html for mark in marks):
            continue
        root = trees[index] = lxml.html.fragment_fromstring(page.html, create_parent="div")
        for figure in root.xpath(".//figure[@id][figcaption]"):
            caption = figure.find("figcaption")
            label = _numbered(caption, "figure", numbered, counts, numerals)
            targets.setdefault(figure.get("id"), Target(figure.get("id"), "figure", label))
        for table in typeset_tables(root):
            caption = table.find("caption")
            if caption is not None:
                label = _numbered(caption, "table", numbered, counts, numerals)
                if table.get("id"):
                    targets.setdefault(table.get("id"), Target(table.get("id"), "table", label))
            table_digits(table, numerals)
    for index, root in trees.items():
        _link(root, pages[index], targets, book, problems)
    return [replace(page, html=_html(trees[i])) if i in trees else page for i, page in enumerate(pages)]


def _chapter_targets(chapter: Chapter, targets: dict[str, Target], numerals: str) -> None:
    title = chapter.title
    if chapter.number is not None:
        title = f"{CHAPTER}\u00a0{digits(chapter.number, numerals)} {title}"
    targets.setdefault(chapter.slug, Target(chapter.slug, "chapter", title))
    for heading in chapter.headings:
        targets.setdefault(heading.id, Target(heading.id, "heading", heading.text))


def _numbered(
    caption: lxml.html.HtmlElement, kind: str, numbered: dict[str, bool], counts: dict[str, int], numerals: str
) -> str:
    """The label of a figure's or table's `caption`: its number, written first in the caption, when the book
    numbers that kind; else the kind and the caption's own words."""
    if not numbered[kind]:
        words = "".join(
            [caption.text or ""]
            + [child.text_content() + (child.tail or "") for child in caption if child.get("class") != "credit"]
        )
        return f"{UNNUMBERED[kind]} “{' '.join(words.split())}”"
    counts[kind] += 1
    label = f"{FIGURE if kind == 'figure' else TABLE}\u00a0{digits(counts[kind], numerals)}"  # one unit, never broken
    number = lxml.html.Element("span", {"class": f"{kind}-number"})
    number.text = label
    number.tail = " " + (caption.text or "").lstrip()
    caption.text = None
    caption.insert(0, number)
    return label


def _link(root: lxml.html.HtmlElement, page: Page, targets: dict[str, Target], book: Book, problems: Problems) -> None:
    """Each `[@id]` and `[@page:id]` in the texts of `root` made a link to its target."""
    seen: dict[str, int] = {}
    for element, attribute in list(_texts(root)):
        text = getattr(element, attribute)
        pieces: list[str | lxml.html.HtmlElement] = []
        at = 0
        for found in REFERENCE.finditer(text):
            seen[found[0]] = seen.get(found[0], 0) + 1
            target = targets.get(found[2])
            if target is None:
                _missing(found[0], found[2], seen[found[0]], page, targets, book, problems)
                continue
            link = lxml.html.Element("a", {"class": "xref page-ref" if found[1] else "xref", "href": f"#{target.id}"})
            link.text = target.label
            pieces += [text[at : found.start()], link]
            at = found.end()
        if pieces:
            _replace(element, attribute, [*pieces, text[at:]])


def _texts(root: lxml.html.HtmlElement):  # noqa: ANN202 - (element, "text" or "tail") pairs
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        inside = any(a.tag in NOT_LINKED for a in element.iterancestors())
        if element.text and "[@" in element.text and not inside and element.tag not in NOT_LINKED:
            yield element, "text"
        if element.tail and "[@" in element.tail and not inside:
            yield element, "tail"


def _replace(element: lxml.html.HtmlElement, attribute: str, pieces: list) -> None:
    """Put `pieces` (text, link, text, link, ..., text) where `element`'s text or tail was."""
    texts, links = pieces[0::2], pieces[1::2]
    for link, tail in zip(links, texts[1:], strict=True):
        link.tail = tail
    if attribute == "text":
        element.text = texts[0]
        for position, link in enumerate(links):
            element.insert(position, link)
    else:
        element.tail = texts[0]
        parent = element.getparent()
        at = parent.index(element) + 1
        for position, link in enumerate(links):
            parent.insert(at + position, link)


def _missing(
    written: str, name: str, nth: int, page: Page, targets: dict[str, Target], book: Book, problems: Problems
) -> None:
    chapter = page.chapter
    path = chapter.path if chapter is not None else book.root / "book.yaml"
    line = col = None
    if chapter is not None:
        line, col = _where(chapter, written, nth)
    close = difflib.get_close_matches(name, list(targets), n=3)
    if close:
        problems.add(path, line, "R101.close", col=col, target=name, close=", ".join(close))
    else:
        problems.add(path, line, "R101", col=col, target=name)


def _where(chapter: Chapter, written: str, nth: int) -> tuple[int | None, int | None]:
    """The line and column of the `nth` time `written` is in the chapter's file."""
    lines = chapter.source.split("\n")
    count = 0
    for number, text in enumerate(lines):
        start = text.find(written)
        while start >= 0:
            count += 1
            if count == nth:
                return chapter.body_line + number, start + 1
            start = text.find(written, start + 1)
    return None, None


def _html(root: lxml.html.HtmlElement) -> str:
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def needs_the_whole_book(book: Book, pages: Iterable[Page], html: str) -> bool:
    """Whether a page's `html`, rendered alone (the preview's re-read of one saved chapter), needs the whole book
    resolved again: it has references or tables, or figures the book numbers, or the book has references
    elsewhere (which may name what the page holds)."""
    numbered = book.config.get("figures") == "numbered" or book.config.get("tables") == "numbered"
    return (
        "[@" in html
        or "<table" in html
        or (numbered and "<figure" in html)
        or any('class="xref' in page.html for page in pages)
    )


def print_page_references(
    html: str, front: frozenset[str] | set[str] = frozenset(), present: set[str] | None = None
) -> str:
    """`html` with each page reference's text made `หน้า `, for the print edition, whose stylesheet adds the page
    number after it: the target's `target-counter()` in one document (`front-ref` for a target in the front
    matter, numbered apart), or the folio written in as `data-folio` when the book is laid out part by part
    (`book/pdf/parts.py`). A reference to a target not among the ids `present` (a booklet holds one chapter)
    keeps naming its target."""

    def printed(found: re.Match[str]) -> str:
        target = unquote(found[1])
        if present is not None and target not in present:
            return found[0].replace('class="xref page-ref"', 'class="xref"', 1)
        kind = "xref page-ref front-ref" if target in front else "xref page-ref"
        return f'<a class="{kind}" href="#{found[1]}">{PAGE}\u00a0</a>'

    return PAGE_REFERENCE.sub(printed, html) if 'class="xref page-ref"' in html else html


def page_reference_targets(html: str) -> list[str]:
    """The targets of the page references in `html`, each once, in order."""
    return list(dict.fromkeys(unquote(target) for target in PAGE_REFERENCE_TARGET.findall(html)))


PAGE_REFERENCE_TARGET = re.compile(r'<a class="xref page-ref(?: front-ref)?" href="#([^"]+)"')
