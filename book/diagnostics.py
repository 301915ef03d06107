"""Diagnostics: every problem a user can fix, with a stable code, a place and a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EXIT_CONTENT = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is (file, line, column) and what to do about it."""

    file: str
    line: int | None
    code: str
    message: str
    col: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.col is not None:
                place += f":{self.col}"
        return f"{place}: {self.message} [{self.code}]"


class BookError(Exception):
    """Raised with every problem found; the CLI prints them and exits with `exit_code`."""

    def __init__(self, diagnostics: list[Diagnostic], exit_code: int = EXIT_CONTENT) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.file, d.line or 0, d.col or 0))
        self.exit_code = exit_code
        super().__init__("\n".join(str(d) for d in self.diagnostics))


@dataclass
class Problems:
    """Collects diagnostics while a stage runs, so that all are reported at once."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def where(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is not None:
            try:
                return str(path.resolve().relative_to(self.root.resolve()))
            except ValueError:
                pass
        return str(path)

    def add(
        self,
        path: Path | str,
        line: int | None,
        code: str,
        message: str,
        col: int | None = None,
        severity: str = "error",
    ) -> None:
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
