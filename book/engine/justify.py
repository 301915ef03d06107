"""Thai justification for WeasyPrint: stretch the phrase spaces up to a limit, then spread the rest between
grapheme clusters (never between a mark and its base); a line that would need more stays ragged.

WeasyPrint alone widens only spaces, which leaves huge gaps in Thai lines that have one phrase space or
none. A line a little wider than the measure (set so by the paragraph's breaking, `book/engine/paragraphs.py`)
has its phrase spaces narrowed instead. This replaces `weasyprint.layout.inline.justify_line` and
`weasyprint.layout.inline.text_align`, written against WeasyPrint 70.0 (`INTERNALS` lists what it replaces and
calls); the letter spacing itself is applied by the layout hook in `book/engine/pango.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text.line_break import Layout, line_size

from .graphemes import cluster_gaps
from .internals import Internal


@dataclass
class Limits:
    """How far a justified line may stretch, in em of the paragraph's font size."""

    space: float = 0.35  # added to each phrase space: under 0.6 em between phrases with the body face's 0.243 em space
    cluster: float = 0.12  # added between two Thai grapheme clusters
    latin_space: float = 0.34  # added to each space of a line with no Thai
    shrink: float = 0.07  # taken from each phrase space of a line a little wider than the measure


LIMITS = Limits()
_original_justify_line = inline.justify_line
_original_text_align = inline.text_align
INTERNALS = (
    Internal("weasyprint.layout.inline.justify_line", "(context, line, extra_width)", _original_justify_line),
    Internal("weasyprint.layout.inline.text_align", "(context, line, available_width, last)", _original_text_align),
    Internal("weasyprint.layout.inline.count_expandable_spaces", "(box)"),
    Internal("weasyprint.layout.inline.add_word_spacing", "(context, box, justification_spacing, x_advance)"),
    Internal("weasyprint.text.line_break.Layout.__init__", "(self, style, justification_spacing=0, max_width=None)"),
    Internal("weasyprint.text.line_break.line_size", "(line, style)"),
)


def _text_boxes(box: boxes.Box) -> list[boxes.TextBox]:
    if isinstance(box, boxes.TextBox):
        return [box]
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return [t for child in box.children if child.is_in_normal_flow() for t in _text_boxes(child)]
    return []


def justify_line(context, line, extra_width: float) -> None:  # noqa: ANN001 - WeasyPrint's own objects
    """Justify one line the Thai way, or leave it ragged when it cannot be justified well."""
    em = line.style["font_size"]
    spaces = inline.count_expandable_spaces(line)
    gaps = sum(cluster_gaps(t.text) for t in _text_boxes(line))
    if extra_width < 0:  # a line the paragraph's breaking made a little too full: its phrase spaces give way
        if spaces and -extra_width / spaces <= LIMITS.shrink * em:
            _spread(context, line, extra_width / spaces, 0, 0)
        return
    if not gaps:
        if spaces and extra_width / spaces <= LIMITS.latin_space * em:
            inline.add_word_spacing(context, line, extra_width / spaces, 0)
        return
    space = min(extra_width / spaces, LIMITS.space * em) if spaces else 0
    rest = extra_width - space * spaces
    spacing = rest / gaps
    if spacing > LIMITS.cluster * em:
        return  # ragged: better a short line than letters pulled apart
    natural = line.width
    _spread(context, line, space, spacing, 0)
    # Pango adds letter spacing at the edges of runs too, so the first guess can miss by a little: correct
    # it once from what was measured (the widths are re-measured, not added up).
    added = line.width - natural - space * spaces
    if added > 0 and abs(line.width - natural - extra_width) > 0.05:
        _spread(context, line, space, spacing * rest / added, 0)


def text_align(context, line, available_width: float, last: bool) -> float:  # noqa: ANN001 - WeasyPrint's objects
    """WeasyPrint's `text_align`, which also justifies a line wider than the measure (by narrowing its spaces):
    `book/engine/paragraphs.py` sets a few such lines rather than pull another line's letters apart."""
    if not last and line.width > available_width and line.style["text_align_all"] == "justify":
        inline.justify_line(context, line, available_width - line.width)
        return 0
    return _original_text_align(context, line, available_width, last)


def _spread(context, box, space: float, spacing: float, x_advance: float) -> float:  # noqa: ANN001
    """Like WeasyPrint's add_word_spacing, with letter spacing in Thai runs; returns the new advance."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        box.justification_spacing = space
        # What create_layout makes with no width, its text set once, justified (set twice, the layout hook
        # would work out the text's breaks twice).
        layout = Layout(box.style, space)
        layout.cluster_spacing = spacing if cluster_gaps(box.text) else 0
        layout.set_text(box.text, justify=True)
        first_line, _ = layout.get_first_line()
        width, _ = line_size(first_line, box.style)
        width -= getattr(layout, "hugged", 0)  # each ำ kept by its letter (`book/engine/pango.py`)
        layout.deactivate()
        x_advance += width - box.width
        box.width = width
        box.pango_layout = layout
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _spread(context, child, space, spacing, x_advance)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance


def install() -> None:
    """Justify every `text-align: justify` line the Thai way from now on (idempotent)."""
    inline.justify_line = justify_line
    inline.text_align = text_align


def uninstall() -> None:
    inline.justify_line = _original_justify_line
    inline.text_align = _original_text_align
