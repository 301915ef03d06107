"""A layout turned to the facing sides: each page of a laid-out document given the other side's page box, its
content moved across by the difference of the two sides' margins, and the other side's margin boxes made for
it, instead of a layout again.

The print edition lays out the chapters that open on any page in parallel, before the pages before them are
known, so the side such a chapter opens on is at first a guess; when it proves wrong, the chapter is wanted on
the other side (`book/pdf/interior.py`). A layout on the other side breaks the same lines on the same pages when
nothing in it depends on the side: the text block has the same size on both (the margins are mirrored), no page
of it is blank and nothing in it breaks to a side. Then it differs from this one only in where the text block
stands on each page and in what the margin boxes hold (the running heads), which is what turning a page
changes. `turned` gives None for a layout that depends on its side in any other way, which is then laid out
again.

Replaces `weasyprint.document.layout_document` (written against WeasyPrint 70.0) to keep, with each laid-out
page, the layout it came from: its HTML and its layout context (the page styles, the running strings, the
counters), which the other side's page boxes and margin boxes are made from.
"""

from __future__ import annotations

from math import isclose

from weasyprint import document as weasyprint_document
from weasyprint import layout
from weasyprint.css.properties import INHERITED
from weasyprint.document import Page
from weasyprint.formatting_structure import boxes
from weasyprint.layout import background, page, percent

from .internals import Internal

_original = weasyprint_document.layout_document
INTERNALS = (
    Internal("weasyprint.document.layout_document", "(html, root_box, context, max_loops=8)", _original),
    Internal("weasyprint.layout.page.set_page_type_computed_styles", "(page_type, html, style_for)"),
    Internal("weasyprint.formatting_structure.boxes.PageBox.__init__", "(self, page_type, style)"),
    Internal("weasyprint.layout.percent.resolve_percentages", "(box, containing_block)"),
    Internal("weasyprint.layout.make_margin_boxes", "(context, page, state)"),
    Internal("weasyprint.layout.page.page_width", "(box, context, containing_block_width)"),
    Internal("weasyprint.layout.page.page_height", "(box, context, containing_block_height)"),
    Internal("weasyprint.layout.background.layout_backgrounds", "(page, get_image_from_uri)"),
)
FACING = {"left": "right", "right": "left"}
TOLERANCE = 1e-6  # pt: mirrored margins in millimetres give text blocks this much apart in floating point
SIDE_BREAKS = ("left", "right", "recto", "verso")  # breaks to a side: where they fall depends on the side


def install() -> None:
    """Keep, with each page laid out from now on, the layout it came from (idempotent)."""
    weasyprint_document.layout_document = _layout_document


def uninstall() -> None:
    weasyprint_document.layout_document = _original


def _layout_document(html, root_box, context, max_loops=8):  # noqa: ANN001, ANN202 - WeasyPrint's own objects
    for page_box in _original(html, root_box, context, max_loops):
        page_box.laid_out_from = (html, context)
        yield page_box


def turned(document: object) -> object | None:
    """`document` (a WeasyPrint Document laid out with `install()` in place) with each page on the facing side,
    as a layout on that side would draw it; None when a layout on that side could break its pages otherwise,
    or when the document was not laid out with `install()`. The pages of `document` are moved, so it is not
    to be drawn after: write it before."""
    pages = [p._page_box for p in document.pages]
    if not pages or any(getattr(box, "laid_out_from", None) is None for box in pages):
        return None
    html, context = pages[0].laid_out_from
    if any(box.laid_out_from[1] is not context for box in pages):
        return None  # pages of more than one layout
    if any(box.page_type.blank for box in pages) or len(context.page_maker) <= len(pages):
        return None
    if any(context.page_maker[i][1]["break"] in SIDE_BREAKS for i in range(1, len(pages))):
        return None
    facing = [_facing_box(html, context, box) for box in pages]
    if not all(facing):
        return None
    made = []
    before = context.current_page
    try:
        for number, (box, other) in enumerate(zip(pages, facing, strict=True), start=1):
            dx = other.content_box_x() - box.content_box_x()
            kept = [child for child in box.children if not isinstance(child, boxes.MarginBox)]
            for child in kept:
                child.translate(dx=dx)
            context.current_page = number
            state = context.page_maker[number][3]
            other.children = (*kept, *layout.make_margin_boxes(context, other, state))
            other.fixed_boxes = box.fixed_boxes
            other.laid_out_from = box.laid_out_from
            background.layout_backgrounds(other, context.get_image_from_uri)
            made.append(Page(other))
    finally:
        context.current_page = before
    return document.copy(made)


def _facing_box(html: object, context: object, box: object) -> object | None:
    """The page box of `box`'s page on the facing side, sized but empty; None when its text block would not
    have the same size and place on the page, or its notes' areas another style."""
    page_type = box.page_type._replace(side=FACING[box.page_type.side])
    page.set_page_type_computed_styles(page_type, html, context.style_for)
    style = context.style_for(page_type)
    style["overflow"] = box.style["overflow"]
    other = boxes.PageBox(page_type, style)
    size = other.style["size"]
    percent.resolve_percentages(other, size)
    other.position_x = other.position_y = 0
    page.page_width(other, context, size[0])
    page.page_height(other, context, size[1])
    sizes = zip(_sizes(other), _sizes(box), strict=True)
    same = (
        all(isclose(a, b, abs_tol=TOLERANCE) for a, b in sizes)
        and _inherited(other.style) == _inherited(box.style)
        and all(
            _cascaded(context.style_for(page_type, area)) == _cascaded(context.style_for(box.page_type, area))
            for area in ("@footnote", "@note-area")
        )
    )
    return other if same else None


def _sizes(box: object) -> tuple[float, ...]:
    """What decides where a page's lines break and its pages end: the size of its text block, where it starts
    down the page, and the page's size."""
    return box.width, box.height, box.content_box_y(), box.margin_width(), box.margin_height()


def _cascaded(style: object | None) -> dict | None:
    """The values the stylesheets give a style, without their weights."""
    return None if style is None else {key: value for key, (value, _) in style.cascaded.items()}


def _inherited(style: object) -> dict:
    """What a page's style passes on to its notes' areas: the stylesheets' values of the inherited properties."""
    return {key: value for key, value in _cascaded(style).items() if key in INHERITED}
