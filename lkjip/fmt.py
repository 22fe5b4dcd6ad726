"""Render-stage helpers: Indonesian number, money, percentage, word and date formats (Babel, num2words).

Rounding happens here and only here: half-up, 2 decimals for percentages.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern
from num2words import num2words

LOCALE = "id"
_LOCALE = Locale.parse(LOCALE)


@lru_cache(maxsize=None)
def _pattern(pattern: str):
    """Babel number patterns parsed once (format_decimal re-parses locale and pattern on every call)."""
    return parse_pattern(pattern)


def format_decimal(value, format: str, locale=None, decimal_quantization: bool = True) -> str:
    return _pattern(format).apply(value, _LOCALE, decimal_quantization=decimal_quantization)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def angka(value, places: int | None = None) -> str:
    """5721724782 -> '5.721.724.782'; Decimal('88.4') -> '88,4'; with places, fixed decimals."""
    if value is None:
        return "-"
    if places is None:
        return format_decimal(value, format="#,##0.##########", locale=LOCALE)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(round_half_up(value, places), format=pattern, locale=LOCALE, decimal_quantization=False)


def rupiah(value) -> str:
    """Bare money for table cells under an '(Rp)' header."""
    return "-" if value is None else angka(int(value))


def rp(value) -> str:
    return "-" if value is None else f"Rp {angka(int(value))}"


def persen(value, places: int = 2) -> str:
    """Decimal('88.3261') -> '88,33%'. The value is already a percentage (x100)."""
    return "-" if value is None else f"{angka(value, places)}%"


def _plain(value) -> str:
    """As written when it has at most 2 decimals (88.4 -> '88,4'), else rounded to 2 (88.3261 -> '88,33')."""
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    return angka(value) if isinstance(exponent, int) and exponent >= -2 else angka(value, 2)


def nilai(value, satuan: str | None = None, desimal: int | None = None) -> str:
    """A figure with its unit: 88.4 '%' -> '88,4%'; 305.2 'per 100.000 KH' -> '305,2 per 100.000 KH'."""
    if value is None:
        return "-"
    text = _plain(value) if desimal is None else angka(value, desimal)
    if not satuan:
        return text
    return f"{text}%" if satuan.strip() == "%" else f"{text} {satuan}"


def ukur(value, indicator) -> str:
    """A figure of `indicator` in its unit and decimals."""
    return nilai(value, indicator.satuan, indicator.desimal)


def beda(value, indicator) -> str:
    """An absolute difference in the indicator's unit: percentage points for a percentage."""
    if value is None:
        return "-"
    text = _plain(abs(value)) if indicator.desimal is None else angka(abs(value), indicator.desimal)
    return f"{text} poin persen" if indicator.satuan.strip() == "%" else f"{text} {indicator.satuan}"


def satuan_teks(satuan: str) -> str:
    return "persen" if satuan.strip() == "%" else satuan


def polaritas_teks(polaritas: str) -> str:
    return "makin rendah makin baik" if polaritas == "negatif" else "makin tinggi makin baik"


def awal_kecil(text: str) -> str:
    """First letter in lower case, for a sentence continued after 'mempunyai tugas ...'."""
    return text[:1].lower() + text[1:] if text else text


def terbilang(n: int) -> str:
    """6 -> '6 (enam)'."""
    return f"{angka(n)} ({num2words(int(n), lang='id')})"


def kata(n: int) -> str:
    return num2words(int(n), lang="id")


def bulan_tahun(yyyy_mm: str) -> str:
    """'2023-03' -> 'Maret 2023'."""
    import datetime as dt
    year, month = (int(x) for x in yyyy_mm.split("-"))
    return format_date(dt.date(year, month, 1), format="MMMM y", locale=LOCALE)


def tanggal_teks(text: str) -> str:
    """'2023-02-24' -> '24 Februari 2023'; '2023-02' -> 'Februari 2023'."""
    import datetime as dt
    parts = [int(x) for x in text.split("-")]
    if len(parts) == 2:
        return bulan_tahun(text)
    return format_date(dt.date(*parts), format="d MMMM y", locale=LOCALE)


FILTERS = {"angka": angka, "rupiah": rupiah, "rp": rp, "persen": persen, "terbilang": terbilang,
           "kata": kata, "bulan_tahun": bulan_tahun, "tanggal_teks": tanggal_teks, "nilai": nilai, "ukur": ukur, "beda": beda,
           "satuan_teks": satuan_teks, "polaritas_teks": polaritas_teks, "awal_kecil": awal_kecil}
