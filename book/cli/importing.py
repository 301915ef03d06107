"""`import FILE.docx`: a chapter from a Word document, written into the project's `chapters/` with its pictures
in `assets/<slug>/`, then linted as `check` lints it.

Word is read by mammoth (pure Python, BSD): it turns the document's meaning (headings, emphasis, lists,
tables, footnotes, pictures and their descriptions) into plain HTML and drops Word's look (fonts, colours,
spacing), which a book's own styles replace anyway. This module writes that HTML as exactly the Markdown the
toolkit reads: Python-Markdown with `tables` and `footnotes`. The .docx is checked before mammoth sees it (a
regular file under a size limit, a zip with no names that climb out, no part that unpacks to far more than
it holds, no DOCTYPE), and nothing is written until everything was converted.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import stat
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import lxml.etree
import lxml.html
import yaml

from ..diagnostics import EXIT_CONTENT, EXIT_USAGE, BookError, Diagnostic, diagnostic, say
from ..project import SLUG, quick_text, safe_load_yaml
from ..scheduler import write_atomic, write_text_atomic
from ..thai import lint_file

MB = 2**20
DOCX_LIMIT = 100 * MB  # a chapter with a few dozen photos; a larger file is a whole book or a mistake
UNPACKED_LIMIT = 400 * MB  # everything inside, unpacked
PART_LIMIT = 32 * MB  # one part: a chapter's XML is a few MB, a picture is held to the build's own image limit
RATIO_LIMIT = 200  # a part of over a MB that unpacks to 200 times its packed size (Word's XML packs 10-30:1)
MAX_IMAGE_PIXELS = 40_000_000  # as the build allows (book/project/sanitize.py)
# Word's Title and Subtitle styles: the title is the chapter's, the subtitle an ordinary paragraph. A table of
# contents Word made is left out: the book makes its own, and Word's would be paragraphs of stale page numbers.
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => p:fresh",
        "p[style-name='TOC Heading'] => !",
        *(f"p[style-name='toc {level}'] => !" for level in range(1, 10)),
    ]
)
MATTER = {"foreword", "preface", "introduction", "appendix", "afterword", "glossary", "credits", "colophon", "part"}
FRONT = ("foreword", "preface", "introduction")
PICTURES = {"image/png": "png", "image/jpeg": "jpg", "image/pjpeg": "jpg", "image/gif": "gif"}
CONVERTED = {"image/tiff", "image/bmp", "image/x-bmp", "image/webp"}  # saved as PNG: every output reads PNG
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
WIDE_SPACE = re.compile("[\t\u2000-\u200a\u3000]")  # tabs and typographic spaces: one ordinary space each
NBSP_RUN = re.compile("[ \u00a0\u2007\u202f]*[\u00a0\u2007\u202f][ \u00a0\u2007\u202f]*")
THAI = "\u0e01-\u0e4e"
BREAK = "\x00"  # a Word line break (Shift+Enter) while a paragraph is written, resolved when it is done
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
FOOTNOTE = re.compile(r"#(footnote|endnote)-(-?\d+)$")


@dataclass
class Imported:
    """What an import wrote: the chapter, its pictures, what to look at (warnings on the new chapter's lines)."""

    chapter: Path
    pictures: list[Path]
    warnings: list[Diagnostic]
    tables: int = 0
    notes: int = 0


@dataclass
class Picture:
    name: str  # imageN.ext, in assets/<slug>/
    data: bytes


@dataclass
class Draft:
    """The chapter as it is converted: its blocks of Markdown, and warnings tied to a block by its index."""

    slug: str
    blocks: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # Word's note id -> its Markdown label
    pictures: list[Picture] = field(default_factory=list)
    warnings: list[tuple[int | None, str, dict]] = field(default_factory=list)
    later: dict[str, tuple[str, dict]] = field(default_factory=dict)  # a picture's src -> its warning, said where
    title: str | None = None
    tables: int = 0
    seen: int = 0  # pictures met, kept or not: a picture's number in the document
    last_was_list: bool = False
    numerals: str = "arabic"  # the book's: footnote labels and list numbers are written in its digits

    def number(self, value: int) -> str:
        return str(value).translate(THAI_DIGITS) if self.numerals == "thai" else str(value)

    def label(self, value: int) -> str:
        """A footnote's label: `1`; in a book set in Thai numerals `note-1`, which the lint does not take for
        an Arabic number (and a Thai digit in a label would not make a working link)."""
        return f"note-{value}" if self.numerals == "thai" else str(value)

    def warn(self, key: str, **values: object) -> None:
        self.warnings.append((len(self.blocks), key, values))

    def add(self, block: str, listing: bool = False) -> None:
        """Add a block (an empty one is no block). Two lists in a row are kept apart by an empty comment:
        Python-Markdown would make them one list, a numbered one joining the bullets before it."""
        if not block:
            return
        if listing and self.blocks and self.last_was_list:
            self.blocks.append("<!-- -->")
        self.blocks.append(block)
        self.last_was_list = listing


def import_command(args: argparse.Namespace, project: Path, language: str = "en") -> int:
    """`import FILE.docx [--slug S] [--force]`: write the chapter, say what was written, print the Thai lint's
    findings. Exit 0 once the chapter is written, whatever the lint found; problems with the input exit 1 or 2."""
    if len(args.args) != 1:
        print("thaibook: error: import takes one Word file: thaibook import FILE.docx", file=sys.stderr)
        return EXIT_USAGE
    source = Path(args.args[0])
    imported = import_docx(project, source, args.slug, args.force)
    where = project.resolve()
    for warning in imported.warnings:
        print(warning.shown(language))
    for path in [*imported.pictures, imported.chapter]:
        print(say("wrote file", language, path=_relative(path, where)))
    shown = _relative(imported.chapter, where)
    counts = {"pictures": len(imported.pictures), "tables": imported.tables, "notes": imported.notes}
    print(diagnostic(shown, None, "U127", severity="info", source=source.name, **counts).text(language))
    findings = lint_file(imported.chapter, _config(project), shown)
    for finding in findings:
        print(finding.shown(language))
    key = "U128" if findings else "U128.clean"
    print(diagnostic(shown, None, key, severity="info", count=len(findings)).text(language))
    return 0


def import_docx(project: Path, source: Path, slug: str | None = None, force: bool = False) -> Imported:
    """Convert `source` and write it as a chapter of `project`; raises BookError (nothing written) when the
    file is not a readable, safe .docx or when the chapter or a picture would overwrite one (without `force`)."""
    if not (project / "book.yaml").is_file():
        raise BookError([diagnostic(str(project), None, "U001")], EXIT_USAGE)
    shown = str(source)
    data = _read(source, shown)
    archive = _checked_zip(data, shown)
    slug = _slug(slug, source, shown)
    draft = _convert(data, slug, shown, str(_config(project).get("numerals") or "arabic"))
    if not draft.blocks:  # a chapter of a title alone is no chapter (check would call it empty, C004)
        raise _refused(shown, "U114")
    title = draft.title or _core_title(archive) or source.stem
    if not draft.title:
        draft.warnings.insert(0, (None, "U125.properties" if _core_title(archive) else "U125.file", {"title": title}))
    target, order_text = _place(project, slug, force)
    pictures = [project / "assets" / slug / picture.name for picture in draft.pictures]
    root = project.resolve()
    for folder in {target.parent, *(path.parent for path in pictures)}:
        if not _inside(folder, root):  # a folder linked to elsewhere: an import writes into the project only
            raise BookError([diagnostic(str(folder), None, "U113")], EXIT_USAGE)
    if not force:
        for path in pictures:
            if path.exists() or path.is_symlink():
                raise BookError([diagnostic(_relative(path, project.resolve()), None, "U111")], EXIT_USAGE)
    text, lines = _chapter_text(title, slug, draft)
    shown_chapter = _relative(target, project.resolve())
    warnings = [
        diagnostic(shown if key == "U124" else shown_chapter, lines(block), key, severity="warning", **values)
        for block, key, values in draft.warnings
    ]
    written: list[Path] = []
    created: list[Path] = []  # what did not exist before: taken away again if a later write fails
    try:
        for path, picture in zip(pictures, draft.pictures, strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            new = not path.exists()
            written.append(write_atomic(path, lambda temporary, p=picture: temporary.write_bytes(p.data)))
            created += [path] if new else []
        target.parent.mkdir(parents=True, exist_ok=True)
        new = not target.exists()
        write_text_atomic(target, text)
        created += [target] if new else []
        if order_text is not None:
            write_text_atomic(project / "book.yaml", order_text)
    except BaseException:
        for path in created:  # pictures without their chapter would be no import, and would stop the next one
            path.unlink(missing_ok=True)
        raise
    return Imported(target, written, warnings, draft.tables, len(draft.notes))


def _inside(folder: Path, root: Path) -> bool:
    """Whether `folder`, or the part of it that exists, resolves inside `root` (a symlink may lead out)."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        return existing.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


# -- reading the .docx, bounded and checked


def _refused(shown: str, key: str, code: int = EXIT_CONTENT, **values: object) -> BookError:
    return BookError([diagnostic(shown, None, key, **values)], code)


def _read(source: Path, shown: str) -> bytes:
    """The file's bytes: a regular file under the limit, opened without blocking (a FIFO never hangs it)."""
    try:
        descriptor = os.open(source, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _refused(shown, "U101", EXIT_USAGE) from None
    except OSError as error:
        raise _refused(shown, "U101.unreadable", EXIT_USAGE, reason=error.strerror) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _refused(shown, "U101.folder" if stat.S_ISDIR(info.st_mode) else "U101.other", EXIT_USAGE)
        if info.st_size > DOCX_LIMIT:
            raise _refused(shown, "U104", size=info.st_size / MB, limit=DOCX_LIMIT // MB)
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(DOCX_LIMIT + 1)
    except OSError as error:
        raise _refused(shown, "U101.unreadable", EXIT_USAGE, reason=error.strerror) from None
    finally:
        os.close(descriptor)
    if len(data) > DOCX_LIMIT:
        raise _refused(shown, "U104", size=len(data) / MB, limit=DOCX_LIMIT // MB)
    return data


def _checked_zip(data: bytes, shown: str) -> zipfile.ZipFile:
    """The .docx as a zip, refused when it is not one, is damaged, holds a name that climbs out of it, a part
    that would unpack to far more than it should (a zip bomb), or an XML part with a DOCTYPE."""
    if not data.startswith(b"PK"):
        raise _refused(shown, "U102.doc" if data.startswith(b"\xd0\xcf\x11\xe0") else "U102")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _refused(shown, "U103", reason=str(error) or type(error).__name__) from None
    total = 0
    for member in members:
        name = member.filename
        path = PurePosixPath(name)
        if "\\" in name or name.startswith("/") or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
            raise _refused(shown, "U106", name=name)
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > PART_LIMIT or total > UNPACKED_LIMIT or (member.file_size > MB and ratio > RATIO_LIMIT):
            raise _refused(shown, "U105", name=name, size=member.file_size / MB)
    if "word/document.xml" not in archive.namelist():
        raise _refused(shown, "U102.parts")
    try:
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                with archive.open(member) as part:
                    if b"<!DOCTYPE" in part.read(4096).upper():
                        raise _refused(shown, "U107", name=member.filename)
            elif not member.filename.endswith("/"):
                archive.read(member)  # every picture's checksum, before mammoth meets a damaged one half way
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise _refused(shown, "U103", reason=str(error) or type(error).__name__) from None
    return archive


def _core_title(archive: zipfile.ZipFile) -> str | None:
    """The title in the document's properties (File > Info in Word), when it has one."""
    try:
        root = lxml.etree.fromstring(
            archive.read("docProps/core.xml"), lxml.etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except (KeyError, lxml.etree.XMLSyntaxError):
        return None
    found = root.find("{http://purl.org/dc/elements/1.1/}title")
    title = _clean(found.text or "").strip() if found is not None else ""
    return title or None


def _slug(slug: str | None, source: Path, shown: str) -> str:
    if slug is not None:
        if not SLUG.match(slug):
            raise _refused(slug, "U108", EXIT_USAGE)
        return slug
    name = source.stem
    if re.search(f"[{THAI}]", name):
        from pythainlp.tokenize import word_tokenize  # a Thai name: word by word, in the Royal Institute's
        from pythainlp.transliterate import romanize  # romanization, as the words of a slug

        name = " ".join(romanize(word, engine="royin") for word in word_tokenize(name, engine="newmm"))
    made = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not SLUG.match(made):
        raise _refused(shown, "U108.name", EXIT_USAGE)
    return made


# -- Word to the toolkit's Markdown


def _convert(data: bytes, slug: str, shown: str, numerals: str = "arabic") -> Draft:
    import mammoth

    draft = Draft(slug, numerals=numerals)

    def picture(image) -> dict[str, str]:  # noqa: ANN001 - a mammoth image
        return {"src": _picture(image, draft)}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(picture),
            external_file_access=False,  # a picture linked from elsewhere on the disk is never read (1.11+)
        )
    except Exception as error:  # mammoth's own failures have no common type: a part it could not make sense of
        raise _refused(shown, "U103", reason=f"{type(error).__name__}: {error}") from None
    for message in result.messages:
        if message.type == "warning" and not message.message.startswith("Image of type"):  # U122 says it
            draft.warnings.append((None, "U124", {"said": message.message}))
    root = lxml.html.fragment_fromstring(result.value or "<p></p>", create_parent="div")
    for element in root:
        _block(element, draft)
    return draft


def _picture(image, draft: Draft) -> str:  # noqa: ANN001 - a mammoth image
    """Keep a picture for `assets/<slug>/`; its address in the chapter, or `omitted:N` when it was left out
    (the warning waits in `draft.later` until the picture's place in the chapter is known)."""
    from PIL import Image

    draft.seen += 1
    number = draft.seen
    kind = (image.content_type or "").lower()
    omitted = f"omitted:{number}"  # a picture left out: its warning is said where it stood, no picture
    if kind not in PICTURES and kind not in CONVERTED:
        draft.later[omitted] = ("U122", {"number": number, "kind": kind or "?"})
        return omitted
    with image.open() as stream:
        data = stream.read(PART_LIMIT + 1)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                draft.later[omitted] = ("U123", {"number": number, "width": opened.width, "height": opened.height})
                return omitted
            opened.verify()
        if kind in CONVERTED:
            with Image.open(io.BytesIO(data)) as opened, io.BytesIO() as png:
                opened.save(png, "PNG")
                data, kind = png.getvalue(), "image/png"
    except (OSError, ValueError, Image.DecompressionBombError):
        draft.later[omitted] = ("U122.broken", {"number": number})
        return omitted
    name = f"image{number}.{PICTURES[kind]}"
    draft.pictures.append(Picture(name, data))
    src = f"{draft.slug}/{name}"
    if not _clean(image.alt_text or "").strip():
        draft.later[src] = ("U120", {"name": src})
    return src


def _block(element: lxml.html.HtmlElement, draft: Draft) -> None:
    tag = element.tag
    if tag == "h1" and draft.title is None:
        for call in element.xpath(".//a[starts-with(@href, '#footnote-') or starts-with(@href, '#endnote-')]"):
            call.drop_tree()  # a note called from the title has nowhere to go in front matter: it is not called
        draft.title = " ".join(_clean(element.text_content()).split()) or None
    elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _paragraph(_inline(element, draft, plain=True))
        draft.add("#" * max(int(tag[1]), 2) + " " + text if text else "")
    elif tag == "p":
        draft.add(_line_start(_paragraph(_inline(element, draft))))
    elif tag in ("ul", "ol"):
        items = [li for li in element if li.tag == "li"]
        if items and all(FOOTNOTE.search("#" + (li.get("id") or "")) for li in items):
            for li in items:
                _note(li, draft)
        else:
            draft.add("\n".join(_list(element, draft, 0)), listing=True)
    elif tag == "table":
        draft.tables += 1
        draft.add(_table(element, draft))
    else:  # anything else mammoth may wrap blocks in: its blocks
        if element.text and element.text.strip():
            draft.add(_line_start(_paragraph(_escape(element.text))))
        for child in element:
            _block(child, draft)


def _inline(element: lxml.html.HtmlElement, draft: Draft, plain: bool = False) -> str:
    """An element's content as inline Markdown: emphasis, links, footnote calls, pictures, line breaks."""
    out = [_escape(element.text or "")]
    for child in element:
        out.append(_inline_element(child, draft, plain))
        out.append(_escape(child.tail or ""))
    return "".join(out)


def _inline_element(child: lxml.html.HtmlElement, draft: Draft, plain: bool) -> str:
    tag = child.tag
    if tag == "br":
        return BREAK
    if tag == "img":
        src = child.get("src") or ""
        if src in draft.later:
            key, values = draft.later.pop(src)
            draft.warn(key, **values)
        if plain or not src or src.startswith("omitted:"):
            return ""
        return f"![{_escape(_clean(child.get('alt') or '')).strip()}]({src})"
    if tag == "a":
        note = FOOTNOTE.search(child.get("href") or "")
        if note:
            label = draft.notes.setdefault(f"{note[1]}-{note[2]}", draft.label(len(draft.notes) + 1))
            return f"[^{label}]"
        inner = _inline(child, draft, plain)
        href = child.get("href") or ""
        if plain or not re.match(r"(?i)(https?:|mailto:)", href) or not inner.strip():
            return inner
        return f"[{inner}]({href.replace(' ', '%20').replace(')', '%29')})"
    inner = _inline(child, draft, plain)
    if tag in ("strong", "b", "em", "i") and not plain:
        return _emphasis(inner, "**" if tag in ("strong", "b") else "*")
    return inner


def _emphasis(inner: str, marker: str) -> str:
    """`**text**` with the spaces Word left inside the run moved outside, where Markdown needs them."""
    core = inner.strip(" " + BREAK)
    if not core:
        return inner
    start = inner[: len(inner) - len(inner.lstrip(" " + BREAK))]
    end = inner[len(inner.rstrip(" " + BREAK)) :]
    return f"{start}{marker}{core}{marker}{end}"


def _note(li: lxml.html.HtmlElement, draft: Draft) -> None:
    """A footnote's text, `[^N]: ...`, its paragraphs after the first indented as Python-Markdown reads them."""
    kind, number = FOOTNOTE.search("#" + (li.get("id") or "")).groups()
    label = draft.notes.get(f"{kind}-{number}")
    if label is None:
        return  # a note the text never calls (Word keeps those): nothing would print it
    for back in li.xpath(".//a[starts-with(@href, '#footnote-ref-') or starts-with(@href, '#endnote-ref-')]"):
        back.drop_tree()
    paragraphs = [_paragraph(_inline(p, draft)) for p in li if p.tag == "p"] or [_paragraph(_inline(li, draft))]
    paragraphs = [p for p in paragraphs if p]
    draft.add(f"[^{label}]: " + "\n\n    ".join(paragraphs))


def _list(element: lxml.html.HtmlElement, draft: Draft, depth: int) -> list[str]:
    lines = []
    for number, li in enumerate((li for li in element if li.tag == "li"), start=1):
        marker = f"{draft.number(number)}." if element.tag == "ol" else "-"
        parts, nested = [_escape(li.text or "")], []
        for child in li:
            if child.tag in ("ul", "ol"):
                nested += _list(child, draft, depth + 1)
            elif child.tag in ("p", "div"):
                parts.append(" " + _inline(child, draft) + " ")
            else:
                parts.append(_inline_element(child, draft, False))
            parts.append(_escape(child.tail or ""))
        lines.append("    " * depth + f"{marker} {_line_start(_paragraph(''.join(parts)))}".rstrip())
        lines += nested
    return lines


def _table(element: lxml.html.HtmlElement, draft: Draft) -> str:
    """A pipe table; merged cells are spread back into the grid (their text in the first), with a warning."""
    rows = element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    grid: list[list[str]] = []
    pending: dict[int, int] = {}  # column -> rows a cell above still covers
    merged = crowded = False
    for row in rows:
        cells, column = [], 0
        for cell in (c for c in row if c.tag in ("td", "th")):
            while pending.get(column):
                pending[column] -= 1
                cells.append("")
                column += 1
            span, down = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            merged = merged or span > 1 or down > 1
            crowded = crowded or bool(cell.xpath(".//ul | .//ol | .//table")) or len(cell.xpath("./p")) > 1
            cells.append(_paragraph(_inline_cell(cell, draft)).replace("|", "\\|"))
            for offset in range(span):
                if down > 1:
                    pending[column + offset] = down - 1
                if offset:
                    cells.append("")
            column += span
        while pending.get(column):
            pending[column] -= 1
            cells.append("")
            column += 1
        grid.append(cells)
    if merged:
        draft.warn("U121", number=draft.tables)
    if crowded:
        draft.warn("U121.block", number=draft.tables)
    width = max((len(row) for row in grid), default=1) or 1
    grid = [row + [""] * (width - len(row)) for row in grid] or [[""] * width]
    lines = ["| " + " | ".join(row) + " |" for row in grid]
    lines.insert(1, "|" + "|".join(" --- " for _ in range(width)) + "|")
    return "\n".join(line.replace("  ", " ") for line in lines)


def _inline_cell(cell: lxml.html.HtmlElement, draft: Draft) -> str:
    parts = [_escape(cell.text or "")]
    for child in cell:
        if child.tag in ("p", "ul", "ol", "li", "table", "tr", "td", "th", "tbody", "thead", "div"):
            parts.append(" " + _inline_cell(child, draft) + " ")
        else:
            parts.append(_inline_element(child, draft, False))
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 64))
    except ValueError:
        return 1


# -- Thai text as Word leaves it


def _clean(text: str) -> str:
    """Text without the invisible characters Word leaves (zero-width spaces, soft hyphens, BOMs), control
    characters, tabs and typographic spaces, or runs of no-break spaces (one ordinary space each run; a lone
    no-break space between two words is kept: it was meant)."""
    text = CONTROL.sub("", INVISIBLE.sub("", text))
    text = WIDE_SPACE.sub(" ", text)
    return NBSP_RUN.sub(lambda m: m[0] if m[0] in ("\u00a0", "\u202f") else " ", text)


def _escape(text: str) -> str:
    """Word's text as Markdown text: what Markdown would read as markup is escaped."""
    text = _clean(text).replace("\\", "\\\\")
    text = re.sub(r"([*_`\[\]{}])", r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    return text.replace("<", "&lt;")


def _paragraph(text: str) -> str:
    """One paragraph on one line: a line break between two Thai letters joins them (Thai has no space
    between words; the break was only where Word's line ended), any other becomes a space; spaces collapse."""
    text = re.sub(f"(?<=[{THAI}]){BREAK}+(?=[{THAI}])", "", text)
    text = text.replace(BREAK, " ")
    return re.sub(" {2,}", " ", text).strip()


def _line_start(text: str) -> str:
    """Escape what would start a heading, a quote, a list, a table or a `:::` block at the start of a line."""
    if re.match(r"[#>+|-]", text):
        return "\\" + text if text[0] != "|" else "\\|" + text[1:]
    if text.startswith(":::"):
        return "&#58;" + text[1:]
    return re.sub(r"^(\d+)\.(?=\s|$)", r"\1\\.", text)


# -- the chapter's place, front matter and text


def _place(project: Path, slug: str, force: bool) -> tuple[Path, str | None]:
    """Where the chapter goes: `NN-slug.md` after the last chapter, before the back matter; with `order:` in
    book.yaml, also listed there (the new book.yaml's text is returned). A slug or file already in use is
    refused unless `force`, which replaces that chapter."""
    folder = project / "chapters"
    config_text = quick_text(project / "book.yaml", "book.yaml") or ""
    try:
        config = safe_load_yaml(config_text)
    except yaml.YAMLError:
        config = {}
    order = config.get("order") if isinstance(config, dict) else None
    order = [str(name) for name in order] if isinstance(order, list) else []
    files = [folder / name for name in order] if order else sorted(folder.glob("*.md"))
    metas = {path: _front_matter(path) for path in files}
    for path, meta in metas.items():
        if meta.get("slug") == slug or (not meta.get("slug") and re.sub(r"^\d+-", "", path.stem) == slug):
            if not force:
                raise _refused(_relative(path, project.resolve()), "U109", EXIT_USAGE, slug=slug)
            return path, None
    body = [path for path, meta in metas.items() if str(meta.get("kind", "chapter")) not in MATTER]
    front = [path for path, meta in metas.items() if meta.get("kind") in FRONT]
    after = body[-1] if body else (front[-1] if front else None)
    later = files[files.index(after) + 1 :] if after in files else files
    name = _file_name(slug, after, later[0] if later else None, bool(order))
    target = folder / name
    if (target.exists() or target.is_symlink()) and not force:
        raise _refused(_relative(target, project.resolve()), "U110", EXIT_USAGE)
    if not order or name in order:
        return target, None
    lines = config_text.split("\n")
    entries = [i for i, line in enumerate(lines) if re.match(r"\s*-\s*\S", line)]
    anchor = next((i for i in entries if after is not None and lines[i].split("-", 1)[1].strip() == after.name), None)
    if not entries or re.search(r"^order:\s*\[", config_text, re.M):
        raise _refused("book.yaml", "U112.order", EXIT_USAGE)
    at = anchor if anchor is not None else entries[0] - 1
    indent = re.match(r"\s*-\s*", lines[entries[0]])[0]
    lines.insert(at + 1, f"{indent}{name}")
    return target, "\n".join(lines)


def _file_name(slug: str, after: Path | None, before: Path | None, ordered: bool) -> str:
    """`NN-slug.md`, NN one past the chapter it follows, so that file names sort in reading order."""
    previous = re.match(r"(\d+)-", after.name) if after else None
    width = len(previous[1]) if previous else 2
    number = int(previous[1]) + 1 if previous else 1
    following = re.match(r"(\d+)-", before.name) if before else None
    if not ordered and following and number >= int(following[1]):
        raise _refused(before.name, "U112", EXIT_USAGE, after=after.name if after else "-", before=before.name)
    return f"{number:0{width}d}-{slug}.md"


def _front_matter(path: Path) -> dict:
    """A chapter's front matter, or {} when it has none or it cannot be read (check says why, not us)."""
    text = quick_text(path, "chapter") or ""
    if not text.startswith("---"):
        return {}
    try:
        meta = safe_load_yaml(text.split("\n---", 1)[0].removeprefix("---\n"))
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _chapter_text(title: str, slug: str, draft: Draft):  # noqa: ANN202 - (text, block index -> line)
    """The chapter file's text, and a function giving the line a block (by its index) starts on."""
    # a plain chapter, said outright: in a book that declares a default kind of its own (with fields of its own),
    # a chapter naming no kind would be of that kind and want those fields
    meta = {"title": title, "slug": slug, "kind": "chapter"}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    head = f"---\n{front}---\n\n"
    blocks = draft.blocks or [""]
    starts, line = [], head.count("\n") + 1
    for block in blocks:
        starts.append(line)
        line += block.count("\n") + 2

    def line_of(index: int | None) -> int | None:
        if index is None:
            return None
        return starts[min(index, len(starts) - 1)]

    return head + "\n\n".join(blocks).rstrip() + "\n", line_of


def _config(project: Path) -> dict:
    """book.yaml's settings the lint reads (numerals, lint:), or none when it cannot be read."""
    try:
        config = safe_load_yaml(quick_text(project / "book.yaml", "book.yaml") or "")
    except yaml.YAMLError:
        return {}
    return config if isinstance(config, dict) else {}


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except (ValueError, OSError):
        return str(path)
