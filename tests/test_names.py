"""The Wikipedia titles' index (book/names.py): the same answers as the titles themselves, from a file made
once, and made again when that file is damaged or cannot be written."""

from __future__ import annotations

import random

import pytest

from book import names as names_module
from book.names import Names, index_path, names, titles


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    names.cache_clear()
    yield tmp_path
    names.cache_clear()


@pytest.fixture(scope="module")
def all_titles() -> list[str]:
    return titles()


def test_the_index_knows_every_title_and_rejects_other_text(all_titles):
    index = Names.of(all_titles)
    sample = random.Random(7).sample(all_titles, 5000)
    assert all(title in index for title in sample)
    known = set(all_titles)
    others = [title + "ครับ" for title in sample] + [title[:-1] for title in sample]
    assert [text in index for text in others] == [text in known for text in others]
    assert "หัวหิน" in index and "แม่สอด" in index and "ร่วมกันที่" not in index


def test_the_index_is_made_once_then_read(cache_home, all_titles):
    made = names()
    path = index_path()
    assert path.is_file() and path.is_relative_to(cache_home / "thaibook")
    names.cache_clear()
    read = names()
    assert read is not made and len(read) == len(made) == len(set(all_titles))
    assert read.bits == made.bits and read.digests == made.digests


def test_a_damaged_index_is_made_again(cache_home):
    names()
    path = index_path()
    path.write_bytes(path.read_bytes()[:-3])  # cut short
    names.cache_clear()
    assert "หัวหิน" in names()
    assert Names.from_bytes(path.read_bytes()) is not None  # written whole again


def test_an_unwritable_cache_folder_serves_the_index_from_memory(cache_home, monkeypatch):
    blocked = cache_home / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(names_module, "cache_folder", lambda: blocked)
    assert "หัวหิน" in names()
    assert blocked.read_text() == "not a folder"


def test_without_a_home_folder_the_index_is_made_for_the_build(cache_home, monkeypatch):
    def no_home() -> None:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(names_module.Path, "home", no_home)
    assert "หัวหิน" in names()
