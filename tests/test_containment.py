"""Containment in every output: whatever a project names, no output (the print, screen and cover PDFs, the EPUB,
the HTML export) reads a file outside the project's folders, a hidden file of the project, or anything a
symlink leads to outside them; each refusal is a diagnostic (G1xx), and chapters never attach files to a PDF.

The hostile projects are under tests/projects/hostile-*/; what must lie outside them (the secret, and the
symlinks that lead to it) is made here, in tmp_path, at run time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECTS, ROOT, copy_project, pdftotext, run_epubcheck, severities

from book import PACKAGE as TOOLKIT
from book.building import build
from book.diagnostics.problems import BookError
from book.project import FontFace, gate, project_file, readable
from book.project.reading import load_book
from book.publish import write_print_html

SECRETS = ("OUTSIDE-SECRET", "HIDDEN-SECRET")
MINI_FONT = Path("/nonexistent")  # a font's bytes do not matter: the file is refused before it is read
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><text y="9">{}</text></svg>'


def hostile(name: str, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of tests/projects/`name` in tmp_path/book, beside tmp_path/OUTSIDE with the secrets; in its
    chapters and book.yaml, `/ABS_OUTSIDE` becomes that folder's absolute path (left as it is, it is as
    absolute and as refused)."""
    outside = tmp_path / "OUTSIDE"
    outside.mkdir()
    (outside / "secret.txt").write_text("OUTSIDE-SECRET as text\n", encoding="utf-8")
    (outside / "secret.svg").write_text(SVG.format("OUTSIDE-SECRET"), encoding="utf-8")
    (outside / "secret.md").write_text("---\nslug: secret\ntitle: OUTSIDE-SECRET\n---\n\nOUTSIDE-SECRET\n")
    (outside / "secret.ttf").write_bytes((MINI_FONT.read_bytes() if MINI_FONT.is_file() else b"") + b"OUTSIDE-SECRET")
    project = copy_project(PROJECTS / name, tmp_path / "book")
    for file in [project / "book.yaml", *(project / "chapters").glob("*.md")]:
        text = file.read_text(encoding="utf-8")
        file.write_text(text.replace("/ABS_OUTSIDE", str(outside)), encoding="utf-8")
    return project, outside


def diagnostics(project: Path) -> list[str]:
    """What reading `project` reports, as printed; it must fail, naming no secret."""
    with pytest.raises(BookError) as error:
        load_book(project)
    found = [str(d) for d in error.value.diagnostics]
    assert not [line for line in found if any(secret in line for secret in SECRETS)]
    return found


def leaks(folder: Path) -> list[str]:
    """Every place under `folder` where a secret shows: a file's bytes, an EPUB's entries, a PDF's streams
    (decoded), its embedded files and its text."""
    found = []
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        parts = {file.name: file.read_bytes()}
        if file.suffix == ".epub":
            with zipfile.ZipFile(file) as epub:
                parts |= {f"{file.name}!{entry}": epub.read(entry) for entry in epub.namelist()}
        if file.suffix == ".pdf":
            with pikepdf.open(file) as pdf:
                assert not pdf.attachments, f"{file.name} has embedded files: {list(pdf.attachments)}"
                for page in pdf.pages:
                    assert all(a.get("/Subtype") != "/FileAttachment" for a in page.get("/Annots", []))
                for number, obj in enumerate(pdf.objects):
                    if isinstance(obj, pikepdf.Stream):
                        try:
                            parts[f"{file.name} stream {number}"] = obj.read_bytes()
                        except pikepdf.PdfError:
                            pass
            parts[f"{file.name} text"] = pdftotext(file).encode()
        found += [f"{where}: {s}" for where, data in parts.items() for s in SECRETS if s.encode() in data]
    return found


def build_everything(project: Path, out: Path):  # noqa: ANN201 - a BuildResult
    """The print, screen and cover PDFs, the EPUB and the HTML export of `project` into `out`."""
    result = build(project, out)
    write_print_html(result.book, out)
    names = {p.name for p in out.rglob("*")}
    assert {"hostile-chapter-print.pdf", "hostile-chapter-screen.pdf", "hostile-chapter-cover.pdf"} <= names
    assert "hostile-chapter.epub" in names and "hostile-chapter-print.html" in names
    return result


def test_a_hostile_chapter_reaches_no_file_outside_in_any_output(tmp_path):
    project, outside = hostile("hostile-chapter", tmp_path)
    assets = project / "assets"
    (assets / "leak.svg").symlink_to(outside / "secret.svg")  # inside assets/ by name, outside by target
    (assets / "infographics" / "out.svg").symlink_to(outside / "secret.svg")  # artwork symlinked out
    (assets / "linked.txt").symlink_to(outside / "secret.txt")
    (assets / "folder").symlink_to(outside, target_is_directory=True)
    (assets / ".git").mkdir()
    (assets / ".git" / "config").write_text("HIDDEN-SECRET-GIT\n", encoding="utf-8")
    (assets / "loop").symlink_to(assets / "loop")

    result = build_everything(project, tmp_path / "out")

    assert leaks(tmp_path / "out") == []
    warnings = sorted(str(w).replace(str(outside), "OUTSIDE") for w in result.book.warnings if w.code[:2] == "G1")
    removed = "names a file outside the project's folders or a hidden one; removed [G101]"
    attach = "a chapter cannot attach files, removed [G103]"
    skipped = "is hidden or lies outside the project's folders; not copied into the HTML export [G107]"
    assert warnings == [
        f"book: assets/{name} {skipped}"
        for name in (".env", ".git", "folder", "infographics/out.svg", "leak.svg", "linked.txt", "loop")
    ] + [
        f"chapters/01-hostile.md:12: href='../.env' {removed}",
        f"chapters/01-hostile.md:14: href='file://OUTSIDE/secret.txt' {removed}",
        f"chapters/01-hostile.md:18: <a rel=\"attachment\"> would attach '../.env' to the PDF; {attach}",
        f"chapters/01-hostile.md:20: <a rel=\"attachment\"> would attach 'file://OUTSIDE/secret.txt' to the PDF; "
        f"{attach}",
        f"chapters/01-hostile.md:22: src='../.env' {removed}",
        f"chapters/01-hostile.md:24: src='file://OUTSIDE/secret.svg' {removed}",
        f"chapters/01-hostile.md:26: src='OUTSIDE/secret.svg' {removed}",
        f"chapters/01-hostile.md:28: src='leak.svg' {removed}",
        f"chapters/01-hostile.md:30: srcset='../../OUTSIDE/secret.svg' {removed}",
        f"chapters/01-hostile.md:32: style='../.env' {removed}",
        f"chapters/01-hostile.md:34: style='\\\\2e\\\\2e/\\\\2e\\\\2e/OUTSIDE/secret.svg' {removed}",
        f"chapters/01-hostile.md:36: style='../.git/config' {removed}",
        "chapters/01-hostile.md:38: infographic out: artwork out.svg is hidden or lies outside assets/infographics/; "
        "the placeholder is shown [G106]",
    ]
    # what may be read still is: the chapter's text, the web link, the artwork inside the project
    html = (tmp_path / "out" / "html" / "hostile-chapter-print.html").read_text(encoding="utf-8").replace("\u200b", "")
    assert "ข้อความธรรมดาของบทนี้" in html and "https://example.org/" in html and "แนบไฟล์ที่ซ่อน" in html
    assert (tmp_path / "out" / "html" / "infographics" / "ready.svg").is_file()
    assert "ข้อความธรรมดาของบทนี้" in pdftotext(tmp_path / "out" / "hostile-chapter-screen.pdf")
    assert not severities(run_epubcheck(tmp_path / "out" / "hostile-chapter.epub")).get("ERROR")


def test_an_image_symlinked_out_of_assets_is_an_error_and_a_hidden_one_is_removed(tmp_path):
    project, outside = hostile("hostile-chapter", tmp_path)
    (project / "assets" / "outlink.svg").symlink_to(outside / "secret.svg")
    (project / "assets" / ".hidden.svg").write_text(SVG.format("HIDDEN-SECRET"), encoding="utf-8")
    chapter = project / "chapters" / "01-hostile.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![ภาพ](.hidden.svg)\n", encoding="utf-8")
    hidden = "src='.hidden.svg' names a file outside the project's folders or a hidden one; removed [G101]"
    assert f"chapters/01-hostile.md:50: {hidden}" in [str(w) for w in load_book(project).warnings]

    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![ภาพ](outlink.svg)\n", encoding="utf-8")
    found = diagnostics(project)
    assert found == ["chapters/01-hostile.md:52: image outlink.svg: outside the project's assets/ folder [I001]"]


def test_order_takes_only_files_inside_chapters(tmp_path):
    project, outside = hostile("hostile-order", tmp_path)
    (project / "chapters" / "link.md").symlink_to(outside / "secret.md")
    found = [line.replace(str(outside), "OUTSIDE") for line in diagnostics(project)]
    assert found == [
        f"book.yaml: order: {entry!r} must be a chapter file inside chapters/ [G104]"
        for entry in (
            "../../OUTSIDE/secret.md",
            "OUTSIDE/secret.md",
            "../book.yaml",
            ".draft.md",
            "link.md",
            "sub/../../.env",
        )
    ]


def test_a_symlinked_stylesheet_template_word_list_or_chapter_is_refused(tmp_path):
    project, outside = hostile("hostile-files", tmp_path)
    why = "the file is hidden or lies outside the project's folders (a symlink out?); not read [G105]"
    (project / "chapters" / "02-linked.md").symlink_to(outside / "secret.md")
    (project / "chapters" / ".draft.md").write_text("---\nslug: x\ntitle: HIDDEN-SECRET\n---\n\nHIDDEN-SECRET\n")
    assert diagnostics(project) == [f"chapters: chapter 02-linked.md: {why}"]  # and the draft is not read at all

    (project / "chapters" / "02-linked.md").unlink()
    for folder in ("styles", "templates", "words"):
        (project / folder).mkdir()
    (project / "styles" / "print.css").symlink_to(outside / "secret.txt")
    (project / "templates" / "chapter.html").symlink_to(outside / "secret.txt")
    (project / "words" / "names.txt").symlink_to(outside / "secret.txt")
    (project / "words" / ".backup.txt").write_text("HIDDEN-SECRET\n", encoding="utf-8")  # skipped, unread
    assert sorted(diagnostics(project)) == [
        f"book.yaml: words: words/*.txt: {why}",
        f"styles: stylesheet print.css: {why}",
        f"templates: template chapter.html: {why}",
    ]


def test_a_symlinked_font_is_refused_and_never_widens_the_gate(tmp_path):
    project, outside = hostile("hostile-font", tmp_path)
    (project / "fonts" / "passwd.ttf").symlink_to("/etc/passwd")
    (project / "fonts" / "outside.ttf").symlink_to(outside / "secret.ttf")
    found = diagnostics(project)
    assert [line for line in found if "G102" in line] == [
        f"fonts/fonts.yaml:{line}: {family}: font file {name} is, or points to, a file outside fonts/ and the font "
        "packages [G102]"
        for line, family, name in (
            (1, "Passwd", "passwd.ttf"),
            (4, "Outside", "outside.ttf"),
            (4, "Outside", "../../OUTSIDE/secret.ttf"),
        )
    ]
    with pytest.raises(BookError):
        build(project, tmp_path / "out")
    assert not (tmp_path / "out").exists() or leaks(tmp_path / "out") == []


def test_the_gate_reads_exact_font_files_never_their_folders(tmp_path):
    """Even a font that got past fonts.py as a symlink (say, replaced after the project was read) opens
    neither its target nor anything beside it."""
    project, outside = hostile("hostile-files", tmp_path)
    book = load_book(project)
    evil = project / "fonts" / "evil.ttf"
    evil.symlink_to("/etc/passwd")
    book.fonts["body"].append(FontFace("Evil", 400, "normal", evil))
    fetch = gate(book)
    for path in (Path("/etc/passwd"), Path("/etc/hostname"), outside / "secret.txt", project / ".env"):
        assert not readable(book, path)
        with pytest.raises(ValueError):
            fetch(path.as_uri())
    real = book.fonts["body"][0].path
    assert readable(book, real) and fetch(real.as_uri())
    assert [w.code for w in book.warnings] == ["G001"] * 4


def test_project_file_follows_symlinks_and_refuses_what_is_hidden(tmp_path):
    project, outside = hostile("hostile-files", tmp_path)
    assets = project / "assets"
    assets.mkdir()
    (assets / "in.png").write_bytes(b"")
    (assets / "alias.png").symlink_to(assets / "in.png")
    (assets / "out.png").symlink_to(outside / "secret.txt")
    (assets / "loop").symlink_to(assets / "loop")
    (project / "chapters" / "img.png").symlink_to(assets / "in.png")
    assert project_file(project, assets / "in.png") == (assets / "in.png").resolve()
    assert project_file(project, assets / "alias.png") == (assets / "in.png").resolve()
    assert project_file(project, project / "chapters" / "img.png", ("chapters",)) is None  # it is in assets/
    for refused in ("out.png", "loop", ".env", "../book.yaml", "../.git/config", "x/../../../OUTSIDE/secret.txt"):
        assert project_file(project, assets / refused) is None, refused


def test_the_print_profile_must_be_a_file_of_the_project(tmp_path):
    """The print PDF's output intent embeds the profile's bytes: one outside the project, or symlinked out of
    it, is refused like any other file, even when it is a good CMYK profile."""
    from book.pdf.prepress import DEFAULT_PROFILE, print_settings

    project, outside = hostile("hostile-files", tmp_path)
    shutil.copyfile(DEFAULT_PROFILE, outside / "printer.icc")
    (project / "linked.icc").symlink_to(outside / "printer.icc")
    shutil.copyfile(DEFAULT_PROFILE, project / ".hidden.icc")
    shutil.copyfile(DEFAULT_PROFILE, project / "printer.icc")
    config = (project / "book.yaml").read_text(encoding="utf-8")
    why = "is hidden or lies outside the project (a symlink out?); not read [G108]"
    for profile in ("linked.icc", "../OUTSIDE/printer.icc", str(outside / "printer.icc"), ".hidden.icc"):
        (project / "book.yaml").write_text(config + f"print:\n  profile: {profile}\n", encoding="utf-8")
        with pytest.raises(BookError) as error:
            print_settings(load_book(project))
        line = config.count("\n") + 2  # `check` names the profile's own line of book.yaml
        assert [str(d) for d in error.value.diagnostics] == [f"book.yaml:{line}: print: profile {profile!r} {why}"]
    (project / "book.yaml").write_text(config + "print:\n  profile: printer.icc\n", encoding="utf-8")
    assert print_settings(load_book(project)).profile == project / "printer.icc"


def test_hidden_word_lists_are_skipped(tmp_path):
    project, _ = hostile("hostile-files", tmp_path)
    (project / "words").mkdir()
    (project / "words" / "names.txt").write_text("ชื่อหนึ่ง\n", encoding="utf-8")
    (project / "words" / ".backup.txt").write_text("HIDDEN-SECRET\n", encoding="utf-8")
    assert load_book(project).words == ["ชื่อหนึ่ง"]


@pytest.mark.parametrize(
    "markup",
    [
        '<figure class="infographic"><img src="%2e%2e/.env" alt="ก" /></figure>',
        '<figure class="infographic"><img src="..%2F..%2FOUTSIDE%2Fsecret.svg" alt="ก" /></figure>',
        '<figure class="infographic"><img src="infographics/../../.env" alt="ก" /></figure>',
        '<figure class="infographic"><img src="FILE:///etc/passwd" alt="ก" /></figure>',
        '<figure class="infographic"><img src="file:/etc/passwd" alt="ก" /></figure>',
        '<figure class="infographic"><img src="file://localhost/etc/passwd" alt="ก" /></figure>',
        '<figure class="infographic"><img src="//example.org/x.svg" alt="ก" /></figure>',
        '<figure class="infographic"><img src="https://example.org/x.svg" alt="ก" /></figure>',
        '<figure class="infographic"><img src="ftp://example.org/x.svg" alt="ก" /></figure>',
        '<figure class="infographic"><img src="&#46;&#46;/.env" alt="ก" /></figure>',
        '<p><a href="../chapters/../.env">ก</a></p>',
        '<p><a href="data:text/html,x">ก</a></p>',
        '<p><a href="../book.yaml#x">ก</a></p>',
        '<div style="background-image: URL( &quot;../.env&quot; )">ก</div>',
        "<div style=\"background: url('data:image/png;base64,AA'), url(../../OUTSIDE/secret.svg)\">ก</div>",
        '<div><svg xmlns="http://www.w3.org/2000/svg"><image href="../.env" width="1" height="1"/></svg></div>',
        '<div><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<use xlink:href="/etc/passwd#x"/></svg></div>',
        '<div><svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(/etc/passwd) }</style></svg></div>',
        '<video poster="../.env"></video>',
    ],
)
def test_every_way_of_writing_an_address_out_is_removed(tmp_path, markup):
    project, _ = hostile("hostile-files", tmp_path)
    chapter = project / "chapters" / "01-plain.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{markup}\n", encoding="utf-8")
    try:
        book = load_book(project)
    except BookError as error:  # a picture sanitize.py's check_images refuses outright (an SVG <image>, a poster)
        assert {d.code for d in error.diagnostics} == {"I001"}
        return
    assert [w.code for w in book.warnings] == ["G101"]
    assert not any(part in book.chapter("plain").html for part in (".env", "passwd", "OUTSIDE", "example.org/x"))


@pytest.mark.parametrize(
    "markup",
    [
        '<p><a href="https://example.org/">ก</a> <a href="mailto:a@example.org">ข</a> <a href="#plain">ค</a></p>',
        '<figure class="infographic"><img src="data:image/png;base64,AA" alt="ก" /></figure>',
        '<p><a href="infographics/chart.svg">ก</a></p>',
    ],
)
def test_addresses_inside_the_project_or_on_the_web_stay(tmp_path, markup):
    project, _ = hostile("hostile-files", tmp_path)
    chapter = project / "chapters" / "01-plain.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{markup}\n", encoding="utf-8")
    assert load_book(project).warnings == []


def test_the_gate_opens_no_hidden_file_and_no_file_beside_the_folders(tmp_path):
    """What WeasyPrint fetches for any PDF (a project stylesheet's `url()`, an image): before, the whole project
    folder was open, its `.env`, `.git` and `.cache` too."""
    project, outside = hostile("hostile-files", tmp_path)
    (project / "assets" / "infographics").mkdir(parents=True)
    (project / "assets" / "infographics" / "ready.svg").write_text(SVG.format("ready"), encoding="utf-8")
    (project / "assets" / ".env").write_text("HIDDEN-SECRET\n", encoding="utf-8")
    (project / ".env").write_text("HIDDEN-SECRET\n", encoding="utf-8")
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text("HIDDEN-SECRET\n", encoding="utf-8")
    (project / "assets" / "out.svg").symlink_to(outside / "secret.svg")
    book = load_book(project)
    fetch = gate(book)
    refused = [".env", "assets/.env", ".git/config", "book.yaml", "assets/out.svg", "assets/../.env"]
    for name in refused:
        with pytest.raises(ValueError):
            fetch((project / name).as_uri() if ".." not in name else f"file://{project}/{name}")
    assert len(book.warnings) == len(refused) and {w.code for w in book.warnings} == {"G001"}
    for allowed in (project / "assets" / "infographics" / "ready.svg", TOOLKIT / "styles" / "print.css"):
        response = fetch(allowed.as_uri())
        assert response.read() == allowed.read_bytes()
        response.close()
    assert fetch("data:text/plain,x").read() == b"x"


def test_build_py_html_says_what_it_removed_and_left_behind(tmp_path):
    project, outside = hostile("hostile-chapter", tmp_path)
    (project / "assets" / "linked.txt").symlink_to(outside / "secret.txt")
    done = subprocess.run(
        [sys.executable, "build.py", "html", "--lang", "en", "--project", str(project), "--out", str(tmp_path / "o")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "book: assets/linked.txt is hidden or lies outside the project's folders; not copied" in done.stderr
    assert "chapters/01-hostile.md:12: href='../.env' names a file outside" in done.stderr
    assert "Traceback" not in done.stderr and leaks(tmp_path / "o") == []


@pytest.mark.parametrize(
    "markup",
    [
        '[ไฟล์แนบ](infographics/ready.svg){rel="attachment"}',
        '<p><a REL="attachment" href="infographics/ready.svg">ไฟล์แนบ</a></p>',
        '<p><a rel="nofollow\tattachment" href="infographics/ready.svg">ไฟล์แนบ</a></p>',
        '<p><a rel="attachment">ไฟล์แนบ</a></p>',
    ],
)
def test_a_chapter_never_attaches_a_file_even_one_of_the_project(tmp_path, markup):
    project, _ = hostile("hostile-files", tmp_path)
    chapter = project / "chapters" / "01-plain.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{markup}\n", encoding="utf-8")
    book = load_book(project)
    assert [w.code for w in book.warnings] == ["G103"]
    html = book.chapter("plain").html
    assert "attachment" not in html and "ไฟล์แนบ" in html


def test_an_assets_folder_symlinked_out_of_the_project_is_read_by_no_output(tmp_path):
    project, outside = hostile("hostile-files", tmp_path)
    (project / "assets").symlink_to(outside, target_is_directory=True)
    chapter = project / "chapters" / "01-plain.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![ภาพ](secret.svg)\n", encoding="utf-8")
    book = load_book(project)
    assert [str(w) for w in book.warnings] == [
        "chapters/01-plain.md:12: src='secret.svg' names a file outside the project's folders or a hidden one; "
        "removed [G101]"
    ]
    write_print_html(book, tmp_path / "out")
    skipped = "book: assets/ is hidden or lies outside the project's folders; not copied into the HTML export [G107]"
    assert skipped in [str(w) for w in book.warnings]
    assert leaks(tmp_path / "out") == []
