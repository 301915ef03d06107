"""Pango layout hooks for Thai in WeasyPrint: breaks only where the toolkit put them.

Pango asks libthai where Thai words end, and libthai splits names, compounds and transliterations. The
toolkit decides instead (`book/thai/breaking.py`) and marks each opportunity with U+200B; here every Thai run of a
layout gets Pango's "allow breaks: no" attribute, so Thai breaks only at those marks (and at spaces). The lines
of a justified Thai text end where the paragraph's plan put them (`book/engine/paragraphs.py`); elsewhere a line that
would end inside a Thai phrase ends at its last phrase space when that costs little. Replaces
`weasyprint.text.line_break.Layout.set_text` and `weasyprint.layout.inline.split_first_line`, written against
WeasyPrint 70.0 and Pango 1.50 (`INTERNALS` lists what it replaces and calls).
"""

from __future__ import annotations

import re

from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from . import paragraphs
from .internals import Internal

ffi.cdef(
    "PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);"
    "PangoAttrList * pango_attr_list_copy (PangoAttrList *list);",
    override=True,  # a later WeasyPrint may declare them too
)

# Where Pango must not break: any stretch without a space or U+200B that holds Thai (breaks there come only
# from the toolkit's U+200B; a no-break space or a quote mark does not end the stretch) and, as a Thai reader
# expects, addresses and hyphenated or dotted Latin words, which Pango would split after / - or .
UNBREAKABLE = re.compile(
    r"[^ \t\n\u200b]*[\u0E01-\u0E5B][^ \t\n\u200b]*"
    r"|(?:https?://|www\.)[^\s\u200b]+|[\w.+-]+@[\w-]+\.[\w.]+|[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)+"
)
THAI = re.compile(r"[\u0E01-\u0E5B]")
ZWSP = "\u200b"
# A line that would end inside a Thai phrase ends at its last phrase space instead when that costs at most
# this much of the line (in em): a space is always a true word boundary, and justification absorbs the rest.
PHRASE_SPACE_SLACK = 3.0
_original_set_text = line_break.Layout.set_text
_original_split_first_line = inline.split_first_line
INTERNALS = (
    Internal("weasyprint.text.line_break.Layout.set_text", "(self, text, justify=False)", _original_set_text),
    Internal(
        "weasyprint.layout.inline.split_first_line",
        "(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False)",
        _original_split_first_line,
    ),
    Internal("weasyprint.text.line_break.create_layout", "(text, style, context, max_width, justification_spacing)"),
)


def _byte_ranges(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str]]:
    ranges, position, last = [], 0, 0
    for match in pattern.finditer(text):
        position += len(text[last : match.start()].encode())
        length = len(match.group().encode())
        ranges.append((position, position + length, match.group()))
        position += length
        last = match.end()
    return ranges


_ranges: dict[tuple[str, re.Pattern[str]], list[tuple[int, int, str]]] = {}


def _cached_ranges(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """`_byte_ranges`, remembered: WeasyPrint sets the same text again for every line it tries."""
    key = (text, pattern)
    found = _ranges.get(key)
    if found is None:
        if len(_ranges) > 300:  # a paragraph's texts are asked for again while it is laid out, not later
            _ranges.clear()
        found = _ranges[key] = _byte_ranges(text, pattern)
    return found


def _set_text(self, text: str, justify: bool = False) -> None:  # noqa: ANN001 - WeasyPrint's Layout
    _original_set_text(self, text, justify)
    unbreakable = _cached_ranges(self.text, UNBREAKABLE)
    if not unbreakable:  # no Thai, no address: nothing to hold together
        return
    # A list of our own, freed with the layout: WeasyPrint never frees the list it gives a layout whose style
    # has font features (kerning), and ours would be lost with it, about 15 MB a book. The breaks are merged
    # into it ("change"), as WeasyPrint sets a shorter or longer piece of the same text on a layout again.
    current = pango.pango_layout_get_attributes(self.layout)
    copied = pango.pango_attr_list_copy(current) if current != ffi.NULL else pango.pango_attr_list_new()
    attributes = ffi.gc(copied, pango.pango_attr_list_unref)
    for start, end, _ in unbreakable:
        attribute = pango.pango_attr_allow_breaks_new(False)
        attribute.start_index, attribute.end_index = start, end
        pango.pango_attr_list_change(attributes, attribute)
    pango.pango_layout_set_attributes(self.layout, attributes)


def _split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):  # noqa: ANN001, ANN202, E501 - WeasyPrint's signature
    if paragraphs.wanted(text, style, max_width, is_line_start, minimum):
        steered = paragraphs.steer(
            _original_split_first_line, text, style, context, max_width, justification_spacing, is_line_start
        )
        if steered is not None:
            return steered
    result = _original_split_first_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    resume_index = result[2]
    if minimum or resume_index is None or max_width is None:
        return result
    line = text.encode()[:resume_index].decode(errors="ignore")
    space = line.rstrip(ZWSP).rfind(" ")
    if not line.endswith(ZWSP) or space <= 0:
        return result
    prefix = line_break.create_layout(line[:space], style, context, None, justification_spacing)
    width, _ = line_break.line_size(prefix.get_first_line()[0], style)
    prefix.deactivate()
    if width < max_width - PHRASE_SPACE_SLACK * style["font_size"]:
        return result
    return _original_split_first_line(text, style, context, width + 0.01, justification_spacing, is_line_start, minimum)


def install() -> None:
    """Route every WeasyPrint layout from now on through the Thai hooks (idempotent)."""
    line_break.Layout.set_text = _set_text
    inline.split_first_line = _split_first_line


def uninstall() -> None:
    line_break.Layout.set_text = _original_set_text
    inline.split_first_line = _original_split_first_line
