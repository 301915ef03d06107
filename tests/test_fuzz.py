"""Fuzzing with Hypothesis: generated front matter, Markdown (Thai with random marks, invisible characters
and the book's block syntax) and book.yaml values go through reading, rendering and lint. The only allowed
failure is a BookError: a diagnostic for the user, never a crash.

CI runs a moderate number of examples; for a long fuzz run:
    THAIBOOK_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

import os
import struct
import tempfile
import zlib
from pathlib import Path

import yaml
from conftest import MINI, copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from book.diagnostics.problems import BookError
from book.project.reading import load_book
from book.render.rendering import render_pages
from book.thai.lint import fix_text, lint_text

EXAMPLES = int(os.environ.get("THAIBOOK_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize="CI" in os.environ
)

thai_letters = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
odd = st.sampled_from(["\u200b", "\u200c", "\u2060", "\ufeff", "\u00a0", "ๆ", "ฯ", "ํ", "า", "่", "้", "ั", " ", "“", "”"])
latin = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
thai_text = st.text(st.one_of(thai_letters, thai_letters, odd, latin), min_size=0, max_size=80)
slug = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)

block = st.one_of(
    thai_text,
    thai_text.map(lambda t: "## " + t),
    thai_text.map(lambda t: t + "[^n]\n\n[^n]: " + t),
    thai_text.map(lambda t: "::: pullquote\n" + t + "\n:::"),
    st.tuples(slug, thai_text, st.sampled_from(["full-page", "half-page", "column", "quarter", ""])).map(
        lambda v: f"::: infographic {v[0]}\ncaption: {v[1]!r}\nsize: {v[2]}\nbrief: {v[1]!r}\n:::"
    ),
    st.sampled_from(
        ["<b>หนา</b>", "<div>ไม่ปิด", "<script>x()</script>", "[ลิงก์](#nowhere)", "![ภาพ](x.png)", ":::", "---"]
    ),
)
markdown = st.lists(block, max_size=8).map("\n\n".join)
yaml_value = st.one_of(st.none(), st.integers(-5, 5), st.booleans(), thai_text, st.lists(thai_text, max_size=3))
front_matter = st.fixed_dictionaries(
    {},
    optional={
        "slug": st.one_of(slug, yaml_value),
        "title": st.one_of(thai_text, yaml_value),
        "city": thai_text,
        "province": thai_text,
        "area": thai_text,
        "projects": st.one_of(st.integers(0, 3), yaml_value),
        "kind": st.sampled_from(["chapter", "foreword", "credits", "colophon", "poem"]),
        "summary": yaml_value,
        "extra": yaml_value,
    },
)


def hostile_assets(project: Path) -> None:
    """Pictures a chapter may name, none of which may crash, hang or fill the memory: a FIFO, /dev/zero linked
    in, a sparse 40 MB file, a PNG claiming 10^10 pixels, an SVG with a script, a broken PNG."""
    assets = project / "assets"
    os.mkfifo(assets / "pipe.png")
    (assets / "zero.png").symlink_to("/dev/zero")
    with (assets / "big.png").open("wb") as sparse:
        sparse.truncate(40 * 2**20)
    (assets / "bomb.png").write_bytes(png_claiming(100_000, 100_000))
    (assets / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>', "utf-8"
    )
    (assets / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    (assets / "folder.png").mkdir()
    (assets / "infographics" / "fuzz-art.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://example.org/x.png"/></svg>', "utf-8"
    )


def build_in_copy(files: dict[str, str | bytes], hostile: bool = False) -> None:
    """Write `files` into a copy of the mini project (with `hostile_assets` when asked), then read, render and
    lint it."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "book"
        copy_project(MINI, project)
        if hostile:
            hostile_assets(project)
        for name, text in files.items():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                (project / name).write_bytes(text)
            else:
                (project / name).write_text(text, encoding="utf-8")
        try:
            book = load_book(project)
            render_pages(book)
        except BookError as error:
            assert error.diagnostics, "a BookError always says what is wrong"
            assert all(d.code and d.message for d in error.diagnostics)
        for text in (t for t in files.values() if isinstance(t, str)):
            config = {"numerals": "thai", "lint": {"mai_yamok": "both"}}
            for finding in lint_text(text, config):
                assert finding.line >= 1 and finding.col >= 1 and finding.code.startswith("TH")
            fix_text(text, config)  # fixing never crashes


@SETTINGS
@given(meta=front_matter, body=markdown)
def test_any_chapter_gives_a_book_or_diagnostics(meta, body):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body + "\n"
    build_in_copy({"chapters/02-trang.md": text})


@SETTINGS
@given(raw=st.text(max_size=300))
def test_any_bytes_of_text_as_a_chapter(raw):
    build_in_copy({"chapters/02-trang.md": raw})


@SETTINGS
@given(
    values=st.fixed_dictionaries(
        {},
        optional={
            "title": yaml_value,
            "numerals": st.one_of(st.sampled_from(["thai", "arabic", "roman"]), yaml_value),
            "trim": st.one_of(st.fixed_dictionaries({"width": st.sampled_from(["148mm", "wide", "0mm"])}), yaml_value),
            "date": st.one_of(st.sampled_from(["2026-11-27", "2026-13-40", "yesterday"]), yaml_value),
            "words": st.one_of(
                st.lists(st.sampled_from(["words/*.txt", "/etc/passwd", "../x"]), max_size=2), yaml_value
            ),
            "justify": yaml_value,
            "lint": st.one_of(st.fixed_dictionaries({"ignore": st.lists(thai_text, max_size=2)}), yaml_value),
        },
    )
)
def test_any_book_yaml_values(values):
    base = yaml.safe_load((MINI / "book.yaml").read_text(encoding="utf-8"))
    base.update(values)
    build_in_copy({"book.yaml": yaml.safe_dump(base, allow_unicode=True)})


# -- raw HTML, image paths and bytes (bounded input): nested, hostile, or not text at all

tag = st.sampled_from(["div", "span", "p", "b", "i", "blockquote", "ul", "li", "table", "td", "a", "svg", "script"])
attribute = st.sampled_from(
    [
        "",
        ' class="x"',
        ' onclick="x()"',
        ' href="javascript:x()"',
        ' style="background: url(file:///etc/passwd)"',
        ' id="nan"',
        ' src="zero.png"',
    ]
)
image_path = st.one_of(
    st.sampled_from(
        [
            "pipe.png",
            "zero.png",
            "big.png",
            "bomb.png",
            "evil.svg",
            "broken.png",
            "folder.png",
            "missing.png",
            "../book.yaml",
            "../../../../etc/passwd",
            "/etc/passwd",
            "file:///etc/passwd",
            "%2e%2e/book.yaml",
            "infographics/fuzz-art.svg",
            "data:image/svg+xml,<svg onload=x()>",
            "",
        ]
    ),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=12),
)


@st.composite
def raw_html(draw: st.DrawFn) -> str:
    """Raw HTML nested up to 40 deep (past the limit of 20), closed or not, with hostile attributes."""
    depth = draw(st.integers(0, 40))
    tags = [draw(tag) for _ in range(depth)]
    opened = "".join(f"<{t}{draw(attribute)}>" for t in tags)
    closed = "".join(f"</{t}>" for t in reversed(tags[: draw(st.integers(0, depth))]))
    return opened + draw(thai_text) + closed


nested_markdown = st.tuples(st.sampled_from([">", "- ", "1. ", "    - ", "[", "*", "> - "]), st.integers(0, 60)).map(
    lambda v: v[0] * v[1] + "ลึก"
)
hostile_block = st.one_of(
    raw_html(),
    nested_markdown,
    image_path.map(lambda p: f"![ภาพ]({p})"),
    image_path.map(lambda p: f'<img src="{p}" alt="ภาพ"/>'),
    st.sampled_from(["::: infographic fuzz-art\ncaption: ภาพ\nsize: column\nbrief: ภาพ\n:::"]),
    block,
)


@SETTINGS
@given(body=st.lists(hostile_block, max_size=6).map("\n\n".join))
def test_any_raw_html_nesting_or_image_path_gives_a_book_or_diagnostics(body):
    front = "---\nslug: fuzz\ntitle: ทดสอบ\ncity: ก\nprovince: ก\narea: ก\nprojects: 1\n---\n\n"
    build_in_copy({"chapters/03-fuzz.md": front + "ข้อความ\n\n" + body + "\n"}, hostile=True)


@SETTINGS
@given(
    place=st.sampled_from(["chapters/02-trang.md", "book.yaml", "fonts/fonts.yaml", "words/names.txt"]),
    at=st.floats(0, 1),
    inserted=st.one_of(
        st.binary(min_size=1, max_size=8),
        st.sampled_from([b"\x00", b"\x1b", b"\xc2\x85", b"\xed\xb2\x80", b"\x80", b"\xe9", b"\xff\xfe", b"*a", b"&a "]),
    ),
)
def test_any_bytes_in_any_project_file_give_a_book_or_diagnostics(place, at, inserted):
    """Bytes put anywhere into a file of each kind: bad bytes are reported with a line, never a crash."""
    original = (MINI / place).read_bytes() if (MINI / place).exists() else "หัวหิน\nแม่สอด\n".encode()
    cut = int(len(original) * at)
    files: dict[str, str | bytes] = {place: original[:cut] + inserted + original[cut:]}
    if place.startswith("words/"):
        files["book.yaml"] = (MINI / "book.yaml").read_text(encoding="utf-8") + "words: [words/*.txt]\n"
    build_in_copy(files)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels, though it holds one row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")
