"""Compute stage: tujuan, sasaran and their indicators (IKU and others) with every comparison, polarity applied."""
from __future__ import annotations

from decimal import Decimal

from ..base.shape import in_force, indicator_places, lifecycle, renstra_sasaran, scale_text
from .measure import HUNDRED, achievement_numbers, achievement_rank, compare, compare_rank
from .model import Component, Indicator, Replacement, Sasaran, Tujuan, YearValue


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


def _judge(ind, config, scale, cap):
    """The one way this indicator's capaian is computed: by rank for a scale, else from the numbers."""
    skala = tuple(ind.get("skala") or ())
    if skala:
        mapping = {int(k): v for k, v in (ind.get("capaian_peringkat") or {}).items()}
        return lambda target, value: achievement_rank(target, value, skala, mapping, scale, cap, config)
    return lambda target, value: achievement_numbers(target, value, ind.get("polaritas"), config, scale, cap)


def _compare(ind):
    skala = tuple(ind.get("skala") or ())
    if skala:
        return lambda value, other: compare_rank(value, other, skala)
    return lambda value, other: compare(value, other, ind.get("polaritas"))


def _history(ind, row, year: int, target_now, value_now, targets: dict, previous: dict | None, judge):
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
        rows.append(YearValue(y, target, value, judge(target, value), source))
    return tuple(rows)


def build_indicators(renstra, kinerja, year: int, config, scale, previous: dict | None, targets_pk: dict) -> tuple:
    """(indicators, sasaran, tujuan) in Renstra order, only the indicators in force in `year`.

    previous: {indicator id: {year: (Decimal, source)}} from earlier content folders, or None.
    targets_pk: {indicator id: (target, source label)} from the Perjanjian Kinerja (and its revision)."""
    realised = {row["indikator"]: row for row in kinerja.get("realisasi_indikator") or ()}
    end = renstra["periode"]["akhir"]
    spans = lifecycle(renstra)
    indicators, by_sasaran, by_tujuan = [], {}, {}
    for path, tujuan, sasaran, ind in indicator_places(renstra):
        span = spans[ind["id"]]
        if not in_force(span, year):
            continue
        skala = tuple(ind.get("skala") or ())
        plain = (lambda v: scale_text(v)) if skala else (lambda v: v)
        targets = {int(y): plain(v) for y, v in (ind.get("target") or {}).items()}
        target, target_source = targets_pk.get(ind["id"], (targets.get(year), "Renstra"))
        target = plain(target)
        if target is None:
            target_source = None
        row = realised.get(ind["id"], {})
        if skala:
            value, numerator, denominator, components = plain(row.get("realisasi")), None, None, ()
            row = dict(row, riwayat={y: plain(v) for y, v in (row.get("riwayat") or {}).items()})
        else:
            value, numerator, denominator, components = realisation(ind, row)
        cap = ind.get("batas_atas")
        judge, versus = _judge(ind, config, scale, cap), _compare(ind)
        target_end = targets.get(end)
        history = _history(ind, row, year, target, value, targets, previous, judge)
        last = next((h for h in history if h.year == year - 1), None)
        standard = ind.get("standar_nasional") or {}
        member = Indicator(
            id=ind["id"], uraian=ind["uraian"], satuan=ind["satuan"], desimal=ind.get("desimal"),
            polaritas=ind.get("polaritas"), iku=bool(ind.get("iku")), tujuan=tujuan["uraian"], tujuan_id=tujuan["id"],
            sasaran=sasaran["uraian"] if sasaran else None, sasaran_id=sasaran["id"] if sasaran else None,
            rumus=ind.get("rumus"), pengali=pengali(ind),
            kondisi_awal=plain(ind.get("kondisi_awal")), targets=tuple(sorted(targets.items())), target=target,
            target_sumber=target_source, target_akhir=target_end, realisasi=value,
            capaian=judge(target, value), capaian_akhir=judge(target_end, value),
            pembilang=numerator, penyebut=denominator, komponen=components, riwayat=history,
            realisasi_lalu=last.realisasi if last else None,
            realisasi_lalu_sumber=last.sumber if last and last.realisasi is not None else None,
            banding_lalu=versus(value, last.realisasi if last else None),
            banding_akhir=versus(value, target_end),
            standar_nasional=standard.get("nilai"), standar_sumber=standard.get("sumber"),
            banding_standar=versus(value, standard.get("nilai")),
            pendukung=tuple(dict.fromkeys(c.kode for c in components if c.kode)),
            path=path, nomor=ind.get("nomor"), skala=skala, tingkat="sasaran" if sasaran else "tujuan",
            tujuan_nomor=tujuan.get("nomor"), sasaran_nomor=sasaran.get("nomor") if sasaran else None,
            berlaku_mulai=span[0], berakhir=span[1])
        indicators.append(member)
        if sasaran is None:
            by_tujuan.setdefault(tujuan["id"], []).append(member)
        else:
            by_sasaran.setdefault(sasaran["id"], []).append(member)
    sasaran_list = [(s, t, tuple(by_sasaran.get(s["id"], ()))) for _p, t, s in renstra_sasaran(renstra)]
    tujuan_list = tuple(Tujuan(t["id"], t.get("nomor"), t["uraian"], tuple(by_tujuan.get(t["id"], ())))
                        for t in renstra["tujuan"])
    return tuple(indicators), sasaran_list, tujuan_list


def replacements(renstra, indicators, year: int) -> tuple:
    """Replacement of every indicator in force this year that replaced another (stated once in the report)."""
    spans = lifecycle(renstra)
    rows = {ind["id"]: ind for _p, _t, _s, ind in indicator_places(renstra)}
    out = []
    for new in indicators:
        old_id = spans[new.id][3]
        if old_id is None or in_force(spans[old_id], year):
            continue
        old = rows[old_id]
        targets = {int(y): v for y, v in (old.get("target") or {}).items()}
        last = spans[old_id][1]
        when = year if year in targets else last if last in targets else max(targets) if targets else None
        target = targets.get(when)
        wording = f"{old['nomor']} {old['uraian']}" if old.get("nomor") else old["uraian"]
        out.append(Replacement(lama_id=old_id, lama=wording, lama_target=scale_text(target) if old.get("skala") else target,
                               lama_tahun=when, lama_satuan=old["satuan"], baru=new, tahun=spans[new.id][0] or year,
                               dasar=spans[new.id][4]))
    return tuple(out)


def build_sasaran(sasaran_list, programs) -> tuple:
    out = []
    for position, (sasaran, tujuan, members) in enumerate(sasaran_list, start=1):
        supporting = tuple(p for p in programs if sasaran["id"] in p.sasaran)
        out.append(Sasaran(sasaran["id"], sasaran["uraian"], tujuan["uraian"], tujuan["id"], members, supporting,
                           sasaran.get("nomor"), position))
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
