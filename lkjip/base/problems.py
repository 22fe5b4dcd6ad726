"""Shared by every stage: a problem found in the content, with its location, code and severity."""
from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
NOTE = "note"          # reviewed information (declared corrections): never fails a build, not even --strict
_RANK = {ERROR: 0, WARNING: 1, NOTE: 2}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as `file:line: severity [code] message (key.path)`."""

    file: str
    line: int
    path: str
    code: str
    severity: str
    message: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        suffix = f" ({self.path})" if self.path else ""
        return f"{where}: {self.severity} [{self.code}] {self.message}{suffix}"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Errors, then warnings, then notes; within each, by file and line; duplicates removed."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (_RANK.get(p.severity, 1), p.file, p.line, p.path, p.code))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def has_warnings(problems: list[Problem]) -> bool:
    return any(p.severity == WARNING for p in problems)


def without_declared(problems: list[Problem]) -> list[Problem]:
    """What a build command lists: everything but the declared corrections of the source (`check` lists those,
    the build writes them to output/koreksi-TAHUN.md)."""
    return [p for p in problems if p.code != "koreksi-sumber"]
