"""Issue 21 item 8: dates are sanity-checked. A report on year N dated before N ends, or in the future; a PK dated
more than a quarter into its year, long before it, or after it."""
from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.validate import checks

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checked():
    return pipeline.check(ROOT / "content", 2022, with_prose=False)


def _dated(tmp_path, laporan: str | None = None, pk: str | None = None) -> list:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    if laporan:
        path = root / "2022" / "laporan.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("tanggal: 2023-03", f"tanggal: {laporan}"),
                        encoding="utf-8")
    if pk:
        path = root / "2022" / "kinerja.yaml"
        text = path.read_text(encoding="utf-8")
        assert "\nperjanjian_kinerja:\n" in text
        path.write_text(text.replace("\nperjanjian_kinerja:\n", f"\nperjanjian_kinerja:\n  tanggal: {pk}\n", 1),
                        encoding="utf-8")
    problems = pipeline.check(root, 2022, with_prose=False).problems
    return [(p.code, Path(p.file).name, p.path) for p in problems if p.code.startswith("tanggal-")]


def test_the_example_is_dated_sensibly(checked):
    assert not [p for p in checked.problems if p.code.startswith("tanggal-")]


@pytest.mark.parametrize(("month", "expected"), [
    ("2022-02", [("tanggal-sebelum-akhir-tahun", "laporan.yaml", "tanggal")]),
    ("2022-12", [("tanggal-sebelum-akhir-tahun", "laporan.yaml", "tanggal")]),
    ("2023-01", []),
    ("2099-03", [("tanggal-masa-depan", "laporan.yaml", "tanggal")]),
])
def test_report_date(tmp_path, month, expected):
    assert _dated(tmp_path, laporan=month) == expected


@pytest.mark.parametrize(("month", "flagged"), [("2021-12", False), ("2022-03", False), ("2022-04", True),
                                                 ("2021-06", True), ("2023-02", True)])
def test_pk_date(tmp_path, month, flagged):
    found = _dated(tmp_path, pk=month)
    assert found == ([("tanggal-pk-janggal", "kinerja.yaml", "perjanjian_kinerja.tanggal")] if flagged else [])


def test_future_is_measured_from_today(checked):
    data = {"laporan": {"tahun": 2022, "tanggal": "2023-03"}, "kinerja": {}}

    class Loc:
        def problem(self, name, path, code, severity, message):
            return code
    assert checks.check_dates(data, Loc(), today=datetime.date(2023, 2, 28)) == ["tanggal-masa-depan"]
    assert checks.check_dates(data, Loc(), today=datetime.date(2023, 3, 1)) == []


def test_strict_stops_a_future_dated_report(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    path = root / "2022" / "laporan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tanggal: 2023-03", "tanggal: 2099-03"), encoding="utf-8")
    result = pipeline.check(root, 2022, strict=True)
    assert pipeline.blocked(result.problems, strict=True)
