"""The command line: `thaibook [all|pdf|epub|check] [--project DIR] [--out DIR]`."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from . import __version__
from .diagnostics import EXIT_USAGE, BookError

COMMANDS = {
    "all": "build the print PDF, the EPUB and the infographics manifest (the default)",
    "pdf": "build the print PDF and the infographics manifest",
    "epub": "build the EPUB",
    "check": "check the project and report every problem, without building",
}
DEFAULT_PROJECT = Path(__file__).resolve().parent.parent


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line, like every other problem
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="thaibook", description="Build a Thai book from Markdown: a print PDF and an EPUB 3.")
    p.add_argument(
        "command",
        nargs="?",
        default="all",
        choices=list(COMMANDS),
        help="; ".join(f"{k}: {v}" for k, v in COMMANDS.items()),
    )
    p.add_argument(
        "--project", type=Path, default=None, help="the book project folder (default: the Learning City book)"
    )
    p.add_argument("--out", type=Path, default=None, help="where outputs go (default: PROJECT/dist)")
    p.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")
    p.add_argument("--version", action="version", version=f"thaibook {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = args.project or default_project()
    try:
        if args.command == "check":
            return check(project)
        targets = ("pdf", "epub") if args.command == "all" else (args.command,)
        return build_command(project, args.out, targets)
    except BookError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"{len(error.diagnostics)} problem(s); nothing was written.", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted; the previous outputs are untouched", file=sys.stderr)
        return 130
    except Exception as error:  # a defect of ours, not the user's: say so plainly
        if args.debug:
            traceback.print_exc()
        print(
            f"thaibook: internal error: {type(error).__name__}: {error} (run with --debug for details)", file=sys.stderr
        )
        return 70


def default_project() -> Path:
    """The current folder when it is a book project, else the Learning City book the toolkit ships with."""
    return Path.cwd() if (Path.cwd() / "book.yaml").is_file() else DEFAULT_PROJECT


def check(project: Path) -> int:
    from .reading import load_book
    from .rendering import render_pages

    book = load_book(project)
    pages = render_pages(book)
    characters = sum(len(c.source) for c in book.chapters)
    print(
        f"ok: {book.title}: {len(book.cities)} chapters, {len(pages)} documents, "
        f"{len(book.infographics)} infographics, {characters:,} characters"
    )
    return 0


def build_command(project: Path, out: Path | None, targets: tuple[str, ...]) -> int:
    from .building import build

    started = time.perf_counter()

    def progress(step: str) -> None:
        print(f"[{time.perf_counter() - started:5.1f}s] {step}", file=sys.stderr, flush=True)

    result = build(project, out, targets, progress)
    for output in result.outputs:
        size = output.path.stat().st_size
        print(f"wrote {_show(output.path)} ({output.detail}, {_size(size)})")
    print(f"built in {result.seconds:.1f}s")
    return 0


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
