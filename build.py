#!/usr/bin/env python3
"""Thin CLI entry point; see lkjip/cli.py and `python build.py --help`."""
import sys

from lkjip.cli import main

if __name__ == "__main__":
    sys.exit(main())
