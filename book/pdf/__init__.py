"""The PDF editions: the print edition as HTML and its rules (`document`), cut into parts laid out apart and
from the cache (`parts`, `partlayout`, `interior`), joined (`joining`), made ready for the press (`prepress`),
preflighted (`preflighting`), the screen edition's pages (`screen`), the cover (`cover`), the folios and page
labels (`numbering`) and the written editions (`editions`).
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "cached_front_cover_jpeg": "cover",
        "lay_out": "document",
        "print_html": "document",
        "Editions": "editions",
        "build_booklets": "editions",
        "cover_edition": "editions",
        "infographics_csv": "editions",
        "print_edition": "editions",
        "screen_edition": "editions",
        "Interior": "interior",
        "lay_out_interior": "interior",
        "folio_of": "numbering",
        "front_matter_css": "numbering",
        "page_labels": "numbering",
        "lay_out_part": "partlayout",
        "print_parts": "parts",
        "interior_beside": "preflighting",
        "kind_of": "preflighting",
        "preflight": "preflighting",
        "rules_for": "preflighting",
        "finish_screen_pages": "screen",
    },
)
