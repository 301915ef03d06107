"""Which margin boxes a layout makes: all of them, all but the folios, or only the folios.

The print edition lays out each part without its folios and then a folio layer with only them
(`book/pdf/partlayout.py`); each margin box must land where one layout of the whole book would have put it.
`only("text")` and `only("folios")` ask for that while a document is laid out; a page's `page_shape` (its side,
blankness and name) is what decides its margin boxes besides its content.

Replaces `weasyprint.layout.make_margin_boxes`, written against WeasyPrint 70.0: it asks the original for the
page's boxes with the margin rules of the groups not wanted hidden (`context.style_for`), and reads a page's
`_page_box.page_type`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from weasyprint import layout as weasyprint_layout

from .internals import Internal

_original = weasyprint_layout.make_margin_boxes
INTERNALS = (Internal("weasyprint.layout.make_margin_boxes", "(context, page, state)", _original),)
WHICH = (None, "text", "folios")  # every margin box; all but the folios; only the folios
_asked: dict[str, str | None] = {"only": None}

# The margin boxes that WeasyPrint sizes together: the three of each edge share its length, each corner stands
# alone (css-page-3, 5.3).
MARGIN_GROUPS = (
    *((f"@{edge}-left", f"@{edge}-center", f"@{edge}-right") for edge in ("top", "bottom")),
    *((f"@{edge}-top", f"@{edge}-middle", f"@{edge}-bottom") for edge in ("left", "right")),
    *((f"@{corner}-corner",) for corner in ("top-left", "top-right", "bottom-left", "bottom-right")),
)


def install() -> None:
    """Make every layout from now on make the margin boxes `only` asks for (idempotent; by default, all)."""
    weasyprint_layout.make_margin_boxes = _make_margin_boxes


def uninstall() -> None:
    weasyprint_layout.make_margin_boxes = _original


@contextmanager
def only(which: str | None) -> Iterator[None]:
    """While inside, layouts make only the margin boxes `which` names: "text" (all but the folios), "folios"
    (only the folios) or None (every one). Needs `install()`."""
    if which not in WHICH:
        raise ValueError(f"margin boxes: {which!r} is not one of {WHICH}")
    before = _asked["only"]
    _asked["only"] = which
    try:
        yield
    finally:
        _asked["only"] = before


def page_shape(page: object) -> tuple[str, bool, str]:
    """A laid-out page's side ("left", "right"), whether it is blank, and its name ("" for none)."""
    page_type = page._page_box.page_type
    return page_type.side, page_type.blank, page_type.name


def counts_pages(box: object) -> bool:
    """Whether a margin box shows a page number (`counter(page)`, `counter(pages)`...)."""
    return _shows_page_number(box.style)


def _make_margin_boxes(context, page, state):  # noqa: ANN001, ANN202 - WeasyPrint's own objects
    """The page's margin boxes, or those of them `only` asks for. A group of boxes (an edge, a corner) with none
    of them asked for is not made at all: it is as if its boxes had no content, which changes no other group.
    A group with one box asked for is made whole, since its boxes share the edge, and the others are dropped
    after."""
    which = _asked["only"]
    if which is None:
        yield from _original(context, page, state)
        return
    style_for = context.style_for
    dropped = set()
    for group in MARGIN_GROUPS:
        styles = [style_for(page.page_type, keyword) for keyword in group]
        if not any(
            style is not None and _shows(style) and (which == "folios") == _shows_page_number(style) for style in styles
        ):
            dropped.update(group)
    context.style_for = lambda element, pseudo_type=None: (
        None if pseudo_type in dropped else style_for(element, pseudo_type)
    )
    try:
        made = list(_original(context, page, state))
    finally:
        context.style_for = style_for
    for box in made:
        if (which == "folios") == counts_pages(box):
            yield box


def _shows(style: object) -> bool:
    return style["content"] not in ("normal", "inhibit", "none")


def _shows_page_number(style: object) -> bool:
    content = style["content"]
    if isinstance(content, str):
        return False
    return any(
        kind in ("counter()", "counters()") and value and value[0] in ("page", "pages")
        for kind, value in content
        if isinstance(value, tuple | list)
    )
