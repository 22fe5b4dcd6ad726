"""Issue 21, indicator kinds: a fictional Inspektorat (tests/contoh/inspektorat-fiktif) with every kind of
indicator (number, percent, rate, index, qualitative ordinal WTP / BB / Level 3, a count without polarity), tujuan
and sasaran indicators and a replaced indicator, built through the CLI; figures read back from the DOCX text."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from lkjip import pipeline

ROOT = Path(__file__).resolve().parent.parent
AGENCY = ROOT / "tests" / "contoh" / "inspektorat-fiktif"


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("fiktif")
    content = out / "content"
    shutil.copytree(AGENCY, content)
    checked = cli("check", "--content", content, "--year", "2022")
    report = cli("report", "--content", content, "--output", out / "output", "--year", "2022")
    docx = out / "output" / "lkjip-2022.docx"
    text = cli("docx-text", docx)
    return {"check": checked, "report": report, "docx": docx, "text": text.stdout, "content": content}


@pytest.fixture(scope="module")
def model():
    result = pipeline.check(AGENCY, 2022)
    assert result.report is not None, [p.format() for p in result.problems]
    return result


def _ind(result, ind_id):
    return next(i for i in result.report.indicators if i.id == ind_id)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


# --- the built report -------------------------------------------------------------------------------------

def test_agency_checks_and_builds(built):
    assert built["check"].returncode == 0, built["check"].stdout + built["check"].stderr
    assert built["report"].returncode == 0, built["report"].stdout + built["report"].stderr
    # the one warning: the count has no target this year (it is reported without one, as its source does)
    warnings = [line for line in built["check"].stdout.splitlines() if " warning " in line]
    assert len(warnings) == 1 and "[target-kosong]" in warnings[0] and "pengaduan" in warnings[0]


def test_achievement_table_rows_every_kind(built):
    lines = _lines(built["text"])
    expected = [
        # qualitative, judged by rank only: tercapai, no percentage, no predikat
        "1 | Tujuan A: Meningkatnya akuntabilitas keuangan Pemerintah Kabupaten Fiktif | A.1 Opini BPK atas LKPD "
        "Kabupaten Fiktif | opini | WTP | WTP | Tercapai | -",
        # qualitative with the agency's mapping of rank difference to percent: BB target, B realised = -1 -> 80
        "2 | Meningkatnya kualitas akuntabilitas kinerja (fiktif) | B.1.1 Nilai SAKIP Kabupaten Fiktif | predikat | BB "
        "| B | 80,00% | Baik",
        "3 | Meningkatnya kualitas akuntabilitas kinerja (fiktif) | B.1.2 Tingkat maturitas SPIP | level | Level 3 | "
        "Level 3 | Tercapai | -",
        # percent: 85,5 / 80 x 100
        "4 | Meningkatnya kualitas akuntabilitas kinerja (fiktif) | B.1.3 Persentase rekomendasi hasil pengawasan yang "
        "ditindaklanjuti | % | 80 | 85,5 | 106,88% | Sangat Baik",
        # count without polarity: no capaian, no predikat
        "5 | Meningkatnya kapabilitas pengawasan (fiktif) | B.2.1 Jumlah pengaduan masyarakat yang diterima | kasus | - "
        "| 52 | - | -",
        # rate, lower is better: 45 / 15 = 3 against 4 -> (2x4 - 3) / 4 x 100
        "6 | Meningkatnya kapabilitas pengawasan (fiktif) | B.2.2 Rasio temuan berulang per auditor | temuan per "
        "auditor | 4 | 3 | 125,00% | Sangat Baik",
        # index with 2 decimals: 3,4 / 3,5 x 100
        "7 | Meningkatnya kapabilitas pengawasan (fiktif) | B.2.3 Indeks kepuasan auditi | indeks | 3,50 | 3,40 | "
        "97,14% | Sangat Baik",
        # the replacing indicator is scored; the replaced one is not
        "8 | Meningkatnya kapabilitas pengawasan (fiktif) | B.2.4 Persentase laporan hasil pengawasan yang diterbitkan "
        "tepat waktu | % | 90 | 92 | 102,22% | Sangat Baik",
    ]
    for row in expected:
        assert row in lines, row


def test_comparisons_with_last_year(built):
    text = built["text"]
    assert "Tahun 2022 naik dari WDP menjadi WTP, yang berarti kinerja membaik." in text
    assert "Tahun 2022 naik dari CC menjadi B, yang berarti kinerja membaik." in text
    sentence = next(line for line in text.splitlines() if line.startswith("Dibandingkan tahun sebelumnya. Realisasi "
                                                                          "Tahun 2021 adalah Level 3"))
    assert sentence.endswith("Tahun 2022 tetap.")
    count = next(line for line in text.splitlines() if "40 kasus" in line and "Dibandingkan" in line)
    assert count.endswith("Tahun 2022 naik 12 kasus dari 40 kasus menjadi 52 kasus.")
    assert "membaik" not in count and "menurun" not in count
    assert "naik 7,5 poin persen, yang berarti kinerja membaik" in text


def test_renstra_end_target_by_rank(built):
    text = built["text"]
    assert "Target Tahun 2026 adalah WTP; realisasi Tahun 2022 (WTP) telah mencapai target akhir periode." in text
    assert "Target Tahun 2026 adalah Level 4; realisasi Tahun 2022 (Level 3) belum mencapai target tersebut." in text
    # the mapping applies to the end target too: A target, B realised = -2 -> 60
    assert "Target Tahun 2026 adalah A; realisasi Tahun 2022 setara capaian 60,00% terhadap target tersebut." in text


def test_tujuan_indicators_counted_titled_and_covered(built):
    text = built["text"]
    assert "menetapkan 1 (satu) indikator kinerja tujuan dan 7 (tujuh) indikator kinerja sasaran" in text
    assert "Indikator Tujuan A: Meningkatnya akuntabilitas keuangan Pemerintah Kabupaten Fiktif" in text
    lines = _lines(text)
    tujuan = lines.index("Indikator Tujuan A: Meningkatnya akuntabilitas keuangan Pemerintah Kabupaten Fiktif")
    first_sasaran = lines.index("Sasaran B.1: Meningkatnya kualitas akuntabilitas kinerja (fiktif)")
    assert tujuan < first_sasaran
    assert lines[tujuan + 1].startswith("A.1 Opini BPK atas LKPD Kabupaten Fiktif. Realisasi Tahun 2022 adalah WTP")


def test_replacement_stated_once_and_not_scored(built):
    text = built["text"]
    assert text.count("diganti dengan indikator") == 1
    assert ("Sejak Tahun 2022, indikator B.2.4 Jumlah laporan hasil pengawasan yang diterbitkan (target Tahun 2022: "
            "45 laporan) diganti dengan indikator B.2.4 Persentase laporan hasil pengawasan yang diterbitkan tepat "
            "waktu (target Tahun 2022: 90%) berdasarkan Reviu Renstra Inspektorat Fiktif") in text
    table_rows = [line for line in text.splitlines() if " | " in line]
    assert not [row for row in table_rows if "Jumlah laporan hasil pengawasan yang diterbitkan |" in row]


def test_pk_and_iku_tables_print_values_as_written(built):
    lines = _lines(built["text"])
    assert "1 | Tujuan A: Meningkatnya akuntabilitas keuangan Pemerintah Kabupaten Fiktif | A.1 Opini BPK atas LKPD " \
           "Kabupaten Fiktif | WTP" in lines
    assert "3 | Meningkatnya kualitas akuntabilitas kinerja (fiktif) | B.1.2 Tingkat maturitas SPIP | Level 3" in lines
    assert any(line.startswith("Tujuan A: Meningkatnya akuntabilitas keuangan Pemerintah Kabupaten Fiktif | A.1 Opini "
                               "BPK atas LKPD Kabupaten Fiktif (IKU) | opini | WDP | WDP | WTP | WTP") for line in lines)


def test_word_opens_it_cleanly(built):
    audit = pytest.importorskip("openxml_audit")
    result = audit.OpenXmlValidator().validate(built["docx"])
    assert [str(e) for e in result.errors if e.severity == audit.ValidationSeverity.ERROR] == []


def test_same_content_same_bytes(built, tmp_path):
    again = cli("report", "--content", built["content"], "--output", tmp_path, "--year", "2022")
    assert again.returncode == 0
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (built["docx"], tmp_path / "lkjip-2022.docx")]
    assert digest[0] == digest[1]


# --- the computed model -----------------------------------------------------------------------------------

def test_computed_values(model):
    opini, sakip, spip = _ind(model, "opini-bpk"), _ind(model, "nilai-sakip"), _ind(model, "maturitas-spip")
    assert (opini.capaian.status, opini.capaian.nilai, opini.capaian.predikat) == ("tercapai", None, None)
    assert (sakip.capaian.status, sakip.capaian.nilai, sakip.capaian.predikat) == ("tidak tercapai", Decimal(80), "Baik")
    assert sakip.capaian_akhir.nilai == Decimal(60)
    assert spip.banding_lalu.sama and spip.target == "Level 3"
    assert opini.tingkat == "tujuan" and opini.banding_lalu.naik and opini.banding_lalu.membaik
    count = _ind(model, "pengaduan")
    assert count.capaian.nilai is None and count.banding_lalu.naik is True and count.banding_lalu.membaik is None
    assert _ind(model, "temuan-per-auditor").capaian.nilai == Decimal(125)
    assert "jumlah-lhp" not in {i.id for i in model.report.indicators}
    assert [g.lama_id for g in model.report.penggantian] == ["jumlah-lhp"]
    assert model.report.counts.indikator_tujuan == 1 and model.report.counts.indikator == 7


# --- hostile content: one coded problem per bad value, at its line ------------------------------------------

def _variant(tmp_path, edits: dict) -> Path:
    root = tmp_path / "content"
    shutil.copytree(AGENCY, root)
    for rel, pairs in edits.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return root


def _problems(root, severity=None):
    result = pipeline.check(root, 2022)
    return result, [p for p in result.problems if severity is None or p.severity == severity]


def _line_of(root, rel: str, needle: str) -> int:
    return next(n for n, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


RENSTRA, KINERJA = "renstra/renstra.yaml", "2022/kinerja.yaml"


def test_text_value_on_numeric_indicator_is_one_error(tmp_path):
    root = _variant(tmp_path, {KINERJA: [("realisasi: 85.5", "realisasi: Tinggi")]})
    _result, errors = _problems(root, "error")
    assert [(p.code, p.line) for p in errors] == [("bukan-angka", _line_of(root, KINERJA, "realisasi: Tinggi"))]


def test_value_outside_the_scale_is_one_error_naming_the_scale(tmp_path):
    root = _variant(tmp_path, {KINERJA: [("realisasi: WTP", "realisasi: WTPP")],
                               RENSTRA: [('target: {"2022": BB, "2026": A}', 'target: {"2022": BB+, "2026": A}')]})
    _result, errors = _problems(root, "error")
    assert sorted((p.code, p.line) for p in errors) == sorted([
        ("nilai-di-luar-skala", _line_of(root, KINERJA, "realisasi: WTPP")),
        ("nilai-di-luar-skala", _line_of(root, RENSTRA, "BB+"))])
    assert all("TMP, TW, WDP, WTP" in p.message or "D, C, CC, B, BB, A, AA" in p.message for p in errors)


def test_grouped_number_still_one_error(tmp_path):
    root = _variant(tmp_path, {KINERJA: [("realisasi: 52", "realisasi: 1.485.000")]})
    _result, errors = _problems(root, "error")
    assert [p.code for p in errors] == ["angka-berformat"]


def test_id_with_dots_explained_in_words(tmp_path):
    root = _variant(tmp_path, {RENSTRA: [("- id: tindak-lanjut", "- id: B.1.3")],
                               KINERJA: [("indikator: tindak-lanjut", "indikator: B.1.3")]})
    _result, errors = _problems(root, "error")
    assert [p.code for p in errors] == ["id-tidak-valid"]
    assert "^[" not in errors[0].message and "b-1-3" in errors[0].message and "nomor" in errors[0].message


def test_target_without_polarity_warns_and_stays_unjudged(tmp_path):
    root = _variant(tmp_path, {RENSTRA: [("            target: {}\n", '            target: {"2022": 45}\n')]})
    result, warnings = _problems(root, "warning")
    assert "polaritas-kosong" in [p.code for p in warnings]
    count = _ind(result, "pengaduan")
    assert count.target == Decimal(45) and count.capaian.nilai is None and count.capaian.predikat is None


def test_realisation_of_an_ended_indicator_is_warned_not_scored(tmp_path):
    root = _variant(tmp_path, {KINERJA: [("  - indikator: lhp-tepat-waktu\n", "  - indikator: jumlah-lhp\n    realisasi: 47\n"
                                                                         "  - indikator: lhp-tepat-waktu\n")]})
    result, warnings = _problems(root, "warning")
    assert ("indikator-tidak-berlaku", _line_of(root, KINERJA, "indikator: jumlah-lhp")) in [(p.code, p.line) for p in warnings]
    assert "jumlah-lhp" not in {i.id for i in result.report.indicators}


def test_indicator_dropped_by_pk_perubahan_is_warned(tmp_path):
    revised = ("perjanjian_kinerja_perubahan:\n  tempat: Kota Fiktif\n  tanggal: 2022-09\n  target:\n"
               "    - {indikator: opini-bpk, target: WTP}\n")
    root = _variant(tmp_path, {KINERJA: [("realisasi_indikator:\n", revised + "realisasi_indikator:\n")]})
    _result, warnings = _problems(root, "warning")
    dropped = [p for p in warnings if p.code == "indikator-lepas-pk"]
    assert len(dropped) == 4          # nilai-sakip, maturitas-spip, tindak-lanjut, lhp-tepat-waktu: all realised
    assert dropped[0].line == _line_of(root, KINERJA, "indikator: nilai-sakip")


@pytest.mark.parametrize("edits, code", [
    ({RENSTRA: [("diganti_oleh: lhp-tepat-waktu", "diganti_oleh: tidak-ada")]}, "indikator-tidak-dikenal"),
    ({RENSTRA: [("            berakhir: 2021\n", ""), ("            berlaku_mulai: 2022\n", "")]},
     "tahun-penggantian-kosong"),
    ({RENSTRA: [("        skala: [TMP, TW, WDP, WTP]\n", "        skala: [TMP, TW, WDP, WTP]\n"
                                                          "        polaritas: negatif\n")]}, "polaritas-skala"),
    ({RENSTRA: [("skala: [TMP, TW, WDP, WTP]", "skala: [TMP, TW, WTP, WTP]")]}, "skala-ganda"),
    ({RENSTRA: [("            polaritas: negatif\n            rumus:", "            polaritas: negatif\n"
                 '            capaian_peringkat: {"0": 100}\n            rumus:')]}, "peringkat-tanpa-skala"),
    ({RENSTRA: [("berlaku_mulai: 2022", "berlaku_mulai: 2022\n            berakhir: 2021")]}, "periode-terbalik"),
    ({KINERJA: [("    realisasi: B\n", "    pembilang: 3\n    penyebut: 4\n")]}, "rumus-pada-skala"),
])
def test_hostile_indicator_content(tmp_path, edits, code):
    root = _variant(tmp_path, edits)
    _result, errors = _problems(root, "error")
    assert code in [p.code for p in errors], [p.format() for p in errors]
    assert all(p.line > 0 for p in errors if p.code == code)


def test_numeric_looking_scale_values_match_as_written(tmp_path):
    root = _variant(tmp_path, {RENSTRA: [("skala: [Level 1, Level 2, Level 3, Level 4, Level 5]", "skala: [1, 2, 3, 4, 5]"),
                                         ('target: {"2022": Level 3, "2026": Level 4}', 'target: {"2022": 3, "2026": 4}')],
                               KINERJA: [("target: Level 3}", "target: 3}"), ("realisasi: Level 3\n    riwayat: {\"2021\": Level 3}",
                                                                             "realisasi: 4\n    riwayat: {\"2021\": 3}")]})
    result, errors = _problems(root, "error")
    assert errors == []
    spip = _ind(result, "maturitas-spip")
    assert (spip.target, spip.realisasi, spip.capaian.status, spip.banding_lalu.naik) == ("3", "4", "tercapai", True)


def test_reviu_worksheet_reads_kinds(tmp_path):
    """The reviewer's worksheet counts tujuan indicators as IKU, compares qualitative targets as written and leaves
    out the indicator that is no longer in force."""
    done = cli("reviu", "--content", AGENCY, "--output", tmp_path, "--year", "2022")
    assert done.returncode == 0, done.stdout + done.stderr
    sheet = (tmp_path / "reviu-2022.md").read_text(encoding="utf-8")
    assert "| 1 | IKU dalam laporan sama dengan IKU Renstra dan Perjanjian Kinerja | ok |" in sheet
    assert "nilai-sakip: target PK BB sama dengan target dalam laporan" in sheet
    assert "opini-bpk: realisasi WTP (nilai skala) sama dengan laporan; target tercapai" in sheet
    assert "jumlah-lhp" not in sheet
