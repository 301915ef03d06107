"""How the preview holds under load, on a copy of the default book, with the real command in its own process
(`build.py preview --project COPY --port 0`), on loopback only:

- load: 500 connections open at once, each asking for a few pages, the stylesheet, a font, an image and a
  page that is not there, while a chapter is saved again and again (every 100 ms, two versions in turn):
  how many requests were answered, by status, none expected 5xx, and the time to answer (median, p95, max);
- silence: 200 sockets that connect and say nothing stay open while a normal request is timed 20 times,
  against the same request with no silent socket (the delay they add); then whether the server closed them
  once they stayed silent longer than its idle limit;
- the server's memory (RSS) and thread count, before the load, after it, and after the silent sockets.

Bounded in count and time: every phase has a deadline and the preview is stopped at the end (Ctrl+C, then
killed if it does not go). Prints figures; asserts nothing.

Run: .venv/bin/python benchmarks/preview_load.py [--connections N] [--idle N] [--requests N] [--toolkit DIR]
(--toolkit: another copy of the toolkit, e.g. `git archive REV | tar -x -C DIR`, measured the same way)
"""

from __future__ import annotations

import argparse
import asyncio
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from preview import copy_book  # noqa: E402 - the preview benchmark's copy of the book, shared

ROOT = Path(__file__).resolve().parent.parent
PHASE_SECONDS = 120.0  # no phase runs longer than this
IDLE_LIMIT = 15.0  # book/preview/connections.py IDLE_SECONDS: the silent sockets are checked after it


class Preview:
    """`build.py preview` on the copy, in English (its address line is then found the same on any locale)."""

    def __init__(self, project: Path, toolkit: Path = ROOT) -> None:
        command = [sys.executable, str(toolkit / "build.py"), "preview", "--project", str(project), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, "--lang", "en"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={"PYTHONUNBUFFERED": "1", "PATH": "/usr/bin:/bin"},
        )
        self.log: list[str] = []
        deadline = time.monotonic() + PHASE_SECONDS
        for line in self.process.stdout:
            self.log.append(line.rstrip())
            if found := re.search(r"preview: http://127\.0\.0\.1:(\d+)/", line):
                self.port = int(found.group(1))
                break
            if time.monotonic() > deadline:
                break
        else:
            raise SystemExit("the preview did not start:\n" + "\n".join(self.log))
        threading.Thread(
            target=lambda: [self.log.append(line.rstrip()) for line in self.process.stdout], daemon=True
        ).start()

    def get(self, target: str) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=60) as sock:
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nConnection: close\r\n\r\n".encode())
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        return answer.partition(b"\r\n\r\n")[2]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def process_figures(pid: int) -> tuple[float, int]:
    """The preview process's resident memory (MB) and thread count, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"])


async def one_connection(port: int, targets: list[str], deadline: float) -> list[tuple[str, int | str, float]]:
    """Opens a connection, asks for each target in turn on it (HTTP/1.1, kept alive; a new connection when
    the server closes one, as an HTTP/1.0 server does), and returns each answer's status (or what went wrong)
    and time."""
    answers: list[tuple[str, int | str, float]] = []
    writer = None
    try:
        for number, target in enumerate(targets):
            if writer is None:
                try:
                    opening = asyncio.open_connection("127.0.0.1", port)
                    reader, writer = await asyncio.wait_for(opening, deadline - time.monotonic())
                except (TimeoutError, OSError) as error:
                    return answers + [(t, f"connect: {type(error).__name__}", 0.0) for t in targets[number:]]
            started = time.monotonic()
            last = number == len(targets) - 1
            close = "Connection: close\r\n" if last else ""
            writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{close}\r\n".encode())
            try:
                status, closes = await asyncio.wait_for(read_answer(reader), deadline - time.monotonic())
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
                answers += [(t, f"read: {type(error).__name__}", 0.0) for t in targets[number:]]
                break
            answers.append((target, status, time.monotonic() - started))
            if closes:
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()
    return answers


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """An answer's status, and whether the server closes the connection after it."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next((int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")), 0)
    await reader.readexactly(length)
    closes = lines[0].startswith("HTTP/1.0") or any(line.lower() == "connection: close" for line in lines)
    return status, closes


async def load(port: int, connections: int, targets: list[str], requests: int) -> list[tuple[str, int | str, float]]:
    """Every connection at once, connection n asking for `requests` targets from the n-th on (round the list)."""
    deadline = time.monotonic() + PHASE_SECONDS
    shifted = [[targets[(n + k) % len(targets)] for k in range(requests)] for n in range(connections)]
    found = await asyncio.gather(*(one_connection(port, shifted[n], deadline) for n in range(connections)))
    return [answer for answers in found for answer in answers]


def saving(chapter: Path, stop: threading.Event) -> int:
    """Saves the chapter every 100 ms, two versions in turn, until `stop`; returns how many saves."""
    original = chapter.read_text(encoding="utf-8")
    versions = [original, original.rstrip() + "\n\nย่อหน้าที่บันทึกซ้ำระหว่างวัดภาระ\n"]
    saves = 0
    while not stop.wait(0.1):
        chapter.write_text(versions[saves % 2], encoding="utf-8")
        saves += 1
    chapter.write_text(original, encoding="utf-8")
    return saves


def timed_get(port: int, target: str) -> float:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        while sock.recv(65536):
            pass
    return time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--connections", type=int, default=500, help="connections open at once (default: 500)")
    options.add_argument("--idle", type=int, default=200, help="silent sockets (default: 200)")
    options.add_argument("--requests", type=int, default=4, help="requests on each connection (default: 4)")
    options.add_argument(
        "--toolkit",
        type=Path,
        default=ROOT,
        help="the toolkit whose build.py runs (default: this one; e.g. a git archive)",
    )
    args = options.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4096)), hard))

    with tempfile.TemporaryDirectory(prefix="thaibook-preview-load-") as folder:
        project = Path(folder) / "book"
        copy_book(project)
        chapters = sorted((project / "chapters").glob("*.md"))
        chapter = chapters[len(chapters) // 2]
        preview = Preview(project, args.toolkit.resolve())
        try:
            port, pid = preview.port, preview.process.pid
            saved_slug = re.search(r"(?m)^slug:\s*(\S+)", chapter.read_text(encoding="utf-8"))
            others = re.findall(r'href="/page/([a-z0-9-]+)"', preview.get("/").decode("utf-8"))
            pages = list(dict.fromkeys([*([saved_slug.group(1)] if saved_slug else []), *others]))[:3]
            targets = [f"/page/{slug}" for slug in pages] + ["/", "/_preview/book.css", "/_preview/fonts/0"]
            targets += ["/page/no-such-page", "/page/infographics/no-such.svg"]
            for target in targets:  # warm: every page read and rendered once
                timed_get(port, target)
            rss, threads = process_figures(pid)
            print(f"preview: pid {pid}, port {port}, chapter saved during the load: {chapter.name}")
            print(f"before:  RSS {rss:.0f} MB, {threads} threads")

            stop = threading.Event()
            saves: list[int] = []
            saver = threading.Thread(target=lambda: saves.append(saving(chapter, stop)))
            saver.start()
            started = time.monotonic()
            try:
                answers = asyncio.run(load(port, args.connections, targets, args.requests))
            finally:
                stop.set()
                saver.join(timeout=30)
            took = time.monotonic() - started
            statuses = Counter(status for _, status, _ in answers)
            times = [seconds for _, status, seconds in answers if isinstance(status, int)]
            server_errors = sum(
                count for status, count in statuses.items() if isinstance(status, int) and status >= 500
            )
            unanswered = sum(count for status, count in statuses.items() if not isinstance(status, int))
            print(
                f"load:    {args.connections} connections at once x {args.requests} requests = {len(answers)} "
                f"requests in {took:.1f} s ({len(answers) / took:.0f}/s), the chapter saved {sum(saves)} times"
            )
            print(f"         statuses: {dict(sorted(statuses.items(), key=str))} (404: the two missing targets)")
            print(f"         5xx: {server_errors}, unanswered: {unanswered}")
            print(
                f"         answer time: median {statistics.median(times) * 1000:.0f} ms, "
                f"p95 {percentile(times, 0.95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
            )
            rss, threads = process_figures(pid)
            print(f"after the load: RSS {rss:.0f} MB, {threads} threads")

            target = f"/page/{pages[0]}"
            alone = [timed_get(port, target) for _ in range(20)]
            silent = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(args.idle)]
            try:
                time.sleep(0.5)
                crowded = [timed_get(port, target) for _ in range(20)]
                rss_open, threads_open = process_figures(pid)
                print(
                    f"silence: {args.idle} silent sockets open; {target}: "
                    f"median {statistics.median(alone) * 1000:.0f} ms alone, "
                    f"{statistics.median(crowded) * 1000:.0f} ms with them (max {max(crowded) * 1000:.0f} ms), "
                    f"delay added {max(0.0, max(crowded) - max(alone)) * 1000:.0f} ms at most"
                )
                print(f"         while they are open: RSS {rss_open:.0f} MB, {threads_open} threads")
                time.sleep(IDLE_LIMIT + 2.0)
                closed = 0
                for sock in silent:
                    sock.settimeout(0.5)
                    try:
                        closed += sock.recv(1) == b""
                    except OSError:
                        pass
                print(
                    f"         closed by the server after {IDLE_LIMIT + 2:.0f} s of silence: {closed} of {len(silent)}"
                )
            finally:
                for sock in silent:
                    sock.close()
            rss, threads = process_figures(pid)
            print(f"after the silence: RSS {rss:.0f} MB, {threads} threads")
            print(f"         a request after it all: {timed_get(port, target) * 1000:.0f} ms")
        finally:
            preview.stop()
            lines = [line for line in preview.log if "error" in line.lower()]
            print(f"the preview's terminal: {len(preview.log)} lines, {len(lines)} about errors")
            for line in lines[:5]:
                print("   ", line)


if __name__ == "__main__":
    main()
