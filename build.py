#!/usr/bin/env python3
"""Build the book: `python3 build.py [setup|lock|all|pdf|epub|check] [--project DIR] [--out DIR]`.

A thin shell over the `book` package. `setup` (and `lock`, which makes requirements.lock again) needs nothing
but Python; every other command runs in the project's virtual environment, which this script enters by itself
once `setup` has made it.
"""

import sys

from book.bootstrap import enter_venv


def main() -> None:
    if sys.argv[1:2] in (["setup"], ["lock"]):
        from book.bootstrap import main

        sys.exit(main(sys.argv[1:]))
    enter_venv()
    from book.cli import run  # only once the virtual environment is entered

    run()


if __name__ == "__main__":  # a worker process started by `spawn` imports this file again: it must not build
    main()
