"""The interface language: both catalogues complete (the toolkit's words and every diagnostic's), the same
values in each language, and the choice of language in its order."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from book.diagnostics import messages
from book.diagnostics.catalogue import DIAGNOSTICS, code_of, texts
from book.diagnostics.messages import (
    CATALOGUES,
    LANGUAGES,
    book_interface,
    detail_text,
    interface_language,
    locale_language,
    project_language,
    say,
    step_text,
)
from book.diagnostics.problems import Diagnostic, Problems, diagnostic

BOOK = Path(__file__).resolve().parent.parent / "book"
CODE = re.compile(r"""["']([A-Z]{1,2}\d{3}(?:\.[a-z-]+)?)["']""")
THAI = re.compile("[\u0e01-\u0e5b]")
# Names Problems.add and diagnostic() take as keywords for themselves: a value of that name could not be passed.
RESERVED = {"message", "col", "severity"}
# Values the Thai text leaves out: a key's description from the schema (Field.doc) is English prose, and
# English prose never sits inside a Thai message (docs/glossary.md).
THAI_LEAVES_OUT = {"S002": {"doc"}}


def fields(text: str) -> dict[str, str]:
    """The values a text names, each with its format spec: {"size": ".1f", "slug": ""}."""
    return {name: spec for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


def sample(spec: str) -> object:
    """A value that the format spec `spec` accepts."""
    if spec.endswith(("x", "d")) or spec == ",":
        return 1234
    if spec.endswith(("f", "g")):
        return 12.5
    return "x"


def emitted_codes() -> set[str]:
    """Every diagnostic key written in the toolkit's source: a code ('C001') or a code and variant."""
    found = set()
    for path in BOOK.rglob("*.py"):
        if path.name != "catalogue.py":
            found |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return found


def used_words() -> set[str]:
    """Every key of the toolkit's words that the source and the preview's templates ask for by name."""
    used = set()
    for path in BOOK.rglob("*.py"):
        used |= set(re.findall(r"""\bsay\(\s*["']([^"']+)["']""", path.read_text(encoding="utf-8")))
    for path in (BOOK / "templates").glob("preview*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([^"']+)["']""", path.read_text(encoding="utf-8")))
    return used


def test_every_key_is_in_every_catalogue() -> None:
    assert sorted(CATALOGUES) == sorted(LANGUAGES)
    keys = set().union(*(set(catalogue) for catalogue in CATALOGUES.values()))
    for language, catalogue in CATALOGUES.items():
        assert set(catalogue) == keys, f"{language} lacks {sorted(keys - set(catalogue))}"
        assert all(text.strip() for text in catalogue.values()), language
    assert CATALOGUES["th"]["summary"] != CATALOGUES["en"]["summary"]


def test_every_word_the_toolkit_asks_for_is_in_the_catalogues() -> None:
    used = used_words()
    assert {"problems", "wrote", "check verdict", "preflight not ready", "problems title", "number"} <= used
    assert used - set(CATALOGUES["en"]) == set()


def test_every_code_the_toolkit_emits_has_thai_and_english_words() -> None:
    emitted = emitted_codes()
    assert len({code_of(key) for key in emitted}) >= 80  # the scan finds the codes: a broken scan fails here
    for key in sorted(emitted):
        if "." in key:
            assert key in DIAGNOSTICS, f"{key} is emitted but has no words in book/diagnostics/catalogue.py"
        else:
            assert any(code_of(k) == key for k in DIAGNOSTICS), f"{key} is emitted but has no words"
    for key, said in DIAGNOSTICS.items():
        assert set(said) == set(LANGUAGES), key
        assert re.fullmatch(r"[A-Z]{1,2}\d{3}(\.[a-z-]+)?", key), key


@pytest.mark.parametrize("catalogue", ["diagnostics", "words"])
def test_both_languages_name_the_same_values(catalogue: str) -> None:
    entries = DIAGNOSTICS if catalogue == "diagnostics" else {k: {lang: CATALOGUES[lang][k] for lang in LANGUAGES}
                                                               for k in CATALOGUES["en"]}  # fmt: skip
    for key, said in entries.items():
        english = {name: spec for name, spec in fields(said["en"]).items() if name not in THAI_LEAVES_OUT.get(key, ())}
        assert fields(said["th"]) == english, key
        assert catalogue == "words" or not set(fields(said["en"])) & RESERVED, key
        assert THAI.search(said["th"]), f"{key}: the Thai text has no Thai in it"
        values = {name: sample(spec) for name, spec in fields(said["en"]).items()}
        for language in LANGUAGES:
            assert said[language].format(**values).strip(), (key, language)
        if catalogue == "diagnostics":  # as the toolkit makes them, with every value as a keyword
            made = diagnostic("f.md", 1, key, 2, "warning", **values)
            assert (made.code, made.col, made.severity) == (code_of(key), 2, "warning") and made.message_th
            problems = Problems()
            problems.add("f.md", 1, key, None, 2, "warning", **values)
            assert problems.items == [made]


def test_a_diagnostic_speaks_both_languages() -> None:
    problems = Problems()
    problems.add("chapters/02-trang.md", 7, "S003.integer", name="projects", value="many")
    (found,) = problems.items
    assert found.code == "S003" and found.message == "projects: expected a whole number, got 'many'"
    assert str(found) == "chapters/02-trang.md:7: projects: expected a whole number, got 'many' [S003]"
    assert found.shown("th") == "chapters/02-trang.md:7: projects: ต้องเป็นจำนวนเต็ม แต่ได้ 'many' [S003]"
    assert found.shown("en") == str(found)
    utf8 = diagnostic("a.md", 3, "C003", col=5, byte=0xFF)
    assert utf8.place == "a.md:3:5" and "0xff" in utf8.text("th") and utf8.text("en").startswith("not valid UTF-8")
    # A diagnostic made without the catalogue (an English message) shows English in both.
    plain = Diagnostic("book.yaml", None, "S006", "print.signature: expected an even number")
    assert plain.text("th") == plain.message and plain.shown("th") == str(plain)
    assert plain == Diagnostic("book.yaml", None, "S006", "print.signature: expected an even number", message_th="x")


def test_texts_fill_both_languages_and_an_unknown_key_fails() -> None:
    said = texts("C001", slug="nan", first="chapters/01-nan.md")
    assert said["en"] == "slug: 'nan' is already used by chapters/01-nan.md; slugs must be unique"
    assert "nan" in said["th"] and "chapters/01-nan.md" in said["th"] and THAI.search(said["th"])
    with pytest.raises(KeyError):
        texts("Z999")


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
    assert interface_language(None, {"interface": "fr"}) == "en"  # not one we have: the locale decides
    monkeypatch.setenv("LANG", "C")
    assert interface_language(None, {}) == messages.DEFAULT == "th"


def test_a_project_folder_chooses_even_when_book_yaml_is_broken(tmp_path: Path, monkeypatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    config = tmp_path / "book.yaml"
    assert book_interface(tmp_path) is None and project_language(None, tmp_path) == "en"  # no book.yaml
    config.write_text("title: x\ninterface: th\n", encoding="utf-8")
    assert book_interface(tmp_path) == "th" and project_language(None, tmp_path) == "th"
    assert project_language("en", tmp_path) == "en"
    config.write_text("title: [x\ninterface: th\n", encoding="utf-8")  # not YAML: the locale, then Thai
    assert book_interface(tmp_path) is None and project_language(None, tmp_path) == "en"
    config.write_bytes(b"interface: th\n\xff\xfe")
    assert project_language(None, tmp_path) == "en"
    monkeypatch.setenv("LANG", "C")
    assert project_language(None, tmp_path) == "th"


def test_a_progress_step_is_said_in_one_language() -> None:
    step = "อ่านต้นฉบับและตรวจสอบ (reading and checking the sources)"
    assert step_text(step, "th") == "อ่านต้นฉบับและตรวจสอบ"
    assert step_text(step, "en") == "reading and checking the sources"
    assert step_text("PDF สำหรับอ่านบนจอ (writing the screen PDF)", "th") == "PDF สำหรับอ่านบนจอ"
    assert step_text(step, None) == step
    assert step_text("packaging (EPUB)", "th") == "packaging (EPUB)"  # no Thai: not a pair


@pytest.mark.parametrize(
    ("detail", "thai"),
    [
        ("148 pages (10 signatures of 16)", "148 หน้า (10 ยก ยกละ 16 หน้า)"),
        ("16 pages (1 signature of 16; 3 blank pages added)", "16 หน้า (1 ยก ยกละ 16 หน้า เติมหน้าว่าง 3 หน้า)"),
        (
            "136 pages (17 signatures of 8); 5 blank: 2 versos before right-hand openings, "
            "3 to fill the last signature",
            "136 หน้า (17 ยก ยกละ 8 หน้า) หน้าว่าง 5 หน้า: หน้าซ้ายก่อนบทที่เปิดหน้าขวา 2 หน้า เติมให้เต็มยกสุดท้าย 3 หน้า",
        ),
        ("16 pages (2 signatures of 8); no blank page", "16 หน้า (2 ยก ยกละ 8 หน้า) ไม่มีหน้าว่าง"),
        ("131 pages, tagged PDF/UA-1", "131 หน้า มีแท็กตาม PDF/UA-1"),
        ("spine 7.4 mm for 148 pages", "สัน 7.4 มม. สำหรับเนื้อใน 148 หน้า"),
        ("24 documents, 148 print pages", "24 เอกสาร อ้างอิงเลขหน้าฉบับพิมพ์ 148 หน้า"),
        ("25 infographics, 0 ready", "อินโฟกราฟิก 25 ภาพ พร้อมแล้ว 0 ภาพ"),
        ("download page; upload its folder as it is", "หน้าดาวน์โหลด อัปโหลดทั้งโฟลเดอร์นี้ขึ้นเว็บได้ทันที"),
        ("something new", "something new"),
    ],
)
def test_what_a_build_wrote_is_said_in_thai(detail: str, thai: str) -> None:
    assert detail_text(detail, "th") == thai
    assert detail_text(detail, "en") == detail


def test_say_fills_values() -> None:
    assert say("problems", "en", count=2) == "2 problem(s); nothing was written."
    assert say("problems", "th", count=2) == "พบปัญหา 2 ข้อ ยังไม่ได้เขียนไฟล์ใดเลย"


# -- one Thai glossary (docs/glossary.md) for every Thai message: no jargon left untranslated, no English prose

# Names that stay in Latin letters in Thai text: formats, programs, standards, Word's own names, and values
# typed as they are. Everything else in Latin letters must be code: a key (`title:`), an option (`--slug`),
# a path, a value in braces or quotes, a command to run, or an English gloss in brackets after its Thai term.
NAMES = {
    "Markdown", "WeasyPrint", "HarfBuzz", "Word", "Document", "Heading", "DestOutputProfile", "BleedBox",
    "TrimBox", "Schema", "zip", "x", "px", "ppi", "true", "false", "regular", "bold", "any", "id", "chapter",
    "thaibook", "Windows",
}  # fmt: skip
UNTRANSLATED = re.compile(r"front\s*matter|คีย์", re.IGNORECASE)


def english_prose(text: str) -> list[str]:
    """The words of `text` in Latin letters that are neither code nor a name (see NAMES)."""
    from book.cli.helptext import COMMANDS

    text = re.sub(r"python3 build\.py \w+|pip install \S+|ulimit -f|--[\w-]+(?: [A-Za-z0-9_=.-]+)?", " ", text)
    text = re.sub(r"\{[^}]*\}|`[^`]*`|'[^']*'", " ", text)  # values, code, quoted names
    text = re.sub(r"\([A-Za-z ,-]+\)", " ", text)  # the English name of a term, after the Thai
    text = re.sub(r"\S*[-./_=:+@<>\[\]]\S*", " ", text)  # keys, paths, file names
    words = re.findall(r"[A-Za-z]+", text)
    return [w for w in words if not w.isupper() and w not in NAMES and w not in COMMANDS]


def thai_texts() -> dict[str, str]:
    from book.cli.helptext import HELP

    return {
        **{key: said["th"] for key, said in DIAGNOSTICS.items()},
        **{f"words: {key}": text for key, text in CATALOGUES["th"].items()},
        **{f"help: {key}": text for key, text in HELP["th"].items()},
    }


def test_the_thai_messages_use_the_glossary() -> None:
    texts_th = thai_texts()
    assert len(texts_th) > 300  # the catalogue, the toolkit's words and --help: a broken scan fails here
    assert not {key: text for key, text in texts_th.items() if UNTRANSLATED.search(text)}
    # `slug:` and `--slug` are code; slug as a word of a Thai sentence is ชื่อย่อของบท
    assert not {key: text for key, text in texts_th.items() if re.search(r"(?<![-\w{'`])slug(?![:\w}'`])", text)}
    prose = {key: words for key, text in texts_th.items() if (words := english_prose(text))}
    assert prose == {}


def test_the_scan_finds_what_the_glossary_forbids() -> None:
    """The scan above would catch each mistake the catalogue used to make."""
    assert UNTRANSLATED.search("บทนี้ยังไม่มีเนื้อความ ให้เขียนต่อจาก front matter")
    assert UNTRANSLATED.search("{name}: ไม่รู้จักคีย์นี้")
    assert "book" in english_prose("{name}: ขาดค่าที่ต้องมี (The book's title.)")
    assert english_prose("ไฟล์นี้อยู่นอกโปรเจกต์ (เป็น symlink ออกไปข้างนอกหรือไม่)") == ["symlink"]
    assert english_prose("ใส่ 'title:' ในข้อมูลหัวบท ด้วย --slug nan แล้วรัน: python3 build.py setup") == []
    assert re.search(r"(?<![-\w{'`])slug(?![:\w}'`])", "new chapter: slug ต้องเป็น a-z")


def test_the_glossary_has_the_terms_the_messages_use() -> None:
    glossary = (Path(__file__).resolve().parent.parent / "docs" / "glossary.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|", glossary, re.MULTILINE))
    for english, thai in {"front matter": "ข้อมูลหัวบท", "slug": "ชื่อย่อของบท", "key": "ชื่อค่า"}.items():
        assert rows.get(thai) == english, (english, thai)
    guide = (Path(__file__).resolve().parent.parent / "docs" / "editor.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```|`[^`]*`|\([^)]*\)|\[[^\]]*\]", " ", guide, flags=re.DOTALL)
    assert not UNTRANSLATED.search(prose) and not re.search(r"\bslug\b", prose)


def test_the_help_has_every_word_in_both_languages() -> None:
    from book.cli.helptext import COMMANDS, HELP, MISTAKES

    assert sorted(HELP) == sorted(LANGUAGES) and set(HELP["th"]) == set(HELP["en"])
    assert set(COMMANDS) | set(MISTAKES) <= set(HELP["en"])
    for key, text in HELP["en"].items():
        assert fields(HELP["th"][key]) == fields(text), key
        assert key in ("usage",) or THAI.search(HELP["th"][key]), key
