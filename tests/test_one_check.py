"""One `check` shows every problem (issue 22): a broken front matter hides neither its chapter's body nor the
Thai lint of the book; characters the book's fonts cannot draw are lint findings, fixed where the fix is
plain; a build counts the lint in its summary and `--strict` refuses it; preflight refuses a PDF that
draws a font's .notdef box."""

import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from conftest import PROJECTS, ROOT, copy_project

from book.diagnostics import Problems
from book.pdf import preflight
from book.pdf.notdef import notdef_pages
from book.pdf.preflighting import Rules
from book.project import drawable
from book.project.fonts import load_fonts
from book.thai.lint import fix_text, lint_text

CHECK_ALL = PROJECTS / "check-all"
SETTINGS = {"numerals": "arabic", "lint": {"mai_yamok": "both", "ignore": []}}
LESSON = "chapters/02-lesson.md"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def sarabun() -> frozenset[int]:
    """What the toolkit's default fonts (Sarabun for the body, Kanit for headings) can draw."""
    fonts = load_fonts(CHECK_ALL, {"body": "Sarabun", "heading": "Kanit"}, Problems(CHECK_ALL))
    return drawable(fonts)


# -- one check run, every problem


def test_one_check_lists_every_problem_of_every_kind(tmp_path):
    project = copy_project(CHECK_ALL, tmp_path / "book")
    done = run("check", "--project", str(project), "--lang", "en")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    expected = [
        "chapters/01-intro.md:2: the value of title has a colon in it",  # the front matter: YAML
        "chapters/01-intro.md:5:10: put a space before ๆ (ต่าง ๆ) [TH005]",  # the lint of that chapter
        "chapters/01-intro.md:5:32: footnote [^note] has no text",  # Markdown in the same chapter's body
        f"{LESSON}:3:7: tone mark before its vowel; type the vowel first [TH003]",
        f"{LESSON}:3:22: U+0093 is a quote or dash of a Windows file read in the wrong encoding",
        f"{LESSON}:3:34: U+0094 is a quote or dash of a Windows file read in the wrong encoding",
        f"{LESSON}:3:51: the book's fonts cannot draw 😀 (U+1F600)",
        f"{LESSON}:5: image map.png: no such file in assets/ [I002]",
    ]
    assert len(lines) == len(expected) + 1, done.stderr
    for line, start in zip(lines, expected, strict=False):  # in this order: by file, line and column
        assert line.startswith(start), (line, start)
    assert lines[-1] == "not ok: 3 error(s), 5 finding(s); every error must be fixed before the book can be built"
    assert done.stdout == ""


def test_the_check_speaks_thai_by_book_yaml():
    done = run("check", "--project", str(CHECK_ALL))
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith("ไม่ผ่าน: ข้อผิดพลาด 3 ข้อ ข้อสังเกต 5 ข้อ")
    assert f"{LESSON}:3:22: U+0093 คือเครื่องหมายคำพูดหรือขีดจากไฟล์ Windows ที่ถูกอ่านผิดรหัส" in done.stderr


def test_json_lists_the_same_problems():
    done = run("check", "--project", str(CHECK_ALL), "--format", "json")
    assert done.returncode == 1
    codes = [d["code"] for d in json.loads(done.stdout)]
    assert codes == ["Y001", "TH005", "M009", "TH003", "TH011", "TH011", "TH011", "I002"]


def test_fix_types_the_quotes_that_the_windows_bytes_stood_for(tmp_path):
    project = copy_project(CHECK_ALL, tmp_path / "book")
    done = run("check", "--project", str(project), "--lang", "en", "--fix")
    assert f"fixed {LESSON}" in done.stdout and "fixed chapters/01-intro.md" in done.stdout
    text = (project / LESSON).read_text(encoding="utf-8")
    assert "ผู้คนทั่วเมืองพูดว่า “เมืองของเรา” ด้วยความภูมิใจ 😀" in text
    assert "เมืองต่าง ๆ เรียนรู้" in (project / "chapters/01-intro.md").read_text(encoding="utf-8")
    codes = [line.rsplit(" [", 1)[-1] for line in done.stderr.splitlines()[:-1]]
    assert codes == ["Y001]", "M009]", "TH011]", "I002]"]  # the emoji stays: no fix is plain for it


def test_a_book_yaml_that_is_not_yaml_still_lets_the_chapters_be_linted(tmp_path):
    project = copy_project(CHECK_ALL, tmp_path / "book")
    (project / "book.yaml").write_text("title: [หนังสือ\n", encoding="utf-8")
    done = run("check", "--project", str(project), "--lang", "en")
    assert done.returncode == 1
    assert "book.yaml:2:1: " in done.stderr  # the YAML, named first
    assert f"{LESSON}:3:7: tone mark before its vowel" in done.stderr
    assert f"{LESSON}:3:22: U+0093" in done.stderr
    assert "TH005" not in done.stderr  # the spaces around ๆ follow the book's settings, unknown here


# -- the lint of characters the fonts cannot draw


def test_windows_quotes_and_dashes_are_found_and_fixed():
    text = "เขาว่า \x93ดี\x94 \x91ก\x92 ก\x96ข\x97ค\x85"
    assert {f.key for f in lint_text(text, SETTINGS)} == {"TH011.windows"}
    assert len(lint_text(text, SETTINGS)) == 7
    assert fix_text(text, SETTINGS) == "เขาว่า “ดี” ‘ก’ ก–ข—ค…"


def test_other_controls_are_found_and_left_alone():
    (finding,) = lint_text("ก\x81\x8dข", SETTINGS)
    assert (finding.line, finding.col, finding.key) == (1, 2, "TH011.control")
    assert "U+0081, U+008D is a control character" in finding.message
    assert fix_text("ก\x81ข", SETTINGS) == "ก\x81ข"


def test_characters_the_fonts_lack_are_found_with_the_fonts(sarabun):
    assert {ord("ก"), ord("“"), ord("—"), ord("A")} <= sarabun
    assert 0x1F600 not in sarabun and 0x93 not in sarabun
    text = "บรรทัดแรก\nยิ้ม 😀🎉 และ ❤\ufe0f\n```\nโค้ด 🙂\n```"
    found = [(f.line, f.col, f.message) for f in lint_text(text, SETTINGS, sarabun)]
    assert [place[:2] for place in found] == [(2, 6), (2, 13)]  # a run is one finding; code blocks are left
    assert "😀 (U+1F600), 🎉 (U+1F389)" in found[0][2]
    assert lint_text(text, SETTINGS) == []  # without the fonts, nothing is guessed
    assert lint_text("เมือง\u200dน่าน", {"lint": {"ignore": ["TH004"]}}, sarabun) == []  # never drawn
    assert lint_text("😀", {"lint": {"ignore": ["TH011"]}}, sarabun) == []


def test_the_default_book_draws_every_character():
    done = run("check", "--lang", "en")
    assert done.returncode == 0 and "TH011" not in done.stdout, done.stdout + done.stderr


# -- preflight: a PDF that draws .notdef


def test_preflight_names_the_pages_that_draw_a_box(tmp_path, sarabun):
    font = load_fonts(CHECK_ALL, {"body": "Sarabun"}, Problems(CHECK_ALL))["body"][0].path
    html = (
        f'<style>@font-face {{ font-family: T; src: url("{font.as_uri()}") }} body {{ font-family: T }}</style>'
        '<p>หน้าแรกไม่มีปัญหา “ก”</p><p style="break-before: page">หน้าสอง \x93ก\x94</p>'
        '<p style="break-before: page">หน้าสาม</p>'
    )
    pdf = tmp_path / "boxes-screen.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    with pikepdf.open(pdf) as opened:
        assert notdef_pages(opened) == {"T": [2]}
    report = preflight(pdf, Rules("screen", 0.0))
    (problem,) = [p for p in report.problems if p.code == "P012"]
    assert problem.severity == "error" and problem.message.startswith("page 2: a character is drawn with")
    clean = tmp_path / "clean-screen.pdf"
    weasyprint.HTML(string=html.replace("\x93", "“").replace("\x94", "”")).write_pdf(clean)
    assert all(p.code != "P012" for p in preflight(clean, Rules("screen", 0.0)).problems)


# -- builds: the lint counted in the summary; --strict refuses it


@pytest.fixture
def quoted(tmp_path) -> Path:
    """A book that builds, with a doubled-space mistake and Windows quotes that print as boxes."""
    project = tmp_path / "quoted"
    (project / "chapters").mkdir(parents=True)
    (project / "book.yaml").write_text("title: หนังสือทดสอบ\n", encoding="utf-8")
    text = "# บทแรก\n\nเมืองต่างๆ พูดว่า \x93เมืองของเรา\x94 ด้วยความภูมิใจ\n"
    (project / "chapters" / "01-first.md").write_text(text, encoding="utf-8")
    return project


def test_a_build_counts_the_lint_and_preflight_refuses_the_boxes(quoted, tmp_path):
    out = tmp_path / "out"
    done = run("print", "--project", str(quoted), "--out", str(out), "--lang", "en")
    assert "Thai lint: 3 finding(s) (TH011 ×2, TH005 ×1); run `check` to see them" in done.stdout.splitlines()
    assert done.returncode == 1  # the boxes: not print-ready
    assert "-print.pdf: page 5: a character is drawn with the font's .notdef glyph" in done.stderr
    checked = run("check", "--project", str(quoted), "--pdf", str(out / "quoted-print.pdf"), "--lang", "en")
    assert checked.returncode == 1 and "[P012]" in checked.stdout
    thai = run("print", "--project", str(quoted), "--out", str(out))
    assert "ตรวจภาษาไทย: ข้อสังเกต 3 ข้อ (TH011 ×2, TH005 ×1) สั่ง check เพื่อดูว่าอยู่ตรงไหน" in thai.stdout


def test_strict_refuses_the_lint_before_anything_is_written(quoted, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "quoted-print.pdf").write_bytes(b"the last good build")
    done = run("print", "--project", str(quoted), "--out", str(out), "--lang", "en", "--strict")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "chapters/01-first.md:3:10: put a space before ๆ (ต่าง ๆ) [TH005]" in done.stderr.splitlines()
    assert done.stderr.splitlines()[-1] == "3 problem(s); nothing was written."
    assert (out / "quoted-print.pdf").read_bytes() == b"the last good build"
    assert sorted(p.name for p in out.iterdir()) == ["quoted-print.pdf"]
    fixed = run("check", "--project", str(quoted), "--fix", "--lang", "en")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert run("print", "--project", str(quoted), "--out", str(out), "--strict").returncode == 0
