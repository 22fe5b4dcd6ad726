"""new-year tool: scaffold content/<tahun>/ from the latest year, editing YAML by node position (yamledit) so that
layout, comments and line endings stay and diffs stay small.

Structure and prose are carried over, the agency's own DPA targets and units included (a leaf marked
`target_dari_renstra: ya` takes the Renstra matrix's target for the new year, when the units agree);
realisasi (kinerja and anggaran), IKU component counts and the source's declared figures are emptied; the report
is marked as a draft. `check` then warns "belum diisi" for every figure still to fill.

Only regular files inside the year folder are copied, and links are never followed: a symbolic link (to a file or
a folder, inside or outside the content), a FIFO, socket or device is listed as a warning and left out, as is a
file above MAX_COPY_FILE. The copy is staged in a fresh hidden folder beside the new year (`.<tahun>.baru-*`),
which is removed on every failure, Ctrl-C included: the year folder appears complete or not at all.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from ...compute.budget import renstra_index
from ...load.content import available_years, load, relpath
from ...load.yamlsafe import format_path
from ...base.problems import WARNING, Problem
from ...validate.schema import validate
from ...base.shape import PK_KINDS, is_leaf, program_items, value_at
from ..yamledit import YamlEditError, YamlEditor


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


def _program(ed: YamlEditor, year: int, renstra: dict, skipped: list) -> None:
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
        if not (leaf and str(item.get("target_dari_renstra", "")).strip().lower() in ("true", "ya")):
            continue                     # the agency's own target and unit stay until its new DPA says otherwise
        row = next((r for r in renstra.get(item["kode"], ()) if r.year == year and r.target is not None), None)
        line = ed._walk(path)[1].start_mark.line + 1
        unit = str(item.get("satuan") or "").strip()
        if row is None:
            skipped.append(Problem(ed.file, line, format_path(path), "target-renstra-tidak-ada", WARNING,
                                   f"{item['kode']}: matriks Renstra tidak memuat target {year}; target DPA tahun lalu "
                                   "dibawa"))
        elif row.unit and unit and row.unit.strip().lower() != unit.lower():
            skipped.append(Problem(ed.file, line, format_path(path), "satuan-renstra-berbeda", WARNING,
                                   f"{item['kode']}: satuan Renstra '{row.unit}' berbeda dari satuan DPA '{unit}'; "
                                   "target tidak diambil dari Renstra (satuan tidak dicampur)"))
        else:
            ed.set(path + ("target",), row.target) if "target" in item else ed.add(path, "target", row.target)
            if row.unit and not unit:
                ed.add(path, "satuan", row.unit)



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
    # every realisation of the year is emptied: direct values, component counts, numerator and denominator (last
    # year's 9 / 8.233 would otherwise print as this year's figure), and the quarters of the Rencana Aksi
    for path in list(_keys(ed.data, ("realisasi_tahun_lalu", "jumlah", "realisasi", "pembilang", "penyebut"))):
        if path[0] in PK_KINDS:
            continue
        if path[-1] == "realisasi_tahun_lalu" or (path[0] == "rencana_aksi" and path[-1] == "realisasi"):
            ed.delete(path)
        elif value_at(ed.data, path) is not None:
            ed.set(path, None)


MAX_COPY_FILE = 32 * 1024 * 1024        # one file copied into the new year (content files are read up to 8 MiB)
MAX_COPY_TOTAL = 256 * 1024 * 1024      # everything copied
MAX_COPY_ENTRIES = 10_000               # files and folders in the year folder
MAX_COPY_DEPTH = 16                     # nesting of folders (prosa/indikator is 2)
CHUNK = 1 << 20
NOT_CARRIED = ("koreksi.yaml", "reviu.yaml", "lke.yaml")     # corrections, review statement, LKE evidence: per year


class _Budget:
    def __init__(self):
        self.entries = 0
        self.bytes = 0


def _skip(skipped: list, path: Path, code: str, message: str) -> None:
    skipped.append(Problem(relpath(path), 0, "", code, WARNING, message))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "pipa (FIFO)"
    if stat.S_ISSOCK(mode):
        return "soket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "berkas perangkat"
    return "berkas khusus"


def _copy_file(src: Path, dest: Path, info: os.stat_result, budget: _Budget, skipped: list) -> None:
    """Copy one regular file, never through a link and never more than MAX_COPY_FILE bytes."""
    if info.st_size > MAX_COPY_FILE:
        _skip(skipped, src, "berkas-terlalu-besar", f"Berkas {info.st_size} byte, melebihi batas salin {MAX_COPY_FILE} "
                                                    "byte; tidak disalin ke tahun baru (salin sendiri bila perlu)")
        return
    flags = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_NOCTTY", 0))
    try:
        fd = os.open(src, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:          # swapped for a link since it was listed
            _skip(skipped, src, "tautan-tidak-disalin", "Tautan simbolis tidak disalin ke tahun baru")
        else:
            _skip(skipped, src, "berkas-tidak-terbaca", f"Berkas tidak dapat dibaca ({exc.strerror}); tidak disalin "
                                                        "ke tahun baru")
        return
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            _skip(skipped, src, "berkas-khusus-tidak-disalin", "Berkas berganti saat disalin (bukan berkas biasa "
                                                               "lagi); tidak disalin ke tahun baru")
            return
        chunks, size = [], 0
        while size <= MAX_COPY_FILE:
            chunk = os.read(fd, min(CHUNK, MAX_COPY_FILE + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        _skip(skipped, src, "berkas-tidak-terbaca", f"Berkas tidak dapat dibaca ({exc.strerror}); tidak disalin "
                                                    "ke tahun baru")
        return
    finally:
        os.close(fd)
    if size > MAX_COPY_FILE:
        _skip(skipped, src, "berkas-terlalu-besar", f"Berkas melebihi batas salin {MAX_COPY_FILE} byte; tidak disalin "
                                                    "ke tahun baru")
        return
    budget.bytes += size
    if budget.bytes > MAX_COPY_TOTAL:
        raise ScaffoldError(f"folder tahun {relpath(src.parent)} berisi lebih dari {MAX_COPY_TOTAL} byte; new-year "
                            "dibatalkan (tidak ada yang ditulis)")
    out = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                  | getattr(os, "O_NOFOLLOW", 0), stat.S_IMODE(info.st_mode) | stat.S_IWUSR | stat.S_IRUSR)
    with os.fdopen(out, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)


def _copy_tree(src: Path, dest: Path, budget: _Budget, skipped: list, depth: int = 0, top: bool = True) -> None:
    """Regular files and real folders of src into the existing folder dest; everything else listed in skipped."""
    if depth > MAX_COPY_DEPTH:
        raise ScaffoldError(f"folder {relpath(src)} bersarang lebih dari {MAX_COPY_DEPTH} tingkat; new-year dibatalkan "
                            "(tidak ada yang ditulis)")
    try:
        with os.scandir(src) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        _skip(skipped, src, "berkas-tidak-terbaca", f"Folder tidak dapat dibaca ({exc.strerror}); isinya tidak "
                                                    "disalin ke tahun baru")
        return
    for entry in entries:
        budget.entries += 1
        if budget.entries > MAX_COPY_ENTRIES:
            raise ScaffoldError(f"folder tahun berisi lebih dari {MAX_COPY_ENTRIES} berkas; new-year dibatalkan "
                                "(tidak ada yang ditulis)")
        path = src / entry.name
        if top and entry.name in NOT_CARRIED:
            continue
        try:
            info = os.lstat(path)
        except OSError as exc:
            _skip(skipped, path, "berkas-tidak-terbaca", f"Berkas tidak dapat dibaca ({exc.strerror}); tidak disalin "
                                                         "ke tahun baru")
            continue
        if stat.S_ISLNK(info.st_mode):
            _skip(skipped, path, "tautan-tidak-disalin", "Tautan simbolis tidak diikuti dan tidak disalin ke tahun "
                                                         "baru; bila isinya diperlukan, letakkan berkas biasa di sini")
        elif stat.S_ISDIR(info.st_mode):
            os.mkdir(dest / entry.name, stat.S_IMODE(info.st_mode) | stat.S_IRWXU)
            _copy_tree(path, dest / entry.name, budget, skipped, depth + 1, top=False)
        elif stat.S_ISREG(info.st_mode):
            _copy_file(path, dest / entry.name, info, budget, skipped)
        else:
            _skip(skipped, path, "berkas-khusus-tidak-disalin", f"{_kind(info.st_mode).capitalize()} tidak disalin ke "
                                                                "tahun baru; hanya berkas biasa yang disalin")


def new_year(root: Path, year: int, skipped: list | None = None) -> Path:
    """Scaffold root/<year> from the latest earlier year; what was left out (links, special or oversized files) is
    appended to `skipped` as warnings. ScaffoldError when nothing can be made; nothing is left behind then."""
    skipped = [] if skipped is None else skipped
    target = root / str(year)
    if os.path.lexists(target):
        raise ScaffoldError(f"{relpath(target)} sudah ada; new-year tidak menimpa tahun yang sudah ada")
    earlier = [y for y in available_years(root) if y < year]
    if not earlier:
        raise ScaffoldError(f"tidak ada folder tahun sebelum {year} di {relpath(root)} untuk dijadikan dasar")
    source_year = earlier[-1]
    source = root / str(source_year)
    if os.path.islink(source):
        raise ScaffoldError(f"{relpath(source)} adalah tautan simbolis; new-year hanya menyalin folder tahun biasa")
    content, problems = load(root, source_year)
    typed, found = validate(content.docs)
    if problems or found:
        raise ScaffoldError(f"konten {source_year} masih bermasalah; jalankan check --year {source_year} dahulu")
    renstra = renstra_index(typed.get("matriks"))
    tmp = Path(tempfile.mkdtemp(prefix=f".{year}.baru-", dir=root))      # fresh: never someone else's folder
    try:
        _copy_tree(source, tmp, _Budget(), skipped)
        edits = {"laporan.yaml": lambda ed: _laporan(ed, year),
                 "program.yaml": lambda ed: _program(ed, year, renstra, skipped), "kinerja.yaml": _kinerja}
        for name, edit in edits.items():
            path = tmp / name
            if name == "program.yaml" and not os.path.lexists(source / name):
                continue                 # optional: an agency without its DPA at hand
            if not path.is_file():
                raise ScaffoldError(f"{relpath(source / name)} tidak dapat disalin (lihat peringatan di atas); ganti "
                                    "dengan berkas biasa lalu ulangi (tidak ada yang ditulis)")
            try:
                editor = YamlEditor(path.read_bytes(), f"{source_year}/{name}")
                edit(editor)
            except YamlEditError as exc:
                raise ScaffoldError(f"{exc} (kesalahan internal new-year; tidak ada yang ditulis)") from exc
            path.write_bytes(editor.result())
        os.chmod(tmp, stat.S_IMODE(os.stat(source).st_mode) | stat.S_IRWXU)
        if os.path.lexists(target):
            raise ScaffoldError(f"{relpath(target)} dibuat proses lain selama new-year; tidak ada yang ditimpa")
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
