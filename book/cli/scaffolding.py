"""The commands that write sources rather than outputs: `init`, `new chapter`, `schema` and `docs`."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from ..diagnostics import EXIT_USAGE


def _usage(key: str, language: str) -> int:
    """Say the usage mistake `key` (book/cli/helptext.py) in one line; exit 2."""
    from .helptext import HELP

    print(f"thaibook: {HELP[language]['error']}: {HELP[language][key]}", file=sys.stderr)
    return EXIT_USAGE


def scaffold_command(args: argparse.Namespace, project: Path, language: str = "en") -> int:
    """Run `init`, `new`, `schema` or `docs` from parsed arguments; exit 2 on a usage mistake. What it
    wrote is said in `language`."""
    from ..diagnostics import say
    from ..project import REFERENCE, project_kinds, write_reference, write_schemas
    from .invocation import command_prefix, inside_toolkit, toolkit_clone
    from .scaffold import init_project, new_chapter, usage_error

    if args.command == "init":
        if len(args.args) > 1 or not (args.args or args.project):
            return _usage("init form", language)
        folder = Path(args.args[0] if args.args else args.project)
        toolkit = inside_toolkit(folder)
        if toolkit is not None and not args.force:  # the guide's commands run in the clone: not a book's home
            raise usage_error(folder, "U014", toolkit=toolkit)
        clone = toolkit_clone()
        written = init_project(folder, command_prefix(), clone / "docs" if clone else None)
        write_schemas(folder / "schemas")  # so the modeline in book.yaml finds its schema offline
        write_reference(folder / REFERENCE)  # so the key reference book.yaml points to is there
        print(say("init done", language, folder=folder.resolve(), count=len(written)))
        print(say("init next", language))
        for line in next_steps(folder, language):
            print(f"  {line}")
        return 0
    if args.command == "new":
        if len(args.args) != 2 or args.args[0] != "chapter":
            return _usage("new form", language)
        fields = dict(item.partition("=")[::2] for item in args.set)
        if any("=" not in item or not item.partition("=")[0] for item in args.set):
            return _usage("set form", language)
        path = new_chapter(project, args.args[1], args.title, args.kind, fields)
        print(say("wrote file", language, path=path))
        return 0
    kinds = project_kinds(project)  # the project's own kinds are in its schema and its reference
    if args.command == "schema":
        for path in write_schemas(args.out or project / "schemas", kinds):
            print(say("wrote file", language, path=path))
        return 0
    target = (args.out / REFERENCE.name) if args.out else project / REFERENCE
    print(say("wrote file", language, path=write_reference(target, kinds)))
    return 0


def next_steps(folder: Path, language: str) -> list[str]:
    """The commands to run after `init`, one a line, as this command was started (`thaibook`, or
    `python3 /path/to/build.py` from a clone), each with what it does after a `#`, so a line pasted whole
    into a shell runs as it is."""
    from ..diagnostics import say
    from .invocation import next_command

    steps = [
        (next_command("check"), say("init check", language)),
        (next_command(""), say("init build", language)),
        (next_command("preview"), say("init preview", language)),
    ]
    width = max(len(command) for command, _ in steps)
    return [f"cd {shlex.quote(str(folder.resolve()))}"] + [f"{command:<{width}}  # {what}" for command, what in steps]
