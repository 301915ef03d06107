"""How deeply a chapter nests: Markdown containers (block quotes, lists) and HTML elements.

Python-Markdown goes a few Python calls deeper for each quote or list inside another, so some hundreds of
them end in a RecursionError; lxml's HTML parser stops at 256 levels and leaves out the text below them, so a
build would lose text without a word. A book never nests more than a handful, so a chapter that nests more
than `MAX_NESTING` is refused before it is converted, with the line where the limit is passed; `check` and
every build read chapters through the same `load_book`, so they agree. The limit is in docs/producer.md.
"""

from __future__ import annotations

import re

MAX_NESTING = 20  # quotes, lists, or HTML elements inside each other; a book needs at most five or six

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# the start of a line that opens containers: `>` quotes and list markers, with the spaces between them
CONTAINERS = re.compile(r"^(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*")
MARKER = re.compile(r">|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")
BRACKET = re.compile(r"(?<!\\)[\[\]]")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)(?:\s[^<>]*?)?(/?)>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


def nesting_problem(source: str) -> tuple[str, int, dict] | None:
    """The first place `source` nests deeper than `MAX_NESTING`, as (catalogue key, line in the source from
    0, values); None when it does not."""
    fenced: str | None = None
    html: list[str] = []
    brackets = 0  # `[` not yet closed in this paragraph: Python-Markdown looks for each one's `]` again
    for number, line in enumerate(source.split("\n")):
        if not line.strip():
            brackets = 0
        fence = FENCE.match(line)
        if fence and (fenced is None or fence[1].startswith(fenced)):
            fenced = None if fenced else fence[1][0] * 3
            continue
        if fenced:
            continue  # code is shown as it is written: its indents and tags nest nothing
        prefix = CONTAINERS.match(line)[0]
        quotes = prefix.count(">")
        indent = len(line) - len(line.lstrip(" \t"))
        lists = len(MARKER.findall(prefix)) - quotes + len(line[:indent].expandtabs(4)) // 4
        if quotes > MAX_NESTING:
            return "B107", number, {"depth": quotes, "limit": MAX_NESTING}
        if lists > MAX_NESTING:
            return "B107.list", number, {"depth": lists, "limit": MAX_NESTING}
        for bracket in BRACKET.findall(line):
            brackets = brackets + 1 if bracket == "[" else max(brackets - 1, 0)
            if brackets > MAX_NESTING:
                return "B107.brackets", number, {"depth": brackets, "limit": MAX_NESTING}
        for tag in TAG.finditer(line):
            closing, name, selfclosing = tag[1], tag[2].lower(), tag[3]
            if name in VOID or selfclosing:
                continue
            if not closing:
                html.append(name)
                if len(html) > MAX_NESTING:
                    return "B107.html", number, {"depth": len(html), "limit": MAX_NESTING}
            elif name in html:  # a stray closing tag closes nothing; H001 reports it if it is in raw HTML
                del html[len(html) - 1 - html[::-1].index(name) :]
    return None


REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def reference_problem(source: str) -> tuple[str, int, int, dict] | None:
    """The first character reference (`&#x85;`, `&#0;`) standing for a control character, a lone surrogate or
    no character at all, as (catalogue key, line from 0, column from 1, values); None when there is none. The
    file's bytes are checked when it is read; a reference makes the same characters inside the HTML."""
    for found in REFERENCE.finditer(source):
        code = int(found[1], 16) if found[1] else int(found[2])
        if code > 0x10FFFF or UNWANTED.match(chr(code)):
            line = source.count("\n", 0, found.start())
            col = found.start() - (source.rfind("\n", 0, found.start()) + 1) + 1
            return "B105.reference", line, col, {"reference": found[0], "char": f"U+{code:04X}"}
    return None
