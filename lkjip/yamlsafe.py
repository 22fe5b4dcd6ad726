"""Load stage helper: YAML without implicit typing, duplicate keys rejected, every value traced to its line."""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .problems import ERROR, Problem

Path = tuple  # of str keys and int indices


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml's parser when available; same nodes and marks


class _StringLoader(_BASE):
    """Safe loader whose plain scalars all stay strings: 1.06 stays "1.06", `on` stays "on"."""


_StringLoader.yaml_implicit_resolvers = {}


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


def _to_python(node, path, lines, file, problems):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(file, key_node.start_mark.line + 1, format_path(path), "kunci-tidak-valid",
                                        ERROR, "Kunci harus berupa teks sederhana"))
                continue
            key = key_node.value
            if key in out:
                problems.append(Problem(file, key_node.start_mark.line + 1, format_path(path + (key,)),
                                        "kunci-ganda", ERROR,
                                        f"Kunci '{key}' ditulis dua kali (pertama di baris {lines[path + (key,)]})"))
                continue
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _to_python(value_node, path + (key,), lines, file, problems)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, path + (i,), lines, file, problems) for i, item in enumerate(node.value)]
    value = node.value
    # An explicitly empty plain scalar (`key:`) and `~`/`null` mean "no value".
    if not node.style and value in ("", "~", "null", "Null", "NULL"):
        return None
    return value


def parse_yaml(raw: bytes, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse bytes of one YAML file; never raises for bad content."""
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, 1, "", "berkas-tidak-terbaca", ERROR,
                              f"Berkas bukan teks UTF-8 (byte ke-{exc.start + 1}); simpan ulang sebagai UTF-8")]
    if "\x00" in text:
        return None, [Problem(file, 1, "", "berkas-tidak-terbaca", ERROR, "Berkas berisi data biner, bukan YAML")]
    try:
        node = yaml.compose(text, Loader=_StringLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = (exc.problem or "sintaks tidak valid").strip()
        return None, [Problem(file, line, "", "yaml-tidak-valid", ERROR, f"Sintaks YAML tidak valid: {detail}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1, "", "yaml-tidak-valid", ERROR, f"Sintaks YAML tidak valid: {exc}")]
    if node is None:
        return None, [Problem(file, 1, "", "berkas-kosong", ERROR, "Berkas kosong")]
    lines: dict = {}
    data = _to_python(node, (), lines, file, problems)
    if not isinstance(data, dict):
        problems.append(Problem(file, lines.get((), 1), "", "tipe-salah", ERROR,
                                "Isi berkas harus berupa pemetaan (kunci: nilai) di tingkat teratas"))
        return None, problems
    return Document(file, data, lines), problems
