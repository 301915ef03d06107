"""Page economy: the blank pages a print edition has, and why (versos before right-hand openings, the last
signature's fill), chapters that open on any page (`opening: any`), and the advice when a book runs a few pages
over a signature."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from book.building import build
from book.pdf import lay_out_interior, print_parts
from book.pdf.interior import signature_advice
from book.project import load_book
from book.render import render_pages
from book.scheduler import project_cache
from tests.conftest import PROJECTS, copy_project, output, pdftotext

BLANK = re.compile(r"; (\d+) blank: (\d+) versos? before right-hand openings, (\d+) to fill the last signature")


def chapters(tmp_path: Path, opening: str) -> Path:
    """A book of three short chapters (a page or two each), opening as `opening` says."""
    project = copy_project(PROJECTS / "floats", tmp_path / opening)
    folder = project / "chapters"
    text = (folder / "01-river.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    paragraphs = [p for p in body.split("\n\n") if p.startswith("ย่อหน้าที่")]
    (folder / "01-river.md").unlink()
    for number, (title, count) in enumerate((("ต้นน้ำ", 9), ("กลางน้ำ", 4), ("ปลายน้ำ", 9)), start=1):
        page = f"---\ntitle: {title}\n---\n\n" + "\n\n".join(paragraphs[:count]) + "\n"
        (folder / f"0{number}-{title}.md").write_text(page, encoding="utf-8")
    yaml = project / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + f"opening: {opening}\n", encoding="utf-8")
    return project


def laid_out(project: Path):  # noqa: ANN201 - an Interior
    book = load_book(project)
    return lay_out_interior(book, render_pages(book), (), project_cache(project, False))


def test_chapters_open_on_any_page_without_blank_versos(tmp_path: Path) -> None:
    right, anywhere = laid_out(chapters(tmp_path, "right")), laid_out(chapters(tmp_path, "any"))
    assert right.blank > anywhere.blank
    assert anywhere.pages < right.pages
    sides = [part.shapes[0].side for part in anywhere.parts_laid_out]
    flows = [part.flows for part in load_and_cut(tmp_path / "any")]
    assert "left" in sides, sides  # a chapter after one of odd length opens on the left
    assert all(side == "right" for side, flow in zip(sides, flows, strict=True) if not flow)
    assert flows.count(True) == 2  # the body's first chapter still opens on a right-hand page


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs Linux's CPU affinity")
def test_in_one_process_each_chapter_is_laid_out_once_on_its_own_side(tmp_path: Path) -> None:
    """With one core, the parts go in the book's order, each on the side the parts before it leave: none is
    laid out on the right first and again on the left. The pages are those the workers make."""
    shared = laid_out(chapters(tmp_path, "any"))
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        alone = laid_out(chapters(tmp_path / "alone", "any"))
    finally:
        os.sched_setaffinity(0, allowed)
    assert (alone.laid_out, alone.parts) == (alone.parts, len(load_and_cut(tmp_path / "alone" / "any")))
    assert "left" in [part.shapes[0].side for part in alone.parts_laid_out]
    assert [part.shapes for part in alone.parts_laid_out] == [part.shapes for part in shared.parts_laid_out]
    assert alone.starts == shared.starts


def load_and_cut(project: Path) -> tuple:
    book = load_book(project)
    return print_parts(book, render_pages(book)).items


def test_a_chapter_opens_on_a_left_hand_page_of_the_joined_pdf(tmp_path: Path) -> None:
    result = build(chapters(tmp_path, "any"), tmp_path / "out", targets=("print",), cache=False)
    pages = pdftotext(output(result, "-print.pdf"), "-layout").split("\f")
    opened = [number for number, text in enumerate(pages, start=1) if re.search(r"บทที่ [23]\b", text)]
    assert len(opened) == 2
    assert any(number % 2 == 0 for number in opened), opened  # an even page: a left-hand one


def test_the_summary_counts_the_blank_pages_and_says_why(tmp_path: Path) -> None:
    result = build(chapters(tmp_path, "right"), tmp_path / "out", targets=("print",), cache=False)
    detail = next(o.detail for o in result.outputs if o.path.name.endswith("-print.pdf"))
    found = BLANK.search(detail)
    assert found, detail
    total, versos, fill = map(int, found.groups())
    assert total == versos + fill
    assert versos >= 2  # two chapters of odd length before chapters that open on the right


def test_a_book_a_few_pages_over_a_signature_is_told_what_saves_them() -> None:
    book = load_book(PROJECTS / "floats")
    advice = signature_advice(book, 34, 3, 16)
    assert advice is not None and advice.code == "F101" and advice.severity == "warning"
    assert "opening: any" in advice.message and "print.signature: 8" in advice.message
    assert "runs 2 page(s) over 2 signature(s) of 16: 14 blank pages fill the last one" in advice.message
    assert "print.signature: 8 (6 blank pages instead of 14)" in advice.message
    assert "print.signature: 8 (หน้าว่าง 6 หน้าแทน 14 หน้า)" in advice.message_th
    assert "opening: any (หน้าว่างด้านซ้ายก่อนบทหายไปได้ถึง 3 หน้า)" in advice.message_th
    assert signature_advice(book, 37, 3, 16) is not None  # 5 over, 11 blank pages: still worth saying
    assert signature_advice(book, 38, 3, 16) is None  # 6 over: more than a few pages
    assert signature_advice(book, 40, 3, 16) is None  # half a signature over: not a few pages
    assert signature_advice(book, 48, 3, 16) is None  # whole signatures


def test_the_default_book_has_at_most_eight_blank_pages(default_book) -> None:  # noqa: ANN001
    detail = next(o.detail for o in default_book.outputs if o.path.name.endswith("-print.pdf"))
    found = BLANK.search(detail)
    assert found, detail
    assert int(found.group(1)) <= 8
