"""What a book project is made of, for the processes that watch it as it is edited: the preview
(book/preview/state.py) and `build.py watch` (book/preview/watching.py).

A project's sources sit in a few folders, each watched without its subfolders: the project folder itself
(book.yaml), its chapters, styles, templates, fonts, words and assets, and the toolkit's own templates and
styles. `Sources` tells a source from an editor's swap file, a build's output or the cache; `watch` hands each
batch of saved sources to its caller.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from .. import PACKAGE

PACKAGE_TEMPLATES = PACKAGE / "templates"
PACKAGE_STYLES = PACKAGE / "styles"
SOURCE_SUFFIXES = {".md", ".yaml", ".yml", ".txt", ".css", ".html", ".svg", ".png", ".jpg", ".jpeg"}
SOURCE_SUFFIXES |= {".ttf", ".otf", ".woff", ".woff2"}
PROJECT_FOLDERS = ("chapters", "styles", "templates", "fonts", "words", "assets", "assets/infographics")

Changes = list[tuple[watchfiles.Change, str]]
Files = frozenset[tuple[str, int, int]]  # (path, modification time, size) of each source


class Sources(watchfiles.DefaultFilter):
    """The files a book is made of; editors' swap, backup and lock files, and the project folder's other
    files (README, build outputs), are left out, and so is every file of `outputs` (where a build writes, in
    case it is one of the watched folders)."""

    def __init__(self, root: Path, outputs: Path | None = None) -> None:
        super().__init__()
        self.root = root
        self.outputs = outputs

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        file = Path(path)
        if file.name.startswith(".") or not super().__call__(change, path):
            return False
        if self.outputs is not None and file.parent == self.outputs:
            return False
        if file.parent == self.root:
            return file.name == "book.yaml" or file.name in PROJECT_FOLDERS
        if file.parent == self.root / "assets" and file.name == "infographics":
            return True
        return file.suffix.lower() in SOURCE_SUFFIXES

    def folders(self) -> list[Path]:
        """The folders to watch (not recursively) that exist now."""
        candidates = [self.root, *(self.root / name for name in PROJECT_FOLDERS), PACKAGE_TEMPLATES, PACKAGE_STYLES]
        return [folder for folder in candidates if folder.is_dir()]

    def files(self) -> Files:
        """The sources as they are on disk now."""
        found = set()
        for folder in self.folders():
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue
            for entry in entries:
                try:
                    if self(watchfiles.Change.modified, str(entry)) and entry.is_file():
                        stat = entry.stat()
                        found.add((str(entry), stat.st_mtime_ns, stat.st_size))
                except OSError:
                    continue
        return frozenset(found)


def watch(
    sources: Sources,
    stop: threading.Event,
    saved: Callable[[Changes], None],
    last_read: Callable[[], Files],
    failed: Callable[[Exception], None],
    watching: threading.Event | None = None,
) -> None:
    """Call `saved` with each batch of saved sources until `stop` is set; with an empty batch when the sources
    on disk are no longer those `last_read()` gives (saved before the watch began, or into a folder that just
    appeared). `watching` is set once the watcher is up. The watch starts again when a folder appears or
    goes, and after an error of the watcher itself (`failed` is told). Ctrl+C in the main thread ends it."""
    while not stop.is_set():
        folders = sources.folders()
        try:
            for changes in watchfiles.watch(
                *folders,
                watch_filter=sources,
                recursive=False,
                stop_event=stop,
                step=30,
                rust_timeout=250,
                yield_on_timeout=True,
            ):
                if changes:
                    saved(list(changes))
                elif sources.files() != last_read():
                    saved([])
                if watching is not None:
                    watching.set()
                if sources.folders() != folders:
                    break
        except Exception as error:  # noqa: BLE001 - a watcher hiccup is not the end of the watch
            failed(error)
            stop.wait(0.5)
