"""Load stage: read one year's content folder and the shared Renstra into Documents and prose texts."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import ERROR, WARNING, Problem
from .yamlsafe import Document, parse_yaml

# Every data file of a year folder, and of the shared Renstra folder. Names double as schema names.
YEAR_FILES = ("laporan", "instansi", "dasar_hukum", "organisasi", "pegawai", "program", "kinerja", "isu_strategis",
              "koreksi", "reviu", "lke")
RENSTRA_FILES = ("renstra", "matriks")
OPTIONAL_FILES = {"dasar_hukum", "organisasi", "pegawai", "isu_strategis", "koreksi", "matriks", "reviu", "lke"}
PROSE_DIR = "prosa"
PROSE_SUBDIRS = ("sasaran", "indikator")      # optional prose per sasaran / indicator: prosa/sasaran/<id>.md


@dataclass
class Content:
    """Everything read from disk for one report year (not yet validated)."""

    root: Path
    year: int
    docs: dict = field(default_factory=dict)      # name -> Document
    prose: dict = field(default_factory=dict)     # section name -> (file, text)


def relpath(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def available_years(root: Path) -> list[int]:
    if not root.is_dir():
        return []
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name))


def _read_doc(path: Path, problems: list[Problem], optional: bool = False) -> Document | None:
    file = relpath(path)
    if optional and not path.exists():
        return None
    if not path.is_file():
        problems.append(Problem(file, 0, "", "berkas-hilang", ERROR, "Berkas wajib tidak ditemukan"))
        return None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(file, 0, "", "berkas-tidak-terbaca", ERROR, f"Berkas tidak dapat dibaca: {exc.strerror}"))
        return None
    doc, found = parse_yaml(raw, file)
    problems.extend(found)
    return doc


def load(root: Path, year: int) -> tuple[Content, list[Problem]]:
    """Read content/<year>/*.yaml, content/<renstra>/*.yaml and content/<year>/prosa/*.md."""
    problems: list[Problem] = []
    content = Content(root=root, year=year)
    year_dir = root / str(year)
    if not year_dir.is_dir():
        problems.append(Problem(relpath(year_dir), 0, "", "tahun-tidak-ada", ERROR,
                                f"Folder konten tahun {year} tidak ditemukan"))
        return content, problems
    for name in YEAR_FILES:
        doc = _read_doc(year_dir / f"{name}.yaml", problems, name in OPTIONAL_FILES)
        if doc is not None:
            content.docs[name] = doc
    known = {f"{n}.yaml" for n in YEAR_FILES}
    for extra in sorted(year_dir.glob("*.y*ml")):
        if extra.name not in known:
            problems.append(Problem(relpath(extra), 0, "", "berkas-tidak-dikenal", WARNING,
                                    "Berkas YAML ini tidak dibaca oleh build; periksa nama berkas"))
    renstra_name = "renstra"
    laporan = content.docs.get("laporan")
    if laporan is not None and isinstance(laporan.data.get("renstra"), str):
        renstra_name = laporan.data["renstra"]
    rdir = root / renstra_name
    for name in RENSTRA_FILES:
        doc = _read_doc(rdir / f"{name}.yaml", problems, name in OPTIONAL_FILES)
        if doc is not None:
            content.docs[name] = doc
    prose_dir = year_dir / PROSE_DIR
    if prose_dir.is_dir():
        files = [(md.stem, md) for md in sorted(prose_dir.glob("*.md"))]
        files += [(f"{sub}/{md.stem}", md) for sub in PROSE_SUBDIRS for md in sorted((prose_dir / sub).glob("*.md"))]
        for key, md in files:
            try:
                text = md.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                problems.append(Problem(relpath(md), 1, "", "berkas-tidak-terbaca", ERROR,
                                        "Berkas prosa bukan teks UTF-8"))
                continue
            content.prose[key] = (relpath(md), text)
    return content, problems
