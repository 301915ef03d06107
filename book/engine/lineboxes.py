"""The lines of typeset paragraphs, read back from WeasyPrint's laid-out pages: the line boxes of each
paragraph and the text each line shows. What the line-breaking checks and benchmarks look at
(`book/pdf/lines.py`).

Reads `Document.pages[i]._page_box` and its boxes, written against WeasyPrint 70.0.
"""

from __future__ import annotations

from weasyprint import Document
from weasyprint.formatting_structure import boxes

ZWSP = "\u200b"  # the break marks the toolkit adds (book/thai/breaking.py)
NBSP = "\u00a0"


def paragraph_lines(document: Document) -> list[list[boxes.LineBox]]:
    """The line boxes of each paragraph in order (a paragraph split across pages comes in pieces)."""
    found: dict[int, list[boxes.LineBox]] = {}

    def walk(box: boxes.Box) -> None:
        if isinstance(box, boxes.BlockBox) and box.element_tag == "p":
            found.setdefault(id(box.element), []).extend(c for c in box.children if isinstance(c, boxes.LineBox))
            return
        for child in getattr(box, "children", []):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return list(found.values())


def line_text(line: boxes.LineBox) -> str:
    """A line's text as the reader sees it: without the toolkit's break marks."""
    text = "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
    return text.replace(ZWSP, "").replace(NBSP, " ")
