"""Diagnostics: every problem a user can fix, with a stable code, a place and its words in Thai and English
(`catalogue`), and the interface language the toolkit speaks (`messages`). The bottom layer: every stage uses it.
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "code_of": "catalogue",
        "texts": "catalogue",
        "detail_text": "messages",
        "interface_language": "messages",
        "project_language": "messages",
        "say": "messages",
        "step_text": "messages",
        "words": "messages",
        "BookError": "problems",
        "Diagnostic": "problems",
        "EXIT_CONTENT": "problems",
        "EXIT_USAGE": "problems",
        "Problems": "problems",
        "diagnostic": "problems",
    },
)
