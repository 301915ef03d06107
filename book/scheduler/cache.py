"""The build cache: what one build worked out and the next can take instead of doing it again (each chapter's
Markdown converted to HTML, each part's layout and PDFs, the contents, the folio layer, the front cover, the
EPUB's fonts, and each part's texts with their Thai breaks marked), in `PROJECT/.cache/`.

Each entry is named by a key that digests everything it was made from (`digest`; see `book/pdf/parts.py` for
the parts' keys, and `toolkit_digest` for the toolkit's own code, which is in every key), so an entry is
either right or never asked for. The folder is safe to delete at any time: the next build is then as slow as a
first one and makes the same files. An entry that cannot be read is ignored. After a build only the entries
that build used are kept, so the folder holds one book's worth.

An entry is a line of JSON (plain facts) and the bytes of its files after it; nothing in it is ever run, so a
cache folder that came with someone else's project is no more dangerous than its chapters.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from .. import PACKAGE

FOLDER = ".cache"


class Cache:
    """Entries by kind and key under `folder`; with `folder` None, a cache that keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[Path] = set()

    def get(self, kind: str, key: str) -> tuple[dict, dict[str, bytes]] | None:
        """The facts and files stored under `key`, or None."""
        path = self._path(kind, key)
        if path is None or not path.is_file():
            return None
        try:
            data = path.read_bytes()
            head, _, body = data.partition(b"\n")
            entry = json.loads(head)
            files, at = {}, 0
            for name, size in entry["files"]:
                files[name] = body[at : at + size]
                at += size
            if at != len(body):
                return None
        except (OSError, ValueError, KeyError, TypeError):  # a damaged entry is as good as none
            return None
        self.used.add(path)
        return entry["facts"], files

    def put(self, kind: str, key: str, facts: dict, files: dict[str, bytes] | None = None) -> None:
        """Store `facts` (anything JSON can hold) and `files` under `key`, atomically."""
        path = self._path(kind, key)
        if path is None:
            return
        files = files or {}
        head = json.dumps({"facts": facts, "files": [[n, len(b)] for n, b in files.items()]}, ensure_ascii=False)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f"{key}.", suffix=".tmp", dir=path.parent)
        except OSError:  # a project on a read-only disk builds as if there were no cache
            self.folder = None
            return
        try:
            with os.fdopen(handle, "wb") as entry:
                entry.write(head.encode() + b"\n")
                for blob in files.values():
                    entry.write(blob)
            os.replace(name, path)
        except OSError:  # a full disk: the entry is not kept, the build goes on
            return
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
        self.used.add(path)

    def keep_only_used(self, kinds: tuple[str, ...]) -> None:
        """Delete the entries of `kinds` this build did not use."""
        if self.folder is None:
            return
        for kind in kinds:
            for path in (self.folder / kind).glob("*.entry"):
                if path not in self.used:
                    path.unlink(missing_ok=True)

    def _path(self, kind: str, key: str) -> Path | None:
        return None if self.folder is None else self.folder / kind / f"{key}.entry"


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
