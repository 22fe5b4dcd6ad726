"""Issue 21 items 9 and 10: the names prose may use are a documented surface; an unknown name is answered in the
editor's words with the nearest name, never with a Python type or module name; ya/tidak are booleans."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.compute import model
from lkjip.render import prose

ROOT = Path(__file__).resolve().parent.parent
PYTHON_WORDS = re.compile(r"lkjip\.|object\b|Error\b|Undefined|NoneType|'None'|Decimal|\bdict\b|\bstr\b|__")
DOCUMENTED = ("Report", "Indicator", "Achievement", "Comparison", "Budget", "Program", "Kegiatan", "SubKegiatan",
              "Sasaran", "Tujuan", "PerformanceAgreement", "YearValue")


@pytest.fixture(scope="module")
def ctx():
    result = pipeline.check(ROOT / "content", 2022)
    return prose.environment(), prose.context(result.report)


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("### Nama dalam prosa", 1)[1].split("\n## ", 1)[0]


def test_every_prose_name_is_documented(ctx):
    section = _section()
    documented = set(re.findall(r"`([a-z_]+)`", section))
    for cls in DOCUMENTED:
        fields = {f.name for f in dataclasses.fields(getattr(model, cls))} - {"path"}
        assert fields <= documented, (cls, fields - documented)
    assert set(ctx[1]) <= documented, set(ctx[1]) - documented


@pytest.mark.parametrize(("expr", "code", "suggestion"), [
    ("{{ r.indikatr }}", "nama-tidak-dikenal", "indicators"),
    ("{{ iku.capain.nilai }}", "nama-tidak-dikenal", "capaian"),
    ("{{ tahn }}", "nama-tidak-dikenal", "tahun"),
    ("{{ iku.capaian.shown }}", "nama-tidak-dikenal", None),
    ("{{ instansi.namaa }}", "nama-tidak-dikenal", "nama"),
    ("{{ iku.realisasi | float + iku.xx }}", "nama-tidak-dikenal", None),
    ("{{ (iku.xx | float) * 2 }}", None, None),
    ("{{ total.pagu + 'x' }}", "templat-gagal", None),
    ("{{ total.pagu / 0 }}", "templat-gagal", None),
    ("{{ r.programs[99] }}", None, None),
    ("{{ ''.__class__ }}", None, None),
])
def test_unknown_names_in_the_editors_words(ctx, expr, code, suggestion):
    env, names = ctx
    _out, problems = prose.render_one(env, "f.md", expr, names)
    assert len(problems) == 1
    problem = problems[0]
    assert problem.severity == "error" and (code is None or problem.code == code), problem
    assert not PYTHON_WORDS.search(problem.message), problem.message
    if suggestion:
        assert f"maksudnya '{suggestion}'?" in problem.message


def test_an_empty_value_is_named_as_empty(ctx):
    env, names = ctx
    _out, problems = prose.render_one(env, "f.md", "{{ iku.uraian }}", {**names, "iku": None})
    assert [p.code for p in problems] == ["nama-tidak-dikenal"]
    assert "kosong" in problems[0].message and not PYTHON_WORDS.search(problems[0].message)


@pytest.mark.parametrize(("written", "value"), [("ya", True), ("Tidak", False), ("true", True), (" YA ", True)])
def test_ya_and_tidak_are_booleans(content, written, value):
    root = content
    path = root / "2022" / "laporan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("draf: false", f"draf: '{written}'"), encoding="utf-8")
    result = pipeline.check(root, 2022, with_prose=False)
    assert not [p for p in result.problems if p.severity == "error"]
    assert result.report.draf is value


def test_a_wrong_boolean_is_one_message(content):
    root = content
    path = root / "2022" / "laporan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("draf: false", "draf: mungkin"), encoding="utf-8")
    errors = [p for p in pipeline.check(root, 2022).problems if p.severity == "error"]
    assert [(p.code, p.path, p.line) for p in errors] == [("tipe-salah", "draf", 10)]
    assert "ya atau tidak" in errors[0].message
