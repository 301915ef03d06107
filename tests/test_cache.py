"""A verified cache: an entry planted or damaged in a built project's `.cache` (other bytes under the old
digest, facts of the wrong shape under a right digest, a symlink, a FIFO, a folder, a cut entry, a break entry
whose texts were swapped, a `.cache/parts` or a `.cache` that is a symlink) never changes an output and never
stops a build, and nothing outside `.cache` is read, written or deleted through it. The entries are planted at
run time in a copy of the mini project: their keys digest the toolkit's own code, so no entry kept with the
tests could stand under a key a build asks for.

Each build is compared with one made without the cache (`same_as_without_cache`): each PDF page by page, the
manifest, the EPUB's page list and the EPUB byte for byte."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_incremental import outputs

from book.building import build
from book.project.reading import load_book
from book.scheduler import Cache, fits, project_cache
from book.scheduler.cache import MAGIC, _seal
from book.thai import dictionary
from book.thai import names as names_module
from book.thai.dictionary import WordPrefixes, word_list_path, word_prefixes
from book.thai.names import Names, index_path, names


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The mini book's outputs built without the cache: what every build with a planted cache must give."""
    from conftest import MINI, copy_project

    folder = tmp_path_factory.mktemp("cold")
    build(copy_project(MINI, folder / "book"), folder / "out", cache=False)
    return outputs(folder / "out")


@pytest.fixture
def built(project: Path, tmp_path: Path) -> Path:
    """A copy of the mini project built once, its `.cache` full."""
    build(project, tmp_path / "first")
    return project


def entries(project: Path, kind: str) -> list[Path]:
    return sorted((project / ".cache" / kind).glob("*.entry"))


def reseal(path: Path, facts: object, files: dict[str, bytes]) -> None:
    """Write at `path` an entry of `facts` and `files` whose digest is right for its kind and key."""
    head = json.dumps({"facts": facts, "files": [[n, len(b)] for n, b in files.items()]}).encode()
    content = head + b"\n" + b"".join(files.values())
    path.write_bytes(MAGIC + _seal(path.parent.name, path.stem, content).encode() + b"\n" + content)


def read_entry(path: Path) -> tuple[dict, dict[str, bytes]]:
    return Cache(path.parent.parent).get(path.parent.name, path.stem)


def snapshot(*folders: Path, skip: tuple[str, ...] = (".cache", "dist")) -> dict[str, tuple[str, bytes | str]]:
    """Every file, folder and symlink under `folders` (outside `skip`), with its bytes or its target."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if any(part in skip for part in path.relative_to(folder).parts):
                continue
            if path.is_symlink():
                found[str(path)] = ("link", os.readlink(path))
            elif path.is_file():
                found[str(path)] = ("file", path.read_bytes())
            else:
                found[str(path)] = ("folder", "")
    return found


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def late(*_: object) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    before = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def rebuilt(project: Path, tmp_path: Path, cold: dict[str, object], *outside: Path) -> tuple[int, int]:
    """Build `project` again with its planted cache; check the build gives what a build without the cache
    gives, and touched nothing outside `.cache`. How many parts were laid out, of how many."""
    before = snapshot(project, *outside)
    with deadline(600):  # a FIFO read as an entry would wait for ever: fail instead
        result = build(project, tmp_path / "again")
    got = outputs(tmp_path / "again")
    for name in cold:
        assert got[name] == cold[name], name
    assert snapshot(project, *outside) == before
    return result.laid_out


def test_a_part_entry_with_other_pdf_bytes_under_its_old_digest_is_laid_out_again(built, tmp_path, cold):
    first, second = entries(built, "parts")[:2]
    seal = first.read_bytes().partition(b"\n")[0]
    first.write_bytes(seal + b"\n" + second.read_bytes().partition(b"\n")[2])
    laid_out, _ = rebuilt(built, tmp_path, cold)
    assert laid_out >= 1


def test_an_entry_moved_under_another_key_is_not_taken(built, tmp_path, cold):
    first, second = entries(built, "parts")[:2]
    first.write_bytes(second.read_bytes())  # whole, and its digest right, but for the other key
    assert read_entry(first) is None
    laid_out, _ = rebuilt(built, tmp_path, cold)
    assert laid_out >= 1


WRONG_SHAPES = {
    "a page shape that is not [str, bool, str]": lambda facts: facts["shapes"].__setitem__(0, ["right", "no", 3]),
    "pages that are not a list": lambda facts: facts.__setitem__("shapes", {"0": ["right", False, ""]}),
    "an anchor list short": lambda facts: facts["anchors"].pop(),
    "a start on no page": lambda facts: facts["starts"].append([999, "9", "x", 0, "x"]),
    "a warning of other fields": lambda facts: facts["warnings"].append(["file", "line", 3]),
    "no facts": lambda facts: facts.clear(),
    "a trim problem on no page": lambda facts: facts["trim"].append([999, "P101", 2.0, None, None]),
    "a trim problem of another check": lambda facts: facts["trim"].append([1, "P012", 2.0, None, None]),
    "an image past the trim without its size": lambda facts: facts["trim"].append([1, "P101.image", 2.0, None, None]),
    "no trim problems": lambda facts: facts.pop("trim"),
}


@pytest.mark.parametrize("wrong", WRONG_SHAPES.values(), ids=WRONG_SHAPES.keys())
def test_a_well_sealed_part_entry_of_the_wrong_shape_is_laid_out_again(built, tmp_path, cold, wrong):
    for path in entries(built, "parts"):
        facts, files = read_entry(path)
        wrong(facts)
        reseal(path, facts, files)
        assert read_entry(path) is not None  # a right digest: only the shape check refuses it
    laid_out, parts = rebuilt(built, tmp_path, cold)
    assert laid_out == parts


FOLIO_TRIM = {
    "a folio past the trim on no page": [[999, "P101.text", 2.0, None, None]],
    "a trim problem of another check": [[1, "P012", 2.0, None, None]],
    "no trim problems": None,
}


@pytest.mark.parametrize("trim", FOLIO_TRIM.values(), ids=FOLIO_TRIM.keys())
def test_a_well_sealed_folio_layer_with_wrong_trim_facts_is_made_again(built, tmp_path, cold, trim):
    """A folio layer's entry holds what its pages draw past the trim; one whose facts say something else (a
    page it does not have, another check's key, nothing at all) is made again, and the build is the same."""
    layers = entries(built, "folios")
    assert layers
    for path in layers:
        facts, files = read_entry(path)
        assert facts == {"trim": []}  # the mini book's folios are inside the trim
        reseal(path, {} if trim is None else {"trim": trim}, files)
    rebuilt(built, tmp_path, cold)
    assert all(read_entry(path)[0] == {"trim": []} for path in entries(built, "folios"))


def test_well_sealed_entries_of_every_kind_holding_something_else_are_made_again(built, tmp_path, cold):
    """Every entry of every kind (parts, folios, cover, fonts, Markdown, breaks, reading marks, placeholders)
    replaced by one with a right digest whose facts and files are not what its kind holds."""
    kinds = {path.parent.name for path in (built / ".cache").glob("*/*.entry")}
    assert {"parts", "folios", "cover", "fonts", "markdown", "breaks", "reading", "placeholders"} <= kinds
    for path in (built / ".cache").glob("*/*.entry"):
        junk = b"%PDF-1.7 not a pdf"
        reseal(
            path, {"body": 1, "raw": "x", "toc": [{}]}, {"print": junk, "screen": junk, "font": b"OTTO", "jpeg": b""}
        )
    laid_out, parts = rebuilt(built, tmp_path, cold)
    assert laid_out == parts


def test_an_entry_that_is_a_symlink_to_a_file_outside_is_not_followed(built, tmp_path, cold):
    outside = tmp_path / "outside"
    outside.mkdir()
    for path in entries(built, "parts") + entries(built, "markdown"):
        target = outside / f"{path.parent.name}-{path.name}"
        target.write_bytes(path.read_bytes())  # the very entry: still not read through a symlink
        path.unlink()
        path.symlink_to(target)
    laid_out, parts = rebuilt(built, tmp_path, cold, outside)
    assert laid_out == parts


def test_an_entry_that_is_a_hard_link_to_a_chapter_is_replaced_never_written_into(built, tmp_path, cold):
    chapters = sorted((built / "chapters").glob("*.md"))
    for path, chapter in zip(entries(built, "parts"), chapters * 10, strict=False):
        path.unlink()
        os.link(chapter, path)
    laid_out, _ = rebuilt(built, tmp_path, cold)  # the chapters are compared before and after, byte for byte
    assert laid_out >= 1


@pytest.mark.parametrize("where", ["elsewhere", "chapters"])
def test_a_kind_folder_that_is_a_symlink_is_neither_read_written_nor_cleaned(built, tmp_path, cold, where):
    parts = built / ".cache" / "parts"
    if where == "elsewhere":
        target = tmp_path / "elsewhere"
        parts.rename(target)  # the real entries, and a file that is no entry: nothing there may go
        (target / "keep.entry").write_bytes(b"must not be deleted")
    else:
        target = built / "chapters"
        for path in parts.iterdir():
            path.unlink()
        parts.rmdir()
        (target / "keep.entry").write_bytes(b"must not be deleted")
    parts.symlink_to(target, target_is_directory=True)
    laid_out, count = rebuilt(built, tmp_path, cold, target)
    assert laid_out == count  # not one part taken through the symlink
    assert parts.is_symlink()


def test_a_cache_folder_that_is_a_symlink_out_of_the_project_is_refused(project, tmp_path, cold):
    outside = tmp_path / "outside"
    (outside / "parts").mkdir(parents=True)
    (outside / "parts" / "keep.entry").write_bytes(b"must not be deleted")
    (project / ".cache").symlink_to(outside, target_is_directory=True)
    rebuilt(project, tmp_path, cold, outside)
    assert snapshot(outside) == {
        str(outside / "parts"): ("folder", ""),
        str(outside / "parts" / "keep.entry"): ("file", b"must not be deleted"),
    }


def test_a_fifo_or_a_folder_as_an_entry_does_not_hang_or_stop_the_build(built, tmp_path, cold):
    fifos = entries(built, "parts")[::2]
    folders = entries(built, "parts")[1::2] + entries(built, "markdown")[:1]
    for path in fifos:
        path.unlink()
        os.mkfifo(path)
    for path in folders:
        path.unlink()
        path.mkdir()
        (path / "inside").write_bytes(b"stays")
    laid_out, parts = rebuilt(built, tmp_path, cold)
    assert laid_out == parts
    assert all((path / "inside").read_bytes() == b"stays" for path in folders)


@pytest.mark.parametrize("cut", [0.5, 0.99, 0.0])
def test_a_truncated_entry_is_made_again(built, tmp_path, cold, cut):
    for path in (built / ".cache").glob("*/*.entry"):
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * cut)])
    laid_out, parts = rebuilt(built, tmp_path, cold)
    assert laid_out == parts


def test_break_entries_with_their_texts_swapped_are_not_taken(built, tmp_path, cold):
    """Each text's break marks are an entry keyed by that text. Swapped between two entries, under their old
    digests or sealed anew, the marks of another text are refused; the parts are laid out again from the
    texts themselves."""
    breaks = entries(built, "breaks")
    assert len(breaks) >= 4
    contents = [path.read_bytes() for path in breaks]
    for path, other in zip(breaks[:2], reversed(contents[:2]), strict=True):  # the files swapped
        path.write_bytes(other)
    facts = [read_entry(path)[0] for path in breaks[2:4]]
    for path, mine, theirs in zip(breaks[2:4], facts, reversed(facts), strict=True):  # the marks swapped
        reseal(path, {"text": mine["text"], "marked": theirs["marked"]}, {})
    for path in breaks[4:]:  # marks that are not of the text: a letter changed
        mine = read_entry(path)[0]
        reseal(path, {"text": mine["text"], "marked": mine["marked"].replace("\u0e01", "\u0e02")}, {})
    for path in entries(built, "parts"):
        path.unlink()  # so that every part is laid out, asking for every text's marks
    laid_out, parts = rebuilt(built, tmp_path, cold)
    assert laid_out == parts


def test_a_warm_rebuild_takes_every_entry_and_keeps_the_cache_whole(built, tmp_path, cold):
    kept = sorted((built / ".cache").glob("*/*.entry"))
    assert rebuilt(built, tmp_path, cold)[0] == 0
    assert sorted((built / ".cache").glob("*/*.entry")) == kept  # the break marks of parts not laid out too


def test_an_edited_paragraph_is_the_only_text_marked_again(built, tmp_path):
    """Break entries are keyed by their text: after a one-word edit, the edited paragraph's entry is the one
    made (the chapter's other texts are taken from the cache), and the old one is deleted after the build."""
    before = set(entries(built, "breaks"))
    chapter = built / "chapters" / "01-nan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("ตั้งอยู่", "อยู่", 1), encoding="utf-8")
    assert build(built, tmp_path / "edited").laid_out[0] == 1
    after = set(entries(built, "breaks"))
    assert len(after - before) == 1 and len(before - after) == 1


def test_a_markdown_entry_of_the_wrong_shape_is_converted_again(project):
    first = load_book(project, project_cache(project))
    planted = [{"level": "1", "id": 2, "name": None, "children": []}]
    for path in entries(project, "markdown"):
        facts, files = read_entry(path)
        reseal(path, {**facts, "toc": planted}, files)
    again = load_book(project, project_cache(project))
    assert all(read_entry(path)[0]["toc"] != planted for path in entries(project, "markdown"))  # made again
    assert [(c.slug, c.html, c.headings) for c in again.chapters] == [
        (c.slug, c.html, c.headings) for c in first.chapters
    ]


def test_keep_only_used_deletes_a_planted_symlink_never_what_it_points_to(tmp_path):
    cache = Cache(tmp_path / ".cache")
    cache.put("parts", "ab12", {"n": 1}, {"print": b"%PDF-1.7"})
    assert cache.get("parts", "ab12") == ({"n": 1}, {"print": b"%PDF-1.7"})
    target = tmp_path / "precious.entry"
    target.write_bytes(b"precious")
    (tmp_path / ".cache" / "parts" / "cd34.entry").symlink_to(target)
    assert cache.get("parts", "cd34") is None
    Cache(tmp_path / ".cache").keep_only_used(("parts",))
    assert not list((tmp_path / ".cache" / "parts").iterdir())
    assert target.read_bytes() == b"precious"


@pytest.mark.parametrize("file", [".cache", ".cache/parts"])
def test_a_file_where_a_cache_folder_goes_is_as_good_as_no_cache(tmp_path, file):
    (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / file).write_bytes(b"not a folder")
    cache = Cache(tmp_path / ".cache")
    cache.put("parts", "ab12", {}, {"print": b"%PDF-1.7"})
    assert cache.get("parts", "ab12") is None
    cache.keep_only_used(("parts",))
    assert (tmp_path / file).read_bytes() == b"not a folder"


def test_a_killed_builds_temporaries_are_cleaned_once_stale(tmp_path):
    cache = Cache(tmp_path / ".cache")
    cache.put("parts", "ab12", {})
    folder = tmp_path / ".cache" / "parts"
    stale, fresh = folder / ".ab12.entry.1.a.tmp", folder / ".ab12.entry.2.b.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(stale, (0, 0))
    cache.keep_only_used(("parts",))
    assert sorted(folder.iterdir()) == [fresh, folder / "ab12.entry"]


def test_keys_and_kinds_are_names_never_paths(tmp_path):
    cache = Cache(tmp_path / ".cache")
    for kind, key in [("..", "ab"), ("parts", "../../x"), ("parts/..", "ab"), ("parts", "AB")]:
        cache.put(kind, key, {})
        assert cache.get(kind, key) is None
    assert not any(tmp_path.glob("**/*.entry"))


def test_shapes():
    page = (str, bool, str)
    assert fits([["right", False, ""]], [page])
    assert not fits([["right", 0, ""]], [page]) and not fits([["right", False]], [page])
    assert fits({"a": 1, "b": None}, {"a": int, "b": {str, None}}) and not fits({"a": True}, {"a": int})
    assert not fits({"b": None}, {"a": int}) and not fits("x", [str])


# The per-user caches: the Wikipedia titles' index and newmm's word list in ~/.cache/thaibook.
KEPT = {
    "titles": (names, index_path, Names.from_bytes, "หัวหิน"),
    "words": (word_prefixes, word_list_path, WordPrefixes.from_bytes, "เรียนรู้"),
}


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    names.cache_clear()
    word_prefixes.cache_clear()
    yield tmp_path / "home"
    names.cache_clear()
    word_prefixes.cache_clear()


def flipped(data: bytes) -> bytes:
    """`data` with one byte in its middle changed, its length the same."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


@pytest.mark.parametrize("kind", KEPT)
def test_a_kept_file_with_a_byte_changed_is_made_again(cache_home, kind):
    made, path_of, read, known = KEPT[kind]
    made()
    path = path_of()
    path.write_bytes(flipped(path.read_bytes()))
    assert read(path.read_bytes()) is None
    made.cache_clear()
    assert known in made()
    assert read(path.read_bytes()) is not None


@pytest.mark.parametrize("kind", KEPT)
def test_a_kept_file_planted_as_a_symlink_or_a_fifo_is_made_again(cache_home, tmp_path, kind):
    made, path_of, read, known = KEPT[kind]
    made()
    path = path_of()
    planted = tmp_path / "planted"
    planted.write_bytes(path.read_bytes())  # a whole file: still not read through a symlink
    path.unlink()
    path.symlink_to(planted)
    made.cache_clear()
    assert known in made()
    assert not path.is_symlink() and read(path.read_bytes()) is not None
    assert read(planted.read_bytes()) is not None  # what it pointed to is untouched
    path.unlink()
    os.mkfifo(path)
    made.cache_clear()
    with deadline(120):
        assert known in made()


@pytest.mark.parametrize("kind", KEPT)
def test_a_cache_folder_that_is_a_symlink_is_neither_read_nor_written(cache_home, tmp_path, kind):
    made, path_of, _, known = KEPT[kind]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache_home.mkdir()
    (cache_home / "thaibook").symlink_to(elsewhere, target_is_directory=True)
    made.cache_clear()
    assert known in made()
    assert not any(elsewhere.iterdir())
    assert names_module.cache_folder() == dictionary.cache_folder() == cache_home / "thaibook"
