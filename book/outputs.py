"""Writing outputs safely: every file goes to a temporary name beside its target and is renamed into place,
so a failed or interrupted build leaves the previous output whole."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .model import Infographic


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(temporary_path)`, then rename the temporary file over `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
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
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    return write_atomic(target, lambda path: path.write_text(text, encoding="utf-8"))


def infographics_csv(figures: list[Infographic], pages: dict[str, int]) -> str:
    """The infographics manifest: one row per figure with its page in the print PDF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "chapter", "caption", "size", "status", "page"])
    for figure in figures:
        writer.writerow(
            [figure.id, figure.chapter, figure.caption, figure.size, figure.status, pages.get(figure.id, "")]
        )
    return out.getvalue()
