"""The print edition's page list: where each page of the print PDF begins, found in WeasyPrint's laid-out
pages, and the page-break markers that carry it into the EPUB's text.

A page begins at its first line (or picture) of body text. It is located by the nearest element with an id
around it (every top-level block of a chapter has one, `{slug}-b{n}`) and by how many characters of that
element came before it on earlier pages, counting only letters, digits and punctuation (no spaces, no
zero-width characters, no footnote calls), so the same count finds the same place in the EPUB's XHTML.
Written against WeasyPrint 70.0 (`Document.pages[i]._page_box`, box `.element`). The pages are labelled by
`numbering.folio_label`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from weasyprint.formatting_structure import boxes

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
# Never counted: spaces, zero-width characters and hyphens a line break may have added in one output only.
NOT_COUNTED = re.compile(r"[\s\u00ad\u200b-\u200d\u2060\ufeff\-\u2010]")
BLOCKS = frozenset(
    "section header footer nav div p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd figure figcaption aside blockquote "
    "table pre body".split()
)
# Elements that may not hold a <span> child: a marker at their start goes into their first child instead.
NO_PHRASING = frozenset("ul ol dl table thead tbody tfoot tr colgroup html head".split())
PROBE = 12  # characters kept from the top of each page, to check the EPUB's marker against


@dataclass(frozen=True)
class PageStart:
    """Where one page of the print edition begins."""

    number: int  # 1-based position of the page in the PDF
    label: str  # the folio the page carries (or would carry), in the book's numerals (numbering.folio_label)
    anchor: str  # id of the nearest block around the page's first line
    offset: int  # counted characters of `anchor` on earlier pages
    text: str  # the page's first counted characters, for checking


def counted(text: str) -> str:
    """The characters of `text` that place a page start."""
    return NOT_COUNTED.sub("", text)


def page_starts(document: object) -> list[PageStart]:
    """Where each page of `document` with body text or a picture begins, unlabelled (`label` is empty)."""
    pages = document.pages
    if not pages:
        return []
    root = _flow(pages[0]._page_box).element
    parents = {child: parent for parent in root.iter() for child in parent}
    seen: dict[object, int] = {}  # element -> counted characters laid out so far
    headers: set[object] = set()  # table headers and footers laid out so far: repeated on later pages
    starts = []
    for number, page in enumerate(pages, start=1):
        first: PageStart | None = None
        on_page: set[object] = set()
        for leaf in _leaves(_flow(page._page_box), headers, on_page):
            element = leaf.element
            anchor = _anchor(element, parents)
            text = counted(getattr(leaf, "text", "") or "")
            if first is None and anchor is not None:
                first = PageStart(number, "", anchor.get("id"), seen.get(anchor, 0), text[:PROBE])
            while element is not None:
                if element.get("id"):
                    seen[element] = seen.get(element, 0) + len(text)
                element = parents.get(element)
        headers |= on_page
        if first is not None:
            starts.append(first)
    return starts


def _flow(page_box: boxes.PageBox) -> boxes.Box:
    """The page's share of the document (the <html> box), without margin boxes and the footnote area."""
    return next(child for child in page_box.children if not isinstance(child, boxes.MarginBox | boxes.FootnoteAreaBox))


def _leaves(box: boxes.Box, repeated: set, headers: set):  # noqa: ANN202 - a generator of boxes
    """Text boxes with counted text, and pictures, in the order they are read. Generated content is skipped
    (footnote calls, list markers, leaders and page references are not in the EPUB's text), and so is a table
    header or footer `repeated` from an earlier page; the headers and footers met are added to `headers`."""
    if "::" in (box.element_tag or ""):
        return
    if isinstance(box, boxes.TableRowGroupBox) and (box.is_header or box.is_footer):
        if box.element in repeated:
            return
        headers.add(box.element)
    if isinstance(box, boxes.TextBox):
        if counted(box.text):
            yield box
        return
    if isinstance(box, boxes.ReplacedBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _leaves(child, repeated, headers)


def _anchor(element: object, parents: dict) -> object | None:
    while element is not None:
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if element.get("id") and tag in BLOCKS:
            return element
        element = parents.get(element)
    return None


def marker(start: PageStart) -> etree._Element:
    """The EPUB page-break marker for `start`: an empty span that reading systems and Ace recognise."""
    return etree.Element(
        f"{{{XHTML}}}span",
        {
            f"{{{OPS}}}type": "pagebreak",
            "role": "doc-pagebreak",
            "id": marker_id(start),
            "aria-label": start.label,
        },
    )


def marker_id(start: PageStart) -> str:
    return f"page-{start.number}"


def place_marker(anchor: etree._Element, start: PageStart) -> None:
    """Put `start`'s marker in the EPUB's XHTML where the page begins: before the `start.offset`-th counted
    character of `anchor` (a footnote call's number is not counted), moved up to the block boundary when the
    page begins at one. A page that begins with a picture gets its marker before the picture's block; one
    that begins inside something read as one piece (a heading, a link, a figure drawn as an image, text hidden
    from screen readers) gets it right after that piece."""
    node = marker(start)
    position = _position(anchor, _offset(anchor, start)) if start.text else None
    if position is None:
        _insert_before(anchor, node)
        return
    element, where, index = position
    whole = _whole(element, anchor)
    if whole is not None and _counted_before(whole, element, where, index) > 0:
        _insert_after(whole, node)
        return
    _insert(element, where, index, node)
    _lift(node, stop=anchor.getparent())


def _offset(anchor: etree._Element, start: PageStart) -> int:
    """`start.offset`, checked against the page's first characters; when the two outputs' texts drifted apart
    (a character only one of them has), the nearest place where the page's first characters are found."""
    text = "".join(counted(t) for _, _, t in _texts_in(anchor))
    if text.startswith(start.text, start.offset):
        return start.offset
    found = [m.start() for m in re.finditer(re.escape(start.text), text)]
    return min(found, key=lambda at: abs(at - start.offset)) if found else 0


def _position(anchor: etree._Element, offset: int) -> tuple[etree._Element, str, int] | None:
    """(element, "text" or "tail", index) of the `offset`-th counted character inside `anchor`."""
    remaining = offset
    for element, where, text in _texts_in(anchor):
        for index, char in enumerate(text):
            if NOT_COUNTED.match(char):
                continue
            if remaining == 0:
                return element, where, index
            remaining -= 1
    return None


def _texts_in(anchor: etree._Element):  # noqa: ANN202 - a generator of (element, where, text)
    """Every piece of text inside `anchor` in reading order, without footnote calls."""

    def walk(element: etree._Element):  # noqa: ANN202
        if _is_noteref(element):
            return
        if element.text:
            yield element, "text", element.text
        for child in element:
            if isinstance(child.tag, str):
                yield from walk(child)
            if child.tail:
                yield child, "tail", child.tail

    yield from walk(anchor)


def _is_noteref(element: etree._Element) -> bool:
    if element.get(f"{{{OPS}}}type") == "noteref" or element.get("role") == "doc-noteref":
        return True
    return len(element) == 1 and not (element.text or "").strip() and _is_noteref(element[0])


def _whole(element: etree._Element, anchor: etree._Element) -> etree._Element | None:
    """The outermost element around the text position (up to `anchor`) that is read as one piece."""
    found = None
    node = element
    while node is not None:
        if _read_whole(node):
            found = node
        if node is anchor:
            break
        node = node.getparent()
    return found


def _read_whole(element: etree._Element) -> bool:
    tag = etree.QName(element).localname
    return (
        tag in ("h1", "h2", "h3", "h4", "h5", "h6", "a")
        or element.get("aria-hidden") == "true"
        or element.get("role") == "img"
    )


def _counted_before(whole: etree._Element, element: etree._Element, where: str, index: int) -> int:
    """How many counted characters of `whole` come before the position."""
    total = 0
    for node, kind, text in _texts_in(whole):
        if node is element and kind == where:
            return total + len(counted(text[:index]))
        total += len(counted(text))
    return total


def _insert(element: etree._Element, where: str, index: int, node: etree._Element) -> None:
    if where == "text":
        text = element.text or ""
        element.text, node.tail = text[:index] or None, text[index:] or None
        element.insert(0, node)
    else:
        text = element.tail or ""
        element.tail, node.tail = text[:index] or None, text[index:] or None
        element.addnext(node)


def _insert_before(element: etree._Element, node: etree._Element) -> None:
    parent = element.getparent()
    if parent is None or etree.QName(parent).localname in NO_PHRASING or etree.QName(element).localname == "body":
        node.tail, element.text = element.text, None
        element.insert(0, node)
    else:
        element.addprevious(node)


def _insert_after(element: etree._Element, node: etree._Element) -> None:
    node.tail, element.tail = element.tail, None
    element.addnext(node)


def _lift(node: etree._Element, stop: etree._Element | None) -> None:
    """While the marker is the first thing in its parent, move it before the parent: a page that begins with
    a paragraph gets its marker between paragraphs, not inside the first one. It passes through a table row
    or a list to stand before the table or the list, but never stays where a span may not (in a <tr>)."""
    target = None
    parent = node.getparent()
    child = node
    while parent is not None and parent is not stop and etree.QName(parent).localname != "body":
        if parent.index(child) != 0 or (parent.text or "").strip():
            break
        grandparent = parent.getparent()
        if grandparent is None:
            break
        if etree.QName(grandparent).localname not in NO_PHRASING:
            target = parent
        child, parent = parent, grandparent
    if target is None:
        return
    # The text after the marker stays where it was; the text before `target` stays before the marker.
    holder = node.getparent()
    holder.text = ((holder.text or "") + (node.tail or "")) or None
    node.tail = None
    holder.remove(node)
    target.addprevious(node)
