"""Bounded input: how much of each kind of project file is read, and how it is read.

A project comes from many hands, and any of its files may be something other than it claims: a FIFO that
never ends (reading it would hang the build), `/dev/zero` linked in as a chapter (reading it would fill the
memory), a file of many megabytes, bytes that are not UTF-8, control characters an editor never shows. Every
project file the toolkit reads as text goes through `read_bounded` and `text_problem`: only a regular file is
read, its size is checked before a byte is read, and never more than its limit is read even when it grows
meanwhile. The limits are listed for producers in docs/producer.md.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..diagnostics import Problems

MB = 2**20
LIMITS = {
    "chapter": 2 * MB,  # a chapter is a few hundred KB at most; a larger file is a mistake or an attack
    "book.yaml": 1 * MB,
    "fonts.yaml": 1 * MB,
    "words": 8 * MB,  # a word list of 100,000 Thai names is about 3 MB
    "asset": 1 * MB,  # a project's stylesheet or template; the toolkit's own are a few KB
    "image": 32 * MB,  # a full-page picture at 300 dpi is a few MB; PNGs of 40 MP compress far below this
}

# C0 controls but tab and line ends, DEL, and the C1 controls: never meant in a book's text, often the trace
# of a bad copy and paste or of a file in another encoding read as Latin-1. Windows' quotes and dashes read
# that way (U+0091-U+0094, U+0096, U+0097) are let through: their meaning is plain, and the Thai lint names
# each one where it is and `check --fix` types what it stood for (TH011). U+0085 is not: YAML and Python
# take it for a line end.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x90\x95\x98-\x9f]")


class Unread(Exception):
    """Why a file was not read: a catalogue key and its values."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


FILE_TYPES = (  # what a path that is not a regular file is, as the variant of B101 (B113 for an image)
    (stat.S_ISFIFO, ""),
    (stat.S_ISCHR, ".device"),
    (stat.S_ISBLK, ".device"),
    (stat.S_ISSOCK, ".socket"),
    (stat.S_ISDIR, ".folder"),
)


def file_type(mode: int) -> str:
    """The catalogue variant naming what a file of `mode` is: "" for a FIFO, ".device", ".folder"..."""
    return next((variant for test, variant in FILE_TYPES if test(mode)), ".other")


def read_bounded(path: Path, kind: str) -> bytes:
    """The bytes of `path`, a regular file of at most `LIMITS[kind]` bytes; raises `Unread` or OSError.

    Opened without blocking, so a FIFO with no writer does not hang the open; its type and size are then
    asked of the open file itself, so a file swapped for another in between is not read either."""
    limit = LIMITS[kind]
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Unread("B101" + file_type(info.st_mode))
        if info.st_size > limit:
            raise Unread("C008", size=info.st_size / MB, limit=f"{limit / MB:g}")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)  # a file that grew since fstat is still read only up to its limit
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise Unread("C008", size=len(data) / MB, limit=f"{limit / MB:g}")
    return data


def decode(data: bytes) -> str:
    """`data` as UTF-8 text, or `Unread` naming the first bad byte or control character with its line and
    column (in characters of that line)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        start = error.start
        line = data[:start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        col = len(data[line_start:start].decode("utf-8", "replace")) + 1
        if data[start] == 0xED and start + 1 < len(data) and 0xA0 <= data[start + 1] <= 0xBF:
            # the UTF-8 form of a UTF-16 half (U+D800-U+DFFF), as a broken converter writes a lone surrogate
            raise Unread("B106", line=line, col=col) from None
        raise Unread("C003", line=line, col=col, byte=data[start]) from None
    found = CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise Unread("B105", line=line, col=col, char=f"U+{ord(found[0]):04X}")
    return text


def read_text(path: Path, problems: Problems, kind: str = "chapter") -> str | None:
    """A file's text as UTF-8, with a BOM dropped and CRLF line ends made LF; None if it cannot be read.

    Only a regular file of at most the `kind`'s limit is read (`limits.read_bounded`), and text with bytes
    that are not UTF-8 or with control characters is refused with the line and column of the first."""
    try:
        text = decode(read_bounded(path, kind))
    except FileNotFoundError:
        problems.add(path, None, "C002")
        return None
    except OSError as error:
        problems.add(path, None, "C002.unreadable", reason=error.strerror)
        return None
    except Unread as unread:
        values = dict(unread.values)
        line, col = values.pop("line", None), values.pop("col", None)
        problems.add(path, line, unread.key, col=col, **values)
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def quick_text(path: Path, kind: str) -> str | None:
    """A project file's text read as `read_text` reads it, or None when it cannot be: for the commands that
    only glance at a file (`new`), leaving the diagnostics to `check`."""
    try:
        return decode(read_bounded(path, kind)).removeprefix("\ufeff").replace("\r\n", "\n")
    except (OSError, Unread):
        return None


def lint_text_of(path: Path) -> str | None:
    """A chapter's text as the Thai lint reads it: bounded and UTF-8 as `read_text` reads it, but with its
    control characters kept, so that the lint names every one where it is (and `check --fix` mends those
    whose meaning is plain); None when it cannot be read at all, which reading the book names."""
    try:
        text = read_bounded(path, "chapter").decode("utf-8")
    except (OSError, Unread, UnicodeDecodeError):
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
