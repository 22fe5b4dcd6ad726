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
from lkjip import cli
from lkjip.base import resources

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCES = ("pyproject.toml", "MANIFEST.in", "README.md", "CHANGELOG.md", "requirements.txt", "requirements-dev.txt",
           "LICENSE", "NOTICE", "build.py", "lkjip", "schema", "templates", "ci-templates")


def test_version_flag_prints_the_package_version():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert out.getvalue().strip() == f"lkjip {lkjip.__version__}"


def test_version_is_read_from_the_package():
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    tool = PYPROJECT["tool"]["setuptools"]
    assert tool["dynamic"] == {"version": {"attr": "lkjip.__version__"}}
    assert PYPROJECT["project"]["scripts"] == {"lkjip": "lkjip.cli:console"}


def test_metadata_is_complete():
    project = PYPROJECT["project"]
    assert project["license"] == "Apache-2.0"
    assert all((ROOT / name).is_file() for name in project["license-files"])
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")[:200]
    assert project["authors"] and project["description"] and project["readme"] == "README.md"
    classifiers = project["classifiers"]
    assert not [c for c in classifiers if c.startswith("License ::")]      # PEP 639: the expression replaces them
    assert "Programming Language :: Python :: 3.11" in classifiers and "Natural Language :: Indonesian" in classifiers
    build = PYPROJECT["build-system"]
    assert build["build-backend"] == "setuptools.build_meta" and build["requires"] == ["setuptools>=77"]


def test_sdist_ships_no_tests_and_the_data_it_needs():
    """MANIFEST.in: tests need the example content and the repository's editor and CI files, so none are shipped."""
    lines = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").splitlines()
    assert {"prune tests", "prune content", "prune examples"} <= set(lines)
    assert any(l.startswith("include LICENSE NOTICE") for l in lines)
    assert "recursive-include ci-templates *.yml" in lines and "include ci-templates/gitlab/.gitlab-ci.yml" in lines


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
    assert sorted(tool["package-dir"].values()) == ["ci-templates", "schema", "templates"]


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
    where = subprocess.run([str(python), "-c", "import lkjip.base.resources as r; print(r.SCHEMA_DIR, r.TEMPLATES_DIR)"],
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


def _copy_sources(target: Path) -> Path:
    target.mkdir()
    for item in SOURCES:
        if (ROOT / item).is_dir():
            shutil.copytree(ROOT / item, target / item, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(ROOT / item, target / item)
    return target


@pytest.mark.slow
def test_make_dist_builds_wheel_and_sdist_beside_build_py(tmp_path):
    """What `make dist` runs: `python -P -m build` in a folder that holds build.py (plain `-m build` would run it)."""
    pytest.importorskip("build", reason="build tidak terpasang (pip install -r requirements-dev.txt)")
    source = _copy_sources(tmp_path / "source")
    out = tmp_path / "dist"
    done = subprocess.run([sys.executable, "-P", "-m", "build", "--outdir", str(out), "."], cwd=source,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    import tarfile
    import zipfile
    [wheel] = out.glob("lkjip-*.whl")
    [sdist] = out.glob("lkjip-*.tar.gz")
    names = zipfile.ZipFile(wheel).namelist()
    for wanted in ("lkjip/tools/editor/init.py", "lkjip/data/ci/github/lkjip.yml", "lkjip/data/schema/json/laporan.schema.json",
                   "lkjip/data/templates/base.docx"):
        assert wanted in names, wanted
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    metadata = metadata.split("\n\n", 1)[0]                   # the headers, not the README
    assert "License-Expression: Apache-2.0" in metadata
    assert "Requires-Dist: matplotlib<4,>=3.11" in metadata and "num2words" not in metadata
    members = [m.split("/", 1)[1] for m in tarfile.open(sdist).getnames() if "/" in m]
    assert not [m for m in members if m.startswith(("tests/", "content/", "examples/"))]
    assert {"LICENSE", "NOTICE", "ci-templates/gitlab/.gitlab-ci.yml", "schema/laporan.yaml"} <= set(members)
    twine = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)],
                           capture_output=True, text=True)
    if "No module named twine" in twine.stderr:
        return                                   # twine is not part of the lock; `twine check` was run by hand
    assert twine.returncode == 0, twine.stdout + twine.stderr


@pytest.mark.slow
def test_pipx_like_install_then_init_check_report(tmp_path):
    """What a new agency does: install the package into its own venv (dependencies from this environment, no network
    for them), `lkjip init`, `git init`, `lkjip check`, `lkjip report`, far from the checkout."""
    import site
    source = _copy_sources(tmp_path / "source")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # the test environment's packages visible in the new venv (what --system-site-packages gives a plain Python)
    Path(purelib, "lock-environment.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(source)], check=True,
                   timeout=600)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    work = tmp_path / "kantor"
    work.mkdir()

    def run(*argv, cwd=work):
        return subprocess.run([str(bindir / "lkjip"), *argv], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=300)

    made = run("init", "dinas-contoh", "--nama", "Dinas Pendidikan", "--daerah", "Kabupaten Contoh", "--tahun", "2025")
    assert made.returncode == 0, made.stderr
    repo = work / "dinas-contoh"
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    checked = run("check", cwd=repo)
    assert checked.returncode == 0 and "[isian-kosong]" in checked.stdout, checked.stderr
    built = run("report", "--tanpa-tata-letak", cwd=repo)
    assert built.returncode == 0, built.stderr
    assert (repo / "output" / "lkjip-2025.docx").is_file()
    settings = (repo / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert ".lkjip/skema/laporan.schema.json" in settings and "site-packages" not in settings
    assert (repo / ".lkjip" / "skema" / "laporan.schema.json").is_file()
    assert "lkjip check" in (repo / ".github" / "workflows" / "lkjip.yml").read_text(encoding="utf-8")
    # skema-json run by an installed package writes into the working folder, never into the package
    skema = run("skema-json", cwd=repo)
    assert skema.returncode == 0, skema.stderr
    assert ".lkjip/skema" in skema.stderr
