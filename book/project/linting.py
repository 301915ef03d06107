"""The Thai lint of a project's chapter files (book/thai/lint.py), with the characters the book's fonts can
draw: what `check` lists and a build counts in its summary (or, `--strict`, refuses).

Every chapter file that can be read as text is linted, whatever else is wrong with the project: a chapter
whose front matter is broken, or a book.yaml that is not YAML, hides none of the findings."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Problems
from ..thai.lint import fix_file, lint_source
from .glyphs import drawable
from .limits import lint_text_of
from .model import FontFace

# The settings a book whose book.yaml cannot be read is linted by: the rules that follow its settings (the
# spaces around ๆ, the kind of digits) are left out, since either choice could be the book's.
UNKNOWN_SETTINGS = {"lint": {"ignore": ["TH005", "TH007"]}}


def lint_chapters(
    root: Path, files: list[Path], config: dict | None, fonts: dict[str, list[FontFace]], fix: bool = False
) -> tuple[list[Diagnostic], list[Path]]:
    """The findings in `files` (warnings named from `root`), and, with `fix`, the files the safe fixes
    changed, made before the findings are looked for. A file that cannot be read is left to reading the
    book, which names why."""
    config = config if config is not None else UNKNOWN_SETTINGS
    glyphs = drawable(fonts)
    places = Problems(root)
    findings: list[Diagnostic] = []
    fixed: list[Path] = []
    for path in files:
        if lint_text_of(path) is None:
            continue
        if fix and fix_file(path, config):
            fixed.append(path)
        findings += lint_source(lint_text_of(path) or "", config, places.where(path), glyphs)
    return findings, fixed
