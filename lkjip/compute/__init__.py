"""Compute stage: from validated, frozen content to the computed Report model; pure, no I/O."""
from __future__ import annotations

from types import SimpleNamespace

from .budget import build_programs, sum_budgets
from .indicators import build_indicators
from .model import Report
from .staff import build_staff_tables, gender


def _counts(programs, pegawai):
    people = pegawai["pegawai"]
    return SimpleNamespace(
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


def compute(data, previous_indicators: dict | None = None) -> Report:
    """data: frozen validated documents by name. previous_indicators: last year's realisasi by indicator id."""
    laporan, renstra = data["laporan"], data["renstra"]
    year = laporan["tahun"]
    config, scale = laporan["capaian"], laporan["skala_predikat"]
    programs = build_programs(data["program"], year, renstra["periode"]["akhir"], data["matriks"], config, scale)
    indicators = build_indicators(renstra, data["kinerja"], year, config, scale, previous_indicators)
    people = {p["id"]: p for p in data["pegawai"]["pegawai"]}
    units = tuple(SimpleNamespace(**dict(u), kepala_orang=people.get(u.get("kepala"))) for u in data["organisasi"]["unit"])
    return Report(
        tahun=year, tahun_lalu=year - 1, draf=laporan["draf"], laporan=laporan, instansi=data["instansi"],
        renstra=renstra, organisasi=data["organisasi"], dasar_hukum=data["dasar_hukum"]["dasar_hukum"],
        isu=data["isu_strategis"], kendala=data["kinerja"].get("kendala", ()),
        pegawai=data["pegawai"]["pegawai"], kepala=people.get(data["instansi"]["kepala"]),
        penandatangan=laporan["penandatangan"], units=units, programs=programs,
        total=sum_budgets(p.budget for p in programs), indicators=indicators,
        iku=next((i for i in indicators if i.iku), None), counts=_counts(programs, data["pegawai"]),
        staff_tables=build_staff_tables(data["pegawai"], data["organisasi"]["unit"]),
        matriks=data["matriks"]["baris"], skala=scale,
        efisiensi_metode="membandingkan rata-rata capaian kinerja sub kegiatan yang terukur dengan serapan anggaran "
                         "program; program dinilai efisien bila capaian kinerja tidak lebih rendah dari serapan anggaran",
        keadaan_pegawai=data["pegawai"]["keadaan"],
        renstra_programs=tuple(row for row in data["matriks"]["baris"] if row["kode"].count(".") == 2),
    )
