"""`lkjip init FOLDER` (a new agency's content repository), `lkjip editor`, and what check/report make of the
skeleton: blanks listed at file:line, a draft DOCX with visible blanks that passes the Open XML validator."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from lkjip import cli, pipeline
from lkjip.base.shape import NOMENKLATUR_LABELS
from lkjip.load.content import load
from lkjip.validate.blanks import blank_marks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_WORDS = ("metro", "dinas sosial", "dumai")


def run(argv, cwd: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    try:
        code = cli.main([str(a) for a in argv], prog="lkjip")
    except SystemExit as exit_:              # argparse's usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def make(tmp_path, monkeypatch, capsys, *extra, name="Dinas Pendidikan", daerah="Kabupaten Contoh", year="2025"):
    code, _, err = run(["init", "dinas", "--nama", name, "--daerah", daerah, "--tahun", year, *extra], tmp_path,
                       monkeypatch, capsys)
    assert code == 0, err
    return tmp_path / "dinas"


def test_init_git_check_report_in_a_fresh_folder(tmp_path, monkeypatch, capsys):
    repo = make(tmp_path, monkeypatch, capsys)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    code, out, err = run(["check"], repo, monkeypatch, capsys)
    assert code == 0, out + err                                   # blanks are warnings: exit 0 (README)
    lines = out.splitlines()
    assert not [l for l in lines if ": error [" in l]
    blanks = [l for l in lines if "[isian-kosong]" in l]
    assert "content/2025/program.yaml:5: warning [isian-kosong]" in "\n".join(lines)       # program name
    assert any(l.startswith("content/renstra/renstra.yaml:") for l in blanks)
    assert any(l.startswith("content/2025/prosa/kata_pengantar.md:") for l in blanks)
    assert any("[realisasi-kosong]" in l for l in lines)
    assert f"0 galat, {len(lines)} peringatan" in err
    code, out, _ = run(["check", "--strict"], repo, monkeypatch, capsys)
    assert code == 1
    code, _, err = run(["report", "--tanpa-tata-letak"], repo, monkeypatch, capsys)
    assert code == 0, err
    docx = repo / "output" / "lkjip-2025.docx"
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "[ISI: nama program]" in body and "DRAF" in body.upper()
    assert "Dinas Pendidikan Kabupaten Contoh" in body
    audit = pytest.importorskip("openxml_audit")
    result = audit.OpenXmlValidator().validate(docx)
    assert [str(e) for e in result.errors if e.severity == audit.ValidationSeverity.ERROR] == []
    # the editor set-up points into the repository, at copies of the installed version's schemas
    settings = json.loads((repo / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert len(schemas) == len(list((ROOT / "schema" / "json").glob("*.schema.json"))) >= 10
    for rel, patterns in schemas.items():
        assert rel.startswith(".lkjip/skema/") and (repo / rel).is_file(), rel
        assert (repo / rel).read_bytes() == (ROOT / "schema" / "json" / Path(rel).name).read_bytes()
        assert patterns == [f"content/*/{Path(rel).name.removesuffix('.schema.json')}.yaml"]
    tasks = json.loads((repo / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    assert [t["command"] for t in tasks["tasks"]] == ["lkjip", "lkjip"]
    assert (repo / ".vscode" / "extensions.json").is_file()
    for name in (".gitattributes", ".editorconfig", ".gitignore", "README.md", ".github/workflows/lkjip.yml"):
        assert (repo / name).is_file(), name
    assert "output/" in (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    workflow = yaml.safe_load((repo / ".github/workflows/lkjip.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for s in workflow["jobs"]["check"]["steps"]]
    assert "lkjip check --format github" in steps and not any("build.py" in s for s in steps)


def test_skeleton_holds_no_fact_of_any_example(tmp_path, monkeypatch, capsys):
    repo = make(tmp_path, monkeypatch, capsys)
    for path in repo.rglob("*"):
        if path.is_file() and ".lkjip" not in path.parts:
            text = path.read_text(encoding="utf-8").lower()
            assert not [w for w in EXAMPLE_WORDS if w in text], path


@pytest.mark.parametrize("nomenklatur", tuple(NOMENKLATUR_LABELS))
def test_every_required_file_is_written_and_checks_without_errors(tmp_path, monkeypatch, capsys, nomenklatur):
    repo = make(tmp_path, monkeypatch, capsys, "--nomenklatur", nomenklatur)
    content, problems = load(repo / "content", 2025)
    assert problems == []
    assert {"laporan", "instansi", "program", "kinerja", "renstra"} <= set(content.docs)
    laporan = yaml.safe_load((repo / "content/2025/laporan.yaml").read_text(encoding="utf-8"))
    assert (laporan["tahun"], laporan["draf"], laporan["nomenklatur"]) == (2025, True, nomenklatur)
    result = pipeline.check(repo / "content", 2025)
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    assert result.report is not None and result.plan is not None
    # no figure is invented: every realisation is unknown, no budget line is made up
    program = yaml.safe_load((repo / "content/2025/program.yaml").read_text(encoding="utf-8"))
    assert "anggaran" not in json.dumps(program)


HOSTILE_NAMES = ['Dinas "Pendidikan"', "Dinas 'Kesehatan'", "Dinas: Pendidikan #1", "&anchor Dinas", "*alias",
                 "!tag Dinas", "=SUM(A1)", "- Dinas", "? Dinas", "{Dinas}", "[Dinas]", "| Dinas", "> Dinas",
                 "%Dinas", "@Dinas", "`Dinas`", "Dinas \\ Garis", "yes", "null", "1.06", "~", "Dinas  Ganda ",
                 "Dinas Pendidikan dan Kebudayaan, Pemuda & Olahraga", "Dinas Pendidikan ✓ Ñ"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_names_round_trip_into_yaml_exactly(tmp_path, monkeypatch, capsys, name):
    repo = make(tmp_path, monkeypatch, capsys, name=name, daerah=name)
    instansi = yaml.safe_load((repo / "content/2025/instansi.yaml").read_text(encoding="utf-8"))
    assert instansi["nama_singkat"] == name and instansi["daerah"] == name
    assert instansi["nama"] == f"{name} {name}" and instansi["pemerintah_daerah"] == f"Pemerintah {name}"
    content, problems = load(repo / "content", 2025)           # the project's own loader: strings kept as strings
    assert problems == []
    result = pipeline.check(repo / "content", 2025, with_prose=False)
    assert [p.code for p in result.problems if p.severity == "error"] == []
    assert result.report is not None


@pytest.mark.parametrize("name", ["Dinas\nPendidikan", "Dinas\tPendidikan", "Dinas\rX", "   ", "", "x" * 201,
                                  "Dinas\u2028X", "Dinas\x00X"])
def test_names_that_cannot_be_one_line_are_refused(tmp_path, monkeypatch, capsys, name):
    code, _, err = run(["init", "dinas", "--nama", name, "--daerah", "Kota Contoh", "--tahun", "2025"], tmp_path,
                       monkeypatch, capsys)
    assert code == 2 and "galat penggunaan" in err
    assert list(tmp_path.iterdir()) == []                 # nothing written, no staging folder left


@pytest.mark.parametrize("year", ["1999", "2101", "20x5", "٢٠٢٥", "-2025", "2025.0", ""])
def test_bad_year_is_a_usage_error(tmp_path, monkeypatch, capsys, year):
    code, _, err = run(["init", "dinas", "--nama", "Dinas", "--daerah", "Kota", "--tahun", year], tmp_path,
                       monkeypatch, capsys)
    assert code == 2 and "tahun" in err
    assert not (tmp_path / "dinas").exists()


def test_missing_flags_without_a_terminal_exit_2_listing_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    code, _, err = run(["init", "dinas", "--nama", "Dinas"], tmp_path, monkeypatch, capsys)
    assert code == 2
    assert "--daerah" in err and "--tahun" in err and "--nama" not in err.split("berikan", 1)[1].split(";")[0]
    assert not (tmp_path / "dinas").exists()


def test_missing_flags_are_asked_on_a_terminal(tmp_path, monkeypatch, capsys):
    answers = iter(["Kabupaten Contoh", "2026"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    code, _, err = run(["init", "dinas", "--nama", "Dinas Pangan"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    instansi = yaml.safe_load((tmp_path / "dinas/content/2026/instansi.yaml").read_text(encoding="utf-8"))
    assert instansi["daerah"] == "Kabupaten Contoh"


def test_non_empty_folder_is_refused_and_left_alone(tmp_path, monkeypatch, capsys):
    target = tmp_path / "dinas"
    target.mkdir()
    (target / "catatan.txt").write_text("milik orang lain", encoding="utf-8")
    code, _, err = run(["init", "dinas", "--nama", "Dinas", "--daerah", "Kota", "--tahun", "2025"], tmp_path,
                       monkeypatch, capsys)
    assert code == 2 and "tidak kosong" in err
    assert [p.name for p in target.iterdir()] == ["catatan.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["dinas"]


def test_empty_folder_is_filled(tmp_path, monkeypatch, capsys):
    (tmp_path / "dinas").mkdir()
    repo = make(tmp_path, monkeypatch, capsys)
    assert (repo / "content/2025/laporan.yaml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["dinas"]


def test_the_current_empty_folder_is_filled_in_place(tmp_path, monkeypatch, capsys):
    here = tmp_path / "dinas"
    here.mkdir()
    inode = here.stat().st_ino
    code, _, err = run(["init", ".", "--nama", "Dinas", "--daerah", "Kota", "--tahun", "2025"], here, monkeypatch,
                       capsys)
    assert code == 0, err
    assert here.stat().st_ino == inode                       # the same folder (a shell standing in it sees the files)
    assert (here / "content/2025/laporan.yaml").is_file() and (here / ".vscode/settings.json").is_file()
    assert not [p for p in here.iterdir() if p.name.startswith(".lkjip-init-")]


def test_symlinked_folder_is_refused_and_never_followed(tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        (tmp_path / "dinas").symlink_to(elsewhere, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not permitted here")
    code, _, err = run(["init", "dinas", "--nama", "Dinas", "--daerah", "Kota", "--tahun", "2025"], tmp_path,
                       monkeypatch, capsys)
    assert code == 2 and "symlink" in err
    assert list(elsewhere.iterdir()) == []
    dangling = tmp_path / "putus"
    dangling.symlink_to(tmp_path / "tidak-ada", target_is_directory=True)
    code, _, _ = run(["init", "putus", "--nama", "Dinas", "--daerah", "Kota", "--tahun", "2025"], tmp_path,
                     monkeypatch, capsys)
    assert code == 2 and not (tmp_path / "tidak-ada").exists()


def test_file_in_place_of_the_folder_is_refused(tmp_path, monkeypatch, capsys):
    (tmp_path / "dinas").write_text("berkas", encoding="utf-8")
    code, _, err = run(["init", "dinas", "--nama", "Dinas", "--daerah", "Kota", "--tahun", "2025"], tmp_path,
                       monkeypatch, capsys)
    assert code == 2 and "bukan folder" in err
    assert (tmp_path / "dinas").read_text(encoding="utf-8") == "berkas"


def test_missing_parent_is_refused(tmp_path, monkeypatch, capsys):
    code, _, _ = run(["init", "a/b/dinas", "--nama", "Dinas", "--daerah", "Kota", "--tahun", "2025"], tmp_path,
                     monkeypatch, capsys)
    assert code == 2 and list(tmp_path.iterdir()) == []


def test_editor_rewrites_the_set_up_keeping_the_users_own_settings(tmp_path, monkeypatch, capsys):
    repo = make(tmp_path, monkeypatch, capsys)
    settings = repo / ".vscode" / "settings.json"
    data = json.loads(settings.read_text(encoding="utf-8"))
    data["editor.fontSize"] = 15
    data["yaml.schemas"] = {"lama.json": ["x.yaml"]}
    settings.write_text(json.dumps(data), encoding="utf-8")
    (repo / ".lkjip/skema/usang.schema.json").write_text("{}", encoding="utf-8")
    (repo / ".lkjip/skema/laporan.schema.json").write_text("{}", encoding="utf-8")
    code, _, err = run(["editor"], repo, monkeypatch, capsys)
    assert code == 0, err
    data = json.loads(settings.read_text(encoding="utf-8"))
    assert data["editor.fontSize"] == 15 and "lama.json" not in data["yaml.schemas"]
    assert not (repo / ".lkjip/skema/usang.schema.json").exists()
    assert (repo / ".lkjip/skema/laporan.schema.json").read_bytes() == \
        (ROOT / "schema/json/laporan.schema.json").read_bytes()


def test_editor_for_an_existing_repository_with_another_content_folder(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "content", tmp_path / "konten")
    code, _, err = run(["editor", "--content", "konten"], tmp_path, monkeypatch, capsys)
    assert code == 0, err
    schemas = json.loads((tmp_path / ".vscode/settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    assert schemas[".lkjip/skema/program.schema.json"] == ["konten/*/program.yaml"]
    code, _, err = run(["editor", "--content", "tidak-ada"], tmp_path, monkeypatch, capsys)
    assert code == 2


def test_editor_refuses_a_symlinked_vscode_folder(tmp_path, monkeypatch, capsys):
    (tmp_path / "content").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        (tmp_path / ".vscode").symlink_to(elsewhere, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not permitted here")
    code, _, err = run(["editor"], tmp_path, monkeypatch, capsys)
    assert code == 2
    assert list(elsewhere.iterdir()) == []


def test_blank_marks_skip_symlinked_files(tmp_path):
    year = tmp_path / "content" / "2025"
    year.mkdir(parents=True)
    outside = tmp_path / "luar.yaml"
    outside.write_text("a: '[ISI: rahasia]'\n", encoding="utf-8")
    (year / "laporan.yaml").write_text("judul: '[ISI]'\n# [ISI ...] explains, not a blank\n", encoding="utf-8")
    try:
        (year / "tautan.yaml").symlink_to(outside)
    except OSError:
        pytest.skip("symlinks not permitted here")
    found = blank_marks(tmp_path / "content", 2025)
    assert [(p.file.rsplit("/", 1)[-1], p.line, p.code) for p in found] == [("laporan.yaml", 1, "isian-kosong")]


def test_check_says_when_later_stages_were_skipped(tmp_path, monkeypatch, capsys):
    repo = make(tmp_path, monkeypatch, capsys)
    laporan = repo / "content/2025/laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("draf: true", "draf: mungkin"), encoding="utf-8")
    code, out, err = run(["check"], repo, monkeypatch, capsys)
    assert code == 1 and ": error [" in out
    assert "dilewati" in err


def test_skema_json_never_writes_into_the_installed_package(tmp_path, monkeypatch, capsys):
    """Run from an installed package (resources point into site-packages), `skema-json` without --output writes to
    .lkjip/skema of the current folder; from a checkout, to the repository's schema/json."""
    from lkjip.base import resources
    installed = tmp_path / "site-packages" / "lkjip" / "data"
    shutil.copytree(ROOT / "schema", installed / "schema", ignore=shutil.ignore_patterns("*.json"))
    assert cli._skema_default(ROOT / "schema" / "json") == ROOT / "schema" / "json"
    monkeypatch.setattr(resources, "_INSTALLED", installed)
    monkeypatch.setattr(resources, "SCHEMA_DIR", installed / "schema")
    work = tmp_path / "kerja"
    work.mkdir()
    code, _, err = run(["skema-json"], work, monkeypatch, capsys)
    assert code == 0, err
    assert list((installed / "schema" / "json").iterdir()) == []
    assert sorted(p.name for p in (work / ".lkjip" / "skema").iterdir()) == \
        sorted(p.name for p in (ROOT / "schema" / "json").glob("*.json"))


def test_help_is_indonesian(capsys):
    for argv in (["--help"], ["init", "--help"], ["check", "--help"]):
        with pytest.raises(SystemExit) as exit_:
            cli.main(argv, prog="lkjip")
        assert exit_.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("pemakaian: lkjip")
        for english in ("usage:", "options:", "show this help", "positional arguments", "show program's"):
            assert english not in out, (argv, english)


@pytest.mark.parametrize("argv", [["check", "--tidak-ada"], ["init"], ["check", "--format", "xml"],
                                  ["check", "--year"], ["tidak-ada"]])
def test_usage_errors_are_indonesian_with_the_invoked_name(capsys, argv):
    with pytest.raises(SystemExit) as exit_:
        cli.main(argv, prog="lkjip")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("pemakaian: lkjip") and "lkjip" in err.splitlines()[-1]
    for english in ("usage:", "the following arguments", "unrecognized", "invalid choice", "expected one"):
        assert english not in err, (argv, english)


def test_new_year_errors_carry_the_invoked_name(tmp_path, monkeypatch, capsys):
    repo = make(tmp_path, monkeypatch, capsys)
    code, _, err = run(["new-year", "2025"], repo, monkeypatch, capsys)
    assert code == 1 and err.startswith("lkjip new-year:")


def _nodes(node):
    """Schema nodes that can report; `if` conditions and `not` bodies never produce a message of their own."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key not in ("if", "not"):
                yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def test_every_typed_schema_node_has_an_indonesian_error_message():
    """Every node the editor can report a wrong value at (a type or a value list) carries errorMessage, so that
    yaml-language-server never falls back to 'Incorrect type. Expected "object"'."""
    files = sorted((ROOT / "schema" / "json").glob("*.schema.json"))
    assert files
    kinds = set()
    for path in files:
        for node in _nodes(json.loads(path.read_text(encoding="utf-8"))):
            if "type" in node or "enum" in node:
                kinds |= set(node["type"] if isinstance(node.get("type"), list) else [node.get("type", "enum")])
                assert node.get("errorMessage"), (path.name, {k: v for k, v in node.items() if k != "properties"})
                assert "Expected" not in node["errorMessage"] and "Incorrect" not in node["errorMessage"]
    assert {"object", "array", "string", "enum"} <= kinds


def test_generated_workflow_matches_the_public_schema(tmp_path, monkeypatch, capsys):
    pytest.importorskip("check_jsonschema")
    repo = make(tmp_path, monkeypatch, capsys)
    workflow = repo / ".github" / "workflows" / "lkjip.yml"
    offline = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(workflow)],
                              capture_output=True, text=True, env=offline, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    text = workflow.read_text(encoding="utf-8")
    assert "requirements-lkjip.txt" in text and "requirements.txt" not in text.replace("requirements-lkjip.txt", "")
    pins = (repo / "requirements-lkjip.txt").read_text(encoding="utf-8").splitlines()
    from lkjip import __version__
    assert f"lkjip=={__version__}" in pins
