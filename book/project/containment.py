"""The one gate every file a build loads goes through.

WeasyPrint fetches whatever a document names: `src`, `href`, `@import`, `url()` in styles. A chapter could
name `file:///home/editor/secret.txt` or an address on the network. Here only files inside the project,
the toolkit's own files and the book's declared font files may be read, and `data:` addresses; anything
else is refused, and each refusal becomes a warning with the address.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher

from .. import PACKAGE
from ..diagnostics import diagnostic
from .model import Book

TOOLKIT = PACKAGE


class Gate(URLFetcher):
    """A WeasyPrint URL fetcher that reads only the project's, the toolkit's and the fonts' files."""

    def __init__(self, book: Book) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        fonts = {face.path.resolve().parent for faces in book.fonts.values() for face in faces}
        self.allowed = [book.root.resolve(), TOOLKIT, *fonts]
        self.book = book

    def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201 - WeasyPrint's response
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.allowed):
                return super().fetch(url, headers)
        refused = diagnostic("book", None, "G001", severity="warning", url=url)
        if refused not in self.book.warnings:
            self.book.warnings.append(refused)
        raise ValueError(refused.message)


def gate(book: Book) -> Gate:
    return Gate(book)
