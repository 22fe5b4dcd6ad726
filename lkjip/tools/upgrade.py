"""upgrade tool: bring a content root written for an older content format to the current one (validate/legacy.py
lists what changed). Every year folder is upgraded in place, layout and comments kept (yamledit.py, each result
verified by parsing it again); without --tulis the changes are only shown as a diff.

What cannot be moved without inventing a fact is not invented: `capaian.metode_efisiensi` is removed (the agency
describes its efficiency method in `efisiensi`, or the report prints no efficiency verdict), the PK's own
signatories, place and date stay blank for `check` to ask for.
"""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..base.output import write_keeping_mode
from ..load.content import PROSE_DIR, PROSE_SUBDIRS, available_years, relpath
from ..load.files import ContentFileError, read_content_file
from ..load.yamlsafe import parse_yaml
from ..validate.legacy import CONTENT_FORMAT, OLD_EFFICIENCY_TEXT, RENAMES, found, upgrade_prose
from .yamledit import YamlEditError, YamlEditor


@dataclass
class YearUpgrade:
    """The upgrade of one year folder: new bytes per file, and what must be done by hand."""

    year: int
    original: dict = field(default_factory=dict)     # path -> bytes as read
    result: dict = field(default_factory=dict)       # path -> bytes to write (only changed files)
    notes: list = field(default_factory=list)        # what was done that the diff does not explain by itself
    manual: list = field(default_factory=list)       # what could not be done automatically


class _Files:
    """The year's YAML files, read once (inside the content root, bounded), edited in passes."""

    def __init__(self, root: Path, folder: Path, plan: YearUpgrade):
        self.root, self.folder, self.plan = root, folder, plan

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.yaml"

    def text(self, name: str) -> bytes | None:
        path = self.path(name)
        if path in self.plan.result:
            return self.plan.result[path]
        if path not in self.plan.original:
            if not path.exists() and not path.is_symlink():
                return None
            self.plan.original[path] = read_content_file(path, self.root)
        return self.plan.original[path]

    def data(self, name: str):
        raw = self.text(name)
        if raw is None:
            return None
        doc, problems = parse_yaml(raw, relpath(self.path(name)))
        if doc is None or problems:
            raise YamlEditError("; ".join(p.format() for p in problems) or f"{relpath(self.path(name))}: tidak terbaca")
        return doc

    def edit(self, name: str, change) -> None:
        """One pass: change(editor) on the current bytes of the file, verified by YamlEditor.result()."""
        editor = YamlEditor(self.text(name), relpath(self.path(name)))
        change(editor)
        self.plan.result[self.path(name)] = editor.result()


def _docs(files: _Files) -> dict:
    out = {}
    for name in {rule.doc for rule in RENAMES} | {"laporan"}:
        doc = files.data(name)
        if doc is not None:
            out[name] = doc
    return out


def plan_year(root: Path, year: int) -> YearUpgrade:
    plan = YearUpgrade(year)
    files = _Files(root, root / str(year), plan)
    try:
        docs = _docs(files)
        laporan = docs.get("laporan")
        if laporan is None:
            plan.manual.append(f"{relpath(files.path('laporan'))} tidak ada: tahun ini dilewati")
            return plan
        old = {(rule.doc, rule.path[-1]): [path for r, _d, path in found(docs) if r is rule] for rule in RENAMES}
        _perjanjian_kinerja(files, old, plan)
        _last_year(files, old, laporan.data, plan)
        _second_party(files, old, plan)
        _efficiency(files, old, plan)
        _legal_notes(files, old, plan)
        _prose(files, root, year, plan)
        _format(files, plan)
    except (ContentFileError, YamlEditError) as exc:
        plan.result.clear()
        plan.manual.append(f"{relpath(root / str(year))}: {getattr(exc, 'message', exc)}; tidak ada yang diubah "
                           "untuk tahun ini, ubah dengan tangan menurut pesan check")
    return plan


def _perjanjian_kinerja(files, old, plan):
    for path in old[("kinerja", "perjanjian_kinerja")]:
        files.edit("kinerja", lambda ed, p=path: ed.nest(p, "target"))
        plan.notes.append("kinerja.yaml: daftar perjanjian_kinerja dipindah ke perjanjian_kinerja.target; tempat, "
                          "tanggal dan penandatangan PK diisi sendiri (check menanyakannya)")


def _last_year(files, old, laporan, plan):
    paths = old[("kinerja", "realisasi_tahun_lalu")]
    if not paths:
        return
    previous = str(int(str(laporan.get("tahun")).strip()) - 1)
    kinerja = files.data("kinerja").data
    for path in paths:
        row = kinerja
        for part in path[:-1]:
            row = row[part]
        value = row.get("realisasi_tahun_lalu")
        if value is not None and "riwayat" in row:
            plan.manual.append(f"kinerja.yaml {path}: riwayat sudah ada; pindahkan realisasi_tahun_lalu ({value}) "
                               f"ke riwayat tahun {previous} dengan tangan")
            continue
        if value is not None:
            files.edit("kinerja", lambda ed, p=path, v=value: ed.insert_after(p, "riwayat", {previous: v}))
        files.edit("kinerja", lambda ed, p=path: ed.delete(p, comments=False))
    plan.notes.append(f"kinerja.yaml: realisasi_tahun_lalu menjadi riwayat tahun {previous}")


def _second_party(files, old, plan):
    for path in old[("laporan", "pihak_kedua")]:
        party = files.data("laporan").data.get("pihak_kedua")
        kinerja = files.data("kinerja")
        pk = kinerja.data.get("perjanjian_kinerja") if kinerja is not None else None
        if not isinstance(pk, dict) or "pihak_kedua" in pk or not isinstance(party, dict) \
                or any(isinstance(v, (dict, list)) for v in party.values()):
            plan.manual.append("laporan.yaml pihak_kedua: pindahkan ke kinerja.yaml perjanjian_kinerja.pihak_kedua "
                               "dengan tangan")
            continue
        files.edit("kinerja", lambda ed, v=party: ed.add(("perjanjian_kinerja",), "pihak_kedua", dict(v)))
        files.edit("laporan", lambda ed, p=path: ed.delete(p))          # with the comment lines above it
        plan.notes.append("laporan.yaml pihak_kedua dipindah ke kinerja.yaml perjanjian_kinerja.pihak_kedua")


def _efficiency(files, old, plan):
    for path in old[("laporan", "metode_efisiensi")]:
        laporan = files.data("laporan").data
        method = str(laporan["capaian"]["metode_efisiensi"]).strip()
        files.edit("laporan", lambda ed, p=path: ed.delete(p, comments=False))
        if "efisiensi" in laporan or method not in OLD_EFFICIENCY_TEXT:
            plan.manual.append(f"laporan.yaml capaian.metode_efisiensi ({method}) dihapus; tulis efisiensi "
                               "(metode, uraian) dengan tangan")
            continue
        files.edit("laporan", lambda ed: ed.add((), "efisiensi", {"metode": method,
                                                                   "uraian": OLD_EFFICIENCY_TEXT[method]}))
        plan.notes.append("laporan.yaml capaian.metode_efisiensi menjadi efisiensi (metode, uraian); uraian berisi "
                          "kalimat yang dicetak versi lama: sesuaikan dengan metode instansi, atau hapus efisiensi "
                          "agar laporan tidak mencetak penilaian efisiensi")


def _prose(files, root: Path, year: int, plan):
    folder = files.folder / PROSE_DIR
    paths = []
    for sub in ((), *((s,) for s in PROSE_SUBDIRS)):
        where = folder.joinpath(*sub)
        if where.is_dir() and not where.is_symlink():
            paths += sorted(p for p in where.iterdir() if p.suffix == ".md" and not p.name.startswith("."))
    changed = 0
    for path in paths:
        raw = read_content_file(path, root)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue                                     # check reports it; nothing to rename in it
        new = upgrade_prose(text)
        if new != text:
            plan.original[path] = raw
            plan.result[path] = (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + new.encode("utf-8")
            changed += 1
    if changed:
        plan.notes.append(f"{changed} berkas prosa: nama lama diganti (capaian.value -> capaian.nilai, ...)")


def _legal_notes(files, old, plan):
    paths = old[("dasar_hukum", "catatan")]
    if not paths:
        return
    doc = files.data("dasar_hukum").data
    for path in paths:
        note = doc
        for part in path:
            note = note[part]
        files.edit("dasar_hukum", lambda ed, p=path, n=note: ed.comment_above(p[:-1], f"catatan: {n}"))
        files.edit("dasar_hukum", lambda ed, p=path: ed.delete(p, comments=False))
    plan.notes.append(f"dasar_hukum.yaml: {len(paths)} catatan menjadi komentar YAML di atas butirnya (koreksi atas "
                      "sumber dinyatakan di koreksi.yaml)")


def _format(files, plan):
    laporan = files.data("laporan").data
    written = str(laporan.get("format", "")).strip()
    if written == str(CONTENT_FORMAT):
        return
    if written:
        files.edit("laporan", lambda ed: ed.set(("format",), CONTENT_FORMAT))
    elif "tahun" in laporan:
        files.edit("laporan", lambda ed: ed.insert_after(("tahun",), "format", CONTENT_FORMAT))
    else:
        files.edit("laporan", lambda ed: ed.add((), "format", CONTENT_FORMAT))


def diff_text(plan: YearUpgrade) -> str:
    out = []
    for path, new in plan.result.items():
        old = plan.original[path].decode("utf-8-sig").splitlines(keepends=True)
        lines = new.decode("utf-8-sig").splitlines(keepends=True)
        name = relpath(path).lstrip("/")
        out += difflib.unified_diff(old, lines, f"a/{name}", f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def run_upgrade(root: Path, write: bool) -> int:
    """Show (and with write, apply) the upgrade of every year folder under root. 0: done or nothing to do; 1: some
    step must be done by hand (those years are left as they are)."""
    plans = [plan_year(root, year) for year in available_years(root)]
    changed = [p for p in plans if p.result]
    for plan in changed:
        sys.stdout.write(diff_text(plan))
    manual = [m for p in plans for m in p.manual]
    for plan in changed:
        for note in plan.notes:
            print(f"{plan.year}: {note}", file=sys.stderr)
    for line in manual:
        print(f"perlu tangan: {line}", file=sys.stderr)
    if not changed:
        print(f"Konten di {relpath(root)} sudah format {CONTENT_FORMAT}; tidak ada yang diubah.", file=sys.stderr)
        return 1 if manual else 0
    files = sum(len(p.result) for p in changed)
    if not write:
        print(f"{files} berkas akan diubah ke format konten {CONTENT_FORMAT}; belum ada yang ditulis (ulangi dengan "
              "--tulis).", file=sys.stderr)
        return 1 if manual else 0
    for plan in changed:
        for path, data in plan.result.items():
            if read_content_file(path, root) != plan.original[path]:
                print(f"build.py: galat: {relpath(path)} berubah sejak dibaca; jalankan upgrade lagi", file=sys.stderr)
                return 1
            write_keeping_mode(path, data)
    print(f"{files} berkas ditulis dalam format konten {CONTENT_FORMAT}. Jalankan check untuk isian yang masih "
          "kosong.", file=sys.stderr)
    return 1 if manual else 0
