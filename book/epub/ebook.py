"""The EPUB 3: one XHTML document per page group of the book, the book's fonts embedded (cut down to the
characters the book uses), a navigation document with the contents, the landmarks and the print edition's
page list, the credits as creators and contributors with MARC relator roles, and accessibility metadata.

The same sources give the same bytes: every time in the file is the build's fixed time (`SOURCE_DATE_EPOCH`,
else the book's date, else the time its newest chapter file was changed) and every list is written in the
book's order. Part title pages nest their chapters in the contents.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from ebooklib import epub
from lxml import etree

from ..engine import PageStart, cached_subset_font, characters
from ..project import (
    FONT_TYPES,
    Book,
    font_face_css,
    font_file_name,
    normal_source,
    project_file,
    readable,
    role_css,
    text_css,
)
from ..render import (
    Entry,
    Landmark,
    Page,
    content_document,
    cover_document,
    ids,
    mark_pages,
    nav_document,
    page_tree,
    relink,
    remove_element,
)
from ..scheduler import Cache, digest, fits, toolkit_digest, write_atomic
from ..thai import BreakPolicy, ReadingMarks, mark_for_reading, reading_marks
from .package import build_time, write_package

STYLESHEET = "style/book.css"
COVER_IMAGE = "images/cover.jpg"
LANDMARK_TITLES = {
    "cover": "ปก",
    "titlepage": "หน้าปกใน",
    "toc": "สารบัญ",
    "bodymatter": "เริ่มเนื้อเรื่อง",
    "colophon": "ว่าด้วยการจัดทำ",
}
NAV_TITLES = {"toc": "สารบัญ", "landmarks": "ส่วนสำคัญของหนังสือ", "page-list": "เลขหน้าฉบับพิมพ์"}
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
ARTWORK_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
PICTURE_TYPES = ARTWORK_TYPES
PICTURES = "pictures"  # the EPUB's folder for the chapters' pictures, beside infographics/ and fonts/
EBOOK_LONGEST_PX = 1600  # a picture's longest side in the EPUB: sharp on a tablet, light to download
EBOOK_JPEG_QUALITY = 85
XHTML_IMG = "{http://www.w3.org/1999/xhtml}img"


@dataclass(frozen=True)
class EpubResult:
    path: Path
    documents: int
    print_pages: int = 0  # entries in the page list


def book_identifier(book: Book) -> str:
    """`urn:isbn:...` when the book has an ISBN, else a UUID that stays the same for the same book id."""
    if book.config.get("isbn"):
        return "urn:isbn:" + book.config["isbn"].replace("-", "")
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"thaibook:{book.config['id']}"))


def print_edition_identifier(book: Book) -> str:
    """The print edition the page list follows: its ISBN, else a UUID that stays the same for the book id."""
    if book.config.get("isbn"):
        return book_identifier(book)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"thaibook:{book.config['id']}:print"))


class _KnownReading:
    """Each section's reading marks (`mark_for_reading`), kept in the cache under a key of the section's XHTML
    before the page list is marked (so that `reading_ahead`, before the layout, knows it) and what the marks
    depend on: the toolkit, PyThaiNLP's dictionaries, the book's protected words. Every build makes the EPUB
    again, and segmenting all its Thai anew took 40 % of a rebuild after a one-word edit; now only the edited
    section is. An entry is taken text by text, each only for the text it holds."""

    def __init__(self, cache: Cache | None, policy: BreakPolicy) -> None:
        self.cache = cache
        self.fingerprint = digest(toolkit_digest(), version("pythainlp"), "\n".join(sorted(policy.protected)))

    def key(self, section: etree._Element) -> str:
        return digest("reading", self.fingerprint, etree.tostring(section, encoding="unicode"))

    def get(self, key: str) -> list[ReadingMarks] | None:
        entry = self.cache.get("reading", key, _holds_marks) if self.cache is not None else None
        return None if entry is None else [(text, tuple(breaks), glued) for text, breaks, glued in entry[0]["marks"]]

    def put(self, key: str, marks: list[ReadingMarks]) -> None:
        if self.cache is not None:
            self.cache.put("reading", key, {"marks": [[text, list(breaks), glued] for text, breaks, glued in marks]})


def _holds_marks(facts: dict, _: dict[str, bytes]) -> bool:
    """Whether a reading entry is a list of texts with offsets inside each."""
    return fits(facts, {"marks": [(str, [int], [int])]}) and all(
        all(0 < at < len(text) for at in breaks) and all(0 <= at < len(text) for at in glued)
        for text, breaks, glued in facts["marks"]
    )


def epub_css(book: Book) -> str:
    fonts = font_face_css(book.fonts, lambda face: f"../fonts/{font_file_name(face)}")
    text = text_css(book.config, "epub")
    return "\n".join([fonts, role_css(book.fonts), book.css("thai.css"), text, book.css("epub.css")])


def build_epub(
    book: Book,
    pages: list[Page],
    target: Path,
    starts: list[PageStart] | None = None,
    cover: bytes | None = None,
    cache: Cache | None = None,
    ahead: Mapping[str, list[ReadingMarks]] | None = None,
) -> EpubResult:
    """Package every page into an EPUB 3 at `target` (atomically).

    `starts` are where the pages of the print edition laid out from the same pages begin
    (`book/pdf/interior.py`): they become the page list. `cover` is the front cover as JPEG bytes. `ahead`
    are the sections' reading marks worked out before (`reading_ahead`), for those not in the `cache`.
    """
    language = book.config["language"]
    starts = starts or []
    sections = _sections(pages, book.config["numerals"])
    reading = _KnownReading(cache, book.break_policy)
    keys = {name: reading.key(section) for name, section in sections.items()}  # before the page list is marked
    marked = mark_pages(sections, starts)
    pictures = _picture_files(book, sections)
    hints = book.config["epub"]["break_hints"]
    for name, section in sections.items():  # after the page list is marked: U+200B hints would shift its counts
        kept = reading.get(keys[name])
        known = kept if kept is not None else (ahead or {}).get(keys[name], [])
        by_text = {entry[0]: entry for entry in known}
        marks = mark_for_reading(section, book.break_policy, hints, by_text)
        if marks != kept:
            reading.put(keys[name], marks)
    documents = {
        page.file_name: content_document(page, sections[page.file_name], language, STYLESHEET) for page in pages
    }
    if cover is not None:
        alt = f"ปกหน้าของหนังสือ {book.title}"
        documents = {"cover.xhtml": cover_document(book.title, COVER_IMAGE, alt, language, STYLESHEET)} | documents
    nav = nav_document(
        NAV_TITLES["toc"], _contents(pages), _landmarks(pages, cover), marked, language, STYLESHEET, NAV_TITLES
    )
    css = epub_css(book)

    eb = epub.EpubBook()
    has_images = cover is not None or _has_artwork(book) or bool(pictures)
    _metadata(eb, book, has_page_list=bool(marked), has_images=has_images)
    eb.add_item(epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css", content=css.encode()))
    _add_fonts(eb, book, font_characters(book, pages), cache)
    _add_artwork(eb, book)
    _add_pictures(eb, pictures)
    if cover is not None:
        eb.set_cover(COVER_IMAGE, cover, create_page=False)
    spine = []
    for file_name, content in documents.items():
        item = epub.EpubItem(
            uid=f"doc-{file_name.removesuffix('.xhtml')}",
            file_name=file_name,
            media_type="application/xhtml+xml",
            content=content,
        )
        eb.add_item(item)
        spine.append(item)
    nav_item = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type="application/xhtml+xml", content=nav)
    nav_item.properties = ["nav"]
    eb.add_item(nav_item)
    eb.toc = _ncx(pages)
    eb.add_item(epub.EpubNcx())  # EbookLib always points the spine at an NCX; older readers use it too
    eb.spine = spine
    options = {"epub3_landmark": False, "epub3_pages": False, "epub2_guide": False}
    write_atomic(
        target,
        lambda path: write_package(path, eb, options, language, build_time(book.date, [c.path for c in book.chapters])),
    )
    return EpubResult(target, len(documents), len(marked))


def _sections(pages: list[Page], numerals: str) -> dict[str, etree._Element]:
    """Each page as an XHTML section, links between documents resolved."""
    sections = {page.file_name: page_tree(page, numerals) for page in pages}
    where: dict[str, str] = {}
    for file_name, section in sections.items():
        for element_id in ids(section):
            where.setdefault(element_id, file_name)
    for file_name, section in sections.items():
        relink(section, file_name, where)
    return sections


def reading_ahead(book: Book, pages: list[Page], cache: Cache | None = None) -> dict[str, list[ReadingMarks]]:
    """The reading marks of each section that has none in the cache, by the key `build_epub` keeps them under:
    worked out while the print edition is laid out (`book/building.py`), so that the EPUB, made once the page
    list is known, segments only the texts its page breaks cut."""
    reading = _KnownReading(cache, book.break_policy)
    found = {}
    for section in _sections(pages, book.config["numerals"]).values():
        key = reading.key(section)
        if reading.get(key) is None:
            found[key] = reading_marks(section, book.break_policy)
    return found


def _contents(pages: list[Page]) -> list[Entry]:
    """The navigation's contents: each page with its sections; a part's chapters under the part."""
    entries: list[Entry] = []
    part: list | None = None  # [the part's page, its chapters' entries]
    for page in pages:
        if page.kind in ("title", "imprint"):
            continue
        sections = [h for h in (page.chapter.headings if page.chapter else []) if h.level == 2]
        entry = Entry(page.file_name, page.title, tuple(Entry(f"{page.file_name}#{h.id}", h.text) for h in sections))
        if page.kind == "part":
            part = [page, []]
            entries.append(entry)
        elif part is not None and page.chapter is not None and page.chapter.in_part is part[0].chapter:
            part[1].append(entry)
            entries[-1] = Entry(part[0].file_name, part[0].title, tuple(part[1]))
        else:
            entries.append(entry)
    return entries


def _ncx(pages: list[Page]) -> list:
    """The NCX's contents for older readers, nested as the navigation's."""
    toc: list = []
    part: tuple | None = None
    for page in pages:
        if page.kind in ("title", "imprint"):
            continue
        if page.kind == "part":
            part = (page, [])
            toc.append((epub.Section(page.title, page.file_name), part[1]))
        elif part is not None and page.chapter is not None and page.chapter.in_part is part[0].chapter:
            part[1].append(_toc_entry(page))
        else:
            toc.append(_toc_entry(page))
    return toc


def _landmarks(pages: list[Page], cover: bytes | None) -> list[Landmark]:
    found = [Landmark("cover", "cover.xhtml", LANDMARK_TITLES["cover"])] if cover is not None else []
    for page in pages:
        if page.landmark in LANDMARK_TITLES:
            found.append(Landmark(page.landmark, page.file_name, LANDMARK_TITLES[page.landmark]))
    return found


def _toc_entry(page: Page) -> object:
    link = epub.Link(page.file_name, page.title, f"toc-{page.id}")
    sections = [h for h in (page.chapter.headings if page.chapter else []) if h.level == 2]
    if not sections:
        return link
    children = [epub.Link(f"{page.file_name}#{h.id}", h.text, f"toc-{page.id}-{n}") for n, h in enumerate(sections)]
    return (epub.Section(page.title, page.file_name), children)


def _metadata(eb: epub.EpubBook, book: Book, has_page_list: bool, has_images: bool) -> None:
    config = book.config
    eb.set_identifier(book_identifier(book))
    eb.title = book.title
    eb.add_metadata("DC", "title", book.title, {"id": "title"})
    eb.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if config.get("subtitle"):
        eb.add_metadata("DC", "title", config["subtitle"], {"id": "subtitle"})
        eb.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    eb.set_language(config["language"])
    if config.get("publisher"):
        eb.add_metadata("DC", "publisher", config["publisher"])
    if config.get("date"):
        eb.add_metadata("DC", "date", config["date"])
    if config.get("description"):
        eb.add_metadata("DC", "description", config["description"].strip())
    if config.get("rights"):
        eb.add_metadata("DC", "rights", config["rights"])
    for subject in config.get("subjects") or []:
        eb.add_metadata("DC", "subject", subject)
    _add_people(eb, book)
    if has_page_list:
        eb.add_metadata("DC", "source", print_edition_identifier(book))
        eb.add_metadata(None, "meta", print_edition_identifier(book), {"property": "pageBreakSource"})
    for prop, value in accessibility(book, has_page_list, has_images):
        eb.add_metadata(None, "meta", value, {"property": prop})


def accessibility(book: Book, has_page_list: bool, has_images: bool) -> list[tuple[str, str]]:
    """The EPUB Accessibility 1.1 metadata, as (property, value) pairs."""
    modes = ["textual", "visual"] if has_images else ["textual"]
    features = ["tableOfContents", "structuralNavigation", "readingOrder", "displayTransformability"]
    if has_page_list:
        # pageBreakMarkers is the current term; printPageNumbers, its older synonym, is what many catalogues read.
        features += ["pageNavigation", "pageBreakMarkers", "printPageNumbers"]
    if book.infographics or has_images:
        features.append("alternativeText")
    summary = (book.config.get("epub") or {}).get("accessibility_summary") or default_summary(has_page_list)
    return [
        *(("schema:accessMode", mode) for mode in modes),
        ("schema:accessModeSufficient", "textual"),
        *([("schema:accessModeSufficient", "textual,visual")] if has_images else []),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", " ".join(summary.split())),
        ("dcterms:conformsTo", CONFORMANCE),
        *([("a11y:certifiedBy", book.config["publisher"])] if book.config.get("publisher") else []),
    ]


def default_summary(has_page_list: bool) -> str:
    """The accessibility summary in Thai, when `book.yaml` gives none (`epub.accessibility_summary`)."""
    pages = " มีเลขหน้าตรงกับฉบับพิมพ์เพื่อใช้อ้างอิงร่วมกับหนังสือเล่ม" if has_page_list else ""
    return (
        "หนังสืออิเล็กทรอนิกส์เล่มนี้จัดทำตามข้อกำหนด EPUB Accessibility 1.1 และ WCAG 2.1 ระดับ AA "
        "เนื้อหาทั้งหมดเป็นข้อความที่ปรับขนาดตัวอักษรและแบบอักษรได้ ลำดับการอ่านเป็นไปตามหนังสือ "
        "มีสารบัญและหัวเรื่องตามลำดับชั้นสำหรับการนำทาง" + pages + " "
        "ภาพทุกภาพมีคำอธิบายแทนภาพ ยกเว้นภาพที่ใช้ตกแต่งเท่านั้น และอินโฟกราฟิกทุกภาพมีคำบรรยายใต้ภาพ "
        "เชิงอรรถลิงก์ไปยังคำอธิบายและกลับมายังที่อ้างได้ "
        "ไม่มีเนื้อหาที่กะพริบ เคลื่อนไหว หรือมีเสียง"
    )


def _add_people(eb: epub.EpubBook, book: Book) -> None:
    if book.credits is None:
        if book.config.get("publisher"):
            eb.add_metadata("DC", "creator", book.config["publisher"], {"id": "creator-0"})
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


def font_characters(book: Book, pages: list[Page]) -> str:
    """Every character the EPUB may show, for cutting its fonts (`fontsubset.characters`): those of the pages
    (markup and all), the stylesheet, the navigation's titles (page labels and the rest are in the Thai block
    and ASCII the subsets always keep)."""
    text = "".join(page.html for page in pages) + epub_css(book) + "".join(map(str, NAV_TITLES.values()))
    return characters(text + book.title)


def _add_fonts(eb: epub.EpubBook, book: Book, shown: str, cache: Cache | None = None) -> None:
    seen = set()
    for face in (f for faces in book.fonts.values() for f in faces):
        if face.path in seen or not readable(book, face.path):  # fonts.py refused it already; never read it here
            continue
        seen.add(face.path)
        eb.add_item(
            epub.EpubItem(
                uid=f"font-{len(seen)}",
                file_name=f"fonts/{font_file_name(face)}",
                media_type=FONT_TYPES[face.path.suffix.lower()],
                content=cached_subset_font(face.path, shown, cache),
            )
        )


def _has_artwork(book: Book) -> bool:
    return any(figure.artwork for figure in book.infographics)


def _add_artwork(eb: epub.EpubBook, book: Book) -> None:
    for figure in book.infographics:
        # the reader dropped artwork that leads out of the project (G106); this holds even if a file changed since
        if figure.artwork and readable(book, figure.artwork):
            eb.add_item(
                epub.EpubItem(
                    uid=f"art-{figure.id}",
                    file_name=f"infographics/{figure.artwork.name}",
                    media_type=ARTWORK_TYPES[figure.artwork.suffix.lower()],
                    content=figure.artwork.read_bytes(),
                )
            )


def _picture_files(book: Book, sections: dict[str, etree._Element]) -> dict[str, Path]:
    """Point every chapter picture at its copy in the EPUB (`pictures/...`, with the suffix the ebook copy
    has); returns each copy's name and the file it is made from. A picture no output may read (the reader
    warned about it) is left out of the page, never pointed at a file the EPUB lacks."""
    assets = book.root / "assets"
    files: dict[str, Path] = {}
    for section in sections.values():
        for image in list(section.iter(XHTML_IMG)):
            src = image.get("src") or ""
            if src.startswith(("infographics/", "data:")) or ":" in src.split("/")[0]:
                continue
            source = project_file(book.root, assets / normal_source(src), ("assets",))
            if source is None or not source.is_file() or source.suffix.lower() not in (*PICTURE_TYPES, ".webp", ".gif"):
                remove_element(image)
                continue
            name = str(PurePosixPath(PICTURES, normal_source(src)).with_suffix(_ebook_suffix(source)))
            files[name] = source
            image.set("src", name)
    return files


def _ebook_suffix(source: Path) -> str:
    suffix = source.suffix.lower()
    return ".png" if suffix in (".webp", ".gif") else ".jpg" if suffix == ".jpeg" else suffix


def _add_pictures(eb: epub.EpubBook, pictures: dict[str, Path]) -> None:
    for number, (name, source) in enumerate(pictures.items(), start=1):
        suffix = PurePosixPath(name).suffix
        content = ebook_picture(source, suffix)
        eb.add_item(epub.EpubItem(uid=f"picture-{number}", file_name=name, media_type=PICTURE_TYPES[suffix],
                                  content=content))  # fmt: skip


def ebook_picture(source: Path, suffix: str) -> bytes:
    """The picture as the EPUB carries it: no side longer than EBOOK_LONGEST_PX (never enlarged), a JPEG that
    had to be scaled re-encoded at EBOOK_JPEG_QUALITY, a PNG (transparency and all) kept a PNG, a GIF or WebP
    made a PNG (a GIF's first frame: the book promises nothing that moves, and the print shows that frame); an
    SVG and a JPEG or PNG small enough as they are."""
    data = source.read_bytes()
    if suffix == ".svg":
        return data
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        picture = ImageOps.exif_transpose(opened)
        if max(picture.size) <= EBOOK_LONGEST_PX and source.suffix.lower() not in (".webp", ".gif"):
            return data
        picture.thumbnail((EBOOK_LONGEST_PX, EBOOK_LONGEST_PX), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if suffix == ".png":
            picture.save(out, "PNG", optimize=True)
        else:
            picture.convert("RGB").save(out, "JPEG", quality=EBOOK_JPEG_QUALITY, optimize=True, progressive=True)
        return out.getvalue()
