"""Grapheme clusters as Thai shaping needs them: a base letter with the marks drawn on it, which a line never
splits and justification never pulls apart."""

from __future__ import annotations

import re
import unicodedata

SARA_AM = "\u0e33"  # ำ: a spacing vowel, but drawn with the nikhahit over the letter before it
THAI_RUN = re.compile(r"[\u0E01-\u0E5B]+")  # the runs whose clusters a justified line spaces apart


def clusters(text: str) -> list[str]:
    """Grapheme clusters as Thai needs them: a base letter with its marks (and ำ)."""
    out: list[str] = []
    for char in text:
        if out and (unicodedata.category(char) == "Mn" or char == SARA_AM):
            out[-1] += char
        else:
            out.append(char)
    return out


def cluster_starts(text: str) -> set[int]:
    """The offsets in `text` where a cluster begins, and its end."""
    starts, offset = set(), 0
    for cluster in clusters(text):
        starts.add(offset)
        offset += len(cluster)
    return starts | {len(text)}
