"""LKE self-score (build.py nilai): criteria as schema-validated data, hand-worked scores on the 2022 example, with
and without the evidence files, and the answers content may give."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from lkjip import cli, pipeline
from lkjip.tools.nilai import readings, scoring
from lkjip.tools.reviu.recount import Source
from lkjip.validate.schema import ContentValidator, load_schema

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SAMPLES = ROOT / "tests" / "contoh"


@pytest.fixture(scope="module")
def criteria():
    data, problems = scoring.load_criteria()
    assert problems == [] and data is not None
    return data


def _scores(result, root: Path, criteria) -> tuple[dict, dict, list]:
    """({kode: (answer, value)}, {subkomponen: Decimal}, problems)."""
    ctx = readings.Context(result.report, result.plan.markdown, result.prose, Source(result.content.docs), root,
                      result.report.tahun, [])
    results = scoring.score(ctx, criteria)
    answers = {s.kode: (s.jawaban, s.nilai) for _sub, scores in results for s in scores}
    subtotals = {sub["kode"]: scoring.subtotal(sub, scores) for sub, scores in results}
    return answers, subtotals, ctx.problems


def _with_samples(tmp_path, lke_text: str | None = None) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    shutil.copy(SAMPLES / "reviu.yaml", root / "2022" / "reviu.yaml")
    (root / "2022" / "lke.yaml").write_text(lke_text or (SAMPLES / "lke.yaml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    return root


def test_criteria_are_valid_data_with_the_regulations_weights(criteria):
    assert ContentValidator(load_schema("kriteria/lke")).schema                 # a valid cerberus definition
    subs = {s["kode"]: (s["bobot"], len(s["kriteria"])) for s in criteria["subkomponen"]}
    assert subs == {"3.a": (3, 6), "3.b": (Decimal("4.5"), 9), "3.c": (Decimal("7.5"), 7)}
    assert sum(w for w, _n in subs.values()) == criteria["komponen"]["bobot"] == 15
    assert criteria["nilai_jawaban"] == {"Y": 1, "T": 0, "A": 1, "B": Decimal("0.75"), "C": Decimal("0.5"),
                                         "D": Decimal("0.25"), "E": 0}
    assert set(readings.METHODS) | {"isian"} == set(load_schema("kriteria/lke")["subkomponen"]["schema"]["schema"]
                                                ["kriteria"]["schema"]["schema"]["penilaian"]["allowed"])


@pytest.mark.parametrize("coverage,answer", [(100, "A"), (Decimal("90.01"), "A"), (90, "B"), (Decimal("75.01"), "B"),
                                             (75, "C"), (Decimal("40.01"), "C"), (40, "D"), (Decimal("10.01"), "D"),
                                             (10, "E"), (0, "E")])
def test_coverage_bands(criteria, coverage, answer):
    # >90 A, 75-90 B, 40-75 C, 10-40 D, <=10 E: each band's upper edge belongs to it
    assert scoring.band(Decimal(coverage), criteria) == answer


def test_2022_scores_by_hand(report_2022, criteria):
    answers, subtotals, problems = _scores(report_2022, CONTENT, criteria)
    assert problems == []
    assert answers == {
        # 3.a (weight 3, 6 criteria, 0,5 each):
        "3a.1": ("Y", 1),          # the report builds without errors
        "3a.2": ("T", 0),          # no content/2021, no earlier report listed in lke.yaml
        "3a.3": ("Y", 1),          # signatory has nama, NIP, jabatan; draf: false
        "3a.4": ("T", 0),          # no reviu.yaml
        "3a.5": ("T", 0),          # no publication recorded
        "3a.6": ("T", 0),          # no submission date / deadline recorded
        # 3.b (weight 4,5, 9 criteria, 0,5 each):
        "3b.1": ("A", 1),          # 11 of 11 outline parts present = 100 % > 90
        "3b.2": ("A", 1),          # 1 of 1 PK indicator with target 88,4, realisasi 88,33 and (the one sasaran's) analysis
        "3b.3": ("A", 1),          # capaian against the annual target computed for 1 of 1 indicator
        "3b.4": ("A", 1),          # against the Renstra end target (100) for 1 of 1
        "3b.5": ("E", 0),          # no 2021 realisation: 0 of 1 = 0 % <= 10
        "3b.6": ("E", 0),          # no national standard: 0 %
        "3b.7": ("C", Decimal("0.5")),    # causes (analisis_keberhasilan) and obstacles (kendala), no efforts: 2/3 = 66,67 %
        "3b.8": ("B", Decimal("0.75")),   # method stated; efficiency judged for 5 of 6 programs (1.06.07 has no
                                          # measured capaian) = 83,33 %
        "3b.9": ("T", 0),          # no recommendation prose
        # 3.c: nothing answered in content
        **{f"3c.{n}": (None, None) for n in range(1, 8)},
    }
    # 3.a = 3 x (1 + 0 + 1 + 0 + 0 + 0) / 6 = 1
    # 3.b = 4,5 x (1 + 1 + 1 + 1 + 0 + 0 + 0,5 + 0,75 + 0) / 9 = 4,5 x 5,25 / 9 = 2,625
    # 3.c = 0 (7 criteria left to the evaluator; 7,5 if all got A)
    # total = 3,625 of 15 (shown 3,63); at most 3,625 + 7,5 = 11,125 (shown 11,13)
    assert subtotals == {"3.a": (Decimal(1), Decimal(1)), "3.b": (Decimal("2.625"), Decimal("2.625")),
                         "3.c": (Decimal(0), Decimal("7.5"))}


def test_scores_with_review_and_evidence(tmp_path, criteria):
    root = _with_samples(tmp_path)
    result = pipeline.check(root, 2022)
    answers, subtotals, problems = _scores(result, root, criteria)
    assert problems == []
    # reviu.yaml complete; 2021 report listed; published; submitted 2023-02-27 before the 2023-02-28 deadline
    assert [answers[f"3a.{n}"][0] for n in range(1, 7)] == ["Y"] * 6
    assert answers["3c.1"] == ("B", Decimal("0.75")) and answers["3c.5"] == ("A", 1)
    # 3.a = 3 x 6/6 = 3; 3.b unchanged 2,625; 3.c = 7,5 x (0,75 + 1) / 7 = 1,875; total 7,5
    assert subtotals["3.a"][0] == 3 and subtotals["3.b"][0] == Decimal("2.625")
    # 5 criteria left open: at most 7,5 x (0,75 + 1 + 5 x 1) / 7 = 7,5 x 6,75 / 7 = 7,23...
    assert subtotals["3.c"] == (Decimal("1.875"), Decimal("7.5") * Decimal("6.75") / 7)
    assert sum(s[0] for s in subtotals.values()) == Decimal("7.5")


def test_late_submission_and_answers_that_do_not_fit(tmp_path, criteria):
    text = (SAMPLES / "lke.yaml").read_text(encoding="utf-8").replace("tanggal: 2023-02-27", "tanggal: 2023-03-02")
    text += ("  - kriteria: 3c.9\n    jawaban: A\n    bukti: x\n"
             "  - kriteria: 3b.5\n    jawaban: A\n    bukti: x\n"
             "  - kriteria: 3c.2\n    jawaban: Y\n    bukti: x\n"
             "  - kriteria: 3c.1\n    jawaban: A\n    bukti: x\n")
    root = _with_samples(tmp_path, text)
    result = pipeline.check(root, 2022)
    answers, _subtotals, problems = _scores(result, root, criteria)
    assert answers["3a.6"] == ("T", 0)
    lines = text.splitlines()
    first = lines.index("  - kriteria: 3c.9") + 1
    assert [(p.code, p.line) for p in problems] == [
        ("lke-kriteria-tidak-dikenal", first), ("lke-kriteria-otomatis", first + 3),
        ("lke-jawaban-tidak-sesuai", first + 6), ("lke-jawaban-ganda", first + 9)]
    assert answers["3b.5"] == ("E", 0) and answers["3c.1"] == ("B", Decimal("0.75")) and answers["3c.2"] == (None, None)


def test_a_revised_regulation_is_an_edit_of_the_data(tmp_path, monkeypatch, report_2022):
    edited = tmp_path / "lke.yaml"
    text = scoring.CRITERIA.read_text(encoding="utf-8").replace("    bobot: 4.5\n", "    bobot: 9\n")
    edited.write_text(text, encoding="utf-8")
    monkeypatch.setattr(scoring, "CRITERIA", edited)
    data, problems = scoring.load_criteria()
    assert problems == []
    _answers, subtotals, _p = _scores(report_2022, CONTENT, data)
    assert subtotals["3.b"][0] == Decimal("5.25")                           # 9 x 5,25 / 9
    edited.write_text(text.replace("peraturan:", "peraturan_lama:"), encoding="utf-8")
    data, problems = scoring.load_criteria()
    assert data is None and {p.code for p in problems} == {"kunci-wajib", "kunci-tidak-dikenal"}
    assert cli.main(["nilai", "--content", str(CONTENT), "--output", str(tmp_path / "out")]) == 1


def test_cli_prints_and_writes_the_table(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["nilai", "--content", str(CONTENT), "--year", "2022", "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    written = (out / "nilai-2022.md").read_text(encoding="utf-8")
    assert printed == written
    assert "| 3b.8 |" in written and "| **3,63** |" in written


def test_criteria_cross_checks_are_located(tmp_path, monkeypatch):
    text = scoring.CRITERIA.read_text(encoding="utf-8")
    broken = (text.replace("{jawaban: B, lebih_dari: 75}", "{jawaban: B, lebih_dari: 95}")
                  .replace("judul: 'PENUTUP'", "judul: 'PENUTUP('")
                  .replace(" D: 0.25,", ""))
    edited = tmp_path / "lke.yaml"
    edited.write_text(broken, encoding="utf-8")
    monkeypatch.setattr(scoring, "CRITERIA", edited)
    _data, problems = scoring.load_criteria()
    lines = broken.splitlines()
    assert sorted((p.code, p.line, p.path) for p in problems) == sorted([
        ("lke-kriteria-tidak-valid", lines.index("rentang:") + 1, "rentang"),
        ("lke-kriteria-tidak-valid", next(i for i, l in enumerate(lines) if "PENUTUP(" in l) + 1,
         "subkomponen[1].kriteria[0].bagian[9].judul"),
        ("lke-kriteria-tidak-valid", next(i for i, l in enumerate(lines) if l.startswith("nilai_jawaban")) + 1,
         "nilai_jawaban")])


def test_outline_part_with_missing_prose_does_not_count(tmp_path, criteria):
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    (root / "2022" / "prosa" / "penutup.md").unlink()          # BAB IV shows the "belum diisi" mark
    answers, _subtotals, _problems = _scores(pipeline.check(root, 2022), root, criteria)
    assert answers["3b.1"] == ("A", 1)                          # 10 of 11 parts = 90,91 % > 90
    (root / "2022" / "prosa" / "ikhtisar_eksekutif.md").unlink()
    answers, _subtotals, _problems = _scores(pipeline.check(root, 2022), root, criteria)
    assert answers["3b.1"] == ("B", Decimal("0.75"))            # 9 of 11 = 81,82 %


DUMAI = ROOT / "examples" / "kota-dumai-2016"


@pytest.mark.skipif(not DUMAI.is_dir(), reason="second example not in this checkout")
def test_second_example_scores_by_hand(criteria):
    result = pipeline.check(DUMAI, 2016)
    answers, subtotals, problems = _scores(result, DUMAI, criteria)
    assert problems == []
    assert answers == {
        # 3.a: the report builds (Y); no 2015 content; no signatory in the source (nama/NIP/jabatan empty);
        # no reviu.yaml, no publication or submission recorded
        "3a.1": ("Y", 1), "3a.2": ("T", 0), "3a.3": ("T", 0), "3a.4": ("T", 0), "3a.5": ("T", 0), "3a.6": ("T", 0),
        # 3b.1: 3 of 11 parts have content (Perencanaan Kinerja, Akuntabilitas Kinerja, Capaian Kinerja Organisasi);
        #       Ikhtisar, Pendahuluan, Realisasi Anggaran, Penutup show only "belum diisi"; no organisation, isu
        #       strategis or PK: 27,27 % -> D
        "3b.1": ("D", Decimal("0.25")),
        # 3b.2: no PK, so the 7 Renstra indicators; aki, hiv, dbd have target, realisation and prosa/indikator/<id>.md;
        #       api, tb lack analysis, the two school ratios lack a 2016 target: 3/7 = 42,86 % -> C
        "3b.2": ("C", Decimal("0.5")),
        "3b.3": ("C", Decimal("0.5")),      # capaian for the 5 health indicators: 5/7 = 71,43 %
        "3b.4": ("D", Decimal("0.25")),     # only sekolah-sd, sekolah-smp have an end-of-period target: 2/7 = 28,57 %
        "3b.5": ("C", Decimal("0.5")),      # 2015 realisation for aki, hiv, dbd: 3/7
        "3b.6": ("E", 0),                   # no national standard
        "3b.7": ("D", Decimal("0.25")),     # causes in the indicator prose; no kendala, no efforts: 1/3 = 33,33 %
        "3b.8": ("E", 0),                   # no efficiency method stated
        "3b.9": ("T", 0),                   # no recommendation prose
        **{f"3c.{n}": (None, None) for n in range(1, 8)},
    }
    # 3.a = 3 x 1/6 = 0,5
    # 3.b = 4,5 x (0,25 + 0,5 + 0,5 + 0,25 + 0,5 + 0 + 0,25 + 0 + 0) / 9 = 4,5 x 2,25 / 9 = 1,125
    # total 1,625 of 15 (shown 1,63); at most 1,625 + 7,5 = 9,125
    assert [s[0] for s in subtotals.values()] == [Decimal("0.5"), Decimal("1.125"), 0]
