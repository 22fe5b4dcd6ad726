"""Meaning check over raw files: the `[ISI ...]` blanks a skeleton written by `init` leaves (in values, comments and
prose), one `isian-kosong` warning each, so an unfilled skeleton never reads as complete."""
from __future__ import annotations

import re
from pathlib import Path

from ..base.problems import WARNING, Problem
from ..load.content import relpath

MARK = re.compile(r"\[ISI(?::[^\]\n]*)?\]")     # a visible blank: `[ISI: nama program]` or `[ISI]`


def blank_marks(root: Path, year: int) -> list[Problem]:
    """Every `[ISI ...]` mark left in the year's and the Renstra's YAML and prose: one `isian-kosong` warning at its
    line (a mark in a comment counts too: it stands for a value still to check)."""
    folders = [root / str(year)] + sorted(p for p in root.glob("renstra*") if p.name != str(year))
    problems = []
    for folder in folders:
        if folder.is_symlink() or not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".yaml", ".yml", ".md") or path.is_symlink() or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue                      # the load stage reports unreadable files
            for number, line in enumerate(text.splitlines(), 1):
                for mark in MARK.findall(line):
                    problems.append(Problem(relpath(path), number, "", "isian-kosong", WARNING,
                                            f"Isian belum diisi: {mark}; isi lalu hapus tandanya"))
    return problems
