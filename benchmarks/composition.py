"""How well paragraphs are set, each figure against its target (issue 19), for the default book's paragraphs and for
Thai text the toolkit was not tuned on (the gold sets in tests/data/thai-seg/, joined into paragraphs of real
length), with whole-paragraph breaking and, for comparison, greedy line-by-line breaking (as main does):

- ragged inner lines: lines inside a justified paragraph that stop short of the measure (target 0);
- letter spacing, em per cluster gap: the most on any line (target 0.05) and the 95th percentile (target 0.03);
- the widest gap between phrases, em, at the 95th percentile of lines with a phrase space (target 0.6);
- paragraphs that end in a one-word last line (a last line without a break opportunity inside), % (target < 2);
- the time to lay the paragraphs out.

Both sets are set at the default book's body size, measure and stylesheet (`book/pdf/lines.py` `typeset`).

Run: .venv/bin/python benchmarks/composition.py [--greedy] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402

from benchmarks.thai import space_width_em  # noqa: E402
from book.engine import paragraphs  # noqa: E402
from book.pdf.document import text_block  # noqa: E402
from book.pdf.lines import paragraph_lines, typeset  # noqa: E402
from book.project.reading import load_book  # noqa: E402

GOLD = ROOT / "tests" / "data" / "thai-seg"
TARGETS = {"ragged": 0, "spacing_max": 0.05, "spacing_95": 0.03, "gap_95": 0.6, "one_word": 2.0}
WORDS = re.compile(r"[^ \u200b\u00a0]+")


def book_texts(book) -> list[str]:  # noqa: ANN001
    """The text of every paragraph of the book's chapters."""
    return [
        p.text_content().strip()
        for chapter in book.numbered
        for p in lxml.html.fromstring(f"<div>{chapter.html}</div>").xpath("./p")
        if p.text_content().strip()
    ]


def gold_texts(limit: int | None = None) -> list[str]:
    """The gold sets' sentences, joined in order into paragraphs of 350 to 900 characters."""
    out = []
    for path in sorted(GOLD.glob("*.txt")):
        lines = [re.sub(r"\s+", " ", line).strip() for line in path.read_text(encoding="utf-8").split("\n")]
        paragraph, goal = "", 350
        for line in (line for line in lines if re.search(r"[\u0E01-\u0E5B]", line)):
            paragraph = f"{paragraph} {line}".strip()
            if len(paragraph) >= goal:
                out.append(paragraph[:900].rsplit(" ", 1)[0] if len(paragraph) > 900 else paragraph)
                paragraph, goal = "", 350 + (len(out) * 137) % 450  # lengths spread, the same each run
    return out[:limit]


@dataclass
class Figures:
    paragraphs: int = 0
    inner: int = 0
    ragged: list[str] = field(default_factory=list)
    spacing: list[float] = field(default_factory=list)  # em per cluster gap, every justified Thai line
    gaps: list[float] = field(default_factory=list)  # em, the phrase gap of every justified line with one
    one_word: list[str] = field(default_factory=list)
    seconds: float = 0.0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(book, texts: list[str], greedy: bool) -> Figures:  # noqa: ANN001
    space_em = space_width_em(book)
    width = text_block(book)[0] * 96 / 25.4
    started = time.perf_counter()
    with paragraphs.greedy(greedy):
        document = typeset(book, texts)
    figures = Figures(seconds=time.perf_counter() - started)
    for lines in paragraph_lines(document):
        figures.paragraphs += 1
        for line in lines[:-1]:
            figures.inner += 1
            texts_ = [t for t in line.descendants() if isinstance(t, boxes.TextBox)]
            text = "".join(t.text for t in texts_)
            if line.width < width - 0.5:
                figures.ragged.append(text.replace("\u200b", ""))
                continue
            em = line.style["font_size"]
            layouts = [t.pango_layout for t in texts_]
            stretches = [getattr(lay, "stretch", None) for lay in layouts]
            figures.spacing.append(max((s.spacing for s in stretches if s is not None), default=0) / em)
            if re.search(r"[ \u00a0]", text.strip()):
                figures.gaps.append(space_em + max(t.justification_spacing for t in texts_) / em)
        last = "".join(t.text for t in lines[-1].descendants() if isinstance(t, boxes.TextBox))
        if len(lines) > 1 and len(WORDS.findall(last)) == 1:
            figures.one_word.append(last.strip())
    return figures


def report(name: str, label: str, f: Figures) -> None:
    share = 100 * len(f.one_word) / max(1, f.paragraphs)
    rows = [
        ("ragged inner lines", len(f.ragged), TARGETS["ragged"], f"of {f.inner}"),
        ("letter spacing max, em", max(f.spacing, default=0), TARGETS["spacing_max"], ""),
        ("letter spacing 95th pct, em", percentile(f.spacing, 0.95), TARGETS["spacing_95"], ""),
        ("phrase gap 95th pct, em", percentile(f.gaps, 0.95), TARGETS["gap_95"], f"max {max(f.gaps, default=0):.2f}"),
        ("one-word last lines, %", share, TARGETS["one_word"], f"{len(f.one_word)} of {f.paragraphs}"),
    ]
    print(f"\n{name}, {label} ({f.paragraphs} paragraphs, {f.seconds:.1f} s)")
    for title, value, target, note in rows:
        met = value < target if title.startswith("one-word") else value <= target
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(
            f"  {title:<30}{shown:>8}   target {'<' if title.startswith('one') else '≤'} {target:<6} "
            f"{'met' if met else 'NOT MET':<8}{note}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--greedy", action="store_true", help="also measure greedy line-by-line breaking (main)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N paragraphs of each set")
    parser.add_argument("-v", "--verbose", action="store_true", help="show ragged lines and one-word last lines")
    args = parser.parse_args()
    book = load_book(ROOT)
    sets = [("default book", book_texts(book)[: args.limit]), ("gold text (thai-seg)", gold_texts(args.limit))]
    for name, texts in sets:
        for label, greedy in [("whole paragraphs", False)] + ([("greedy (main)", True)] if args.greedy else []):
            figures = measure(book, texts, greedy)
            report(name, label, figures)
            if args.verbose:
                print("  ragged:", figures.ragged[:10])
                print("  one-word last lines:", figures.one_word[:20])


if __name__ == "__main__":
    main()
