"""The command line: `thaibook [all|pdf|epub|watch|check|preview] [--project DIR] [--out DIR]`, with
`pdf --chapter SLUG` / `pdf --split` for the chapters' booklets and `check --pdf FILE` for preflight."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import NoReturn

from .. import __version__
from ..diagnostics import EXIT_USAGE, BookError
from .helptext import COMMANDS, HELP, argparse_words
from .invocation import default_project, next_command


class Parser(argparse.ArgumentParser):
    """argparse, speaking the interface language: its own words ("usage:", the section titles) from
    book/cli/helptext.py, and a usage error as one line with exit 2, like every other problem."""

    def __init__(self, language: str, **kwargs: object) -> None:
        self.language = language
        self.words = HELP[language]
        usage = self.words["usage"]

        class Formatter(argparse.RawDescriptionHelpFormatter):  # the list of commands keeps its lines
            def add_usage(self, usage_text, actions, groups, prefix=None) -> None:
                super().add_usage(usage_text, actions, groups, prefix if prefix is not None else usage)

        super().__init__(formatter_class=Formatter, add_help=False, **kwargs)
        # argparse names its two default sections ("positional arguments", "options") only through these
        self._positionals.title = self.words["positional"]
        self._optionals.title = self.words["options"]

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {self.words['error']}: {argparse_words(message, self.language)}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def parser(language: str = "en") -> argparse.ArgumentParser:
    """The command line's parser, its --help in `language` ("th" or "en")."""
    words = HELP[language]
    width = max(len(name) for name in COMMANDS)
    indent = " " * (width + 4)
    commands = "\n".join(
        textwrap.fill(words[name], 100, initial_indent=f"  {name:<{width}}  ", subsequent_indent=indent)
        for name in COMMANDS
    )
    p = Parser(
        language,
        prog="thaibook",
        description=f"{words['description']}\n{words['where']}\n\n{words['commands title']}:\n{commands}",
    )
    p.add_argument("-h", "--help", action="help", help=words["help"])
    p.add_argument("command", nargs="?", default="all", choices=COMMANDS, metavar="COMMAND", help=words["command"])
    p.add_argument("args", nargs="*", metavar="ARG", help=words["args"])
    p.add_argument("--project", type=Path, default=None, help=words["--project"])
    p.add_argument("--out", type=Path, default=None, help=words["--out"])
    p.add_argument("--chapter", action="append", metavar="SLUG", help=words["--chapter"])
    p.add_argument("--split", action="store_true", help=words["--split"])
    p.add_argument("--pdf", type=Path, metavar="FILE", help=words["--pdf"])
    p.add_argument("--final", action="store_true", help=words["--final"])
    p.add_argument("--strict", action="store_true", help=words["--strict"])
    p.add_argument("--fix", action="store_true", help=words["--fix"])
    p.add_argument("--port", type=int, default=8000, help=words["--port"])
    p.add_argument("--host", default="127.0.0.1", help=words["--host"])
    p.add_argument("--allow-remote", action="store_true", help=words["--allow-remote"])
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME", help=words["--allow-host"])
    p.add_argument("--title", help=words["--title"])
    p.add_argument("--kind", help=words["--kind"])
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help=words["--set"])
    p.add_argument("--slug", help=words["--slug"])
    p.add_argument("--force", action="store_true", help=words["--force"])
    p.add_argument("--format", choices=("text", "json"), default="text", help=words["--format"])
    p.add_argument("--lang", choices=("th", "en"), help=words["--lang"])
    p.add_argument("--no-cache", action="store_true", help=words["--no-cache"])
    p.add_argument("--debug", action="store_true", help=words["--debug"])
    p.add_argument("--version", action="version", version=f"thaibook {__version__}", help=words["version"])
    return p


def argv_language(argv: list[str]) -> str:
    """The interface language asked for before the arguments are parsed, so that --help and a usage error
    speak it: --lang, then the book's `interface` (the --project folder, or the current one), the locale, Thai.
    A --lang that is not a language we have is left to the parser to refuse."""
    from ..diagnostics import project_language

    option = project = None
    for i, arg in enumerate(argv):
        name, equals, value = arg.partition("=")
        if name in ("--lang", "--project"):
            value = value if equals else (argv[i + 1] if i + 1 < len(argv) else "")
            if name == "--lang":
                option = value if value in HELP else None
            else:
                project = Path(value)
    return project_language(option, project or Path.cwd())


def run() -> NoReturn:
    """The command's entry point: `main`, then out of the process at once.

    A build leaves the interpreter holding many objects (the laid-out pages, fonts, parsed PDFs). Freeing
    them one by one at exit took 0.2 s after every build, with nothing left to do: every output is written,
    synced and renamed into place, and the worker pools are shut down. So the process ends with `os._exit`
    once standard output and error are flushed, as mypy's command does. `main` itself returns normally, for
    the tests and for Python callers."""
    code = main(sys.argv[1:])
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, or a stream already closed
        code = code or 1
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv_language(argv)).parse_args(argv)
    from ..diagnostics import project_language, say

    project = args.project or default_project()
    if project is None and args.command != "init":  # no book here, and none named: say so in one line
        language = project_language(args.lang, Path.cwd())
        from ..diagnostics import diagnostic

        here = diagnostic(str(Path.cwd()), None, "U001.none", init=next_command("init DIR"))
        print(here.shown(language), file=sys.stderr)
        return EXIT_USAGE
    project = project or Path.cwd()
    language = project_language(args.lang, project)
    if (args.chapter or args.split) and args.command != "pdf":
        parser(language).error(HELP[language]["chapter with pdf"])
    if args.pdf and args.command != "check":
        parser(language).error(HELP[language]["pdf with check"])
    if args.args and args.command not in ("init", "new", "import"):
        parser(language).error(HELP[language]["unexpected argument"].format(argument=args.args[0]))
    if args.strict and (args.command not in ("all", "pdf", "print", "epub", "watch") or args.chapter or args.split):
        parser(language).error(HELP[language]["strict with builds"])
    if args.command == "watch" and args.format == "json":
        parser(language).error(HELP[language]["json with watch"])
    try:
        return _reported(lambda: _command(args, project, language), args, language)
    except KeyboardInterrupt:
        print(say("interrupted", language), file=sys.stderr)
        return 130


def _command(args: argparse.Namespace, project: Path, language: str) -> int:
    if args.command != "init":
        _readable(project)
    if args.command in ("init", "new", "schema", "docs"):
        from .scaffolding import scaffold_command

        return scaffold_command(args, project, language)
    if args.command == "import":
        from .importing import import_command

        return import_command(args, project, language)
    if args.command == "check":
        if args.pdf:
            return check_pdf(project, args.pdf, language, args.final)
        return check(project, args.fix, args.format == "json", language)
    if args.chapter or args.split:
        slugs = None if args.split else args.chapter
        return booklets_command(project, args.out, slugs, args.format == "json", language, args.final)
    if args.command == "preview":
        _import_weasyprint()
        from ..preview import serve

        return serve(project, args.out, args.host, args.port, args.lang, args.allow_remote, args.allow_host)
    if args.command == "html":
        return html_command(project, args.out, args.lang)
    if args.command == "watch":
        from ..preview import rebuild_on_save

        def build(again: bool) -> int:  # a whole build, its problems printed as any command's
            targets = ("pdf", "epub")
            return _reported(
                partial(
                    build_command, project, args.out, targets, False, language, args.no_cache, again, strict=args.strict
                ),
                args,
                language,
            )

        return rebuild_on_save(project, args.out, build, language)
    targets = ("pdf", "epub") if args.command == "all" else (args.command,)
    as_json = args.format == "json"
    return build_command(
        project, args.out, targets, as_json, language, args.no_cache, final=args.final, strict=args.strict
    )


def _reported(action: Callable[[], int], args: argparse.Namespace, language: str) -> int:
    """`action`'s exit code; the problems it raises printed (the book's, or a defect of ours) and their code."""
    from ..diagnostics import say
    from ..scheduler import FolderError, folder_problem

    try:
        try:
            return action()
        except FolderError:
            raise
        except OSError as error:  # a folder that cannot take a file, met where no output was being written
            out = args.out or (args.project or default_project() or Path.cwd()) / "dist"
            folder = Path(os.fsdecode(error.filename)).parent if error.filename else out
            problem = folder_problem(folder, error)
            if problem is None:
                raise
            raise problem from error
    except FolderError as error:  # one sentence, naming the folder: no count, "nothing was written" may be untrue
        print(error.diagnostics[0].shown(language), file=sys.stderr)
        if args.format == "json":
            from .report import build_json

            print(build_json(error.diagnostics, []))
        return error.exit_code
    except BookError as error:
        if args.format == "json":  # stdout stays one JSON document, even when nothing was built
            from .report import build_json, diagnostics_json

            print(diagnostics_json(error.diagnostics) if args.command == "check" else build_json(error.diagnostics, []))
        for diagnostic in error.diagnostics:
            print(diagnostic.shown(language), file=sys.stderr)
        print(say("problems", language, count=len(error.diagnostics)), file=sys.stderr)
        return error.exit_code
    except Exception as error:  # a defect of ours, not the user's: say so plainly
        if args.debug:
            traceback.print_exc()
        print(say("internal error", language, error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return 70


def _import_weasyprint() -> None:
    """Import WeasyPrint, once the engine has checked that the version installed is one it was tested with
    (book/engine/supported.py): an untested one is refused with one line (E002, exit 2)."""
    from ..bootstrap import import_weasyprint
    from ..engine import refuse_untested_weasyprint

    refuse_untested_weasyprint()
    import_weasyprint()


def _readable(project: Path) -> None:
    """Stop with one sentence (D106) when the project folder, or its chapters folder, may not be read: reading
    would otherwise find no book.yaml, or no chapters, and say so wrongly."""
    from ..diagnostics import EXIT_USAGE, diagnostic
    from ..scheduler import FolderError

    for folder in (project, project / "chapters"):
        try:
            os.listdir(folder)
        except PermissionError as error:
            raise FolderError([diagnostic(str(folder), None, "D106")], EXIT_USAGE) from error
        except OSError:  # no such folder: reading the project says so, in its own words
            pass


def check(project: Path, fix: bool = False, as_json: bool = False, language: str = "en") -> int:
    """Read and render everything, and run the Thai lint on every chapter file, whatever else failed; print
    every problem and finding in one list by file and line, then one verdict. Exit 1 if anything was found."""
    from ..diagnostics import say
    from ..project import lint_chapters, read_project
    from ..render import render_pages

    reading = read_project(project)
    found = list(reading.problems)
    pages = []
    if reading.book is not None:
        try:
            pages = render_pages(reading.book)
        except BookError as error:  # a template's mistake: named with the rest
            found += error.diagnostics
    root = Path(project).resolve()
    findings, fixed = lint_chapters(root, reading.files, reading.config, reading.fonts, fix)
    for path in fixed:
        print(say("fixed", language, path=_relative(path, root)), file=sys.stderr if as_json else sys.stdout)
    found += findings
    found.sort(key=lambda d: (d.file, d.line or 0, d.col or 0, d.code))
    errors = sum(d.severity == "error" for d in found)
    if as_json:
        from .report import diagnostics_json

        print(diagnostics_json(found))
        return 1 if found else 0
    book = reading.book
    if book is None or errors:  # a failing command's problems go to standard error, as a build's do
        for problem in found:
            print(problem.shown(language), file=sys.stderr)
        print(say("check failed", language, errors=errors, findings=len(found) - errors), file=sys.stderr)
        return 1
    for finding in found:
        print(finding.shown(language))
    characters = sum(len(c.source) for c in book.chapters)
    verdict = say("check findings", language, count=len(found)) if found else say("check ok", language)
    counts = {"chapters": len(book.numbered), "documents": len(pages), "infographics": len(book.infographics)}
    print(say("check verdict", language, verdict=verdict, title=book.title, characters=characters, **counts))
    return 1 if found else 0


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def build_command(
    project: Path,
    out: Path | None,
    targets: tuple[str, ...],
    as_json: bool = False,
    lang: str | None = None,
    no_cache: bool = False,
    again: bool = False,
    final: bool = False,
    strict: bool = False,
) -> int:
    _import_weasyprint()
    from ..building import build
    from .progress import Progress

    with Progress(language=lang) as progress:  # a ticking line on a terminal, plain lines in CI; cleared when done
        result = build(project, out, targets, progress, cache=not no_cache, final=final, strict=strict)
    return _json_report(result) if as_json else _report(result, lang, again)


def html_command(project: Path, out: Path | None, language: str | None = None) -> int:
    """Write the print edition as one HTML file for plain WeasyPrint (book/publish/htmlexport.py)."""
    from ..diagnostics import interface_language, say
    from ..project import load_book
    from ..publish import write_print_html
    from ..scheduler import output_folder

    book = load_book(project)
    path = write_print_html(book, output_folder(out or book.root / "dist"))
    for warning in book.warnings:  # what was removed or left behind (G1xx), as a build says it
        print(warning.shown(interface_language(language, book.config)), file=sys.stderr)
    print(say("wrote file", interface_language(language, book.config), path=_show(path)))
    return 0


def _json_report(result) -> int:  # noqa: ANN001 - a building.BuildResult
    """_report's facts as one JSON document on stdout (book.report.build_json); the same exit code."""
    from .report import build_json

    diagnostics = result.book.warnings + result.lint + [p for report in result.reports for p in report.problems]
    print(build_json(diagnostics, [(o.path, o.detail) for o in result.outputs], result.seconds))
    return 0 if result.print_ready else 1


def _report(result, lang: str | None = None, again: bool = False) -> int:  # noqa: ANN001 - a building.BuildResult
    """What was written, then preflight's findings; exit 1 when a PDF is not ready for the printer. Built `again`
    (by `watch`), the files written are those of the summary's list: they are not named twice."""
    from ..diagnostics import detail_text, interface_language, say, words
    from .progress import code_counts, summary_lines

    language = interface_language(lang, result.book.config)
    for warning in result.book.warnings:
        print(warning.shown(language), file=sys.stderr)
    for output in [] if again else result.outputs:
        size, detail = _size(output.path.stat().st_size), detail_text(output.detail, language)
        print(say("wrote", language, path=_show(output.path), detail=detail, size=size))
    for report in result.reports:
        for problem in report.problems:
            print(problem.shown(language), file=sys.stderr)
        print(report.summary(language), file=sys.stdout if report.ok else sys.stderr)
    diagnostics = result.book.warnings + [p for report in result.reports for p in report.problems]
    said = words(language)
    lines = summary_lines([o.path for o in result.outputs], diagnostics, result.seconds, said)
    if result.lint:  # counted, not listed: `check` lists them
        lines.insert(-1, say("lint summary", language, count=len(result.lint), codes=code_counts(result.lint)))
    print("\n".join(lines))
    return 0 if result.print_ready else 1


def booklets_command(
    project: Path,
    out: Path | None,
    slugs: list[str] | None,
    as_json: bool = False,
    lang: str | None = None,
    final: bool = False,
) -> int:
    _import_weasyprint()
    from ..building import build_chapter_booklets
    from .progress import Progress

    with Progress(language=lang) as progress:
        result = build_chapter_booklets(project, out, slugs, progress, final)
    return _json_report(result) if as_json else _report(result, lang)


def check_pdf(project: Path, pdf: Path, language: str = "en", final: bool = False) -> int:
    """Preflight one PDF (its kind from its name: -print, -screen, -cover, -booklet) against the project (as a
    `final` one: no infographic placeholder left)."""
    from ..pdf import interior_beside, kind_of, preflight, rules_for
    from ..project import load_book

    if not pdf.is_file():
        parser(language).error(HELP[language]["no such pdf"].format(pdf=pdf))
    book = load_book(project)
    kind = kind_of(pdf)
    interior = None
    if kind == "cover" and interior_beside(pdf).is_file():
        import pikepdf

        with pikepdf.open(interior_beside(pdf)) as printed:
            interior = len(printed.pages)
    report = preflight(pdf, rules_for(book, kind, interior, final), shown=_show(pdf))
    for problem in report.problems:
        print(problem.shown(language))
    print(report.summary(language))
    return 0 if report.ok else 1


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
