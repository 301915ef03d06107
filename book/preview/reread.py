"""Re-reading one saved chapter alone: the preview's common case, a chapter's body edited with its front
matter untouched. The chapter is rendered as `load_book` renders it (the ids and infographic ids of the rest
of the book taken into account) and its page as `render_pages` renders it; every other page stays as it is.

Whenever the edit could reach beyond its own page (the front matter, the credits, a new problem, an id that
another chapter holds or gave up), the answer is None and the preview reads the whole book again, which
also reports the problem with all the others. tests/test_preview.py checks that both ways give the same page.

A book read again keeps the line-break policy of the last read when it protects the same words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import jinja2

from ..diagnostics import Problems
from ..project import FRONT_MATTER_FENCE, Book, Chapter, ChapterRenderer, page_geometry, read_text
from ..render import Page, environment, needs_the_whole_book
from ..thai import mark_for_browser

ID = re.compile(r'\bid="([^"]+)"')


def split_front_matter(text: str) -> tuple[str, str] | None:
    """A chapter file's front matter (fences included) and its body, split where `load_book` splits them."""
    lines = text.split("\n")
    if not lines or not FRONT_MATTER_FENCE.match(lines[0]):
        return None
    end = next((i for i in range(1, len(lines)) if FRONT_MATTER_FENCE.match(lines[i])), None)
    if end is None:
        return None
    return "\n".join(lines[: end + 1]), "\n".join(lines[end + 1 :])


def front_matters(book: Book) -> dict[Path, str]:
    """Each chapter file's front matter as the book was read from it; a file that has changed since it was
    read is left out (its next save then reads the whole book)."""
    found: dict[Path, str] = {}
    for chapter in book.chapters:
        text = read_text(chapter.path, Problems(book.root))
        parts = split_front_matter(text) if text is not None else None
        if parts is not None and parts[1] == chapter.source:
            found[chapter.path] = parts[0]
    return found


_POLICIES: dict[tuple[str, ...], object] = {}  # the words a policy protects -> the latest policy made for them


def share_break_policy(book: Book) -> None:
    """Give a freshly read book the line-break policy of the last read when the words it protects are the
    same: the policy builds a dictionary trie that takes seconds, and a saved chapter rarely changes those
    words (book/thai/breaking.py)."""
    if not hasattr(type(book), "break_policy"):
        return
    key = tuple(book.protected_words)
    if key in _POLICIES:
        try:
            book.break_policy = _POLICIES[key]  # the cached value, as if this book had made it
        except AttributeError:  # no longer a cached property: nothing to share
            pass
        return
    _POLICIES.clear()
    _POLICIES[key] = book.break_policy


def reread_chapter(book: Book, pages: dict[str, Page], path: Path, front_matter: str | None) -> Book | None:
    """The book with the chapter at `path` read again, and its page in `pages` replaced (in place); None
    when the whole book must be read again."""
    old = next((c for c in book.chapters if c.path == path), None)
    if old is None or old.kind == "credits" or front_matter is None or old.slug not in pages:
        return None
    if not old.meta.get("title"):  # titled by its # heading (book/project/reading.py): read as a whole again
        return None
    problems = Problems(book.root)
    text = read_text(path, problems)
    parts = split_front_matter(text) if text is not None else None
    if parts is None or parts[0] != front_matter or not parts[1].strip():
        return None
    chapter = _render(book, old, parts[1], problems)
    if chapter is None:
        return None
    chapters = [chapter if c is old else c for c in book.chapters]
    new_book = replace(book, chapters=chapters)
    if "break_policy" in vars(book):
        new_book.break_policy = book.break_policy  # the same words are protected: the front matter is the same
    try:
        html = environment(new_book).get_template(chapter.form.template).render(chapter=chapter)
    except jinja2.TemplateError:
        return None
    if needs_the_whole_book(new_book, pages.values(), html):  # numbers and references are the book's
        return None
    html = mark_for_browser(html, new_book.break_policy)
    pages[old.slug] = replace(pages[old.slug], html=html, chapter=chapter)
    return new_book


def _render(book: Book, old: Chapter, source: str, problems: Problems) -> Chapter | None:
    index = book.chapters.index(old)
    renderer = ChapterRenderer(
        book.root, book.config["infographics"]["credit"], problems, None, page_geometry(book.config)
    )
    renderer.used_ids.update(c.slug for c in book.chapters)
    for earlier in book.chapters[:index]:
        renderer.used_ids.update(ID.findall(earlier.html))
    for other in book.chapters:
        if other is not old:
            renderer.seen_figures.update((f.id, problems.where(other.path)) for f in other.infographics)
    chapter = replace(old, source=source, html="", headings=[], infographics=[], footnotes=0)
    renderer.render(chapter)
    if problems.errors:
        return None
    old_ids, new_ids = set(ID.findall(old.html)), set(ID.findall(chapter.html))
    for later in book.chapters[index + 1 :]:
        later_ids = set(ID.findall(later.html))
        if (new_ids - old_ids) & later_ids:
            return None  # a later chapter's id is now taken first: it would be renamed
        if any(i.startswith(f"{later.slug}-{gone}") for gone in old_ids - new_ids for i in later_ids):
            return None  # a later chapter's id may have been renamed because of one this chapter gave up
    return chapter
