"""Record the default book's print PDF, page by page, in tests/data/default-book-pages.json.

tests/test_kinds.py compares every build of the default book with this record: the page count and each page's
text as `pdftotext -layout` lays it out. When a change to the default book's pages is intended (a photo added
to a chapter, a reworded colophon), build it and regenerate the record, then review the diff of the JSON:

    .venv/bin/python tests/data/record_default_book.py

The record depends only on the project and the fonts, not on the machine: the text of each page, with its
line breaks and the column layout pdftotext derives from the glyph positions."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORD = Path(__file__).resolve().parent / "default-book-pages.json"


def print_pdf_pages(pdf: Path) -> list[str]:
    """Each page's text, `pdftotext -layout`, trailing spaces dropped."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    return ["\n".join(line.rstrip() for line in page.splitlines()).strip("\n") for page in pages]


def record(pdf: Path) -> dict:
    pages = print_pdf_pages(pdf)
    return {"pages": len(pages), "text": pages}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from book.building import build

    with tempfile.TemporaryDirectory() as out:
        result = build(ROOT, out, targets=("print",))
        pdf = next(o.path for o in result.outputs if o.path.name.endswith("-print.pdf"))
        made = record(pdf)
    RECORD.write_text(json.dumps(made, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{RECORD}: {made['pages']} pages")


if __name__ == "__main__":
    main()
