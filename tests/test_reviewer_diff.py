"""Issue 22 item 1: the reviewer's diff of the computed report. Planner-style commits on a new year (the IKU falls a
predikat band, a serapan jumps, a PK signatory changes, a prose fact goes stale) each appear in 'Perubahan
penting', first; a DPA target below the Renstra is flagged; prose is compared as printed; a failed diff removes
the previous one."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from lkjip import cli, pipeline
from lkjip.tools.years.diff import diff_markdown
from lkjip.tools.years.scaffold import new_year

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_any_agency import FILES, write_agency  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PK = """\
perjanjian_kinerja:
  tempat: Kota Contoh
  tanggal: {year}-01
  pihak_kesatu: {{nama: {name}, nip: "197001012000031001", jabatan: Kepala Dinas Contoh}}
  pihak_kedua: {{nama: NAMA WALI KOTA, jabatan: Wali Kota Contoh}}
  target:
    - {{indikator: cakupan}}
"""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_planner_commits_appear_first(tmp_path):
    files = {**FILES, "2024/kinerja.yaml": FILES["2024/kinerja.yaml"] + PK.format(year=2024, name="NAMA KEPALA LAMA"),
             "renstra/renstra.yaml": FILES["renstra/renstra.yaml"].replace('target: {"2024": 80, "2026": 90}',
                                                                            'target: {"2024": 80, "2025": 85, "2026": 90}')}
    root = write_agency(tmp_path / "content", files)
    new_year(root, 2025)
    year = root / "2025"
    _edit(year / "kinerja.yaml", "pihak_kesatu: {jabatan: Kepala Dinas Contoh}",            # a new PK signatory
          'pihak_kesatu: {nama: NAMA KEPALA BARU, nip: "197001012000031001", jabatan: Kepala Dinas Contoh}')
    _edit(year / "kinerja.yaml", "pihak_kedua: {jabatan: Wali Kota Contoh}",
          "pihak_kedua: {nama: NAMA WALI KOTA, jabatan: Wali Kota Contoh}")
    _edit(year / "kinerja.yaml", "perjanjian_kinerja:\n", "perjanjian_kinerja:\n  tempat: Kota Contoh\n  tanggal: 2025-01\n")
    text = (year / "kinerja.yaml").read_text(encoding="utf-8")
    (year / "kinerja.yaml").write_text(text.replace("  - indikator: cakupan\n    realisasi:", "  - indikator: cakupan\n    realisasi: 60 #", 1),
                                       encoding="utf-8")                                      # 60 of 85: Baik
    _edit(year / "program.yaml", "anggaran: {pagu: 100000000, realisasi: null}",
          "anggaran: {pagu: 100000000, realisasi: 95000000}")                                # serapan 50% -> 95%
    (year / "prosa").mkdir(exist_ok=True)
    (year / "prosa" / "penutup.md").write_text("Sampai Juni 2024 layanan berjalan baik.\n", encoding="utf-8")
    a, b = pipeline.check(root, 2024), pipeline.check(root, 2025)
    assert b.report is not None, [p.format() for p in b.problems if p.severity == "error"]
    md = diff_markdown(a, b)
    head = md.split("## Perubahan penting", 1)[1].split("\n## ", 1)[0]
    assert "Indikator Cakupan Layanan Contoh: predikat Sangat Baik → **Baik**" in head
    assert "Perjanjian Kinerja PIHAK KESATU: NAMA KEPALA LAMA → **NAMA KEPALA BARU**" in head
    assert "1.02.15.01 Kegiatan Contoh Pertama: serapan 50,00% → **95,00%**" in head
    assert "Prosa penutup.md:1 masih menyebut tahun lalu" in head
    assert md.index("## Perubahan penting") < md.index("## Indikator kinerja")
    assert len(md.splitlines()) < 200                                  # the noise budget
    print("\n".join(md.splitlines()[:30]))


def test_example_draft_flags_targets_below_the_renstra(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    new_year(content, 2023)
    md = diff_markdown(pipeline.check(content, 2022), pipeline.check(content, 2023))
    assert ("1.06.06.2.02.02 Koordinasi, Sosialisasi dan Pelaksanaan Taruna Siaga Bencana: target 15 orang di bawah "
            "target Renstra 2023 25") in md
    assert "Dibandingkan: konten 2022 sidik " in md and "(tanggal laporan 2024-03)" in md
    assert "## Prosa (sebagaimana tercetak)" in md


def test_failed_diff_removes_the_previous_one(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    new_year(content, 2023)
    out = tmp_path / "out"
    assert cli.main(["diff", "2022", "2023", "--content", str(content), "--output", str(out)]) == 0
    assert (out / "diff-2022-2023.md").is_file()
    _edit(content / "2023" / "laporan.yaml", "tahun: 2023", "tahun: dua")
    assert cli.main(["diff", "2022", "2023", "--content", str(content), "--output", str(out)]) == 1
    assert not (out / "diff-2022-2023.md").exists()
    (out / "diff-2022-2023.md").mkdir()                                      # not ours to remove: left alone
    assert cli.main(["diff", "2022", "2023", "--content", str(content), "--output", str(out)]) == 1
    assert (out / "diff-2022-2023.md").is_dir()


def test_github_annotations_point_at_the_changed_lines(tmp_path, capsys, monkeypatch):
    """Issue 22 item 2: `diff --format github` writes one notice per material change at its content line."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    new_year(content, 2023)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["diff", "2022", "2023", "--content", "content", "--output", "out", "--format", "github"]) == 0
    out = capsys.readouterr().out.splitlines()
    tagana = next(line for line in out if "Taruna Siaga Bencana" in line)
    assert tagana.startswith("::notice file=content/2023/program.yaml,line=")
    line = int(tagana.split("line=")[1].split(",")[0])
    assert (content / "2023" / "program.yaml").read_text(encoding="utf-8").splitlines()[line - 1].strip().startswith("target:")
    assert "title=lkjip diff::" in tagana and "**" not in tagana
    assert (tmp_path / "out" / "diff-2022-2023.md").read_text(encoding="utf-8").startswith("# Perubahan LKjIP")


def _replace_block(path: Path, key: str, text: str) -> None:
    """Replace a top-level YAML key's whole block (up to the next top-level key) by `text`."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1].isalpha()), len(lines))
    path.write_text("".join(lines[:start]) + text + "".join(lines[end:]), encoding="utf-8")


def _draft(folder: Path, iku: str, paid: int, signatory: str) -> None:
    _replace_block(folder / "2023" / "kinerja.yaml", "realisasi_indikator",
                   f"realisasi_indikator:\n  - indikator: iku-ppks\n    realisasi: {iku}\n")
    _edit(folder / "2023" / "kinerja.yaml", "    jabatan: Kepala Dinas Sosial Kota Metro\n",
          f"    nama: {signatory}\n    jabatan: Kepala Dinas Sosial Kota Metro\n")
    _edit(folder / "2023" / "program.yaml", "anggaran: {pagu: 10020000, realisasi: null}",
          f"anggaran: {{pagu: 10020000, realisasi: {paid}}}")


def test_a_pull_request_on_the_2023_draft_shows_each_planted_change(tmp_path, capsys):
    """Issue 22 'done when': the example's 2023 draft before (main, --dasar) and after a pull request: the IKU
    falls a predikat band, a serapan jumps, the Renstra target is lowered, the PK signatory changes, a prose fact
    goes stale. Each is a line of 'Perubahan penting', which comes first."""
    base, head = tmp_path / "main" / "content", tmp_path / "pr" / "content"
    shutil.copytree(ROOT / "content", base)
    new_year(base, 2023)
    _draft(base, "92", 2004000, "NAMA KEPALA LAMA")            # 92 / 91,5: Sangat Tinggi; serapan 20%
    shutil.copytree(base, head)
    _replace_block(head / "2023" / "kinerja.yaml", "realisasi_indikator",
                   "realisasi_indikator:\n  - indikator: iku-ppks\n    realisasi: 79\n")    # 79 / 89,5: Tinggi
    _edit(head / "2023" / "kinerja.yaml", "nama: NAMA KEPALA LAMA", "nama: NAMA KEPALA BARU")
    _edit(head / "2023" / "program.yaml", "realisasi: 2004000}", "realisasi: 9018000}")   # serapan 90%
    _edit(head / "renstra" / "renstra.yaml", "              2023: 91.5\n", "              2023: 89.5\n")
    prose = head / "2023" / "prosa" / "penutup.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nSampai dengan Juni 2022 layanan berjalan baik.\n",
                     encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["diff", "2023", "2023", "--content", str(head), "--dasar", str(base), "--output", str(out)]) == 0
    md = (out / "diff-2023-2023.md").read_text(encoding="utf-8")
    first = "\n".join(md.splitlines()[:30])
    assert "Indikator Persentase PPKS yang tertangani: predikat Sangat Tinggi → **Tinggi**" in first
    assert "Renstra, indikator Persentase PPKS yang tertangani: target 2023 91,5% → **89,5%**" in first
    assert "Perjanjian Kinerja PIHAK KESATU: NAMA KEPALA LAMA → **NAMA KEPALA BARU**" in first
    assert "1.06.01.2.01.01 Penyusunan Dokumen Perencanaan Perangkat Daerah: serapan 20,00% → **90,00%**" in first
    assert "Prosa penutup.md:" in first and "masih menyebut tahun lalu" in first
    assert "di main/content" not in md and "main" in md.splitlines()[2]      # says which two contents it compares
    (tmp_path / "first-30.md").write_text(first, encoding="utf-8")
    capsys.readouterr()
    # a base that cannot be read: refused, named, no diff left behind
    assert cli.main(["diff", "2023", "2023", "--content", str(head), "--dasar", str(tmp_path / "tidak-ada"),
                     "--output", str(out)]) == 1
    assert not (out / "diff-2023-2023.md").exists()
    assert "tidak-ada" in capsys.readouterr().err


def test_indicator_wording_unit_and_polarity_edits_are_material(tmp_path):
    base = write_agency(tmp_path / "main" / "content", FILES)
    renstra = FILES["renstra/renstra.yaml"]
    edited = dict(FILES)
    edited["renstra/renstra.yaml"] = renstra.replace("Cakupan Layanan Contoh", "Cakupan Layanan Dasar Contoh", 1) \
        .replace("            satuan: per 100.000 KH\n            polaritas: negatif\n",
                 "            satuan: per 1.000 KH\n")
    head = write_agency(tmp_path / "pr" / "content", edited)
    a, b = pipeline.check(base, 2024), pipeline.check(head, 2024)
    md = diff_markdown(a, b)
    head_lines = md.split("## Perubahan penting", 1)[1].split("\n## ", 1)[0]
    assert "Renstra, indikator cakupan: uraian Cakupan Layanan Contoh → **Cakupan Layanan Dasar Contoh**" in head_lines
    assert "Renstra, indikator akb: satuan per 100.000 KH → **per 1.000 KH**" in head_lines
    assert "Renstra, indikator akb: polaritas negatif → **tanpa polaritas**" in head_lines
