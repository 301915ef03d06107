"""How the toolkit was started, so that what it tells a user to run next is a command that works here: the
installed `thaibook`, or `python3 /path/to/build.py` from a clone (plain Debian has `python3` but no `python`),
or `python -m book` under the interpreter that ran it; and which folder is the book when none is named."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from .. import PACKAGE


def toolkit_clone() -> Path | None:
    """The toolkit's own folder when it runs from a clone (the folder with build.py beside book/); None when it
    is installed as a package (book/ in site-packages)."""
    root = PACKAGE.parent
    return root if (root / "build.py").is_file() and (root / "pyproject.toml").is_file() else None


def command_prefix() -> str:
    """The words that start a command the way this one was started: `python3 /abs/build.py`, `thaibook`, or
    `/abs/python -m book`. Absolute, so that it works from the book's folder too."""
    entry = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path()
    if entry.name == "build.py":
        return f"python3 {shlex.quote(str(entry.resolve()))}"
    if entry.name == "__main__.py":
        return f"{shlex.quote(sys.executable)} -m book"
    on_path = shutil.which("thaibook")
    if entry.name == "thaibook" and entry.is_file():  # the console script: by name when PATH finds this one
        return (
            "thaibook" if on_path and Path(on_path).resolve() == entry.resolve() else shlex.quote(str(entry.resolve()))
        )
    if on_path:
        return "thaibook"
    clone = toolkit_clone()
    return f"python3 {shlex.quote(str(clone / 'build.py'))}" if clone else "thaibook"


def next_command(rest: str) -> str:
    """`rest` (e.g. "check", "init DIR") as a command to type, started the way this one was."""
    return f"{command_prefix()} {rest}".rstrip()


def default_project(cwd: Path | None = None) -> Path | None:
    """The book when no --project is given: the current folder when it has book.yaml; inside the toolkit's own
    clone, the Learning City book it ships with (so `python3 build.py` works there as the README says);
    elsewhere none, and the command line says so in one line rather than building some other book."""
    cwd = Path.cwd() if cwd is None else cwd
    if (cwd / "book.yaml").is_file():
        return cwd
    clone = toolkit_clone()
    if clone is not None and (clone / "book.yaml").is_file() and cwd.resolve().is_relative_to(clone.resolve()):
        return clone
    return None


def inside_toolkit(folder: Path) -> Path | None:
    """The toolkit's clone when `folder` lies inside it (a new book there would land in the toolkit's own
    repository), else None."""
    clone = toolkit_clone()
    if clone is not None and folder.resolve().is_relative_to(clone.resolve()):
        return clone
    return None
