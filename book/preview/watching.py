"""`build.py watch`: build the book, then build it again each time one of its sources is saved, in one process
that stays running until Ctrl+C.

A fresh `build.py` spends about 0.6 s importing WeasyPrint and the toolkit before it reads a line, and its
first layout a quarter of a second more loading fonts, Pango and the Thai dictionary. A designer or an editor
who rebuilds after every edit pays that each time; the watch pays it once. Each rebuild is an ordinary build
(`building.build`): it reads the book, lays out only the parts whose cache key changed and takes the others
from the cache, so it writes what a fresh build would (tests/test_watching.py compares them). What a process
keeps from one build to the next is keyed by what it was made from, as the cache is: the stylesheet and fonts
loaded for layout (`partlayout._layouts`, by the parts' fingerprint), the dictionaries, the colour transforms.

A build that fails on the book's content prints its problems, as `build.py` does, and the watch goes on:
the next save builds again. The outputs of the last good build stay in place.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import EXIT_USAGE, say
from ..project import Changes, Sources, watch


def rebuild_on_save(project: Path, out: Path | None, build: Callable[[bool], int], language: str) -> int:
    """Run `build` (a whole build that prints its own report and gives its exit code; told whether it builds
    again), then again after each batch of saved sources of `project`, until Ctrl+C; 0 then, or the first
    build's code when the project is not a book project at all."""
    root = project.resolve()
    outputs = (out if out is not None else root / "dist").resolve()
    sources = Sources(root, outputs)
    last_read = [sources.files()]
    if build(False) == EXIT_USAGE:
        return EXIT_USAGE
    warm_up(root)
    folder = _shown(root)
    print(say("watching", language, folder=folder), flush=True)
    building = threading.Event()

    def saved(changes: Changes) -> None:
        now = sources.files()
        paths = {path for _, path in changes} or {path for path, _, _ in last_read[0] ^ now}  # saved meanwhile
        names = sorted({_shown(Path(path), root) for path in paths})
        said = say("watch saved", language, files=", ".join(names)) if names else say("watch saved meanwhile", language)
        print(said, flush=True)
        last_read[0] = now
        building.set()
        build(True)
        building.clear()
        print(say("watching", language, folder=folder), flush=True)

    def failed(error: Exception) -> None:
        print(say("watch failed", language, error=error), file=sys.stderr, flush=True)

    try:
        watch(sources, threading.Event(), saved, lambda: last_read[0], failed)
    except KeyboardInterrupt:
        if building.is_set():
            print(say("interrupted", language), file=sys.stderr)
        print(say("watch stopped", language, folder=_shown(outputs)), file=sys.stderr)
    return 0


def warm_up(project: Path) -> None:
    """Load now, before the watch waits for a save, what the layout of a rebuild loads the first time it runs:
    the Thai dictionaries, and the layout's stylesheet, fonts, Pango and colour transforms, by laying out the
    book's shortest part once and throwing it away. After a first build that took every part from the cache,
    the first save would otherwise pay for them (0.5 s more than the saves after it). A book that cannot be
    read or laid out now is left for the next build to report."""
    from ..pdf import lay_out_part, print_parts
    from ..project import load_book
    from ..render import render_pages
    from ..scheduler import project_cache

    try:
        book = load_book(project, project_cache(project))
        parts = print_parts(book, render_pages(book))
        book.break_policy.warm()
        shortest = min(parts.items, key=lambda part: len(part.html))
        lay_out_part(book, parts, shortest, "", ("print", "screen"))
    except Exception:  # noqa: BLE001 - whatever it is, the next build meets it and says so
        pass


def _shown(path: Path, base: Path | None = None) -> str:
    """`path` relative to `base` (or to the current folder) when it is inside it."""
    base = base or Path.cwd()
    return str(path.relative_to(base)) if path.is_relative_to(base) and path != base else str(path)
