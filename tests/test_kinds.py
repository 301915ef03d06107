"""Any book: plain chapters, front and back matter by kind, parts, and chapter kinds a book declares (issue 18).

The default book is compared, page for page, with tests/data/default-book-pages.json: the toolkit's rewrite
must not move a word of it. When a change to its pages is intended, regenerate the record with
`.venv/bin/python tests/data/record_default_book.py` and review the JSON's diff with the change."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import output

from book.building import BuildResult

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
from record_default_book import RECORD, record  # noqa: E402


def test_the_default_book_is_unchanged_page_for_page(default_book: BuildResult) -> None:
    expected = json.loads(RECORD.read_text(encoding="utf-8"))
    made = record(output(default_book, "-print.pdf"))
    assert made["pages"] == expected["pages"]
    for number, (page, recorded) in enumerate(zip(made["text"], expected["text"], strict=True), start=1):
        assert page == recorded, f"page {number} of the print PDF differs from the record"
