"""Validate stage (structure): cerberus schemas from schema/*.yaml, coercion to typed values, coded problems."""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from decimal import Decimal

import cerberus
import cerberus.errors as ce
import cerberus.schema
import yaml

from ..base import memo
from ..base.limits import (
    MAX_PROBLEMS_PER_FILE,
    MONEY_MAX,
    NUMBER_FRACTION_DIGITS,
    NUMBER_INT_DIGITS,
    YEAR_MAX,
    YEAR_MIN,
)
from ..base.nip import parse_nip
from ..base.problems import ERROR, Problem
from ..base.resources import SCHEMA_DIR
from ..base.shape import NUMBER_PATTERN
from ..load.content import located
from ..load.yamlsafe import Document, format_path
from .legacy import CONTENT_FORMAT

# Digits are ASCII digits only: full-width or other scripts' digits are not numbers here.
GROUPED_NUMBER = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$")
DECIMAL_COMMA = re.compile(r"^-?[0-9]+,[0-9]+$")
NUMBER = re.compile(f"^{NUMBER_PATTERN}$")
# Any budget code shape (digits joined by dots); the chosen nomenclature's exact form per level is checked in
# checks.check_code_hierarchy (Permendagri 90/2019 or 13/2006).
CODE = re.compile(r"^[0-9]{1,2}(\.[0-9]{1,4}){1,6}$")
MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
ID_INDIKATOR = re.compile(r"^[a-z0-9-]+$")
ID_KUNCI = re.compile(r"^[A-Za-z0-9_.-]+$")


def _slug(text: str) -> str:
    """'B.2.1' -> 'b-2-1': a machine key an id could be."""
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-") or "indikator"


def _int(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,18}", value.strip()):
        return int(value)
    raise ValueError(value)


def number_too_long(text: str) -> bool:
    whole, _, fraction = text.strip().lstrip("-").partition(".")
    return len(whole.lstrip("0")) > NUMBER_INT_DIGITS or len(fraction) > NUMBER_FRACTION_DIGITS


def _decimal(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and NUMBER.match(value.strip()) and not number_too_long(value):
        return Decimal(value)
    raise ValueError(value)


def _odd_digits(text: str) -> bool:
    """Digits other than 0-9 (full-width, Arabic-Indic, ...) in a value that would otherwise be a number."""
    if not any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        return False
    ascii_text = "".join(str(unicodedata.digit(ch, "")) if ch.isdigit() else ch for ch in text)
    return bool(NUMBER.match(ascii_text.strip()))


BOOLEAN_WORDS = {"true": True, "false": False, "ya": True, "tidak": False}   # what an Indonesian editor types


def _bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[value.strip().lower()]
    raise ValueError(value)


class ContentValidator(cerberus.Validator):
    """cerberus Validator with our coercers and coded checks (`code|message` custom errors)."""

    types_mapping = dict(cerberus.Validator.types_mapping,
                         decimal=cerberus.TypeDefinition("decimal", (Decimal,), ()),
                         # an indicator's target or realisation: a number, or a value of its declared scale ("WTP")
                         ukuran=cerberus.TypeDefinition("ukuran", (Decimal, str), ()))

    def _error(self, *args):
        if len(args) == 1:
            # cerberus re-sorts the error list and the error trees' node lists on every error: quadratic, hours for
            # 100.000 unknown keys. Problems are sorted once at the end; the trees (read by coerce chains and
            # dependencies) are kept for the first errors only, which is all those rules ever look at.
            self._errors.extend(args[0])
            if len(self._errors) <= 200:
                for error in args[0]:
                    self.document_error_tree.add(error)
                    self.schema_error_tree.add(error)
            return
        super()._error(*args)

    def _validate_regex(self, pattern, field, value):
        """{'type': 'string'}"""
        if isinstance(value, str) and not re.match(pattern.rstrip("$") + "$", value, re.ASCII):
            self._error(field, ce.REGEX_MISMATCH)

    def _normalize_coerce_integer(self, value):
        return _int(value)

    def _normalize_coerce_decimal(self, value):
        return _decimal(value)

    def _normalize_coerce_boolean(self, value):
        return _bool(value)

    def _normalize_coerce_ukuran(self, value):
        """A plain number becomes a Decimal; any other text stays as written (checked against the indicator's
        scale by checks_indicators, so a text value gives one message, not a coercion and a type error)."""
        if isinstance(value, str):
            try:
                return _decimal(value)
            except ValueError:
                return value.strip()
        return _decimal(value)

    def _check_with_format_konten(self, field, value):
        if isinstance(value, int) and value > CONTENT_FORMAT:
            self._error(field, f"format-baru|Konten ini ditulis untuk format {value}, lebih baru dari yang dikenal "
                               f"versi lkjip ini (format {CONTENT_FORMAT}); perbarui lkjip (git pull, atau pip "
                               "install -U lkjip)")

    def _check_with_id_indikator(self, field, value):
        if isinstance(value, str) and not ID_INDIKATOR.match(value):
            self._error(field, f"id-tidak-valid|Id '{value}' hanya boleh berisi huruf kecil a-z, angka 0-9 dan tanda "
                               f"minus, tanpa spasi atau titik (mis. {_slug(value)}); nomor yang tercetak di laporan "
                               f"ditulis terpisah sebagai nomor: \"{value}\"")

    def _check_with_id_kunci(self, field, value):
        if isinstance(value, str) and not ID_KUNCI.match(value):
            self._error(field, f"id-tidak-valid|Id '{value}' hanya boleh berisi huruf a-z/A-Z, angka 0-9, titik, garis "
                               f"bawah dan tanda minus, tanpa spasi (mis. {_slug(value)}); nomor yang tercetak di "
                               "laporan ditulis terpisah sebagai nomor")

    # A check_with rule also runs on an empty value (None: cerberus reports `nullable` and carries on), so each
    # checker looks only at the type it checks.
    def _check_with_kode(self, field, value):
        if isinstance(value, str) and not CODE.match(value):
            self._error(field, f"kode-tidak-valid|Kode '{value}' bukan kode anggaran: angka yang dipisah titik "
                               "(mis. 1.06.02, 1.06.02.2.02, 1.06.02.2.02.01 atau 1.06.02.2.02.0001)")

    def _check_with_rupiah(self, field, value):
        if isinstance(value, int) and value < 0:
            self._error(field, f"uang-negatif|Nilai uang tidak boleh negatif ({value})")
        elif isinstance(value, int) and value >= MONEY_MAX:
            self._error(field, f"nilai-terlalu-besar|Nilai uang {value} terlalu besar (batas: di bawah 10^15 Rupiah)")

    def _check_with_bulan(self, field, value):
        match = MONTH.match(value) if isinstance(value, str) else None
        if match and not (YEAR_MIN <= int(match.group(1)) <= YEAR_MAX and 1 <= int(match.group(2)) <= 12):
            self._error(field, f"tanggal-tidak-valid|Bulan '{value}' bukan bulan kalender antara {YEAR_MIN}-01 "
                               f"dan {YEAR_MAX}-12 (tulis TTTT-BB, mis. 2023-03)")

    def _check_with_persen(self, field, value):
        if isinstance(value, Decimal) and not (0 <= value <= 1000):
            self._error(field, f"persen-di-luar-rentang|Persentase {value} di luar rentang 0-1000")

    def _check_with_ukuran(self, field, value):
        """A target or realisasi: a plain number in its unit, or a text such as 'refocusing'."""
        if not isinstance(value, str):
            return
        text = value.strip()
        if GROUPED_NUMBER.match(text):
            self._error(field, f"angka-berformat|Tulis angka tanpa titik ribuan: '{value}' menjadi "
                               f"{text.replace('.', '').replace(',', '.')}")
        elif DECIMAL_COMMA.match(text):
            self._error(field, f"angka-berformat|Desimal ditulis dengan titik: '{value}' menjadi {text.replace(',', '.')}")
        elif _odd_digits(text):
            self._error(field, f"angka-berformat|'{value}' memakai angka selain 0-9 (mis. angka lebar penuh); "
                               "ketik ulang dengan angka biasa")
        elif NUMBER.match(text) and number_too_long(text):
            self._error(field, f"nilai-terlalu-besar|Angka '{value}' terlalu panjang (paling banyak "
                               f"{NUMBER_INT_DIGITS} digit sebelum titik dan {NUMBER_FRACTION_DIGITS} sesudahnya)")
        elif NUMBER.match(text) and text.startswith("-"):
            self._error(field, f"nilai-terlalu-kecil|Target dan realisasi tidak boleh negatif ({value})")

    def _check_with_nip(self, field, value):
        if not isinstance(value, str):
            return
        _nip, reason = parse_nip(value)
        if reason and not self.document.get("catatan_nip"):
            self._error(field, f"nip-tidak-valid|NIP '{value}' tidak valid: {reason} "
                               "(bila memang tercetak demikian, jelaskan di catatan_nip)")


_MESSAGES = {
    ce.REQUIRED_FIELD.code: ("kunci-wajib", "Kunci wajib belum diisi"),
    ce.UNKNOWN_FIELD.code: ("kunci-tidak-dikenal", "Kunci tidak dikenal (salah ketik?)"),
    ce.BAD_TYPE.code: ("tipe-salah", "Tipe nilai salah"),
    ce.COERCION_FAILED.code: ("tipe-salah", "Nilai tidak dapat dibaca sebagai angka/ya-tidak"),
    ce.EMPTY_NOT_ALLOWED.code: ("nilai-kosong", "Nilai tidak boleh kosong"),
    ce.NOT_NULLABLE.code: ("nilai-kosong", "Nilai tidak boleh kosong"),
    ce.REGEX_MISMATCH.code: ("format-tidak-valid", "Format nilai tidak sesuai"),
    ce.UNALLOWED_VALUE.code: ("nilai-tidak-diizinkan", "Nilai tidak termasuk yang diizinkan"),
    ce.MIN_VALUE.code: ("nilai-terlalu-kecil", "Nilai terlalu kecil"),
    ce.MAX_VALUE.code: ("nilai-terlalu-besar", "Nilai terlalu besar"),
    ce.MIN_LENGTH.code: ("terlalu-sedikit", "Jumlah butir terlalu sedikit"),
}
_TYPE_WORDS = {"dict": "pemetaan (kunci: nilai)", "list": "daftar (butir '- ...')", "string": "teks",
               "integer": "bilangan bulat", "decimal": "angka", "boolean": "true/false"}


def _problem(error, doc: Document) -> Problem:
    path = tuple(error.document_path)
    line = doc.line_of(path)
    where = format_path(path)
    if error.code == ce.CUSTOM.code or error.rule == "check_with":
        code, _, message = str(error.info[0] if error.info else error.constraint).partition("|")
        return Problem(doc.file, line, where, code, ERROR, message)
    code, message = _MESSAGES.get(error.code, ("nilai-tidak-valid", "Nilai tidak valid"))
    if error.code == ce.COERCION_FAILED.code and isinstance(error.value, str) and GROUPED_NUMBER.match(error.value):
        code, message = "angka-berformat", f"Tulis angka tanpa titik ribuan: '{error.value}' menjadi {error.value.replace('.', '')}"
    elif error.code == ce.COERCION_FAILED.code and isinstance(error.value, str) and _odd_digits(error.value):
        code, message = "angka-berformat", f"'{error.value}' memakai angka selain 0-9 (mis. angka lebar penuh); ketik ulang"
    elif (error.code == ce.COERCION_FAILED.code and isinstance(error.value, str) and NUMBER.match(error.value.strip())
          and number_too_long(error.value)):
        code, message = "nilai-terlalu-besar", (f"Angka '{error.value}' terlalu panjang (paling banyak {NUMBER_INT_DIGITS} "
                                                f"digit sebelum titik dan {NUMBER_FRACTION_DIGITS} sesudahnya)")
    elif error.code == ce.COERCION_FAILED.code and error.constraint == "boolean":
        code, message = "tipe-salah", f"Nilai '{error.value}' harus ya atau tidak (boleh juga true atau false)"
    elif error.code == ce.COERCION_FAILED.code and error.constraint == "integer":
        message = f"Nilai '{error.value}' harus berupa bilangan bulat (tanpa desimal dan tanpa titik ribuan)"
    elif error.code == ce.COERCION_FAILED.code:
        message = f"Nilai '{error.value}' harus berupa angka (titik sebagai pemisah desimal)"
    elif error.code == ce.BAD_TYPE.code:
        want = error.constraint if isinstance(error.constraint, str) else "/".join(error.constraint)
        message = f"Seharusnya {_TYPE_WORDS.get(want, want)}"
    elif error.code == ce.UNALLOWED_VALUE.code:
        message = f"Nilai '{error.value}' tidak diizinkan; pilih salah satu: {', '.join(map(str, error.constraint))}"
    elif error.code in (ce.MIN_VALUE.code, ce.MAX_VALUE.code):
        message = f"{message}: {error.value} (batas {error.constraint})"
    elif error.code == ce.REGEX_MISMATCH.code:
        message = f"Format '{error.value}' tidak sesuai pola {error.constraint}"
    return Problem(doc.file, line, where, code, ERROR, message)


def _flatten(errors):
    for error in errors:
        if error.is_group_error:
            yield from _flatten(error.child_errors)
        else:
            yield error


class _TrustedDefinition(cerberus.schema.DefinitionSchema):
    """A schema definition used as is: tests/test_schema_files.py validates every schema/*.yaml definition,
    so each build skips cerberus's own definition check (a fifth of a build's time)."""

    def validate(self, schema=None):
        return None


def load_schema(name: str) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((SCHEMA_DIR / f"{name}.yaml").read_text(encoding="utf-8"), Loader=loader)


_VALIDATORS: dict = {}


def validator_for(name: str) -> ContentValidator:
    """One validator per schema file, built on the trusted (test-checked) definition."""
    if name not in _VALIDATORS:
        validator = ContentValidator()
        validator.schema = _TrustedDefinition(validator, load_schema(name))
        _VALIDATORS[name] = validator
    return _VALIDATORS[name]


_VALIDATED: dict = {}


def _memo():
    return memo


def validate_document(name: str, doc: Document) -> tuple[dict | None, list[Problem]]:
    """Validate and coerce one document; returns (typed data or None, problems). The load stage hands out the
    same Document for unchanged bytes, so its result is kept (typed data is frozen, never modified, downstream)."""
    key = (name, id(doc))
    cached = _VALIDATED.get(key)
    if cached is not None and cached[0] is doc:
        return cached[1], list(cached[2])
    digest = getattr(doc, "digest", None)          # set by the load stage: the file's bytes
    stored = _memo().get("valid", _memo().key(name, digest)) if digest else None
    if stored is not None:
        typed, problems = stored[0], located(stored[1], doc.file)
    else:
        typed, problems = _validate_document(name, doc)
        if digest:                                    # kept without the file name (load.located puts it back)
            _memo().put("valid", _memo().key(name, digest),
                        (typed, [dataclasses.replace(p, file="") for p in problems]))
    if len(_VALIDATED) > 64:
        _VALIDATED.clear()
    _VALIDATED[key] = (doc, typed, problems)
    return typed, list(problems)


def _validate_document(name: str, doc: Document) -> tuple[dict | None, list[Problem]]:
    validator = validator_for(name)
    ok = validator.validate(doc.data)
    if ok:
        return validator.document, []
    problems = []
    errors = list(_flatten(validator._errors))
    # a value that could not be coerced also fails its type rule: one message for it, the coercion's
    coerced = {tuple(e.document_path) for e in errors if e.code == ce.COERCION_FAILED.code}
    errors = [e for e in errors if not (e.code == ce.BAD_TYPE.code and tuple(e.document_path) in coerced)]
    for count, error in enumerate(errors):
        if count == MAX_PROBLEMS_PER_FILE:
            problems.append(Problem(doc.file, 0, "", "terlalu-banyak-masalah", ERROR,
                                    f"Lebih dari {MAX_PROBLEMS_PER_FILE} masalah; hanya yang pertama ditampilkan. "
                                    "Perbaiki itu dahulu lalu jalankan check lagi"))
            break
        problems.append(_problem(error, doc))
    return None, problems


def validate(docs: dict) -> tuple[dict, list[Problem]]:
    """Validate every loaded document against schema/<name>.yaml."""
    typed: dict = {}
    problems: list[Problem] = []
    for name, doc in docs.items():
        data, found = validate_document(name, doc)
        problems.extend(found)
        if data is not None:
            typed[name] = data
    return typed, problems
