"""The screen edition's pages, made from the print interior's laid-out pages (`book/pdf/interior.py`) rather than
laid out again: a reader on a screen turns no leaves, so

- the blank pages are left out (the versos before right-hand openings; the padding that fills the last
  signature is only ever added to the print edition), and whatever could point at one (a named destination, a
  bookmark, a link, the structure tree's parent tree) is pointed at the page after it, so nothing is left
  naming a page that is not there;
- the text block sits in the middle of every page: the print pages' margins are mirrored (inner by the spine
  wider than outer), so each page's boxes move sideways by half the difference, right on a right-hand page and
  left on a left-hand one. Moving the boxes rather than the content leaves every content stream, link
  rectangle and structure element as it was (nothing is drawn again, and no coordinate needs to change), and
  the strip the page gains at one edge is the bleed WeasyPrint drew there, so a picture that bleeds still
  reaches the page's edge as long as `print.bleed` is at least the move (half of `margins.inner` less
  `margins.outer`: 2.5 mm by default; the default bleed is 3 mm);
- each page is labelled with the folio printed on it (`numbering.page_labels`), which a blank page left out no
  longer shifts.
"""

from __future__ import annotations

from collections.abc import Sequence

import pikepdf
from pikepdf import Array, Dictionary

from .numbering import page_labels
from .prepress import PT_PER_MM, clean_outline


def finish_screen_pages(
    pdf: pikepdf.Pdf, sides: Sequence[str], blank: Sequence[bool], labels: Sequence[str], centring: float
) -> None:
    """Make the joined screen edition's pages, one for each of the print interior's (its side, "left" or
    "right", whether it is blank, and its folio), pages for a screen: the blank ones left out, the text block
    centred (each page's boxes moved `centring` mm, half the difference of the book's inner and outer margins:
    `PageGeometry.centring`), each labelled with its folio; and the bookmarks cleaned (`prepress.clean_outline`)."""
    clean_outline(pdf)
    by = centring * PT_PER_MM
    for page, side in zip(pdf.pages, sides, strict=True):
        centre(page, by if side == "right" else -by)
    leave_out(pdf, [index for index, empty in enumerate(blank) if empty])
    page_labels(pdf, [label for label, empty in zip(labels, blank, strict=True) if not empty])


def centre(page: pikepdf.Page, by: float) -> None:
    """Move the page's boxes `by` points sideways (to the right when positive): what the page shows moves the
    other way."""
    x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
    box = Array([x0 + by, y0, x1 + by, y1])
    page.obj.MediaBox = page.obj.TrimBox = page.obj.BleedBox = box
    if "/CropBox" in page.obj:
        page.obj.CropBox = box


def leave_out(pdf: pikepdf.Pdf, indexes: Sequence[int]) -> None:
    """Take the pages at `indexes` (0-based) out of `pdf`, with every destination that named one of them (named
    destinations, bookmarks, links) pointed at the next page kept (the last one kept for a page at the end),
    and their entries in the structure tree's parent tree removed."""
    if not indexes:
        return
    gone = set(indexes)
    pages = list(pdf.pages)
    kept = [page for index, page in enumerate(pages) if index not in gone]
    if not kept:
        raise ValueError("a PDF of blank pages only")
    instead: dict[tuple[int, int], pikepdf.Object] = {}
    following = kept[-1].obj
    for index in reversed(range(len(pages))):
        if index in gone:
            instead[pages[index].obj.objgen] = following
        else:
            following = pages[index].obj
    for destination in _destinations(pdf, kept):
        if len(destination) and isinstance(destination[0], Dictionary) and destination[0].objgen in instead:
            destination[0] = instead[destination[0].objgen]
    parents = {int(pages[i].obj.StructParents) for i in gone if "/StructParents" in pages[i].obj}
    if parents and "/StructTreeRoot" in pdf.Root:
        tree = pdf.Root.StructTreeRoot.ParentTree
        nums = tree.Nums
        tree.Nums = Array([v for i in range(0, len(nums), 2) if int(nums[i]) not in parents for v in nums[i : i + 2]])
    for index in sorted(gone, reverse=True):
        del pdf.pages[index]


def _destinations(pdf: pikepdf.Pdf, pages: Sequence[pikepdf.Page]) -> list[pikepdf.Array]:
    """Every explicit destination (an array naming a page) of the named destinations, the bookmarks and the
    links on `pages`."""
    found: list[pikepdf.Object] = []
    names = pdf.Root.get("/Names")
    if names is not None and "/Dests" in names:
        found += [value for _, value in pikepdf.NameTree(names.Dests).items()]
    item = pdf.Root.get("/Outlines", Dictionary()).get("/First")
    stack = [item] if item is not None else []
    while stack:
        item = stack.pop()
        found += [item.get("/Dest"), item.get("/A")]
        stack += [child for child in (item.get("/Next"), item.get("/First")) if child is not None]
    for page in pages:
        for annotation in page.obj.get("/Annots", Array()):
            found += [annotation.get("/Dest"), annotation.get("/A")]
    arrays = []
    for value in found:
        if isinstance(value, Dictionary):  # an action (/S /GoTo /D ...) or a destination dictionary (/D ...)
            value = value.get("/D")
        if isinstance(value, Array):
            arrays.append(value)
    return arrays
