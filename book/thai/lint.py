"""Thai lint: the typing mistakes that look right on screen and go wrong in print, search and speech.

Each finding has a stable code, a line and a column; the safe ones have a fix (`check --fix`). A book
silences a code with `lint: {ignore: [TH005]}` in `book.yaml`.

| code  | what                                                            | fixed by --fix |
|-------|-----------------------------------------------------------------|----------------|
| TH001 | ำ typed as ํ + า (looks the same, searches and sorts differently) | yes            |
| TH002 | the same vowel or tone mark typed twice                          | yes            |
| TH003 | tone mark typed before the vowel it sits on (ท่ั for ทั่)             | yes            |
| TH004 | zero-width or invisible characters                               | yes            |
| TH005 | spaces around ๆ against the book's style (`lint.mai_yamok`)      | yes            |
| TH006 | no space after ฯ                                                 | yes            |
| TH007 | digits that disagree with the book's `numerals`                  | yes            |
| TH008 | spaces at the start of a line of text                            | yes            |
| TH009 | spaces at the end of a line                                      | yes            |
| TH010 | doubled spaces                                                   | yes            |
| TH011 | a character the book's fonts cannot draw (it prints as a box)    | cp1252 quotes  |

TH011 finds control characters (which no font draws) in any text; the quotes, dashes and ellipsis of a
Windows file decoded as Latin-1 (U+0091-U+0097, U+0085) are fixed to the characters they stood for. Given
the characters the book's fonts can draw (`drawable`, book/project/linting.py), it finds every other one
they cannot, an emoji for instance.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, code_of, diagnostic, texts
from ..scheduler import write_text_atomic

TONES = "\u0e48\u0e49\u0e4a\u0e4b"  # ่ ้ ๊ ๋
ABOVE_BELOW = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47"  # ั ิ ี ึ ื ุ ู ็
MARKS = TONES + ABOVE_BELOW + "\u0e4c\u0e4d"  # ์ ํ
ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


# cp1252's quotes, dashes and ellipsis (0x91-0x97, 0x85) read as Latin-1 become C1 controls: what they stood for.
CP1252 = {"\x85": "…", "\x91": "‘", "\x92": "’", "\x93": "“", "\x94": "”", "\x96": "–", "\x97": "—"}
# Control characters no font draws; tab, line feed and carriage return are the Markdown's own.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x90\x95\x98-\x9f]+")
# Characters that are never drawn, so no font needs a glyph for them: joiners, marks of direction, variation
# selectors (the ones TH004 finds are its own).
NEVER_DRAWN = re.compile("[\u034f\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\u00ad\t\n\r]")


def shown_characters(text: str) -> str:
    """`U+0093`, or `😀 (U+1F600)` for a character that shows: how a finding names what it found."""
    named = []
    for character in dict.fromkeys(text):
        code = f"U+{ord(character):04X}"
        visible = unicodedata.category(character)[0] not in "CZ"
        named.append(f"{character} ({code})" if visible else code)
    return ", ".join(named)


@dataclass(frozen=True)
class Rule:
    key: str  # the finding's words in book/diagnostics/catalogue.py: its code, or code.variant
    pattern: re.Pattern[str]
    fix: Callable[[re.Match[str]], str]
    values: Callable[[re.Match[str]], dict] | None = None  # what the finding's words name, when they name any

    @property
    def code(self) -> str:
        return code_of(self.key)


def _rules(mai_yamok: str, numerals: str) -> list[Rule]:
    rules = [
        Rule("TH001", re.compile(f"([{TONES}]?)\u0e4d([{TONES}]?)\u0e32"), lambda m: m[1] + m[2] + "\u0e33"),
        Rule("TH002", re.compile(f"([{MARKS}])\\1+"), lambda m: m[1]),
        Rule("TH003", re.compile(f"([{TONES}])([{ABOVE_BELOW}])"), lambda m: m[2] + m[1]),
        Rule("TH004", re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]+"), lambda m: ""),
        Rule("TH006", re.compile("ฯ(?=[\u0e01-\u0e4f])(?!ลฯ)"), lambda m: "ฯ "),
        Rule("TH008", re.compile("^[ \t]{1,3}(?=[\u0e01-\u0e5b])", re.M), lambda m: ""),
        Rule("TH009", re.compile("(?<=\\S)(?: |[ \t]{3,}|\t)$", re.M), lambda m: ""),
        Rule("TH010", re.compile("(?<=\\S) {2,}(?=\\S)"), lambda m: " "),
        Rule(
            "TH011.windows",
            re.compile("[" + "".join(CP1252) + "]"),
            lambda m: CP1252[m[0]],
            lambda m: {"chars": shown_characters(m[0]), "fixed": CP1252[m[0]]},
        ),
        Rule("TH011.control", CONTROLS, lambda m: m[0], lambda m: {"chars": shown_characters(m[0])}),
    ]
    if mai_yamok == "both":
        rules.append(Rule("TH005", re.compile("(?<=[\u0e01-\u0e4e])ๆ"), lambda m: " ๆ"))
    else:
        rules.append(Rule("TH005.no-space", re.compile(" +ๆ"), lambda m: "ๆ"))
    rules.append(Rule("TH005.after", re.compile("ๆ(?=[\u0e01-\u0e4e])"), lambda m: "ๆ "))
    if numerals == "arabic":
        rules.append(Rule("TH007", re.compile("[๐-๙]+"), lambda m: m[0].translate(THAI_TO_ARABIC)))
    else:
        rules.append(
            Rule(
                "TH007.arabic",
                # a list's marker (`1. `) and a footnote's label (`[^1]`) are Markdown, not the book's text
                re.compile(
                    r"(?P<syntax>^[ \t]*[0-9]+\.(?=[ \t]))|(?<![\w./:^-])[0-9]+(?:[.,][0-9]+)*(?![\w/:-])",
                    re.A | re.M,
                ),
                lambda m: m[0] if m["syntax"] else m[0].translate(ARABIC_TO_THAI),
            )
        )
    return rules


@dataclass(frozen=True)
class Finding:
    line: int
    col: int
    key: str  # in book/diagnostics/catalogue.py
    values: dict = field(default_factory=dict, compare=False, hash=False)  # what its words name

    @property
    def code(self) -> str:
        return code_of(self.key)

    @property
    def message(self) -> str:
        return texts(self.key, **self.values)["en"]


def _active(config: dict) -> list[Rule]:
    lint = config.get("lint") or {}
    ignored = set(lint.get("ignore") or [])
    rules = _rules(lint.get("mai_yamok") or "both", config.get("numerals") or "arabic")
    return [r for r in rules if r.code not in ignored]


def _protected_lines(text: str) -> set[int]:
    """Lines not to lint: code blocks and the YAML front matter's fences."""
    skip, fenced = set(), False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("```"):
            fenced = not fenced
            skip.add(number)
        elif fenced or line.startswith("    ") or line.strip() == "---":
            skip.add(number)
    return skip


def _front_matter_lines(text: str) -> set[int]:
    """The front matter's lines: its numbers are YAML values (projects: 2), not text."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return set()
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    return set(range(1, end + 2))


TEXT_ONLY = {"TH007"}  # rules that do not apply to front matter values
SET_BY_THE_BUILD = {"TH007.arabic"}  # a table's digits are set in the book's numerals when it is built
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$")
TABLE_CAPTION = re.compile(r"^\s*(ตาราง|Table)\s*:")


def _table_lines(text: str) -> set[int]:
    """The lines of Markdown tables (the block around a `---|---` rule) and their `ตาราง:` caption lines."""
    lines = text.split("\n")
    found: set[int] = set()
    for index, line in enumerate(lines):
        if not TABLE_RULE.match(line) or "|" not in line:
            continue
        start = index
        while start > 0 and lines[start - 1].strip():
            start -= 1
        end = index
        while end + 1 < len(lines) and lines[end + 1].strip():
            end += 1
        if end + 2 < len(lines) and not lines[end + 1].strip() and TABLE_CAPTION.match(lines[end + 2]):
            end += 2
        found.update(range(start + 1, end + 2))
    return found


def lint_text(text: str, config: dict, drawable: frozenset[int] | None = None) -> list[Finding]:
    """Every finding in `text`, by line and column (1-based); with `drawable`, the characters the book's
    fonts have glyphs for, every other character is a finding too (TH011)."""
    skip = _protected_lines(text)
    front = _front_matter_lines(text)
    tables = _table_lines(text)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    findings = []
    rules = _active(config)
    for rule in rules:
        for match in rule.pattern.finditer(text):
            if match.groupdict().get("syntax"):
                continue
            line = _line_of(starts, match.start())
            if rule.key in SET_BY_THE_BUILD and line in tables:
                continue
            if line not in skip and not (rule.code in TEXT_ONLY and line in front):
                values = rule.values(match) if rule.values else {}
                findings.append(Finding(line, match.start() - starts[line - 1] + 1, rule.key, values))
    if drawable is not None and any(r.code == "TH011" for r in rules):
        for line, col, characters in _undrawable(text, drawable, starts):
            if line not in skip:
                findings.append(Finding(line, col, "TH011", {"chars": shown_characters(characters)}))
    return sorted(findings, key=lambda f: (f.line, f.col, f.code))


def _undrawable(text: str, drawable: frozenset[int], starts: list[int]) -> list[tuple[int, int, str]]:
    """(line, column, the characters) of each run of characters the fonts cannot draw, besides those the
    rules find (controls, cp1252) and those never drawn."""
    missing = {c for c in set(text) if ord(c) not in drawable and not NEVER_DRAWN.match(c)}
    missing -= set(CP1252) | {c for c in missing if CONTROLS.match(c)}
    if not missing:
        return []
    runs = re.compile("[" + "".join(re.escape(c) for c in sorted(missing)) + "]+")
    found = []
    for match in runs.finditer(text):
        line = _line_of(starts, match.start())
        found.append((line, match.start() - starts[line - 1] + 1, match[0]))
    return found


def fix_text(text: str, config: dict) -> str:
    """`text` with every safe fix applied (lines that lint skips are left alone)."""
    lines = text.split("\n")
    skip = _protected_lines(text)
    front = _front_matter_lines(text)
    tables = _table_lines(text)
    rules = _active(config)
    for index, line in enumerate(lines):
        if index + 1 in skip:
            continue
        for _ in range(3):  # one fix can reveal another (ํ + ่ + า, then a doubled mark)
            before = line
            for rule in rules:
                if rule.key in SET_BY_THE_BUILD and index + 1 in tables:
                    continue
                if not (rule.code in TEXT_ONLY and index + 1 in front):
                    line = rule.pattern.sub(rule.fix, line)
            if line == before:
                break
        lines[index] = line
    return "\n".join(lines)


def _line_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1


def lint_file(
    path: Path, config: dict, where: str | None = None, drawable: frozenset[int] | None = None
) -> list[Diagnostic]:
    """Findings for the file at `path`, as warnings named `where` (by default its path); with `drawable`,
    the characters the book's fonts can draw, those they cannot too."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return lint_source(text, config, where or str(path), drawable)


def lint_source(text: str, config: dict, where: str, drawable: frozenset[int] | None = None) -> list[Diagnostic]:
    """`lint_text`'s findings in a file's `text`, as warnings named `where`."""
    return [diagnostic(where, f.line, f.key, f.col, "warning", **f.values) for f in lint_text(text, config, drawable)]


def lint_chapter(chapter, config: dict) -> list[Diagnostic]:  # noqa: ANN001 - a book.model.Chapter
    """Findings for one chapter file, as warnings named by the file's path."""
    return lint_file(chapter.path, config)


def fix_file(path: Path, config: dict) -> bool:
    """Apply the safe fixes to a file in place (atomically); whether anything changed."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    fixed = fix_text(text, config)
    if fixed != text:
        write_text_atomic(path, fixed)
    return fixed != text
