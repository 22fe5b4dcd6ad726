"""Compute stage: the Rencana Aksi (quarterly targets of each PK indicator) and the quarterly monitoring figures
derived from it (kinerja.yaml `rencana_aksi`). How the quarters make the year is declared per indicator
(base/shape.py QUARTER_RULES); every figure a monitoring report shows is computed here, once."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..base.shape import KUMULATIF, MONITOR_DEFAULT, NEGATIF, NILAI_TERAKHIR, PER_PERIODE, QUARTERS, quarter_number
from .budget import sum_known
from .measure import HUNDRED, achievement_numbers

ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "sesuai rencana", "perlu perhatian", "tertinggal", "belum ada realisasi"


@dataclass(frozen=True)
class ActionPlan:
    indicator: object              # Indicator
    cara: str                      # kumulatif | per_periode | nilai_terakhir
    target: tuple                  # Decimal | None per quarter I-IV
    realisasi: tuple               # Decimal | None per quarter I-IV
    path: tuple                    # key path in kinerja.yaml
    target_tahun: Decimal | None = None      # the year the planned quarters make under the rule
    realisasi_tahun: Decimal | None = None   # the year the realised quarters make (None until the last is in)


@dataclass(frozen=True)
class QuarterRow:
    """One indicator at quarter n: the quarter itself, the year so far, and what the rest of the year needs."""
    plan: ActionPlan
    n: int
    target: Decimal | None         # the quarter's own planned value
    realisasi: Decimal | None
    target_sd: Decimal | None      # planned value of the year so far (to date, under the rule)
    realisasi_sd: Decimal | None
    capaian: object                # Achievement of realisasi_sd against target_sd
    target_tahun: Decimal | None   # the year's target (PK in force, else Renstra)
    kekurangan: Decimal | None     # what the year's target still needs beyond the year so far (None: reached)
    per_triwulan: Decimal | None   # per_periode: what each remaining quarter must add on average
    status: str


def _values(mapping) -> tuple:
    out = [None] * 4
    for key, value in (mapping or {}).items():
        n = quarter_number(key)
        if n is not None and value is not None:
            out[n - 1] = Decimal(str(value))
    return tuple(out)


def build_action_plans(kinerja, indicators) -> tuple:
    by_id = {i.id: i for i in indicators}
    out = []
    for i, row in enumerate(kinerja.get("rencana_aksi") or ()):
        if row["indikator"] not in by_id:
            continue
        targets, realised = _values(row.get("target")), _values(row.get("realisasi"))
        out.append(ActionPlan(by_id[row["indikator"]], row["cara"], targets, realised, ("rencana_aksi", i),
                              to_date(row["cara"], targets, 4), to_date(row["cara"], realised, 4)))
    return tuple(out)


def to_date(cara: str, values: tuple, n: int) -> Decimal | None:
    """The year so far at quarter n under the rule: the quarter's own value (kumulatif, nilai_terakhir) or the sum of
    the quarters so far (per_periode); None while a needed quarter is missing."""
    if cara == PER_PERIODE:
        part = values[:n]
        return None if any(v is None for v in part) else sum(part, Decimal(0))
    return values[n - 1]


def _status(capaian, thresholds) -> str:
    if capaian.nilai is None:
        return NO_DATA
    if capaian.nilai >= Decimal(str(thresholds["ambang_sesuai"])):
        return ON_TRACK
    if capaian.nilai >= Decimal(str(thresholds["ambang_waspada"])):
        return AT_RISK
    return OFF_TRACK


def thresholds(monitor) -> dict:
    """laporan.yaml pemantauan over the defaults."""
    return {**MONITOR_DEFAULT, **{k: v for k, v in (monitor or {}).items() if v is not None}}


def quarter_row(plan: ActionPlan, n: int, config, scale, monitor) -> QuarterRow:
    ind = plan.indicator
    limits = thresholds(monitor)
    target_sd, realisasi_sd = to_date(plan.cara, plan.target, n), to_date(plan.cara, plan.realisasi, n)
    capaian = achievement_numbers(target_sd, realisasi_sd, ind.polaritas, config, scale)
    year_target = ind.target if isinstance(ind.target, Decimal) else None
    gap = per_quarter = None
    if year_target is not None and realisasi_sd is not None and ind.polaritas is not None:
        missing = (realisasi_sd - year_target) if ind.polaritas == NEGATIF else (year_target - realisasi_sd)
        gap = missing if missing > 0 else None
        if gap is not None and plan.cara == PER_PERIODE and n < 4:
            per_quarter = gap / (4 - n)
    status = _status(capaian, limits) if ind.polaritas is not None else (NO_DATA if realisasi_sd is None else "")
    return QuarterRow(plan, n, plan.target[n - 1], plan.realisasi[n - 1], target_sd, realisasi_sd, capaian, year_target,
                      gap, per_quarter, status)


def quarter_rows(report, n: int) -> tuple:
    """Every indicator of the Rencana Aksi at quarter n (1-4)."""
    return tuple(quarter_row(plan, n, report.laporan["capaian"], report.skala, report.laporan.get("pemantauan"))
                 for plan in report.rencana_aksi)


@dataclass(frozen=True)
class QuarterChange:
    """One indicator from quarter n-1 to quarter n: its status and capaian to date then and now."""
    indicator: object
    status_lalu: str
    status: str
    capaian_lalu: object           # Achievement
    capaian: object
    berubah: bool                  # the status moved


def quarter_pairs(report, earlier: int, later: int) -> tuple:
    """(row at the earlier quarter, row at the later quarter) of each Rencana Aksi indicator."""
    return tuple(zip(quarter_rows(report, earlier), quarter_rows(report, later)))


def quarter_changes(report, n: int) -> tuple:
    """Each Rencana Aksi indicator at quarter n against quarter n-1 (empty for the first quarter)."""
    if n < 2:
        return ()
    return tuple(QuarterChange(row.plan.indicator, prev.status, row.status, prev.capaian, row.capaian,
                               prev.status != row.status) for prev, row in quarter_pairs(report, n - 1, n))


@dataclass(frozen=True)
class BudgetQuarter:
    """One program's money at the end of quarter n: the plan (anggaran kas) and realisation to date, both
    cumulative, against the year's pagu and against the plan. None where a sub kegiatan has not given it."""
    kode: str
    nama: str
    pagu: int | None
    rencana_sd: int | None
    realisasi_sd: int | None
    serapan: Decimal | None            # realisasi to date / pagu, percent
    terhadap_rencana: Decimal | None   # realisasi to date / plan to date, percent


def _percent(part, whole) -> Decimal | None:
    return None if part is None or not whole else Decimal(part) / Decimal(whole) * HUNDRED


def has_quarter_budget(report) -> bool:
    """Whether any program.yaml anggaran gives a quarterly plan or realisation (anggaran.triwulan)."""
    return any(v is not None for p in report.programs for v in (*p.budget.rencana_tw, *p.budget.realisasi_tw))


def budget_rows(report, n: int) -> tuple:
    """Each program with a budget at quarter n, then the total (kode ""); empty when no anggaran has quarters."""
    if not has_quarter_budget(report):
        return ()
    rows = []
    for p in report.programs:
        b = p.budget
        if b.pagu is None:
            continue
        plan, real = b.rencana_tw[n - 1], b.realisasi_tw[n - 1]
        rows.append(BudgetQuarter(p.kode, p.nama, b.pagu, plan, real, _percent(real, b.pagu), _percent(real, plan)))
    if not rows:
        return ()
    pagu, plan, real = (sum_known(getattr(r, field) for r in rows) for field in ("pagu", "rencana_sd", "realisasi_sd"))
    return (*rows, BudgetQuarter("", "Jumlah", pagu, plan, real, _percent(real, pagu), _percent(real, plan)))


@dataclass(frozen=True)
class LeafQuarter:
    """One sub kegiatan at the end of quarter n: money as shares of its pagu and physical progress, plan and
    realisation to date (percent), and how far the physical progress is behind or ahead of its plan."""
    kode: str
    nama: str
    pagu: int
    keuangan_rencana: Decimal | None
    keuangan: Decimal | None
    fisik_rencana: Decimal | None
    fisik: Decimal | None
    deviasi_fisik: Decimal | None      # fisik - fisik_rencana (points); negative: behind the plan


def leaf_rows(report, n: int) -> tuple:
    """Every budgeted leaf that gives a quarterly figure for quarter n (money or physical progress)."""
    out = []
    for leaf in report.leaves:
        b = leaf.budget
        if b is None or b.pagu is None:
            continue
        figures = (b.rencana_tw[n - 1], b.realisasi_tw[n - 1], b.rencana_fisik_tw[n - 1], b.realisasi_fisik_tw[n - 1])
        if all(v is None for v in figures):
            continue
        plan_done, done = figures[2], figures[3]
        out.append(LeafQuarter(leaf.kode, leaf.nama, b.pagu, _percent(figures[0], b.pagu), _percent(figures[1], b.pagu),
                               plan_done, done, None if None in (plan_done, done) else done - plan_done))
    return tuple(out)


def quarter_summary(report, n: int) -> dict:
    """What the monitoring report's summary says: the quarter, its rows and how many stand where."""
    rows = quarter_rows(report, n)
    counts = {s: sum(1 for r in rows if r.status == s) for s in (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)}
    return {"n": n, "nama": QUARTERS[n - 1], "baris": rows, "jumlah": counts, "indikator": len(rows),
            "tertinggal": tuple(r for r in rows if r.status in (OFF_TRACK, AT_RISK)),
            "ambang": thresholds(report.laporan.get("pemantauan")),
            "perubahan": quarter_changes(report, n), "nama_lalu": QUARTERS[n - 2] if n > 1 else None,
            "anggaran": budget_rows(report, n), "rincian": leaf_rows(report, n)}


RULE_NAMES = {KUMULATIF: "kumulatif", PER_PERIODE: "per periode", NILAI_TERAKHIR: "nilai terakhir"}
RULE_WORDS = {KUMULATIF: "Kumulatif: nilai setiap triwulan adalah capaian tahun berjalan; nilai triwulan IV adalah "
                         "nilai tahunan",
              PER_PERIODE: "Per periode: setiap triwulan berdiri sendiri; nilai tahunan adalah jumlah keempat triwulan",
              NILAI_TERAKHIR: "Nilai terakhir: nilai triwulan terakhir yang berlaku sebagai nilai tahunan"}
