"""The PDF editions: the print edition as HTML and its rules (`document`), cut into parts laid out apart and
from the cache (`parts`, `partlayout`, `interior`), joined (`joining`), made ready for the press (`prepress`),
preflighted (`preflight`), the cover (`cover`), the folios (`numbering`) and the written editions (`editions`).
"""
