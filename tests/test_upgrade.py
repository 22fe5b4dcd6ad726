"""Issue 21 item 9: content written for the first release (tests/contoh/format-1, the example's content at that
release) is answered by `check` with what replaced each old key, and `upgrade` brings it to the current format:
shown as a diff first, written with --tulis, layout and comments kept, then it checks and builds. Hostile and
careless inputs: links out of the content, anchors, malformed YAML, read-only files, files changed meanwhile,
running twice."""
from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from lkjip import cli, pipeline
from lkjip.tools import upgrade
from lkjip.validate.legacy import CONTENT_FORMAT

ROOT = Path(__file__).resolve().parent.parent
OLD = ROOT / "tests" / "contoh" / "format-1"


@pytest.fixture
def old(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(OLD, root)
    return root


def _files(root: Path) -> dict:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_check_names_what_replaced_each_old_key(old):
    problems = pipeline.check(old, 2022).problems
    errors = sorted((Path(p.file).name, p.path, p.line) for p in problems if p.severity == "error")
    assert errors == [("analisis_efisiensi.md", "", 1), ("analisis_keberhasilan.md", "", 1),
                      ("dasar_hukum.yaml", "dasar_hukum[10].catatan", 13),
                      ("ikhtisar_eksekutif.md", "", 3), ("ikhtisar_eksekutif.md", "", 3),
                      ("kinerja.yaml", "perjanjian_kinerja", 2),
                      ("laporan.yaml", "capaian.metode_efisiensi", 35), ("laporan.yaml", "pihak_kedua", 19),
                      ("penutup.md", "", 3)]
    assert {p.code for p in problems if p.severity == "error"} == {"format-lama"}
    assert all("upgrade" in p.message for p in problems if p.code == "format-lama")


def test_without_tulis_nothing_is_written(old, capsys):
    before = _files(old)
    assert cli.main(["upgrade", "--content", str(old)]) == 0
    out, err = capsys.readouterr()
    assert _files(old) == before
    assert "+  target:" in out and "-pihak_kedua:" in out and "+format: 2" in out
    assert "belum ada yang ditulis" in err


def test_upgraded_content_checks_and_builds(old, tmp_path, capsys):
    assert cli.main(["upgrade", "--content", str(old), "--tulis"]) == 0
    result = pipeline.check(old, 2022)
    assert [p.format() for p in result.problems if p.severity == "error"] == []
    kinerja = (old / "2022" / "kinerja.yaml").read_text(encoding="utf-8")
    assert "  target:\n    # Target diambil dari Renstra" in kinerja            # comments moved with their block
    assert "  pihak_kedua: {jabatan: Wali Kota Metro}" in kinerja
    assert result.report.pk.pihak_kedua.jabatan == "Wali Kota Metro"
    assert result.report.efisiensi["metode"] == "capaian_vs_serapan"
    laporan = (old / "2022" / "laporan.yaml").read_text(encoding="utf-8")
    assert f"tahun: 2022\nformat: {CONTENT_FORMAT}\n" in laporan and "metode_efisiensi" not in laporan
    assert "capaian.nilai" in (old / "2022" / "prosa" / "penutup.md").read_text(encoding="utf-8")
    built = pipeline.report(old, 2022, tmp_path / "out")
    assert built.output is not None and built.output.is_file()
    capsys.readouterr()
    assert cli.main(["upgrade", "--content", str(old)]) == 0            # a second run has nothing to do
    assert "sudah format 2" in capsys.readouterr().err


def test_current_content_is_left_alone(tmp_path, capsys):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    before = _files(root)
    assert cli.main(["upgrade", "--content", str(root), "--tulis"]) == 0
    assert _files(root) == before and capsys.readouterr().out == ""


def test_content_without_format_key_and_no_old_key_gets_only_the_format(tmp_path, capsys):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "examples" / "kota-dumai-2016", root)
    assert cli.main(["upgrade", "--content", str(root)]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")] == ["+format: 2"]


def test_newer_format_is_refused_with_a_clear_message(content):
    root = content
    path = root / "2022" / "laporan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("format: 2", "format: 9"), encoding="utf-8")
    errors = [p for p in pipeline.check(root, 2022).problems if p.severity == "error"]
    assert [(p.code, p.path) for p in errors] == [("format-baru", "format")]


# --- hostile and careless input -------------------------------------------------------------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_a_link_out_of_the_content_is_not_followed(old, tmp_path, capsys):
    outside = tmp_path / "rahasia.yaml"
    outside.write_text("perjanjian_kinerja:\n  - indikator: x\n", encoding="utf-8")
    kinerja = old / "2022" / "kinerja.yaml"
    kinerja.unlink()
    kinerja.symlink_to(outside)
    assert cli.main(["upgrade", "--content", str(old), "--tulis"]) == 1
    err = capsys.readouterr().err
    assert "perlu tangan" in err and "luar folder konten" in err
    assert outside.read_text(encoding="utf-8") == "perjanjian_kinerja:\n  - indikator: x\n"
    assert "format: 2" not in (old / "2022" / "laporan.yaml").read_text(encoding="utf-8")   # that year untouched


def test_an_anchor_on_a_moved_value_is_left_for_a_person(old, capsys):
    kinerja = old / "2022" / "kinerja.yaml"
    text = kinerja.read_text(encoding="utf-8")
    kinerja.write_text(text.replace("perjanjian_kinerja:\n", "perjanjian_kinerja: &pk\n", 1), encoding="utf-8")
    before = _files(old)
    assert cli.main(["upgrade", "--content", str(old), "--tulis"]) == 1
    assert _files(old) == before
    assert "perlu tangan" in capsys.readouterr().err


def test_malformed_yaml_stops_only_its_year(old, capsys):
    second = old / "2021"
    shutil.copytree(old / "2022", second)
    (second / "laporan.yaml").write_text("tahun: [2021\n", encoding="utf-8")
    assert cli.main(["upgrade", "--content", str(old), "--tulis"]) == 1
    err = capsys.readouterr().err
    assert "2021" in err and "perlu tangan" in err
    assert (second / "laporan.yaml").read_text(encoding="utf-8") == "tahun: [2021\n"
    assert "format: 2" in (old / "2022" / "laporan.yaml").read_text(encoding="utf-8")


def test_huge_prose_file_is_refused_not_read(old, capsys):
    (old / "2022" / "prosa" / "besar.md").write_bytes(b"{{ iku.capaian.value }}\n" * 400000)
    assert cli.main(["upgrade", "--content", str(old), "--tulis"]) == 1
    assert "perlu tangan" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes read-only files")
def test_read_only_file_keeps_its_mode(old):
    path = old / "2022" / "laporan.yaml"
    path.chmod(0o444)
    assert cli.main(["upgrade", "--content", str(old), "--tulis"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_file_changed_after_reading_is_not_overwritten(old, monkeypatch, capsys):
    real = upgrade.plan_year

    def edited_meanwhile(root, year):
        plan = real(root, year)
        (root / str(year) / "laporan.yaml").write_text("tahun: 2022\n# disunting\n", encoding="utf-8")
        return plan
    monkeypatch.setattr(upgrade, "plan_year", edited_meanwhile)
    assert cli.main(["upgrade", "--content", str(old), "--tulis"]) == 1
    assert "berubah sejak dibaca" in capsys.readouterr().err
    assert (old / "2022" / "laporan.yaml").read_text(encoding="utf-8") == "tahun: 2022\n# disunting\n"


def test_no_year_folder_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["upgrade", "--content", str(tmp_path)]) == cli.EXIT_USAGE


@pytest.mark.parametrize("text", ["perjanjian_kinerja: teks biasa\n", "perjanjian_kinerja: [1, [2]]\n",
                                  "perjanjian_kinerja:\n  - indikator: x\n" * 1 + "realisasi_indikator: 5\n"])
def test_odd_shapes_of_old_keys_are_reported_not_crashed(old, text, capsys):
    """legacy.py reads whatever shape the old key has; upgrade leaves what it cannot move for a person."""
    (old / "2022" / "kinerja.yaml").write_text(text, encoding="utf-8")
    problems = pipeline.check(old, 2022).problems
    assert any(p.severity == "error" for p in problems)
    assert cli.main(["upgrade", "--content", str(old)]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err
