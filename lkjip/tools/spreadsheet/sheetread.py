"""Tool helper (impor-anggaran): read an XLSX or CSV export into rows, find its columns by header names, parse
Indonesian-formatted amounts. Never raises for bad input: problems come back coded, with the file's row number."""
from __future__ import annotations

import csv
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ...base.limits import MONEY_MAX
from ...base.problems import ERROR, WARNING, Problem

HEADER_SCAN = 30                       # rows searched for the header row
# Bounds on an input file (README, "Jaminan dan batas"): far above a real finance export, reached only by a
# damaged or hostile file, which is refused with a message (exit code 2) in bounded time and memory.
MAX_COLUMNS = 256                      # a value beyond column IV refuses the file (empty styled cells are skipped)
MAX_ROWS = 50_000                      # filled rows per sheet
MAX_ROW_NUMBER = 1_048_576             # Excel's last row
MAX_CELL_TEXT = 32_767                 # characters in one cell (Excel's own limit)
MAX_SHEET_XML = 32 * 1024 * 1024       # one worksheet part, uncompressed (streamed)
MAX_PART_XML = 16 * 1024 * 1024        # any other part (sharedStrings, styles, workbook), uncompressed (read whole)
MAX_XLSX_TOTAL = 256 * 1024 * 1024     # all parts together, uncompressed
MAX_ZIP_MEMBERS = 2_000
MAX_CSV_BYTES = 32 * 1024 * 1024       # a CSV file
MAX_CSV_LINE = 1_000_000               # characters in one CSV line
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
    hidden: bool = False               # a hidden (or very hidden) XLSX sheet: named whenever it is read


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


# --- codes ------------------------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u202f\u2007\\s]+")


def clean_code(value) -> str:
    """A code cell as text without zero-width characters, soft hyphens, (no-break) spaces: '1.06.01\u200b' ->
    '1.06.01'. Compared afterwards by tree.code_key (numbers, so '...2.01.0001' == '...2.01.01')."""
    if value is None:
        return ""
    return _INVISIBLE.sub("", str(value))


# --- amounts ----------------------------------------------------------------------------------------------

# One text amount tells its decimal convention when only one reading fits: '1.234.567', '1.234,5', '12,5' are
# Indonesian; '1,234,567', '1,234.5', '12.5' English. '250.000' or '1,500' fit both (ambiguous); '1234' fits both
# with the same value (neutral).
_ID_ONLY = re.compile(r"[0-9]{1,3}(\.[0-9]{3}){2,}(,[0-9]+)?|[0-9]{1,3}(\.[0-9]{3})+,[0-9]+|[0-9]+,([0-9]{1,2}|[0-9]{4,})|[0-9]{4,},[0-9]+")
_EN_ONLY = re.compile(r"[0-9]{1,3}(,[0-9]{3}){2,}(\.[0-9]+)?|[0-9]{1,3}(,[0-9]{3})+\.[0-9]+|[0-9]+\.([0-9]{1,2}|[0-9]{4,})|[0-9]{4,}\.[0-9]+")
_EITHER = re.compile(r"[0-9]{1,3}[.,][0-9]{3}")
_ID_FORM = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?|[0-9]+(,[0-9]+)?")
_EN_FORM = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?|[0-9]+(\.[0-9]+)?")
_ID_GROUPED = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?")
_ID_DECIMAL = re.compile(r"[0-9]+,[0-9]+")
_EN_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?")
_PREFIX = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)


def _body(text: str) -> tuple:
    """(negative, digits-and-separators) of an amount text: 'Rp (1.234)' -> (True, '1.234')."""
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    negative = text.startswith("(") and text.endswith(")")
    body = _PREFIX.sub("", text.strip("()").strip())
    if body[:1] in ("-", "\u2212"):
        negative, body = True, body[1:].strip()
    return negative, _PREFIX.sub("", body).replace(" ", "")


def convention_of(value) -> str | None:
    """'id', 'en', 'either' (fits both with different values) or None (not a text amount, or the same either way)."""
    if not isinstance(value, str):
        return None
    body = _body(value)[1]
    if _ID_ONLY.fullmatch(body):
        return "id"
    if _EN_ONLY.fullmatch(body):
        return "en"
    if _EITHER.fullmatch(body):
        return "either"
    return None


def parse_amount(value, convention: str | None = None) -> tuple:
    """Cell value -> (int | None, problem code | None, detail). Accepts numbers and texts such as '1.234.567,00',
    'Rp 1.234.567', '1,234,567.00'; '-' and empty cells are None. convention ('id' or 'en'): the file's decimal
    convention (amount_convention), which every text amount must follow. Values outside what the schema accepts
    (negative, not whole Rupiah, 10^15 or more, NaN, infinity) come back as problems, never as numbers."""
    if value is None:
        return None, None, ""
    if isinstance(value, Formula):
        return None, "rumus-tanpa-nilai", value.text
    if isinstance(value, bool):
        return None, "bukan-angka", str(value)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None, "bukan-angka", str(value)
        if abs(value) >= MONEY_MAX:
            return None, "nilai-terlalu-besar", _plain_number(value)
        number = Decimal(repr(value)).quantize(Decimal("0.01"))
    elif isinstance(value, str):
        text = value.strip()
        if text in ("", "-", "\u2013", "\u2014"):
            return None, None, ""
        negative, body = _body(text)
        if len(body) > 40:
            return None, "bukan-angka", value[:40] + "..."
        if convention == "id" and _ID_FORM.fullmatch(body):
            body = body.replace(".", "").replace(",", ".")
        elif convention == "en" and _EN_FORM.fullmatch(body):
            body = body.replace(",", "")
        elif convention in ("id", "en"):
            return None, "bukan-angka", value
        elif _ID_GROUPED.fullmatch(body) or _ID_DECIMAL.fullmatch(body):
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
    if not number.is_finite():
        return None, "bukan-angka", str(value)
    if number < 0:
        return None, "uang-negatif", str(value)
    if number >= MONEY_MAX:
        return None, "nilai-terlalu-besar", str(value)
    if number != number.to_integral_value():
        return None, "angka-tidak-bulat", str(value)
    return int(number), None, ""


def _plain_number(value: float) -> str:
    return f"{value:.6g}"


AMOUNT_ROLES = ("pagu", "realisasi", "tw1", "tw2", "tw3", "tw4")


def amount_convention(table: Table) -> tuple:
    """(convention or None, problems) of the text amounts in the table's amount columns, decided once per file:
    Indonesian '10.020.000,00' and English '10,020,000.00' in one file, or only texts that fit both ('250.000'),
    are an error rather than a guess."""
    seen: dict = {}
    for number, values in table.data:
        for role in AMOUNT_ROLES:
            if role in table.columns:
                kind = convention_of(table.cell(values, role))
                if kind and kind not in seen:
                    seen[kind] = (number, role, table.cell(values, role))
    file = table.sheet.file
    if "id" in seen and "en" in seen:
        (n1, r1, v1), (n2, r2, v2) = seen["id"], seen["en"]
        return None, [Problem(file, n2, table.where(n2, r2), "desimal-ambigu", ERROR,
                              f"Angka '{v2}' ditulis dengan titik desimal, sedangkan '{v1}' ({table.where(n1, r1)}) "
                              "dengan koma desimal; samakan format angka di seluruh berkas")]
    if "id" in seen or "en" in seen:
        return ("id" if "id" in seen else "en"), []
    if "either" in seen:
        n, r, v = seen["either"]
        return None, [Problem(file, n, table.where(n, r), "desimal-ambigu", ERROR,
                              f"Angka '{v}' dapat dibaca dua cara (titik/koma sebagai pemisah ribuan atau desimal) dan "
                              "tidak ada angka lain di berkas yang menentukannya; tulis angka lengkap, mis. "
                              "'250.000,00' atau 250000")]
    return None, []


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


class InputRefused(Exception):
    """An input file beyond a limit or not an XLSX: a problem for the editor (exit code 2), never a crash."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _check_archive(path: Path) -> None:
    """Declared sizes of the zip members (zipfile never returns more than a member declares) against the limits,
    before openpyxl reads anything: a sharedStrings or styles bomb is refused here."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputRefused("berkas-tidak-terbaca", "Berkas XLSX tidak dapat dibaca (rusak, terpotong atau bukan XLSX): "
                                                   f"{type(exc).__name__}") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputRefused("berkas-terlalu-besar", f"Berkas XLSX berisi {len(members)} bagian (batas {MAX_ZIP_MEMBERS})")
    total = 0
    for info in members:
        name = info.filename.lower()
        limit = MAX_SHEET_XML if name.startswith("xl/worksheets/") else MAX_PART_XML
        if info.file_size > limit:
            what = "sharedStrings (teks bersama)" if name.endswith("sharedstrings.xml") else info.filename
            raise InputRefused("berkas-terlalu-besar", f"Bagian {what} berkas XLSX berukuran {info.file_size:,} bita "
                                                       f"setelah diurai (batas {limit:,}); berkas ditolak".replace(",", "."))
        total += info.file_size
    if total > MAX_XLSX_TOTAL:
        raise InputRefused("berkas-terlalu-besar", f"Isi berkas XLSX {total:,} bita setelah diurai (batas "
                                                   f"{MAX_XLSX_TOTAL:,}); berkas ditolak".replace(",", "."))


def _open_book(path: Path, data_only: bool):
    import openpyxl
    _check_archive(path)
    return openpyxl.load_workbook(path, data_only=data_only, read_only=True)


def _read_xlsx(path: Path, file: str) -> tuple[list, list]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = _open_book(path, data_only=True)
            try:
                sheets = [Sheet(file, ws.title, _rows(ws), path, getattr(ws, "sheet_state", "visible") != "visible")
                          for ws in book.worksheets]
            finally:
                book.close()
    except InputRefused as exc:
        return [], [Problem(file, 0, "", exc.code, ERROR, exc.message)]
    except MemoryError:
        return [], [Problem(file, 0, "", "berkas-terlalu-besar", ERROR, "Berkas XLSX terlalu besar untuk dibaca")]
    except Exception as exc:               # openpyxl raises many kinds for damaged or foreign files
        return [], [Problem(file, 0, "", "berkas-tidak-terbaca", ERROR,
                            f"Berkas XLSX tidak dapat dibaca (rusak atau bukan XLSX): {type(exc).__name__}")]
    return sheets, []


def _rows(ws) -> list:
    """Non-empty rows with their sheet row numbers, streamed cell by cell: only cells the file holds are looked at
    (the declared dimension is not trusted, gaps are not filled), within MAX_COLUMNS, MAX_ROWS and MAX_CELL_TEXT."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser
    book = ws.parent
    rows, count = [], 0
    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            values: dict = {}
            for cell in cells:
                value = cell["value"]
                if value is None or value == "":
                    continue
                column = cell["column"]
                if column > MAX_COLUMNS:
                    raise InputRefused("berkas-terlalu-besar",
                                       f"Lembar {ws.title}: sel {get_column_letter(column)}{number} berisi nilai di luar "
                                       f"{MAX_COLUMNS} kolom pertama ({get_column_letter(MAX_COLUMNS)}); berkas ditolak")
                if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
                    raise InputRefused("berkas-terlalu-besar",
                                       f"Lembar {ws.title}: sel {get_column_letter(column)}{number} berisi teks "
                                       f"{len(value)} huruf (batas {MAX_CELL_TEXT}); berkas ditolak")
                values[column] = value
            if not values:
                continue
            count += 1
            if count > MAX_ROWS or number > MAX_ROW_NUMBER:
                raise InputRefused("berkas-terlalu-besar", f"Lembar {ws.title} berisi lebih dari {MAX_ROWS} baris "
                                                           "terisi atau baris di luar batas; berkas ditolak")
            row = [None] * max(values)
            for column, value in values.items():
                row[column - 1] = value
            rows.append((number, row))
    return rows


def mark_formulas(table: Table, problems: list) -> None:
    """Empty cells of the table that hold a formula never calculated become Formula (reported, never read as 0)."""
    if table.sheet.path is None:
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = _open_book(table.sheet.path, data_only=False)
            try:
                formulas = dict(_rows(book[table.sheet.name]))
            finally:
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
    """The one table of a CSV: its delimiter (';', ',' or tab) read from the header row; a data row with more
    filled fields than the header (e.g. ',' as delimiter and unquoted 10.020.000,00) is an error, never extra
    cells that shift the amounts."""
    problems = []
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        return [], [Problem(file, 0, "", "berkas-tidak-terbaca", ERROR, f"Berkas tidak dapat dibaca: {exc.strerror}")]
    if len(raw) > MAX_CSV_BYTES:
        return [], [Problem(file, 0, "", "berkas-terlalu-besar", ERROR,
                            f"Berkas CSV lebih dari {MAX_CSV_BYTES // (1024 * 1024)} MiB; berkas ditolak")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        problems.append(Problem(file, 0, "", "bukan-utf8", WARNING,
                                "Berkas bukan UTF-8; dibaca sebagai Windows-1252 (periksa huruf non-ASCII)"))
    if "\x00" in text:
        return [], [Problem(file, 0, "", "berkas-tidak-terbaca", ERROR, "Berkas berisi data biner, bukan CSV")]
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_CSV_LINE:
            return [], [Problem(file, number, "", "berkas-terlalu-besar", ERROR,
                                f"Baris {number} berisi {len(line)} huruf (batas {MAX_CSV_LINE}); berkas ditolak")]
    def split(line: str) -> dict:
        return {d: len(next(csv.reader([line], delimiter=d), [])) for d in ";,\t"}
    scan = lines[:HEADER_SCAN]
    header_at = next((i for i, line in enumerate(scan) if "kode" in line.lower()), None)
    if header_at is None:                      # headers mapped in laporan.yaml: the widest of the first lines
        header_at = max(range(len(scan)), key=lambda i: max(split(scan[i]).values()), default=0)
    widths = split(lines[header_at] if lines else "")
    delimiter = max(";,\t", key=lambda d: widths[d])
    rivals = [d for d in ";,\t" if d != delimiter and widths[d] == widths[delimiter] and widths[d] > 1]
    if rivals:
        names = " dan ".join(repr(d) for d in [delimiter] + rivals)
        return [], [Problem(file, header_at + 1, "", "csv-ambigu", ERROR,
                            f"Pemisah kolom tidak dapat ditentukan: baris judul terbagi sama banyak oleh {names}; "
                            "simpan ulang berkas dengan satu pemisah (';' dianjurkan)")]
    csv.field_size_limit(MAX_CSV_LINE + 1)
    rows = []
    try:
        for number, row in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
            if any(v.strip() for v in row):
                rows.append((number, [v.strip() for v in row]))
    except csv.Error as exc:
        return [], [Problem(file, 0, "", "berkas-tidak-terbaca", ERROR, f"Berkas CSV tidak dapat dibaca: {exc}")]
    width = widths[delimiter]
    if width > 1:
        for number, values in rows:
            filled = max((i + 1 for i, v in enumerate(values) if v), default=0)
            if number > header_at + 1 and filled > width:
                shown = {";": "';'", ",": "','", "\t": "tab"}[delimiter]
                return [], [Problem(file, number, "", "csv-ambigu", ERROR,
                                    f"Baris {number} berisi {filled} kolom, baris judul hanya {width}: pemisah {shown} "
                                    "rupanya juga dipakai di dalam angka (mis. 10.020.000,00 tanpa tanda kutip); "
                                    "simpan ulang dengan pemisah ';' atau beri tanda kutip pada angka")]
    return [Sheet(file, None, rows)], problems
