"""Where Pango lets a line break in a text, which for Thai is where libthai's dictionary ends a word: the break
policy keeps only the boundaries its own segmenter agrees on (`book/thai/breaking.py`).

Calls `weasyprint.text.line_break.get_log_attrs` (WeasyPrint 70.0), imported when first asked: checking a book
needs no WeasyPrint and does not load it.
"""

from __future__ import annotations

from functools import lru_cache

from .internals import Internal

INTERNALS = (Internal("weasyprint.text.line_break.get_log_attrs", "(text, lang)"),)


@lru_cache(maxsize=1)
def _get_log_attrs():  # noqa: ANN202 - WeasyPrint's function
    from weasyprint.text.line_break import get_log_attrs

    return get_log_attrs


def pango_line_breaks(text: str, lang: str = "th") -> frozenset[int]:
    """The offsets in `text` (0 to its length) before which Pango allows a line break, in language `lang`."""
    log_attrs = _get_log_attrs()(text, lang)
    return frozenset(offset for offset in range(len(text) + 1) if log_attrs[offset].is_line_break)
