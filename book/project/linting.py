"""The Thai lint of a project's chapter files (book/thai/lint.py), with the characters the book's fonts can
draw: what `check` lists and a build counts in its summary (or, `--strict`, refuses).

Which characters the fonts draw is read from every face of the families `book.yaml` sets the book in (body and
heading), from the fonts' own character maps. A character none of them has is drawn as WeasyPrint's `.notdef`
box (tofu); the lint names each one where it is typed (TH011), before a build prints it.

Every chapter file that can be read as text is linted, whatever else is wrong with the project: a chapter
whose front matter is broken, or a book.yaml that is not YAML, hides none of the findings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from ..diagnostics import Diagnostic, Problems
from ..thai import fix_file, lint_source
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


def drawable(fonts: dict[str, list[FontFace]]) -> frozenset[int] | None:
    """The code points some face of `fonts` (by role, as `Book.fonts`) has a glyph for; None when there is
    no face to ask (the fonts could not be found: that is reported on its own)."""
    paths = sorted({face.path for faces in fonts.values() for face in faces})
    if not paths:
        return None
    covered: set[int] = set()
    for path in paths:
        covered |= _cmap(path)
    return frozenset(covered)


@lru_cache(maxsize=64)
def _cmap(path: Path) -> frozenset[int]:
    """The code points of one font file (the first font of a collection); none for a file fontTools cannot
    read, whose problem the build names."""
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset((font.getBestCmap() or {}).keys())
    except (OSError, TTLibError, AssertionError, KeyError, ValueError):
        return frozenset()
