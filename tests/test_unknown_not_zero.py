"""Issue 21 item 5: an absent figure is unknown, never zero. An agency without program.yaml, and one whose DPA
lines carry no anggaran, build; the budget part says the data is not available; no Rp 0 / pagu 0 is printed;
check warns once (anggaran-tidak-tersedia); the reviu worksheet says the budget check could not run."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.render.markdown import rendition
from lkjip.tools.reviu import worksheet
from lkjip.tools.reviu.checks import TIDAK, cek_anggaran

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_any_agency import FILES, write_agency  # noqa: E402

NO_BUDGET = {**FILES, "2024/program.yaml": re.sub(r"\n\s+anggaran: \{[^}]*\}", "", FILES["2024/program.yaml"])}
NO_PROGRAM = {k: v for k, v in FILES.items() if k != "2024/program.yaml"}


def _built(tmp_path, files):
    root = write_agency(tmp_path / "content", files)
    result = pipeline.check(root, 2024)
    assert not [p for p in result.problems if p.severity == "error"], [p.format() for p in result.problems]
    return result, rendition(result.plan.markdown, result.report, result.plan.specs)


@pytest.mark.parametrize("files", [NO_BUDGET, NO_PROGRAM], ids=["tanpa-anggaran", "tanpa-program-yaml"])
def test_budget_unknown_is_blank_not_zero(tmp_path, files):
    result, text = _built(tmp_path, files)
    total = result.report.total
    assert (total.pagu, total.realisasi, total.serapan, total.sisa) == (None, None, None, None)
    warned = [(Path(p.file).name, p.path) for p in result.problems if p.code == "anggaran-tidak-tersedia"]
    assert len(warned) == 1 and warned[0][0] == "program.yaml"
    assert not [p for p in result.problems if p.code == "keluaran-tanpa-anggaran"]     # one warning, not one per line
    budget_part = text.split("## Realisasi Anggaran", 1)[1].split("\n# ", 1)[0]
    assert "*[Data anggaran (pagu dan realisasi) Tahun 2024 tidak tersedia.]*" in budget_part
    assert "Pagu (Rp)" not in budget_part and ("gambar", "anggaran") not in result.plan.specs
    assert not re.search(r"Rp 0\b|\| 0 \| 0 \|", text)
    assert result.report.counts.rincian_beranggaran == 0


def test_no_program_file_leaves_program_parts_out(tmp_path):
    result, text = _built(tmp_path, NO_PROGRAM)
    assert result.report.programs == ()
    assert "*[Data program dan kegiatan Tahun 2024 tidak tersedia.]*" in text
    assert "0 (nol) program" not in text and "### Analisis Program dan Kegiatan" not in text
    assert ("tabel", "kinerja") not in result.plan.specs
    out = pipeline.report(result.content.root, 2024, tmp_path / "out")
    assert out.output is not None and out.output.is_file()


def test_reviu_never_says_ok_on_no_budget(tmp_path):
    for files in (NO_BUDGET, NO_PROGRAM):
        result, _text = _built(tmp_path / str(len(files)), files)
        ctx = worksheet.context(result, result.content.root, 2024)
        assert cek_anggaran(ctx).hasil == TIDAK


def test_partial_budget_sums_only_the_known_lines(tmp_path):
    """One line without anggaran beside one with: the total is the known line's (and the missing one is warned),
    not unknown and not zero."""
    files = {**FILES, "2024/program.yaml": FILES["2024/program.yaml"].replace(
        "        anggaran: {pagu: 20000000, realisasi: 19000000}\n", "")}
    result, _text = _built(tmp_path, files)
    assert (result.report.total.pagu, result.report.total.realisasi) == (100000000, 50000000)
    assert [p.path for p in result.problems if p.code == "keluaran-tanpa-anggaran"] == ["program[0].kegiatan[1]"]


INTERNAL_WORDS = re.compile(r"data tersimpan|konten \d{4}|Sumber Realisasi|LocatedUndefined|\b(?:None|NaN|nan)\b")


def test_no_tool_words_reach_readers(tmp_path):
    """Issue 21 item 11: where a figure was read from ("konten 2021", "data tersimpan") is the tool's business."""
    root = Path(__file__).resolve().parent.parent / "content"
    for result in (pipeline.check(root, 2022), _built(tmp_path, FILES)[0]):
        text = rendition(result.plan.markdown, result.report, result.plan.specs)
        assert not INTERNAL_WORDS.findall(text)


def test_new_year_without_program_file(tmp_path):
    from lkjip.tools.years.scaffold import new_year
    root = write_agency(tmp_path / "content", NO_PROGRAM)
    new_year(root, 2025)
    assert not (root / "2025" / "program.yaml").exists()
    result = pipeline.check(root, 2025)
    assert not [p for p in result.problems if p.severity == "error"]
    assert result.report.total.pagu is None


def test_new_year_empties_numerator_denominator_and_quarters(tmp_path):
    """Last year's 9 / 8.233 never prints as the new year's realisation; quarterly realisations are emptied."""
    from lkjip.tools.years.scaffold import new_year
    files = {**FILES, "2024/kinerja.yaml": FILES["2024/kinerja.yaml"] + (
        "rencana_aksi:\n  - {indikator: cakupan, cara: kumulatif, target: {IV: 80}, realisasi: {I: 30}}\n")}
    root = write_agency(tmp_path / "content", files)
    new_year(root, 2025)
    report = pipeline.check(root, 2025).report
    akb = next(i for i in report.indicators if i.id == "akb")
    assert (akb.realisasi, akb.pembilang, akb.penyebut) == (None, None, None)
    assert report.rencana_aksi[0].realisasi == (None, None, None, None)
