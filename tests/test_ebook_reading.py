"""The EPUB as a Thai reader meets it in a reading system (issue 20): numbered notes that pop up, sizes that follow
the reader's text size, a comfortable measure, no colour fighting a night theme, a title that fits a phone at
200 % text size, and what the reader is shown instead of the print edition's production facts.

The EPUB is the one the session's builds make; layout is judged in the session's Chromium."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.etree as etree
import pytest
import tinycss2
from conftest import NS, browser_tab, output, pdftotext

from book.building import BuildResult
from book.render.xhtml import PLACEHOLDER_NOTE

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
MAX_MEASURE_EM = 34  # book/styles/epub.css: the text column's max-width
PHONE = 390  # CSS px: a phone held upright
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def unpack(result: BuildResult, into: Path) -> Path:
    with zipfile.ZipFile(output(result, ".epub")) as archive:
        archive.extractall(into)
    return into / "EPUB"


def documents(folder: Path) -> dict[str, etree._Element]:
    return {path.name: etree.parse(str(path)).getroot() for path in sorted(folder.glob("*.xhtml"))}


def text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


# --- Notes ------------------------------------------------------------------------------------------------


def note_numbers(result: BuildResult, folder: Path, numerals: str) -> int:
    """Check every chapter's notes in `folder` and return how many there are: each call a sup'd noteref link
    numbered 1, 2, 3 ... in the chapter in `numerals`, its note an EPUB footnote aside that starts with the same
    number and links back to the call."""
    found = 0
    for name, document in documents(folder).items():
        calls = document.findall(".//x:a[@class='noteref']", NS)
        for number, call in enumerate(calls, start=1):
            label = str(number).translate(THAI_DIGITS) if numerals == "thai" else str(number)
            assert call.get(EPUB_TYPE) == "noteref" and call.get("role") == "doc-noteref", name
            assert etree.QName(call.getparent()).localname == "sup", name
            assert call.text == label, (name, call.text, label)
            target = call.get("href")
            assert target.startswith("#"), (name, target)  # the note is in the chapter: a pop-up, no page turn
            (note,) = document.xpath("//*[@id=$id]", id=target[1:])
            assert etree.QName(note).localname == "aside", name
            assert note.get(EPUB_TYPE) == "footnote" and note.get("role") == "doc-footnote", name
            assert text(note).startswith(f"{label}. "), (name, text(note)[:20])
            (number_span,) = note.findall(".//x:span[@class='note-number']", NS)
            assert number_span.text == f"{label}."
            (back,) = note.findall(".//x:a[@role='doc-backlink']", NS)
            assert back.get("aria-label")
            (called_from,) = document.xpath("//*[@id=$id]", id=back.get("href")[1:])
            assert call in called_from.iter(), (name, back.get("href"))
            found += 1
        notes = document.findall(".//x:aside[@role='doc-footnote']", NS)
        assert len(notes) == len({c.get("href") for c in calls}), name
    return found


def test_notes_are_numbered_epub_footnotes_that_link_back(default_book, tmp_path):
    folder = unpack(default_book, tmp_path)
    found = note_numbers(default_book, folder, "arabic")
    assert found == sum(c.footnotes for c in default_book.book.chapters) > 0


def test_note_numbers_are_in_the_books_numerals(mini_book, tmp_path):
    assert mini_book.book.config["numerals"] == "thai"
    assert note_numbers(mini_book, unpack(mini_book, tmp_path), "thai") > 0


# --- What the reader is shown --------------------------------------------------------------------------------


def squashed(words: str) -> str:
    return re.sub(r"\s+", "", words)


def test_a_placeholder_shows_its_caption_and_a_line_never_the_brief(default_book, tmp_path):
    folder = unpack(default_book, tmp_path)
    figures = {
        figure.get("id"): figure
        for document in documents(folder).values()
        for figure in document.iterfind(".//x:figure", NS)
    }
    placeholders = [info for info in default_book.book.infographics if not info.artwork]
    assert placeholders
    for info in placeholders:
        figure = figures[f"fig-{info.id}"]
        shown = text(figure)
        assert info.caption in shown and PLACEHOLDER_NOTE in shown
        assert squashed(info.brief) not in squashed(shown)
        assert info.id not in shown and info.size not in shown  # the designer's id and size
        assert not any(info.brief in (value or "") for element in figure.iter() for value in element.attrib.values())
    # the print edition keeps the brief in the box, for the designer
    printed = squashed(pdftotext(output(default_book, "-print.pdf")))
    assert all(squashed(info.brief)[:30] in printed for info in placeholders)


def test_the_ebook_colophon_describes_the_ebook_and_the_print_one_the_paper(default_book, tmp_path):
    book = default_book.book
    (colophon,) = documents(unpack(default_book, tmp_path))["colophon.xhtml"].iterfind(".//x:section", NS)
    shown = text(colophon)
    facts = {text(dt): text(dt.getnext()) for dt in colophon.iterfind(".//x:dt", NS)}
    assert "EPUB 3" in facts["รูปแบบ"]
    assert all(faces[0].family in facts["แบบอักษร"] for faces in book.fonts.values())
    assert facts["เผยแพร่ครั้งที่"] == "1 (27 พฤศจิกายน พ.ศ. 2569)"  # the book's edition and date (book.yaml)
    paper, trim = book.config["colophon"]["paper"], "148 มม. × 210 มม."
    assert paper not in shown and trim not in shown
    assert not {"ขนาด", "กระดาษ", "พิมพ์ครั้งที่"} & set(facts)  # the print edition's facts
    assert not colophon.xpath(".//*[@hidden or @data-edition]")
    printed = " ".join(pdftotext(output(default_book, "-print.pdf")).split())
    assert paper in printed and trim in printed and "EPUB 3" not in printed


# --- Layout in a reading system (Chromium) ---------------------------------------------------------------------

OUTSIDE_JS = """() => {
    // every piece of text and every element of the page, by its boxes on the screen, that pokes out of the
    // viewport's width
    const width = document.documentElement.clientWidth, out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects())
            if (rect.width && (rect.left < -0.5 || rect.right > width + 0.5)) out.push(node.textContent.trim());
    }
    for (const element of document.body.querySelectorAll('*')) {
        const rect = element.getBoundingClientRect();
        if (rect.width && (rect.left < -0.5 || rect.right > width + 0.5)) out.push(element.tagName);
    }
    return out;
}"""

READY_JS = "document.fonts.ready.then(() => document.fonts.size)"


def at_text_size(tab, document: Path, size: str) -> None:  # noqa: ANN001 - Playwright's Page
    """`document` shown as a reading system shows it at the reader's text size `size` (the root's font-size)."""
    tab.goto(document.as_uri())
    tab.evaluate(f"document.documentElement.style.fontSize = '{size}'")
    tab.evaluate(READY_JS)


@pytest.mark.parametrize("name", ["title-page.xhtml", "chiang-mai.xhtml", "colophon.xhtml", "contents.xhtml"])
def test_nothing_is_cut_off_on_a_phone_at_200_percent_text(default_book, tmp_path, browser, name):
    """The title was cut off on a phone at 150-200 % text: a word kept whole wider than the screen."""
    folder = unpack(default_book, tmp_path)
    with browser_tab(browser, PHONE, 844) as tab:
        for size in ("100%", "150%", "200%"):
            at_text_size(tab, folder / name, size)
            widths = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], (name, size, widths)
            assert tab.evaluate(OUTSIDE_JS) == [], (name, size)
            headings = tab.evaluate("[...document.querySelectorAll('h1')].map(h => [h.scrollWidth, h.clientWidth])")
            assert headings and all(scroll <= client for scroll, client in headings), (name, size, headings)


FONT_SIZES_JS = """() => {
    const px = element => parseFloat(getComputedStyle(element).fontSize);
    const body = document.querySelector('.chapter-body > p'), note = document.querySelector('.footnotes p');
    const title = document.querySelector('h1');
    return [px(document.documentElement), px(body), px(note), px(title)];
}"""


def test_text_sizes_follow_the_readers_text_size(default_book, tmp_path, browser):
    folder = unpack(default_book, tmp_path)
    with browser_tab(browser, PHONE, 844) as tab:
        tab.goto((folder / "chiang-mai.xhtml").as_uri())
        root, body, note, title = tab.evaluate(FONT_SIZES_JS)
        # the root is the reading system's size (Chromium's default, 16px), not a size of the book's own (11pt)
        assert root == 16 and body == root, (root, body)
        for size in ("150%", "200%"):
            at_text_size(tab, folder / "chiang-mai.xhtml", size)
            bigger = tab.evaluate(FONT_SIZES_JS)
            factor = float(size.rstrip("%")) / 100
            assert bigger == pytest.approx([root * factor, body * factor, note * factor, title * factor]), size


MEASURE_JS = """() => {
    // the longest line of the chapter's paragraphs, in em of the paragraph's text, and the column's margins
    let longest = 0;
    for (const p of document.querySelectorAll('.chapter-body > p')) {
        const range = document.createRange();
        range.selectNodeContents(p);
        const em = parseFloat(getComputedStyle(p).fontSize);
        const lines = new Map();
        for (const rect of range.getClientRects()) {
            const top = Math.round(rect.top);
            const [left, right] = lines.get(top) || [rect.left, rect.right];
            lines.set(top, [Math.min(left, rect.left), Math.max(right, rect.right)]);
        }
        for (const [left, right] of lines.values()) longest = Math.max(longest, (right - left) / em);
    }
    const column = document.querySelector('.chapter-body').getBoundingClientRect();
    return [longest, column.left, document.documentElement.clientWidth - column.right];
}"""


@pytest.mark.parametrize("size", ["100%", "200%"])
def test_lines_keep_a_comfortable_measure_on_a_wide_screen(default_book, tmp_path, browser, size):
    folder = unpack(default_book, tmp_path)
    with browser_tab(browser, 1200, 800) as tab:
        at_text_size(tab, folder / "chiang-mai.xhtml", size)
        longest, left, right = tab.evaluate(MEASURE_JS)
        assert MAX_MEASURE_EM * 0.8 < longest <= MAX_MEASURE_EM, longest  # full lines, none longer than the measure
        assert abs(left - right) <= 1, (left, right)  # the column is centred


def test_pictures_scale_with_the_screen(default_book, tmp_path, browser):
    folder = unpack(default_book, tmp_path)
    chapters = [p for p in folder.glob("*.xhtml") if "<img" in p.read_text("utf-8") and p.name != "cover.xhtml"]
    assert chapters
    with browser_tab(browser, 320, 640) as tab:
        for chapter in chapters:
            tab.goto(chapter.as_uri())
            tab.evaluate(READY_JS)
            images = tab.evaluate(
                "[...document.querySelectorAll('img')].map(i => [i.getBoundingClientRect().width, "
                "i.parentElement.getBoundingClientRect().width, i.naturalWidth, i.naturalHeight, "
                "i.getBoundingClientRect().height])"
            )
            for width, room, natural_width, natural_height, height in images:
                assert width <= room + 0.5, chapter.name
                assert height == pytest.approx(width * natural_height / natural_width, abs=1), chapter.name


NIGHT_JS = """() => {
    // a reading system's night theme: light text on black, set on the root as they do
    document.documentElement.style.color = 'rgb(230, 230, 230)';
    document.documentElement.style.background = 'black';
    const fixed = [];
    for (const element of document.body.querySelectorAll('*')) {
        const style = getComputedStyle(element);
        if (style.backgroundColor !== 'rgba(0, 0, 0, 0)') fixed.push(element.className + ' background');
        if (!element.closest('a') && style.color !== 'rgb(230, 230, 230)') fixed.push(element.className + ' color');
    }
    return fixed;
}"""


@pytest.mark.parametrize("name", ["chiang-mai.xhtml", "bangkok-kadijeen.xhtml", "colophon.xhtml"])
def test_a_night_theme_colours_all_the_text_and_nothing_is_painted_behind_it(default_book, tmp_path, browser, name):
    folder = unpack(default_book, tmp_path)
    text_of = (folder / name).read_text("utf-8")
    assert name != "chiang-mai.xhtml" or ("placeholder-box" in text_of and "pullquote" in text_of)
    with browser_tab(browser, PHONE, 844) as tab:
        tab.goto((folder / name).as_uri())
        assert tab.evaluate(NIGHT_JS) == [], name


# --- The stylesheet, parsed -----------------------------------------------------------------------------------

RELATIVE = re.compile(r"^(-?[\d.]+(em|rem|%|ex|ch)|0|inherit|initial|unset|smaller|larger|medium)$")
NO_PAINT = re.compile(r"^(none|transparent|inherit|initial|unset|currentcolor|color-mix\(.*currentcolor.*\))$")


def final_declarations(css: str) -> dict[tuple[str, str], str]:
    """(selector, property) -> the value the last rule for that selector gives, in the stylesheet's order: the
    cascade between rules with the same selector, which is how the EPUB's stylesheet overrides the shared one."""
    found: dict[tuple[str, str], str] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue  # @font-face: no colour or size of the text
        selectors = [" ".join(s.split()) for s in tinycss2.serialize(rule.prelude).split(",")]
        for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
            if declaration.type != "declaration":
                continue
            value = " ".join(tinycss2.serialize(declaration.value).split()).lower().removesuffix(" !important")
            for selector in selectors:
                found[(selector, declaration.lower_name)] = value
    return found


def ebook_css(result: BuildResult) -> str:
    with zipfile.ZipFile(output(result, ".epub")) as archive:
        return archive.read("EPUB/style/book.css").decode()


def test_the_ebook_css_paints_no_colour_of_its_own_and_sizes_the_text_relatively(default_book):
    final = final_declarations(ebook_css(default_book))
    assert (":root", "font-size") in final  # the stylesheet was read
    backgrounds = {k: v for k, v in final.items() if k[1] in ("background", "background-color")}
    assert {k: v for k, v in backgrounds.items() if not NO_PAINT.match(v)} == {}
    colours = {k: v for k, v in final.items() if k[1] == "color" and not NO_PAINT.match(v)}
    assert colours == {}
    sizes = {k: v for k, v in final.items() if k[1] == "font-size" and not RELATIVE.match(v)}
    assert sizes == {}
    heights = {k: v for k, v in final.items() if k[1] in ("height", "min-height") and v not in ("auto", "0")}
    assert heights == {}
    assert final[("img", "max-width")] == "100%" and final[("img", "height")] == "auto"
    assert final[("body", "max-width")] == f"{MAX_MEASURE_EM}em"


def test_the_check_of_the_css_finds_a_fixed_background_and_size():
    """The parse above would see what issue 20 found: the shared 11pt root and a placeholder's fill."""
    final = final_declarations(":root { font-size: 11pt; }\n.placeholder-box { background: #fffbeb; }")
    assert not RELATIVE.match(final[(":root", "font-size")])
    assert not NO_PAINT.match(final[(".placeholder-box", "background")])
    final = final_declarations(".a, .b { color: #333 }\n.b { color: inherit }")
    assert final[(".a", "color")] == "#333" and final[(".b", "color")] == "inherit"
