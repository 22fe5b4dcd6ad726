"""Issue 25 items 3 and 5: money per quarter (program.yaml anggaran.triwulan, imported with impor-anggaran --triwulan
N), the quarterly report's absorption table and workbook, and `diff 2024-TW1 2024-TW2` between two quarters of a year.
Hand-computed figures: program pagu 120.000.000; to the end of TW II plan 50 + 10 = 60 juta, realisation 40 + 9 = 49
juta: 49/120 = 40,83 % of the pagu, 49/60 = 81,67 % of the plan."""
from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

import pytest

from lkjip import cli, pipeline
from lkjip.validate.consistency import Locator, check_quarter_budget

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_any_agency import FILES, write_agency  # noqa: E402
from test_quarters import PLAN  # noqa: E402

FIRST = "        anggaran: {pagu: 100000000, realisasi: 50000000}\n"
SECOND = "        anggaran: {pagu: 20000000, realisasi: 19000000}\n"


def _money(pagu: int, real: int, quarters: str) -> str:
    return (f"        anggaran:\n          pagu: {pagu}\n          realisasi: {real}\n          triwulan:\n"
            + "".join(f"            {line}\n" for line in quarters.strip().splitlines()))


def _agency(tmp_path, first: str, second: str | None = None, plan: str = PLAN) -> Path:
    program = FILES["2024/program.yaml"].replace(FIRST, first)
    if second is not None:
        program = program.replace(SECOND, second)
    files = {**FILES, "2024/program.yaml": program, "2024/kinerja.yaml": FILES["2024/kinerja.yaml"] + plan}
    return write_agency(tmp_path / "content", files)


QUARTERS_1 = """\
I: {rencana: 20000000, realisasi: 15000000}
II: {rencana: 50000000, realisasi: 40000000}
"""
QUARTERS_2 = """\
I: {rencana: 5000000, realisasi: 5000000}
II: {rencana: 10000000, realisasi: 9000000}
"""


@pytest.fixture(scope="module")
def monitored(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tw")
    return _agency(tmp, _money(100000000, 50000000, QUARTERS_1), _money(20000000, 19000000, QUARTERS_2))


def _problems(root: Path, code: str) -> list:
    result = pipeline.check(root, 2024)
    return [(Path(p.file).name, p.path) for p in result.problems if p.code == code]


def test_absorption_per_program_to_the_end_of_the_quarter(monitored, tmp_path):
    out = tmp_path / "out"
    assert cli.main(["triwulan", "2", "--content", str(monitored), "--output", str(out)]) == 0
    md = (out / "triwulan-2-2024.md").read_text(encoding="utf-8")
    assert ("| 1 | 1.02.15 Program Pelayanan Contoh | 120.000.000 | 60.000.000 | 49.000.000 | 40,83% | 81,67% |"
            in md)
    assert "realisasi keuangan Rp 49.000.000 atau 40,83% dari pagu Rp 120.000.000, 81,67% dari rencana" in md
    # the quarter's tables also as a workbook, in the same transaction, byte-identical on rebuild
    from openpyxl import load_workbook
    book = load_workbook(out / "triwulan-2-2024.xlsx")
    assert len(book.sheetnames) == 4          # absorption, per sub kegiatan, the quarter, the Rencana Aksi
    sheet = book[book.sheetnames[0]]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[:7] == [1, "1.02.15 Program Pelayanan Contoh", 120000000, 60000000, 49000000] + row[5:7]
               for row in values)
    first = (out / "triwulan-2-2024.xlsx").read_bytes(), (out / "triwulan-2-2024.docx").read_bytes()
    assert cli.main(["triwulan", "II", "--content", str(monitored), "--output", str(out)]) == 0
    assert ((out / "triwulan-2-2024.xlsx").read_bytes(), (out / "triwulan-2-2024.docx").read_bytes()) == first


def test_one_leaf_without_the_quarter_makes_the_program_unknown_not_smaller(tmp_path):
    root = _agency(tmp_path, _money(100000000, 50000000, QUARTERS_1),
                   _money(20000000, 19000000, "I: {rencana: 5000000, realisasi: 5000000}"))
    out = tmp_path / "out"
    assert cli.main(["triwulan", "2", "--content", str(root), "--output", str(out)]) == 0
    md = (out / "triwulan-2-2024.md").read_text(encoding="utf-8")
    assert "| 1 | 1.02.15 Program Pelayanan Contoh | 120.000.000 | - | - | - | - |" in md
    assert "belum lengkap" in md and "impor-anggaran --triwulan 2" in md
    # the first quarter is complete
    assert cli.main(["triwulan", "1", "--content", str(root), "--output", str(out)]) == 0
    md1 = (out / "triwulan-1-2024.md").read_text(encoding="utf-8")
    assert "| 1 | 1.02.15 Program Pelayanan Contoh | 120.000.000 | 25.000.000 | 20.000.000 | 16,67% | 80,00% |" in md1


def test_no_quarterly_money_no_absorption_section(tmp_path):
    root = _agency(tmp_path, FIRST)
    out = tmp_path / "out"
    assert cli.main(["triwulan", "2", "--content", str(root), "--output", str(out)]) == 0
    assert "Penyerapan Anggaran" not in (out / "triwulan-2-2024.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("quarters,code,path", [
    ("I: {realisasi: 30000000}\nII: {realisasi: 20000000}", "triwulan-menurun",
     "program[0].kegiatan[0].anggaran.triwulan.II.realisasi"),
    ("II: {rencana: 150000000}", "realisasi-melebihi-pagu", "program[0].kegiatan[0].anggaran.triwulan.II.rencana"),
    ("IV: {rencana: 90000000}", "anggaran-kas-tidak-sampai", "program[0].kegiatan[0].anggaran.triwulan.IV.rencana"),
    ("IV: {rencana: 100000000, realisasi: 49000000}", "realisasi-triwulan-berbeda",
     "program[0].kegiatan[0].anggaran.triwulan.IV.realisasi"),
])
def test_quarterly_money_checks(tmp_path, quarters, code, path):
    root = _agency(tmp_path, _money(100000000, 50000000, quarters))
    assert ("program.yaml", path) in _problems(root, code)


def test_a_quarter_not_yet_ended_has_no_realisation(tmp_path):
    root = _agency(tmp_path, _money(100000000, 50000000, "I: {realisasi: 1000}\nIII: {realisasi: 2000}"))
    result = pipeline.check(root, 2024)
    loc = Locator(result.content.docs)
    found = check_quarter_budget(result.report, None, loc, today=datetime.date(2024, 8, 1))
    assert [(p.code, p.path) for p in found] == [
        ("triwulan-belum-berakhir", "program[0].kegiatan[0].anggaran.triwulan.III.realisasi")]


@pytest.mark.parametrize("value", ["[]", "null", "{I: null}", "{I: {}}", "{V: {realisasi: 1}}",
                                   "{I: {realisasi: -5}}", "{I: {realisasi: 1.5}}", "{I: {realisasi: satu}}",
                                   "{I: {realisasi_fisik: -1}}", "{I: {rencana_fisik: banyak}}", "{I: {realisasi_fisik: 1e999}}"])
def test_careless_quarterly_money_is_a_located_problem_never_a_crash(tmp_path, value, capsys):
    first = FIRST.replace("realisasi: 50000000}", f"realisasi: 50000000, triwulan: {value}}}")
    root = _agency(tmp_path, first)
    code = cli.main(["triwulan", "1", "--content", str(root), "--output", str(tmp_path / "out")])
    seen = capsys.readouterr()
    printed = seen.out + seen.err
    assert code in (0, 1) and "Traceback" not in printed
    if code == 1:
        assert re.search(r"program\.yaml:\d+: error \[", printed)


# --- diff between two quarters -------------------------------------------------------------------------------

def test_diff_between_quarters_names_status_changes_first(monitored, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["diff", "2024-TW1", "2024-TW2", "--content", str(monitored), "--output", str(out)]) == 0
    text = (out / "diff-2024-TW1-TW2.md").read_text(encoding="utf-8")
    marks = text.split("## Perubahan penting", 1)[1].split("\n## ", 1)[0]
    assert ("1. Indikator Cakupan Layanan Contoh: status TW I sesuai rencana → TW II **perlu perhatian** "
            "(capaian s.d. triwulan 125,00% → 95,00%)") in marks
    assert "2. Indikator Angka Kematian Contoh: status TW I perlu perhatian → TW II **sesuai rencana**" in marks
    assert ("| 1.02.15 Program Pelayanan Contoh | Rp 120.000.000 | Rp 20.000.000 | 16,67% | Rp 49.000.000 | 40,83% |"
            in text)
    capsys.readouterr()
    # the same as GitHub notices on the kinerja.yaml line of the Rencana Aksi
    assert cli.main(["diff", "2024-TWI", "2024-TWII", "--content", str(monitored), "--output", str(out),
                     "--format", "github"]) == 0
    notices = capsys.readouterr().out.splitlines()
    assert len(notices) == 2 and all(n.startswith("::notice file=") and "kinerja.yaml,line=" in n for n in notices)


@pytest.mark.parametrize("a,b", [("2024-TW2", "2024-TW1"), ("2024-TW1", "2025-TW2"), ("2024", "2024-TW2"),
                                 ("2024-TW1", "2024-TW1")])
def test_diff_of_quarters_out_of_order_or_mixed_is_a_usage_error(monitored, tmp_path, a, b, capsys):
    assert cli.main(["diff", a, b, "--content", str(monitored), "--output", str(tmp_path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("arg", ["2024-TW5", "2024-TW0", "24-TW1", "2024-XX1", "2024-TW１"])
def test_diff_period_that_is_no_period_is_refused(monitored, tmp_path, arg, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["diff", arg, "2024-TW2", "--content", str(monitored), "--output", str(tmp_path)])
    assert stop.value.code == 2


def test_quarter_diff_without_a_plan_fails_and_removes_the_stale_diff(tmp_path, capsys):
    root = _agency(tmp_path, FIRST, plan="")
    out = tmp_path / "out"
    out.mkdir()
    (out / "diff-2024-TW1-TW2.md").write_text("lama", encoding="utf-8")
    assert cli.main(["diff", "2024-TW1", "2024-TW2", "--content", str(root), "--output", str(out)]) == 1
    assert not (out / "diff-2024-TW1-TW2.md").exists()


# --- impor-anggaran --triwulan N -----------------------------------------------------------------------------

CSV = "kode,uraian,pagu,realisasi\n1.02.15.01,Pertama,100000000,41000000\n1.02.15.02,Kedua,20000000,9500000\n"


def _import(root: Path, tmp_path, quarter: str, text: str = CSV) -> int:
    source = tmp_path / "realisasi.csv"
    source.write_text(text, encoding="utf-8")
    return cli.main(["impor-anggaran", str(source), "--content", str(root), "--year", "2024", "--triwulan", quarter,
                     "--tulis"])


@pytest.mark.parametrize("first,expected", [
    (FIRST, "anggaran: {pagu: 100000000, realisasi: 50000000, triwulan: {II: {realisasi: 41000000}}}"),
    (_money(100000000, 50000000, "I: {rencana: 20000000, realisasi: 15000000}"),
     "            II: {realisasi: 41000000}"),
    (_money(100000000, 50000000, "II: {rencana: 50000000}"), "II: {rencana: 50000000, realisasi: 41000000}"),
    (_money(100000000, 50000000, QUARTERS_1), "II: {rencana: 50000000, realisasi: 41000000}"),
])
def test_impor_triwulan_writes_the_quarter_only(tmp_path, first, expected, capsys):
    root = _agency(tmp_path, first)
    program = root / "2024" / "program.yaml"
    assert _import(root, tmp_path, "2") == 0, capsys.readouterr()
    text = program.read_text(encoding="utf-8")
    assert expected in text
    assert "pagu: 100000000" in text and "realisasi: 50000000" in text          # the year's figures untouched
    result = pipeline.check(root, 2024)
    first_leaf = result.report.programs[0].kegiatan[0].leaf
    assert first_leaf.budget.realisasi_tw[1] == 41000000 and first_leaf.budget.realisasi == 50000000


def test_impor_triwulan_with_quarter_columns_sums_the_quarters_so_far(tmp_path, capsys):
    root = _agency(tmp_path, FIRST)
    text = ("kode,uraian,pagu,TW I,TW II,TW III,TW IV\n1.02.15.01,Pertama,100000000,15000000,26000000,,\n"
            "1.02.15.02,Kedua,20000000,5000000,,,\n")
    assert _import(root, tmp_path, "II", text) == 0
    out = capsys.readouterr().out
    assert "1.02.15.01: realisasi s.d. TW II - -> 41.000.000" in out
    assert "1.02.15.02" not in out.split("lama -> baru", 1)[1]        # TW II empty: unknown, nothing written


def test_impor_triwulan_above_the_pagu_is_refused_and_nothing_written(tmp_path, capsys):
    root = _agency(tmp_path, FIRST)
    before = (root / "2024" / "program.yaml").read_bytes()
    text = CSV.replace("41000000", "141000000")
    assert _import(root, tmp_path, "2", text) == 1
    assert "[realisasi-melebihi-pagu]" in capsys.readouterr().out
    assert (root / "2024" / "program.yaml").read_bytes() == before


def test_impor_triwulan_of_a_shared_anggaran_is_refused(tmp_path, capsys):
    shared = FILES["2024/program.yaml"].replace(FIRST, "        anggaran: &uang {pagu: 100000000, realisasi: 50000000}\n")
    shared = shared.replace(SECOND, "        anggaran: *uang\n")
    files = {**FILES, "2024/program.yaml": shared}
    root = write_agency(tmp_path / "content", files)
    before = (root / "2024" / "program.yaml").read_bytes()
    assert _import(root, tmp_path, "2") == 1
    assert "[nilai-lewat-alias]" in capsys.readouterr().out
    assert (root / "2024" / "program.yaml").read_bytes() == before


def test_readme_quarterly_money_example_builds(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n( +anggaran:\n +pagu: .*?triwulan:.*?)```", readme, re.DOTALL).group(1)
    indent = len(block) - len(block.lstrip(" "))
    lines = [line[indent:] for line in block.splitlines()]
    root = _agency(tmp_path, "".join(f"        {line}\n" for line in lines))
    result = pipeline.check(root, 2024)
    assert not [p for p in result.problems if p.severity == "error"]
    leaf = result.report.programs[0].kegiatan[0].leaf
    assert leaf.budget.rencana_tw == (2500000, 5000000, None, None)
    assert leaf.budget.realisasi_tw == (2000000, 4500000, None, None)


@pytest.mark.parametrize("today,ended", [("2024-03-31", 0), ("2024-04-01", 1), ("2024-12-31", 3), ("2025-01-01", 4),
                                         ("2023-12-31", 0)])
def test_quarters_ended_by_a_date(today, ended):
    from lkjip.tools.nilai.monitoring import ended_quarters
    assert ended_quarters(2024, datetime.date.fromisoformat(today)) == ended


def test_workbook_name_taken_by_a_folder_writes_nothing(monitored, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "triwulan-2-2024.xlsx").mkdir(parents=True)
    (out / "triwulan-2-2024.xlsx" / "milik-pengguna.txt").write_text("x", encoding="utf-8")
    assert cli.main(["triwulan", "2", "--content", str(monitored), "--output", str(out)]) == cli.EXIT_OUTPUT
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["triwulan-2-2024.xlsx"]
    assert (out / "triwulan-2-2024.xlsx" / "milik-pengguna.txt").read_text(encoding="utf-8") == "x"
    assert "Traceback" not in capsys.readouterr().err


PHYSICAL = """\
I: {rencana: 20000000, realisasi: 15000000, rencana_fisik: 25, realisasi_fisik: 20}
II: {rencana: 50000000, realisasi: 40000000, rencana_fisik: 50, realisasi_fisik: 37.5}
"""


def test_physical_and_financial_progress_per_sub_kegiatan(tmp_path):
    """Keuangan as a share of the pagu (40 of 100 juta = 40 %, plan 50 %), fisik as given (37,5 against 50: -12,5)."""
    root = _agency(tmp_path, _money(100000000, 50000000, PHYSICAL))
    out = tmp_path / "out"
    assert cli.main(["triwulan", "2", "--content", str(root), "--output", str(out)]) == 0
    md = (out / "triwulan-2-2024.md").read_text(encoding="utf-8")
    assert "Realisasi Fisik dan Keuangan Kegiatan sampai dengan Triwulan II Tahun 2024" in md
    assert "| 1.02.15.01 | Kegiatan Contoh Pertama | 100.000.000 | 50,00% | 40,00% | 50,00% | 37,50% | -12,5 |" in md


@pytest.mark.parametrize("quarters,code,path", [
    ("I: {realisasi_fisik: 40}\nII: {realisasi_fisik: 30}", "triwulan-menurun",
     "program[0].kegiatan[0].anggaran.triwulan.II.realisasi_fisik"),
    ("I: {realisasi_fisik: 140}", "nilai-terlalu-besar", "program[0].kegiatan[0].anggaran.triwulan.I.realisasi_fisik"),
])
def test_physical_progress_checks(tmp_path, quarters, code, path):
    root = _agency(tmp_path, _money(100000000, 50000000, quarters))
    found = [(p.code, p.path) for p in pipeline.check(root, 2024).problems]
    assert any(c == code and p == path for c, p in found), found
