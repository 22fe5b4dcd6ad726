"""Compute stage: program tree with roll-ups sub kegiatan -> kegiatan -> program -> total, serapan, efficiency."""
from __future__ import annotations

from decimal import Decimal

from .measure import HUNDRED, achievement, parse_measure
from .model import Budget, Kegiatan, Program, RenstraYear, SubKegiatan


def make_budget(pagu: int, realisasi: int | None) -> Budget:
    """realisasi None = not filled in yet: serapan and sisa are then unknown too."""
    if realisasi is None:
        return Budget(pagu, None, None, None)
    serapan = Decimal(realisasi) / Decimal(pagu) * HUNDRED if pagu else None
    return Budget(pagu, realisasi, serapan, pagu - realisasi)


def sum_budgets(budgets) -> Budget:
    """Roll-up; the realisasi total is unknown while any part of it is unfilled."""
    budgets = [b for b in budgets if b is not None]
    realised = [b.realisasi for b in budgets]
    return make_budget(sum(b.pagu for b in budgets), None if None in realised else sum(realised))


def renstra_index(matriks) -> dict:
    """kode -> tuple of RenstraYear, from the shared Renstra matrix (first row per code wins)."""
    index: dict = {}
    for row in matriks["baris"]:
        if row["kode"] in index:
            continue
        years = []
        for year, cell in sorted(row.get("target", {}).items()):
            years.append(RenstraYear(int(year), cell.get("target"), cell.get("satuan", row.get("satuan")), cell.get("pagu")))
        index[row["kode"]] = tuple(years)
    return index


def _year_row(rows, year):
    return next((r for r in rows if r.year == year), None)


def build_programs(program_doc, year: int, end_year: int, matriks, config, scale, previous: dict | None = None) -> tuple:
    """previous: last year's sub kegiatan realisasi by code (from content/<tahun-1>), or None for stored figures."""
    renstra = renstra_index(matriks)
    programs = []
    for i, prog in enumerate(program_doc["program"]):
        kegiatan = []
        for j, keg in enumerate(prog["kegiatan"]):
            subs = []
            for k, sub in enumerate(keg["sub_kegiatan"]):
                unit = sub.get("satuan")
                polaritas = sub.get("polaritas", "positif")
                target = parse_measure(sub.get("target"), unit)
                realisasi = parse_measure(sub.get("realisasi"), unit)
                money = sub.get("anggaran")
                budget = None
                if money is not None:
                    budget = make_budget(money["pagu"], money["realisasi"])
                rows = renstra.get(sub["kode"], ())
                subs.append(SubKegiatan(
                    kode=sub["kode"], nama=sub["nama"], indikator=sub.get("indikator"), satuan=unit,
                    polaritas=polaritas, target=target, realisasi=realisasi,
                    realisasi_lalu=(parse_measure(sub.get("realisasi_tahun_lalu"), unit) if previous is None
                                    else previous.get(sub["kode"])),
                    capaian=achievement(target, realisasi, polaritas, config, scale),
                    budget=budget, kebijakan=sub.get("kebijakan"), catatan=sub.get("catatan"),
                    renstra=rows, renstra_tahun_ini=_year_row(rows, year), renstra_akhir=_year_row(rows, end_year),
                    path=("program", i, "kegiatan", j, "sub_kegiatan", k)))
            kegiatan.append(Kegiatan(
                kode=keg["kode"], nama=keg["nama"], indikator=keg.get("indikator"), target=keg.get("target"),
                kebijakan=keg.get("kebijakan"), sub_kegiatan=tuple(subs),
                budget=sum_budgets(s.budget for s in subs),
                renstra_tahun_ini=_year_row(renstra.get(keg["kode"], ()), year),
                path=("program", i, "kegiatan", j)))
        budget = sum_budgets(k.budget for k in kegiatan)
        measured = [s.capaian.shown for k in kegiatan for s in k.sub_kegiatan if s.capaian.shown is not None]
        mean = sum(measured, Decimal(0)) / len(measured) if measured else None
        efisien = None if mean is None or budget.serapan is None else mean >= budget.serapan
        programs.append(Program(
            kode=prog["kode"], nama=prog["nama"], indikator=prog.get("indikator"), kebijakan=prog.get("kebijakan"),
            kegiatan=tuple(kegiatan), budget=budget, capaian_rata=mean, jumlah_terukur=len(measured),
            efisien=efisien, renstra_tahun_ini=_year_row(renstra.get(prog["kode"], ()), year),
            path=("program", i)))
    return tuple(programs)
