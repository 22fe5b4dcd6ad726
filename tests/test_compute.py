"""Compute stage: every figure checked against hand-worked numbers from the 2022 source."""
from __future__ import annotations

from decimal import Decimal

import pytest

from lkjip import pipeline
from lkjip.compute.measure import achievement, capaian_value, predikat
from lkjip.compute.model import Measure
from lkjip.validate.consistency import stale_years
from lkjip.base.fmt import persen, rupiah, terbilang, bulan_tahun, rp

SCALE = [{"batas_bawah": Decimal(e), "predikat": p} for e, p in
         ((91, "Sangat Tinggi"), (76, "Tinggi"), (66, "Sedang"), (51, "Rendah"), (0, "Sangat Rendah"))]
CONFIG = {"batas_atas": None, "rumus_negatif": "selisih"}


def test_iku_from_components(report_2022):
    iku = report_2022.report.iku
    # 30 + 8.109 + 3.875 + 16 + 10 + 14 + 20 + 23 + 2 + 146 + 50; the 5.003 PKH recipients are excluded.
    assert iku.pembilang == 12295
    assert iku.penyebut == 13920
    excluded = [c for c in iku.komponen if not c.counted]
    assert [(c.jumlah, bool(c.reason)) for c in excluded] == [(5003, True)]
    assert persen(iku.realisasi) == "88,33%"          # 12.295 / 13.920 = 88,3261...
    assert iku.target == Decimal("88.4")
    assert persen(iku.capaian.nilai) == "99,92%"      # 88,3261 / 88,4 = 99,9165...
    assert iku.capaian.predikat == "Sangat Tinggi"
    assert iku.target_akhir == Decimal("100")
    assert persen(iku.capaian_akhir.nilai) == "88,33%"
    assert iku.target_sumber.startswith("Perjanjian Kinerja")


@pytest.mark.parametrize("kode, pagu, realisasi, serapan", [
    ("1.06.01", 3203475382, 2949958312, "92,09%"),
    ("1.06.02", 958199300, 924670797, "96,50%"),
    ("1.06.04", 970971150, 892096079, "91,88%"),
    ("1.06.05", 367167550, 299605100, "81,60%"),
    ("1.06.06", 184891900, 103462916, "55,96%"),
    ("1.06.07", 37019500, 36963900, "99,85%"),
])
def test_program_budget_rollup(report_2022, kode, pagu, realisasi, serapan):
    prog = next(p for p in report_2022.report.programs if p.kode == kode)
    assert (prog.budget.pagu, prog.budget.realisasi, persen(prog.budget.serapan)) == (pagu, realisasi, serapan)
    assert prog.budget.sisa == pagu - realisasi


def test_total_budget(report_2022):
    total = report_2022.report.total
    assert (total.pagu, total.realisasi, total.sisa) == (5721724782, 5206757104, 514967678)
    assert persen(total.serapan) == "91,00%"
    assert rp(total.pagu) == "Rp 5.721.724.782"


def test_kegiatan_rollup_uses_leaves(report_2022):
    """Administrasi Keuangan: with Penatausahaan at 54.900.000 (the corroborated figure) its rows add up to the
    printed 2.458.742.427 (93,61%)."""
    keg = next(k for p in report_2022.report.programs for k in p.kegiatan if k.kode == "1.06.01.2.02")
    assert keg.budget.pagu == 2626692227
    assert keg.budget.realisasi == 2458742427
    assert persen(keg.budget.serapan) == "93,61%"
    penatausahaan = next(s for s in keg.sub_kegiatan if s.kode == "1.06.01.2.02.03")
    assert (penatausahaan.budget.realisasi, persen(penatausahaan.budget.serapan)) == (54900000, "93,75%")


def test_counts_in_words(report_2022):
    c = report_2022.report.counts
    assert (c.program, c.kegiatan, c.sub_kegiatan, c.pegawai, c.pns, c.kontrak) == (6, 14, 48, 39, 26, 13)
    # 43 with an indicator (the source's "43 sub kegiatan"), 39 with a budget line, 48 in all
    assert (c.sub_kegiatan_berindikator, c.sub_kegiatan_beranggaran) == (43, 39)
    assert terbilang(c.program) == "6 (enam)"
    assert terbilang(c.kegiatan) == "14 (empat belas)"
    assert terbilang(c.pegawai) == "39 (tiga puluh sembilan)"


def test_staff_tables(report_2022):
    tables = {t.title: t for t in report_2022.report.staff_tables}
    gender = tables["Jumlah Pegawai menurut Unit Kerja dan Jenis Kelamin"]
    assert gender.totals == (21, 18) and gender.grand_total == 39
    assert [row[2] for row in gender.rows] == [1, 14, 11, 13]
    golongan = tables["Jumlah PNS menurut Golongan"]
    assert golongan.columns == ("II", "III", "IV") and golongan.totals == (1, 18, 7)
    education = tables["Jumlah PNS menurut Tingkat Pendidikan"]
    assert education.totals == (2, 1, 2, 11, 10) and education.grand_total == 26
    # Genders read from valid NIPs: 11 men, 13 women among 26 PNS (Yuli Rahmat's and Agus Agusta's are unreadable).
    assert (report_2022.report.counts.laki_laki_pns, report_2022.report.counts.perempuan_pns) == (11, 13)


def test_sub_kegiatan_capaian_and_renstra(report_2022):
    subs = {s.kode: s for p in report_2022.report.programs for k in p.kegiatan for s in k.sub_kegiatan}
    permakanan = subs["1.06.04.2.01.01"]
    assert persen(permakanan.capaian.nilai) == "99,00%"            # 1.485 / 1.500
    assert permakanan.capaian.predikat == "Sangat Tinggi"
    assert permakanan.renstra_tahun_ini.target == Decimal("50")
    assert permakanan.renstra_tahun_ini.pagu == 145918500
    assert persen(permakanan.budget.serapan) == "95,93%"          # 143.122.250 / 149.189.750
    rapat = subs["1.06.01.2.06.09"]
    assert persen(rapat.capaian.nilai) == "41,18%" and rapat.capaian.predikat == "Sangat Rendah"
    assert subs["1.06.02.2.02.01"].capaian.nilai is None          # refocusing
    assert subs["1.06.07.2.01.02"].capaian.alasan == "target atau realisasi berupa teks"


def test_negative_indicator():
    assert capaian_value(Decimal(10), Decimal(8), "negatif", "selisih") == Decimal(120)
    assert capaian_value(Decimal(10), Decimal(8), "negatif", "rasio") == Decimal(125)
    assert capaian_value(Decimal(10), Decimal(12), "negatif", "selisih") == Decimal(80)
    got = achievement(Measure(Decimal(10)), Measure(Decimal(8)), "negatif", CONFIG, SCALE)
    assert (got.nilai, got.predikat) == (Decimal(120), "Sangat Tinggi")


def test_text_and_zero_targets():
    text = achievement(Measure(text="ASN dan THL"), Measure(Decimal(3)), "positif", CONFIG, SCALE)
    zero = achievement(Measure(Decimal(0)), Measure(Decimal(3)), "positif", CONFIG, SCALE)
    assert (text.nilai, text.predikat) == (None, None)
    assert (zero.nilai, zero.alasan) == (None, "target nol")


def test_cap_is_configuration():
    capped = achievement(Measure(Decimal(10)), Measure(Decimal(20)), "positif",
                         {"batas_atas": Decimal(100), "rumus_negatif": "selisih"}, SCALE)
    assert (capped.mentah, capped.nilai, capped.dibatasi) == (Decimal(200), Decimal(100), True)
    assert capped.predikat == "Sangat Tinggi"
    per_indicator = achievement(Measure(Decimal(10)), Measure(Decimal(20)), "positif", CONFIG, SCALE, cap=Decimal(120))
    assert (per_indicator.nilai, per_indicator.mentah) == (Decimal(120), Decimal(200))


@pytest.mark.parametrize("value, expected", [
    ("100", "Sangat Tinggi"), ("91", "Sangat Tinggi"), ("90.99", "Tinggi"), ("90.5", "Tinggi"),
    ("76", "Tinggi"), ("75.999", "Sedang"), ("75.5", "Sedang"), ("66", "Sedang"), ("65.99", "Rendah"),
    ("51", "Rendah"), ("50.99", "Sangat Rendah"), ("0", "Sangat Rendah"),
])
def test_predikat_edges_have_no_gaps(value, expected):
    assert predikat(Decimal(value), SCALE) == expected


@pytest.mark.parametrize("value, expected", [
    ("88.325", "88,33%"), ("88.335", "88,34%"), ("99.995", "100,00%"), ("0.005", "0,01%"), ("12.5", "12,50%"),
])
def test_rounding_is_half_up_once(value, expected):
    assert persen(Decimal(value)) == expected


def test_indonesian_formats():
    assert rupiah(5721724782) == "5.721.724.782"
    assert bulan_tahun("2023-03") == "Maret 2023"


def test_stale_years():
    text = "Laporan Tahun 2021 ini.\nSesuai Peraturan Presiden Nomor 29 Tahun 2014.\nTahun {{ tahun }} dan 2022."
    assert stale_years(text, {2022}) == [(1, 2021)]


def test_comparisons_apply_polarity():
    from lkjip.compute.measure import compare
    lower_better = compare(Decimal("91.58"), Decimal("115.89"), "negatif")        # a rate fell: better
    assert (lower_better.naik, lower_better.membaik) == (False, True)
    higher_better = compare(Decimal("91.58"), Decimal("115.89"), "positif")
    assert (higher_better.naik, higher_better.membaik) == (False, False)
    assert compare(Decimal(5), Decimal(5), "negatif").sama
    assert compare(None, Decimal(5), "positif").membaik is None


def test_check_separates_findings_from_declared_corrections(report_2022):
    """Issue 9: no warning blames the source for a figure the evidence supports; explained source contradictions
    and every correction of a source value are listed as notes."""
    found = {(p.severity, p.code, p.path) for p in report_2022.problems}
    assert not [p for p in report_2022.problems if p.severity == "error"]
    # the corrected figures agree with the source's totals: no contradiction left on them
    for path in ("dinyatakan_sumber.total_realisasi", "program[0].dinyatakan_sumber.realisasi",
                 "program[0].kegiatan[1].dinyatakan_sumber.realisasi", "dinyatakan_sumber.jumlah_sub_kegiatan_berindikator",
                 "dinyatakan_sumber.serapan_tabel"):
        assert not [f for f in found if f[2] == path], path
    notes = {(code, path) for severity, code, path in found if severity == "note"}
    assert {("koreksi-sumber", "program[0].kegiatan[1].sub_kegiatan[2].anggaran.realisasi"),
            ("koreksi-sumber", "dinyatakan_sumber.serapan_teks"),
            ("koreksi-sumber", "dinyatakan_sumber.iku_capaian_bab_iv"),
            ("koreksi-sumber", "dinyatakan_sumber.iku_realisasi"),      # cut off, not rounded: declared (issue 22)
            ("koreksi-sumber", "program[0].dinyatakan_sumber.serapan"),
            ("koreksi-sumber", "pegawai[3].nip")} <= notes
    assert not [f for f in found if f[1] in ("angka-sumber-berbeda", "koreksi-belum-ditinjau")]
    warnings = {(code, path) for severity, code, path in found if severity == "warning"}
    assert {("orang-di-luar-daftar", "penandatangan.nip"), ("nip-tidak-valid", "pegawai[19].nip"),
            ("pk-tanpa-tanda-tangan", "perjanjian_kinerja")} <= warnings
    codes = [code for code, _p in warnings]
    assert (codes.count("anggaran-tanpa-capaian"), codes.count("anggaran-tanpa-indikator"),
            codes.count("keluaran-tanpa-anggaran")) == (2, 5, 9)


def test_budget_findings_name_the_money(report_2022):
    spent = {p.path: p.message for p in report_2022.problems if p.code == "anggaran-tanpa-capaian"}
    assert any("30.628.037" in m for m in spent.values()) and any("44.156.500" in m for m in spent.values())
    no_indicator = [p for p in report_2022.problems if p.code == "anggaran-tanpa-indikator"]
    pagu = sum(s.budget.pagu for s in report_2022.report.leaves if s.budget and not s.indikator)
    assert (len(no_indicator), pagu) == (5, 347009450)


def test_correction_listing(report_2022):
    from lkjip.validate.corrections import listing
    records = report_2022.report.koreksi
    assert len(records) >= 40 and all(r.ditinjau and r.alasan and r.lokasi_sumber for r in records)
    penatausahaan = next(r for r in records if r.path.endswith("sub_kegiatan[2].anggaran.realisasi"))
    assert (penatausahaan.sumber, penatausahaan.konten, penatausahaan.line) == ("58560000", "54900000", 83)
    text = listing(records, 2022)
    assert text.count("\n| ") == len(records) + 1 and "58560000" in text


def test_zero_target_is_a_warning(content):
    path = content / "2022/program.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("            target: 1500", "            target: 0"), encoding="utf-8")
    result = pipeline.check(content, 2022)
    assert result.report is not None
    hits = [p for p in result.problems if p.code == "target-nol"]
    assert [(p.severity, p.path) for p in hits] == [("warning", "program[2].kegiatan[0].sub_kegiatan[0].target")]


def test_stale_year_in_prose_is_a_warning(content):
    path = content / "2022/prosa/maksud_tujuan.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nLaporan Tahun 2019 ini.\n", encoding="utf-8")
    hits = [p for p in pipeline.check(content, 2022).problems if p.code == "tahun-basi"]
    assert [(p.severity, p.line) for p in hits] == [("warning", path.read_text(encoding="utf-8").count("\n"))]


def test_person_with_two_nips(content):
    path = content / "2022/laporan.yaml"
    text = path.read_text(encoding="utf-8").replace("I MADE WIRYANA, S.Sos., MM", "Drs. RAKHMAT ZAINUDDIN, M.Si.")
    path.write_text(text, encoding="utf-8")
    hits = [p for p in pipeline.check(content, 2022).problems if p.code == "nip-berbeda"]
    assert [(p.severity, p.path) for p in hits] == [("warning", "penandatangan.nip")]


def test_analysis_counts(report_2022):
    r = report_2022.report
    assert (r.counts.sub_kegiatan_terukur, r.counts.mencapai_target, r.counts.di_bawah_target) == (37, 27, 10)
    assert dict(r.sebaran_predikat) == {"Sangat Tinggi": 29, "Tinggi": 2, "Sedang": 1, "Rendah": 0, "Sangat Rendah": 5}
    lowest = r.sub_di_bawah_target[0]
    assert (lowest.kode, persen(lowest.capaian.nilai)) == ("1.06.06.2.01.02", "15,45%")     # Penyediaan Sandang 17/110
    verdicts = {p.kode: (p.efisiensi, persen(p.capaian_rata), p.jumlah_terukur) for p in r.programs}
    # only leaves with a budget line are averaged; low spending is flagged, never called efficient
    assert verdicts["1.06.01"] == ("kurang-efisien", "86,85%", 18)      # < serapan 92,09%
    assert verdicts["1.06.06"] == ("serapan-rendah", "100,00%", 2)      # serapan 55,96% < 80%
    assert verdicts["1.06.07"][0] is None                               # nothing measurable


def test_efficiency_is_a_comparison_unless_the_agency_concluded(tmp_path):
    """Issue 22 item 5: the source states no efficiency method, so the report shows the computed comparison, labelled
    as such, never 'Kurang efisien'; with efisiensi.kesimpulan_instansi: ya the agency's verdict words are used."""
    import shutil
    from pathlib import Path

    from lkjip.render.tables import efficiency_table
    ROOT = Path(__file__).resolve().parent.parent
    spec = efficiency_table(pipeline.check(ROOT / "content", 2022, with_prose=False).report)
    cells = [cells[-1].text for cells, _b in spec.rows]
    assert cells[0] == "Capaian < serapan" and "Kurang efisien" not in cells and "Efisien" not in cells
    assert spec.header[0][-1].text == "Perbandingan (hasil hitung)"
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    laporan = root / "2022" / "laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("efisiensi:\n", "efisiensi:\n  kesimpulan_instansi: ya\n"),
                       encoding="utf-8")
    spec = efficiency_table(pipeline.check(root, 2022, with_prose=False).report)
    assert [cells[-1].text for cells, _b in spec.rows][0] == "Kurang efisien"
