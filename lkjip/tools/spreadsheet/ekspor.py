"""ekspor tool: every table of the report into output/lkjip-TAHUN-tabel.xlsx, one sheet each in report order.

The tables are the TableSpecs the DOCX is built from, found and numbered by walking the same outline; numbers are
written as numbers (Cell.value) with display formats derived from the report's own text ('88,33%' -> 0.8833 shown
as 0.00%, '1.485 orang' -> 1485 shown as #,##0" orang"). Fixed timestamps: same content, same bytes.
"""
from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

from ... import pipeline
from ...base.fmt import round_half_up
from ...base.output import write_atomic
from ...base.problems import has_errors, without_declared
from ...base.shape import output_stem
from ...load.content import relpath
from ...render.build import report_datetime
from ...render.numbering import TABLE, captions
from ...render.tables import Cell, TableSpec, build_table, header_grid
from .workbook import put as put_value
from .workbook import save

MAX_WIDTH, MIN_WIDTH = 60, 5         # column widths in characters
LINE_HEIGHT = 15                     # points per text line (Calibri 11, openpyxl's default font)
LOCALE = "[$-421]"                   # Indonesian: LibreOffice shows 1.234,5 whatever the system; Excel follows Windows
_NUMBER_TEXT = re.compile(r"(-?(?:\d{1,3}(?:\.\d{3})+|\d+))(?:,(\d+))?(%|\s\S.*)?")


def report_tables(report, markdown: str, specs: dict | None = None, prose: dict | None = None) -> list:
    """(label, TableSpec) for every table of the outline, numbered as the DOCX captions are ('Tabel 3.2'):
    render/numbering.py walks the outline and its prose sections (prose: rendered prose by section, the plan's)."""
    tables = []
    specs = {args: spec for (kind, args), spec in (specs or {}).items() if kind == "tabel"}
    for caption in captions(markdown, prose):
        if caption.kind != TABLE:
            continue
        if caption.args is not None:
            if caption.args not in specs:
                specs[caption.args] = build_table(caption.args, report)
            tables.append((caption.label, specs[caption.args]))
        else:                                     # a pipe table written in the prose
            tokens, i = caption.tokens, caption.start
            cells, row, j = [], None, i
            while tokens[j].type != "table_close":
                if tokens[j].type == "tr_open":
                    row = []
                elif tokens[j].type == "inline":
                    row.append("".join(c.content for c in tokens[j].children or ()
                                           if c.type in ("text", "code_inline")))
                elif tokens[j].type == "tr_close":
                    cells.append(row)
                j += 1
            header, body = cells[0], cells[1:]
            tables.append((caption.label,
                           TableSpec("", tuple([1.0] * len(header)), [[Cell(t, align="c", bold=True) for t in header]],
                                     [([Cell(t) for t in r], False) for r in body], numbered=False)))
    return tables


def number_cell(cell):
    """(value, number format) for a cell with a number behind it, or None to keep it as text."""
    if cell.value is None:
        return None
    match = _NUMBER_TEXT.fullmatch(cell.text.strip())
    if not match:
        return None
    places = len(match.group(2) or "")
    suffix = match.group(3) or ""
    rounded = round_half_up(Decimal(cell.value), places)
    if Decimal(match.group(1).replace(".", "") + (f".{match.group(2)}" if places else "")) != rounded:
        return None                       # the text does not show this number: keep the text
    decimals = "." + "0" * places if places else ""
    if suffix == "%":
        return float(rounded / 100), f"{LOCALE}0{decimals}%"
    value = int(rounded) if not places else float(rounded)
    unit = f'"{suffix.replace(chr(34), "")}"' if suffix else ""
    return value, f"{LOCALE}#,##0{decimals}{unit}"


def _sheet_name(label: str, used: set) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", label)[:31]
    base, n = name, 2
    while name in used:
        tail = f" ({n})"
        name, n = base[:31 - len(tail)] + tail, n + 1
    used.add(name)
    return name


def write_sheet(ws, label: str, spec, source: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    ncols = len(spec.widths)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin) if spec.borders else Border()
    align = {"l": "left", "r": "right", "c": "center"}
    widths = [0] * ncols
    written = []                       # (row, column, span, text) for row heights

    def put(row, col, cell, bold, header=False, rowspan=1):
        target = ws.cell(row=row, column=col + 1)
        number = None if header else number_cell(cell)
        if number:
            put_value(target, number[0])
            target.number_format = number[1]
        else:
            put_value(target, cell.text)
        target.font = Font(bold=bold or cell.bold)
        wrap = header or len(cell.text) > MAX_WIDTH
        written.append((row, col, cell.span, "" if number else cell.text))
        target.alignment = Alignment(horizontal="center" if header else align[cell.align], vertical="top" if not header
                                     else "center", wrap_text=wrap)
        if cell.span > 1 or rowspan > 1:
            ws.merge_cells(start_row=row, start_column=col + 1, end_row=row + rowspan - 1, end_column=col + cell.span)
        for r in range(row, row + rowspan):
            for c in range(col + 1, col + cell.span + 1):
                ws.cell(row=r, column=c).border = border
        if cell.span == 1:
            words = max((len(w) for w in cell.text.split()), default=0)
            widths[col] = max(widths[col], min(len(cell.text), max(words, 14)) if header else len(cell.text))

    put_value(ws.cell(row=1, column=1), f"{label} {spec.caption}".strip()).font = Font(bold=True)
    put_value(ws.cell(row=2, column=1), source).font = Font(italic=True)
    row = 4
    for placed in header_grid(spec.header, ncols):
        for col, cell, continues in placed:
            if not continues:
                put(row, col, cell, True, header=True, rowspan=cell.rowspan)
        row += 1
    if spec.numbered:
        for col in range(ncols):
            put(row, col, _plain(f"({col + 1})"), False, header=True)
        row += 1
    first_body = row
    for cells, bold in spec.rows:
        col = 0
        for cell in cells:
            put(row, col, cell, bold)
            col += cell.span
        row += 1
    if spec.note:                      # what the DOCX prints under the table, under it here too
        put_value(ws.cell(row=row + 1, column=1), spec.note).font = Font(italic=True)
    if first_body > 4:
        ws.freeze_panes = f"A{first_body}"
        ws.print_title_rows = f"4:{first_body - 1}"
    widths = [max(MIN_WIDTH, min(width, MAX_WIDTH)) + 2 for width in widths]
    for col, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(col + 1)].width = width
    lines: dict = {}                   # wrapped text needs taller rows (neither Excel nor LibreOffice sizes them on load)
    for r, col, span, text in written:
        room = max(sum(widths[col:col + span]) - 2, 1)
        lines[r] = max(lines.get(r, 1), sum(-(-max(len(part), 1) // room) for part in text.split("\n")))
    for r, count in lines.items():
        if count > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * count
    if spec.landscape:
        ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _plain(text: str):
    return Cell(text, align="c")


def workbook_bytes(report, markdown: str, specs: dict | None = None, prose: dict | None = None) -> bytes:
    from openpyxl import Workbook
    stamp = report_datetime(report)
    wb = Workbook()
    wb.remove(wb.active)
    source = f"Sumber: {report.laporan['judul']} {report.instansi['nama']} Tahun {report.tahun}."
    used: set = set()
    for label, spec in report_tables(report, markdown, specs, prose):
        write_sheet(wb.create_sheet(_sheet_name(label, used)), label, spec, source)
    props = wb.properties
    props.title = f"Tabel {report.laporan['singkatan']} {report.instansi['nama']} Tahun {report.tahun}"
    props.creator = props.lastModifiedBy = report.instansi["nama"]
    props.created = props.modified = stamp
    return save(wb, stamp)


def run_export(root: Path, year: int, output_dir: Path) -> int:
    result = pipeline.check(root, year)
    for problem in without_declared(result.problems):
        print(problem.format())
    if has_errors(result.problems) or result.report is None or result.plan is None:
        print("Tabel tidak diekspor karena konten masih mengandung galat.", file=sys.stderr)
        return 1
    target = Path(output_dir) / f"{output_stem(result.report.laporan, year)}-tabel.xlsx"
    write_atomic(target, workbook_bytes(result.report, result.plan.markdown, result.plan.specs, result.plan.prose))
    print(f"Tabel laporan ditulis ke {relpath(target)}", file=sys.stderr)
    return 0
