"""Render-stage helpers: Indonesian number, money, percentage, word and date formats (Babel; the common cases without
loading it, tested to print the same; number words written here, tested against num2words' former output).

Rounding happens here and only here: half-up, 2 decimals for percentages.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .shape import NEGATIF

LOCALE = "id"


@lru_cache(maxsize=None)
def _pattern(pattern: str):
    """Babel number patterns parsed once (format_decimal re-parses locale and pattern on every call)."""
    from babel.numbers import parse_pattern
    return parse_pattern(pattern)


@lru_cache(maxsize=None)
def _locale():
    from babel import Locale
    return Locale.parse(LOCALE)


def format_decimal(value, format: str, locale=None, decimal_quantization: bool = True) -> str:
    """Babel's formatting (the fast paths below print the same for the numbers a report has)."""
    return _pattern(format).apply(value, _locale(), decimal_quantization=decimal_quantization)


def format_date(date, format: str, locale=None) -> str:
    from babel.dates import format_date as babel_format_date
    return babel_format_date(date, format=format, locale=LOCALE)


GROUP, DECIMAL = ".", ","              # the 'id' locale's symbols (tests/test_fmt_fast.py compares with Babel)
_TEN_PLACES = Decimal(1).scaleb(-10)


def _grouped(digits: str) -> str:
    head = len(digits) % 3 or 3
    return GROUP.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _fast(value, places: int | None) -> str | None:
    """angka() without Babel's per-call locale lookups, for finite numbers: the same text as the Babel patterns
    below (a test compares them over many values); None to let Babel format anything else."""
    if isinstance(value, (str, float)):
        try:
            value = Decimal(str(value))            # as Babel reads a value that is not a Decimal
        except ArithmeticError:
            return None
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    if isinstance(value, int):
        if places:
            return None
        return ("-" if value < 0 else "") + _grouped(str(abs(value)))
    if not value.is_finite():
        return None
    negative = value.is_signed()
    try:
        rounded = abs(value).normalize().quantize(_TEN_PLACES if places is None else Decimal(1).scaleb(-places))
    except ArithmeticError:
        return None
    whole, _, fraction = f"{rounded:f}".partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    text = _grouped(whole) + (DECIMAL + fraction if fraction else "")
    return "-" + text if negative else text


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def printed_as(declared: Decimal, computed) -> bool:
    """Whether a figure printed with `declared`'s decimals is `computed` rounded half-up at that precision: the
    source rounded the same figure at its own precision. A figure cut off instead (88,3261 printed 88,32) is not the
    rounded one and is a finding, explained by a correction when the agency wants it so. An unknown computed figure
    is not either."""
    if computed is None:
        return False
    places = max(0, -declared.as_tuple().exponent)
    return declared == round_half_up(Decimal(computed), places)


def angka(value, places: int | None = None) -> str:
    """5721724782 -> '5.721.724.782'; Decimal('88.4') -> '88,4'; with places, fixed decimals."""
    if value is None:
        return "-"
    if places is None:
        return _fast(value, None) or format_decimal(value, format="#,##0.##########", locale=LOCALE)
    rounded = round_half_up(value, places)
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return _fast(rounded, places) or format_decimal(rounded, format=pattern, locale=LOCALE, decimal_quantization=False)


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
    """A figure of `indicator` in its unit and decimals; a qualitative indicator's value ("WTP") as written."""
    if isinstance(value, str):
        return value
    return nilai(value, indicator.satuan, indicator.desimal)


def beda(value, indicator) -> str:
    """An absolute difference in the indicator's unit: percentage points for a percentage."""
    if value is None:
        return "-"
    text = _plain(abs(value)) if indicator.desimal is None else angka(abs(value), indicator.desimal)
    return f"{text} poin persen" if indicator.satuan.strip() == "%" else f"{text} {indicator.satuan}"


def bertanda(value) -> str:
    """A difference with its sign, as a deviation column prints it: '+5', '-12,5', '0'; '-' when unknown."""
    if value is None:
        return "-"
    return ("+" if value > 0 else "") + angka(value)


def satuan_teks(satuan: str) -> str:
    return "persen" if satuan.strip() == "%" else satuan


def polaritas_teks(polaritas: str) -> str:
    return "makin rendah makin baik" if polaritas == NEGATIF else "makin tinggi makin baik"


def awal_kecil(text: str) -> str:
    """First letter in lower case, for a sentence continued after 'mempunyai tugas ...'."""
    return text[:1].lower() + text[1:] if text else text


_ONES = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")


def _below_thousand(n: int) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = ["seratus"] if hundreds == 1 else [_ONES[hundreds], "ratus"] if hundreds else []
    tens, ones = divmod(rest, 10)
    if tens == 1:
        words += ["sepuluh"] if ones == 0 else ["sebelas"] if ones == 1 else [_ONES[ones], "belas"]
    elif tens:
        words += [_ONES[tens], "puluh"] + ([_ONES[ones]] if ones else [])
    elif ones:
        words.append(_ONES[ones])
    return words


_SCALES = ("", "ribu", "juta", "miliar", "triliun", "kuadriliun", "kuantiliun", "sekstiliun", "septiliun", "oktiliun",
           "noniliun", "desiliun")
WORDS_MAX = 10 ** (3 * len(_SCALES))          # 10^36: the largest named scale is desiliun (10^33)


def words_id(n: int) -> str:
    """Indonesian cardinal words for an integer |n| < 10^36, the words num2words(n, lang='id') 0.5.14 wrote (a test
    compares them over 0..1000, every power of ten and random large values): 'seribu' only below a million
    (1.001.000 is 'satu juta satu ribu'), negatives with 'min'."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"bilangan bulat diperlukan, bukan {type(n).__name__}")
    if n < 0:
        return "min " + words_id(-n)
    if n == 0:
        return "nol"
    if n >= WORDS_MAX:
        raise OverflowError(f"bilangan {n} terlalu besar untuk ditulis dengan kata")
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for scale in reversed(range(len(groups))):
        group = groups[scale]
        if not group:
            continue
        if scale == 1 and group == 1 and len(groups) == 2:
            words.append("seribu")
        else:
            words += _below_thousand(group) + ([_SCALES[scale]] if scale else [])
    return " ".join(words)


def terbilang(n: int) -> str:
    """6 -> '6 (enam)'."""
    return f"{angka(n)} ({words_id(int(n))})"


def kata(n: int) -> str:
    return words_id(int(n))


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")        # the 'id' locale's month names (tests/test_fmt_fast.py compares with Babel)


def bulan_tahun(yyyy_mm: str) -> str:
    """'2023-03' -> 'Maret 2023'."""
    year, month = (int(x) for x in yyyy_mm.split("-"))
    if 1 <= month <= 12 and year > 0:
        return f"{MONTHS[month - 1]} {year}"
    return format_date(dt.date(year, month, 1), format="MMMM y", locale=LOCALE)


def tanggal_teks(text: str) -> str:
    """'2023-02-24' -> '24 Februari 2023'; '2023-02' -> 'Februari 2023'."""
    parts = [int(x) for x in text.split("-")]
    if len(parts) == 2:
        return bulan_tahun(text)
    return format_date(dt.date(*parts), format="d MMMM y", locale=LOCALE)


def capaian(achievement) -> str:
    """A capaian as the agency prints it: its percentage with the declared decimals (laporan.yaml capaian.desimal),
    'Tercapai'/'Tidak tercapai' for a qualitative indicator judged by rank only, '-' when there is none."""
    value = getattr(achievement, "nilai", None)
    if value is not None:
        return persen(value, getattr(achievement, "desimal", 2))
    status = getattr(achievement, "status", None)
    return status.capitalize() if status else "-"


FILTERS = {"angka": angka, "rupiah": rupiah, "rp": rp, "persen": persen, "capaian": capaian, "terbilang": terbilang,
           "kata": kata, "bulan_tahun": bulan_tahun, "tanggal_teks": tanggal_teks, "nilai": nilai, "ukur": ukur, "beda": beda,
           "satuan_teks": satuan_teks, "polaritas_teks": polaritas_teks, "awal_kecil": awal_kecil}


def join_title(*parts) -> str:
    """Parts of a title joined by spaces, a word repeated across a junction written once: 'Laporan Kinerja Instansi
    Pemerintah' + 'Pemerintah Kota Dumai' -> '... Instansi Pemerintah Kota Dumai'."""
    words: list = []
    for part in parts:
        new = str(part or "").split()
        if words and new and words[-1].casefold() == new[0].casefold():
            new = new[1:]
        words += new
    return " ".join(words)
