"""benchmarks/segmenters.py judges another segmenter by the toolkit's break opportunities made from its words:
over today's segmenter, those must be exactly today's, or its comparison would measure the wrong thing."""

from __future__ import annotations

from conftest import benchmark_script

from book.thai import BreakPolicy


def test_the_policy_over_todays_words_breaks_as_today():
    bench = benchmark_script("segmenters")
    samples = bench.gold(bench.GOLD, "ud-thai-pud-1-500", 40) + bench.gold(bench.GOLD, "wisesight-1000", 40)
    today, policy = BreakPolicy(), bench._Policy(bench.toolkit())
    assert sum(len(today.breaks(text)) for text, _ in samples) > 500
    assert [policy.breaks(text) for text, _ in samples] == [today.breaks(text) for text, _ in samples]


def test_a_policy_over_other_words_breaks_only_where_they_part():
    policy = BreakPolicy()
    text = "เมืองแห่งการเรียนรู้ของทุกคน"
    whole = benchmark_script("segmenters")._Policy(lambda part: [part])  # a segmenter that never parts anything
    assert policy.breaks(text) and whole.breaks(text) == ()


def test_word_boundaries_are_the_ends_of_the_words():
    assert benchmark_script("segmenters").bounds(["เมือง", "แห่ง", " ", "การ"]) == {5, 9, 10, 13}
