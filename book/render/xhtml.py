"""The EPUB's XHTML: each rendered page of the book as a content document with EPUB 3 semantics (epub:type
with the matching ARIA roles, footnotes as numbered notes with back links, links between documents, the print
edition's page-break markers), and the navigation document (contents, landmarks, page list).

What the reader of the ebook sees differs from the print edition in two places, both made here from the one
rendering every output shares: an infographic still to be drawn shows its caption and a line saying so, never
the designer's brief; and what a template marks `data-edition="print"` is left out while what it marks
`data-edition="ebook"` (hidden in every other output) is shown, as the colophon's facts are."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

import lxml.html
from lxml import etree

from ..engine import OPS, XHTML, PageStart, marker_id, place_marker
from ..project import BACK, FRONT
from ..thai import digits
from .rendering import Page

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"
NSMAP = {None: XHTML, "epub": OPS}
DOCTYPE = "<!DOCTYPE html>"

# Page kind -> (epub:type, ARIA role) of the page's section, and of the document's body.
SECTION_SEMANTICS = {
    "cover": ("cover", None),
    "title": ("titlepage", None),
    "imprint": ("copyright-page", None),
    "contents": ("toc", "doc-toc"),
    "chapter": ("chapter", "doc-chapter"),
    "part": ("part", "doc-part"),
}  # front and back matter: their kind's (`book/project/kinds.py`), e.g. preface, doc-preface
MATTER = {"cover": "cover", "chapter": "bodymatter", "part": "bodymatter"}
PLACE_MATTER = {FRONT: "frontmatter", BACK: "backmatter"}
BACKLINK_LABEL = "กลับไปยังที่อ้างเชิงอรรถ"
NOTES_LABEL = "เชิงอรรถ"
PLACEHOLDER_NOTE = "ภาพประกอบอยู่ระหว่างจัดทำ"  # in place of the brief: the reader is told, the designer's notes stay
EDITION = "data-edition"  # a template's mark: content for the print edition only, or for the ebook only


@dataclass(frozen=True)
class Landmark:
    kind: str  # epub:type: cover, titlepage, toc, bodymatter, colophon
    href: str
    title: str


@dataclass(frozen=True)
class Entry:
    """One line of the contents: a document or a section in it, and the sections under it."""

    href: str
    title: str
    children: tuple[Entry, ...] = ()


def page_tree(page: Page, numerals: str = "arabic") -> etree._Element:
    """The page's rendered HTML as an XHTML element tree (its `<section>`), with EPUB semantics added, the
    ebook's content in place of the print edition's, and its notes numbered in `numerals` (the book's)."""
    fragment = lxml.html.fragment_fromstring(page.html.strip(), create_parent="div")
    if len(fragment) == 1 and not (fragment.text or "").strip() and not (fragment[0].tail or "").strip():
        fragment = fragment[0]  # the page's own <section> (a project's template may give more, kept in a div)
    lxml.html.html_to_xhtml(fragment)
    section = etree.fromstring(etree.tostring(fragment))  # a plain XML tree: namespaced attributes allowed
    epub_type, role = SECTION_SEMANTICS.get(page.kind, (None, None))
    if epub_type is None and page.chapter is not None:
        epub_type, role = page.chapter.form.epub_type, page.chapter.form.role
    if epub_type:
        section.set(EPUB_TYPE, epub_type)
    if role:
        section.set("role", role)
    _ebook_edition(section)
    _placeholders(section)
    _notes(section, numerals)
    return section


def _ebook_edition(section: etree._Element) -> None:
    """Leave out what the templates mark for the print edition; show what they mark for the ebook."""
    for element in list(section.iter()):
        edition = element.get(EDITION) if isinstance(element.tag, str) else None
        if edition == "print":
            remove_element(element)
        elif edition == "ebook":
            del element.attrib[EDITION]
            element.attrib.pop("hidden", None)


def _placeholders(section: etree._Element) -> None:
    """An infographic not drawn yet: its box says so in one line (the caption under it stays); the brief, its
    size and its id are for the designer, in the print edition and the preview."""
    for box in list(section.iter(f"{{{XHTML}}}div")):
        if "placeholder-box" not in (box.get("class") or "").split():
            continue
        for child in list(box):
            box.remove(child)
        box.text = None
        for name in ("role", "aria-label"):
            box.attrib.pop(name, None)
        etree.SubElement(box, f"{{{XHTML}}}p", {"class": "placeholder-note"}).text = PLACEHOLDER_NOTE


def remove_element(element: etree._Element) -> None:
    """Remove `element`, keeping the text after it."""
    parent, previous, tail = element.getparent(), element.getprevious(), element.tail or ""
    if parent is None:
        return
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _notes(section: etree._Element, numerals: str) -> None:
    """Footnotes as EPUB 3 notes: reading systems show them as pop-ups, screen readers announce them. Each call
    and its note carry the note's number, counted in reading order in the chapter (as the print edition's
    footnote counter counts them) and written in the book's numerals."""
    numbers: dict[str, str] = {}
    for call in section.iter(f"{{{XHTML}}}a"):
        kind = call.get("class", "")
        if kind == "noteref":
            call.set(EPUB_TYPE, "noteref")
            target = unquote((call.get("href") or "")[1:])
            call.text = numbers.setdefault(target, digits(len(numbers) + 1, numerals))
        elif kind == "backlink":
            call.set("aria-label", BACKLINK_LABEL)
    for note in section.iter(f"{{{XHTML}}}aside"):
        if note.get("role") == "doc-footnote":
            note.set(EPUB_TYPE, "footnote")
            if note.get("id") in numbers:
                _number_note(note, numbers[note.get("id")])
    for notes in section.iter(f"{{{XHTML}}}section"):
        if "footnotes" in (notes.get("class") or "").split():
            notes.set(EPUB_TYPE, "footnotes")
            notes.set("aria-label", NOTES_LABEL)


def _number_note(note: etree._Element, number: str) -> None:
    """Write `number.` first in the note, before its first paragraph's text."""
    label = etree.Element(f"{{{XHTML}}}span", {"class": "note-number"})
    label.text = f"{number}."
    first = note[0] if len(note) and note[0].tag == f"{{{XHTML}}}p" else note
    label.tail = " " + (first.text or "").lstrip()
    first.text = None
    first.insert(0, label)


def relink(section: etree._Element, file_name: str, where: dict[str, str]) -> None:
    """Point links at ids in other documents to those documents (`chiang-mai.xhtml#...`)."""
    for link in section.iter(f"{{{XHTML}}}a"):
        href = link.get("href") or ""
        if not href.startswith("#"):
            continue
        target = where.get(unquote(href[1:]))  # a Thai id is percent-encoded in the HTML the pages are
        if target and target != file_name:
            link.set("href", target if href[1:] + ".xhtml" == target else f"{target}{href}")


def ids(section: etree._Element) -> Iterable[str]:
    return (element.get("id") for element in section.iter() if element.get("id"))


def mark_pages(sections: dict[str, etree._Element], starts: list[PageStart]) -> list[tuple[str, PageStart]]:
    """Place each print page's marker in the section that holds its anchor; returns (file name, start) in
    page order for the page list."""
    where = {}
    for file_name, section in sections.items():
        for element in section.iter():
            if element.get("id"):
                where.setdefault(element.get("id"), (file_name, element))
    placed = []
    for start in starts:
        if start.anchor not in where:
            continue
        file_name, anchor = where[start.anchor]
        place_marker(anchor, start)
        placed.append((file_name, start))
    return placed


def content_document(page: Page, section: etree._Element, language: str, stylesheet: str) -> bytes:
    """One page of the book as a complete XHTML content document."""
    html, body = _document(page.title, language, stylesheet)
    place = page.chapter.place if page.chapter is not None else FRONT
    body.set(EPUB_TYPE, MATTER.get(page.kind) or PLACE_MATTER.get(place, "frontmatter"))
    body.append(section)
    return _serialize(html)


def nav_document(
    title: str,
    contents: list[Entry],
    landmarks: list[Landmark],
    pages: list[tuple[str, PageStart]],
    language: str,
    stylesheet: str,
    titles: dict[str, str],
) -> bytes:
    """The navigation document: the contents (shown), and the landmarks and the print page list (hidden)."""
    html, body = _document(title, language, stylesheet)
    toc = _nav(body, "toc", "doc-toc", titles["toc"], "h1")
    toc.append(_entries(contents))
    nav = _nav(body, "landmarks", None, titles["landmarks"], "h2", hidden=True)
    items = etree.SubElement(nav, f"{{{XHTML}}}ol")
    for landmark in landmarks:
        link = _link(etree.SubElement(items, f"{{{XHTML}}}li"), landmark.href, landmark.title)
        link.set(EPUB_TYPE, landmark.kind)
    if pages:
        nav = _nav(body, "page-list", "doc-pagelist", titles["page-list"], "h2", hidden=True)
        items = etree.SubElement(nav, f"{{{XHTML}}}ol")
        for file_name, start in pages:
            _link(etree.SubElement(items, f"{{{XHTML}}}li"), f"{file_name}#{marker_id(start)}", start.label)
    return _serialize(html)


def cover_document(title: str, image: str, alt: str, language: str, stylesheet: str) -> bytes:
    """The cover page: the front cover image alone."""
    html, body = _document(title, language, stylesheet)
    body.set(EPUB_TYPE, "cover")
    section = etree.SubElement(body, f"{{{XHTML}}}section", {"class": "cover", "id": "cover", EPUB_TYPE: "cover"})
    etree.SubElement(section, f"{{{XHTML}}}img", {"src": image, "alt": alt, "role": "doc-cover"})
    return _serialize(html)


def _document(title: str, language: str, stylesheet: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element(f"{{{XHTML}}}html", {"lang": language, XML_LANG: language}, nsmap=NSMAP)
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", {"charset": "utf-8"})
    etree.SubElement(head, f"{{{XHTML}}}title").text = title
    etree.SubElement(head, f"{{{XHTML}}}link", {"rel": "stylesheet", "type": "text/css", "href": stylesheet})
    return html, etree.SubElement(html, f"{{{XHTML}}}body")


def _nav(
    body: etree._Element, kind: str, role: str | None, title: str, heading: str, hidden: bool = False
) -> etree._Element:
    nav = etree.SubElement(body, f"{{{XHTML}}}nav", {EPUB_TYPE: kind, "id": kind, "aria-labelledby": f"{kind}-title"})
    if role:
        nav.set("role", role)
    if hidden:
        nav.set("hidden", "hidden")
    etree.SubElement(nav, f"{{{XHTML}}}{heading}", {"id": f"{kind}-title"}).text = title
    return nav


def _entries(entries: Iterable[Entry]) -> etree._Element:
    items = etree.Element(f"{{{XHTML}}}ol")
    for entry in entries:
        item = etree.SubElement(items, f"{{{XHTML}}}li")
        _link(item, entry.href, entry.title)
        if entry.children:
            item.append(_entries(entry.children))
    return items


def _link(parent: etree._Element, href: str, text: str) -> etree._Element:
    link = etree.SubElement(parent, f"{{{XHTML}}}a", {"href": href})
    link.text = text
    return link


def _serialize(html: etree._Element) -> bytes:
    return etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype=DOCTYPE) + b"\n"
