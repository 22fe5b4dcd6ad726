"""Issue 25 items 2-3: the Rencana Aksi (quarterly targets per PK indicator, with how the quarters make the year)
and the quarterly monitoring report (build.py triwulan N). Every figure computed once (compute/quarters.py)."""
from __future__ import annotations

import datetime
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from lkjip import cli, pipeline
from lkjip.compute.quarters import ActionPlan, quarter_row, to_date
from lkjip.validate.indicators import check_action_plan

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_any_agency import FILES, write_agency  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
PLAN = """\
rencana_aksi:
  - indikator: cakupan
    cara: kumulatif
    target: {I: 20, II: 40, III: 60, IV: 80}
    realisasi: {I: 25, II: 38}
  - indikator: akb
    cara: nilai_terakhir
    target: {I: 140, II: 135, III: 130, IV: 125}
    realisasi: {I: 150, II: 131}
"""


def test_quarters_make_the_year_by_rule():
    values = (D(10), D(20), None, None)
    assert to_date("kumulatif", values, 2) == D(20) and to_date("nilai_terakhir", values, 2) == D(20)
    assert to_date("per_periode", values, 2) == D(30) and to_date("per_periode", values, 3) is None


class _Ind:
    label, polaritas, satuan, desimal = "Jumlah layanan", "positif", "layanan", None

    def __init__(self, target):
        self.target = target


def test_per_period_row_gap_and_pace():
    plan = ActionPlan(_Ind(D(100)), "per_periode", (D(25), D(25), D(25), D(25)), (D(20), D(15), None, None), ())
    row = quarter_row(plan, 2, {"rumus_negatif": "selisih"}, [{"batas_bawah": 0, "predikat": "x"}], None)
    assert (row.target_sd, row.realisasi_sd, row.capaian.nilai) == (D(50), D(35), D(70))
    assert (row.kekurangan, row.per_triwulan, row.status) == (D(65), D("32.5"), "tertinggal")
    at_risk = quarter_row(plan, 2, {"rumus_negatif": "selisih"}, [{"batas_bawah": 0, "predikat": "x"}],
                          {"ambang_sesuai": 90, "ambang_waspada": 60})
    assert at_risk.status == "perlu perhatian"


def test_monitoring_report_of_two_rules(tmp_path):
    files = {**FILES, "2024/kinerja.yaml": FILES["2024/kinerja.yaml"] + PLAN}
    root = write_agency(tmp_path / "content", files)
    out = tmp_path / "out"
    assert cli.main(["triwulan", "2", "--content", str(root), "--output", str(out)]) == 0
    md = (out / "triwulan-2-2024.md").read_text(encoding="utf-8")
    assert "| 1 | Cakupan Layanan Contoh | 40% | 38% | 40% | 38% | 95,00% | 80% | 42% | perlu perhatian |" in md
    assert ("| 2 | Angka Kematian Contoh | 135 per 100.000 KH | 131 per 100.000 KH | 135 per 100.000 KH | "
            "131 per 100.000 KH | 102,96% | 125 per 100.000 KH | 6 per 100.000 KH | sesuai rencana |") in md
    assert "1 (satu) sesuai rencana, 1 (satu) perlu perhatian, 0 (nol) tertinggal" in md
    # issue 25 item 5: what moved since the previous quarter
    changes = md.split("## Perubahan dari Triwulan I", 1)[1].split("\n## ", 1)[0]
    assert ("- **Cakupan Layanan Contoh**: sesuai rencana → perlu perhatian (capaian sampai dengan triwulan 125,00% → "
            "95,00%)") in changes
    assert ("- **Angka Kematian Contoh**: perlu perhatian → sesuai rencana (capaian sampai dengan triwulan 92,86% → "
            "102,96%)") in changes
    first = (out / "triwulan-2-2024.docx").read_bytes()
    assert cli.main(["triwulan", "II", "--content", str(root), "--output", str(out)]) == 0
    assert (out / "triwulan-2-2024.docx").read_bytes() == first
    audit = pytest.importorskip("openxml_audit")
    result = audit.OpenXmlValidator().validate(out / "triwulan-2-2024.docx")
    assert [str(e) for e in result.errors if e.severity == audit.ValidationSeverity.ERROR] == []


def test_readme_example_builds_on_the_example(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(rencana_aksi:\n.*?)```", readme, re.DOTALL).group(1)
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    kinerja = root / "2022" / "kinerja.yaml"
    kinerja.write_text(kinerja.read_text(encoding="utf-8") + block, encoding="utf-8")
    result = pipeline.quarterly(root, 2022, 2, tmp_path / "out")
    assert result.output is not None and not [p for p in result.problems if p.severity == "error"]
    assert not [p for p in result.problems if p.code.startswith(("rencana-aksi", "triwulan"))]


@pytest.mark.parametrize(("plan", "code", "path"), [
    ("  - {indikator: tidak-ada, cara: kumulatif, target: {IV: 1}}\n", "indikator-tidak-dikenal",
     "rencana_aksi[0].indikator"),
    ("  - {indikator: cakupan, cara: kumulatif, target: {IV: 80}}\n"
     "  - {indikator: cakupan, cara: kumulatif, target: {IV: 80}}\n", "id-ganda", "rencana_aksi[1].indikator"),
    ("  - {indikator: cakupan, cara: kumulatif, target: {V: 80}}\n", "nilai-tidak-diizinkan", "rencana_aksi[0].target"),
    ("  - {indikator: cakupan, cara: rata-rata, target: {IV: 80}}\n", "nilai-tidak-diizinkan", "rencana_aksi[0].cara"),
    ("  - {indikator: cakupan, cara: kumulatif, target: {IV: 70}}\n", "rencana-aksi-tidak-sampai",
     "rencana_aksi[0].target"),
    ("  - {indikator: cakupan, cara: per_periode, target: {I: 20, II: 20, III: 20, IV: 20}, "
     "realisasi: {I: 20, II: 20, III: 20, IV: 20}}\n", "realisasi-triwulan-berbeda", "rencana_aksi[0].realisasi"),
])
def test_plan_problems(tmp_path, plan, code, path):
    files = {**FILES, "2024/kinerja.yaml": FILES["2024/kinerja.yaml"] + "rencana_aksi:\n" + plan}
    root = write_agency(tmp_path / "content", files)
    found = [(p.code, p.path) for p in pipeline.check(root, 2024, with_prose=False).problems]
    assert any(c == code and p.startswith(path) for c, p in found), found


def test_realisation_of_a_quarter_not_ended():
    data = {"laporan": {"tahun": 2024}, "renstra": {"tujuan": [{"id": "T", "uraian": "t", "sasaran": [
        {"id": "S", "uraian": "s", "indikator": [{"id": "x", "uraian": "x", "satuan": "%"}]}]}]},
        "kinerja": {"rencana_aksi": [{"indikator": "x", "cara": "kumulatif", "target": {"IV": 1},
                                      "realisasi": {"I": 1, "II": 2}}]}}

    class Loc:
        def problem(self, name, path, code, severity, message):
            return code, path
    assert check_action_plan(data, Loc(), today=datetime.date(2024, 5, 2)) == \
        [("triwulan-belum-berakhir", ("rencana_aksi", 0, "realisasi", "II"))]
    assert check_action_plan(data, Loc(), today=datetime.date(2024, 7, 1)) == []


def test_cli_refuses_a_fifth_quarter_and_content_without_a_plan(tmp_path, capsys):
    root = write_agency(tmp_path / "content", FILES)
    with pytest.raises(SystemExit) as stop:
        cli.main(["triwulan", "5", "--content", str(root)])
    assert stop.value.code == cli.EXIT_USAGE
    assert cli.main(["triwulan", "1", "--content", str(root), "--output", str(tmp_path / "o")]) == 1
    assert "[rencana-aksi-tidak-ada]" in capsys.readouterr().out


@pytest.mark.parametrize(("plan", "code"), [
    ("  - {indikator: cakupan, cara: kumulatif, target: {IV: delapan puluh}}\n", "tipe-salah"),     # malformed
    ("  - {indikator: cakupan, cara: kumulatif, target: 80}\n", "tipe-salah"),                    # not a mapping
    ("  - {indikator: cakupan, cara: kumulatif, target: {IV: 1e400}}\n", None),                  # huge: no crash
    ("  - {indikator: cakupan, cara: kumulatif, target: {IV: 80}, realisasi: {I: null, II: 30}}\n", None),
    ("  - indikator: cakupan\n", "kunci-wajib"),
])
def test_careless_plans_never_crash(tmp_path, plan, code):
    files = {**FILES, "2024/kinerja.yaml": FILES["2024/kinerja.yaml"] + "rencana_aksi:\n" + plan}
    root = write_agency(tmp_path / "content", files)
    result = pipeline.check(root, 2024, with_prose=False)
    errors = {p.code for p in result.problems if p.severity == "error"}
    assert (code in errors) if code else True
    if not errors:                                              # what passes check also builds the monitoring report
        assert pipeline.quarterly(root, 2024, 2, tmp_path / "out").output is not None
