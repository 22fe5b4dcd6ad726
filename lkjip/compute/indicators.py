"""Compute stage: tujuan, sasaran and their indicators (IKU and others) with every comparison, polarity applied."""
from __future__ import annotations

from decimal import Decimal

from .measure import HUNDRED, achievement_numbers, compare
from .model import Component, Indicator, Sasaran, YearValue


def pengali(ind) -> Decimal:
    """Multiplier of pembilang / penyebut: from the formula, else 100 for a percentage and 1 otherwise."""
    rumus = ind.get("rumus") or {}
    if rumus.get("pengali") is not None:
        return Decimal(rumus["pengali"])
    return HUNDRED if ind["satuan"].strip() == "%" else Decimal(1)


def _components(row) -> tuple:
    return tuple(Component(uraian=c["uraian"], jumlah=c["jumlah"], satuan=c.get("satuan"),
                           kode=c.get("sub_kegiatan") or c.get("kegiatan"), counted=not c.get("dikecualikan"),
                           reason=c.get("dikecualikan")) for c in row.get("komponen") or ())


def realisation(ind, row) -> tuple:
    """(realisasi, pembilang, penyebut, komponen) of one indicator from its kinerja.yaml row.

    A direct `realisasi`, or pembilang / penyebut x pengali, where pembilang is a number or the sum of the counted
    components and penyebut a number or the Renstra's fixed `penyebut_awal`."""
    components = _components(row)
    if row.get("realisasi") is not None:
        return row["realisasi"], None, None, components
    numerator = row.get("pembilang")
    if components:
        counted = [c.jumlah for c in components if c.counted]
        numerator = None if not counted or any(n is None for n in counted) else Decimal(sum(counted))
    denominator = row.get("penyebut")
    if denominator is None:
        denominator = ind.get("penyebut_awal")
    if numerator is None or not denominator:
        return None, numerator, denominator, components
    return Decimal(numerator) / Decimal(denominator) * pengali(ind), Decimal(numerator), Decimal(denominator), components


def _history(ind, row, year: int, target_now, value_now, targets: dict, previous: dict | None, config, scale, cap):
    """YearValue per year: earlier years from last year's content (with its own history) or from the stored
    `riwayat`, this year from this year's figures."""
    known: dict = {}
    for y, v in (row.get("riwayat") or {}).items():
        known[int(y)] = (v, "data tersimpan")
    if previous is not None:
        known.update(previous.get(ind["id"], {}))
    start = min([*targets, *known, year]) if (targets or known) else year
    rows = []
    for y in range(start, year + 1):
        target = target_now if y == year else targets.get(y)
        if y == year:
            value, source = value_now, None
        else:
            value, source = known.get(y, (None, None))
        if y != year and value is None:
            continue                 # earlier years appear only when their realisation is known
        rows.append(YearValue(y, target, value, achievement_numbers(target, value, ind["polaritas"], config, scale, cap),
                              source))
    return tuple(rows)


def build_indicators(renstra, kinerja, year: int, config, scale, previous: dict | None, targets_pk: dict) -> tuple:
    """(indicators, sasaran) in Renstra order.

    previous: {indicator id: {year: (Decimal, source)}} from earlier content folders, or None.
    targets_pk: {indicator id: (target, source label)} from the Perjanjian Kinerja (and its revision)."""
    realised = {row["indikator"]: row for row in kinerja.get("realisasi_indikator") or ()}
    end = renstra["periode"]["akhir"]
    indicators, sasaran_list = [], []
    for ti, tujuan in enumerate(renstra["tujuan"]):
        for si, sasaran in enumerate(tujuan["sasaran"]):
            members = []
            for ii, ind in enumerate(sasaran["indikator"]):
                targets = {int(y): v for y, v in (ind.get("target") or {}).items()}
                target, target_source = targets_pk.get(ind["id"], (targets.get(year), "Renstra"))
                if target is None:
                    target_source = None
                row = realised.get(ind["id"], {})
                value, numerator, denominator, components = realisation(ind, row)
                cap = ind.get("batas_atas")
                polarity = ind["polaritas"]
                target_end = targets.get(end)
                history = _history(ind, row, year, target, value, targets, previous, config, scale, cap)
                last = next((h for h in history if h.year == year - 1), None)
                standard = ind.get("standar_nasional") or {}
                members.append(Indicator(
                    id=ind["id"], uraian=ind["uraian"], satuan=ind["satuan"], desimal=ind.get("desimal"),
                    polaritas=polarity, iku=bool(ind.get("iku")), tujuan=tujuan["uraian"], tujuan_id=tujuan["id"],
                    sasaran=sasaran["uraian"], sasaran_id=sasaran["id"], rumus=ind.get("rumus"), pengali=pengali(ind),
                    kondisi_awal=ind.get("kondisi_awal"), targets=tuple(sorted(targets.items())), target=target,
                    target_sumber=target_source, target_akhir=target_end, realisasi=value,
                    capaian=achievement_numbers(target, value, polarity, config, scale, cap),
                    capaian_akhir=achievement_numbers(target_end, value, polarity, config, scale, cap),
                    pembilang=numerator, penyebut=denominator, komponen=components, riwayat=history,
                    realisasi_lalu=last.realisasi if last else None,
                    realisasi_lalu_sumber=last.sumber if last and last.realisasi is not None else None,
                    banding_lalu=compare(value, last.realisasi if last else None, polarity),
                    banding_akhir=compare(value, target_end, polarity),
                    standar_nasional=standard.get("nilai"), standar_sumber=standard.get("sumber"),
                    banding_standar=compare(value, standard.get("nilai"), polarity),
                    pendukung=tuple(dict.fromkeys(c.kode for c in components if c.kode)),
                    path=("tujuan", ti, "sasaran", si, "indikator", ii)))
            indicators += members
            sasaran_list.append((sasaran, tujuan, tuple(members)))
    return tuple(indicators), sasaran_list


def build_sasaran(sasaran_list, programs) -> tuple:
    out = []
    for sasaran, tujuan, members in sasaran_list:
        supporting = tuple(p for p in programs if sasaran["id"] in p.sasaran)
        out.append(Sasaran(sasaran["id"], sasaran["uraian"], tujuan["uraian"], tujuan["id"], members, supporting,
                           sasaran.get("nomor")))
    return tuple(out)


def history_of(report) -> dict:
    """{indicator id: {year: (realisasi, source)}} of a computed report, for the next year's comparisons."""
    out: dict = {}
    for ind in report.indicators:
        years = {h.year: (h.realisasi, h.sumber) for h in ind.riwayat if h.realisasi is not None and h.year != report.tahun}
        if ind.realisasi is not None:
            years[report.tahun] = (ind.realisasi, f"konten {report.tahun}")
        out[ind.id] = years
    return out
