"""Reading a project: `book.yaml`, the fonts, every chapter with its front matter, then the whole-book
checks (slugs, order, credits). Nothing is built until everything has been read and found valid.

Reading goes on past a problem wherever what follows can still be read, so that one `check` shows every
problem at once: a chapter whose front matter is wrong still has its body rendered (its Markdown, pictures
and links checked), and the chapter files are listed for the Thai lint whatever else failed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import PACKAGE
from ..bootstrap import thai_support_problem
from ..diagnostics import EXIT_USAGE, BookError, Diagnostic, Problems, diagnostic
from ..scheduler import Cache
from .containment import project_file
from .credits import parse_credits
from .fonts import load_fonts
from .kinds import BODY, PART, READING_ORDER, Kind, default_kind, front_matter_spec, read_kinds, slug_of
from .limits import read_text
from .markdown import ChapterRenderer
from .model import Book, Chapter, FontFace
from .pictures import check_settings, page_geometry
from .sanitize import check_links
from .schema import BOOK, load_yaml, validate

FRONT_MATTER_FENCE = re.compile(r"^---\s*$")
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")  # an ATX heading of level 1: a plain chapter's title
STYLE_FILES = ("thai.css", "print.css", "epub.css")


@dataclass
class Reading:
    """What reading a project found, whether or not a book could be made of it (`check` shows all of it)."""

    book: Book | None  # None when any problem is an error
    problems: list[Diagnostic] = field(default_factory=list)  # errors and warnings, in the order found
    config: dict | None = None  # book.yaml's settings, defaults filled in; None when it cannot be read as YAML
    fonts: dict[str, list[FontFace]] = field(default_factory=dict)  # the faces of each role that could be found
    files: list[Path] = field(default_factory=list)  # the chapter files, each one to lint whatever else failed

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.severity == "error"]


def load_book(root: Path | str, cache: Cache | None = None) -> Book:
    """Read and check a whole project; raise `BookError` with every problem found. With a `cache`, a
    chapter whose Markdown is unchanged since the last build takes its converted HTML from it."""
    reading = read_project(root, cache)
    if reading.book is None:
        raise BookError(reading.errors)
    return reading.book


def read_project(root: Path | str, cache: Cache | None = None) -> Reading:
    """Read and check a whole project, going on past every problem that leaves something else to read; the
    book only when nothing is an error. Raises `BookError` only when there is no project to read (no
    book.yaml, or a system without Thai support)."""
    root = Path(root).resolve()
    system = thai_support_problem()
    if system:
        raise BookError([diagnostic("system", None, "E001", problem=system)], EXIT_USAGE)
    if not (root / "book.yaml").exists():  # one that is there but not a regular file is named below (B101)
        raise BookError([diagnostic(str(root), None, "U001")], EXIT_USAGE)
    problems = Problems(root)
    config, node = _read_config(root, problems)
    if config is None:  # book.yaml is not YAML: its settings are unknown, the chapter files are still linted
        return Reading(None, problems.items, None, {}, _chapter_files(root, {}, Problems(root)))
    kinds = read_kinds(root, node, problems)
    check_settings(root, config, node, problems)
    fonts = load_fonts(root, config["fonts"], problems)
    files = _chapter_files(root, config, problems)
    unread: list[Chapter] = []  # chapters whose front matter is wrong: their bodies are still checked
    chapters = [c for c in (_read_chapter(root, p, problems, kinds, unread) for p in files) if c]
    chapters.sort(key=lambda c: READING_ORDER[c.place])  # front matter, body, back matter: by kind, in file order
    _check_book(chapters, problems)
    credits_chapter = next((c for c in chapters if c.kind == "credits"), None)
    credits = parse_credits(credits_chapter, problems) if credits_chapter else None
    credit = (config.get("infographics") or {}).get("credit") or ""
    renderer = ChapterRenderer(root, credit, problems, cache, page_geometry(config))
    renderer.used_ids.update(c.slug for c in chapters + unread)
    for chapter in chapters + unread:
        if chapter.kind != "credits":
            renderer.render(chapter)
    check_links(chapters, renderer.used_ids | {f"{c.slug}-title" for c in chapters + unread}, problems)
    _number(chapters)
    templates = root / "templates"
    _check_templates(templates, problems)
    words = _read_words(root, config, problems)
    styles = {name: _styles(root, name, problems) for name in STYLE_FILES}
    reading = Reading(None, problems.items, config, fonts, files)
    if problems.errors:
        return reading
    reading.book = Book(
        root=root,
        config=config,
        chapters=chapters,
        credits=credits,
        fonts=fonts,
        styles=styles,
        templates=templates if templates.is_dir() else None,
        words=words,
        warnings=problems.warnings,
        kinds=kinds,
    )
    return reading


def _number(chapters: list[Chapter]) -> None:
    """Number the body's chapters from 1 and its parts from 1; each chapter after a part is in it."""
    chapter_number = part_number = 0
    part = None
    for chapter in chapters:
        if chapter.place == PART:
            part_number += 1
            chapter.part_number, part = part_number, chapter
        elif chapter.place == BODY:
            chapter_number += 1
            chapter.number, chapter.in_part = chapter_number, part


def _read_words(root: Path, config: dict, problems: Problems) -> list[str]:
    """The book's word lists: one word or name per line, `#` starts a comment."""
    words: list[str] = []
    for pattern in config.get("words") or []:
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


def _read_config(root: Path, problems: Problems) -> tuple[dict | None, yaml.Node | None]:
    """The book's settings, defaults filled in (the id from the folder's name), and their YAML nodes; None
    when book.yaml cannot be read as YAML."""
    path = root / "book.yaml"
    before = len(problems.errors)
    text = read_text(path, problems, "book.yaml")
    node = load_yaml(text, path, problems) if text is not None else None
    if len(problems.errors) > before:  # nothing that needs the book's settings can be checked without them
        return None, None
    config = validate(node, BOOK, path, problems)
    if not config.get("id"):
        config["id"] = slug_of(root.name, "book")
    return config, node


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


def _read_chapter(
    root: Path, path: Path, problems: Problems, kinds: dict[str, Kind], unread: list[Chapter]
) -> Chapter | None:
    """The chapter in the file at `path`, or None when it has a problem. A chapter whose front matter is
    wrong but whose body can be told apart from it goes into `unread` as a stand-in, for its body's checks."""
    text = read_text(path, problems)
    if text is None:
        return None
    lines = text.split("\n")
    node, end = None, -1  # a file without front matter is a plain chapter (or the book's default kind)
    if lines and FRONT_MATTER_FENCE.match(lines[0]):
        end = next((i for i in range(1, len(lines)) if FRONT_MATTER_FENCE.match(lines[i])), None)
        if end is None:
            problems.add(path, 1, "C005.unclosed")
            return None
        node = load_yaml("\n".join(lines[1:end]), path, problems, line_offset=1)
        if node is None and any(line.strip() for line in lines[1:end]):
            unread.append(_stand_in(path, lines, end, default_kind(kinds), kinds))
            return None
    kind_name, kind_line = _kind(node, default_kind(kinds))
    kind = kinds.get(kind_name)
    if kind is None:
        problems.add(path, kind_line, "S004", kinds=", ".join(kinds), kind=kind_name)
        unread.append(_stand_in(path, lines, end, default_kind(kinds), kinds))
        return None
    before = len(problems.errors)
    meta = validate(node, front_matter_spec(kind), path, problems, line_offset=1 if end >= 0 else 0)
    meta["kind"] = kind_name
    body = lines[end + 1 :]
    title = meta.get("title") or _heading_title(body)
    if title is None and kind.place not in (BODY, PART):
        title = kind.title  # คำนำ, ภาคผนวก...: front and back matter are named by their kind
    if title is None and node is None:  # no front matter, no heading: the file's name, less its number
        title = re.sub(r"^\d+[-_. ]*", "", path.stem).replace("-", " ").replace("_", " ").strip() or None
    if not title and len(problems.errors) == before:
        problems.add(path, end + 2, "K110", kind=kind_name)
    source = "\n".join(body)
    if not source.strip() and kind.place != PART:
        problems.add(path, end + 2, "C004")
    if len(problems.errors) > before:
        if source.strip():
            unread.append(_stand_in(path, lines, end, kind_name, kinds))
        return None
    meta_lines = (
        {str(k.value): k.start_mark.line + 2 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    )
    return Chapter(
        path=path,
        kind=kind_name,
        slug=meta.get("slug") or slug_of(path.name, "chapter"),
        title=title,
        meta=meta,
        source=source,
        body_line=end + 2,
        meta_lines=meta_lines,
        form=kind,
    )


def _stand_in(path: Path, lines: list[str], end: int, kind: str, kinds: dict[str, Kind]) -> Chapter:
    """A chapter made of the body of a file whose front matter is wrong, so that its Markdown, pictures and
    links are checked as any chapter's: it is never part of the book."""
    return Chapter(
        path=path,
        kind=kind,
        slug=slug_of(path.name, "chapter"),
        title=path.stem,
        meta={},
        source="\n".join(lines[end + 1 :]),
        body_line=end + 2,
        form=kinds[kind],
    )


def _heading_title(body: list[str]) -> str | None:
    """The text of the body's first `# heading`, its line blanked (the opener prints it), when it comes
    before any other text; None when there is none."""
    for index, line in enumerate(body):
        if not line.strip():
            continue
        found = HEADING.match(line)
        if found:
            body[index] = ""  # the line stays, so every later line keeps its number
            return found.group(1)
        return None
    return None


def _kind(node: object, default: str) -> tuple[str, int]:
    """The front matter's `kind` and its line, or `default` (at line 1)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "kind":
                return str(value.value), key.start_mark.line + 2
    return default, 1 if node is None else 2


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
