"""Markdown tables made into book tables, in the one rendering every output shares: the caption line under a
table (`ตาราง: ...` or `Table: ...`, with an optional `{#id}`) becomes its `<caption>`, header cells get
`scope="col"`, columns of numbers are marked to be set right-aligned in tabular figures, digits follow the
book's `numerals`, and each table is wrapped in a `<div class="table-wrap">` that an ebook scrolls sideways at
phone width.

The print stylesheet repeats the `<thead>` on every page a table runs over and keeps rows whole
(`book/styles/print.css`).
"""

from __future__ import annotations

import re

import lxml.html

from ..thai import digits

CAPTION = re.compile(r"^\s*(ตาราง|Table)\s*:\s*")
NUMBER = re.compile(r"^[-+−(]?[฿$€£]?\s*[\d๐-๙][\d๐-๙,.\s]*%?\)?$")
ID = re.compile(r"\s*\{:?\s*#([A-Za-z][\w-]*)\s*\}\s*$")
AUTOMATIC_ID = re.compile(r"-b\d+$")  # the ids `_number_blocks` gives blocks that have none


def typeset_tables(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Make every table under `root` a book table (see the module docstring); the tables, in order."""
    tables = list(root.iter("table"))
    for table in tables:
        _caption(table)
        for cell in table.xpath("./thead/tr/th"):
            cell.set("scope", "col")
        for cell in table.xpath("./tbody/tr/th"):
            cell.set("scope", "row")
        _number_columns(table)
        _wrap(table)
    return tables


def table_digits(table: lxml.html.HtmlElement, numerals: str) -> None:
    """The digits of every text in `table` (caption and cells) in the book's numerals."""
    if numerals != "thai":
        return
    for element in table.iter():
        if not isinstance(element.tag, str) or element.tag in ("code", "pre"):
            continue
        if element.text:
            element.text = digits(element.text, numerals)
        if element.tail and element is not table:
            element.tail = digits(element.tail, numerals)


def _caption(table: lxml.html.HtmlElement) -> None:
    """The paragraph right after the table that starts `ตาราง:` or `Table:`, moved into a `<caption>`; its id
    (`{#tbl-prices}` at its end) becomes the table's."""
    after = table.getnext()
    if after is None or after.tag != "p" or not CAPTION.match(after.text or "") or (table.tail or "").strip():
        return
    caption = lxml.html.Element("caption")
    caption.text = CAPTION.sub("", after.text, count=1)
    caption.extend(list(after))
    given = after.get("id")
    last = caption[-1] if len(caption) else None
    written = ID.search((last.tail if last is not None else caption.text) or "")
    if written:  # `{#id}` at the end of the line, which attr_list leaves to a line of its own
        given = written[1]
        if last is not None:
            last.tail = last.tail[: written.start()]
        else:
            caption.text = caption.text[: written.start()]
    if given and not AUTOMATIC_ID.search(given):
        table.set("id", given)
    table.tail = after.tail
    after.getparent().remove(after)
    table.insert(0, caption)


def _number_columns(table: lxml.html.HtmlElement) -> None:
    """Mark the cells of every column whose body cells are all numbers (`class="num"`)."""
    rows = table.xpath("./tbody/tr")
    columns = max((len(row) for row in rows), default=0)
    for column in range(columns):
        cells = [row[column] for row in rows if len(row) > column]
        texts = [cell.text_content().strip() for cell in cells]
        if not any(texts) or not all(NUMBER.match(text) for text in texts if text):
            continue
        for cell in cells + [row[column] for row in table.xpath("./thead/tr") if len(row) > column]:
            cell.set("class", " ".join(filter(None, [cell.get("class"), "num"])))


def _wrap(table: lxml.html.HtmlElement) -> None:
    parent = table.getparent()
    if parent is None or parent.get("class") == "table-wrap":
        return
    wrap = lxml.html.Element("div", {"class": "table-wrap"})
    wrap.tail, table.tail = table.tail, None
    parent.replace(table, wrap)
    wrap.append(table)
