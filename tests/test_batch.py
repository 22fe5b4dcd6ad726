"""report --all (lkjip/tools/batch.py): every year of every root, in parallel processes, one line each, no collisions."""
from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from lkjip.tools import batch
from lkjip import cli

ROOT = Path(__file__).resolve().parent.parent


def test_output_folders_never_collide():
    assert batch.output_folders([Path("content")], Path("out")) == [Path("out")]
    folders = batch.output_folders([Path("a/content"), Path("b/content"), Path("b/Content"), Path("x/kota dumai")],
                                   Path("out"))
    assert folders == [Path("out/content"), Path("out/content-2"), Path("out/Content-3"), Path("out/kota-dumai")]


def _roots(tmp_path, content, built_2022):
    """Two roots named `content` with the same year (one broken), and a copy of the drawn figures for each."""
    good, bad = tmp_path / "a" / "content", tmp_path / "b" / "content"
    shutil.copytree(content, good)
    shutil.copytree(content, bad)
    (bad / "2022" / "laporan.yaml").write_text("tahun: [\n", encoding="utf-8")
    out = tmp_path / "out"
    for name in ("content", "content-2"):
        shutil.copytree(built_2022.parent / ".cache" / "gambar", out / name / ".cache" / "gambar")
    return good, bad, out


def _check(capsys, code, out, built_2022):
    lines = capsys.readouterr().out.splitlines()
    assert code == batch.CONTENT_ERRORS
    assert [line.split()[0] for line in lines] == ["selesai", "gagal"]
    assert "a/content/2022" in lines[0] and "b/content/2022" in lines[1] and "konten bermasalah (1 galat" in lines[1]
    assert (out / "content" / "lkjip-2022.docx").read_bytes() == built_2022.read_bytes()     # same as one build
    assert not (out / "content-2" / "lkjip-2022.docx").exists()


def test_report_all_two_roots_same_year(tmp_path, content, built_2022, capsys, monkeypatch):
    monkeypatch.setenv("LKJIP_TANPA_TATA_LETAK", "1")
    good, bad, out = _roots(tmp_path, content, built_2022)
    code = cli.main(["report", "--all", "--root", str(good), "--root", str(bad), "--output", str(out),
                     "--proses", "2"])
    _check(capsys, code, out, built_2022)


@pytest.mark.slow
def test_report_all_with_spawned_workers(tmp_path, content, built_2022, capsys):
    """As on Windows and macOS: workers start a fresh interpreter and import the worker function."""
    good, bad, out = _roots(tmp_path, content, built_2022)
    code = batch.run([good, bad], out, workers=2, context=multiprocessing.get_context("spawn"))
    _check(capsys, code, out, built_2022)
