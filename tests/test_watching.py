"""`build.py watch`: one process that builds the book, then builds it again each time a source is saved. Run
as an editor runs it, in a real process, its output piped, with real saves: each rebuild writes what a build
without the cache writes, a broken save reports its problem and keeps the last good outputs, and Ctrl+C ends
it cleanly."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

from conftest import ROOT
from test_incremental import PAGE_PUSHING, outputs, same_as_without_cache

from book.project.sources import Sources

WAIT = 240  # seconds a build in the watch may take on a busy machine: a safety net, never a pace


class Watch:
    """`build.py watch` on a project, both its streams read as they come.

    A build in the watch reports on both streams (the files and the summary on stdout, the progress and the
    problems on stderr), then says on stdout that it is watching again. Two pipes keep no order between them:
    read by a thread each, the `watching` line can be taken before the problems the watch wrote just before
    it. So both are read here, in one thread, stdout first and stderr to its end right after: whatever the
    watch wrote to stderr before a line of stdout has been read by the time that line is, and is put before
    it. A line of stdout is then a point in the watch's output that both streams have passed."""

    def __init__(self, project: Path, out: Path) -> None:
        command = [sys.executable, str(ROOT / "build.py"), "watch", "--project", str(project), "--out", str(out)]
        # As an editor's task runner starts it: piped, buffered as Python buffers a pipe (no PYTHONUNBUFFERED).
        self.process = subprocess.Popen([*command, "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.pipes = {"stdout": self.process.stdout, "stderr": self.process.stderr}
        self.selector = selectors.DefaultSelector()
        for pipe in self.pipes.values():
            os.set_blocking(pipe.fileno(), False)
            self.selector.register(pipe, selectors.EVENT_READ)
        self.unfinished = {name: b"" for name in self.pipes}
        self.lines: deque[tuple[str, str]] = deque()  # read and not yet taken by `until`, in the watch's order
        self.seen = {name: "" for name in self.pipes}

    def _take(self, name: str) -> list[tuple[str, str]]:
        """The whole lines that stream `name` holds now (its last line too once the watch closed it)."""
        pipe, taken = self.pipes[name], []
        while pipe.fileno() in self.selector.get_map():
            try:
                chunk = os.read(pipe.fileno(), 65536)
            except BlockingIOError:
                break
            if not chunk:
                self.selector.unregister(pipe)
                chunk = b"\n" if self.unfinished[name] else b""
            *whole, self.unfinished[name] = (self.unfinished[name] + chunk).split(b"\n")
            taken += [(name, line.decode("utf-8", "replace") + "\n") for line in whole]
        return taken

    def _read(self, deadline: float) -> bool:
        """Wait until the watch writes, then read what it wrote; False once it has ended and all it wrote is read
        (its streams may stay open a moment longer in a worker it forked)."""
        while self.selector.get_map():
            ended = self.process.poll() is not None  # then all it wrote is in the pipes already
            if not ended and time.monotonic() > deadline:
                raise AssertionError(f"past the deadline, the watch still at:\n{self.seen}")
            self.selector.select(timeout=0 if ended else min(1.0, max(0.0, deadline - time.monotonic())))
            out = self._take("stdout")
            read = self._take("stderr") + out  # stderr read after stdout, put before it: the watch wrote it first
            self.lines += read
            if read:
                return True
            if ended:
                return False
        return False

    def until(self, pattern: str) -> str:
        """What the watch printed, both streams, up to the first line of stdout matching `pattern`."""
        said, deadline = [], time.monotonic() + WAIT
        while True:
            while self.lines:
                name, line = self.lines.popleft()
                self.seen[name] += line
                said.append(line)
                if name == "stdout" and re.search(pattern, line):
                    return "".join(said)
            if not self._read(deadline):
                raise AssertionError(f"the watch ended (exit {self.process.poll()}) before {pattern!r}:\n{self.seen}")

    def stop(self) -> int:
        """Ctrl+C; its exit code, once all it printed is read."""
        self.process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 60
        while self._read(deadline):
            pass
        while self.lines:
            name, line = self.lines.popleft()
            self.seen[name] += line
        return self.process.wait(timeout=60)

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        self.selector.close()
        self.process.stdout.close()
        self.process.stderr.close()


def save(path: Path, text: str) -> None:
    """Save `path` as an editor that writes aside and renames into place: the watch meets the old text or
    the new, whole, and builds once. (Written in place, a save is a truncation, then a write; on a busy
    machine the write can come more than the watch's 30 ms step after the truncation, and the watch then
    builds the emptied file first, as it should, then the saved one.)"""
    aside = path.with_name(f".{path.name}.saving")
    aside.write_text(text, encoding="utf-8")
    aside.replace(path)


def test_each_save_rebuilds_what_a_build_without_the_cache_writes(project, tmp_path):
    out = tmp_path / "out"
    chapter = project / "chapters" / "01-nan.md"
    watch = Watch(project, out)
    try:
        first = watch.until("^watching the sources")
        assert "mini-test-book-print.pdf" in first and "built in" in first, first

        save(chapter, chapter.read_text(encoding="utf-8").replace("ขึ้นลง", "ขึ้นและลง", 1))
        again = watch.until("^watching the sources")
        assert "saved chapters/01-nan.md: rebuilding" in again
        assert "laying out 1 of" in again  # the other parts came from the cache
        assert "wrote " not in again  # a rebuild names its files once, in the summary
        same_as_without_cache(project, out, tmp_path)

        save(chapter, chapter.read_text(encoding="utf-8") + PAGE_PUSHING)
        assert "saved chapters/01-nan.md: rebuilding" in watch.until("^watching the sources")
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
        first = watch.until("^watching the sources")
        assert "built in" in first, first
        good = outputs(out)
        text = chapter.read_text(encoding="utf-8")

        save(chapter, text.replace("slug: trang", "slug: [trang", 1))
        broken = watch.until("^watching the sources")
        assert "saved chapters/02-trang.md: rebuilding" in broken
        assert re.search(r"chapters/02-trang\.md:\d+", broken), broken
        assert "nothing was written" in broken
        assert outputs(out) == good

        save(chapter, text.replace("ตรัง", "เมืองตรัง", 1))
        fixed = watch.until("^watching the sources")
        assert "saved chapters/02-trang.md: rebuilding" in fixed
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
