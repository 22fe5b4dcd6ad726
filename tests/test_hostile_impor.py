"""Hostile corpus, impor-anggaran (issue 19, items 4 and 7): impor never writes what it did not show or what `check`
would reject. Each case asserts the exit code, the problem code and where it points, that nothing is written on an
error (every file of the year folder byte-equal, no file left beside it) and, on success, that only the shown
values changed (every other line of program.yaml byte-equal)."""
from __future__ import annotations

import io
import os
import re
import stat
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lkjip import cli
from lkjip.tools.yamledit import YamlEditError, YamlEditor

A, B = "1.06.01.2.01.01", "1.06.02.2.02.01"          # leaves with anggaran {10020000, 10020000}, {32715100, 30628037}
A_LINE = "            anggaran: {pagu: 10020000, realisasi: 10020000}"
B_LINE = "            anggaran: {pagu: 32715100, realisasi: 30628037}"


def _files(content: Path) -> dict:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def _impor(content: Path, source: Path, capsys, write: bool = True) -> tuple:
    capsys.readouterr()
    args = ["impor-anggaran", str(source), "--content", str(content), "--year", "2022"] + (["--tulis"] if write else [])
    started = time.monotonic()
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err, time.monotonic() - started


def _problems(out: str) -> list:
    """(file name, line, code) of every problem printed."""
    found = []
    for line in out.splitlines():
        match = re.match(r"(.*?)(?::(\d+))?: (?:error|warning) \[([a-z0-9-]+)\]", line)
        if match:
            found.append((Path(match.group(1)).name, int(match.group(2) or 0), match.group(3)))
    return found


def _refused(content, source, capsys, code, exit_code, line=None, file=None):
    """Run with --tulis; the given problem is reported and nothing at all is written."""
    before = _files(content)
    rc, out, _err, seconds = _impor(content, source, capsys)
    assert rc == exit_code, out
    hits = [p for p in _problems(out) if p[2] == code]
    assert hits, out
    if line is not None:
        assert (file or source.name, line) in [(f, n) for f, n, _c in hits]
    assert _files(content) == before
    return out, seconds


def _changed_lines(before: bytes, after: bytes) -> list:
    a, b = before.decode().splitlines(), after.decode().splitlines()
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b) if x != y]


def _csv(tmp_path, text: str, name="anggaran.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _xlsx(tmp_path, rows, name="anggaran.xlsx", hidden_first=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if hidden_first is not None:
        ws.title = "Lama"
        for row in hidden_first:
            ws.append(row)
        ws.sheet_state = "hidden"
        ws = wb.create_sheet("Realisasi")
    else:
        ws.title = "Realisasi"
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def _patched(path: Path, old: bytes, new: bytes, member_prefix="xl/worksheets/") -> Path:
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith(member_prefix):
                body = body.replace(old, new)
            dst.writestr(info.filename, body)
    path.write_bytes(data.getvalue())
    return path


HEADER = [["Kode", "Uraian", "Pagu", "Realisasi"]]


# --- aliases -----------------------------------------------------------------------------------------------

@pytest.fixture
def aliased(content):
    path = content / "2022" / "program.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(A_LINE, "            anggaran: &dana {pagu: 10020000, realisasi: 10020000}", 1)
    text = text.replace(B_LINE, "            anggaran: *dana", 1)
    path.write_text(text, encoding="utf-8")
    return content


@pytest.mark.parametrize("changed", [B, A])
def test_value_reached_through_an_alias_is_refused_naming_both_leaves(aliased, tmp_path, capsys, changed):
    source = _csv(tmp_path, f"Kode;Uraian;Pagu;Realisasi\n{changed};x;10020000;9000000\n")
    out, _s = _refused(aliased, source, capsys, "nilai-lewat-alias", 1, file="program.yaml")
    line = next(x for x in out.splitlines() if "[nilai-lewat-alias]" in x)
    assert A in line and B in line
    code, out, _e, _s = _impor(aliased, source, capsys, write=False)        # the dry run says the same
    assert code == 1 and "nilai-lewat-alias" in out


def test_yamledit_refuses_to_set_through_an_alias():
    editor = YamlEditor(b"a: &x {pagu: 1}\nb: *x\n", "p.yaml")
    with pytest.raises(YamlEditError, match="anchor/alias"):
        editor.set(("b", "pagu"), 2)
    with pytest.raises(YamlEditError, match="anchor/alias"):
        editor.set(("a", "pagu"), 2)
    assert editor.shared(("b", "pagu")) == (("b",), [("a", "pagu")])
    assert YamlEditor(b"a: {pagu: 1}\nb: {pagu: 1}\n").shared(("b", "pagu")) is None


# --- codes -------------------------------------------------------------------------------------------------

@pytest.fixture
def equivalent(content):
    path = content / "2022" / "program.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('- kode: "1.06.01.2.01.02"', '- kode: "1.06.01.2.01.0001"', 1), encoding="utf-8")
    return content


def test_check_rejects_codes_equal_in_canonical_form(equivalent, capsys):
    assert cli.main(["check", "--content", str(equivalent), "--year", "2022"]) == 1
    out = capsys.readouterr().out
    assert "program.yaml:28: error [kode-setara]" in out


def test_impor_refuses_codes_equal_in_canonical_form(equivalent, tmp_path, capsys):
    source = _csv(tmp_path, f"Kode;Uraian;Pagu;Realisasi\n1.06.01.2.01.0001;x;10020000;9000000\n")
    _refused(equivalent, source, capsys, "kode-setara", 1, line=28, file="program.yaml")


@pytest.mark.parametrize("dirty", ["1.06.01.2.01.01\u200b", "\u200b1.06.01.2.01.01", "1.06.\u200b01.2.01.01",
                                   "1.06.01.2.01.01\u00a0", "\ufeff1.06.01.2.01.0001", "1.06.01.2.01.01\u2060 "])
def test_code_with_invisible_characters_is_matched(content, tmp_path, capsys, dirty):
    program = content / "2022" / "program.yaml"
    before = program.read_bytes()
    source = _xlsx(tmp_path, HEADER + [[dirty, "x", 10020000, 9000000]])
    code, out, _e, _s = _impor(content, source, capsys)
    assert code == 0, out
    assert _changed_lines(before, program.read_bytes()) == [(A_LINE, "            anggaran: {pagu: 10020000, "
                                                                     "realisasi: 9000000}")]


def test_code_that_is_not_a_code_is_reported_not_dropped(content, tmp_path, capsys):
    source = _xlsx(tmp_path, HEADER + [["1.06.O1.2.01.01", "huruf O", 10020000, 9000000]])
    before = _files(content)
    code, out, _e, _s = _impor(content, source, capsys)
    assert code == 0 and ("anggaran.xlsx", 2, "kode-tidak-dikenali") in _problems(out)
    assert _files(content) == before


# --- CSV conventions ---------------------------------------------------------------------------------------

def test_comma_csv_with_unquoted_indonesian_decimals_is_refused(content, tmp_path, capsys):
    source = _csv(tmp_path, f"Kode,Uraian,Pagu,Realisasi\n{A},x,10.020.000,00,9.000.000,00\n")
    _refused(content, source, capsys, "csv-ambigu", 2, line=2)


@pytest.mark.parametrize("text", [
    f'Kode,Uraian,Pagu,Realisasi\n{A},x,"10.020.000,00","9.000.000,00"\n',
    f"Kode;Uraian;Pagu;Realisasi\n{A};x;10.020.000,00;9.000.000,00\n",
    f"Kode;Uraian;Pagu;Realisasi\n{A};x;Rp 10.020.000;Rp 9.000.000\n",
    f'Kode,Uraian,Pagu,Realisasi\n{A},x,"10,020,000.00","9,000,000.00"\n',
    f"Kode\tUraian\tPagu\tRealisasi\n{A}\tx\t10020000\t9000000\n",
], ids=["comma-quoted-id", "semicolon-id", "rp-id", "comma-quoted-en", "tab-plain"])
def test_each_convention_reads_the_same_numbers(content, tmp_path, capsys, text):
    program = content / "2022" / "program.yaml"
    before = program.read_bytes()
    code, out, _e, _s = _impor(content, _csv(tmp_path, text), capsys)
    assert code == 0, out
    assert _changed_lines(before, program.read_bytes()) == [(A_LINE, "            anggaran: {pagu: 10020000, "
                                                                     "realisasi: 9000000}")]


def test_mixed_decimal_conventions_are_an_error(content, tmp_path, capsys):
    source = _csv(tmp_path, f"Kode;Uraian;Pagu;Realisasi\n{A};x;10.020.000,00;9.000.000,00\n"
                            f"{B};y;32,715,100.00;30,000,000.00\n")
    _refused(content, source, capsys, "desimal-ambigu", 1, line=3)


def test_only_ambiguous_amounts_are_an_error(content, tmp_path, capsys):
    source = _csv(tmp_path, f"Kode;Uraian;Pagu;Realisasi\n{A};x;250.000;125.000\n")
    _refused(content, source, capsys, "desimal-ambigu", 1, line=2)


def test_header_split_equally_by_two_delimiters_is_an_error(content, tmp_path, capsys):
    source = _csv(tmp_path, f"Kode;Pagu,Realisasi;x,y\n{A};1,2;3\n")
    _refused(content, source, capsys, "csv-ambigu", 2, line=1)


# --- values beyond the schema ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, problem", [
    ("1E25", "bukan-angka"), ("99999999999999999999", "nilai-terlalu-besar"), ("1e30", "bukan-angka"),
    ("NaN", "bukan-angka"), ("inf", "bukan-angka"), ("-5", "uang-negatif"), ("(1.000.000)", "uang-negatif"),
    ("1.000.000.000.000.000", "nilai-terlalu-besar"), ("10.020.000,50", "angka-tidak-bulat"),
])
def test_csv_value_outside_the_schema_is_refused(content, tmp_path, capsys, value, problem):
    source = _csv(tmp_path, f"Kode;Uraian;Pagu;Realisasi\n{A};x;{value};1.000.000\n")
    _refused(content, source, capsys, problem, 1, line=2)


@pytest.mark.parametrize("value, problem", [(1e25, "nilai-terlalu-besar"), (1e30, "nilai-terlalu-besar"),
                                            (10 ** 15, "nilai-terlalu-besar"), (-1, "uang-negatif"),
                                            (10 ** 20, "nilai-terlalu-besar")])
def test_xlsx_number_outside_the_schema_is_refused(content, tmp_path, capsys, value, problem):
    source = _xlsx(tmp_path, HEADER + [[A, "x", value, 1000]])
    _refused(content, source, capsys, problem, 1, line=2)


@pytest.mark.parametrize("raw, problem, exit_code", [(b"1E999", "bukan-angka", 1), (b"-1E999", "bukan-angka", 1),
                                                     (b"1E25", "nilai-terlalu-besar", 1),
                                                     (b"NaN", "berkas-tidak-terbaca", 2)])
def test_xlsx_infinite_or_nan_number_is_refused(content, tmp_path, capsys, raw, problem, exit_code):
    source = _patched(_xlsx(tmp_path, HEADER + [[A, "x", 424242, 1000]]), b"<v>424242</v>", b"<v>" + raw + b"</v>")
    _refused(content, source, capsys, problem, exit_code, line=2 if exit_code == 1 else 0)


# --- sheets ------------------------------------------------------------------------------------------------

def test_hidden_sheet_is_named_and_not_preferred(content, tmp_path, capsys):
    program = content / "2022" / "program.yaml"
    before = program.read_bytes()
    hidden = HEADER + [[A, "lama", 1, 1], [B, "lama", 1, 1]]
    source = _xlsx(tmp_path, HEADER + [[A, "x", 10020000, 9000000]], hidden_first=hidden)
    code, out, _e, _s = _impor(content, source, capsys)
    assert code == 0, out
    assert ("anggaran.xlsx", 0, "lembar-tersembunyi") in _problems(out) and "Lama" in out
    assert "(lembar Realisasi)" in out
    assert _changed_lines(before, program.read_bytes()) == [(A_LINE, "            anggaran: {pagu: 10020000, "
                                                                     "realisasi: 9000000}")]


def test_only_a_hidden_sheet_holds_the_table(content, tmp_path, capsys):
    source = _xlsx(tmp_path, [["catatan saja"]], hidden_first=HEADER + [[A, "x", 10020000, 9000000]])
    code, out, _e, _s = _impor(content, source, capsys, write=False)
    assert code == 0 and "(lembar Lama, tersembunyi)" in out
    assert ("anggaran.xlsx", 0, "lembar-tersembunyi") in _problems(out)


# --- files that must end quickly with exit 2 ---------------------------------------------------------------

def test_cells_in_column_xfd_end_quickly(content, tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER[0])
    for row in range(2, 6002):
        ws.cell(row=row, column=16384, value=1)
    path = tmp_path / "xfd.xlsx"
    wb.save(path)
    assert path.stat().st_size < 64 * 1024
    _out, seconds = _refused(content, path, capsys, "berkas-terlalu-besar", 2, line=0)
    assert seconds < 10


def test_shared_strings_bomb_is_refused_before_reading(content, tmp_path, capsys):
    base = _xlsx(tmp_path, HEADER + [[A, "x", 1, 1]], name="base.xlsx")
    bomb = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + \
        b"<si><t>a</t></si>" * (20 * 1024 * 1024 // 17) + b"</sst>"
    path = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/sharedStrings.xml", bomb)
    assert path.stat().st_size < 200 * 1024
    out, seconds = _refused(content, path, capsys, "berkas-terlalu-besar", 2, line=0)
    assert "sharedStrings" in out and seconds < 10


def test_huge_cell_text_is_refused(content, tmp_path, capsys):
    source = _xlsx(tmp_path, HEADER + [[A, "x" * 32_000 + "y" * 700, 1, 1]])
    source = _patched(source, b"y" * 700, b"y" * 5000, member_prefix="xl/")
    _refused(content, source, capsys, "berkas-terlalu-besar", 2, line=0)


@pytest.mark.parametrize("name, data, problem", [
    ("terpotong.xlsx", None, "berkas-tidak-terbaca"),
    ("bukan-zip.xlsx", b"Kode;Pagu\n1.06;1\n", "berkas-tidak-terbaca"),
    ("kosong.xlsx", b"", "berkas-tidak-terbaca"),
    ("kosong.csv", b"", "berkas-kosong"),
    ("biner.csv", b"Kode;Pagu\n\x00\x01\x02", "berkas-tidak-terbaca"),
    ("baris-raksasa.csv", b"Kode;Pagu\n" + b"9" * 2_000_000 + b";1\n", "berkas-terlalu-besar"),
    ("lama.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "format-tidak-dikenal"),
])
def test_unusable_file_exits_2(content, tmp_path, capsys, name, data, problem):
    path = tmp_path / name
    if data is None:
        full = _xlsx(tmp_path, HEADER + [[A, "x", 1, 1]], name="utuh.xlsx").read_bytes()
        data = full[:len(full) // 2]
    path.write_bytes(data)
    _refused(content, path, capsys, problem, 2)


# --- how program.yaml is written ---------------------------------------------------------------------------

def test_symlinked_program_yaml_stays_a_link(content, tmp_path, capsys):
    year = content / "2022"
    real = content / "bersama" / "program.yaml"
    real.parent.mkdir()
    (year / "program.yaml").rename(real)
    (year / "program.yaml").symlink_to(real)
    before = real.read_bytes()
    code, out, _e, _s = _impor(content, _csv(tmp_path, f"Kode;Uraian;Pagu;Realisasi\n{A};x;10020000;9000000\n"), capsys)
    assert code == 0, out
    assert (year / "program.yaml").is_symlink() and os.readlink(year / "program.yaml") == str(real)
    assert _changed_lines(before, real.read_bytes()) == [(A_LINE, "            anggaran: {pagu: 10020000, "
                                                                  "realisasi: 9000000}")]
    assert sorted(p.name for p in real.parent.iterdir()) == ["program.yaml"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
@pytest.mark.parametrize("mode", [0o400, 0o640, 0o600])
def test_program_yaml_keeps_its_mode(content, tmp_path, capsys, mode):
    program = content / "2022" / "program.yaml"
    before = program.read_bytes()
    program.chmod(mode)
    code, out, _e, _s = _impor(content, _csv(tmp_path, f"Kode;Uraian;Pagu;Realisasi\n{A};x;10020000;9000000\n"), capsys)
    assert code == 0, out
    assert stat.S_IMODE(program.stat().st_mode) == mode
    program.chmod(0o600)
    assert _changed_lines(before, program.read_bytes()) == [(A_LINE, "            anggaran: {pagu: 10020000, "
                                                                     "realisasi: 9000000}")]
    assert sorted(p.name for p in program.parent.iterdir() if p.name.startswith(".")) == []


def test_dry_run_shows_exactly_what_tulis_writes(content, tmp_path, capsys):
    program = content / "2022" / "program.yaml"
    source = _csv(tmp_path, f"Kode;Uraian;Pagu;Realisasi\n{A};x;10020000;9000000\n{B};y;32715100;30000000\n")
    before = _files(content)
    code, out, _e, _s = _impor(content, source, capsys, write=False)
    assert code == 0 and _files(content) == before
    shown = [line.strip().split(":")[0] for line in out.splitlines() if line.startswith("  1.06.")]
    code, _out, _e, _s = _impor(content, source, capsys)
    assert code == 0
    changed = _changed_lines(before["2022/program.yaml"], program.read_bytes())
    assert shown == [A, B] and [old for old, _new in changed] == [A_LINE, B_LINE]
    assert cli.main(["check", "--content", str(content), "--year", "2022"]) == 0


def test_comma_csv_whose_header_has_no_kode_word(content, tmp_path, capsys):
    laporan = content / "2022" / "laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8") + "impor_anggaran:\n  kolom:\n    kode: Kd Rek\n",
                       encoding="utf-8")
    program = content / "2022" / "program.yaml"
    before = program.read_bytes()
    source = _csv(tmp_path, f'Laporan realisasi 2022\nKd Rek,Uraian,Pagu,Realisasi\n{A},x,"10.020.000,00","9.000.000"\n')
    code, out, _e, _s = _impor(content, source, capsys)
    assert code == 0, out
    assert _changed_lines(before, program.read_bytes()) == [(A_LINE, "            anggaran: {pagu: 10020000, "
                                                                     "realisasi: 9000000}")]
