"""Which characters the book's fonts can draw: every face of the families `book.yaml` sets the book in (body
and heading), read from the fonts' own character maps.

A character none of them has is drawn as WeasyPrint's `.notdef` box (tofu); the Thai lint names each one
where it is typed (TH011), before a build prints it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from .model import FontFace


def drawable(fonts: dict[str, list[FontFace]]) -> frozenset[int] | None:
    """The code points some face of `fonts` (by role, as `Book.fonts`) has a glyph for; None when there is
    no face to ask (the fonts could not be found: that is reported on its own)."""
    paths = sorted({face.path for faces in fonts.values() for face in faces})
    if not paths:
        return None
    covered: set[int] = set()
    for path in paths:
        covered |= _cmap(path)
    return frozenset(covered)


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[int]:
    """The code points of one font file (the first font of a collection); none for a file fontTools cannot
    read, whose problem the build names."""
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset((font.getBestCmap() or {}).keys())
    except (OSError, TTLibError, AssertionError, KeyError, ValueError):
        return frozenset()
