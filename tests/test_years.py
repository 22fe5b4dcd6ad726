"""Year over year: new-year scaffold, last year's content joined by code/id, and the reviewer's diff."""
from __future__ import annotations

from decimal import Decimal

import pytest

from lkjip import cli, pipeline
from lkjip.tools.years.diff import diff_markdown, word_diff
from lkjip.tools.years.scaffold import ScaffoldError, new_year


@pytest.fixture
def two_years(content):
    new_year(content, 2023)
    return content


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_scaffold_passes_schema_and_lists_what_to_fill(two_years):
    result = pipeline.check(two_years, 2023)
    assert not [p for p in result.problems if p.severity == "error"], [p.format() for p in result.problems]
    todo = [p for p in result.problems if p.code == "realisasi-kosong"]
    assert len(todo) >= 43 + 39       # every sub kegiatan target and every budget line, plus the IKU
    assert all("belum diisi" in p.message for p in todo)
    laporan = (two_years / "2023/laporan.yaml").read_text(encoding="utf-8")
    assert "tahun: 2023" in laporan and "tanggal: 2024-03" in laporan and "draf: true" in laporan
    assert "dinyatakan_sumber" not in laporan


def test_scaffold_keeps_the_agencys_own_targets_and_units(two_years):
    """Issue 22 item 3: the DPA's targets and units carry over (Renstra 2023 says 55 orang for Permakanan, the
    agency's DPA 1.500 lansia: 1.485 lansia against 55 orang would print 2.700 %)."""
    report = pipeline.check(two_years, 2023).report
    subs = {s.kode: s for p in report.programs for k in p.kegiatan for s in k.sub_kegiatan}
    assert (subs["1.06.04.2.01.01"].target.number, subs["1.06.04.2.01.01"].target.unit) == (Decimal("1500"), "lansia")
    assert (subs["1.06.01.2.09.02"].target.number, subs["1.06.01.2.09.02"].target.unit) == (Decimal("10"), "unit")
    assert subs["1.06.04.2.01.01"].realisasi is None
    assert report.iku.target == Decimal("91.5")
    assert report.total.realisasi is None and report.total.pagu == 5721724782


def test_scaffold_takes_renstra_targets_only_where_asked_and_never_mixes_units(content):
    program = content / "2022" / "program.yaml"
    text = program.read_text(encoding="utf-8")
    for code in ("1.06.02.2.02.01", "1.06.04.2.01.01"):               # orang = orang; lansia != orang
        marker = f'kode: "{code}"\n'
        assert marker in text
        indent = text.split(marker, 1)[0].rsplit("\n", 1)[1].replace("-", " ")
        text = text.replace(marker, f"{marker}{indent}target_dari_renstra: ya\n", 1)
    program.write_text(text, encoding="utf-8")
    skipped: list = []
    new_year(content, 2023, skipped)
    assert [(p.code, p.path) for p in skipped] == [
        ("satuan-renstra-berbeda", "program[2].kegiatan[0].sub_kegiatan[0]")]
    report = pipeline.check(content, 2023).report
    subs = {s.kode: s for p in report.programs for k in p.kegiatan for s in k.sub_kegiatan}
    assert (subs["1.06.02.2.02.01"].target.number, subs["1.06.02.2.02.01"].target.unit) == (Decimal("65"), "orang")
    assert (subs["1.06.04.2.01.01"].target.number, subs["1.06.04.2.01.01"].target.unit) == (Decimal("1500"), "lansia")


def test_scaffold_refuses_to_overwrite(two_years):
    with pytest.raises(ScaffoldError):
        new_year(two_years, 2023)
    assert cli.main(["new-year", "2023", "--content", str(two_years)]) == 1


def test_draft_report_builds_and_is_marked(two_years, tmp_path):
    result = pipeline.report(two_years, 2023, tmp_path)
    assert result.output is not None
    from lkjip.render.text import docx_text
    text = docx_text(result.output)
    assert "DRAF" in text and "TAHUN 2023" in text


def test_last_year_joined_from_content(two_years):
    report = pipeline.check(two_years, 2023).report
    assert report.sumber_tahun_lalu == "konten 2022"
    subs = {s.kode: s for p in report.programs for k in p.kegiatan for s in k.sub_kegiatan}
    assert subs["1.06.04.2.01.01"].realisasi_lalu.number == Decimal("1485")    # from content/2022, not stored
    assert report.iku.realisasi_lalu == Decimal(12295) / Decimal(13920) * 100


def test_diff_joins_recoded_added_removed_and_staff(two_years):
    program = two_years / "2023/program.yaml"
    _edit(program, 'kode: "1.06.02.2.03.02"', 'kode: "1.06.02.2.03.05"')                      # re-coded
    _edit(program, "anggaran: {pagu: 3000000, realisasi: null}", "anggaran: {pagu: 3500000, realisasi: 3400000}")
    staff = two_years / "2023/pegawai.yaml"
    _edit(staff, "    jabatan: Pengadministrasi Keuangan\n", "    jabatan: Bendahara Pengeluaran\n")     # moved
    _edit(staff, """  - id: arie-rachman
    nama: ARIE RACHMAN
    status: kontrak
    nomor_kontrak: "597183082022011007D-5"
    jabatan: Penjaga Malam
""", """  - id: pegawai-baru
    nama: PEGAWAI BARU
    status: kontrak
    nomor_kontrak: "597199010123011099D-5"
    jabatan: Operator Komputer
""")                                                                                             # one left, one joined
    prose = two_years / "2023/prosa/penutup.md"
    _edit(prose, "menjadi bahan pembelajaran", "menjadi pelajaran")
    a, b = pipeline.check(two_years, 2022), pipeline.check(two_years, 2023)
    assert b.report is not None, [p.format() for p in b.problems]
    md = diff_markdown(a, b)
    added = md.split("### Ditambah")[1].split("### Dihapus")[0]
    removed = md.split("### Dihapus")[1].split("## Pegawai")[0]
    assert "1.06.02.2.03.05" in added and "1.06.02.2.03.02" in removed
    assert "kode 1.06.02.2.03.02 menjadi 1.06.02.2.03.05" in md
    assert "| 1.06.01.2.08.01 | Sub kegiatan Penyediaan Jasa Surat Menyurat | 3.000.000 | 3.500.000 | +500.000 (+16,67%) |" in md
    people = md.split("## Pegawai")[1].split("## Organisasi")[0]
    assert "PEGAWAI BARU" in people.split("### Keluar")[0]
    assert "ARIE RACHMAN" in people.split("### Keluar")[1].split("### Pindah")[0]
    assert "Bendahara Pengeluaran" in people.split("### Pindah jabatan")[1]
    assert "[-bahan pembelajaran-] {+pelajaran+}" in md
    assert "Tidak berubah:" in md and "latar_belakang" in md.split("Tidak berubah:")[1]
    assert "kata_pengantar" not in md.split("Tidak berubah:")[1]          # as printed: its year and figures moved


def test_diff_cli_writes_file(two_years, tmp_path, capsys):
    assert cli.main(["diff", "2022", "2023", "--content", str(two_years), "--output", str(tmp_path)]) == 0
    assert (tmp_path / "diff-2022-2023.md").read_text(encoding="utf-8") == capsys.readouterr().out


def test_word_diff():
    assert word_diff("satu dua tiga", "satu empat tiga") == "satu [-dua-] {+empat+} tiga"


def test_docx_text_for_git_textconv(report_2022, tmp_path, capsys):
    out = pipeline.report(report_2022.content.root, 2022, tmp_path).output
    assert cli.main(["docx-text", str(out)]) == 0
    text = capsys.readouterr().out
    assert "KATA PENGANTAR" in text and "5.721.724.782" in text


def test_unfilled_iku_components_point_at_their_lines(two_years):
    problems = [p for p in pipeline.check(two_years, 2023).problems
                if p.code == "realisasi-kosong" and ".komponen[" in p.path]
    text = (two_years / "2023/kinerja.yaml").read_text(encoding="utf-8").splitlines()
    assert len(problems) == 12
    assert all(text[p.line - 1].strip() == "jumlah: null" for p in problems)


def test_broken_previous_year_is_reported(two_years):
    laporan = two_years / "2022/laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("draf: false", "draf: mungkin"), encoding="utf-8")
    result = pipeline.check(two_years, 2023)
    assert result.report.sumber_tahun_lalu == "data tersimpan"
    assert [p.code for p in result.problems if p.file.endswith("2022")] == ["tahun-lalu-bermasalah"]


def test_a_figure_in_another_unit_is_an_error(content):
    """Issue 22 item 3: '10 unit' on a leaf whose unit is % would be read as 10 %."""
    program = content / "2022" / "program.yaml"
    text = program.read_text(encoding="utf-8")
    marker = 'kode: "1.06.01.2.09.02"\n'
    head, tail = text.split(marker, 1)
    tail = tail.replace("satuan: unit", "satuan: '%'", 1).replace("realisasi: 8\n", "realisasi: 8 unit\n", 1)
    program.write_text(head + marker + tail, encoding="utf-8")
    errors = [(p.code, p.path, p.line) for p in pipeline.check(content, 2022).problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0][0] == "satuan-berbeda" and errors[0][1].endswith(".realisasi")
    assert program.read_text(encoding="utf-8").splitlines()[errors[0][2] - 1].strip() == "realisasi: 8 unit"
