"""Markdown to HTML: Python-Markdown with footnotes, tables, attr_list and a Thai-safe table of contents,
plus the book's two blocks, `::: pullquote` and `::: infographic ID`, and its pictures as figures
(book/project/pictures.py).

The HTML made here is the one rendering of a chapter's body; every output starts from it.
"""

from __future__ import annotations

import html
import re
from importlib.metadata import version
from pathlib import Path

import lxml.html
import markdown
import yaml

from ..diagnostics import Problems
from ..scheduler import Cache, digest, fits, toolkit_digest
from ..thai import slugify
from .containment import check_references, project_file
from .model import INFOGRAPHIC_SIZES, Chapter, Heading, Infographic
from .nesting import nesting_problem, reference_problem
from .pictures import PageGeometry, make_figures
from .sanitize import check_images, check_raw_html, clean, image_problem
from .schema import Refused, safe_load

BLOCK_OPEN = re.compile(r"^:::\s*(?P<kind>[\w-]+)(?:\s+(?P<arg>\S+))?\s*$")
BLOCK_CLOSE = re.compile(r"^:::\s*$")
INFOGRAPHIC_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
INFOGRAPHIC_KEYS = ("caption", "size", "brief", "credit")
SIZE_LABELS = {"full-page": "เต็มหน้า", "half-page": "ครึ่งหน้า", "column": "กว้างเท่าคอลัมน์"}
ARTWORK_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
TOKEN = "@@block-{}@@"
RESERVED_IDS = ("title-page", "imprint", "contents", "cover")
UNRESOLVED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["footnotes", "tables", "attr_list", "toc"],
        extension_configs={
            # numbered in reading order, as the print edition's footnote counter numbers them
            "footnotes": {
                "SEPARATOR": "-",
                "BACKLINK_TITLE": "กลับไปยังที่อ้างเชิงอรรถ %d",
                "USE_DEFINITION_ORDER": False,
            },
            "toc": {"slugify": slugify, "separator": "-"},
        },
        output_format="xhtml",
    )


class ChapterRenderer:
    """Renders chapter bodies; one instance serves a whole book so infographic ids are checked book-wide."""

    def __init__(
        self,
        root: Path,
        default_credit: str,
        problems: Problems,
        cache: Cache | None = None,
        geometry: PageGeometry | None = None,
    ) -> None:
        self.root = root
        self.geometry = geometry  # the printed page, for the pictures' resolution; None checks none
        self.cache = cache
        self.default_credit = default_credit
        self.problems = problems
        self.seen_figures: dict[str, str] = {}
        self.used_ids: set[str] = set(RESERVED_IDS)

    def render(self, chapter: Chapter) -> None:
        """Fill `chapter.html`, `chapter.headings`, `chapter.infographics` and `chapter.footnotes`; or,
        for a chapter nested too deeply to convert whole, say so (B107, B108) and leave it empty."""
        too_deep = nesting_problem(chapter.source)
        if too_deep:
            key, line, values = too_deep
            self.problems.add(chapter.path, chapter.body_line + line, key, **values)
            return
        reference = reference_problem(chapter.source)
        if reference:
            key, line, col, values = reference
            self.problems.add(chapter.path, chapter.body_line + line, key, col=col, **values)
            return
        try:
            self._render(chapter)
        except RecursionError:  # nesting the scan does not count (emphasis inside emphasis...): never dropped
            self.problems.add(chapter.path, chapter.body_line, "B108")

    def _render(self, chapter: Chapter) -> None:
        source, blocks = self._take_blocks(chapter)
        body, raw_blocks, toc = self._convert(source)
        for index, block_html in enumerate(blocks):
            body = body.replace(f"<p>{TOKEN.format(index)}</p>", block_html)
        self._check_notes(chapter, body)
        check_raw_html(chapter, raw_blocks, self.problems)
        root = lxml.html.fromstring(f"<div>{body}</div>")
        clean(root, chapter, self.problems)
        make_figures(root, chapter, self.root, self.problems, self.geometry)
        check_images(root, chapter, self.root, self.problems)
        check_references(root, chapter, self.root, self.problems)
        chapter.footnotes, uncalled = _tidy_footnotes(root, chapter.slug)
        for name in uncalled:
            line, col = _find(chapter, f"[^{name}]:")
            self.problems.add(chapter.path, line, "M011", col=col, severity="warning", name=name)
        _number_blocks(root, chapter.slug)
        renamed = self._unique_ids(root, chapter.slug)
        chapter.headings = [Heading(h.level, h.text, renamed.get(h.id, h.id)) for h in _headings(toc)]
        chapter.html = (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)

    def _convert(self, source: str) -> tuple[str, list[str], list[dict]]:
        """Python-Markdown's HTML of `source` (the `:::` blocks already taken out), its raw HTML blocks and
        its headings, from the build cache when the same source was converted before by the same toolkit
        and Python-Markdown: everything after this step (ids, checks, footnotes) is done anew each time."""
        key = digest("markdown", toolkit_digest(), version("markdown"), source)
        entry = self.cache.get("markdown", key, _is_conversion) if self.cache is not None else None
        if entry is not None:
            facts = entry[0]
            return facts["body"], facts["raw"], facts["toc"]
        md = _markdown()
        body = md.convert(source)
        raw, toc = [str(b) for b in md.htmlStash.rawHtmlBlocks], md.toc_tokens
        if self.cache is not None:
            self.cache.put("markdown", key, {"body": body, "raw": raw, "toc": toc})
        return body, raw, toc

    def _unique_ids(self, root: lxml.html.HtmlElement, slug: str) -> dict[str, str]:
        """Keep ids unique in the whole book (every output may join chapters): an id an earlier chapter
        took becomes `slug-id`; links inside the chapter follow."""
        renamed: dict[str, str] = {}
        for element in root.xpath(".//*[@id]"):
            old = element.get("id")
            new = old if old not in self.used_ids else f"{slug}-{old}"
            suffix = 2
            while new in self.used_ids:
                new, suffix = f"{slug}-{old}-{suffix}", suffix + 1
            self.used_ids.add(new)
            if new != old:
                renamed[old] = new
                element.set("id", new)
        for link in root.xpath(".//a[starts-with(@href, '#')]"):
            target = link.get("href")[1:]
            if target in renamed:
                link.set("href", "#" + renamed[target])
        return renamed

    def _take_blocks(self, chapter: Chapter) -> tuple[str, list[str]]:
        """Replace each `:::` block by a token paragraph; return the source and each block's HTML."""
        lines = chapter.source.split("\n")
        out: list[str] = []
        blocks: list[str] = []
        i = 0
        while i < len(lines):
            opened = BLOCK_OPEN.match(lines[i])
            if not opened:
                out.append(lines[i])
                i += 1
                continue
            start = i
            end = next((j for j in range(i + 1, len(lines)) if BLOCK_CLOSE.match(lines[j])), None)
            line = chapter.body_line + start
            if end is None:
                self.problems.add(chapter.path, line, "M001", kind=opened["kind"])
                out.append(lines[i])
                i += 1
                continue
            inner = "\n".join(lines[start + 1 : end])
            block = self._block(chapter, opened["kind"], opened["arg"], inner, line)
            blocks.append(block)
            out.extend(["", TOKEN.format(len(blocks) - 1), ""] + [""] * (end - start - 2))
            i = end + 1
        return "\n".join(out), blocks

    def _block(self, chapter: Chapter, kind: str, arg: str | None, inner: str, line: int) -> str:
        if kind == "pullquote":
            text = markdown.markdown(inner.strip())
            return f'<aside class="pullquote" aria-hidden="true">{text}</aside>'
        if kind == "infographic":
            figure = self._infographic(chapter, arg, inner, line)
            return figure_html(figure) if figure else ""
        self.problems.add(chapter.path, line, "M002", kind=kind)
        return ""

    def _infographic(self, chapter: Chapter, figure_id: str | None, inner: str, line: int) -> Infographic | None:
        path = chapter.path
        if not figure_id or not INFOGRAPHIC_ID.match(figure_id):
            self.problems.add(path, line, "M003", figure=figure_id or "(none)")
            return None
        try:
            fields = safe_load(inner) if inner.strip() else {}
        except Refused as refused:  # an alias or nesting too deep: as in book.yaml and the front matter
            mark = refused.problem_mark
            self.problems.add(path, line + 1 + mark.line, refused.key, col=mark.column + 1, **refused.values)
            return None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = line + 1 + (mark.line if mark else 0)
            self.problems.add(path, where, "M004", figure=figure_id, error=getattr(error, "problem", error))
            return None
        if not isinstance(fields, dict):
            self.problems.add(path, line + 1, "M004.fields", figure=figure_id)
            return None
        ok = True
        for key in fields:
            if key not in INFOGRAPHIC_KEYS:
                self.problems.add(path, line, "M005", figure=figure_id, key=key, known=", ".join(INFOGRAPHIC_KEYS))
                ok = False
        for key in ("caption", "size", "brief"):
            if not isinstance(fields.get(key), str) or not fields[key].strip():
                self.problems.add(path, line, "M006", figure=figure_id, key=key)
                ok = False
        size = fields.get("size")
        if isinstance(size, str) and size not in INFOGRAPHIC_SIZES:
            self.problems.add(path, line, "M007", figure=figure_id, size=size, sizes=", ".join(INFOGRAPHIC_SIZES))
            ok = False
        if figure_id in self.seen_figures:
            self.problems.add(path, line, "M008", figure=figure_id, first=self.seen_figures[figure_id])
            ok = False
        self.seen_figures[figure_id] = self.problems.where(path)
        if not ok:
            return None
        figure = Infographic(
            id=figure_id,
            caption=fields["caption"].strip(),
            size=size,
            brief=fields["brief"].strip(),
            credit=str(fields.get("credit") or self.default_credit).strip(),
            line=line,
            chapter=chapter.slug,
            artwork=self._artwork(figure_id, chapter, line),
        )
        chapter.infographics.append(figure)
        return figure

    def _artwork(self, figure_id: str, chapter: Chapter, line: int) -> Path | None:
        folder = self.root / "assets" / "infographics"
        # any file of the name, not only a regular one: a FIFO or a folder there is named below, not left out
        found = next(
            (folder / f"{figure_id}{s}" for s in ARTWORK_SUFFIXES if (folder / f"{figure_id}{s}").exists()), None
        )
        # every output reads the artwork: one symlinked out of the project (or hidden) is never read
        if found is not None and project_file(self.root, found, ("assets",)) is None:
            self.problems.add(chapter.path, line, "G106", severity="warning", figure=figure_id, name=found.name)
            return None
        wrong = image_problem(found) if found is not None else None
        if wrong:  # artwork is a picture like any other: the same checks, or it never reaches an output
            key, values = wrong
            self.problems.add(chapter.path, line, key, src=f"infographics/{found.name}", **values)
            return None
        return found

    def _check_notes(self, chapter: Chapter, body: str) -> None:
        for match in UNRESOLVED_NOTE.finditer(lxml.html.fromstring(f"<div>{body}</div>").text_content()):
            name = match.group(1)
            line, col = _find(chapter, match.group(0))
            self.problems.add(chapter.path, line, "M009", col=col, name=name)


def _find(chapter: Chapter, needle: str) -> tuple[int | None, int | None]:
    for number, text in enumerate(chapter.source.split("\n")):
        col = text.find(needle)
        if col >= 0 and not text.startswith(needle + ":"):
            return chapter.body_line + number, col + 1
    return None, None


def figure_html(figure: Infographic) -> str:
    """A figure: the artwork when it exists, else a labelled box of the intended size. The print edition fits
    the brief in the box (`book/pdf/document.py` `placeholder_css`: a smaller size, or a shortened brief put in
    place of `.brief-text`)."""
    e = html.escape
    caption = f'<figcaption>{e(figure.caption)}<span class="credit">อินโฟกราฟิก: {e(figure.credit)}</span></figcaption>'
    classes = f"infographic size-{figure.size} {figure.status}"
    if figure.artwork:
        src = f"infographics/{figure.artwork.name}"
        image = f'<img src="{src}" alt="{e(figure.brief)}" />'
        return f'<figure class="{classes}" id="fig-{figure.id}">{image}{caption}</figure>'
    return (
        f'<figure class="{classes}" id="fig-{figure.id}">'
        f'<div class="placeholder-box" id="box-{figure.id}" role="img" aria-label="{e(figure.brief)}">'
        f'<p class="placeholder-id">อินโฟกราฟิก {e(figure.id)}</p>'
        f'<p class="placeholder-size">ขนาด{SIZE_LABELS[figure.size]} ({figure.size})</p>'
        f'<p class="placeholder-brief"><span class="brief-text">{e(figure.brief)}</span></p>'
        f"</div>{caption}</figure>"
    )


def _is_conversion(facts: dict, files: dict[str, bytes]) -> bool:
    """Whether a cache entry holds a conversion as `_convert` keeps it: the HTML, the raw blocks, and the
    headings (each with its level, id, text and the headings under it)."""
    return not files and fits(facts, {"body": str, "raw": [str], "toc": list}) and _is_toc(facts["toc"])


def _is_toc(tokens: list) -> bool:
    heading = {"level": int, "id": str, "name": str, "children": list}
    return all(fits(token, heading) and _is_toc(token["children"]) for token in tokens)


def _headings(tokens: list[dict], out: list[Heading] | None = None) -> list[Heading]:
    out = [] if out is None else out
    for token in tokens:
        out.append(Heading(token["level"], html.unescape(token["name"]), token["id"]))
        _headings(token["children"], out)
    return out


def _number_blocks(root: lxml.html.HtmlElement, slug: str) -> None:
    """Give every top-level block without an id one (`slug-b3`), so a print page's start can be pointed at
    from other outputs (the EPUB's page list)."""
    for number, block in enumerate(root, start=1):
        if block.get("id") is None and block.tag in ("p", "ul", "ol", "table", "blockquote", "aside", "div", "pre"):
            block.set("id", f"{slug}-b{number}")


def _tidy_footnotes(root: lxml.html.HtmlElement, slug: str) -> tuple[int, list[str]]:
    """Give Python-Markdown's footnotes the book's shape: ids unique in the book, ARIA roles, an aside
    per note with a back link. Returns how many notes there are, and the names of notes never called
    (which are left out)."""
    called = set()
    for ref in root.xpath(".//a[@class='footnote-ref']"):
        name = ref.get("href")[len("#fn-") :]
        called.add(name)
        ref.attrib.update({"class": "noteref", "role": "doc-noteref", "href": f"#fn-{slug}-{name}"})
        ref.getparent().set("id", f"fnref-{slug}-{name}")
    count, uncalled = 0, []
    for block in root.xpath(".//div[@class='footnote']"):
        section = lxml.html.Element("section", {"class": "footnotes", "role": "doc-endnotes"})
        for item in block.xpath(".//li"):
            name = item.get("id")[len("fn-") :]
            if name not in called:
                uncalled.append(name)
                continue
            aside = lxml.html.Element("aside", {"class": "footnote", "id": f"fn-{slug}-{name}", "role": "doc-footnote"})
            for back in item.xpath(".//a[@class='footnote-backref']"):
                back.attrib.clear()
                back.attrib.update({"class": "backlink", "href": f"#fnref-{slug}-{name}", "role": "doc-backlink"})
                back.text = "↩"
            aside.extend(list(item))
            section.append(aside)
            count += 1
        if len(section):
            block.getparent().replace(block, section)
        else:
            block.drop_tree()
    return count, uncalled
