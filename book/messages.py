"""The interface language of the toolkit's own words (the closing summary of a build), in Thai or English.

Chosen, first match wins, by the `--lang` option, `interface:` in book.yaml, the locale (LANG, LC_ALL,
LC_MESSAGES: `en_*` gives English, `th_*` Thai), and otherwise Thai, the language of the editorial team.
Diagnostics keep their own messages; both catalogues have every key (tests/test_messages.py checks it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("th", "en")
DEFAULT = "th"

CATALOGUES: dict[str, dict[str, str]] = {
    "th": {
        "summary": "สรุป",
        "pages": "หน้า",
        "warnings": "คำเตือน",
        "none": "ไม่มี",
        "built in": "สร้างเสร็จใน",
    },
    "en": {
        "summary": "summary",
        "pages": "pages",
        "warnings": "warnings",
        "none": "none",
        "built in": "built in",
    },
}


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The interface language the locale asks for (the first of LC_ALL, LC_MESSAGES, LANG that is set), if
    it is one we have; None for C, POSIX and other languages."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            language = value.split("_")[0].split(".")[0].lower()
            return language if language in LANGUAGES else None
    return None


def interface_language(option: str | None = None, config: Mapping | None = None) -> str:
    """The language to speak: `option` (--lang), then book.yaml's `interface`, then the locale, then Thai."""
    configured = (config or {}).get("interface")
    return option or configured or locale_language() or DEFAULT


def words(language: str) -> dict[str, str]:
    """The catalogue of `language`, for book.progress.summary_lines."""
    return CATALOGUES[language]
