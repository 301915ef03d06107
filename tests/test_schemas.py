"""One source of truth: the committed JSON Schemas and book.yaml reference are what the declared schema
generates, and the schemas accept what `check` accepts and reject what it rejects."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
import yaml
from conftest import MINI, ROOT

from book.project.schemas import REFERENCE, project_kinds, reference_markdown, schema_files

KINDS = project_kinds(ROOT)  # the default book's own kinds (its city) are in its schemas and reference


def as_json(value: object) -> object:
    """YAML read as an editor's language server sees it: dates stay text."""
    return json.loads(json.dumps(value, default=str))


def front_matter(path) -> dict:  # noqa: ANN001
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return {}  # a plain chapter: no front matter at all
    return as_json(yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n")))


def validator(name: str, project=ROOT) -> jsonschema.Draft202012Validator:  # noqa: ANN001
    if project == ROOT:
        schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    else:  # a project's own schemas, as `build.py schema --project` writes them
        schema = json.loads(schema_files(project_kinds(project))[name])
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_committed_schemas_and_reference_are_fresh(tmp_path):
    assert "city" in KINDS
    for name, text in schema_files(KINDS).items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"run: python build.py schema ({name})"
    assert (ROOT / REFERENCE).read_text(encoding="utf-8") == reference_markdown(KINDS), "run: python build.py docs"
    done = subprocess.run([sys.executable, "build.py", "schema", "--out", str(tmp_path)], cwd=ROOT, capture_output=True)
    assert done.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(schema_files())
    for name, text in schema_files(KINDS).items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text


@pytest.mark.parametrize("project", [ROOT, MINI, MINI.parent / "plain"], ids=["default", "mini", "plain"])
def test_the_schemas_accept_the_books(project):
    book = validator("book.schema.json")
    assert list(book.iter_errors(as_json(yaml.safe_load((project / "book.yaml").read_text(encoding="utf-8"))))) == []
    chapters = validator("front-matter.schema.json", project)
    files = sorted((project / "chapters").glob("*.md"))
    assert len(files) >= 5
    for path in files:
        assert list(chapters.iter_errors(front_matter(path))) == [], path.name


def test_the_schemas_reject_what_check_rejects():
    book = validator("book.schema.json")
    good = as_json(yaml.safe_load((ROOT / "book.yaml").read_text(encoding="utf-8")))
    for broken in (
        {**good, "titel": "x"},  # unknown key (S001)
        {k: v for k, v in good.items() if k != "title"},  # missing required key (S002)
        {**good, "numerals": "roman"},  # not a choice
        {**good, "trim": {"width": "148"}},  # not a length
        {**good, "edition": "first"},
        {**good, "id": "Learning City"},
    ):
        assert not book.is_valid(broken), broken
    chapters = validator("front-matter.schema.json")
    city = front_matter(ROOT / "chapters" / "01-chiang-mai.md")
    assert not chapters.is_valid({**city, "projects": "two"})
    assert not chapters.is_valid({k: v for k, v in city.items() if k != "province"})
    assert not chapters.is_valid({"kind": "foreword", "slug": "foreword", "title": "คำนำ", "city": "น่าน"})
    assert not chapters.is_valid({"kind": "poem", "slug": "a", "title": "กลอน"})  # no such kind
    assert chapters.is_valid({"kind": "appendix", "slug": "a", "title": "ภาคผนวก"})
    assert chapters.is_valid({})  # a plain chapter needs no front matter at all
    assert not chapters.is_valid({"city": "น่าน"})  # a plain chapter has no city: that is the book's own kind
