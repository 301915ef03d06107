"""Untrusted chapter content: chapters come from many hands, so what they may pull into a build is checked.

- Raw HTML must be well formed; `<script>`, `<iframe>`, `<object>`, `<embed>`, event-handler attributes
  (onclick...) and `javascript:` addresses are removed with a diagnostic, so no output ships a script.
- Images (`![alt](file)`) are files under the project's `assets/`: one that is missing, outside the
  project, not an image, or larger than the pixel budget is an error.
- Links to `#anchors` must point at an id somewhere in the book.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import lxml.etree
import lxml.html

from ..diagnostics import Problems, code_of
from .limits import Unread, read_bounded
from .model import Chapter

FORBIDDEN_TAGS = ("script", "iframe", "object", "embed", "frame", "frameset", "base", "meta", "link")
URL_ATTRIBUTES = ("href", "src", "xlink:href", "action", "formaction", "poster", "data")
PICTURE_ATTRIBUTES = {  # where HTML and inline SVG name a picture to load
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "input": ("src",),
    "video": ("poster",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
MAX_IMAGE_PIXELS = 40_000_000  # about 6,300 x 6,300: more than any page of this book needs at 300 dpi
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
ENTITY = re.compile(r"&([a-zA-Z][a-zA-Z0-9]*);")
XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
# in an SVG's styles, what makes a renderer fetch something: `url(` not to `#id` inside the file, `@import`
SVG_DATA_IMAGES = ("data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif", "data:image/webp")
SVG_STYLE_LOAD = re.compile(
    r"url\(\s*['\"]?\s*(?!#|data:image/(?:png|jpe?g|gif|webp)[;,])[^)'\"\s]+|@import[^;]*|expression\(", re.I
)
SVG_ENTITY_HIDES = re.compile(r"[<&]|\bon\w+\s*=|script:|url\(|@import|\\", re.I)
CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})\s?|(.))", re.S)


def find_line(chapter: Chapter, needle: str) -> int | None:
    """The file line where `needle` first appears in the chapter's body."""
    for number, text in enumerate(chapter.source.split("\n")):
        if needle in text:
            return chapter.body_line + number
    return None


def check_raw_html(chapter: Chapter, blocks: list[str], problems: Problems) -> None:
    """Report raw HTML blocks that are not well formed (an unclosed tag, a stray `</div>`)."""
    for block in blocks:
        text = ENTITY.sub(lambda m: m[0] if m[1] in XML_ENTITIES else " ", block)
        try:
            lxml.etree.fromstring(f"<root>{text}</root>")
        except lxml.etree.XMLSyntaxError as error:
            first = block.strip().split("\n")[0][:60]
            problems.add(chapter.path, find_line(chapter, first), "H001", error=error.msg.split(",")[0])


def clean(root: lxml.html.HtmlElement, chapter: Chapter, problems: Problems) -> None:
    """Remove what could run or load code, each removal a warning with its line."""
    for element in root.xpath("//*"):
        if not isinstance(element.tag, str):
            continue
        if element.tag in FORBIDDEN_TAGS:
            line = find_line(chapter, f"<{element.tag}")
            problems.add(chapter.path, line, "H002", severity="warning", tag=element.tag)
            element.drop_tree()
            continue
        if element.tag == "a" and "attachment" in (element.get("rel") or "").lower().split():
            # WeasyPrint embeds the target of such a link in the PDF: a chapter must never attach files
            href = element.get("href", "")
            line = find_line(chapter, f'href="{href}"') or find_line(chapter, "attachment")
            problems.add(chapter.path, line, "G103", severity="warning", url=href)
            element.drop_tag()  # its text stays, as plain text
            continue
        for name, value in list(element.attrib.items()):
            if name.lower().startswith("on"):
                line = find_line(chapter, name)
                problems.add(chapter.path, line, "H003", severity="warning", attribute=name)
                del element.attrib[name]
            elif name.lower() in URL_ATTRIBUTES and value.strip().lower().startswith(("javascript:", "vbscript:")):
                line = find_line(chapter, value.strip()[:20])
                problems.add(chapter.path, line, "H004", severity="warning", attribute=name)
                del element.attrib[name]


def check_images(root: lxml.html.HtmlElement, chapter: Chapter, project: Path, problems: Problems) -> None:
    """Every picture of the chapter (not the toolkit's infographics) must be a sane image in `assets/`: an
    `<img>`, and what else names one (`srcset`, an inline SVG's `<image>` and `<use>`, a `poster`)."""
    assets = (project / "assets").resolve()
    for src in _pictures(root):
        line = find_line(chapter, src) if src else None
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("//"):
            problems.add(chapter.path, line, "I001", src=src)
            continue
        path = (assets / src).resolve()
        if not path.is_relative_to(assets):
            problems.add(chapter.path, line, "I001.outside", src=src)
        elif not path.exists():  # one that is there but not a regular file is named by image_problem
            problems.add(chapter.path, line, "I002", src=src)
        else:
            wrong = image_problem(path)
            if wrong:
                key, values = wrong
                problems.add(chapter.path, line, key, src=src, **values)


def _pictures(root: lxml.html.HtmlElement) -> list[str]:
    """The address of every picture the chapter names, outside the toolkit's infographic figures."""
    found = []
    for element in root.xpath("//*[not(ancestor-or-self::figure[contains(@class, 'infographic')])]"):
        tag = element.tag if isinstance(element.tag, str) else ""
        for attribute in PICTURE_ATTRIBUTES.get(tag.lower(), ()):
            value = element.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":  # `a.png 1x, b.png 2x`: each candidate's address
                found += [c.split()[0] for c in value.split(",") if c.split()]
            elif tag.lower() in ("image", "use"):
                address = value.split("#", 1)[0].strip()  # `#id` points inside the chapter: no file
                found += [address] if address else []
            else:
                found.append(value)
    return found


def image_problem(path: Path) -> tuple[str, dict] | None:
    """Why an image file cannot be used, as a catalogue key (I003.*) and its values; None when it can."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return "I003.type", {"suffixes": ", ".join(IMAGE_SUFFIXES)}
    try:
        data = read_bounded(path, "image")  # a FIFO or /dev/zero named as a picture is never opened by Pillow
    except Unread as unread:
        key = {"B101": "B113", "C008": "B112"}[code_of(unread.key)] + unread.key[4:]
        return key, unread.values
    except OSError as error:
        return "I003.unreadable", {"error": type(error).__name__}
    if path.suffix.lower() == ".svg":
        return svg_problem(data)
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            if width * height > MAX_IMAGE_PIXELS:
                return "I003.pixels", {"width": width, "height": height, "limit": MAX_IMAGE_PIXELS}
            picture.verify()
    except Image.DecompressionBombError as error:  # so large Pillow refuses to open it; it says how large
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        if pixels:
            return "B114", {"pixels": int(pixels[1]), "limit": MAX_IMAGE_PIXELS}
        return "I003.unreadable", {"error": type(error).__name__}
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        return "I003.unreadable", {"error": type(error).__name__}
    return None


def svg_problem(data: bytes) -> tuple[str, dict] | None:
    """Why an SVG cannot be used: not well formed, a script in it (a `<script>`, an `on*=` handler, a
    `javascript:` address) or something it loads from elsewhere (an `href` not inside the file, a `url()` or
    `@import` in its styles). Refused, not cleaned: the file is the designer's, and a cleaned copy would
    differ from it without anyone seeing how."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        return "I003.svg", {"error": error.msg}
    dtd = tree.getroottree().docinfo.internalDTD
    for entity in dtd.iterentities() if dtd is not None else ():
        # entities are left unexpanded here, but a renderer may expand them: none may hide markup or an address
        if SVG_ENTITY_HIDES.search(entity.content or ""):
            return "B110.entity", {"name": entity.name}
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = lxml.etree.QName(element).localname.lower()
        if tag in ("script", "foreignobject", "iframe", "embed", "object", "handler", "listener"):
            return "B110", {}
        styles = [element.text or ""] if tag == "style" else []
        for name, value in element.attrib.items():
            local = lxml.etree.QName(name).localname.lower()
            address = "".join(value.split()).lower()
            if local.startswith("on"):
                return "B110.handler", {"name": local}
            if address.startswith(("javascript:", "vbscript:")):
                return "B110.javascript", {}
            if local in ("href", "src") and not address.startswith(("#", *SVG_DATA_IMAGES)):
                return "B111", {"target": value.strip()[:80]}
            if local == "style":
                styles.append(value)
        for style in styles:
            loaded = SVG_STYLE_LOAD.search(CSS_ESCAPE.sub(_unescaped, style))
            if loaded:
                return "B111", {"target": loaded[0][:80]}
    return None


def _unescaped(escape: re.Match) -> str:
    """A CSS escape as the character it stands for (`\\75 rl(` is `url(`), so escapes hide no address."""
    if escape[1]:
        code = int(escape[1], 16)
        return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
    return escape[2]


def check_links(chapters: list[Chapter], ids: set[str], problems: Problems) -> None:
    """Every `href="#x"` in the book must name an id that exists."""
    for chapter in chapters:
        for target in re.findall(r'href="#([^"]+)"', chapter.html):
            if target not in ids:
                problems.add(chapter.path, find_line(chapter, f"#{target}"), "M010", target=target)
