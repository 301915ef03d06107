"""The WeasyPrint the engine was written against and tested with: the version range, and the check that refuses
any other.

Only the standard library and the diagnostics are used here: the check runs before WeasyPrint is imported, so a
WeasyPrint whose internals moved is refused with one clear line rather than failing somewhere inside a build.
"""

from __future__ import annotations

import re
from importlib.metadata import version

from ..diagnostics import EXIT_USAGE, BookError, diagnostic

# The WeasyPrint versions the engine works with: from the first (included) to the second (excluded), as
# pyproject.toml's `weasyprint>=70,<71` says (tests/test_engine.py checks that the two agree). A new release is
# taken on purpose: the range, the pin and the signatures the engine's modules record (`INTERNALS`) move together,
# after tests/test_engine.py passes.
SUPPORTED = ("70.0", "71")
_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)(.*)")
_PRE_RELEASE = re.compile(r"[-_.]?(a|b|c|rc|alpha|beta|pre|preview|dev)", re.IGNORECASE)


def installed_weasyprint() -> str:
    """The version of the WeasyPrint installed, read from its package metadata (WeasyPrint is not imported)."""
    return version("weasyprint")


def supports(version: str) -> bool:
    """Whether `version` (PEP 440) is in `SUPPORTED`; a pre-release counts as before its release."""
    match = _VERSION.match(version.strip())
    if match is None:
        return False
    release = _release(match[1])
    pre_release = bool(_PRE_RELEASE.match(match[2]))
    low, high = (_release(bound) for bound in SUPPORTED)
    above_low = release > low if pre_release else release >= low
    return above_low and release < high


def _release(text: str) -> tuple[int, ...]:
    """A release number as a tuple to compare, without trailing zeros: 70, 70.0 and 70.0.0 are the same."""
    parts = [int(part) for part in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def refuse_untested_weasyprint() -> None:
    """Raise a `BookError` (E002, exit 2) when the WeasyPrint installed is not one the engine was tested with."""
    installed = installed_weasyprint()
    if not supports(installed):
        low, high = SUPPORTED
        raise BookError([diagnostic("weasyprint", None, "E002", installed=installed, low=low, high=high)], EXIT_USAGE)
