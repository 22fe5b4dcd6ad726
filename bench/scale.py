"""Benchmark helper (not a test): larger content made from content/, for the growth measurements of bench/run.py.

scaled(dest, k): the 2022 content with k times the sasaran, indicators (with their realisations and PK targets),
programs (whole trees of kegiatan and sub kegiatan under new codes) and Renstra matrix rows.
organisation(dest, units, staff): the 2022 content with `units` organisation units (a tree of bidang, seksi and
UPT below the head) and `staff` people (valid, distinct NIPs; every unit headed by someone).
Everything is written with PyYAML; the copies are valid content (check reports no error on them).
"""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
YEAR = "2022"


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")


def _fresh(dest: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(CONTENT, dest)
    return dest


def _recode(node, old: str, new: str):
    """Every budget code in node that starts with `old` moved under `new` (same depth)."""
    if isinstance(node, dict):
        return {k: (new + v[len(old):] if k == "kode" and isinstance(v, str) and v.startswith(old) else
                    _recode(v, old, new)) for k, v in node.items()}
    if isinstance(node, list):
        return [_recode(v, old, new) for v in node]
    return node


def scaled(dest: Path, factor: int) -> Path:
    """content/ with `factor` times the planning and budget structure (factor 1: a plain copy)."""
    _fresh(dest)
    if factor <= 1:
        return dest
    year, renstra = dest / YEAR, dest / "renstra"
    plan, matrix = _load(renstra / "renstra.yaml"), _load(renstra / "matriks.yaml")
    work, programs = _load(year / "kinerja.yaml"), _load(year / "program.yaml")
    base_tujuan = copy.deepcopy(plan["tujuan"])
    base_rows, base_programs = copy.deepcopy(matrix["baris"]), copy.deepcopy(programs["program"])
    base_real = copy.deepcopy(work.get("realisasi_indikator") or [])
    base_pk = copy.deepcopy(work["perjanjian_kinerja"].get("target") or [])
    prefix = base_programs[0]["kode"].rsplit(".", 1)[0] + "."          # urusan.bidang of the agency, e.g. 1.06.
    urusan = prefix.split(".")[0]
    for n in range(2, factor + 1):
        suffix = f"-x{n}"
        renamed = {}
        for tujuan in copy.deepcopy(base_tujuan):
            tujuan["id"] += suffix
            for sasaran in tujuan.get("sasaran") or ():
                renamed[sasaran["id"]] = sasaran["id"] + suffix
                sasaran["id"] += suffix
                for ind in sasaran.get("indikator") or ():
                    renamed[ind["id"]] = ind["id"] + suffix
                    ind["id"] += suffix
                    ind["iku"] = False
            plan["tujuan"].append(tujuan)
        for entry in copy.deepcopy(base_real):
            entry["indikator"] = renamed.get(entry["indikator"], entry["indikator"])
            work["realisasi_indikator"].append(entry)
        for entry in copy.deepcopy(base_pk):
            entry["indikator"] = renamed.get(entry["indikator"], entry["indikator"])
            work["perjanjian_kinerja"]["target"].append(entry)
        new_prefix = f"{urusan}.{8 + n:02d}."                          # another bidang code per copy
        for program in _recode(base_programs, prefix, new_prefix):
            if program.get("sasaran"):
                program["sasaran"] = [renamed.get(s, s) for s in program["sasaran"]]
            program.pop("dinyatakan_sumber", None)
            for kegiatan in program.get("kegiatan") or ():
                kegiatan.pop("dinyatakan_sumber", None)
            programs["program"].append(program)
        matrix["baris"] += _recode(base_rows, prefix, new_prefix)
    _dump(renstra / "renstra.yaml", plan)
    _dump(renstra / "matriks.yaml", matrix)
    _dump(year / "kinerja.yaml", work)
    _dump(year / "program.yaml", programs)
    return dest


_FIRST = ("ADI", "BUDI", "CITRA", "DEWI", "EKA", "FAJAR", "GITA", "HADI", "INDAH", "JOKO", "KARTIKA", "LESTARI",
          "MAYA", "NINA", "OKTA", "PUTRI", "RAHMAT", "SARI", "TAUFIK", "UTAMI", "WAHYU", "YANTI", "ZAINAL", "AGUS")
_LAST = ("SANTOSO", "WIBOWO", "PRATAMA", "LESTARI", "SAPUTRA", "HIDAYAT", "KURNIAWAN", "SETIAWAN", "NUGROHO",
         "RAHAYU", "SUSANTI", "HARAHAP", "SIREGAR", "WIJAYA", "GUNAWAN", "PERMANA", "HALIM", "SUGANDI")
_THIRD = ("", "PUTRA", "PUTRI", "JAYA", "SAKTI", "ABADI", "MULIA", "UTAMA", "PERKASA", "BUANA", "CAHYA", "DHARMA",
          "KUSUMA", "LAKSANA", "MAHARDIKA")


def _name(i: int) -> str:
    """A distinct name (letters only: names are compared without digits) for each i < 6.480."""
    first, rest = _FIRST[i % len(_FIRST)], i // len(_FIRST)
    last, third = _LAST[rest % len(_LAST)], _THIRD[(rest // len(_LAST)) % len(_THIRD)]
    return " ".join(w for w in (first, last, third) if w)


def _nip(i: int, female: bool) -> str:
    """A structurally valid NIP, distinct for each i < 900.000."""
    birth_year, day = 1960 + i % 35, 1 + (i // 35) % 28
    month = 1 + (i // (35 * 28)) % 12
    tmt_year = birth_year + 20 + i % 5
    sequence = 1 + (i // (35 * 28 * 12)) % 999
    return f"{birth_year}{month:02d}{day:02d}{tmt_year}{1 + i % 12:02d}{2 if female else 1}{sequence:03d}"


def organisation(dest: Path, units: int, staff: int) -> Path:
    """content/ whose 2022 organisation has `units` units and whose roster has `staff` people."""
    _fresh(dest)
    year = dest / YEAR
    org = _load(year / "organisasi.yaml")
    staff = max(staff, units)
    people = []
    golongan, pendidikan = ("II", "III", "IV"), ("SMA", "D3", "S1", "S2")
    for i in range(staff):
        contract = i % 7 == 6 and i >= units                            # every unit head is a civil servant
        person = {"id": f"pegawai-{i:05d}", "nama": _name(i),
                  "status": "kontrak" if contract else "PNS",
                  "jabatan": f"Pelaksana {i + 1}"}
        if contract:
            person["nomor_kontrak"] = f"K-{i:05d}"
        else:
            person["nip"] = _nip(i, female=i % 2 == 1)
            person["golongan"] = golongan[i % 3]
            person["pendidikan"] = pendidikan[i % 4]
        people.append(person)
    tree = [{"id": "kepala", "nama": "Kepala Dinas", "jenis": "pimpinan", "kepala": people[0]["id"]}]
    heads = max(1, min(12, units // 10))                               # bidang below the head, seksi and UPT below
    for i in range(1, units):
        if i <= heads:
            unit = {"id": f"bidang-{i}", "nama": f"Bidang {i}", "jenis": "bidang", "induk": "kepala"}
        else:
            parent = 1 + (i - heads - 1) % heads
            unit = {"id": f"seksi-{i}", "nama": f"Seksi {i} Bidang {parent}", "jenis": "seksi",
                    "induk": f"bidang-{parent}"}
        unit["kepala"] = people[i]["id"]
        unit["tugas"] = f"Melaksanakan tugas unit {i}."
        tree.append(unit)
    for i, person in enumerate(people):
        person["unit"] = tree[i % len(tree)]["id"]
    org["unit"] = tree
    org.pop("kelompok_fungsional", None)
    roster = _load(year / "pegawai.yaml")
    roster["pegawai"] = people
    roster.pop("rekap", None)
    _dump(year / "organisasi.yaml", org)
    _dump(year / "pegawai.yaml", roster)
    instansi = _load(year / "instansi.yaml")
    instansi["kepala"] = people[0]["id"]
    _dump(year / "instansi.yaml", instansi)
    corrections = _load(year / "koreksi.yaml")                       # those about the replaced roster go
    corrections["koreksi"] = [c for c in corrections["koreksi"]
                              if c.get("berkas") not in ("pegawai.yaml", "organisasi.yaml")]
    _dump(year / "koreksi.yaml", corrections)
    laporan = _load(year / "laporan.yaml")
    for key in [k for k in (laporan.get("dinyatakan_sumber") or {}) if k.startswith("jumlah_pegawai") or
                k in ("jumlah_pns", "jumlah_kontrak")]:
        del laporan["dinyatakan_sumber"][key]
    _dump(year / "laporan.yaml", laporan)
    return dest
