"""What goes beside a full build for readers and other tools: the download page and OPDS feed (`download`), and
the print edition as one HTML file for plain WeasyPrint (`htmlexport`).
"""
