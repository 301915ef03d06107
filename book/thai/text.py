"""Thai text helpers: digits, Buddhist Era dates, word counts, and slugs that keep Thai readable."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
BE_OFFSET = 543


def digits(text: str | int, numerals: str = "arabic") -> str:
    """Write the digits of `text` in the book's numerals ("thai" gives ๐-๙)."""
    text = str(text)
    return text.translate(THAI_DIGITS) if numerals == "thai" else text


def buddhist_year(day: date) -> int:
    return day.year + BE_OFFSET


def thai_date(day: date, numerals: str = "arabic") -> str:
    """`27 พฤศจิกายน พ.ศ. 2569`: a date in the Buddhist Era with the Thai month name."""
    return digits(f"{day.day} {MONTHS[day.month - 1]} พ.ศ. {buddhist_year(day)}", numerals)


def thai_month_year(day: date, numerals: str = "arabic") -> str:
    """`พฤศจิกายน พ.ศ. 2569`: how an imprint dates an edition."""
    return digits(f"{MONTHS[day.month - 1]} พ.ศ. {buddhist_year(day)}", numerals)


_SLUG_DROP = re.compile(r"[^\w\u0E00-\u0E7F-]+")


def slugify(text: str, separator: str = "-") -> str:
    """A readable id for a heading that keeps every Thai letter, vowel and tone mark.

    Python-Markdown's default slug turns Thai into `_1`; `slugify_unicode` drops the vowels and tone marks
    (บทที่ becomes บทท), so different headings collide. Here only punctuation goes, spaces become hyphens,
    and an id never starts with a digit or a mark, so it stays a valid XML id.
    """
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = _SLUG_DROP.sub(" ", text.replace("_", " "))
    slug = separator.join(text.split())
    if not slug or not (slug[0].isalpha() and unicodedata.category(slug[0]).startswith("L")):
        slug = "s" + separator + slug if slug else "section"
    return slug


_WORD = re.compile(r"[\u0E01-\u0E5BA-Za-z0-9]")


def word_count(text: str) -> int:
    """Words as a Thai reader counts them: PyThaiNLP's dictionary segmentation, punctuation left out."""
    from pythainlp.tokenize import word_tokenize

    return sum(1 for token in word_tokenize(text, engine="newmm") if _WORD.search(token))
