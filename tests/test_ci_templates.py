"""CI templates (ci-templates/): valid against the public workflow schemas, shell steps parse, the diff step works."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "ci-templates" / "github" / "lkjip.yml"
GITLAB = ROOT / "ci-templates" / "gitlab" / ".gitlab-ci.yml"
# check-jsonschema's vendored schemas only: any download attempt would hit this dead proxy and fail the test.
OFFLINE = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def _validate(path: Path, *args: str) -> subprocess.CompletedProcess:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema (requirements-dev.txt) is not installed")
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *args, str(path)], capture_output=True, text=True,
                          env=OFFLINE, timeout=120)


@pytest.mark.parametrize("path,args", [
    (GITHUB, ("--builtin-schema", "vendor.github-workflows")),
    (GITHUB, ("--builtin-schema", "custom.github-workflows-require-timeout")),
    (GITLAB, ("--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci")),
], ids=["github", "github-timeouts", "gitlab"])
def test_template_matches_public_schema(path, args):
    result = _validate(path, *args)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validator_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(GITHUB.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", 1),
                      encoding="utf-8")
    assert _validate(broken, "--builtin-schema", "vendor.github-workflows").returncode == 1


def _github_steps():
    for name, job in yaml.safe_load(GITHUB.read_text(encoding="utf-8"))["jobs"].items():
        for step in job["steps"]:
            if "run" in step:
                yield f"{name}: {step.get('name')}", step["run"]


def _gitlab_scripts():
    data = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    for name, job in data.items():
        if isinstance(job, dict) and "script" in job:
            yield name, "\n".join(data["default"]["before_script"] + job["script"])


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_shell_steps_parse():
    scripts = list(_github_steps()) + list(_gitlab_scripts())
    assert len(scripts) >= 8
    for name, script in scripts:
        result = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
        assert result.returncode == 0, f"{name}: {result.stderr}"


def test_templates_use_the_cli_formats():
    assert "build.py check --format github" in GITHUB.read_text(encoding="utf-8")
    assert "build.py check --format codeclimate > gl-code-quality-report.json" in GITLAB.read_text(encoding="utf-8")
    assert "codequality: gl-code-quality-report.json" in GITLAB.read_text(encoding="utf-8")


def _git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="git and bash are needed")
def test_diff_steps_find_the_changed_year_and_write_the_comment(tmp_path):
    """The pull request adds content/2023 (new-year); both templates' diff scripts compare it with 2022."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for item in ("build.py", "lkjip", "schema", "templates", "content"):
        (shutil.copytree if (ROOT / item).is_dir() else shutil.copy)(ROOT / item, repo / item)
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "base")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "content")
    base = _git(repo, "rev-parse", "HEAD")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "PYTHONUTF8": "1"}
    subprocess.run([sys.executable, "build.py", "new-year", "2023"], cwd=repo, env=env, check=True, capture_output=True)
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "2023")

    step = dict(_github_steps())["diff: Bandingkan tahun yang diubah dengan tahun sebelumnya"]
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    gh_env = {**env, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    subprocess.run(["bash", "-e", "-c", step], cwd=repo, env=gh_env, check=True, capture_output=True, timeout=300)
    assert output.read_text(encoding="utf-8").strip() == "comment=output/pr-comment.md"
    comment = (repo / "output" / "pr-comment.md").read_text(encoding="utf-8")
    assert comment.startswith("<!-- lkjip-diff -->\n### LKjIP: perubahan 2022 ke 2023\n")
    assert (repo / "output" / "diff-2022-2023.md").read_text(encoding="utf-8") in comment

    # a pull request that edits the year and the shared Renstra: the comment also says what it changes
    renstra = repo / "content" / "renstra" / "renstra.yaml"
    renstra.write_text(renstra.read_text(encoding="utf-8").replace("              2023: 91.5\n", "              2023: 89.5\n"),
                       encoding="utf-8")
    _git(repo, "add", "content")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "renstra")
    subprocess.run(["bash", "-e", "-c", step], cwd=repo, env=gh_env, check=True, capture_output=True, timeout=300)
    comment = (repo / "output" / "pr-comment.md").read_text(encoding="utf-8")
    assert "### LKjIP: perubahan 2023 oleh pull request ini" in comment
    assert "Renstra, indikator Persentase PPKS yang tertangani: target 2023 91,5% → **89,5%**" in comment
    _git(repo, "reset", "-q", "--hard", "HEAD^1")

    script = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["diff"]["script"][1]
    (repo / "output" / "diff-2022-2023.md").unlink()
    subprocess.run(["bash", "-e", "-c", script], cwd=repo, env={**env, "CI_MERGE_REQUEST_DIFF_BASE_SHA": base},
                   check=True, capture_output=True, timeout=300)
    assert (repo / "diff.env").read_text(encoding="utf-8").strip() == "LKJIP_DIFF=output/diff-2022-2023.md"
    assert (repo / "output" / "diff-2022-2023.md").is_file()
