"""The XMP metadata packet a PDF/X-4 file carries, as WeasyPrint's `pdf/x-4` variant writes it, for a document
laid out and written as another variant (`book/pdf/partlayout.py` writes each part once, tagged, and makes the
print edition's PDF/X-4 part from it).

Calls `DocumentMetadata.generate_rdf_metadata` and repeats the packet `DocumentMetadata.include_in_pdf` wraps it
in, written against WeasyPrint 70.0.
"""

from __future__ import annotations

from .internals import Internal

INTERNALS = (
    Internal("weasyprint.pdf.metadata.DocumentMetadata.generate_rdf_metadata", "(self, variant, version, conformance)"),
    Internal(
        "weasyprint.pdf.metadata.DocumentMetadata.include_in_pdf",
        "(self, pdf, variant, version, conformance, compress)",
    ),
)
HEADER = b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
FOOTER = b'</x:xmpmeta>\n<?xpacket end="r"?>'


def pdf_x4_packet(metadata: object) -> bytes:
    """The XMP packet of a PDF/X-4 file with the document's `metadata` (a `Document.metadata`), as the content
    of its /Metadata stream."""
    rdf = metadata.generate_rdf_metadata("x", 4, "PDF/X-4")
    return b"\n".join((HEADER, rdf, *metadata.xmp_metadata, FOOTER))
