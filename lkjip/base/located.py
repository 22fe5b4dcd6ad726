"""Ground floor: a located document (plain data plus the line of every key path) and how a key path is written.
Made by the load stage (load/yamlsafe.py), read by every stage that reports a problem at file:line, stored by the
build cache (memo.py)."""
from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple  # of str keys and int indices


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


@dataclass
class Document:
    """A parsed YAML file: plain data (dicts, lists, strings) plus the line of every key path."""

    file: str
    data: object
    lines: dict = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """Line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)
