"""Chapter kinds: what a file of `chapters/` is, where it goes in the book and how it shows.

The toolkit knows a plain chapter, a part title page, and the front and back matter a book may have (preface,
foreword, introduction; appendix, afterword, glossary, credits, colophon). Front matter comes before the
contents and body, back matter after it, whatever the files' order: the kind decides, not the position.

A book declares its own chapter kinds in `book.yaml` (`kinds:`, or the name of a YAML file of the project
that holds them): each is a body chapter with its own front matter fields (name, type, required or not,
whether its words are kept from line breaks), the way each field shows on the chapter's opener, a line in
the contents, the running head, the back cover's list and ornament, and the template it is set with. The
declared fields are checked by the same `Field` machinery as `book.yaml`, with file:line diagnostics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Problems
from .schema import SLUG, Field, mapping, validate

FRONT, BODY, PART, BACK = "front", "body", "part", "back"
PLACES = (FRONT, BODY, PART, BACK)
READING_ORDER = {FRONT: 0, BODY: 1, PART: 1, BACK: 2}  # front matter, then the body (parts in it), then back
FIELD_TYPES = ("string", "integer", "boolean", "date", "list")
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Shown:
    """One field of a declared kind and how it shows on the chapter opener."""

    field: Field
    opener: str = "none"  # line: a line of its own under the title; fact: a label and its value; none
    label: str = ""  # a fact's label
    format: str = "{value}"  # how its value is written, e.g. "{value} โครงการ"
    protect: bool = False  # its words are never broken across lines


@dataclass(frozen=True)
class Kind:
    """A chapter kind: where its chapters go, how they are named and set, and their own fields."""

    name: str
    place: str  # front, body, part, back
    title: str  # the kind's name in Thai: a chapter's title when it has neither `title:` nor a `# heading`
    template: str
    epub_type: str  # EPUB Structural Semantics
    role: str  # DPUB-ARIA
    label: str = ""  # the line over the title on the opener, `{number}` the chapter's number
    running: str = "{title}"  # the running head
    contents: str = ""  # a line under the title in the contents
    cover: str = ""  # how a chapter of this kind is named in the back cover's list (empty: not listed)
    ornament: bool = False  # one dot on the front cover for each chapter of this kind
    fields: tuple[Shown, ...] = ()
    doc: str = ""
    declared: bool = False  # by the book, not the toolkit
    default: bool = False  # a chapter whose front matter names no kind is of this one

    def shown(self, opener: str) -> list[Shown]:
        """The fields shown on the opener as `opener` (line or fact), in declared order."""
        return [f for f in self.fields if f.opener == opener]

    @property
    def protected(self) -> list[str]:
        return [f.field.name for f in self.fields if f.protect]


def _matter(name: str, place: str, title: str, template: str = "matter.html") -> Kind:
    return Kind(name, place, title, template, name, f"doc-{name}", doc=f"{title} ({name}).")


BUILT_IN: dict[str, Kind] = {
    "chapter": Kind(
        "chapter", BODY, "บท", "chapter.html", "chapter", "doc-chapter", label="บทที่ {number}",
        doc="A plain chapter, numbered บทที่ 1, 2, 3 on its opener and in the contents.",
    ),
    "part": Kind(
        "part", PART, "ภาค", "part.html", "part", "doc-part", label="ภาคที่ {number}",
        doc="A part title page: the chapters after it, up to the next part or the back matter, are in it.",
    ),
    "preface": _matter("preface", FRONT, "คำนำ"),
    "foreword": _matter("foreword", FRONT, "คำนิยม", "foreword.html"),
    "introduction": _matter("introduction", FRONT, "บทนำ"),
    "appendix": _matter("appendix", BACK, "ภาคผนวก"),
    "afterword": _matter("afterword", BACK, "บทส่งท้าย"),
    "glossary": _matter("glossary", BACK, "อภิธานศัพท์"),
    "credits": _matter("credits", BACK, "ทีมงาน", "credits.html"),
    "colophon": _matter("colophon", BACK, "ว่าด้วยการจัดทำ", "colophon.html"),
}  # fmt: skip

# What a book may say of a kind it declares (`kinds:` in book.yaml), and of each of its fields.
KIND = mapping(
    "kind",
    "A chapter kind the book declares: a body chapter with fields of its own.",
    Field("doc", "string", "What a chapter of this kind is; shown in the reference and the JSON Schema.", default=""),
    Field("title", "string", "The kind's name in Thai (the preview's kind column).", default=""),
    Field(
        "template",
        "string",
        "The template that sets it: the toolkit's or the book's own templates/.",
        default="chapter.html",
    ),
    Field(
        "label",
        "string",
        "The line over the title on the opener; {number} is the chapter's number.",
        default="บทที่ {number}",
    ),
    Field("running", "string", "The running head: {title} or {field}s of the kind.", default="{title}"),
    Field("contents", "string", "A line under the title in the contents, from {field}s; empty: none.", default=""),
    Field(
        "cover", "string", "How each chapter of the kind is named in the back cover's list; empty: no list.", default=""
    ),
    Field("ornament", "boolean", "One dot on the front cover for each chapter of the kind.", default=False),
    Field(
        "default",
        "boolean",
        "The kind of a chapter whose front matter names none (else a plain chapter).",
        default=False,
    ),
    Field("fields", "fields", "The kind's own front matter keys: name -> what is said of it below."),
)
FIELD = mapping(
    "field",
    "A front matter key of a declared kind.",
    Field("type", "choice", "The value's type.", default="string", choices=FIELD_TYPES),
    Field("required", "boolean", "Whether every chapter of the kind must have it.", default=False),
    Field("doc", "string", "What it means; shown in diagnostics, the reference and the JSON Schema.", default=""),
    Field("protect", "boolean", "Whether lines never break inside the words of its value.", default=False),
    Field(
        "opener",
        "choice",
        "How it shows on the opener: a line of its own under the title, a fact with its label, or not.",
        default="none",
        choices=("line", "fact", "none"),
    ),
    Field("label", "string", "The label of a fact on the opener.", default=""),
    Field(
        "format", "string", "How its value is written; {value} is the value, e.g. '{value} โครงการ'.", default="{value}"
    ),
)
# Keys every chapter's front matter may have, whatever its kind.
COMMON = (
    Field("kind", "string", "What the file is: a kind of the toolkit or one the book declares.", default="chapter"),
    Field("slug", "slug", "Unique id of the chapter: a-z, 0-9 and hyphens (default: from the file name)."),
    Field("title", "string", "The title, on the opener and in the contents (default: the first # heading)."),
)
SUMMARY = Field("summary", "string", "A standfirst printed under the title.")


def front_matter_spec(kind: Kind) -> Field:
    """The front matter a chapter of `kind` may have."""
    own = tuple(shown.field for shown in kind.fields)
    extra = (SUMMARY,) if kind.place == BODY else ()
    return mapping("front matter", kind.doc, *COMMON, *own, *extra)


def read_kinds(root: Path, config_node: yaml.Node | None, problems: Problems) -> dict[str, Kind]:
    """The toolkit's kinds and those `book.yaml` declares (`kinds:`, inline or in a file it names)."""
    kinds = dict(BUILT_IN)
    node = _value_of(config_node, "kinds")
    path = root / "book.yaml"
    if node is None:
        return kinds
    if isinstance(node, yaml.ScalarNode) and node.value:
        path, node = _kinds_file(root, node, problems)
        if node is None:
            return kinds
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, node.start_mark.line + 1, "K101")
        return kinds
    for name_node, body in node.value:
        name, line = str(name_node.value), name_node.start_mark.line + 1
        if name in BUILT_IN:
            problems.add(path, line, "K102", kind=name)
        elif not SLUG.match(name):
            problems.add(path, line, "K103", kind=name)
        else:
            kinds[name] = _declared(name, body, path, problems)
    defaults = [k.name for k in kinds.values() if k.default]
    if len(defaults) > 1:
        problems.add(path, node.start_mark.line + 1, "K104", kinds=", ".join(defaults))
    return kinds


def default_kind(kinds: dict[str, Kind]) -> str:
    """The kind of a chapter whose front matter names none: a declared `default: true` kind, else chapter."""
    return next((k.name for k in kinds.values() if k.default), "chapter")


def _kinds_file(root: Path, node: yaml.ScalarNode, problems: Problems) -> tuple[Path, yaml.Node | None]:
    from .containment import project_file
    from .limits import read_text
    from .schema import load_yaml

    name = node.value
    path = root / name
    where = (root / "book.yaml", node.start_mark.line + 1)
    if Path(name).is_absolute() or ".." in Path(name).parts or project_file(root, path, None) is None:
        problems.add(*where, "K105", name=name)
        return path, None
    if not path.is_file():
        problems.add(*where, "K106", name=name)
        return path, None
    text = read_text(path, problems, "book.yaml")
    return path, (load_yaml(text, path, problems) if text is not None else None)


def _declared(name: str, node: yaml.Node, path: Path, problems: Problems) -> Kind:
    fields_node = _value_of(node, "fields")
    rest = node
    if isinstance(node, yaml.MappingNode):
        rest = yaml.MappingNode(node.tag, [(k, v) for k, v in node.value if k.value != "fields"], node.start_mark)
    values = validate(rest, KIND, path, problems)
    fields = _fields(fields_node, path, problems) if fields_node is not None else ()
    names = {shown.field.name for shown in fields}
    for key in ("label", "running", "contents", "cover"):
        for used in PLACEHOLDER.findall(values[key]):
            if used not in names | {"title", "number"}:
                line = _line_of(node, key)
                problems.add(path, line, "K107", kind=name, key=key, name=used, known=", ".join(sorted(names)))
    return Kind(
        name, BODY, values["title"] or name, values["template"], "chapter", "doc-chapter",
        label=values["label"], running=values["running"], contents=values["contents"], cover=values["cover"],
        ornament=values["ornament"], fields=fields, doc=values["doc"] or f"A chapter of the kind {name}.",
        declared=True, default=values["default"],
    )  # fmt: skip


def _fields(node: yaml.Node, path: Path, problems: Problems) -> tuple[Shown, ...]:
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, node.start_mark.line + 1, "K108")
        return ()
    reserved = {f.name for f in (*COMMON, SUMMARY)}
    fields = []
    for name_node, body in node.value:
        name, line = str(name_node.value), name_node.start_mark.line + 1
        if name in reserved or not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            problems.add(path, line, "K109", name=name, reserved=", ".join(sorted(reserved)))
            continue
        if isinstance(body, yaml.ScalarNode) and body.value == "":
            body = None
        values = validate(body, FIELD, path, problems)
        doc = values["doc"] or name
        field = Field(name, values["type"], doc, required=values["required"])
        fields.append(Shown(field, values["opener"], values["label"], values["format"], values["protect"]))
    return tuple(fields)


def _value_of(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            if name.value == key:
                return value
    return None


def _line_of(node: yaml.Node, key: str) -> int:
    if isinstance(node, yaml.MappingNode):
        for name, _ in node.value:
            if name.value == key:
                return name.start_mark.line + 1
    return node.start_mark.line + 1


def fill_in(template: str, meta: dict[str, Any], number: int | None, title: str, digits=str) -> str:  # noqa: ANN001
    """`template` with `{field}` from `meta`, `{number}` and `{title}`; numbers written with `digits`."""

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        found = number if key == "number" else title if key == "title" else meta.get(key)
        if found is None:
            return ""
        return digits(found) if isinstance(found, int) and not isinstance(found, bool) else str(found)

    return PLACEHOLDER.sub(value, template)


def slug_of(name: str, fallback: str) -> str:
    """A valid slug made from a file or folder name: `01-บทนำ.md` -> `bthnam`; Thai romanized (Royal
    Institute), a leading `NN-` number dropped; `fallback` when nothing is left."""
    stem = re.sub(r"^\d+[-_. ]+", "", Path(name).stem if name.endswith(".md") else name)
    if re.search(r"[\u0e00-\u0e7f]", stem):
        from pythainlp.transliterate import romanize

        stem = " ".join(romanize(word, engine="royin") for word in re.split(r"[\s_\-.]+", stem) if word)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or fallback
