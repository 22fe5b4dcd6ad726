"""`lkjip init FOLDER`: a content repository skeleton for a new agency, and `lkjip editor`: the editor set-up
(VS Code settings mapped to the JSON Schemas shipped with the installed version, copied into the repository).

The skeleton holds no fact of any example: what the tool cannot take from the flags is a visible blank `[ISI: ...]`
(in values, comments and prose) that `check` lists as `isian-kosong` warnings (blank_marks) and the draft prints as
it stands. A new folder is built in a staging folder beside it and renamed into place in one step (an interrupted init leaves
nothing half-written); an existing empty folder, which may be the current one, is kept and filled from a staging
folder inside it. A non-empty folder, a symlink or a file in its place is refused.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from ... import __version__
from ...base import resources
from ...base.limits import YEAR_MAX, YEAR_MIN
from ...base.shape import NOMENKLATUR_13, NOMENKLATUR_DEFAULT, NOMENKLATUR_LABELS
from ...validate.legacy import CONTENT_FORMAT
from .editor_schema import OUTPUT_DIR

SKEMA_DIR = Path(".lkjip") / "skema"          # the JSON Schemas, copied from the installed version
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class InitError(Exception):
    """Bad arguments or a folder that cannot be used: exit code 2."""


# -- values ---------------------------------------------------------------------------------------------------------

def check_name(label: str, value: str) -> str:
    """A one-line name, kept exactly as given (quotes, `: #`, `&`, `*`, `!`, `=` and the like are quoted in YAML)."""
    if value is None or not value.strip():
        raise InitError(f"{label} tidak boleh kosong")
    if _CONTROL.search(value):
        raise InitError(f"{label} harus satu baris tanpa karakter kendali (baris baru, tab): {value!r}")
    if len(value) > 200:
        raise InitError(f"{label} terlalu panjang ({len(value)} karakter; paling banyak 200)")
    return value


def check_year(value) -> int:
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise InitError(f"tahun harus berupa angka {YEAR_MIN}-{YEAR_MAX}, bukan '{value}'")
    return int(text)


def check_nomenklatur(value: str) -> str:
    if value not in NOMENKLATUR_LABELS:
        raise InitError(f"nomenklatur harus salah satu dari {', '.join(NOMENKLATUR_LABELS)}, bukan '{value}'")
    return value


def q(value: str) -> str:
    """A YAML double-quoted scalar holding exactly `value` (JSON string syntax is YAML 1.1/1.2 double-quoted)."""
    return json.dumps(value, ensure_ascii=False)


def _md(value: str) -> str:
    """Plain text in Markdown: every punctuation mark that Markdown could read as syntax escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>&~=:\"'])", r"\\\1", value)


# -- the skeleton ---------------------------------------------------------------------------------------------------

def _laporan(year: int, nomenklatur: str) -> str:
    return f"""\
# Data utama laporan LKjIP tahun {year}. Setiap tanda [ISI ...] adalah isian yang belum diisi: ganti dengan data
# yang benar lalu hapus tandanya. `lkjip check` menampilkan semua tanda yang masih ada.
tahun: {year}
format: {CONTENT_FORMAT}                        # format konten; `lkjip upgrade` memperbaruinya bila alat berganti format
renstra: renstra                 # nama folder Renstra di samping folder tahun (content/renstra)
judul: Laporan Kinerja Instansi Pemerintah
singkatan: LKjIP
# tempat: "[ISI: kota tempat penandatanganan]"     # hapus tanda pagar (#) di awal baris setelah diisi
# tanggal: "{year + 1}-02"                          # bulan penandatanganan, TAHUN-BULAN; hapus tanda pagar
draf: true                       # true: laporan bertanda DRAF; ubah ke false untuk versi final
nomenklatur: {nomenklatur}       # permendagri-90-2019 atau permendagri-13-2006 (kode program/kegiatan)
penandatangan:
  nama: "[ISI: nama lengkap dan gelar kepala perangkat daerah]"
  # nip: "[ISI: NIP 18 digit, dalam tanda kutip]"
  jabatan: "[ISI: jabatan penandatangan]"
# Skala predikat capaian: sesuaikan dengan pedoman yang berlaku di daerah. [ISI: periksa skala predikat]
skala_predikat:
  - {{batas_bawah: 90, predikat: Sangat Baik}}
  - {{batas_bawah: 75, predikat: Baik}}
  - {{batas_bawah: 65, predikat: Cukup}}
  - {{batas_bawah: 0, predikat: Kurang}}
capaian:
  batas_atas: null               # batas atas capaian (persen); null: tanpa batas
  rumus_negatif: selisih         # indikator makin rendah makin baik: selisih atau rasio
"""


def _instansi(nama: str, daerah: str) -> str:
    return f"""\
# Identitas perangkat daerah. Nilai di dalam tanda kutip ditulis apa adanya.
nama: {q(f"{nama} {daerah}")}
nama_singkat: {q(nama)}
pemerintah_daerah: {q(f"Pemerintah {daerah}")}
daerah: {q(daerah)}
# provinsi: "[ISI: nama provinsi]"                 # hapus tanda pagar (#) di awal baris setelah diisi
# urusan: "[ISI: urusan pemerintahan yang diampu]"
"""


_OUTPUT = """\
{pad}indikator: "[ISI: indikator keluaran {level}]"
{pad}satuan: "[ISI: satuan, mis. dokumen]"
{pad}target: null          # [ISI: target] angka, mis. 12
{pad}realisasi: null       # kosong (null) selama belum diisi; laporan menulis "-"
{pad}# anggaran: {{pagu: PAGU, realisasi: REALISASI}}   # [ISI: anggaran dalam rupiah tanpa titik; hapus tanda pagar]
"""


def _program(year: int, nomenklatur: str) -> str:
    head = f"""\
# Program, kegiatan{"" if nomenklatur == NOMENKLATUR_13 else " dan sub kegiatan"} tahun {year} dengan \
indikator, target, realisasi dan anggarannya (DPA).
# Kode mengikuti nomenklatur di laporan.yaml; kode di bawah hanya contoh bentuk. [ISI: kode program dan kegiatan]
program:
  - kode: "0.00.01"
    nama: "[ISI: nama program]"
    sasaran: [S1]                # id sasaran Renstra yang didukung program ini
    kegiatan:
"""
    if nomenklatur == NOMENKLATUR_13:         # Permendagri 13/2006: no sub kegiatan, figures on the kegiatan
        return head + f"""\
      - kode: "0.00.01.01"
        nama: "[ISI: nama kegiatan]"
""" + _OUTPUT.format(pad=" " * 8, level="kegiatan")
    return head + f"""\
      - kode: "0.00.01.2.01"
        nama: "[ISI: nama kegiatan]"
        sub_kegiatan:
          - kode: "0.00.01.2.01.0001"
            nama: "[ISI: nama sub kegiatan]"
""" + _OUTPUT.format(pad=" " * 12, level="sub kegiatan")


def _kinerja(year: int) -> str:
    return f"""\
# Realisasi indikator kinerja tahun {year}: satu entri untuk setiap indikator Renstra (id yang sama).
realisasi_indikator:
  - indikator: iku-1
    realisasi: null              # kosong (null) selama belum diisi; laporan menulis "-"
"""


def _renstra(year: int) -> str:
    return f"""\
# Rencana Strategis perangkat daerah: tujuan, sasaran dan indikator dengan target per tahun.
# [ISI: periode Renstra] periode di bawah hanya perkiraan lima tahun: sesuaikan dengan dokumen Renstra.
periode: {{awal: {year}, akhir: {year + 4}}}
visi: "[ISI: visi kepala daerah]"
tujuan:
  - id: T1
    uraian: "[ISI: tujuan]"
    sasaran:
      - id: S1
        uraian: "[ISI: sasaran]"
        indikator:
          - id: iku-1            # huruf kecil, angka dan tanda hubung; dipakai di kinerja.yaml
            uraian: "[ISI: indikator kinerja utama]"
            iku: true
            satuan: "%"          # [ISI: satuan indikator]
            polaritas: positif   # positif: makin tinggi makin baik; negatif: makin rendah makin baik
            target: {{}}           # [ISI: target per tahun] mis. {{"{year}": 80, "{year + 1}": 85}}
"""


PROSE = {
    "kata_pengantar": "Kata pengantar: ucapan syukur, dasar penyusunan LKjIP dan harapan atas laporan ini.",
    "ikhtisar_eksekutif": "Ikhtisar eksekutif: ringkasan tujuan, sasaran, capaian kinerja utama dan kendalanya.",
    "latar_belakang": "Latar belakang: tugas, fungsi dan peran strategis perangkat daerah.",
    "maksud_tujuan": "Maksud dan tujuan penyusunan LKjIP.",
    "perencanaan_kinerja": "Perencanaan kinerja: Renstra, rencana kerja dan penetapan kinerja tahun ini.",
    "pengukuran_kinerja": "Pengukuran kinerja: cara capaian indikator dihitung dan dinilai.",
    "realisasi_anggaran": "Realisasi anggaran: penjelasan serapan anggaran dan sebabnya.",
    "penutup": "Penutup: simpulan capaian, kendala dan langkah perbaikan tahun berikutnya.",
}


def _prose(name: str, hint: str) -> str:
    return (f"<!-- {hint}\n     Tulis prosa di bawah komentar ini, lalu hapus baris bertanda [ISI ...].\n"
            f"     Komentar seperti ini tidak dicetak di laporan. -->\n\n[ISI: {name.replace('_', ' ')}]\n")


def _readme(nama: str, daerah: str, year: int) -> str:
    return f"""\
# LKjIP {_md(nama)} {_md(daerah)}

Repositori ini berisi bahan Laporan Kinerja Instansi Pemerintah (LKjIP): data dalam berkas YAML dan prosa dalam
berkas Markdown di `content/`. Laporan Word (DOCX) disusun dari bahan ini dengan alat `lkjip` (versi {__version__}).

## Langkah pertama

1. Pasang alat sekali: `pipx install lkjip` (atau dari salinan repositori alat: `pipx install FOLDER-ALAT`).
2. Jalankan `lkjip check` di folder ini: daftar isian yang belum diisi tampil sebagai `berkas:baris: warning ...`.
3. Isi setiap tanda `[ISI ...]` di `content/{year}/` dan `content/renstra/`, lalu hapus tandanya.
4. Jalankan `lkjip report`: laporan draf ditulis ke `output/lkjip-{year}.docx`.

`lkjip check` keluar dengan kode 0 selama hanya ada peringatan (isian yang belum diisi) dan 1 bila ada galat;
`lkjip check --strict` menganggap peringatan sebagai galat (kode 1) dan dipakai sebelum laporan final diserahkan.

## Isi folder

- `content/{year}/`: data laporan tahun {year} (`laporan.yaml`, `instansi.yaml`, `program.yaml`, `kinerja.yaml`)
  dan prosa per bab (`prosa/*.md`).
- `content/renstra/`: Rencana Strategis (tujuan, sasaran, indikator, target per tahun).
- `.vscode/` dan `.lkjip/skema/`: pengaturan VS Code; berkas YAML diperiksa saat diketik (pasang ekstensi YAML
  dari Red Hat). Setelah alat diperbarui, jalankan `lkjip editor` untuk menyegarkan skema.
- `.github/workflows/lkjip.yml`: pemeriksaan otomatis di GitHub setiap kali ada perubahan.
- `output/`: hasil susunan laporan (tidak disimpan di Git).

Tahun berikutnya: `lkjip new-year {year + 1}` menyalin struktur tahun ini dan mengosongkan realisasi.
"""


GITIGNORE = """\
# Hasil susunan laporan: disusun ulang dari content/, tidak disimpan di Git.
output/
__pycache__/
.venv/
"""


def _ci_workflow() -> str:
    """The GitHub Actions template of the installed version, run with the installed `lkjip` command instead of the
    tool repository's build.py and lock."""
    text = (ci_dir() / "github" / "lkjip.yml").read_text(encoding="utf-8")
    head, sep, body = text.partition("\nname: ")
    header = ("# LKjIP for GitHub Actions (written by `lkjip init`): check the content on every push and pull "
              "request,\n# build the DOCX and PDF as an artifact and comment the year-over-year diff on the pull "
              "request.\n# The tool version is pinned in requirements-lkjip.txt.")
    body = sep.lstrip("\n") + body
    body = body.replace("cache-dependency-path: requirements.txt", "cache-dependency-path: requirements-lkjip.txt")
    body = body.replace("python -m pip install -r requirements.txt", "python -m pip install -r requirements-lkjip.txt")
    body = body.replace("python build.py ", "lkjip ")
    return header + "\n" + body


def _requirements() -> str:
    return f"""\
# Versi alat lkjip yang dipakai pemeriksaan otomatis (CI). Bila paket belum tersedia di indeks paket, ganti baris di
# bawah dengan alamat repositori alat, mis.: lkjip @ git+https://ALAMAT-REPOSITORI-ALAT@v{__version__}
lkjip=={__version__}
"""


GITATTRIBUTES = """\
# Line endings: content is stored and checked out with LF on every platform, so that diffs between years and
# between editors on Windows and Linux show only real changes.
* text=auto eol=lf
*.yaml text eol=lf
*.yml text eol=lf
*.md text eol=lf
*.json text eol=lf
*.txt text eol=lf

# Binary files: never converted or merged as text. DOCX shows its text in `git diff` once the driver is set:
#   git config diff.docx.textconv "lkjip docx-text"
*.docx binary diff=docx
*.xlsx binary
*.pdf binary
*.png binary
*.jpg binary
*.jpeg binary
"""

EDITORCONFIG = """\
# Editor settings for everyone who edits this repository (many editors read it; VS Code: EditorConfig extension).
root = true

[*]
charset = utf-8
end_of_line = lf
insert_final_newline = true
trim_trailing_whitespace = true
indent_style = space

[*.{yaml,yml,json}]
indent_size = 2

[*.md]
# Two trailing spaces are a line break in Markdown prose.
trim_trailing_whitespace = false

[*.{docx,xlsx,png,jpg,jpeg,pdf}]
charset = unset
end_of_line = unset
insert_final_newline = unset
trim_trailing_whitespace = unset
"""


def ci_dir() -> Path:
    """ci-templates/ of a checkout, or lkjip/data/ci in an installed wheel (pyproject.toml maps it)."""
    installed = resources._INSTALLED / "ci"
    return installed if installed.is_dir() else resources._REPO / "ci-templates"


def skeleton(nama: str, daerah: str, year: int, nomenklatur: str) -> dict[str, str]:
    """Relative path -> text of every file `init` writes (the editor set-up comes from editor_files)."""
    files = {
        f"content/{year}/laporan.yaml": _laporan(year, nomenklatur),
        f"content/{year}/instansi.yaml": _instansi(nama, daerah),
        f"content/{year}/program.yaml": _program(year, nomenklatur),
        f"content/{year}/kinerja.yaml": _kinerja(year),
        "content/renstra/renstra.yaml": _renstra(year),
        "README.md": _readme(nama, daerah, year),
        ".gitignore": GITIGNORE,
        ".gitattributes": GITATTRIBUTES,
        ".editorconfig": EDITORCONFIG,
        ".github/workflows/lkjip.yml": _ci_workflow(),
        "requirements-lkjip.txt": _requirements(),
    }
    for name, hint in PROSE.items():
        files[f"content/{year}/prosa/{name}.md"] = _prose(name, hint)
    return files


# -- the editor set-up ----------------------------------------------------------------------------------------------

PROBLEM_PATTERNS = [
    {"regexp": r"^(.+?):(\d+): (error|warning|note) \[([a-z0-9-]+)\] (.*)$",
     "file": 1, "line": 2, "severity": 3, "code": 4, "message": 5},
    {"regexp": r"^(.*?\D|.*?[^:\d]\d+|\d+): (error|warning|note) \[([a-z0-9-]+)\] (.*)$",
     "kind": "file", "file": 1, "severity": 2, "code": 3, "message": 4},
]


def _task(label: str, args: list[str], content: str, default: bool = False) -> dict:
    return {
        "label": label, "type": "process", "command": "lkjip", "args": args + ["--content", content],
        "options": {"cwd": "${workspaceFolder}", "env": {"PYTHONUTF8": "1"}},
        "presentation": {"reveal": "always", "clear": True},
        "problemMatcher": [{"owner": "lkjip", "source": "lkjip", "fileLocation": ["autoDetect", "${workspaceFolder}"],
                            "pattern": pattern} for pattern in PROBLEM_PATTERNS],
        "group": {"kind": "build", "isDefault": True} if default else "build",
    }


def _schema_files() -> list[Path]:
    return sorted((resources.SCHEMA_DIR / OUTPUT_DIR).glob("*.schema.json"))


def editor_files(content: str = "content") -> dict[str, str]:
    """Relative path (from the repository root) -> text: .vscode settings, extensions and tasks, and the JSON Schemas
    of the installed version under .lkjip/skema/ (so that no path points into the installed package)."""
    files: dict[str, str] = {}
    schemas = {}
    for path in _schema_files():
        name = path.name.removesuffix(".schema.json")
        rel = (SKEMA_DIR / path.name).as_posix()
        files[rel] = path.read_text(encoding="utf-8")
        schemas[rel] = [f"{content}/*/{name}.yaml"]
    settings = {
        "yaml.schemas": schemas, "yaml.yamlVersion": "1.2", "yaml.validate": True, "yaml.hover": True,
        "yaml.completion": True, "files.encoding": "utf8", "files.eol": "\n", "files.insertFinalNewline": True,
        "files.trimTrailingWhitespace": True, "[markdown]": {"files.trimTrailingWhitespace": False},
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2, "editor.detectIndentation": False},
    }
    tasks = {"version": "2.0.0", "tasks": [_task("LKjIP: check", ["check"], content, default=True),
                                           _task("LKjIP: susun laporan (report)", ["report"], content)]}
    extensions = {"recommendations": ["redhat.vscode-yaml", "EditorConfig.EditorConfig"]}
    for name, data in (("settings", settings), ("tasks", tasks), ("extensions", extensions)):
        files[f".vscode/{name}.json"] = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    files[(SKEMA_DIR / "README.txt").as_posix()] = (
        f"JSON Schema berkas konten dari lkjip {__version__}, dipakai VS Code (.vscode/settings.json).\n"
        "Jangan diubah dengan tangan: `lkjip editor` menulisnya ulang dari versi alat yang terpasang.\n")
    return files


# -- writing --------------------------------------------------------------------------------------------------------

def _write_new(root: Path, files: dict[str, str]) -> None:
    """Each file created fresh (O_EXCL: never through an existing file or symlink) under a folder we created."""
    for rel, text in sorted(files.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, 0o644)
        with os.fdopen(fd, "wb") as stream:
            stream.write(text.encode("utf-8"))


def _usable_target(folder: Path) -> bool:
    """True when `folder` is to be created; False when it is an existing empty real folder. InitError otherwise."""
    if folder.is_symlink():
        raise InitError(f"{folder} adalah tautan simbolik (symlink); pilih folder baru yang belum ada")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise InitError(f"folder induk {folder.parent} tidak ada")
        return True
    if not folder.is_dir():
        raise InitError(f"{folder} sudah ada dan bukan folder; pilih folder baru")
    if any(folder.iterdir()):
        raise InitError(f"folder {folder} sudah ada dan tidak kosong; init hanya mengisi folder baru atau kosong")
    return False


def create(folder: Path, nama: str, daerah: str, year: int, nomenklatur: str = NOMENKLATUR_DEFAULT) -> Path:
    """Write the skeleton and the editor set-up into `folder` (new, or an empty real folder) in one step."""
    nama, daerah = check_name("--nama", nama), check_name("--daerah", daerah)
    year, nomenklatur = check_year(year), check_nomenklatur(nomenklatur)
    folder = Path(os.path.abspath(folder))
    fresh = _usable_target(folder)
    files = {**skeleton(nama, daerah, year, nomenklatur), **editor_files()}
    # A new folder: staged beside it and renamed into place. An existing empty folder (perhaps the current one) is
    # kept: staged inside it, then each top-level entry renamed into it.
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.init-" if fresh else ".lkjip-init-",
                                    dir=folder.parent if fresh else folder))
    try:
        _write_new(staging, files)
        if fresh:
            os.rename(staging, folder)
        else:
            for entry in sorted(staging.iterdir()):
                os.rename(entry, folder / entry.name)
            staging.rmdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _write_replacing(root: Path, rel: str, text: str) -> None:
    """Atomic write of root/rel: a temporary file beside it, then os.replace (a symlink there is replaced, never
    followed)."""
    path = root / rel
    for parent in reversed(path.relative_to(root).parents):
        here = root / parent
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            raise InitError(f"{here} bukan folder biasa (tautan simbolik atau berkas); set-up editor tidak ditulis")
        here.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(text.encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _merged(existing: Path, ours: str, list_key: str | None = None) -> str:
    """Our JSON keys over an existing VS Code file's own keys (kept); for tasks.json our tasks replace the ones with
    the same label. An unreadable existing file is replaced."""
    try:
        theirs = json.loads(existing.read_text(encoding="utf-8")) if existing.is_file() else {}
    except (OSError, UnicodeDecodeError, ValueError):
        theirs = {}
    if not isinstance(theirs, dict):
        theirs = {}
    data = json.loads(ours)
    if list_key and isinstance(theirs.get(list_key), list):
        labels = {t["label"] for t in data[list_key]}
        data[list_key] = [t for t in theirs[list_key] if not (isinstance(t, dict) and t.get("label") in labels)] \
            + data[list_key]
    return json.dumps({**theirs, **data}, ensure_ascii=False, indent=2) + "\n"


def write_editor(content: Path) -> tuple[Path, list[str]]:
    """(Re)write the editor set-up of the content repository whose content folder is `content`; the repository root
    is the folder that holds it. Returns the root and the files written."""
    content = Path(os.path.abspath(content))
    if not content.is_dir():
        raise InitError(f"folder konten {content} tidak ada")
    root = content.parent
    files = editor_files(content.name)
    old = root / SKEMA_DIR
    if old.is_dir() and not old.is_symlink():
        for stale in old.glob("*.schema.json"):
            if stale.as_posix() and (SKEMA_DIR / stale.name).as_posix() not in files and not stale.is_symlink():
                stale.unlink()
    written = []
    for rel, text in sorted(files.items()):
        if rel.startswith(".vscode/"):
            text = _merged(root / rel, text, "tasks" if rel.endswith("tasks.json") else None)
        _write_replacing(root, rel, text)
        written.append(rel)
    return root, written


# -- what `check` lists ---------------------------------------------------------------------------------------------
