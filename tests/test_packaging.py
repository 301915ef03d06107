"""`pip install .` (not editable) gives a working toolkit: every template, stylesheet and ICC profile the
toolkit reads at run time is in the installed package, the `thaibook` command and `python -m book` build a
book from it, and the version is declared in one place (book/__init__.py)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import book

SOURCE = Path(book.__file__).resolve().parent.parent
MINI = SOURCE / "tests" / "projects" / "mini"


def package_data(root: Path) -> set[str]:
    """Every file of the `book` package under `root` that is not Python source or bytecode."""
    return {
        str(path.relative_to(root))
        for path in (root / "book").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".py", ".pyc")
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The toolkit installed by pip (a wheel built from a clean copy of the sources) into a folder of its own."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"  # a copy, so the build's own leftovers (build/, *.egg-info) stay out of the project
    source.mkdir()
    shutil.copy(SOURCE / "pyproject.toml", source)
    shutil.copy(SOURCE / "README.md", source)
    shutil.copytree(SOURCE / "book", source / "book", ignore=shutil.ignore_patterns("__pycache__"))
    target = work / "installed"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return target


def run_installed(installed: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run Python with the installed package first on the path and the project's dependencies after it; -S
    keeps the editable install of the working tree (a .pth file) out of the way."""
    dependencies = sysconfig.get_paths()["purelib"]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{installed}:{dependencies}", "HOME": str(cwd)}
    return subprocess.run([sys.executable, "-S", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_the_package_holds_every_file_read_at_run_time(installed: Path) -> None:
    shipped = package_data(SOURCE)
    assert {
        "book/styles/print.css",
        "book/templates/chapter.html",
        "book/icc/ISOcoated_v2_300_bas.icc",
        "book/icc/FOGRA29L_uncoated.icc",
    } <= shipped
    assert package_data(installed) == shipped


def test_the_version_is_declared_once(installed: Path, tmp_path: Path) -> None:
    done = run_installed(installed, "-m", "book", "--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"thaibook {book.__version__}"
    assert [p.name for p in installed.glob("*.dist-info")] == [f"thaibook-{book.__version__}.dist-info"]
    pyproject = (SOURCE / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and 'attr = "book.__version__"' in pyproject
    literal = re.compile(rf"""["']{re.escape(book.__version__)}["']""")
    declared = [p.name for p in (SOURCE / "book").rglob("*.py") if literal.search(p.read_text(encoding="utf-8"))]
    assert declared == ["__init__.py"] and not literal.search(pyproject)


def test_the_installed_command_builds_a_book(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "mini"
    shutil.copytree(MINI, project, ignore=shutil.ignore_patterns(".cache", "dist"))  # a cold build
    where = run_installed(installed, "-c", "import book; print(book.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed)  # the installed copy, not the working tree
    command = installed / "bin" / "thaibook"
    done = run_installed(installed, str(command), "--project", str(project), "--out", str(project / "out"), "all",
                         "--lang", "en", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name in ("mini-test-book-print.pdf", "mini-test-book-screen.pdf", "mini-test-book.epub", "index.html"):
        assert (project / "out" / name).stat().st_size > 0, name
    assert "print-ready" in done.stdout


def test_the_installed_command_outside_a_book_says_so_in_one_line(installed: Path, tmp_path: Path) -> None:
    """No book.yaml here and no --project: one line naming what to do, not a complaint about site-packages."""
    command = installed / "bin" / "thaibook"
    for lang, words in (("en", "no book here"), ("th", "ที่นี่ไม่มีหนังสือ")):
        done = run_installed(installed, str(command), "check", "--lang", lang, cwd=tmp_path)
        assert done.returncode == 2 and done.stdout == "", done.stderr
        (line,) = done.stderr.splitlines()
        assert words in line and f"{command} init DIR" in line and "--project" in line, line
        assert str(installed) not in line.replace(str(command), "") and "Traceback" not in done.stderr


def test_the_installed_init_prints_commands_that_work(installed: Path, tmp_path: Path) -> None:
    command = installed / "bin" / "thaibook"
    done = run_installed(installed, str(command), "init", "my-book", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"made a new book in {tmp_path / 'my-book'} ")
    cd, check = (line.strip() for line in lines[2:4])
    assert cd == f"cd {tmp_path / 'my-book'}" and check.startswith(f"{command} check ")
    readme = (tmp_path / "my-book" / "README.md").read_text(encoding="utf-8")
    assert f"{command} check" in readme and "/docs/" not in readme  # no clone, so no guides to point to
    # the printed check, as printed (the command is a script of the installed package: run it with -S)
    done = run_installed(installed, *check.split("#")[0].split(), "--lang", "en", cwd=tmp_path / "my-book")
    assert done.returncode == 0 and done.stdout.startswith("ok: "), done.stdout + done.stderr
