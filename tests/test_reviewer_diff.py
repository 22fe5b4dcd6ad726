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
