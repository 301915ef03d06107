"""The interface language: both catalogues complete, and the choice of language in its order."""

from __future__ import annotations

import pytest

from book import messages
from book.messages import CATALOGUES, LANGUAGES, interface_language, locale_language


def test_every_key_is_in_every_catalogue() -> None:
    assert sorted(CATALOGUES) == sorted(LANGUAGES)
    keys = set().union(*(set(catalogue) for catalogue in CATALOGUES.values()))
    for language, catalogue in CATALOGUES.items():
        assert set(catalogue) == keys, f"{language} lacks {sorted(keys - set(catalogue))}"
        assert all(text.strip() for text in catalogue.values()), language
    assert CATALOGUES["th"]["summary"] != CATALOGUES["en"]["summary"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "th_TH.UTF-8"}, "th"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({}, None),
        ({"LC_ALL": "th_TH.UTF-8", "LANG": "en_US.UTF-8"}, "th"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "th_TH.UTF-8"}, "en"),
    ],
)
def test_the_locale_names_a_language(environ: dict[str, str], expected: str | None) -> None:
    assert locale_language(environ) == expected


def test_the_choice_goes_option_then_book_then_locale_then_thai(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert interface_language("th", {"interface": "en"}) == "th"
    assert interface_language(None, {"interface": "th"}) == "th"
    assert interface_language(None, {"interface": None}) == "en"
    monkeypatch.setenv("LANG", "C")
    assert interface_language(None, {}) == messages.DEFAULT == "th"
