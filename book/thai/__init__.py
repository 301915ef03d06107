"""Thai text: where lines may break (`breaking`), the segmenter's word list and the names never broken inside
(`dictionary`, `names`), Thai numerals, dates and slugs (`text`), and the lint of Thai typing mistakes (`lint`).
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "BreakPolicy": "breaking",
        "collapse_spaces": "breaking",
        "mark_for_browser": "breaking",
        "mark_for_print": "breaking",
        "mark_for_reading": "breaking",
        "reading_marks": "breaking",
        "ReadingMarks": "breaking",
        "fix_file": "lint",
        "lint_file": "lint",
        "lint_source": "lint",
        "digits": "text",
        "slugify": "text",
        "thai_date": "text",
        "thai_month_year": "text",
        "word_count": "text",
    },
)
