#!/usr/bin/env python3
"""Thin CLI entry point; see lkjip/cli.py and `python build.py --help`."""
from lkjip.cli import finish, main

if __name__ == "__main__":
    finish(main())
