"""Font subsets for the EPUB and the download page: each of the book's font files cut down to the characters
the EPUB (or the page) shows; the page's compressed as WOFF2.

Thai needs its shaping tables whole (mark positioning, the glyphs that sara am and stacked tone marks turn
into), so every OpenType layout feature and script is kept and the subsetter adds the glyphs they reach. The
name table is kept whole: it carries the fonts' copyright and the SIL Open Font License notice.

The subsetter is HarfBuzz's (libharfbuzz-subset, which WeasyPrint loads for its own PDF subsets), called
through WeasyPrint's cffi bindings: it cuts a font in a few milliseconds where fontTools took 60 to 100, and a
build cuts nine. The same characters and the same file always give the same bytes.

For WeasyPrint's own PDF font subsets, `install()` replaces the cffi instance of `weasyprint.pdf.fonts` (the
`ffi` that `Font._harfbuzz_subset` makes its arrays with) by one that parses fewer C types. Written against
WeasyPrint 70.0.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import lru_cache
from pathlib import Path

import brotli
import fontTools
from fontTools.ttLib import TTFont
from weasyprint.pdf import fonts as weasyprint_fonts
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

from ..diagnostics import BookError, diagnostic
from ..scheduler import Cache, digest, toolkit_digest
from .internals import Internal

ffi.cdef(
    "hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);"
    "hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);"
    "void hb_set_clear (hb_set_t *set);"
    "void hb_set_invert (hb_set_t *set);"
    "hb_set_t * hb_subset_input_unicode_set (hb_subset_input_t *input);"
    "const char * hb_version_string (void);",
    override=True,  # a later WeasyPrint may declare some of them too
)

# Always kept, whatever the text: the whole Thai block, because the shaper draws characters the text does not
# spell out (HarfBuzz draws sara am ำ as nikhahit ํ plus sara aa า, so a subset without them shows ำ as a
# box); the dotted circle a shaper puts under a stray mark; printable ASCII, the no-break space, quotes and
# dashes, so what a reader types in a note or a search still finds glyphs in the book's face.
ALWAYS = (
    "".join(chr(c) for c in range(0x0E01, 0x0E5C))
    + "".join(chr(c) for c in range(0x20, 0x7F))
    + "\u00a0\u25cc“”‘’–—…•·×©"
)
# What the subset keeps all of, beyond the glyphs: every layout feature and script, every name record in
# every language.
_KEPT_WHOLE = ("LAYOUT_FEATURE_TAG", "LAYOUT_SCRIPT_TAG", "NAME_ID", "NAME_LANG_ID")


def characters(text: str) -> str:
    """What a subset must show for `text`: its characters and `ALWAYS`, each once and in order. Worked out
    once per text, not once per font: a whole book's text takes a few hundredths of a second."""
    return "".join(sorted(set(text).union(ALWAYS)))


def subset_font(path: Path, characters: str) -> bytes:
    """The font at `path` with only the glyphs that `characters` (from `characters()`) need, its hinting, a
    drawn .notdef and the name table's legacy (Macintosh) records too."""
    if harfbuzz_subset is None:
        raise BookError([diagnostic("libharfbuzz-subset", None, "U005")])
    blob = harfbuzz.hb_blob_create_from_file_or_fail(str(path).encode())
    if blob == ffi.NULL:
        raise OSError(f"cannot read the font {path}")
    blob = ffi.gc(blob, harfbuzz.hb_blob_destroy)
    face = ffi.gc(harfbuzz.hb_face_create(blob, 0), harfbuzz.hb_face_destroy)
    wanted = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    codes = [ord(c) for c in characters]  # sorted, as `characters()` gives them
    harfbuzz.hb_set_add_sorted_array(
        harfbuzz_subset.hb_subset_input_unicode_set(wanted), ffi.new("hb_codepoint_t[]", codes), len(codes)
    )
    for kind in _KEPT_WHOLE:
        kept = harfbuzz_subset.hb_subset_input_set(wanted, getattr(harfbuzz_subset, f"HB_SUBSET_SETS_{kind}"))
        harfbuzz.hb_set_clear(kept)
        harfbuzz.hb_set_invert(kept)
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_NAME_LEGACY | harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(wanted, flags)
    subset = harfbuzz_subset.hb_subset_or_fail(face, wanted)
    if subset == ffi.NULL:
        raise OSError(f"HarfBuzz could not subset the font {path}")
    subset = ffi.gc(subset, harfbuzz.hb_face_destroy)
    data = ffi.gc(harfbuzz.hb_face_reference_blob(subset), harfbuzz.hb_blob_destroy)
    length = ffi.new("unsigned int *")
    start = harfbuzz.hb_blob_get_data(data, length)
    return bytes(ffi.buffer(start, length[0]))


def cached_subset_font(path: Path, characters: str, cache: Cache | None, woff2: bool = False) -> bytes:
    """`subset_font`, compressed as WOFF2 for a web page when `woff2`, from the build cache when the same font
    was cut to the same characters before (the characters of a book rarely change from one build to the
    next). Compressing takes far longer than cutting: about 0.09 s a face."""
    if cache is None:
        return _cut(path, characters, woff2)
    stat = path.stat()
    made_by = [toolkit_digest(), f"harfbuzz {ffi.string(harfbuzz.hb_version_string()).decode()}"]
    if woff2:
        made_by += [f"fontTools {fontTools.version}", f"brotli {brotli.version}"]
    content = _font_digest(path, stat.st_size, stat.st_mtime_ns, stat.st_ino)
    key = digest("woff2" if woff2 else "font", content, *made_by, characters)
    entry = cache.get("fonts", key, _is_woff2 if woff2 else _is_font)
    if entry is not None:
        return entry[1]["font"]
    font = _cut(path, characters, woff2)
    cache.put("fonts", key, {}, {"font": font})
    return font


def _cut(path: Path, characters: str, woff2: bool) -> bytes:
    font = subset_font(path, characters)
    if not woff2:
        return font
    packed = io.BytesIO()
    with TTFont(io.BytesIO(font), recalcTimestamp=False) as opened:  # the same bytes for the same font
        opened.flavor = "woff2"
        opened.save(packed)
    return packed.getvalue()


@lru_cache(maxsize=64)
def _font_digest(path: Path, size: int, mtime: int, inode: int) -> str:
    """The digest of the font file's bytes (a file replaced keeping its size and time is a new key), hashed
    once per process while its size, time and inode stay the same."""
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def _is_font(facts: dict, files: dict[str, bytes]) -> bool:
    """Whether a cache entry holds a cut font: an OpenType or TrueType file."""
    font = files.get("font", b"")
    return facts == {} and list(files) == ["font"] and font[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")


def _is_woff2(facts: dict, files: dict[str, bytes]) -> bool:
    """Whether a cache entry holds a cut font compressed as WOFF2."""
    return facts == {} and list(files) == ["font"] and files["font"][:4] == b"wOF2"


_SIZED_ARRAY = re.compile(r"(.+)\[(\d+)\]")
INTERNALS = (Internal("weasyprint.pdf.fonts.Font._harfbuzz_subset", "(self, to_unicode, hinting)"),)


class _UnsizedArrays:
    """WeasyPrint's cffi instance, but an array made from n values (`T[n]` and n values) is asked for as `T[]`,
    which makes the same array. cffi parses every new C type string with pycparser (2.5 ms), and WeasyPrint's
    PDF font subsets name the glyph count in it: a new string for nearly every font of every part, about 0.2
    CPU s in each process of a cold build."""

    def __init__(self, ffi: object) -> None:
        self._ffi = ffi

    def new(self, cdecl: object, init: object = None) -> object:
        if isinstance(cdecl, str) and hasattr(init, "__len__"):
            sized = _SIZED_ARRAY.fullmatch(cdecl)
            if sized and int(sized[2]) == len(init):
                cdecl = f"{sized[1]}[]"
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str) -> object:
        return getattr(self._ffi, name)


def install() -> None:
    """Route WeasyPrint's own PDF font subsets through `_UnsizedArrays` from now on (idempotent)."""
    if not isinstance(weasyprint_fonts.ffi, _UnsizedArrays):
        weasyprint_fonts.ffi = _UnsizedArrays(weasyprint_fonts.ffi)
