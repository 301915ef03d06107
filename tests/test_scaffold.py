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
