"""`build.py watch`: one process that builds the book, then builds it again each time a source is saved. Run
as an editor runs it, in a real process, with real saves: each rebuild writes what a build without the cache
writes, a broken save reports its problem and keeps the last good outputs, and Ctrl+C ends it cleanly."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from conftest import ROOT
from test_incremental import PAGE_PUSHING, outputs, same_as_without_cache

from book.project.sources import Sources

WAIT = 240  # seconds a build in the watch may take on a busy machine


class Watch:
    """`build.py watch` on a project, its two streams read line by line as they come."""

    def __init__(self, project: Path, out: Path) -> None:
        command = [sys.executable, str(ROOT / "build.py"), "watch", "--project", str(project), "--out", str(out)]
        self.process = subprocess.Popen(
            [*command, "--lang", "en"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        self.lines: queue.Queue[tuple[str, str | None]] = queue.Queue()
        self.seen = {"stdout": "", "stderr": ""}
        self.readers = [threading.Thread(target=self._read, args=(name,), daemon=True) for name in self.seen]
        for reader in self.readers:
            reader.start()

    def _read(self, name: str) -> None:
        for line in getattr(self.process, name):
            self.lines.put((name, line))
        self.lines.put((name, None))

    def until(self, pattern: str, stream: str = "stdout") -> str:
        """What the watch printed up to the first line of `stream` matching `pattern`, both streams."""
        said = []
        while True:
            name, line = self.lines.get(timeout=WAIT)
            if line is None:
                continue
            self.seen[name] += line
            said.append(line)
            if name == stream and re.search(pattern, line):
                return "".join(said)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        while not self.lines.empty():
            name, line = self.lines.get()
            self.seen[name] += line or ""
        return code

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        for reader in self.readers:
            reader.join(timeout=10)
        self.process.stdout.close()
        self.process.stderr.close()


def test_each_save_rebuilds_what_a_build_without_the_cache_writes(project, tmp_path):
    out = tmp_path / "out"
    chapter = project / "chapters" / "01-nan.md"
    watch = Watch(project, out)
    try:
        first = watch.until("^watching the sources")
        assert "mini-test-book-print.pdf" in first and "built in" in first

        chapter.write_text(chapter.read_text(encoding="utf-8").replace("ขึ้นลง", "ขึ้นและลง", 1), encoding="utf-8")
        again = watch.until("^watching the sources")
        assert "saved chapters/01-nan.md: rebuilding" in again
        assert "laying out 1 of" in again  # the other parts came from the cache
        assert "wrote " not in again  # a rebuild names its files once, in the summary
        same_as_without_cache(project, out, tmp_path)

        chapter.write_text(chapter.read_text(encoding="utf-8") + PAGE_PUSHING, encoding="utf-8")
        watch.until("^watching the sources")
        same_as_without_cache(project, out, tmp_path)

        assert watch.stop() == 0
        assert "stopped watching" in watch.seen["stderr"]
        assert "Traceback" not in watch.seen["stderr"]
    finally:
        watch.close()


def test_a_broken_save_says_where_keeps_the_outputs_and_the_watch_goes_on(project, tmp_path):
    out = tmp_path / "out"
    chapter = project / "chapters" / "02-trang.md"
    watch = Watch(project, out)
    try:
        watch.until("^watching the sources")
        good = outputs(out)
        text = chapter.read_text(encoding="utf-8")

        chapter.write_text(text.replace("slug: trang", "slug: [trang", 1), encoding="utf-8")
        broken = watch.until("^watching the sources")
        assert re.search(r"chapters/02-trang\.md:\d+", broken), broken
        assert "nothing was written" in broken
        assert outputs(out) == good

        chapter.write_text(text.replace("ตรัง", "เมืองตรัง", 1), encoding="utf-8")
        fixed = watch.until("^watching the sources")
        assert "problem" not in fixed and "print-ready" in fixed
        same_as_without_cache(project, out, tmp_path)
        assert watch.stop() == 0
        assert "Traceback" not in watch.seen["stderr"]
    finally:
        watch.close()


def test_a_folder_that_is_not_a_book_is_refused(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "watch", "--project", str(tmp_path), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "[U001]" in done.stderr and "Traceback" not in done.stderr


def test_the_outputs_folder_is_never_a_source(tmp_path):
    """Built into a watched folder, the watch must not take its own outputs for saves (and build forever)."""
    sources = Sources(tmp_path, outputs=tmp_path / "assets")
    assert not sources(1, str(tmp_path / "assets" / "index.html"))
    assert Sources(tmp_path)(1, str(tmp_path / "assets" / "index.html"))
    assert sources(1, str(tmp_path / "chapters" / "01-nan.md"))
