"""Every user mistake is reported as `file:line: what is wrong [code]`, all at once."""

import re
from pathlib import Path

import pytest
from conftest import problems

from book.project import load_book


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_mini_project_is_valid(project):
    assert problems(project) == []


def test_unknown_key_with_a_suggestion(project):
    text = (project / "book.yaml").read_text(encoding="utf-8").replace("publisher:", "publsher:")
    write(project / "book.yaml", text.replace("title:", "titel:", 1))
    assert problems(project) == [
        "book.yaml:1: titel: unknown key (did you mean 'title'?) [S001]",
        "book.yaml:1: title: missing required key (The book's title.) [S002]",
        "book.yaml:4: publsher: unknown key (did you mean 'publisher'?) [S001]",
    ]


def test_wrong_types_and_values(project):
    text = (project / "book.yaml").read_text(encoding="utf-8")
    text = text.replace("edition: 2", "edition: two").replace("numerals: thai", "numerals: roman")
    write(project / "book.yaml", text + "trim:\n  width: wide\n")
    assert problems(project) == [
        "book.yaml:5: edition: expected a whole number, got 'two' [S003]",
        "book.yaml:7: numerals: expected one of arabic, thai, got 'roman' [S003]",
        f"book.yaml:{len(text.splitlines()) + 2}: trim.width: expected a length like '148mm', got 'wide' [S003]",
    ]


def test_invalid_yaml_names_line_and_column(project):
    write(project / "book.yaml", "title: [unclosed\nid: x\n")
    (found,) = problems(project)
    assert found.startswith("book.yaml:2:")
    assert "invalid YAML" in found and found.endswith("[Y001]")


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("title: เมือง: ที่เรียนรู้", 'the value of title has a colon in it, which YAML reads as a new key: put the '
         'whole value in quotes, title: "เมือง: ที่เรียนรู้" [Y001]'),
        ("title:\tแท็บ", "a tab on this line: YAML indents and separates with spaces only; use spaces instead [Y001]"),
        ("title:ไม่มีช่องว่าง\nslug: nan", "no space after the colon of title: write title: value, with a space after "
         "the colon [Y001]"),
    ],
)  # fmt: skip
def test_the_common_yaml_mistakes_are_named_with_their_fix(project, line, said):
    write(project / "chapters" / "02-trang.md", f"---\n{line}\n---\n\nข้อความ\n")
    assert problems(project) == [f"chapters/02-trang.md:2: {said}"]


def test_a_whole_number_may_be_written_in_thai_digits(project):
    chapter = project / "chapters" / "02-trang.md"
    text = chapter.read_text(encoding="utf-8")
    write(chapter, re.sub(r"(?m)^projects: .*$", "projects: ๑๒", text, count=1))
    assert problems(project) == []
    assert next(c for c in load_book(project).chapters if c.path == chapter).meta["projects"] == 12


def test_front_matter_that_is_not_a_mapping(project):
    write(project / "chapters" / "02-trang.md", "---\n- a list\n- not a mapping\n---\n\nข้อความ\n")
    assert problems(project) == ["chapters/02-trang.md:2: expected a mapping of keys to values [Y002]"]


def test_missing_and_unknown_front_matter_keys_all_at_once(project):
    path = project / "chapters" / "02-trang.md"
    text = path.read_text(encoding="utf-8").replace("province: ตรัง\n", "").replace("projects: 2", "project: 2")
    write(path, text)
    assert problems(project) == [
        "chapters/02-trang.md:2: province: missing required key (The province.) [S002]",
        "chapters/02-trang.md:2: projects: missing required key (How many research projects the city has.) [S002]",
        "chapters/02-trang.md:6: project: unknown key (did you mean 'projects'?) [S001]",
    ]


def test_duplicate_slugs(project):
    path = project / "chapters" / "02-trang.md"
    write(path, path.read_text(encoding="utf-8").replace("slug: trang", "slug: nan"))
    assert problems(project) == [
        "chapters/02-trang.md:2: slug: 'nan' is already used by chapters/01-nan.md; slugs must be unique [C001]"
    ]


def test_a_chapter_listed_but_missing(project):
    with open(project / "book.yaml", "a", encoding="utf-8") as f:
        f.write("order: [00-foreword.md, 01-nan.md, 03-gone.md, 90-credits.md]\n")
    assert problems(project) == ["chapters/03-gone.md: file not found [C002]"]


def test_invalid_utf8_names_line_and_column(project):
    (project / "chapters" / "02-trang.md").write_bytes(b"---\nslug: trang\n" + b"title: \xff\xfe\n---\n")
    assert problems(project) == ["chapters/02-trang.md:3:8: not valid UTF-8 (byte 0xff); save the file as UTF-8 [C003]"]


def test_bom_and_crlf_are_accepted(project):
    path = project / "chapters" / "02-trang.md"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert problems(project) == []


def test_empty_chapter(project):
    write(
        project / "chapters" / "02-trang.md",
        "---\nslug: trang\ntitle: ตรัง\ncity: ตรัง\nprovince: ตรัง\narea: x\nprojects: 1\n---\n\n",
    )
    assert problems(project) == [
        "chapters/02-trang.md:9: the chapter is empty: write its text after the front matter [C004]"
    ]


def test_no_front_matter_is_a_chapter_of_the_default_kind(project):
    """The mini book's chapters are cities unless they say otherwise (`default: true`): a file without front
    matter lacks the city's required fields, named at its first line."""
    write(project / "chapters" / "02-trang.md", "# ตรัง\n\nข้อความที่ไม่มีส่วนหัว\n")
    assert problems(project) == [
        f"chapters/02-trang.md:1: {name}: missing required key ({doc}) [S002]"
        for name, doc in (
            ("city", "The city, printed in the running head."),
            ("province", "The province."),
            ("area", "The research area."),
            ("projects", "How many research projects the city has."),
        )
    ]


def test_font_package_not_installed(project):
    write(project / "fonts" / "fonts.yaml", "Sarabun:\n  package: fontpkg-no-such-font\n  faces: [regular]\n")
    assert problems(project) == [
        "fonts/fonts.yaml:1: Sarabun: font package fontpkg-no-such-font is not installed; "
        "run: pip install fontpkg-no-such-font [F003]"
    ]


def test_not_a_project(tmp_path):
    assert problems(tmp_path) == [f"{tmp_path}: not a book project: no book.yaml here [U001]"]
