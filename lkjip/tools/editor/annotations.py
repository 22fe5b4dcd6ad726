"""CLI output formats of `check --format`: GitHub Actions workflow commands and GitLab Code Quality (Code Climate)."""
from __future__ import annotations

import hashlib
import json

from ...base.problems import ERROR, NOTE, Problem

FORMATS = ("teks", "github", "codeclimate")


def _escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github(problem: Problem) -> str:
    """`::error file=...,line=...,title=[code]::message (path)`: an annotation at file:line in the pull request."""
    props = [f"file={_escape(problem.file, True)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    props.append(f"title={_escape(f'[{problem.code}]', True)}")
    suffix = f" ({problem.path})" if problem.path else ""
    kind = {ERROR: "error", NOTE: "notice"}.get(problem.severity, "warning")
    return f"::{kind} {','.join(props)}::{_escape(problem.message + suffix)}"


def codeclimate(problems: list[Problem]) -> str:
    """GitLab Code Quality report (a Code Climate issue list) as JSON text."""
    issues = []
    for p in problems:
        key = "\0".join((p.file, p.path, p.code, p.message))
        issues.append({
            "type": "issue",
            "check_name": p.code,
            "description": f"[{p.code}] {p.message}" + (f" ({p.path})" if p.path else ""),
            "categories": ["Bug Risk"],
            "severity": {ERROR: "major", NOTE: "info"}.get(p.severity, "minor"),
            "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32],
            "location": {"path": p.file, "lines": {"begin": max(p.line, 1)}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def render(problems: list[Problem], fmt: str) -> str:
    if fmt == "codeclimate":
        return codeclimate(problems)
    lines = [github(p) if fmt == "github" else p.format() for p in problems]
    return "".join(line + "\n" for line in lines)
