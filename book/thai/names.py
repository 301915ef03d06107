"""The titles of Thai Wikipedia as PyThaiNLP ships them (places, people, brands, organisations: หัวหิน,
แม่สอด): names that Thai lines never break inside (`book/thai/breaking.py`), as an index read in milliseconds.

Read from PyThaiNLP's text file, the 290,000 titles took a quarter of a second and 21 MB in every build
(as a set of their hashes), before any work could be shared with the worker processes. The index is made
from that file once per PyThaiNLP version, in the user's cache folder (`$XDG_CACHE_HOME/thaibook`, by
default `~/.cache/thaibook`), and holds:

- a bitmap of 2^24 bits, set at each title's CRC-32: most texts that are not titles stop there, at the
  price of one CRC;
- the titles' 64-bit BLAKE2b digests in order, where a text that passed the bitmap is looked up.

4.3 MB in all, under a SHA-256 digest of it all. Two texts sharing a 64-bit digest are not a concern. A file
that is missing, damaged (its digest does not match, its digests are not in order), not a regular file, or of
another version is made again; where the cache folder cannot be written, the index is made in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from ..scheduler import read_kept, write_kept

THAI_WORD = re.compile(r"[\u0E01-\u0E4E]{3,}")  # titles of Thai letters only, three or more
BITS = 24
MASK = (1 << BITS) - 1
MAGIC = b"thaibook names 2\n"  # then the SHA-256 digest of the rest (`sealed`)
T = TypeVar("T")


def _digest(raw: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little")


class Names:
    """Whether a text is one of the titles (`text in names`)."""

    def __init__(self, bits: bytes, digests: array) -> None:
        self.bits = bits
        self.digests = digests

    @classmethod
    def of(cls, titles: list[str]) -> Names:
        bits = bytearray(1 << (BITS - 3))
        digests = set()
        for title in titles:
            raw = title.encode()
            at = zlib.crc32(raw) & MASK
            bits[at >> 3] |= 1 << (at & 7)
            digests.add(_digest(raw))
        return cls(bytes(bits), array("Q", sorted(digests)))

    def __contains__(self, text: str) -> bool:
        raw = text.encode()
        at = zlib.crc32(raw) & MASK
        if not self.bits[at >> 3] & (1 << (at & 7)):
            return False
        digest = _digest(raw)
        index = bisect_left(self.digests, digest)
        return index < len(self.digests) and self.digests[index] == digest

    def __len__(self) -> int:
        return len(self.digests)

    def to_bytes(self) -> bytes:
        return sealed(MAGIC, self.bits + self.digests.tobytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> Names | None:
        """The index in `data`, or None if `data` is not a whole index, as its digest says."""
        body = unsealed(MAGIC, data)
        size = 1 << (BITS - 3)
        if body is None or len(body) < size or (len(body) - size) % 8:
            return None
        digests = array("Q")
        digests.frombytes(body[size:])
        if digests and (digests[0] > digests[len(digests) // 2] or digests[len(digests) // 2] > digests[-1]):
            return None  # not in order: not an index this toolkit made
        return cls(bytes(body[:size]), digests)


def sealed(magic: bytes, body: bytes) -> bytes:
    """`body` after `magic` and its SHA-256 digest: a kept file that says whether it is whole (`unsealed`)."""
    return magic + hashlib.sha256(magic + body).digest() + body


def unsealed(magic: bytes, data: bytes) -> memoryview | None:
    """The body of a file `sealed` with `magic`, or None if it is not one, or not as its digest says."""
    if not data.startswith(magic) or len(data) < len(magic) + 32:
        return None
    body = memoryview(data)[len(magic) + 32 :]
    check = hashlib.sha256(magic)
    check.update(body)
    return body if hmac.compare_digest(data[len(magic) : len(magic) + 32], check.digest()) else None


def titles() -> list[str]:
    """PyThaiNLP's Wikipedia titles made of Thai letters only."""
    source = files("pythainlp.corpus").joinpath("wikipedia_titles_th.txt")
    with source.open(encoding="utf-8-sig") as lines:
        return [title for title in (line.strip() for line in lines) if THAI_WORD.fullmatch(title)]


def cache_folder() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "thaibook"


def index_path() -> Path:
    return cache_folder() / f"wikipedia-titles-pythainlp-{version('pythainlp')}-{sys.byteorder}.index"


@lru_cache(maxsize=1)
def names() -> Names:
    """The titles' index: read from the cache folder, or made (and kept there when it can be)."""
    return kept(index_path, Names.from_bytes, lambda: Names.of(titles()), Names.to_bytes)


def kept(
    path: Callable[[], Path], read: Callable[[bytes], T | None], make: Callable[[], T], dump: Callable[[T], bytes]
) -> T:
    """What `read` finds in the file at `path()` in the cache folder, or else `make()`, kept in that file for
    the next build. A file that is missing, or that `read` finds damaged (None), is made again; without a home
    folder, or where the folder cannot be written, what is made serves this build from memory. Only a regular
    file is read, in a folder that is not a symlink (`read_kept`): a planted symlink or FIFO is made again too.
    """
    try:
        where = path()
    except RuntimeError:  # no home folder to keep it in: made for this build
        return make()
    data = read_kept(where.parent, where.name)
    found = read(data) if data is not None else None
    if found is not None:
        return found
    made = make()
    write_kept(where.parent, where.name, dump(made))  # not kept on a read-only home or a full disk
    return made
