"""The record of each WeasyPrint internal the engine replaces or calls, kept next to the code that does it (each
module's `INTERNALS`): where it lives and its signature in the version the engine was written against.
tests/test_engine.py checks every record against the WeasyPrint installed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Internal:
    """A WeasyPrint function that the engine replaces or calls, as it was in the version the engine was written
    against. tests/test_engine.py checks that its signature is still `signature`, and that it still does what
    the engine relies on."""

    name: str  # where it lives: "weasyprint.text.line_break.Layout.set_text"
    signature: str  # str(inspect.signature(...)) in WeasyPrint 70.0
    kept: Callable | None = None  # the original, kept by the module that replaces it (else found by `name`)

    def original(self) -> Callable:
        """WeasyPrint's own function, whether or not the engine's replacement is installed."""
        if self.kept is not None:
            return self.kept
        parts = self.name.split(".")
        for split in range(len(parts), 0, -1):  # the longest module path that imports, then attributes
            try:
                found = importlib.import_module(".".join(parts[:split]))
            except ImportError:
                continue
            for part in parts[split:]:
                found = getattr(found, part)
            return found
        raise ImportError(f"no module for {self.name}")
