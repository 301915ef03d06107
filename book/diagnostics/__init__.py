"""Diagnostics: every problem a user can fix, with a stable code, a place and its words in Thai and English
(`catalogue`), and the interface language the toolkit speaks (`messages`). The bottom layer: every stage uses it.
"""
