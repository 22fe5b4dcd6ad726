"""The problem-code registry (lkjip/base/codes.py) against the code and the README: every code written in lkjip/ is
registered, with the severities it is used at; every registered code is used and explained in its README table."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.base.codes import CHECK, CODES, GROUPS, IMPOR, NILAI, problem
from lkjip.base.problems import ERROR, NOTE, WARNING

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lkjip"
CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")
# kebab-shaped literals in problem-creating modules that are not problem codes: encodings, appendix names
NOT_CODES = {"utf-8", "utf-8-sig", "pk-perubahan", "renstra-matriks", "ci-templates"}
CREATES = ("Problem(", ".problem(", "_Abort(", "ContentFileError(")
SEVERITIES = {"ERROR": ERROR, "WARNING": WARNING, "NOTE": NOTE}
README_TABLES = {CHECK: "Membaca pesan", IMPOR: "Impor realisasi anggaran", NILAI: "Nilai mandiri LKE"}


def _problem_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name != "codes.py" and any(marker in text for marker in CREATES):
            yield path, ast.parse(text)


def code_literals() -> dict:
    """code -> first 'file:line' for every kebab-shaped string literal (or the 'code|' head of a cerberus custom
    error) in the modules that create problems: the codes lkjip can emit, however they reach a Problem."""
    found: dict = {}
    for path, tree in _problem_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                head = node.value.split("|")[0]
                if CODE.fullmatch(head) and head not in NOT_CODES:
                    found.setdefault(head, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def call_site_severities() -> dict:
    """code -> {severity} where a Problem/loc.problem call writes the code and a severity constant side by side."""
    found: dict = {}
    for _path, tree in _problem_modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in ("Problem", "problem"):
                continue
            for arg, after in zip(node.args, node.args[1:]):
                if (isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CODE.fullmatch(arg.value)
                        and isinstance(after, ast.Name) and after.id in SEVERITIES):
                    found.setdefault(arg.value, set()).add(SEVERITIES[after.id])
    return found


def readme_codes() -> dict:
    """code -> {README heading} for every backticked code in the first column of a `| kode | artinya |` table."""
    found: dict = {}
    heading, in_table = "", False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.startswith("| kode |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table:
            first = line.split("|")[1]
            for code in re.findall(r"`([^`]+)`", first):
                found.setdefault(code, set()).add(heading)
    return found


def test_the_scans_find_the_codes():
    literals, readme = code_literals(), readme_codes()
    assert len(CODES) >= 95 and len(literals) >= 95 and len(readme) >= 95
    assert literals["kode-ganda"].startswith("lkjip/") and "koreksi-sumber" in literals
    assert "angka-berformat" in literals                                 # cerberus custom error 'code|message'
    assert call_site_severities()["koreksi-sumber"] == {NOTE}


def test_registry_is_well_formed():
    for code, entry in CODES.items():
        assert CODE.fullmatch(code) and entry.code == code
        assert entry.severities and set(entry.severities) <= {ERROR, WARNING, NOTE}, code
        assert entry.group in GROUPS, code
        assert entry.title.strip() and entry.title[0].isupper(), code


def test_every_code_in_lkjip_is_registered():
    """A new code (from any branch) fails here until it has a line in lkjip/base/codes.py."""
    assert {code: at for code, at in code_literals().items() if code not in CODES} == {}


def test_every_registered_code_is_used():
    assert sorted(set(CODES) - set(code_literals())) == []


def test_call_sites_use_registered_severities():
    wrong = {code: sorted(used) for code, used in call_site_severities().items()
             if code in CODES and not used <= set(CODES[code].severities)}
    assert wrong == {}


def test_readme_tables_explain_every_registered_code():
    readme = readme_codes()
    missing = sorted(code for code, entry in CODES.items()
                     if not any(h.startswith(README_TABLES[entry.group]) for h in readme.get(code, ())))
    assert missing == []


def test_readme_tables_list_only_registered_codes():
    assert sorted(set(readme_codes()) - set(CODES)) == []


def test_problem_is_created_from_the_registry():
    p = problem("kode-ganda", "content/2022/program.yaml", 12, "program[0].kode", "Kode ganda")
    assert (p.code, p.severity, p.line, p.path) == ("kode-ganda", ERROR, 12, "program[0].kode")
    assert problem("format-tidak-valid", "lke.yaml", 3, "", "x", WARNING).severity == WARNING
    with pytest.raises(KeyError):
        problem("kode-tak-terdaftar", "f", 1, "", "x")
    with pytest.raises(ValueError):
        problem("koreksi-sumber", "f", 1, "", "x", ERROR)


@pytest.mark.parametrize("root, year", [(ROOT / "content", 2022), (ROOT / "examples" / "kota-dumai-2016", 2016)])
def test_problems_of_the_examples_are_registered(root, year):
    problems = pipeline.check(root, year).problems
    assert problems
    assert [p.format() for p in problems if p.code not in CODES or p.severity not in CODES[p.code].severities] == []
