"""Validate stage: content written for an older format of the content (laporan.yaml `format`). Each rename or move
since the first release is listed once here; `check` answers an old key with what replaced it and the command that
upgrades the content (tools/upgrade.py applies the same list), instead of a bare "unknown key".

A content root without `format` is read by its keys: content written for the current release has no old key, so
it needs nothing; an old key marks it as the format before the change that removed the key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..base.problems import ERROR, Problem
from ..load.yamlsafe import format_path

CONTENT_FORMAT = 2                   # the format this version writes and reads; schema/laporan.yaml `format` max
UPGRADE_COMMAND = "python build.py upgrade (atau make upgrade)"


@dataclass(frozen=True)
class Rename:
    doc: str                         # document name (laporan, kinerja, ...)
    path: tuple                      # key path; "*" matches every list index
    old: str                         # what the old content says, in the editor's words
    new: str                         # what replaces it
    since: int                       # the first format without the old key
    shape: type | None = None        # the old value's type when the key itself stayed (a list that became a mapping)


RENAMES = (
    Rename("kinerja", ("perjanjian_kinerja",), "perjanjian_kinerja sebagai daftar target",
           "perjanjian_kinerja.target (perjanjian_kinerja kini pemetaan: target, tempat, tanggal, pihak_kesatu, "
           "pihak_kedua)", 2, list),
    Rename("kinerja", ("realisasi_indikator", "*", "realisasi_tahun_lalu"), "realisasi_tahun_lalu",
           "riwayat: {TAHUN: nilai} (realisasi tahun-tahun sebelumnya per tahun)", 2),
    Rename("laporan", ("pihak_kedua",), "pihak_kedua di laporan.yaml",
           "perjanjian_kinerja.pihak_kedua di kinerja.yaml (Perjanjian Kinerja punya penandatangannya sendiri)", 2),
    Rename("laporan", ("capaian", "metode_efisiensi"), "capaian.metode_efisiensi",
           "efisiensi: {metode, uraian} (analisis efisiensi hanya dicetak bila instansi menguraikan metodenya)", 2),
    Rename("dasar_hukum", ("dasar_hukum", "*", "catatan"), "catatan pada butir dasar hukum",
           "komentar YAML (# ...) di atas butirnya; koreksi atas sumber dinyatakan di koreksi.yaml", 2),
)


# What versions before format 2 printed for `r.efisiensi_metode` (their own words for the chosen method): upgrade
# keeps it as the content's `efisiensi.uraian`, so that the upgraded report says what the old one said.
OLD_EFFICIENCY_TEXT = {
    "capaian_vs_serapan": "membandingkan rata-rata capaian kinerja sub kegiatan yang terukur dengan serapan anggaran "
                          "program; program dinilai efisien bila capaian kinerja tidak lebih rendah dari serapan "
                          "anggaran.",
}


@dataclass(frozen=True)
class ProseRename:
    pattern: str                     # regex inside a Jinja expression ({{ }} or {% %})
    old: str
    new: str                         # also the replacement text
    since: int


PROSE_RENAMES = (
    ProseRename(r"\bcapaian\.value\b", "capaian.value", "capaian.nilai", 2),
    ProseRename(r"\bcapaian_akhir(?=\s*\|)", "capaian_akhir (dahulu angka)", "capaian_akhir.nilai", 2),
    ProseRename(r"\br\.efisiensi_metode\b", "r.efisiensi_metode", "r.efisiensi.uraian", 2),
)
EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def prose_matches(text: str):
    """(start, end, ProseRename) of every old name inside the Jinja expressions of a prose text."""
    for expression in EXPRESSION.finditer(text):
        for rule in PROSE_RENAMES:
            for hit in re.finditer(rule.pattern, expression.group()):
                yield expression.start() + hit.start(), expression.start() + hit.end(), rule


def upgrade_prose(text: str) -> str:
    out, position = [], 0
    for start, end, rule in sorted(prose_matches(text), key=lambda m: m[0]):
        out += [text[position:start], rule.new]
        position = end
    return "".join(out) + text[position:]


def legacy_prose_problems(prose: dict) -> list[Problem]:
    """prose: section -> (file, text). One format-lama error per old name, at its line."""
    out = []
    for _name, (file, text) in sorted(prose.items()):
        for start, _end, rule in prose_matches(text):
            out.append(Problem(file, text.count("\n", 0, start) + 1, "", "format-lama", ERROR,
                               f"Nama prosa '{rule.old}' diganti '{rule.new}' sejak format konten {rule.since}; "
                               f"jalankan {UPGRADE_COMMAND} untuk memperbarui prosa"))
    return out


def matches(data, pattern: tuple, prefix: tuple = ()):
    """(path, value) of every place in data that the key pattern names."""
    if not pattern:
        yield prefix, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from matches(item, rest, prefix + (i,))
    elif isinstance(data, dict) and head in data:
        yield from matches(data[head], rest, prefix + (head,))


def found(docs: dict):
    """(Rename, document, path) for every old key in the loaded documents."""
    for rule in RENAMES:
        doc = docs.get(rule.doc)
        if doc is None:
            continue
        for path, value in matches(doc.data, rule.path):
            if rule.shape is None or isinstance(value, rule.shape):
                yield rule, doc, path


def legacy_problems(docs: dict) -> list[Problem]:
    """One format-lama error per old key, with its line; empty for content of the current format."""
    return [Problem(doc.file, doc.line_of(path), format_path(path), "format-lama", ERROR,
                    f"{rule.old} diganti {rule.new} sejak format konten {rule.since}; jalankan {UPGRADE_COMMAND} "
                    f"untuk memperbarui konten (lihat CHANGELOG, bagian Upgrading)")
            for rule, doc, path in found(docs)]


def without_superseded(problems: list, legacy: list) -> list:
    """The schema's problems minus those about the old keys (unknown key, wrong type): the format-lama error
    already says what to do there."""
    places = [(p.file, p.path) for p in legacy]

    def superseded(problem) -> bool:
        return any(problem.file == file and (problem.path == path or problem.path.startswith(path + ".")
                                              or problem.path.startswith(path + "["))
                   for file, path in places)
    return [p for p in problems if not superseded(p)]
