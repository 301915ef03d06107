"""Would a compiled Thai segmenter do the toolkit's segmentation as well, and faster? (issue 23)

Each segmenter, on each gold-segmented set in tests/data/thai-seg/ (or --gold DIR):
- its word boundaries against the gold ones: precision, recall and F1;
- the toolkit's break opportunities made from its words (`BreakPolicy.breaks`: the words, then the toolkit's
  rules: libthai agrees, both words known, no name or compound parted...), and the share of them that fall on
  a gold boundary: what a reader sees, since a line may end only there;
- how many lines it segments as the toolkit does today, word for word;
- its time per 100,000 characters (the median of --runs passes), and the time to load it.

The segmenters:
- newmm as the toolkit runs it today: PyThaiNLP's newmm with PyThaiNLP's word list (`book/thai/dictionary.py`);
- nlpo3: newmm in Rust (PyThaiNLP's own port), given the same word list;
- ICU's dictionary-based word break iterator (PyICU), with ICU's own Thai dictionary.
A segmenter that is not installed is skipped with a word: `pip install nlpo3 pyicu` (PyICU builds against
`libicu-dev`). Neither is one of the toolkit's dependencies.

Run: .venv/bin/python benchmarks/segmenters.py [--limit N] [--runs N] [--gold DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from thai import GOLD, gold  # noqa: E402

from book.thai.breaking import BreakPolicy, _newmm  # noqa: E402
from book.thai.dictionary import word_prefixes  # noqa: E402

Segmenter = Callable[[str], list[str]]


def toolkit() -> Segmenter:
    from pythainlp.tokenize import word_tokenize

    return lambda text: _newmm(text, word_tokenize)


def with_nlpo3() -> Segmenter:
    from nlpo3 import load_dict, segment

    with tempfile.TemporaryDirectory() as folder:
        words = Path(folder) / "words.txt"
        words.write_text("\n".join(word_prefixes().ordered), encoding="utf-8")
        load_dict(str(words), "thaibook")
    return lambda text: segment(text, "thaibook") if text else []


def with_icu() -> Segmenter:
    import icu

    iterator = icu.BreakIterator.createWordInstance(icu.Locale("th"))

    def segment(text: str) -> list[str]:
        if not text:
            return []
        units = [0, *accumulate(2 if ord(char) > 0xFFFF else 1 for char in text)]  # ICU counts UTF-16 units
        at = {unit: index for index, unit in enumerate(units)}
        iterator.setText(text)
        bounds = [at[unit] for unit in iterator]
        return [text[start:end] for start, end in zip([0, *bounds], bounds, strict=False) if end > start]

    return segment


SEGMENTERS: dict[str, Callable[[], Segmenter]] = {"newmm (today)": toolkit, "nlpo3": with_nlpo3, "ICU": with_icu}


class _Policy(BreakPolicy):
    """The toolkit's break policy over another segmenter's words."""

    def __init__(self, segment: Segmenter) -> None:
        self.segment = segment
        super().__init__()

    def _tokens(self, text: str) -> tuple[str, ...]:
        return tuple(self.segment(text))


def bounds(words: list[str]) -> set[int]:
    return set(accumulate(len(word) for word in words))


@dataclass
class Score:
    found: int = 0
    right: int = 0
    wanted: int = 0
    breaks: int = 0
    breaks_right: int = 0
    same: int = 0

    def line(self, name: str, lines: int, seconds: float, loaded: float) -> str:
        precision, recall = self.right / max(1, self.found), self.right / max(1, self.wanted)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        return (
            f"{name:<15}{100 * precision:>9.2f}{100 * recall:>8.2f}{100 * f1:>7.2f}{self.breaks:>8}"
            f"{100 * self.breaks_right / max(1, self.breaks):>9.2f}{self.same:>8}/{lines:<5}"
            f"{seconds * 1000:>9.0f} ms{loaded * 1000:>8.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N lines of each set")
    parser.add_argument("--runs", type=int, default=5, help="passes to time (the median is printed)")
    parser.add_argument("--gold", type=Path, default=GOLD, help="a folder of gold sets, NAME.txt beside NAME.label")
    args = parser.parse_args()
    sets = sorted(path.stem for path in args.gold.glob("*.label"))
    if not sets:
        parser.error(f"no gold sets (NAME.label beside NAME.txt) in {args.gold}")
    word_prefixes()  # read once, outside every segmenter's load time
    loaded: dict[str, tuple[Segmenter, float]] = {}
    for name, make in SEGMENTERS.items():
        started = time.perf_counter()
        try:
            segment = make()
            segment("เมืองแห่งการเรียนรู้")  # the first call loads what is loaded when first wanted
        except ImportError as missing:
            print(f"{name}: not installed ({missing.name}), skipped")
            continue
        loaded[name] = (segment, time.perf_counter() - started)
    today = loaded["newmm (today)"][0]
    for set_name in sets:
        samples = gold(args.gold, set_name, args.limit)
        characters = sum(len(text) for text, _ in samples)
        print(f"\n{set_name}: {len(samples)} lines, {characters} characters")
        print(
            f"{'segmenter':<15}{'precis.':>9}{'recall':>8}{'F1':>7}{'breaks':>8}{'on gold':>9}"
            f"{'same as today':>14}{'per 100k chars':>15}{'load':>8}"
        )
        expected = [today(text) for text, _ in samples]
        for name, (segment, load) in loaded.items():
            score, policy = Score(), _Policy(segment)
            for (text, wanted), words_today in zip(samples, expected, strict=True):
                words = segment(text)
                found, truth = bounds(words) - {len(text)}, wanted - {len(text)}
                score.found, score.wanted = score.found + len(found), score.wanted + len(truth)
                score.right += len(found & truth)
                breaks = policy.breaks(text)
                score.breaks += len(breaks)
                score.breaks_right += sum(1 for offset in breaks if offset in wanted)
                score.same += words == words_today
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                for text, _ in samples:
                    segment(text)
                times.append(time.perf_counter() - started)
            per_100k = statistics.median(times) / characters * 100_000
            print(score.line(name, len(samples), per_100k, load))


if __name__ == "__main__":
    main()
