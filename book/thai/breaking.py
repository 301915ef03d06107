"""Where Thai lines may break: one policy for the PDF, the EPUB and the preview.

Thai has no spaces between words, so every renderer guesses word boundaries with a dictionary, and the
guesses split compounds, names and transliterated words. Here a boundary inside Thai text is a break
opportunity only when two segmenters agree on it (libthai through Pango, and PyThaiNLP's newmm with the
book's own words added) and the words on both sides are confidently known; never inside a protected word
(the book's word list, the credits' names, the chapters' places), never before ๆ, ฯ, a closing quote or
bracket, ? ! % ๚ ๛, never after an opening quote or bracket, and never inside ฯลฯ, a digit run, ฿ and its
amount, or a dotted abbreviation (พ.ศ. 2563 stays on one line).

Each output applies the same policy its own way: the PDF gets a U+200B at each opportunity and a no-break
space at each space that must not break (WeasyPrint is then told to break Thai nowhere else, see
`book/engine/pango.py`); browsers (EPUB, preview) get protected stretches wrapped in `<span class="nobr">`; the
EPUB also gets every Thai word in a `<span class="word">` with a `<wbr/>` between words (`mark_for_reading`), so
that a reading system's own dictionary cannot split a compound or a name, and U+200B hints only where a book
opts in (`epub.break_hints`, for e-ink readers).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import accumulate
from xml.sax.saxutils import escape

import lxml.etree
import lxml.html

from ..engine import CLASSIFIERS, KEEP_WITH_NUMBER, cluster_starts, pango_line_breaks
from .dictionary import word_prefixes
from .names import names

ZWSP = "\u200b"
NBSP = "\u00a0"
THAI = re.compile(r"[\u0E00-\u0E7F]")
THAI_LETTER = re.compile(r"[\u0E01-\u0E4E]")  # a letter, vowel or mark: not a Thai digit or sign
NO_BREAK_BEFORE = set("ๆฯ”’)]}»›?!%๚๛:;,.")
NO_BREAK_AFTER = set("“‘([{«‹฿")
# Words that start a compound with what follows: nominalisers (การเรียนรู้, ความรู้), the adverbial อย่าง
# (อย่างยั่งยืน), agent prefixes (ผู้คน, นักวิจัย) and น้ำ (น้ำปลา, น้ำมัน).
JOINS_NEXT = ("การ", "ความ", "อย่าง", "ผู้", "นัก", "น้ำ")
# Number words: แสนเก้า, สองพันห้าร้อย stay whole.
NUMBER_WORDS = frozenset("หนึ่ง เอ็ด สอง ยี่ สาม สี่ ห้า หก เจ็ด แปด เก้า สิบ ร้อย พัน หมื่น แสน ล้าน".split())
# Short, frequent words whose boundaries are safe even though they are short.
FUNCTION_WORDS = frozenset(
    "ที่ และ ของ ใน ได้ จะ ไป มา ให้ กับ แต่ ก็ ว่า จาก เป็น มี คือ ซึ่ง โดย เพื่อ หรือ นี้ นั้น ไม่ แล้ว อยู่ ยัง "
    "ถึง ทั้ง ต่อ เขา เรา เมื่อ จึง ด้วย แก่ แห่ง ทุก คน เมือง ต้อง อีก ถ้า หาก กัน เอง ตาม "
    # frequent short content words (Thai National Corpus), rarely parts of names
    "ทำ ดี ปี ลง ดู นำ จน หา คำ ใด คง ผล ขอ พอ พบ บน ใจ ตน รถ ลด ใบ พา ยก รอ บท จบ ใช้ ได้ รู้ เห็น".split()
)
GLUED = [
    re.compile(r"ฯลฯ"),
    re.compile(r"[0-9๐-๙]+(?:[.,:/-][0-9๐-๙]+)*"),  # digit runs: 2,500 3.5 2563-2564
    re.compile(r"฿\s?[0-9๐-๙][0-9๐-๙,.]*"),  # ฿ with its amount
    re.compile(r"(?:[\u0E01-\u0E2E]{1,3}\.){2,}(?:\s[0-9๐-๙]+)?"),  # พ.ศ., ม.ค., พ.ศ. 2563
]
REPEATED = re.compile(r"\S\s+ๆ")  # ต่าง ๆ: ๆ never starts a line, and goes with the whole word before it


LONGEST_WORD = 24  # characters: the compounds looked for around a break in a reading system are no longer
SPACES = re.compile(r"[ \u00a0]{2,}")


def collapse_spaces(text: str) -> str:
    """A no-break space next to a space made one no-break space: justification would stretch both."""
    return SPACES.sub(lambda m: NBSP if NBSP in m.group() and " " in m.group() else m.group(), text)


def _newmm(text: str, word_tokenize) -> list[str]:  # noqa: ANN001
    if not text:
        return []
    return word_tokenize(text, engine="newmm", keep_whitespace=True, custom_dict=word_prefixes())


class BreakPolicy:
    """The break opportunities and glued stretches of Thai text for one book."""

    def __init__(self, protected: Iterable[str] = ()) -> None:
        self.protected = sorted({w.strip() for w in protected if w.strip()}, key=len, reverse=True)
        own = {w for p in self.protected for w in p.split()}
        self._own_words = own | set(self.protected)
        self.own_names = frozenset(own)
        pattern = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in self.protected)
        self._protected_re = re.compile(pattern) if pattern else None
        # A text is segmented once a process: the print marks it, the EPUB marks it again for reading systems
        # (its hints too), and each asks for its words twice. About 2,000 texts a book: a few MB at most.
        self.breaks = lru_cache(maxsize=8192)(self._breaks)
        self.tokens = lru_cache(maxsize=8192)(self._tokens)

    def __reduce__(self) -> tuple:
        """Sent to a spawned worker as its protected words: the policy is made again from them there."""
        return BreakPolicy, (self.protected,)

    def warm(self) -> None:
        """Load the dictionaries now: a build does it before it forks its workers, which then share them."""
        names()
        word_prefixes()
        self.breaks("เมืองแห่งการเรียนรู้")

    def glued(self, text: str) -> list[tuple[int, int]]:
        """Stretches that must stay on one line: protected words and the typographic rules' units."""
        spans = [m.span() for rx in GLUED for m in rx.finditer(text)]
        for match in REPEATED.finditer(text):  # from the start of the word before: เล็ก ๆ, not เล็|ก ๆ
            # newmm's words of the text from the space before: as in the whole text (a space parts its words,
            # and ๆ joins the word before it), without segmenting a whole paragraph for each ๆ in a browser
            chunk = match.start()
            while chunk and not text[chunk - 1].isspace():
                chunk -= 1
            words = self.tokens(text[chunk : match.end()])
            starts = accumulate((len(word) for word in words), initial=chunk)
            spans.append((max(t for t in starts if t <= match.start()), match.end()))
        if self._protected_re is not None:
            spans += [m.span() for m in self._protected_re.finditer(text)]
        return spans

    def _breaks(self, text: str) -> tuple[int, ...]:
        """Offsets inside Thai text before which a line may break (spaces are not included)."""
        if not THAI.search(text):
            return ()
        tokens = self.tokens(text)
        libthai = pango_line_breaks(text, "th")
        inside = set()
        for start, end in self.glued(text):
            inside.update(range(start + 1, end))
        found, offset = [], 0
        for index, (before, after) in enumerate(zip(tokens, tokens[1:], strict=False)):
            offset += len(before)
            if offset in inside or offset not in libthai:
                continue
            if not (THAI.match(text[offset - 1]) and THAI.match(text[offset])):
                continue
            if text[offset] in NO_BREAK_BEFORE or text[offset - 1] in NO_BREAK_AFTER:
                continue
            if self._confident(before, after) and not self._inside_name(tokens, index):
                found.append(offset)
        return tuple(found)

    def reading_breaks(self, text: str) -> tuple[int, ...]:
        """The break opportunities a reading system gets: `breaks` less those inside a compound the dictionary
        holds whole, that is, inside a dictionary word that begins where one of the last words before the break
        begins (มอง|เห็น, ท้อง|ถิ่น, ได้|รับ). A reading system's lines are set ragged, so it can spare them;
        the print keeps them for its justified lines."""
        if not (breaks := self.breaks(text)):
            return breaks
        starts = [0, *accumulate(len(token) for token in self.tokens(text))]
        clusters = sorted(cluster_starts(text))
        words = word_prefixes().words
        kept = []
        for offset in breaks:  # both lists are in order: the words and clusters near `offset` are a slice of each
            before = bisect_left(starts, offset)
            heads = starts[max(bisect_right(starts, offset - LONGEST_WORD), before - 3) : before]
            ends = clusters[bisect_right(clusters, offset) : bisect_right(clusters, offset + LONGEST_WORD)]
            if not any(text[head:end] in words for head in heads for end in ends):
                kept.append(offset)
        return tuple(kept)

    def _tokens(self, text: str) -> tuple[str, ...]:
        """Words by PyThaiNLP's newmm, each occurrence of a protected word kept as one token (`tokens`)."""
        from pythainlp.tokenize import word_tokenize

        pieces, last = [], 0
        for match in self._protected_re.finditer(text) if self._protected_re else ():
            pieces += _newmm(text[last : match.start()], word_tokenize) + [match.group()]
            last = match.end()
        return tuple(pieces + _newmm(text[last:], word_tokenize))

    def _inside_name(self, tokens: tuple[str, ...], index: int) -> bool:
        """Whether tokens around the boundary after `tokens[index]` join into a known name (แม่|สอด)."""
        before = tokens[index]
        heads = ["".join(tokens[first:index]) + before for first in range(max(0, index - 3), index)]
        heads += [before[start:] for start in sorted(cluster_starts(before))[:-1]]  # ใน|ประเทศ|ไทย
        for last in range(index + 1, min(len(tokens), index + 4)):
            tail = "".join(tokens[index + 1 : last + 1])
            if any(self.is_name(head + tail) for head in heads):
                return True
        return False

    def knows(self, word: str) -> bool:
        """Whether newmm's dictionary or the book knows `word`."""
        return word in word_prefixes().words or word in self._own_words

    def is_name(self, text: str) -> bool:
        """Whether `text` is a name the policy keeps whole (a Wikipedia title or one of the book's own)."""
        return text in self.own_names or text in names()

    def _confident(self, before: str, after: str) -> bool:
        if not (self.knows(before) and self.knows(after)):
            return False  # unknown words (transliterations, names, typos) are kept whole
        if before.endswith(JOINS_NEXT) or len(set(before)) == 1 or len(set(after)) == 1:
            return False
        if before in NUMBER_WORDS and after in NUMBER_WORDS:
            return False
        short = len(before) < 3 or len(after) < 3
        return not short or before in FUNCTION_WORDS or after in FUNCTION_WORDS

    def glued_spaces(self, text: str) -> list[int]:
        """Offsets of spaces that must not break (inside a name, before ๆ, after พ.ศ. ...)."""
        return sorted({i for start, end in self.glued(text) for i in range(start, end) if text[i] == " "})

    def for_print(self, text: str) -> str:
        """The text with U+200B at each break opportunity and no-break spaces where a space must hold (a no-break
        space and a space side by side become one no-break space)."""
        text = collapse_spaces(text)
        if not THAI.search(text):
            return text
        glued = set(self.glued_spaces(text))
        breaks = set(self.breaks(text))
        out = []
        for index, char in enumerate(text):
            if index in breaks:
                out.append(ZWSP)
            out.append(NBSP if index in glued else char)
        return "".join(out)

    def with_hints(self, text: str) -> str:
        """U+200B at each break opportunity, for e-ink readers that do not segment Thai."""
        breaks = self.breaks(text)
        if not breaks:
            return text
        pieces, last = [], 0
        for offset in breaks:
            pieces += [text[last:offset], ZWSP]
            last = offset
        return "".join(pieces) + text[last:]


SKIP = {"style", "script", "head", "title"}
SPACE_RUN = re.compile(r"\s+")


def _texts(root: lxml.html.HtmlElement) -> Iterable[tuple[lxml.html.HtmlElement, str]]:
    """Every text node, as (element, 'text' or 'tail'), outside style and script."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag not in SKIP and element.text:
            yield element, "text"
        if element.tail and (element.getparent() is None or element.getparent().tag not in SKIP):
            yield element, "tail"


def mark_for_print(
    html: str, policy: BreakPolicy, known: dict[str, str] | None = None, used: dict[str, str] | None = None
) -> str:
    """Apply the policy to a whole HTML document for WeasyPrint. `known` (text -> marked text) holds texts
    marked before by the same policy, taken instead of marking them again; `used` gets every text of the
    document, marked."""
    root = lxml.html.fromstring(html)
    for span in root.xpath("//span[@class='nobr']"):
        span.drop_tag()
    for element, attribute in _texts(root):
        text = getattr(element, attribute)
        marked = known.get(text) if known else None
        if marked is None:
            marked = policy.for_print(text)
        if used is not None:
            used[text] = marked
        setattr(element, attribute, marked)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def mark_for_browser(fragment: str, policy: BreakPolicy, hints: bool = False) -> str:
    """Wrap glued stretches of an HTML fragment in `<span class="nobr">`; with `hints`, add U+200B too."""
    root = lxml.html.fromstring(f"<div>{fragment}</div>")
    for element, attribute in list(_texts(root)):
        text = collapse_spaces(getattr(element, attribute))
        if not THAI.search(text):
            setattr(element, attribute, text)
            continue
        if hints:
            text = policy.with_hints(text)
        spans = [
            (start, end)
            for start, end in _merge(policy.glued(text.replace(ZWSP, "\ufeff")))  # same offsets; hints are not glue
            if " " in text[start:end] or THAI.search(text[start:end])  # a browser keeps digit runs whole itself
        ]
        if not spans:
            setattr(element, attribute, text)
            continue
        _wrap(element, attribute, text, spans)
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


XHTML = "http://www.w3.org/1999/xhtml"
WORD_CLASS = "word"  # a Thai word kept on one line in a reading system (`white-space: nowrap` in epub.css)
KEPT_WHOLE = {"nobr", WORD_CLASS}  # spans that already hold their text on one line
WORDS_OPEN = f'<words xmlns="{XHTML}">'  # the fragment `_mark_words` parses: its children are in XHTML
WORD_OPEN = f'<span class="{WORD_CLASS}">'
ESCAPED = {"\r": "&#13;"}  # besides & < >: a carriage return parsed as written would become a line feed


# A Thai text of an XHTML tree, with its reading breaks and the spaces that must hold in it.
ReadingMarks = tuple[str, tuple[int, ...], list[int]]


def mark_for_reading(
    root: lxml.etree._Element,
    policy: BreakPolicy,
    hints: bool = False,
    known: Mapping[str, ReadingMarks] | None = None,
) -> list[ReadingMarks]:
    """Keep every Thai word of an XHTML tree on one line in a reading system, in place: each word of two or
    more clusters between the policy's break opportunities in a `<span class="word">`, and a `<wbr/>` at each
    opportunity between two words (a space is one already). The text itself is unchanged, so copy, search and
    speech get it as written. With `hints`, a U+200B stands at each opportunity instead of the `<wbr/>`, for
    e-ink readers that break Thai only there (KOReader). Spans already kept whole (`nobr`) are left as they are.

    Returns the marks of each Thai text, in order. `known` are marks worked out before (`reading_marks`), by
    text: each is taken for the text it holds, instead of segmenting it again."""
    found: list[ReadingMarks] = []
    for element, attribute in list(_xhtml_texts(root)):
        text = getattr(element, attribute)
        if THAI_LETTER.search(text):
            marks = known.get(text) if known is not None else None
            if marks is None:
                marks = _marks_of(text, policy)
            found.append(marks)
            _mark_words(element, attribute, text, tuple(marks[1]), set(marks[2]), hints)
    return found


def reading_marks(root: lxml.etree._Element, policy: BreakPolicy) -> list[ReadingMarks]:
    """The marks `mark_for_reading` would give each Thai text of an XHTML tree, in order, the tree unchanged."""
    texts = (getattr(element, attribute) for element, attribute in _xhtml_texts(root))
    return [_marks_of(text, policy) for text in texts if THAI_LETTER.search(text)]


def _marks_of(text: str, policy: BreakPolicy) -> ReadingMarks:
    return text, policy.reading_breaks(text), policy.glued_spaces(text)


def _xhtml_texts(root: lxml.etree._Element) -> Iterable[tuple[lxml.etree._Element, str]]:
    """Every text node of an XHTML tree outside style, script and spans kept whole, as (element, attribute)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.rsplit("}", 1)[-1]
        kept = name in SKIP or (name == "span" and element.get("class") in KEPT_WHOLE)
        if element.text and not kept:
            yield element, "text"
        if element.tail:
            yield element, "tail"


def _mark_words(
    element: lxml.etree._Element, attribute: str, text: str, breaks: tuple[int, ...], glued: set[int], hints: bool
) -> None:
    """Replace one text node by its words, as `mark_for_reading` promises; `glued` are spaces that must hold.

    The words are written as markup and parsed in one go: lxml makes the elements of a parsed fragment in C,
    twice as fast as making each span and `<wbr/>` from Python (the default book's 25 sections: 0.25 s, now
    0.13 s)."""
    spaces = [
        m.span() for m in SPACE_RUN.finditer(text) if m.start() not in glued and not _holds_number(text, *m.span())
    ]
    cuts = sorted({0, len(text), *breaks, *(at for span in spaces for at in span)})
    opportunities = set(breaks)
    markup = [WORDS_OPEN]  # text, and the words' spans and <wbr/>s, in order
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start in opportunities:
            markup.append(ZWSP if hints else "<wbr/>")
        piece = text[start:end]
        if THAI_LETTER.search(piece) and len(cluster_starts(piece)) > 2:  # the starts and the end: two clusters or more
            markup += (WORD_OPEN, escape(piece, ESCAPED), "</span>")
        else:
            markup.append(escape(piece, ESCAPED))
    markup.append("</words>")
    words = lxml.etree.fromstring("".join(markup))
    if attribute == "text":
        element.text = words.text
        element[0:0] = list(words)
    else:
        parent = element.getparent()
        at = parent.index(element) + 1
        element.tail = words.text
        parent[at:at] = list(words)


def _holds_number(text: str, start: int, end: int) -> bool:
    """Whether the space `text[start:end]` keeps a number with its classifier (41 ชุดโครงการ, 3 คน) or a word
    with its number (มาตรา 20, ภาพที่ 3): the print avoids breaking there (`book/engine/paragraphs.py`), and a
    reading system never does."""
    before, after = text[:start], text[end:]
    if before[-1:].isdigit():
        return after.startswith(CLASSIFIERS)
    return after[:1].isdigit() and before.endswith(KEEP_WITH_NUMBER)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [(s, e) for s, e in merged if e - s > 1]


def _wrap(element: lxml.html.HtmlElement, attribute: str, text: str, spans: list[tuple[int, int]]) -> None:
    """Replace a text node by text and `<span class="nobr">` pieces."""
    parent = element if attribute == "text" else element.getparent()
    first = text[: spans[0][0]]
    new: list[lxml.html.HtmlElement] = []
    for index, (start, end) in enumerate(spans):
        span = lxml.html.Element("span", {"class": "nobr"})
        span.text = text[start:end]
        following = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        span.tail = text[end:following]
        new.append(span)
    if attribute == "text":
        element.text = first
        for position, span in enumerate(new):
            element.insert(position, span)
    else:
        element.tail = first
        at = parent.index(element) + 1
        for position, span in enumerate(new):
            parent.insert(at + position, span)
