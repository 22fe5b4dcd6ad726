"""Compute stage: staff tables (per unit by gender, PNS by golongan and by education) with totals."""
from __future__ import annotations

from ..base.nip import parse_nip
from .model import StaffTable

TABLES = (
    # key in rekap, title, roster attribute, column keys, column labels, PNS only
    ("per_unit", "Jumlah Pegawai menurut Unit Kerja dan Jenis Kelamin", "jenis_kelamin",
     ("laki_laki", "perempuan"), ("Laki-laki", "Perempuan"), False),
    ("pns_per_golongan", "Jumlah PNS menurut Golongan", "golongan",
     ("I", "II", "III", "IV"), ("I", "II", "III", "IV"), True),
    ("pns_per_pendidikan", "Jumlah PNS menurut Tingkat Pendidikan", "pendidikan",
     ("SMA", "D3", "D4", "S1", "S2", "S3"), ("SMA", "D.III", "D.IV", "S1", "S2", "S3"), True),
)
_GENDER_KEY = {"L": "laki_laki", "P": "perempuan"}


def gender(person) -> str | None:
    """'L'/'P' from the roster attribute, else from a valid NIP; None when unknown."""
    if person.get("jenis_kelamin"):
        return person["jenis_kelamin"]
    if person.get("nip"):
        parsed, _reason = parse_nip(person["nip"])
        return parsed.gender if parsed else None
    return None


def _attribute(person, attr):
    if attr == "jenis_kelamin":
        return _GENDER_KEY.get(gender(person) or "")
    return person.get(attr)


def _from_roster(people, units, attr, keys):
    """Counts per unit and column, or None when any person lacks the unit or the attribute."""
    counts = {u["id"]: dict.fromkeys(keys, 0) for u in units}
    for person in people:
        value = _attribute(person, attr)
        if not person.get("unit") or value not in keys:
            return None
        counts[person["unit"]][value] += 1
    return [{"unit": uid, **cols} for uid, cols in counts.items() if sum(cols.values())]


def _used_columns(rows, keys, labels):
    used = [(k, l) for k, l in zip(keys, labels) if any(row.get(k) for row in rows)]
    return used or list(zip(keys, labels))


def build_staff_tables(pegawai, units) -> tuple:
    unit_names = {u["id"]: u["nama"] for u in units}
    rekap = pegawai.get("rekap", {})
    tables = []
    for key, title, attr, keys, labels, pns_only in TABLES:
        people = [p for p in pegawai["pegawai"] if not pns_only or p["status"] == "PNS"]
        rows = _from_roster(people, units, attr, keys)
        source = "daftar pegawai"
        if rows is None:
            if key not in rekap:
                continue
            rows, source = rekap[key], "rekapitulasi"
        columns = _used_columns(rows, keys, labels)
        out_rows = []
        for row in rows:
            values = tuple(row.get(k, 0) for k, _l in columns)
            out_rows.append((unit_names.get(row["unit"], row["unit"]), values, sum(values)))
        totals = tuple(sum(r[1][i] for r in out_rows) for i in range(len(columns)))
        tables.append(StaffTable(title, tuple(l for _k, l in columns), tuple(out_rows), totals, sum(totals), source))
    return tuple(tables)
