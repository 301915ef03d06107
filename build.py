#!/usr/bin/env python3
"""Build the book: `python3 build.py [setup|all|pdf|epub|check] [--project DIR] [--out DIR]`.

A thin shell over the `book` package. `setup` needs nothing but Python; every other command runs in the
project's virtual environment, which this script enters by itself once `setup` has made it.
"""

import sys

from book.bootstrap import enter_venv

if sys.argv[1:2] == ["setup"]:
    from book.bootstrap import main

    sys.exit(main(sys.argv[1:]))
enter_venv()
from book.cli import run  # noqa: E402 - only once the virtual environment is entered

run()
