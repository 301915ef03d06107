"""Diagnostics: every problem a user can fix, with a stable code, a place and a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import code_of, texts

EXIT_CONTENT = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is (file, line, column) and what to do about it.

    `message` is English and stable (tests, scripts and CI match it); `message_th` is the same in Thai, set
    when the diagnostic is made from the catalogue (book/diagnostics/catalogue.py). `str()` is the English line."""

    file: str
    line: int | None
    code: str
    message: str
    col: int | None = None
    severity: str = "error"
    message_th: str | None = field(default=None, compare=False)

    @property
    def place(self) -> str:
        """`chapters/01-nan.md:2:7`: the file, and the line and column when known."""
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.col is not None:
                place += f":{self.col}"
        return place

    def text(self, language: str = "en") -> str:
        """The message in `language` ("th" or "en"); English where no Thai was given."""
        return self.message_th if language == "th" and self.message_th else self.message

    def shown(self, language: str = "en") -> str:
        """The line the command line prints: `file:line[:col]: message [CODE]`, the message in `language`."""
        return f"{self.place}: {self.text(language)} [{self.code}]"

    def __str__(self) -> str:
        return self.shown("en")


def diagnostic(
    file: str, line: int | None, key: str, /, col: int | None = None, severity: str = "error", **values: object
) -> Diagnostic:
    """A Diagnostic in both languages from the catalogue entry `key` (a code, or `code.variant`) and its
    values, e.g. `diagnostic("book.yaml", None, "S007", isbn="123")`."""
    said = texts(key, **values)
    return Diagnostic(file, line, code_of(key), said["en"], col, severity, said["th"])


class BookError(Exception):
    """Raised with every problem found; the CLI prints them and exits with `exit_code`."""

    def __init__(self, diagnostics: list[Diagnostic], exit_code: int = EXIT_CONTENT) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.file, d.line or 0, d.col or 0))
        self.exit_code = exit_code
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple:  # raised in a worker process, it reaches the build whole
        return BookError, (self.diagnostics, self.exit_code)


@dataclass
class Problems:
    """Collects diagnostics while a stage runs, so that all are reported at once."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def where(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is not None:
            root = self.root.resolve()
            # a symlink in the project is named as the user named it, not by where it points (/dev/zero)
            for candidate in ([path.absolute()] if path.is_symlink() else []) + [path.resolve()]:
                if candidate.is_relative_to(root):
                    return str(candidate.relative_to(root))
        return str(path)

    def add(
        self,
        path: Path | str,
        line: int | None,
        code: str,
        /,
        message: str | None = None,
        col: int | None = None,
        severity: str = "error",
        **values: object,
    ) -> None:
        """Record a problem at `path`:`line`. Without `message`, `code` is a catalogue key and `values` fill
        its texts in both languages (`add(path, 3, "C003", byte=0xFF)`); with one, the message is English only."""
        if message is None:
            self.items.append(diagnostic(self.where(path), line, code, col, severity, **values))
        else:
            self.items.append(Diagnostic(self.where(path), line, code, message, col, severity))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_any(self) -> None:
        if self.errors:
            raise BookError(self.errors)
