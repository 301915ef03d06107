"""Reading a project: `book.yaml`, the fonts, every chapter with its front matter, then the whole-book
checks (slugs, order, credits). Nothing is built until everything has been read and found valid."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .. import PACKAGE
from ..bootstrap import thai_support_problem
from ..diagnostics import EXIT_USAGE, BookError, Problems, diagnostic
from ..scheduler import Cache
from .containment import project_file
from .credits import parse_credits
from .fonts import load_fonts
from .limits import read_text
from .markdown import ChapterRenderer
from .model import Book, Chapter
from .pictures import page_geometry
from .sanitize import check_links
from .schema import BOOK, FRONT_MATTER, load_yaml, validate

FRONT_MATTER_FENCE = re.compile(r"^---\s*$")
STYLE_FILES = ("thai.css", "print.css", "epub.css")


def load_book(root: Path | str, cache: Cache | None = None) -> Book:
    """Read and check a whole project; raise `BookError` with every problem found. With a `cache`, a
    chapter whose Markdown is unchanged since the last build takes its converted HTML from it."""
    root = Path(root).resolve()
    system = thai_support_problem()
    if system:
        raise BookError([diagnostic("system", None, "E001", problem=system)], EXIT_USAGE)
    if not (root / "book.yaml").exists():  # one that is there but not a regular file is named below (B101)
        raise BookError([diagnostic(str(root), None, "U001")], EXIT_USAGE)
    problems = Problems(root)
    config = _read_config(root, problems)
    fonts = load_fonts(root, config["fonts"], problems)
    chapters = [c for c in (_read_chapter(root, p, problems) for p in _chapter_files(root, config, problems)) if c]
    _check_book(chapters, problems)
    credits_chapter = next((c for c in chapters if c.kind == "credits"), None)
    credits = parse_credits(credits_chapter, problems) if credits_chapter else None
    renderer = ChapterRenderer(root, config["infographics"]["credit"], problems, cache, page_geometry(config))
    renderer.used_ids.update(c.slug for c in chapters)
    for chapter in chapters:
        if chapter.kind != "credits":
            renderer.render(chapter)
    check_links(chapters, renderer.used_ids | {f"{c.slug}-title" for c in chapters}, problems)
    problems.raise_if_any()
    for number, chapter in enumerate((c for c in chapters if c.is_city), start=1):
        chapter.number = number
    templates = root / "templates"
    _check_templates(templates, problems)
    words = _read_words(root, config, problems)
    styles = {name: _styles(root, name, problems) for name in STYLE_FILES}
    problems.raise_if_any()
    return Book(
        root=root,
        config=config,
        chapters=chapters,
        credits=credits,
        fonts=fonts,
        styles=styles,
        templates=templates if templates.is_dir() else None,
        words=words,
        warnings=problems.warnings,
    )


def _read_words(root: Path, config: dict, problems: Problems) -> list[str]:
    """The book's word lists: one word or name per line, `#` starts a comment."""
    words: list[str] = []
    for pattern in config["words"]:
        if not pattern.strip() or Path(pattern).is_absolute() or ".." in Path(pattern).parts:
            problems.add(root / "book.yaml", None, "W002", pattern=pattern)
            continue
        files = sorted(root.glob(pattern))
        if not files and not any(c in pattern for c in "*?["):
            problems.add(root / "book.yaml", None, "W001", pattern=pattern)
        for path in files:
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue  # a glob matches hidden files too (a `.cache`, an editor's backup): never the book's
            if project_file(root, path, None) is None:  # a symlink out of the project
                problems.add(root / "book.yaml", None, "G105", what="words:", name=pattern)
                continue
            text = read_text(path, problems, "words") or ""
            words += [line.split("#", 1)[0].strip() for line in text.split("\n")]
    return [w for w in words if w]


def _styles(root: Path, name: str, problems: Problems) -> list[Path]:
    """The toolkit's base stylesheet, then the project's own of the same name, which cascades over it."""
    own = root / "styles" / name
    if own.is_file() and project_file(root, own) is None:  # its text goes into every output
        problems.add(own.parent, None, "G105", what="stylesheet", name=name)  # the folder: `own` resolves out
        return [PACKAGE / "styles" / name]
    if (own.exists() or own.is_symlink()) and read_text(own, problems, "asset") is None:  # a FIFO, 3 GB: named
        return [PACKAGE / "styles" / name]
    return [PACKAGE / "styles" / name] + ([own] if own.is_file() else [])


def _check_templates(folder: Path, problems: Problems) -> None:
    """Every template of the project must be a file of its `templates/` (Jinja would follow a symlink out)."""
    if not folder.exists() and not folder.is_symlink():
        return
    files = [folder] if folder.is_symlink() else [f for f in sorted(folder.rglob("*")) if not f.is_dir()]
    for file in files:
        if project_file(folder.parent, file) is None:
            problems.add(folder, None, "G105", what="template", name=file.relative_to(folder).as_posix())
        else:
            read_text(file, problems, "asset")  # Jinja reads it whole: a FIFO, 3 GB or bad bytes are named first


def _read_config(root: Path, problems: Problems) -> dict:
    path = root / "book.yaml"
    text = read_text(path, problems, "book.yaml")
    node = load_yaml(text, path, problems) if text is not None else None
    problems.raise_if_any()  # nothing else can be checked without the book's settings
    return validate(node, BOOK, path, problems)


def _chapter_files(root: Path, config: dict, problems: Problems) -> list[Path]:
    folder = root / "chapters"
    if config.get("order"):
        return [path for path in (_ordered(root, name, problems) for name in config["order"]) if path is not None]
    files = [file for file in sorted(folder.glob("*.md")) if not file.name.startswith(".")]  # drafts stay out
    for file in files:
        if project_file(root, file, ("chapters",)) is None:
            problems.add(folder, None, "G105", what="chapter", name=file.name)
    files = [file for file in files if project_file(root, file, ("chapters",)) is not None]
    if not files:
        problems.add(folder, None, "C006")
    return files


def _ordered(root: Path, name: str, problems: Problems) -> Path | None:
    """An `order:` entry's file; one that is absolute, climbs out with `..`, is hidden or leads out of
    `chapters/` through a symlink is refused (None, never read), as `words:` refuses such patterns."""
    path = root / "chapters" / name
    if not name.strip() or Path(name).is_absolute() or project_file(root, path, ("chapters",)) is None:
        problems.add(root / "book.yaml", None, "G104", entry=name)
        return None
    return path


def _read_chapter(root: Path, path: Path, problems: Problems) -> Chapter | None:
    text = read_text(path, problems)
    if text is None:
        return None
    lines = text.split("\n")
    if not lines or not FRONT_MATTER_FENCE.match(lines[0]):
        problems.add(path, 1, "C005")
        return None
    end = next((i for i in range(1, len(lines)) if FRONT_MATTER_FENCE.match(lines[i])), None)
    if end is None:
        problems.add(path, 1, "C005.unclosed")
        return None
    node = load_yaml("\n".join(lines[1:end]), path, problems, line_offset=1)
    if node is None:
        return None
    kind = _kind(node)
    spec = FRONT_MATTER.get(kind)
    if spec is None:
        problems.add(path, 2, "S004", kinds=", ".join(FRONT_MATTER), kind=kind)
        return None
    before = len(problems.errors)
    meta = validate(node, spec, path, problems, line_offset=1)
    source = "\n".join(lines[end + 1 :])
    if not source.strip():
        problems.add(path, end + 2, "C004")
    if len(problems.errors) > before:
        return None
    meta_lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    return Chapter(
        path=path,
        kind=kind,
        slug=meta["slug"],
        title=meta["title"],
        meta=meta,
        source=source,
        body_line=end + 2,
        meta_lines=meta_lines,
    )


def _kind(node: object) -> str:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "kind":
                return str(value.value)
    return "chapter"


def _check_book(chapters: list[Chapter], problems: Problems) -> None:
    seen: dict[str, Chapter] = {}
    for chapter in chapters:
        if chapter.slug in seen:
            first = problems.where(seen[chapter.slug].path)
            problems.add(chapter.path, chapter.meta_lines.get("slug"), "C001", slug=chapter.slug, first=first)
        seen.setdefault(chapter.slug, chapter)
    for kind in ("credits", "colophon"):
        if sum(c.kind == kind for c in chapters) > 1:
            extra = [c for c in chapters if c.kind == kind][1]
            problems.add(extra.path, extra.meta_lines.get("kind"), "C007", kind=kind)
