"""Validate stage (meaning): cross-file checks run after the schema passes; each is a small function."""
from __future__ import annotations

import datetime
import datetime as dt
import re
from collections import Counter
from decimal import Decimal

from ..base.nip import parse_nip
from ..base.problems import ERROR, WARNING, Problem
from ..base.shape import (
    ANALYSIS_TARGETS,
    CODE_FORMS,
    LEVEL_WORDS,
    NOMENKLATUR_DEFAULT,
    NOMENKLATUR_LABELS,
    PK_KINDS,
    PK_LABELS,
    code_key,
    indicators_by_id,
    is_leaf,
    nomenclature,
    program_items,
    renstra_indicators,
    renstra_sasaran,
)
from ..load.content import doc_file
from ..load.yamlsafe import format_path
from .indicators import CHECKS as INDICATOR_CHECKS  # indicator kinds (issue 21)


class Locator:
    """Turns (document name, key path) into a Problem located at file:line."""

    def __init__(self, docs: dict):
        self.docs = docs

    def problem(self, name: str, path: tuple, code: str, severity: str, message: str) -> Problem:
        doc = self.docs.get(name)
        if doc is None:                  # an optional file that is absent: the problem names the file to write
            return Problem(doc_file(self.docs, name), 0, format_path(path), code, severity, message)
        return Problem(doc.file, doc.line_of(path), format_path(path), code, severity, message)


def check_unique_codes(data, loc):
    seen: dict = {}
    out = []
    for _level, path, item in program_items(data["program"]):
        if item["kode"] in seen:
            out.append(loc.problem("program", path + ("kode",), "kode-ganda", ERROR,
                                   f"Kode {item['kode']} sudah dipakai di {format_path(seen[item['kode']])}"))
        else:
            seen[item["kode"]] = path
    return out


def check_equivalent_codes(data, loc):
    """Two different code texts with the same numbers ('1.06.01.2.01.01' and '1.06.01.2.01.0001') are one code:
    impor-anggaran, which compares codes by their numbers, could not tell the two apart."""
    seen: dict = {}
    out = []
    for _level, path, item in program_items(data["program"]):
        key = code_key(item["kode"])
        if key is None:
            continue
        first = seen.setdefault(key, (item["kode"], path))
        if first[0] != item["kode"]:
            out.append(loc.problem("program", path + ("kode",), "kode-setara", ERROR,
                                   f"Kode {item['kode']} sama dengan kode {first[0]} di {format_path(first[1])} "
                                   "(angka yang sama, jumlah nol berbeda); satu kode hanya boleh dipakai sekali"))
    return out


def check_code_hierarchy(data, loc):
    """Each code has its level's shape in the chosen nomenclature and sits under its parent's code; 90/2019
    kegiatan have sub kegiatan, 13/2006 kegiatan are the leaves."""
    scheme = nomenclature(data["laporan"])
    forms = CODE_FORMS[scheme]
    out = []
    parents = {}
    for level, path, item in program_items(data["program"]):
        if level == "sub_kegiatan" and level not in forms:
            out.append(loc.problem("program", path[:-2] + ("sub_kegiatan",), "kode-tingkat-salah", ERROR,
                                   "Nomenklatur Permendagri 13/2006 tidak mengenal sub kegiatan; isi target, realisasi "
                                   "dan anggaran pada kegiatan (atau ubah laporan.yaml nomenklatur)"))
            break
        pattern, example = forms[level]
        if not re.fullmatch(pattern, item["kode"]):
            out.append(loc.problem("program", path + ("kode",), "kode-tingkat-salah", ERROR,
                                   f"Kode {LEVEL_WORDS[level]} {item['kode']} tidak berbentuk {example} "
                                   f"({NOMENKLATUR_LABELS[scheme]})"))
        parent = parents.get(path[:-2])
        if parent is not None and not item["kode"].startswith(parent + "."):
            out.append(loc.problem("program", path + ("kode",), "kode-yatim", ERROR,
                                   f"Kode {LEVEL_WORDS[level]} {item['kode']} tidak berada di bawah {parent}"))
        parents[path] = item["kode"]
        if level == "kegiatan" and scheme == NOMENKLATUR_DEFAULT and item.get("sub_kegiatan") is None:
            out.append(loc.problem("program", path, "kunci-wajib", ERROR,
                                   f"Kegiatan {item['kode']} belum memiliki sub_kegiatan (Permendagri 90/2019)"))
    return out


def _roster(data) -> tuple:
    return data["pegawai"]["pegawai"] if data.get("pegawai") else ()


def check_people(data, loc):
    """Roster ids and NIPs are unique; invalid NIPs kept on purpose are reported as warnings."""
    if not data.get("pegawai"):
        return []
    out = []
    ids = Counter(p["id"] for p in data["pegawai"]["pegawai"])
    nips: dict = {}
    for i, person in enumerate(data["pegawai"]["pegawai"]):
        path = ("pegawai", i)
        if ids[person["id"]] > 1:
            out.append(loc.problem("pegawai", path + ("id",), "id-ganda", ERROR, f"Id pegawai '{person['id']}' dipakai lebih dari sekali"))
        if person["status"] == "kontrak" and person.get("nip"):
            out.append(loc.problem("pegawai", path + ("nip",), "nip-kontrak", ERROR, "Tenaga kontrak tidak memiliki NIP; gunakan nomor_kontrak"))
        if person["status"] != "kontrak" and not person.get("nip"):
            out.append(loc.problem("pegawai", path, "nip-hilang", ERROR, f"{person['nama']} berstatus {person['status']} tetapi tidak memiliki NIP"))
        nip = person.get("nip")
        if nip:
            if nip in nips:
                out.append(loc.problem("pegawai", path + ("nip",), "nip-ganda", ERROR,
                                       f"NIP {nip} juga dipakai oleh {nips[nip]}"))
            nips[nip] = person["nama"]
            _parsed, reason = parse_nip(nip)
            if reason and person.get("catatan_nip"):
                out.append(loc.problem("pegawai", path + ("nip",), "nip-tidak-valid", WARNING,
                                       f"NIP {nip} ({person['nama']}) tidak valid: {reason}; dipertahankan sesuai catatan_nip"))
    return out


def check_unit_references(data, loc):
    """Unit heads are on the roster; parents and referenced units exist; one unit (the head) has no parent."""
    out = []
    people = {p["id"] for p in _roster(data)}
    organisasi = data.get("organisasi") or {}
    unit_list = organisasi.get("unit", ())
    units = {u["id"] for u in unit_list}
    kepala = data["instansi"].get("kepala")
    if kepala and kepala not in people:
        out.append(loc.problem("instansi", ("kepala",), "orang-tidak-dikenal", ERROR,
                               f"Kepala '{kepala}' tidak ada dalam pegawai.yaml"))
    for i, unit in enumerate(unit_list):
        path = ("unit", i)
        if unit.get("kepala") and unit["kepala"] not in people:
            out.append(loc.problem("organisasi", path + ("kepala",), "orang-tidak-dikenal", ERROR,
                                   f"Kepala unit '{unit['kepala']}' tidak ada dalam pegawai.yaml"))
        if unit.get("induk") and unit["induk"] not in units:
            out.append(loc.problem("organisasi", path + ("induk",), "unit-tidak-dikenal", ERROR, f"Unit induk '{unit['induk']}' tidak ada"))
    for i, group in enumerate(organisasi.get("kelompok_fungsional", ())):
        for key in ("induk", "rincian_dari"):
            if group[key] not in units:
                out.append(loc.problem("organisasi", ("kelompok_fungsional", i, key), "unit-tidak-dikenal", ERROR,
                                       f"Unit '{group[key]}' tidak ada"))
    if not data.get("pegawai"):
        return out
    for table, rows in data["pegawai"].get("rekap", {}).items():
        for i, row in enumerate(rows):
            if row["unit"] not in units:
                out.append(loc.problem("pegawai", ("rekap", table, i, "unit"), "unit-tidak-dikenal", ERROR, f"Unit '{row['unit']}' tidak ada"))
    for i, person in enumerate(_roster(data)):
        if person.get("unit") and person["unit"] not in units:
            out.append(loc.problem("pegawai", ("pegawai", i, "unit"), "unit-tidak-dikenal", ERROR, f"Unit '{person['unit']}' tidak ada"))
    return out


def check_signatory(data, loc):
    """The report's signature block is complete (unknown parts stay blank: a warning), and its signatory is on the
    roster or declared as external (then a warning reminds the reviewer)."""
    sig = data["laporan"]["penandatangan"]
    out = []
    missing = [k for k in ("tempat", "tanggal") if not data["laporan"].get(k)]
    missing += [f"penandatangan.{k}" for k in ("nama", "nip", "jabatan") if not sig.get(k)]
    if missing:
        out.append(loc.problem("laporan", ("penandatangan",), "tanda-tangan-kosong", WARNING,
                               f"Blok tanda tangan laporan belum lengkap ({', '.join(missing)}); bagian itu dibiarkan "
                               "kosong untuk diisi tangan"))
    roster = {p.get("nip"): p for p in _roster(data) if p.get("nip")}
    if not sig.get("nip") or not sig.get("nama") or not roster or sig["nip"] in roster:
        return out
    if sig.get("luar_daftar_pegawai"):
        return out + [loc.problem("laporan", ("penandatangan", "nip"), "orang-di-luar-daftar", WARNING,
                                  f"Penandatangan {sig['nama']} (NIP {sig['nip']}) tidak ada dalam daftar pegawai; "
                                  "dinyatakan sebagai pejabat dari luar daftar")]
    return out + [loc.problem("laporan", ("penandatangan", "nip"), "orang-tidak-dikenal", ERROR,
                              f"Penandatangan {sig['nama']} (NIP {sig['nip']}) tidak ada dalam daftar pegawai; "
                              "perbaiki NIP atau isi luar_daftar_pegawai: true")]


def _analysis_references(kinerja, loc, known: dict) -> list:
    """Each `analisis` entry names one known sasaran, tujuan or indicator, and each of them at most once."""
    out, seen = [], set()
    for i, row in enumerate(kinerja.get("analisis", ())):
        kind = next((k for k in ANALYSIS_TARGETS if row.get(k)), None)
        if kind is None:
            out.append(loc.problem("kinerja", ("analisis", i), "kunci-wajib", ERROR,
                                   "Tulis milik siapa analisis ini: sasaran, tujuan atau indikator (id-nya)"))
        elif row[kind] not in known[kind]:
            unknown = {"sasaran": "sasaran-tidak-dikenal", "tujuan": "tujuan-tidak-dikenal",
                       "indikator": "indikator-tidak-dikenal"}[kind]
            out.append(loc.problem("kinerja", ("analisis", i, kind), unknown, ERROR, f"{kind.capitalize()} '{row[kind]}' tidak ada di Renstra"))
        elif (kind, row[kind]) in seen:
            out.append(loc.problem("kinerja", ("analisis", i, kind), "id-ganda", ERROR,
                                   f"Analisis {kind} '{row[kind]}' ditulis lebih dari sekali; gabungkan butirnya"))
        else:
            seen.add((kind, row[kind]))
    return out


def check_indicator_references(data, loc):
    out = []
    indicators = indicators_by_id(data["renstra"])
    codes = {item["kode"] for _l, _p, item in program_items(data["program"])}
    kinerja = data["kinerja"]
    rows = [(("realisasi_indikator", i), row) for i, row in enumerate(kinerja.get("realisasi_indikator", ()))]
    for key in PK_KINDS:
        rows += [((key, "target", i), row) for i, row in enumerate((kinerja.get(key) or {}).get("target", ()))]
    for path, row in rows:
        if row["indikator"] not in indicators:
            out.append(loc.problem("kinerja", path + ("indikator",), "indikator-tidak-dikenal", ERROR,
                                   f"Indikator '{row['indikator']}' tidak ada di Renstra"))
        for j, comp in enumerate(row.get("komponen", ())):
            for key in ("sub_kegiatan", "kegiatan"):
                if comp.get(key) and comp[key] not in codes:
                    out.append(loc.problem("kinerja", path + ("komponen", j, key), "kode-tidak-dikenal", ERROR,
                                           f"Kode {comp[key]} tidak ada di program.yaml"))
    seen = Counter(row["indikator"] for row in kinerja.get("realisasi_indikator", ()))
    for i, row in enumerate(kinerja.get("realisasi_indikator", ())):
        if seen[row["indikator"]] > 1:
            out.append(loc.problem("kinerja", ("realisasi_indikator", i, "indikator"), "id-ganda", ERROR,
                                   f"Realisasi indikator '{row['indikator']}' ditulis lebih dari sekali"))
            seen[row["indikator"]] = 0
    sasaran = {s["id"] for _p, _t, s in renstra_sasaran(data["renstra"])}
    out += _analysis_references(kinerja, loc, {"sasaran": sasaran, "indikator": set(indicators),
                                               "tujuan": {t["id"] for t in data["renstra"]["tujuan"]}})
    for i, prog in enumerate(data["program"]["program"]):
        for j, sid in enumerate(prog.get("sasaran", ())):
            if sid not in sasaran:
                out.append(loc.problem("program", ("program", i, "sasaran", j), "sasaran-tidak-dikenal", ERROR,
                                       f"Sasaran '{sid}' tidak ada di Renstra"))
    return out


def check_agreements(data, loc):
    """A Perjanjian Kinerja is signed at the start of its year by the officials then in office: its own place, date
    and signatories, never the report's. Missing ones stay blank in the report; check says so."""
    out = []
    programs = {p["kode"] for p in data["program"]["program"]}
    for key, label in PK_LABELS.items():
        pk = data["kinerja"].get(key)
        if not pk:
            continue
        missing = [k for k in ("tempat", "tanggal") if not pk.get(k)]
        missing += [f"pihak_kesatu.{k}" for k in ("nama", "nip", "jabatan") if not (pk.get("pihak_kesatu") or {}).get(k)]
        missing += [f"pihak_kedua.{k}" for k in ("nama", "jabatan") if not (pk.get("pihak_kedua") or {}).get(k)]
        if missing:
            out.append(loc.problem("kinerja", (key,), "pk-tanpa-tanda-tangan", WARNING,
                                   f"{label} belum memiliki {', '.join(missing)}; blok tanda tangannya dibiarkan kosong "
                                   "untuk diisi tangan (jangan memakai penandatangan atau tanggal laporan)"))
        for i, row in enumerate(pk.get("anggaran", ())):
            if row["program"] not in programs:
                out.append(loc.problem("kinerja", (key, "anggaran", i, "program"), "kode-tidak-dikenal", ERROR,
                                       f"Program {row['program']} tidak ada di program.yaml"))
    return out


def _month(value) -> tuple | None:
    """(year, month) of a TTTT-BB value the schema accepted, else None."""
    text = str(value or "")
    return (int(text[:4]), int(text[5:7])) if len(text) == 7 and text[4] == "-" else None


def check_dates(data, loc, today=None):
    """A report on year N is signed after N has ended, not in the future; a PK is signed at the start of its year
    (more than a quarter late is unusual: the targets then were set after the work began)."""
    today = today or datetime.date.today()
    out = []
    year = data["laporan"]["tahun"]
    signed = _month(data["laporan"].get("tanggal"))
    if signed and signed <= (year, 12):
        out.append(loc.problem("laporan", ("tanggal",), "tanggal-sebelum-akhir-tahun", WARNING,
                               f"Laporan Tahun {year} bertanggal {signed[1]:02d}/{signed[0]}, sebelum tahun "
                               f"{year} berakhir; laporan kinerja disusun setelah akhir tahun (biasanya Januari-Maret "
                               f"{year + 1})"))
    if signed and signed > (today.year, today.month):
        out.append(loc.problem("laporan", ("tanggal",), "tanggal-masa-depan", WARNING,
                               f"Tanggal laporan {signed[1]:02d}/{signed[0]} belum tiba (hari ini "
                               f"{today.month:02d}/{today.year}); laporan final tidak diberi tanggal di masa depan"))
    for key, label in PK_LABELS.items():
        pk = data["kinerja"].get(key) or {}
        when = _month(pk.get("tanggal"))
        if when is None:
            continue
        if when < (year - 1, 10):
            out.append(loc.problem("kinerja", (key, "tanggal"), "tanggal-pk-janggal", WARNING,
                                   f"{label} bertanggal {when[1]:02d}/{when[0]}, jauh sebelum Tahun {year} dimulai"))
        elif key == "perjanjian_kinerja" and when > (year, 3):
            out.append(loc.problem("kinerja", (key, "tanggal"), "tanggal-pk-janggal", WARNING,
                                   f"{label} bertanggal {when[1]:02d}/{when[0]}, lebih dari satu triwulan setelah "
                                   f"Tahun {year} dimulai; PK ditandatangani di awal tahun (perubahan: tulis di "
                                   "perjanjian_kinerja_perubahan)"))
        elif when > (year, 12):
            out.append(loc.problem("kinerja", (key, "tanggal"), "tanggal-pk-janggal", WARNING,
                                   f"{label} bertanggal {when[1]:02d}/{when[0]}, setelah Tahun {year} berakhir"))
    return out


_NUMBER_WITH_UNIT = re.compile(r"\s*-?[0-9]+(?:[.,][0-9]+)*\s+(\S.*?)\s*")


def check_leaf_units(data, loc):
    """A target or realisation written with a unit ('10 unit') in another unit than the leaf's `satuan` ('%'):
    the report would read 10 as 10 %. Write the figure in the leaf's unit."""
    out = []
    for level, path, item in program_items(data["program"]):
        if not is_leaf(level, item) or not item.get("satuan"):
            continue
        unit = str(item["satuan"]).strip()
        for key in ("target", "realisasi"):
            match = _NUMBER_WITH_UNIT.fullmatch(str(item.get(key) or ""))
            if match and match.group(1).casefold() != unit.casefold():
                out.append(loc.problem("program", path + (key,), "satuan-berbeda", ERROR,
                                       f"{key.capitalize()} '{item[key]}' bersatuan '{match.group(1)}', padahal satuan "
                                       f"rincian ini '{unit}'; tulis angkanya dalam satuan '{unit}' (atau ubah satuan)"))
    return out


def check_renstra(data, loc):
    out = []
    period = data["renstra"]["periode"]
    if period["akhir"] < period["awal"]:
        out.append(loc.problem("renstra", ("periode",), "periode-terbalik", ERROR, "Tahun akhir periode sebelum tahun awal"))
    diemban = data["renstra"].get("misi_diemban")
    if diemban is not None and diemban not in {m["nomor"] for m in data["renstra"].get("misi", ())}:
        out.append(loc.problem("renstra", ("misi_diemban",), "misi-tidak-dikenal", ERROR, "Nomor misi yang diemban tidak ada"))
    year = data["laporan"]["tahun"]
    if not period["awal"] <= year <= period["akhir"]:
        out.append(loc.problem("laporan", ("tahun",), "tahun-di-luar-renstra", ERROR,
                               f"Tahun laporan {year} di luar periode Renstra {period['awal']}-{period['akhir']}"))
    seen = set()
    for i, row in enumerate((data.get("matriks") or {}).get("baris", ())):
        if row["kode"] + row["uraian"] in seen:
            out.append(loc.problem("matriks", ("baris", i, "kode"), "kode-ganda", ERROR, f"Baris {row['kode']} ditulis dua kali"))
        seen.add(row["kode"] + row["uraian"])
    return out


def check_year_folder(data, loc, year=None):
    """laporan.tahun must match the folder it sits in (content/<tahun>/)."""
    folder = loc.docs["laporan"].file.replace("\\", "/").rstrip("/").split("/")[-2]
    if folder.isdigit() and int(folder) != data["laporan"]["tahun"]:
        return [loc.problem("laporan", ("tahun",), "tahun-tidak-cocok", ERROR,
                            f"tahun: {data['laporan']['tahun']} berada di folder {folder}; samakan keduanya")]
    return []


def check_predikat_scale(data, loc):
    edges = [row["batas_bawah"] for row in data["laporan"]["skala_predikat"]]
    out = []
    if edges != sorted(edges, reverse=True) or len(set(edges)) != len(edges):
        out.append(loc.problem("laporan", ("skala_predikat",), "skala-tidak-urut", ERROR,
                               "Batas bawah skala predikat harus urut menurun tanpa nilai ganda"))
    if edges and edges[-1] != 0:
        out.append(loc.problem("laporan", ("skala_predikat",), "skala-bercelah", ERROR,
                               "Predikat terakhir harus berbatas bawah 0 agar setiap capaian mendapat predikat"))
    return out


def check_review(data, loc):
    """The Pernyataan Telah Direviu (reviu.yaml) names its number, place, date and the reviewer; missing parts stay
    blank in the report for hand completion (never the report's own signatory)."""
    reviu = data.get("reviu")
    if reviu is None:
        return []
    out = []
    missing = [k for k in ("nomor", "tempat", "tanggal") if not reviu.get(k)]
    missing += [f"inspektur.{k}" for k in ("nama", "nip", "jabatan") if not (reviu.get("inspektur") or {}).get(k)]
    if missing:
        out.append(loc.problem("reviu", (), "reviu-belum-lengkap", WARNING,
                               f"Pernyataan Telah Direviu belum memiliki {', '.join(missing)}; bagian itu dibiarkan "
                               "kosong untuk diisi tangan"))
    if reviu.get("tanggal") and not _real_date(reviu["tanggal"]):
        out.append(loc.problem("reviu", ("tanggal",), "format-tidak-valid", ERROR,
                               f"Tanggal {reviu['tanggal']} tidak ada di kalender"))
    return out


def _real_date(text: str) -> bool:
    parts = [int(x) for x in text.split("-")] + [1]
    try:
        dt.date(*parts[:3])
    except ValueError:
        return False
    return True


# --- robustness checks (issue 12): what the renderer needs to hold ----------------------------------------

def check_organisation_tree(data, loc):
    """Unit ids unique; exactly one unit without a parent (the head); no unit is its own ancestor."""
    out = []
    units = (data.get("organisasi") or {}).get("unit", ())
    seen: dict = {}
    for i, unit in enumerate(units):
        if unit["id"] in seen:
            out.append(loc.problem("organisasi", ("unit", i, "id"), "id-ganda", ERROR,
                                   f"Id unit '{unit['id']}' sudah dipakai di unit[{seen[unit['id']]}]"))
        seen.setdefault(unit["id"], i)
    parent = {u["id"]: u.get("induk") for u in units}
    roots = [i for i, u in enumerate(units) if not u.get("induk")]
    if units and not roots:
        out.append(loc.problem("organisasi", ("unit",), "akar-organisasi", ERROR,
                               "Tidak ada unit tanpa induk (pimpinan); tepat satu unit tidak boleh punya induk"))
    for i in roots[1:]:
        out.append(loc.problem("organisasi", ("unit", i), "akar-organisasi", ERROR,
                               f"Unit '{units[i]['id']}' juga tanpa induk; hanya pimpinan ({units[roots[0]]['id']}) "
                               "yang tanpa induk"))
    for i, unit in enumerate(units):
        chain, current = [unit["id"]], unit.get("induk")
        while current in parent and current not in chain:
            chain.append(current)
            current = parent[current]
        if current == unit["id"]:
            out.append(loc.problem("organisasi", ("unit", i, "induk"), "induk-melingkar", ERROR,
                                   "Rantai induk kembali ke unit ini sendiri: " + " → ".join(chain + [current])))
    return out


def check_unique_ids(data, loc):
    """Indicator ids (Renstra) and functional group ids are unique."""
    out, seen = [], {}
    for ipath, ind in renstra_indicators(data["renstra"]):
        path = ipath + ("id",)
        if ind["id"] in seen:
            out.append(loc.problem("renstra", path, "id-ganda", ERROR, f"Id indikator '{ind['id']}' dipakai lebih dari sekali"))
        seen[ind["id"]] = path
    groups: set = set()
    for i, group in enumerate((data.get("organisasi") or {}).get("kelompok_fungsional", ())):
        if group["id"] in groups:
            out.append(loc.problem("organisasi", ("kelompok_fungsional", i, "id"), "id-ganda", ERROR,
                                   f"Id kelompok fungsional '{group['id']}' dipakai lebih dari sekali"))
        groups.add(group["id"])
    return out


def check_heads_are_civil_servants(data, loc):
    """Unit heads and the agency head hold a NIP (PNS/PPPK): a contract worker cannot head a unit."""
    status = {p["id"]: p["status"] for p in _roster(data)}
    out = []
    if data["instansi"].get("kepala") and status.get(data["instansi"]["kepala"]) == "kontrak":
        out.append(loc.problem("instansi", ("kepala",), "kepala-kontrak", ERROR,
                               f"Kepala '{data['instansi']['kepala']}' berstatus kontrak; kepala harus PNS/PPPK dengan NIP"))
    for i, unit in enumerate((data.get("organisasi") or {}).get("unit", ())):
        if unit.get("kepala") and status.get(unit["kepala"]) == "kontrak":
            out.append(loc.problem("organisasi", ("unit", i, "kepala"), "kepala-kontrak", ERROR,
                                   f"Kepala unit '{unit['kepala']}' berstatus kontrak; kepala unit harus PNS/PPPK dengan NIP"))
    return out


def check_renstra_period_length(data, loc):
    """The report lays the Renstra out by year: a period of 2 to 10 years."""
    period = data["renstra"]["periode"]
    years = period["akhir"] - period["awal"] + 1
    if period["akhir"] >= period["awal"] and not 2 <= years <= 10:
        return [loc.problem("renstra", ("periode",), "periode-tidak-wajar", ERROR,
                            f"Periode Renstra {period['awal']}-{period['akhir']} ({years} tahun); periode harus 2 sampai 10 tahun")]
    return []


def check_percentage_indicators(data, loc):
    """Indicators measured in % have targets and realisations between 0 and 1000."""
    percent = {ind["id"] for _p, ind in renstra_indicators(data["renstra"]) if ind["satuan"].strip() == "%"}
    out = []

    def bad(value):
        return isinstance(value, Decimal) and not 0 <= value <= 1000     # a text value: checks_indicators

    for path, ind in renstra_indicators(data["renstra"]):
        if ind["id"] not in percent:
            continue
        values = [(("target", year), v) for year, v in ind["target"].items()]
        values += [(("kondisi_awal",), ind.get("kondisi_awal")),
                   (("standar_nasional", "nilai"), (ind.get("standar_nasional") or {}).get("nilai"))]
        for sub, value in values:
            if bad(value):
                out.append(loc.problem("renstra", path + sub, "persen-di-luar-rentang", ERROR,
                                       f"Persentase {value} di luar rentang 0-1000"))
    kinerja = data["kinerja"]
    rows = [(("realisasi_indikator", i), row, ("realisasi",)) for i, row in enumerate(kinerja.get("realisasi_indikator", ()))]
    for key in PK_KINDS:
        rows += [((key, "target", i), row, ("target",)) for i, row in enumerate((kinerja.get(key) or {}).get("target", ()))]
    for path, row, keys in rows:
        for key in keys:
            if row["indikator"] in percent and bad(row.get(key)):
                out.append(loc.problem("kinerja", path + (key,), "persen-di-luar-rentang", ERROR,
                                       f"Persentase {row[key]} di luar rentang 0-1000 (indikator bersatuan %)"))
        for year, value in (row.get("riwayat") or {}).items():
            if row["indikator"] in percent and bad(value):
                out.append(loc.problem("kinerja", path + ("riwayat", year), "persen-di-luar-rentang", ERROR,
                                       f"Persentase {value} di luar rentang 0-1000 (indikator bersatuan %)"))
    return out


# The registry, defined once below every check: run in this order (problems are sorted afterwards).
CHECKS = (check_unique_codes, check_code_hierarchy, check_people, check_unit_references, check_signatory,
          check_indicator_references, check_agreements, check_renstra, check_year_folder, check_predikat_scale,
          check_review,
          # robustness checks (issue 12)
          check_organisation_tree, check_unique_ids, check_heads_are_civil_servants, check_renstra_period_length,
          check_percentage_indicators, check_equivalent_codes, check_dates, check_leaf_units) + INDICATOR_CHECKS


def run_checks(data: dict, docs: dict) -> list[Problem]:
    loc = Locator(docs)
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(data, loc))
    return problems

