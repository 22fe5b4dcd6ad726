"""Compute stage: the Perjanjian Kinerja and its revision (PK Perubahan), each with its own date and signatories."""
from __future__ import annotations

from ..base.shape import PK_KINDS, PK_LABELS, PK_PERUBAHAN, renstra_indicators, scale_text
from .model import PerformanceAgreement, Signatory

KINDS = tuple((key, key == PK_PERUBAHAN) for key in PK_KINDS)     # (key, is the revision)


def signatory(data) -> Signatory:
    data = data or {}
    return Signatory(data.get("nama"), data.get("nip"), data.get("jabatan"), data.get("pangkat"))


def pk_targets(kinerja, renstra, year: int) -> dict:
    """{indicator id: (target, source)}: the revised PK wins over the PK, which wins over the Renstra;
    a PK row without `target` carries the Renstra target of the year."""
    renstra_targets = {ind["id"]: (ind.get("target") or {}).get(str(year)) for _p, ind in renstra_indicators(renstra)}
    out: dict = {}
    for key, revised in KINDS:
        pk = kinerja.get(key)
        if not pk:
            continue
        label = PK_LABELS[key]
        for row in pk.get("target") or ():
            value = row.get("target")
            if value is None:
                value = renstra_targets.get(row["indikator"])
                if value is None:
                    continue
                label_used = f"{label}, sesuai Renstra"
            else:
                label_used = label
            out[row["indikator"]] = (value, label_used)
    return out


def _as_written(indicator, value):
    """A qualitative indicator's target as the agency writes it (`3` read as a number prints as 3)."""
    return scale_text(value) if indicator.kualitatif else value


def build_agreements(kinerja, renstra, indicators, programs, year: int) -> tuple:
    """(pk, pk_perubahan); None where the content has none."""
    by_id = {i.id: i for i in indicators}
    names = {p.kode: p.nama for p in programs}
    renstra_targets = {ind["id"]: (ind.get("target") or {}).get(str(year)) for _p, ind in renstra_indicators(renstra)}
    out = []
    for key, revised in KINDS:
        pk = kinerja.get(key)
        if not pk:
            out.append(None)
            continue
        rows = tuple((by_id[r["indikator"]], _as_written(by_id[r["indikator"]], r.get("target") if r.get("target") is not None
                      else renstra_targets.get(r["indikator"])))
                     for r in pk.get("target") or () if r["indikator"] in by_id)
        from_renstra = tuple(r["indikator"] for r in pk.get("target") or ()
                             if r["indikator"] in by_id and r.get("target") is None
                             and renstra_targets.get(r["indikator"]) is not None)
        budget = tuple((a["program"], names.get(a["program"], a.get("nama") or a["program"]), a["jumlah"])
                       for a in pk.get("anggaran") or ())
        title = PK_LABELS[key]
        out.append(PerformanceAgreement(
            judul=f"{title} Tahun {year}", tahun=year, tempat=pk.get("tempat"), tanggal=pk.get("tanggal"),
            pihak_kesatu=signatory(pk.get("pihak_kesatu")), pihak_kedua=signatory(pk.get("pihak_kedua")),
            baris=rows, anggaran=budget, total_anggaran=sum(b[2] for b in budget) if budget else None,
            dukungan=tuple((d["uraian"], tuple(d.get("rincian") or ())) for d in pk.get("dukungan") or ()),
            catatan=pk.get("catatan"), perubahan=revised, target_renstra=from_renstra))
    return tuple(out)
