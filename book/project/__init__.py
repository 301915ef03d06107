"""Reading a project into the one `Book` model: `book.yaml` and its declared schema, the fonts, each chapter's
front matter and Markdown, sanitizing, the credits, the gate every loaded file goes through, and the list of
a project's sources.
"""
