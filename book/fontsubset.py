"""Font subsets for the EPUB: each of the book's font files cut down to the characters the EPUB shows.

Thai needs its shaping tables whole (mark positioning, the glyphs that sara am and stacked tone marks turn
into), so every OpenType layout feature is kept and fontTools adds the glyphs they reach. The name table is
kept whole: it carries the fonts' copyright and the SIL Open Font License notice. The same characters and the
same file always give the same bytes (fontTools leaves the `head` timestamp alone unless asked).
"""

from __future__ import annotations

import io
from pathlib import Path

from fontTools import subset

from .cache import Cache

# Always kept, whatever the text: the whole Thai block, because the shaper draws characters the text does not
# spell out (HarfBuzz draws sara am ำ as nikhahit ํ plus sara aa า, so a subset without them shows ำ as a
# box); the dotted circle a shaper puts under a stray mark; printable ASCII, the no-break space, quotes and
# dashes, so what a reader types in a note or a search still finds glyphs in the book's face.
ALWAYS = (
    "".join(chr(c) for c in range(0x0E01, 0x0E5C))
    + "".join(chr(c) for c in range(0x20, 0x7F))
    + "\u00a0\u25cc“”‘’–—…•·×©"
)


def characters(text: str) -> str:
    """What a subset must show for `text`: its characters and `ALWAYS`, each once and in order. Worked out
    once per text, not once per font: a whole book's text takes a few hundredths of a second."""
    return "".join(sorted(set(text).union(ALWAYS)))


def subset_font(path: Path, characters: str) -> bytes:
    """The font at `path` with only the glyphs that `characters` (from `characters()`) need."""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = True
    font = subset.load_font(str(path), options)
    subsetter = _KeepingNames(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    font.close()
    return out.getvalue()


class _KeepingNames(subset.Subsetter):
    """A subsetter that leaves the name table as it is: every record is kept anyway, and finding which ones
    other tables use walks the whole font (two fifths of the time a subset takes)."""

    def _prune_post_subset(self, font: object) -> None:
        names = font["name"] if "name" in font else None
        if names is not None:
            del font["name"]
        super()._prune_post_subset(font)
        if names is not None:
            font["name"] = names


def cached_subset_font(path: Path, characters: str, cache: Cache | None) -> bytes:
    """`subset_font`, from the build cache when the same font was cut to the same characters before (the
    characters of a book rarely change from one build to the next; cutting a font takes a tenth of a second)."""
    if cache is None:
        return subset_font(path, characters)
    from fontTools import version as fonttools_version

    from .cache import digest

    stat = path.stat()
    key = digest(str(path), str(stat.st_size), str(stat.st_mtime_ns), fonttools_version, characters)
    entry = cache.get("fonts", key)
    if entry is not None and "font" in entry[1]:
        return entry[1]["font"]
    font = subset_font(path, characters)
    cache.put("fonts", key, {}, {"font": font})
    return font
