"""What goes beside a full build for readers and other tools: the download page and OPDS feed (`download`),
gathered with the files they list in the readers' site, `site/`, to upload as it is (`site`), and the print
edition as one HTML file for plain WeasyPrint (`htmlexport`).
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "withdrawn_while_writing": "download",
        "write_download_files": "download",
        "write_print_html": "htmlexport",
    },
)
