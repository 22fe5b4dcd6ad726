"""Shared by schema and checks: structure of the 18-digit NIP (civil servant number)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Nip:
    birth: dt.date
    tmt_year: int
    tmt_month: int
    gender: str   # "L" or "P"
    sequence: str


def parse_nip(value: str) -> tuple[Nip | None, str | None]:
    """Return (Nip, None) or (None, reason in Indonesian)."""
    digits = value.replace(" ", "")
    if not re.fullmatch(r"[0-9]{18}", digits):
        return None, "NIP harus 18 digit angka"
    try:
        birth = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None, f"tanggal lahir {digits[0:8]} tidak valid"
    today = dt.date.today()
    if birth.year < 1900 or birth.year > today.year - 15:
        return None, f"tanggal lahir {digits[0:8]} tidak masuk akal (sebelum 1900 atau kurang dari 15 tahun lalu)"
    tmt_year, tmt_month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= tmt_month <= 12:
        return None, f"bulan TMT {digits[12:14]} tidak valid"
    if tmt_year < birth.year + 15 or tmt_year > today.year + 1:
        return None, f"tahun TMT {tmt_year} tidak masuk akal untuk kelahiran {birth.year}"
    if digits[14] not in "12":
        return None, f"digit jenis kelamin {digits[14]} harus 1 (laki-laki) atau 2 (perempuan)"
    if digits[15:18] == "000":
        return None, "nomor urut 000 tidak valid"
    return Nip(birth, tmt_year, tmt_month, "L" if digits[14] == "1" else "P", digits[15:18]), None


def format_nip(value: str) -> str:
    """Group an 18-digit NIP 8-6-1-3 as printed: 19670210 198703 1 002."""
    d = value.replace(" ", "")
    if len(d) != 18:
        return value
    return f"{d[0:8]} {d[8:14]} {d[14]} {d[15:18]}"
