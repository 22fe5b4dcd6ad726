"""new-year tool: scaffold content/<tahun>/ from the latest year, keeping each file's layout so diffs stay small.

Structure and prose are carried over; targets come from the Renstra for the new year where the matrix has one;
realisasi (kinerja and anggaran), IKU component counts and the source's declared figures are emptied; the report
is marked as a draft. `check` then warns "belum diisi" for every figure still to fill.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .compute.budget import renstra_index
from .load import available_years, load
from .schema import validate


class ScaffoldError(Exception):
    pass


def _drop_block(lines: list[str], key: str) -> list[str]:
    """Remove a top-level `key:` and its indented block."""
    out, skipping = [], False
    for line in lines:
        if re.match(rf"^{re.escape(key)}:", line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "#")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return out


def _scalar(text: str) -> str:
    """A YAML scalar for text: plain when safe, else double-quoted."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 ./()-]*", text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _laporan(text: str, year: int) -> str:
    lines = _drop_block(text.splitlines(), "dinyatakan_sumber")
    out = []
    for line in lines:
        line = re.sub(r"^tahun: \d{4}", f"tahun: {year}", line)
        line = re.sub(r"^tanggal: \d{4}-(\d\d)", lambda m: f"tanggal: {year + 1}-{m.group(1)}", line)
        line = re.sub(r"^draf: \w+", "draf: true", line)
        out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def _program(text: str, year: int, renstra: dict) -> str:
    out, code = [], None
    for line in text.splitlines():
        match = re.match(r'^\s*- kode: "([\d.]+)"', line)
        if match:
            code = match.group(1)
        if re.match(r"^\s*(dinyatakan_sumber|realisasi_tahun_lalu):", line):
            continue
        field = re.match(r"^(\s+)(target|satuan): (.*)$", line)
        if field and code and code.count(".") == 5:
            row = next((r for r in renstra.get(code, ()) if r.year == year and r.target is not None), None)
            if row is not None and field.group(2) == "target":
                line = f"{field.group(1)}target: {row.target}"
            elif row is not None and row.unit:
                line = f"{field.group(1)}satuan: {_scalar(row.unit)}"
        line = re.sub(r"^(\s+)realisasi: .*$", r"\1realisasi:", line)
        line = re.sub(r"anggaran: \{pagu: (\d+), realisasi: [^}]*\}", r"anggaran: {pagu: \1, realisasi: null}", line)
        out.append(line)
    return "\n".join(out) + "\n"


def _drop_nested(lines: list[str], keys: tuple) -> list[str]:
    """Remove `key:` lines at any depth with everything indented deeper below them."""
    out, depth = [], None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if depth is not None and (not line.strip() or indent > depth):
            continue
        depth = None
        match = re.match(r"^(\s*)([a-z_]+):", line)
        if match and match.group(2) in keys:
            depth = len(match.group(1))
            continue
        out.append(line)
    return out


def _kinerja(text: str) -> str:
    """A new year's PK has its own date, signatories and supporting activities: those are dropped."""
    out = []
    for line in _drop_nested(text.splitlines(), ("dukungan", "tanggal", "tempat", "nama", "nip", "pangkat")):
        if re.match(r"^\s*realisasi_tahun_lalu:", line):
            continue
        line = re.sub(r"^(\s+)jumlah: \d+", r"\1jumlah: null", line)
        line = re.sub(r"^(\s+)realisasi: [\d.]+$", r"\1realisasi: null", line)
        out.append(line)
    return "\n".join(out) + "\n"


def new_year(root: Path, year: int) -> Path:
    target = root / str(year)
    if target.exists():
        raise ScaffoldError(f"{target} sudah ada; new-year tidak menimpa tahun yang sudah ada")
    earlier = [y for y in available_years(root) if y < year]
    if not earlier:
        raise ScaffoldError(f"tidak ada folder tahun sebelum {year} di {root} untuk dijadikan dasar")
    source_year = earlier[-1]
    content, problems = load(root, source_year)
    typed, found = validate(content.docs)
    if problems or found or "matriks" not in typed:
        raise ScaffoldError(f"konten {source_year} masih bermasalah; jalankan check --year {source_year} dahulu")
    renstra = renstra_index(typed["matriks"])
    tmp = root / f".{year}.baru"
    if tmp.exists():
        shutil.rmtree(tmp)
    shutil.copytree(root / str(source_year), tmp, ignore=shutil.ignore_patterns("koreksi.yaml"))
    edits = {"laporan.yaml": lambda t: _laporan(t, year), "program.yaml": lambda t: _program(t, year, renstra),
             "kinerja.yaml": _kinerja}
    for name, edit in edits.items():
        path = tmp / name
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    tmp.rename(target)
    return target
