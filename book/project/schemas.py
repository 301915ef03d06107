"""The declared schema (book/project/schema.py) in other forms: JSON Schemas (draft 2020-12) for editors' YAML
language servers, and the Markdown reference of `book.yaml`. Both are generated from the same `Field`
declarations the validator uses, so they cannot drift from what `check` accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .schema import BOOK, DATE, FRONT_MATTER, LENGTH, SLUG, Field

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BOOK_SCHEMA = "book.schema.json"
FRONT_MATTER_SCHEMA = "front-matter.schema.json"
REFERENCE = Path("docs") / "reference" / "book-yaml.md"

_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "length": {"type": "string", "pattern": LENGTH.pattern},
    "slug": {"type": "string", "pattern": SLUG.pattern},
    "date": {"type": "string", "format": "date", "pattern": DATE.pattern},
    "list": {"type": "array", "items": {"type": "string"}},
    "map": {"type": "object", "additionalProperties": {"type": "string"}},
}


def field_schema(spec: Field) -> dict[str, Any]:
    """One field as JSON Schema: its type, its description and default; an optional key may be left empty
    (null), which the validator reads as its default."""
    if spec.type == "mapping":
        return {
            "type": "object",
            "description": spec.doc,
            "properties": {f.name: field_schema(f) for f in spec.fields},
            "required": [f.name for f in spec.fields if f.required],
            "additionalProperties": False,
        }
    if spec.type == "choice":
        schema: dict[str, Any] = {"type": "string", "enum": list(spec.choices)}
    else:
        schema = dict(_TYPES[spec.type])
    if not spec.required:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    schema["description"] = spec.doc
    if spec.default is not None:
        schema["default"] = spec.default
    return schema


def book_schema() -> dict[str, Any]:
    """The JSON Schema of book.yaml."""
    return {"$schema": DRAFT, "$id": BOOK_SCHEMA, "title": "thaibook book.yaml", **field_schema(BOOK)}


def front_matter_schema() -> dict[str, Any]:
    """The JSON Schema of a chapter's front matter: one of the kinds (chapter when `kind` is left out)."""
    kinds = []
    for kind, spec in FRONT_MATTER.items():
        schema = field_schema(spec)
        schema["title"] = kind
        kinds.append(schema)
    return {"$schema": DRAFT, "$id": FRONT_MATTER_SCHEMA, "title": "thaibook chapter front matter", "oneOf": kinds}


def schema_files() -> dict[str, str]:
    """File name to text of every JSON Schema the toolkit publishes."""
    dump = lambda schema: json.dumps(schema, ensure_ascii=False, indent=2) + "\n"  # noqa: E731
    return {BOOK_SCHEMA: dump(book_schema()), FRONT_MATTER_SCHEMA: dump(front_matter_schema())}


def _type_name(spec: Field) -> str:
    if spec.type == "choice":
        return " \\| ".join(f"`{c}`" for c in spec.choices)
    return {"list": "list of text", "map": "mapping of names to text", "length": "length (mm, cm, in, pt, px)"}.get(
        spec.type, spec.type
    )


def _default(spec: Field) -> str:
    if spec.required:
        return "required"
    if spec.default is None or spec.default == "":
        return "—"
    if isinstance(spec.default, bool):
        return f"`{str(spec.default).lower()}`"
    return (
        f"`{json.dumps(spec.default, ensure_ascii=False)}`" if isinstance(spec.default, list) else f"`{spec.default}`"
    )


def _rows(spec: Field, prefix: str = "") -> list[str]:
    rows = []
    for field in spec.fields:
        name = f"{prefix}{field.name}"
        if field.type == "mapping":
            rows.append(f"| `{name}` | mapping | | {field.doc} |")
            rows += _rows(field, f"{name}.")
        else:
            doc = field.doc.replace("|", "\\|")
            rows.append(f"| `{name}` | {_type_name(field)} | {_default(field)} | {doc} |")
    return rows


def reference_markdown() -> str:
    """docs/reference/book-yaml.md: every key of book.yaml and of the front matter, with type, default and
    meaning, in the order they are declared."""
    header = ["| key | type | default | meaning |", "|---|---|---|---|"]
    parts = [
        "# book.yaml reference",
        "",
        "<!-- Generated from book/project/schema.py by `python build.py docs`; do not edit by hand. -->",
        "",
        "Every key `book.yaml` may have. `python build.py check` reports an unknown key, a missing required key",
        "or a value of the wrong type with its line. Editors that run a YAML language server check the file as",
        f"it is typed against [`schemas/{BOOK_SCHEMA}`](../../schemas/{BOOK_SCHEMA}), generated from the same",
        "declarations (`python build.py schema`).",
        "",
        *header,
        *_rows(BOOK),
        "",
        "# Chapter front matter",
        "",
        "Each file in `chapters/` starts with YAML between two `---` lines. `kind` says what the file is",
        f"(JSON Schema: [`schemas/{FRONT_MATTER_SCHEMA}`](../../schemas/{FRONT_MATTER_SCHEMA})).",
    ]
    for kind, spec in FRONT_MATTER.items():
        parts += ["", f"## kind: {kind}", "", spec.doc, "", *header, *_rows(spec)]
    return "\n".join(parts) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write the JSON Schemas into `folder`; return their paths."""
    from ..scheduler import write_text_atomic

    folder.mkdir(parents=True, exist_ok=True)
    return [write_text_atomic(folder / name, text) for name, text in schema_files().items()]


def write_reference(target: Path) -> Path:
    """Write the book.yaml reference to `target`."""
    from ..scheduler import write_text_atomic

    target.parent.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(target, reference_markdown())
