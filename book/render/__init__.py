"""Templates to pages: every page of the book rendered once from the Jinja2 templates (`rendering`), shared by the
print edition, the EPUB (as XHTML, `xhtml`) and the preview, with the figures and tables numbered, the tables
typeset and the cross-references linked over the whole book (`references`, `tables`).
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "Page": "rendering",
        "environment": "rendering",
        "render_document": "rendering",
        "render_pages": "rendering",
        "needs_the_whole_book": "references",
        "page_reference_targets": "references",
        "print_page_references": "references",
        "resolve_references": "references",
        "Entry": "xhtml",
        "Landmark": "xhtml",
        "content_document": "xhtml",
        "cover_document": "xhtml",
        "ids": "xhtml",
        "mark_pages": "xhtml",
        "nav_document": "xhtml",
        "page_tree": "xhtml",
        "relink": "xhtml",
        "remove_element": "xhtml",
    },
)
