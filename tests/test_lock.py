"""Dependency lock: requirements.txt pins every runtime dependency, direct or indirect, on every platform;
requirements-dev.txt adds the test tools. Read from each pinned package's own metadata (Requires-Dist + markers).
pyproject.toml declares ranges (for installing beside other packages): the direct dependencies, each of which the
lock pins inside its range."""
from __future__ import annotations

import importlib.metadata as md
import itertools
import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DIRECT = {"pyyaml", "cerberus", "jinja2", "python-docx", "babel", "markdown-it-py", "matplotlib", "lxml", "openpyxl"}
RANGES = [Requirement(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
          ["dependencies"]]

# Windows, macOS and Linux, each Python the project supports.
ENVIRONMENTS = [
    {"sys_platform": plat, "platform_system": system, "os_name": os_name, "platform_machine": machine,
     "python_version": py, "python_full_version": f"{py}.0", "implementation_name": "cpython",
     "platform_python_implementation": "CPython", "platform_release": "", "platform_version": "", "extra": ""}
    for (plat, system, os_name, machine), py in itertools.product(
        [("linux", "Linux", "posix", "x86_64"), ("win32", "Windows", "nt", "AMD64"),
         ("darwin", "Darwin", "posix", "arm64")],
        ["3.11", "3.12", "3.13"])
]


def _read(name: str) -> list[str]:
    lines = []
    for raw in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            lines += _read(line[3:].strip())
            continue
        lines.append(line)
    return lines


def _lock(name: str) -> dict[str, Requirement]:
    pins = {}
    for line in _read(name):
        req = Requirement(line)
        assert len(req.specifier) == 1 and next(iter(req.specifier)).operator == "==", f"{name}: not pinned: {line}"
        pins[canonicalize_name(req.name)] = req
    return pins


def _applies(marker: Marker | None, env: dict) -> bool:
    return marker is None or marker.evaluate(env)


def _missing(pins: dict[str, Requirement]) -> list[str]:
    """Requirements of pinned packages (in any environment) that the lock does not pin, or pins at a wrong version."""
    problems = []
    for env in ENVIRONMENTS:
        active = {n: r for n, r in pins.items() if _applies(r.marker, env)}
        for name, pin in active.items():
            try:
                requires = md.distribution(name).requires or []
            except md.PackageNotFoundError:
                # Pinned for another platform only (e.g. colorama on Windows); its own requirements are read where
                # it is installed. Anything pinned for this platform must be installed.
                assert not _applies(pin.marker, _this_env()), f"{name} is pinned but not installed"
                continue
            for text in requires:
                req = Requirement(text)
                if not _applies(req.marker, env):
                    continue
                dep = canonicalize_name(req.name)
                version = next(iter(pins[dep].specifier)).version if dep in active else None
                if version is None or not req.specifier.contains(version, prereleases=True):
                    problems.append(f"{env['sys_platform']} {env['python_version']}: {name} needs {text}")
    return sorted(set(problems))


def _this_env() -> dict:
    from packaging.markers import default_environment
    return {**default_environment(), "extra": ""}


def test_requirements_txt_is_complete_on_every_platform():
    runtime = _lock("requirements.txt")
    assert DIRECT <= set(runtime)
    assert _missing(runtime) == []


def test_requirements_dev_txt_is_complete_on_every_platform():
    assert _missing(_lock("requirements-dev.txt")) == []


def test_dev_lock_pins_test_tools_only_on_top_of_the_runtime_lock():
    runtime, dev = _lock("requirements.txt"), _lock("requirements-dev.txt")
    assert _read("requirements-dev.txt")[:len(runtime)] == _read("requirements.txt")
    assert {"pytest", "jsonschema", "check-jsonschema", "colorama"} <= set(dev) - set(runtime)
    assert not {"pytest", "iniconfig", "pluggy", "pygments"} & set(runtime)
    assert str(dev["colorama"].marker) == 'sys_platform == "win32"'


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_lock_files_are_one_sorted_pin_per_line(name):
    lines = [l for l in (ROOT / name).read_text(encoding="utf-8").splitlines() if l and not l.startswith(("#", "-r "))]
    assert lines == sorted(lines, key=lambda l: canonicalize_name(re.split(r"[=;\s]", l)[0]))
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==[^\s;]+( ; .+)?", l) for l in lines), lines


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_installed_versions_are_the_pinned_ones(name):
    """The test environment is the lock (make test installs requirements-dev.txt)."""
    here = _this_env()
    wrong = []
    for dist, pin in _lock(name).items():
        if _applies(pin.marker, here) and md.version(dist) != next(iter(pin.specifier)).version:
            wrong.append(f"{dist}: installed {md.version(dist)}, pinned {pin}")
    assert wrong == []


def test_pyproject_declares_ranges_for_exactly_the_direct_dependencies():
    assert {canonicalize_name(r.name) for r in RANGES} == DIRECT
    for req in RANGES:
        operators = sorted(s.operator for s in req.specifier)
        assert operators == ["<", ">="], f"{req}: a range with a lower bound and the next major as upper bound"


def test_the_lock_lies_inside_the_pyproject_ranges():
    runtime = _lock("requirements.txt")
    outside = [f"{r} does not admit {runtime[canonicalize_name(r.name)]}" for r in RANGES
               if not r.specifier.contains(next(iter(runtime[canonicalize_name(r.name)].specifier)).version)]
    assert outside == []


def test_direct_dependencies_are_what_the_package_imports():
    """Every third-party module imported by lkjip/ belongs to a declared dependency, and each one is used."""
    import ast
    imported = set()
    for path in (ROOT / "lkjip").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "lkjip"}
    owners = md.packages_distributions()
    distributions = {canonicalize_name(d) for m in third_party for d in owners.get(m, [m])}
    assert distributions == DIRECT, third_party
