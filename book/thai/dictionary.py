"""PyThaiNLP's word list, the one its newmm segmenter reads, in the shape newmm reads it (`WordPrefixes`), kept
in the cache folder beside the Wikipedia titles' index (`book/thai/names.py`).

Made from PyThaiNLP's corpus, the 62,000 words took about 0.2 s of every build, before the worker processes
could share them, and as long again in a one-word rebuild, which segments one paragraph. The file is made once
per PyThaiNLP version and read in about 25 ms: the words in order, then the beginnings of words up to `SHORT`
letters, one per line, under a SHA-256 digest of them all (`names.sealed`): a file that does not match it is
made again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from .names import cache_folder, kept, sealed, unsealed

SHORT = 4  # beginnings of words up to this long are kept in a set; longer ones are looked up in order
MAGIC = b"thaibook newmm words 2\n"


class WordPrefixes:
    """PyThaiNLP's word list in the shape newmm reads it (`prefixes`), built in a tenth of a second where
    PyThaiNLP's own trie of its 62,000 words takes about one: a set of the words and the words in order,
    where a piece of text begins some word if the first word not before it does. newmm finds the same words
    in the same order (tests/test_breaking.py)."""

    def __init__(self, ordered: list[str], short: frozenset[str]) -> None:
        self.ordered = ordered
        self.words = frozenset(ordered)
        self.short = short

    @classmethod
    def of(cls, words: Iterable[str]) -> WordPrefixes:
        ordered = sorted({w.strip() for w in words if w.strip()})
        return cls(ordered, frozenset(w[:i] for w in ordered for i in range(1, min(len(w), SHORT + 1))))

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        """Every word of the list that `text` has at `start`, shortest first."""
        found = []
        ordered, count = self.ordered, len(self.ordered)
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            if piece in self.words:
                found.append(piece)
            if end - start <= SHORT:
                if piece not in self.short:
                    break
                continue
            at = bisect_left(ordered, piece)
            if at == count or not ordered[at].startswith(piece):
                break
        return found

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)

    def to_bytes(self) -> bytes:
        body = "\n".join([*self.ordered, *sorted(self.short)]).encode()
        return sealed(MAGIC, f"{len(self.ordered)} {len(self.short)}\n".encode() + body)

    @classmethod
    def from_bytes(cls, data: bytes) -> WordPrefixes | None:
        """The list in `data`, or None if `data` is not a whole list, as its digest says."""
        content = unsealed(MAGIC, data)
        if content is None:
            return None
        head, _, body = bytes(content).partition(b"\n")
        try:
            words, short = (int(n) for n in head.split())
            lines = body.decode().split("\n")
        except ValueError:  # not the counts, or not UTF-8
            return None
        if len(lines) != words + short or not all(lines):
            return None
        return cls(lines[:words], frozenset(lines[words:]))


def word_list_path() -> Path:
    return cache_folder() / f"newmm-words-pythainlp-{version('pythainlp')}.txt"


@lru_cache(maxsize=1)
def word_prefixes() -> WordPrefixes:
    """PyThaiNLP's word list: read from the cache folder, or made from PyThaiNLP's corpus (and kept there)."""
    return kept(word_list_path, WordPrefixes.from_bytes, _made, WordPrefixes.to_bytes)


def _made() -> WordPrefixes:
    from pythainlp.corpus import thai_words

    return WordPrefixes.of(thai_words())
