"""Compute stage: target/realisation values, capaian (positive and negative polarity), cap, predikat, comparisons."""
from __future__ import annotations

from decimal import Decimal

from ..base.fmt import round_half_up
from ..base.shape import NEGATIF, NUMBER, scale_text
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


def achievement_numbers(target: Decimal | None, realisasi: Decimal | None, polaritas: str | None, config, scale,
                        cap: Decimal | None = None) -> Achievement:
    """The one capaian of a pair of numbers. `cap` (per indicator) overrides config['batas_atas']. Without a
    polarity there is no capaian: realisasi / target would judge a figure the agency does not judge."""
    if target is None or realisasi is None:
        return _none("target atau realisasi belum diisi")
    if polaritas is None:
        return _none("polaritas tidak ditetapkan")
    if target == 0:
        return _none("target nol")
    rumus = config.get("rumus_negatif", "selisih")
    if polaritas == NEGATIF and rumus == "rasio" and realisasi == 0:
        return _none("realisasi nol pada rumus rasio")
    raw = capaian_value(target, realisasi, polaritas, rumus)
    limit = cap if cap is not None else config.get("batas_atas")
    capped = limit is not None and raw > limit
    shown = limit if capped else raw
    return Achievement(shown, raw, predikat(_as_printed(shown, config), scale), None, capped, desimal=_places(config))


def _places(config) -> int:
    places = (config or {}).get("desimal")
    return 2 if places is None else int(places)


def _as_printed(value: Decimal, config) -> Decimal:
    """With capaian.desimal declared, the predikat follows the printed value (90,996 printed '91%' is judged 91);
    otherwise the value itself."""
    if (config or {}).get("desimal") is None:
        return value
    return round_half_up(value, int(config["desimal"]))


def achievement(target: Measure | None, realisasi: Measure | None, polaritas: str, config, scale,
                cap: Decimal | None = None) -> Achievement:
    if target is None or realisasi is None:
        return _none("target atau realisasi belum diisi")
    if not target.is_number or not realisasi.is_number:
        return _none("target atau realisasi berupa teks")
    return achievement_numbers(target.number, realisasi.number, polaritas, config, scale, cap)


def compare(realisasi: Decimal | None, other: Decimal | None, polaritas: str | None) -> Comparison:
    """Realisation against another figure: higher is better for positive indicators, lower for negative ones;
    without a polarity the change is stated (naik/turun) but never judged (membaik None)."""
    if not isinstance(realisasi, Decimal) or not isinstance(other, Decimal):
        return Comparison(other, None, None)
    diff = realisasi - other
    if diff == 0:
        return Comparison(other, diff, None, sama=True)
    better = None if polaritas is None else diff > 0 if polaritas != NEGATIF else diff < 0
    return Comparison(other, diff, better, naik=diff > 0)


# --- qualitative (ordinal) indicators: values of a declared scale, lowest first ---------------------------------

def rank(value, skala: tuple) -> int | None:
    text = scale_text(value)
    return skala.index(text) if text in skala else None


def achievement_rank(target, realisasi, skala: tuple, mapping: dict | None, scale, cap: Decimal | None = None,
                     config=None) -> Achievement:
    """Capaian of a qualitative indicator: tercapai when the realisation's rank reaches the target's; a percentage
    (and so a predikat) only through the indicator's declared mapping of rank difference to percent."""
    high, low = rank(realisasi, skala), rank(target, skala)
    if high is None or low is None:
        return _none("target atau realisasi belum diisi")
    diff = high - low
    status = "tercapai" if diff >= 0 else "tidak tercapai"
    if not mapping:
        return Achievement(None, None, None, None, status=status)
    keys = sorted(mapping)
    key = keys[-1] if diff > keys[-1] else keys[0] if diff < keys[0] else diff
    if key not in mapping:
        return Achievement(None, None, None, f"selisih peringkat {diff} tidak ada di capaian_peringkat", status=status)
    raw = Decimal(mapping[key])
    limit = cap if cap is not None else (config or {}).get("batas_atas")
    capped = limit is not None and raw > limit
    shown = limit if capped else raw
    return Achievement(shown, raw, predikat(_as_printed(shown, config), scale), None, capped, status,
                       desimal=_places(config))


def compare_rank(realisasi, other, skala: tuple) -> Comparison:
    """Realisation against another value of the scale: by rank (naik/turun/tetap); `selisih` is the rank difference."""
    high, low = rank(realisasi, skala), rank(other, skala)
    if high is None or low is None:
        return Comparison(scale_text(other), None, None)
    diff = Decimal(high - low)
    if diff == 0:
        return Comparison(scale_text(other), diff, None, sama=True)
    return Comparison(scale_text(other), diff, diff > 0, naik=diff > 0)
