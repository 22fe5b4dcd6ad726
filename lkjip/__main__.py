"""CLI: `python -m lkjip check|report|...`, the same commands as build.py and the `lkjip` console command."""
from .cli import console

if __name__ == "__main__":
    console()
