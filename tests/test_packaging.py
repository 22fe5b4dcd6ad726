"""Packaging: pyproject.toml, package data (schema/, templates/), the `lkjip` command, --version, a working install."""
from __future__ import annotations

import contextlib
import fnmatch
import io
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import lkjip
from lkjip import cli, resources

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCES = ("pyproject.toml", "MANIFEST.in", "README.md", "CHANGELOG.md", "requirements.txt", "requirements-dev.txt",
           "build.py", "lkjip", "schema", "templates")


def test_version_flag_prints_the_package_version():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert out.getvalue().strip() == f"lkjip {lkjip.__version__}"


def test_version_is_read_from_the_package():
    assert PYPROJECT["project"]["dynamic"] == ["version", "dependencies"]
    tool = PYPROJECT["tool"]["setuptools"]
    assert tool["dynamic"]["version"] == {"attr": "lkjip.__version__"}
    assert tool["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    assert PYPROJECT["project"]["scripts"] == {"lkjip": "lkjip.cli:console"}


def test_changelog_names_the_current_version():
    assert f"## {lkjip.__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_every_resource_file_is_package_data():
    """Whatever lies in schema/ and templates/ and is read at run time is mapped into the wheel."""
    tool = PYPROJECT["tool"]["setuptools"]
    for package, folder in tool["package-dir"].items():
        assert package in tool["packages"] and package.startswith("lkjip.data.")
        patterns = tool["package-data"][package]
        files = [p.relative_to(ROOT / folder).as_posix() for p in (ROOT / folder).rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"]
        assert files
        missing = [f for f in files if not any(fnmatch.fnmatch(f, pat) and f.count("/") == pat.count("/")
                                               for pat in patterns)]
        assert missing == [], f"{folder}/: not in package-data {patterns}"
    assert sorted(tool["package-dir"].values()) == ["schema", "templates"]


def test_resources_prefer_installed_package_data(tmp_path, monkeypatch):
    assert resources.resource_dir("schema") == ROOT / "schema"              # a checkout: beside the package
    (tmp_path / "schema").mkdir()
    monkeypatch.setattr(resources, "_INSTALLED", tmp_path)
    assert resources.resource_dir("schema") == tmp_path / "schema"          # a wheel: lkjip/data/schema
    assert resources.resource_dir("templates") == ROOT / "templates"


@pytest.mark.slow
def test_pip_install_into_a_fresh_venv_and_build_from_another_folder(tmp_path):
    """What `pipx install .` does: a fresh venv, `pip install .`, then `lkjip` run far from the checkout."""
    source = tmp_path / "source"
    source.mkdir()
    for item in SOURCES:
        if (ROOT / item).is_dir():
            shutil.copytree(ROOT / item, source / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / item, source / item)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
                   check=True, timeout=900)
    work = tmp_path / "kantor"
    shutil.copytree(ROOT / "content", work / "konten")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def run(*argv):
        return subprocess.run([str(bindir / "lkjip"), *argv], cwd=work, env=env, capture_output=True, text=True,
                              timeout=300)

    assert run("--version").stdout.strip() == f"lkjip {lkjip.__version__}"
    where = subprocess.run([str(python), "-c", "import lkjip.resources as r; print(r.SCHEMA_DIR, r.TEMPLATES_DIR)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), where
    checked = run("check", "--content", "konten")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "konten/2022/laporan.yaml:" in checked.stdout
    built = run("report", "--content", "konten", "--output", "keluaran")
    assert built.returncode == 0, built.stderr
    module = subprocess.run([str(python), "-m", "lkjip", "--version"], cwd=work, env=env, capture_output=True,
                            text=True)
    assert module.stdout.strip() == f"lkjip {lkjip.__version__}"
    # The installed package builds the same bytes as the checkout (same schema, outline and base.docx).
    reference = tmp_path / "reference"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "report", "--content", str(work / "konten"), "--output",
                    str(reference)], check=True, capture_output=True)
    assert (work / "keluaran" / "lkjip-2022.docx").read_bytes() == (reference / "lkjip-2022.docx").read_bytes()
