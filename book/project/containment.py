"""The one gate every file a build loads goes through.

WeasyPrint fetches whatever a document names: `src`, `href`, `@import`, `url()` in styles. A chapter could
name `file:///home/editor/secret.txt` or an address on the network. Here only files inside the project,
the toolkit's own files and the book's declared font files may be read, and `data:` addresses; anything
else is refused, and each refusal becomes a warning with the address.

The same rule holds for every output, not only the PDFs: `project_file` is the one test of a path, with its
symlinks followed. A project file must lie in one of the project's folders (`ALLOWED_FOLDERS`), and no part
of it may be hidden (`.env`, `.git`, `.cache`, a `.draft.md`): those are the editor's, not the book's. The
EPUB and the HTML export read through it, and `check_references` removes from a chapter every address that
would make any output read a file outside it.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html
from weasyprint.urls import URLFetcher

from .. import PACKAGE
from ..diagnostics import Problems, diagnostic
from .model import Book, Chapter

TOOLKIT = PACKAGE
ALLOWED_FOLDERS = ("assets", "chapters", "fonts", "styles", "templates", "words")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
LINK_SCHEMES = ("http", "https", "mailto", "tel")  # addresses a reader follows; a build never reads them
CSS_ADDRESS = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
REFERENCE_ATTRIBUTES = ("href", "src", "xlink:href", "srcset", "poster", "data", "action", "formaction", "background")


def project_file(root: Path, path: Path | str, folders: tuple[str, ...] | None = ALLOWED_FOLDERS) -> Path | None:
    """`path` with its symlinks followed when it lies in one of the project's `folders` (anywhere in the
    project for None) and nothing on the way down from the project is hidden; None otherwise (also for a
    symlink loop)."""
    try:
        resolved = Path(path).resolve()
        root = root.resolve()
    except (OSError, RuntimeError, ValueError):  # a loop, a path too long, a NUL byte in a chapter's address
        return None
    if not resolved.is_relative_to(root):
        return None
    parts = resolved.relative_to(root).parts
    if not parts or folders is not None and parts[0] not in folders or any(p.startswith(".") for p in parts):
        return None
    return resolved


def font_package_file(path: Path) -> Path | None:
    """`path` with its symlinks followed when it is a file of an installed font package (`fontpkg_*`, found
    where Python imports it from); None otherwise."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    for folder in resolved.parents:
        if folder.name.startswith("fontpkg_"):
            spec = importlib.util.find_spec(folder.name)
            if spec is not None and spec.origin is not None and Path(spec.origin).resolve().parent == folder:
                return resolved
            return None
    return None


def readable(book: Book, path: Path) -> bool:
    """Whether an output may read `path`: a file of the project's folders, of the toolkit, or a font file the
    book declared that passed `fonts.py`'s checks."""
    if project_file(book.root, path) is not None:
        return True
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    if resolved.is_relative_to(TOOLKIT):
        return True
    return resolved in {face.path.resolve() for faces in book.fonts.values() for face in faces} and (
        font_package_file(resolved) is not None or project_file(book.root, resolved, ("fonts",)) is not None
    )


class Gate(URLFetcher):
    """A WeasyPrint URL fetcher that reads only the project's, the toolkit's and the fonts' files."""

    def __init__(self, book: Book) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.book = book

    def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN201 - WeasyPrint's response
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return super().fetch(url, headers)
        if parsed.scheme == "file":
            # exact files, never a font's folder: a font symlinked to /etc/passwd must not open /etc
            if readable(self.book, Path(unquote(parsed.path))):
                return super().fetch(url, headers)
        refused = diagnostic("book", None, "G001", severity="warning", url=url)
        if refused not in self.book.warnings:
            self.book.warnings.append(refused)
        raise ValueError(refused.message)


def gate(book: Book) -> Gate:
    return Gate(book)


def check_references(root: lxml.html.HtmlElement, chapter: Chapter, project: Path, problems: Problems) -> None:
    """Remove from a chapter every address that names a file outside the project's folders or a hidden one,
    each removal a warning: attributes (`src`, `href`...), and `url()` or `@import` in a `style` attribute or
    element. Relative addresses are read from `assets/`, as every output lays the chapters out from there.
    An `<img>` outside an infographic that `check_images` already refused is left to its error."""
    assets = project / "assets"
    for element in root.xpath("//*"):
        if not isinstance(element.tag, str):
            continue
        for name, value in list(element.attrib.items()):
            name = name.lower()
            if name == "style":
                refused = _refused_in_css(value, project)
            elif name in REFERENCE_ATTRIBUTES:
                if _left_to_check_images(element, name, value, assets):
                    continue
                addresses = [p.split()[0] for p in value.split(",") if p.split()] if name == "srcset" else [value]
                refused = [a for a in addresses if _refused(a, element.tag == "a" and name == "href", project)]
            else:
                continue
            if refused:
                url = refused[0].strip()
                forms = (f'{name}="{url}', f"{name}='{url}")
                # a Markdown link `[text](url)` is an `<a>`; an element's own attribute is written out in raw HTML
                forms = _css_forms(url) if name == "style" else (f"]({url}", *forms) if element.tag == "a" else forms
                line = _line(chapter, *forms, url, name)
                problems.add(chapter.path, line, "G101", severity="warning", attribute=name, url=url)
                if element.tag == "img" and name == "src":
                    element.drop_tree()  # an image with no source is no image (and no valid EPUB)
                    break
                del element.attrib[name]
        if element.tag == "style":
            refused = _refused_in_css(element.text or "", project)
            if refused:
                line = _line(chapter, *_css_forms(refused[0].strip()), refused[0].strip(), "<style")
                problems.add(chapter.path, line, "G101", severity="warning", attribute="style", url=refused[0].strip())
                element.drop_tree()


def _line(chapter: Chapter, *needles: str) -> int | None:
    """The line of the first of `needles` found in the chapter: the most exact first."""
    from .sanitize import find_line

    return next((line for line in (find_line(chapter, n) for n in needles) if line is not None), None)


def _css_forms(url: str) -> tuple[str, ...]:
    return (f"url('{url}'", f'url("{url}"', f"url({url})", f"'{url}'", f'"{url}"')


def _refused_in_css(css: str, project: Path) -> list[str]:
    addresses = (m[2] or m[4] for m in CSS_ADDRESS.finditer(css))
    # a CSS escape (`\\2e\\2e/`) is read as the character it names: no address needs one, so none may have one
    return [address for address in addresses if "\\" in address or _refused(address, False, project)]


def _left_to_check_images(element: lxml.html.HtmlElement, name: str, value: str, assets: Path) -> bool:
    if element.tag != "img" or name != "src" or element.xpath("ancestor::figure[contains(@class, 'infographic')]"):
        return False
    value = value.strip()
    if SCHEME.match(value) or value.startswith("//"):
        return True
    try:
        return not (assets / value).resolve().is_relative_to(assets.resolve())
    except (OSError, RuntimeError, ValueError):
        return False  # refused below


def _refused(address: str, link: bool, project: Path) -> bool:
    """Whether a chapter's `address` would make an output read a file it may not (or a reader fetch one from
    elsewhere, for anything but a link)."""
    address = address.strip()
    if not address or address.startswith("#"):
        return False
    scheme = SCHEME.match(address)
    if scheme:
        kind = scheme[1].lower()
        if kind == "data" and not link:
            return False
        if kind in LINK_SCHEMES:
            return not link
        if kind != "file":
            return True
        try:
            path = Path(unquote(urlparse(address).path))
        except ValueError:  # not an address urllib can read: nor can anything else
            return True
    elif address.startswith("//"):
        return not link  # another host's address: for a link as harmless as https:
    else:
        path = project / "assets" / unquote(address.split("#", 1)[0].split("?", 1)[0])
    return project_file(project, path) is None
