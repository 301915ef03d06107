"""A true text layer for Thai in WeasyPrint's PDFs.

WeasyPrint maps each glyph to text once per font (a ToUnicode CMap), but HarfBuzz draws Thai with glyphs that
do not map one to one onto characters: ำ is two glyphs (nikhahit and sara aa), and above-marks are reordered
(ทั่ว is drawn ท ่ ั ว). So copying, searching and screen readers got ดาเนินการ for ดำเนินการ, นำ for น้ำ and
ท่ัว for ทั่ว, though the page looked right.

The fix: every drawn line of text that holds Thai is wrapped in a marked-content span whose /ActualText is the
line's source text (PDF 32000-1, 14.9.4), which PDF readers, pdftotext and assistive technology use instead of
the glyph mapping. Replaces `weasyprint.draw.text.draw_first_line`, written against WeasyPrint 70.0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pydyf
from weasyprint.draw import text as weasyprint_text

from .internals import Internal

NEEDS_ACTUAL_TEXT = re.compile(r"[\u0E00-\u0E7F]")
_original = weasyprint_text.draw_first_line
INTERNALS = (
    Internal(
        "weasyprint.draw.text.draw_first_line", "(stream, textbox, text_overflow, block_ellipsis, matrix)", _original
    ),
)


def _draw_first_line(stream, textbox, *args, **kwargs):  # noqa: ANN001, ANN202 - WeasyPrint's own signature
    line = textbox.text
    if not NEEDS_ACTUAL_TEXT.search(line):
        return _original(stream, textbox, *args, **kwargs)
    # Only the first line of the box is drawn; its text is what the layout kept in the box, less the break
    # marks the toolkit added (book/thai/breaking.py): U+200B goes, a no-break space is a space again.
    actual = line.replace("\u200b", "").replace("\u00a0", " ")
    stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(actual)}))
    try:
        return _original(stream, textbox, *args, **kwargs)
    finally:
        stream.end_marked_content()


def install() -> None:
    """Make every PDF WeasyPrint writes from now on carry the true text (idempotent)."""
    weasyprint_text.draw_first_line = _draw_first_line


def uninstall() -> None:
    weasyprint_text.draw_first_line = _original


@contextmanager
def without_fix() -> Iterator[None]:
    """WeasyPrint's own text layer, for tests that show what the fix is for."""
    installed = weasyprint_text.draw_first_line is _draw_first_line
    uninstall()
    try:
        yield
    finally:
        if installed:
            install()
