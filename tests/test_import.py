"""`import FILE.docx`: Word documents made here part by part (the OOXML written with zipfile: footnotes need
raw XML anyway), in Thai, imported into copies of the mini project; the Markdown, the pictures, the lint's
findings, then `check` and the print PDF on the result; and every kind of bad file, refused with one line that
names it and nothing written."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf
import pytest
from conftest import MINI, ROOT, copy_project, pdftotext
from PIL import Image

from book.cli.commands import main

# -- Word files, part by part

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def run(text: str, bold: bool = False, italic: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, style: str | None = None, numbered: int | None = None, level: int = 0) -> str:
    """A paragraph of `runs` (plain strings are runs of text); `numbered` 1 is a bulleted list, 2 a numbered one."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if numbered is not None:
        props += f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{numbered}"/></w:numPr>'
    body = "".join(r if r.startswith("<") else run(r) for r in runs)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>"


def heading(level: int, text: str) -> str:
    return para(text, style=f"Heading{level}")


def note_call(number: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{number}"/></w:r>'


def line_break() -> str:
    return "<w:r><w:br/></w:r>"


def picture(number: int, description: str = "") -> str:
    """The `number`th picture of the file's `media` (1-based), inline, with its description (alt text)."""
    return (
        '<w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="635000"/>'
        f'<wp:docPr id="{number}" name="Picture {number}" descr="{escape(description)}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        f'<pic:blipFill><a:blip r:embed="rId{99 + number}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )


def cell(text: str, across: int = 1, merge: str | None = None) -> str:
    props = f'<w:gridSpan w:val="{across}"/>' if across > 1 else ""
    props += {None: "", "restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}[merge]
    return f"<w:tc>{f'<w:tcPr>{props}</w:tcPr>' if props else ''}{para(text)}</w:tc>"


def table(*rows: list[str]) -> str:
    """A table whose first row repeats as its header; plain strings are cells of text."""
    out = []
    for index, row in enumerate(rows):
        props = "<w:trPr><w:tblHeader/></w:trPr>" if index == 0 else ""
        out.append(f"<w:tr>{props}{''.join(c if c.startswith('<') else cell(c) for c in row)}</w:tr>")
    return f"<w:tbl>{''.join(out)}</w:tbl>"


STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {NAMESPACES}>'
    + "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/></w:style>'
        for n in range(1, 5)
    )
    + '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/></w:style>'
    + "</w:styles>"
)
LEVELS = '<w:lvl w:ilvl="0"><w:numFmt w:val="{0}"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="{0}"/></w:lvl>'
NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NAMESPACES}>'
    f'<w:abstractNum w:abstractNumId="0">{LEVELS.format("bullet")}</w:abstractNum>'
    f'<w:abstractNum w:abstractNumId="1">{LEVELS.format("decimal")}</w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    "</w:numbering>"
)


def word_file(
    body: list[str],
    notes: tuple[str, ...] = (),
    media: dict[str, bytes] | None = None,
    title: str | None = None,
    extra: dict[str, bytes | str] | None = None,
    related: str = "",
) -> bytes:
    """A .docx: `body` its paragraphs' XML, `notes` each footnote's text, `media` its pictures (related as
    rId100, rId101... in order), `title` its properties' title, `extra` more parts, as they are, and `related`
    more of the document's relationships."""
    media = media or {}
    relations = [("rIdStyles", "styles", "styles.xml"), ("rIdNumbering", "numbering", "numbering.xml")]
    relations += [("rIdNotes", "footnotes", "footnotes.xml")]
    relations += [(f"rId{100 + i}", "image", f"media/{name}") for i, name in enumerate(media)]
    footnotes = "".join(f'<w:footnote w:id="{i}">{para(text)}</w:footnote>' for i, text in enumerate(notes, 1))
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/><Default Extension="emf" ContentType="image/x-emf"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        f'<Relationship Id="rId1" Type="{RELATIONSHIP}/officeDocument" Target="word/document.xml"/>'
        f'<Relationship Id="rId2" Type="{PACKAGE}/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>",
        "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"{f'<dc:title>{escape(title)}</dc:title>' if title else ''}</cp:coreProperties>",
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:document {NAMESPACES}><w:body>{''.join(body)}</w:body></w:document>",
        "word/_rels/document.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
        + "".join(f'<Relationship Id="{i}" Type="{RELATIONSHIP}/{t}" Target="{to}"/>' for i, t, to in relations)
        + f"{related}</Relationships>",
        "word/styles.xml": STYLES,
        "word/numbering.xml": NUMBERING,
        "word/footnotes.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {NAMESPACES}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p/></w:footnote>'
        f"{footnotes}</w:footnotes>",
        **{f"word/media/{name}": data for name, data in media.items()},
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def photo(width: int = 1200, height: int = 800) -> bytes:  # sharp enough to print at column width
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (190, 90, 40)).save(buffer, "PNG")
    return buffer.getvalue()


PHOTO = photo()
# A chapter as an editor writes one in Word, with what Word leaves in Thai text: a zero-width space, a soft
# hyphen, a run of no-break spaces, a line break (Shift+Enter) in the middle of a sentence.
CHAPTER = word_file(
    [
        heading(1, "น่าน เมืองริมน้ำ"),
        para(
            "เมืองน่าน\u200bตั้งอยู่ริมแม่น้ำ มีทั้ง",
            run("ตัวหนา", bold=True),
            "และ",
            run("ตัวเอียง ", italic=True),
            "ปนกันไป",
            note_call(1),
        ),
        para("ผู้คนเรียน\u00adรู้จากแม่", line_break(), "น้ำมาหลายชั่วอายุคน\u00a0\u00a0\u00a0ในปี ๒๕๖๗"),
        heading(2, "ผู้คนริมน้ำ"),
        para("ชาวประมง", numbered=1),
        para("ช่างเรือ", numbered=1, level=1),
        para("ชาวสวน", numbered=1),
        para("ตื่นเช้า", numbered=2),
        para("ออกเรือ", numbered=2, level=1),
        heading(3, "ตลาดเช้า"),
        table(["สินค้า", "ราคา"], ["ปลาแม่น้ำ", "๘๐ บาท"], ["ผักริมน้ำ", "๒๐ บาท"]),
        para(picture(1, "เรือหาปลาบนแม่น้ำน่านยามเช้า")),
        para("ย่อหน้าสุดท้ายของบท"),
    ],
    notes=("เล่าโดยชาวบ้านริมน้ำ",),
    media={"image1.png": PHOTO},
)
MARKDOWN = """\
---
title: น่าน เมืองริมน้ำ
slug: nan-river
kind: chapter
---

เมืองน่านตั้งอยู่ริมแม่น้ำ มีทั้ง**ตัวหนา**และ*ตัวเอียง* ปนกันไป[^note-1]

ผู้คนเรียนรู้จากแม่น้ำมาหลายชั่วอายุคน ในปี ๒๕๖๗

## ผู้คนริมน้ำ

- ชาวประมง
    - ช่างเรือ
- ชาวสวน

<!-- -->

๑. ตื่นเช้า
    ๑. ออกเรือ

### ตลาดเช้า

| สินค้า | ราคา |
| --- | --- |
| ปลาแม่น้ำ | ๘๐ บาท |
| ผักริมน้ำ | ๒๐ บาท |

![เรือหาปลาบนแม่น้ำน่านยามเช้า](nan-river/image1.png)

ย่อหน้าสุดท้ายของบท

[^note-1]: เล่าโดยชาวบ้านริมน้ำ
"""


def thaibook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """CHAPTER imported into a copy of the mini project by the command line, as an editor runs it."""
    folder = tmp_path_factory.mktemp("import")
    project = copy_project(MINI, folder / "book")
    source = folder / "บทน่าน.docx"
    source.write_bytes(CHAPTER)
    done = thaibook("import", str(source), "--slug", "nan-river", "--project", str(project), "--lang", "en")
    return {"project": project, "done": done}


def test_the_chapter_is_written_as_the_toolkit_s_markdown(imported):
    done, project = imported["done"], imported["project"]
    assert done.returncode == 0, done.stdout + done.stderr
    chapter = project / "chapters" / "03-nan-river.md"  # after the last chapter, before the back matter
    assert chapter.read_text(encoding="utf-8") == MARKDOWN
    assert not re.search("[\u200b\u00ad\u00a0]", chapter.read_text(encoding="utf-8"))
    assert f"wrote {Path('chapters', '03-nan-river.md')}" in done.stdout
    assert "imported from บทน่าน.docx: pictures 1, tables 1, footnotes 1" in done.stdout


def test_the_picture_is_saved_under_the_slug(imported):
    saved = imported["project"] / "assets" / "nan-river" / "image1.png"
    assert saved.read_bytes() == PHOTO
    assert "wrote assets/nan-river/image1.png" in imported["done"].stdout


def test_the_thai_lint_is_run_on_the_new_chapter(tmp_path):
    """The mini book is set in Thai numerals: the Arabic 80 of a price is the lint's, with file:line:col, and
    the import still succeeds."""
    project = copy_project(MINI, tmp_path / "book")
    source = tmp_path / "market.docx"
    source.write_bytes(word_file([heading(1, "ตลาด"), para("ปลาราคา 80 บาท  ต่อกิโล")]))
    done = thaibook("import", str(source), "--project", str(project), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "chapters/03-market.md:7:9: Arabic digits in a book set in Thai numerals [TH007]" in done.stdout
    assert "the Thai lint has 1 findings to look at" in done.stdout
    assert "TH010" not in done.stdout  # the doubled space was Word's, and is gone


def test_the_imported_chapter_checks_and_builds_into_the_print_pdf(imported, tmp_path):
    """With front matter of `title:`, `slug:` and `kind: chapter` (a plain chapter, even where the book's own
    default kind wants fields of its own), `check` passes and the chapter prints with its table, footnote and
    picture."""
    from book.building import build

    project = imported["project"]
    check = thaibook("check", "--project", str(project), "--lang", "en")
    assert check.returncode == 0, check.stdout + check.stderr
    result = build(project, tmp_path / "out", ("print",))
    printed = next(o.path for o in result.outputs if o.path.name.endswith("-print.pdf"))
    pages = pdftotext(printed).split("\f")
    start = next(i for i, page in enumerate(pages) if "ตลาดเช้า" in page)
    text = re.sub(r"\s+", "", "".join(pages[start - 1 : start + 2]))
    for words in ("ปลาแม่น้ำ", "ผักริมน้ำ", "เล่าโดยชาวบ้านริมน้ำ", "ย่อหน้าสุดท้ายของบท"):
        assert words in text
    with pikepdf.open(printed) as pdf:
        sizes = [
            (int(image.Width), int(image.Height))
            for page in pdf.pages[start - 1 : start + 2]
            for image in page.images.values()
        ]
    assert (1200, 800) in sizes


def test_a_table_with_merged_cells_and_a_picture_without_description_are_named(tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    source = tmp_path / "merged.docx"
    merged = table(
        [cell("รวมทั้งปี", across=2)], [cell("ต้นปี", merge="restart"), "ฝนตก"], [cell("", merge="continue"), "น้ำหลาก"]
    )
    body = [heading(1, "ฤดูกาล"), para("ย่อหน้า"), merged, para(picture(1))]
    source.write_bytes(word_file(body, media={"image1.png": PHOTO}))
    done = thaibook("import", str(source), "--project", str(project), "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "chapters/03-merged.md:9: table 1 has merged cells" in done.stdout
    assert "chapters/03-merged.md:14: picture merged/image1.png has no description in Word" in done.stdout
    text = (project / "chapters" / "03-merged.md").read_text(encoding="utf-8")
    assert "| รวมทั้งปี | |\n| --- | --- |\n| ต้นปี | ฝนตก |\n| | น้ำหลาก |" in text
    assert "![](merged/image1.png)" in text


def test_the_title_comes_from_the_properties_without_a_heading_1(tmp_path):
    project = copy_project(MINI, tmp_path / "book")
    source = tmp_path / "river-notes.docx"
    source.write_bytes(word_file([heading(2, "ต้นน้ำ"), para("ย่อหน้า")], title="บันทึกแม่น้ำ"))
    done = thaibook("import", str(source), "--project", str(project), "--lang", "th")
    assert done.returncode == 0, done.stderr
    assert "ใช้ชื่อเรื่อง 'บันทึกแม่น้ำ' จากคุณสมบัติของเอกสาร" in done.stdout
    text = (project / "chapters" / "03-river-notes.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: บันทึกแม่น้ำ\nslug: river-notes\nkind: chapter\n---\n\n## ต้นน้ำ\n")


def test_an_existing_chapter_is_never_overwritten_without_force(tmp_path, capsys):
    project = copy_project(MINI, tmp_path / "book")
    source = tmp_path / "again.docx"
    source.write_bytes(word_file([heading(1, "ซ้ำ"), para(picture(1, "ภาพ"))], media={"image1.png": PHOTO}))
    assert main(["import", str(source), "--project", str(project), "--lang", "en"]) == 0
    chapter = project / "chapters" / "03-again.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nแก้แล้ว\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(source), "--project", str(project), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "chapters/03-again.md: import: this chapter already has the slug 'again'" in err and "[U109]" in err
    assert "แก้แล้ว" in chapter.read_text(encoding="utf-8")
    assert main(["import", str(source), "--project", str(project), "--lang", "en", "--force"]) == 0
    assert "แก้แล้ว" not in chapter.read_text(encoding="utf-8")
    assert sorted(p.name for p in (project / "chapters").iterdir()).count("03-again.md") == 1


def test_a_picture_already_there_is_not_overwritten(tmp_path, capsys):
    project = copy_project(MINI, tmp_path / "book")
    (project / "assets" / "kept").mkdir()
    (project / "assets" / "kept" / "image1.png").write_bytes(b"the editor's own")
    source = tmp_path / "kept.docx"
    source.write_bytes(word_file([heading(1, "ภาพ"), para(picture(1, "ภาพ"))], media={"image1.png": PHOTO}))
    assert main(["import", str(source), "--project", str(project), "--lang", "en"]) == 2
    assert "assets/kept/image1.png: import: this picture already exists" in capsys.readouterr().err
    assert (project / "assets" / "kept" / "image1.png").read_bytes() == b"the editor's own"
    assert not (project / "chapters" / "03-kept.md").exists()


def test_a_folder_linked_out_of_the_project_is_not_written_into(tmp_path, capsys):
    project = copy_project(MINI, tmp_path / "book")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "assets" / "linked").symlink_to(elsewhere)
    source = tmp_path / "linked.docx"
    source.write_bytes(word_file([heading(1, "ภาพ"), para(picture(1, "ภาพ"))], media={"image1.png": PHOTO}))
    assert main(["import", str(source), "--project", str(project), "--lang", "en"]) == 2
    assert "linked: import: this folder leads outside the project" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == [] and not (project / "chapters" / "03-linked.md").exists()


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def damaged() -> bytes:
    """CHAPTER with a byte of its document's packed data changed: its checksum no longer matches."""
    data = bytearray(CHAPTER)
    with zipfile.ZipFile(io.BytesIO(CHAPTER)) as archive:
        member = archive.getinfo("word/document.xml")
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    data[start + member.compress_size // 2] ^= 0xFF
    return bytes(data)


BAD = {
    "a text file": ("notes.docx", "ข้อความธรรมดา ไม่ใช่ไฟล์ Word".encode(), "U102"),
    "an old Word file": ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "U102"),
    "a zip that is no document": ("photos.docx", zip_of({"photo.png": PHOTO}), "U102"),
    "a cut-off zip": ("cut.docx", CHAPTER[: len(CHAPTER) // 2], "U103"),
    "a damaged part": ("damaged.docx", damaged(), "U103"),
    "a zip bomb": ("bomb.docx", word_file([para("ก")], extra={"word/bomb.xml": b" " * (4 * 2**20)}), "U105"),
    "a name that climbs out": ("climb.docx", word_file([para("ก")], extra={"../../evil.sh": b"x"}), "U106"),
    "an empty document": ("empty.docx", word_file([heading(1, "ชื่อเรื่องอย่างเดียว"), para("")]), "U114"),
    "a DOCTYPE": (
        "entity.docx",
        word_file([para("ก")], extra={"word/x.xml": b"<!DOCTYPE x [<!ENTITY a 'b'>]>"}),
        "U107",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_refused_with_one_line_and_nothing_written(case, tmp_path, capsys):
    name, data, code = BAD[case]
    project = copy_project(MINI, tmp_path / "book")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    source = tmp_path / name
    source.write_bytes(data)
    assert main(["import", str(source), "--project", str(project), "--lang", "en"]) in (1, 2)
    out, err = capsys.readouterr()
    assert f"{source}: import: " in err and f"[{code}]" in err and "Traceback" not in err + out
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_a_missing_file_a_folder_and_a_huge_file_are_refused(tmp_path, capsys):
    project = copy_project(MINI, tmp_path / "book")
    huge = tmp_path / "huge.docx"
    with open(huge, "wb") as sparse:
        sparse.truncate(100 * 2**20 + 1)  # no disk used: refused by its size before a byte is read
    for source, code, said in (
        (tmp_path / "missing.docx", 2, "import: no such file [U101]"),
        (tmp_path, 2, "import: this is a folder"),
        (huge, 1, "import: the file is 100.0 MB, over the 100 MB a Word file may be"),
    ):
        assert main(["import", str(source), "--project", str(project), "--lang", "en"]) == code
        err = capsys.readouterr().err
        assert f"{source}: {said}" in err and "Traceback" not in err
    assert not list((project / "chapters").glob("03-*"))


def test_a_thai_file_name_makes_a_romanized_slug_and_a_bad_slug_is_refused(tmp_path, capsys):
    project = copy_project(MINI, tmp_path / "book")
    source = tmp_path / "ตลาดเช้า.docx"
    source.write_bytes(word_file([heading(1, "ตลาดเช้า"), para("ย่อหน้า")]))
    assert main(["import", str(source), "--project", str(project), "--slug", "Market!", "--lang", "en"]) == 2
    assert "Market!: import: --slug must be lowercase" in capsys.readouterr().err
    assert main(["import", str(source), "--project", str(project), "--lang", "en"]) == 0
    assert [p.name for p in (project / "chapters").glob("03-*")] == ["03-tlat-chao.md"]  # ตลาด เช้า, word by word


TOC_STYLE = '<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style></w:styles>'


def test_the_rest_of_word_links_endnotes_its_contents_and_a_drawing(tmp_path):
    """A link, an endnote, Word's own table of contents (left out), text that looks like Markdown (escaped), an
    EMF drawing (left out, named); with `order:` in book.yaml the new chapter is listed after the last one."""
    project = copy_project(MINI, tmp_path / "book")
    with open(project / "book.yaml", "a", encoding="utf-8") as config:
        config.write(
            "order:\n  - 00-foreword.md\n  - 01-nan.md\n  - 02-trang.md\n  - 90-credits.md\n  - 99-colophon.md\n"
        )
    endnotes = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:endnotes {NAMESPACES}><w:endnote w:id="1">'
        f"{para('อ้างอิงท้ายเรื่อง')}</w:endnote></w:endnotes>"
    )
    relations = (
        f'<Relationship Id="rIdEnd" Type="{RELATIONSHIP}/endnotes" Target="endnotes.xml"/>'
        f'<Relationship Id="rIdLink" Type="{RELATIONSHIP}/hyperlink" Target="https://example.org/a b" '
        'TargetMode="External"/>'
    )
    body = [
        heading(1, "อื่น ๆ"),
        para("สารบัญ ........ 3", style="TOC1"),
        para("ข้อความ", '<w:r><w:endnoteReference w:id="1"/></w:r>'),
        para('<w:hyperlink r:id="rIdLink"><w:r><w:t>เว็บไซต์</w:t></w:r></w:hyperlink>'),
        para(picture(1, "แผนผัง")),
        para("# ไม่ใช่หัวเรื่อง *ดาว* [วงเล็บ] <b>แท็ก</b>"),
        para("::: infographic ไม่ใช่บล็อก"),
    ]
    data = word_file(
        body,
        media={"image1.emf": b"\x01\x00\x00\x00" + bytes(100)},
        extra={"word/endnotes.xml": endnotes, "word/styles.xml": STYLES.replace("</w:styles>", TOC_STYLE)},
        related=relations,
    )
    source = tmp_path / "other.docx"
    source.write_bytes(data)
    done = thaibook("import", str(source), "--project", str(project), "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "picture 1 is image/x-emf, which a book cannot use, so it was left out" in done.stdout
    text = (project / "chapters" / "03-other.md").read_text(encoding="utf-8")
    assert "สารบัญ" not in text and "image1" not in text
    assert "ข้อความ[^note-1]\n" in text and "[^note-1]: อ้างอิงท้ายเรื่อง\n" in text
    assert "[เว็บไซต์](https://example.org/a%20b)" in text
    assert "\\# ไม่ใช่หัวเรื่อง \\*ดาว\\* \\[วงเล็บ\\] &lt;b>แท็ก&lt;/b>" in text
    assert "&#58;:: infographic ไม่ใช่บล็อก" in text
    assert "  - 02-trang.md\n  - 03-other.md\n  - 90-credits.md\n" in (project / "book.yaml").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("word", "markdown"),
    [
        ("ภาษา\u200bไทย\u200c\ufeff", "ภาษาไทย"),  # zero-width characters and a BOM: gone
        ("ยัติ\u00adภังค์", "ยัติภังค์"),  # a soft hyphen: gone
        ("ช่อง\u00a0\u00a0\u00a0ว่าง\t\tแท็บ", "ช่อง ว่าง แท็บ"),  # runs of no-break spaces and tabs: one space
        ("พ.ศ.\u00a0๒๕๖๗", "พ.ศ.\u00a0๒๕๖๗"),  # one no-break space between two words was meant: kept
        ("ตัด\x00คำ", "ตัดคำ"),  # a line break (\x00 here) between Thai letters: joined
        ("Thai\x00ไทย", "Thai ไทย"),  # any other: a space
        ("ท้าย \x00ประโยค", "ท้าย ประโยค"),
        ("เลข ๑๒๓ และ 456", "เลข ๑๒๓ และ 456"),  # digits as written
    ],
)
def test_thai_text_comes_through_clean(word, markdown):
    from book.cli.importing import BREAK, _escape, _paragraph

    assert _paragraph(BREAK.join(_escape(part) for part in word.split("\x00"))) == markdown
