"""nilai tool: `build.py nilai` scores LKE component 3 "Pelaporan Kinerja" (PermenPAN-RB 88/2021) from the content, as
a self-check before the evaluation: the criteria, weights, answer values and coverage bands are data
(templates/lke.yaml, schema/kriteria/lke.yaml); each criterion is read from the data by a named method below, or
answered with evidence in content/<tahun>/lke.yaml, or left to the evaluator. Output: stdout and
output/nilai-TAHUN.md."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from ... import pipeline
from ...base.fmt import angka, round_half_up
from ...base.output import write_atomic
from ...base.problems import ERROR, has_errors
from ...load.content import relpath
from ..reviu.recount import Source
from .monitoring import monitoring_evidence
from .readings import Context
from . import scoring
from .scoring import EVALUATOR, load_criteria, score, subtotal


def _cell(text) -> str:
    return "-" if text in (None, "") else str(text).replace("|", "\\|").replace("\n", " ")


def _num(value: Decimal) -> str:
    return angka(round_half_up(value, 2), 2)


def evidence_lines(evidence: list) -> list[str]:
    """The component 2 evidence section (monitoring.py): listed, not scored."""
    lines = ["## Bukti untuk komponen 2 \"Pengukuran Kinerja\" (tidak dinilai)", "",
             "Yang tercatat di konten tentang pengukuran kinerja berkala (Rencana Aksi dan pemantauan triwulanan). Ini "
             "bahan bagi evaluator, bukan nilai: kriteria komponen 2 diterapkan evaluator.", "",
             "| Hal | Temuan | Bukti |", "|---|---|---|"]
    lines += [f"| {_cell(e.hal)} | {_cell(e.temuan)} | {_cell(e.bukti)} |" for e in evidence]
    return lines + [""]


def markdown(results: list, criteria: dict, report, lke_file: str, evidence: list = ()) -> str:
    comp = criteria["komponen"]
    lines = [f"# Nilai mandiri LKE komponen {comp['kode']} \"{comp['nama']}\": {report.laporan['singkatan']} "
             f"{report.instansi['nama']} Tahun {report.tahun}", "",
             f"**Ini pemeriksaan mandiri dari isi konten, bukan hasil evaluasi resmi.** Nilai evaluasi AKIP ditetapkan "
             f"evaluator menurut {criteria['peraturan']}. Kriteria, bobot dan rentang jawaban diambil dari "
             f"`templates/lke.yaml`; kriteria yang tidak dapat dibaca dari data dijawab di `{lke_file}` beserta buktinya, "
             f"atau tampil \"{EVALUATOR}\" dan dihitung 0.", ""]
    total = best_total = Decimal(0)
    summary = []
    for sub, scores in results:
        got, best = subtotal(sub, scores)
        total, best_total = total + got, best_total + best
        summary.append((sub, got, sum(1 for s in scores if s.jawaban is None)))
        lines += [f"## {sub['kode']} {sub['nama']} (bobot {angka(sub['bobot'])})", "",
                  "| Kode | Kriteria | Jawaban | Nilai | Bukti | Dasar | Yang perlu ditambahkan |",
                  "|---|---|:-:|---:|---|---|---|"]
        for s in scores:
            lines.append(f"| {s.kode} | {_cell(s.uraian)} | {s.jawaban or EVALUATOR} | "
                         f"{angka(s.nilai) if s.nilai is not None else '-'} | {_cell(', '.join(s.bukti))} | "
                         f"{_cell(s.dasar)} | {_cell(s.saran)} |")
        lines += ["", f"Subtotal {sub['kode']}: **{_num(got)}** dari {angka(sub['bobot'])} "
                      f"(bobot × rata-rata nilai {len(scores)} kriteria).", ""]
    lines += ["## Ringkasan", "", "| Subkomponen | Bobot | Nilai | Catatan |", "|---|---:|---:|---|"]
    for sub, got, open_ in summary:
        note = f"{open_} kriteria {EVALUATOR} (dihitung 0)" if open_ else ""
        lines.append(f"| {sub['kode']} {_cell(sub['nama'])} | {angka(sub['bobot'])} | {_num(got)} | {_cell(note)} |")
    lines.append(f"| **Jumlah komponen {comp['kode']}** | **{angka(comp['bobot'])}** | **{_num(total)}** | |")
    lines += ["", f"Nilai mandiri komponen {comp['kode']}: **{_num(total)} dari {angka(comp['bobot'])}**"
                  + (f"; bila seluruh kriteria yang {EVALUATOR} mendapat nilai penuh: {_num(best_total)}."
                     if best_total != total else "."),
              ""] + (evidence_lines(evidence) if evidence else []) + [
              "Sekali lagi: ini bukan nilai resmi. Gunakan untuk melihat bukti yang masih perlu dilengkapi sebelum "
                  "evaluasi.", ""]
    return "\n".join(lines)


def run_nilai(root: Path, year: int, output_dir: Path) -> int:
    criteria, problems = load_criteria()
    if criteria is None or has_errors(problems):
        for p in problems:
            print(p.format())
        print(f"Kriteria {relpath(scoring.CRITERIA)} tidak valid; nilai tidak dihitung.", file=sys.stderr)
        return 1
    result = pipeline.check(root, year)
    if has_errors(result.problems) or result.report is None or result.plan is None:
        for p in result.problems:
            if p.severity == ERROR:
                print(p.format())
        print("Nilai mandiri tidak dihitung karena konten masih mengandung galat (jalankan check).", file=sys.stderr)
        return 1
    ctx = Context(result.report, result.plan.markdown, result.prose or {}, Source(result.content.docs), root, year, [])
    results = score(ctx, criteria)
    for p in ctx.problems:
        print(p.format(), file=sys.stderr)
    lke_file = relpath(root / str(year) / "lke.yaml")
    text = markdown(results, criteria, result.report, lke_file, monitoring_evidence(result.report, result.content.docs))
    target = Path(output_dir) / f"nilai-{year}.md"
    write_atomic(target, text.encode("utf-8"))
    sys.stdout.write(text)
    print(f"Nilai mandiri ditulis ke {relpath(target)}", file=sys.stderr)
    return 0
