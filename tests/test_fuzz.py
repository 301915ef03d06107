"""Fuzzing with Hypothesis: generated front matter, Markdown (Thai with random marks, invisible characters
and the book's block syntax) and book.yaml values go through reading, rendering and lint. The only allowed
failure is a BookError: a diagnostic for the user, never a crash.

CI runs a moderate number of examples; for a long fuzz run:
    THAIBOOK_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

import os
import tempfile
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


def build_in_copy(files: dict[str, str]) -> None:
    """Write `files` into a copy of the mini project, then read, render and lint it."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "book"
        copy_project(MINI, project)
        for name, text in files.items():
            (project / name).write_text(text, encoding="utf-8")
        try:
            book = load_book(project)
            render_pages(book)
        except BookError as error:
            assert error.diagnostics, "a BookError always says what is wrong"
            assert all(d.code and d.message for d in error.diagnostics)
        for text in files.values():
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
