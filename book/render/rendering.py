"""Jinja2 rendering: each page of the book (title, imprint, foreword, contents, chapters, credits,
colophon) rendered once to an HTML section that every builder shares.

Templates ship in `book/templates/`; a project overrides any of them with a file of the same name in its own
`templates/` folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib.metadata import version

import jinja2

from .. import PACKAGE
from ..diagnostics import Problems
from ..project import BODY, Book, Chapter, fill_in
from ..thai import digits, mark_for_browser, thai_date, thai_month_year

PACKAGE_TEMPLATES = PACKAGE / "templates"


@dataclass(frozen=True)
class Page:
    """One rendered page group of the book: a `<section>` with a stable id, shared by every output."""

    id: str
    kind: str  # title, imprint, contents, chapter (every kind of the body), part, or the matter's kind
    title: str
    html: str
    chapter: Chapter | None = None
    landmark: str | None = None  # EPUB landmark: titlepage, toc, bodymatter, colophon, ...

    @property
    def file_name(self) -> str:
        return f"{self.id}.xhtml"


_environments: dict[int, tuple[Book, jinja2.Environment]] = {}


def environment(book: Book) -> jinja2.Environment:
    """The templates' environment of `book`: made once per book read, so each template is compiled once
    (the print edition renders a document per part)."""
    made = _environments.get(id(book))
    if made is None or made[0] is not book:
        _environments.clear()  # the book read before this one is done with
        made = _environments[id(book)] = (book, _environment(book))
    return made[1]


def _environment(book: Book) -> jinja2.Environment:
    folders = [str(book.templates)] if book.templates else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders + [str(PACKAGE_TEMPLATES)]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    numerals = book.config["numerals"]
    env.filters["digits"] = lambda value: digits(value, numerals)
    env.filters["thai_date"] = lambda day: thai_date(day, numerals)
    env.filters["month_year"] = lambda day: thai_month_year(day, numerals)
    env.filters["mm"] = lambda length: (
        digits(length.removesuffix("mm"), numerals) + " มม." if length.endswith("mm") else length
    )
    env.globals.update(book=book, config=book.config, numerals=numerals, tools=tool_versions())
    env.globals["fill"] = lambda chapter, template: fill_in(
        template, chapter.meta, chapter.number or chapter.part_number, chapter.title, env.filters["digits"]
    )
    env.globals["shown"] = lambda chapter, opener: shown_fields(chapter, opener, env.filters["digits"])
    return env


def shown_fields(chapter: Chapter, opener: str, digits: Callable[[object], str]) -> list[tuple[str, str, str]]:
    """(name, label, text) of each field of the chapter's kind shown on its opener as `opener` (line or fact),
    in declared order; a field the chapter leaves out is not shown at all (no "-" in its place)."""
    found = []
    for field in chapter.form.shown(opener):
        value = chapter.meta.get(field.field.name)
        if value is None or value == "" or value == []:
            continue
        value = ", ".join(map(str, value)) if isinstance(value, list) else value
        found.append((field.field.name, field.label, fill_in(field.format, {"value": value}, None, "", digits)))
    return found


def tool_versions() -> dict[str, str]:
    names = {"WeasyPrint": "weasyprint", "Python-Markdown": "markdown", "EbookLib": "ebooklib", "Jinja2": "jinja2"}
    return {label: version(dist) for label, dist in names.items()}


def render_pages(book: Book) -> list[Page]:
    """Every page of the book in reading order, each rendered once."""
    env = environment(book)
    problems = Problems(book.root)

    def render(template: str, **context: object) -> str:
        return _render(env, book, problems, template, context)

    pages = [
        Page("title-page", "title", book.title, render("title.html"), landmark="titlepage"),
        Page("imprint", "imprint", "ข้อมูลทางบรรณานุกรม", render("imprint.html"), landmark="copyright-page"),
    ]
    for chapter in book.front:
        pages.append(_chapter_page(chapter, render))
    pages.append(Page("contents", "contents", "สารบัญ", render("contents.html"), landmark="toc"))
    for index, chapter in enumerate(book.body + book.back):
        pages.append(_chapter_page(chapter, render, first_of_body=index == 0 and chapter in book.body))
    pages = _resolved(book, pages, problems)
    problems.raise_if_any()
    policy = book.break_policy
    return [replace(page, html=mark_for_browser(page.html, policy)) for page in pages]


def _resolved(book: Book, pages: list[Page], problems: Problems) -> list[Page]:
    """The pages with figures and tables numbered and cross-references linked (`references.py`); what it
    warns about joins the book's warnings."""
    from .references import resolve_references  # it builds on `Page`

    resolved = resolve_references(book, pages, problems)
    book.warnings.extend(w for w in problems.warnings if w not in book.warnings)
    return resolved


def _chapter_page(chapter: Chapter, render, first_of_body: bool = False) -> Page:  # noqa: ANN001
    """A chapter's page, set with its kind's template; the first page of the body is the EPUB's bodymatter
    landmark, front and back matter their kind's."""
    form = chapter.form
    kind = "chapter" if form.place == BODY else form.name
    landmark = "bodymatter" if first_of_body else None if form.place == BODY else form.epub_type
    html = render(form.template, chapter=chapter)
    return Page(chapter.slug, kind, chapter.title, html, chapter, landmark)


def _template_path(book: Book, name: str) -> str:
    if book.templates and (book.templates / name).is_file():
        return str(book.templates / name)
    return str(PACKAGE_TEMPLATES / name)


def _render(env: jinja2.Environment, book: Book, problems: Problems, template: str, context: dict) -> str:
    """Render one template; a broken template becomes a diagnostic naming its file and line."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as error:
        problems.add(error.filename or template, error.lineno, "T001", error=error.message)
    except jinja2.TemplateError as error:
        problems.add(_template_path(book, template), None, "T002", error=error)
    return ""


def render_document(book: Book, template: str, **context: object) -> str:
    """A whole document (the print edition's single HTML file) from its template."""
    problems = Problems(book.root)
    html = _render(environment(book), book, problems, template, context)
    problems.raise_if_any()
    return html
