"""Spreadsheets in and out: ekspor writes every report table to XLSX (numbers as numbers, deterministic);
impor-anggaran reads a finance export back onto the leaves of program.yaml, reporting every bad input by code and row."""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from lkjip import cli, pipeline
from lkjip.tools.spreadsheet.ekspor import workbook_bytes
from lkjip.tools.spreadsheet.impor import plan_import
from lkjip.render.markdown import rendition
from lkjip.render.tables import build_table

from conftest import CONTENT

BUDGET = "Realisasi Anggaran per Program"          # caption of the budget table (Tabel 3.10 in 2022)


def _sheet(wb, caption: str):
    """The sheet whose caption (cell A1, after the number) starts with `caption`."""
    return next(ws for ws in wb.worksheets if ws["A1"].value.split(" ", 2)[2].startswith(caption))


@pytest.fixture(scope="module")
def export(report_2022, tmp_path_factory):
    data = workbook_bytes(report_2022.report, report_2022.plan.markdown, report_2022.plan.specs)
    folder = tmp_path_factory.mktemp("xlsx")
    path = folder / "lkjip-2022-tabel.xlsx"
    path.write_bytes(data)
    wb = openpyxl.load_workbook(path)                     # the budget sheet alone, for quick perturbations
    budget = _sheet(wb, BUDGET).title
    for name in wb.sheetnames:
        if name != budget:
            del wb[name]
    wb.save(folder / "anggaran.xlsx")
    return path, data, report_2022.plan.markdown, folder / "anggaran.xlsx"


def _rows(ws) -> dict:
    """kode (column A) -> row number."""
    return {ws.cell(row=r, column=1).value: r for r in range(1, ws.max_row + 1)}


def _perturbed(source, tmp_path, edit, name="ubah.xlsx"):
    wb = openpyxl.load_workbook(source)
    ws = _sheet(wb, BUDGET)
    rows = _rows(ws)
    edit(ws, rows)
    path = tmp_path / name
    wb.save(path)
    return path, rows


# --- ekspor ------------------------------------------------------------------------------------------------

def test_every_table_in_report_order_named_by_caption_number(export, report_2022):
    path, _data, markdown, _small = export
    captions = re.findall(r"^\*\*(Tabel \S+) (.+)\*\*$", rendition(markdown, report_2022.report), re.M)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [label for label, _c in captions]
    for (label, caption), ws in zip(captions, wb.worksheets):
        assert ws["A1"].value == f"{label} {caption}"
        assert ws["A2"].value.startswith("Sumber")


def test_figures_are_numbers_with_display_formats(export, report_2022):
    report = report_2022.report
    wb = openpyxl.load_workbook(export[0])
    ws = _sheet(wb, BUDGET)
    total = _rows(ws)["Jumlah"]
    assert [c.value for c in ws[total]][2:] == [5721724782, report.total.realisasi, 0.91, 5721724782 - report.total.realisasi]
    assert type(ws.cell(row=total, column=3).value) is int
    assert ws.cell(row=total, column=3).number_format.endswith("#,##0")
    assert ws.cell(row=total, column=5).number_format.endswith("0.00%")
    assert f"A{total}:B{total}" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[5]] == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"] and ws.freeze_panes == "A6"
    assert ws.column_dimensions["B"].width >= 40
    iku = _sheet(wb, "Indikator Kinerja Utama Renstra")   # two header rows with merged cells, as in the report
    assert {"A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:J4"} <= {str(r) for r in iku.merged_cells.ranges}
    assert iku.freeze_panes == "A7" and iku["C7"].value == "%" and iku["E7"].value == 85.3
    assert iku["E7"].number_format.endswith("#,##0.0")                    # the unit is in its own column
    achievement = _sheet(wb, "Target dan Realisasi Indikator Kinerja")
    assert achievement["D6"].value == "%" and achievement["F6"].value == 88.33   # IKU realisasi 88,33 (unit column)
    counts = _sheet(wb, "Perbandingan Realisasi Kinerja Tahun")
    assert any(str(c.number_format).endswith('" orang"') and c.value == 23 for row in counts.iter_rows() for c in row)
    grouped = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?%?$|^\d+,\d+%$")
    texts = [c.coordinate for ws in wb.worksheets for row in ws.iter_rows(min_row=4) for c in row
             if isinstance(c.value, str) and grouped.match(c.value)]
    assert texts == []                                    # no figure left as text


def test_export_is_byte_identical(export, report_2022, tmp_path):
    data = export[1]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 3, 1, 0, 0, 0)}
        assert b"2023-03-01T00:00:00Z</dcterms:modified>" in z.read("docProps/core.xml")
    assert cli.main(["ekspor", "--content", str(CONTENT), "--output", str(tmp_path)]) == 0
    assert (tmp_path / "lkjip-2022-tabel.xlsx").read_bytes() == data


# --- impor-anggaran: round trip ---------------------------------------------------------------------------

def test_unchanged_export_imports_without_changes(export):
    plan = plan_import(CONTENT, 2022, export[0])
    assert (plan.changes, plan.problems) == ([], [])


def test_two_edited_cells_round_trip(export, content, tmp_path, capsys):
    def edit(ws, rows):
        ws.cell(row=rows["1.06.01.2.01.01"], column=4).value = 10000000
        ws.cell(row=rows["1.06.02.2.02.01"], column=4).value = "Rp 30.000.000,00"   # typed as text, Indonesian
    path, rows = _perturbed(export[0], tmp_path, edit)                         # the whole export, as a user would
    before = (content / "2022/program.yaml").read_text(encoding="utf-8")
    plan = plan_import(content, 2022, path)
    assert [(c.kode, c.pagu, c.realisasi) for c in plan.changes] == [
        ("1.06.01.2.01.01", (10020000, 10020000), (10020000, 10000000)),
        ("1.06.02.2.02.01", (32715100, 32715100), (30628037, 30000000))]
    assert {p.code for p in plan.problems} == {"subtotal-berbeda"}            # kegiatan, program and Jumlah rows
    assert sorted(p.line for p in plan.problems) == sorted(rows[k] for k in ("1.06.01", "1.06.01.2.01", "1.06.02",
                                                                              "1.06.02.2.02", "Jumlah"))

    assert cli.main(["impor-anggaran", str(path), "--content", str(content)]) == 0     # dry run writes nothing
    out = capsys.readouterr().out
    assert len([line for line in out.splitlines() if line.startswith("  1.06.")]) == 2
    assert "realisasi 10.020.000 -> 10.000.000 (-20.000)" in out
    assert (content / "2022/program.yaml").read_text(encoding="utf-8") == before

    assert cli.main(["impor-anggaran", str(path), "--content", str(content), "--tulis"]) == 0
    after = (content / "2022/program.yaml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [("            anggaran: {pagu: 10020000, realisasi: 10020000}",
                        "            anggaran: {pagu: 10020000, realisasi: 10000000}"),
                       ("            anggaran: {pagu: 32715100, realisasi: 30628037}",
                        "            anggaran: {pagu: 32715100, realisasi: 30000000}")]
    result = pipeline.check(content, 2022, with_prose=False)
    assert not [p for p in result.problems if p.severity == "error"]
    assert result.report.total.realisasi == 5206757104 - 20000 - 628037
    jumlah = build_table("anggaran", result.report).rows[-1][0]
    assert jumlah[2].text == "5.206.109.067"


def test_leaf_without_budget_gets_one(export, content, tmp_path):
    def edit(ws, rows):
        ws.append(["1.06.01.2.01.02", "Koordinasi dan Penyusunan Dokumen RKA-SKPD", 5000000, 4500000])
    path, _rows_ = _perturbed(export[3], tmp_path, edit)
    plan = plan_import(content, 2022, path)
    assert [(c.kode, c.add, c.pagu[1], c.realisasi[1]) for c in plan.changes] == [("1.06.01.2.01.02", True, 5000000, 4500000)]
    assert cli.main(["impor-anggaran", str(path), "--content", str(content), "--tulis"]) == 0
    text = (content / "2022/program.yaml").read_text(encoding="utf-8")
    assert ("            kebijakan: Perda Nomor 10 Tahun 2020 tentang APBD Kota Metro Tahun Anggaran 2021\n"
            "            anggaran: {pagu: 5000000, realisasi: 4500000}\n") in text


# --- impor-anggaran: bad input ----------------------------------------------------------------------------

def test_each_bad_cell_has_its_code_and_row(export, tmp_path):
    placed = {}

    def edit(ws, rows):
        cases = {"1.06.01.2.02.01": (4, "belum"), "1.06.01.2.02.02": (4, 193200001), "1.06.01.2.02.03": (3, "58.560.000,50"),
                 "1.06.01.2.02.05": (4, -5), "1.06.01.2.02.07": (4, "=C20*2"), "1.06.01.2.06.01": (4, None)}
        for code, (column, value) in cases.items():
            ws.cell(row=rows[code], column=column).value = value
            placed[code] = rows[code]
        ws.cell(row=rows["1.06.01.2.05.02"], column=1).value = "9.99.99.9.99.99"       # unknown; its own code missing
        placed["unknown"] = rows["1.06.01.2.05.02"]
        ws.cell(row=rows["1.06.01.2.08.02"], column=1).value = "1.06.01.2.08.01"       # same code twice
        placed["twice"] = rows["1.06.01.2.08.02"]
        ws.cell(row=rows["1.06.04"], column=3).value = 1                                 # subtotal off
        placed["subtotal"] = rows["1.06.04"]
    plan = plan_import(CONTENT, 2022, _perturbed(export[3], tmp_path, edit)[0])
    found = {(p.code, p.line, p.severity) for p in plan.problems}
    assert ("bukan-angka", placed["1.06.01.2.02.01"], "error") in found
    assert ("realisasi-melebihi-pagu", placed["1.06.01.2.02.02"], "error") in found
    assert ("angka-tidak-bulat", placed["1.06.01.2.02.03"], "error") in found
    assert ("uang-negatif", placed["1.06.01.2.02.05"], "error") in found
    assert ("rumus-tanpa-nilai", placed["1.06.01.2.02.07"], "error") in found
    assert ("sel-kosong", placed["1.06.01.2.06.01"], "warning") in found
    assert ("kode-tidak-di-konten", placed["unknown"], "warning") in found
    assert ("kode-ganda", placed["twice"], "error") in found
    assert ("subtotal-berbeda", placed["subtotal"], "warning") in found
    missing = [p for p in plan.problems if p.code == "kode-tidak-di-berkas"]
    assert {p.path for p in missing} == {"program[0].kegiatan[2].sub_kegiatan[0]", "program[0].kegiatan[4].sub_kegiatan[1]"}
    assert all(p.file.endswith("program.yaml") for p in missing)
    where = next(p for p in plan.problems if p.code == "bukan-angka")
    assert re.fullmatch(rf"Tabel \d+\.\d+!D{placed['1.06.01.2.02.01']}", where.path)
    assert plan.changes == []
    assert cli.main(["impor-anggaran", str(tmp_path / "ubah.xlsx"), "--content", str(CONTENT), "--tulis"]) == 1


@pytest.mark.parametrize("name, data, code", [
    ("rusak.xlsx", b"PK\x03\x04bukan zip", "berkas-tidak-terbaca"),
    ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "format-tidak-dikenal"),
    ("laporan.pdf", b"%PDF-1.4", "format-tidak-dikenal"),
    ("kosong.csv", b"", "berkas-kosong"),
    ("tanpa-judul.csv", b"a;b;c\n1;2;3\n", "kolom-tidak-ditemukan"),
    ("tidak-ada.xlsx", None, "berkas-hilang"),
])
def test_unreadable_files_are_reported_not_raised(tmp_path, name, data, code):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    plan = plan_import(CONTENT, 2022, path)
    assert [(p.code, p.severity) for p in plan.problems] == [(code, "error")]


def test_cli_reports_unreadable_file(tmp_path, capsys):
    (tmp_path / "rusak.xlsx").write_bytes(b"PK\x03\x04")
    assert cli.main(["impor-anggaran", str(tmp_path / "rusak.xlsx"), "--content", str(CONTENT)]) == 2
    assert "rusak.xlsx: error [berkas-tidak-terbaca]" in capsys.readouterr().out


def test_empty_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "kosong.xlsx")
    assert [p.code for p in plan_import(CONTENT, 2022, tmp_path / "kosong.xlsx").problems] == ["berkas-kosong"]


def test_csv_semicolon_cp1252_with_indonesian_numbers_and_mapping(content, tmp_path):
    (content / "2022/laporan.yaml").write_text((content / "2022/laporan.yaml").read_text(encoding="utf-8") +
                                               "impor_anggaran:\n  kolom:\n    realisasi: Realisasi s.d. Desember\n",
                                               encoding="utf-8")
    text = ("Laporan Realisasi Anggaran – SKPD\n\n"
            "Kode Rekening;Uraian;Anggaran;Realisasi s.d. Desember\n"
            "1.06.01.2.01;Perencanaan;10.020.000,00;10.000.000,00\n"
            "1.06.01.2.01.0001;Penyusunan Dokumen Perencanaan;Rp 10.020.000;Rp 10.000.000\n")
    path = tmp_path / "sipd.csv"
    path.write_bytes(text.encode("cp1252"))
    plan = plan_import(content, 2022, path)
    assert [(c.kode, c.realisasi) for c in plan.changes] == [("1.06.01.2.01.01", (10020000, 10000000))]
    codes = {p.code for p in plan.problems}
    assert "bukan-utf8" in codes and "subtotal-berbeda" not in codes and "kode-tidak-di-berkas" in codes
    assert "realisasi = D 'Realisasi s.d. Desember'" in plan.columns


def test_csv_comma_utf8_bom_and_quarters(content, tmp_path):
    text = ('\ufeffkode,nama,pagu,TW I,TW II,TW III,TW IV\n'
            '1.06.01.2.01.01,"Penyusunan, Dokumen","10,020,000",1000000,2000000,3000000,4000000\n')
    path = tmp_path / "tw.csv"
    path.write_bytes(text.encode("utf-8"))
    plan = plan_import(content, 2022, path)
    assert [(c.kode, c.realisasi) for c in plan.changes] == [("1.06.01.2.01.01", (10020000, 10000000))]
    assert "bukan-utf8" not in {p.code for p in plan.problems}
