"""Compute stage: budget tree (program -> kegiatan -> sub kegiatan, or program -> kegiatan) with roll-ups,
serapan and the efficiency verdict per program."""
from __future__ import annotations

from decimal import Decimal

from ..base.shape import POLARITY_DEFAULT, quarter_number
from .measure import HUNDRED, achievement, parse_measure
from .model import Budget, Kegiatan, Program, RenstraYear, SubKegiatan


NO_QUARTERS = (None, None, None, None)


def make_budget(pagu: int | None, realisasi: int | None, rencana_tw: tuple = NO_QUARTERS,
                realisasi_tw: tuple = NO_QUARTERS, fisik: tuple = (NO_QUARTERS, NO_QUARTERS)) -> Budget:
    """realisasi None = not filled in yet: serapan and sisa are then unknown too. pagu None: no budget is known at
    all (a roll-up over parts without any anggaran), never printed as 0. rencana_tw/realisasi_tw: the quarterly
    plan and realisation to the end of each triwulan (None where not given)."""
    if pagu is None:
        return Budget(None, None, None, None)
    if realisasi is None:
        return Budget(pagu, None, None, None, rencana_tw, realisasi_tw, *fisik)
    serapan = Decimal(realisasi) / Decimal(pagu) * HUNDRED if pagu else None
    return Budget(pagu, realisasi, serapan, pagu - realisasi, rencana_tw, realisasi_tw, *fisik)


def quarter_amounts(money) -> tuple[tuple, tuple, tuple]:
    """(rencana_tw, realisasi_tw, (rencana_fisik_tw, realisasi_fisik_tw)) from an anggaran mapping's `triwulan`."""
    quarters = (money or {}).get("triwulan") or {}
    plan, real, plan_done, done = [None] * 4, [None] * 4, [None] * 4, [None] * 4
    for key, row in quarters.items():
        n = quarter_number(key)
        if n is not None and row:
            plan[n - 1], real[n - 1] = row.get("rencana"), row.get("realisasi")
            plan_done[n - 1], done[n - 1] = row.get("rencana_fisik"), row.get("realisasi_fisik")
    return tuple(plan), tuple(real), (tuple(plan_done), tuple(done))


def sum_known(values):
    """The sum, or None while any part is unknown: a partial sum is never shown as the whole."""
    values = list(values)
    return None if None in values else sum(values)


def sum_budgets(budgets) -> Budget:
    """Roll-up; the realisasi total is unknown while any part of it is unfilled; the whole is unknown when no part
    has a budget."""
    budgets = [b for b in budgets if b is not None and b.pagu is not None]
    if not budgets:
        return make_budget(None, None)
    return make_budget(sum(b.pagu for b in budgets), sum_known(b.realisasi for b in budgets),
                       tuple(sum_known(b.rencana_tw[n] for b in budgets) for n in range(4)),
                       tuple(sum_known(b.realisasi_tw[n] for b in budgets) for n in range(4)))


def renstra_index(matriks) -> dict:
    """kode -> tuple of RenstraYear, from the shared Renstra matrix (first row per code wins)."""
    index: dict = {}
    for row in (matriks or {}).get("baris") or ():
        if row["kode"] in index:
            continue
        years = []
        for year, cell in sorted(row.get("target", {}).items()):
            years.append(RenstraYear(int(year), cell.get("target"), cell.get("satuan", row.get("satuan")), cell.get("pagu")))
        index[row["kode"]] = tuple(years)
    return index


def _year_row(rows, year):
    return next((r for r in rows if r.year == year), None)


def efficiency(mean: Decimal | None, serapan: Decimal | None, method) -> str | None:
    """Verdict of one program under the content's method (laporan.yaml `efisiensi`).

    capaian_vs_serapan: not assessable without a mean capaian or a serapan; a serapan below `serapan_minimum`
    is flagged (low spending is not called efficient); else efficient when the mean capaian is at least the serapan."""
    if mean is None or serapan is None:
        return None
    minimum = method.get("serapan_minimum")
    if minimum is not None and serapan < minimum:
        return "serapan-rendah"
    return "efisien" if mean >= serapan else "kurang-efisien"


def _leaf(item, level, path, year, end_year, renstra, config, scale, previous):
    unit = item.get("satuan")
    polaritas = item.get("polaritas", POLARITY_DEFAULT)
    target = parse_measure(item.get("target"), unit)
    realisasi = parse_measure(item.get("realisasi"), unit)
    money = item.get("anggaran")
    rows = renstra.get(item["kode"], ())
    return SubKegiatan(
        kode=item["kode"], nama=item["nama"], indikator=item.get("indikator"), satuan=unit, polaritas=polaritas,
        target=target, realisasi=realisasi,
        realisasi_lalu=(parse_measure(item.get("realisasi_tahun_lalu"), unit) if previous is None
                        else previous.get(item["kode"])),
        capaian=achievement(target, realisasi, polaritas, config, scale),
        budget=make_budget(money["pagu"], money["realisasi"], *quarter_amounts(money)) if money is not None else None,
        kebijakan=item.get("kebijakan"), catatan=item.get("catatan"), renstra=rows,
        renstra_tahun_ini=_year_row(rows, year), renstra_akhir=_year_row(rows, end_year), path=path, tingkat=level)


def build_programs(program_doc, year: int, end_year: int, matriks, config, scale, method,
                   previous: dict | None = None) -> tuple:
    """previous: last year's leaf realisasi by code (from content/<tahun-1>), or None for stored figures.
    A kegiatan without a sub_kegiatan list is itself a leaf (Permendagri 13/2006)."""
    renstra = renstra_index(matriks)
    programs = []
    for i, prog in enumerate(program_doc["program"]):
        kegiatan = []
        for j, keg in enumerate(prog["kegiatan"]):
            kpath = ("program", i, "kegiatan", j)
            leaf, subs = None, ()
            if keg.get("sub_kegiatan") is None:
                leaf = _leaf(keg, "kegiatan", kpath, year, end_year, renstra, config, scale, previous)
            else:
                subs = tuple(_leaf(sub, "sub_kegiatan", kpath + ("sub_kegiatan", k), year, end_year, renstra, config,
                                   scale, previous) for k, sub in enumerate(keg["sub_kegiatan"]))
            kegiatan.append(Kegiatan(
                kode=keg["kode"], nama=keg["nama"], indikator=keg.get("indikator"),
                target=None if leaf else keg.get("target"), kebijakan=keg.get("kebijakan"), sub_kegiatan=subs,
                budget=sum_budgets((leaf.budget,) if leaf else (s.budget for s in subs)),
                renstra_tahun_ini=_year_row(renstra.get(keg["kode"], ()), year), path=kpath, leaf=leaf))
        budget = sum_budgets(k.budget for k in kegiatan)
        leaves = [leaf for k in kegiatan for leaf in ((k.leaf,) if k.leaf else k.sub_kegiatan)]
        measured = [s.capaian.nilai for s in leaves if s.capaian.nilai is not None and s.budget is not None]
        mean = sum(measured, Decimal(0)) / len(measured) if measured else None
        programs.append(Program(
            kode=prog["kode"], nama=prog["nama"], indikator=prog.get("indikator"), kebijakan=prog.get("kebijakan"),
            kegiatan=tuple(kegiatan), budget=budget, capaian_rata=mean, jumlah_terukur=len(measured),
            efisiensi=efficiency(mean, budget.serapan, method), sasaran=tuple(prog.get("sasaran") or ()),
            renstra_tahun_ini=_year_row(renstra.get(prog["kode"], ()), year), path=("program", i)))
    return tuple(programs)
