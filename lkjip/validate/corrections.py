"""Validate stage (meaning): declared corrections of the source document (koreksi.yaml), resolved to file:line.

Every value of the content that differs from what the source printed is declared once, with the printed value,
where it was printed and why: `check` lists reviewed corrections as notes (unreviewed ones as warnings), and a
declared source figure (`dinyatakan_sumber`) that disagrees with the computed one becomes a note instead of a
warning once a correction explains it. `output/koreksi-TAHUN.md` lists them all for the reviewer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from ..base.problems import ERROR, NOTE, WARNING, Problem
from ..base.shape import value_at
from ..load.yamlsafe import format_path


@dataclass(frozen=True)
class Correction:
    file: str                  # the corrected file, as printed in messages
    line: int
    path: str                  # key path inside it ("" for a prose file)
    sumber: str | None         # the value as printed in the source (None: the file's own declared figure)
    konten: str | None         # the value in the content now
    lokasi_sumber: str
    alasan: str
    ditinjau: bool
    temuan: str | None = None  # for a declared source figure: the consistency finding it explains


def _join_selector_parts(text: str) -> list:
    """Split on dots outside brackets (codes inside [kode=1.06.01] contain dots)."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def resolve_path(data, text: str) -> tuple | None:
    """Concrete key path (keys and indices) for a path with optional [kode=...]/[id=...] selectors, or None."""
    path, node = [], data
    for part in _join_selector_parts(text):
        m = re.fullmatch(r"([^\[\]]+)?((?:\[[^\]]+\])*)", part)
        if not m:
            return None
        key, brackets = m.group(1), m.group(2)
        if key is not None:
            if not isinstance(node, dict) or key not in node:
                return None
            path.append(key)
            node = node[key]
        for sel in re.findall(r"\[([^\]]+)\]", brackets):
            if not isinstance(node, list):
                return None
            if sel.isdigit():
                index = int(sel)
            else:
                field, _, value = sel.partition("=")
                index = next((i for i, item in enumerate(node) if isinstance(item, dict) and item.get(field) == value),
                             None)
            if index is None or index >= len(node):
                return None
            path.append(index)
            node = node[index]
    return tuple(path)


def find_by(data, field: str, value: str, path=()) -> tuple | None:
    """Path of the first mapping anywhere in data whose `field` equals value."""
    if isinstance(data, dict):
        if data.get(field) == value:
            return tuple(path)
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, child in items:
        found = find_by(child, field, value, (*path, key))
        if found is not None:
            return found
    return None


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    a, b = str(a).strip(), str(b).strip()
    try:
        return Decimal(a) == Decimal(b)
    except Exception:
        return a == b


def resolve(koreksi, docs: dict, prose: dict) -> tuple[tuple, list[Problem]]:
    """(Correction records, problems) for the typed koreksi.yaml (or None)."""
    if not koreksi:
        return (), []
    own = docs["koreksi"]
    records, problems = [], []
    for i, entry in enumerate(koreksi["koreksi"]):
        where = ("koreksi", i)
        berkas = entry["berkas"]
        reviewed = bool(entry.get("ditinjau"))
        if berkas.startswith("prosa/"):
            key = berkas[len("prosa/"):-len(".md")]
            if key not in prose:
                problems.append(Problem(own.file, own.line_of(where + ("berkas",)), format_path(where + ("berkas",)),
                                        "koreksi-tidak-ditemukan", ERROR, f"Berkas prosa {berkas} tidak ada"))
                continue
            records.append(Correction(prose[key][0], 1, "", entry.get("sumber"), None, entry["lokasi_sumber"],
                                      entry["alasan"], reviewed))
            continue
        name = berkas[:-len(".yaml")]
        doc = docs.get(name)
        if doc is None:
            problems.append(Problem(own.file, own.line_of(where + ("berkas",)), format_path(where + ("berkas",)),
                                    "koreksi-tidak-ditemukan", ERROR, f"Berkas {berkas} tidak ada"))
            continue
        if entry.get("jalur"):
            path = resolve_path(doc.data, entry["jalur"])
        elif not entry.get("kode") and not entry.get("id"):
            path = ()                                   # the file as a whole
        else:
            field = "kode" if entry.get("kode") else "id"
            base = find_by(doc.data, field, entry[field])
            inner = () if base is None or not entry.get("kunci") else resolve_path(value_at(doc.data, base), entry["kunci"])
            path = None if base is None or inner is None else base + inner
        if path is None or not _exists(doc.data, path):
            what = entry.get("jalur") or (f"{'kode' if entry.get('kode') else 'id'} {entry.get('kode') or entry.get('id')}"
                                          + (f", kunci {entry['kunci']}" if entry.get("kunci") else ""))
            problems.append(Problem(own.file, own.line_of(where), format_path(where), "koreksi-tidak-ditemukan", ERROR,
                                    f"Nilai yang dikoreksi tidak ditemukan di {berkas}: {what}"))
            continue
        current = value_at(doc.data, path)
        if entry.get("sumber") is not None and _same(current, entry["sumber"]):
            problems.append(Problem(own.file, own.line_of(where + ("sumber",)), format_path(where + ("sumber",)),
                                    "koreksi-tidak-berbeda", WARNING,
                                    f"Nilai sumber '{entry['sumber']}' sama dengan nilai konten; koreksi ini tidak diperlukan"))
        records.append(Correction(doc.file, doc.line_of(path), format_path(path), entry.get("sumber"),
                                  None if isinstance(current, (dict, list)) else current, entry["lokasi_sumber"],
                                  entry["alasan"], reviewed))
    return tuple(records), problems


def _exists(data, path) -> bool:
    try:
        value_at(data, path)
        return True
    except (KeyError, IndexError, TypeError):
        return False


def settle(problems: list[Problem], records: tuple) -> tuple[list[Problem], tuple]:
    """Declared-figure findings explained by a correction become notes; every correction is listed once."""
    by_place = {(r.file, r.path): r for r in records}
    out, explained = [], {}
    for p in problems:
        record = by_place.get((p.file, p.path))
        if record is not None and p.code == "angka-sumber-berbeda":
            explained[(p.file, p.path)] = p.message
            continue
        out.append(p)
    settled = []
    for r in records:
        finding = explained.get((r.file, r.path))
        r = replace(r, temuan=finding) if finding else r
        settled.append(r)
        if r.sumber is not None and r.konten is not None:
            text = f"Nilai sumber '{r.sumber}' ({r.lokasi_sumber}) dikoreksi menjadi '{r.konten}': {r.alasan}"
        elif r.sumber is not None:
            text = f"Sumber mencetak '{r.sumber}' ({r.lokasi_sumber}): {r.alasan}"
        elif finding:
            text = f"{finding}. Penjelasan ({r.lokasi_sumber}): {r.alasan}"
        else:
            text = f"Koreksi atas sumber ({r.lokasi_sumber}): {r.alasan}"
        if r.ditinjau:
            out.append(Problem(r.file, r.line, r.path, "koreksi-sumber", NOTE, text))
        else:
            out.append(Problem(r.file, r.line, r.path, "koreksi-belum-ditinjau", WARNING,
                               text + " (belum ditinjau: isi ditinjau: true setelah diperiksa)"))
    return out, tuple(settled)


def listing(records: tuple, year: int, abbreviation: str = "LKjIP") -> str:
    """Markdown list of every correction for the reviewer (output/koreksi-TAHUN.md, check --koreksi)."""
    lines = [f"# Koreksi atas dokumen sumber, {abbreviation} {year}", "",
             f"{len(records)} nilai konten berbeda dari yang tercetak di sumber; masing-masing dengan alasannya.", "",
             "| No | Letak di konten | Nilai tercetak di sumber | Nilai di konten/laporan | Letak di sumber | Alasan | Ditinjau |",
             "|---:|---|---|---|---|---|---|"]

    def cell(text) -> str:
        return "-" if text in (None, "") else str(text).replace("|", "\\|").replace("\n", " ")

    for n, r in enumerate(records, start=1):
        where = f"{r.file}:{r.line}" + (f" ({r.path})" if r.path else "")
        printed, shown = r.sumber, r.konten
        if r.temuan:
            printed, shown = r.temuan, None
        lines.append(f"| {n} | {cell(where)} | {cell(printed)} | {cell(shown)} | {cell(r.lokasi_sumber)} | "
                     f"{cell(r.alasan)} | {'ya' if r.ditinjau else 'belum'} |")
    return "\n".join(lines) + "\n"
