"""diff tool between two quarters of one year (`build.py diff 2023-TW1 2023-TW2`): each Rencana Aksi indicator at
the end of both quarters (target and realisation to date, capaian, status), the indicators whose status moved first,
and the budget absorbed per program against its quarterly plan. Both quarters come from the same content (a quarter's
figures are kept beside the earlier ones), so the comparison is of one commit; the pull request shows what was
entered since. Every figure is computed in compute/quarters.py."""
from __future__ import annotations

from pathlib import Path

from ... import pipeline
from ...base.fmt import persen, rp, ukur
from ...base.problems import has_errors
from ...base.shape import QUARTERS
from ...compute.quarters import budget_rows, quarter_pairs
from .diff import MAX_MARKS, fingerprint, publish, refuse, table, where

def quarter_marks(report, qa: int, qb: int, docs) -> list:
    """(rank, text, (file, line) or None) of what moved from quarter qa to qb, most material first."""
    marks = []
    name_a, name_b = QUARTERS[qa - 1], QUARTERS[qb - 1]
    for prev, row in quarter_pairs(report, qa, qb):
        ind = row.plan.indicator
        at = where(docs, "kinerja", row.plan.path + ("realisasi",))
        if prev.status != row.status:
            marks.append((0, f"Indikator {ind.label}: status TW {name_a} {prev.status or '-'} → TW {name_b} "
                             f"**{row.status or '-'}** (capaian s.d. triwulan {persen(prev.capaian.nilai)} → "
                             f"{persen(row.capaian.nilai)})", at))
        if row.realisasi is None and row.target is not None:
            marks.append((1, f"Indikator {ind.label}: realisasi TW {name_b} belum diisi (target "
                             f"{ukur(row.target, ind)})", at))
    return sorted(marks, key=lambda m: m[0])


def quarter_diff_markdown(result, qa: int, qb: int) -> str:
    report = result.report
    name_a, name_b = QUARTERS[qa - 1], QUARTERS[qb - 1]
    lines = [f"# Perubahan pemantauan kinerja {report.instansi['nama']} Tahun {report.tahun}: Triwulan {name_a} → "
             f"Triwulan {name_b}", "", f"Dibandingkan pada {fingerprint(result)}.", "", "## Perubahan penting", ""]
    marks = quarter_marks(report, qa, qb, result.content.docs)
    if marks:
        lines += [f"{n}. {text}" for n, (_r, text, _at) in enumerate(marks[:MAX_MARKS], start=1)]
        if len(marks) > MAX_MARKS:
            lines.append(f"\n*Dan {len(marks) - MAX_MARKS} perubahan lain (lihat tabel di bawah).*")
    else:
        lines.append("Tidak ada status indikator yang berubah dan tidak ada realisasi triwulan yang belum diisi.")
    lines += ["", "## Indikator Rencana Aksi", ""]
    rows = []
    for prev, row in quarter_pairs(report, qa, qb):
        ind = row.plan.indicator
        rows.append([ind.label, ukur(prev.target_sd, ind), ukur(prev.realisasi_sd, ind), persen(prev.capaian.nilai),
                     prev.status or "-", ukur(row.target_sd, ind), ukur(row.realisasi_sd, ind),
                     persen(row.capaian.nilai), ("**" + row.status + "**") if row.status and row.status != prev.status
                     else (row.status or "-")])
    lines += table(["Indikator", f"Target s.d. TW {name_a}", f"Realisasi s.d. TW {name_a}", "Capaian", "Status",
                    f"Target s.d. TW {name_b}", f"Realisasi s.d. TW {name_b}", "Capaian", "Status"], rows) \
        if rows else ["Rencana Aksi belum memuat indikator."]
    budget_a = {b.kode: b for b in budget_rows(report, qa)}
    budget_b = budget_rows(report, qb)
    if budget_b:
        lines += ["## Penyerapan anggaran per program", ""]
        out = []
        for b in budget_b:
            a = budget_a.get(b.kode)
            out.append([f"{b.kode} {b.nama}".strip(), rp(b.pagu), rp(a.realisasi_sd) if a else "-",
                        persen(a.serapan) if a else "-", rp(b.realisasi_sd), persen(b.serapan)])
        lines += table(["Program", "Pagu", f"Realisasi s.d. TW {name_a}", "Serapan",
                        f"Realisasi s.d. TW {name_b}", "Serapan"], out)
    return "\n".join(lines).rstrip() + "\n"


def run_quarter_diff(root: Path, year: int, qa: int, qb: int, output_dir: Path, fmt: str = "markdown") -> int:
    target = Path(output_dir) / f"diff-{year}-TW{qa}-TW{qb}.md"
    result = pipeline.check(root, year)
    if has_errors(result.problems) or result.report is None:
        return refuse(result.problems, f"diff dibatalkan: konten {year} masih mengandung galat.", target)
    if not result.report.rencana_aksi:
        return refuse((), f"diff triwulan dibatalkan: kinerja.yaml {year} belum memuat rencana_aksi (lihat README, "
                          "Rencana Aksi).", target)
    return publish(target, quarter_diff_markdown(result, qa, qb),
                   lambda: quarter_marks(result.report, qa, qb, result.content.docs), fmt)
