"""The EPUB 3: one XHTML document per page group, the fonts cut down, navigation, page list and accessibility
metadata (`ebook`), written as a reproducible container (`package`).
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "book_identifier": "ebook",
        "build_epub": "ebook",
        "reading_ahead": "ebook",
    },
)
