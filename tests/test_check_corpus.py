"""A corpus of broken inputs: each must exit 1 with the right code at the right file:line, never a traceback."""
from __future__ import annotations

import pytest

from lkjip import cli, pipeline

# (case id, file under content/, text to find, replacement, expected code, line offset from the found text)
CASES = [
    ("syntax-error", "2022/program.yaml", "    nama: Program Pemberdayaan Sosial", "    nama: [Program Pemberdayaan Sosial", "yaml-tidak-valid", 1),
    ("tab-indent", "2022/instansi.yaml", "provinsi: Lampung", "provinsi:\n\t- Lampung", "yaml-tidak-valid", 1),
    ("duplicate-key", "2022/laporan.yaml", "tempat: Metro", "tempat: Metro\ntempat: Bandar Lampung", "kunci-ganda", 1),
    ("duplicate-key-nested", "2022/program.yaml", "            target: 1500", "            target: 1500\n            target: 1600", "kunci-ganda", 1),
    ("wrong-type-int", "2022/laporan.yaml", "tahun: 2022", "tahun: dua ribu dua puluh dua", "tipe-salah", 0),
    ("wrong-type-bool", "2022/laporan.yaml", "draf: false", "draf: mungkin", "tipe-salah", 0),
    ("decimal-comma", "renstra/renstra.yaml", "2022: 88.4", "2022: 88,4", "angka-berformat", 0),
    ("list-for-mapping", "2022/kinerja.yaml", "  pihak_kedua:\n    jabatan: Wali Kota Metro", "  pihak_kedua: [Wali Kota Metro]", "tipe-salah", 0),
    ("mapping-for-list", "2022/isu_strategis.yaml", "isu:\n  - Penanganan PPKS\n  - Peningkatan kualitas data melalui Data Terpadu Kesejahteraan Sosial (DTKS)", "isu: {satu: dua}", "tipe-salah", 0),
    ("string-for-mapping", "2022/program.yaml", "anggaran: {pagu: 10020000, realisasi: 10020000}", "anggaran: 10020000", "tipe-salah", 0),
    ("unknown-key", "2022/instansi.yaml", "tipe: C", "tipe: C\nwarna: biru", "kunci-tidak-dikenal", 1),
    ("unknown-key-typo", "2022/program.yaml", "            realisasi_tahun_lalu: 1485", "            realisasi_tahun_lalau: 1485", "kunci-tidak-dikenal", 0),
    ("missing-key", "2022/pegawai.yaml", "    jabatan: Sekretaris\n", "", "kunci-wajib", -5),
    ("missing-key-top", "2022/laporan.yaml", "judul: Laporan Kinerja Instansi Pemerintah\n", "", "kunci-wajib", None),
    ("negative-money", "2022/program.yaml", "anggaran: {pagu: 10020000, realisasi: 10020000}", "anggaran: {pagu: -10020000, realisasi: 10020000}", "uang-negatif", 0),
    ("grouped-money", "2022/program.yaml", "anggaran: {pagu: 3000000, realisasi: 3000000}", "anggaran: {pagu: 3.000.000, realisasi: 3000000}", "angka-berformat", 0),
    ("grouped-measure", "2022/program.yaml", "            realisasi: 1485", "            realisasi: 1.485", "angka-berformat", 0),
    ("percent-out-of-range", "2022/program.yaml", "serapan: 91.88", "serapan: 5000", "persen-di-luar-rentang", 0),
    ("malformed-code", "2022/program.yaml", 'kode: "1.06.02.2.03.01"', 'kode: "1.06.02.2.03.0A"', "kode-tidak-valid", 0),
    ("code-wrong-level-shape", "2022/program.yaml", 'kode: "1.06.02.2.03.01"', 'kode: "1.6.02.2.03.01"', "kode-tingkat-salah", 0),
    ("malformed-code-5digit", "2022/program.yaml", 'kode: "1.06.02.2.03.01"', 'kode: "1.06.02.2.03.00001"', "kode-tidak-valid", 0),
    ("orphan-code", "2022/program.yaml", 'kode: "1.06.02.2.03.02"', 'kode: "1.06.04.2.03.02"', "kode-yatim", 0),
    ("orphan-kegiatan", "2022/program.yaml", 'kode: "1.06.06.2.02"', 'kode: "1.06.07.2.02"', "kode-yatim", 0),
    ("duplicate-code", "2022/program.yaml", 'kode: "1.06.02.2.03.02"', 'kode: "1.06.02.2.03.01"', "kode-ganda", 0),
    ("nip-birth-date", "2022/pegawai.yaml", 'nip: "196908051988032001"', 'nip: "196913051988032001"', "nip-tidak-valid", 0),
    ("nip-tmt-month", "2022/pegawai.yaml", 'nip: "196908051988032001"', 'nip: "196908051988132001"', "nip-tidak-valid", 0),
    ("nip-tmt-before-birth", "2022/pegawai.yaml", 'nip: "196908051988032001"', 'nip: "196908051970032001"', "nip-tidak-valid", 0),
    ("nip-gender", "2022/pegawai.yaml", 'nip: "196908051988032001"', 'nip: "196908051988033001"', "nip-tidak-valid", 0),
    ("nip-length", "2022/pegawai.yaml", 'nip: "196908051988032001"', 'nip: "19690805198803200"', "nip-tidak-valid", 0),
    ("nip-duplicate", "2022/pegawai.yaml", 'nip: "198311282002121004"', 'nip: "196908051988032001"', "nip-ganda", 0),
    ("unallowed-value", "2022/pegawai.yaml", "    status: kontrak\n    nomor_kontrak: \"597186122122011004D-5\"", "    status: honorer\n    nomor_kontrak: \"597186122122011004D-5\"", "nilai-tidak-diizinkan", 0),
    ("bad-month", "2022/laporan.yaml", "tanggal: 2023-03", "tanggal: Maret 2023", "format-tidak-valid", 0),
    ("head-not-on-roster", "2022/organisasi.yaml", "kepala: ardah", "kepala: ardah-binti-x", "orang-tidak-dikenal", 0),
    ("unknown-parent-unit", "2022/organisasi.yaml", "    induk: sekretariat\n    kepala: ahmad-tarmizi", "    induk: sekretaria\n    kepala: ahmad-tarmizi", "unit-tidak-dikenal", 0),
    ("signatory-unknown", "2022/laporan.yaml", "  luar_daftar_pegawai: true\n", "", "orang-tidak-dikenal", -3),
    ("over-pagu", "2022/program.yaml", "anggaran: {pagu: 3000000, realisasi: 3000000}", "anggaran: {pagu: 3000000, realisasi: 3000001}", "realisasi-melebihi-pagu", 0),
    ("unknown-indicator", "2022/kinerja.yaml", "  target:\n    - indikator: iku-ppks", "  target:\n    - indikator: iku-lain", "indikator-tidak-dikenal", 1),
    ("unknown-sasaran", "2022/program.yaml", "    sasaran: [S1]", "    sasaran: [S9]", "sasaran-tidak-dikenal", 0),
    ("two-org-roots", "2022/organisasi.yaml", "    jenis: sekretariat\n    induk: kepala-dinas\n", "    jenis: sekretariat\n", "akar-organisasi", None),
    ("correction-path-missing", "2022/koreksi.yaml", "    kunci: anggaran.realisasi\n    sumber: \"58560000\"", "    kunci: anggaran.realisasinya\n    sumber: \"58560000\"", "koreksi-tidak-ditemukan", None),
    ("unknown-component-code", "2022/kinerja.yaml", 'sub_kegiatan: "1.06.05.2.02.04"', 'sub_kegiatan: "1.06.05.2.02.09"', "kode-tidak-dikenal", 0),
    ("year-folder-mismatch", "2022/laporan.yaml", "tahun: 2022", "tahun: 2023", "tahun-tidak-cocok", 0),
    ("scale-unsorted", "2022/laporan.yaml", "{batas_bawah: 76, predikat: Tinggi}", "{batas_bawah: 95, predikat: Tinggi}", "skala-tidak-urut", -2),
    ("prose-undefined", "2022/prosa/kata_pengantar.md", None, "\n\nAngka {{ angka_yang_tidak_ada }}\n", "nama-tidak-dikenal", None),
    ("prose-syntax", "2022/prosa/kata_pengantar.md", None, "\n\nTahun {{ tahun \n", "templat-tidak-valid", None),
]


def _break(content, relpath, old, new):
    path = content / relpath
    text = path.read_text(encoding="utf-8")
    if old is None:                       # append at the end; expected line = first appended non-empty line
        line = text.count("\n") + 1 + len(new) - len(new.lstrip("\n"))
        path.write_text(text + new, encoding="utf-8")
        return path, line
    assert old in text, f"marker not found in {relpath}: {old!r}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, line


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_input_reports_code_file_line(content, case, capsys):
    _id, relpath, old, new, code, offset = case
    path, line = _break(content, relpath, old, new)
    result = pipeline.check(content, 2022)
    matches = [p for p in result.problems if p.code == code and p.file.endswith(relpath)]
    assert matches, [p.format() for p in result.problems]
    if offset is not None:
        assert line + offset in [p.line for p in matches], [p.format() for p in matches]
    assert all(p.severity == "error" for p in matches)
    assert cli.main(["check", "--content", str(content), "--year", "2022"]) == 1
    out = capsys.readouterr().out
    assert f"error [{code}]" in out


def test_empty_file(content):
    (content / "2022/isu_strategis.yaml").write_text("", encoding="utf-8")
    problems = pipeline.check(content, 2022).problems
    assert [(p.code, p.line) for p in problems if p.file.endswith("isu_strategis.yaml")] == [("berkas-kosong", 1)]


def test_comment_only_file_is_empty(content):
    (content / "2022/isu_strategis.yaml").write_text("# nothing here\n", encoding="utf-8")
    assert [p.code for p in pipeline.check(content, 2022).problems] == ["berkas-kosong"]


def test_wrong_top_level_type(content):
    (content / "2022/dasar_hukum.yaml").write_text("- satu\n- dua\n", encoding="utf-8")
    problems = pipeline.check(content, 2022).problems
    assert [(p.code, p.line) for p in problems] == [("tipe-salah", 1)]


def test_binary_file(content):
    (content / "2022/kinerja.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    problems = pipeline.check(content, 2022).problems
    assert [(p.code, p.file.endswith("kinerja.yaml")) for p in problems] == [("berkas-tidak-terbaca", True)]


def test_latin1_file(content):
    (content / "2022/instansi.yaml").write_bytes("nama: Dinas Sosial \xe9\n".encode("latin-1"))
    assert [p.code for p in pipeline.check(content, 2022).problems] == ["berkas-tidak-terbaca"]


def test_missing_file(content):
    (content / "2022/instansi.yaml").unlink()
    problems = pipeline.check(content, 2022).problems
    assert [(p.code, p.file.endswith("instansi.yaml")) for p in problems] == [("berkas-hilang", True)]


def test_all_problems_in_one_run(content):
    """Three independent errors in three files are all reported, errors sorted before warnings."""
    _break(content, "2022/laporan.yaml", "draf: false", "draf: mungkin")
    _break(content, "2022/program.yaml", 'kode: "1.06.02.2.03.01"', 'kode: "1.06.02.2.03.x1"')
    _break(content, "2022/pegawai.yaml", 'nip: "196908051988032001"', 'nip: "1969"')
    problems = pipeline.check(content, 2022).problems
    codes = {p.code for p in problems if p.severity == "error"}
    assert {"tipe-salah", "kode-tidak-valid", "nip-tidak-valid"} <= codes


def test_usage_errors_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["frobnicate"])
    assert exc.value.code == 2
    assert cli.main(["check", "--content", str(tmp_path)]) == 2


def test_unknown_year_is_an_error(content):
    problems = pipeline.check(content, 2031).problems
    assert [p.code for p in problems] == ["tahun-tidak-ada"]


def test_missing_and_unused_prose_sections(content):
    (content / "2022/prosa/penutup.md").rename(content / "2022/prosa/penutupp.md")
    problems = pipeline.check(content, 2022).problems
    found = {(p.code, p.severity, p.file.rsplit("/", 1)[-1]) for p in problems}
    assert ("prosa-hilang", "warning", "penutup.md") in found         # the report shows a visible blank
    assert ("prosa-tidak-dipakai", "warning", "penutupp.md") in found


def test_strict_turns_warnings_into_failure(content, tmp_path):
    assert cli.main(["check", "--content", str(content)]) == 0          # the real content has warnings only
    assert cli.main(["check", "--strict", "--content", str(content)]) == 1
    assert cli.main(["report", "--strict", "--content", str(content), "--output", str(tmp_path)]) == 1
    assert not (tmp_path / "lkjip-2022.docx").exists()


def test_readme_example_sub_kegiatan_is_valid(content):
    """The 'Menambah sub kegiatan' snippet from the README, pasted where it says, passes check."""
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"\*\*Menambah sub kegiatan\*\*.*?```yaml\n(.*?)```", text, re.S).group(1)
    program = content / "2022/program.yaml"
    anchor = '        nama: Rehabilitasi Sosial Dasar Penyandang Disabilitas Terlantar, Anak Terlantar, Lanjut Usia Terlantar, serta Gelandangan Pengemis di Luar Panti Sosial\n'
    body = program.read_text(encoding="utf-8")
    head, tail = body.split(anchor)
    marker = "        sub_kegiatan:\n"
    before, after = tail.split(marker, 1)
    program.write_text(head + anchor + before + marker + snippet + after, encoding="utf-8")
    result = pipeline.check(content, 2022)
    assert not [p for p in result.problems if p.severity == "error"], [p.format() for p in result.problems]
    assert result.report.counts.sub_kegiatan == 49


def test_nomenclature_decides_the_code_shapes(content):
    """Declaring Permendagri 13/2006 for content written in 90/2019 codes: each level's code is reported."""
    _break(content, "2022/laporan.yaml", "draf: false", "draf: false\nnomenklatur: permendagri-13-2006")
    problems = [p for p in pipeline.check(content, 2022).problems if p.severity == "error"]
    assert {p.code for p in problems} == {"kode-tingkat-salah"}
    assert all(p.file.endswith("program.yaml") for p in problems)


def test_example_warnings_are_exactly_the_declared_gaps(report_2022):
    """The 2022 example's warnings are the source's own gaps, counted per code: a new warning (for instance a
    prose section the outline probes by accident) is a regression."""
    from collections import Counter
    warnings = Counter(p.code for p in report_2022.problems if p.severity == "warning")
    assert dict(warnings) == {"pk-tanpa-tanda-tangan": 1, "orang-di-luar-daftar": 1, "nip-tidak-valid": 2,
                              "keluaran-tanpa-anggaran": 9, "anggaran-tanpa-capaian": 2,
                              "anggaran-tanpa-indikator": 5}
    assert not [p for p in report_2022.problems if p.severity == "error"]
