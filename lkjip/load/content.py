"""Load stage: read one year's content folder and the shared Renstra into Documents and prose texts."""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..base import memo
from ..base.limits import YEAR_MAX, YEAR_MIN
from ..base.problems import ERROR, WARNING, Problem
from ..base.xmltext import XML_ILLEGAL, describe, illegal_lines
from .files import ContentFileError, is_dir, list_dir, read_content_file, read_logo
from .yamlsafe import Document, parse_yaml

# Every data file of a year folder, and of the shared Renstra folder. Names double as schema names.
YEAR_FILES = ("laporan", "instansi", "dasar_hukum", "organisasi", "pegawai", "program", "kinerja", "isu_strategis",
              "koreksi", "reviu", "lke")
RENSTRA_FILES = ("renstra", "matriks")
# program.yaml may be absent: an agency without its DPA at hand still reports its indicators; the budget part of
# BAB III then says the data is not available (never a zero).
OPTIONAL_FILES = {"dasar_hukum", "organisasi", "pegawai", "isu_strategis", "koreksi", "matriks", "reviu", "lke",
                  "program"}
PROSE_DIR = "prosa"
PROSE_SUBDIRS = ("sasaran", "indikator")      # optional prose per sasaran / indicator: prosa/sasaran/<id>.md


@dataclass
class Content:
    """Everything read from disk for one report year (not yet validated)."""

    root: Path
    year: int
    docs: dict = field(default_factory=dict)      # name -> Document
    prose: dict = field(default_factory=dict)     # section name -> (file, text)
    logo: bytes | None = None                     # the cover picture, checked (PNG/JPEG inside the year folder)


def relpath(path: Path) -> str:
    """Path for messages: relative to the working folder when inside it, always with '/' (also on Windows)."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def doc_file(docs: dict, name: str) -> str:
    """The file of document `name` for messages; for an optional file that is absent, where it would be (beside
    laporan.yaml, or the Renstra files beside renstra.yaml)."""
    doc = docs.get(name)
    if doc is not None:
        return doc.file
    beside = docs.get("renstra" if name in RENSTRA_FILES else "laporan") or next(iter(docs.values()), None)
    if beside is None or "/" not in beside.file:
        return f"{name}.yaml"
    return beside.file.rsplit("/", 1)[0] + f"/{name}.yaml"


def available_years(root: Path) -> list[int]:
    """Report years with a folder under root: four-digit names within YEAR_MIN-YEAR_MAX (so that str(year) is the
    folder's name; `0999` or `0000` are not report years and are left alone)."""
    return sorted(int(p.name) for p in list_dir(root)
                  if re.fullmatch(r"[0-9]{4}", p.name) and YEAR_MIN <= int(p.name) <= YEAR_MAX and is_dir(p))


def _read_doc(path: Path, root: Path, problems: list[Problem], optional: bool = False) -> Document | None:
    file = relpath(path)
    if optional and not os.path.lexists(path):
        return None
    if not os.path.lexists(path):
        problems.append(Problem(file, 0, "", "berkas-hilang", ERROR, "Berkas wajib tidak ditemukan"))
        return None
    try:
        raw = read_content_file(path, root)
    except ContentFileError as exc:
        problems.append(Problem(file, 0, "", exc.code, ERROR, exc.message))
        return None
    doc, found = _parse_cached(raw, file)
    problems.extend(found)
    return doc


_PARSED: dict = {}


def _parse_cached(raw: bytes, file: str):
    """Parsed documents by (file, bytes): a process that checks several years (or checks again) parses each
    unchanged file once, and unchanged bytes are not parsed again by the next process either, wherever the
    content folder is (memo.py keeps the result by the bytes alone, without the file name, which is put back).
    Documents are never modified after parsing; each carries the digest that keys its validation (schema.py)."""
    digest = hashlib.sha256(raw).digest()
    key = (file, digest)
    if key not in _PARSED:
        if len(_PARSED) > 64:
            _PARSED.clear()
        entry = memo.key("yaml", digest)
        parsed = memo.get("yaml", entry)
        if parsed is None:
            parsed = parse_yaml(raw, "")
            memo.put("yaml", entry, parsed)
        doc, found = parsed
        if doc is not None:
            doc = Document(file, doc.data, doc.lines)
            doc.digest = entry
        _PARSED[key] = (doc, located(found, file))
    doc, found = _PARSED[key]
    return doc, list(found)


def located(problems: list, file: str) -> list:
    """Problems of a cached step (kept with file "") placed in `file`."""
    return [dataclasses.replace(p, file=file) if p.file != file else p for p in problems]


def load(root: Path, year: int) -> tuple[Content, list[Problem]]:
    """Read content/<year>/*.yaml, content/<renstra>/*.yaml and content/<year>/prosa/*.md."""
    problems: list[Problem] = []
    content = Content(root=root, year=year)
    year_dir = root / str(year)
    if not is_dir(year_dir):
        problems.append(Problem(relpath(year_dir), 0, "", "tahun-tidak-ada", ERROR,
                                f"Folder konten tahun {year} tidak ditemukan"))
        return content, problems
    for name in YEAR_FILES:
        doc = _read_doc(year_dir / f"{name}.yaml", root, problems, name in OPTIONAL_FILES)
        if doc is not None:
            content.docs[name] = doc
    known = {f"{n}.yaml" for n in YEAR_FILES}
    for extra in list_dir(year_dir):
        if re.fullmatch(r".*\.ya?ml", extra.name) and extra.name not in known:
            problems.append(Problem(relpath(extra), 0, "", "berkas-tidak-dikenal", WARNING,
                                    "Berkas YAML ini tidak dibaca oleh build; periksa nama berkas"))
    renstra_name = "renstra"
    laporan = content.docs.get("laporan")
    if laporan is not None and isinstance(laporan.data.get("renstra"), str):
        renstra_name = laporan.data["renstra"]
    rdir = root / renstra_name
    for name in RENSTRA_FILES:
        doc = _read_doc(rdir / f"{name}.yaml", root, problems, name in OPTIONAL_FILES)
        if doc is not None:
            content.docs[name] = doc
    _read_prose(content, year_dir / PROSE_DIR, root, problems)
    instansi = content.docs.get("instansi")
    logo = instansi.data.get("logo") if instansi is not None else None
    if isinstance(logo, str):
        try:
            content.logo = read_logo(logo, year_dir, root)
        except ContentFileError as exc:
            problems.append(Problem(instansi.file, instansi.line_of(("logo",)), "logo", exc.code, ERROR, exc.message))
    return content, problems


def _read_prose(content: Content, prose_dir: Path, root: Path, problems: list[Problem]) -> None:
    files = [(md.stem, md) for md in list_dir(prose_dir)]
    files += [(f"{sub}/{md.stem}", md) for sub in PROSE_SUBDIRS for md in list_dir(prose_dir / sub)]
    for key, md in files:
        if not md.name.endswith(".md"):
            continue
        file = relpath(md)
        try:
            raw = read_content_file(md, root)
        except ContentFileError as exc:
            problems.append(Problem(file, 0, "", exc.code, ERROR, exc.message))
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.append(Problem(file, raw[:exc.start].count(b"\n") + 1, "", "berkas-tidak-terbaca", ERROR,
                                    f"Berkas prosa bukan teks UTF-8 (byte ke-{exc.start + 1}); simpan ulang sebagai UTF-8"))
            continue
        bad = illegal_lines(text, XML_ILLEGAL)
        for line, char in bad:
            problems.append(Problem(file, line, "", "karakter-tidak-valid", ERROR,
                                    f"Karakter kendali {describe(char)} tidak dapat dicetak; hapus karakter itu"))
        content.prose[key] = (file, text.replace("\r\n", "\n"))
