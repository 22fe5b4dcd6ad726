"""Issue 25 "done when": the SAKIP year as README shows it, replayed from its own text on a copy of the example -
new-year, pk, the Rencana Aksi and two quarters of money imported, triwulan 1 and 2, diff of TW II against TW I,
then the report. Each command is the README's line, run through the CLI; the YAML is the README's block."""
from __future__ import annotations

import re
import shlex
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lkjip import cli

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("### Satu tahun SAKIP dari konten yang sama", 1)[1].split("\n## ", 1)[0]


def _finance_export(folder: Path, year_folder: Path, quarter: int, share: Decimal) -> None:
    """What the finance system would export at the end of a quarter: every budgeted leaf, realisation to date."""
    data = yaml.safe_load((year_folder / "program.yaml").read_text(encoding="utf-8"))
    lines = ["kode,uraian,pagu,realisasi"]
    for program in data["program"]:
        for kegiatan in program["kegiatan"]:
            for leaf in kegiatan.get("sub_kegiatan") or [kegiatan]:
                money = leaf.get("anggaran")
                if money:
                    lines.append(f"{leaf['kode']},\"{leaf['nama']}\",{money['pagu']},{int(money['pagu'] * share)}")
    (folder / f"realisasi-tw{quarter}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_readme_sakip_year_runs_from_new_year_to_report(tmp_path, monkeypatch, capsys):
    section = _section()
    commands = [line.split("#", 1)[0].strip() for line in section.splitlines() if line.startswith("python build.py")]
    plan = re.search(r"```yaml\n(rencana_aksi:\n.*?)```", section, re.DOTALL).group(1)
    assert [c.split()[2] for c in commands] == ["new-year", "pk", "impor-anggaran", "triwulan", "impor-anggaran",
                                                "triwulan", "diff", "report"]
    shutil.copytree(ROOT / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    year = tmp_path / "content" / "2023"
    for command in commands:
        argv = shlex.split(command)[2:]
        if argv[0] == "impor-anggaran":
            _finance_export(tmp_path, year, int(argv[argv.index("--triwulan") + 1]),
                            Decimal("0.2") if "tw1" in argv[1] else Decimal("0.45"))
        if argv[0] in ("report",):
            argv.append("--tanpa-tata-letak")
        code = cli.main(argv)
        seen = capsys.readouterr()
        assert code == 0, (command, seen.out[-3000:], seen.err[-3000:])
        if argv[0] == "pk":
            kinerja = year / "kinerja.yaml"
            kinerja.write_text(kinerja.read_text(encoding="utf-8") + plan, encoding="utf-8")
        if argv[0] == "impor-anggaran":
            assert "nilai ditulis" in seen.err
    out = tmp_path / "output"
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    for name in ("pk-2023.docx", "triwulan-1-2023.docx", "triwulan-2-2023.docx", "triwulan-2-2023.xlsx",
                 "diff-2023-TW1-TW2.md", "lkjip-2023.docx"):
        assert name in names
    quarter = (out / "triwulan-2-2023.md").read_text(encoding="utf-8")
    # IKU: plan to date 46, realised 41,7: 41,7/46 = 90,65 % -> perlu perhatian (85 <= capaian < 100)
    assert re.search(r"\| 1 \| Persentase PPKS yang tertangani \| 46% \| 41,7% \| 46% \| 41,7% \| 90,65% \| 91,5% \| "
                     r"49,8% \| perlu perhatian \|", quarter)
    diff = (out / "diff-2023-TW1-TW2.md").read_text(encoding="utf-8")
    # TW I: 23,1/22 = 105 % sesuai rencana; TW II perlu perhatian
    assert ("Indikator Persentase PPKS yang tertangani: status TW I sesuai rencana → TW II **perlu perhatian** "
            "(capaian s.d. triwulan 105,00% → 90,65%)") in diff
    absorbed = re.findall(r"\| Rp [0-9.]+ \| ([0-9,]+)% \| Rp [0-9.]+ \| ([0-9,]+)% \|", diff)
    assert absorbed and all(a.startswith(("19,", "20,")) and b.startswith(("44,", "45,")) for a, b in absorbed)
    # nilai: the quarters are evidence for LKE component 2, listed and not scored
    assert cli.main(["nilai", "--year", "2023"]) == 0
    text = (out / "nilai-2023.md").read_text(encoding="utf-8")
    evidence = text.split('komponen 2 "Pengukuran Kinerja" (tidak dinilai)', 1)[1].split("\n## ", 1)[0]
    assert re.search(r"\| Rencana Aksi \(target triwulanan indikator PK\) \| 1 indikator berencana aksi; 1 dari 1 "
                     r"indikator Perjanjian Kinerja \| content/2023/kinerja\.yaml:\d+ \|", evidence)
    assert "| Pengukuran Triwulan I 2023 | realisasi tercatat untuk 1 dari 1 indikator; 0 perlu perhatian" in evidence
    assert ("| Pengukuran Triwulan II 2023 | realisasi tercatat untuk 1 dari 1 indikator; 1 perlu perhatian atau "
            "tertinggal (Persentase PPKS yang tertangani)") in evidence
    assert "| Pengukuran Triwulan III 2023 | realisasi tercatat untuk 0 dari 1 indikator | - |" in evidence
    assert re.search(r"\| Realisasi keuangan per triwulan \(anggaran.triwulan\) \| (\d+) dari \1 sub kegiatan", evidence)
    assert "Jumlah komponen 3" in text                    # component 3 scored as before
