"""The print edition cut into parts that are laid out on their own: the title page with the imprint behind
it, then each section that opens on a right-hand page (the foreword, the contents, every chapter, the credits,
the colophon).

Each part starts on a right-hand page and holds whole pages, so laying out the parts apart and joining their
pages gives the pages one layout of the whole document would give (tests/test_parts.py checks it). What a part
cannot know alone is where it falls in the book, and only two things depend on that: the folios, which are
drawn on a layer of their own after every part is laid out (`book/pdf/partlayout.py`), and the page numbers the
contents and the page references (`[@page:id]`, `book/render/references.py`) print, which are written into their
parts once the pages of their targets are known (`book/pdf/interior.py`).

A part's `key` names everything its layout depends on, so that a build can take an unchanged part from the
cache (`book/scheduler/cache.py`) instead of laying it out again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote

from .. import __version__
from ..project import Book
from ..render import Page, page_reference_targets, print_page_references, render_document
from ..scheduler import Cache, digest, toolkit_digest
from .numbering import BODY_PAGES

# Pages that go into the part before them instead of opening one: the imprint is the title page's verso.
JOINED_TO_PREVIOUS = frozenset({"imprint"})
# The contents' page numbers and the page references', written in by `with_folios` (a part cannot use
# target-counter() across parts).
# The number is a cell of its own on the entry's right edge (print.css, "placeholders, contents and title page").
PART_CSS = (
    ".contents li a[data-folio]::after { content: attr(data-folio); }\n"
    "a.page-ref[data-folio]::after { content: attr(data-folio); }"
)
FOLIO_LINK = re.compile(r'<a (?:class="xref page-ref" )?href="#([^"]+)"')
CONTENTS_LINK = re.compile(r'<a href="#([^"]+)"')
SOURCE = re.compile(r'\bsrc="([^"]+)"')


@dataclass(frozen=True)
class Part:
    """One part of the print edition: its pages, and its HTML ready for WeasyPrint."""

    id: str
    pages: tuple[Page, ...]
    html: str  # the whole HTML document of the part, footnotes in place, no styles (see `Parts.css`)
    flows: bool = False  # opens on the next page whichever side it is (a chapter, with `opening: any`)

    @property
    def is_contents(self) -> bool:
        return any(page.kind == "contents" for page in self.pages)

    @property
    def page_references(self) -> list[str]:
        """The anchors whose folios the part prints: those the contents links to, and the targets of its
        page references (`[@page:id]`)."""
        found = page_reference_targets(self.html)
        if self.is_contents:
            found = [*CONTENTS_LINK.findall(self.html), *found]
        return list(dict.fromkeys(unquote(anchor) for anchor in found))


@dataclass(frozen=True)
class Parts:
    """Every part in reading order, the one stylesheet they share, and what their layout depends on besides
    their own HTML (the toolkit, WeasyPrint, the stylesheet, the fonts and the Thai break policy)."""

    items: tuple[Part, ...]
    css: str
    fingerprint: str
    assets: Path  # where the parts' relative addresses point

    def key(self, part: Part, extra: str = "") -> str:
        """The cache key of `part`'s layout (with `extra`, e.g. the contents' folios)."""
        return digest(self.fingerprint, part.html, extra, assets_state(part.html, self.assets))

    @property
    def first_chapter(self) -> int:
        """The index of the first part of the body (the parts before it are the front matter)."""
        return next((i for i, p in enumerate(self.items) if any(page.kind in BODY_PAGES for page in p.pages)), 0)


def print_parts(book: Book, pages: list[Page], cache: Cache | None = None) -> Parts:
    """The print edition of `pages`, cut into parts (the placeholders' fit taken from `cache` when there)."""
    from .document import footnotes_inline, print_css  # the print edition's own rules

    groups: list[list[Page]] = []
    for page in pages:
        if groups and page.kind in JOINED_TO_PREVIOUS:
            groups[-1].append(page)
        else:
            groups.append([page])
    first_body = next((i for i, group in enumerate(groups) if group[0].kind in BODY_PAGES), None)
    items = tuple(
        Part(
            group[0].id,
            tuple(group),
            render_document(book, "print.html", pages=[footnotes_inline(_printed(p)) for p in group], css=""),
            _flows(book, group[0], index == first_body),
        )
        for index, group in enumerate(groups)
    )
    css = print_css(book, cache=cache) + "\n" + PART_CSS
    return Parts(items, css, fingerprint(book, css), book.root / "assets")


def fingerprint(book: Book, css: str) -> str:
    """What every part's layout depends on besides its own HTML; the press's settings too, since a part's print
    PDF is made ready for the press (`book/pdf/prepress.py`): its colours are the profile's CMYK."""
    from .prepress import print_settings

    press = print_settings(book)
    profile = press.profile.stat()
    fonts = sorted(
        (str(face.path), face.path.stat().st_size, face.path.stat().st_mtime_ns)
        for faces in book.fonts.values()
        for face in faces
    )
    policy = book.break_policy
    return digest(
        __version__,
        toolkit_digest(),
        version("weasyprint"),
        version("pythainlp"),  # its dictionaries decide the Thai breaks
        css,
        repr(fonts),
        "\n".join(sorted(policy.protected)),
        str(book.root.resolve()),  # assets are found from the project's folder
        repr(press),
        f"{profile.st_size}:{profile.st_mtime_ns}",  # a profile replaced under the same name
    )


def _flows(book: Book, page: Page, first: bool) -> bool:
    """Whether a part opening with `page` opens on any page: a chapter but the body's first, with `opening: any`
    (the body's first page stays a right-hand one)."""
    return book.config.get("opening") == "any" and page.kind == "chapter" and not first


def _printed(page: Page) -> Page:
    return replace(page, html=print_page_references(page.html))


def with_folios(html: str, folios: dict[str, str]) -> str:
    """A part's HTML with the page number of each contents entry and page reference (`folios`: anchor -> folio)
    written in."""

    def entry(match: re.Match[str]) -> str:
        anchor = unquote(match.group(1))
        return match.group(0) if anchor not in folios else f'{match.group(0)} data-folio="{folios[anchor]}"'

    return FOLIO_LINK.sub(entry, html)


def assets_state(html: str, assets: Path) -> str:
    """The size and time of every file `html` names (an infographic's artwork replaced in place changes the
    key of the part that shows it)."""
    state = []
    for source in sorted(set(SOURCE.findall(html))):
        if source.startswith("data:"):
            continue
        path = assets / source.removeprefix("file://")  # an absolute path stays as it is
        if path.is_file():
            stat = path.stat()
            state.append(f"{source}:{stat.st_size}:{stat.st_mtime_ns}")
        else:
            state.append(source)
    return "\n".join(state)
