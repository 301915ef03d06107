"""The interface language as a user meets it: the real command line printing diagnostics, a build's lines and
JSON, and the preview's pages in a real browser (Debian chromium through Playwright), in Thai by default and
in English when asked."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECTS, browser_tab

from book.preview.server import PreviewServer

MISTAKES = PROJECTS / "thai-mistakes"  # interface: th, and four mistakes an editor makes
THAI_PROBLEMS = [
    "book.yaml:3: subtitel: ไม่รู้จักชื่อค่านี้ (หมายถึง 'subtitle' หรือเปล่า) [S001]",
    "chapters/01-chiang-rai.md:7: projects: ต้องเป็นจำนวนเต็ม แต่ได้ 'หลายโครงการ' [S003]",
    "chapters/02-lampang.md:10:42: เชิงอรรถ [^horse] ยังไม่มีข้อความ ให้เพิ่มบรรทัด '[^horse]: ...' [M009]",
    "chapters/02-lampang.md:12: อินโฟกราฟิก lampang-horses: ไม่รู้จักขนาด 'huge' "
    "ให้เลือกจาก full-page, half-page, column [M007]",
]


def thaibook(*args: str, locale: str = "C.UTF-8", ci: bool = True) -> subprocess.CompletedProcess:
    """`python -m book ARGS` under `locale` (LC_ALL and LC_MESSAGES unset), as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = locale
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "book", *args], capture_output=True, text=True, env=env, timeout=600)


def has_thai(text: str) -> bool:
    return re.search("[\u0e01-\u0e5b]", text) is not None


# -- the command line


def test_check_prints_the_diagnostics_in_thai_from_book_yaml(tmp_path: Path) -> None:
    done = thaibook("check", "--project", str(MISTAKES), locale="en_US.UTF-8")  # book.yaml over the locale
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    for line in THAI_PROBLEMS:
        assert line in lines, done.stderr
    assert lines[-1] == "ไม่ผ่าน: ข้อผิดพลาด 4 ข้อ ข้อสังเกต 0 ข้อ ต้องแก้ข้อผิดพลาดทั้งหมดก่อนจึงจะสร้างเล่มได้"
    assert done.stdout == ""


def test_lang_en_prints_the_same_diagnostics_in_english() -> None:
    done = thaibook("check", "--project", str(MISTAKES), "--lang", "en")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert "book.yaml:3: subtitel: unknown key (did you mean 'subtitle'?) [S001]" in lines
    assert "chapters/01-chiang-rai.md:7: projects: expected a whole number, got 'หลายโครงการ' [S003]" in lines
    assert lines[-1] == "not ok: 4 error(s), 0 finding(s); every error must be fixed before the book can be built"
    thai = thaibook("check", "--project", str(MISTAKES)).stderr.splitlines()
    places = [line.split(": ")[0] + line[line.rindex(" [") :] for line in lines[:-1]]
    assert places == [line.split(": ")[0] + line[line.rindex(" [") :] for line in thai[:-1]]  # the same problems


def test_an_unreadable_book_yaml_falls_back_to_the_locale_then_thai(tmp_path: Path) -> None:
    project = tmp_path / "book"
    shutil.copytree(MISTAKES, project)
    config = project / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: ", "title: [", 1), encoding="utf-8")
    english = thaibook("check", "--project", str(project), locale="en_US.UTF-8")
    assert english.returncode == 1 and re.search(
        r"^book\.yaml:\d+:\d+: invalid YAML: .* \[Y001\]$", english.stderr, re.M
    )
    assert english.stderr.splitlines()[-1].startswith("not ok: 1 error(s), ")
    thai = thaibook("check", "--project", str(project))  # LANG=C: no language asked for anywhere
    assert re.search(r"^book\.yaml:\d+:\d+: เขียน YAML ไม่ถูกรูปแบบ \(YAML แจ้งว่า: .*\) \[Y001\]$", thai.stderr, re.M)
    assert thai.stderr.splitlines()[-1].startswith("ไม่ผ่าน: ข้อผิดพลาด 1 ข้อ ")


def test_json_keeps_english_messages_and_adds_the_thai(tmp_path: Path) -> None:
    done = thaibook("check", "--project", str(MISTAKES), "--format", "json")
    assert done.returncode == 1
    found = {d["code"]: d for d in json.loads(done.stdout)}
    assert found["S003"]["message"] == "projects: expected a whole number, got 'หลายโครงการ'"
    assert found["S003"]["message_th"] == "projects: ต้องเป็นจำนวนเต็ม แต่ได้ 'หลายโครงการ'"
    assert all(has_thai(d["message_th"]) for d in found.values())


def test_a_build_speaks_one_language(project: Path) -> None:
    """Steps, written files and the summary: Thai alone by default, English alone with --lang en."""
    out = project / "out"
    thai = thaibook("--project", str(project), "--out", str(out), "epub")
    assert thai.returncode == 0, thai.stderr
    steps = re.findall(r"^\[\s*\d+\.\d+s\] (.*)$", thai.stderr, re.M)
    assert steps[0] == "อ่านต้นฉบับและตรวจสอบ" and len(steps) >= 2
    assert all(has_thai(step) and "(" not in step for step in steps), steps  # Thai alone, no "(English)"
    assert re.search(r"^เขียน \S*mini-test-book\.epub แล้ว \(\d+ เอกสาร อ้างอิงเลขหน้าฉบับพิมพ์ \d+ หน้า, \d+ KB\)$",
                     thai.stdout, re.M), thai.stdout  # fmt: skip
    assert "สรุป:" in thai.stdout and "wrote" not in thai.stdout and "summary" not in thai.stdout
    english = thaibook("--project", str(project), "--out", str(out), "epub", "--lang", "en")
    steps = re.findall(r"^\[\s*\d+\.\d+s\] (.*)$", english.stderr, re.M)
    assert steps[0] == "reading and checking the sources" and len(steps) >= 2
    assert re.search(
        r"^wrote \S*mini-test-book\.epub \(\d+ documents, \d+ print pages, \d+ KB\)$", english.stdout, re.M
    )
    assert not has_thai(english.stderr) and "summary:" in english.stdout


# -- the preview, in a real browser


@pytest.fixture
def page(browser):
    with browser_tab(browser, 1000, 700) as tab:
        yield tab


@pytest.fixture
def thai_project(project: Path) -> Path:
    """The mini project with `interface: th` in its book.yaml."""
    with (project / "book.yaml").open("a", encoding="utf-8") as config:
        config.write("interface: th\n")
    return project


def preview(project: Path, language: str | None = None) -> PreviewServer:
    server = PreviewServer(project, port=0, log=lambda line: None, language=language)
    server.start()
    assert server.live.watching.wait(timeout=20)
    return server


HEADINGS_TH = ["ที่", "หน้า", "ชนิด", "คำ", "อินโฟกราฟิกที่ยังขาด", "ข้อสังเกต", "พิมพ์"]
HEADINGS_EN = ["No.", "Page", "Kind", "Words", "Missing infographics", "Lint", "Print"]


def test_the_preview_index_is_in_thai_from_book_yaml(thai_project: Path, page) -> None:
    from playwright.sync_api import expect

    server = preview(thai_project)
    try:
        page.goto(server.url)
        expect(page.locator("html")).to_have_attribute("lang", "th")
        expect(page.locator("table.preview-pages thead th")).to_have_text(HEADINGS_TH)
        expect(page.locator(".preview-totals")).to_contain_text("2 บท")
        expect(page.locator(".preview-totals")).to_contain_text(re.compile(r"[\d,]+ คำ"))  # counted in the background
        expect(page.locator("tr[data-page='nan'] .print a").first).to_have_text("หน้าพิมพ์")
        assert "(" not in page.locator(".preview-totals").inner_text()  # no "Thai (English)" pairs left
        assert not re.search("[A-Za-z]{3,}", page.locator("table.preview-pages thead").inner_text())
    finally:
        server.stop()


def test_the_preview_index_is_in_english_with_lang_en(thai_project: Path, page) -> None:
    from playwright.sync_api import expect

    server = preview(thai_project, "en")
    try:
        page.goto(server.url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("table.preview-pages thead th")).to_have_text(HEADINGS_EN)
        expect(page.locator(".preview-totals")).to_contain_text("2 chapters")
        expect(page.locator("h1.preview-book-title")).to_have_text("สองเมืองริมน้ำ")  # the book stays Thai
        expect(page.locator("h1.preview-book-title")).to_have_attribute("lang", "th")
        assert not has_thai(page.locator("table.preview-pages thead").inner_text())
    finally:
        server.stop()


def test_the_preview_shows_problems_in_thai_and_follows_book_yaml(thai_project: Path, page) -> None:
    from playwright.sync_api import expect

    server = preview(thai_project)
    try:
        page.goto(server.url + "page/trang")
        chapter = thai_project / "chapters" / "02-trang.md"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("projects: 2", "projects: many"), "utf-8")
        overlay = page.locator("#preview-problems")
        expect(overlay.locator("h2")).to_have_text("อ่านต้นฉบับไม่ผ่าน: พบปัญหา 1 ข้อ")
        expect(overlay).to_contain_text("projects: ต้องเป็นจำนวนเต็ม แต่ได้ 'many'")
        expect(overlay.locator("button")).to_have_text("ซ่อน")
        config = thai_project / "book.yaml"  # the team switches to English while the page is open
        config.write_text(config.read_text(encoding="utf-8").replace("interface: th", "interface: en"), "utf-8")
        expect(overlay.locator("h2")).to_have_text("The book could not be read: 1 problem(s)")
        expect(overlay).to_contain_text("projects: expected a whole number, got 'many'")
    finally:
        server.stop()
