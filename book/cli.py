"""The command line: `thaibook [all|pdf|epub|check|preview] [--project DIR] [--out DIR]`, with
`pdf --chapter SLUG` / `pdf --split` for the cities' booklets and `check --pdf FILE` for preflight."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import __version__
from .diagnostics import EXIT_USAGE, BookError

COMMANDS = {
    "all": "build the print PDF, the EPUB and the infographics manifest (the default)",
    "pdf": "build the print, screen and cover PDFs and the infographics manifest (or, with --chapter SLUG or "
    "--split, the cities' booklets)",
    "epub": "build the EPUB",
    "check": "check the project and report every problem, without building (with --pdf FILE: preflight a PDF)",
    "preview": "serve the book in a browser, refreshed as files are saved (see --port, --host)",
    "init": "init DIR: start a new book project in DIR (a new or empty folder)",
    "new": "new chapter SLUG --city .. --province .. --area ..: add a city chapter to the project",
    "schema": "write the JSON Schemas of book.yaml and front matter (into --out, default PROJECT/schemas)",
    "docs": "write docs/reference/book-yaml.md from the schema (into --out, default PROJECT/docs/reference)",
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
    p.add_argument("args", nargs="*", metavar="ARG", help="init: the folder; new: chapter and the slug")
    p.add_argument(
        "--project", type=Path, default=None, help="the book project folder (default: the Learning City book)"
    )
    p.add_argument("--out", type=Path, default=None, help="where outputs go (default: PROJECT/dist)")
    p.add_argument("--chapter", action="append", metavar="SLUG", help="pdf: a booklet of this city's chapter")
    p.add_argument("--split", action="store_true", help="pdf: a booklet of every city's chapter")
    p.add_argument("--pdf", type=Path, metavar="FILE", help="check: preflight this PDF against the project's rules")
    p.add_argument("--fix", action="store_true", help="check: apply the safe fixes of the Thai lint to the chapters")
    p.add_argument("--port", type=int, default=8000, help="preview: the port to listen on (default: 8000; 0: any)")
    p.add_argument("--host", default="127.0.0.1", help="preview: the address to listen on (default: 127.0.0.1)")
    p.add_argument("--city", help="new chapter: the city")
    p.add_argument("--province", help="new chapter: the province")
    p.add_argument("--area", help="new chapter: the research area")
    p.add_argument("--projects", type=int, default=1, help="new chapter: how many research projects (default: 1)")
    p.add_argument("--title", help="new chapter: the title (default: the city)")
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="check and builds: json prints diagnostics as JSON"
    )
    p.add_argument(
        "--lang", choices=("th", "en"), help="the summary's language (default: book.yaml's interface, the locale, th)"
    )
    p.add_argument("--debug", action="store_true", help="show a traceback for unexpected errors")
    p.add_argument("--version", action="version", version=f"thaibook {__version__}")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = args.project or default_project()
    if (args.chapter or args.split) and args.command != "pdf":
        parser().error("--chapter and --split go with the pdf command")
    if args.pdf and args.command != "check":
        parser().error("--pdf goes with the check command")
    if args.args and args.command not in ("init", "new"):
        parser().error(f"unexpected argument: {args.args[0]}")
    try:
        if args.command in ("init", "new", "schema", "docs"):
            from .scaffold_cli import scaffold_command

            return scaffold_command(args, project)
        if args.command == "check":
            return check_pdf(project, args.pdf) if args.pdf else check(project, args.fix, args.format == "json")
        if args.chapter or args.split:
            slugs = None if args.split else args.chapter
            return booklets_command(project, args.out, slugs, args.format == "json", args.lang)
        if args.command == "preview":
            from .preview import serve

            return serve(project, args.out, args.host, args.port)
        targets = ("pdf", "epub") if args.command == "all" else (args.command,)
        return build_command(project, args.out, targets, args.format == "json", args.lang)
    except BookError as error:
        if args.format == "json":  # stdout stays one JSON document, even when nothing was built
            from .report import build_json, diagnostics_json

            print(diagnostics_json(error.diagnostics) if args.command == "check" else build_json(error.diagnostics, []))
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


def check(project: Path, fix: bool = False, as_json: bool = False) -> int:
    """Read and render everything, then run the Thai lint; exit 1 if the lint finds anything."""
    from .lint import fix_file, lint_file
    from .reading import load_book
    from .rendering import render_pages

    book = load_book(project)
    pages = render_pages(book)
    files = [c.path for c in book.chapters]
    if fix:
        fixed = [path for path in files if fix_file(path, book.config)]
        for path in fixed:
            print(f"fixed {_relative(path, book.root)}", file=sys.stderr if as_json else sys.stdout)
    findings = book.warnings + [d for path in files for d in lint_file(path, book.config, _relative(path, book.root))]
    if as_json:
        from .report import diagnostics_json

        print(diagnostics_json(findings))
        return 1 if findings else 0
    for finding in findings:
        print(finding)
    characters = sum(len(c.source) for c in book.chapters)
    verdict = f"{len(findings)} lint finding(s)" if findings else "ok"
    print(
        f"{verdict}: {book.title}: {len(book.cities)} chapters, {len(pages)} documents, "
        f"{len(book.infographics)} infographics, {characters:,} characters"
    )
    return 1 if findings else 0


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def build_command(
    project: Path, out: Path | None, targets: tuple[str, ...], as_json: bool = False, lang: str | None = None
) -> int:
    from .building import build
    from .progress import Progress

    with Progress() as progress:  # a ticking line on a terminal, plain lines in logs and CI; cleared when done
        result = build(project, out, targets, progress)
    return _json_report(result) if as_json else _report(result, lang)


def _json_report(result) -> int:  # noqa: ANN001 - a building.BuildResult
    """_report's facts as one JSON document on stdout (book.report.build_json); the same exit code."""
    from .report import build_json

    diagnostics = result.book.warnings + [p for report in result.reports for p in report.problems]
    print(build_json(diagnostics, [(o.path, o.detail) for o in result.outputs], result.seconds))
    return 0 if result.print_ready else 1


def _report(result, lang: str | None = None) -> int:  # noqa: ANN001 - a building.BuildResult
    """What was written, then preflight's findings; exit 1 when a PDF is not ready for the printer."""
    for warning in result.book.warnings:
        print(warning, file=sys.stderr)
    for output in result.outputs:
        size = output.path.stat().st_size
        print(f"wrote {_show(output.path)} ({output.detail}, {_size(size)})")
    for report in result.reports:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    from .messages import interface_language, words
    from .progress import summary_lines

    diagnostics = result.book.warnings + [p for report in result.reports for p in report.problems]
    said = words(interface_language(lang, result.book.config))
    print("\n".join(summary_lines([o.path for o in result.outputs], diagnostics, result.seconds, said)))
    return 0 if result.print_ready else 1


def booklets_command(
    project: Path, out: Path | None, slugs: list[str] | None, as_json: bool = False, lang: str | None = None
) -> int:
    from .building import build_city_booklets
    from .progress import Progress

    with Progress() as progress:
        result = build_city_booklets(project, out, slugs, progress)
    return _json_report(result) if as_json else _report(result, lang)


def check_pdf(project: Path, pdf: Path) -> int:
    """Preflight one PDF (its kind from its name: -print, -screen, -cover, -booklet) against the project."""
    from .preflight import interior_beside, kind_of, preflight, rules_for
    from .reading import load_book

    if not pdf.is_file():
        parser().error(f"--pdf: no such file: {pdf}")
    book = load_book(project)
    kind = kind_of(pdf)
    interior = None
    if kind == "cover" and interior_beside(pdf).is_file():
        import pikepdf

        with pikepdf.open(interior_beside(pdf)) as printed:
            interior = len(printed.pages)
    report = preflight(pdf, rules_for(book, kind, interior), shown=_show(pdf))
    for problem in report.problems:
        print(problem)
    print(report.summary())
    return 0 if report.ok else 1


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
