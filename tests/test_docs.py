"""Every problem code the code can emit is explained in the README (editors look codes up there)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = r"[a-z]+(?:-[a-z]+)+"


def emitted_codes() -> set:
    codes = set()
    for path in (ROOT / "lkjip").rglob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if "Problem(" in line or ".problem(" in line:
                window = " ".join(lines[i:i + 2])
                codes |= set(re.findall(rf'"({CODE})"', window))
            codes |= set(re.findall(rf'"({CODE})\|', line))                      # schema custom errors "code|message"
            codes |= set(re.findall(rf'\.code: \("({CODE})", "', line))           # schema._MESSAGES entries
            if "ContentFileError(" in line or "_Abort(" in line or re.match(r"^[A-Z_, ]+ = \"", line):
                codes |= set(re.findall(rf'"({CODE})"', line))                   # load-stage errors, code constants
    return codes


def test_every_problem_code_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    codes = emitted_codes()
    assert len(codes) >= 50
    assert sorted(c for c in codes if f"`{c}`" not in readme) == []
