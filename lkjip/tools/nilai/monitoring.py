"""nilai tool, evidence for LKE component 2 "Pengukuran Kinerja": what the content shows about measuring performance
periodically (the Rencana Aksi, realisations per quarter, money per quarter) and what the quarterly figures said.
Listed as evidence for the evaluator, never scored: the criteria of component 2 are the evaluator's to apply, and
whether the results were used to steer cannot be read from data."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from ...base.shape import QUARTERS
from ...compute.quarters import AT_RISK, OFF_TRACK, quarter_rows


@dataclass(frozen=True)
class Evidence:
    hal: str                   # what was looked for
    temuan: str                # what the content shows
    bukti: str                 # where (file:line), or "-"


def ended_quarters(year: int, today: datetime.date) -> int:
    """How many quarters of `year` have ended by `today` (0-4)."""
    if today.year > year:
        return 4
    if today.year < year:
        return 0
    return (today.month - 1) // 3


def monitoring_evidence(report, docs, today: datetime.date | None = None) -> list[Evidence]:
    today = today or datetime.date.today()
    kinerja = docs.get("kinerja")
    where = (lambda path: f"{kinerja.file}:{kinerja.line_of(path)}") if kinerja is not None else (lambda path: "-")
    agreement = report.pk_perubahan or report.pk
    held = [ind.id for ind, _t in agreement.baris] if agreement else []
    planned = {p.indicator.id: p for p in report.rencana_aksi}
    out = []
    if not planned:
        out.append(Evidence("Rencana Aksi (target triwulanan indikator PK)",
                            "belum ada: kinerja.yaml tidak memuat rencana_aksi", "-"))
        return out
    covered = [i for i in held if i in planned]
    out.append(Evidence("Rencana Aksi (target triwulanan indikator PK)",
                        f"{len(planned)} indikator berencana aksi"
                        + (f"; {len(covered)} dari {len(held)} indikator Perjanjian Kinerja" if held else
                           "; Perjanjian Kinerja tidak ada di konten"),
                        where(("rencana_aksi",))))
    ended = ended_quarters(report.tahun, today)
    for n in range(1, ended + 1):
        filled = [p for p in report.rencana_aksi if p.realisasi[n - 1] is not None]
        rows = quarter_rows(report, n)
        behind = [r.plan.indicator.label for r in rows if r.status in (AT_RISK, OFF_TRACK)]
        text = f"realisasi tercatat untuk {len(filled)} dari {len(planned)} indikator"
        if filled:
            text += (f"; {len(behind)} perlu perhatian atau tertinggal" + (f" ({', '.join(behind)})" if behind else ""))
        out.append(Evidence(f"Pengukuran Triwulan {QUARTERS[n - 1]} {report.tahun}", text,
                            where(("rencana_aksi",)) if filled else "-"))
    if ended < 4:
        out.append(Evidence("Triwulan yang belum berakhir",
                            f"{4 - ended} triwulan {report.tahun} belum berakhir pada {today:%d-%m-%Y}", "-"))
    leaves = [leaf for leaf in report.leaves if leaf.budget is not None and leaf.budget.pagu is not None]
    with_money = [leaf for leaf in leaves if any(v is not None for v in leaf.budget.realisasi_tw)]
    out.append(Evidence("Realisasi keuangan per triwulan (anggaran.triwulan)",
                        f"{len(with_money)} dari {len(leaves)} sub kegiatan beranggaran", "-"))
    out.append(Evidence("Pemanfaatan hasil pengukuran (tindak lanjut indikator yang tertinggal)",
                        "tidak dapat dibaca dari data; siapkan buktinya (notula, surat, perubahan kegiatan) untuk "
                        "evaluator", "-"))
    return out
