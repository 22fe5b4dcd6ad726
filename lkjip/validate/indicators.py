"""Validate stage (meaning) for indicator kinds: values against the indicator's scale (qualitative indicators) or
as numbers, polarity, tujuan indicators and the life cycle (ended / replaced indicators). One problem per bad
value, at its own line."""
from __future__ import annotations

import datetime
from decimal import Decimal

from ..base.problems import ERROR, WARNING
from ..base.shape import (
    NEGATIF,
    PK,
    PK_KINDS,
    PK_PERUBAHAN,
    QUARTERS,
    in_force,
    indicator_places,
    lifecycle,
    scale_text,
)


def _values(data):
    """(document, key path, indicator id, value, where) of every target and realisation written for an indicator."""
    for path, _t, _s, ind in indicator_places(data["renstra"]):
        for year, value in (ind.get("target") or {}).items():
            yield "renstra", path + ("target", year), ind["id"], value, f"target {year}"
        if ind.get("kondisi_awal") is not None:
            yield "renstra", path + ("kondisi_awal",), ind["id"], ind["kondisi_awal"], "kondisi awal"
    kinerja = data["kinerja"]
    for i, row in enumerate(kinerja.get("realisasi_indikator") or ()):
        if row.get("realisasi") is not None:
            yield "kinerja", ("realisasi_indikator", i, "realisasi"), row["indikator"], row["realisasi"], "realisasi"
        for year, value in (row.get("riwayat") or {}).items():
            yield "kinerja", ("realisasi_indikator", i, "riwayat", year), row["indikator"], value, f"realisasi {year}"
    for key in PK_KINDS:
        for i, row in enumerate((kinerja.get(key) or {}).get("target") or ()):
            if row.get("target") is not None:
                yield "kinerja", (key, "target", i, "target"), row["indikator"], row["target"], "target PK"


def check_indicator_values(data, loc):
    """A qualitative indicator's values come from its scale; any other indicator's values are numbers."""
    rows = {ind["id"]: ind for _p, _t, _s, ind in indicator_places(data["renstra"])}
    out = []
    for name, path, ind_id, value, _where in _values(data):
        ind = rows.get(ind_id)
        if ind is None:
            continue                                   # indikator-tidak-dikenal (checks.py)
        skala = ind.get("skala")
        if skala:
            if scale_text(value) not in skala:
                out.append(loc.problem(name, path, "nilai-di-luar-skala", ERROR,
                                       f"Nilai '{scale_text(value)}' tidak ada dalam skala indikator {ind_id}; "
                                       f"nilai yang diizinkan: {', '.join(skala)}"))
        elif not isinstance(value, Decimal):
            out.append(loc.problem(name, path, "bukan-angka", ERROR,
                                   f"Nilai '{value}' harus berupa angka (titik sebagai pemisah desimal) karena indikator "
                                   f"{ind_id} tidak memiliki skala; untuk indikator kualitatif tulis urutan nilainya di "
                                   "renstra.yaml, mis. skala: [TMP, TW, WDP, WTP]"))
    return out


def check_indicator_kinds(data, loc):
    """Scale, rank mapping, polarity and formula fit together; ids are unique across tujuan and sasaran."""
    out, seen = [], {}
    year = data["laporan"]["tahun"]
    spans = lifecycle(data["renstra"])
    realised = {row["indikator"]: (i, row) for i, row in enumerate(data["kinerja"].get("realisasi_indikator") or ())}
    for path, _t, sasaran, ind in indicator_places(data["renstra"]):
        if sasaran is None and ind["id"] in seen:
            out.append(loc.problem("renstra", path + ("id",), "id-ganda", ERROR,
                                   f"Id indikator '{ind['id']}' dipakai lebih dari sekali"))
        seen.setdefault(ind["id"], path)
        skala = ind.get("skala") or ()
        doubled = sorted({v for v in skala if list(skala).count(v) > 1})
        if doubled:
            out.append(loc.problem("renstra", path + ("skala",), "skala-ganda", ERROR,
                                   f"Nilai skala ditulis lebih dari sekali: {', '.join(doubled)}"))
        if skala and ind.get("polaritas") == NEGATIF:
            out.append(loc.problem("renstra", path + ("polaritas",), "polaritas-skala", ERROR,
                                   f"Indikator {ind['id']} berskala: skala ditulis urut dari nilai terendah ke tertinggi, "
                                   "sehingga polaritas negatif tidak berlaku; hapus polaritas atau balik urutan skala"))
        if ind.get("capaian_peringkat") and not skala:
            out.append(loc.problem("renstra", path + ("capaian_peringkat",), "peringkat-tanpa-skala", ERROR,
                                   f"capaian_peringkat hanya berlaku untuk indikator berskala; tulis skala indikator "
                                   f"{ind['id']} atau hapus capaian_peringkat"))
        if skala and (ind.get("rumus") or ind.get("penyebut_awal") is not None):
            out.append(loc.problem("renstra", path + ("rumus" if ind.get("rumus") else "penyebut_awal",),
                                   "rumus-pada-skala", ERROR,
                                   f"Indikator {ind['id']} berskala tidak dihitung dengan rumus; hapus rumus/penyebut_awal"))
        here = realised.get(ind["id"])
        if skala and here and any(here[1].get(k) is not None for k in ("pembilang", "penyebut", "komponen")):
            out.append(loc.problem("kinerja", ("realisasi_indikator", here[0]), "rumus-pada-skala", ERROR,
                                   f"Indikator {ind['id']} berskala: tulis realisasi sebagai salah satu nilai skalanya "
                                   f"({', '.join(skala)}), bukan pembilang/penyebut/komponen"))
        target_now = (ind.get("target") or {}).get(str(year))
        if (not skala and ind.get("polaritas") is None and target_now is not None
                and in_force(spans[ind["id"]], year)):
            out.append(loc.problem("renstra", path, "polaritas-kosong", WARNING,
                                   f"Indikator {ind['id']} punya target {year} tetapi tanpa polaritas: laporan "
                                   "menyebut perubahannya tanpa menilai, dan capaian serta predikatnya dikosongkan; "
                                   "isi polaritas: positif atau negatif bila target ini dinilai"))
    return out


def check_indicator_life(data, loc):
    """Replacements point to known indicators; an indicator not in force this year is not scored (warned where
    content still gives it a realisation or a PK target); an indicator the PK Perubahan no longer holds is warned."""
    out = []
    renstra, kinerja = data["renstra"], data["kinerja"]
    year = data["laporan"]["tahun"]
    rows = {ind["id"]: (ind, path) for path, _t, _s, ind in indicator_places(renstra)}
    for ind, path in rows.values():
        for key in ("diganti_oleh", "menggantikan"):
            other = ind.get(key)
            if other is not None and other not in rows:
                out.append(loc.problem("renstra", path + (key,), "indikator-tidak-dikenal", ERROR,
                                       f"Indikator '{other}' tidak ada di Renstra"))
            elif other == ind["id"]:
                out.append(loc.problem("renstra", path + (key,), "penggantian-melingkar", ERROR,
                                       f"Indikator {ind['id']} tidak dapat menggantikan dirinya sendiri"))
        first, last = ind.get("berlaku_mulai"), ind.get("berakhir")
        if first is not None and last is not None and last < first:
            out.append(loc.problem("renstra", path + ("berakhir",), "periode-terbalik", ERROR,
                                   f"Indikator {ind['id']} berakhir {last} sebelum berlaku mulai {first}"))
        if ind.get("diganti_oleh") in rows and last is None and rows[ind["diganti_oleh"]][0].get("berlaku_mulai") is None:
            out.append(loc.problem("renstra", path + ("diganti_oleh",), "tahun-penggantian-kosong", ERROR,
                                   f"Sejak tahun berapa indikator {ind['id']} diganti? Tulis berakhir: TAHUN (tahun "
                                   "terakhir indikator ini berlaku) atau berlaku_mulai pada indikator penggantinya"))
    spans = lifecycle(renstra)
    for i, row in enumerate(kinerja.get("realisasi_indikator") or ()):
        span = spans.get(row["indikator"])
        if span is not None and not in_force(span, year):
            out.append(loc.problem("kinerja", ("realisasi_indikator", i, "indikator"), "indikator-tidak-berlaku", WARNING,
                                   _not_in_force(row["indikator"], span, year) + "; realisasinya tidak dinilai"))
    held = {}
    for key in PK_KINDS:
        for i, row in enumerate((kinerja.get(key) or {}).get("target") or ()):
            span = spans.get(row["indikator"])
            held.setdefault(key, set()).add(row["indikator"])
            if span is not None and not in_force(span, year):
                out.append(loc.problem("kinerja", (key, "target", i, "indikator"), "indikator-tidak-berlaku", WARNING,
                                       _not_in_force(row["indikator"], span, year) + "; barisnya tidak dicetak"))
    if PK in held and PK_PERUBAHAN in held:
        realised = {row["indikator"] for row in kinerja.get("realisasi_indikator") or ()}
        for i, row in enumerate(kinerja[PK]["target"]):
            ind_id = row["indikator"]
            span = spans.get(ind_id)
            if (span is not None and in_force(span, year) and ind_id in realised
                    and ind_id not in held[PK_PERUBAHAN]):
                out.append(loc.problem("kinerja", (PK, "target", i, "indikator"), "indikator-lepas-pk",
                                       WARNING,
                                       f"Indikator {ind_id} masih dinilai, tetapi PK Perubahan tidak lagi memuatnya; "
                                       "bila PK Perubahan menggantinya, tulis di renstra.yaml berakhir: TAHUN dan "
                                       "diganti_oleh: <id pengganti> (dengan dasar_perubahan)"))
    return out


def _not_in_force(ind_id: str, span, year: int) -> str:
    first, last, new = span[0], span[1], span[2]
    if last is not None and year > last:
        return f"Indikator {ind_id} berakhir {last}" + (f" (diganti {new})" if new else "") + f", tidak berlaku {year}"
    return f"Indikator {ind_id} baru berlaku mulai {first}, tidak berlaku {year}"


def check_action_plan(data, loc, today=None):
    """Rencana Aksi: each entry names a numeric indicator, once; realisations only for quarters that have ended."""
    today = today or datetime.date.today()
    out, seen = [], set()
    year = data["laporan"]["tahun"]
    places = {ind["id"]: ind for _p, _t, _s, ind in indicator_places(data["renstra"])}
    for i, row in enumerate(data["kinerja"].get("rencana_aksi") or ()):
        ind = places.get(row["indikator"])
        if ind is None:
            out.append(loc.problem("kinerja", ("rencana_aksi", i, "indikator"), "indikator-tidak-dikenal", ERROR,
                                   f"Indikator '{row['indikator']}' tidak ada di Renstra"))
            continue
        if row["indikator"] in seen:
            out.append(loc.problem("kinerja", ("rencana_aksi", i, "indikator"), "id-ganda", ERROR,
                                   f"Rencana aksi indikator '{row['indikator']}' ditulis lebih dari sekali"))
        seen.add(row["indikator"])
        if ind.get("skala"):
            out.append(loc.problem("kinerja", ("rencana_aksi", i, "indikator"), "rencana-aksi-berskala", ERROR,
                                   f"Indikator {row['indikator']} berskala (kualitatif); rencana aksi triwulanan hanya "
                                   "untuk indikator berupa angka"))
        for key in (row.get("realisasi") or {}):
            n = QUARTERS.index(key) + 1
            if row["realisasi"][key] is not None and (today.year, today.month) <= (year, 3 * n):   # ends with month 3n
                out.append(loc.problem("kinerja", ("rencana_aksi", i, "realisasi", key), "triwulan-belum-berakhir",
                                       WARNING, f"Triwulan {key} {year} belum berakhir (hari ini {today:%d-%m-%Y}); "
                                                "realisasinya belum dapat diisi"))
    return out


CHECKS = (check_indicator_values, check_indicator_kinds, check_indicator_life, check_action_plan)
