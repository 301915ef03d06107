"""Writing outputs safely: every file goes to a temporary file and is renamed into place, so a failed or
interrupted build leaves the previous output whole; one build at a time holds an output folder.

The hold is `flock` on the folder itself, which Linux, macOS and the BSDs have: no lock file is left among the
outputs, and the system lets go when the build dies, however it dies. Windows has no `flock`; the toolkit runs
there under WSL (README, Platforms)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .workers import HELD

PARTIAL = ".partial"  # where files are written before they are renamed into place


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)`, then rename the temporary file over `target`.

    The temporary lives in a hidden `.partial` folder beside the target, so the target's folder only ever
    holds complete files; a build that is killed leaves its temporary there, and the next build (see
    `output_lock`) clears it.
    """
    scratch = target.parent / PARTIAL
    for attempt in range(10):
        # Another process's write may remove the empty folder at any moment: after our mkdir, or even inside
        # it (mkdir meets the folder, then no longer finds it, and raises FileExistsError). Try again.
        try:
            scratch.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f"{target.name}.", suffix=".tmp", dir=scratch)
            break
        except (FileNotFoundError, FileExistsError):
            if attempt == 9:
                raise
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        with open(temporary, "rb") as done:
            os.fsync(done.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            scratch.rmdir()  # only when no other write is under way
    return target


@contextlib.contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder for one build at a time (two builds started at once take turns), and clear
    what a killed build left half written."""
    out.mkdir(parents=True, exist_ok=True)
    folder = os.open(out, os.O_RDONLY)  # the folder itself is locked: no lock file is left among the outputs
    HELD.add(folder)  # worker processes let go of it (book/scheduler/workers.py)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        shutil.rmtree(out / PARTIAL, ignore_errors=True)
        yield
    finally:
        HELD.discard(folder)
        os.close(folder)


def write_text_atomic(target: Path, text: str) -> Path:
    return write_atomic(target, lambda path: path.write_text(text, encoding="utf-8"))


def sha256(path: Path) -> str:
    """The file's SHA-256, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
