"""A new book in one command: init, new chapter, then a full build (JSON output, download page, OPDS feed)
and check on the new project, in a temporary folder."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT
from lxml import etree
from test_download import atom_opds_problems

ATOM = "{http://www.w3.org/2005/Atom}"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A project made by init and new chapter, built with --format json."""
    folder = tmp_path_factory.mktemp("new") / "my-book"
    done = run("init", str(folder))
    assert done.returncode == 0, done.stderr
    done = run("new", "chapter", "second-chapter", "--title", "บทที่สอง: ต่อจากบทแรก", "--project", str(folder))
    assert done.returncode == 0, done.stderr
    done = run("new", "chapter", "glossary", "--kind", "glossary", "--project", str(folder))
    assert done.returncode == 0, done.stderr
    out = folder / "dist"
    done = run("--project", str(folder), "--out", str(out), "--format", "json")
    assert done.returncode == 0, done.stderr
    return {"folder": folder, "out": out, "report": json.loads(done.stdout)}


def test_init_then_new_chapter_builds_and_checks(built):
    folder = built["folder"]
    names = sorted(p.name for p in (folder / "chapters").iterdir())
    assert names == [
        "00-preface.md", "01-first-chapter.md", "02-second-chapter.md", "03-glossary.md", "90-credits.md",
        "99-colophon.md",
    ]  # fmt: skip
    check = run("check", "--project", str(folder), "--lang", "en")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("ok: หนังสือเล่มใหม่: 2 chapters")
    from book.project.reading import load_book

    book = load_book(folder)
    assert [c.kind for c in book.chapters] == ["preface", "chapter", "chapter", "glossary", "credits", "colophon"]
    assert book.chapters[2].title == "บทที่สอง: ต่อจากบทแรก"
    assert (folder / "book.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert (folder / "schemas" / "book.schema.json").is_file()


def test_the_build_reports_its_outputs_as_json(built):
    report = built["report"]
    # the one warning: the sample chapter's infographic placeholder, left in the print PDF
    assert [(d["code"], d["severity"]) for d in report["diagnostics"]] == [("P121", "warning")]
    names = {entry["path"].rsplit("/", 1)[-1] for entry in report["outputs"]}
    assert {"my-book.epub", "my-book-screen.pdf", "my-book-print.pdf", "index.html", "opds.xml"} <= names
    for entry in report["outputs"]:
        data = Path(entry["path"]).read_bytes()
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_the_download_page_lists_every_file_with_its_sha256(built):
    out = built["out"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="th">' in page and 'src="my-book-cover.jpg"' in page
    text = lxml.html.fromstring(page).text_content()  # each Thai word is kept whole in a span
    assert "คำอธิบายสั้น ๆ ว่าหนังสือเล่มนี้ว่าด้วยเรื่องอะไร" in text  # the Thai description
    listed = dict(re.findall(r'<a href="([^"]+)">[^<]+</a>.*?<code>([0-9a-f]{64})</code>', page))
    files = {p.name for p in out.iterdir() if p.is_file()} - {"index.html", "opds.xml", "infographics.csv"}
    assert set(listed) == files and "infographics.csv" not in page  # the designers' file is theirs
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    # what the producer uploads: the page, the feed and what they list, the same files; never the csv
    site = out / "site"
    assert {p.name for p in site.iterdir()} == {*listed, "index.html", "opds.xml"}
    assert all((site / name).read_bytes() == (out / name).read_bytes() for name in (*listed, "index.html"))


def test_the_opds_feed_is_an_acquisition_feed(built):
    out = built["out"]
    feed = etree.parse(str(out / "opds.xml")).getroot()
    assert feed.tag == f"{ATOM}feed"
    assert atom_opds_problems(feed) == []  # every MUST of RFC 4287 and OPDS 1.2 (tests/test_download.py)
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("type") == "application/atom+xml;profile=opds-catalog;kind=acquisition"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:") and entry.findtext(f"{ATOM}updated")
    acquisitions = {
        link.get("href"): link.get("type")
        for link in entry.findall(f"{ATOM}link")
        if link.get("rel", "").startswith("http://opds-spec.org/acquisition")
    }
    assert acquisitions == {"my-book.epub": "application/epub+zip", "my-book-screen.pdf": "application/pdf"}
    for href in acquisitions:
        assert (out / href).is_file()
    images = {link.get("rel") for link in entry.findall(f"{ATOM}link") if link.get("type") == "image/jpeg"}
    assert images == {"http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"}


def test_init_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = run("init", str(tmp_path), "--lang", "en")
    assert done.returncode == 2 and "[U010]" in done.stderr and "not empty" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


CITY = ("--set", "city=กระบี่", "--set", "province=กระบี่", "--set", "area=เมืองกระบี่", "--set", "projects=1")


def test_new_chapter_refuses_a_used_slug_an_unknown_kind_and_fields_its_kind_lacks(project):
    done = run("new", "chapter", "trang", *CITY, "--project", str(project), "--lang", "en")
    assert done.returncode == 2 and "[U012]" in done.stderr and "02-trang.md" in done.stderr
    done = run("new", "chapter", "Bad Slug", *CITY, "--project", str(project))
    assert done.returncode == 2 and "[U011]" in done.stderr
    done = run("new", "chapter", "krabi", "--set", "city=กระบี่", "--project", str(project), "--lang", "en")
    assert done.returncode == 2 and "[K113]" in done.stderr and "--set province=" in done.stderr
    done = run("new", "chapter", "krabi", "--kind", "poem", "--project", str(project), "--lang", "en")
    assert done.returncode == 2 and "[K111]" in done.stderr and "city" in done.stderr
    done = run("new", "chapter", "krabi", *CITY, "--set", "mayor=x", "--project", str(project), "--lang", "en")
    assert done.returncode == 2 and "[K112]" in done.stderr
    done = run("new", "chapter", "krabi", *CITY[:-1], "projects=two", "--project", str(project), "--lang", "en")
    assert done.returncode == 2 and "[K114]" in done.stderr


def test_new_chapter_goes_into_the_order_after_the_last_chapter_of_the_body(project):
    config = project / "book.yaml"
    order = ["00-foreword.md", "01-nan.md", "02-trang.md", "90-credits.md", "99-colophon.md"]
    config.write_text(
        config.read_text(encoding="utf-8") + "order:  # reading order\n" + "".join(f"  - {n}\n" for n in order),
        encoding="utf-8",
    )
    done = run("new", "chapter", "krabi", *CITY, "--title", "กระบี่ เมืองริมทะเล", "--project", str(project))
    assert done.returncode == 0, done.stderr
    from book.project.reading import load_book

    book = load_book(project)
    assert [c.slug for c in book.chapters] == ["foreword", "nan", "trang", "krabi", "credits", "colophon"]
    assert book.chapters[3].title == "กระบี่ เมืองริมทะเล" and book.chapters[3].meta["projects"] == 1
    assert "order:  # reading order" in config.read_text(encoding="utf-8")


def test_check_prints_json_diagnostics(project):
    done = run("check", "--format", "json", "--project", str(project))
    assert done.returncode == 0 and json.loads(done.stdout) == []
    chapter = project / "chapters" / "01-nan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("ผู้คนริมน้ำ\n\nน้ำ", "ผู้คนริมน้ำ\n\nนํ้า"), "utf-8")
    done = run("check", "--format", "json", "--project", str(project))
    findings = json.loads(done.stdout)
    assert done.returncode == 1 and findings
    assert all(set(f) == {"file", "line", "col", "code", "severity", "message", "message_th"} for f in findings)
    assert any(f["file"] == "chapters/01-nan.md" and f["code"].startswith("TH") for f in findings)
    path = project / "chapters" / "02-trang.md"
    path.write_text(path.read_text(encoding="utf-8").replace("projects: 2", "projects: many"), encoding="utf-8")
    for command in ("check", "pdf"):
        done = run(command, "--format", "json", "--project", str(project), "--out", str(project / "out"))
        assert done.returncode == 1
        report = json.loads(done.stdout)
        diagnostics = report if command == "check" else report["diagnostics"]
        assert {"file": "chapters/02-trang.md", "line": 7, "col": None, "code": "S003", "severity": "error",
                "message": "projects: expected a whole number, got 'many'",
                "message_th": "projects: ต้องเป็นจำนวนเต็ม แต่ได้ 'many'"} in diagnostics  # fmt: skip
        if command == "pdf":
            assert report["outputs"] == []


# -- the first run (issue 22): where init made the book, the next commands that work, and no book here


def test_init_prints_where_and_next_commands_that_work(tmp_path):
    """The commands init prints are run as printed, in a shell with no `python` on its path (plain Debian):
    `cd` into the new book, then `check` passes."""
    folder = tmp_path / "ชื่อ มีช่องว่าง"
    done = subprocess.run(
        ["python3", str(ROOT / "build.py"), "init", str(folder), "--lang", "th"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"สร้างหนังสือเล่มใหม่ไว้ที่ {folder.resolve()} แล้ว")
    steps = [line.strip() for line in lines[2:]]
    assert steps[0] == f"cd '{folder.resolve()}'"
    assert steps[1].startswith(f"python3 {ROOT / 'build.py'} check ")  # absolute: works from the book's folder
    assert all("python build.py" not in line for line in lines)
    check = subprocess.run(
        ["bash", "-c", f"{steps[0]} && {steps[1]}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path)},  # python3, and no `python`
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("ผ่าน: หนังสือเล่มใหม่: 1 บท")


def test_the_installed_thaibook_prints_thaibook_commands(tmp_path):
    script = Path(sys.executable).parent / "thaibook"
    if not script.is_file():
        pytest.skip("the toolkit is not installed in this environment (setup installs it)")
    environ = {"PATH": f"{script.parent}:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path)}
    done = subprocess.run(
        ["thaibook", "init", "book", "--lang", "en"], cwd=tmp_path, capture_output=True, text=True, env=environ
    )
    assert done.returncode == 0, done.stderr
    steps = [line.strip() for line in done.stdout.splitlines()[2:]]
    assert steps[1] == "thaibook check    # check the book"
    check = subprocess.run(
        ["bash", "-c", f"{steps[0]} && {steps[1]}"], cwd="/", capture_output=True, text=True, env=environ
    )
    assert check.returncode == 0 and check.stdout.startswith("ผ่าน: "), check.stdout + check.stderr


def test_the_book_init_writes_points_to_docs_that_exist(tmp_path):
    folder = tmp_path / "my-book"
    assert run("init", str(folder)).returncode == 0
    config = (folder / "book.yaml").read_text(encoding="utf-8")
    comments = "\n".join(line for line in config.splitlines() if line.startswith("#"))
    pointed = set(re.findall(r"[\w./-]+\.(?:md|json)", comments))
    assert {"README.md", "docs/reference/book-yaml.md", "schemas/book.schema.json"} <= pointed
    for name in pointed:
        assert (folder / name).is_file(), name
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert re.search("[\u0e01-\u0e5b]", readme) and f"python3 {ROOT / 'build.py'} check" in readme
    for guide in re.findall(r"(?<!\S)(/\S+\.md)", readme):  # the toolkit's guides, by absolute path from a clone
        assert Path(guide).is_file(), guide
    assert "`title`" in (folder / "docs" / "reference" / "book-yaml.md").read_text(encoding="utf-8")


def test_init_refuses_a_folder_inside_the_toolkit_unless_forced(tmp_path):
    inside = ROOT / "tests" / "projects" / f"new-{tmp_path.name}"
    done = run("init", str(inside), "--lang", "en")
    assert done.returncode == 2 and "[U014]" in done.stderr and "--force" in done.stderr
    assert not inside.exists()
    try:
        done = run("init", str(inside), "--force", "--lang", "en")
        assert done.returncode == 0 and (inside / "book.yaml").is_file(), done.stderr
    finally:
        import shutil

        shutil.rmtree(inside, ignore_errors=True)


@pytest.mark.parametrize(("lang", "words"), [("th", "ที่นี่ไม่มีหนังสือ"), ("en", "no book here")])
def test_outside_a_book_one_line_says_so(tmp_path, lang, words):
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--lang", lang], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert words in done.stderr and "init DIR" in done.stderr and "--project" in done.stderr
    assert "[U001]" in done.stderr and "Traceback" not in done.stderr and "site-packages" not in done.stderr


def test_inside_the_clone_the_learning_city_book_is_the_default(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--lang", "en"],
        cwd=ROOT / "tests",
        capture_output=True,
        text=True,
    )
    assert "เสียงของคนจากทุกเมืองแห่งการเรียนรู้" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("lang", "expected", "unexpected"),
    [
        ("th", ["วิธีใช้: thaibook", "คำสั่ง:", "ตัวเลือก:", "แสดงคำอธิบายนี้แล้วจบ", "ตรวจหนังสือ"], ["usage:", "options:"]),
        ("en", ["usage: thaibook", "commands:", "options:", "show this help message and exit"], ["วิธีใช้"]),
    ],
)
def test_help_speaks_the_interface_language(tmp_path, lang, expected, unexpected):
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--help", "--lang", lang], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    for words in expected:
        assert words in done.stdout, words
    for words in unexpected:
        assert words not in done.stdout, words
    from book.cli.helptext import HELP, MISTAKES

    shown = " ".join(done.stdout.split())  # as argparse wrapped it, the spaces made one
    for key, text in HELP[lang].items():  # every command and option, described in the language asked for
        if key not in ("usage", "error", "positional", "commands title", *MISTAKES):
            assert " ".join(text.split()) in shown, key
    other = HELP["en" if lang == "th" else "th"]
    assert not [key for key, text in other.items() if len(text) > 12 and " ".join(text.split()) in shown]


def test_help_follows_the_book_and_the_locale(tmp_path):
    """Without --lang: the book's `interface:`, then the locale, then Thai, as every message does."""
    (tmp_path / "book.yaml").write_text("title: x\ninterface: en\n", encoding="utf-8")
    environ = {"PATH": "/usr/bin:/bin", "LANG": "th_TH.UTF-8"}
    help_here = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--help"], cwd=tmp_path, capture_output=True, text=True, env=environ
    )
    assert help_here.stdout.startswith("usage: thaibook")
    help_elsewhere = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "-h"], cwd=ROOT / "tests", capture_output=True, text=True, env=environ
    )
    assert help_elsewhere.stdout.startswith("วิธีใช้: thaibook")


@pytest.mark.parametrize(
    ("args", "thai", "english"),
    [
        (["bake"], "COMMAND: ไม่มี 'bake' ให้เลือก", "invalid choice: 'bake'"),
        (["epub", "--split"], "--chapter และ --split ใช้กับคำสั่ง pdf เท่านั้น", "--chapter and --split go with the pdf"),
        (["--port", "x"], "--port: ใช้ค่า 'x' ไม่ได้", "invalid int value: 'x'"),
        (["new", "x"], "new ต้องเขียนเป็น: new chapter SLUG", "new takes: new chapter SLUG"),
    ],
)
def test_usage_mistakes_speak_the_interface_language(args, thai, english):
    for lang, words in (("th", thai), ("en", english)):
        done = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), *args, "--lang", lang], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 2 and words in done.stderr, done.stderr
        assert done.stderr.startswith("วิธีใช้: " if lang == "th" else "usage: ") or args[0] == "new"
