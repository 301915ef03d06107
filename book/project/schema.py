"""The declared schema of `book.yaml` and of chapter front matter, and the validator that reads YAML
against it with line numbers.

One declaration serves validation (here) and, later, the JSON Schemas and the reference docs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Problems

LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")
MEASURE = re.compile(r"^\d+(\.\d+)?(em|mm|cm|in|pt|px)$")  # a length, or em: a share of the text's size
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Field:
    """One key: its type, whether it must be there, its default and what it means."""

    name: str
    type: (
        str  # string, integer, number, boolean, length, measure, slug, date, choice, list, mapping, map, kinds, fields
    )
    doc: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()  # for "mapping"
    items: str = "string"  # for "list" and "map" values

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def mapping(name: str, doc: str, *fields: Field, required: bool = False) -> Field:
    return Field(name, "mapping", doc, required=required, fields=fields)


BOOK = mapping(
    "book.yaml",
    "The book's metadata.",
    Field("title", "string", "The book's title.", required=True),
    Field("subtitle", "string", "The subtitle, printed under the title."),
    Field("language", "choice", "The book's language.", default="th", choices=("th",)),
    Field(
        "interface",
        "choice",
        "The language the toolkit speaks to you, th or en: its diagnostics, everything the command line prints "
        "(steps, written files, preflight, the summary) and the preview's pages. The book's own text is not "
        "touched. When absent: the locale (LANG=en_* gives English), else Thai; `--lang` overrides it.",
        choices=("th", "en"),
    ),
    Field(
        "id", "slug", "A stable id for the book; the EPUB's UUID is derived from it (default: from the folder's name)."
    ),
    Field(
        "isbn",
        "string",
        'The ISBN, when the book has one, in quotes: isbn: "978-616-00-0000-5" (digits alone are a number to YAML).',
    ),
    Field("publisher", "string", "Who publishes the book; when absent nothing is printed where it would be."),
    Field("edition", "integer", "The edition (พิมพ์ครั้งที่).", default=1),
    Field(
        "date", "date", "The edition's date, YYYY-MM-DD (printed in the Buddhist Era); when absent, none is printed."
    ),
    Field("description", "string", "A short description of the book, in Thai."),
    Field("rights", "string", "The copyright line."),
    Field("subjects", "list", "Subject keywords."),
    mapping(
        "trim",
        "The trimmed page size.",
        Field("width", "length", "Page width, e.g. 148mm.", default="148mm"),
        Field("height", "length", "Page height, e.g. 210mm.", default="210mm"),
    ),
    mapping(
        "margins",
        "The text block's margins on the printed page, mirrored: `inner` by the spine, `outer` at the fore-edge. "
        "The running head sits in the top margin, the folio in the bottom one; the pictures' and infographics' "
        "sizes, their resolution check and the screen PDF's centred pages all follow them.",
        Field("inner", "length", "The margin by the spine (left on a right-hand page).", default="20mm"),
        Field("outer", "length", "The margin at the fore-edge (right on a right-hand page).", default="15mm"),
        Field("top", "length", "The margin above the text block; the running head is set in it.", default="18mm"),
        Field("bottom", "length", "The margin under the text block; the folio is set in it.", default="20mm"),
    ),
    mapping(
        "text",
        "The body text of the printed page. The EPUB keeps its reader's own size: only the leading and the "
        "indent (as a share of the size) go into it.",
        Field(
            "size", "length", "The body text's size, e.g. 11pt; headings and notes are sized from it.", default="11pt"
        ),
        Field(
            "leading",
            "number",
            "The distance from line to line, as a multiple of the size, e.g. 1.75 (Thai needs room for two stacked "
            "marks above a line and one below it: 1.6 at the least).",
            default=1.75,
        ),
        Field(
            "indent",
            "measure",
            "The first line indent of a paragraph (not the first after a heading), e.g. 1.5em (em: a share of "
            "the size) or 6mm; 0em for none.",
            default="1.5em",
        ),
    ),
    mapping(
        "fonts",
        "Which font family sets which text; families are declared in fonts/fonts.yaml.",
        Field("body", "string", "Body text family (a looped Thai face).", default="Sarabun"),
        Field(
            "heading",
            "string",
            "The family of every heading: chapter and part titles, the title page, the contents' and matter "
            "titles, the headings inside chapters and the cover's title, back title and spine.",
            default="Kanit",
        ),
    ),
    Field(
        "numerals",
        "choice",
        "Digits for page numbers, chapter numbers and the contents.",
        default="arabic",
        choices=("arabic", "thai"),
    ),
    Field(
        "front_numerals",
        "choice",
        "How front matter pages are numbered: Thai letters (ก ข ค), Roman (i ii iii) or on with the body.",
        default="thai-letters",
        choices=("thai-letters", "roman", "continuous"),
    ),
    Field(
        "opening",
        "choice",
        "Where chapters open: on a right-hand page (a blank verso before one that would fall on the left) or on "
        "the next page, whichever side it is (fewer blank pages). Part title pages, the contents and the front "
        "and back matter always open on a right-hand page.",
        default="right",
        choices=("right", "any"),
    ),
    Field("justify", "boolean", "Justify body text the Thai way (true) or set it ragged right (false).", default=True),
    Field(
        "figures",
        "choice",
        "Number the figures through the book, 'ภาพที่ 1, 2...' first in each caption, the same in every edition "
        "(numbered), or leave them unnumbered.",
        default="unnumbered",
        choices=("unnumbered", "numbered"),
    ),
    Field(
        "tables",
        "choice",
        "Number the captioned tables through the book, 'ตารางที่ 1, 2...' first in each caption (numbered), or "
        "leave them unnumbered.",
        default="unnumbered",
        choices=("unnumbered", "numbered"),
    ),
    Field(
        "words",
        "list",
        "Word lists (files or globs in the project, one word or name per line) that lines must never break.",
        default=["words/*.txt"],
    ),
    mapping(
        "lint",
        "The Thai checks of `check`.",
        Field(
            "mai_yamok",
            "choice",
            "Spaces around ๆ: 'both' (Royal Institute: ต่าง ๆ นานา) or 'after' (ต่างๆ นานา).",
            default="both",
            choices=("both", "after"),
        ),
        Field("ignore", "list", "Diagnostic codes to silence, e.g. [TH005]."),
    ),
    mapping(
        "infographics",
        "Defaults for infographic placeholders.",
        Field("credit", "string", "Credit printed when a placeholder names none.", default=""),
    ),
    mapping(
        "colophon",
        "Facts printed on the colophon and imprint pages.",
        Field("printer", "string", "Who prints the book."),
        Field("print_run", "integer", "How many copies are printed (จำนวนพิมพ์)."),
        Field("paper", "string", "The paper of the interior."),
        Field("contact", "string", "Where readers can reach the publisher."),
    ),
    mapping(
        "print",
        "The print edition: bleed, marks, colour and binding (the screen edition has no bleed or marks).",
        Field("bleed", "length", "Bleed beyond the trim on every edge of the interior and the cover.", default="3mm"),
        Field("marks", "boolean", "Crop and registration marks outside the bleed.", default=True),
        Field("signature", "integer", "Pages per signature; blank pages pad the interior to a multiple.", default=16),
        Field(
            "booklet_signature", "integer", "Pages per signature of a chapter's booklet (saddle-stitched).", default=4
        ),
        Field("caliper", "length", "Thickness of one leaf of paper (spine = leaves x caliper).", default="0.1mm"),
        Field(
            "paper",
            "choice",
            "The interior's paper, which chooses the CMYK profile: FOGRA29 uncoated or ISO Coated v2 (FOGRA39).",
            default="uncoated",
            choices=("coated", "uncoated"),
        ),
        Field(
            "cover_paper",
            "choice",
            "The cover's board, which chooses the cover's CMYK profile as `paper` does the interior's.",
            default="coated",
            choices=("coated", "uncoated"),
        ),
        Field("profile", "string", "The printer's CMYK ICC profile, a file in the project (wins over `paper`)."),
        Field("condition", "string", "The profile's output condition, e.g. FOGRA39 (with `profile`)."),
    ),
    mapping(
        "cover",
        "The cover sheet: back cover, spine and front cover.",
        Field("background", "string", "The cover's colour, any CSS colour.", default="#17465a"),
        Field("ink", "string", "The colour of the cover's text.", default="#ffffff"),
        Field(
            "accent",
            "string",
            "The colour of the cover's ornament (a dot per chapter of a kind that asks for it).",
            default="#f2b134",
        ),
        Field("blurb", "string", "Text on the back cover (default: the description)."),
        Field(
            "picture",
            "string",
            "A picture for the front cover, a file in the project (e.g. assets/cover.jpg): it fills the front panel "
            "to the bleed edges, cut to fit, and the publisher, title and subtitle sit on a band of the cover's "
            "`background` colour over it, so they stay readable. At least 300 ppi at the trim and bleed size is "
            "best.",
        ),
    ),
    mapping(
        "epub",
        "The EPUB edition.",
        Field(
            "accessibility_summary",
            "string",
            "The accessibility summary in Thai (schema:accessibilitySummary); by default one that states what the "
            "EPUB offers: navigation, the print page list, alternative text, no hazards.",
        ),
        Field(
            "break_hints",
            "boolean",
            "Insert U+200B at the toolkit's Thai word boundaries (where the EPUB otherwise has a `<wbr/>`), for "
            "e-ink readers that do not segment Thai (KOReader); off by default, since the marks get into copy, "
            "search and speech.",
            default=False,
        ),
    ),
    mapping(
        "download",
        "The readers' download page (`index.html`) a full build writes beside the files.",
        Field(
            "printer_files",
            "boolean",
            "List the printer's files (the print PDF and the cover PDF) on the page, in their own section after "
            "the EPUB and the screen PDF; false leaves them off the page.",
            default=True,
        ),
    ),
    Field("order", "list", "Chapter files in reading order; by file name when absent."),
    Field(
        "kinds",
        "kinds",
        "Chapter kinds the book declares, with their own front matter fields and how they show (see the "
        "section on kinds below); or the name of a YAML file of the project that declares them.",
    ),
)

FONT_FAMILY = mapping(
    "family",
    "A font family and where its files come from.",
    Field("package", "string", "A Python font package that ships the files, e.g. fontpkg-sarabun."),
    Field("faces", "list", "Faces used: regular, italic, bold, bold-italic, medium, semibold..."),
    Field("files", "map", "Face name to a file in fonts/, for files a designer adds."),
)


UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # controls, lone surrogates
MAX_YAML_DEPTH = 32  # lists and mappings inside each other: the book's own settings go three deep


class Refused(yaml.YAMLError):
    """YAML the toolkit will not read, though it is valid: a catalogue key, where, and its values."""

    def __init__(self, key: str, mark: yaml.Mark, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.problem_mark = mark
        self.values = values


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and with a bounded depth. An alias (`*name`) repeats what an
    anchor (`&name`) marked, so nine lines of them (a "billion laughs") stand for 10^9 values, and the
    composer goes one call deeper for each level of `[[[...`: neither is needed to write a book's settings."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise Refused("B103", event.start_mark, name=event.anchor)
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise Refused("B104", self.peek_event().start_mark, limit=MAX_YAML_DEPTH)
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        # an escape in a quoted scalar ("\\x00", "\\udc80") makes what the file's bytes could not hold
        unwanted = UNWANTED.search(node.value) if isinstance(node, yaml.ScalarNode) else None
        if unwanted:
            raise Refused("B109", node.start_mark, char=f"U+{ord(unwanted[0]):04X}")
        return node


def compose(text: str) -> yaml.Node | None:
    """The node tree of `text` (which keeps line numbers); raises `yaml.YAMLError`, `Refused` among them.
    Every YAML a project holds is read through here."""
    loader = BoundedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def safe_load(text: str) -> Any:
    """The values of `text`, read as `compose` reads it; raises `yaml.YAMLError`."""
    node = compose(text)
    return None if node is None else _value(node)


compose_yaml, safe_load_yaml = compose, safe_load  # as other stages import them: `from ..project import ...`


def load_yaml(text: str, path: Path, problems: Problems, line_offset: int = 0) -> yaml.Node | None:
    """Parse YAML into a node tree (which keeps line numbers), reporting syntax errors, aliases and
    nesting too deep as diagnostics at their line."""
    try:
        return compose(text)
    except Refused as refused:
        mark = refused.problem_mark
        problems.add(path, mark.line + 1 + line_offset, refused.key, col=mark.column + 1, **refused.values)
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        what = getattr(error, "problem", None) or str(error)
        hint = yaml_hint(text, what, mark.line if mark else None)
        if hint is None:
            problems.add(path, line, "Y001", col=col, what=what)
        else:
            key, at, values = hint
            problems.add(path, at + 1 + line_offset, key, **values)
        return None


COLON_IN_VALUE = re.compile(r"^\s*(?:- )?([^\s:#][^:#]*?):\s+\S.*?:(?:\s|$)")
NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:- )?([A-Za-z_][\w-]*):(?=[^\s/])")


def yaml_hint(text: str, problem: str, line: int | None) -> tuple[str, int, dict] | None:
    """The common mistake behind a YAML error, as a catalogue key, the 0-based line it is on and the values the
    message names: a colon inside a value (`title: เมือง: ที่เรียนรู้`), a tab, no space after a colon (which
    YAML only notices on the line after). None when it is none of these."""
    if line is None:
        return None
    lines = text.splitlines()
    here = lines[line] if line < len(lines) else ""
    if "\t" in problem or "\t" in here:
        return "Y001.tab", line, {}
    if "mapping values are not allowed" in problem:
        found = COLON_IN_VALUE.match(here)
        if found:
            value = here.split(":", 1)[1].strip().replace("\\", "\\\\").replace('"', '\\"')
            return "Y001.colon", line, {"key": found.group(1), "value": value}
        for before in range(line - 1, max(-1, line - 3), -1):
            found = NO_SPACE_AFTER_COLON.match(lines[before]) if before < len(lines) else None
            if found:
                return "Y001.space", before, {"key": found.group(1)}
    return None


def _value(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _type_error(spec: Field, value: Any) -> str | None:
    """The catalogue key (S003.*) of what is wrong with `value` for `spec`, or None when it fits."""
    kind = spec.type
    if kind in ("string", "length", "measure", "slug", "date", "choice") and not isinstance(value, str):
        if kind == "date" and hasattr(value, "isoformat"):
            return None
        if kind == "string" and isinstance(value, int | float) and not isinstance(value, bool):
            return "S003.quote"  # `isbn: 9786160012345` is a number to YAML: the fix is quotes
        return {
            "length": "S003.length",
            "measure": "S003.measure",
            "slug": "S003.slug",
            "date": "S003.date",
            "choice": "S003.choice",
        }.get(kind, "S003.text")
    if kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        return "S003.integer"
    if kind == "number" and (not isinstance(value, int | float) or isinstance(value, bool) or value <= 0):
        return "S003.number"
    if kind == "boolean" and not isinstance(value, bool):
        return "S003.boolean"
    if kind == "measure" and not MEASURE.match(value):
        return "S003.measure"
    if kind == "length" and not LENGTH.match(value):
        return "S003.length"
    if kind == "slug" and not SLUG.match(value):
        return "S003.slug-form"
    if kind == "date" and not _is_date(value):
        return "S003.date"
    if kind == "choice" and value not in spec.choices:
        return "S003.choice"
    return None


def _is_date(value: str) -> bool:
    from datetime import date

    try:
        return bool(DATE.match(value)) and bool(date.fromisoformat(value))
    except ValueError:
        return False


def validate(
    node: yaml.Node | None, spec: Field, path: Path, problems: Problems, line_offset: int = 0
) -> dict[str, Any]:
    """Check a mapping node against `spec`; return the values with defaults filled in.

    Every problem is added to `problems` as `file:line: key: what is wrong`; what is valid is kept.
    """
    return _mapping(node, spec, path, problems, line_offset, prefix="")


def _mapping(
    node: yaml.Node | None, spec: Field, path: Path, problems: Problems, offset: int, prefix: str
) -> dict[str, Any]:
    line = node.start_mark.line + 1 + offset if node is not None else 1 + offset
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value == "" and not prefix):
        node = yaml.MappingNode("tag:yaml.org,2002:map", [])
    if not isinstance(node, yaml.MappingNode):
        if prefix:
            problems.add(path, line, "Y002.key", key=prefix)
        else:
            problems.add(path, line, "Y002")
        return _defaults(spec)
    result: dict[str, Any] = {}
    wrong_values: set[str] = set()  # keys given with a wrong value: reported once (S003), not as missing too
    for key_node, value_node in node.value:
        key = str(key_node.value)
        key_line = key_node.start_mark.line + 1 + offset
        name = f"{prefix}{key}"
        field = spec.field(key)
        if field is None:
            known = [f.name for f in spec.fields]
            close = difflib.get_close_matches(key, known, n=1)
            if close:
                problems.add(path, key_line, "S001", name=name, close=close[0])
            else:
                problems.add(path, key_line, "S001.known", name=name, known=", ".join(known))
            continue
        if key in result:
            problems.add(path, key_line, "S005", name=name)
            continue
        if field.type == "mapping":
            result[key] = _mapping(value_node, field, path, problems, offset, f"{name}.")
            continue
        value = _as_number(field, _value(value_node))
        if value is None and not field.required:
            result[key] = field.default
            continue
        wrong = _check(field, value)
        if wrong:
            values = dict(name=name, value=value, choices=", ".join(field.choices), key=key)
            problems.add(path, key_line, wrong, **values)
            wrong_values.add(key)
            continue
        result[key] = value.isoformat() if field.type == "date" and hasattr(value, "isoformat") else value
    for field in spec.fields:
        if field.name in result:
            continue
        if field.required:
            if field.name not in wrong_values:
                problems.add(path, line, "S002", name=f"{prefix}{field.name}", doc=field.doc)
        elif field.type == "mapping":
            result[field.name] = _defaults(field)
        else:
            result[field.name] = field.default
    return result


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
WHOLE_NUMBER = re.compile(r"\s*[0-9๐-๙]+\s*")


def _as_number(field: Field, value: Any) -> Any:
    """A whole number written in Thai digits (`projects: ๒`), which YAML reads as text, read as the number."""
    if field.type == "integer" and isinstance(value, str) and WHOLE_NUMBER.fullmatch(value):
        return int(value.translate(THAI_DIGITS))
    return value


def _check(field: Field, value: Any) -> str | None:
    if field.type == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "S003.list"
        return None
    if field.type == "map":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return "S003.map"
        return None
    if field.type in ("kinds", "fields"):  # read on by book/project/kinds.py, which keeps their lines
        return None
    return _type_error(field, value)


def _defaults(spec: Field) -> dict[str, Any]:
    return {f.name: _defaults(f) if f.type == "mapping" else f.default for f in spec.fields}
