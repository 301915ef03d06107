"""`python3 build.py setup`: everything the README's first command promises, on a bare Python 3.11; and
`python3 build.py lock`: the lock that setup installs from, made again.

Only the standard library is used here: this runs before any dependency is installed.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
# Every Python package that setup installs, at one exact version each: a pip constraints file.
LOCK = ROOT / "requirements.lock"
PROJECT = "thaibook"
LOCK_COMMAND = "python3 build.py lock"
LOCK_HEADER = f"""\
# The exact version of every Python package the toolkit and its tests install (its dependencies, the
# `test` extra and everything they pull in), for Python 3.11 on Linux. `python3 build.py setup` installs
# with it as a constraints file: pip install --constraint requirements.lock --editable .[test]
# Made by `{LOCK_COMMAND}`: a throwaway virtual environment, `pip install --editable .[test]` there with
# no constraints, then `pip freeze --exclude {PROJECT}`. Run it again to move to newer releases; do not
# edit this file by hand.
"""

# What WeasyPrint needs to lay out Thai: Pango asks libthai for word breaks; HarfBuzz subsets the fonts.
LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz-subset": "libharfbuzz-subset0",
    "thai": "libthai0",
}
# What the test suite uses to check the outputs with independent tools.
TOOLS = {
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfimages": "poppler-utils",
    "pdftoppm": "poppler-utils",  # also the build's: the front cover JPEG for the EPUB
    "gs": "ghostscript",  # its CMYK ICC profile stands in for a printer's own in the tests
    "qpdf": "qpdf",
    "java": "default-jre-headless",  # EPUBCheck
    "chromium": "chromium",  # the reader's view and the preview, in a real browser
    "npm": "npm",  # Ace by DAISY, the EPUB accessibility checker (Debian's nodejs comes with it)
    "xvfb-run": "xvfb",  # a display for WebKitGTK, the EPUB's second engine (tests/test_webkit.py)
    "xauth": "xauth",  # xvfb-run needs it; xvfb only recommends it, and setup installs no recommendations
}
# The EPUB's second engine, WebKitGTK, driven from Debian's own Python (tests/webkit_reader.py): files that
# only the package named installs (a glob under /usr).
FILES = {
    "lib/*/girepository-1.0/WebKit2-4.1.typelib": "gir1.2-webkit2-4.1",
    "lib/python3/dist-packages/gi/__init__.py": "python3-gi",
    "lib/python3/dist-packages/gi/_gi_cairo*.so": "python3-gi-cairo",
    "lib/*/dri/swrast_dri.so": "libgl1-mesa-dri",  # software GL under Xvfb; WebKitGTK only recommends it
}


def missing_packages() -> list[str]:
    """Debian packages that are needed and not installed, in a stable order."""
    missing = [pkg for lib, pkg in LIBRARIES.items() if ctypes.util.find_library(lib) is None]
    missing += [pkg for tool, pkg in TOOLS.items() if shutil.which(tool) is None]
    missing += [pkg for pattern, pkg in FILES.items() if not any(Path("/usr").glob(pattern))]
    if importlib.util.find_spec("ensurepip") is None:
        missing.append("python3-venv")
    return sorted(set(missing))


THAI_DICTIONARY = Path("/usr/share/libthai/thbrk.tri")


def thai_support_problem(find_library=ctypes.util.find_library, dictionary: Path = THAI_DICTIONARY) -> str | None:  # noqa: ANN001
    """Why Pango cannot break Thai lines here, with the fix; None when it can."""
    if find_library("pango-1.0") is None:
        return "Pango is not installed; run: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    if find_library("thai") is None or not dictionary.is_file():
        return (
            "Pango has no libthai here, so Thai lines would break anywhere; "
            "run: sudo apt-get install libthai0 libthai-data"
        )
    return None


@contextmanager
def libraries_by_soname() -> Iterator[None]:
    """Library lookups by short name answered "not found" while WeasyPrint is imported, on Linux.

    For each library WeasyPrint tries a list of names, the Windows and macOS ones first; cffi looks up every
    name that does not load as it is with `ctypes.util.find_library`, which on Linux runs ldconfig, then gcc
    and ld when ldconfig does not know the name: a process for each of some twenty names, about 0.35 s of
    every build's start (0.05 s of it ldconfig alone). Each list has the library's Linux soname
    (libpango-1.0.so.0), which cffi hands to the dynamic loader as it is, and the loader finds it wherever it
    looks, ldconfig's cache and LD_LIBRARY_PATH alike: the same library, with no process run."""
    original = ctypes.util.find_library
    if not sys.platform.startswith("linux"):
        yield
        return
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> None:
    """Import WeasyPrint (its libraries loaded by soname, `libraries_by_soname`), once."""
    if "weasyprint" not in sys.modules:
        with libraries_by_soname():
            import weasyprint  # noqa: F401


def enter_venv() -> None:
    """Run again under the project's virtual environment when it exists and is not the one running."""
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
    if importlib.util.find_spec("weasyprint") is None:
        print("thaibook: the dependencies are not installed; run: python3 build.py setup", file=sys.stderr)
        sys.exit(2)


def run(*command: str | Path) -> None:
    print("$ " + " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True, cwd=ROOT)


def install_system_packages(packages: list[str]) -> bool:
    if not packages:
        return True
    command = ["apt-get", "install", "-y", "--no-install-recommends", *packages]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print("setup: these system packages are missing: " + ", ".join(packages), file=sys.stderr)
        print("setup: install them with: sudo " + " ".join(command), file=sys.stderr)
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(command, check=True, env=env)
    return True


def install_node_tools() -> bool:
    """Ace by DAISY, the EPUB accessibility checker the tests run, from package-lock.json into node_modules/.
    Puppeteer's own browser download is skipped: Ace runs Debian's Chromium (PUPPETEER_EXECUTABLE_PATH)."""
    if shutil.which("npm") is None:
        print(
            "setup: npm is missing, so Ace by DAISY is not installed and the EPUB accessibility test will fail; "
            "install Node.js 20 or newer with npm, then run setup again",
            file=sys.stderr,
        )
        return False
    print("$ npm ci (PUPPETEER_SKIP_DOWNLOAD=1)", flush=True)
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], check=True, cwd=ROOT, env=env)
    return True


def install_command(python: Path, lock: Path | None = LOCK) -> list[str]:
    """pip installing the toolkit (editable) with its test extra; constrained by the lock when one is given."""
    constraints = ["--constraint", str(lock)] if lock is not None else []
    return [str(python), "-m", "pip", "install", "--quiet", *constraints, "--editable", ".[test]"]


def lock_text(freeze: str) -> str:
    """The lock file: its header, then `pip freeze`'s `name==version` lines (the project itself left out)."""
    pins = []
    for line in freeze.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, version = line.partition("==")
        if not equals or not name or not version or any(c in line for c in " @;"):
            raise ValueError(f"not an exact pin: {line!r}")
        if name.lower() == PROJECT:
            continue
        pins.append(line)
    return LOCK_HEADER + "".join(f"{pin}\n" for pin in sorted(pins, key=lambda pin: pin.partition("==")[0].lower()))


def make_lock() -> int:
    """`python3 build.py lock`: install the toolkit and its test extra, unconstrained, into a throwaway virtual
    environment and write what pip chose to the lock."""
    if sys.version_info[:2] != (3, 11) or not sys.platform.startswith("linux"):
        print(
            f"lock: the lock is for Python 3.11 on Linux (as CI runs), this is Python "
            f"{sys.version.split()[0]} on {sys.platform}",
            file=sys.stderr,
        )
        return 2
    if importlib.util.find_spec("ensurepip") is None:
        print("lock: Python's venv module cannot make a virtual environment; install python3-venv", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="thaibook-lock-") as scratch:
            python = Path(scratch) / "venv" / "bin" / "python"
            run(sys.executable, "-m", "venv", python.parent.parent)
            run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
            run(*install_command(python, lock=None))
            print(f"$ {python} -m pip freeze --exclude {PROJECT}", flush=True)
            freeze = subprocess.run(
                [str(python), "-m", "pip", "freeze", "--exclude", PROJECT],
                check=True,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
    except subprocess.CalledProcessError as error:
        print(f"lock: a step failed (exit {error.returncode}); see its output above", file=sys.stderr)
        return 1
    text = lock_text(freeze)
    written = LOCK.with_name(LOCK.name + ".tmp")
    written.write_text(text, encoding="utf-8")
    written.replace(LOCK)
    pins = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    print(f"lock: {pins} packages pinned in {LOCK.name}")
    return 0


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs on whatever python3 the machine has
        print(f"setup: Python 3.11 or newer is needed, this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    if argv[:1] == ["lock"]:
        return make_lock()
    if not LOCK.is_file():
        print(f"setup: {LOCK.name} is missing; make it with: {LOCK_COMMAND}", file=sys.stderr)
        return 2
    build = "--no-build" not in argv
    try:
        if not install_system_packages(missing_packages()):
            return 2
        if not VENV_PYTHON.exists():
            run(sys.executable, "-m", "venv", VENV)
        run(VENV_PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(*install_command(VENV_PYTHON))
        install_node_tools()
        if build:
            run(VENV_PYTHON, "build.py", "all")
    except subprocess.CalledProcessError as error:
        print(f"setup: a step failed (exit {error.returncode}); see its output above", file=sys.stderr)
        return 1
    print("setup: done. Run the tests with: .venv/bin/python -m pytest")
    return 0
