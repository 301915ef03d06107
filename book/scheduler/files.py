"""Writing outputs safely: every file goes to a temporary file and is renamed into place, so a failed or
interrupted build leaves the previous output whole; one build at a time holds an output folder.

The hold is `flock` on the folder itself, which Linux, macOS and the BSDs have: no lock file is left among the
outputs, and the system lets go when the build dies, however it dies. Windows has no `flock`; the toolkit runs
there under WSL (README, Platforms)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..diagnostics import EXIT_CONTENT, EXIT_USAGE, BookError, diagnostic
from .workers import HELD

PARTIAL = ".partial"  # where files are written before they are renamed into place
# What the system says when a folder cannot take a file: the catalogue entry for each (D101-D109), and the
# exit code. A full disk is not the user's command line (1); a folder they may not write is (2).
FOLDER_ERRORS = {
    errno.ENOSPC: ("D101", EXIT_CONTENT),
    errno.EDQUOT: ("D101.quota", EXIT_CONTENT),
    errno.EFBIG: ("D101.limit", EXIT_CONTENT),
    errno.EACCES: ("D102", EXIT_USAGE),
    errno.EPERM: ("D102", EXIT_USAGE),
    errno.EROFS: ("D103", EXIT_USAGE),
    errno.EISDIR: ("D108", EXIT_USAGE),
}
_before_replacing: list[Callable[[Path], None]] = []  # see before_replacing


class FolderError(BookError, OSError):
    """A folder that cannot take the outputs, or be read: one diagnostic naming it, which the command line
    says as one sentence (a count of problems and "nothing was written" would not be true of it). It is an
    OSError still, so that what keeps a file only when it can (a cache on a read-only home) goes on without."""

    def __reduce__(self) -> tuple:
        return FolderError, (self.diagnostics, self.exit_code)


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)`, then rename the temporary file over `target`.

    The temporary lives in a hidden `.partial` folder beside the target, so the target's folder only ever
    holds complete files; a build that is killed leaves its temporary there, and the next build (see
    `output_lock`) clears it. A folder that cannot take the file (a full disk, a denied permission, a read-only
    disk) raises `FolderError` naming the folder (`folder_problem`), and the old `target` is left as it was.
    """
    try:
        return _write_atomic(target, write)
    except OSError as error:
        problem = folder_problem(target.parent, error, target.name)
        if problem is None:
            raise
        raise problem from error


def _write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
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
        for hook in _before_replacing:
            hook(target)
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
    output_folder(out)
    try:
        folder = os.open(out, os.O_RDONLY)  # the folder itself is locked: no lock file is left among the outputs
    except OSError as error:
        raise _unusable(out, error) from error
    HELD.add(folder)  # worker processes let go of it (book/scheduler/workers.py)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        shutil.rmtree(out / PARTIAL, ignore_errors=True)
        yield
    finally:
        HELD.discard(folder)
        os.close(folder)


def output_folder(out: Path) -> Path:
    """Make the output folder `out` if it is not there; a `FolderError` naming it, or the file or folder in
    the way, when it cannot be made (D102-D105)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _unusable(out, error) from error
    return out


@contextlib.contextmanager
def before_replacing(hook: Callable[[Path], None]) -> Iterator[None]:
    """While in effect, `write_atomic` in this process calls `hook(target)` once a new file is complete and
    just before it is renamed over `target`: the last moment at which the old file is still there."""
    _before_replacing.append(hook)
    try:
        yield
    finally:
        _before_replacing.remove(hook)


def folder_problem(folder: Path, error: OSError, name: str = "") -> FolderError | None:
    """The diagnostic, naming `folder`, for an `error` met while writing the file `name` into it: a full disk,
    a denied permission, a read-only disk, a folder where the file should go, or a file where a folder should
    be (that one named instead). None for any other error, and for an error about a file elsewhere (an asset
    being read while the output is written): that one is not the folder's."""
    if error.errno in (errno.EEXIST, errno.ENOTDIR):  # a file where a folder should be, or on the way to it
        path = Path(os.fsdecode(error.filename)) if error.filename is not None else folder
        in_the_way = any(_exists(p) and not p.is_dir() for p in (path, *path.parents))
        return _unusable(path, error) if in_the_way else None
    if error.errno not in FOLDER_ERRORS:
        return None
    if error.filename is not None and not _inside(Path(os.fsdecode(error.filename)), folder):
        return None
    key, code = FOLDER_ERRORS[error.errno]
    name = name or Path(os.fsdecode(error.filename or "")).name
    return FolderError([diagnostic(str(folder), None, key, name=name)], code)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _exists(path: Path) -> bool:
    try:
        path.stat()
    except OSError:  # also a folder on the way that may not be searched: it is not there for us
        return False
    return True


def _dangling(path: Path) -> bool:
    try:
        return path.is_symlink() and not _exists(path)
    except OSError:
        return False


def _unusable(out: Path, error: OSError) -> FolderError:
    """Why the output folder `out` cannot be made or opened, naming it (D104, D105) or the folder in the way."""
    if _exists(out) and not out.is_dir():
        return FolderError([diagnostic(str(out), None, "D104")], EXIT_USAGE)
    dangling = next((p for p in (out, *out.parents) if _dangling(p)), None)
    if dangling is not None:  # the folder, or one on its way, is a link to nothing
        return FolderError([diagnostic(str(dangling), None, "D109", target=os.readlink(dangling))], EXIT_USAGE)
    parent = next((p for p in out.parents if _exists(p)), Path("/"))
    if not _exists(out) and not parent.is_dir():
        return FolderError([diagnostic(str(out), None, "D105", parent=str(parent))], EXIT_USAGE)
    key, code = FOLDER_ERRORS.get(error.errno, ("D107", EXIT_CONTENT))
    where = out if _exists(out) else parent
    return FolderError([diagnostic(str(where), None, key, name=out.name, reason=error.strerror)], code)


def write_text_atomic(target: Path, text: str) -> Path:
    return write_atomic(target, lambda path: path.write_text(text, encoding="utf-8"))


def sha256(path: Path) -> str:
    """The file's SHA-256, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
