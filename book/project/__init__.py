"""Reading a project into the one `Book` model: `book.yaml` and its declared schema, the fonts, each chapter's
front matter and Markdown, sanitizing, the credits, the gate every loaded file goes through (`containment`), and
the list of a project's sources.
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "FONT_TYPES": "fonts",
        "font_face_css": "fonts",
        "role_css": "fonts",
        "gate": "containment",
        "project_file": "containment",
        "readable": "containment",
        "ChapterRenderer": "markdown",
        "Book": "model",
        "Chapter": "model",
        "Credits": "model",
        "FontFace": "model",
        "Infographic": "model",
        "MARGINS_MM": "pictures",
        "PICTURE_SIZES": "pictures",
        "PageGeometry": "pictures",
        "normal_source": "pictures",
        "page_geometry": "pictures",
        "pixel_size": "pictures",
        "quick_text": "limits",
        "FRONT_MATTER_FENCE": "reading",
        "load_book": "reading",
        "read_text": "reading",
        "SLUG": "schema",
        "compose_yaml": "schema",
        "safe_load_yaml": "schema",
        "REFERENCE": "schemas",
        "write_reference": "schemas",
        "write_schemas": "schemas",
        "Changes": "sources",
        "PACKAGE_STYLES": "sources",
        "PACKAGE_TEMPLATES": "sources",
        "Sources": "sources",
        "watch": "sources",
    },
)
