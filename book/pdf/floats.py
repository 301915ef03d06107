"""Figures that float: a picture, an infographic or a table that does not fit on the page where it stands goes to
the top of the next page while the text goes on filling this one, instead of leaving a hole.

WeasyPrint 70 has no page floats (`float: top | bottom` of CSS GCPM), so a part is laid out, and each figure
that a layout pushed to the next page, leaving the page before it less than `FULL` full, is moved in the part's
HTML past the blocks that follow it (as many as fill the hole), and the part is laid out again. A figure never
passes another figure (figures keep their order), a heading (it stays in its section) or the end of its
section, and never moves more than `ROUNDS` times in a part. The moves depend only on the part's HTML and its
layout, so the part's cache key (`book/pdf/parts.py`) still names everything its pages depend on.

A figure an author pins (class `pin`: `![...](photo.jpg "..."){.pin}`) stays where it stands.

The same measures give each page's fill: how far down the text block its last line or figure reaches
(`page_fills`), which the build reports and the tests check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

FULL = 0.8  # a page filled less than this, before a figure on the next page, has a hole
ROUNDS = 6  # layouts of a part spent on moving figures, at most
# What floats: pictures and infographics that share the page with text, and tables (in their wrap).
FLOATING = re.compile(
    r'<(figure|div) class="((?:picture|infographic) size-(?:column|text|half-page)[^"]*|table-wrap[^"]*)"'
)
MARK = "data-float"
PASSABLE = frozenset({"p", "ul", "ol", "blockquote", "dl", "aside"})  # blocks a figure may move past


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
    """How full a laid-out WeasyPrint page is: the bottom of its last line, picture or figure, as a share
    of the text block's height (0 for a page with nothing in it)."""
    box = page._page_box
    top, height = box.content_box_y(), box.height
    bottom = max((_bottom(b) for b in _leaves(box.children[0]) if b is not None), default=top)
    return max(0.0, min(1.0, (bottom - top) / height)) if height else 0.0


def page_fills(document: object) -> list[float]:
    """The fill of each page of a laid-out `document` (see `page_fill`)."""
    return [page_fill(page) for page in document.pages]


def holes(document: object) -> list[Hole]:
    """Every page of `document` left under `FULL` because the figure that opens the next page did not fit
    on it: a figure not pinned, whose page it could not share."""
    found = []
    pages = document.pages
    for index in range(len(pages) - 1):
        opening = _opening_float(pages[index + 1])
        if opening is None or "pin" in (opening[0].element.get("class") or "").split():
            continue
        fill = page_fill(pages[index])
        if fill < FULL:
            figure, parent = opening
            hole = pages[index]._page_box.height * (1 - fill)
            found.append(Hole(index, figure.element.get(MARK), fill, _filling(figure, parent, hole)))
    return found


def _filling(figure: object, parent: object, hole: float) -> int:
    """How many of the blocks after `figure` (in `parent`, on its page) it takes to fill `hole` (px), passing
    only paragraphs, lists and quotations; 0 when the figure cannot move."""
    after = parent.children[parent.children.index(figure) + 1 :]
    count, filled = 0, 0.0
    for box in after:
        element = getattr(box, "element", None)
        if element is None or getattr(box, "element_tag", None) not in PASSABLE or _holds_float(element):
            break
        count += 1
        filled += box.margin_height()
        if filled >= hole:
            break
    return count


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
