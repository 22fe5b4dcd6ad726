"""Compute stage: from validated, frozen content to the computed Report model; pure, no I/O."""
from __future__ import annotations

from types import SimpleNamespace

from .budget import build_programs, sum_budgets
from .indicators import build_indicators
from .model import Report
from .staff import build_staff_tables, gender


def previous_subs(previous: Report | None) -> dict | None:
    """kode -> realisasi Measure of last year's sub kegiatan, or None when there is no previous content."""
    if previous is None:
        return None
    return {s.kode: s.realisasi for p in previous.programs for k in p.kegiatan for s in k.sub_kegiatan}


def _measured(programs):
    return [s for p in programs for k in p.kegiatan for s in k.sub_kegiatan if s.capaian.value is not None]


def _predikat_spread(measured, scale) -> tuple:
    """(predikat, number of sub kegiatan) in scale order, from the measurable sub kegiatan."""
    return tuple((row["predikat"], sum(1 for s in measured if s.capaian.predikat == row["predikat"])) for row in scale)


def _counts(programs, pegawai, measured):
    people = pegawai["pegawai"]
    return SimpleNamespace(
        mencapai_target=sum(1 for s in measured if s.capaian.value >= 100),
        di_bawah_target=sum(1 for s in measured if s.capaian.value < 100),
        program=len(programs),
        kegiatan=sum(len(p.kegiatan) for p in programs),
        sub_kegiatan=sum(len(k.sub_kegiatan) for p in programs for k in p.kegiatan),
        sub_kegiatan_beranggaran=sum(1 for p in programs for k in p.kegiatan for s in k.sub_kegiatan if s.budget),
        sub_kegiatan_terukur=sum(1 for p in programs for k in p.kegiatan for s in k.sub_kegiatan
                                 if s.capaian.value is not None),
        pegawai=len(people),
        pns=sum(1 for p in people if p["status"] == "PNS"),
        kontrak=sum(1 for p in people if p["status"] == "kontrak"),
        laki_laki_pns=sum(1 for p in people if p["status"] == "PNS" and gender(p) == "L"),
        perempuan_pns=sum(1 for p in people if p["status"] == "PNS" and gender(p) == "P"),
    )


def compute(data, previous: Report | None = None) -> Report:
    """data: frozen validated documents by name. previous: last year's computed report (content/<tahun-1>), if any.

    With a previous report, last year's figures are joined from it by code (sub kegiatan) and id (indicator);
    without one, the figures stored in this year's content (realisasi_tahun_lalu) are used.
    """
    laporan, renstra = data["laporan"], data["renstra"]
    year = laporan["tahun"]
    config, scale = laporan["capaian"], laporan["skala_predikat"]
    programs = build_programs(data["program"], year, renstra["periode"]["akhir"], data["matriks"], config, scale,
                              previous_subs(previous))
    measured = _measured(programs)
    indicators = build_indicators(renstra, data["kinerja"], year, config, scale,
                                  None if previous is None else {i.id: i.realisasi for i in previous.indicators})
    people = {p["id"]: p for p in data["pegawai"]["pegawai"]}
    units = tuple(SimpleNamespace(**dict(u), kepala_orang=people.get(u.get("kepala"))) for u in data["organisasi"]["unit"])
    return Report(
        tahun=year, tahun_lalu=year - 1, draf=laporan["draf"], laporan=laporan, instansi=data["instansi"],
        renstra=renstra, organisasi=data["organisasi"], dasar_hukum=data["dasar_hukum"]["dasar_hukum"],
        isu=data["isu_strategis"], kendala=data["kinerja"].get("kendala", ()),
        pegawai=data["pegawai"]["pegawai"], kepala=people.get(data["instansi"]["kepala"]),
        penandatangan=laporan["penandatangan"], units=units, programs=programs,
        total=sum_budgets(p.budget for p in programs), indicators=indicators,
        iku=next((i for i in indicators if i.iku), None), counts=_counts(programs, data["pegawai"], measured),
        staff_tables=build_staff_tables(data["pegawai"], data["organisasi"]["unit"]),
        matriks=data["matriks"]["baris"], skala=scale,
        sumber_tahun_lalu=f"konten {year - 1}" if previous is not None else "data tersimpan",
        efisiensi_metode="membandingkan rata-rata capaian kinerja sub kegiatan yang terukur dengan serapan anggaran "
                         "program; program dinilai efisien bila capaian kinerja tidak lebih rendah dari serapan anggaran",
        keadaan_pegawai=data["pegawai"]["keadaan"],
        sub_di_bawah_target=tuple(sorted((s for s in measured if s.capaian.value < 100),
                                         key=lambda s: (s.capaian.value, s.kode))),
        sebaran_predikat=_predikat_spread(measured, scale),
        renstra_programs=tuple(row for row in data["matriks"]["baris"] if row["kode"].count(".") == 2),
    )
