"""For readers: a download page (`index.html`) and an OPDS 1.2 acquisition feed (`opds.xml`) beside a full
build's outputs, with relative links, so that a website can host the output folder as it is and reading apps
(Thorium, KOReader) can subscribe to the feed."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..epub import book_identifier
from ..project import Book
from ..scheduler import before_replacing, sha256, write_text_atomic

LISTINGS = ("index.html", "opds.xml")  # the files that list the others, with their sizes and checksums
LISTED = ("-print.pdf", "-screen.pdf", "-cover.pdf", "-cover.jpg", ".epub")  # after the book's id, in this order
MANIFEST = "infographics.csv"

ACQUISITION = "http://opds-spec.org/acquisition"
FEED_TYPE = "application/atom+xml;profile=opds-catalog;kind=acquisition"
MEDIA_TYPES = {".epub": "application/epub+zip", ".pdf": "application/pdf", ".jpg": "image/jpeg", ".csv": "text/csv"}
WHAT = {
    ".epub": "EPUB สำหรับอ่านบนอุปกรณ์อ่านหนังสือและแอป",
    "-screen.pdf": "PDF สำหรับอ่านบนจอ",
    "-print.pdf": "PDF สำหรับโรงพิมพ์ (มีระยะตัดตกและเครื่องหมายตัด)",
    "-cover.pdf": "ปกสำหรับโรงพิมพ์ (ปกหลัง สัน ปกหน้า)",
    "-cover.jpg": "ภาพปกหน้า",
    ".csv": "รายการอินโฟกราฟิก",
}


def _what(path: Path) -> str:
    return next((text for ending, text in WHAT.items() if path.name.endswith(ending)), "")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def download_page(book: Book, files: list[Path], cover: Path | None) -> str:
    """index.html: the cover, the title and Thai description, and each file with its size and SHA-256."""
    title = html.escape(book.title)
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(p.name)}">{html.escape(p.name)}</a><br><small>{_what(p)}</small></td>'
        f"<td>{_size(p.stat().st_size)}</td><td><code>{sha256(p)}</code></td></tr>"
        for p in files
    )
    image = f'<img src="{html.escape(cover.name)}" alt="ปกหนังสือ {title}">' if cover else ""
    subtitle = f"<p class=subtitle>{html.escape(book.config.get('subtitle') or '')}</p>"
    return f"""<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="alternate" type="{FEED_TYPE}" href="opds.xml" title="OPDS">
<style>
body {{ font-family: Sarabun, "Noto Sans Thai", sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
  line-height: 1.7; color: #222; }}
img {{ max-width: 14rem; box-shadow: 0 2px 8px #0003; float: right; margin: 0 0 1rem 1.5rem; }}
table {{ border-collapse: collapse; width: 100%; clear: both; }}
td, th {{ border-top: 1px solid #ddd; padding: .4rem; text-align: left; vertical-align: top; }}
code {{ font-size: .7rem; word-break: break-all; }}
</style>
</head>
<body>
{image}
<h1>{title}</h1>
{subtitle}
<p>{html.escape(book.config.get("description") or "")}</p>
{f"<p>{html.escape(book.config['publisher'])}</p>" if book.config.get("publisher") else ""}
<table>
<tr><th>ไฟล์</th><th>ขนาด</th><th>SHA-256</th></tr>
{rows}
</table>
<p><a href="opds.xml">OPDS</a></p>
</body>
</html>
"""


def opds_feed(book: Book, files: list[Path], cover: Path | None, now: datetime | None = None) -> str:
    """opds.xml: an OPDS 1.2 acquisition feed with one entry, the book, and an open-access acquisition link
    for its EPUB and its screen PDF."""
    updated = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    identifier = book_identifier(book)
    links = [
        f'    <link rel="{ACQUISITION}/open-access" href={quoteattr(p.name)} type="{MEDIA_TYPES[p.suffix]}" '
        f'length="{p.stat().st_size}"/>'
        for p in files
        if p.suffix == ".epub" or p.name.endswith("-screen.pdf")
    ]
    if cover:
        links += [
            f'    <link rel="http://opds-spec.org/image" href={quoteattr(cover.name)} type="image/jpeg"/>',
            f'    <link rel="http://opds-spec.org/image/thumbnail" href={quoteattr(cover.name)} type="image/jpeg"/>',
        ]
    # Atom needs an author: the publisher, else the first person the credits name, else the book's own title
    people = book.credits.people if book.credits else []
    author = escape(book.config.get("publisher") or (people[0] if people else book.title))
    issued = f"    <dc:issued>{escape(book.config['date'])}</dc:issued>\n" if book.config.get("date") else ""
    publisher = (
        f"    <dc:publisher>{escape(book.config['publisher'])}</dc:publisher>\n" if book.config.get("publisher") else ""
    )
    summary = escape(book.config.get("description") or book.title)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/terms/"
      xmlns:opds="http://opds-spec.org/2010/catalog">
  <id>{escape(identifier)}:opds</id>
  <title>{escape(book.title)}</title>
  <updated>{updated}</updated>
  <author><name>{author}</name></author>
  <link rel="self" href="opds.xml" type="{FEED_TYPE}"/>
  <link rel="start" href="opds.xml" type="{FEED_TYPE}"/>
  <entry>
    <id>{escape(identifier)}</id>
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
    """The book's files that are in `out` now, in the order the download page lists them."""
    names = [f"{book.config['id']}{ending}" for ending in LISTED] + [MANIFEST]
    return [out / name for name in names if (out / name).is_file()]


def write_download_files(book: Book, out: Path, files: list[Path] | None = None) -> list[Path]:
    """Write `index.html` and `opds.xml` into `out` for `files` (default: the book's files in `out` now, as
    `listed_files`); return their paths. Each size and SHA-256 is read from the file on disk."""
    files = listed_files(book, out) if files is None else files
    cover = next((p for p in files if p.name.endswith("-cover.jpg")), None)
    page = write_text_atomic(out / "index.html", download_page(book, files, cover))
    feed = write_text_atomic(out / "opds.xml", opds_feed(book, files, cover))
    return [page, feed]


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
