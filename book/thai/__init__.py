"""Thai text: where lines may break (`breaking`), the segmenter's word list and the names never broken inside
(`dictionary`, `names`), Thai numerals, dates and slugs (`text`), and the lint of Thai typing mistakes (`lint`).
"""
