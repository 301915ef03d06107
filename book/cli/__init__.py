"""The command line: the commands (`commands`), the steps and summary a build shows (`progress`), the JSON report
(`report`), and the commands that write sources: `init`, `new chapter`, `schema`, `docs` (`scaffold`,
`scaffolding`).
"""

from .. import public

__getattr__, __all__ = public(
    __name__,
    {
        "main": "commands",
        "run": "commands",
    },
)
