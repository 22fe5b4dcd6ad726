"""Compute stage: target/realisation values, capaian (positive and negative polarity) and predikat."""
from __future__ import annotations

import re
from decimal import Decimal

from .model import Achievement, Measure

HUNDRED = Decimal(100)


def parse_measure(raw, unit: str | None) -> Measure | None:
    if raw is None:
        return None
    text = str(raw).strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return Measure(number=Decimal(text), unit=unit)
    return Measure(text=text, unit=unit)


def capaian_value(target: Decimal, realisasi: Decimal, polaritas: str, rumus_negatif: str) -> Decimal:
    """Positive: r/t x 100. Negative (lower is better): (2t - r)/t x 100 ('selisih') or t/r x 100 ('rasio')."""
    if polaritas == "negatif":
        if rumus_negatif == "rasio":
            return target / realisasi * HUNDRED
        return (2 * target - realisasi) / target * HUNDRED
    return realisasi / target * HUNDRED


def predikat(value: Decimal | None, scale) -> str | None:
    """First row whose lower edge the value reaches (scale sorted high to low, last edge 0)."""
    if value is None:
        return None
    for row in scale:
        if value >= row["batas_bawah"]:
            return row["predikat"]
    return scale[-1]["predikat"]


def achievement(target: Measure | None, realisasi: Measure | None, polaritas: str, config, scale) -> Achievement:
    if target is None or realisasi is None:
        return Achievement(None, None, None, "target atau realisasi belum diisi")
    if not target.is_number or not realisasi.is_number:
        return Achievement(None, None, None, "target atau realisasi berupa teks")
    if target.number == 0:
        return Achievement(None, None, None, "target nol")
    if polaritas == "negatif" and config["rumus_negatif"] == "rasio" and realisasi.number == 0:
        return Achievement(None, None, None, "realisasi nol pada rumus rasio")
    value = capaian_value(target.number, realisasi.number, polaritas, config["rumus_negatif"])
    cap = config.get("batas_atas")
    shown = min(value, cap) if cap is not None else value
    return Achievement(value, shown, predikat(shown, scale))
