"""The book four times as long that benchmarks/build.py builds is a valid book: each city chapter repeated
under new slugs and infographic ids (artwork copied), in the chapter order, passing `check`.
The benchmark itself is not run here: it measures speed and only prints figures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import benchmark_script

from book.cli.commands import main
from book.project.reading import load_book

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "projects" / "mini"


@pytest.fixture(scope="module")
def benchmark():  # noqa: ANN201 - the benchmark script as a module
    yield benchmark_script("build")
    del sys.modules["benchmark_build"]


@pytest.mark.parametrize("source", [MINI, ROOT], ids=["mini", "default"])
def test_four_times_the_cities_pass_check(benchmark, source: Path, tmp_path: Path) -> None:
    project = tmp_path / "book"
    benchmark.copy_book(project, source)
    benchmark.repeat_cities(project)

    assert main(["check", "--project", str(project)]) == 0
    original, longer = load_book(source), load_book(project)
    assert len(longer.numbered) == 4 * len(original.numbered)
    assert len(longer.chapters) == len(original.chapters) + 3 * len(original.numbered)
    assert len(longer.infographics) == len(original.infographics) + 3 * sum(
        len(c.infographics) for c in original.numbered
    )
    # Each copy follows the chapter it repeats, and has what the original has (artwork included).
    slugs = [c.slug for c in longer.chapters]
    for city in original.numbered:
        at = slugs.index(city.slug)
        assert slugs[at : at + 4] == [city.slug, f"{city.slug}-2", f"{city.slug}-3", f"{city.slug}-4"]
    drawn = {f.id for f in original.infographics if f.artwork}
    assert {f.id for f in longer.infographics if f.artwork} == drawn | {f"{i}-{n}" for i in drawn for n in (2, 3, 4)}


def test_the_edits_change_one_word_and_add_one_paragraph(benchmark) -> None:
    chapter = next(p for p in benchmark.cities(ROOT) if p.name.startswith("10-"))
    text, edited = benchmark.one_word_edit(chapter)
    lines = text.split("\n")
    changed = [n for n, (a, b) in enumerate(zip(lines, edited.split("\n"), strict=True)) if a != b]
    assert len(changed) == 1
    assert changed[0] > lines.index("---", 1)  # in the body, not the front matter
    assert changed[0] in benchmark.prose_lines(text)
    assert len(edited) == len(text) and edited != text

    longer = benchmark.with_paragraph(text, 600).split("\n")
    added = [line for line in longer if line not in text.split("\n")]
    assert len(added) == 1 and 300 < len(added[0]) <= 600 and "[^" not in added[0]
