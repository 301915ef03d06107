"""Nothing lost: a build killed at any moment leaves every output either the old complete file or a new
complete one, and two builds at once take turns."""

import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
from conftest import ROOT
from test_disk import assert_honest

TRIALS = 20


def complete(path: Path) -> bool:
    """Whether a file is whole: a PDF qpdf accepts, a readable EPUB zip, a CSV with its header, a JPEG, the
    download page and the OPDS feed."""
    if path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            len(pdf.pages)
        return subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
    if path.suffix == ".epub":
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None and archive.read("mimetype") == b"application/epub+zip"
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    if path.suffix == ".xml":
        from lxml import etree

        return etree.parse(str(path)).getroot().tag == "{http://www.w3.org/2005/Atom}feed"
    if path.suffix == ".csv":
        return path.read_text(encoding="utf-8").startswith("id,chapter,caption")
    if path.suffix == ".jpg":
        from PIL import Image

        with Image.open(path) as picture:
            picture.verify()
        return True
    return False


def build(project: Path, out: Path) -> subprocess.Popen:
    command = [sys.executable, "build.py", "--project", str(project), "--out", str(out)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def killed_while_replacing(project: Path, out: Path, delay: float) -> None:
    """Build into `out` and kill the build `delay` seconds after it replaced its first output (a PDF, the EPUB,
    the manifest, the cover's JPEG), or as it ends. The outputs are replaced in the last few tenths of a second
    of a build: a kill at a random moment of a build of a few seconds seldom falls there."""

    def stamp(path: Path) -> tuple[int, int] | None:
        try:
            status = path.stat()
        except FileNotFoundError:
            return None
        return status.st_ino, status.st_mtime_ns

    watched = [p for p in out.iterdir() if p.is_file() and p.suffix in (".pdf", ".epub", ".csv", ".jpg")]
    before = {path: stamp(path) for path in watched}
    running = build(project, out)
    while running.poll() is None:
        if any(stamp(path) != was for path, was in before.items()):
            time.sleep(delay)
            break
        time.sleep(0.005)
    running.send_signal(signal.SIGKILL)
    running.wait()


def test_killing_a_build_never_leaves_a_broken_output(project, tmp_path):
    out = tmp_path / "out"
    assert build(project, out).wait() == 0
    old = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert len(old) >= 5
    chapter = project / "chapters" / "01-nan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("มาหลายชั่วอายุคน", "มานาน"), "utf-8")
    started = time.perf_counter()
    assert build(project, tmp_path / "timing").wait() == 0
    duration = time.perf_counter() - started
    chance = random.Random(2569)
    replaced = 0
    for trial in range(TRIALS):
        if trial % 4 == 3:  # in the last fraction of a second of a build, while it replaces its outputs
            killed_while_replacing(project, out, chance.uniform(0, 0.15))
        else:
            running = build(project, out)
            time.sleep(chance.uniform(0.2, duration))
            running.send_signal(signal.SIGKILL)
            running.wait()
        files = {p.name: p for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
        # The page and the feed are gone while the files they list are replaced, never stale (tests/test_disk.py).
        assert set(files) <= set(old) and set(old) - set(files) <= {"index.html", "opds.xml"}
        assert_honest(out)
        site = {p.name: p for p in (out / "site").iterdir() if not p.name.startswith(".")}  # so is the site
        assert set(site) <= set(old) - {"infographics.csv"}
        assert_honest(out / "site")
        assert all(complete(path) for path in site.values())
        for name, path in files.items():
            data = path.read_bytes()
            if data != old[name]:
                assert complete(path), f"{name} is neither the old file nor a complete new one"
                replaced += 1
    assert replaced > 0  # some kills came after some outputs were replaced
    assert build(project, out).wait() == 0
    assert not (out / ".partial").exists() and not (out / "site" / ".partial").exists()
    assert all(complete(p) for p in out.iterdir() if p.is_file() and not p.name.startswith("."))
    assert {p.name for p in (out / "site").iterdir()} == set(old) - {"infographics.csv"}


def test_two_builds_at_once_take_turns(project, tmp_path):
    out = tmp_path / "out"
    first, second = build(project, out), build(project, out)
    assert first.wait() == 0 and second.wait() == 0
    assert all(complete(p) for p in out.iterdir() if p.is_file() and not p.name.startswith("."))
    assert all(complete(p) for p in (out / "site").iterdir())


def _write_many(folder: str, worker: int) -> int:
    from book.scheduler.files import write_text_atomic

    for n in range(300):
        write_text_atomic(Path(folder) / f"{worker}-{n}.txt", f"{worker} {n}")
    return worker


def test_processes_writing_into_one_folder_at_once_never_trip_over_its_scratch_folder(tmp_path):
    # The print PDF, the EPUB and the files beside them are written by two processes at once; each write
    # makes the shared scratch folder and removes it when it finds it empty.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(4) as pool:
        assert sorted(pool.map(_write_many, [str(tmp_path)] * 4, range(4))) == [0, 1, 2, 3]
    assert len(list(tmp_path.glob("*.txt"))) == 4 * 300
    assert (tmp_path / "3-299.txt").read_text(encoding="utf-8") == "3 299"
    assert not (tmp_path / ".partial").exists()
