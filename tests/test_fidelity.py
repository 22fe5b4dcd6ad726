"""Issue 22 item 6: the example says only what its source supports, and every departure is declared. A truncated
source figure is not "the same figure" (88,3261 printed 88,32 is a finding unless koreksi.yaml explains it); the
PK table says where a target the PK does not state comes from; the roster-first rule for names and degrees holds."""
from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lkjip import pipeline
from lkjip.base.fmt import printed_as

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("declared,computed,same", [("88.33", "88.3261", True), ("88.32", "88.3261", False),
                                                    ("91", "91.00", True), ("90", "92.09", False),
                                                    ("88.4", "88.35", True), ("88.3", "88.35", False)])
def test_a_source_figure_matches_only_when_rounded_at_its_precision(declared, computed, same):
    assert printed_as(Decimal(declared), Decimal(computed)) is same


@pytest.fixture(scope="module")
def example():
    return pipeline.check(ROOT / "content", 2022)


def test_truncated_iku_is_a_finding_explained_by_a_correction(example, tmp_path):
    declared = [p for p in example.problems if p.path == "dinyatakan_sumber.iku_realisasi"]
    assert [(p.code, p.severity) for p in declared] == [("koreksi-sumber", "note")]
    # without the correction the same figure is a warning at its line
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    koreksi = root / "2022" / "koreksi.yaml"
    data = yaml.safe_load(koreksi.read_text(encoding="utf-8"))
    data["koreksi"] = [k for k in data["koreksi"] if k.get("jalur") != "dinyatakan_sumber.iku_realisasi"]
    koreksi.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = [(p.code, Path(p.file).name, p.line) for p in pipeline.check(root, 2022).problems
             if p.path == "dinyatakan_sumber.iku_realisasi"]
    line = next(n for n, text in enumerate((root / "2022" / "laporan.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.strip().startswith("iku_realisasi:"))
    assert found == [("angka-sumber-berbeda", "laporan.yaml", line)]


def test_pk_table_says_its_target_is_the_renstras(example):
    spec = example.plan.specs[("tabel", "pk awal")]
    assert spec.note == ("Target seluruh indikator tahun 2022 diambil dari Renstra; Perjanjian Kinerja Tahun 2022 "
                         "dalam konten tidak menyatakan targetnya sendiri.")


def test_a_pk_stating_its_own_target_has_no_such_note(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    kinerja = root / "2022" / "kinerja.yaml"
    kinerja.write_text(kinerja.read_text(encoding="utf-8").replace("    - indikator: iku-ppks\n",
                                                                   "    - indikator: iku-ppks\n      target: 88.4\n", 1),
                       encoding="utf-8")
    result = pipeline.check(root, 2022)
    assert result.plan.specs[("tabel", "pk awal")].note is None


def test_names_and_degrees_follow_the_roster_and_the_chart_is_declared(example):
    text = (ROOT / "content" / "2022" / "pegawai.yaml").read_text(encoding="utf-8")
    degrees = dict(re.findall(r"- id: ([a-z-]+)\n    nama: [^\n]+\n(?:    gelar_depan: [^\n]+\n)?    gelar_belakang: \"([^\"]+)\"",
                              text))
    assert degrees["ahmad-tarmizi"] == "S.Sos." and degrees["ardah"] == "S.E."
    notes = {(p.path, p.code) for p in example.problems if Path(p.file).name == "pegawai.yaml"}
    assert any("gelar_belakang" in path and code == "koreksi-sumber" for path, code in notes)
    corrections = yaml.safe_load((ROOT / "content" / "2022" / "koreksi.yaml").read_text(encoding="utf-8"))["koreksi"]
    chart = {(k.get("id"), k.get("kunci")): k["sumber"] for k in corrections if k.get("kunci") == "gelar_belakang"}
    assert chart == {("ahmad-tarmizi", "gelar_belakang"): "S.Sos., M.M.", ("ardah", "gelar_belakang"): "S.E., MAP."}


def test_no_causal_sentence_the_source_does_not_state():
    prose = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "content" / "2022" / "prosa").rglob("*.md"))
    assert "refocusing" not in prose and "tidak dapat diukur" not in prose
