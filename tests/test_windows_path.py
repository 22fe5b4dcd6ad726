"""Windows without make (README's PowerShell lines) and with Git Bash (Makefile: .venv/Scripts, py -3)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _powershell_blocks() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block.strip().splitlines() for block in re.findall(r"```powershell\n(.*?)```", readme, re.DOTALL)]


def test_readme_powershell_lines_are_plain_commands():
    """Every line is one command that PowerShell and cmd.exe pass as is: no comment that pip would read as a
    requirement, no POSIX path, and the venv's own python."""
    lines = [line for block in _powershell_blocks() for line in block]
    assert lines[0] == "py -3 -m venv .venv"
    assert ".venv\\Scripts\\python -m pip install -r requirements.txt" in lines
    assert ".venv\\Scripts\\python -m pip install -r requirements-dev.txt" in lines
    for line in lines[1:]:
        assert line.startswith(".venv\\Scripts\\python "), line
        assert "#" not in line and "/" not in line and "$" not in line, line


def _dry_run(tmp_path, *args) -> str:
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    return subprocess.run(["make", "-n", "-C", str(tmp_path), *args], check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_makefile_uses_scripts_and_py_launcher_on_windows(tmp_path):
    out = _dry_run(tmp_path, "OS=Windows_NT", "report", "YEAR=2022")
    assert "py -3 -m venv .venv" in out
    assert ".venv/Scripts/python -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt" in out
    assert ".venv/Scripts/python build.py report --year 2022" in out
    assert ".venv/bin/" not in out


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_makefile_installs_runtime_for_reports_and_dev_tools_for_tests(tmp_path):
    report = _dry_run(tmp_path, "report")
    assert ".venv/bin/python -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt" in report
    assert "requirements-dev.txt" not in report
    test = _dry_run(tmp_path, "test")
    order = [test.index(s) for s in ("-r requirements.txt", "-r requirements-dev.txt", 'pytest -q -m "not slow"')]
    assert order == sorted(order)
    assert "pytest -q -n auto\n" in _dry_run(tmp_path, "test-all")          # everything, on every core
