"""Compute stage: from validated, frozen content to the computed Report model; pure, no I/O."""
from __future__ import annotations

from types import SimpleNamespace

from ..base.frozen import EMPTY
from ..base.shape import ANALYSIS_TARGETS, nomenclature
from .agreement import build_agreements, pk_targets, signatory
from .budget import build_programs, sum_budgets
from .indicators import build_indicators, build_sasaran, history_of, replacements
from .model import Report
from .quarters import build_action_plans
from .review import review_statement
from .staff import build_staff_tables, gender


ANALYSIS_PARTS = (("keberhasilan", "Faktor keberhasilan"), ("kendala", "Kendala"), ("upaya", "Upaya yang dilakukan"))


def analyses(kinerja) -> dict:
    """'sasaran:S1' / 'tujuan:T1' / 'indikator:akb' -> ((title, items), ...) of its keberhasilan, kendala and upaya
    (kinerja.yaml analisis), the parts that have items, in that order."""
    out = {}
    for row in kinerja.get("analisis") or ():
        kind = next((k for k in ANALYSIS_TARGETS if row.get(k)), None)
        if kind is not None:
            out[f"{kind}:{row[kind]}"] = tuple((title, tuple(row[key])) for key, title in ANALYSIS_PARTS if row.get(key))
    return out


def previous_leaves(previous: Report | None) -> dict | None:
    """kode -> realisasi Measure of last year's leaves, or None when there is no previous content."""
    if previous is None:
        return None
    return {s.kode: s.realisasi for s in previous.leaves}


def _predikat_spread(measured, scale) -> tuple:
    """(predikat, number of leaves) in scale order, from the measurable leaves."""
    return tuple((row["predikat"], sum(1 for s in measured if s.capaian.predikat == row["predikat"])) for row in scale)


def _counts(programs, people, measured, indicators):
    leaves = [leaf for p in programs for leaf in p.leaves]
    subs = [s for s in leaves if s.tingkat == "sub_kegiatan"]
    return SimpleNamespace(
        mencapai_target=sum(1 for s in measured if s.capaian.nilai >= 100),
        di_bawah_target=sum(1 for s in measured if s.capaian.nilai < 100),
        program=len(programs),
        kegiatan=sum(len(p.kegiatan) for p in programs),
        sub_kegiatan=len(subs),
        rincian=len(leaves),                                       # measured leaves of either nomenclature
        rincian_beranggaran=sum(1 for s in leaves if s.budget),
        rincian_berindikator=sum(1 for s in leaves if s.indikator),
        sub_kegiatan_beranggaran=sum(1 for s in subs if s.budget),
        sub_kegiatan_berindikator=sum(1 for s in subs if s.indikator),
        sub_kegiatan_terukur=len(measured),
        indikator=sum(1 for i in indicators if i.tingkat == "sasaran"),   # indikator kinerja sasaran
        indikator_tujuan=sum(1 for i in indicators if i.tingkat == "tujuan"),
        indikator_kualitatif=sum(1 for i in indicators if i.kualitatif),
        iku=sum(1 for i in indicators if i.iku),
        pegawai=len(people),
        pns=sum(1 for p in people if p["status"] == "PNS"),
        pppk=sum(1 for p in people if p["status"] == "PPPK"),
        kontrak=sum(1 for p in people if p["status"] == "kontrak"),
        laki_laki_pns=sum(1 for p in people if p["status"] == "PNS" and gender(p) == "L"),
        perempuan_pns=sum(1 for p in people if p["status"] == "PNS" and gender(p) == "P"),
    )


def compute(data, previous: Report | None = None) -> Report:
    """data: frozen validated documents by name (optional documents may be absent). previous: last year's
    computed report (content/<tahun-1>), if any: last year's figures are joined from it by code (leaves) and id
    (indicators); without one, the figures stored in this year's content are used."""
    laporan, renstra, kinerja = data["laporan"], data["renstra"], data["kinerja"]
    year = laporan["tahun"]
    config, scale = laporan["capaian"], laporan["skala_predikat"]
    method = laporan.get("efisiensi") or EMPTY
    programs = build_programs(data["program"], year, renstra["periode"]["akhir"], data.get("matriks"), config, scale,
                              method, previous_leaves(previous))
    measured = [s for p in programs for s in p.leaves if s.capaian.nilai is not None]
    indicators, sasaran_list, tujuan_list = build_indicators(renstra, kinerja, year, config, scale,
                                                None if previous is None else history_of(previous),
                                                pk_targets(kinerja, renstra, year))
    pk, pk_revised = build_agreements(kinerja, renstra, indicators, programs, year)
    people_list = data["pegawai"]["pegawai"] if data.get("pegawai") else ()
    people = {p["id"]: p for p in people_list}
    organisasi = data.get("organisasi") or EMPTY
    units = tuple(SimpleNamespace(**dict(u), kepala_orang=people.get(u.get("kepala"))) for u in organisasi.get("unit", ()))
    below: dict = {}
    for u in units:                      # each unit's direct subunits, in content order (one pass, not one per unit)
        if getattr(u, "induk", None) is not None:
            below.setdefault(u.induk, []).append(u)
    for u in units:
        u.anak = tuple(below.get(u.id, ()))
    ikus = tuple(i for i in indicators if i.iku)
    matriks_rows = (data.get("matriks") or EMPTY).get("baris", ())
    return Report(
        tahun=year, tahun_lalu=year - 1, draf=laporan["draf"], laporan=laporan, instansi=data["instansi"],
        renstra=renstra, organisasi=organisasi,
        dasar_hukum=(data.get("dasar_hukum") or EMPTY).get("dasar_hukum", ()),
        isu=data.get("isu_strategis"), kendala=kinerja.get("kendala") or (), analisis=analyses(kinerja),
        pegawai=people_list, kepala=people.get(data["instansi"].get("kepala")),
        penandatangan=signatory(laporan.get("penandatangan")), units=units, programs=programs,
        total=sum_budgets(p.budget for p in programs), indicators=indicators,
        sasaran=build_sasaran(sasaran_list, programs), ikus=ikus, iku=ikus[0] if ikus else None,
        pk=pk, pk_perubahan=pk_revised,
        counts=_counts(programs, people_list, measured, indicators),
        staff_tables=build_staff_tables(data["pegawai"], organisasi.get("unit", ())) if data.get("pegawai") else (),
        matriks=matriks_rows, skala=scale,
        sumber_tahun_lalu=f"konten {year - 1}" if previous is not None else "data tersimpan",
        efisiensi=method, keadaan_pegawai=(data.get("pegawai") or EMPTY).get("keadaan"),
        sub_di_bawah_target=tuple(sorted((s for s in measured if s.capaian.nilai < 100),
                                         key=lambda s: (s.capaian.nilai, s.kode))),
        sebaran_predikat=_predikat_spread(measured, scale),
        renstra_programs=tuple(row for row in matriks_rows if row["kode"].count(".") == 2),
        nomenklatur=nomenclature(laporan),
        kerangka=laporan.get("kerangka") or EMPTY,
        reviu=review_statement(data.get("reviu"), data["instansi"]),
        tujuan=tujuan_list, penggantian=replacements(renstra, indicators, year),
        rencana_aksi=build_action_plans(kinerja, indicators),
    )
