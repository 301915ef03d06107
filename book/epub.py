"""The EPUB 3: one XHTML document per page group, the book's fonts embedded, a nav with the contents and
landmarks, and the credits as creators and contributors with MARC relator roles."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ebooklib import epub

from .fonts import FONT_TYPES, font_face_css, role_css
from .model import Book
from .outputs import write_atomic
from .rendering import Page

LANDMARK_TITLES = {
    "titlepage": "หน้าปกใน",
    "toc": "สารบัญ",
    "bodymatter": "เริ่มเนื้อเรื่อง",
    "colophon": "ว่าด้วยการจัดทำ",
}
STYLESHEET = "style/book.css"
ANCHOR_LINK = re.compile(r'href="#([^"]+)"')


@dataclass(frozen=True)
class EpubResult:
    path: Path
    documents: int


def book_identifier(book: Book) -> str:
    """`urn:isbn:...` when the book has an ISBN, else a UUID that stays the same for the same book id."""
    if book.config.get("isbn"):
        return "urn:isbn:" + book.config["isbn"].replace("-", "")
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"thaibook:{book.config['id']}"))


def epub_css(book: Book) -> str:
    fonts = font_face_css(book.fonts, lambda face: f"../fonts/{face.path.name}")
    return "\n".join([fonts, role_css(book.fonts), book.css("thai.css", "epub.css")])


def _link_pages(pages: list[Page]) -> dict[str, str]:
    """Every id in the book mapped to the document that holds it, so links between chapters work."""
    where: dict[str, str] = {}
    for page in pages:
        where[page.id] = page.file_name
        for found in re.finditer(r'\bid="([^"]+)"', page.html):
            where.setdefault(found.group(1), page.file_name)
    return where


def _relink(page: Page, where: dict[str, str]) -> str:
    def target(match: re.Match) -> str:
        anchor = match.group(1)
        file_name = where.get(anchor)
        if file_name is None or file_name == page.file_name:
            return match.group(0)
        return (
            f'href="{file_name}"'
            if anchor in where and anchor == file_name[: -len(".xhtml")]
            else f'href="{file_name}#{anchor}"'
        )

    return ANCHOR_LINK.sub(target, page.html)


def build_epub(book: Book, pages: list[Page], target: Path) -> EpubResult:
    """Package every page into an EPUB 3 at `target` (atomically)."""
    config = book.config
    eb = epub.EpubBook()
    eb.set_identifier(book_identifier(book))
    eb.set_title(book.title)
    eb.set_language(config["language"])
    if config.get("subtitle"):
        eb.add_metadata("DC", "title", config["subtitle"], {"id": "subtitle"})
        eb.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    eb.add_metadata("DC", "publisher", config["publisher"])
    eb.add_metadata("DC", "date", config["date"])
    if config.get("description"):
        eb.add_metadata("DC", "description", config["description"].strip())
    if config.get("rights"):
        eb.add_metadata("DC", "rights", config["rights"])
    for subject in config.get("subjects") or []:
        eb.add_metadata("DC", "subject", subject)
    _add_people(eb, book)

    eb.add_item(
        epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css", content=epub_css(book).encode())
    )
    _add_fonts(eb, book)
    _add_artwork(eb, book)

    where = _link_pages(pages)
    documents = []
    for page in pages:
        doc = epub.EpubHtml(title=page.title, file_name=page.file_name, lang=config["language"], uid=f"doc-{page.id}")
        doc.content = f"<html><body>{_relink(page, where)}</body></html>"
        doc.add_link(href=STYLESHEET, rel="stylesheet", type="text/css")
        eb.add_item(doc)
        documents.append(doc)
        if page.landmark in LANDMARK_TITLES:
            eb.guide.append({"type": page.landmark, "href": page.file_name, "title": LANDMARK_TITLES[page.landmark]})

    eb.toc = [_toc_entry(page) for page in pages if page.kind not in ("title", "imprint")]
    eb.add_item(epub.EpubNav(uid="nav", file_name="nav.xhtml"))
    eb.add_item(epub.EpubNcx())  # ebooklib always points the spine at an NCX; older readers use it too
    eb.spine = documents
    options = {
        "epub3_landmark": True,
        "landmark_title": "ส่วนสำคัญของหนังสือ",
        "toc_title": "สารบัญ",
        "mtime": datetime.fromisoformat(config["date"]).replace(tzinfo=UTC),
        "epub2_guide": False,
    }
    write_atomic(target, lambda path: epub.write_epub(str(path), eb, options))
    return EpubResult(target, len(documents))


def _toc_entry(page: Page) -> object:
    link = epub.Link(page.file_name, page.title, f"toc-{page.id}")
    sections = [h for h in (page.chapter.headings if page.chapter else []) if h.level == 2]
    if not sections:
        return link
    children = [epub.Link(f"{page.file_name}#{h.id}", h.text, f"toc-{h.id}") for h in sections]
    return (epub.Section(page.title, page.file_name), children)


def _add_people(eb: epub.EpubBook, book: Book) -> None:
    if book.credits is None:
        eb.add_author(book.config["publisher"], uid="creator-0")
        return
    for index, name in enumerate(book.credits.people):
        relators = book.credits.relators(name)
        element_id = f"person-{index}"
        kind = "creator" if "aut" in relators or "edt" in relators else "contributor"
        eb.add_metadata("DC", kind, name, {"id": element_id})
        for code in relators:
            eb.add_metadata(
                None, "meta", code, {"refines": f"#{element_id}", "property": "role", "scheme": "marc:relators"}
            )


def _add_fonts(eb: epub.EpubBook, book: Book) -> None:
    seen = set()
    for face in (f for faces in book.fonts.values() for f in faces):
        if face.path in seen:
            continue
        seen.add(face.path)
        eb.add_item(
            epub.EpubItem(
                uid=f"font-{len(seen)}",
                file_name=f"fonts/{face.path.name}",
                media_type=FONT_TYPES[face.path.suffix.lower()],
                content=face.path.read_bytes(),
            )
        )


ARTWORK_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _add_artwork(eb: epub.EpubBook, book: Book) -> None:
    for figure in book.infographics:
        if figure.artwork:
            eb.add_item(
                epub.EpubItem(
                    uid=f"art-{figure.id}",
                    file_name=f"infographics/{figure.artwork.name}",
                    media_type=ARTWORK_TYPES[figure.artwork.suffix.lower()],
                    content=figure.artwork.read_bytes(),
                )
            )
