"""The build's progress display and closing summary, seen as a user sees them: the CLI run in a real
pseudo-terminal (a ticking line rewritten in place) and in a pipe or CI (plain lines), with a real build."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

STEP_LINE = re.compile(r"^\[\s*\d+\.\d+s\] \S", re.MULTILINE)
SCRIPTS = '\n<div onclick="x()">ข้อความ</div>\n\n<script>a()</script>\n\n<script>b()</script>\n'


def run_build(
    project: Path, *args: str, terminal: bool = False, ci: bool = False, locale: str = "C.UTF-8"
) -> tuple[str, str, int]:
    """Run `python -m book ARGS` on `project` under `locale`; stderr goes to a pseudo-terminal when `terminal`."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = locale
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "book", "--project", str(project), "--out", str(project / "out"), *args]
    if not terminal:
        done = subprocess.run(command, capture_output=True, env=env, timeout=600)
        return done.stdout.decode(), done.stderr.decode(), done.returncode
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    stdout = process.stdout.read()
    process.stdout.close()
    return stdout.decode(), seen.decode(), process.wait(timeout=600)


def with_warnings(project: Path) -> Path:
    """Two <script>s and an onclick in a chapter: warnings H002 ×2 and H003 ×1, the build goes on."""
    with open(project / "chapters" / "01-nan.md", "a", encoding="utf-8") as chapter:
        chapter.write(SCRIPTS)
    return project


def test_terminal_shows_one_updating_line_then_the_summary(project: Path) -> None:
    stdout, stderr, code = run_build(with_warnings(project), "all", "--lang", "en", terminal=True)
    assert code == 0, stderr
    assert "\r\x1b[K[" in stderr  # the line is redrawn in place, not appended to
    assert not STEP_LINE.search(stderr.replace("\r\n", "\n"))  # no plain step lines on a terminal
    assert "laying out 6 of 7 parts" in stderr and "writing and preflighting the files" in stderr
    assert stderr.count("\r\x1b[K") > 6  # every step, and the clock ticking between them
    # the line is cleared before the warnings, so they start at the left margin
    assert "\r\x1b[Kchapters/01-nan.md:" in stderr
    summary = stdout[stdout.index("summary:") :].splitlines()
    assert re.fullmatch(r"  mini-test-book-print\.pdf +\d+ pages +\d+ KB", summary[1])
    assert any(re.fullmatch(r"  mini-test-book\.epub +\d+ KB", line) for line in summary)
    assert "warnings: 4 (H002 ×2, H003 ×1, P121 ×1)" in summary  # P121: the print PDF keeps a placeholder
    assert re.fullmatch(r"built in \d+\.\ds", summary[-1])


def test_pipe_and_ci_show_plain_lines(project: Path) -> None:
    with_warnings(project)
    for terminal, ci in ((False, False), (True, True)):
        stdout, stderr, code = run_build(project, "epub", terminal=terminal, ci=ci, locale="en_GB.UTF-8")
        assert code == 0, stderr
        assert "\x1b[K" not in stderr
        steps = STEP_LINE.findall(stderr.replace("\r\n", "\n"))
        assert len(steps) == 3, stderr  # reading, laying out (the page list), packaging the EPUB: one line each
        assert "warnings: 3 (H002 ×2, H003 ×1)" in stdout
        assert "mini-test-book.epub" in stdout.split("summary:")[1]


def test_json_output_has_no_summary(project: Path) -> None:
    with_warnings(project)
    command = [sys.executable, "-m", "book", "--project", str(project), "--out", str(project / "out")]
    done = subprocess.run([*command, "--format", "json", "epub"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # stdout is one JSON document and nothing else: no summary
    assert sorted(d["code"] for d in report["diagnostics"]) == ["H002", "H002", "H003"]


def test_the_summary_speaks_the_interface_language(project: Path) -> None:
    with_warnings(project)
    stdout, _, _ = run_build(project, "epub")  # no choice anywhere: Thai
    assert "สรุป:" in stdout and "คำเตือน: 3 (H002 ×2, H003 ×1)" in stdout and "สร้างเสร็จใน " in stdout
    stdout, _, _ = run_build(project, "epub", locale="en_US.UTF-8")  # the locale
    assert "summary:" in stdout and "warnings: 3 (H002 ×2, H003 ×1)" in stdout
    config = project / "book.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "interface: th\n", encoding="utf-8")
    stdout, _, _ = run_build(project, "epub", locale="en_US.UTF-8")  # book.yaml over the locale
    assert "สรุป:" in stdout and "summary:" not in stdout
    stdout, _, _ = run_build(project, "--lang", "en", "epub")  # the option over book.yaml
    assert "summary:" in stdout and "สรุป:" not in stdout
