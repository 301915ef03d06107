"""Thai typesetting figures, plain WeasyPrint against the toolkit, in one run:

- per gold-segmented set in tests/data/thai-seg/ (or --gold DIR): the share of line ends that fall on a gold
  word boundary, and line ends inside a grapheme cluster or before ๆ;
- the widest gap between phrases on any justified line, in em;
- segmentation and lint throughput per 100,000 characters.

Run: .venv/bin/python benchmarks/thai.py [--limit N] [--gold DIR]
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

from weasyprint import HTML  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402

from book.engine.graphemes import cluster_starts  # noqa: E402
from book.pdf.document import generated_css, text_block  # noqa: E402
from book.pdf.lines import line_text, paragraph_lines, typeset  # noqa: E402
from book.project.reading import load_book  # noqa: E402
from book.thai.breaking import BreakPolicy  # noqa: E402

GOLD = ROOT / "tests" / "data" / "thai-seg"


def gold(folder: Path, name: str, limit: int | None = None) -> list[tuple[str, set[int]]]:
    """(text, gold boundaries) per line, with runs of white space folded to one space as HTML does."""
    texts = (folder / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    labels = (folder / f"{name}.label").read_text(encoding="utf-8").split("\n")
    out = []
    for text, label in list(zip(texts, labels, strict=False))[:limit]:
        if not text.strip():
            continue
        folded, bounds = "", set()
        for token in label.split("|"):
            piece = re.sub(r"\s+", " ", token)
            if piece == " " and (not folded or folded.endswith(" ")):
                continue
            folded += piece
            bounds.add(len(folded))
        folded = folded.strip()
        out.append((folded, {b for b in bounds if 0 < b <= len(folded)}))
    return out


@dataclass
class Lines:
    ends: int = 0
    on_gold: int = 0
    in_cluster: int = 0
    before_mai_yamok: int = 0
    widest_gap_em: float = 0.0
    justified: int = 0
    ragged: int = 0
    misses: list[str] = field(default_factory=list)


def measure(book, samples: list[tuple[str, set[int]]], with_toolkit: bool, space_em: float) -> Lines:  # noqa: ANN001
    paragraphs = paragraph_lines(typeset(book, [text for text, _ in samples], with_toolkit))
    result = Lines()
    for (text, bounds), lines in zip(samples, paragraphs, strict=False):
        starts, cursor = [], 0
        for line in lines:
            piece = line_text(line).strip()
            at = text.find(piece, cursor) if piece else cursor
            starts.append(at if at >= 0 else cursor)
            cursor = starts[-1] + len(piece)
        legal = cluster_starts(text)
        for number, start in enumerate(starts[1:], start=1):
            result.ends += 1
            end = start
            if end in bounds or (0 < end <= len(text) and text[end - 1] == " "):
                result.on_gold += 1
            elif len(result.misses) < 30:
                result.misses.append(text[max(0, end - 12) : end] + "|" + text[end : end + 12])
            result.in_cluster += end not in legal
            result.before_mai_yamok += text[end : end + 1] == "ๆ"
            del number
        for line in lines[:-1]:
            texts = [t for t in line.descendants() if isinstance(t, boxes.TextBox) and " " in t.text.strip()]
            spacing = [t.justification_spacing for t in texts]
            if spacing:
                em = line.style["font_size"]
                result.widest_gap_em = max(result.widest_gap_em, space_em + max(spacing) / em)
    return result


def space_width_em(book) -> float:  # noqa: ANN001
    css = generated_css(book, lambda face: face.path.as_uri()) + book.css("thai.css")
    widths = []
    for text in ("ก ก", "กก"):
        document = HTML(string=f'<html lang="th"><style>{css}</style><p><span>{text}</span></p></html>').render()
        text_box = next(t for t in document.pages[0]._page_box.descendants() if isinstance(t, boxes.TextBox))
        widths.append(text_box.width)
    return (widths[0] - widths[1]) / (11 * 96 / 72)


def throughput(book, samples: list[tuple[str, set[int]]]) -> tuple[float, float]:  # noqa: ANN001
    text = "\n".join(t for t, _ in samples)
    policy = BreakPolicy()
    started = time.perf_counter()
    for line in text.split("\n"):
        policy.for_print(line)
    segment = (time.perf_counter() - started) / len(text) * 100_000
    try:
        from book.thai.lint import lint_text
    except ImportError:
        return segment, float("nan")
    started = time.perf_counter()
    lint_text(text, book.config)
    return segment, (time.perf_counter() - started) / len(text) * 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N lines of each set")
    parser.add_argument("-v", "--verbose", action="store_true", help="show line ends off the gold boundaries")
    parser.add_argument("--gold", type=Path, default=GOLD, help="a folder of gold sets, NAME.txt beside NAME.label")
    args = parser.parse_args()
    sets = sorted(path.stem for path in args.gold.glob("*.label"))
    if not sets:
        parser.error(f"no gold sets (NAME.label beside NAME.txt) in {args.gold}")
    book = load_book(ROOT)
    space_em = space_width_em(book)
    body = book.config["fonts"]["body"]
    print(f"body {body} 11pt, column {text_block(book)[0]:.0f} mm, natural space {space_em:.2f} em")
    print(
        f"{'set':<20}{'edition':<16}{'line ends':>10}{'on gold':>10}{'share':>9}"
        f"{'in cluster':>12}{'before ๆ':>10}{'widest gap':>12}"
    )
    for name in sets:
        samples = gold(args.gold, name, args.limit)
        for label, enabled in (("plain WeasyPrint", False), ("thaibook", True)):
            r = measure(book, samples, enabled, space_em)
            share = 100 * r.on_gold / max(1, r.ends)
            print(
                f"{name:<20}{label:<16}{r.ends:>10}{r.on_gold:>10}{share:>8.2f}%"
                f"{r.in_cluster:>12}{r.before_mai_yamok:>10}{r.widest_gap_em:>10.2f}em"
            )
            if enabled and args.verbose:
                print("  misses:", r.misses)
        segment, lint = throughput(book, samples)
        print(
            f"{name:<20}segmentation {segment * 1000:.0f} ms per 100,000 characters; "
            f"lint {lint * 1000:.0f} ms per 100,000 characters"
        )


if __name__ == "__main__":
    main()
