"""Where the EPUB's lines end in a reading system (issue 20): the share of line ends inside paragraphs that fall
on a word boundary, and the line ends inside the book's protected words and names, with the EPUB laid out by
Chromium (the engine of most reading apps) at a phone's width (390 px) and a tablet's (768 px).

The judge is a segmenter the toolkit does not use: PyThaiNLP's `longest` matching over its stock dictionary,
without the book's words. The toolkit breaks with `newmm` (and libthai) over the same dictionary plus the
book's words, and Chromium with ICU; a judge built on either would mark its own breaks correct. `longest`
takes the longest dictionary word, so a compound the dictionary holds whole (ท้องถิ่น, ผู้สูงอายุ) is one word,
and a line end between its parts counts as a miss. A line end counts as on a word boundary where the judge has
a boundary there, or where a space or a character that is not a Thai letter stands on either side of it.

Beside them: paragraphs wider than the column (a word kept whole that does not fit), and how full the lines
before each paragraph's last are (the mean and the 5th percentile, % of the column): a break given up costs fill.

Line ends are found in the page itself: a Range over each grapheme cluster of each text node of a paragraph,
and a new line wherever a cluster's box starts below the line before it.

Measured for the default book's city chapters and foreword, and for the gold text of tests/data/thai-seg set
as a book of its own (paragraphs joined as benchmarks/composition.py joins them).

Run: .venv/bin/python benchmarks/reading.py [--epub FILE] [--gold-epub FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = (
    f"{'text':22} {'width':>6} {'line ends':>9} {'Thai|Thai':>9} {'on words':>9} {'in names':>8} {'overflow':>8} "
    f"{'fill':>5} {'fill 5%':>7}"
)
WIDTHS = {"phone": 390, "tablet": 768}
HEIGHT = 844
THAI_LETTER = re.compile(r"[\u0E01-\u0E4E]")
# Every paragraph's text (its text nodes in order) and the offsets, in code points, where its second and later
# lines begin.
LINE_ENDS_JS = r"""
() => {
  const graphemes = new Intl.Segmenter('th', {granularity: 'grapheme'});
  const blocks = [...document.querySelectorAll('p, li')].filter(
    (block) => !block.querySelector('p, li') && !block.closest('nav'));
  const range = document.createRange();
  return blocks.map((block) => {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const column = block.getBoundingClientRect(), style = getComputedStyle(block);
    const left = column.left + parseFloat(style.paddingLeft), width = block.clientWidth
      - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    let text = '', starts = [], bottom = null, right = 0, rights = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const {segment, index} of graphemes.segment(node.data)) {
        range.setStart(node, index);
        range.setEnd(node, index + segment.length);
        const box = [...range.getClientRects()].find((r) => r.height > 0);
        if (box) {
          if (bottom !== null && box.top >= bottom - 2) {
            starts.push([...text].length);
            rights.push(right);
            bottom = box.bottom;
            right = 0;
          } else {
            bottom = bottom === null ? box.bottom : Math.max(bottom, box.bottom);
          }
          if (segment.trim()) right = Math.max(right, box.right);
        }
        text += segment;
      }
    }
    const fills = rights.map((r) => (r - left) / width);
    return {text, starts, fills, overflow: block.scrollWidth > block.clientWidth + 1};
  }).filter((block) => block.text.trim());
}
"""


@dataclass
class Figures:
    """What one layout of one text gave."""

    line_ends: int = 0
    on_words: int = 0
    thai_between: int = 0  # line ends between two Thai letters, the ones a segmenter decides
    inside_names: list[str] = field(default_factory=list)
    fills: list[float] = field(default_factory=list)  # how much of the column each line before the last fills
    overflowing: int = 0  # paragraphs wider than the reader's column: a word kept whole did not fit
    misses: list[str] = field(default_factory=list)

    @property
    def fill(self) -> tuple[float, float]:
        """How full the lines before a paragraph's last are, % of the column: the mean and the 5th percentile."""
        if not self.fills:
            return 100.0, 100.0
        ordered = sorted(self.fills)
        return 100 * sum(ordered) / len(ordered), 100 * ordered[len(ordered) // 20]

    @property
    def share(self) -> float:
        return 100.0 * self.on_words / self.line_ends if self.line_ends else 100.0

    def add(self, other: Figures) -> None:
        self.line_ends += other.line_ends
        self.on_words += other.on_words
        self.thai_between += other.thai_between
        self.inside_names += other.inside_names
        self.overflowing += other.overflowing
        self.fills += other.fills
        self.misses += other.misses


def word_boundaries(text: str) -> set[int]:
    """Offsets of `text` where the judge (PyThaiNLP `longest`, stock dictionary) puts a word boundary."""
    from pythainlp.tokenize import word_tokenize

    found, offset = set(), 0
    for token in word_tokenize(text, engine="longest", keep_whitespace=True):
        offset += len(token)
        found.add(offset)
    return found


def name_spans(text: str, names: Iterable[str]) -> list[tuple[int, int, str]]:
    """Every occurrence of the book's protected words and names in `text` (a space in one may be any spaces)."""
    spans = []
    for name in names:
        pattern = re.escape(name).replace(r"\ ", r"\s+")
        spans += [(m.start(), m.end(), m.group()) for m in re.finditer(pattern, text)]
    return spans


def score(blocks: list[dict], names: Iterable[str]) -> Figures:
    """Judge the line ends of laid-out paragraphs (`LINE_ENDS_JS`'s answer)."""
    names = list(names)
    figures = Figures()
    for block in blocks:
        text, starts = block["text"], block["starts"]
        figures.overflowing += block.get("overflow", False)
        figures.fills += block.get("fills", [])
        if not starts:
            continue
        boundaries = word_boundaries(text)
        spans = name_spans(text, names)
        for at in starts:
            figures.line_ends += 1
            before, after = text[at - 1], text[at] if at < len(text) else " "
            thai = bool(THAI_LETTER.match(before) and THAI_LETTER.match(after))
            figures.thai_between += thai
            if not thai or at in boundaries:
                figures.on_words += 1
            else:
                figures.misses.append(f"{text[max(0, at - 12) : at]}/{text[at : at + 12]}")
            figures.inside_names += [f"{name}: {text[start:at]}/{text[at:end]}" for start, end, name in spans
                                     if start < at < end]  # fmt: skip
    return figures


def documents(folder: Path) -> list[Path]:
    """The EPUB's chapter documents (those with a chapter section), in file name order."""
    return sorted(p for p in folder.glob("*.xhtml") if 'class="chapter"' in p.read_text(encoding="utf-8"))


def unpack(epub: Path, into: Path) -> Path:
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(into)
    return into / "EPUB"


def measure(page, files: list[Path], names: Iterable[str]) -> Figures:  # noqa: ANN001 - Playwright's Page
    """Lay `files` out in `page` (a Chromium tab of the width to measure) and judge their line ends."""
    figures = Figures()
    for file in files:
        page.goto(file.as_uri())
        page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
        figures.add(score(page.evaluate(LINE_ENDS_JS), names))
    return figures


def gold_project(folder: Path) -> Path:
    """The gold text of tests/data/thai-seg as a book: one chapter per set, paragraphs as composition.py joins
    them (Markdown's own characters escaped)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from composition import GOLD  # noqa: PLC0415

    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    (folder / "book.yaml").write_text("title: ข้อความทดสอบการตัดคำ\nlanguage: th\n", encoding="utf-8")
    for number, path in enumerate(sorted(GOLD.glob("*.txt")), start=1):
        paragraphs = _paragraphs(path.read_text(encoding="utf-8"))
        if not paragraphs:  # the licences beside the sets
            continue
        body = "\n\n".join(re.sub(r"([\\`*_{}\[\]<>()#+\-.!|~])", r"\\\1", p) for p in paragraphs)
        (folder / "chapters" / f"{number:02d}-{path.stem}.md").write_text(
            f"# {path.stem}\n\n{body}\n", encoding="utf-8"
        )
    return folder


def _paragraphs(text: str) -> list[str]:
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    out, paragraph, goal = [], "", 350
    for line in (line for line in lines if THAI_LETTER.search(line)):
        paragraph = f"{paragraph} {line}".strip()
        if len(paragraph) >= goal:
            out.append(paragraph[:900].rsplit(" ", 1)[0] if len(paragraph) > 900 else paragraph)
            paragraph, goal = "", 350 + (len(out) * 137) % 450
    return out


def build_epub(project: Path, out: Path) -> tuple[Path, list[str]]:
    """Build the EPUB of `project` into `out`; its path and the book's protected words and names."""
    from book.building import build

    result = build(project, out, targets=("epub",))
    return next(o.path for o in result.outputs if o.path.suffix == ".epub"), list(result.book.break_policy.protected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epub", type=Path, help="the default book's EPUB, already built (else it is built)")
    parser.add_argument("--gold-epub", type=Path, help="the gold text's EPUB, already built (else it is built)")
    parser.add_argument("--out", type=Path, help="keep the EPUBs built here")
    parser.add_argument("--misses", type=int, default=0, help="show this many missed line ends of each")
    args = parser.parse_args()

    import playwright.sync_api as playwright_api

    from book.project.reading import load_book

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        texts = []
        built = args.out or scratch
        epub = args.epub or build_epub(ROOT, built / "default")[0]
        texts.append(("default book", epub, list(load_book(ROOT).break_policy.protected)))
        gold = gold_project(scratch / "gold")
        gold_epub = args.gold_epub or build_epub(gold, built / "gold")[0]
        texts.append(("gold text (thai-seg)", gold_epub, list(load_book(gold).break_policy.protected)))
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            print(HEADER)
            for label, file, names in texts:
                files = documents(unpack(file, scratch / label.split()[0]))
                for width in WIDTHS.values():
                    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
                    f = measure(context.new_page(), files, names)
                    context.close()
                    print(f"{label:22} {width:>4}px {f.line_ends:>9} {f.thai_between:>9} {f.share:>8.1f}% "
                          f"{len(f.inside_names):>8} {f.overflowing:>8} {f.fill[0]:>4.1f}% "
                          f"{f.fill[1]:>6.1f}%")  # fmt: skip
                    for miss in (f.misses + f.inside_names)[: args.misses]:
                        print("   ", miss)
            browser.close()


if __name__ == "__main__":
    main()
