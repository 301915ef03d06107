"""The one `Book` model that every builder reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .kinds import BACK, BODY, BUILT_IN, FRONT, PART, Kind

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..thai import BreakPolicy

INFOGRAPHIC_SIZES = ("full-page", "half-page", "column")


@dataclass(frozen=True)
class FontFace:
    """One font file: its family, weight, style and where it lies."""

    family: str
    weight: int
    style: str
    path: Path


@dataclass
class Infographic:
    """A figure declared in a chapter; rendered as its artwork, or as a placeholder box until it exists."""

    id: str
    caption: str
    size: str
    brief: str
    credit: str
    line: int
    chapter: str = ""
    artwork: Path | None = None  # set by the reader when assets/infographics/<id>.* exists

    @property
    def status(self) -> str:
        return "ready" if self.artwork else "placeholder"


@dataclass(frozen=True)
class CreditRole:
    """One role of the team, its MARC relator code and the people in it."""

    role: str
    relator: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Credits:
    """The team credits, parsed from the credits chapter."""

    roles: tuple[CreditRole, ...]
    contacts: tuple[tuple[str, str], ...] = ()
    contacts_title: str = ""

    @property
    def people(self) -> list[str]:
        """Every name once, in the order they first appear."""
        return list(dict.fromkeys(name for role in self.roles for name in role.names))

    def relators(self, name: str) -> list[str]:
        return list(dict.fromkeys(r.relator for r in self.roles if name in r.names))


@dataclass
class Heading:
    level: int
    text: str
    id: str


@dataclass
class Chapter:
    """One Markdown file of the book: a chapter of the body (plain or of a kind the book declares), a part
    title page, or front or back matter (`book/project/kinds.py`)."""

    path: Path
    kind: str  # the kind's name: chapter, part, preface, foreword, ..., or one the book declares
    slug: str
    title: str
    meta: dict[str, Any]
    source: str  # the Markdown body, without front matter
    body_line: int  # line of the file where the body starts
    meta_lines: dict[str, int] = field(default_factory=dict)  # front matter key -> its line in the file
    number: int | None = None  # body chapters only, numbered from 1 across the book; set by the reader
    form: Kind = BUILT_IN["chapter"]  # what its kind says: where it goes, how it shows; set by the reader
    part_number: int | None = None  # a part title page's number (ภาคที่ N); set by the reader
    in_part: Chapter | None = None  # the part title page a body chapter comes under, if any; set by the reader
    html: str = ""  # set by render: the chapter's body HTML, shared by every output
    headings: list[Heading] = field(default_factory=list)  # set by render
    infographics: list[Infographic] = field(default_factory=list)  # set by render
    footnotes: int = 0  # set by render

    @property
    def place(self) -> str:
        """front, body, part or back (`kinds.PLACES`)."""
        return self.form.place

    @property
    def file_name(self) -> str:
        return f"{self.slug}.xhtml"


@dataclass
class Book:
    """Everything a builder needs: the metadata, the chapters in order, the credits, the fonts."""

    root: Path
    config: dict[str, Any]
    chapters: list[Chapter]
    credits: Credits | None
    fonts: dict[str, list[FontFace]]  # role (body, heading) -> faces
    styles: dict[str, list[Path]]  # thai.css, print.css, epub.css -> base file, then the project's own
    templates: Path | None  # the project's template overrides, if any
    words: list[str] = field(default_factory=list)  # the book's word lists: words and names never broken
    warnings: list[Diagnostic] = field(default_factory=list)  # what reading found and mended (set by load_book)
    kinds: dict[str, Kind] = field(default_factory=lambda: dict(BUILT_IN))  # the toolkit's and the book's own

    @property
    def title(self) -> str:
        return self.config["title"]

    @property
    def date(self) -> date | None:
        """The edition's date, or None when book.yaml gives none."""
        return date.fromisoformat(self.config["date"]) if self.config.get("date") else None

    @property
    def numbered(self) -> list[Chapter]:
        """The body's chapters (not its part title pages), numbered from 1."""
        return [c for c in self.chapters if c.place == BODY]

    @property
    def front(self) -> list[Chapter]:
        """The front matter, by kind (preface, foreword, introduction): before the contents."""
        return [c for c in self.chapters if c.place == FRONT]

    @property
    def body(self) -> list[Chapter]:
        """The chapters and part title pages, in reading order."""
        return [c for c in self.chapters if c.place in (BODY, PART)]

    @property
    def back(self) -> list[Chapter]:
        """The back matter, by kind (appendix, afterword, glossary, credits, colophon)."""
        return [c for c in self.chapters if c.place == BACK]

    @property
    def parts(self) -> list[Chapter]:
        return [c for c in self.chapters if c.place == PART]

    @property
    def on_cover(self) -> list[Chapter]:
        """The chapters the back cover lists, of kinds that ask for it (`cover:`)."""
        return [c for c in self.chapters if c.form.cover]

    @property
    def ornament(self) -> list[Chapter]:
        """The chapters the front cover's ornament has a dot for, of kinds that ask for it (`ornament:`)."""
        return [c for c in self.chapters if c.form.ornament]

    @property
    def infographics(self) -> list[Infographic]:
        return [i for c in self.chapters for i in c.infographics]

    def chapter(self, slug: str) -> Chapter:
        return next(c for c in self.chapters if c.slug == slug)

    @property
    def protected_words(self) -> list[str]:
        """Words lines never break: the word lists, the credits' names, the words of the fields a chapter's kind
        protects (`protect: true`)."""
        names = self.credits.people if self.credits else []
        kept = [w for c in self.chapters for key in c.form.protected for w in str(c.meta.get(key) or "").split()]
        return [*self.words, *names, *kept]

    @cached_property
    def break_policy(self) -> BreakPolicy:
        """Where Thai lines may break, the same for every output (see `book/thai/breaking.py`)."""
        from ..thai import BreakPolicy

        return BreakPolicy(self.protected_words)

    def css(self, *names: str) -> str:
        """The stylesheets `names` (e.g. thai.css, print.css), each base file then the project's own."""
        return "\n".join(p.read_text(encoding="utf-8") for name in names for p in self.styles[name])
