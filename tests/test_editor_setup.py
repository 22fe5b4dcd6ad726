"""Editor and repository set-up: .vscode/ maps each content file to its JSON Schema; .editorconfig; .gitattributes."""
from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lkjip.load.content import RENSTRA_FILES, YEAR_FILES

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / ".vscode"


def _json(name: str) -> dict:
    return json.loads((VSCODE / name).read_text(encoding="utf-8"))


def _simple_regex(pattern: str) -> re.Pattern:
    """yaml-language-server's association: `*` is any text, anchored at the end of the file URI."""
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + "$")


def _glob_regex(pattern: str) -> re.Pattern:
    """The newer glob association: `**/` + pattern, `*` within one folder."""
    body = "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in pattern.lstrip("/"))
    return re.compile(r"(^|.*/)" + body + "$")


def _schemas_for(uri: str, associations: dict, to_regex) -> list[str]:
    return [schema for schema, patterns in associations.items() if any(to_regex(p).search(uri) for p in patterns)]


CONTENT_FILES = [f"content/2022/{n}.yaml" for n in YEAR_FILES] + [f"content/renstra/{n}.yaml" for n in RENSTRA_FILES]
OTHER_ROOT = [f"examples/contoh/2023/{n}.yaml" for n in YEAR_FILES] + \
             [f"examples/contoh/renstra-2025-2029/{n}.yaml" for n in RENSTRA_FILES]


@pytest.mark.parametrize("to_regex", [_simple_regex, _glob_regex], ids=["suffix-regex", "glob"])
def test_every_content_file_gets_exactly_its_schema(to_regex):
    associations = _json("settings.json")["yaml.schemas"]
    for schema in associations:
        assert (ROOT / schema).is_file(), schema
    for rel in CONTENT_FILES + OTHER_ROOT:
        uri = f"file:///C:/Users/Nama%20Pengguna/lkjip/{rel}"
        name = Path(rel).stem
        assert _schemas_for(uri, associations, to_regex) == [f"schema/json/{name}.schema.json"], rel
    for rel in ("content/2022/prosa/kata_pengantar.md", "ci-templates/gitlab/.gitlab-ci.yml", "schema/laporan.yaml"):
        assert _schemas_for(f"file:///w/{rel}", associations, to_regex) == [], rel


def test_editor_reads_yaml_as_the_schemas_assume():
    settings = _json("settings.json")
    assert settings["yaml.yamlVersion"] == "1.2"
    assert settings["files.eol"] == "\n" and settings["files.encoding"] == "utf8"


def test_recommended_extensions():
    assert set(_json("extensions.json")["recommendations"]) >= {"redhat.vscode-yaml", "EditorConfig.EditorConfig"}


def test_check_task_runs_the_venv_python_on_every_os():
    check = next(t for t in _json("tasks.json")["tasks"] if t["args"] == ["build.py", "check"])
    assert check["command"].endswith("/.venv/bin/python")
    assert check["windows"]["command"].endswith("\\.venv\\Scripts\\python.exe")
    assert check["group"] == {"kind": "build", "isDefault": True}


def test_editorconfig():
    config = configparser.ConfigParser()
    config.read_string((ROOT / ".editorconfig").read_text(encoding="utf-8").split("root = true", 1)[1])
    assert config["*"]["charset"] == "utf-8" and config["*"]["end_of_line"] == "lf"
    assert config["*.{yaml,yml,json}"]["indent_size"] == "2"
    assert config["*.md"]["trim_trailing_whitespace"] == "false"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_gitattributes(tmp_path):
    """Asked of git itself (in a scratch repository holding only this .gitattributes)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(ROOT / ".gitattributes", tmp_path / ".gitattributes")
    files = ["content/2022/laporan.yaml", "content/2022/prosa/penutup.md", "lkjip/cli.py", "Makefile",
             "templates/base.docx", "data.xlsx", "logo.png"]
    out = subprocess.run(["git", "check-attr", "text", "eol", "diff", "--", *files], cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout
    attrs = {}
    for line in out.splitlines():
        path, attr, value = line.split(": ")
        attrs[(path, attr)] = value
    for text_file in files[:4]:
        assert (attrs[(text_file, "text")], attrs[(text_file, "eol")]) == ("set", "lf"), text_file
    assert (attrs[("templates/base.docx", "text")], attrs[("templates/base.docx", "diff")]) == ("unset", "docx")
    for binary in ("data.xlsx", "logo.png"):
        assert (attrs[(binary, "text")], attrs[(binary, "diff")]) == ("unset", "unset"), binary
