"""The EPUB in a second engine: WebKitGTK (the WebKit of Apple Books, Kobo's and many Linux readers) beside the
Chromium of tests/test_epub.py. A chapter of the built EPUB is rendered headless (tests/webkit_reader.py, under
Debian's Python and xvfb-run, which `python3 build.py setup` installs) and read back: its Thai text is drawn in
the embedded font, and no protected name (`span.nobr`, book/thai/breaking.py) is broken across lines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import output
from PIL import Image

SYSTEM_PYTHON = Path("/usr/bin/python3")
READER = Path(__file__).resolve().parent / "webkit_reader.py"
NARROW = 320  # px: a phone's width, where lines are short and a name often meets a line's end


def webkit_problem() -> str | None:
    """Why WebKitGTK cannot run here (None when it can)."""
    if shutil.which("xvfb-run") is None:
        return "xvfb-run is not installed (Debian package xvfb; `python3 build.py setup` installs it)"
    probe = "import gi; gi.require_version('WebKit2', '4.1'); gi.require_version('Gtk', '3.0'); import cairo"
    done = (
        subprocess.run([str(SYSTEM_PYTHON), "-c", probe], capture_output=True, text=True)
        if SYSTEM_PYTHON.exists()
        else None
    )
    if done is None or done.returncode:
        return (
            "WebKitGTK is not importable from /usr/bin/python3 (Debian packages gir1.2-webkit2-4.1, python3-gi, "
            "python3-gi-cairo; `python3 build.py setup` installs them)"
        )
    return None


PROBLEM = webkit_problem()
pytestmark = pytest.mark.skipif(PROBLEM is not None, reason=str(PROBLEM))


def in_webkit(document: Path, screenshot: Path, width: int) -> dict:
    done = subprocess.run(
        ["xvfb-run", "-a", str(SYSTEM_PYTHON), str(READER), str(document), str(screenshot), str(width)],
        capture_output=True,
        text=True,
        timeout=120,
        # no GPU and no DMA-BUF under Xvfb: WebKitGTK draws in software
        env=dict(os.environ, WEBKIT_DISABLE_COMPOSITING_MODE="1", WEBKIT_DISABLE_DMABUF_RENDERER="1"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_chapter_draws_its_thai_in_the_embedded_font_and_keeps_names_whole_in_webkit(mini_book, tmp_path):
    with zipfile.ZipFile(output(mini_book, ".epub")) as archive:
        archive.extractall(tmp_path / "epub")
    shot = tmp_path / "nan.png"
    found = in_webkit(tmp_path / "epub" / "EPUB" / "nan.xhtml", shot, NARROW)
    assert found["engine"].startswith("WebKitGTK") and found["width"] == NARROW
    body = mini_book.book.fonts["body"][0].family
    # the embedded faces loaded (no system font of that name is installed: they can only be the EPUB's)
    assert found["faces"] and all(status == "loaded" for _, status in found["faces"]), found["faces"]
    assert body in {family for family, _ in found["faces"]}
    family = found["family"]
    assert family.split(",")[0].strip("\"' ") == body
    assert any("\u0e00" <= c <= "\u0e7f" for c in found["sample"])  # Thai text, measured in that family
    widths = found["widths"]
    assert widths[family] not in (widths["serif"], widths["monospace"])  # its own metrics, not a fallback's
    # protected names: never across two lines on the page, nor in a box one pixel wide; without their
    # protection WebKit would break at least one of them there (a name of several words)
    assert found["names"] and all(lines == 1 for _, lines in found["names"]), found["names"]
    assert all(kept == 1 for _, kept, _ in found["squeezed"]), found["squeezed"]
    assert any(plain > 1 for _, _, plain in found["squeezed"]), found["squeezed"]
    image = Image.open(shot).convert("L")
    dark = sum(1 for value in image.getdata() if value < 128)
    assert image.size[0] == NARROW and 0.01 < dark / (image.size[0] * image.size[1]) < 0.5  # text on a page
