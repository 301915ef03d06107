"""Chapters from many hands: what they may not do, and how it is reported."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import problems

from book.project.reading import load_book


def add_to_chapter(project: Path, text: str) -> Path:
    path = project / "chapters" / "02-trang.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")
    return path


def test_scripts_handlers_and_script_links_are_removed_with_a_warning(project):
    add_to_chapter(
        project,
        '<div onclick="steal()">ข้อความ</div>\n\n<script>alert(1)</script>\n\n[ลิงก์](javascript:alert(1))',
    )
    book = load_book(project)
    html = book.chapter("trang").html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert "ข้อความ" in html
    assert sorted(str(w) for w in book.warnings) == [
        "chapters/02-trang.md:24: onclick= (a script) is not allowed; removed [H003]",
        "chapters/02-trang.md:26: <script> is not allowed in a chapter; removed [H002]",
        "chapters/02-trang.md:28: a href with a script address; removed [H004]",
    ]


def test_raw_html_must_be_well_formed(project):
    add_to_chapter(project, '<div class="box">\n<p>ไม่ได้ปิด\n</div>')
    (found,) = problems(project)
    assert found.startswith("chapters/02-trang.md:24: raw HTML is not well formed") and found.endswith("[H001]")


def test_a_link_to_a_missing_anchor(project):
    add_to_chapter(project, "ดู[บทที่หายไป](#no-such-place) และ[บทน่าน](#nan)")
    assert problems(project) == [
        "chapters/02-trang.md:24: link to #no-such-place, which is not an id anywhere in the book [M010]"
    ]


def test_images_must_be_sane_files_in_assets(project):
    from PIL import Image

    (project / "assets" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    Image.new("1", (8000, 6000)).save(project / "assets" / "huge.png")
    add_to_chapter(
        project,
        "![ภาพ](missing.png)\n\n![ภาพ](broken.png)\n\n![ภาพ](huge.png)\n\n![ภาพ](../../../etc/passwd)\n\n"
        "![ภาพ](https://example.org/x.png)",
    )
    assert problems(project) == [
        "chapters/02-trang.md:24: image missing.png: no such file in assets/ [I002]",
        "chapters/02-trang.md:26: image broken.png: cannot be read as an image (OSError) [I003]",
        "chapters/02-trang.md:28: image huge.png: 8000 x 6000 pixels is more than the 40,000,000 allowed [I003]",
        "chapters/02-trang.md:30: image ../../../etc/passwd: outside the project's assets/ folder [I001]",
        "chapters/02-trang.md:32: image https://example.org/x.png: only files in assets/ can be used, "
        "not addresses [I001]",
    ]


def test_svg_with_an_external_entity_is_not_expanded(project):
    from book.project.sanitize import image_problem

    svg = project / "assets" / "evil.svg"
    svg.write_text(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
        encoding="utf-8",
    )
    assert image_problem(svg) is None  # it parses, and the entity stays unresolved: nothing is read


def test_a_huge_markdown_file_is_refused_clearly(project):
    path = project / "chapters" / "03-big.md"
    body = ("เมืองแห่งการเรียนรู้ของผู้คน " * 40 + "\n\n") * 1700
    path.write_text("---\nslug: big\ntitle: ใหญ่\ncity: ก\nprovince: ก\narea: ก\nprojects: 1\n---\n\n" + body, "utf-8")
    assert path.stat().st_size > 5 * 2**20
    (found,) = problems(project)
    assert found.startswith("chapters/03-big.md: the file is 5.") and found.endswith(
        "MB, over the 2 MB a file may be; split it [C008]"
    )


def test_a_broken_template_override_names_its_file_and_line(project):
    (project / "templates").mkdir()
    (project / "templates" / "chapter.html").write_text("<section>\n{{ chapter.title }\n</section>\n", "utf-8")
    from book.diagnostics.problems import BookError
    from book.render.rendering import render_pages

    book = load_book(project)
    try:
        render_pages(book)
    except BookError as error:
        (found,) = {str(d) for d in error.diagnostics}
    assert found.endswith("templates/chapter.html:2: template error: unexpected '}' [T001]")


def test_pango_without_libthai_is_a_clear_message(tmp_path):
    from book.bootstrap import thai_support_problem

    assert thai_support_problem() is None  # this machine has it
    without_libthai = thai_support_problem(lambda name: None if name == "thai" else "lib" + name)
    assert without_libthai == (
        "Pango has no libthai here, so Thai lines would break anywhere; run: sudo apt-get install libthai0 libthai-data"
    )
    assert "libthai-data" in thai_support_problem(dictionary=tmp_path / "missing.tri")


def test_the_build_reads_nothing_outside_the_project(project, tmp_path):
    from book.building import build

    outside = tmp_path / "secret.svg"
    outside.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    # a chapter's own addresses are removed before any output reads them (G101, tests/test_containment.py):
    # the project's stylesheets reach the gate
    (project / "styles").mkdir(exist_ok=True)
    (project / "styles" / "print.css").write_text(
        f"h1 {{ background: url('{outside.as_uri()}') }}\nh2 {{ background: url('http://127.0.0.1:9/x.png') }}\n",
        encoding="utf-8",
    )
    result = build(project, tmp_path / "out", ("pdf",))
    refused = sorted(str(w) for w in result.book.warnings if w.code == "G001")
    why = "a build reads only the project's own files and its fonts [G001]"
    assert refused == [
        f"book: refused to load {outside.as_uri()}: {why}",
        f"book: refused to load http://127.0.0.1:9/x.png: {why}",
    ]


def test_weasyprint_loads_its_libraries_by_soname_without_running_anything():
    """`import_weasyprint` loads WeasyPrint's libraries by their Linux sonames: every one loads (HarfBuzz's
    subsetter too, which WeasyPrint may do without), from the files ldconfig's cache gives for those names;
    no ldconfig, compiler or linker is run to look for names that exist nowhere; and the lookup is ctypes'
    own again afterwards."""
    script = """
import ctypes.util, json, subprocess
ran = []
spawn = subprocess.Popen.__init__
def recorded(self, args, *rest, **options):
    ran.append(str(args[0] if isinstance(args, (list, tuple)) else args))
    spawn(self, args, *rest, **options)
subprocess.Popen.__init__ = recorded
original = ctypes.util.find_library
from book.bootstrap import import_weasyprint
import_weasyprint()
from weasyprint.text import ffi
assert ffi.pango.pango_version() >= 14400
assert None not in (ffi.gobject, ffi.harfbuzz, ffi.harfbuzz_subset, ffi.fontconfig, ffi.pangoft2)
assert ctypes.util.find_library is original
loaded = sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line})
print(json.dumps({"ran": ran, "loaded": loaded}))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    seen = json.loads(done.stdout)
    assert seen["ran"] == []
    cached = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    loaded = {os.path.realpath(path) for path in seen["loaded"]}
    for soname in ("libpango-1.0.so.0", "libharfbuzz-subset.so.0", "libfontconfig.so.1", "libpangoft2-1.0.so.0"):
        paths = re.findall(rf"^\s*{re.escape(soname)} \(.*\) => (\S+)$", cached, re.M)
        assert paths and {os.path.realpath(p) for p in paths} & loaded, (soname, paths)
