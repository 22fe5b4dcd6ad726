"""CLI: `python build.py` or `lkjip` check|report|pdf|preview|new-year|diff|docx-text|skema-json over the pipeline."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__, pipeline
from .annotations import FORMATS, render
from .load import available_years
from .problems import has_errors

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
        if name in ("report", "pdf", "preview"):
            cmd.add_argument("--output", type=Path, default=Path("output"), help="folder keluaran (bawaan: output)")
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
    schemas = sub.add_parser("skema-json", help="buat JSON Schema untuk editor dari schema/*.yaml")
    schemas.add_argument("--output", type=Path, default=None, help="folder tujuan (bawaan: schema/json)")
    return parser


def _year(args) -> int | None:
    if args.year:
        return args.year
    years = available_years(args.content)
    return years[-1] if years else None


def _print_problems(problems, fmt: str = "teks") -> None:
    sys.stdout.write(render(problems, fmt))
    errors = sum(p.severity == "error" for p in problems)
    print(f"{errors} galat, {len(problems) - errors} peringatan", file=sys.stderr)


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
    if args.command == "check":
        result = pipeline.check(args.content, year)
        _print_problems(result.problems, args.format)
        failed = has_errors(result.problems) or (args.strict and result.problems)
        return EXIT_ERRORS if failed else EXIT_OK
    if args.command in ("pdf", "preview"):
        from .pdf import missing, soffice
        if soffice() is None:                      # say so before spending time on the build
            missing("LibreOffice", "PDF")
            return EXIT_USAGE
    result = pipeline.report(args.content, year, args.output, strict=args.strict)
    _print_problems(result.problems)
    if has_errors(result.problems) or (args.strict and result.problems):
        print("Laporan tidak disusun karena masih ada galat (atau peringatan, dengan --strict).", file=sys.stderr)
        return EXIT_ERRORS
    print(f"Laporan ditulis ke {result.output}", file=sys.stderr)
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
