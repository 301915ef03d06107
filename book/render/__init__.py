"""Templates to pages: every page of the book rendered once from the Jinja2 templates (`rendering`), shared by the
print edition, the EPUB (as XHTML, `xhtml`) and the preview.
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "Page": "rendering",
        "environment": "rendering",
        "render_document": "rendering",
        "render_pages": "rendering",
        "Entry": "xhtml",
        "Landmark": "xhtml",
        "content_document": "xhtml",
        "cover_document": "xhtml",
        "ids": "xhtml",
        "mark_pages": "xhtml",
        "nav_document": "xhtml",
        "page_tree": "xhtml",
        "relink": "xhtml",
    },
)
