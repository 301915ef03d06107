"""Templates to pages: every page of the book rendered once from the Jinja2 templates (`rendering`), shared by the
print edition, the EPUB (as XHTML, `xhtml`) and the preview.
"""
