"""The engine layer (book/engine/): the only place that reaches into WeasyPrint's internals, for the WeasyPrint it
was tested with only.

For each WeasyPrint function the engine replaces or calls, its signature is still the one the engine was written
for, and the original, in a real layout, still does what the engine relies on. If one of these fails after a
WeasyPrint upgrade, the engine module named in the test needs a look before the pinned range moves.
"""

from __future__ import annotations

import ast
import inspect
import io
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import fontpkg_sarabun
import pikepdf
import pytest
import weasyprint
from conftest import MINI, ROOT
from packaging.requirements import Requirement
from weasyprint import CSS, HTML
from weasyprint import layout as weasyprint_layout
from weasyprint.draw import text as weasyprint_text
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.pdf import fonts as weasyprint_fonts
from weasyprint.text import line_break

from book.diagnostics.problems import EXIT_USAGE, BookError
from book.engine import (
    fontsubset,
    justify,
    linebreaks,
    margins,
    pango,
    paragraphs,
    sides,
    supported,
    textlayer,
    xmp,
)
from book.engine.graphemes import cluster_starts, clusters
from book.engine.internals import Internal
from book.engine.lineboxes import line_text, paragraph_lines
from book.engine.supported import SUPPORTED, refuse_untested_weasyprint, supports

BOOK = ROOT / "book"
PATCHES = {
    textlayer: 1,
    justify: 3,
    pango: 2,
    margins: 1,
    fontsubset: 0,
    paragraphs: 0,
    sides: 1,
}  # module -> functions it replaces
ENGINE = (textlayer, justify, pango, margins, fontsubset, linebreaks, xmp, paragraphs, sides)
INTERNALS = [internal for module in ENGINE for internal in module.INTERNALS]
FONT = (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").as_uri()
THAI_STYLE = f"@font-face {{ font-family: S; src: url({FONT}) }} body {{ font: 16px S; margin: 0 }}"
# Thai without a space: where it breaks is up to the line breaker alone.
UNSPACED = "เมืองแห่งการเรียนรู้สร้างโอกาสให้ผู้คนทุกวัยได้เรียนรู้ตลอดชีวิตในชุมชนของตนเอง"
SPACED = "เมืองแห่งการเรียนรู้ สร้างโอกาส ให้ผู้คนทุกวัย ได้เรียนรู้ตลอดชีวิต ในชุมชน ของตนเอง Learning City"


def thai_document(html: str, css: str = "") -> object:
    """`html` laid out by WeasyPrint with a Thai font and `css`."""
    return HTML(string=f'<html lang="th"><body>{html}</body></html>').render(stylesheets=[CSS(string=THAI_STYLE + css)])


def owner(name: str) -> tuple[object, str]:
    """The object that holds the internal `name`, and the attribute it is under."""
    parent, _, attribute = name.rpartition(".")
    return Internal(parent, "").original(), attribute


@contextmanager
def hooks(*modules: object, installed: bool) -> Iterator[None]:
    """The replacements of `modules` installed, or WeasyPrint's own functions, while inside; as before after."""
    replaced = [owner(i.name) for module in modules for i in module.INTERNALS if i.kept is not None]
    before = [getattr(holder, attribute) for holder, attribute in replaced]
    for module in modules:
        module.install() if installed else module.uninstall()
    try:
        yield
    finally:
        for (holder, attribute), value in zip(replaced, before, strict=True):
            setattr(holder, attribute, value)


# -- the layer's edges


def imported_modules(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of each import in the toolkit's module at `path`, relative imports made absolute."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    if path.name == "__init__.py":
        package = path.relative_to(ROOT).parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            yield from ((node.lineno, f"{module}.{alias.name}" if not node.module else module) for alias in node.names)


def test_the_engine_uses_only_the_diagnostics_and_the_scheduler():
    below = ("book.engine", "book.diagnostics", "book.scheduler", "book.public")  # public: how a stage exports
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted((BOOK / "engine").rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] == "book" and not module.startswith(below)
    ]
    assert found == []


# WeasyPrint's public API (https://doc.courtbouillon.org/weasyprint/stable/api_reference.html): what the package
# exports, and the classes its documentation names in their own modules (`FontConfiguration`, the `CounterStyle`
# that `render(counter_style=...)` takes, the `URLFetcher`).
PUBLIC = {"weasyprint.text.fonts", "weasyprint.css.counters", "weasyprint.urls"}


def test_only_the_engine_reaches_into_weasyprint():
    found = []
    for path in sorted(BOOK.rglob("*.py")):
        if path.is_relative_to(BOOK / "engine"):
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        typing_only = {
            id(child)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
            for child in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in typing_only:
                found += [f"{path.name}:{node.lineno}: {name}" for name in _internal(node)]
            if isinstance(node, ast.Attribute) and node.attr in ("_page_box", "page_type"):
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert found == []


def _internal(node: ast.Import | ast.ImportFrom) -> list[str]:
    """What the import `node` takes from WeasyPrint beyond its public API."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.startswith("weasyprint.")]
    if node.module == "weasyprint":
        return [f"weasyprint.{a.name}" for a in node.names if a.name not in weasyprint.__all__]
    return [node.module] if (node.module or "").startswith("weasyprint.") and node.module not in PUBLIC else []


# -- the WeasyPrint it works with


def test_the_weasyprint_installed_is_one_the_engine_was_tested_with():
    assert supports(supported.installed_weasyprint())


@pytest.mark.parametrize(
    ("version", "works"),
    [("70.0", True), ("70", True), ("70.0.1", True), ("70.2", True), ("70.1rc1", True), ("69.9", False)]
    + [("70.0rc1", False), ("71.0b1", False), ("71.0", False), ("72.1", False), ("not a version", False)],
)
def test_the_range_includes_its_first_version_and_not_its_last(version, works):
    assert supports(version) is works


def test_the_engines_range_is_the_one_pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [Requirement(r) for r in project["project"]["dependencies"] if Requirement(r).name == "weasyprint"]
    assert len(pins) == 1
    specifier = pins[0].specifier
    probes = [*SUPPORTED, "69", "69.9", "70", "70.0.1", "70.1", "70.99", "70.1rc1", "70.0rc1", "71.0b1", "71.0.1"]
    assert {v: specifier.contains(v, prereleases=True) for v in probes} == {v: supports(v) for v in probes}


def test_an_untested_weasyprint_is_refused_with_one_diagnostic(monkeypatch):
    monkeypatch.setattr(supported, "installed_weasyprint", lambda: "71.0")
    with pytest.raises(BookError) as raised:
        refuse_untested_weasyprint()
    assert raised.value.exit_code == EXIT_USAGE
    [problem] = raised.value.diagnostics
    assert problem.code == "E002"
    low, high = SUPPORTED
    for text in (problem.message, problem.message_th):
        assert "WeasyPrint 71.0" in text
        assert f">={low},<{high}" in text
        assert "python3 build.py setup" in text
    assert problem.message_th != problem.message


def test_the_command_line_refuses_an_untested_weasyprint_in_one_line(monkeypatch, tmp_path, capsys):
    from book.cli.commands import main

    monkeypatch.setattr(supported, "installed_weasyprint", lambda: "71.0")
    assert main(["print", "--project", str(MINI), "--out", str(tmp_path), "--lang", "en"]) == EXIT_USAGE
    said = capsys.readouterr()
    assert "Traceback" not in said.err
    assert [line for line in said.err.splitlines() if "[E002]" in line] == [
        f"weasyprint: WeasyPrint 71.0 is installed, but the toolkit works only with WeasyPrint >={SUPPORTED[0]},"
        f"<{SUPPORTED[1]}, the versions it was tested with; run: python3 build.py setup [E002]"
    ]
    assert list(tmp_path.iterdir()) == []  # refused before anything was built


# -- each internal as the engine was written for it


@pytest.mark.parametrize("internal", INTERNALS, ids=[i.name for i in INTERNALS])
def test_the_signature_is_the_one_the_engine_was_written_for(internal):
    assert str(inspect.signature(internal.original())) == internal.signature


@pytest.mark.parametrize("module", list(PATCHES), ids=[m.__name__ for m in PATCHES])
def test_each_patch_says_what_it_replaces_and_the_version_written_against(module):
    low = SUPPORTED[0]
    assert f"WeasyPrint {low}" in module.__doc__
    replaced = [i for i in module.INTERNALS if i.kept is not None]
    assert len(replaced) == PATCHES[module]
    for internal in replaced:
        assert f"`{internal.name}`" in module.__doc__


def test_draw_first_line_draws_a_box_of_the_lines_text_in_a_stream_with_marked_content(monkeypatch, tmp_path):
    """textlayer wraps each call in a marked-content span of `textbox.text`: the original must still be what
    draws one line, looked up in its module, its text box holding the line's text, inside a stream that can
    open and close marked content."""
    original = textlayer.INTERNALS[0].original()
    drawn = []

    def drawing(stream, textbox, *args):  # noqa: ANN001, ANN202
        drawn.append(textbox.text)
        assert callable(stream.begin_marked_content) and callable(stream.end_marked_content)
        return original(stream, textbox, *args)

    monkeypatch.setattr(weasyprint_text, "draw_first_line", drawing)
    document = thai_document(f'<p style="width: 10em">{SPACED}</p>')
    document.write_pdf(tmp_path / "drawn.pdf")
    assert len(drawn) > 1
    assert "".join(drawn).replace(" ", "") == SPACED.replace(" ", "")
    assert drawn == [text for paragraph in paragraph_lines(document) for text in map(line_text, paragraph)]


def test_justify_line_widens_only_the_spaces(monkeypatch):
    """What justify replaces: WeasyPrint shares a line's extra width between its spaces alone, so a Thai line
    with no space is left short. Called for each line but the last of a justified paragraph, looked up in
    `weasyprint.layout.inline`."""
    original = justify.INTERNALS[0].original()
    calls = []

    def justifying(context, line, extra_width):  # noqa: ANN001, ANN202
        spaces = inline.count_expandable_spaces(line)
        natural = line.width
        original(context, line, extra_width)
        texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
        calls.append((spaces, extra_width, line.width - natural, {box.justification_spacing for box in texts}))

    with hooks(pango, justify, installed=False), monkeypatch.context() as patched:
        patched.setattr(inline, "justify_line", justifying)
        thai_document(
            f'<p style="width: 12em; text-align: justify">{SPACED}</p>'
            f'<p style="width: 8em; text-align: justify">{UNSPACED}</p>'
        )
    spaced = [call for call in calls if call[0]]
    unspaced = [call for call in calls if not call[0]]
    assert spaced and unspaced
    for spaces, extra_width, widened, spacing in spaced:
        assert widened == pytest.approx(extra_width, abs=0.01)
        assert all(each == pytest.approx(extra_width / spaces) for each in spacing)
    for _, extra_width, widened, spacing in unspaced:
        assert extra_width > 1 and widened == 0 and spacing == {0}


def test_set_text_leaves_thai_breaks_to_libthai():
    """What pango's `Layout.set_text` hook is for: WeasyPrint alone breaks Thai wherever libthai (through Pango)
    ends a word, and nowhere else; the hook then allows breaks only at the toolkit's marks."""
    paragraph = f'<p style="width: 7em">{UNSPACED}</p>'
    with hooks(pango, justify, installed=False):
        lines = [line_text(line) for line in paragraph_lines(thai_document(paragraph))[0]]
    assert len(lines) > 2
    ends = [len("".join(lines[: i + 1])) for i in range(len(lines) - 1)]
    assert set(ends) <= linebreaks.pango_line_breaks(UNSPACED)
    with hooks(pango, installed=True):
        [one] = paragraph_lines(thai_document(paragraph))  # no mark: the hooks let no Thai break
    assert [line_text(line) for line in one] == [UNSPACED]


def test_set_text_sets_the_layouts_text_and_keeps_its_attributes():
    """The hook runs the original, then reads `layout.text` and adds to the layout's attribute list."""
    from weasyprint.text.ffi import ffi
    from weasyprint.text.ffi import pango as libpango

    original = pango.INTERNALS[0].original()
    document = thai_document('<p style="letter-spacing: 1px">x</p>')
    text_box = next(b for b in paragraph_lines(document)[0][0].descendants() if isinstance(b, boxes.TextBox))
    layout = line_break.Layout(text_box.style)
    original(layout, UNSPACED)
    assert layout.text == UNSPACED
    assert libpango.pango_layout_get_attributes(layout.layout) != ffi.NULL  # the letter spacing's
    first, _ = layout.get_first_line()
    assert first.length == len(UNSPACED.encode())  # bytes of UTF-8, all of them on the one line
    layout.deactivate()


def test_split_first_line_gives_the_byte_offset_where_the_next_line_resumes(monkeypatch):
    """pango's phrase-space rule reads the third value split_first_line returns: where the rest of the text
    resumes, in bytes of UTF-8."""
    original = pango.INTERNALS[1].original()
    results = []

    def splitting(text, *args, **kwargs):  # noqa: ANN001, ANN202
        result = original(text, *args, **kwargs)
        results.append((text, result))
        return result

    monkeypatch.setattr(inline, "split_first_line", splitting)
    lines = [line_text(line) for line in paragraph_lines(thai_document(f'<p style="width: 7em">{SPACED}</p>'))[0]]
    resumed = [(text, result[2]) for text, result in results if result[2] is not None]
    assert all(len(result) == 6 for _, result in results)
    assert resumed
    first = next(text.encode()[:resume].decode() for text, resume in resumed if text.startswith(SPACED[:10]))
    assert first.replace("\u200b", "").rstrip() == lines[0].rstrip()


def test_get_log_attrs_gives_libthai_word_ends():
    assert linebreaks.pango_line_breaks("สวัสดีครับเมือง") == {6, 10, 15}
    assert linebreaks.pango_line_breaks("Learning City") == {9, 13}


MARGINS = """@page { size: 100mm 80mm; margin: 15mm;
  @top-center { content: "running head" } @bottom-right { content: counter(page) } }
@page :left { @bottom-left { content: counter(page) } @bottom-right { content: none } }
@page wide { @top-center { content: none } }"""


def test_make_margin_boxes_makes_the_boxes_the_page_rules_give_and_hides_those_style_for_hides(monkeypatch):
    """margins asks the original with `context.style_for` giving None for the groups not wanted: the original
    must ask `style_for` for every margin box of the page, make one for each rule with content, and make none
    where `style_for` says there is no rule, without moving the others."""
    original = margins.INTERNALS[0].original()
    asked, hidden = set(), set()

    def making(context, page, state):  # noqa: ANN001, ANN202
        style_for = context.style_for

        def asking(element, pseudo_type=None):  # noqa: ANN001, ANN202
            asked.add(pseudo_type)
            return None if pseudo_type in hidden else style_for(element, pseudo_type)

        context.style_for = asking
        try:
            yield from list(original(context, page, state))
        finally:
            context.style_for = style_for

    monkeypatch.setattr(weasyprint_layout, "make_margin_boxes", making)
    html = '<p>one</p><p style="break-before: page">two</p><p style="page: wide">three</p>'

    def laid_out() -> list[dict[str, tuple[float, float]]]:
        pages = HTML(string=html).render(stylesheets=[CSS(string=MARGINS)]).pages
        return [
            {
                box.at_keyword: (box.position_x, box.width)
                for box in p._page_box.children
                if isinstance(box, boxes.MarginBox)
            }
            for p in pages
        ]

    made = laid_out()
    assert asked >= {keyword for group in margins.MARGIN_GROUPS for keyword in group}
    assert [set(boxes_) for boxes_ in made] == [
        {"@top-center", "@bottom-right"},
        {"@top-center", "@bottom-left"},
        {"@bottom-right"},
    ]
    hidden.add("@top-center")
    without_head = laid_out()
    assert without_head == [{k: v for k, v in boxes_.items() if k != "@top-center"} for boxes_ in made]


def test_a_pages_shape_is_its_side_blankness_and_name():
    html = '<p>one</p><p style="break-before: right">three</p><p style="page: wide">four</p>'
    pages = HTML(string=html).render(stylesheets=[CSS(string="@page wide { size: A5 landscape }")]).pages
    assert [margins.page_shape(p) for p in pages] == [
        ("right", False, ""),
        ("left", True, ""),
        ("right", False, ""),
        ("left", False, "wide"),
    ]


def test_weasyprints_font_subsets_make_arrays_of_as_many_values_as_they_name(monkeypatch, tmp_path):
    """fontsubset's `_UnsizedArrays` asks for `T[]` where WeasyPrint's subsets ask for `T[n]` with n values:
    WeasyPrint must still make its arrays with the `ffi` of `weasyprint.pdf.fonts`, and `T[]` must make the
    same array."""
    ffi = getattr(weasyprint_fonts.ffi, "_ffi", weasyprint_fonts.ffi)  # WeasyPrint's own, under ours if installed
    asked = []

    class Recording:
        def new(self, cdecl, init=None):  # noqa: ANN001, ANN202
            asked.append((cdecl, len(init) if hasattr(init, "__len__") else None))
            return ffi.new(cdecl, init)

        def __getattr__(self, name: str) -> object:
            return getattr(ffi, name)

    monkeypatch.setattr(weasyprint_fonts, "ffi", Recording())
    thai_document(f"<p>{SPACED}</p>").write_pdf(tmp_path / "subset.pdf")
    sized = [
        (cdecl, n) for cdecl, n in asked if (m := re.fullmatch(r"hb_codepoint_t\[(\d+)\]", cdecl)) and int(m[1]) == n
    ]
    assert sized, asked
    values = list(range(40, 80))
    assert list(ffi.new("hb_codepoint_t[]", values)) == list(ffi.new(f"hb_codepoint_t[{len(values)}]", values))
    assert ffi.sizeof(ffi.new("hb_codepoint_t[]", values)) == ffi.sizeof(f"hb_codepoint_t[{len(values)}]")
    with pikepdf.open(tmp_path / "subset.pdf") as pdf:
        fonts = [f for p in pdf.pages for f in p.Resources.Font.values()]
        assert all("+" in str(f.BaseFont) for f in fonts)  # subset fonts, named with a tag


def test_the_pdf_x4_packet_is_what_weasyprints_pdf_x4_variant_writes():
    document = HTML(string="<title>A book</title><p>text</p>").render()
    with pikepdf.open(io.BytesIO(document.write_pdf(pdf_variant="pdf/x-4"))) as pdf:
        written = pdf.Root.Metadata.read_bytes()
    ours = xmp.pdf_x4_packet(document.metadata)

    def fixed(packet: bytes) -> bytes:  # each write has its own document id and time
        packet = re.sub(rb"xmp\.did:[0-9a-f-]+", b"ID", packet)
        return re.sub(rb"\d{4}-\d\d-\d\dT[\d:]+[+-]\d\d:\d\d", b"DATE", packet)

    assert fixed(ours) == fixed(written)
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in ours


def _placed(spacing: float, text: str) -> tuple[list[tuple[int, float]], float, float]:
    """`text` stretched as justify_line stretches a Thai text in Sarabun, `spacing` px after each cluster but
    its last, then shaped and set to one paragraph as WeasyPrint draws it (`draw_text`, `draw_first_line`):
    each glyph's (byte of its cluster, x where it is drawn), the width justify_line counts, and the width drawn."""
    from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi
    from weasyprint.text.ffi import pango as pango_library
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    html = HTML(string='<html lang="th"><body><p>x</p></body></html>')
    document = html.render(stylesheets=[CSS(string=THAI_STYLE, font_config=fonts)], font_config=fonts)
    style = next(b for b in paragraph_lines(document)[0][0].descendants() if isinstance(b, boxes.TextBox)).style
    with hooks(pango, justify, installed=True):
        layout = line_break.Layout(style, 0)
        layout.set_text(text)
        natural = line_break.line_size(layout.get_first_line()[0], style)[0]
        places = justify._places(text)
        ends = tuple(at for at in places.gaps if at < places.flush)
        layout.stretch = justify.Stretch(ends, (round(spacing * TO_UNITS),) * len(ends))
        layout.deactivate()
        layout.reactivate(style)
        pango_library.pango_layout_set_single_paragraph_mode(layout.layout, True)
        line, _ = layout.get_first_line()
        placed, x, run = [], 0, line.runs
        while run != ffi.NULL:
            glyphs = run.data.glyphs
            for i in range(glyphs.num_glyphs):
                geometry = glyphs.glyphs[i].geometry
                placed.append((run.data.item.offset + glyphs.log_clusters[i], (x + geometry.x_offset) * FROM_UNITS))
                x += geometry.width
            run = run.next
        layout.deactivate()
    return placed, natural + sum(layout.stretch.units) / TO_UNITS, x * FROM_UNITS


def test_a_stretched_thai_line_keeps_each_sara_am_on_its_letter():
    """A ำ belongs to its letter's cluster, so no stretch comes between them: ำ sits on its letter as in an
    unstretched line, the other clusters move apart by the spacing, nothing is added after the last one, and
    the width justify_line counts is the width drawn."""
    text = "การทำงาน คำถาม"
    first = {}
    for spacing in (0.0, 1.7):
        placed, width, drawn = _placed(spacing, text)
        x = {}
        for cluster, at in placed:
            x.setdefault(cluster, at)  # the first glyph of each cluster: the nikhahit of ำ, a letter
        first[spacing] = x
        assert width == pytest.approx(drawn, abs=0.001)
    sara_am = [len(text[:i].encode()) for i, char in enumerate(text) if char == "\u0e33"]
    assert len(sara_am) == 2
    for at in sara_am:  # ำ over ท and ค: the same offset from its letter, spaced or not
        letter = at - 3
        assert first[1.7][at] - first[1.7][letter] == pytest.approx(first[0.0][at] - first[0.0][letter], abs=0.01)
    # ก to า (the spacing between them, as everywhere else)
    assert first[1.7][3] - first[1.7][0] == pytest.approx(first[0.0][3] - first[0.0][0] + 1.7, abs=0.01)
    # 11 clusters (ทำ and คำ one each): 10 spacings, none after ม, the last
    assert _placed(1.7, text)[2] - _placed(0.0, text)[2] == pytest.approx(10 * 1.7, abs=0.01)


# -- grapheme clusters, the unit of Thai shaping


def test_a_cluster_is_a_letter_with_its_marks():
    assert clusters("น้ำที่ทั่ว") == ["น้ำ", "ที่", "ทั่", "ว"]
    assert cluster_starts("น้ำปลา") == {0, 3, 4, 5, 6}


@pytest.mark.parametrize(
    ("text", "clusters_of_thai_runs"),
    [("น้ำท่วมทุ่ง", 6), ("การทำงาน คำถาม", 11), ("ปี 2563 ทั้งปี", 4), ("Learning City", 0), ("ก", 1)],
)
def test_justification_counts_clusters_as_the_paragraphs_breaking_does(text, clusters_of_thai_runs):
    """The limit a justified line is judged by and the cost the paragraph's breaking gives it count the same
    places for letter spacing: after every cluster of every Thai run."""
    assert justify._places(text).counted == clusters_of_thai_runs == paragraphs._counts(text)[1][-1]
