"""CLI: `python build.py` or `lkjip` check|report|pdf|preview|new-year|diff|docx-text|ekspor|impor-anggaran|skema-json
|reviu|nilai over the pipeline and tools (`report --all`: lkjip/tools/batch.py).

Exit codes (README): 0 ok, 1 content errors, 2 usage or environment (missing tool, bad arguments), 3 an output
could not be written (open in Word, disk full, not writable), 4 unexpected internal error, 130 interrupted.
Every failure is one Indonesian line on stderr; `--debug` (or LKJIP_DEBUG=1) adds the traceback.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import re
import signal
import sys
import threading
import traceback
from pathlib import Path

from . import __version__, pipeline
from .base import resources
from .base.limits import YEAR_MAX, YEAR_MIN
from .base.output import OutputError, explain
from .base.problems import has_errors, sort_problems, without_declared
from .base.shape import NOMENKLATUR_DEFAULT, NOMENKLATUR_LABELS, PERIOD, quarter_number
from .base.xmltext import DocxTextError, docx_text
from .load.content import available_years, relpath
from .render import pdf
from .render.pdf import ToolError
from .tools.editor.annotations import FORMATS, render
from .validate.blanks import blank_marks
from .validate.corrections import listing

# Lazy on purpose: each command imports its tool when it runs (the writers behind them load python-docx, lxml,
# openpyxl, cerberus), so `check` and `--help` load only the stages they use.

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
PROG = "build.py"


class UsageError(Exception):
    """Wrong arguments or environment: exit code 2."""


class _Formatter(argparse.HelpFormatter):
    """argparse's help in Indonesian: the usage prefix (the rest: _Parser and _ARGPARSE_ID)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "pemakaian: " if prefix is None else prefix)


# argparse's own English messages (Python 3.11-3.13) -> Indonesian; what a type function raises is ours already.
_ARGPARSE_ID = (
    (r"the following arguments are required: ", "argumen berikut wajib diberikan: "),
    (r"unrecognized arguments: ", "argumen tidak dikenal: "),
    (r"invalid choice: (.*?) \(choose from (.*)\)", r"pilihan tidak sah: \1 (pilih salah satu: \2)"),
    (r"invalid (\S+) value: ", "nilai tidak sah: "),
    (r"expected one argument", "memerlukan satu nilai"),
    (r"expected at most one argument", "memerlukan paling banyak satu nilai"),
    (r"expected at least one argument", "memerlukan paling sedikit satu nilai"),
    (r"expected (\d+) arguments?", r"memerlukan \1 nilai"),
    (r"ambiguous option: (\S+) could match ", r"opsi \1 ambigu, dapat berarti: "),
    (r"not allowed with argument ", "tidak boleh bersama argumen "),
    (r"one of the arguments (.*) is required", r"salah satu argumen \1 wajib diberikan"),
    (r"ignored explicit argument ", "argumen eksplisit diabaikan: "),
    (r"unexpected option string: ", "opsi tak terduga: "),
    (r"^argument ", "argumen "),
)


_METAVARS = {"year": "TAHUN", "content": "FOLDER", "output": "FOLDER"}


def translate_argparse(message: str) -> str:
    for pattern, replacement in _ARGPARSE_ID:
        message = re.sub(pattern, replacement, message)
    return message


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argumen posisi"
        self._optionals.title = "opsi"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="tampilkan bantuan ini lalu keluar")

    def add_argument(self, *args, **kwargs):
        """Indonesian value names in usage lines: --year TAHUN, --content FOLDER, --output FOLDER."""
        if "metavar" not in kwargs and kwargs.get("action") in (None, "store", "append") and args \
                and args[0].startswith("--"):
            name = kwargs.get("dest") or args[0][2:].replace("-", "_")
            if name in _METAVARS:
                kwargs["metavar"] = _METAVARS[name]
        return super().add_argument(*args, **kwargs)

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: galat penggunaan: {translate_argparse(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def year_arg(text: str) -> int:
    """A report year, 2000-2100 (as the schema accepts)."""
    if not text.strip().isascii() or not text.strip().isdigit() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"tahun harus berupa angka {YEAR_MIN}-{YEAR_MAX}, bukan '{text}'")
    return int(text)


def period_arg(text: str) -> tuple[int, int | None]:
    """A year (2023) or a quarter of a year (2023-TW2, 2023-TWII, 2023-Q2): (year, quarter or None)."""
    match = PERIOD.fullmatch(text.strip())
    if match:
        return year_arg(match.group(1)), quarter_number(match.group(2))
    if re.fullmatch(r"[0-9]{4}", text.strip()):
        return year_arg(text), None
    raise argparse.ArgumentTypeError(f"periode harus tahun (2023) atau triwulan (2023-TW2), bukan '{text}'")


def _quarter_arg(text: str) -> int:
    n = quarter_number(text)
    if n is None:
        raise argparse.ArgumentTypeError(f"triwulan harus 1-4 atau I-IV, bukan '{text}'")
    return n


def _parser(prog: str = PROG) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)          # --debug before or after the command
    common.add_argument("--debug", action="store_true", help="tampilkan traceback bila terjadi galat tak terduga")
    parser = _Parser(prog=prog, description="LKjIP sebagai kode: periksa konten dan susun laporan DOCX.")
    parser.add_argument("--version", action="version", version=f"lkjip {__version__}",
                        help="tampilkan versi program lalu keluar")
    parser.add_argument("--debug", dest="debug_first", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, title="perintah",
                                metavar="PERINTAH")
    year_help = "tahun laporan (bawaan: tahun terbaru di folder konten)"
    for name, help_text in (("check", "periksa konten dan tampilkan semua masalah"),
                            ("report", "susun output/lkjip-TAHUN.docx"),
                            ("pdf", "susun laporan lalu output/lkjip-TAHUN.pdf melalui LibreOffice"),
                            ("preview", "susun PDF lalu output/preview/page-NN.png")):
        cmd = sub.add_parser(name, help=help_text, parents=[common])
        cmd.add_argument("--year", type=year_arg, help=year_help)
        cmd.add_argument("--content", type=Path, default=Path("content"), help="folder konten (bawaan: content)")
        cmd.add_argument("--strict", action="store_true", help="peringatan juga dianggap galat (kode keluar 1)")
        if name == "check":
            cmd.add_argument("--koreksi", action="store_true",
                             help="tampilkan daftar koreksi atas dokumen sumber (Markdown) setelah pemeriksaan")
            cmd.add_argument("--format", choices=FORMATS, default="teks",
                             help="teks (bawaan), github (anotasi GitHub Actions) atau codeclimate "
                                  "(GitLab Code Quality)")
        if name == "report":
            cmd.add_argument("--all", action="store_true",
                             help="susun setiap folder tahun (dari setiap --root) dalam proses paralel")
            cmd.add_argument("--root", type=Path, action="append", metavar="FOLDER",
                             help="folder konten untuk --all; boleh berulang (bawaan: --content). Dengan lebih dari "
                                  "satu root, keluaran tiap root di output/<nama-root>/")
            cmd.add_argument("--proses", type=int, default=None, metavar="N",
                             help="jumlah proses untuk --all (bawaan: jumlah inti prosesor)")
        if name in ("report", "pdf", "preview"):
            cmd.add_argument("--output", type=Path, default=Path("output"), help="folder keluaran (bawaan: output)")
            cmd.add_argument("--tanpa-tata-letak", action="store_true",
                             help="lewati tata letak LibreOffice (lebih cepat); nomor halaman daftar isi diisi saat "
                                  "Word memperbarui bidang (juga: LKJIP_TANPA_TATA_LETAK=1)")
    scaffold = sub.add_parser("new-year", help="buat content/TAHUN dari tahun terakhir (realisasi dikosongkan)",
                              parents=[common])
    scaffold.add_argument("year", type=year_arg, metavar="TAHUN")
    scaffold.add_argument("--content", type=Path, default=Path("content"))
    diff = sub.add_parser("diff", help="laporan perubahan antara dua tahun, atau dua triwulan satu tahun "
                                       "(2023-TW1 2023-TW2) (Markdown)", parents=[common])
    diff.add_argument("year_from", type=period_arg, metavar="DARI", help="tahun (2022) atau triwulan (2023-TW1)")
    diff.add_argument("year_to", type=period_arg, metavar="KE", help="tahun (2023) atau triwulan (2023-TW2)")
    diff.add_argument("--content", type=Path, default=Path("content"))
    diff.add_argument("--dasar", type=Path, default=None, metavar="FOLDER",
                      help="folder konten tempat DARI dibaca (mis. salinan cabang main), untuk melihat perubahan "
                           "sebuah pull request pada tahun yang sama, termasuk Renstra: diff 2023 2023 --dasar FOLDER")
    diff.add_argument("--output", type=Path, default=Path("output"))
    diff.add_argument("--format", choices=("markdown", "github"), default="markdown",
                      help="markdown (bawaan) atau github: anotasi GitHub Actions pada baris konten tempat nilai atau "
                           "penilaian berubah (Markdown tetap ditulis ke output/diff-DARI-KE.md)")
    text = sub.add_parser("docx-text", help="cetak teks sebuah DOCX (untuk git diff textconv)", parents=[common])
    text.add_argument("path", type=Path)
    export = sub.add_parser("ekspor", help="semua tabel laporan ke output/lkjip-TAHUN-tabel.xlsx", parents=[common])
    export.add_argument("--year", type=year_arg, help=year_help)
    export.add_argument("--content", type=Path, default=Path("content"))
    export.add_argument("--output", type=Path, default=Path("output"))
    budget = sub.add_parser("impor-anggaran", help="pagu dan realisasi dari ekspor keuangan (XLSX/CSV) ke program.yaml",
                            parents=[common])
    budget.add_argument("file", type=Path, metavar="BERKAS")
    budget.add_argument("--year", type=year_arg, help=year_help)
    budget.add_argument("--content", type=Path, default=Path("content"))
    budget.add_argument("--tulis", action="store_true", help="tulis perubahan (tanpa ini hanya ditampilkan)")
    budget.add_argument("--triwulan", type=_quarter_arg, default=None, metavar="N",
                        help="realisasi sampai dengan akhir triwulan N (1-4 atau I-IV) ke anggaran.triwulan.N.realisasi; "
                             "pagu dan realisasi tahunan tidak diubah")
    agreement = sub.add_parser("pk", help="susun Perjanjian Kinerja tahun itu sebagai dokumen sendiri: output/pk-TAHUN.docx",
                               parents=[common])
    agreement.add_argument("--year", type=year_arg, help=year_help)
    agreement.add_argument("--content", type=Path, default=Path("content"), help="folder konten (bawaan: content)")
    agreement.add_argument("--output", type=Path, default=Path("output"), help="folder keluaran (bawaan: output)")
    agreement.add_argument("--perubahan", action="store_true",
                           help="PK Perubahan (perjanjian_kinerja_perubahan): output/pk-perubahan-TAHUN.docx")
    monitor = sub.add_parser("triwulan", help="laporan pemantauan kinerja triwulan N: output/triwulan-N-TAHUN.docx",
                             parents=[common])
    monitor.add_argument("quarter", type=_quarter_arg, metavar="N", help="triwulan 1-4 (atau I-IV)")
    monitor.add_argument("--year", type=year_arg, help=year_help)
    monitor.add_argument("--content", type=Path, default=Path("content"), help="folder konten (bawaan: content)")
    monitor.add_argument("--output", type=Path, default=Path("output"), help="folder keluaran (bawaan: output)")
    upgrade = sub.add_parser("upgrade", help="perbarui konten yang ditulis untuk format lama ke format sekarang "
                                             "(tanpa --tulis hanya ditampilkan)", parents=[common])
    upgrade.add_argument("--content", type=Path, default=Path("content"), help="folder konten (bawaan: content)")
    upgrade.add_argument("--tulis", action="store_true", help="tulis perubahan (tanpa ini hanya ditampilkan)")
    for name, help_text in (("reviu", "kertas kerja reviu Inspektorat: output/reviu-TAHUN.md dan .xlsx"),
                            ("nilai", "nilai mandiri LKE komponen Pelaporan Kinerja: output/nilai-TAHUN.md")):
        tool = sub.add_parser(name, help=help_text, parents=[common])
        tool.add_argument("--year", type=year_arg, help=year_help)
        tool.add_argument("--content", type=Path, default=Path("content"), help="folder konten (bawaan: content)")
        tool.add_argument("--output", type=Path, default=Path("output"), help="folder keluaran (bawaan: output)")
    _init_parsers(sub, common)
    schemas = sub.add_parser("skema-json", help="buat JSON Schema untuk editor dari schema/*.yaml", parents=[common])
    schemas.add_argument("--output", type=Path, default=None,
                         help="folder tujuan (bawaan: schema/json di repositori alat ini, atau .lkjip/skema di "
                              "folder kerja)")
    return parser


def _init_parsers(sub, common) -> None:
    init = sub.add_parser("init", help="buat repositori konten baru untuk sebuah instansi (kerangka berisi isian "
                                       "kosong, set-up editor, CI)", parents=[common])
    init.add_argument("folder", type=Path, metavar="FOLDER", help="folder baru (atau kosong) untuk repositori")
    init.add_argument("--nama", help='nama perangkat daerah, mis. "Dinas Pendidikan"')
    init.add_argument("--daerah", help='nama daerah, mis. "Kabupaten Contoh"')
    init.add_argument("--tahun", type=year_arg, help="tahun laporan pertama, mis. 2025")
    init.add_argument("--nomenklatur", choices=tuple(NOMENKLATUR_LABELS), default=None,
                      help="kode program/kegiatan (bawaan: permendagri-90-2019)")
    editor = sub.add_parser("editor", help="tulis ulang set-up VS Code (.vscode, .lkjip/skema) untuk repositori "
                                           "konten yang ada", parents=[common])
    editor.add_argument("--content", type=Path, default=Path("content"), help="folder konten (bawaan: content)")


def utf8_streams() -> None:
    """stdout/stderr write UTF-8 on every platform (a Windows pipe would be cp1252): once, at the CLI entry."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8", errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _year(args) -> int | None:
    if args.year:
        return args.year
    years = available_years(args.content)
    return years[-1] if years else None


def _layout_skipped(args) -> str | None:
    """Why the LibreOffice layout pass that fills in page numbers does not run (None: it runs)."""
    from .render import layout
    if args.tanpa_tata_letak or layout.opted_out():
        return "Tata letak dilewati"
    if not layout.available():
        return "LibreOffice/poppler tidak ditemukan"
    return None


def _print_problems(problems, fmt: str = "teks", hide_declared: bool = False) -> None:
    """All problems in the chosen format; with hide_declared (report) the declared corrections of the source are
    counted instead of listed: `check` lists them, and the build writes them to output/koreksi-YAAAA.md."""
    shown = without_declared(problems) if hide_declared else problems
    sys.stdout.write(render(shown, fmt))
    if len(shown) < len(problems):
        print(f"{len(problems) - len(shown)} koreksi atas sumber dinyatakan (rinciannya: check --koreksi)",
              file=sys.stderr)
    count = {s: sum(p.severity == s for p in problems) for s in ("error", "warning", "note")}
    print(f"{count['error']} galat, {count['warning']} peringatan, {count['note']} catatan", file=sys.stderr)


def _new_year(args) -> int:
    from .tools.years.scaffold import ScaffoldError, new_year
    skipped: list = []
    try:
        path = new_year(args.content, args.year, skipped)
    except ScaffoldError as exc:
        _print_skipped(skipped)
        print(f"{getattr(args, 'prog', PROG)} new-year: galat: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:
        _print_skipped(skipped)
        raise OutputError(exc.filename or args.content, explain(exc)) from None
    _print_skipped(skipped)
    if skipped:
        print(f"{len(skipped)} berkas tidak disalin (tautan, berkas khusus, terlalu besar atau tidak terbaca).",
              file=sys.stderr)
    print(f"Konten {args.year} dibuat di {relpath(Path(path))}. Jalankan check --year {args.year} untuk melihat "
          "isian yang belum diisi.", file=sys.stderr)
    return EXIT_OK


def _print_skipped(skipped: list) -> None:
    for problem in skipped:
        print(problem.format(), file=sys.stderr)


def _docx_text(args) -> int:
    try:
        text = docx_text(args.path)
    except FileNotFoundError:
        raise UsageError(f"berkas {relpath(args.path)} tidak ditemukan") from None
    except DocxTextError as exc:
        raise UsageError(f"{relpath(args.path)}: {exc}") from None
    except MemoryError:
        raise UsageError(f"{relpath(args.path)}: memori tidak cukup untuk membaca DOCX ini") from None
    sys.stdout.write(text)
    return EXIT_OK


def _skema_json(args) -> int:
    from .tools.editor.editor_schema import OUTPUT_DIR, write
    folder = Path(args.output or _skema_default(resources.SCHEMA_DIR / OUTPUT_DIR))
    if os.path.lexists(folder) and not folder.is_dir():
        raise UsageError(f"{relpath(folder)} bukan folder; --output harus folder tujuan JSON Schema")
    try:
        changed = write(folder)
    except OSError as exc:
        raise UsageError(f"JSON Schema tidak dapat ditulis ke {relpath(folder)}: {explain(exc)}") from None
    print(f"{len(changed)} JSON Schema diperbarui di {relpath(folder)}", file=sys.stderr)
    return EXIT_OK


def _with_blanks(content: Path, year: int, problems: list) -> list:
    """The `[ISI ...]` blanks of a skeleton written by `init` (lkjip/tools/editor/init.py), listed with the other problems."""
    marks = blank_marks(content, year)
    return sort_problems(problems + marks) if marks else problems


def _say_skipped(result) -> None:
    """Errors stop the run before the meaning checks and the computation: say so, or the count reads as complete."""
    if result.report is None and has_errors(result.problems):
        print("Catatan: tahap pemeriksaan makna dan perhitungan dilewati karena galat struktur atau isi di atas; "
              "peringatan lain baru tampil setelah galat diperbaiki.", file=sys.stderr)


def _ask(label: str) -> str:
    try:
        return input(f"{label}: ")
    except EOFError:
        raise UsageError(f"{label} tidak diberikan") from None


def _init_commands(args) -> int:
    from .tools.editor.init import InitError, create, write_editor
    prog = getattr(args, "prog", PROG)
    try:
        if args.command == "editor":
            root, written = write_editor(args.content)
            print(f"Set-up editor ditulis di {relpath(root)}: {len(written)} berkas (.vscode/, .lkjip/skema/). "
                  "Buka folder itu di VS Code dan pasang ekstensi YAML (Red Hat).", file=sys.stderr)
            return EXIT_OK
        wanted = {"--nama": args.nama, "--daerah": args.daerah, "--tahun": args.tahun}
        missing = [flag for flag, value in wanted.items() if value is None]
        if missing and not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise UsageError(f"tanpa terminal interaktif, berikan {', '.join(missing)}; mis. {prog} init "
                             f"{args.folder} --nama \"Dinas Pendidikan\" --daerah \"Kabupaten Contoh\" --tahun 2025")
        nama = args.nama if args.nama is not None else _ask('Nama perangkat daerah (mis. "Dinas Pendidikan")')
        daerah = args.daerah if args.daerah is not None else _ask('Nama daerah (mis. "Kabupaten Contoh")')
        tahun = args.tahun if args.tahun is not None else _ask("Tahun laporan (mis. 2025)")
        folder = create(args.folder, nama, daerah, tahun, args.nomenklatur or NOMENKLATUR_DEFAULT)
    except InitError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise OutputError(exc.filename or args.folder, explain(exc)) from None
    print(f"Repositori konten dibuat di {relpath(folder)}. Langkah berikutnya: masuk ke folder itu, jalankan "
          f"`git init`, lalu `{prog} check` (isian bertanda [ISI] tampil sebagai peringatan isian-kosong) dan "
          f"`{prog} report` (laporan draf).", file=sys.stderr)
    return EXIT_OK


def _skema_default(checkout: Path) -> Path:
    """schema/json in a checkout of the tool; never inside an installed package: .lkjip/skema of the current folder."""
    from .tools.editor.init import SKEMA_DIR
    return SKEMA_DIR if checkout.is_relative_to(resources._INSTALLED) else checkout


def _report_all(args) -> int:
    from .tools.batch import run
    if args.year:
        raise UsageError("--all menyusun semua tahun; jangan pakai --year bersamanya")
    if args.proses is not None and args.proses < 1:
        raise UsageError("--proses harus 1 atau lebih")
    roots = args.root or [args.content]
    for root in roots:
        if not available_years(root):
            raise UsageError(f"tidak ada folder tahun (mis. 2022) di {relpath(root)}")
    skipped = _layout_skipped(args)
    code = run(roots, args.output, strict=args.strict, layout=skipped is None, workers=args.proses)
    if skipped and code != EXIT_INTERRUPTED:
        from .render.layout import notice
        notice(skipped)
    return code


def _build(args) -> int:
    if getattr(args, "all", False):
        return _report_all(args)
    if getattr(args, "root", None):
        raise UsageError("--root hanya berlaku bersama --all (untuk satu folder konten pakai --content)")
    year = _year(args)
    if year is None:
        raise UsageError(f"tidak ada folder tahun (mis. 2022) di {relpath(args.content)}")
    if args.command == "ekspor":
        from .tools.spreadsheet.ekspor import run_export
        return run_export(args.content, year, args.output)
    if args.command == "reviu":
        from .tools.reviu.worksheet import run_reviu
        return run_reviu(args.content, year, args.output)
    if args.command == "nilai":
        from .tools.nilai.lke import run_nilai
        return run_nilai(args.content, year, args.output)
    if args.command in ("pk", "triwulan"):
        if args.command == "pk":
            result, what = pipeline.agreement(args.content, year, args.output, revised=args.perubahan), "Perjanjian Kinerja"
        else:
            def workbook(txn, report, plan, name):
                from .tools.spreadsheet.ekspor import workbook_bytes
                txn.write(f"{name}.xlsx", workbook_bytes(report, plan.markdown, plan.specs, plan.prose))
            result = pipeline.quarterly(args.content, year, args.quarter, args.output, after=workbook)
            what = "Laporan pemantauan"
        _print_problems(result.problems, "teks", hide_declared=True)
        if result.output is None:
            print(f"{what} tidak disusun karena galat di atas.", file=sys.stderr)
            return EXIT_ERRORS
        print(f"{what} ditulis ke {relpath(result.output)}", file=sys.stderr)
        return EXIT_OK
    if args.command == "impor-anggaran":
        from .tools.spreadsheet.impor import run_import
        return run_import(args.content, year, args.file, args.tulis, args.triwulan)
    if args.command == "check":
        result = pipeline.check(args.content, year, strict=args.strict)
        result.problems = _with_blanks(args.content, year, result.problems)
        _print_problems(result.problems, args.format)
        _say_skipped(result)
        if args.koreksi and result.report is not None:
            sys.stdout.write("\n" + listing(result.report.koreksi, year, result.report.laporan["singkatan"]))
        return EXIT_ERRORS if pipeline.blocked(result.problems, args.strict) else EXIT_OK
    after_build = None
    if args.command in ("pdf", "preview"):
        if pdf.soffice() is None:                      # say so before spending time on the build
            raise UsageError(pdf.missing_message("LibreOffice", "PDF"))
        if args.command == "preview" and pdf.pdftoppm() is None:
            raise UsageError(pdf.missing_message("pdftoppm (poppler)", "pratinjau"))

        def with_pdf(txn, staged_docx):
            staged_pdf = pdf.to_pdf(staged_docx, txn.path(Path(staged_docx).with_suffix(".pdf").name),
                                    args.output / ".cache")
            if args.command == "preview":
                pdf.to_png(staged_pdf, txn.path("preview"))
        after_build = with_pdf
    skipped = _layout_skipped(args)
    said = io.StringIO()                  # what the build says (a failed layout pass): after the problem list, where
    try:                                  # it is read, not above sixty warnings
        with contextlib.redirect_stderr(said):
            result = pipeline.report(args.content, year, args.output, strict=args.strict, layout=skipped is None,
                                     after_build=after_build)
    except BaseException:
        sys.stderr.write(said.getvalue())
        raise
    _print_problems(_with_blanks(args.content, year, result.problems), hide_declared=True)
    if pipeline.blocked(result.problems, args.strict) or result.output is None:
        sys.stderr.write(said.getvalue())
        print("Laporan tidak disusun karena masih ada galat (atau peringatan, dengan --strict).", file=sys.stderr)
        return EXIT_ERRORS
    print(f"Laporan ditulis ke {relpath(result.output)}", file=sys.stderr)
    sys.stderr.write(said.getvalue())
    if skipped:
        from .render.layout import notice
        notice(skipped)
    if args.command in ("pdf", "preview"):
        print(f"PDF ditulis ke {relpath(result.output.with_suffix('.pdf'))}", file=sys.stderr)
    if args.command == "preview":
        print(f"Halaman pratinjau di {relpath(args.output / 'preview')}", file=sys.stderr)
    return EXIT_OK


def _inside(path: Path, folder: Path) -> bool:
    """path is folder or lies inside it, after following links (as the file system will)."""
    inner = os.path.normcase(os.path.realpath(path))
    outer = os.path.normcase(os.path.realpath(folder))
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def _output_outside_content(args) -> None:
    """--output inside a content folder (or equal to it, or a year folder) is refused (exit 2): the next `check`
    would read the outputs as content and the outputs would be committed with it."""
    output, content = getattr(args, "output", None), getattr(args, "content", None)
    if output is None or content is None:
        return
    for root in (getattr(args, "root", None) if getattr(args, "all", False) else None) or [content]:
        if _inside(output, root):
            raise UsageError(f"folder keluaran {relpath(Path(output))} berada di dalam folder konten "
                             f"{relpath(Path(root))}; check berikutnya akan membaca keluaran sebagai konten. "
                             "Pilih folder di luar folder konten dengan --output")


def _dispatch(args) -> int:
    _output_outside_content(args)
    if args.command == "new-year":
        return _new_year(args)
    if args.command == "diff":
        from .tools.years.diff import run_diff
        (year_a, qa), (year_b, qb) = args.year_from, args.year_to
        if qa is None and qb is None:
            return run_diff(args.content, year_a, year_b, args.output, args.format, args.dasar)
        if args.dasar is not None:
            raise UsageError("--dasar membandingkan tahun, bukan triwulan")
        if qa is None or qb is None or year_a != year_b or qa >= qb:
            raise UsageError("diff triwulan membandingkan dua triwulan satu tahun, yang lebih awal dahulu, "
                             "mis. 2023-TW1 2023-TW2")
        from .tools.years.quarter_diff import run_quarter_diff
        return run_quarter_diff(args.content, year_a, qa, qb, args.output, args.format)
    if args.command == "docx-text":
        return _docx_text(args)
    if args.command == "upgrade":
        from .tools.upgrade import run_upgrade
        if not available_years(args.content):
            raise UsageError(f"tidak ada folder tahun (mis. 2022) di {relpath(args.content)}")
        return run_upgrade(args.content, args.tulis)
    if args.command == "skema-json":
        return _skema_json(args)
    if args.command in ("init", "editor"):
        return _init_commands(args)
    return _build(args)


def _on_terminate(signum, _frame):
    raise SystemExit(128 + signum)          # unwinds like an error: staging folders are removed


def main(argv: list[str] | None = None, prog: str = PROG) -> int:
    utf8_streams()
    args = _parser(prog).parse_args(argv)
    args.prog = prog
    debug = args.debug or args.debug_first or os.environ.get("LKJIP_DEBUG") == "1"
    command = f"{prog} {args.command}"
    previous = None
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        previous = signal.signal(signal.SIGTERM, _on_terminate)
    collecting = gc.isenabled()
    gc.disable()        # one short build leaves almost no reference cycles; the collector's repeated passes over every
    try:                # live object cost up to a fifth of a large build (bench/run.py). Restored below.
        return _dispatch(args)
    except UsageError as exc:
        print(f"{command}: galat penggunaan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:
        print(f"{command}: keluaran tidak dapat ditulis: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        print(f"{command}: dibatalkan; keluaran sebelumnya tidak berubah.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one top-level guard: never a traceback for editors
        if isinstance(exc, ToolError):
            print(f"{command}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if debug:
            traceback.print_exc()
        what = "memori tidak cukup" if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {str(exc)[:300]}"
        print(f"{command}: galat tak terduga ({what}); keluaran sebelumnya tidak berubah. Jalankan ulang dengan "
              f"--debug untuk melihat traceback dan sampaikan kepada pengelola repositori.", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if collecting:
            gc.enable()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def finish(code: int) -> None:
    """End the process with `code` once everything is written and flushed, without tearing the interpreter down
    object by object (a tenth of a build's time; nothing is registered to run at exit then: outputs and pools are
    closed by main). A normal exit under --debug/LKJIP_DEBUG or coverage measurement."""
    if os.environ.get("LKJIP_DEBUG") == "1" or "--debug" in sys.argv or "coverage" in sys.modules:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def console() -> None:
    """Entry point of the installed `lkjip` command (and `python -m lkjip`)."""
    finish(main(prog="lkjip"))
