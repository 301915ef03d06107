"""`build.py html`: the print edition as one HTML document in a folder of its own, with the fonts and the
project's assets beside it, so that anyone can lay it out with plain WeasyPrint (`weasyprint FILE.html OUT.pdf`)
and compare: the benchmark's baseline (benchmarks/build.py).

The document is the one the toolkit would lay out in a single pass: the same rules, the footnotes in place,
the front matter numbered apart and the Thai break opportunities marked. Plain WeasyPrint lays it out without
the toolkit's Thai hooks (break only at the marks, Thai justification, the true text layer).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..diagnostics import diagnostic
from ..pdf import print_html
from ..project import Book, font_file_name, project_file, readable
from ..render import render_pages
from ..scheduler import write_text_atomic

FOLDER = "html"


def write_print_html(book: Book, out: Path) -> Path:
    """Write `out/html/<id>-print.html` with `fonts/` and the project's assets beside it; the HTML's path."""
    folder = out / FOLDER
    fonts = folder / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for face in (face for faces in book.fonts.values() for face in faces):
        if readable(book, face.path):  # fonts.py refused any other; never copy one out of the gate
            shutil.copyfile(face.path, fonts / font_file_name(face))
    _copy_assets(book, book.root / "assets", folder)  # the print edition's addresses are relative to assets/
    html = print_html(book, render_pages(book), lambda face: f"fonts/{font_file_name(face)}")
    return write_text_atomic(folder / f"{book.config['id']}-print.html", html)


def _copy_assets(book: Book, assets: Path, folder: Path) -> None:
    """Copy the files of `assets/` that any output may read: a hidden file or folder (a `.env`, a `.git`) and a
    symlinked folder, and a symlink that leads out of `assets/` (or into a loop) stay behind, each a warning on
    the book."""
    if not assets.is_dir():
        return
    if project_file(book.root, assets) is None:  # assets/ itself a symlink out of the project
        book.warnings.append(diagnostic("book", None, "G107", severity="warning", name=""))
        return
    for here, folders, files in os.walk(assets):  # symlinked folders are not followed: each is refused below
        base = Path(here)
        for name in [*files, *(f for f in folders if f.startswith(".") or (base / f).is_symlink())]:
            source = base / name
            relative = source.relative_to(assets)
            if source.is_dir() or project_file(book.root, source, ("assets",)) is None:
                refused = diagnostic("book", None, "G107", severity="warning", name=relative.as_posix())
                if refused not in book.warnings:
                    book.warnings.append(refused)
                continue
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / relative)
        folders[:] = [f for f in folders if not f.startswith(".") and not (base / f).is_symlink()]
