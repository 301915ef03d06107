"""`build.py html`: the print edition as one HTML document in a folder of its own, with the fonts and the
project's assets beside it, so that anyone can lay it out with plain WeasyPrint (`weasyprint FILE.html OUT.pdf`)
and compare: the benchmark's baseline (benchmarks/build.py).

The document is the one the toolkit would lay out in a single pass: the same rules, the footnotes in place,
the front matter numbered apart and the Thai break opportunities marked. Plain WeasyPrint lays it out without
the toolkit's Thai hooks (break only at the marks, Thai justification, the true text layer).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..pdf import print_html
from ..project import Book
from ..render import render_pages
from ..scheduler import write_text_atomic

FOLDER = "html"


def write_print_html(book: Book, out: Path) -> Path:
    """Write `out/html/<id>-print.html` with `fonts/` and the project's assets beside it; the HTML's path."""
    folder = out / FOLDER
    fonts = folder / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for face in (face for faces in book.fonts.values() for face in faces):
        shutil.copyfile(face.path, fonts / face.path.name)
    assets = book.root / "assets"
    if assets.is_dir():
        shutil.copytree(assets, folder, dirs_exist_ok=True)  # the print edition's addresses are relative to assets/
    html = print_html(book, render_pages(book), lambda face: f"fonts/{face.path.name}")
    return write_text_atomic(folder / f"{book.config['id']}-print.html", html)
