"""The live preview for editors: the web server (`server`), what it shows (`views`), the live book re-read on each
save (`state`, `reread`), the print proofs (`proofs`), and `build.py watch` (`watching`).
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "serve": "server",
        "rebuild_on_save": "watching",
    },
)
