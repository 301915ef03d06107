"""PyThaiNLP's word list as newmm reads it (book/dictionary.py): made from the corpus once, then read from
the cache folder; made again when that file is damaged, and served from memory when it cannot be kept."""

from __future__ import annotations

import pytest

from book import dictionary
from book.dictionary import WordPrefixes, word_list_path, word_prefixes


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    word_prefixes.cache_clear()
    yield tmp_path
    word_prefixes.cache_clear()


def test_the_word_list_is_made_once_then_read(cache_home):
    from pythainlp.corpus import thai_words

    made = word_prefixes()
    path = word_list_path()
    assert path.is_file() and path.is_relative_to(cache_home / "thaibook")
    word_prefixes.cache_clear()
    read = word_prefixes()
    assert read is not made
    assert read.words == made.words == frozenset(thai_words())
    assert read.ordered == made.ordered == sorted(made.words)
    assert read.short == made.short and "เรียน" not in read.short and "เรีย" in read.short
    found = read.prefixes("เรียนรู้ร่วมกัน")
    assert found == made.prefixes("เรียนรู้ร่วมกัน") and found[-2:] == ["เรียน", "เรียนรู้"]


@pytest.mark.parametrize("damage", [lambda d: d[:-3], lambda d: d.replace(b"\n", b"\n\n", 5), lambda d: b"x" + d])
def test_a_damaged_word_list_is_made_again(cache_home, damage):
    word_prefixes()
    path = word_list_path()
    path.write_bytes(damage(path.read_bytes()))
    assert WordPrefixes.from_bytes(path.read_bytes()) is None
    word_prefixes.cache_clear()
    assert "เรียนรู้" in word_prefixes()
    assert WordPrefixes.from_bytes(path.read_bytes()) is not None  # written whole again


def test_an_unwritable_cache_folder_serves_the_word_list_from_memory(cache_home, monkeypatch):
    blocked = cache_home / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(dictionary, "cache_folder", lambda: blocked)
    assert "เรียนรู้" in word_prefixes()
    assert blocked.read_text() == "not a folder"
