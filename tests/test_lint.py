"""Thai lint: each code found where it is, fixed where it is safe, silenced where a book says so."""

import subprocess
import sys

import pytest
from conftest import ROOT

from book.thai.lint import fix_text, lint_text

BOTH = {"numerals": "arabic", "lint": {"mai_yamok": "both", "ignore": []}}
AFTER = {"numerals": "arabic", "lint": {"mai_yamok": "after", "ignore": []}}
THAI_DIGITS = {"numerals": "thai", "lint": {"mai_yamok": "both", "ignore": []}}

CASES = [
    ("TH001", "ดําเนินการ", "ดำเนินการ", BOTH),
    ("TH001", "น่ํา", "น่ำ", BOTH),
    ("TH001", "นํ้า", "น้ำ", BOTH),
    ("TH002", "ที่่", "ที่", BOTH),
    ("TH003", "ท่ัว", "ทั่ว", BOTH),
    ("TH004", "เมือง\u200bแห่ง", "เมืองแห่ง", BOTH),
    ("TH005", "ต่างๆ นานา", "ต่าง ๆ นานา", BOTH),
    ("TH005", "ต่าง ๆนานา", "ต่าง ๆ นานา", BOTH),
    ("TH005", "ต่าง ๆ นานา", "ต่างๆ นานา", AFTER),
    ("TH006", "กรุงเทพฯเป็นเมือง", "กรุงเทพฯ เป็นเมือง", BOTH),
    ("TH007", "ปี ๒๕๖๓", "ปี 2563", BOTH),
    ("TH007", "ปี 2563", "ปี ๒๕๖๓", THAI_DIGITS),
    ("TH008", "  เมือง", "เมือง", BOTH),
    ("TH009", "เมือง ", "เมือง", BOTH),
    ("TH010", "เมือง  แห่ง", "เมือง แห่ง", BOTH),
]


@pytest.mark.parametrize(("code", "text", "fixed", "config"), CASES)
def test_each_code_is_found_and_fixed(code, text, fixed, config):
    assert [f.code for f in lint_text(text, config)] == [code]
    assert fix_text(text, config) == fixed
    assert lint_text(fixed, config) == []


def test_clean_text_and_what_must_stay():
    clean = "ฯลฯ กรุงเทพฯ ต่าง ๆ นานา COVID-19 ปี 2563 www.wecitizensthailand.com น้ำ ผู้คน ทั่ว"
    assert lint_text(clean, BOTH) == []
    assert lint_text("COVID-19 และ 3D", THAI_DIGITS) == []
    assert lint_text("บรรทัด  \nถัดไป", BOTH) == []  # two spaces: a Markdown line break
    assert lint_text("    โค้ดที่เยื้อง", BOTH) == []  # an indented code block is left alone


def test_markdown_numbers_are_not_the_books_digits():
    """A list's markers and a footnote's labels stay Arabic in a book set in Thai digits: `[^๑]` would no
    longer meet its note, and the printed list numbers come from the stylesheet, not the source."""
    text = "1. ข้อแรก[^1]\n   2. ข้อย่อย\n\n[^1]: เชิงอรรถ ปี 2563"
    assert [(f.line, f.code) for f in lint_text(text, THAI_DIGITS)] == [(4, "TH007")]
    assert fix_text(text, THAI_DIGITS) == "1. ข้อแรก[^1]\n   2. ข้อย่อย\n\n[^1]: เชิงอรรถ ปี ๒๕๖๓"


def test_a_tables_digits_are_left_to_the_build():
    """The build sets a table's digits (and its caption's) in the book's numerals: the lint leaves them."""
    text = "| ปี | คน |\n|---|--:|\n| 2563 | 120 |\n\nตาราง: ผู้เข้าร่วม 2 ปี\n\nปี 2564"
    assert [(f.line, f.code) for f in lint_text(text, THAI_DIGITS)] == [(7, "TH007")]
    assert fix_text(text, THAI_DIGITS).endswith("| 2563 | 120 |\n\nตาราง: ผู้เข้าร่วม 2 ปี\n\nปี ๒๕๖๔")


def test_findings_have_line_and_column():
    (finding,) = lint_text("---\ntitle: x\n---\n\nบรรทัดแรก\nเมืองต่างๆ", BOTH)[:1]
    assert (finding.line, finding.col, finding.code) == (6, 10, "TH005")


def test_a_book_silences_a_code():
    config = {"numerals": "arabic", "lint": {"mai_yamok": "both", "ignore": ["TH005"]}}
    assert lint_text("ต่างๆ", config) == []


def test_the_default_book_is_clean():
    command = [sys.executable, "build.py", "check", "--lang", "en"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok: ")


def test_check_reports_and_fixes_a_chapter(project):
    path = project / "chapters" / "02-trang.md"
    path.write_text(path.read_text(encoding="utf-8").replace("ย่อม ๆ", "ย่อมๆ").replace("ตรังเป็น", "ตรังเป็น  "), "utf-8")
    command = [sys.executable, "build.py", "check", "--project", str(project), "--lang", "en"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "chapters/02-trang.md:10:67: put a space before ๆ (ต่าง ๆ) [TH005]" in done.stdout
    assert "[TH010]" in done.stdout
    done = subprocess.run([*command, "--fix"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert "fixed chapters/02-trang.md" in done.stdout
    assert "ย่อม ๆ" in path.read_text(encoding="utf-8")
