"""What a build shows while it runs and when it ends: the step it is on, and a closing summary.

On a terminal the step is one line rewritten in place, its elapsed time ticking; when stderr is not a terminal
(a log, a pipe) or in CI, each step is a plain line of its own, so logs stay readable. The summary lists the
outputs with their pages and sizes, the warnings counted by code, and the time.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..diagnostics import Diagnostic, step_text

TICK = 0.2  # seconds between redraws of the live line: often enough to look alive, rarely enough to cost nothing
CLEAR_LINE = "\r\x1b[K"


def is_live(stream: TextIO) -> bool:
    """True when `stream` is a terminal and the CI variable is unset (CI logs want plain lines)."""
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return terminal and not os.environ.get("CI")


class Progress:
    """A `progress(step)` callback for `building.build`: call it with each step, then `close()` when done.

    Live mode rewrites one line (`[  1.2s] step`) and a background thread keeps its elapsed time current;
    plain mode prints one line per step, as the CLI always did. With a `language`, a step named in Thai and
    English ("อ่านต้นฉบับ (reading the sources)") is shown in that language only."""

    def __init__(self, stream: TextIO | None = None, live: bool | None = None, language: str | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = is_live(self.stream) if live is None else live
        self.language = language
        self.started = time.perf_counter()
        self.step: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def __call__(self, step: str) -> None:
        step = step_text(step, self.language)
        with self._lock:
            self.step = step
            if not self.live:
                print(f"[{self.elapsed():5.1f}s] {step}", file=self.stream, flush=True)
                return
            self._draw()
        if self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._ticker.start()

    def _draw(self) -> None:
        self.stream.write(f"{CLEAR_LINE}[{self.elapsed():5.1f}s] {self.step}")
        self.stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(TICK):
            with self._lock:
                if self.step is not None and not self._stop.is_set():
                    self._draw()

    def close(self) -> None:
        """Stop the ticking line and clear it, so what follows starts on a clean line. Safe to call twice."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        with self._lock:
            if self.live and self.step is not None:
                self.stream.write(CLEAR_LINE)
                self.stream.flush()
            self.step = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pdf_pages(path: Path) -> int | None:
    """The page count of a PDF, or None for any other file."""
    if path.suffix.lower() != ".pdf":
        return None
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def warning_counts(diagnostics: Iterable[Diagnostic]) -> Counter[str]:
    """How many warnings of each code, e.g. {"H002": 2, "H003": 1}."""
    return Counter(d.code for d in diagnostics if d.severity == "warning")


def warnings_line(diagnostics: Iterable[Diagnostic], words: dict[str, str] | None = None) -> str:
    """`warnings: 3 (H002 ×2, H003 ×1)`, or `warnings: none`; codes in order, most frequent first."""
    words = words or {}
    counts = warning_counts(diagnostics)
    label = words.get("warnings", "warnings")
    if not counts:
        return f"{label}: {words.get('none', 'none')}"
    return f"{label}: {sum(counts.values())} ({code_counts(diagnostics)})"


def code_counts(diagnostics: Iterable[Diagnostic]) -> str:
    """`H002 ×2, H003 ×1`: how many warnings of each code, the most frequent first."""
    counts = warning_counts(diagnostics)
    return ", ".join(f"{code} ×{n}" for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def summary_lines(
    outputs: Iterable[Path], diagnostics: Iterable[Diagnostic], seconds: float, words: dict[str, str] | None = None
) -> list[str]:
    """The closing summary: one line per output (name, pages when a PDF, size), the warnings by code, the time.

    `words` holds the interface's words (book.messages) for "summary", "pages", "warnings", "none", "built in"."""
    words = words or {}
    rows = []
    for path in outputs:
        pages = pdf_pages(path)
        rows.append((path.name, "" if pages is None else f"{pages} {words.get('pages', 'pages')}", path.stat().st_size))
    name_width = max((len(name) for name, _, _ in rows), default=0)
    pages_width = max((len(pages) for _, pages, _ in rows), default=0)
    lines = [f"{words.get('summary', 'summary')}:"]
    lines += [f"  {name:<{name_width}}  {pages:>{pages_width}}  {size_text(size):>7}" for name, pages, size in rows]
    lines.append(warnings_line(diagnostics, words))
    lines.append(f"{words.get('built in', 'built in')} {seconds:.1f}s")
    return lines
