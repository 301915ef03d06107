"""The build cache: what one build worked out and the next can take instead of doing it again (each chapter's
Markdown converted to HTML, each part's layout and PDFs, the contents, the folio layer, the front cover, the
EPUB's fonts, each text with its Thai breaks marked, the EPUB's reading marks of each section, and how each
infographic placeholder's brief fits its box), in `PROJECT/.cache/`.

Each entry is named by a key that digests everything it was made from (`digest`; see `book/pdf/parts.py` for
the parts' keys, and `toolkit_digest` for the toolkit's own code, which is in every key), so an entry is
either right or never asked for. The folder is safe to delete at any time: the next build is then as slow as a
first one and makes the same files. After a build only the entries that build used are kept, so the folder
holds one book's worth.

An entry is its digest (SHA-256 of its kind, its key and its content), a line of JSON (plain facts) and the
bytes of its files after it; nothing in it is ever run. An entry is never trusted: one that does not match its
digest, is not a regular file, or whose facts are not of the shape its caller checks (`fits`), is ignored and
its work done again, so a damaged cache, or one that came with someone else's project, changes no output and
stops no build.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from .. import PACKAGE

FOLDER = ".cache"
MAGIC = b"thaibook cache 2 "  # then the entry's digest (`_seal`), a line of JSON and the files' bytes
LIMIT = 1 << 28  # no entry is larger (none is kept larger): a planted giant is not read into memory
KIND = re.compile(r"[a-z0-9]+")  # kinds and keys: names, never paths
STALE = 3600  # seconds after which a temporary entry is a killed build's, not one being written
FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class Cache:
    """Entries by kind and key under `folder`; with `folder` None, a cache that keeps nothing.

    Only what is inside `folder` is ever read, written or deleted: the folder and each kind's folder in it are
    opened without following a symlink, and every entry is opened and renamed relative to its kind's folder, so
    a `.cache` or a `.cache/parts` that is a symlink (to the chapters, to /tmp) is as good as no cache. An entry
    that is not a regular file (a symlink, a FIFO, a folder), that is larger than `LIMIT`, whose content does
    not match its digest, or whose facts are not of the shape its caller expects, is ignored: the work is
    done again, and the build gives what a build without the cache gives."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[Path] = set()

    def get(
        self, kind: str, key: str, shape: Callable[[dict, dict[str, bytes]], bool] | None = None
    ) -> tuple[dict, dict[str, bytes]] | None:
        """The facts and files stored under `key`, or None; with `shape`, only if `shape(facts, files)` holds
        (a `shape` that raises on facts it does not expect counts as not holding)."""
        data = self._read(kind, key)
        entry = None if data is None else _opened(kind, key, data)
        if entry is None:
            return None
        if shape is not None:
            try:
                if not shape(*entry):
                    return None
            except Exception:  # noqa: BLE001 - facts of an unexpected shape: the entry is as good as none
                return None
        self.used.add(self._path(kind, key))
        return entry

    def put(self, kind: str, key: str, facts: dict, files: dict[str, bytes] | None = None) -> None:
        """Store `facts` (anything JSON can hold) and `files` under `key`, atomically, with their digest."""
        if self.folder is None or not KIND.fullmatch(key):
            return
        files = files or {}
        head = json.dumps({"facts": facts, "files": [[n, len(b)] for n, b in files.items()]}, ensure_ascii=False)
        content = b"".join([head.encode(), b"\n", *files.values()])
        if len(content) > LIMIT - 100:  # too large to be read back (with its digest line): not kept
            return
        where = self._folder(kind, create=True)
        if where is None:  # a read-only disk, or a folder that is not ours: built as if there were no cache
            return
        try:
            kept = _write_in(where, f"{key}.entry", [MAGIC + _seal(kind, key, content).encode() + b"\n", content])
        finally:
            os.close(where)
        if kept:
            self.used.add(self._path(kind, key))

    def keep(self, kind: str, keys: list[str]) -> None:
        """Count the entries of `keys` as used without reading them (`keep_only_used` keeps them)."""
        if self.folder is not None:
            self.used.update(self._path(kind, key) for key in keys)

    def keep_only_used(self, kinds: tuple[str, ...]) -> None:
        """Delete the entries of `kinds` this build did not use (a planted symlink is deleted, never what it
        points to; nothing is deleted through a kind's folder that is a symlink), and the temporaries that
        builds killed while writing an entry left an hour ago or more."""
        if self.folder is None:
            return
        for kind in kinds:
            where = self._folder(kind)
            if where is None:
                continue
            try:
                for name in os.listdir(where):
                    unused = name.endswith(".entry") and self.folder / kind / name not in self.used
                    if unused or (name.endswith(".tmp") and _older(where, name, STALE)):
                        with contextlib.suppress(OSError):  # a folder planted as an entry stays
                            os.unlink(name, dir_fd=where)
            except OSError:
                pass
            finally:
                os.close(where)

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}.entry"

    def _folder(self, kind: str, create: bool = False) -> int | None:
        """A descriptor of the folder of `kind` entries (made if `create`), or None if it is missing, cannot be
        made, or it or the cache folder is not a real folder (a symlink)."""
        if self.folder is None or not KIND.fullmatch(kind):
            return None
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(self.folder)
            top = os.open(self.folder, FOLDER_FLAGS)
        except OSError:
            return None
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(kind, dir_fd=top)
            return os.open(kind, FOLDER_FLAGS, dir_fd=top)
        except OSError:
            return None
        finally:
            os.close(top)

    def _read(self, kind: str, key: str) -> bytes | None:
        """The bytes of the entry, if it is a regular file no larger than `LIMIT` (a FIFO is opened without
        waiting for a writer, and refused)."""
        if not KIND.fullmatch(key):
            return None
        where = self._folder(kind)
        if where is None:
            return None
        try:
            return _read_in(where, f"{key}.entry")
        finally:
            os.close(where)


def _older(where: int, name: str, seconds: float) -> bool:
    """Whether the file `name` in the folder `where` was last written `seconds` ago or more."""
    try:
        return time.time() - os.stat(name, dir_fd=where, follow_symlinks=False).st_mtime >= seconds
    except OSError:
        return False


def read_kept(folder: Path, name: str) -> bytes | None:
    """The bytes of the file `name` in `folder`, if `folder` is a real folder (not a symlink) and the file a
    regular one no larger than `LIMIT`: what a cache reads, and nothing it could be pointed at."""
    try:
        where = os.open(folder, FOLDER_FLAGS)
    except OSError:
        return None
    try:
        return _read_in(where, name)
    finally:
        os.close(where)


def write_kept(folder: Path, name: str, data: bytes) -> bool:
    """Write `data` whole as the file `name` in `folder` (made if missing), unless `folder` is not a real
    folder (a symlink); whether it was written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        where = os.open(folder, FOLDER_FLAGS)
    except OSError:
        return False
    try:
        return _write_in(where, name, [data])
    finally:
        os.close(where)


def _read_in(where: int, name: str) -> bytes | None:
    """The file `name` in the folder `where`, if it is a regular file no larger than `LIMIT` (a FIFO is
    opened without waiting for a writer, and refused; a symlink is not opened)."""
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=where)
    except OSError:
        return None
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode) or found.st_size > LIMIT:
            return None
        with os.fdopen(handle, "rb") as entry:
            handle = None
            return entry.read(LIMIT + 1)
    except OSError:
        return None
    finally:
        if handle is not None:
            os.close(handle)


def _write_in(where: int, name: str, chunks: list[bytes]) -> bool:
    """Write `chunks` as the file `name` in the folder `where`, atomically: a temporary beside it, renamed
    over it. False where it cannot be (a full disk, a folder planted where the file goes)."""
    temporary = f".{name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        with os.fdopen(os.open(temporary, flags, 0o600, dir_fd=where), "wb") as written:
            for chunk in chunks:
                written.write(chunk)
        os.replace(temporary, name, src_dir_fd=where, dst_dir_fd=where)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=where)


def _seal(kind: str, key: str, content: bytes | memoryview) -> str:
    """The digest of an entry: of its content, and of its kind and key (an entry moved under another key, or
    another kind, does not match). SHA-256, which processors with SHA extensions hash fastest."""
    sealed = hashlib.sha256(f"{kind}\0{key}\0".encode())
    sealed.update(content)
    return sealed.hexdigest()


def _opened(kind: str, key: str, data: bytes) -> tuple[dict, dict[str, bytes]] | None:
    """The facts and files of the entry `data`, or None if it is not whole and as its digest says. (Read
    through a memoryview: a warm build reads megabytes of entries, copied once, into their files.)"""
    view = memoryview(data)
    start = data.find(b"\n") + 1
    if not data.startswith(MAGIC) or start == 0:
        return None
    if not hmac.compare_digest(view[len(MAGIC) : start - 1], _seal(kind, key, view[start:]).encode()):
        return None
    end = data.find(b"\n", start)
    try:
        entry = json.loads(data[start:end]) if end >= 0 else None
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read
        return None
    if not fits(entry, {"facts": dict, "files": [(str, int)]}):
        return None
    files, at = {}, end + 1
    for name, size in entry["files"]:
        files[name] = data[at : at + size]
        at += size
    if at != len(data) or len(files) != len(entry["files"]):
        return None
    return entry["facts"], files


def fits(value: object, shape: object) -> bool:
    """Whether `value` (plain facts read from JSON) has `shape`: a type (`int` is not a `bool`), None, a set of
    shapes any one of which it has, `[shape]` a list of any length of it, a tuple a list of as many items, of
    those shapes in turn, a dict a dict with at least those keys, of those shapes."""
    if shape is None:
        return value is None
    if isinstance(shape, type):
        return isinstance(value, shape) and not (shape is int and isinstance(value, bool))
    if isinstance(shape, (set, frozenset)):
        return any(fits(value, one) for one in shape)
    if isinstance(shape, list):
        return isinstance(value, list) and all(fits(item, shape[0]) for item in value)
    if isinstance(shape, tuple):
        return isinstance(value, list) and len(value) == len(shape) and all(map(fits, value, shape))
    if isinstance(shape, dict):
        return isinstance(value, dict) and all(k in value and fits(value[k], s) for k, s in shape.items())
    raise TypeError(f"not a shape: {shape!r}")


def project_cache(root: Path, enabled: bool = True) -> Cache:
    return Cache(root / FOLDER if enabled else None)


def digest(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


@lru_cache(maxsize=1)
def toolkit_digest() -> str:
    """The toolkit's own code, templates and styles: a toolkit changed in place makes every key new."""
    package = PACKAGE
    files = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".html", ".css") and p.is_file())
    return digest(*(f"{p.relative_to(package)}:{p.read_text(encoding='utf-8')}" for p in files))
