"""Bounded input and bad bytes: hostile or careless files give a diagnostic with file:line, never a hang, a full
memory, a traceback or "internal error". Sample projects are in tests/projects/bounded/, laid over the mini
project; what git cannot hold (FIFOs, sparse files, devices, bytes that are not UTF-8) is made here."""

from __future__ import annotations

import os
import shutil
import stat
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from conftest import PROJECTS, ROOT, problems

BOUNDED = PROJECTS / "bounded"
FRONT = "---\nslug: hostile\ntitle: เมืองทดสอบ\ncity: ทดสอบ\nprovince: ทดสอบ\narea: ทดสอบ\nprojects: 1\n---\n\n"
CHAPTER = "chapters/03-hostile.md"


def overlay(project: Path, case: str) -> Path:
    """Lay the files of tests/projects/bounded/CASE over the project."""
    shutil.copytree(BOUNDED / case, project, dirs_exist_ok=True)
    return project


def chapter(project: Path, body: str) -> Path:
    path = project / CHAPTER
    path.write_text(FRONT + body + "\n", encoding="utf-8")
    return path


def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """build.py as a user runs it."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")} | {"LANG": "C.UTF-8"}
    command = [sys.executable, str(ROOT / "build.py"), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)


def assert_refused(done: subprocess.CompletedProcess, expected: str) -> None:
    assert done.returncode != 0, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert expected in done.stderr.splitlines(), done.stderr


# -- YAML aliases and nesting, in every place YAML is read


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("alias-book", "book.yaml:3:8: YAML aliases (*a) are not allowed; write the value out in full [B103]"),
        ("alias-front-matter", f"{CHAPTER}:4:7: YAML aliases (*t) are not allowed; write the value out in full [B103]"),
        (
            "alias-infographic",
            f"{CHAPTER}:15:9: YAML aliases (*c) are not allowed; write the value out in full [B103]",
        ),
        (
            "alias-fonts",
            "fonts/fonts.yaml:4:8: YAML aliases (*sarabun) are not allowed; write the value out in full [B103]",
        ),
        ("deep-yaml", "book.yaml:1:39: YAML nested more than 32 levels deep; write it flatter [B104]"),
    ],
)
def test_yaml_aliases_and_deep_nesting_are_refused_everywhere(project, case, expected):
    start = time.monotonic()
    assert problems(overlay(project, case)) == [expected]
    assert time.monotonic() - start < 30


def test_an_alias_bomb_fails_check_and_build_alike(tmp_path, project):
    overlay(project, "alias-book")
    expected = "book.yaml:3:8: YAML aliases (*a) are not allowed; write the value out in full [B103]"
    assert_refused(run("check", "--project", str(project), "--lang", "en"), expected)
    assert_refused(run("--project", str(project), "--out", str(tmp_path / "out"), "--lang", "en"), expected)


# -- only regular files, and never more than a kind's limit


def test_a_fifo_chapter_does_not_hang_the_build(project, tmp_path):
    os.mkfifo(project / CHAPTER)
    expected = f"{CHAPTER}: this is a named pipe (FIFO), not a regular file; only regular files are read [B101]"
    assert problems(project) == [expected]
    assert_refused(run("check", "--project", str(project), "--lang", "en", timeout=120), expected)
    built = run("--project", str(project), "--out", str(tmp_path / "out"), "--lang", "en", timeout=120)
    assert_refused(built, expected)


@pytest.mark.parametrize("place", ["book.yaml", "fonts/fonts.yaml", "words/names.txt"])
def test_a_fifo_anywhere_does_not_hang_the_build(project, place):
    if place.startswith("words/"):
        (project / "words").mkdir()
        with (project / "book.yaml").open("a", encoding="utf-8") as config:
            config.write("words: [words/*.txt]\n")
    (project / place).unlink(missing_ok=True)
    os.mkfifo(project / place)
    expected = f"{place}: this is a named pipe (FIFO), not a regular file; only regular files are read [B101]"
    assert problems(project) == [expected]
    if place == "book.yaml":  # read before anything else, for its interface language: without --lang too
        done = run("check", "--project", str(project), timeout=120)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "book.yaml: สิ่งนี้เป็นไปป์ (FIFO) ไม่ใช่ไฟล์ธรรมดา โปรแกรมอ่านได้เฉพาะไฟล์ธรรมดา [B101]" in done.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("place", [CHAPTER, "book.yaml", "fonts/fonts.yaml", "words/names.txt"])
def test_a_device_linked_in_is_never_read(project, device, place):
    """Read, it would fill the memory. book.yaml and fonts.yaml are named as what they are; a chapter or a word
    list linked out of the project is refused by the containment gate before (G105)."""
    if place.startswith("words/"):
        (project / "words").mkdir()
        with (project / "book.yaml").open("a", encoding="utf-8") as config:
            config.write("words: [words/*.txt]\n")
    target = project / place
    target.unlink(missing_ok=True)
    target.symlink_to(device)
    start = time.monotonic()
    (found,) = problems(project)
    assert time.monotonic() - start < 30
    if place in ("book.yaml", "fonts/fonts.yaml"):
        assert found == f"{place}: this is a device, not a regular file; only regular files are read [B101]"
    else:
        assert place.split("/")[0] in found and found.endswith(("[B101]", "[G105]")), found


def test_a_device_node_in_the_project_is_never_read(project):
    try:
        os.mknod(project / CHAPTER, 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("making a device node needs root")
    assert problems(project) == [f"{CHAPTER}: this is a device, not a regular file; only regular files are read [B101]"]


def test_a_folder_named_like_a_chapter(project):
    (project / CHAPTER).mkdir()
    assert problems(project) == [f"{CHAPTER}: this is a folder, not a regular file; only regular files are read [B101]"]


@pytest.mark.parametrize(
    ("place", "limit"), [(CHAPTER, 2), ("book.yaml", 1), ("fonts/fonts.yaml", 1), ("words/names.txt", 8)]
)
def test_a_huge_file_is_refused_before_it_is_read(project, place, limit):
    if place.startswith("words/"):
        (project / "words").mkdir()
        with (project / "book.yaml").open("a", encoding="utf-8") as config:
            config.write("words: [words/*.txt]\n")
    path = project / place
    with path.open("ab") as sparse:  # 3 GB of nothing on disk: reading it would take the memory
        sparse.truncate(3 * 2**30)
    start = time.monotonic()
    assert problems(project) == [f"{place}: the file is 3072.0 MB, over the {limit} MB a file may be; split it [C008]"]
    assert time.monotonic() - start < 30


# -- nesting in Markdown and raw HTML


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (">" * 10000 + " ลึก", "block quotes nested 10000 levels deep, more than the 20 a chapter may have"),
        ("> " * 3000 + "ลึก", "block quotes nested 3000 levels deep, more than the 20 a chapter may have"),
        ("\n".join("    " * i + "- ระดับ" for i in range(40)), "lists nested 21 levels deep"),
        ("- " * 5000 + "ลึก", "lists nested 5000 levels deep"),
        ("1. " * 5000 + "ลึก", "lists nested 5000 levels deep"),
        ("<div>" * 10000 + "ลึก" + "</div>" * 10000, "HTML elements nested 21 levels deep"),
        ("ข้อความ " + "<span>" * 10000 + "ลึก" + "</span>" * 10000, "HTML elements nested 21 levels deep"),
        ("[" * 50000, "square brackets [ ] nested 21 levels deep"),
        ("::: pullquote\n" + ">" * 5000 + " ลึก\n:::", "block quotes nested 5000 levels deep"),
    ],
)
def test_nesting_bombs_are_refused_with_their_line(project, body, expected):
    chapter(project, "ข้อความ\n\n" + body)
    start = time.monotonic()
    (found,) = problems(project)
    line = 12 + (body.startswith(":::")) + (20 if body.startswith("- ระดับ") else 0)
    assert found.startswith(f"{CHAPTER}:{line}: {expected}") and "[B107]" in found, found
    assert time.monotonic() - start < 30


def test_nesting_the_scan_does_not_count_is_still_a_diagnostic(project):
    chapter(project, "ข้อความ\n\n" + "*" * 20000 + "ลึก" + "*" * 20000)
    assert problems(project) == [
        f"{CHAPTER}:9: the Markdown is nested too deeply to convert; nest lists and quotes less [B108]"
    ]


def test_nesting_within_the_limit_keeps_every_word(project):
    from book.project.reading import load_book

    quotes = "\n".join(">" * 20 + f" คำที่{n}" for n in range(3))
    lists = "\n".join("    " * i + f"- ระดับ{i}" for i in range(20))
    divs = "<div>" * 20 + "ในสุด" + "</div>" * 20
    chapter(project, f"{quotes}\n\n{lists}\n\n{divs}")
    html = load_book(project).chapter("hostile").html
    for word in ["คำที่0", "คำที่2", "ระดับ0", "ระดับ19", "ในสุด"]:
        assert word in html


def test_a_nesting_bomb_fails_check_and_build_alike(project, tmp_path):
    chapter(project, "<div>" * 10000 + "ลึก" + "</div>" * 10000)
    expected = (
        f"{CHAPTER}:10: HTML elements nested 21 levels deep, more than the 20 a chapter may have; nest them less [B107]"
    )
    assert_refused(run("check", "--project", str(project), "--lang", "en"), expected)
    assert_refused(run("--project", str(project), "--out", str(tmp_path / "out"), "--lang", "en"), expected)


# -- every picture gets the image checks, infographic artwork too


def svg_artwork(project: Path, svg: str) -> None:
    overlay(project, "svg-artwork")
    (project / "assets" / "infographics" / "hostile-script.svg").write_text(svg, encoding="utf-8")


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="9" height="9">{}</svg>'
UNSAFE_SVGS = [
    ("<script>alert(1)</script>", "an SVG with a <script> element, which could run code; remove it from the file"),
    ('<g onload="alert(1)"/>', "an SVG with an event handler (onload=), which could run code"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', "an SVG with a javascript: address, which could run code"),
    ('<a xlink:href=" jav&#x09;ascript:alert(1)"><text>x</text></a>', "an SVG with a javascript: address"),
    ("<foreignObject><div>x</div></foreignObject>", "an SVG with a <script> element"),
    ('<image href="http://example.org/x.png"/>', "an SVG that loads http://example.org/x.png from elsewhere"),
    ('<image xlink:href="../../secret.png"/>', "an SVG that loads ../../secret.png from elsewhere"),
    ('<use href="other.svg#shape"/>', "an SVG that loads other.svg#shape from elsewhere"),
    ("<style>@import 'http://example.org/a.css';</style>", "an SVG that loads @import 'http://example.org/a.css'"),
    ('<rect style="fill: url(file:///etc/passwd)"/>', "an SVG that loads url(file:///etc/passwd from elsewhere"),
    ('<rect style="fill: \\75 rl(http://x.org/a)"/>', "an SVG that loads url(http://x.org/a from elsewhere"),
]


@pytest.mark.parametrize(("inner", "expected"), UNSAFE_SVGS)
def test_svg_artwork_that_could_run_or_load_code_is_refused(project, inner, expected):
    svg_artwork(project, SVG.format(inner))
    (found,) = problems(project)
    assert found.startswith(f"{CHAPTER}:12: image infographics/hostile-script.svg: {expected}"), found


def test_svg_artwork_with_an_entity_hiding_a_script_is_refused(project):
    svg_artwork(project, '<!DOCTYPE svg [<!ENTITY e "javascript:alert(1)">]>' + SVG.format('<a href="&e;"/>'))
    (found,) = problems(project)
    assert "an SVG with an entity (&e;) that hides markup or an address" in found and found.endswith("[B110]")


def test_the_sample_svg_artwork_is_refused_and_never_reaches_an_output(project, tmp_path):
    overlay(project, "svg-artwork")
    expected = (
        f"{CHAPTER}:12: image infographics/hostile-script.svg: an SVG with an event handler (onload=), "
        "which could run code; remove it from the file [B110]"
    )
    assert_refused(run("check", "--project", str(project), "--lang", "en"), expected)
    assert_refused(run("--project", str(project), "--out", str(tmp_path / "out"), "--lang", "en"), expected)
    assert not any("alert" in p.read_bytes().decode("latin-1") for p in (tmp_path / "out").rglob("*") if p.is_file())


def test_a_clean_svg_artwork_with_inner_references_is_kept(project):
    from book.project.reading import load_book

    svg_artwork(
        project,
        SVG.format('<defs><g id="s"><rect width="2" height="2" style="fill: url(#g)"/></g></defs><use href="#s"/>'),
    )
    book = load_book(project)
    assert book.chapter("hostile").infographics[0].artwork.name == "hostile-script.svg"


def test_every_picture_a_chapter_names_gets_the_image_checks(project):
    from PIL import Image

    (project / "assets" / "evil.svg").write_text(SVG.format("<script>alert(1)</script>"), encoding="utf-8")
    (project / "assets" / "bomb.png").write_bytes(png_claiming(9000, 9000))
    # alone in its paragraph it is a figure, printed a column wide: enough pixels for that (test_pictures.py)
    Image.new("RGB", (1200, 1200)).save(project / "assets" / "map.png")
    chapter(
        project,
        '<div><svg><image href="evil.svg"/></svg></div>\n\n'
        '<p><img src="map.png" srcset="map.png 1x, bomb.png 2x" alt="แผนที่"/></p>\n\n'
        '<p><svg><use href="../book.yaml#x"/></svg></p>',
    )
    assert problems(project) == [
        f"{CHAPTER}:10: image evil.svg: an SVG with a <script> element, which could run code; "
        "remove it from the file [B110]",
        f"{CHAPTER}:12: image bomb.png: 9000 x 9000 pixels is more than the 40,000,000 allowed [I003]",
        f"{CHAPTER}:14: image ../book.yaml: outside the project's assets/ folder [I001]",
    ]


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels, though it holds one row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(9000, 9000), (100_000, 100_000)])
def test_png_artwork_with_an_absurd_pixel_count_is_refused(project, size):
    overlay(project, "svg-artwork")
    (project / "assets" / "infographics" / "hostile-script.svg").unlink()
    (project / "assets" / "infographics" / "hostile-script.png").write_bytes(png_claiming(*size))
    (found,) = problems(project)
    pixels = f"{size[0]} x {size[1]} pixels" if size[0] < 10_000 else f"{size[0] * size[1]:,} pixels"
    assert found.startswith(f"{CHAPTER}:12: image infographics/hostile-script.png: {pixels} is more than"), found
    assert found.endswith(("[I003]", "[B114]"))


@pytest.mark.parametrize(("make", "what"), [(os.mkfifo, "a named pipe (FIFO)"), (Path.mkdir, "a folder")])
def test_artwork_that_is_no_regular_file_is_named(project, make, what):
    overlay(project, "svg-artwork")
    artwork = project / "assets" / "infographics" / "hostile-script.svg"
    artwork.unlink()
    make(artwork)
    assert problems(project) == [
        f"{CHAPTER}:12: image infographics/hostile-script.svg: this is {what}, not a regular file [B113]"
    ]


def test_an_image_that_is_no_regular_file_or_too_big_is_refused(project):
    (project / "assets" / "zero.png").symlink_to("/dev/zero")
    os.mkfifo(project / "assets" / "pipe.png")
    with (project / "assets" / "big.png").open("wb") as sparse:
        sparse.truncate(40 * 2**20)
    chapter(project, "![ศูนย์](zero.png)\n\n![ท่อ](pipe.png)\n\n![ใหญ่](big.png)")
    start = time.monotonic()
    assert problems(project) == [
        f"{CHAPTER}:10: image zero.png: outside the project's assets/ folder [I001]",
        f"{CHAPTER}:12: image pipe.png: this is a named pipe (FIFO), not a regular file [B113]",
        f"{CHAPTER}:14: image big.png: the file is 40.0 MB, over the 32 MB an image may be [B112]",
    ]
    assert time.monotonic() - start < 30


# -- bytes that are not UTF-8 text, and control characters, in every kind of file

BAD_BYTES = {
    "nul": (b"\x00", "a control character (U+0000) that no text should hold; remove it [B105]"),
    "c0": (b"\x1b[31m", "a control character (U+001B) that no text should hold; remove it [B105]"),
    "c1": ("\u0085".encode(), "a control character (U+0085) that no text should hold; remove it [B105]"),
    "surrogate-escaped": (
        "\udc80".encode("utf-8", "surrogateescape"),
        "not valid UTF-8 (byte 0x80); save the file as UTF-8 [C003]",
    ),
    "surrogate-utf8": (
        "\udc80".encode("utf-8", "surrogatepass"),
        "not valid UTF-8: a lone surrogate (half of a UTF-16 pair); save the file as UTF-8 [B106]",
    ),
    "latin-1": ("ก café".encode()[:4] + "café".encode("latin-1"), "not valid UTF-8 (byte 0xe9)"),
}
PLACES = {
    CHAPTER: (FRONT + "ข้อความแรก\n\nข้อความ ", 12),
    "book.yaml": (None, None),
    "fonts/fonts.yaml": (None, None),
    "words/names.txt": ("หัวหิน\nแม่สอด ", 2),
}


@pytest.mark.parametrize("bad", list(BAD_BYTES))
@pytest.mark.parametrize("place", list(PLACES))
def test_bad_bytes_are_named_by_file_line_and_column(project, place, bad):
    if place.startswith("words/"):
        (project / "words").mkdir()
        with (project / "book.yaml").open("a", encoding="utf-8") as config:
            config.write("words: [words/*.txt]\n")
    path = project / place
    before, line = PLACES[place]
    if before is None:  # a YAML file: the bad bytes go into a comment at its end, where nothing else is read
        before = path.read_text(encoding="utf-8") + "# ความเห็น "
        line = before.count("\n") + 1
    data, message = BAD_BYTES[bad]
    path.write_bytes(before.encode() + data + " ท้าย\n".encode())
    col = len(before.rsplit("\n", 1)[-1]) + 1 + (5 if bad == "latin-1" else 0)
    found = problems(project)
    assert len(found) == 1 and found[0].startswith(f"{place}:{line}:{col}: {message}"), found


@pytest.mark.parametrize("place", ["words/names.txt", "fonts/fonts.yaml", CHAPTER])
def test_bad_bytes_fail_check_and_build_alike(project, tmp_path, place):
    (project / "words").mkdir()
    with (project / "book.yaml").open("a", encoding="utf-8") as config:
        config.write("words: [words/*.txt]\n")
    (project / "words" / "names.txt").write_text("หัวหิน\n", encoding="utf-8")
    path = project / place
    if place == CHAPTER:
        path.write_text(FRONT, encoding="utf-8")
    path.write_bytes(path.read_bytes() + b"\x00\n")
    line = path.read_bytes().count(b"\n")
    expected = f"{place}:{line}:1: a control character (U+0000) that no text should hold; remove it [B105]"
    assert_refused(run("check", "--project", str(project), "--lang", "en"), expected)
    assert_refused(run("--project", str(project), "--out", str(tmp_path / "out"), "--lang", "en"), expected)


# -- the commands that only glance at the project (`new`) read it the same bounded way


def test_new_chapter_is_not_hung_or_exploded_by_the_project(project):
    """`new chapter` reads book.yaml's `order:` and each chapter's slug: an alias bomb in the order would stand
    for 10^9 names and a FIFO chapter would never end. Both are left for `check` to name; `new` adds its file."""
    laughs = (BOUNDED / "alias-book" / "book.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    before = len((project / "book.yaml").read_text(encoding="utf-8").splitlines())
    with (project / "book.yaml").open("a", encoding="utf-8") as config:
        config.write(laughs + "order: *i\n")
    os.mkfifo(project / CHAPTER)
    done = run(
        "new",
        "chapter",
        "khon-kaen",
        "--set",
        "city=ขอนแก่น",
        "--set",
        "province=ขอนแก่น",
        "--set",
        "area=เมือง",
        "--set",
        "projects=1",
        "--title",
        "ขอนแก่น",
        "--project",
        str(project),
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert list((project / "chapters").glob("*khon-kaen.md")), done.stderr
    checked = run("check", "--project", str(project), "--lang", "en", timeout=120)
    alias = f"book.yaml:{before + 2}:8: YAML aliases (*a) are not allowed; write the value out in full [B103]"
    assert_refused(checked, alias)


@pytest.mark.parametrize("place", ["styles/print.css", "templates/chapter.html"])
def test_a_stylesheet_or_template_is_bounded_too(project, place):
    path = project / place
    path.parent.mkdir(exist_ok=True)
    os.mkfifo(path)
    fifo = f"{place}: this is a named pipe (FIFO), not a regular file; only regular files are read [B101]"
    assert problems(project) == [fifo]
    path.unlink()
    with path.open("wb") as sparse:
        sparse.truncate(3 * 2**30)
    assert problems(project) == [f"{place}: the file is 3072.0 MB, over the 1 MB a file may be; split it [C008]"]
    path.write_bytes(b"/* \xe9 */\n")
    assert problems(project) == [f"{place}:1:4: not valid UTF-8 (byte 0xe9); save the file as UTF-8 [C003]"]


@pytest.mark.parametrize(
    ("place", "text", "where"),
    [
        ("book.yaml", 'subtitle: "ก\\udc80"\n', "book.yaml:{n}:11"),
        (CHAPTER, FRONT.replace("title: เมืองทดสอบ", 'title: "ก\\x00ข"') + "ข้อความ\n", f"{CHAPTER}:3:8"),
        (
            CHAPTER,
            FRONT + '::: infographic hostile-escape\ncaption: "\\x85"\nsize: column\nbrief: ภาพ\n:::\n',
            f"{CHAPTER}:11:10",
        ),
        ("fonts/fonts.yaml", 'Other:\n  package: "\\x1b[31m"\n', "fonts/fonts.yaml:{n}:12"),
    ],
)
def test_yaml_escapes_for_controls_or_lone_surrogates_are_refused(project, place, text, where):
    """The file's bytes are clean UTF-8, but a quoted scalar's escape makes a character no text should hold."""
    path = project / place
    before = path.read_text(encoding="utf-8") if path.exists() and place != CHAPTER else ""
    path.write_text(before + text, encoding="utf-8")
    (found,) = problems(project)
    assert found.startswith(where.format(n=before.count("\n") + 1 + text.count("\n") - 1) + ": a YAML escape stands")
    assert found.endswith("[B109]")


@pytest.mark.parametrize("reference", ["&#0;", "&#x85;", "&#xDC80;", "&#1114112;", "&#X1b;"])
def test_character_references_for_controls_are_refused(project, reference):
    chapter(project, f"ข้อความ\n\nก {reference} ข")
    (found,) = problems(project)
    assert found.startswith(f"{CHAPTER}:12:3: the character reference {reference} stands for U+"), found
    assert found.endswith("[B105]")
