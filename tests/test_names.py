"""What a machine keeps in its cache folder, once per PyThaiNLP version (`names.kept`): the Wikipedia titles'
index (book/thai/names.py), with the same answers as the titles themselves, and newmm's word list
(book/thai/dictionary.py). Each is made once then read, made again when its file is damaged, and served from memory
when it cannot be kept."""

from __future__ import annotations

import random

import pytest

from book.thai import dictionary
from book.thai import names as names_module
from book.thai.dictionary import WordPrefixes, word_list_path, word_prefixes
from book.thai.names import Names, index_path, names, titles

# Each kept file: how it is asked for, where it is kept, how it is read, the module whose cache folder it
# uses, and a text it knows.
KEPT = {
    "titles": (names, index_path, Names.from_bytes, names_module, "หัวหิน"),
    "words": (word_prefixes, word_list_path, WordPrefixes.from_bytes, dictionary, "เรียนรู้"),
}
DAMAGES = {
    "cut short": lambda data: data[:-3],
    "lines added": lambda data: data.replace(b"\n", b"\n\n", 5),
    "a byte before": lambda data: b"x" + data,
}


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    names.cache_clear()
    word_prefixes.cache_clear()
    yield tmp_path
    names.cache_clear()
    word_prefixes.cache_clear()


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


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
@pytest.mark.parametrize("kind", KEPT)
def test_a_damaged_file_is_made_again(cache_home, kind, damage):
    made, path_of, read, _, known = KEPT[kind]
    made()
    path = path_of()
    path.write_bytes(damage(path.read_bytes()))
    assert read(path.read_bytes()) is None
    made.cache_clear()
    assert known in made()
    assert read(path.read_bytes()) is not None  # written whole again


@pytest.mark.parametrize("kind", KEPT)
def test_an_unwritable_cache_folder_serves_it_from_memory(cache_home, monkeypatch, kind):
    made, _, _, module, known = KEPT[kind]
    blocked = cache_home / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(module, "cache_folder", lambda: blocked)
    assert known in made()
    assert blocked.read_text() == "not a folder"


def test_without_a_home_folder_the_index_is_made_for_the_build(cache_home, monkeypatch):
    def no_home() -> None:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(names_module.Path, "home", no_home)
    assert "หัวหิน" in names()


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
