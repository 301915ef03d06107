"""The command line: the commands (`commands`), the steps and summary a build shows (`progress`), the JSON report
(`report`), and the commands that write sources: `init`, `new chapter`, `schema`, `docs` (`scaffold`,
`scaffolding`).
"""

from .commands import main, run

__all__ = ["main", "run"]
