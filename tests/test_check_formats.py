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
from lkjip.tools.editor.annotations import codeclimate, github
from lkjip.base.problems import Problem

ROOT = Path(__file__).resolve().parent.parent


def _run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Real problems of two content folders: (problems, text output of check, exit code, folder) per folder."""
    base = tmp_path_factory.mktemp("formats")
    warned = base / "warned"                    # warnings (one on a folder, no line) and notes, no error
    shutil.copytree(ROOT / "content", warned)
    shutil.copytree(warned / "2022", warned / "2021")          # last year's folder has errors: a folder warning
    laporan = warned / "2022" / "laporan.yaml"                 # a declared figure no correction explains
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("jumlah_program: 6", "jumlah_program: 7"),
                       encoding="utf-8")
    broken = base / "broken"                    # a missing file, an unknown file, a wrong value at a line
    shutil.copytree(ROOT / "content", broken)
    (broken / "2022" / "instansi.yaml").unlink()
    (broken / "2022" / "catatan.yaml").write_text("a: b\n", encoding="utf-8")
    laporan = broken / "2022" / "laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("tahun: 2022", "tahun: dua"), encoding="utf-8")
    runs = {}
    for name, root in (("warned", warned), ("broken", broken)):
        problems = pipeline.check(root, 2022).problems
        code, text = _run_cli(["check", "--content", str(root), "--year", "2022"])     # what the CLI prints
        runs[name] = (problems, text, code, root)
    return runs


def _all_problems(outputs):
    return [p for problems, *_ in outputs.values() for p in problems]


def test_fixture_covers_every_line_shape(outputs):
    problems = _all_problems(outputs)
    assert {p.code for p in problems} >= {"tahun-lalu-bermasalah", "berkas-hilang", "berkas-tidak-dikenal",
                                          "tipe-salah", "angka-sumber-berbeda", "koreksi-sumber"}
    assert {p.severity for p in problems} == {"error", "warning", "note"}
    assert any(p.line == 0 and re.search(r"\d$", p.file) for p in problems)       # folder content/2021, no line
    assert outputs["broken"][2] == 1
    warned, text, code, _root = outputs["warned"]
    assert code == 0 and {p.severity for p in warned} == {"warning", "note"}
    # content/2022 declares its corrections of the source (koreksi.yaml): each one is a note at file:line
    notes = [line for line in text.splitlines() if re.search(r":\d+: note \[koreksi-sumber\] ", line)]
    assert len(notes) >= 10 and len(notes) == sum(p.code == "koreksi-sumber" for p in warned)


def _matchers():
    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    check = next(t for t in tasks["tasks"] if t["args"] == ["build.py", "check"])
    return check["problemMatcher"]


def _vscode_severity(value: str, default: str = "error") -> str:
    """VS Code's ProblemMatcher getSeverity (src/vs/workbench/contrib/tasks/common/problemMatcher.ts): error,
    warning/warn, info; E, W, I; hint and note are shown as info; anything else takes the matcher's default."""
    lowered = value.lower()
    if lowered in ("error", "warning", "info"):
        return lowered
    if lowered == "warn" or value == "W":
        return "warning"
    return {"E": "error", "I": "info"}.get(value) or ("info" if lowered in ("hint", "note") else default)


def test_problem_matcher_reads_every_check_line(outputs):
    """Each line check prints is matched by exactly one matcher, with file, line, severity, code and message;
    a note is shown in the Problems panel as information, never as an error."""
    matchers = _matchers()
    assert len(matchers) == 2
    shown = set()
    for problems, text, *_ in outputs.values():
        assert text.splitlines() == [p.format() for p in problems]
        for problem, line in zip(problems, text.splitlines()):
            hits = []
            for matcher in matchers:
                pattern = matcher["pattern"]
                m = re.match(pattern["regexp"], line)          # VS Code runs the same regexp as JavaScript
                if m:
                    hits.append((matcher, pattern, m))
            assert len(hits) == 1, line
            matcher, pattern, m = hits[0]
            assert m.group(pattern["file"]) == problem.file
            if problem.line:
                assert int(m.group(pattern["line"])) == problem.line
            else:
                assert pattern.get("kind") == "file"
            assert m.group(pattern["severity"]) == problem.severity
            severity = _vscode_severity(m.group(pattern["severity"]), matcher.get("severity", "error"))
            assert severity == {"error": "error", "warning": "warning", "note": "info"}[problem.severity]
            shown.add(severity)
            assert m.group(pattern["code"]) == problem.code
            assert m.group(pattern["message"]).startswith(problem.message)
    assert shown == {"error", "warning", "info"}


def test_every_task_reads_problems_the_same_way():
    """report and pdf print the same problem lines as check (notes included)."""
    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    assert len(tasks) == 3 and all(t["problemMatcher"] == _matchers() for t in tasks)


def test_problem_matcher_on_windows_style_paths():
    line_matcher, file_matcher = (m["pattern"] for m in _matchers())
    windows = r"C:\Users\Nama Pengguna\lkjip\content\2022\program.yaml:41: error [kode-tidak-valid] x (a.b)"
    m = re.match(line_matcher["regexp"], windows)
    assert m and m.group(1).endswith("program.yaml") and m.group(2) == "41"
    assert re.match(file_matcher["regexp"], r"C:\x\content\2022\program.yaml:41: error [kode-tidak-valid] x") is None


def _unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


GITHUB = re.compile(r"^::(error|warning|notice) file=([^,]*)(?:,line=(\d+))?,title=([^:]*)::(.*)$")
GITHUB_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def test_github_annotations_round_trip(outputs):
    odd = Problem("a,b:c%.yaml", 3, "x[0].y", "kode-x", "error", "satu, dua: 5%\nbaris")
    for problem in _all_problems(outputs) + [odd]:
        m = GITHUB.match(github(problem))
        assert m, github(problem)
        assert m.group(1) == GITHUB_LEVEL[problem.severity]
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
    root = outputs["warned"][3]                 # notes: ::notice, and they do not fail the run
    code, text = _run_cli(["check", "--content", str(root), "--year", "2022", "--format", "github"])
    assert code == 0
    levels = [GITHUB.match(line).group(1) for line in text.splitlines()]
    assert set(levels) == {"warning", "notice"}
    assert levels.count("notice") == sum(p.severity == "note" for p in outputs["warned"][0])


def test_check_format_codeclimate(outputs):
    problems = _all_problems(outputs)
    root = outputs["broken"][3]
    code, text = _run_cli(["check", "--content", str(root), "--year", "2022", "--format", "codeclimate"])
    assert code == 1
    assert len(json.loads(text)) == len(outputs["broken"][0])
    assert {i["severity"] for i in json.loads(codeclimate(outputs["warned"][0]))} == {"minor", "info"}
    issues = json.loads(codeclimate(problems))
    assert len(issues) == len(problems)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue, problem in zip(issues, problems):
        assert issue["check_name"] == problem.code
        assert issue["severity"] == {"error": "major", "warning": "minor", "note": "info"}[problem.severity]
        assert issue["location"] == {"path": problem.file, "lines": {"begin": max(problem.line, 1)}}
        assert problem.message in issue["description"]
