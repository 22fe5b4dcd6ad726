"""check output read by tools: VS Code's problem matcher (.vscode/tasks.json), GitHub annotations, GitLab Code
Quality."""
from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from lkjip import cli, pipeline
from lkjip.annotations import codeclimate, github
from lkjip.problems import Problem

ROOT = Path(__file__).resolve().parent.parent


def _run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Real problems of two broken content folders: (problems, text output of check) per folder."""
    base = tmp_path_factory.mktemp("formats")
    warned = base / "warned"                    # last year's folder has errors: a warning on a folder, no line
    shutil.copytree(ROOT / "content", warned)
    shutil.copytree(warned / "2022", warned / "2021")
    broken = base / "broken"                    # a missing file, an unknown file, a wrong value at a line
    shutil.copytree(ROOT / "content", broken)
    (broken / "2022" / "isu_strategis.yaml").unlink()
    (broken / "2022" / "catatan.yaml").write_text("a: b\n", encoding="utf-8")
    laporan = broken / "2022" / "laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("tahun: 2022", "tahun: dua"), encoding="utf-8")
    runs = {}
    for name, root in (("warned", warned), ("broken", broken)):
        problems = pipeline.check(root, 2022).problems
        if name == "broken":                    # what the CLI prints, once
            code, text = _run_cli(["check", "--content", str(root), "--year", "2022"])
        else:
            code, text = 0, "".join(p.format() + "\n" for p in problems)
        runs[name] = (problems, text, code, root)
    return runs


def _all_problems(outputs):
    return [p for problems, *_ in outputs.values() for p in problems]


def test_fixture_covers_every_line_shape(outputs):
    problems = _all_problems(outputs)
    assert {p.code for p in problems} >= {"tahun-lalu-bermasalah", "berkas-hilang", "berkas-tidak-dikenal",
                                          "tipe-salah",
                                          "angka-sumber-berbeda"}
    assert any(p.line == 0 and re.search(r"\d$", p.file) for p in problems)       # folder content/2021, no line
    assert outputs["broken"][2] == 1
    assert all(p.severity == "warning" for p in outputs["warned"][0])


def _matchers():
    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    check = next(t for t in tasks["tasks"] if t["args"] == ["build.py", "check"])
    return check["problemMatcher"]


def test_problem_matcher_reads_every_check_line(outputs):
    """Each line check prints is matched by exactly one matcher, with file, line, severity, code and message."""
    matchers = _matchers()
    assert len(matchers) == 2
    for problems, text, *_ in outputs.values():
        assert text.splitlines() == [p.format() for p in problems]
        for problem, line in zip(problems, text.splitlines()):
            hits = []
            for matcher in matchers:
                pattern = matcher["pattern"]
                m = re.match(pattern["regexp"], line)          # VS Code runs the same regexp as JavaScript
                if m:
                    hits.append((pattern, m))
            assert len(hits) == 1, line
            pattern, m = hits[0]
            assert m.group(pattern["file"]) == problem.file
            if problem.line:
                assert int(m.group(pattern["line"])) == problem.line
            else:
                assert pattern.get("kind") == "file"
            assert m.group(pattern["severity"]) == problem.severity
            assert m.group(pattern["code"]) == problem.code
            assert m.group(pattern["message"]).startswith(problem.message)


def test_problem_matcher_on_windows_style_paths():
    line_matcher, file_matcher = (m["pattern"] for m in _matchers())
    windows = r"C:\Users\Nama Pengguna\lkjip\content\2022\program.yaml:41: error [kode-tidak-valid] x (a.b)"
    m = re.match(line_matcher["regexp"], windows)
    assert m and m.group(1).endswith("program.yaml") and m.group(2) == "41"
    assert re.match(file_matcher["regexp"], r"C:\x\content\2022\program.yaml:41: error [kode-tidak-valid] x") is None


def _unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


GITHUB = re.compile(r"^::(error|warning) file=([^,]*)(?:,line=(\d+))?,title=([^:]*)::(.*)$")


def test_github_annotations_round_trip(outputs):
    odd = Problem("a,b:c%.yaml", 3, "x[0].y", "kode-x", "error", "satu, dua: 5%\nbaris")
    for problem in _all_problems(outputs) + [odd]:
        m = GITHUB.match(github(problem))
        assert m, github(problem)
        assert m.group(1) == problem.severity
        assert _unescape(m.group(2)) == problem.file
        assert int(m.group(3) or 0) == problem.line
        assert _unescape(m.group(4)) == f"[{problem.code}]"
        assert _unescape(m.group(5)) == problem.message + (f" ({problem.path})" if problem.path else "")


def test_check_format_github_cli(outputs):
    root = outputs["broken"][3]
    code, text = _run_cli(["check", "--content", str(root), "--year", "2022", "--format", "github"])
    assert code == 1
    lines = text.splitlines()
    assert lines and all(GITHUB.match(line) for line in lines)
    assert any(line.startswith("::error ") and "title=[tipe-salah]" in line and ",line=" in line for line in lines)


def test_check_format_codeclimate(outputs):
    problems = _all_problems(outputs)
    root = outputs["broken"][3]
    code, text = _run_cli(["check", "--content", str(root), "--year", "2022", "--format", "codeclimate"])
    assert code == 1
    assert len(json.loads(text)) == len(outputs["broken"][0])
    issues = json.loads(codeclimate(problems))
    assert len(issues) == len(problems)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue, problem in zip(issues, problems):
        assert issue["check_name"] == problem.code
        assert issue["severity"] == ("major" if problem.severity == "error" else "minor")
        assert issue["location"] == {"path": problem.file, "lines": {"begin": max(problem.line, 1)}}
        assert problem.message in issue["description"]
