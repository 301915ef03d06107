"""Thai justification for WeasyPrint: stretch the phrase spaces up to a limit, then spread the rest between
grapheme clusters (never between a mark and its base); a line that would need more stays ragged.

WeasyPrint alone widens only spaces, which leaves huge gaps in Thai lines that have one phrase space or
none. A line a little wider than the measure (set so by the paragraph's breaking, `book/engine/paragraphs.py`)
has its phrase spaces narrowed instead.

What a line takes is worked out here, by arithmetic: each text of the line gets its `Stretch`, how much is
added after each of its spaces and after each grapheme cluster of its Thai runs, but none at the text's end (a
footnote call keeps to its word, and the line ends flush). No text is laid out again for it. WeasyPrint shapes
every text once more to draw it (`Layout.reactivate`); the stretch is added to the glyphs' advances then, so
a text is drawn exactly as wide as its line counted it, and a ำ stays on its letter (it is of the letter's
cluster). This replaces `weasyprint.layout.inline.justify_line`, `weasyprint.layout.inline.text_align` and
`weasyprint.text.line_break.Layout.reactivate`, written against WeasyPrint 70.0 and Pango 1.50 (`INTERNALS`
lists what it replaces).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text.ffi import TO_UNITS, ffi, pango
from weasyprint.text.line_break import Layout

from .graphemes import THAI_RUN, clusters
from .internals import Internal


@dataclass
class Limits:
    """How far a justified line may stretch, in em of the paragraph's font size."""

    space: float = 0.35  # added to each phrase space: under 0.6 em between phrases with the body face's 0.243 em space
    cluster: float = 0.12  # added between two Thai grapheme clusters
    latin_space: float = 0.34  # added to each space of a line with no Thai
    shrink: float = 0.07  # taken from each phrase space of a line a little wider than the measure


LIMITS = Limits()
SPACES = " \u00a0"  # what WeasyPrint widens to justify a line (`count_expandable_spaces`)
_original_justify_line = inline.justify_line
_original_text_align = inline.text_align
_original_reactivate = Layout.reactivate
INTERNALS = (
    Internal("weasyprint.layout.inline.justify_line", "(context, line, extra_width)", _original_justify_line),
    Internal("weasyprint.layout.inline.text_align", "(context, line, available_width, last)", _original_text_align),
    Internal("weasyprint.text.line_break.Layout.reactivate", "(self, style)", _original_reactivate),
)


@dataclass(frozen=True)
class Stretch:
    """What one text of a justified line takes: `units` (Pango units) added at each of `ends` (the byte offsets,
    in the text as laid out, where a space or a Thai cluster ends); `spacing` is the line's between clusters (px)."""

    ends: tuple[int, ...]
    units: tuple[int, ...]
    spacing: float = 0.0


def _text_boxes(box: boxes.Box) -> list[boxes.TextBox]:
    if isinstance(box, boxes.TextBox):
        return [box]
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return [t for child in box.children if child.is_in_normal_flow() for t in _text_boxes(child)]
    return []


class _Places(NamedTuple):
    """Where a text takes a stretch, as byte offsets in it."""

    spaces: tuple[int, ...]  # where each of its spaces ends
    gaps: tuple[int, ...]  # where each cluster of its Thai runs ends, but at the text's end
    flush: int  # its length without its trailing spaces: where a line that ends with it ends flush
    counted: int  # the clusters of its Thai runs: what the paragraph's breaking counts (`paragraphs._counts`)


@lru_cache(maxsize=4096)
def _places(text: str) -> _Places:
    """Where `text` takes a stretch: after each space, and after each cluster of its Thai runs but at the
    text's end (a footnote call, a link or bold text after it stays as close as it was)."""
    spaces, gaps, byte, last = [], [], 0, 0
    for match in THAI_RUN.finditer(text):
        byte += len(text[last : match.start()].encode())
        for cluster in clusters(match.group()):
            byte += len(cluster.encode())
            gaps.append(byte)
        last = match.end()
    counted = len(gaps)
    if last == len(text) and gaps:
        gaps.pop()
    byte = 0
    for char in text:
        byte += len(char.encode())
        if char in SPACES:
            spaces.append(byte)
    return _Places(tuple(spaces), tuple(gaps), len(text.rstrip(" ").encode()), counted)


def justify_line(context, line, extra_width: float) -> None:  # noqa: ANN001 - WeasyPrint's own objects
    """Justify one line the Thai way, or leave it ragged when it cannot be justified well."""
    em = line.style["font_size"]
    texts = _text_boxes(line)
    places = [_places(text.pango_layout.text) for text in texts]
    # Nothing is added after the line's last character: its last text with any, up to its trailing spaces.
    last = max((i for i, p in enumerate(places) if p.flush), default=-1)
    spaces = [[at for at in p.spaces if i < last or (i == last and at < p.flush)] for i, p in enumerate(places)]
    gaps = [[at for at in p.gaps if i < last or (i == last and at < p.flush)] for i, p in enumerate(places)]
    space_count, gap_count = sum(map(len, spaces)), sum(map(len, gaps))
    if extra_width < 0:  # a line the paragraph's breaking made a little too full: its phrase spaces give way
        if space_count and -extra_width / space_count <= LIMITS.shrink * em:
            _stretch(line, texts, spaces, gaps, extra_width / space_count, 0)
        return
    # The limit is judged as the paragraph's breaking judges it: a spacing after every cluster (`counted`).
    counted = sum(p.counted for p in places)
    if not counted:
        if space_count and extra_width / space_count <= LIMITS.latin_space * em:
            _stretch(line, texts, spaces, gaps, extra_width / space_count, 0)
        return
    space = min(extra_width / space_count, LIMITS.space * em) if space_count else 0
    rest = extra_width - space * space_count
    if rest / counted > LIMITS.cluster * em:
        return  # ragged: better a short line than letters pulled apart
    if not gap_count:  # no Thai cluster is followed by more of its text: the spaces take it all, if any
        if not space_count:
            return
        space, rest = extra_width / space_count, 0
    _stretch(line, texts, spaces, gaps, space, rest / gap_count if gap_count else 0)


def _stretch(line, texts, spaces, gaps, space: float, spacing: float) -> None:  # noqa: ANN001
    """Give each of `texts` its stretch (`space` px after each of its `spaces`, `spacing` px after each of its
    `gaps`), in whole Pango units that add up to the line's total, and move the boxes after it along."""
    added = 0.0  # px, over the line so far
    stretches = {}
    for text, at_spaces, at_gaps in zip(texts, spaces, gaps, strict=True):
        points = sorted([(at, space) for at in at_spaces] + [(at, spacing) for at in at_gaps if spacing])
        units = []
        for _, amount in points:
            units.append(round((added + amount) * TO_UNITS) - round(added * TO_UNITS))
            added += amount
        text.pango_layout.stretch = Stretch(tuple(at for at, _ in points), tuple(units), spacing)
        text.justification_spacing = space
        stretches[id(text)] = sum(units) / TO_UNITS
    _move(line, stretches, 0.0)


def _move(box, widths: dict[int, float], x_advance: float) -> float:  # noqa: ANN001
    """Widen each text box by its stretch (`widths`) and move everything after it along; the new advance."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        wider = widths.get(id(box), 0.0)
        box.width += wider
        return x_advance + wider
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _move(child, widths, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance


def text_align(context, line, available_width: float, last: bool) -> float:  # noqa: ANN001 - WeasyPrint's objects
    """WeasyPrint's `text_align`, which also justifies a line wider than the measure (by narrowing its spaces):
    `book/engine/paragraphs.py` sets a few such lines rather than pull another line's letters apart."""
    if not last and line.width > available_width and line.style["text_align_all"] == "justify":
        inline.justify_line(context, line, available_width - line.width)
        return 0
    return _original_text_align(context, line, available_width, last)


def _reactivate(self, style) -> None:  # noqa: ANN001 - WeasyPrint's Layout and style
    """WeasyPrint's `Layout.reactivate` (the text shaped again to be drawn), with the text's stretch added to
    its glyphs' advances. Drawing sets the layout to one paragraph, which would shape it yet again and lose
    them: it is set so first."""
    _original_reactivate(self, style)
    stretch = getattr(self, "stretch", None)
    if stretch is None or not stretch.ends:
        return
    pango.pango_layout_set_single_paragraph_mode(self.layout, True)
    _widen(pango.pango_layout_get_line_readonly(self.layout, 0), stretch)


def _widen(line, stretch: Stretch) -> None:  # noqa: ANN001 - a PangoLayoutLine
    """Add each of `stretch`'s units to the advance of the last glyph before its end, in the line's runs."""
    run = line.runs
    while run != ffi.NULL:
        item, glyphs = run.data.item, run.data.glyphs
        start, stop = item.offset, item.offset + item.length
        first = bisect_right(stretch.ends, start)
        if first < len(stretch.ends) and stretch.ends[first] <= stop:
            found = ffi.unpack(glyphs.log_clusters, glyphs.num_glyphs)
            rtl = item.analysis.level % 2
            ordered = found[::-1] if rtl else found
            for index in range(first, len(stretch.ends)):
                end = stretch.ends[index]
                if end > stop:
                    break
                glyph = bisect_right(ordered, end - 1 - start) - 1  # the last glyph of the cluster ending there
                if rtl:
                    glyph = len(found) - 1 - glyph
                glyphs.glyphs[glyph].geometry.width += stretch.units[index]
        run = run.next


def install() -> None:
    """Justify every `text-align: justify` line the Thai way from now on (idempotent)."""
    inline.justify_line = justify_line
    inline.text_align = text_align
    Layout.reactivate = _reactivate


def uninstall() -> None:
    inline.justify_line = _original_justify_line
    inline.text_align = _original_text_align
    Layout.reactivate = _original_reactivate
