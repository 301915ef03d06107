"""The readers' site: a folder that holds exactly the files a build publishes, as hard links to them, for a
producer to upload as it is. The output folder beside it holds more than readers get (the designers'
`infographics.csv`); the site never does."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import EXIT_USAGE, diagnostic
from ..scheduler import PARTIAL, FolderError, folder_problem, output_folder, write_atomic


def write_site(site: Path, files: list[Path], listings: tuple[str, ...], published: Callable[[Path], bool]) -> Path:
    """Make the folder `site` hold exactly `files`, as hard links to them (copies where the disk has no hard
    links), and nothing else: whatever an earlier build published that this one does not (the printer's files
    once `printer_files` is false) is removed. What is in the way and not `published` (a file or folder of the
    user's own) is never removed or written over: `FolderError` D110 naming it, the folder as it was.

    Each file is put in place as the build's other outputs are (`write_atomic`); the `listings` (the page and
    the feed, among `files`) are taken out first when a file they list is about to change and put back last, so
    a build that stops half way leaves no page listing a file it does not describe. A symlink in the site, or
    the site a symlink, is replaced, never followed: nothing outside the folder is written or removed through
    it."""
    try:
        if site.is_symlink():  # planted, or the user's: the link goes, what it points to stays
            site.unlink()
        output_folder(site)
        _remove(site / PARTIAL)  # a killed build's scratch folder, or a symlink planted in its place
        names = {p.name for p in files}
        stale = [p for p in site.iterdir() if p.name not in names or (p.is_dir() and not p.is_symlink())]
        # a folder of the user's own called site, or their own page in it: never swept, nor written over
        foreign = next((p for p in site.iterdir() if (p in stale or p.name in listings) and not published(p)), None)
        if foreign is not None:
            raise FolderError([diagnostic(str(site), None, "D110", name=foreign.name)], EXIT_USAGE)
        listed = [p for p in files if p.name not in listings]
        changing = [p for p in listed if not _same_file(p, site / p.name)]
        if changing or stale:
            for name in listings:
                (site / name).unlink(missing_ok=True)
        for path in stale:
            _remove(path)
        for path in changing + [p for p in files if p.name in listings]:
            write_atomic(site / path.name, functools.partial(_link, path))
    except FolderError:
        raise
    except OSError as error:
        problem = folder_problem(site, error)
        if problem is None:
            raise
        raise problem from error
    return site


def _same_file(source: Path, linked: Path) -> bool:
    """Whether `linked` is a hard link to `source` already (a symlink never is: it is not looked through)."""
    try:
        ours, theirs = source.stat(), linked.lstat()
    except FileNotFoundError:
        return False
    return (ours.st_dev, ours.st_ino) == (theirs.st_dev, theirs.st_ino)


def _link(source: Path, temporary: Path) -> None:
    """`temporary` made a hard link to `source`, or a copy of it on a disk without hard links (FAT, some
    network shares) or when the site is on another disk."""
    temporary.unlink()
    try:
        os.link(source, temporary, follow_symlinks=False)
    except OSError:
        shutil.copyfile(source, temporary, follow_symlinks=False)


def _remove(path: Path) -> None:
    """Remove `path` from the site: a file or a symlink itself (not what it points to), a folder with what it
    holds (`shutil.rmtree` does not follow the symlinks inside)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
