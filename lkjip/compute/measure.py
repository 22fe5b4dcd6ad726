"""Compute stage: target/realisation values, capaian (positive and negative polarity), cap, predikat, comparisons."""
from __future__ import annotations

from decimal import Decimal

from ..shape import NEGATIF, NUMBER
from .model import Achievement, Comparison, Measure

HUNDRED = Decimal(100)


def parse_measure(raw, unit: str | None) -> Measure | None:
    if raw is None:
        return None
    text = str(raw).strip()
    if NUMBER.fullmatch(text):
        return Measure(number=Decimal(text), unit=unit)
    return Measure(text=text, unit=unit)


def capaian_value(target: Decimal, realisasi: Decimal, polaritas: str, rumus_negatif: str) -> Decimal:
    """Positive: r/t x 100. Negative (lower is better): (2t - r)/t x 100 ('selisih') or t/r x 100 ('rasio')."""
    if polaritas == NEGATIF:
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


def _none(reason: str) -> Achievement:
    return Achievement(None, None, None, reason)


def achievement_numbers(target: Decimal | None, realisasi: Decimal | None, polaritas: str, config, scale,
                        cap: Decimal | None = None) -> Achievement:
    """The one capaian of a pair of numbers. `cap` (per indicator) overrides config['batas_atas']."""
    if target is None or realisasi is None:
        return _none("target atau realisasi belum diisi")
    if target == 0:
        return _none("target nol")
    rumus = config.get("rumus_negatif", "selisih")
    if polaritas == NEGATIF and rumus == "rasio" and realisasi == 0:
        return _none("realisasi nol pada rumus rasio")
    raw = capaian_value(target, realisasi, polaritas, rumus)
    limit = cap if cap is not None else config.get("batas_atas")
    capped = limit is not None and raw > limit
    shown = limit if capped else raw
    return Achievement(shown, raw, predikat(shown, scale), None, capped)


def achievement(target: Measure | None, realisasi: Measure | None, polaritas: str, config, scale,
                cap: Decimal | None = None) -> Achievement:
    if target is None or realisasi is None:
        return _none("target atau realisasi belum diisi")
    if not target.is_number or not realisasi.is_number:
        return _none("target atau realisasi berupa teks")
    return achievement_numbers(target.number, realisasi.number, polaritas, config, scale, cap)


def compare(realisasi: Decimal | None, other: Decimal | None, polaritas: str) -> Comparison:
    """Realisation against another figure: higher is better for positive indicators, lower for negative ones."""
    if realisasi is None or other is None:
        return Comparison(other, None, None)
    diff = realisasi - other
    if diff == 0:
        return Comparison(other, diff, None, sama=True)
    better = diff > 0 if polaritas != NEGATIF else diff < 0
    return Comparison(other, diff, better, naik=diff > 0)
