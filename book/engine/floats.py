"""Figures that float: a picture, an infographic or a table that does not fit on the page where it stands goes to
the top of the next page while the text goes on filling this one, instead of leaving a hole.

WeasyPrint 70 has no page floats (`float: top | bottom` of CSS GCPM), so a part is laid out, and each figure
that a layout pushed to the next page, leaving the page before it less than `FULL` full, is moved in the part's
HTML past the blocks that follow it (as many as fill the hole), and the part is laid out again. A figure never
passes another figure (figures keep their order) or the end of its chapter, and no part is laid out more than
`ROUNDS` times more for its figures. A page-sized figure (`full-page`, `page`, `bleed`) moves the same way: the
text fills the page before it, and goes on after it. The moves depend only on the part's HTML and its
layout, so the part's cache key (`book/pdf/parts.py`) still names everything its pages depend on.

A figure an author pins (class `pin`: `![...](photo.jpg "..."){.pin}`) stays where it stands.

The same measures give each page's fill: how far down the text block its last line or figure reaches
(`page_fills`), which the build reports and the tests check.

Written against WeasyPrint 70.0: it reads the laid-out pages' boxes (`Document.pages[i]._page_box`, a box's
`.element`, `.style`, `.children`, `.position_y`), as `pagelist` does; it replaces no WeasyPrint function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

FULL = 0.8  # a page filled less than this, before a figure on the next page, has a hole
ROUNDS = 6  # layouts of a part spent on moving figures, at most
# What floats: pictures and infographics of every size, and tables (in their wrap).
FLOATING = re.compile(r'<(figure|div) class="((?:picture|infographic) size-[^"]*|table-wrap[^"]*)"')
MARK = "data-float"
# The blocks a figure may move past: text, and the headings of the sections that follow it in its chapter.
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
PASSABLE = frozenset({"p", "ul", "ol", "blockquote", "dl", "aside", *HEADINGS})


@dataclass(frozen=True)
class Hole:
    """A page (0-based `page` in the part) left `fill` full because figure `figure` (its `data-float`) did not
    fit; `skip`: how many of the blocks after the figure fill the hole."""

    page: int
    figure: str
    fill: float
    skip: int


def marked_floats(html: str) -> str:
    """`html` with each figure that may float numbered (`data-float="N"`, in reading order)."""
    count = iter(range(1_000_000))

    def number(match: re.Match[str]) -> str:
        return f'{match.group(0)} {MARK}="{next(count)}"'

    return FLOATING.sub(number, html)


def page_fill(page: object) -> float:
    """How full a laid-out WeasyPrint page is: the bottom of its last line, picture or figure, with the
    footnotes at its foot, as a share of the text block's height (0 for a page with nothing in it)."""
    box = page._page_box
    top, height = box.content_box_y(), box.height
    bottom = max((_bottom(b) for b in _leaves(box.children[0]) if b is not None), default=top)
    for notes in box.children:  # the notes at the foot of the page fill it from the bottom
        if type(notes).__name__ == "FootnoteAreaBox" and notes.children:
            bottom += top + height - notes.position_y
    return max(0.0, min(1.0, (bottom - top) / height)) if height else 0.0


def page_fills(document: object) -> list[float]:
    """The fill of each page of a laid-out `document` (see `page_fill`)."""
    return [page_fill(page) for page in document.pages]


def holes(document: object) -> list[Hole]:
    """Every page of `document` left under `FULL` because the figure that opens the next page did not fit
    on it: a figure not pinned, whose page it could not share."""
    found = []
    pages = document.pages
    heights: dict | None = None
    for index in range(len(pages) - 1):
        opening = _opening_float(pages[index + 1])
        if opening is None or "pin" in (opening[0].element.get("class") or "").split():
            continue
        fill = page_fill(pages[index])
        if fill < FULL:
            heights = _heights(document) if heights is None else heights
            figure, parent = opening
            page = pages[index]._page_box.height
            if figure.style["break_before"] in ("page", "left", "right", "recto", "verso"):
                skip = _filling_pages(figure, parent, page * (1 - fill), page, heights)
            else:
                skip = _filling(figure, parent, page * (1 - fill), heights)
            found.append(Hole(index, figure.element.get(MARK), fill, skip))
    return found


def _filling_pages(figure: object, parent: object, hole: float, page: float, heights: dict) -> int:
    """For a figure that has its page alone: how many of the blocks after it to move it past so that the
    text before it ends low on a page (`FULL` or more, with a little to spare), the nearest such place within
    two pages, else the place that leaves the smallest hole; 0 when none leaves a smaller one."""
    siblings = list(parent.element)
    after = siblings[siblings.index(figure.element) + 1 :]
    filled, best, least = 0.0, 0, hole
    for count, element in enumerate(after, start=1):
        if not isinstance(element.tag, str) or element.tag not in PASSABLE or _holds_float(element):
            break
        filled += heights.get(element, 0.0)
        if filled > hole + 2 * page:
            break
        left = hole - filled if filled <= hole else page - (filled - hole) % page  # room left on the page
        if element.tag in HEADINGS:
            continue
        if left <= (1 - FULL - 0.03) * page:
            return count
        if left < least - 0.1 * page:  # else the nearest place that leaves less of a hole
            best, least = count, left
    return best


def _filling(figure: object, parent: object, hole: float, heights: dict) -> int:
    """How many of the blocks after `figure` (in `parent`) it takes to fill `hole` (px), passing only text and
    headings, and never leaving the figure right after a heading; 0 when the figure cannot move."""
    siblings = list(parent.element)
    after = siblings[siblings.index(figure.element) + 1 :]
    count, filled = 0, 0.0
    for element in after:
        if not isinstance(element.tag, str) or element.tag not in PASSABLE or _holds_float(element):
            break
        count += 1
        filled += heights.get(element, 0.0)
        if filled >= hole and element.tag not in HEADINGS:
            return count
    while count and after[count - 1].tag in HEADINGS:  # the end of the chapter came first
        count -= 1
    return count


def _heights(document: object) -> dict:
    """The height each block of text takes in `document`, over all its pages (element -> px)."""
    heights: dict = {}

    def walk(box: object) -> None:
        for child in getattr(box, "children", ()):
            if not _is_block(child):
                continue
            element = getattr(child, "element", None)
            if element is not None and getattr(child, "element_tag", None) in PASSABLE:
                heights[element] = heights.get(element, 0.0) + child.margin_height()
            else:
                walk(child)

    for page in document.pages:
        walk(page._page_box.children[0])
    return heights


def _holds_float(element: object) -> bool:
    return any(e.get(MARK) is not None for e in element.iter())


def moved(html: str, hole: Hole) -> str | None:
    """The part's `html` with the figure of `hole` moved past the `hole.skip` blocks that follow it; None when
    it cannot move."""
    if not hole.skip:
        return None
    root = lxml.html.document_fromstring(html)
    found = root.xpath(f"//*[@{MARK}='{hole.figure}']")
    if not found:
        return None
    figure = found[0]
    after = None
    for count, sibling in enumerate(figure.itersiblings(), start=1):
        if not isinstance(sibling.tag, str) or sibling.tag not in PASSABLE or sibling.xpath(f".//@{MARK}"):
            break
        after = sibling
        if count == hole.skip:
            break
    if after is None:
        return None
    tail, figure.tail = figure.tail, None
    previous, parent = figure.getprevious(), figure.getparent()
    if previous is not None:
        previous.tail = (previous.tail or "") + (tail or "")
    else:
        parent.text = (parent.text or "") + (tail or "")
    parent.remove(figure)
    figure.tail, after.tail = after.tail, None
    after.addnext(figure)
    return lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode")


def _is_block(box: object) -> bool:
    return type(box).__name__ in ("BlockBox", "BlockReplacedBox", "FlexBox", "TableWrapperBox")


def _opening_float(page: object) -> tuple | None:
    """The floating figure the page opens with (before any line of text), and the box it is in."""
    box = page._page_box.children[0]
    while True:
        children = [c for c in getattr(box, "children", ()) if _is_block(c) or type(c).__name__ == "LineBox"]
        if not children or type(children[0]).__name__ == "LineBox":
            return None
        first = children[0]
        element = getattr(first, "element", None)
        if element is not None and element.get(MARK) is not None:
            return first, box
        box = first


def _leaves(box: object):  # noqa: ANN202 - WeasyPrint boxes
    """The lines, pictures and figures laid out in the flow of a page."""
    for child in getattr(box, "children", ()):
        name = type(child).__name__
        if name in ("LineBox", "BlockReplacedBox", "InlineReplacedBox"):
            yield child
        elif getattr(child, "style", None) is not None and child.style["float"] == "footnote":
            continue
        else:
            yield from _leaves(child)


def _bottom(box: object) -> float:
    return box.position_y + box.margin_height()


# -- chapter endings

SHORT = 3  # a chapter's last page with this many lines or fewer is too short to stand alone


def text_pages(pages: list) -> list:
    """`pages` up to the last that holds a line of text: a chapter may end with a page-sized figure after its
    text, and its ending is where the text ends."""
    for end in range(len(pages), 0, -1):
        if last_lines(pages[:end]):
            return pages[:end]
    return pages


def blank(page: object) -> bool:
    """Whether a laid-out page is one WeasyPrint left blank (before a right- or left-hand break)."""
    return bool(page._page_box.page_type.blank)


def last_lines(pages: list) -> int:
    """How many lines of running text the last of `pages` (WeasyPrint pages) holds: not those of a figure, such
    as a placeholder's brief or a table's cells."""
    return sum(1 for _ in _text_lines(pages[-1]._page_box.children[0]))


def _text_lines(box: object):  # noqa: ANN202 - WeasyPrint boxes
    for child in getattr(box, "children", ()):
        element = getattr(child, "element", None)
        if element is not None and element.get(MARK) is not None:
            continue
        if type(child).__name__ == "LineBox":
            yield child
        elif getattr(child, "style", None) is None or child.style["float"] != "footnote":
            yield from _text_lines(child)


def line_height(pages: list) -> float:
    """The height of the body's line (px): the most frequent among the lines laid out on `pages`."""
    heights: dict[float, int] = {}
    for page in pages:
        for box in _leaves(page._page_box.children[0]):
            if type(box).__name__ == "LineBox":
                height = round(box.height, 2)
                heights[height] = heights.get(height, 0) + 1
    return max(heights, key=lambda h: (heights[h], h)) if heights else 0.0


def ending_css(pages: list, bottom_mm: float, longer: bool, first: int = 1) -> str:
    """Rules that make the pages before a chapter's short last page one line longer (`longer`: they take its
    lines back, and the chapter is a page shorter) or one line shorter (they give it lines), as many pages as
    the last page has lines (at most `SHORT`). `pages` are the chapter's laid-out pages, the first of them
    page `first` of the document."""
    lines = last_lines(pages)
    line_mm = line_height(pages) * 25.4 / 96
    bottom = bottom_mm - line_mm if longer else bottom_mm + line_mm
    last = first + len(pages) - 1
    numbers = range(max(first, last - lines), last)  # the pages before the last, 1-based in the document
    # the folio stays where it is on every page: its box is padded by what the margin gained or lost
    keep = f"padding-{'bottom' if longer else 'top'}: {line_mm:.2f}mm;"
    folios = " ".join(f"@bottom-{box} {{ {keep} }}" for box in ("left", "center", "right"))
    return "\n".join(f"@page :nth({number}) {{ margin-bottom: {bottom:.2f}mm; {folios} }}" for number in numbers)
