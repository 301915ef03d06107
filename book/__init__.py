"""thaibook: Markdown to a Thai-typeset print PDF and EPUB 3.

The public API is loaded lazily, so `book.bootstrap` runs on a bare Python before the dependencies exist.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"
PACKAGE = Path(__file__).resolve().parent  # the toolkit's own files: templates, styles, the ICC profile

_EXPORTS = {
    "Book": "project",
    "Chapter": "project",
    "Credits": "project",
    "Infographic": "project",
    "BookError": "diagnostics",
    "Diagnostic": "diagnostics",
    "load_book": "project",
    "render_pages": "render",
    "build": "building",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'book' has no attribute {name!r}")
