"""What the preview shows, as HTML: the index of the book, each page on screen, each page's print proofs,
and the problems overlay. Every view has a version (a digest of what it shows) that the open page compares
with the one its event stream announces, to know when to fetch itself again."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import jinja2

from ..diagnostics import BookError, Diagnostic, say
from ..render import Page
from .proofs import Proofs
from .state import PACKAGE_TEMPLATES, LiveBook, Snapshot, digest

ANCHOR_LINK = re.compile(r'href="#([^"]+)"')
# a picture's address in a page: relative, read from assets/ (infographics and the chapters' pictures alike)
ARTWORK = re.compile(r'src="((?![a-zA-Z][a-zA-Z0-9+.-]*:|/)[^"?#]+)"')
VIEW_KINDS = ("index", "page", "print")


@dataclass(frozen=True)
class View:
    """One view's HTML body (the part the browser swaps), its title, HTTP status and version."""

    name: str
    title: str
    body: str
    status: int = 200

    @property
    def kind(self) -> str:
        return self.name.partition(":")[0]

    @property
    def version(self) -> str:
        return digest(self.title, self.body)


def place(diagnostic: Diagnostic) -> str:
    """`chapters/01-nan.md:2:7`: where a problem is, as the terminal prints it."""
    return diagnostic.place


class Views:
    """Renders the preview's views from a snapshot of the live book, in the language the live book speaks
    (`LiveBook.language`): the templates say their words with `t(key, **values)` (book/diagnostics/messages.py)."""

    def __init__(self, live: LiveBook, proofs: Proofs) -> None:
        self.live = live
        self.proofs = proofs
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["place"] = place

    def document(self, snapshot: Snapshot, name: str) -> tuple[int, str]:
        """The whole HTML document of view `name` ('index', 'page:ID' or 'print:ID') and its HTTP status."""
        language = self.live.language()
        view = self.view(snapshot, name, language)
        state = self.state(snapshot, name, view, language)
        html = self.env.get_template("preview.html").render(
            view=view, state=state, problems=for_the_browser(snapshot.problems), **self._words(language)
        )
        return view.status, html

    def state(self, snapshot: Snapshot, name: str, view: View | None = None, language: str | None = None) -> dict:
        """What the event stream announces: the view's version, the stylesheet's, the shell's, the problems."""
        language = language or self.live.language()
        view = view or self.view(snapshot, name, language)
        shown = for_the_browser(snapshot.problems)
        problems = [{"place": place(d), "message": d.text(language), "code": d.code} for d in shown]
        return {
            "view": name,
            "version": view.version,
            "css": snapshot.css_version,
            "shell": snapshot.shell_version,
            "problems": problems,
        }

    def view(self, snapshot: Snapshot, name: str, language: str | None = None) -> View:
        language = language or self.live.language()
        kind, _, page_id = name.partition(":")
        if kind == "index":
            return self._index(snapshot, language)
        page = snapshot.pages.get(page_id)
        if page is None or kind not in VIEW_KINDS:
            body = self._render("preview_missing.html", snapshot, language, page_id=page_id)
            return View(name, say("not found", language), body, 404)
        if kind == "page":
            body = self._render("preview_page.html", snapshot, language, **self._page(snapshot, page))
            return View(name, page.title, body)
        body = self._render("preview_print.html", snapshot, language, **self._print(snapshot, page, language))
        return View(name, say("proofs title", language, title=page.title), body)

    @staticmethod
    def _words(language: str) -> dict:
        """What every template gets to speak `language`: `t(key, **values)` and `language` itself."""
        return {"t": lambda key, **values: say(key, language, **values), "language": language}

    def _render(self, template: str, snapshot: Snapshot, language: str, **context: object) -> str:
        book = snapshot.book
        title = book.title if book else self.live.root.name
        book_language = book.config.get("language", "th") if book else "th"
        return self.env.get_template(template).render(
            book_title=title, book_language=book_language, **self._words(language), **context
        )

    def _index(self, snapshot: Snapshot, language: str) -> View:
        book = snapshot.book
        title = book.title if book else self.live.root.name
        troubled = {d.file for d in snapshot.problems}
        rows = []
        for page in snapshot.pages.values():
            chapter = page.chapter
            row = {"page": page, "chapter": chapter, "status": None, "file": None, "problem": False}
            if chapter is not None:
                row["file"] = str(chapter.path.relative_to(self.live.root))
                row["status"] = self.live.status(chapter)
                row["problem"] = row["file"] in troubled
            rows.append(row)
        statuses = [row["status"] for row in rows if row["status"]]
        totals = {
            "chapters": len(book.numbered) if book else 0,
            "words": None if any(s.words is None for s in statuses) else sum(s.words for s in statuses),
            "placeholders": sum(s.placeholders for s in statuses),
            "findings": None if any(s.findings is None for s in statuses) else sum(len(s.findings) for s in statuses),
        }
        body = self._render(
            "preview_index.html", snapshot, language, book=book, rows=rows, totals=totals, problems=snapshot.problems
        )
        return View("index", title, body)

    def _page(self, snapshot: Snapshot, page: Page) -> dict:
        ids = list(snapshot.pages)
        at = ids.index(page.id)
        neighbours = [snapshot.pages[ids[i]] if 0 <= i < len(ids) else None for i in (at - 1, at + 1)]
        status = self.live.status(page.chapter) if page.chapter else None
        return {
            "page": page,
            "html": self.screen_html(snapshot, page),
            "previous": neighbours[0],
            "next": neighbours[1],
            "status": status,
        }

    def _print(self, snapshot: Snapshot, page: Page, language: str) -> dict:
        try:
            proof = self.proofs.proof(snapshot.book, page)
        except BookError as error:
            return {"page": page, "proof": None, "error": "\n".join(d.shown(language) for d in error.diagnostics)}
        except Exception as error:  # noqa: BLE001 - a layout failure is shown, the server goes on
            return {"page": page, "proof": None, "error": f"{type(error).__name__}: {error}"}
        build = proof.build
        if build is not None and build.is_relative_to(self.live.root):
            build = build.relative_to(self.live.root)
        return {"page": page, "proof": proof, "error": None, "build": build}

    def screen_html(self, snapshot: Snapshot, page: Page) -> str:
        """The page's HTML as the builders made it, with two changes for the screen: a link to an id on
        another page goes to that page's view, and a picture (artwork too) carries its file's date so a redrawn
        file shows."""
        root = self.live.root

        def link(match: re.Match) -> str:
            anchor = match.group(1)
            holder = snapshot.anchors.get(anchor)
            if holder is None or holder == page.id:
                return match.group(0)
            return f'href="/page/{holder}"' if anchor == holder else f'href="/page/{holder}#{anchor}"'

        def artwork(match: re.Match) -> str:
            assets = root / "assets"
            try:
                file = (assets / match.group(1)).resolve()
                stamp = file.stat().st_mtime_ns if file.is_relative_to(assets.resolve()) else None
            except (OSError, RuntimeError, ValueError):
                stamp = None
            if stamp is None:
                return match.group(0)
            return f'src="{match.group(1)}?v={stamp}"'

        return ARTWORK.sub(artwork, ANCHOR_LINK.sub(link, page.html))


def for_the_browser(problems: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    """The problems as a page shows them: an internal error (V002) without its exception's text, which can
    name files outside the book; the terminal has the whole of it, traceback included."""
    plain = {language: say("preview failed request", language) for language in ("en", "th")}
    return [replace(d, message=plain["en"], message_th=plain["th"]) if d.code == "V002" else d for d in problems]


def is_view_name(name: str) -> bool:
    kind, _, page_id = name.partition(":")
    return (kind == "index" and not page_id) or (kind in ("page", "print") and bool(page_id))
