"""reviu tool: the checks of the reviewer's worksheet, one small function each, in the order a reviewer works.

Every check compares the report (the computed model, what the DOCX prints) with a second reading of the raw
content (lkjip/tools/reviu/recount.py) and returns a Finding: ok, perlu perhatian or tidak dapat diperiksa, with the evidence
as file:line. Texts are Indonesian: they are read by the Inspektorat's reviewer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from types import SimpleNamespace

from ...base.fmt import angka, nilai, persen, printed_as, round_half_up, rupiah, ukur
from ...base.shape import PK_KINDS, PK_PRECEDENCE, POLARITY_DEFAULT
from ...base.shape import number as num
from ...base.shape import program_items, program_leaves, renstra_indicators
from ...render.tables import measure
from . import recount as rc
from .recount import same

OK, PERHATIAN, TIDAK = "ok", "perlu perhatian", "tidak dapat diperiksa"


@dataclass
class Item:
    hasil: str
    uraian: str
    bukti: tuple = ()


@dataclass
class Finding:
    judul: str
    hasil: str
    ringkasan: str
    rincian: list = field(default_factory=list)


@dataclass
class Context:
    report: object
    src: rc.Source                 # this year's raw documents
    previous: rc.Source | None     # last year's raw documents, when content/<tahun-1> exists
    previous_dir: str              # content/<tahun-1> as printed
    prose: dict                    # section -> rendered Markdown
    prose_files: dict              # section -> (file, raw text)
    problems: tuple = ()           # what check said about this year (its warnings are open reviu items)


def _finding(judul: str, items: list, ok_text: str, empty_text: str) -> Finding:
    """Overall result: perlu perhatian if any item needs it; tidak dapat diperiksa if nothing could be checked."""
    if any(i.hasil == PERHATIAN for i in items):
        count = sum(i.hasil == PERHATIAN for i in items)
        return Finding(judul, PERHATIAN, f"{count} hal perlu perhatian", items)
    if not any(i.hasil == OK for i in items):
        return Finding(judul, TIDAK, empty_text, items)
    return Finding(judul, OK, ok_text, items)


def _pct(value) -> str:
    return persen(value) if value is not None else "-"


def _n(value) -> str:
    return angka(value) if value is not None else "-"


# --- 1. IKU ---------------------------------------------------------------------------------------------------

def cek_iku(ctx: Context) -> Finding:
    """The IKU of the report are those of the Renstra, and each is in the Perjanjian Kinerja."""
    src, items = ctx.src, []
    renstra_iku = {ind["id"]: path for path, ind in renstra_indicators(src.data("renstra")) if rc.truthy(ind.get("iku"))}
    shown = [i.id for i in ctx.report.ikus]
    where = tuple(src.at("renstra", path + ("iku",)) for path in renstra_iku.values())
    if set(shown) == set(renstra_iku):
        items.append(Item(OK, f"IKU dalam laporan ({len(shown)}: {', '.join(shown) or '-'}) sama dengan IKU Renstra", where))
    else:
        items.append(Item(PERHATIAN, f"IKU dalam laporan ({', '.join(shown) or '-'}) berbeda dari IKU Renstra "
                                     f"({', '.join(renstra_iku) or '-'})", where))
    kinerja = src.data("kinerja") or {}
    present = [key for key in PK_KINDS if kinerja.get(key)]
    if not present:
        items.append(Item(TIDAK, "Konten tidak memuat Perjanjian Kinerja (kinerja.yaml perjanjian_kinerja)",
                          (src.at("kinerja"),)))
    for key in present:
        label = "PK Perubahan" if key.endswith("perubahan") else "Perjanjian Kinerja"
        rows = {row.get("indikator"): i for i, row in enumerate(kinerja[key].get("target") or ())}
        missing = [i for i in renstra_iku if i not in rows]
        evidence = tuple(src.at("kinerja", (key, "target", i)) for i in rows.values())
        if missing:
            items.append(Item(PERHATIAN, f"IKU {', '.join(missing)} tidak tercantum dalam {label}", evidence))
        else:
            items.append(Item(OK, f"Seluruh IKU tercantum dalam {label} ({len(rows)} indikator)", evidence))
    ok_text = ("IKU laporan = IKU Renstra = IKU Perjanjian Kinerja" if present
               else "IKU laporan = IKU Renstra; konten tidak memuat Perjanjian Kinerja")
    return _finding("IKU dalam laporan sama dengan IKU Renstra dan Perjanjian Kinerja", items, ok_text,
                    "tidak ada IKU untuk diperiksa")


# --- 2. target PK ---------------------------------------------------------------------------------------------

def cek_target_pk(ctx: Context) -> Finding:
    """The targets in the report are those of the Perjanjian Kinerja (its revision, when there is one)."""
    src, items, year = ctx.src, [], ctx.report.tahun
    kinerja = src.data("kinerja") or {}
    by_id = {i.id: i for i in ctx.report.indicators}
    key = next((k for k in PK_PRECEDENCE if kinerja.get(k)), None)
    if key is None:
        return _finding("Target Perjanjian Kinerja sama dengan target dalam laporan", [],
                        "", "konten tidak memuat Perjanjian Kinerja; target laporan berasal dari Renstra")
    rows = {row.get("indikator"): (i, row) for i, row in enumerate(kinerja[key].get("target") or ())}
    for path, ind in renstra_indicators(src.data("renstra")):
        shown = by_id.get(ind["id"])
        if shown is None and any(ind.get(k) is not None for k in LIFE_KEYS):
            continue                 # not in force this year (ended or not yet begun): the report does not score it
        if ind.get("skala"):
            items.append(_target_pk_scale(src, key, rows, ind, shown, path, year))
            continue
        renstra_target = num((ind.get("target") or {}).get(str(year)))
        renstra_at = src.at("renstra", path + ("target", str(year)))
        if ind["id"] not in rows:
            items.append(Item(PERHATIAN, f"{ind['id']}: tidak tercantum dalam Perjanjian Kinerja; laporan memakai "
                                         f"target Renstra {_n(renstra_target)}", (renstra_at,)))
            continue
        i, row = rows[ind["id"]]
        at = src.at("kinerja", (key, "target", i))
        own = num(row.get("target"))
        if own is None:
            items.append(Item(PERHATIAN, f"{ind['id']}: target Perjanjian Kinerja tidak dicatat di konten; laporan "
                                         f"memakai target Renstra {_n(renstra_target)}. Cocokkan dengan dokumen PK yang "
                                         "ditandatangani", (at, renstra_at)))
        elif shown is None or not same(own, shown.target, 6):
            items.append(Item(PERHATIAN, f"{ind['id']}: target PK {_n(own)}, laporan {_n(shown.target if shown else None)}",
                              (at,)))
        else:
            note = "" if same(own, renstra_target, 6) else f" (target Renstra {_n(renstra_target)}: pastikan dasar perbedaannya)"
            items.append(Item(PERHATIAN if note else OK, f"{ind['id']}: target PK {_n(own)} sama dengan target "
                                                          f"dalam laporan{note}", (at, renstra_at)))
    return _finding("Target Perjanjian Kinerja sama dengan target dalam laporan", items,
                    "target laporan = target Perjanjian Kinerja", "tidak ada indikator untuk diperiksa")


LIFE_KEYS = ("berakhir", "berlaku_mulai", "diganti_oleh", "menggantikan")


def _target_pk_scale(src, key, rows, ind, shown, path, year) -> Item:
    """A qualitative indicator's PK target: a value of its scale, compared as written."""
    renstra_target = (ind.get("target") or {}).get(str(year))
    renstra_at = src.at("renstra", path + ("target", str(year)))
    if ind["id"] not in rows:
        return Item(PERHATIAN, f"{ind['id']}: tidak tercantum dalam Perjanjian Kinerja; laporan memakai target Renstra "
                               f"{renstra_target or '-'}", (renstra_at,))
    i, row = rows[ind["id"]]
    at = src.at("kinerja", (key, "target", i))
    own = row.get("target") if row.get("target") is not None else renstra_target
    report_target = shown.target if shown else None
    if own is None or str(own) != str(report_target):
        return Item(PERHATIAN, f"{ind['id']}: target PK {own or '-'}, laporan {report_target or '-'}", (at,))
    return Item(OK, f"{ind['id']}: target PK {own} sama dengan target dalam laporan", (at, renstra_at))


# --- 3. traceability ------------------------------------------------------------------------------------------

def cek_realisasi_terlacak(ctx: Context) -> Finding:
    """Every indicator realisation rests on leaves: components with budget codes, or a pembilang and penyebut."""
    src, items = ctx.src, []
    codes = {item.get("kode"): path for _l, path, item in program_items(src.data("program"))}
    rows = rc.realisation_rows(src.data("kinerja"))
    scored = {i.id for i in ctx.report.indicators}
    for ipath, ind in renstra_indicators(src.data("renstra")):
        if ind["id"] not in scored and any(ind.get(k) is not None for k in LIFE_KEYS):
            continue                 # not in force this year
        if ind["id"] not in rows:
            items.append(Item(PERHATIAN, f"{ind['id']}: realisasi belum diisi (tidak ada di realisasi_indikator)",
                              (src.at("renstra", ipath),)))
            continue
        i, row = rows[ind["id"]]
        at = src.at("kinerja", ("realisasi_indikator", i))
        components = row.get("komponen") or ()
        if components:
            loose = []
            linked = []
            for j, comp in enumerate(components):
                code = comp.get("sub_kegiatan") or comp.get("kegiatan")
                cat = src.at("kinerja", ("realisasi_indikator", i, "komponen", j))
                if not code:
                    loose.append(f"'{comp.get('uraian')}' tanpa kode sub kegiatan/kegiatan ({cat})")
                elif code not in codes:
                    loose.append(f"'{comp.get('uraian')}' merujuk kode {code} yang tidak ada di program.yaml ({cat})")
                elif num(comp.get("jumlah")) is None:
                    loose.append(f"'{comp.get('uraian')}' belum berisi jumlah ({cat})")
                else:
                    linked.append(src.at("program", codes[code]))
            if loose:
                items.append(Item(PERHATIAN, f"{ind['id']}: komponen yang tidak dapat ditelusuri: {'; '.join(loose)}",
                                  (at,)))
            else:
                items.append(Item(OK, f"{ind['id']}: {len(components)} komponen, masing-masing merujuk rincian di "
                                      f"program.yaml ({len(set(linked))} baris)", (at, *dict.fromkeys(linked))))
        elif row.get("pembilang") is not None:
            if row.get("penyebut") is not None:
                denominator = src.at("kinerja", ("realisasi_indikator", i, "penyebut"))
            elif ind.get("penyebut_awal") is not None:
                denominator = src.at("renstra", ipath + ("penyebut_awal",))
            else:
                items.append(Item(PERHATIAN, f"{ind['id']}: pembilang tanpa penyebut", (at,)))
                continue
            items.append(Item(OK, f"{ind['id']}: pembilang {_n(num(row['pembilang']))} dan penyebut tercatat",
                              (src.at("kinerja", ("realisasi_indikator", i, "pembilang")), denominator)))
        elif row.get("realisasi") is not None:
            items.append(Item(PERHATIAN, f"{ind['id']}: realisasi {row['realisasi']} ditulis langsung tanpa komponen atau "
                                         "pembilang/penyebut; lampirkan rincian dan sumber datanya", (at,)))
        else:
            items.append(Item(PERHATIAN, f"{ind['id']}: realisasi belum diisi", (at,)))
    return _finding("Setiap realisasi indikator dapat ditelusuri ke rincian dan sumbernya", items,
                    "seluruh realisasi indikator tersusun dari rincian yang tercatat", "tidak ada indikator")


# --- 4-6. computations re-done -------------------------------------------------------------------------------

def cek_hitung_indikator(ctx: Context) -> Finding:
    """Realisation and capaian of every indicator, recomputed from the raw leaves and compared with the report."""
    src, items, year = ctx.src, [], ctx.report.tahun
    by_id = {i.id: i for i in ctx.report.indicators}
    rows = rc.realisation_rows(src.data("kinerja"))
    laporan = src.data("laporan")
    end = str((src.data("renstra") or {}).get("periode", {}).get("akhir"))
    for path, ind in renstra_indicators(src.data("renstra")):
        shown = by_id.get(ind["id"])
        i, row = rows.get(ind["id"], (None, None))
        if shown is None and any(ind.get(k) is not None for k in LIFE_KEYS):
            continue                 # not in force this year
        at = src.at("kinerja", ("realisasi_indikator", i)) if i is not None else src.at("renstra", path)
        if ind.get("skala"):         # qualitative: nothing to compute; the value as written is the report's
            written = (row or {}).get("realisasi")
            if written is None:
                items.append(Item(TIDAK, f"{ind['id']}: realisasi belum diisi", (at,)))
            elif shown is None or str(written) != str(shown.realisasi):
                items.append(Item(PERHATIAN, f"{ind['id']}: realisasi {written}, laporan "
                                             f"{shown.realisasi if shown else '-'}", (at,)))
            else:
                items.append(Item(OK, f"{ind['id']}: realisasi {written} (nilai skala) sama dengan laporan; target "
                                      f"{shown.capaian.status or 'belum dapat dinilai'}", (at,)))
            continue
        mine = rc.recount_indicator(ind, row)
        if mine["realisasi"] is None:
            items.append(Item(TIDAK, f"{ind['id']}: realisasi belum dapat dihitung dari konten", (at,)))
            continue
        target, _where = rc.target_of(src.data("kinerja"), ind, year)
        polarity = ind.get("polaritas", POLARITY_DEFAULT)
        mine_cap = rc.capaian(target, mine["realisasi"], polarity, laporan, ind.get("batas_atas"))
        end_target = num((ind.get("target") or {}).get(end))
        mine_end = rc.capaian(end_target, mine["realisasi"], polarity, laporan, ind.get("batas_atas"))
        if ind.get("polaritas") is None:         # no polarity: the report gives no capaian (issue 21)
            mine_cap = mine_end = None
        how = (f"{_n(mine['pembilang'])} ÷ {_n(mine['penyebut'])} × {_n(rc.multiplier(ind))}"
               if mine["pembilang"] is not None else "ditulis langsung")
        pairs = (("realisasi", mine["realisasi"], shown.realisasi if shown else None),
                 ("capaian", mine_cap, shown.capaian.nilai if shown else None),
                 ("capaian terhadap target akhir Renstra", mine_end, shown.capaian_akhir.nilai if shown else None))
        wrong = [f"{label} hitung ulang {_n(round_half_up(a, 2)) if a is not None else '-'}, laporan "
                 f"{_n(round_half_up(b, 2)) if b is not None else '-'}" for label, a, b in pairs if not same(a, b)]
        if wrong:
            items.append(Item(PERHATIAN, f"{ind['id']}: {'; '.join(wrong)}", (at,)))
        else:
            unit = ind.get("satuan")
            items.append(Item(OK, f"{ind['id']}: realisasi {how} = {nilai(round_half_up(mine['realisasi'], 2), unit)}; "
                                  f"capaian {_pct(mine_cap)} (target {nilai(target, unit)}); sama dengan laporan", (at,)))
    return _finding("Realisasi dan capaian indikator dihitung ulang", items,
                    "hasil hitung ulang sama dengan laporan", "tidak ada realisasi indikator yang dapat dihitung")


def cek_hitung_rincian(ctx: Context) -> Finding:
    """Capaian of every measured leaf and the mean capaian per program, recomputed and compared."""
    src, items = ctx.src, []
    laporan = src.data("laporan")
    shown = {leaf.kode: leaf for leaf in ctx.report.leaves}
    checked, texts, means = 0, 0, {}
    for path, item in program_leaves(src.data("program")):
        target, real = num(item.get("target")), num(item.get("realisasi"))
        if target is None or real is None:
            texts += item.get("target") is not None and item.get("realisasi") is not None
            continue
        mine = rc.capaian(target, real, item.get("polaritas", POLARITY_DEFAULT), laporan)
        leaf = shown.get(item.get("kode"))
        if mine is not None and rc.money(item) is not None:
            means.setdefault(path[1], []).append(mine)
        checked += 1
        if leaf is None or not same(mine, leaf.capaian.nilai):
            items.append(Item(PERHATIAN, f"{item.get('kode')}: capaian hitung ulang {_pct(mine)}, laporan "
                                         f"{_pct(leaf.capaian.nilai if leaf else None)}", (src.at("program", path),)))
    for prog in ctx.report.programs:
        values = means.get(prog.path[1], [])
        mine = sum(values, Decimal(0)) / len(values) if values else None
        if not same(mine, prog.capaian_rata):
            items.append(Item(PERHATIAN, f"{prog.kode}: rata-rata capaian hitung ulang {_pct(mine)}, laporan "
                                         f"{_pct(prog.capaian_rata)}", (src.at("program", prog.path),)))
    if checked and not any(i.hasil == PERHATIAN for i in items):
        items.insert(0, Item(OK, f"{checked} capaian rincian dan rata-rata capaian {len(ctx.report.programs)} program "
                                 f"dihitung ulang; semuanya sama dengan laporan", (src.at("program"),)))
    if texts:
        items.append(Item(TIDAK, f"{texts} rincian bertarget atau berealisasi uraian (mis. refocusing): capaiannya "
                                 "tidak dihitung", (src.at("program"),)))
    return _finding("Capaian program, kegiatan dan sub kegiatan dihitung ulang", items,
                    f"{checked} capaian dihitung ulang, sama dengan laporan", "tidak ada rincian terukur")


def cek_anggaran(ctx: Context) -> Finding:
    """Budget totals per kegiatan, program and in all, and serapan, equal the sums of the DPA leaves."""
    src, items = ctx.src, []
    tree = rc.budget_tree(src.data("program"))
    report = ctx.report
    nodes = [("", "Total", report.total, src.at("program"))]
    for prog in report.programs:
        nodes.append((prog.kode, f"Program {prog.kode}", prog.budget, src.at("program", prog.path)))
        nodes += [(k.kode, f"Kegiatan {k.kode}", k.budget, src.at("program", k.path)) for k in prog.kegiatan]
    wrong = 0
    for kode, label, budget, at in nodes:
        pagu, realisasi = tree.get(kode, (None, None))
        mine = rc.serapan(pagu, realisasi) if pagu is not None else None
        if pagu != budget.pagu or realisasi != budget.realisasi or not same(mine, budget.serapan):
            wrong += 1
            items.append(Item(PERHATIAN, f"{label}: jumlah rincian pagu {rupiah(pagu)}, realisasi {rupiah(realisasi)} "
                                         f"({_pct(mine)}); laporan {rupiah(budget.pagu)}, {rupiah(budget.realisasi)} "
                                         f"({_pct(budget.serapan)})", (at,)))
    count = sum(1 for _p, item in program_leaves(src.data("program")) if rc.money(item) is not None)
    unfilled = [path for path, item in program_leaves(src.data("program"))
                if rc.money(item) is not None and rc.money(item)[1] is None]
    if unfilled:                         # a total over unfilled lines is not a total: never "ok"
        items.append(Item(PERHATIAN, f"{len(unfilled)} rincian DPA belum berisi realisasi anggaran; jumlah realisasi "
                                     "belum dapat dihitung", tuple(src.at("program", p) for p in unfilled[:3])))
    if not count:                        # nothing to add up: the check did not run (never "ok" on no data)
        items.insert(0, Item(TIDAK, "Tidak ada rincian DPA yang memuat anggaran (pagu dan realisasi); jumlah anggaran "
                                    "tidak dapat diperiksa", (src.at("program"),)))
    elif not wrong:
        pagu, realisasi = tree[""]
        items.insert(0, Item(OK, f"Total pagu Rp {rupiah(pagu)} dan realisasi Rp {rupiah(realisasi)} "
                                 f"({_pct(rc.serapan(pagu, realisasi))}) sama dengan jumlah {count} rincian DPA; "
                                 f"demikian pula {len(nodes) - 1} jumlah program dan kegiatan", (src.at("program"),)))
    kinerja = src.data("kinerja") or {}
    for key in PK_PRECEDENCE:
        for i, row in enumerate((kinerja.get(key) or {}).get("anggaran") or ()):
            pagu = tree.get(row.get("program"), (None, None))[0]
            if num(row.get("jumlah")) is not None and pagu is not None and int(num(row["jumlah"])) != pagu:
                items.append(Item(PERHATIAN, f"Anggaran program {row.get('program')} dalam PK Rp {rupiah(int(num(row['jumlah'])))} "
                                             f"berbeda dari pagu DPA Rp {rupiah(pagu)} (PK disusun awal tahun; jelaskan "
                                             "perubahannya)", (src.at("kinerja", (key, "anggaran", i)),)))
    return _finding("Jumlah pagu, realisasi dan serapan sama dengan jumlah rincian DPA", items,
                    "seluruh jumlah anggaran sama dengan rincian DPA", "tidak ada anggaran")


# --- 7. figures printed in the source --------------------------------------------------------------------------

_COUNTS = {"jumlah_program": lambda c: c["program"], "jumlah_kegiatan": lambda c: c["kegiatan"],
           "jumlah_sub_kegiatan": lambda c: c["sub"], "jumlah_sub_kegiatan_berindikator": lambda c: c["sub_ind"],
           "jumlah_sub_kegiatan_beranggaran": lambda c: c["sub_money"], "jumlah_pegawai": lambda c: c["pegawai"],
           "jumlah_pns": lambda c: c["pns"], "jumlah_kontrak": lambda c: c["kontrak"]}


def _raw_counts(src) -> dict:
    items = list(program_items(src.data("program")))
    subs = [item for level, _p, item in items if level == "sub_kegiatan"]
    people = (src.data("pegawai") or {}).get("pegawai") or ()
    return {"program": sum(1 for level, _p, _i in items if level == "program"),
            "kegiatan": sum(1 for level, _p, _i in items if level == "kegiatan"), "sub": len(subs),
            "sub_ind": sum(1 for s in subs if s.get("indikator")), "sub_money": sum(1 for s in subs if rc.money(s)),
            "pegawai": len(people), "pns": sum(1 for p in people if p.get("status") == "PNS"),
            "kontrak": sum(1 for p in people if p.get("status") == "kontrak")}


def _declared(ctx: Context) -> list:
    """(document, path, label, declared Decimal, recomputed) for every figure the source printed."""
    src = ctx.src
    tree = rc.budget_tree(src.data("program"))
    out = []
    for level, path, item in program_items(src.data("program")):
        declared = item.get("dinyatakan_sumber") or {}
        pagu, realisasi = tree.get(item.get("kode"), (None, None))
        for key, mine in (("pagu", pagu), ("realisasi", realisasi),
                          ("serapan", rc.serapan(pagu, realisasi) if pagu is not None else None)):
            if num(declared.get(key)) is not None:
                out.append(("program", path + ("dinyatakan_sumber", key), f"{key} {item.get('kode')}",
                            num(declared[key]), mine))
    declared = (src.data("laporan") or {}).get("dinyatakan_sumber") or {}
    pagu, realisasi = tree[""]
    iku = next(((ind, rc.realisation_rows(src.data("kinerja")).get(ind["id"], (None, None))[1])
                for _p, ind in renstra_indicators(src.data("renstra")) if rc.truthy(ind.get("iku"))), None)
    iku_real = rc.recount_indicator(*iku)["realisasi"] if iku else None
    iku_cap = (rc.capaian(rc.target_of(src.data("kinerja"), iku[0], ctx.report.tahun)[0], iku_real,
                          iku[0].get("polaritas", POLARITY_DEFAULT), src.data("laporan"), iku[0].get("batas_atas"))
               if iku else None)
    counts = _raw_counts(src)
    mine = {"total_pagu": pagu, "total_realisasi": realisasi, "serapan_tabel": rc.serapan(pagu, realisasi),
            "serapan_teks": rc.serapan(pagu, realisasi), "iku_realisasi": iku_real, "iku_capaian_bab_iv": iku_cap}
    mine.update({key: fn(counts) for key, fn in _COUNTS.items()})
    for key, value in declared.items():
        if num(value) is not None and key in mine:
            out.append(("laporan", ("dinyatakan_sumber", key), key.replace("_", " "), num(value), mine[key]))
    return out


def cek_angka_sumber(ctx: Context) -> Finding:
    """Figures the source document printed (dinyatakan_sumber) against the recount; differences must be explained
    by a reviewed correction (koreksi.yaml)."""
    src, items = ctx.src, []
    explained = {(k.file, k.path): k for k in ctx.report.koreksi}
    rows = _declared(ctx)
    equal = 0
    for name, path, label, declared, mine in rows:
        at = src.at(name, path)
        if shown_equal(declared, mine):
            equal += 1
            continue
        record = explained.get((src.file(name), src.path_text(path)))
        text = f"{label}: sumber mencetak {_n(declared)}, hitung ulang {_n(round_half_up(mine, 2)) if mine is not None else '-'}"
        if record is not None and record.ditinjau:
            items.append(Item(OK, f"{text}; dijelaskan di koreksi.yaml: {record.alasan}", (at,)))
        else:
            items.append(Item(PERHATIAN, f"{text}; belum dijelaskan (atau belum ditinjau) di koreksi.yaml", (at,)))
    if rows:
        items.insert(0, Item(OK, f"{equal} dari {len(rows)} angka tercetak di sumber sama dengan hitung ulang",
                             tuple(dict.fromkeys(src.at(n, ()) for n, *_r in rows))))
    return _finding("Angka yang tercetak di dokumen sumber sama dengan hitung ulang (atau dijelaskan)", items,
                    f"{len(rows)} angka sumber sama atau perbedaannya dijelaskan",
                    "konten tidak menyimpan angka tercetak sumber (dinyatakan_sumber)")


def shown_equal(declared: Decimal, mine) -> bool:
    return mine is not None and (declared == mine or printed_as(declared, mine))


# --- 8. last year ---------------------------------------------------------------------------------------------

def cek_tahun_lalu(ctx: Context) -> Finding:
    """Last year's figures in this report equal last year's content, when content/<tahun-1> exists."""
    src, items, report = ctx.src, [], ctx.report
    stored = [(path, item) for path, item in program_leaves(src.data("program")) if item.get("realisasi_tahun_lalu") is not None]
    history = [(i, row) for i, row in enumerate((src.data("kinerja") or {}).get("realisasi_indikator") or ())
               if str(report.tahun_lalu) in (row.get("riwayat") or {})]
    if ctx.previous is not None and not usable_previous(ctx):
        items.append(Item(TIDAK, f"{ctx.previous_dir} ada tetapi tidak dapat dipakai (masih mengandung galat atau belum "
                                 f"lengkap; jalankan check --year {report.tahun_lalu}): {len(stored)} realisasi tahun "
                                 f"lalu rincian dan {len(history)} riwayat indikator berasal dari data yang disimpan di "
                                 f"konten {report.tahun}; cocokkan dengan {report.laporan['singkatan']} {report.tahun_lalu} yang telah "
                                 "disampaikan", tuple(src.at("program", p) for p, _i in stored[:3])))
        return _finding("Angka tahun lalu sama dengan laporan tahun lalu", items, "", items[0].uraian)
    if ctx.previous is None:
        items.append(Item(TIDAK, f"{ctx.previous_dir} tidak ada: {len(stored)} realisasi tahun lalu rincian "
                                 f"(realisasi_tahun_lalu) dan {len(history)} riwayat indikator berasal dari data yang "
                                 f"disimpan di konten {report.tahun}; cocokkan dengan {report.laporan['singkatan']} {report.tahun_lalu} yang "
                                 "telah disampaikan", tuple(src.at("program", p) for p, _i in stored[:3])))
        return _finding("Angka tahun lalu sama dengan laporan tahun lalu", items, "", items[0].uraian)
    prev = ctx.previous
    before = {item.get("kode"): (path, item) for path, item in program_leaves(prev.data("program"))}
    shown = {leaf.kode: leaf for leaf in report.leaves}
    compared = 0
    for path, item in program_leaves(src.data("program")):
        kode = item.get("kode")
        if kode not in before:
            continue
        old_path, old = before[kode]
        old_value = old.get("realisasi")
        leaf = shown.get(kode)
        printed = None if leaf is None or leaf.realisasi_lalu is None else (
            leaf.realisasi_lalu.number if leaf.realisasi_lalu.is_number else leaf.realisasi_lalu.text)
        compared += 1
        if not _same_measure(printed, old_value):
            items.append(Item(PERHATIAN, f"{kode}: laporan mencetak realisasi {report.tahun_lalu} {printed}, konten "
                                         f"{report.tahun_lalu} {old_value}", (src.at("program", path), prev.at("program", old_path))))
        if item.get("realisasi_tahun_lalu") is not None and not _same_measure(item["realisasi_tahun_lalu"], old_value):
            items.append(Item(PERHATIAN, f"{kode}: realisasi_tahun_lalu tersimpan {item['realisasi_tahun_lalu']}, konten "
                                         f"{report.tahun_lalu} {old_value} (laporan memakai konten {report.tahun_lalu})",
                              (src.at("program", path + ("realisasi_tahun_lalu",)), prev.at("program", old_path))))
    rows_before = rc.realisation_rows(prev.data("kinerja"))
    renstra_before = {ind["id"]: ind for _p, ind in renstra_indicators(prev.data("renstra"))}
    for ind in report.indicators:
        if ind.id not in renstra_before:
            continue
        i, row = rows_before.get(ind.id, (None, None))
        old = rc.recount_indicator(renstra_before[ind.id], row)["realisasi"]
        compared += 1
        at = prev.at("kinerja", ("realisasi_indikator", i)) if i is not None else prev.at("kinerja")
        if not same(old, ind.realisasi_lalu):
            items.append(Item(PERHATIAN, f"{ind.id}: laporan mencetak realisasi {report.tahun_lalu} {_n(ind.realisasi_lalu)}, "
                                         f"hitung ulang konten {report.tahun_lalu} {_n(old)}", (at,)))
    for i, row in history:
        ind = renstra_before.get(row.get("indikator"))
        old = rc.recount_indicator(ind, rows_before.get(row.get("indikator"), (None, None))[1])["realisasi"] if ind else None
        kept = num(row["riwayat"][str(report.tahun_lalu)])
        if not same(kept, old):
            items.append(Item(PERHATIAN, f"{row.get('indikator')}: riwayat {report.tahun_lalu} tersimpan {_n(kept)}, hitung "
                                         f"ulang konten {report.tahun_lalu} {_n(old)}",
                              (src.at("kinerja", ("realisasi_indikator", i, "riwayat", str(report.tahun_lalu))),)))
    if compared and not any(i.hasil == PERHATIAN for i in items):
        items.insert(0, Item(OK, f"{compared} angka tahun {report.tahun_lalu} dalam laporan sama dengan konten "
                                 f"{report.tahun_lalu}", (prev.at("program"), prev.at("kinerja"))))
    return _finding("Angka tahun lalu sama dengan laporan tahun lalu", items,
                    f"{compared} angka tahun lalu sama dengan konten {report.tahun_lalu}",
                    "tidak ada angka tahun lalu untuk dibandingkan")


def usable_previous(ctx: Context) -> bool:
    """Last year's raw documents are compared only when the report itself was computed from them: content/<tahun-1>
    passed its own check (pipeline.previous_report). An empty, partial or broken folder is treated as absent."""
    if ctx.previous is None or not str(getattr(ctx.report, "sumber_tahun_lalu", "")).startswith("konten"):
        return False
    return all(isinstance(ctx.previous.data(name), dict) for name in ("program", "kinerja", "renstra"))


def _same_measure(a, b) -> bool:
    if num(a) is not None or num(b) is not None:
        return num(a) is not None and num(b) is not None and num(a) == num(b)
    return (str(a).strip() if a is not None else None) == (str(b).strip() if b is not None else None)


# --- 9. prose figures -----------------------------------------------------------------------------------------

PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s?(?:%|persen\b)")
RUPIAH = re.compile(r"\bRp\.?\s?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{2}))?")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_SKIP = {"dinyatakan_sumber", "koreksi", "origin"}


def model_figures(report) -> tuple[list, set]:
    """(every Decimal/int the computed model holds, the ints among them) - the figures prose may cite."""
    numbers, seen = [], set()

    def walk(value):
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return
        if isinstance(value, (int, Decimal)):
            numbers.append(value)
            return
        if id(value) in seen:
            return
        seen.add(id(value))
        if is_dataclass(value):
            for f in fields(value):
                if f.name not in _SKIP:
                    walk(getattr(value, f.name))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in _SKIP:
                    walk(item)
        elif isinstance(value, (tuple, list)):
            for item in value:
                walk(item)
        elif isinstance(value, SimpleNamespace):
            walk(vars(value))

    walk(report)
    return numbers, {int(n) for n in numbers if Decimal(n) == int(n)}


def _figures(text: str):
    """(kind, Decimal, printed text, offset) of every percentage and Rupiah amount in a text."""
    for match in PERCENT.finditer(text):
        whole, frac = match.group(1).replace(".", ""), match.group(2)
        yield "persen", Decimal(whole + (f".{frac}" if frac else "")), match.group(0), match.start()
    for match in RUPIAH.finditer(text):
        yield "rupiah", Decimal(match.group(1).replace(".", "")), match.group(0), match.start()


def _line_of(raw: str, rendered: str, offset: int, printed: str) -> int:
    rendered_line = rendered.count("\n", 0, offset) + 1
    if len(raw.splitlines()) == len(rendered.splitlines()):
        return rendered_line
    where = raw.find(printed)
    return raw.count("\n", 0, where) + 1 if where >= 0 else 1


def cek_angka_prosa(ctx: Context) -> Finding:
    """Every percentage and Rupiah amount in the rendered prose is a figure of the computed model."""
    items = []
    numbers, whole = model_figures(ctx.report)
    total = typed = 0
    cited = {}
    for name, rendered in sorted(ctx.prose.items()):
        file, raw = ctx.prose_files.get(name, (name, ""))
        literal = _JINJA.sub(lambda m: " " * len(m.group(0)), raw).splitlines()      # text typed, not computed
        for kind, value, printed, offset in _figures(rendered):
            total += 1
            places = max(0, -value.as_tuple().exponent)
            found = (int(value) in whole if kind == "rupiah"
                     else any(round_half_up(Decimal(n), places) == value for n in numbers))
            line = _line_of(raw, rendered, offset, printed)
            cited.setdefault(file, line)
            if not found:
                items.append(Item(PERHATIAN, f"'{printed}' dalam prosa tidak ditemukan di antara angka hasil hitung",
                                  (f"{file}:{line}",)))
            elif line <= len(literal) and printed in literal[line - 1]:
                typed += 1
                items.append(Item(OK, f"'{printed}' sama dengan angka hasil hitung, tetapi diketik langsung; gunakan "
                                      "{{ ... }} agar ikut berubah bila data berubah", (f"{file}:{line}",)))
    if total and not any(i.hasil == PERHATIAN for i in items):
        items.insert(0, Item(OK, f"{total} angka persen/Rupiah dalam prosa ({typed} diketik langsung) ditemukan di antara "
                                 "angka hasil hitung", tuple(f"{file}:{line}" for file, line in cited.items())))
    return _finding("Angka dalam prosa sama dengan angka hasil hitung", items,
                    f"{total} angka dalam prosa sesuai hasil hitung", "prosa tidak memuat angka persen atau Rupiah")


# --- 10. declared corrections --------------------------------------------------------------------------------

def cek_koreksi(ctx: Context) -> Finding:
    """Every value that differs from the source document is declared with its reason, and reviewed."""
    records = ctx.report.koreksi
    items = [Item(OK if r.ditinjau else PERHATIAN,
                  f"{r.path or 'prosa'}: {('sumber ' + repr(r.sumber) + ' → ') if r.sumber is not None else ''}"
                  f"{('konten ' + repr(r.konten) + ': ') if r.konten is not None else ''}{r.alasan}"
                  f"{'' if r.ditinjau else ' (belum ditinjau)'}", (f"{r.file}:{r.line}",)) for r in records]
    if not records:
        items.append(Item(OK, "Konten tidak menyatakan koreksi atas dokumen sumber (koreksi.yaml tidak ada atau kosong)"))
    reviewed = sum(r.ditinjau for r in records)
    return _finding("Koreksi atas dokumen sumber dicantumkan dan ditinjau", items,
                    f"{len(records)} koreksi dinyatakan, {reviewed} telah ditinjau", "")


# --- 11. plausibility, 12. open check warnings -------------------------------------------------------------

PLAUSIBLE_DEFAULT = Decimal(150)       # capaian above this (laporan.yaml capaian.batas_wajar) is examined


def cek_kewajaran(ctx: Context) -> Finding:
    """Capaian far above target (a unit mix-up, a target from another document, a typo) is examined, never passed:
    every indicator and leaf whose capaian exceeds capaian.batas_wajar (default 150%)."""
    report, src = ctx.report, ctx.src
    limit = (report.laporan.get("capaian") or {}).get("batas_wajar") or PLAUSIBLE_DEFAULT
    measured = [(f"Indikator {i.label}", i.capaian.nilai, f"target {ukur(i.target, i)}, realisasi {ukur(i.realisasi, i)}",
                 "sumber target", src.at("kinerja")) for i in report.indicators if i.capaian.nilai is not None]
    measured += [(f"{s.kode} {s.nama}", s.capaian.nilai, f"target {measure(s.target)}, realisasi {measure(s.realisasi)}",
                  "target DPA", src.at("program", s.path)) for s in report.leaves if s.capaian.nilai is not None]
    items = [Item(PERHATIAN, f"{label}: capaian {_pct(value)} di atas batas wajar {_pct(limit)} ({figures}); periksa "
                             f"satuan dan {what}", (at,))
             for label, value, figures, what, at in measured if value > limit]
    if measured and not items:
        items.append(Item(OK, f"{len(measured)} capaian indikator dan rincian tidak melebihi {_pct(limit)}",
                          (src.at("laporan"),)))
    return _finding("Capaian yang tidak wajar diperiksa", items, f"tidak ada capaian di atas {_pct(limit)}",
                    "tidak ada capaian terukur")


def cek_peringatan(ctx: Context) -> Finding:
    """The warnings `check` still gives are part of the review: each one open, with its place."""
    warnings = [p for p in ctx.problems if p.severity == "warning"]
    items = [Item(PERHATIAN, f"[{p.code}] {p.message}", (f"{p.file}:{p.line}",)) for p in warnings]
    if not warnings:
        items.append(Item(OK, "check tidak memberi peringatan", (ctx.src.file("laporan"),)))
    return _finding("Peringatan check yang masih terbuka", items, "tidak ada peringatan check", "")


CHECKS = (cek_iku, cek_target_pk, cek_realisasi_terlacak, cek_hitung_indikator, cek_hitung_rincian, cek_anggaran,
          cek_angka_sumber, cek_tahun_lalu, cek_angka_prosa, cek_koreksi, cek_kewajaran, cek_peringatan)
