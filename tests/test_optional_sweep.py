"""Issue 10, "optional means optional": remove each optional key and each optional file of the examples in turn;
each must give either a `check` error at a file:line or a report that renders. `check` builds the whole plan
(outline, tables, figure data), so a case that passes `check` but would fail `report` shows up here."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.load.content import OPTIONAL_FILES, RENSTRA_FILES, YEAR_FILES
from lkjip.validate.schema import load_schema
from lkjip.tools.yamledit import YamlEditor
from lkjip.load.yamlsafe import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [(ROOT / "content", 2022)] + [(p.parent, int(p.name)) for p in sorted(ROOT.glob("examples/*/[0-9][0-9][0-9][0-9]"))]


def _optional_paths(rules: dict, data, path=()):
    """Key paths present in data whose schema rule is not required (first list item only, to bound the count)."""
    if not isinstance(data, dict):
        return
    for key, rule in rules.items():
        if key not in data:
            continue
        here = path + (key,)
        if not rule.get("required") and len(data) > 1:       # a lone key: removing its parent is its own case
            yield here
        value = data[key]
        if rule.get("type") == "dict" and "schema" in rule:
            yield from _optional_paths(rule["schema"], value, here)
        elif rule.get("type") == "list" and isinstance(rule.get("schema"), dict) and value:
            item = rule["schema"]
            if item.get("type") == "dict" and "schema" in item:
                yield from _optional_paths(item["schema"], value[0], here + (0,))


def _cases():
    cases = []
    for root, year in EXAMPLES:
        laporan, _ = parse_yaml((root / str(year) / "laporan.yaml").read_bytes(), "laporan.yaml")
        renstra_dir = root / (laporan.data.get("renstra") or "renstra")
        for name in YEAR_FILES + RENSTRA_FILES:
            path = (root / str(year) if name in YEAR_FILES else renstra_dir) / f"{name}.yaml"
            if not path.is_file():
                continue
            rel = path.relative_to(root)
            if name in OPTIONAL_FILES:
                cases.append((root, year, rel, None))
            doc, _ = parse_yaml(path.read_bytes(), str(rel))
            cases += [(root, year, rel, p) for p in _optional_paths(load_schema(name), doc.data)]
    return cases


CASES = _cases()


def _id(case) -> str:
    root, _year, rel, path = case
    where = ".".join(str(p) for p in path) if path else "(berkas)"
    return f"{root.parent.name if root.name != 'content' else 'content'}/{rel}:{where}"


def _remove(tmp_path, case) -> tuple[Path, int]:
    root, year, rel, path = case
    copy = tmp_path / "content"
    shutil.copytree(root, copy)
    target = copy / rel
    if path is None:
        target.unlink()
    else:
        editor = YamlEditor(target.read_bytes(), str(rel))
        editor.delete(path)
        target.write_bytes(editor.result())
    return copy, year


def test_the_sweep_covers_the_examples():
    assert len(CASES) >= 60


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_removing_an_optional_part_never_breaks_rendering(tmp_path, case):
    content, year = _remove(tmp_path, case)
    result = pipeline.check(content, year)
    errors = [p for p in result.problems if p.severity == "error"]
    if errors:
        assert all(p.file and p.line > 0 for p in errors), [p.format() for p in errors]
        return
    assert result.plan is not None, [p.format() for p in result.problems]
    built = pipeline.report(content, year, tmp_path / "out")
    assert built.output is not None and built.output.is_file(), [p.format() for p in built.problems]


@pytest.mark.parametrize("case", CASES[::9], ids=[_id(c) for c in CASES[::9]])
def test_removing_an_optional_part_keeps_check_and_plan_whole(tmp_path, case):
    """A fast sample of the sweep: check either reports an error at a file:line or builds the whole plan."""
    content, year = _remove(tmp_path, case)
    result = pipeline.check(content, year)
    errors = [p for p in result.problems if p.severity == "error"]
    assert errors and all(p.file and p.line > 0 for p in errors) or (not errors and result.plan is not None), \
        [p.format() for p in result.problems]
