"""CLI: `python build.py` or `lkjip` check|report|pdf|preview|new-year|diff|docx-text|ekspor|impor-anggaran|skema-json
|reviu|nilai over the pipeline and tools."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, pipeline
from .annotations import FORMATS, render
from .load import available_years

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"{self.prog}: galat penggunaan: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser(prog: str = "build.py") -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="LKjIP sebagai kode: periksa konten dan susun laporan DOCX.")
    parser.add_argument("--version", action="version", version=f"lkjip {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, help_text in (("check", "periksa konten dan tampilkan semua masalah"),
                            ("report", "susun output/lkjip-TAHUN.docx"),
                            ("pdf", "susun laporan lalu output/lkjip-TAHUN.pdf melalui LibreOffice"),
                            ("preview", "susun PDF lalu output/preview/page-NN.png")):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("--year", type=int, help="tahun laporan (bawaan: tahun terbaru di folder konten)")
        cmd.add_argument("--content", type=Path, default=Path("content"), help="folder konten (bawaan: content)")
        cmd.add_argument("--strict", action="store_true", help="peringatan juga dianggap galat (kode keluar 1)")
        if name == "check":
            cmd.add_argument("--koreksi", action="store_true",
                             help="tampilkan daftar koreksi atas dokumen sumber (Markdown) setelah pemeriksaan")
        if name in ("report", "pdf", "preview"):
            cmd.add_argument("--output", type=Path, default=Path("output"), help="folder keluaran (bawaan: output)")
            cmd.add_argument("--tanpa-tata-letak", action="store_true",
                             help="lewati tata letak LibreOffice (lebih cepat); nomor halaman daftar isi diisi saat "
                                  "Word memperbarui bidang (juga: LKJIP_TANPA_TATA_LETAK=1)")
        if name == "check":
            cmd.add_argument("--format", choices=FORMATS, default="teks",
                             help="teks (bawaan), github (anotasi GitHub Actions) atau codeclimate "
                                  "(GitLab Code Quality)")
    scaffold = sub.add_parser("new-year", help="buat content/TAHUN dari tahun terakhir (realisasi dikosongkan)")
    scaffold.add_argument("year", type=int, metavar="TAHUN")
    scaffold.add_argument("--content", type=Path, default=Path("content"))
    diff = sub.add_parser("diff", help="laporan perubahan antara dua tahun (Markdown)")
    diff.add_argument("year_from", type=int, metavar="DARI")
    diff.add_argument("year_to", type=int, metavar="KE")
    diff.add_argument("--content", type=Path, default=Path("content"))
    diff.add_argument("--output", type=Path, default=Path("output"))
    text = sub.add_parser("docx-text", help="cetak teks sebuah DOCX (untuk git diff textconv)")
    text.add_argument("path", type=Path)
    export = sub.add_parser("ekspor", help="semua tabel laporan ke output/lkjip-TAHUN-tabel.xlsx")
    export.add_argument("--year", type=int, help="tahun laporan (bawaan: tahun terbaru di folder konten)")
    export.add_argument("--content", type=Path, default=Path("content"))
    export.add_argument("--output", type=Path, default=Path("output"))
    budget = sub.add_parser("impor-anggaran", help="pagu dan realisasi dari ekspor keuangan (XLSX/CSV) ke program.yaml")
    budget.add_argument("file", type=Path, metavar="BERKAS")
    budget.add_argument("--year", type=int, help="tahun laporan (bawaan: tahun terbaru di folder konten)")
    budget.add_argument("--content", type=Path, default=Path("content"))
    budget.add_argument("--tulis", action="store_true", help="tulis perubahan (tanpa ini hanya ditampilkan)")
    for name, help_text in (("reviu", "kertas kerja reviu Inspektorat: output/reviu-TAHUN.md dan .xlsx"),
                            ("nilai", "nilai mandiri LKE komponen Pelaporan Kinerja: output/nilai-TAHUN.md")):
        tool = sub.add_parser(name, help=help_text)
        tool.add_argument("--year", type=int, help="tahun laporan (bawaan: tahun terbaru di folder konten)")
        tool.add_argument("--content", type=Path, default=Path("content"), help="folder konten (bawaan: content)")
        tool.add_argument("--output", type=Path, default=Path("output"), help="folder keluaran (bawaan: output)")
    schemas = sub.add_parser("skema-json", help="buat JSON Schema untuk editor dari schema/*.yaml")
    schemas.add_argument("--output", type=Path, default=None, help="folder tujuan (bawaan: schema/json)")
    return parser


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


def _print_problems(problems, fmt: str = "teks") -> None:
    sys.stdout.write(render(problems, fmt))
    count = {s: sum(p.severity == s for p in problems) for s in ("error", "warning", "note")}
    print(f"{count['error']} galat, {count['warning']} peringatan, {count['note']} catatan", file=sys.stderr)


def main(argv: list[str] | None = None, prog: str = "build.py") -> int:
    args = _parser(prog).parse_args(argv)
    if args.command == "new-year":
        from .scaffold import ScaffoldError, new_year
        try:
            path = new_year(args.content, args.year)
        except ScaffoldError as exc:
            print(f"build.py: galat: {exc}", file=sys.stderr)
            return EXIT_ERRORS
        print(f"Konten {args.year} dibuat di {path}. Jalankan check --year {args.year} untuk melihat isian yang belum diisi.",
              file=sys.stderr)
        return EXIT_OK
    if args.command == "diff":
        from .diff import run_diff
        return run_diff(args.content, args.year_from, args.year_to, args.output)
    if args.command == "skema-json":
        from .editor_schema import OUTPUT_DIR, write
        from .resources import SCHEMA_DIR
        folder = args.output or SCHEMA_DIR / OUTPUT_DIR
        changed = write(folder)
        print(f"{len(changed)} JSON Schema diperbarui di {folder}", file=sys.stderr)
        return EXIT_OK
    if args.command == "docx-text":
        from .render.text import docx_text
        sys.stdout.write(docx_text(args.path))
        return EXIT_OK
    year = _year(args)
    if year is None:
        print(f"build.py: galat penggunaan: tidak ada folder tahun (mis. 2022) di {args.content}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "ekspor":
        from .ekspor import run_export
        return run_export(args.content, year, args.output)
    if args.command == "reviu":
        from .reviu import run_reviu
        return run_reviu(args.content, year, args.output)
    if args.command == "nilai":
        from .lke import run_nilai
        return run_nilai(args.content, year, args.output)
    if args.command == "impor-anggaran":
        from .impor import run_import
        return run_import(args.content, year, args.file, args.tulis)
    if args.command == "check":
        result = pipeline.check(args.content, year, strict=args.strict)
        _print_problems(result.problems, args.format)
        if args.koreksi and result.report is not None:
            from .corrections import listing
            sys.stdout.write("\n" + listing(result.report.koreksi, year))
        return EXIT_ERRORS if pipeline.blocked(result.problems, args.strict) else EXIT_OK
    if args.command in ("pdf", "preview"):
        from .pdf import missing, soffice
        if soffice() is None:                      # say so before spending time on the build
            missing("LibreOffice", "PDF")
            return EXIT_USAGE
    skipped = _layout_skipped(args)
    result = pipeline.report(args.content, year, args.output, strict=args.strict, layout=skipped is None)
    _print_problems(result.problems)
    if pipeline.blocked(result.problems, args.strict) or result.output is None:
        print("Laporan tidak disusun karena masih ada galat (atau peringatan, dengan --strict).", file=sys.stderr)
        return EXIT_ERRORS
    print(f"Laporan ditulis ke {result.output}", file=sys.stderr)
    if skipped:
        from .render.layout import notice
        notice(skipped)
    if args.command == "report":
        return EXIT_OK
    from .pdf import to_pdf, to_png
    pdf = to_pdf(result.output, args.output)
    if pdf is None:
        return EXIT_USAGE
    print(f"PDF ditulis ke {pdf}", file=sys.stderr)
    if args.command == "preview":
        pages = to_png(pdf, args.output / "preview")
        if pages is None:
            return EXIT_USAGE
        print(f"{len(pages)} halaman pratinjau di {args.output / 'preview'}", file=sys.stderr)
    return EXIT_OK


def console() -> None:
    """Entry point of the installed `lkjip` command (and `python -m lkjip`)."""
    sys.exit(main(prog="lkjip"))
