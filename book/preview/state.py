"""The live book behind the preview: a project read and rendered once, then again for each batch of saved
files, re-doing only what the change touches. A chapter whose body was edited is read again alone and only its
page is rendered (book/preview/reread.py); a style re-reads the stylesheet; a template re-renders the pages;
`book.yaml`, a front matter, a new or deleted file, a font or an artwork re-reads the whole book (its
whole-book checks need every chapter). A failed read keeps the last good pages and records the problems,
for the browser to show; word counts and lint findings are counted afterwards, off the path of the page.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import watchfiles

from ..diagnostics import EXIT_USAGE, BookError, Diagnostic, diagnostic, project_language, say
from ..project import (
    PACKAGE_STYLES,
    PACKAGE_TEMPLATES,
    Book,
    Chapter,
    Sources,
    font_face_css,
    load_book,
    quick_text,
    role_css,
    sources,
    text_css,
)
from ..render import Page, render_pages
from ..scheduler import digest
from .reread import front_matters, reread_chapter, share_break_policy

SCREEN_STYLES = ("thai.css", "preview.css")


@dataclass(frozen=True)
class Snapshot:
    """What the preview shows at one moment. `book` and `pages` are from the last read that succeeded;
    `problems` are those of the latest attempt (empty when it read cleanly)."""

    generation: int = 0
    book: Book | None = None
    pages: dict[str, Page] = field(default_factory=dict)  # page id -> page, in reading order
    anchors: dict[str, str] = field(default_factory=dict)  # every id in the book -> the page that holds it
    problems: tuple[Diagnostic, ...] = ()
    css: str = ""
    css_version: str = ""
    shell_version: str = ""


@dataclass(frozen=True)
class ChapterStatus:
    """How far a chapter is: its words (None while counting), artwork still missing, lint findings
    (None while lint is not available)."""

    words: int | None
    placeholders: int
    findings: tuple[Diagnostic, ...] | None


def font_files(book: Book) -> list[Path]:
    """Every font file the book declares, once each; the browser asks for them by position."""
    return list(dict.fromkeys(face.path for faces in book.fonts.values() for face in faces))


def stylesheet(root: Path, book: Book | None) -> str:
    """The screen stylesheet: the book's fonts, then thai.css and preview.css, each the toolkit's file then
    the project's own of the same name, thai.css followed by book.yaml's `text:` (as the EPUB takes it)."""
    parts = []
    if book is not None:
        urls = {path: f"/_preview/fonts/{n}" for n, path in enumerate(font_files(book))}
        parts += [font_face_css(book.fonts, lambda face: urls[face.path]), role_css(book.fonts)]
    for name in SCREEN_STYLES:
        parts.append((PACKAGE_STYLES / name).read_text(encoding="utf-8"))
        own = root / "styles" / name  # optional; a FIFO or a huge file there is read as none (check names it)
        if own.exists():
            parts.append(quick_text(own, "asset") or "")
        if name == "thai.css" and book is not None:  # book.yaml's leading and indent, as the EPUB takes them
            parts.append(text_css(book.config, "epub"))
    return "\n".join(parts)


def shell_version() -> str:
    """Changes when the preview's own templates change, so open pages reload whole."""
    texts = []
    for path in sorted(PACKAGE_TEMPLATES.glob("preview*.html")):
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except OSError:
            pass
    return digest(*texts)


def page_anchors(pages: list[Page]) -> dict[str, str]:
    where: dict[str, str] = {}
    for page in pages:
        where.setdefault(page.id, page.id)
        for anchor in _ids(page.html):
            where.setdefault(anchor, page.id)
    return where


def _ids(html: str) -> Iterable[str]:
    start = 0
    while (found := html.find(' id="', start)) >= 0:
        end = html.find('"', found + 5)
        yield html[found + 5 : end]
        start = end


def lint_findings(chapter: Chapter, config: dict, root: Path) -> tuple[Diagnostic, ...] | None:
    """The Thai lint's findings for a chapter; None while `book.lint.lint_chapter` does not exist."""
    try:
        from ..thai import lint
    except ImportError:  # lint is written alongside the preview; until it lands, the count shows as "-"
        return None
    check = getattr(lint, "lint_chapter", None)
    if check is None:
        return None
    return tuple(replace(d, file=_relative(d.file, root)) for d in check(chapter, config))


def _relative(file: str, root: Path) -> str:
    path = Path(file)
    return str(path.relative_to(root)) if path.is_absolute() and path.is_relative_to(root) else file


class LiveBook:
    """A book project kept read and rendered while its files change. Readers take `snapshot`, or `wait`
    for the next one; `watch` runs the file watcher until its stop event is set."""

    def __init__(self, root: Path | str, log: Callable[[str], None] = print, language: str | None = None) -> None:
        self.root = Path(root).resolve()
        self.log = log
        self.option = language  # --lang; without it the language follows book.yaml as it is saved
        self.closed = False
        self.watching = threading.Event()  # set once the first watch has started
        self.words: dict[str, int] = {}  # chapter text digest -> word count
        self.findings: dict[str, tuple[Diagnostic, ...] | None] = {}  # chapter digest -> lint findings
        self._snapshot = Snapshot()
        self._changed = threading.Condition()
        self._updating = threading.Lock()
        self._read_files: frozenset[tuple[str, int, int]] = frozenset()
        self._front_matters: dict[Path, str] = {}  # each chapter's front matter as last read
        self._counting = ThreadPoolExecutor(1, thread_name_prefix="preview-count")
        self._lint_failures: set[str] = set()
        self._sources = Sources(self.root)

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def language(self) -> str:
        """The language the preview speaks now: --lang, book.yaml's `interface`, the locale, Thai."""
        return project_language(self.option, self.root)

    def load(self) -> Snapshot:
        """The first read. Only a usage problem (not a book project) is raised; content problems are kept."""
        self._update({"book", "style", "shell"}, "start")
        usage = [d for d in self._snapshot.problems if d.code == "U001"]
        if usage:
            raise BookError(usage, EXIT_USAGE)
        return self._snapshot

    def wait(self, generation: int, timeout: float) -> Snapshot:
        """The snapshot after `generation`, or the same one when `timeout` seconds pass or the book closes."""
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot.generation != generation or self.closed, timeout)
            return self._snapshot

    def close(self) -> None:
        self.closed = True
        self._counting.shutdown(wait=False, cancel_futures=True)
        with self._changed:
            self._changed.notify_all()

    def status(self, chapter: Chapter) -> ChapterStatus:
        key = self._chapter_key(chapter)
        missing = sum(1 for figure in chapter.infographics if figure.artwork is None)
        return ChapterStatus(self.words.get(key), missing, self.findings.get(key))

    # -- reacting to saved files

    def watch(self, stop: threading.Event) -> None:
        """Apply each batch of saved files until `stop` is set (see `sources.watch`)."""
        sources.watch(self._sources, stop, self._saved, lambda: self._read_files, self._watch_failed, self.watching)

    def _saved(self, changes: sources.Changes) -> None:
        if changes:
            self.apply(changes)
        else:  # saved before this watch began (as it started, or into a folder that just appeared)
            self._update({"book", "style"}, "files saved meanwhile")

    def _watch_failed(self, error: Exception) -> None:
        self.log(say("preview watch failed", self.language(), error=error))

    def apply(self, changes: Iterable[tuple[watchfiles.Change, str]]) -> Snapshot:
        """Re-do what `changes` touch and publish the result."""
        changes = list(changes)
        kinds = {self._kind(change, Path(path)) for change, path in changes}
        names = sorted({self._where(Path(path)) for _, path in changes})
        return self._update(kinds, ", ".join(names), sorted({Path(path) for _, path in changes}))

    def _kind(self, change: watchfiles.Change, path: Path) -> str:
        """'style' (re-read the stylesheet), 'pages' (re-render), 'shell' (the preview's own templates),
        'chapter' (re-read that chapter, if it can be done alone) or 'book' (re-read everything). A file that
        appears or goes may change what the book is made of."""
        folder = path.parent
        edited = change == watchfiles.Change.modified
        if path.suffix == ".md" and folder == self.root / "chapters" and edited:
            return "chapter"
        if path.suffix == ".css" and folder in (PACKAGE_STYLES, self.root / "styles") and edited:
            return "style"
        if path.suffix == ".html" and folder == PACKAGE_TEMPLATES and path.name.startswith("preview"):
            return "shell"
        if path.suffix == ".html" and folder in (PACKAGE_TEMPLATES, self.root / "templates") and edited:
            return "pages"
        return "book"

    def _where(self, path: Path) -> str:
        for base in (self.root, PACKAGE_TEMPLATES.parent.parent):
            if path.is_relative_to(base):
                return str(path.relative_to(base))
        return str(path)

    def _update(self, kinds: set[str], cause: str, paths: list[Path] = ()) -> Snapshot:
        with self._updating:  # one at a time, so a slower older read never overwrites a newer one
            return self._update_now(kinds, cause, paths)

    def _update_now(self, kinds: set[str], cause: str, paths: list[Path]) -> Snapshot:
        started = time.perf_counter()
        self._read_files = self._sources.files()
        before = self._snapshot
        book, pages, anchors, problems, done = self._read(kinds, paths, before)
        changed = [pid for pid, page in pages.items() if pid not in before.pages or before.pages[pid].html != page.html]
        fields: dict = {"book": book, "pages": pages, "anchors": anchors, "problems": problems}
        if kinds & {"book", "style"}:
            css = stylesheet(self.root, book)
            fields.update(css=css, css_version=digest(css))
        if "shell" in kinds:
            fields.update(shell_version=shell_version())
        snapshot = self._publish(**fields)
        self._report(cause, done, kinds, changed, problems, time.perf_counter() - started)
        if book is not None and not self.closed:
            try:
                self._counting.submit(self._count, book)
            except RuntimeError:  # closed meanwhile
                pass
        return snapshot

    def _read(self, kinds: set[str], paths: list[Path], before: Snapshot) -> tuple:
        """The book, its pages, anchors and problems after `kinds` of change, and what was done: 'chapter'
        (one chapter read again alone), 'book', 'pages' or '' (nothing to read or render)."""
        if kinds == {"chapter"} and len(paths) == 1 and not before.problems and before.book is not None:
            pages = dict(before.pages)
            book = reread_chapter(before.book, pages, paths[0], self._front_matters.get(paths[0]))
            if book is not None:
                return book, pages, page_anchors(list(pages.values())), (), "chapter"
        if "chapter" in kinds:
            kinds = kinds - {"chapter"} | {"book"}
        if not kinds & {"book", "pages"}:
            return before.book, before.pages, before.anchors, (), ""
        try:
            book = before.book
            if "book" in kinds or before.problems or before.book is None:
                book = load_book(self.root)
                share_break_policy(book)
                self._front_matters = front_matters(book)
            rendered = render_pages(book)
            pages = {page.id: page for page in rendered}
            return book, pages, page_anchors(rendered), (), "book" if book is not before.book else "pages"
        except BookError as error:
            problems = tuple(error.diagnostics)
        except Exception as error:  # a defect in the toolkit: say so in the browser, keep serving
            problems = (_internal(error),)
            self.log(traceback.format_exc().rstrip())
        return before.book, before.pages, before.anchors, problems, "book"

    def _publish(self, **fields: object) -> Snapshot:
        with self._changed:
            self._snapshot = replace(self._snapshot, generation=self._snapshot.generation + 1, **fields)
            self._changed.notify_all()
            return self._snapshot

    def _report(self, cause: str, done: str, kinds: set, changed: list, problems: tuple, seconds: float) -> None:
        language = self.language()
        if problems:
            for problem in problems:
                self.log(problem.shown(language))
            self.log(say("preview problems", language, cause=cause, count=len(problems)))
        elif cause == "start":
            self.log(say("preview read", language, name=self.root.name, count=len(changed), seconds=seconds))
        elif done:
            read = say(f"preview read {done}", language)
            self.log(say("preview changed", language, cause=cause, count=len(changed), seconds=seconds, read=read))
        elif kinds & {"style", "shell"}:
            self.log(say("preview styles", language, cause=cause))

    # -- chapter status, counted off the request path

    def _chapter_key(self, chapter: Chapter) -> str:
        return digest(str(chapter.path), chapter.source, repr(sorted(chapter.meta.items())))

    def _count(self, book: Book) -> None:
        from ..thai import word_count

        found = False
        for chapter in book.chapters:
            if self.closed:
                return
            key = self._chapter_key(chapter)
            if key not in self.words:
                self.words[key] = word_count(chapter.source)
                found = True
            if self.findings.get(key) is None:
                findings = self._lint(chapter, book.config)
                found = found or findings != self.findings.get(key)
                self.findings[key] = findings
        if found:
            self._publish()  # the index shows the new counts

    def _lint(self, chapter: Chapter, config: dict) -> tuple[Diagnostic, ...] | None:
        try:
            return lint_findings(chapter, config, self.root)
        except Exception as error:  # lint's own defect: the count shows "-", the terminal says why, once
            message = f"{type(error).__name__}: {error}"
            if message not in self._lint_failures:
                self._lint_failures.add(message)
                self.log(say("preview lint failed", self.language(), file=chapter.path.name, error=message))
            return None


def _internal(error: Exception, where: str = "thaibook") -> Diagnostic:
    return diagnostic(where, None, "V002", error=f"{type(error).__name__}: {error}")
