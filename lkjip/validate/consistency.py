"""Validate stage (after compute): figures the source declared vs computed ones, and other consistency checks."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal

from ..base.fmt import angka, persen, printed_as, rp, rupiah
from ..base.problems import ERROR, WARNING, Problem
from ..base.shape import DECLARED, DECLARED_COUNTS, DECLARED_TOTALS, QUARTERS, count_attribute
from .checks import Locator


def _money_diff(loc, doc, path, label, declared, computed):
    if declared is None or computed is None or declared == computed:
        return []
    return [loc.problem(doc, path, "angka-sumber-berbeda", WARNING,
                        f"{label}: sumber mencantumkan {rupiah(declared)}, hasil hitung dari rincian {rupiah(computed)} "
                        f"(selisih {rupiah(declared - computed)})")]


def _percent_diff(loc, doc, path, label, declared, computed):
    if declared is None or computed is None:
        return []
    if printed_as(declared, computed):
        return []                      # the source rounded (or cut off) the same figure at its own precision
    return [loc.problem(doc, path, "angka-sumber-berbeda", WARNING,
                        f"{label}: sumber mencantumkan {angka(declared)}%, hasil hitung {persen(computed)}")]


def check_declared_budget(report, data, loc):
    out = []
    for prog in report.programs:
        declared = data["program"]["program"][prog.path[1]].get(DECLARED, {})
        base = prog.path + (DECLARED,)
        out += _money_diff(loc, "program", base + ("pagu",), f"Pagu {prog.nama}", declared.get("pagu"), prog.budget.pagu)
        out += _money_diff(loc, "program", base + ("realisasi",), f"Realisasi {prog.nama}", declared.get("realisasi"), prog.budget.realisasi)
        out += _percent_diff(loc, "program", base + ("serapan",), f"Serapan {prog.nama}", declared.get("serapan"), prog.budget.serapan)
        for keg in prog.kegiatan:
            kdecl = data["program"]["program"][keg.path[1]]["kegiatan"][keg.path[3]].get(DECLARED, {})
            kbase = keg.path + (DECLARED,)
            out += _money_diff(loc, "program", kbase + ("pagu",), f"Pagu kegiatan {keg.kode}", kdecl.get("pagu"), keg.budget.pagu)
            out += _money_diff(loc, "program", kbase + ("realisasi",), f"Realisasi kegiatan {keg.kode}", kdecl.get("realisasi"), keg.budget.realisasi)
    declared = data["laporan"].get(DECLARED, {})
    base = (DECLARED,)
    out += _money_diff(loc, "laporan", base + ("total_pagu",), DECLARED_TOTALS["total_pagu"], declared.get("total_pagu"),
                       report.total.pagu)
    out += _money_diff(loc, "laporan", base + ("total_realisasi",), DECLARED_TOTALS["total_realisasi"],
                       declared.get("total_realisasi"), report.total.realisasi)
    for key in ("serapan_tabel", "serapan_teks"):
        out += _percent_diff(loc, "laporan", base + (key,), DECLARED_TOTALS[key], declared.get(key), report.total.serapan)
    return out


def check_declared_counts(report, data, loc):
    declared = data["laporan"].get(DECLARED, {})
    pairs = ((key, label, getattr(report.counts, count_attribute(key))) for key, label in DECLARED_COUNTS.items())
    return [loc.problem("laporan", (DECLARED, key), "angka-sumber-berbeda", WARNING,
                        f"{label}: sumber mencantumkan {declared[key]}, hasil hitung {value}")
            for key, label, value in pairs if key in declared and declared[key] != value]


def check_declared_iku(report, data, loc):
    declared = data["laporan"].get(DECLARED, {})
    iku = report.iku
    if iku is None:
        return []
    out = _percent_diff(loc, "laporan", (DECLARED, "iku_realisasi"), f"{DECLARED_TOTALS['iku_realisasi']} {iku.uraian}",
                        declared.get("iku_realisasi"), iku.realisasi)
    out += _percent_diff(loc, "laporan", (DECLARED, "iku_capaian_bab_iv"), DECLARED_TOTALS["iku_capaian_bab_iv"],
                         declared.get("iku_capaian_bab_iv"), iku.capaian.nilai)
    return out


def check_budget_and_pairs(report, data, loc):
    out = []
    for sub in report.leaves:
        if sub.budget and sub.budget.realisasi is not None and sub.budget.realisasi > sub.budget.pagu:
            out.append(loc.problem("program", sub.path + ("anggaran", "realisasi"), "realisasi-melebihi-pagu", ERROR,
                                   f"Realisasi {rupiah(sub.budget.realisasi)} melebihi pagu {rupiah(sub.budget.pagu)} ({sub.kode})"))
        if sub.budget is not None and sub.budget.realisasi is None:
            out.append(loc.problem("program", sub.path + ("anggaran", "realisasi"), "realisasi-kosong", WARNING,
                                   f"Realisasi anggaran {sub.kode} belum diisi"))
        if sub.target is not None and sub.realisasi is None:
            out.append(loc.problem("program", sub.path + ("target",), "realisasi-kosong", WARNING,
                                   f"{sub.kode} memiliki target tanpa realisasi (belum diisi)"))
        if sub.realisasi is not None and sub.target is None:
            out.append(loc.problem("program", sub.path + ("realisasi",), "target-kosong", WARNING,
                                   f"{sub.kode} memiliki realisasi tanpa target"))
        if sub.target is not None and sub.target.is_number and sub.target.number == 0:
            out.append(loc.problem("program", sub.path + ("target",), "target-nol", WARNING,
                                   f"Target {sub.kode} bernilai nol; capaian tidak dapat dihitung"))
    for ind in report.indicators:
        if ind.target is None:
            out.append(loc.problem("renstra", ind.path + ("target",), "target-kosong", WARNING,
                                   f"Indikator {ind.id} tidak memiliki target tahun {report.tahun}"))
        elif ind.target == 0:
            out.append(loc.problem("renstra", ind.path + ("target",), "target-nol", WARNING,
                                   f"Target indikator {ind.id} tahun {report.tahun} bernilai nol"))
        if ind.realisasi is None:
            row = _realisation_row(data, ind.id)
            where = ("kinerja", ("realisasi_indikator", row)) if row is not None else ("renstra", ind.path)
            out.append(loc.problem(where[0], where[1], "realisasi-kosong", WARNING,
                                   f"Realisasi indikator {ind.id} belum diisi"))
    for i, row in enumerate(data["kinerja"].get("realisasi_indikator", ())):
        for j, comp in enumerate(row.get("komponen", ())):
            if comp["jumlah"] is None:
                out.append(loc.problem("kinerja", ("realisasi_indikator", i, "komponen", j, "jumlah"), "realisasi-kosong",
                                       WARNING, f"Jumlah komponen '{comp['uraian']}' belum diisi"))
    return out


def _realisation_row(data, ind_id):
    return next((i for i, row in enumerate(data["kinerja"].get("realisasi_indikator", ())) if row["indikator"] == ind_id), None)


def check_budget_findings(report, data, loc):
    """What a reviewer should see about money and outputs: spending on a leaf whose numeric target was answered with
    a text instead of a figure (e.g. refocusing), a budget line without an indicator, an output reported without a
    budget line. When no leaf has a budget at all, one anggaran-tidak-tersedia warning says so instead."""
    out = []
    known = report.total.pagu is not None
    if not known:
        where = ("program",) if report.programs else ()
        what = ("Tidak ada rincian program.yaml yang memuat anggaran (pagu dan realisasi)" if report.programs else
                "Data program, kegiatan dan anggaran tidak ada (program.yaml tidak ada atau kosong)")
        out.append(loc.problem("program", where, "anggaran-tidak-tersedia", WARNING,
                               f"{what}: bagian Realisasi Anggaran menyatakan data tidak tersedia dan tabel anggaran "
                               "tidak dimuat; isi anggaran tiap rincian (atau impor-anggaran)"))
    for leaf in report.leaves:
        spent = leaf.budget is not None and leaf.budget.realisasi
        numeric_target = leaf.target is not None and leaf.target.is_number
        if spent and numeric_target and leaf.realisasi is not None and not leaf.realisasi.is_number:
            out.append(loc.problem("program", leaf.path + ("realisasi",), "anggaran-tanpa-capaian", WARNING,
                                   f"{leaf.kode} {leaf.nama}: realisasi kinerja ditulis '{leaf.realisasi.text}', tetapi "
                                   f"anggaran terealisasi {rp(leaf.budget.realisasi)}"))
        if leaf.budget is not None and not leaf.indikator:
            out.append(loc.problem("program", leaf.path + ("anggaran",), "anggaran-tanpa-indikator", WARNING,
                                   f"{leaf.kode} {leaf.nama} memiliki pagu {rp(leaf.budget.pagu)} tanpa indikator kinerja"))
        if leaf.budget is None and (leaf.target is not None or leaf.realisasi is not None) and known:
            out.append(loc.problem("program", leaf.path, "keluaran-tanpa-anggaran", WARNING,
                                   f"{leaf.kode} {leaf.nama} melaporkan target/realisasi tanpa baris anggaran"))
    return out


def check_staff_aggregates(report, data, loc):
    """Stored staff aggregates agree with the roster: totals, PNS totals, genders known from NIPs."""
    if not data.get("pegawai"):
        return []
    out = []
    rekap = data["pegawai"].get("rekap", {})
    c = report.counts
    expected = {"per_unit": (c.pegawai, "seluruh pegawai"), "pns_per_golongan": (c.pns, "PNS"),
                "pns_per_pendidikan": (c.pns, "PNS")}
    for key, rows in rekap.items():
        total = sum(v for row in rows for k, v in row.items() if k != "unit")
        want, label = expected[key]
        if total != want:
            out.append(loc.problem("pegawai", ("rekap", key), "rekap-tidak-cocok", WARNING,
                                   f"Rekapitulasi {key} berjumlah {total}, daftar pegawai memuat {want} {label}"))
    if "per_unit" in rekap:
        men = sum(row["laki_laki"] for row in rekap["per_unit"])
        women = sum(row["perempuan"] for row in rekap["per_unit"])
        if c.laki_laki_pns > men or c.perempuan_pns > women:
            out.append(loc.problem("pegawai", ("rekap", "per_unit"), "rekap-tidak-cocok", WARNING,
                                   f"Menurut NIP ada {c.laki_laki_pns} PNS laki-laki dan {c.perempuan_pns} perempuan, "
                                   f"melebihi rekapitulasi ({men} laki-laki, {women} perempuan)"))
    return out


def _name_key(name: str) -> str:
    """Name without leading titles (Drs., Dr., H.) and trailing degrees, letters only: RAKHMATZAINUDDIN."""
    words = name.split(",")[0].split()
    while len(words) > 1 and words[0].endswith("."):
        words = words[1:]
    return re.sub(r"[^A-Z]", "", " ".join(words).upper())


def check_two_nips(report, data, loc):
    """One person written with two NIPs: same name (without titles) on the roster or as signatory."""
    out = []
    seen: dict = {}
    for i, person in enumerate(data["pegawai"]["pegawai"] if data.get("pegawai") else ()):
        if not person.get("nip"):
            continue
        key = _name_key(person["nama"])
        if key in seen and seen[key] != person["nip"]:
            out.append(loc.problem("pegawai", ("pegawai", i, "nip"), "nip-berbeda", WARNING,
                                   f"{person['nama']} tercatat dengan dua NIP: {seen[key]} dan {person['nip']}"))
        seen.setdefault(key, person["nip"])
    sig = data["laporan"]["penandatangan"]
    if not sig.get("nama") or not sig.get("nip"):
        return out
    key = _name_key(sig["nama"])
    if key in seen and seen[key] != sig["nip"]:
        out.append(loc.problem("laporan", ("penandatangan", "nip"), "nip-berbeda", WARNING,
                               f"{sig['nama']} bertanda tangan dengan NIP {sig['nip']}, di daftar pegawai {seen[key]}"))
    return out


_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_CITATION = re.compile(r"(Nomor|No\.)\s+\S+\s+Tahun\s+(19|20)\d\d", re.IGNORECASE)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def stale_years(text: str, allowed: set) -> list[tuple[int, int]]:
    """(line, year) for literal years in prose that are neither allowed nor part of a regulation citation."""
    found = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        masked = _CITATION.sub(lambda m: " " * len(m.group(0)), _JINJA.sub(lambda m: " " * len(m.group(0)), line))
        for match in _YEAR.finditer(masked):
            if int(match.group(1)) not in allowed:
                found.append((lineno, int(match.group(1))))
    return found


def check_stale_years(report, prose: dict) -> list[Problem]:
    period = report.renstra["periode"]
    allowed = {report.tahun, period["awal"], period["akhir"]}
    out = []
    for _name, (file, text) in sorted(prose.items()):
        for line, year in stale_years(text, allowed):
            out.append(Problem(file, line, "", "tahun-basi", WARNING,
                               f"Prosa menyebut tahun {year}, padahal laporan tahun {report.tahun}; "
                               "gunakan {{ tahun }} atau {{ tahun_lalu }}"))
    return out


def check_action_plan_totals(report, data, loc):
    """The Rencana Aksi reaches the year's target under its rule, and the year's realisation agrees with the
    quarters when both are written."""
    out = []
    for plan in report.rencana_aksi:
        ind = plan.indicator
        planned = plan.target_tahun
        if planned is not None and isinstance(ind.target, Decimal) and planned != ind.target:
            out.append(loc.problem("kinerja", plan.path + ("target",), "rencana-aksi-tidak-sampai", WARNING,
                                   f"Rencana aksi {ind.label} ({plan.cara}) sampai pada {angka(planned)}, sedangkan "
                                   f"target tahun {report.tahun} {angka(ind.target)}"))
        realised = plan.realisasi_tahun
        if realised is not None and isinstance(ind.realisasi, Decimal) and realised != ind.realisasi:
            out.append(loc.problem("kinerja", plan.path + ("realisasi",), "realisasi-triwulan-berbeda", WARNING,
                                   f"Realisasi triwulan {ind.label} ({plan.cara}) memberi {angka(realised)} untuk tahun "
                                   f"{report.tahun}, sedangkan realisasi tahunan {angka(ind.realisasi)}"))
    return out


def check_quarter_budget(report, data, loc, today=None):
    """anggaran.triwulan of each leaf: cumulative figures never fall, stay within the pagu, exist only for quarters
    that have ended, the plan of triwulan IV is the pagu and the realisation of triwulan IV the year's."""
    today = today or datetime.date.today()
    out = []
    for leaf in report.leaves:
        b = leaf.budget
        if b is None or b.pagu is None:
            continue
        base = leaf.path + ("anggaran", "triwulan")
        for field, values in (("rencana", b.rencana_tw), ("realisasi", b.realisasi_tw),
                              ("rencana_fisik", b.rencana_fisik_tw), ("realisasi_fisik", b.realisasi_fisik_tw)):
            money = field in ("rencana", "realisasi")
            shown = rp if money else persen
            last = None
            for n, value in enumerate(values, start=1):
                if value is None:
                    continue
                path = base + (QUARTERS[n - 1], field)
                if last is not None and value < last[1]:
                    out.append(loc.problem("program", path, "triwulan-menurun", WARNING,
                                           f"{field.capitalize().replace('_', ' ')} {leaf.kode} s.d. triwulan "
                                           f"{QUARTERS[n - 1]} {shown(value)} lebih kecil dari s.d. triwulan "
                                           f"{QUARTERS[last[0] - 1]} {shown(last[1])}; angka triwulan ditulis kumulatif"))
                if money and value > b.pagu:
                    out.append(loc.problem("program", path, "realisasi-melebihi-pagu", ERROR,
                                           f"{field.capitalize()} {leaf.kode} s.d. triwulan {QUARTERS[n - 1]} {rp(value)} "
                                           f"melebihi pagu {rp(b.pagu)}"))
                if field.startswith("realisasi") and (today.year, today.month) <= (report.tahun, 3 * n):
                    out.append(loc.problem("program", path, "triwulan-belum-berakhir", WARNING,
                                           f"Triwulan {QUARTERS[n - 1]} {report.tahun} belum berakhir (hari ini "
                                           f"{today:%d-%m-%Y}); realisasinya belum dapat diisi"))
                last = (n, value)
        if b.rencana_tw[3] is not None and b.rencana_tw[3] != b.pagu:
            out.append(loc.problem("program", base + ("IV", "rencana"), "anggaran-kas-tidak-sampai", WARNING,
                                   f"Rencana {leaf.kode} s.d. triwulan IV {rp(b.rencana_tw[3])} tidak sama dengan pagu "
                                   f"{rp(b.pagu)}"))
        if b.realisasi_tw[3] is not None and b.realisasi is not None and b.realisasi_tw[3] != b.realisasi:
            out.append(loc.problem("program", base + ("IV", "realisasi"), "realisasi-triwulan-berbeda", WARNING,
                                   f"Realisasi {leaf.kode} s.d. triwulan IV {rp(b.realisasi_tw[3])} berbeda dari "
                                   f"realisasi tahunan {rp(b.realisasi)}"))
    return out


CHECKS = (check_declared_budget, check_declared_counts, check_declared_iku, check_budget_and_pairs,
          check_budget_findings, check_two_nips, check_staff_aggregates, check_action_plan_totals,
          check_quarter_budget)


def run_consistency(report, data, docs, prose) -> list[Problem]:
    loc = Locator(docs)
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(report, data, loc))
    problems.extend(check_stale_years(report, prose))
    return problems
