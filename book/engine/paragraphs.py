"""Whole-paragraph line breaking for justified Thai text: the breaks of a paragraph are chosen together (total
fit, as TeX's Knuth-Plass algorithm does) over the break opportunities the toolkit marked, and WeasyPrint is then
steered to break only there.

WeasyPrint breaks greedily, one line at a time, through `split_first_line` (see `book/engine/pango.py`). When it
asks for the first line of a justified text, the whole text is measured once, with the same shaping WeasyPrint
uses (a Pango layout made by WeasyPrint's own `create_layout`, with the toolkit's break attributes): the x of
every place Pango may break (a space, a U+200B) gives each candidate line's natural width. A shortest path over
the opportunities picks the breaks with the fewest demerits (`Demerits`): lines that need letter spacing, or
wide phrase gaps, a short or one-word last line, a number parted from its classifier, "มาตรา" parted from its
number. Each line is then made as WeasyPrint makes a line it has broken (`first_line_metrics`): a layout of
exactly the chosen text, without trailing spaces and without a width. WeasyPrint's own `split_first_line` would
shape the text after it too, to find the break the plan already knows. Only a line that ends at a soft hyphen is
asked of WeasyPrint, with exactly its width, as WeasyPrint adds the hyphen it shows.

A plan is remembered by the text that remains and the width it was made for, with the fonts it was measured in:
the next line's call finds it; another width (after an indented first line, or a line that starts after an inline
element) plans again from there. Switched off by `greedy()` (WeasyPrint's own line-by-line breaking, for
comparison).

Calls `weasyprint.text.line_break.create_layout` and `line_size`, and returns what `split_first_line` returns,
as its `first_line_metrics` makes it; written against WeasyPrint 70.0 and Pango 1.50.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from weakref import WeakKeyDictionary

from weasyprint.text import line_break
from weasyprint.text.ffi import FROM_UNITS, ffi, pango
from weasyprint.text.fonts import FontConfiguration

from .graphemes import SARA_AM
from .internals import Internal
from .justify import LIMITS

ffi.cdef(
    """
    void pango_layout_index_to_pos (PangoLayout *layout, int index_, PangoRectangle *pos);
    int pango_layout_get_line_count (PangoLayout *layout);
    const char *pango_layout_get_text (PangoLayout *layout);
    void pango_glyph_item_get_logical_widths (PangoGlyphItem *glyph_item, const char *text, int *logical_widths);
    """,
    override=True,
)

INTERNALS = (
    Internal("weasyprint.text.line_break.create_layout", "(text, style, context, max_width, justification_spacing)"),
    Internal("weasyprint.text.line_break.line_size", "(line, style)"),
    Internal(
        "weasyprint.text.line_break.first_line_metrics",
        "(first_line, text, layout, resume_at, space_collapse, style, hyphenated=False, hyphenation_character=None)",
    ),
)

ZWSP = "\u200b"
SOFT_HYPHEN = "\u00ad"
NBSP = "\u00a0"
THAI = re.compile(r"[\u0E01-\u0E5B]")
DIGITS = "0123456789๐๑๒๓๔๕๖๗๘๙"
# Words that stand before a number and must stay on its line: มาตรา 5, ข้อ 3, หมวด 2...
KEEP_WITH_NUMBER = (
    "มาตรา",
    "อนุมาตรา",
    "ข้อ",
    "หมวด",
    "ส่วนที่",
    "ภาคที่",
    "บทที่",
    "วรรค",
    "ตอนที่",
    "ภาพที่",
    "ตารางที่",
    "หน้า",
    "เล่มที่",
    "ฉบับที่",
    "ครั้งที่",
    "ลำดับที่",
    "พ.ศ.",
    "ค.ศ.",
    "ร.ศ.",
    "เลขที่",
    "หมู่ที่",
    "ซอย",
    "ถนน",
    "รัชกาลที่",
)
# Thai classifiers and units that follow a number: 41 ชุดโครงการ, 20 ชุด, 3 คน.
CLASSIFIERS = tuple(
    "ชุด คน ราย ท่าน องค์ รูป ตัว อัน ชิ้น เล่ม ฉบับ หลัง แห่ง ที่ ครั้ง เรื่อง ข้อ ประการ ชนิด ประเภท กลุ่ม "
    "โครงการ หน่วย ลำ คัน แผ่น ต้น ใบ ลูก เม็ด ก้อน ผืน เส้น สาย ซอง กล่อง ถุง ขวด แก้ว จาน ห้อง ชั้น ระดับ "
    "ปี เดือน วัน สัปดาห์ ชั่วโมง นาที วินาที ศตวรรษ ทศวรรษ รอบ เท่า ส่วน บาท สตางค์ ล้าน แสน หมื่น พัน ร้อย "
    "กิโลเมตร กิโลกรัม กม. กก. เมตร เซนติเมตร มิลลิเมตร ตารางเมตร ไร่ งาน ตารางวา ลิตร ตัน องศา เปอร์เซ็นต์ "
    "จังหวัด อำเภอ ตำบล หมู่บ้าน ชุมชน โรงเรียน ประเทศ ภาษา ภาค บท ตอน หน้า คณะ ทีม ครอบครัว เครื่อง".split()
)


@dataclass
class Demerits:
    """What a paragraph's breaks cost. A line's badness grows with the cube of how far it stretches; its
    demerits are (line + badness)² plus a break's own cost, as in TeX."""

    line: float = 10.0  # every line
    shrink: float = 0.06  # em a phrase space may give up, to take in a little more text (`justify` allows 0.07)
    cluster: float = 0.05  # em between two clusters: the most a line may take while another choice exists
    cluster_soft: float = 0.03  # em between two clusters that costs a badness of 100
    number_classifier: float = 6000.0  # a break between a number and the classifier after it
    number_word: float = 3000.0  # a break between a number and a Thai word after it
    keep_with_number: float = 8000.0  # a break between มาตรา (ข้อ, หมวด...) and its number
    one_word_last_line: float = 40000.0  # a last line of one word (a stretch without a break opportunity)
    short_last_line: float = 0.2  # a last line narrower than this share of the measure...
    short_last_line_cost: float = 4000.0  # ...costs up to this much


DEMERITS = Demerits()
_enabled = True


@contextmanager
def greedy(on: bool = True) -> Iterator[None]:
    """WeasyPrint's own line-by-line breaking while inside (for comparison and tests)."""
    global _enabled
    before, _enabled = _enabled, not on
    try:
        yield
    finally:
        _enabled = before


@dataclass
class Plan:
    """A paragraph's chosen breaks: the character offsets where each line after the first starts, and each
    line's natural width as measured."""

    text: str
    starts: list[int]
    widths: list[float]
    letter_spacing: list[float] = field(default_factory=list)  # em per cluster gap each line will take


# For each font configuration (a build's fonts): (remaining text, width, style) -> next line's start, its width.
_plans: WeakKeyDictionary[FontConfiguration, dict[tuple, tuple[int | None, float]]] = WeakKeyDictionary()
RECORD: list[tuple[str, float, float]] | None = None  # (tests) (line, planned width, width of the line made)


def _style_key(style) -> tuple:  # noqa: ANN001 - WeasyPrint's computed style
    return (
        style["font_size"],
        tuple(style["font_family"]),
        style["font_weight"],
        style["font_style"],
        style["font_stretch"],
        str(style["letter_spacing"]),
        str(style["word_spacing"]),
        str(style["font_feature_settings"]),
        style["lang"],
    )


def wanted(text: str, style, max_width: float | None, is_line_start: bool, minimum: bool) -> bool:  # noqa: ANN001
    """Whether a line of `text` is one to plan: justified Thai text that wraps, asked at a line's start."""
    return (
        _enabled
        and is_line_start
        and not minimum
        and max_width is not None
        and max_width < 2**21
        and style["text_align_all"] == "justify"
        and style["white_space"] == "normal"
        and THAI.search(text) is not None
    )


def next_line(text: str, style, context, max_width: float, justification_spacing: float) -> tuple[int | None, float]:  # noqa: ANN001, E501
    """The offset in `text` where the line after this one should start (None: the whole text on one line), and
    this line's natural width as planned."""
    plans = _plans.setdefault(style.font_config, {})
    key = (text, round(max_width, 2), _style_key(style))
    if key not in plans:
        plan = plan_paragraph(text, style, context, max_width, justification_spacing)
        if len(plans) > 5000:  # a paragraph's lines are asked for while it is laid out, not later
            plans.clear()
        for index, start in enumerate([0, *plan.starts]):
            following = plan.starts[index] - start if index < len(plan.starts) else None
            plans[(text[start:], round(max_width, 2), key[2])] = (following, plan.widths[index])
    return plans[key]


def _measure(text: str, style, context, justification_spacing: float) -> tuple[list[int], dict[int, float]]:  # noqa: ANN001
    """Where Pango may break in `text` (character offsets before which a line may start) and the x of each
    break and of each line end before it, in the single line WeasyPrint would shape."""
    layout = line_break.create_layout(text, style, context, None, justification_spacing)
    try:
        count = ffi.new("gint *")
        attrs = pango.pango_layout_get_log_attrs_readonly(layout.layout, count)
        breaks = [i for i in range(1, min(count[0], len(text))) if attrs[i].is_line_break]
        wanted = {0, *breaks, *(_end(text, 0, b) for b in breaks), _end(text, 0, len(text))}
        # Each x summed from the runs' widths (`_cluster_x`) when every place wanted starts a grapheme; Pango
        # may also break inside one (before a stray mark after a space), and is asked for each place then.
        graphemes = all(attrs[offset].is_cursor_position for offset in wanted if offset < len(text))
        x = _cluster_x(layout.layout, len(text)) if graphemes else None
        if x is not None:
            positions = {offset: x[offset] * FROM_UNITS for offset in wanted if offset < len(text)}
        else:
            positions = _positions(layout.layout, text, wanted)
        first, _ = layout.get_first_line()
        width, _ = line_break.line_size(first, style)
        positions[len(text)] = width
    finally:
        layout.deactivate()
    return breaks, positions


def _cluster_x(layout, length: int) -> list[int] | None:  # noqa: ANN001 - a PangoLayout
    """The x of every character of a one-line, left-to-right layout of `length` characters (Pango units): the
    widths Pango gives each character of each run, its cluster's width shared out (the remainder to its first
    character), summed in order: exact at the start of every cluster. None for a layout of more lines or with
    a right-to-left run."""
    if pango.pango_layout_get_line_count(layout) != 1:
        return None
    text = pango.pango_layout_get_text(layout)
    run = pango.pango_layout_get_line_readonly(layout, 0).runs
    widths: list[int] = []
    while run != ffi.NULL:
        item = run.data.item
        if item.analysis.level % 2:
            return None
        run_widths = ffi.new("int[]", item.num_chars)
        pango.pango_glyph_item_get_logical_widths(run.data, text, run_widths)  # the item knows its offset
        widths += ffi.unpack(run_widths, item.num_chars)
        run = run.next
    if len(widths) != length:
        return None
    return [0, *accumulate(widths)]


def _positions(layout, text: str, wanted: set[int]) -> dict[int, float]:  # noqa: ANN001 - a PangoLayout
    """The x of each `wanted` offset before the end of `text`, asked of Pango one at a time."""
    positions: dict[int, float] = {}
    rectangle = ffi.new("PangoRectangle *")
    byte = 0
    for offset, char in enumerate(text):
        if offset in wanted:
            pango.pango_layout_index_to_pos(layout, byte, rectangle)
            positions[offset] = rectangle.x * FROM_UNITS
        byte += len(char.encode())
    return positions


def _counts(text: str) -> tuple[list[int], list[int]]:
    """Running counts over `text`: expandable spaces (space, no-break space) and places that take letter
    spacing (after every cluster of every Thai run, as `book/engine/justify.py` judges a line), so a line's
    counts are a difference."""
    spaces, gaps = [0], [0]
    previous_thai = False
    for char in text:
        thai = THAI.match(char) is not None
        mark = unicodedata.category(char) == "Mn" or char == SARA_AM
        spaces.append(spaces[-1] + (char in " " + NBSP))
        gaps.append(gaps[-1] + (thai and (not mark or not previous_thai)))
        previous_thai = thai
    return spaces, gaps


def _end(text: str, start: int, stop: int) -> int:
    """Where a line from `start` to the next line's `stop` ends visibly: without its trailing spaces."""
    while stop > start and text[stop - 1] in " \t":
        stop -= 1
    return stop


def _break_cost(text: str, at: int) -> float:
    """The cost of starting a line at `at`: a number parted from its classifier, a word from its number."""
    before = text[:at].rstrip(" " + ZWSP + NBSP)
    after = text[at:].lstrip(" " + ZWSP + NBSP)
    if not before or not after:
        return 0.0
    if before[-1] in DIGITS and THAI.match(after[0]):
        return DEMERITS.number_classifier if after.startswith(CLASSIFIERS) else DEMERITS.number_word
    if after[0] in DIGITS and before.endswith(KEEP_WITH_NUMBER):
        return DEMERITS.keep_with_number
    return 0.0


def _line_cost(spaces: int, gaps: int, natural: float, measure: float, em: float) -> tuple[float, float]:
    """A justified line's badness, and the letter spacing (em per cluster gap) it will take, as
    `book/engine/justify.py` will justify it."""
    extra = measure - natural
    if extra <= 0:
        return 100 * (-extra / max(1, spaces) / em / DEMERITS.shrink) ** 3, 0.0
    if not gaps:
        stretch = extra / spaces / em if spaces else 10.0
        return 100 * (stretch / LIMITS.latin_space) ** 3, 0.0
    space = min(extra / spaces, LIMITS.space * em) if spaces else 0.0
    spacing = (extra - space * spaces) / gaps / em
    badness = 100 * (space / em / LIMITS.space) ** 3 + 100 * (spacing / DEMERITS.cluster_soft) ** 3
    if spacing > LIMITS.cluster:
        badness += 1e7
    elif spacing > DEMERITS.cluster:
        badness += 2000 * (spacing / DEMERITS.cluster)
    return badness, spacing


def plan_paragraph(text: str, style, context, max_width: float, justification_spacing: float = 0) -> Plan:  # noqa: ANN001
    """The breaks of `text` with the fewest demerits, every line `max_width` wide (the last one not justified)."""
    breaks, x = _measure(text, style, context, justification_spacing)
    em = style["font_size"]
    spaces, gaps = _counts(text)
    nodes = [0, *breaks, len(text)]
    last = len(nodes) - 1
    best: list[float] = [0.0] + [float("inf")] * last
    previous = [0] * len(nodes)
    spacing_of = [0.0] * len(nodes)
    for j in range(1, len(nodes)):
        stop = nodes[j]
        cost_at = _break_cost(text, stop) if j < last else 0.0
        for i in range(j - 1, -1, -1):
            start = nodes[i]
            if best[i] == float("inf"):
                continue
            end = _end(text, start, stop)
            natural = x[end] - x[start]
            measure = max_width
            widest = measure + 0.01 + (spaces[end] - spaces[start]) * DEMERITS.shrink * em * (j < last)
            if natural > widest and i < j - 1:
                break  # wider still from further back
            if j == last:
                demerits = DEMERITS.line**2 + _last_line_cost(text, nodes, i, natural, measure)
                spacing = 0.0
            else:
                badness, spacing = _line_cost(
                    spaces[end] - spaces[start], gaps[end] - gaps[start], natural, measure, em
                )
                if natural > widest:
                    badness += 1e9  # one stretch wider than the measure: only when nothing else will do
                demerits = (DEMERITS.line + badness) ** 2 + cost_at**2
            if best[i] + demerits < best[j]:
                best[j], previous[j], spacing_of[j] = best[i] + demerits, i, spacing
    chosen, j = [], last
    while j > 0:
        chosen.append(j)
        j = previous[j]
    chosen.reverse()
    starts = [nodes[j] for j in chosen[:-1]]
    bounds = [0, *starts, len(text)]
    widths = [x[_end(text, a, b)] - x[a] for a, b in zip(bounds, bounds[1:], strict=False)]
    return Plan(text, starts, widths, [spacing_of[j] for j in chosen])


def _last_line_cost(text: str, nodes: list[int], i: int, natural: float, measure: float) -> float:
    if i == 0:
        return 0.0  # a one-line paragraph
    cost = 0.0
    if natural < DEMERITS.short_last_line * measure:
        cost += DEMERITS.short_last_line_cost * (1 - natural / (DEMERITS.short_last_line * measure))
    if i == len(nodes) - 2:  # no break opportunity inside the last line
        cost += DEMERITS.one_word_last_line
    return cost**2 / 100


def steer(original, text: str, style, context, max_width: float, justification_spacing: float, is_line_start: bool):  # noqa: ANN001, ANN201, E501 - WeasyPrint's split_first_line and its result
    """What WeasyPrint's `split_first_line` (`original`) returns, for the line that ends where the paragraph's
    plan says, or None when there is no plan for it: `(layout, length, resume_index, width, height, baseline)`,
    the layout holding the line's text alone, as `first_line_metrics` leaves it for a line that breaks."""
    following, planned = next_line(text, style, context, max_width, justification_spacing)
    if following is None:
        return None  # the rest fits on this line; WeasyPrint finds that itself
    line = text[: _end(text, 0, following)]
    layout = line_break.create_layout(line, style, context, None, justification_spacing)
    layout.max_width = max_width  # as in WeasyPrint's own: the width an ellipsis is drawn to
    first_line = layout.get_first_line()[0]
    length = first_line.length
    width, height = line_break.line_size(first_line, style)
    baseline = pango.pango_layout_get_baseline(layout.layout) * FROM_UNITS
    layout.deactivate()
    if line.endswith(SOFT_HYPHEN):  # the line takes a hyphen, which WeasyPrint's own call adds
        result = original(text, style, context, width + 0.01, justification_spacing, is_line_start, False)
        return result if result[2] == len(text[:following].encode()) else None
    if RECORD is not None:
        RECORD.append((line, planned, width))
    return layout, length, len(text[:following].encode()), width, height, baseline
