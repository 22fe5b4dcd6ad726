"""Issue 19, item 7 (diff): `build.py diff` is bounded in prose size. Lines are compared first, words only inside
changed blocks within a budget, and what is printed is capped with a note; CI runs diff on every pull request.

Each case asserts the exit code, the time taken, a message naming the file where there is one, and that nothing
but output/diff-DARI-KE.md is written.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from lkjip import cli
from lkjip.tools.years import diff
from lkjip.tools.years.scaffold import new_year

ROOT = Path(__file__).resolve().parent.parent
FAST = 5.0                 # seconds; the unbounded word diff took more than 30 s on 60 KB of repeated words


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("diff-base") / "content"
    shutil.copytree(ROOT / "content", content)
    new_year(content, 2023)
    return content


@pytest.fixture
def years(base, tmp_path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(base, content)
    return content


def _prose(content: Path, year: int, name: str = "penutup") -> Path:
    return content / str(year) / "prosa" / f"{name}.md"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _files(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _diff(content: Path, out: Path, capsys, a: int = 2022, b: int = 2023) -> tuple[int, str, str, float]:
    before = _files(content)
    start = time.monotonic()
    code = cli.main(["diff", str(a), str(b), "--content", str(content), "--output", str(out)])
    elapsed = time.monotonic() - start
    captured = capsys.readouterr()
    assert _files(content) == before                     # the content is only read
    if out.exists():
        assert [p.name for p in out.iterdir() if not p.name.startswith(".")] in ([], [f"diff-{a}-{b}.md"])
    return code, captured.out, captured.err, elapsed


def _ok(content: Path, tmp_path: Path, capsys, **kw) -> str:
    code, out, err, elapsed = _diff(content, tmp_path / "out", capsys, **kw)
    assert code == 0, err[-2000:]
    assert elapsed < FAST, elapsed
    assert (tmp_path / "out" / f"diff-{kw.get('a', 2022)}-{kw.get('b', 2023)}.md").read_text(encoding="utf-8") == out
    return out


# --- large prose --------------------------------------------------------------------------------------------------

def test_60kb_of_repeated_words_in_one_line(years, tmp_path, capsys):
    _append(_prose(years, 2023), "\n\n" + "kata " * 12_000 + "\n")
    md = _ok(years, tmp_path, capsys)
    assert "### penutup (diubah)" in md and "dipotong" in md
    assert len(md) < 120_000


def test_60kb_paragraph_with_one_word_changed(years, tmp_path, capsys):
    text = "kata " * 6_000 + "tengah " + "kata " * 6_000
    _append(_prose(years, 2022), "\n\n" + text + "\n")
    _append(_prose(years, 2023), "\n\n" + text.replace("tengah", "pusat") + "\n")
    md = _ok(years, tmp_path, capsys)
    assert "### penutup (diubah)" in md and "dipotong" in md


def test_60kb_of_repeated_lines(years, tmp_path, capsys):
    _append(_prose(years, 2022), "\n\n" + "kata kata kata\n" * 4_000)
    _append(_prose(years, 2023), "\n\n" + "kata kata kata\n" * 2_000 + "kata lain kata\n" + "kata kata kata\n" * 1_999)
    md = _ok(years, tmp_path, capsys)
    assert "{+lain+}" in md.split("### penutup (diubah)")[1]


def test_alternating_words(years, tmp_path, capsys):
    _append(_prose(years, 2022), "\n\n" + "a b " * 15_000 + "\n")
    _append(_prose(years, 2023), "\n\n" + "b a " * 15_000 + "\n")
    _ok(years, tmp_path, capsys)


def test_many_changed_paragraphs_stay_within_budget(years, tmp_path, capsys):
    """Sixty changed paragraphs of 300 words each: every block within the per-diff word budget, output capped."""
    _append(_prose(years, 2022), "".join("\n\n" + f"satu dua tiga {i} " * 75 for i in range(60)))
    _append(_prose(years, 2023), "".join("\n\n" + f"satu dua empat {i} " * 75 for i in range(60)))
    md = _ok(years, tmp_path, capsys)
    assert "Perbandingan prosa dipotong" in md and "penutup" in md.split("Perbandingan prosa dipotong")[1]
    assert len(md.split("## Prosa")[1]) < diff.MAX_PROSE_CHARS + 2_000


def test_many_prose_files_changed(years, tmp_path, capsys):
    for md in (years / "2023" / "prosa").glob("*.md"):
        text = md.read_text(encoding="utf-8")           # one long block before and one after the original text
        md.write_text("awal panjang " * 1_000 + "\n\n" + text + "\n\n" + "akhir panjang " * 1_000 + "\n",
                      encoding="utf-8")
    md = _ok(years, tmp_path, capsys)
    assert "Perbandingan prosa dipotong" in md


def test_huge_new_prose_file(years, tmp_path, capsys):
    (years / "2023" / "prosa" / "indikator").mkdir(exist_ok=True)
    (years / "2023" / "prosa" / "indikator" / "iku-ppks.md").write_text("baru " * 20_000, encoding="utf-8")
    md = _ok(years, tmp_path, capsys)
    assert "### indikator/iku-ppks (baru)" in md and "dipotong" in md


# --- one side missing --------------------------------------------------------------------------------------------

def test_prose_file_removed_in_the_new_year(years, tmp_path, capsys):
    _prose(years, 2023).unlink()
    md = _ok(years, tmp_path, capsys)
    assert "### penutup (dihapus)" in md


def test_prose_file_only_in_the_old_year_reverse(years, tmp_path, capsys):
    _prose(years, 2022).unlink()
    md = _ok(years, tmp_path, capsys, a=2022, b=2023)
    assert "### penutup (baru)" in md


def test_optional_program_file_missing_on_one_side(years, tmp_path, capsys):
    """program.yaml is optional, but this year's kinerja.yaml still names its sub kegiatan: those references are
    the errors (not a missing file), and no diff is written."""
    (years / "2023" / "program.yaml").unlink()
    code, out, err, _elapsed = _diff(years, tmp_path / "out", capsys)
    assert code == cli.EXIT_ERRORS and "[kode-tidak-dikenal]" in err and "[berkas-hilang]" not in err
    assert out == "" and not (tmp_path / "out" / "diff-2022-2023.md").exists()


@pytest.mark.parametrize("name", ["kinerja.yaml", "laporan.yaml"])
def test_required_file_missing_on_one_side(years, tmp_path, capsys, name):
    (years / "2023" / name).unlink()
    code, out, err, elapsed = _diff(years, tmp_path / "out", capsys)
    assert code == cli.EXIT_ERRORS and f"2023/{name}" in err and "[berkas-hilang]" in err
    assert out == "" and not (tmp_path / "out" / "diff-2022-2023.md").exists()


def test_year_folder_missing(years, tmp_path, capsys):
    shutil.rmtree(years / "2023")
    code, out, err, _elapsed = _diff(years, tmp_path / "out", capsys)
    assert code == cli.EXIT_ERRORS and "2023" in err and "[tahun-tidak-ada]" in err


# --- junk in prose ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("junk", "code"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, "berkas-tidak-terbaca"),     # binary
    (b"teks \xff\xfe\xfd rusak", "berkas-tidak-terbaca"),                                           # bad UTF-8
    (b"teks dengan NUL \x00 di tengah", "karakter-tidak-valid"),
    (b"teks dengan kendali \x1b[31m merah", "karakter-tidak-valid"),
])
def test_binary_junk_in_prose(years, tmp_path, capsys, junk, code):
    path = _prose(years, 2023)
    path.write_bytes(path.read_bytes() + b"\n\n" + junk + b"\n")
    exit_code, out, err, elapsed = _diff(years, tmp_path / "out", capsys)
    assert exit_code == cli.EXIT_ERRORS and elapsed < FAST
    assert any("2023/prosa/penutup.md" in line and f"[{code}]" in line for line in err.splitlines()), err
    assert not (tmp_path / "out" / "diff-2022-2023.md").exists()


def test_prose_above_the_file_limit(years, tmp_path, capsys, monkeypatch):
    from lkjip.load import files
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 50_000)
    monkeypatch.setattr(files.read_content_file, "__defaults__", (50_000,))
    _append(_prose(years, 2023), "kata " * 20_000)
    exit_code, _out, err, _elapsed = _diff(years, tmp_path / "out", capsys)
    assert exit_code == cli.EXIT_ERRORS and "2023/prosa/penutup.md" in err and "[berkas-terlalu-besar]" in err


def test_existing_outputs_are_left_alone(years, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "catatan.md").write_text("milik pengguna", encoding="utf-8")
    assert cli.main(["diff", "2022", "2023", "--content", str(years), "--output", str(out)]) == 0
    capsys.readouterr()
    assert (out / "catatan.md").read_text(encoding="utf-8") == "milik pengguna"


# --- the bounded helpers --------------------------------------------------------------------------------------------

def test_word_diff_beyond_the_pair_limit_shows_both_sides_whole():
    old, new = "a " * 300, "a " * 299 + "b"
    assert 300 * 300 > diff.MAX_WORD_PAIRS
    assert diff.word_diff(old, new) == "[-" + " ".join(["a"] * 300) + "-] {+" + " ".join(["a"] * 299 + ["b"]) + "+}"


def test_word_budget_is_shared_by_blocks():
    budget = [100]
    assert diff.word_diff("satu dua tiga", "satu empat tiga", budget) == "satu [-dua-] {+empat+} tiga"
    assert budget == [91]
    assert diff.word_diff("a b c d e f g h i j k", "a b c d e f g h i j x", budget).startswith("[-a b c")


def test_too_many_lines_are_summarised():
    blocks = diff.prose_changes("x\n" * (diff.MAX_DIFF_LINES + 1), "y\n")
    assert len(blocks) == 1 and "terlalu panjang" in blocks[0]


def test_blank_lines_only_are_no_change():
    assert diff.prose_changes("satu\n\ndua\n", "satu\n\n\n\ndua\n") == []


def test_line_then_word_diff():
    blocks = diff.prose_changes("satu\ndua tiga empat\nlima\n", "satu\ndua tiga enam\nlima\ntujuh\n")
    assert blocks == ["dua tiga [-empat-] {+enam+}", "{+tujuh+}"]


@pytest.mark.parametrize("kind", ["file", "empty-folder", "link-loop", "year-missing", "broken-yaml"])
def test_careless_base_folder_is_refused_by_name(years, tmp_path, capsys, kind):
    """diff --dasar FOLDER: a base that is no content folder is a content error naming it, never a traceback, and no
    diff file is left behind; the content itself is never written."""
    base = tmp_path / "dasar"
    if kind == "file":
        base.write_text("bukan folder", encoding="utf-8")
    elif kind == "empty-folder":
        base.mkdir()
    elif kind == "link-loop":
        base.symlink_to(base)
    elif kind == "year-missing":
        shutil.copytree(years, base)
        shutil.rmtree(base / "2022")
    else:
        shutil.copytree(years, base)
        (base / "2022" / "laporan.yaml").write_text("judul: [tidak ditutup\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in years.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    code = cli.main(["diff", "2022", "2023", "--content", str(years), "--dasar", str(base), "--output", str(out)])
    seen = capsys.readouterr()
    assert code == 1 and "Traceback" not in seen.err + seen.out
    assert "dasar" in seen.err
    assert not (out / "diff-2022-2023.md").exists()
    assert {p: p.read_bytes() for p in years.rglob("*") if p.is_file()} == before
