"""Starting a book and adding a chapter: `init DIR` writes a new project that builds and passes `check` as it
is; `new chapter SLUG` writes a chapter of any kind with valid front matter where the reading order wants it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from ..diagnostics import EXIT_USAGE, BookError, diagnostic
from ..project import (
    BUILT_IN,
    READING_ORDER,
    SLUG,
    Kind,
    compose_yaml,
    default_kind,
    project_kinds,
    quick_text,
    safe_load_yaml,
)

NUMBERED = re.compile(r"^(\d+)-")

BOOK_YAML = """\
# yaml-language-server: $schema=schemas/book.schema.json
# หนังสือเล่มใหม่ วิธีใช้และคำสั่งอยู่ในไฟล์ README.md ข้างไฟล์นี้ ความหมายของค่าทุกตัวอยู่ใน docs/reference/book-yaml.md
# (A new book: how to build it is in README.md beside this file; every key is described in docs/reference/book-yaml.md.)
title: หนังสือเล่มใหม่
subtitle: ชื่อรองของหนังสือ
language: th
id: {id}
publisher: สำนักพิมพ์ของเรา
edition: 1
date: {date}
description: >-
  คำอธิบายสั้น ๆ ว่าหนังสือเล่มนี้ว่าด้วยเรื่องอะไร
rights: สงวนลิขสิทธิ์ตามพระราชบัญญัติลิขสิทธิ์
subjects:
  - หนังสือ
trim:
  width: 148mm
  height: 210mm
fonts:
  body: Sarabun
  heading: Kanit
numerals: arabic
infographics:
  credit: ฝ่ายศิลป์
colophon:
  paper: กระดาษถนอมสายตา 80 แกรม
print:
  bleed: 3mm
  marks: true
  signature: 16
cover:
  background: "#17465a"
  ink: "#ffffff"
  accent: "#f2b134"
"""

FONTS_YAML = """\
# The book's font families. Each comes whole from one place: a Python font package (installed with the
# toolkit) or files a designer drops in this folder, listed under `files` (face name: file name).
Sarabun:
  package: fontpkg-sarabun
  faces: [regular, italic, bold, bold-italic, medium, semibold]
Kanit:
  package: fontpkg-kanit
  faces: [regular, medium, semibold]
"""

PREFACE = """\
---
kind: preface
slug: preface
title: คำนำ
---

คำนำบอกผู้อ่านว่าหนังสือเล่มนี้เกิดขึ้นอย่างไร และจะพบอะไรในบทต่อ ๆ ไป
"""

CREDITS = """\
---
kind: credits
slug: credits
title: ทีมงาน
---

## บรรณาธิการ

- ชื่อ นามสกุล

## ออกแบบปก/รูปเล่ม

- ชื่อ นามสกุล
"""

COLOPHON = """\
---
kind: colophon
slug: colophon
title: ว่าด้วยการจัดทำหนังสือเล่มนี้
---

หนังสือเล่มนี้เขียนเป็นไฟล์ Markdown ทีละบท แล้วประกอบเป็นเล่มได้ทั้งไฟล์ PDF สำหรับงานพิมพ์และไฟล์ EPUB
"""

CHAPTER_BODY = """
บทนี้เป็นตัวอย่าง แทนที่ด้วยเนื้อความของบทได้เลย[^{slug}-note]

## หัวข้อแรก

เขียนเนื้อเรื่องเป็นย่อหน้า เว้นบรรทัดว่างระหว่างย่อหน้า

::: pullquote
ข้อความที่อยากให้ผู้อ่านจำได้
:::

::: infographic {slug}-figure
caption: ภาพประกอบของบทนี้
size: half-page
brief: ภาพเรียบง่ายที่สรุปใจความของบทนี้
:::

[^{slug}-note]: เชิงอรรถเขียนแบบนี้
"""

STYLE_COMMENT = {
    "thai.css": "/* This book's own look, over the toolkit's Thai type (book/styles/thai.css). Empty: as is. */\n",
    "print.css": "/* This book's own print rules, over the toolkit's (book/styles/print.css). Empty: as is. */\n",
    "epub.css": "/* This book's own EPUB rules, over the toolkit's (book/styles/epub.css). Empty: as is. */\n",
}

WORDS = """\
# Words and names that a line must never break, one per line. Names from the credits, and the fields a
# chapter kind protects (`protect: true` in book.yaml's `kinds:`), are protected without being listed here.
หนังสือเล่มใหม่
"""

README = """\
# หนังสือเล่มใหม่

หนังสือเล่มนี้ทำด้วย thaibook: เขียนต้นฉบับเป็นไฟล์ Markdown ทีละบท แล้วสร้างเป็นไฟล์ PDF สำหรับโรงพิมพ์
และไฟล์ EPUB สำหรับอ่านบนจอ

## รันคำสั่งจากที่ไหน

รันทุกคำสั่งในโฟลเดอร์นี้ (โฟลเดอร์ที่มีไฟล์ `book.yaml`) หรือจากที่ไหนก็ได้โดยเพิ่ม `--project` ตามด้วยโฟลเดอร์นี้

```sh
{prefix} check        # ตรวจหนังสือ รายงานทุกปัญหาพร้อมชื่อไฟล์และบรรทัด ไม่สร้างไฟล์ใด
{prefix}              # สร้าง PDF และ EPUB ลงในโฟลเดอร์ dist/
{prefix} preview      # เปิดดูหนังสือในเบราว์เซอร์ที่ http://127.0.0.1:8000/ หน้าเปลี่ยนตามทุกครั้งที่บันทึกไฟล์
{prefix} new chapter my-chapter --title "ชื่อบท"   # เพิ่มบทใหม่ (my-chapter คือชื่อย่อของบท)
{prefix} --help       # คำสั่งและตัวเลือกทั้งหมด
```

## ในโฟลเดอร์นี้มีอะไร

| ที่ | คืออะไร |
|---|---|
| `book.yaml` | ข้อมูลของเล่ม: ชื่อเรื่อง สำนักพิมพ์ ขนาดรูปเล่ม แบบอักษร |
| `chapters/` | ต้นฉบับ หนึ่งบทต่อหนึ่งไฟล์ เรียงตามชื่อไฟล์ แต่ละไฟล์ขึ้นต้นด้วยข้อมูลหัวบท (ระหว่างบรรทัด `---` สองบรรทัด) |
| `fonts/fonts.yaml` | แบบอักษรของเล่ม |
| `styles/` | CSS ของเล่มนี้เอง ทับบนของชุดเครื่องมือ (ว่างไว้คือใช้ตามเดิม) |
| `words/words.txt` | คำและชื่อที่ห้ามตัดขึ้นบรรทัดใหม่กลางคำ บรรทัดละคำ |
| `docs/reference/book-yaml.md` | ความหมายของค่าทุกตัวใน `book.yaml` และในข้อมูลหัวบท (ภาษาอังกฤษ) |
| `schemas/` | ให้โปรแกรมแก้ไขไฟล์ตรวจ `book.yaml` ขณะพิมพ์ |

{guides}
"""

GUIDES = """\
## คู่มือฉบับเต็ม

- คู่มือบรรณาธิการ: {docs}/editor.md
- วิธีเขียน Markdown ของบท: {docs}/markdown.md
- คู่มือผู้ออกแบบ (แบบอักษร ขนาด ปก): {docs}/designer.md
- ศัพท์ที่ข้อความของโปรแกรมใช้: {docs}/glossary.md
"""

SAMPLE = {"slug": "first-chapter", "title": "บทแรก"}


def usage_error(where: Path | str, key: str, **values: object) -> BookError:
    """A usage mistake (exit 2) at `where`, in the words of the catalogue entry `key`."""
    return BookError([diagnostic(str(where), None, key, **values)], EXIT_USAGE)


def init_project(folder: Path, command: str = "thaibook", docs: Path | None = None) -> list[Path]:
    """Write a new book project into `folder` (absent or empty); return the files written, in order.

    The project builds and passes `check` as it is. A folder with anything in it is refused (U010): nothing
    the user has is ever overwritten. Its README.md (Thai) gives the commands as `command` starts them, and
    points to the toolkit's guides in `docs` when there is such a folder (a clone has one, an installed
    package does not).
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise usage_error(folder, "U010")
    name = re.sub(r"[^a-z0-9]+", "-", folder.resolve().name.lower()).strip("-") or "new-book"
    files = {
        "book.yaml": BOOK_YAML.format(id=name, date=date.today().isoformat()),
        "README.md": README.format(prefix=command, guides=GUIDES.format(docs=docs) if docs else "").rstrip() + "\n",
        "fonts/fonts.yaml": FONTS_YAML,
        "chapters/00-preface.md": PREFACE,
        "chapters/01-first-chapter.md": chapter_text(SAMPLE["slug"], SAMPLE["title"]),
        "chapters/90-credits.md": CREDITS,
        "chapters/99-colophon.md": COLOPHON,
        "words/words.txt": WORDS,
        **{f"styles/{style}": comment for style, comment in STYLE_COMMENT.items()},
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def chapter_text(slug: str, title: str, kind: str | None = None, fields: dict | None = None) -> str:
    """A chapter: its front matter (safely quoted YAML; `kind` only when it is not a plain chapter) and a
    short sample body to write over."""
    meta = {**({"kind": kind} if kind and kind != "chapter" else {}), "slug": slug, "title": title, **(fields or {})}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n" + CHAPTER_BODY.format(slug=slug, title=title)


def new_chapter(
    project: Path, slug: str, title: str | None = None, kind: str | None = None, fields: dict | None = None
) -> Path:
    """Write `chapters/NN-SLUG.md` of `kind` (a plain chapter by default) with the front matter `fields` of
    its kind, where its kind goes: a body chapter after the last of the body, front matter after the last
    front matter, back matter before the credits and the colophon; return its path.

    With an `order:` in book.yaml the file is also listed there. Refuses a bad or already used slug (U011,
    U012), a place in the order that file names cannot express (U013), an unknown kind (K111), and fields
    its kind does not have, lacks or cannot read (K112, K113, K114).
    """
    project = Path(project)
    config_path = project / "book.yaml"
    if not config_path.is_file():
        raise usage_error(project, "U001")
    if not SLUG.match(slug):
        raise usage_error(slug, "U011")
    known = project_kinds(project)  # None when book.yaml cannot be read: `check` names why, the file is written
    kinds = known or dict(BUILT_IN)
    name = kind or default_kind(kinds)
    if name not in kinds and known is not None:
        raise usage_error("--kind", "K111", kind=name, kinds=", ".join(kinds))
    form = kinds.get(name, BUILT_IN["chapter"])
    if known is None:
        meta = {key: int(value) if re.fullmatch(r"-?\d+", value) else value for key, value in (fields or {}).items()}
    else:
        meta = _fields(form, fields or {})
    folder = project / "chapters"
    config_text = quick_text(config_path, "book.yaml") or ""  # bounded; what is wrong with it, check says
    order = _order(config_text)
    files = [folder / name for name in order] if order else sorted(folder.glob("*.md"))
    found = {path: _front_matter(path) for path in files}
    for path, other in found.items():
        if other.get("slug") == slug:
            raise usage_error(path, "U012", slug=slug)
    rank = READING_ORDER
    at = rank[form.place]
    of = {path: kinds.get(str(m.get("kind") or default_kind(kinds)), BUILT_IN["chapter"]) for path, m in found.items()}
    # front matter after the front matter, the body after the body, back matter before the credits and colophon
    earlier = [p for p in files if rank[of[p].place] < at or (rank[of[p].place] == at and of[p].name not in LAST)]
    after = earlier[-1] if earlier else None
    later = files[files.index(after) + 1 :] if after in files else files
    file_name = _file_name(slug, after, later[0] if later else None, bool(order))
    target = folder / file_name
    if target.exists():
        raise usage_error(target, "U012.file")
    text = chapter_text(slug, title or slug, name, meta)
    if order:
        config_path.write_text(_insert_in_order(config_text, after.name if after else None, file_name), "utf-8")
    folder.mkdir(exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


LAST = ("credits", "colophon")  # the back matter that closes the book: a new file goes before them


def _fields(form: Kind, given: dict[str, str]) -> dict:
    """The front matter fields `given` on the command line, as their kind declares them."""
    declared = {shown.field.name: shown.field for shown in form.fields}
    values = {}
    for name, text in given.items():
        field = declared.get(name)
        if field is None:
            raise usage_error(f"--set {name}", "K112", kind=form.name, name=name, known=", ".join(declared) or "-")
        if field.type == "integer":
            if not re.fullmatch(r"-?\d+", text.strip()):
                raise usage_error(f"--set {name}", "K114", name=name, value=text)
            values[name] = int(text)
        elif field.type == "boolean":
            values[name] = text.strip().lower() in ("true", "yes", "1")
        elif field.type == "list":
            values[name] = [item.strip() for item in text.split(",") if item.strip()]
        else:
            values[name] = text
    missing = [f"--set {name}=..." for name, field in declared.items() if field.required and name not in values]
    if missing:
        raise usage_error("new chapter", "K113", kind=form.name, missing=", ".join(missing))
    return values


def _file_name(slug: str, after: Path | None, before: Path | None, ordered: bool) -> str:
    """`NN-slug.md` with NN one past the chapter it follows, so that file names sort in reading order."""
    previous = NUMBERED.match(after.name) if after else None
    width = len(previous.group(1)) if previous else 2
    number = int(previous.group(1)) + 1 if previous else 1
    following = NUMBERED.match(before.name) if before else None
    if not ordered and following and number >= int(following.group(1)):
        if after is None:
            raise usage_error(before, "U013.first", before=before.name)
        raise usage_error(before, "U013", after=after.name, before=before.name)
    return f"{number:0{width}d}-{slug}.md"


def _front_matter(path: Path) -> dict:
    """The front matter of a chapter, or {} when it cannot be read (check reports that, not us)."""
    try:
        text = quick_text(path, "chapter") or ""  # never a FIFO or /dev/zero, never past the size limit
        head = text.split("\n---", 1)[0].removeprefix("---\n") if text.startswith("---") else ""
        meta = safe_load_yaml(head)  # no aliases: `order: *bomb` would stand for 10^9 names
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _order(config_text: str) -> list[str]:
    try:
        config = safe_load_yaml(config_text)
    except yaml.YAMLError:
        return []
    order = config.get("order") if isinstance(config, dict) else None
    return [str(name) for name in order] if isinstance(order, list) else []


def _insert_in_order(config_text: str, after: str | None, name: str) -> str:
    """book.yaml with `name` listed after `after` in `order:`; edits one line so comments and layout stay."""
    root = compose_yaml(config_text)
    node = next(value for key, value in root.value if key.value == "order")
    if node.flow_style or not node.value:
        raise usage_error("book.yaml", "U013.order")
    items = node.value
    anchor = next((item for item in items if item.value == after), None)
    lines = config_text.split("\n")
    first = items[0]
    indent = lines[first.start_mark.line][: first.start_mark.column]  # the "  - " before each entry
    if anchor is None:
        lines.insert(first.start_mark.line, f"{indent}{name}")
    else:
        lines.insert(anchor.start_mark.line + 1, f"{indent}{name}")
    return "\n".join(lines)
