"""Shared by tools (new-year, impor-anggaran): the code tree of program.yaml, with leaves found generically."""
from __future__ import annotations

import re

CODE_TEXT = re.compile(r"\d+(\.\d+)*")


def coded_items(data, path: tuple = ()) -> list:
    """(path, mapping, is_leaf) for every mapping that carries `kode`, children before parents. A leaf has no mapping
    with `kode` below it: sub kegiatan under Permendagri 90/2019, kegiatan in the older program -> kegiatan tree."""
    found: list = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += coded_items(value, path + (key,))
        if "kode" in data:
            found.append((path, data, not any(len(p) > len(path) for p, _m, _l in found)))
    elif isinstance(data, (list, tuple)):
        for i, value in enumerate(data):
            found += coded_items(value, path + (i,))
    return found


def code_key(code) -> tuple | None:
    """Codes compared by their numbers, so '1.06.01.2.01.0001' (newer nomenclature) matches '1.06.01.2.01.01'."""
    text = str(code).strip()
    if not CODE_TEXT.fullmatch(text):
        return None
    return tuple(int(part) for part in text.split("."))
