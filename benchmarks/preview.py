"""How fast the preview follows a save, on the default book: the time from a chapter file being saved to
its new HTML being served (the open page's event stream announces it and the page serves the new text),
and to the chapter's print proof (PDF) being ready. Prints figures; asserts nothing.

The book is copied to a temporary folder first (with the last full build from dist/, when there is one,
so the proof carries the book's page numbers), and the preview runs as the real command in its own
process: `build.py preview --project COPY --port 0`.

Run: .venv/bin/python benchmarks/preview.py [--rounds N] [--chapter SLUG]
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("book.yaml", "chapters", "styles", "fonts", "assets", "templates", "words")
MARKER = "ย่อหน้าทดสอบความเร็วของพรีวิว รอบที่ {}"


def copy_book(target: Path) -> None:
    target.mkdir(parents=True)
    for name in PROJECT_PARTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.is_file():
            shutil.copy2(source, target / name)
    for build in (ROOT / "dist").glob("*-*.pdf"):
        (target / "dist").mkdir(exist_ok=True)
        shutil.copy2(build, target / "dist" / build.name)


class Preview:
    """The preview command running on a copy of the book, and a client of it."""

    def __init__(self, project: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "preview", "--project", str(project), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={"PYTHONUNBUFFERED": "1", "PATH": "/usr/bin:/bin"},
        )
        self.log: list[str] = []
        for line in self.process.stdout:
            self.log.append(line.rstrip())
            if found := re.search(r"preview: http://127\.0\.0\.1:(\d+)/", line):
                self.port = int(found.group(1))
                break
        else:
            raise SystemExit("the preview did not start:\n" + "\n".join(self.log))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.process.stdout:
            self.log.append(line.rstrip())

    def get(self, path: str) -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise SystemExit(f"GET {path}: {response.status}")
            return body
        finally:
            connection.close()

    def events(self, view: str) -> queue.Queue:
        """The view's event stream, each event put on the queue with the time it arrived."""
        arrived: queue.Queue = queue.Queue()

        def listen() -> None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            connection.request("GET", f"/_preview/events?view={view}")
            stream = connection.getresponse()
            while line := stream.readline():
                if line.startswith(b"data: "):
                    arrived.put((time.perf_counter(), json.loads(line[6:])))

        threading.Thread(target=listen, daemon=True).start()
        return arrived

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def one_round(preview: Preview, chapter: Path, slug: str, events: queue.Queue, n: int) -> tuple[float, float, float]:
    """Save the chapter with a new last paragraph; the seconds until the event stream announced a change,
    until the page served the new text, and until the chapter's PDF was ready."""
    while not events.empty():  # announcements of earlier rounds (word counts arrive after the text)
        events.get()
    text = re.sub(r"\n\nย่อหน้าทดสอบความเร็วของพรีวิว รอบที่ \d+\n", "", chapter.read_text(encoding="utf-8"))
    marker = MARKER.format(n)
    chapter.write_text(f"{text.rstrip()}\n\n{marker}\n", encoding="utf-8")
    saved = time.perf_counter()
    while True:
        arrived, _ = events.get(timeout=60)
        if marker in preview.get(f"/page/{slug}").decode("utf-8"):
            served = time.perf_counter()
            break
    preview.get(f"/print/{slug}.pdf")
    ready = time.perf_counter()
    return arrived - saved, served - saved, ready - saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--chapter", default=None, help="the chapter's slug (default: the book's third city)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="preview-bench-") as folder:
        project = Path(folder) / "book"
        copy_book(project)
        chapters = sorted((project / "chapters").glob("*.md"))
        slugs = {re.search(r"^slug: *(\S+)", p.read_text("utf-8"), re.M).group(1): p for p in chapters}
        cities = [s for s, p in slugs.items() if re.search(r"^city:", p.read_text("utf-8"), re.M)]
        slug = args.chapter or cities[2]
        chapter = slugs[slug]

        started = time.perf_counter()
        preview = Preview(project)
        try:
            print(f"preview of {len(chapters)} chapter files started in {time.perf_counter() - started:.1f}s")
            preview.get(f"/page/{slug}")
            warm = time.perf_counter()
            preview.get(f"/print/{slug}.pdf")
            print(f"first proof of {slug} (WeasyPrint warming up): {time.perf_counter() - warm:.2f}s")
            time.sleep(3)  # let the start-up word counts and the watcher settle
            events = preview.events(f"page:{slug}")
            events.get(timeout=60)
            one_round(preview, chapter, slug, events, 0)  # the first re-read after start is not typical
            html_times, pdf_times = [], []
            for n in range(1, args.rounds + 1):
                announced, html, pdf = one_round(preview, chapter, slug, events, n)
                html_times.append(html)
                pdf_times.append(pdf)
                print(f"round {n}: announced {announced:.3f}s, HTML served {html:.3f}s, PDF ready {pdf:.3f}s")
                time.sleep(1)
        finally:
            preview.stop()
        changed = [line for line in preview.log if "page(s) changed" in line]
        print(f"the preview said: {changed[-1] if changed else '(nothing)'}")
        print()
        print(f"chapter {slug}: {len(chapter.read_text('utf-8')):,} characters, {args.rounds} rounds (median, min-max)")
        print(f"  save -> new HTML served:  {_figures(html_times)}   (aim: under 0.3 s)")
        print(f"  save -> chapter PDF ready: {_figures(pdf_times)}   (aim: under 2 s)")


def _figures(times: list[float]) -> str:
    return f"{statistics.median(times):.3f} s ({min(times):.3f}-{max(times):.3f})"


if __name__ == "__main__":
    main()
