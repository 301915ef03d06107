"""Everything that reaches into WeasyPrint's internals, written against one version range (`supported`): Thai
line breaks in Pango layouts (`pango`), each paragraph's breaks chosen together (`paragraphs`), Thai
justification and the stretch it adds to the glyphs drawn (`justify`), the true text layer (`textlayer`), font
subsets (`fontsubset`), the margin boxes a layout makes (`margins`), a layout turned to the facing sides
(`sides`), the PDF/X-4 metadata (`xmp`), where libthai lets Thai lines break (`linebreaks`), and the laid-out
pages read back: their lines (`lineboxes`), where each begins (`pagelist`), and how full each is, to float
figures and end chapters (`floats`). Grapheme clusters
(`graphemes`) are the shaping unit both justification and the Thai break policy count in.

Each module records the WeasyPrint functions it replaces or calls, with their signatures then (`INTERNALS`, see
`internals`). The rest of the toolkit uses WeasyPrint's public API (`HTML`, `CSS`, `Document`,
`FontConfiguration`...) or these modules; the engine itself uses only the diagnostics and the scheduler.
Importing it refuses a WeasyPrint it was not tested with (a `BookError`, E002).
"""

from .. import public
from .supported import SUPPORTED, refuse_untested_weasyprint

refuse_untested_weasyprint()

__getattr__, _exports = public(
    __name__,
    {
        "cached_subset_font": "fontsubset",
        "characters": "fontsubset",
        "cluster_starts": "graphemes",
        "line_text": "lineboxes",
        "paragraph_lines": "lineboxes",
        "pango_line_breaks": "linebreaks",
        "CLASSIFIERS": "paragraphs",
        "KEEP_WITH_NUMBER": "paragraphs",
        "OPS": "pagelist",
        "PageStart": "pagelist",
        "XHTML": "pagelist",
        "marker_id": "pagelist",
        "page_starts": "pagelist",
        "place_marker": "pagelist",
        "pdf_x4_packet": "xmp",
    },
)
__all__ = ["SUPPORTED", "refuse_untested_weasyprint", *_exports]
