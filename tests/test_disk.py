"""A disk that cannot take the outputs: a full disk, a read-only or unwritable output folder, an output folder
that is a file or cannot be made, a project folder that cannot be read. Each gives one sentence naming the
folder (D101-D108, in English and Thai), exit 1 or 2, no traceback, and leaves the files already there byte for
byte as they were. And the download page and the OPDS feed never list a file they do not describe, however a
build stops.

The builds run as subprocesses, so that the system's limits really apply: RLIMIT_FSIZE for a disk that takes no
more (write() fails with EFBIG, SIGXFSZ ignored), a real tmpfs that fills up or is made read-only where this
machine lets the tests mount one, and folder permissions. Root ignores folder permissions, so as root the build
runs without the two capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): it is then bound by them
like any other user, while it can still reach the toolkit's interpreter under /root."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import MINI, ROOT, copy_project
from lxml import etree

from book.scheduler import folder_problem

ATOM = "{http://www.w3.org/2005/Atom}"
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def full_disk(limit: int = 200_000) -> Callable[[], None]:
    """A child that may write no file larger than `limit` bytes: what a full disk looks like to a writer."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def bound_by_permissions() -> None:
    """In the child: as root, give up overriding folder and file permissions; as any other user, nothing to do."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_build(
    project: Path, out: Path, *args: str, preexec: Callable[[], None] | None = None, lang: str = "en"
) -> subprocess.CompletedProcess:
    command = [sys.executable, "build.py", *args, "--project", str(project), "--out", str(out), "--lang", lang]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, preexec_fn=preexec, timeout=300)


def contents(folder: Path) -> dict[str, bytes]:
    """Every file in `folder` and its bytes (hidden ones too: nothing may be left half written)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def said_once(done: subprocess.CompletedProcess, folder: Path, code: str) -> str:
    """The one diagnostic line of a failed build: it names `folder` and has `code`; no traceback, no internal
    error. Returns the line."""
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if f"[{code}]" in line]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{folder}: "), lines[0]
    assert [line for line in done.stderr.splitlines() if re.search(r"\[[A-Z]{1,2}\d{3}\]", line)] == lines
    return lines[0]


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the mini project, readable by everyone (the builds that give up permissions read it)."""
    root = tmp_path_factory.mktemp("disk")
    root.chmod(0o755)
    return copy_project(MINI, root / "book")


@pytest.fixture(scope="module")
def previous(book: Path) -> Path:
    """The outputs of a whole build of `book`, the "files already there" each test starts from."""
    out = book.parent / "previous"
    done = run_build(book, out)
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file() and (out / "opds.xml").is_file()
    return out


@pytest.fixture
def out(previous: Path, tmp_path: Path) -> Path:
    """An output folder holding the previous build's outputs, to build into again."""
    tmp_path.chmod(0o755)
    return Path(shutil.copytree(previous, tmp_path / "out"))


def test_a_full_disk_is_one_sentence_naming_the_folder_and_the_old_outputs_stay_whole(book, out):
    before = contents(out)
    done = run_build(book, out, preexec=full_disk())
    assert done.returncode == 1
    line = said_once(done, out, "D101")
    assert "mini-test-book-print.pdf is larger than the system lets a file be" in line
    assert contents(out) == before


def test_a_full_disk_in_thai(book, out):
    before = contents(out)
    done = run_build(book, out, preexec=full_disk(), lang="th")
    assert done.returncode == 1
    assert "ใหญ่เกินขนาดไฟล์ที่ระบบยอมให้เขียน" in said_once(done, out, "D101")
    assert contents(out) == before


@contextlib.contextmanager
def tmpfs(folder: Path, size: int) -> Iterator[Path]:
    """A real tmpfs of `size` bytes mounted at `folder`; the test is skipped where this machine cannot mount."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_real_full_disk(book, previous, tmp_path):
    old = contents(previous)
    # Room for the old outputs, and for half of the smallest book file: not for a new PDF or EPUB, whichever
    # the build writes first.
    room = min(len(data) for name, data in old.items() if name.endswith((".pdf", ".epub"))) // 2
    with tmpfs(tmp_path / "disk", sum(len(data) for data in old.values()) + room) as disk:
        out = Path(shutil.copytree(previous, disk / "out"))
        before = contents(out)
        done = run_build(book, out)
        assert done.returncode == 1
        assert "the disk is full" in said_once(done, out, "D101")
        assert contents(out) == before


def test_a_read_only_disk(book, previous, tmp_path):
    with tmpfs(tmp_path / "disk", 8_000_000) as disk:
        out = Path(shutil.copytree(previous, disk / "out"))
        before = contents(out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        done = run_build(book, out)
        assert done.returncode == 2
        assert "read-only disk" in said_once(done, out, "D103")
        assert contents(out) == before


def test_an_output_folder_that_may_not_be_written(book, out):
    before = contents(out)
    out.chmod(0o555)
    try:
        done = run_build(book, out, preexec=bound_by_permissions)
    finally:
        out.chmod(0o755)
    assert done.returncode == 2
    assert "you are not allowed to write into this folder" in said_once(done, out, "D102")
    assert contents(out) == before


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("chattr"), reason="chattr +i needs root")
def test_an_output_folder_locked_immutable(book, out):
    before = contents(out)
    if subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable flag")
    try:
        done = run_build(book, out)  # as root, with every capability: the folder still refuses (EPERM)
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    assert done.returncode == 2
    said_once(done, out, "D102")
    assert contents(out) == before


def test_an_output_folder_that_is_a_file(book, tmp_path):
    file = tmp_path / "out"
    file.write_text("not a folder", encoding="utf-8")
    done = run_build(book, file)
    assert done.returncode == 2
    assert "this is a file, not a folder" in said_once(done, file, "D104")
    assert file.read_text(encoding="utf-8") == "not a folder"
    thai = run_build(book, file, lang="th")
    assert "ที่นี่เป็นไฟล์ ไม่ใช่โฟลเดอร์" in said_once(thai, file, "D104")


@pytest.mark.parametrize("command", ["html", "schema", "pdf --chapter nan"])
def test_other_commands_given_an_output_folder_that_is_a_file(book, tmp_path, command):
    file = tmp_path / "out"
    file.write_text("not a folder", encoding="utf-8")
    done = run_build(book, file, *command.split())
    assert done.returncode == 2
    if command.startswith("pdf"):  # the booklets go into out/booklets
        said_once(done, file / "booklets", "D105")
    else:
        said_once(done, file, "D104")
    assert file.read_text(encoding="utf-8") == "not a folder"


def test_an_output_folder_inside_a_file(book, tmp_path):
    file = tmp_path / "file"
    file.write_text("not a folder", encoding="utf-8")
    done = run_build(book, file / "sub" / "out")
    assert done.returncode == 2
    assert f"because {file} is a file" in said_once(done, file / "sub" / "out", "D105")


@pytest.mark.parametrize("inside", ["", "sub"])
def test_an_output_folder_that_is_a_link_to_nothing(book, tmp_path, inside):
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "nowhere")
    done = run_build(book, link / inside if inside else link)
    assert done.returncode == 2
    assert f"a symbolic link to {tmp_path / 'nowhere'}, which does not exist" in said_once(done, link, "D109")
    assert not (tmp_path / "nowhere").exists()


def test_an_output_folder_inside_a_folder_that_may_not_be_written(book, tmp_path):
    tmp_path.chmod(0o755)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        done = run_build(book, locked / "a" / "out", preexec=bound_by_permissions)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 2
    said_once(done, locked, "D102")
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("where", [".", "chapters"])
def test_a_project_folder_that_cannot_be_read(book, tmp_path, where):
    tmp_path.chmod(0o755)
    project = copy_project(book, tmp_path / "book")
    folder = project if where == "." else project / where
    folder.chmod(0o000)
    try:
        done = run_build(project, tmp_path / "out", preexec=bound_by_permissions)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2
    assert "you are not allowed to read this project folder" in said_once(done, folder, "D106")
    assert not (tmp_path / "out").exists()


def test_a_project_folder_that_may_be_read_but_not_written_still_builds(book, tmp_path):
    # Its cache cannot be kept: the build lays out everything and says nothing of it.
    tmp_path.chmod(0o755)
    project = copy_project(book, tmp_path / "book")
    project.chmod(0o555)
    try:
        done = run_build(project, tmp_path / "out", preexec=bound_by_permissions)
    finally:
        project.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert not (project / ".cache").exists()
    assert (tmp_path / "out" / "index.html").is_file()
    assert_honest(tmp_path / "out")


def test_an_error_about_another_file_is_not_said_to_be_the_folders(tmp_path):
    # An asset that cannot be read while an output is written is the asset's problem, not the output folder's.
    elsewhere = PermissionError(13, "Permission denied", str(tmp_path / "assets" / "map.png"))
    assert folder_problem(tmp_path / "out", elsewhere) is None
    inside = PermissionError(13, "Permission denied", str(tmp_path / "out" / ".partial"))
    assert folder_problem(tmp_path / "out", inside).diagnostics[0].code == "D102"
    assert folder_problem(tmp_path / "out", FileNotFoundError(2, "No such file")) is None


# -- the download page and the feed


def listed(out: Path) -> dict[str, tuple[str | None, int | None]]:
    """What the page and the feed in `out` say of each file: its SHA-256 (the page) and its length (the feed)."""
    said: dict[str, list] = {}
    if (out / "index.html").exists():
        page = (out / "index.html").read_text(encoding="utf-8")
        for name, digest in re.findall(r'<a href="([^"]+)">[^<]+</a>.*?<code>([0-9a-f]{64})</code>', page):
            said.setdefault(name, [None, None])[0] = digest
    if (out / "opds.xml").exists():
        for link in etree.parse(str(out / "opds.xml")).getroot().iter(f"{ATOM}link"):
            if link.get("length"):
                said.setdefault(link.get("href"), [None, None])[1] = int(link.get("length"))
    return {name: tuple(facts) for name, facts in said.items()}


def assert_honest(out: Path) -> None:
    """Every size and checksum the page and the feed list is that of the file beside them."""
    for name, (digest, length) in listed(out).items():
        data = (out / name).read_bytes()
        assert digest in (None, hashlib.sha256(data).hexdigest()), f"index.html: {name} is not the file listed"
        assert length in (None, len(data)), f"opds.xml: {name} is not the file listed"


def edit(book: Path) -> None:
    """A change to a chapter, so that the next build's outputs differ from the previous ones."""
    chapter = book / "chapters" / "01-nan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nอีกหนึ่งย่อหน้า\n", encoding="utf-8")


def test_a_build_failing_on_one_output_leaves_no_page_listing_what_it_replaced(book, out, tmp_path):
    project = copy_project(book, tmp_path / "book")
    edit(project)
    before = contents(out)
    (out / "mini-test-book.epub").unlink()
    (out / "mini-test-book.epub").mkdir()  # the EPUB cannot be written; the PDFs before it are replaced
    done = run_build(project, out)
    assert done.returncode == 2
    said_once(done, out, "D108")
    assert contents(out)["mini-test-book-print.pdf"] != before["mini-test-book-print.pdf"]
    assert not (out / "index.html").exists() and not (out / "opds.xml").exists()
    assert_honest(out)
    site = {name: data for name, data in before.items() if name.startswith("site/")}
    assert {name: contents(out)[name] for name in site} == site and len(site) == 7  # the last good site, whole
    assert set(contents(out)) >= set(site)
    (out / "mini-test-book.epub").rmdir()
    assert run_build(project, out).returncode == 0  # the next whole build lists them all again
    assert set(listed(out)) >= {"mini-test-book.epub", "mini-test-book-print.pdf", "mini-test-book-cover.jpg"}
    assert_honest(out)
    assert_honest(out / "site")
    assert listed(out / "site") == listed(out)


def test_a_build_failing_before_it_replaces_anything_keeps_the_page(book, out):
    before = contents(out)
    assert run_build(book, out, preexec=full_disk()).returncode == 1
    assert contents(out) == before  # the page and the feed with the rest
    assert_honest(out)


def test_a_partial_build_lists_the_files_it_replaced_anew(book, out, tmp_path):
    project = copy_project(book, tmp_path / "book")
    edit(project)
    before = listed(out)
    assert run_build(project, out, "pdf").returncode == 0  # the PDFs anew, the EPUB as it was
    assert_honest(out)
    assert_honest(out / "site")
    assert listed(out / "site") == listed(out)  # the site is the page's files, made anew with it
    after = listed(out)
    assert set(after) == set(before)
    assert after["mini-test-book.epub"] == before["mini-test-book.epub"]
    assert after["mini-test-book-print.pdf"] != before["mini-test-book-print.pdf"]


def test_a_page_of_the_users_own_is_left_alone(book, out, tmp_path):
    project = copy_project(book, tmp_path / "book")
    edit(project)
    (out / "index.html").write_text("<!DOCTYPE html><title>our press</title>", encoding="utf-8")
    (out / "opds.xml").unlink()
    assert run_build(project, out, "print").returncode == 0
    assert (out / "index.html").read_text(encoding="utf-8") == "<!DOCTYPE html><title>our press</title>"
    assert not (out / "opds.xml").exists()


def test_a_site_folder_of_the_users_own_is_one_sentence_and_left_as_it_was(book, out):
    (out / "site" / ".htaccess").write_text("Options -Indexes\n", encoding="utf-8")
    done = run_build(book, out)
    assert done.returncode == 2
    assert ".htaccess here is not a file the build publishes" in said_once(done, out / "site", "D110")
    assert (out / "site" / ".htaccess").read_text(encoding="utf-8") == "Options -Indexes\n"
    assert_honest(out / "site")


def test_a_killed_build_leaves_no_page_listing_what_it_replaced(book, out, tmp_path):
    # Killed the moment each file is replaced: the files after it are the old ones, and the page may not say
    # so of any of them.
    project = copy_project(book, tmp_path / "book")
    command = [sys.executable, "build.py", "--project", str(project), "--out", str(out)]
    for name in ("mini-test-book-print.pdf", "mini-test-book-cover.jpg", "mini-test-book.epub"):
        edit(project)
        old = (out / name).stat().st_ino
        running = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while running.poll() is None and (out / name).stat().st_ino == old:
            time.sleep(0.002)
        running.send_signal(signal.SIGKILL)
        running.wait()
        assert_honest(out)
        assert_honest(out / "site")
