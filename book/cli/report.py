"""Machine-readable results (`--format json`): diagnostics for editors' tools and CI to annotate files with,
and a build's outputs. The human-readable text stays in cli.py; this only changes the form, never the
exit code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..scheduler import sha256


def diagnostic_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """{file, line, col, code, severity, message, message_th}; line and col are null when the problem has no
    place. `message` is the stable English text; `message_th` the same in Thai (English where none exists)."""
    return {
        "file": diagnostic.file,
        "line": diagnostic.line,
        "col": diagnostic.col,
        "code": diagnostic.code,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        "message_th": diagnostic.text("th"),
    }


def diagnostics_json(diagnostics: list[Diagnostic]) -> str:
    """A JSON array of diagnostics, what `check --format json` prints."""
    return json.dumps([diagnostic_dict(d) for d in diagnostics], ensure_ascii=False, indent=2)


def build_json(diagnostics: list[Diagnostic], outputs: list[tuple[Path, str]], seconds: float | None = None) -> str:
    """What a build prints with `--format json`: {"diagnostics": [...], "outputs": [{path, size, sha256,
    detail}], "seconds": ...}; outputs is empty when the build stopped on a problem."""
    return json.dumps(
        {
            "diagnostics": [diagnostic_dict(d) for d in diagnostics],
            "outputs": [
                {"path": str(path), "size": path.stat().st_size, "sha256": sha256(path), "detail": detail}
                for path, detail in outputs
            ],
            "seconds": None if seconds is None else round(seconds, 2),
        },
        ensure_ascii=False,
        indent=2,
    )
