"""Tool helper (impor-anggaran): read an XLSX or CSV export into rows, find its columns by header names, parse
Indonesian-formatted amounts. Never raises for bad input: problems come back coded, with the file's row number."""
from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .problems import ERROR, WARNING, Problem

HEADER_SCAN = 30                       # rows searched for the header row
ROLES = ("kode", "uraian", "pagu", "realisasi", "tw1", "tw2", "tw3", "tw4")
ALIASES = {
    "kode": {"kode", "kode rekening", "kode program", "kode kegiatan", "kode sub kegiatan", "kode program kegiatan",
             "kode program kegiatan sub kegiatan", "kd", "no rekening"},
    "uraian": {"uraian", "nama", "program kegiatan sub kegiatan", "program kegiatan", "nama program",
               "nama kegiatan", "nama sub kegiatan", "uraian program kegiatan sub kegiatan", "nomenklatur", "sub kegiatan"},
    "pagu": {"pagu", "anggaran", "pagu anggaran", "nilai anggaran", "jumlah anggaran", "anggaran setelah perubahan",
             "pagu setelah perubahan"},
    "realisasi": {"realisasi", "realisasi anggaran", "nilai realisasi", "jumlah realisasi", "realisasi keuangan",
                  "total realisasi"},
}
_QUARTER = re.compile(r"(?:realisasi )?(?:tw|triwulan) ?(1|2|3|4|i|ii|iii|iv)")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
TOTAL_LABEL = re.compile(r"(jumlah|total)\b", re.IGNORECASE)


class Formula:
    """A cell holding a formula whose value was never calculated (saved by a program that does not compute)."""

    def __init__(self, text: str):
        self.text = text


@dataclass
class Sheet:
    file: str                          # as shown in messages
    name: str | None                   # sheet name (XLSX) or None (CSV)
    rows: list                         # (row number, [values])
    path: Path | None = None           # the XLSX, for a second look at formulas


@dataclass
class Table:
    sheet: Sheet
    header_row: int                    # last header row
    columns: dict                      # role -> 0-based column index
    data: list = field(default_factory=list)   # (row number, [values]) after the header

    def cell(self, values: list, role: str):
        index = self.columns.get(role)
        return values[index] if index is not None and index < len(values) else None

    def where(self, row: int, role: str) -> str:
        """Cell reference for messages: 'Tabel 3.10!D12', or 'D12' in a CSV."""
        ref = f"{column_letter(self.columns[role])}{row}" if role in self.columns else str(row)
        return f"{self.sheet.name}!{ref}" if self.sheet.name else ref


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def normalize_header(text) -> str:
    """'Pagu (Rp)' -> 'pagu'; 'Program / Kegiatan / Sub Kegiatan' -> 'program kegiatan sub kegiatan'."""
    if text is None:
        return ""
    text = str(text).lower().replace("\n", " ")
    text = re.sub(r"\(\s*rp\.?\s*\)|\brp\b\.?", " ", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


def _role_of(header: str, mapping: dict) -> str | None:
    for role, wanted in mapping.items():
        if wanted is not None and header == normalize_header(wanted):
            return role
    for role, names in ALIASES.items():
        if role not in mapping and header in names:
            return role
    if "uraian" not in mapping and header.split(" ")[0] in ("uraian", "nama"):
        return "uraian"                        # 'Uraian Kegiatan', 'Nama Sub Kegiatan': shown only, never imported
    quarter = _QUARTER.fullmatch(header)
    if quarter:
        role = f"tw{_ROMAN.get(quarter.group(1), quarter.group(1))}"
        return role if role not in mapping else None
    return None


def _roles(values: list, mapping: dict) -> dict:
    found: dict = {}
    for i, value in enumerate(values):
        role = _role_of(normalize_header(value), mapping)
        if role and role not in found:
            found[role] = i
    return found


def _usable(roles: dict) -> bool:
    return "kode" in roles and ("pagu" in roles or "realisasi" in roles or any(f"tw{q}" in roles for q in "1234"))


def find_table(sheet: Sheet, mapping: dict, header_row: int | None = None) -> Table | None:
    """The best header row in the first rows (most roles found); a second header row may add columns (e.g. TW I-IV
    under a merged 'Realisasi')."""
    best = None
    for i, (number, values) in enumerate(sheet.rows):
        if (number != header_row) if header_row else number > HEADER_SCAN:
            continue
        roles, last = _roles(values, mapping), number
        if i + 1 < len(sheet.rows):
            below = _roles(sheet.rows[i + 1][1], mapping)
            extra = {r: c for r, c in below.items() if r not in roles and c not in roles.values()}
            if extra and "kode" not in below:
                roles, last = {**roles, **extra}, sheet.rows[i + 1][0]
        if _usable(roles) and (best is None or len(roles) > len(best.columns)):
            best = Table(sheet, last, roles)
    if best is not None:
        best.data = [(n, v) for n, v in sheet.rows if n > best.header_row]
    return best


# --- amounts ----------------------------------------------------------------------------------------------

_ID_GROUPED = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?")
_ID_DECIMAL = re.compile(r"[0-9]+,[0-9]+")
_EN_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?")


def parse_amount(value) -> tuple:
    """Cell value -> (int | None, problem code | None, detail). Accepts numbers and texts such as '1.234.567,00',
    'Rp 1.234.567', '1,234,567.00'; '-' and empty cells are None."""
    if value is None:
        return None, None, ""
    if isinstance(value, Formula):
        return None, "rumus-tanpa-nilai", value.text
    if isinstance(value, bool):
        return None, "bukan-angka", str(value)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value)).quantize(Decimal("0.01"))
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", " ")
        if text in ("", "-", "–", "—"):
            return None, None, ""
        negative = text.startswith("(") and text.endswith(")")
        body = re.sub(r"^(rp\.?|idr)\s*", "", text.strip("()").strip(), flags=re.IGNORECASE)
        if body[:1] in ("-", "−"):
            negative, body = True, body[1:].strip()
        body = re.sub(r"^(rp\.?|idr)\s*", "", body, flags=re.IGNORECASE).replace(" ", "")
        if _ID_GROUPED.fullmatch(body) or _ID_DECIMAL.fullmatch(body):
            body = body.replace(".", "").replace(",", ".")
        elif _EN_GROUPED.fullmatch(body):
            body = body.replace(",", "")
        elif not _PLAIN.fullmatch(body):
            return None, "bukan-angka", value
        try:
            number = Decimal(body)
        except InvalidOperation:
            return None, "bukan-angka", value
        if negative:
            number = -number
    else:                                  # dates, times
        return None, "bukan-angka", str(value)
    if number != number.to_integral_value():
        return None, "angka-tidak-bulat", str(value)
    if number < 0:
        return None, "uang-negatif", str(value)
    return int(number), None, ""


# --- files ------------------------------------------------------------------------------------------------

def read_sheets(path: Path, file: str) -> tuple[list, list]:
    """All sheets of an XLSX, or the one table of a CSV; problems for unreadable files."""
    if not path.is_file():
        return [], [Problem(file, 0, "", "berkas-hilang", ERROR, "Berkas tidak ditemukan")]
    try:
        head = path.open("rb").read(8)
    except OSError as exc:
        return [], [Problem(file, 0, "", "berkas-tidak-terbaca", ERROR, f"Berkas tidak dapat dibaca: {exc.strerror}")]
    suffix = path.suffix.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0") or suffix in (".xls", ".ods"):
        return [], [Problem(file, 0, "", "format-tidak-dikenal", ERROR,
                            f"Format {suffix or 'berkas'} tidak didukung; simpan ulang sebagai .xlsx atau .csv")]
    if head.startswith(b"PK") or suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, file)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, file)
    return [], [Problem(file, 0, "", "format-tidak-dikenal", ERROR,
                        f"Jenis berkas {suffix or '(tanpa ekstensi)'} tidak dikenal; gunakan .xlsx atau .csv")]


def _read_xlsx(path: Path, file: str) -> tuple[list, list]:
    try:
        import openpyxl
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, data_only=True, read_only=True)
            sheets = [Sheet(file, ws.title, _rows(ws), path) for ws in book.worksheets]
            book.close()
    except Exception as exc:               # openpyxl raises many kinds for damaged or foreign files
        return [], [Problem(file, 0, "", "berkas-tidak-terbaca", ERROR,
                            f"Berkas XLSX tidak dapat dibaca (rusak atau bukan XLSX): {type(exc).__name__}")]
    return sheets, []


def _rows(ws) -> list:
    """Non-empty rows with their sheet row numbers (read-only mode yields gaps as empty rows; the declared
    dimension of the sheet is not trusted)."""
    ws.reset_dimensions()
    return [(n, list(row)) for n, row in enumerate(ws.iter_rows(values_only=True), start=1)
            if any(v not in (None, "") for v in row)]


def mark_formulas(table: Table, problems: list) -> None:
    """Empty cells of the table that hold a formula never calculated become Formula (reported, never read as 0)."""
    if table.sheet.path is None:
        return
    try:
        import openpyxl
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(table.sheet.path, data_only=False, read_only=True)
            formulas = dict(_rows(book[table.sheet.name]))
            book.close()
    except Exception as exc:               # read once already: only a changed file fails here
        problems.append(Problem(table.sheet.file, 0, "", "berkas-tidak-terbaca", ERROR,
                                f"Berkas XLSX tidak dapat dibaca ulang: {type(exc).__name__}"))
        return
    for number, values in table.data:
        for i, formula in enumerate(formulas.get(number, ())):
            if i < len(values) and values[i] is None and isinstance(formula, str) and formula.startswith("="):
                values[i] = Formula(formula)


def _read_csv(path: Path, file: str) -> tuple[list, list]:
    problems = []
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        problems.append(Problem(file, 0, "", "bukan-utf8", WARNING,
                                "Berkas bukan UTF-8; dibaca sebagai Windows-1252 (periksa huruf non-ASCII)"))
    if "\x00" in text:
        return [], [Problem(file, 0, "", "berkas-tidak-terbaca", ERROR, "Berkas berisi data biner, bukan CSV")]
    lines = text.splitlines()
    header = next((line for line in lines[:HEADER_SCAN] if "kode" in line.lower()), lines[0] if lines else "")
    delimiters = sorted(";,\t", key=lambda d: -header.count(d))
    sheets = []
    for delimiter in delimiters:
        rows = []
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            for number, row in enumerate(reader, start=1):
                if any(v.strip() for v in row):
                    rows.append((number, [v.strip() for v in row]))
        except csv.Error:
            continue
        sheets.append(Sheet(file, None, rows))
    return sheets, problems
