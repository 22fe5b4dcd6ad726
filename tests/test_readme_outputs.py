"""README.md's sample outputs, regenerated: every command block of the README that shows what a command prints is
run here and compared line by line, so that sheet names, figures and counts cannot drift from the product.

In a README output block, a line `...` stands for any number of lines, `...` inside a line for any text, and a
duration (`0,41 s`) for any duration. Each output block is found by the command block before it."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lkjip import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# the example's 20 warnings: gaps of the source document itself (README, "Membaca pesan `check`")
SOURCE_GAPS = {"keluaran-tanpa-anggaran", "anggaran-tanpa-indikator", "anggaran-tanpa-capaian", "nip-tidak-valid",
               "orang-di-luar-daftar", "pk-tanpa-tanda-tangan"}


def blocks() -> list[tuple[str, str]]:
    """(language, text) of every fenced block of the README, in order."""
    return [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```$", README, re.M | re.S)]


def output_after(command_fragment: str) -> list[str]:
    """The lines of the plain (output) block that follows the command block containing command_fragment."""
    found = blocks()
    for i, (_lang, text) in enumerate(found):
        if command_fragment in text and i + 1 < len(found) and found[i + 1][0] == "":
            return found[i + 1][1].splitlines()
    raise AssertionError(f"README: no output block after a command block with {command_fragment!r}")


def block_with(fragment: str) -> list[str]:
    for lang, text in blocks():
        if lang == "" and fragment in text:
            return text.splitlines()
    raise AssertionError(f"README: no output block with {fragment!r}")


_DURATION = re.compile(r"\d+,\d+ s\b")


def _pattern(line: str) -> re.Pattern:
    parts = [re.escape(p) for p in _DURATION.sub("\0", line).split("...")]
    return re.compile("^" + ".*?".join(parts).replace("\\\0", r"\d+,\d+ s").replace("\0", r"\d+,\d+ s") + "$")


def assert_shown(expected: list[str], actual: list[str]) -> None:
    """expected (README) matches actual line by line; a `...` line skips any number of actual lines."""
    def match(i: int, j: int) -> bool:
        if i == len(expected):
            return j == len(actual)
        if expected[i].strip() == "...":
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and bool(_pattern(expected[i]).match(actual[j])) and match(i + 1, j + 1)
    assert match(0, 0), "README output differs from the product:\n--- README\n" + "\n".join(expected) + \
        "\n--- actual\n" + "\n".join(actual)


def run(argv, cwd: Path, monkeypatch, capsys) -> tuple[int, list[str]]:
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("LKJIP_TANPA_TATA_LETAK", "1")       # the layout pass changes page numbers, not these lines
    capsys.readouterr()
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out.splitlines() + err.splitlines()


def test_matcher_reads_the_readme_conventions():
    assert_shown(["a ... c", "...", "z (0,41 s)"], ["a b c", "x", "y", "z (12,05 s)"])
    assert_shown(["a", "..."], ["a"])
    with pytest.raises(AssertionError):
        assert_shown(["a 21 c"], ["a 20 c"])


@pytest.fixture
def example(tmp_path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def test_check_sample_lines_are_what_check_prints(example, monkeypatch, capsys):
    """Each line of the `check` sample is printed by check on the example, or on the example with the one mistake the
    line shows (a sub kegiatan code written 1.6.02.2.03.01)."""
    expected = block_with("[kode-tingkat-salah]")
    _code, clean = run(["check"], example, monkeypatch, capsys)
    program = example / "content" / "2022" / "program.yaml"
    text = program.read_text(encoding="utf-8")
    assert text.count('kode: "1.06.02.2.03.01"') == 1
    program.write_text(text.replace('kode: "1.06.02.2.03.01"', 'kode: "1.6.02.2.03.01"'), encoding="utf-8")
    code, planted = run(["check"], example, monkeypatch, capsys)
    assert code == 1
    for line in expected:
        assert any(_pattern(line).match(a) for a in clean + planted), line


def test_the_example_prints_20_warnings_all_gaps_of_the_source(example, monkeypatch, capsys):
    assert "**20 peringatan**" in README and "`check --strict` pada contoh ini keluar\ndengan kode 1" in README
    code, lines = run(["check"], example, monkeypatch, capsys)
    assert code == 0
    warnings = [l for l in lines if ": warning [" in l]
    assert len(warnings) == 20 and lines[-1].startswith("0 galat, 20 peringatan")
    assert {re.search(r"\[([a-z0-9-]+)\]", l).group(1) for l in warnings} == SOURCE_GAPS
    code, _ = run(["check", "--strict"], example, monkeypatch, capsys)
    assert code == 1


def test_spreadsheet_walkthrough_output(example, monkeypatch, capsys):
    """README, "Alur kerja: dari XLSX kembali ke laporan": export, edit two realisation cells of the budget sheet
    the README names, import without --tulis."""
    import openpyxl
    sheet = re.search(r'lembar "(Tabel [\d.]+)" \(Realisasi Anggaran\)', README).group(1)
    code, _ = run(["ekspor", "--year", "2022"], example, monkeypatch, capsys)
    assert code == 0
    xlsx = example / "output" / "lkjip-2022-tabel.xlsx"
    book = openpyxl.load_workbook(xlsx)
    assert "Realisasi Anggaran" in str(book[sheet]["A1"].value)        # the sheet the README names is the budget
    new = {"1.06.01.2.01.01": 10_000_000, "1.06.04.2.01.01": 145_000_000}
    for row in book[sheet].iter_rows():
        if row[0].value in new:
            row[3].value = new.pop(row[0].value)
    assert new == {}
    book.save(xlsx)
    code, lines = run(["impor-anggaran", "output/lkjip-2022-tabel.xlsx", "--year", "2022"], example, monkeypatch,
                      capsys)
    assert code == 0
    assert_shown(output_after("make impor-anggaran FILE=output/lkjip-2022-tabel.xlsx YEAR=2022  "), lines)


def test_batch_output(tmp_path, monkeypatch, capsys):
    """README, "Banyak laporan sekaligus": this repository's content beside another agency's with two errors."""
    here = tmp_path / "lkjip"
    shutil.copytree(ROOT / "content", here / "content")
    other = tmp_path / "dinas-kesehatan" / "content"
    shutil.copytree(ROOT / "content", other)
    (other / "2022").rename(other / "2023")
    laporan = other / "2023" / "laporan.yaml"
    text = laporan.read_text(encoding="utf-8").replace("tahun: 2022", "tahun: 2023")
    laporan.write_text(re.sub(r"^(judul|singkatan):.*\n", "", text, flags=re.M), encoding="utf-8")   # two errors
    code, lines = run(["report", "--all", "--root", "content", "--root", "../dinas-kesehatan/content", "--proses", "2"],
                      here, monkeypatch, capsys)
    assert code == 1
    shown = [l for l in lines if l.startswith(("selesai ", "gagal ")) or " laporan disusun dalam " in l]
    assert_shown(output_after("python build.py report --all --root content --root ../dinas-kesehatan/content"), shown)


def test_new_agency_commands_exit_as_documented(tmp_path, monkeypatch, capsys):
    """README, "Instansi baru": the init command as written, then check (exit 0) and check --strict (exit 1)."""
    section = README.split("## Instansi baru", 1)[1]
    command = next(l for l in section.splitlines() if l.startswith("lkjip init "))
    import shlex
    argv = shlex.split(command)[1:]
    code, _ = run(argv, tmp_path, monkeypatch, capsys)
    assert code == 0
    repo = tmp_path / argv[1]
    assert "kode keluar 0" in section and "`check --strict` keluar dengan kode **1**" in section
    code, lines = run(["check"], repo, monkeypatch, capsys)
    assert code == 0 and any("[isian-kosong]" in l for l in lines)
    code, _ = run(["check", "--strict"], repo, monkeypatch, capsys)
    assert code == 1
