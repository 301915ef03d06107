"""For readers: a download page (`index.html`) and an OPDS 1.2 acquisition feed (`opds.xml`) beside a full
build's outputs, with relative links, so that a website can host them with the files they list as they are and
reading apps (Thorium, KOReader) can subscribe to the feed. The page, the feed and the files they list are
also gathered in `site/` in the output folder, hard links to them and nothing else, for a producer to upload as
it is: the output folder holds the designers' `infographics.csv` too.

The page is for a reader on a phone: the EPUB first, with the cover, the title, one line about the book, its
size and a big button, all within the first screen; then the screen PDF; the printer's files last, in their own
section, or not at all (`download: printer_files: false`). The designers' `infographics.csv` is never listed.
The page carries its own font, the book's body face cut down to the characters the page shows, so that Thai
reads on a machine that has no Thai font."""

from __future__ import annotations

import base64
import contextlib
import html
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import lxml.etree
import lxml.html
from PIL import Image

from ..engine import cached_subset_font
from ..epub import book_identifier
from ..project import Book, FontFace, readable
from ..scheduler import Cache, before_replacing, sha256, write_text_atomic
from ..thai import mark_for_reading
from .site import write_site

SITE = "site"  # the folder in the output folder that holds what readers get, and nothing else: it is uploaded as it is
LISTINGS = ("index.html", "opds.xml")  # the files that list the others, with their sizes and checksums
# After the book's id, in the order the page lists them (the cover JPEG is the page's picture, and the feed's).
READING = (".epub", "-screen.pdf", "-cover.jpg")
PRINTER = ("-print.pdf", "-cover.pdf")  # the printer's files, in their own section

ACQUISITION = "http://opds-spec.org/acquisition"
FEED_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
MEDIA_TYPES = {".epub": "application/epub+zip", ".pdf": "application/pdf", ".jpg": "image/jpeg"}
# What each file is called on its button, and one line on what it is for.
FILES = {
    ".epub": ("ดาวน์โหลด EPUB", "อ่านบนโทรศัพท์ แท็บเล็ต หรือเครื่องอ่านอีบุ๊ก ปรับขนาดตัวอักษรได้"),
    "-screen.pdf": ("ดาวน์โหลด PDF", "หน้าตาเหมือนฉบับพิมพ์ สำหรับอ่านบนจอคอมพิวเตอร์"),
    "-print.pdf": ("PDF ฉบับพิมพ์", "เนื้อในสำหรับโรงพิมพ์ มีระยะตัดตกและเครื่องหมายตัด"),
    "-cover.pdf": ("PDF ปก", "ปกสำหรับโรงพิมพ์ (ปกหลัง สัน ปกหน้า)"),
}
PAGE_FONT = "thaibook-page"  # a name no installed font has, so the page is always set in the face it carries
# Characters the shaper draws that the text does not spell out: sara am ำ as nikhahit ํ and sara aa า, and
# the dotted circle under a stray mark.
SHAPED = {"\u0e33": "\u0e4d\u0e32"}
DOTTED_CIRCLE = "\u25cc"
# The space between a number and the Thai word after it (18 เมือง, ๒๕ คน), made a no-break space on the page.
NUMBER_THEN_WORD = re.compile(r"(?<=[0-9\u0e50-\u0e59]) +(?=[\u0e01-\u0e4e])")
NBSP = "\u00a0"
LINE_LENGTH = 90  # characters of Thai that the header's line beside the cover shows in its three lines on a phone


def _kind(path: Path) -> str:
    return next(ending for ending in FILES if path.name.endswith(ending))


def _size(size: int) -> str:
    """In megabytes, one decimal, as readers compare files to their phone's free space."""
    return f"{max(size / 1024 / 1024, 0.1):.1f} MB"


def _button(path: Path, primary: bool = False) -> str:
    """One file for reading: a button to download it, with its size, and a line on what it is for."""
    label, what = FILES[_kind(path)]
    return f"""<li class="file">
<a class="button{" primary" if primary else ""}" href="{html.escape(path.name)}" type="{MEDIA_TYPES[path.suffix]}" \
download><span class="label">{label}</span> <span class="size">{_size(path.stat().st_size)}</span></a>
<p class="what">{what}</p>
</li>"""


def _checksum(path: Path) -> str:
    """One row of the checksums: the file's name, linked, and its SHA-256 (on one line)."""
    name = html.escape(path.name)
    return f'<tr><td><a href="{name}">{name}</a></td><td><code>{sha256(path)}</code></td></tr>'


def printer_files(book: Book) -> bool:
    """Whether the page lists the printer's files (`download: printer_files` in book.yaml)."""
    return book.config["download"]["printer_files"]


def _cover(book: Book, cover: Path | None) -> str:
    """The front cover, sized so that nothing moves when it arrives (not a link: the EPUB's is the first)."""
    if cover is None:
        return ""
    with Image.open(cover) as picture:
        width, height = picture.size
    name, alt = html.escape(cover.name), html.escape(f"ปกหนังสือ {book.title}")
    return f'<img class="cover" src="{name}" alt="{alt}" width="{width}" height="{height}">'


def download_page(book: Book, files: list[Path], cover: Path | None, cache: Cache | None = None) -> str:
    """index.html: the cover, the title, a line about the book and the EPUB's button first; the screen PDF after
    it; the printer's files in their own section; every file's SHA-256 at the end."""
    reading = [p for p in files if p.name.endswith((".epub", "-screen.pdf"))]
    printing = [p for p in files if p.name.endswith(PRINTER)]
    description = book.config.get("description") or ""
    line = book.config.get("subtitle") or description
    # The line is cut at three lines on a phone (CSS): a longer description is given whole further down.
    whole = bool(description) and (description != line or len(description) > LINE_LENGTH)
    about = f"<p>{html.escape(description)}</p>\n" if whole else ""
    if book.config.get("publisher"):
        about += f"<p>{html.escape(book.config['publisher'])}</p>\n"
    about = f'<section class="about">\n<h2>เกี่ยวกับหนังสือ</h2>\n{about}</section>\n' if about else ""
    printer = (
        '<section class="printer">\n<h2>สำหรับโรงพิมพ์</h2>\n<ul class="files">\n'
        + "\n".join(_button(p) for p in printing)
        + "\n</ul>\n</section>\n"
        if printing
        else ""
    )
    body = f"""<main>
<header class="book">
{_cover(book, cover)}
<div>
<h1>{html.escape(book.title)}</h1>
{f'<p class="line">{html.escape(line)}</p>' if line else ""}
</div>
</header>
<section class="reading">
<ul class="files">
{chr(10).join(_button(p, primary=p.suffix == ".epub") for p in reading)}
</ul>
</section>
{about}{printer}<footer>
<p>แอปอ่านหนังสือที่รับแคตตาล็อก OPDS (เช่น Thorium, KOReader) ติดตามเล่มนี้ได้ที่ <a href="opds.xml">opds.xml</a></p>
<details class="checksums">
<summary>ตรวจสอบไฟล์ (SHA-256)</summary>
<table>
{chr(10).join(_checksum(p) for p in files)}
</table>
</details>
</footer>
</main>"""
    body = _words_kept_whole(book, body)
    # The feed's type stays in the first lines, before the embedded fonts: `_ours` looks for it there.
    return f"""<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(book.title)}</title>
<link rel="alternate" type="{FEED_TYPE}" href="opds.xml" title="OPDS">
<style>
{page_fonts(book, shown_characters(body), cache)}
{PAGE_CSS}
</style>
</head>
<body>
{body}
</body>
</html>
"""


def _words_kept_whole(book: Book, body: str) -> str:
    """The body with each Thai word kept on one line, as in the EPUB (`thai.mark_for_reading`): a browser's own
    dictionary would split the book's title and names (เรียน/รู้). A number keeps the word after it on its line
    (18 เมือง), whatever the word: the EPUB's rule keeps only a classifier (`thai.breaking._holds_number`), and
    on a page this short a lone number at a line's end is the more visible fault."""
    root = lxml.html.fragment_fromstring(body)
    for element in root.iter():
        for attribute in ("text", "tail"):
            if getattr(element, attribute):
                setattr(element, attribute, NUMBER_THEN_WORD.sub(NBSP, getattr(element, attribute)))
    mark_for_reading(root, book.break_policy)
    for element in root.iter("{*}span", "{*}wbr"):  # it makes XHTML's; this page is HTML
        element.tag = lxml.etree.QName(element).localname
    lxml.etree.cleanup_namespaces(root)
    return lxml.html.tostring(root, encoding="unicode").replace("<wbr></wbr>", "<wbr>")  # a void element


PAGE_CSS = f"""\
:root {{ --ink: #1f2328; --quiet: #59636e; --accent: #0b5cad; --line: #d8dee4; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ margin: 0; font-family: "{PAGE_FONT}", sans-serif; font-size: 1.0625rem; line-height: 1.6;
  color: var(--ink); background: #fff; }}
main {{ max-width: 40rem; margin: 0 auto; padding: 1rem 1rem 2rem; }}
span.word {{ white-space: nowrap; }}
h1 span.word {{ overflow-wrap: anywhere; }}  /* a word wider than the screen breaks inside */
.book {{ display: flex; gap: 1rem; align-items: flex-start; }}
.cover {{ flex: none; display: block; width: 6.5rem; height: auto; border-radius: 2px; box-shadow: 0 1px 6px #0004; }}
h1 {{ font-size: 1.375rem; line-height: 1.35; margin: 0 0 .25rem; font-weight: 700; }}
.line {{ margin: 0; color: var(--quiet); font-size: 1rem; display: -webkit-box; -webkit-box-orient: vertical;
  -webkit-line-clamp: 3; line-clamp: 3; overflow: hidden; }}
h2 {{ font-size: 1.125rem; margin: 2rem 0 .25rem; font-weight: 700; }}
.files {{ list-style: none; margin: 0; padding: 0; }}
.file {{ margin: 1rem 0 0; }}
.button {{ display: flex; justify-content: space-between; align-items: center; gap: 1rem; min-height: 3rem;
  padding: .5rem 1rem; border: 2px solid var(--accent); border-radius: .5rem; color: var(--accent);
  font-weight: 700; text-decoration: none; }}
.button.primary {{ min-height: 3.5rem; background: var(--accent); color: #fff; font-size: 1.25rem; }}
.button:focus-visible {{ outline: 3px solid #f2b134; outline-offset: 2px; }}
.size {{ font-weight: 400; font-size: 1rem; white-space: nowrap; }}
.what {{ margin: .25rem 0 0; color: var(--quiet); font-size: 1rem; }}
.about p {{ margin: .5rem 0; }}
footer {{ margin-top: 2rem; padding-top: .5rem; border-top: 1px solid var(--line); color: var(--quiet);
  font-size: .9375rem; }}
footer p {{ margin: .5rem 0; }}
summary {{ cursor: pointer; padding: .25rem 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: .8125rem; line-height: 1.4; }}
td {{ padding: .375rem 0; border-top: 1px solid var(--line); vertical-align: top; }}
td:first-child {{ padding-right: .75rem; overflow-wrap: anywhere; }}
code {{ font-family: inherit; overflow-wrap: anywhere; }}
a {{ color: var(--accent); }}
@media (min-width: 40rem) {{
  main {{ padding-top: 2.5rem; }}
  .cover {{ width: 10rem; }}
  h1 {{ font-size: 1.75rem; }}
}}"""


def shown_characters(markup: str) -> str:
    """Every character the page's body may show (its text and the cover's alternative text), with those the
    shaper draws for them: what the page's font must have."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", markup) + " ".join(re.findall(r'alt="([^"]*)"', markup)))
    shown = {c for c in text if not c.isspace()} | {" ", "\u00a0", DOTTED_CIRCLE}
    for character, drawn in SHAPED.items():
        if character in shown:
            shown.update(drawn)
    return "".join(sorted(shown))


def _page_faces(book: Book) -> list[FontFace]:
    """The body family's upright regular face and the upright face nearest to bold, for the page's text and
    its headings and buttons (a family without a bold gets one drawn by the browser)."""
    upright = [f for f in book.fonts.get("body", []) if f.style == "normal" and readable(book, f.path)]
    if not upright:
        return []
    regular = min(upright, key=lambda f: abs(f.weight - 400))
    bold = min(upright, key=lambda f: abs(f.weight - 700))
    return [regular] if bold.weight <= regular.weight else [regular, bold]


def page_fonts(book: Book, characters: str, cache: Cache | None = None) -> str:
    """@font-face rules that carry the page's faces as WOFF2 data: URIs, each cut to `characters` (taken from
    `cache` when it has them)."""
    rules = []
    for face in _page_faces(book):
        data = base64.b64encode(cached_subset_font(face.path, characters, cache, woff2=True)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{PAGE_FONT}"; font-weight: {face.weight}; font-style: normal; '
            f'font-display: block; src: url(data:font/woff2;base64,{data}) format("woff2"); }}'
        )
    return "\n".join(rules)


def feed_identifier(book: Book) -> str:
    """The feed's id: a `urn:uuid:` (RFC 4122, version 5) that stays the same for the same book id, and is
    not the book's own (the entry's id is that)."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"thaibook:{book.config['id']}:opds"))


def _rfc3339(files: list[Path], now: datetime | None) -> str:
    """When the files last changed (the newest of them), else `now`, as RFC 3339 in UTC."""
    times = [p.stat().st_mtime for p in files]
    moment = now or (datetime.fromtimestamp(max(times), UTC) if times else datetime.now(UTC))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def opds_feed(book: Book, files: list[Path], cover: Path | None, now: datetime | None = None) -> str:
    """opds.xml: an OPDS 1.2 acquisition feed with one entry, the book: an open-access acquisition link for its
    EPUB and its screen PDF, the download page as its alternate (Atom: an entry without content must have
    one), the cover as its image."""
    updated = _rfc3339(files, now)
    links = [
        f'    <link rel="{ACQUISITION}/open-access" href={quoteattr(p.name)} type="{MEDIA_TYPES[p.suffix]}" '
        f'length="{p.stat().st_size}"/>'
        for p in files
        if p.suffix == ".epub" or p.name.endswith("-screen.pdf")
    ]
    links.append('    <link rel="alternate" href="index.html" type="text/html"/>')
    if cover:
        links += [
            f'    <link rel="http://opds-spec.org/image" href={quoteattr(cover.name)} type="image/jpeg"/>',
            f'    <link rel="http://opds-spec.org/image/thumbnail" href={quoteattr(cover.name)} type="image/jpeg"/>',
        ]
    # Atom needs an author: the publisher, else the first person the credits name, else the book's own title
    people = book.credits.people if book.credits else []
    author = escape(book.config.get("publisher") or (people[0] if people else book.title))
    issued = f"    <dc:issued>{escape(str(book.config['date']))}</dc:issued>\n" if book.config.get("date") else ""
    publisher = (
        f"    <dc:publisher>{escape(book.config['publisher'])}</dc:publisher>\n" if book.config.get("publisher") else ""
    )
    summary = escape(book.config.get("description") or book.title)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/"
      xmlns:opds="http://opds-spec.org/2010/catalog">
  <id>{feed_identifier(book)}</id>
  <title>{escape(book.title)}</title>
  <updated>{updated}</updated>
  <author><name>{author}</name></author>
  <link rel="self" href="opds.xml" type="{FEED_TYPE}"/>
  <link rel="start" href="opds.xml" type="{FEED_TYPE}"/>
  <entry>
    <id>{escape(book_identifier(book))}</id>
    <title>{escape(book.title)}</title>
    <updated>{updated}</updated>
    <author><name>{author}</name></author>
    <dc:language>{escape(book.config["language"])}</dc:language>
{issued}{publisher}    <summary type="text">{summary}</summary>
{chr(10).join(links)}
  </entry>
</feed>
"""


def listed_files(book: Book, out: Path) -> list[Path]:
    """The book's files that are in `out` now, in the order the download page lists them: those for reading,
    then the printer's unless the book leaves them out. Never `infographics.csv`: it is the designers'. A symlink
    is not the book's file (the build replaces its files, never links them): it is not listed, nor published."""
    endings = READING + (PRINTER if printer_files(book) else ())
    names = [f"{book.config['id']}{ending}" for ending in endings]
    return [out / name for name in names if (out / name).is_file() and not (out / name).is_symlink()]


def write_download_files(
    book: Book, out: Path, files: list[Path] | None = None, cache: Cache | None = None
) -> list[Path]:
    """Write `index.html` and `opds.xml` into `out` for `files` (default: the book's files in `out` now, as
    `listed_files`), then the readers' site (`write_site`); return the page's and the feed's paths in the site.
    Each size and SHA-256 is read from the file on disk; the page's fonts are taken from `cache` when it has
    them (`cached_subset_font`)."""
    files = listed_files(book, out) if files is None else files
    cover = next((p for p in files if p.name.endswith("-cover.jpg")), None)
    page = write_text_atomic(out / "index.html", download_page(book, files, cover, cache))
    feed = write_text_atomic(out / "opds.xml", opds_feed(book, files, cover))
    site = write_site(out / SITE, [*files, page, feed], LISTINGS, published)
    return [site / page.name, site / feed.name]


def published(path: Path) -> bool:
    """Whether `path`, in the readers' site, is what a build publishes (a file of a book, a page or a feed of ours, a
    symlink planted in place of one), not a file or folder of the user's own."""
    if path.is_symlink():
        return path.name in LISTINGS or path.name.endswith(READING + PRINTER)
    if not path.is_file():
        return False
    return _ours(path) if path.name in LISTINGS else path.name.endswith(READING + PRINTER)


@dataclass
class Withdrawal:
    """What `withdrawn_while_writing` did: `listed` once the page and the feed were there when the build began
    to replace the files they list."""

    out: Path
    started: bool = False
    listed: bool = False

    def before(self, target: Path) -> None:
        if self.started or target.parent != self.out or target.name in LISTINGS:
            return
        self.started = True
        for name in LISTINGS:  # the feed too: its lengths would be as stale as the page's checksums
            if _ours(self.out / name):
                self.listed = True
                (self.out / name).unlink()


def _ours(path: Path) -> bool:
    """Whether `path` is a download page or feed this toolkit wrote (a page of the user's own, in a folder
    they build into, is theirs to keep)."""
    try:
        with open(path, "rb") as head:
            return FEED_TYPE.encode() in head.read(1 << 16)
    except OSError:  # not there, or not a file that can be read
        return False


@contextlib.contextmanager
def withdrawn_while_writing(out: Path) -> Iterator[Withdrawal]:
    """While a build writes its files into `out`: the download page and the feed are removed just before the
    first file they may list is replaced, so that a build that stops half way (killed, or failing on one output)
    leaves no page or feed whose sizes and checksums are not those of the files beside it. A build that fails
    before replacing anything leaves them as they were. Write them again last (`write_download_files`)."""
    withdrawal = Withdrawal(out)
    with before_replacing(withdrawal.before):
        yield withdrawal
