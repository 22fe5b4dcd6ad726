"""Compute stage: sasaran indicators (IKU) from their components, with Renstra and last-year comparisons."""
from __future__ import annotations

from decimal import Decimal

from .measure import HUNDRED, achievement
from .model import Component, Indicator, Measure


def build_indicators(renstra, kinerja, year: int, config, scale, previous: dict | None) -> tuple:
    """previous: {indicator id: Decimal} from last year's content, or None to use stored figures."""
    pk = {row["indikator"]: row for row in kinerja["perjanjian_kinerja"]}
    realised = {row["indikator"]: row for row in kinerja["realisasi_indikator"]}
    out = []
    end = renstra["periode"]["akhir"]
    for tujuan in renstra["tujuan"]:
        for sasaran in tujuan["sasaran"]:
            for ind in sasaran["indikator"]:
                targets = tuple(sorted((int(y), v) for y, v in ind["target"].items()))
                target = pk.get(ind["id"], {}).get("target", dict(targets).get(year))
                row = realised.get(ind["id"], {})
                components, numerator, denominator, value = (), None, None, row.get("realisasi")
                if row.get("komponen") is not None:
                    components = tuple(Component(
                        uraian=c["uraian"], jumlah=c["jumlah"], satuan=c.get("satuan"),
                        kode=c.get("sub_kegiatan") or c.get("kegiatan"), counted=not c.get("dikecualikan"),
                        reason=c.get("dikecualikan")) for c in row["komponen"])
                    counted = [c.jumlah for c in components if c.counted]
                    numerator = None if any(n is None for n in counted) else sum(counted)
                    denominator = ind.get("penyebut_awal")
                    if numerator is not None and denominator:
                        value = Decimal(numerator) / Decimal(denominator) * HUNDRED
                unit = ind["satuan"]
                cap = achievement(Measure(number=target, unit=unit) if target is not None else None,
                                  Measure(number=value, unit=unit) if value is not None else None,
                                  ind["polaritas"], config, scale)
                target_end = dict(targets).get(end)
                last, last_source = None, None
                if previous is not None and ind["id"] in previous:
                    last, last_source = previous[ind["id"]], f"konten {year - 1}"
                elif row.get("realisasi_tahun_lalu") is not None:
                    last, last_source = row["realisasi_tahun_lalu"], "data tersimpan"
                out.append(Indicator(
                    id=ind["id"], uraian=ind["uraian"], satuan=unit, polaritas=ind["polaritas"],
                    iku=bool(ind.get("iku")), tujuan=tujuan["uraian"], sasaran=sasaran["uraian"],
                    rumus=ind.get("rumus"), kondisi_awal=ind.get("kondisi_awal"), targets=targets, target=target,
                    target_akhir=target_end, realisasi=value, capaian=cap,
                    capaian_akhir=(value / target_end * HUNDRED) if value is not None and target_end else None,
                    pembilang=numerator, penyebut=denominator, komponen=components,
                    realisasi_lalu=last, realisasi_lalu_sumber=last_source,
                    perubahan=(value - last) if value is not None and last is not None else None,
                    standar_nasional=ind.get("standar_nasional")))
    return tuple(out)
