"""Writing the EPUB container with EbookLib, fixed where EbookLib 0.20 falls short.

- The package document gets `xml:lang` (EbookLib writes none; Ace reports the OPF's language missing).
- The zip is written again so that the same book gives the same bytes: EbookLib stamps every entry with the
  current time. Entries keep EbookLib's order (mimetype first and stored, as OCF requires), each gets the
  build's fixed time, the same permissions and the same compression.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from ebooklib import epub

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry


def build_time(day: date | None, sources: list[Path] | tuple[Path, ...] = ()) -> datetime:
    """The build's fixed time (the EPUB's dcterms:modified and its zip entries' times): `SOURCE_DATE_EPOCH`
    when set (reproducible-builds.org), else the book's date, else, for a book without one, the time the
    newest of its `sources` (its chapters) was last changed, to the second."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return max(datetime.fromtimestamp(int(epoch), tz=UTC), ZIP_EPOCH)
    if day is None:
        newest = max((int(path.stat().st_mtime) for path in sources if path.is_file()), default=0)
        return max(datetime.fromtimestamp(newest, tz=UTC), ZIP_EPOCH)
    return max(datetime(day.year, day.month, day.day, tzinfo=UTC), ZIP_EPOCH)


class _Writer(epub.EpubWriter):
    def __init__(self, name: str | BinaryIO, book: epub.EpubBook, options: dict, language: str) -> None:
        super().__init__(name, book, options)
        self.language = language

    def _write_opf_file(self, root) -> None:  # noqa: ANN001 - EbookLib's signature
        root.set(XML_LANG, self.language)
        super()._write_opf_file(root)


def write_package(target: Path | BinaryIO, book: epub.EpubBook, options: dict, language: str, when: datetime) -> None:
    """Write `book` as an EPUB to `target` (a path or a file), every zip entry dated `when`. EbookLib's zip is
    made in memory and not compressed (level 0), since `rezip` reads it back and compresses each entry once,
    for good."""
    made = io.BytesIO()
    writer = _Writer(made, book, dict(options, mtime=when, compresslevel=0), language)
    writer.process()
    writer.write()
    rezip(made, target, when)


def rezip(source: Path | BinaryIO, target: Path | BinaryIO, when: datetime) -> None:
    """Write the zip `source` again at `target`, with fixed entry times and attributes, keeping the entries'
    order."""
    stamp = when.astimezone(UTC).timetuple()[:6]
    with zipfile.ZipFile(source) as made:
        entries = [(info.filename, made.read(info)) for info in made.infolist()]
    with zipfile.ZipFile(target, "w") as out:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, whatever machine builds
            info.external_attr = 0o100644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                out.writestr(info, data)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data, compresslevel=9)
