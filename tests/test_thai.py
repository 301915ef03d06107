from datetime import date

from book.thai.text import digits, slugify, thai_date, thai_month_year, word_count


def test_slug_keeps_thai_vowels_and_tone_marks():
    assert slugify("บทที่ 1 เสียงจากคนใน") == "บทที่-1-เสียงจากคนใน"
    assert slugify("น้ำ, ผู้คน!") == "น้ำ-ผู้คน"


def test_slugs_of_different_thai_headings_differ():
    # slugify_unicode drops vowels and tone marks, so these two collide there
    assert slugify("บทที่") != slugify("บทท")
    assert slugify("ปี") != slugify("ป")


def test_slug_mixes_latin_and_is_a_valid_id():
    assert slugify("The Insider: คนทำงาน") == "the-insider-คนทำงาน"
    assert slugify("2565 ปีแห่งการเรียนรู้") == "s-2565-ปีแห่งการเรียนรู้"
    assert slugify("!!!") == "section"


def test_digits_and_buddhist_era_dates():
    assert digits(2569, "thai") == "๒๕๖๙"
    assert digits(2569, "arabic") == "2569"
    assert thai_date(date(2026, 11, 27)) == "27 พฤศจิกายน พ.ศ. 2569"
    assert thai_date(date(2025, 1, 2), "thai") == "๒ มกราคม พ.ศ. ๒๕๖๘"
    assert thai_month_year(date(2026, 11, 27)) == "พฤศจิกายน พ.ศ. 2569"


def test_word_count_counts_thai_words_not_characters():
    assert word_count("เมืองแห่งการเรียนรู้ของผู้คน") in range(3, 7)
    assert word_count("“ ” , .") == 0
