"""new-year tool: scaffold content/<tahun>/ from the latest year, editing YAML by node position (yamledit) so that
layout, comments and line endings stay and diffs stay small.

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
from .shape import PK_KINDS, is_leaf, program_items, value_at
from .yamledit import YamlEditError, YamlEditor


class ScaffoldError(Exception):
    pass


def _keys(data, names, path=()):
    """Paths of every mapping key in `names`, anywhere in data."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in names:
                yield path + (key,)
            else:
                yield from _keys(value, names, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _keys(value, names, path + (i,))


def _laporan(ed: YamlEditor, year: int) -> None:
    data = ed.data
    ed.set(("tahun",), year)
    month = re.fullmatch(r"\d{4}-(\d\d)", str(data.get("tanggal") or ""))
    if month:
        ed.set(("tanggal",), f"{year + 1}-{month.group(1)}")
    if "draf" in data:
        ed.set(("draf",), True)
    else:
        ed.add((), "draf", True)
    if "dinyatakan_sumber" in data:
        ed.delete(("dinyatakan_sumber",))


def _program(ed: YamlEditor, year: int, renstra: dict) -> None:
    for level, path, item in list(program_items(ed.data)):
        leaf = is_leaf(level, item)
        for key in ("dinyatakan_sumber", "realisasi_tahun_lalu"):
            if key in item:
                ed.delete(path + (key,))
        if "realisasi" in item and item["realisasi"] is not None:
            ed.set(path + ("realisasi",), None, null="")
        money = item.get("anggaran")
        if isinstance(money, dict) and money.get("realisasi") is not None:
            ed.set(path + ("anggaran", "realisasi"), None)
        row = next((r for r in renstra.get(item["kode"], ()) if r.year == year and r.target is not None), None)
        if leaf and row is not None:
            if "target" in item:
                ed.set(path + ("target",), row.target)
            if row.unit and "satuan" in item:
                ed.set(path + ("satuan",), row.unit)


def _kinerja(ed: YamlEditor) -> None:
    """Realisations emptied; a new year's Perjanjian Kinerja has its own date, signatories and supporting
    activities, so those are dropped (a PK Perubahan belongs to its year only)."""
    if "perjanjian_kinerja_perubahan" in ed.data:
        ed.delete(("perjanjian_kinerja_perubahan",))
    pk = ed.data.get("perjanjian_kinerja")
    if isinstance(pk, dict):
        for key in ("tempat", "tanggal", "dukungan", "anggaran"):
            if key in pk:
                ed.delete(("perjanjian_kinerja", key))
        for side in ("pihak_kesatu", "pihak_kedua"):
            for key in ("nama", "nip", "pangkat"):
                if isinstance(pk.get(side), dict) and key in pk[side]:
                    ed.delete(("perjanjian_kinerja", side, key))
    for path in list(_keys(ed.data, ("realisasi_tahun_lalu", "jumlah", "realisasi"))):
        if path[0] in PK_KINDS:
            continue
        if path[-1] == "realisasi_tahun_lalu":
            ed.delete(path)
        elif value_at(ed.data, path) is not None:
            ed.set(path, None)


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
    if problems or found:
        raise ScaffoldError(f"konten {source_year} masih bermasalah; jalankan check --year {source_year} dahulu")
    renstra = renstra_index(typed.get("matriks"))
    tmp = root / f".{year}.baru"
    if tmp.exists():
        shutil.rmtree(tmp)
    # corrections, the review statement and the LKE evidence belong to their year
    shutil.copytree(root / str(source_year), tmp, ignore=shutil.ignore_patterns("koreksi.yaml", "reviu.yaml", "lke.yaml"))
    edits = {"laporan.yaml": lambda ed: _laporan(ed, year), "program.yaml": lambda ed: _program(ed, year, renstra),
             "kinerja.yaml": _kinerja}
    try:
        for name, edit in edits.items():
            path = tmp / name
            editor = YamlEditor(path.read_bytes(), f"{source_year}/{name}")
            edit(editor)
            path.write_bytes(editor.result())
    except YamlEditError as exc:
        shutil.rmtree(tmp)
        raise ScaffoldError(f"{exc} (kesalahan internal new-year; tidak ada yang ditulis)") from exc
    tmp.rename(target)
    return target
