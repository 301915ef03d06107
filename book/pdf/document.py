"""The print edition as HTML and its rules: what book.yaml sets (fonts, trim, bleed, mirrored margins, the
folio counter, the infographics' and the pictures' sizes), the footnotes moved to where they are called, and
the Thai layout hooks.

The whole print edition as one HTML document (`print_html`) is what `build.py html` writes for laying out with
plain WeasyPrint, and what a chapter's booklet (`--chapter SLUG`) is laid out from: the title page, one chapter
and the credits, padded to the booklet signature and made ready for the press (see `prepress`). The book's
own print and screen PDFs are laid out part by part instead (`book/pdf/interior.py`), which gives the same pages.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

import lxml.html
import pikepdf
from weasyprint import HTML, Document

from ..engine import floats, fontsubset, justify, pango, textlayer
from ..project import PICTURE_SIZES, Book, FontFace, font_face_css, gate, page_geometry, role_css, text_css
from ..render import Page, print_page_references, render_document
from ..scheduler import Cache, digest, fits, toolkit_digest, write_atomic
from ..thai import mark_for_print
from .numbering import BODY_PAGES, count_front_pages, counter_styles, front_matter_css
from .prepress import add_blank_pages, press_document, press_pages, print_settings

# The text block's margins, mirrored (inner by the spine, outer at the fore-edge), are book.yaml's `margins:`, read
# by book/project/pictures.py's `page_geometry`: figure and picture sizes follow them.
ID = re.compile(r'\bid="([^"]+)"')
# What each declared infographic size means: its artwork box, as a share of the text block (width, height),
# less room for the caption under it (mm).
IMPRINT_ROOM_MM = 2.0
FIGURE_SHARES = {"full-page": (1.0, 1.0, 26.0), "half-page": (1.0, 0.5, 20.0), "column": (1.0, 1 / 3, 15.0)}


@dataclass(frozen=True)
class PdfResult:
    """A PDF that was written, and what the build reports about it."""

    path: Path
    pages: int
    figure_pages: dict[str, int]  # infographic id -> 1-based page in the PDF
    padding: int = 0  # blank pages added at the end to fill the last signature
    signature: int = 0


def text_block(book: Book) -> tuple[float, float]:
    """The text block's width and height in mm."""
    return page_geometry(book.config).block


def figure_size(book: Book, size: str) -> tuple[float, float]:
    """The artwork box of an infographic of declared `size`, in mm (width, height)."""
    block_width, block_height = text_block(book)
    share_width, share_height, caption = FIGURE_SHARES[size]
    return round(block_width * share_width, 1), round(block_height * share_height - caption, 1)


def generated_css(book: Book, font_url) -> str:
    """CSS that follows from `book.yaml`: fonts, trim size and bleed, mirrored margins, the imprint page's
    height, the folio counter style, and the exact size of each kind of infographic."""
    trim = book.config["trim"]
    geometry = page_geometry(book.config)
    m = geometry.margins
    figures = [
        f"figure.infographic.size-{size} .placeholder-box, figure.infographic.size-{size} img "
        f"{{ width: {width}mm; height: {height}mm; box-sizing: border-box; }}"
        for size, (width, height) in ((s, figure_size(book, s)) for s in FIGURE_SHARES)
    ]
    return "\n".join(
        [
            font_face_css(book.fonts, font_url),
            role_css(book.fonts),
            f"@page {{ size: {trim['width']} {trim['height']}; bleed: {book.config['print']['bleed']}; "
            f"margin: {m['top']}mm {m['outer']}mm {m['bottom']}mm {m['inner']}mm; }}",
            f"@page :left {{ margin-left: {m['outer']}mm; margin-right: {m['inner']}mm; }}",
            f"@page :right {{ margin-left: {m['inner']}mm; margin-right: {m['outer']}mm; }}",
            # the imprint's facts stand at the foot of its page: it is as high as the text block allows (2 mm
            # kept, so rounding never pushes it onto a second page)
            f".imprint {{ height: {geometry.block[1] - IMPRINT_ROOM_MM:g}mm; }}",
            counter_styles(book),
            f"p {{ text-align: {'justify' if book.config['justify'] else 'left'}; }}",
            *figures,
            picture_css(book),
        ]
    )


def picture_css(book: Book) -> str:
    """The box each size of picture fits in (book/project/pictures.py `PageGeometry.box`, which its printed
    resolution is checked against), and the page a bleed picture fills: the whole page and its bleed."""
    geometry = page_geometry(book.config)
    rules = [
        f"figure.picture.size-{size} img {{ max-height: {geometry.box(size)[1]}mm; }}"
        for size in PICTURE_SIZES
        if size != "bleed"
    ]
    width, height = geometry.box("bleed")
    bleed, m = geometry.bleed, geometry.margins
    rules += [
        "@page picture-bleed { margin: 0; }",
        f"figure.picture.size-bleed {{ height: {geometry.trim[1]}mm; }}",
        f"figure.picture.size-bleed img {{ width: {width}mm; height: {height}mm; margin: -{bleed}mm 0 0 -{bleed}mm; }}",
        f"figure.picture.size-bleed figcaption {{ left: {m['inner']}mm; right: {m['outer']}mm; "
        f"bottom: {m['bottom']}mm; }}",
    ]
    return "\n".join(rules)


def print_css(
    book: Book, font_url: Callable[[FontFace], str] = lambda face: face.path.as_uri(), cache: Cache | None = None
) -> str:
    """Every rule of the print edition: what follows from book.yaml, then the book's stylesheets, then the size
    each placeholder's brief is set in to fit its box (`placeholder_css`, measured or from `cache`)."""
    opening = "section.chapter { break-before: page; }" if book.config.get("opening") == "any" else ""
    rules = [generated_css(book, font_url), stylesheets(book), opening, placeholder_css(book, cache)]
    return "\n".join(rules)


def stylesheets(book: Book) -> str:
    """The book's stylesheets for print: thai.css, the body text's settings of book.yaml (`text:`, which win over
    it), then print.css; each the toolkit's, then the project's own."""
    return "\n".join([book.css("thai.css"), text_css(book.config, "print"), book.css("print.css")])


# A placeholder's brief is set at thai.css's size (0.85 em) scaled by the first of these that fits its box; at
# the last, too long a brief is shortened at a Thai word boundary, with an ellipsis (the whole brief stays in
# infographics.csv). Each is measured: the placeholders laid out by WeasyPrint as they are, then those that do not
# fit at every smaller scale, each pass one document.
BRIEF_SCALES = (1.0, 0.92, 0.85, 0.78, 0.72, 0.66)
BRIEF_EM = 0.85
SHORTENED = (0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1)  # shares of the brief's words tried at the last scale
PX_PER_MM = 96 / 25.4
# How a placeholder's brief fits: by figure id, the scale it is set at and, when even the smallest is too large,
# the shortened brief shown instead. Figures whose brief fits at full size are not in it.
Fitted = dict[str, tuple[float, str | None]]
_fitted: dict[str, Fitted] = {}  # fitted in this process, by the figures and the styles


def placeholder_css(book: Book, cache: Cache | None = None) -> str:
    """Rules that make each placeholder's text fit its box as printed: a brief font size per figure, and for a
    brief too long even then, a shortened brief shown instead of the whole."""
    figures = [f for f in book.infographics if not f.artwork]
    if not figures:
        return ""
    base = "\n".join([generated_css(book, lambda face: face.path.as_uri()), stylesheets(book)])
    key = repr([(f.id, f.size, f.brief) for f in figures]) + base
    fitted = _cached_fit(book, figures, base, key, cache)
    return "\n".join(_brief_rule(figure, scale, text) for figure, (scale, text) in fitted.items())


def _cached_fit(book: Book, figures: list, base: str, key: str, cache: Cache | None) -> Fitted:
    """`_fit_placeholders`, taken from the cache when the same figures were fitted with the same styles, fonts
    and toolkit: its layouts took a fifth of the CPU of a rebuild after a one-word edit."""
    if cache is None:
        if key not in _fitted:
            _fitted[key] = _fit_placeholders(book, figures, base)
        return _fitted[key]
    fonts = sorted(
        (str(face.path), face.path.stat().st_size, face.path.stat().st_mtime_ns)
        for faces in book.fonts.values()
        for face in faces
    )
    made_of = [toolkit_digest(), version("weasyprint"), version("pythainlp"), repr(fonts), key]
    name = digest("placeholders", *made_of, "\n".join(sorted(book.break_policy.protected)))
    briefs = {figure.id: figure.brief for figure in figures}
    entry = cache.get("placeholders", name, lambda facts, _: _holds_fits(facts, briefs))
    if entry is not None:
        return {figure: (scale, text) for figure, scale, text in entry[0]["fitted"]}
    fitted = _fitted[key] if key in _fitted else _fit_placeholders(book, figures, base)
    _fitted[key] = fitted
    cache.put("placeholders", name, {"fitted": [[figure, scale, text] for figure, (scale, text) in fitted.items()]})
    return fitted


def _holds_fits(facts: dict, briefs: dict[str, str]) -> bool:
    """Whether a placeholders entry is what `_fit_placeholders` gives for figures with these `briefs`: known
    figures, each once, at one of the scales, a shortened brief only at the last, and the start of its brief."""
    if not fits(facts, {"fitted": [(str, float, {str, None})]}):
        return False
    seen = [figure for figure, _, _ in facts["fitted"]]
    if len(set(seen)) != len(seen) or not set(seen) <= set(briefs):
        return False
    for figure, scale, text in facts["fitted"]:
        if scale not in BRIEF_SCALES or (text is None and scale == 1.0):
            return False
        if text is not None and (scale != BRIEF_SCALES[-1] or not text.endswith("…")):
            return False
        if text is not None and not briefs[figure].startswith(text[:-1]):
            return False
    return True


def _fit_placeholders(book: Book, figures: list, base: str) -> Fitted:
    from ..project import figure_html

    sizes = {size: figure_size(book, size) for size in FIGURE_SHARES}
    fits = _measure(book, base, {(f.id, 0): (f, 1.0, f.brief) for f in figures}, sizes, figure_html)
    smaller = [f for f in figures if not fits[(f.id, 0)]]  # most fit as they are: only the others are tried
    trials = {(f.id, i): (f, scale, f.brief) for f in smaller for i, scale in enumerate(BRIEF_SCALES) if i}
    fits.update(_measure(book, base, trials, sizes, figure_html) if trials else {})
    fitted: Fitted = {}
    for figure in figures:
        scale = next((s for i, s in enumerate(BRIEF_SCALES) if fits[(figure.id, i)]), None)
        if scale is not None:
            if scale < 1:
                fitted[figure.id] = (scale, None)
            continue
        words = _word_ends(book, figure.brief)
        cuts = {(figure.id, i): words[max(0, round(len(words) * share) - 1)] for i, share in enumerate(SHORTENED)}
        shortened = {k: (figure, BRIEF_SCALES[-1], _shortened(figure.brief, cut)) for k, cut in cuts.items()}
        fitting = _measure(book, base, shortened, sizes, figure_html)
        text = next((shortened[k][2] for k in shortened if fitting[k]), "…")
        fitted[figure.id] = (BRIEF_SCALES[-1], text)
    return fitted


def _brief_rule(figure_id: str, scale: float, text: str | None = None) -> str:
    rule = f"#fig-{figure_id} .placeholder-brief {{ font-size: {BRIEF_EM * scale:.3f}em; }}"
    if text is None:
        return rule
    quoted = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"')  # a CSS string holds no line break
    return (
        f"{rule}\n#fig-{figure_id} .placeholder-brief .brief-text {{ display: none; }}\n"
        f'#fig-{figure_id} .placeholder-brief::after {{ content: "{quoted}"; }}'
    )


def _word_ends(book: Book, brief: str) -> list[int]:
    """Where a word of `brief` ends (offsets in `brief`): at each space, and at each Thai word boundary the
    book's break policy allows."""
    marked = book.break_policy.for_print(brief)
    ends, offset = [], 0
    for char in marked:
        if char == "\u200b":
            ends.append(offset)
            continue
        if char == " " and offset:  # a no-break space (a glued one: พ.ศ. 2563) is no word end
            ends.append(offset)
        offset += 1
    return sorted(set(ends)) or [len(brief)]


def _shortened(brief: str, end: int) -> str:
    return brief[:end].rstrip(" ,;:(") + "…"


def _measure(book: Book, base: str, trials: dict, sizes: dict, figure_html: Callable) -> dict:
    """Which `trials` ((figure, scale, brief) by key) fit: each box laid out as tall as its text needs, no
    taller than the box as printed."""
    boxes = []
    for number, (figure, scale, brief) in enumerate(trials.values()):
        html = figure_html(replace(figure, brief=brief))
        html = html.replace(f'id="fig-{figure.id}"', f'id="m{number}"', 1).replace(f'id="box-{figure.id}"', "", 1)
        style = f'style="font-size: {BRIEF_EM * scale:.3f}em"'
        html = html.replace('class="placeholder-brief"', f'class="placeholder-brief" {style}')
        html = html.replace("</div><figcaption", f'</div><div id="e{number}"></div><figcaption', 1)
        boxes.append(html)
    measuring = "figure.infographic { page: auto; break-before: auto; break-after: auto; margin: 0 0 5mm; }\n"
    measuring += "@page { size: 300mm 1000mm; margin: 10mm; } figcaption { display: none; }\n"
    measuring += ".placeholder-box { height: auto !important; }"
    document = render_document(book, "print.html", pages=[], css=base + measuring)
    document = document.replace("</body>", "".join(boxes) + "</body>")
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)  # what the stylesheets say to WeasyPrint is said once, by the book's layout
    try:
        laid = HTML(string=mark_for_print(document, book.break_policy), base_url=str(book.root / "assets") + "/")
        laid = laid.render()
    finally:
        logger.setLevel(level)
    anchors = {name: where for page in laid.pages for name, where in page.anchors.items()}
    fits = {}
    for number, (key, (figure, _scale, _brief)) in enumerate(trials.items()):
        top, end = anchors.get(f"m{number}"), anchors.get(f"e{number}")
        fits[key] = bool(top and end and end[1] - top[1] <= sizes[figure.size][1] * PX_PER_MM)
    return fits


def print_html(
    book: Book, pages: list[Page], font_url: Callable[[FontFace], str] = lambda face: face.path.as_uri()
) -> str:
    """The print edition as one HTML document, footnotes moved to where they are called, front matter
    numbered apart (book/pdf/numbering.py) and Thai break opportunities marked (book/thai/breaking.py)."""
    css = print_css(book, font_url)
    first = next((i for i, page in enumerate(pages) if page.kind in BODY_PAGES), 0)
    front = {found for page in pages[:first] for found in ID.findall(page.html)}
    present = {found for page in pages for found in ID.findall(page.html)}
    pages = [replace(page, html=print_page_references(page.html, front, present)) for page in pages]

    def document(part: list[Page], extra_css: str = "") -> str:
        html = render_document(book, "print.html", pages=[footnotes_inline(p) for p in part], css=css + extra_css)
        return mark_for_print(html, book.break_policy)

    front_pages = count_front_pages(book, lambda: document(pages[:first]) if first else None)
    return document(pages, front_matter_css(front_pages))


def footnotes_inline(page: Page) -> Page:
    """WeasyPrint sets a `float: footnote` element at the foot of the page where it stands, so each note's
    text goes in place of its call, and the notes section goes."""
    if 'class="footnotes"' not in page.html:
        return page
    root = lxml.html.fromstring(f"<div>{page.html}</div>")
    notes = {aside.get("id"): aside for aside in root.xpath(".//aside[@class='footnote']")}
    for call in root.xpath(".//a[@class='noteref']"):
        aside = notes.get(call.get("href", "")[1:])
        sup = call.getparent()
        if aside is None or sup is None:
            continue
        for back in aside.xpath(".//a[@class='backlink']"):
            back.drop_tree()
        note = lxml.html.Element("span", {"class": "footnote-inline", "id": aside.get("id")})
        for index, paragraph in enumerate(aside.xpath("./p")):
            if index:
                note.append(lxml.html.Element("br"))
            span = lxml.html.Element("span")
            span.text, span[:] = paragraph.text, list(paragraph)
            note.append(span)
        note.tail = sup.tail
        sup.getparent().replace(sup, note)
    for section in root.xpath(".//section[@class='footnotes']"):
        section.drop_tree()
    html = "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return Page(page.id, page.kind, page.title, html, page.chapter, page.landmark)


def lay_out(book: Book, pages: list[Page]) -> Document:
    """The interior laid out by WeasyPrint, with the true Thai text layer installed for every PDF written,
    and Thai line breaking and justification (`book/engine/pango.py`, `book/engine/justify.py`); its figures
    float as the parts' do (`book/engine/floats.py`)."""

    textlayer.install()
    fontsubset.install()
    pango.install()
    justify.install()

    def render(html: str) -> Document:
        return HTML(string=html, base_url=str(book.root / "assets") + "/", url_fetcher=gate(book)).render()

    html = floats.marked_floats(print_html(book, pages))
    document = render(html)
    for _ in range(floats.ROUNDS * max(1, len(pages))):  # the figures float as in the parts (book/pdf/partlayout.py)
        changed = next(filter(None, (floats.moved(html, hole) for hole in floats.holes(document))), None)
        if changed is None:
            break
        html = changed
        document = render(html)
    return _ended(document, html, pages, render, page_geometry(book.config).margins["bottom"])


def _ended(
    document: Document, html: str, pages: list[Page], render: Callable[[str], Document], bottom: float
) -> Document:
    """The chapters' endings made as the parts make theirs (`book/pdf/partlayout.py` `_ended`), the last chapter
    first, so that the pages of those before it keep their numbers."""

    css: list[str] = []
    for index in reversed(range(len(pages))):
        span = _span(document, pages, index)
        if pages[index].chapter is None or span is None:
            continue
        first, end = span
        whole = document.pages[first:end]
        chapter = floats.text_pages(whole)  # to its text's last page, before any page-sized figure after it
        if len(chapter) < 2 or not 0 < floats.last_lines(chapter) <= floats.SHORT:
            continue
        for longer in (True, False):
            rules = floats.ending_css(chapter, bottom, longer, first + 1)
            tried = render(html.replace("</head>", f"<style>{chr(10).join([*css, rules])}</style></head>", 1))
            changed = _span(tried, pages, index)
            if changed is None:
                continue
            now = tried.pages[changed[0] : changed[1]]
            if (longer and len(now) < len(whole)) or (
                not longer and len(now) == len(whole) and floats.last_lines(floats.text_pages(now)) > floats.SHORT
            ):
                css.append(rules)
                document = tried
                break
    return document


def _span(document: Document, pages: list[Page], index: int) -> tuple[int, int] | None:
    """The pages (first, end: 0-based, end excluded) of `pages[index]` in the laid-out `document`: from the
    page its anchor is on to the page before the next one's, less the blank pages before that."""
    where = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            where.setdefault(anchor, number)
    if pages[index].id not in where:
        return None
    first = where[pages[index].id]
    following = [where[p.id] for p in pages[index + 1 :] if p.id in where]
    end = following[0] if following else len(document.pages)
    while end > first + 1 and floats.blank(document.pages[end - 1]):
        end -= 1
    return first, end


def figure_pages(anchors: Iterable[Iterable[str]]) -> dict[str, int]:
    """Each infographic's 1-based page, from the `fig-<id>` anchors on each page of the layout."""
    pages: dict[str, int] = {}
    for number, names in enumerate(anchors, start=1):
        for anchor in names:
            if anchor.startswith("fig-"):
                pages.setdefault(anchor[4:], number)
    return pages


def booklet_pages(book: Book, pages: list[Page], slug: str) -> list[Page]:
    """What a chapter's booklet holds: the title page, the chapter and the credits."""
    return [p for p in pages if p.kind in ("title", "credits") or (p.chapter is not None and p.chapter.slug == slug)]


def build_booklet(book: Book, pages: list[Page], slug: str, target: Path) -> PdfResult:
    """A chapter's standalone booklet, print-ready and padded to the booklet signature (atomically)."""
    settings = print_settings(book)
    document = lay_out(book, booklet_pages(book, pages, slug))
    padding = -len(document.pages) % settings.booklet_signature
    textlayer.install()
    data = document.write_pdf(pdf_variant="pdf/x-4")

    def finish(path: Path) -> None:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            press_pages(pdf, settings)
            add_blank_pages(pdf, padding, settings)
            press_document(pdf, settings)
            pdf.save(path)

    write_atomic(target, finish)
    anchors = [page.anchors for page in document.pages]
    return PdfResult(target, len(document.pages) + padding, figure_pages(anchors), padding, settings.booklet_signature)
