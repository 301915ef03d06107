"""thaibook: Markdown to a Thai-typeset print PDF and EPUB 3.

The toolkit is cut into stages, one subpackage each (see README, Layout). Each exports its public names from its
`__init__.py` through `public`, which imports a name's module only when the name is first used: `book.bootstrap`
runs on a bare Python before the dependencies exist, and `check` never loads WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

__version__ = "0.1.0"
PACKAGE = Path(__file__).resolve().parent  # the toolkit's own files: templates, styles, the ICC profile


def public(package: str, exports: dict[str, str]) -> tuple[Callable[[str], object], list[str]]:
    """The `__getattr__` and `__all__` of `package`, which exports each name of `exports` from the module named
    beside it (relative to the package), imported when the name is first asked for."""

    def getattr_(name: str) -> object:
        if name in exports:
            return getattr(import_module(f".{exports[name]}", package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return getattr_, list(exports)


__getattr__, _exports = public(
    __name__,
    {
        "Book": "project",
        "Chapter": "project",
        "Credits": "project",
        "Infographic": "project",
        "BookError": "diagnostics",
        "Diagnostic": "diagnostics",
        "load_book": "project",
        "render_pages": "render",
        "build": "building",
    },
)
__all__ = ["__version__", *_exports]
