"""The declared schema (book/project/schema.py) in other forms: JSON Schemas (draft 2020-12) for editors' YAML
language servers, and the Markdown reference of `book.yaml`. Both are generated from the same `Field`
declarations the validator uses, so they cannot drift from what `check` accepts. A project's own chapter kinds
(`kinds:` in its book.yaml) are in its front matter schema and its reference, with their declared fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .kinds import BUILT_IN, FIELD, KIND, Kind, front_matter_spec
from .schema import BOOK, DATE, LENGTH, MEASURE, SLUG, Field

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BOOK_SCHEMA = "book.schema.json"
FRONT_MATTER_SCHEMA = "front-matter.schema.json"
REFERENCE = Path("docs") / "reference" / "book-yaml.md"

_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "number": {"type": "number", "exclusiveMinimum": 0},
    "length": {"type": "string", "pattern": LENGTH.pattern},
    "measure": {"type": "string", "pattern": MEASURE.pattern},
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
    if spec.type == "kinds":  # name -> a kind's declaration, or the name of a file of them
        return {
            "type": ["object", "string", "null"],
            "description": spec.doc,
            "additionalProperties": field_schema(KIND),
        }
    if spec.type == "fields":  # name -> a field's declaration
        field = {**field_schema(FIELD), "type": ["object", "null"]}
        return {"type": ["object", "null"], "description": spec.doc, "additionalProperties": field}
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


def front_matter_schema(kinds: dict[str, Kind] | None = None) -> dict[str, Any]:
    """The JSON Schema of a chapter's front matter: one of the kinds, the toolkit's and `kinds` a book declares
    (a plain chapter, or the book's default kind, when `kind` is left out)."""
    schemas = []
    default = next((k.name for k in (kinds or {}).values() if k.default), "chapter")
    for name, kind in (kinds or BUILT_IN).items():
        schema = field_schema(front_matter_spec(kind))
        schema["title"] = name
        schema["properties"]["kind"] = {"const": name, "description": COMMON_KIND}
        if name != default:
            schema["required"] = ["kind", *schema["required"]]
        schemas.append(schema)
    return {"$schema": DRAFT, "$id": FRONT_MATTER_SCHEMA, "title": "thaibook chapter front matter", "oneOf": schemas}


COMMON_KIND = "What the file is: a kind of the toolkit or one the book declares."


def schema_files(kinds: dict[str, Kind] | None = None) -> dict[str, str]:
    """File name to text of every JSON Schema the toolkit publishes (with a book's own `kinds`)."""
    dump = lambda schema: json.dumps(schema, ensure_ascii=False, indent=2) + "\n"  # noqa: E731
    return {BOOK_SCHEMA: dump(book_schema()), FRONT_MATTER_SCHEMA: dump(front_matter_schema(kinds))}


def _type_name(spec: Field) -> str:
    if spec.type == "choice":
        return " \\| ".join(f"`{c}`" for c in spec.choices)
    return {
        "list": "list of text",
        "map": "mapping of names to text",
        "length": "length (mm, cm, in, pt, px)",
        "measure": "length (em, mm, cm, in, pt, px)",
        "number": "number",
        "kinds": "mapping of kind names, or a file name",
        "fields": "mapping of field names",
    }.get(spec.type, spec.type)


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


def reference_markdown(kinds: dict[str, Kind] | None = None) -> str:
    """docs/reference/book-yaml.md: every key of book.yaml, of a kind's declaration and of the front matter of
    each kind (the toolkit's, and `kinds` a book declares), with type, default and meaning."""
    header = ["| key | type | default | meaning |", "|---|---|---|---|"]
    parts = [
        "# book.yaml reference",
        "",
        "<!-- Generated from book/project/schema.py by `python3 build.py docs`; do not edit by hand. -->",
        "",
        "Every key `book.yaml` may have. `python3 build.py check` reports an unknown key, a missing required key",
        "or a value of the wrong type with its line. Editors that run a YAML language server check the file as",
        f"it is typed against [`schemas/{BOOK_SCHEMA}`](../../schemas/{BOOK_SCHEMA}), generated from the same",
        "declarations (`python3 build.py schema`).",
        "",
        *header,
        *_rows(BOOK),
        "",
        "",
        "## Declaring a chapter kind: `kinds:`",
        "",
        "Each entry of `kinds:` (in book.yaml, or in the YAML file it names) declares a body chapter kind:",
        "",
        *header,
        *_rows(KIND),
        "",
        "Each entry of a kind's `fields:` declares one front matter key of its chapters:",
        "",
        *header,
        *_rows(FIELD),
        "",
        "# Chapter front matter",
        "",
        "Each file in `chapters/` may start with YAML between two `---` lines; a file without it is a plain",
        "chapter whose title is its first `# heading` and whose slug comes from its file name. `kind` says what",
        "the file is: front matter (preface, foreword, introduction) comes before the contents, back matter",
        "(appendix, afterword, glossary, credits, colophon) after the body, whatever the files' order",
        f"(JSON Schema: [`schemas/{FRONT_MATTER_SCHEMA}`](../../schemas/{FRONT_MATTER_SCHEMA})).",
    ]
    for name, kind in (kinds or BUILT_IN).items():
        where = "declared by this book" if kind.declared else f"{kind.place}"
        parts += ["", f"## kind: {name} ({where})", "", kind.doc, "", *header, *_rows(front_matter_spec(kind))]
    return "\n".join(parts) + "\n"


def write_schemas(folder: Path, kinds: dict[str, Kind] | None = None) -> list[Path]:
    """Write the JSON Schemas (with a book's own `kinds`) into `folder`; return their paths."""
    from ..scheduler import write_text_atomic

    folder.mkdir(parents=True, exist_ok=True)
    return [write_text_atomic(folder / name, text) for name, text in schema_files(kinds).items()]


def write_reference(target: Path, kinds: dict[str, Kind] | None = None) -> Path:
    """Write the book.yaml reference (with a book's own `kinds`) to `target`."""
    from ..scheduler import write_text_atomic

    target.parent.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(target, reference_markdown(kinds))


def project_kinds(root: Path) -> dict[str, Kind] | None:
    """The kinds the project at `root` may use, its own among them; None when its book.yaml cannot be read
    (`check` says why)."""
    from ..diagnostics import BookError, Problems
    from .kinds import read_kinds
    from .limits import read_text
    from .schema import load_yaml

    problems = Problems(root)
    path = root / "book.yaml"
    try:
        text = read_text(path, problems, "book.yaml") if path.is_file() else None
        node = load_yaml(text, path, problems) if text is not None else None
        kinds = read_kinds(root, node, problems)
    except BookError:
        return None
    return None if problems.errors else kinds
