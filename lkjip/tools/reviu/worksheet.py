"""reviu tool: `build.py reviu` writes the reviewer's worksheet (kertas kerja reviu) output/reviu-TAHUN.md and .xlsx:
each check an APIP reviewer makes on the LKjIP (PermenPAN-RB 53/2014), recomputed from the content's leaves
(lkjip/tools/reviu/checks.py), with its result and the evidence as file:line."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ... import pipeline
from ...base.output import OutputError, transaction
from ...base.problems import has_errors
from ...load.content import load, relpath
from ...render.build import report_datetime
from ...render.tables import Cell, TableSpec
from ..spreadsheet.ekspor import write_sheet
from ..spreadsheet.workbook import save
from .checks import CHECKS, OK, PERHATIAN, TIDAK, Context, Finding
from .recount import Source

RESULTS = (OK, PERHATIAN, TIDAK)


def context(result, root: Path, year: int) -> Context:
    previous_dir = root / str(year - 1)
    previous = None
    if previous_dir.is_dir():
        docs, _problems = load(root, year - 1)
        previous = Source(docs.docs)
    return Context(result.report, Source(result.content.docs), previous, relpath(previous_dir),
                   result.prose or {}, result.content.prose, tuple(result.problems))


def worksheet(ctx: Context) -> list[Finding]:
    return [check(ctx) for check in CHECKS]


def _cell(text) -> str:
    return "-" if text in (None, "") else str(text).replace("|", "\\|").replace("\n", " ")


def markdown(findings: list[Finding], report, content_dir: str) -> str:
    counts = {r: sum(f.hasil == r for f in findings) for r in RESULTS}
    lines = [f"# Kertas kerja reviu {report.laporan['singkatan']} {report.instansi['nama']} Tahun {report.tahun}", "",
             f"Disusun dari konten `{content_dir}` untuk membantu reviu atas laporan kinerja oleh APIP (Peraturan Menteri "
             "PANRB Nomor 53 Tahun 2014). Setiap angka dihitung ulang dari isian konten (rincian terbawah), terpisah dari "
             "perhitungan laporan, lalu dibandingkan dengan yang dicetak laporan. Hasil: **ok**, **perlu perhatian**, "
             "**tidak dapat diperiksa**; bukti berupa `berkas:baris`. Kertas kerja ini alat bantu: simpulan reviu tetap "
             "pada pereviu.", "",
             f"Ringkasan: {counts[OK]} ok, {counts[PERHATIAN]} perlu perhatian, {counts[TIDAK]} tidak dapat diperiksa.", "",
             "| No | Pemeriksaan | Hasil | Keterangan | Bukti |", "|---:|---|---|---|---|"]
    for n, f in enumerate(findings, start=1):
        evidence = [b for item in f.rincian for b in item.bukti]
        lines.append(f"| {n} | {_cell(f.judul)} | {f.hasil} | {_cell(f.ringkasan)} | "
                     f"{_cell(', '.join(dict.fromkeys(evidence[:3])))} |")
    for n, f in enumerate(findings, start=1):
        lines += ["", f"## {n}. {f.judul}: {f.hasil}", ""]
        if not f.rincian:
            lines.append(f"- {f.hasil}: {f.ringkasan}")
        for item in f.rincian:
            where = f" ({', '.join(item.bukti)})" if item.bukti else ""
            lines.append(f"- **{item.hasil}**: {item.uraian}{where}")
    return "\n".join(lines) + "\n"


def workbook(findings: list[Finding], report) -> bytes:
    """The same worksheet as XLSX (through ekspor's sheet writer): a summary sheet and one row per finding."""
    from openpyxl import Workbook
    head = lambda *labels: [[Cell(t, align="c", bold=True) for t in labels]]       # noqa: E731
    summary = TableSpec("Ringkasan pemeriksaan", (1, 8, 3, 8, 8), head("No", "Pemeriksaan", "Hasil", "Keterangan", "Bukti"),
                        [([Cell(str(n), align="r", value=n), Cell(f.judul), Cell(f.hasil), Cell(f.ringkasan),
                           Cell(", ".join(dict.fromkeys(b for i in f.rincian for b in i.bukti[:1])))], False)
                         for n, f in enumerate(findings, start=1)], numbered=False)
    details = TableSpec("Rincian pemeriksaan", (1, 8, 3, 12, 8), head("No", "Pemeriksaan", "Hasil", "Uraian", "Bukti"),
                        [([Cell(str(n), align="r", value=n), Cell(f.judul), Cell(i.hasil), Cell(i.uraian), Cell("\n".join(i.bukti))],
                          False) for n, f in enumerate(findings, start=1) for i in (f.rincian or ())], numbered=False)
    wb = Workbook()
    wb.remove(wb.active)
    source = f"Kertas kerja reviu {report.laporan['singkatan']} {report.instansi['nama']} Tahun {report.tahun}."
    for name, spec in (("Ringkasan", summary), ("Rincian", details)):
        write_sheet(wb.create_sheet(name), "", spec, source)
    stamp = report_datetime(report)          # the month of signing, or 1 January after the year when not given
    wb.properties.title = source
    wb.properties.creator = wb.properties.lastModifiedBy = report.instansi["nama"]
    wb.properties.created = wb.properties.modified = stamp
    return save(wb, stamp)


def run_reviu(root: Path, year: int, output_dir: Path) -> int:
    result = pipeline.check(root, year)
    if has_errors(result.problems) or result.report is None:
        for problem in result.problems:
            if problem.severity == "error":
                print(problem.format())
        print("Kertas kerja reviu tidak disusun karena konten masih mengandung galat (jalankan check).", file=sys.stderr)
        return 1
    findings = worksheet(context(result, root, year))
    text = markdown(findings, result.report, relpath(root / str(year)))
    target = Path(output_dir) / f"reviu-{year}.md"
    book = workbook(findings, result.report)             # both outputs made in memory first: a failure writes neither
    for path in (target, target.with_suffix(".xlsx")):
        if os.path.lexists(path) and (path.is_symlink() or not path.is_file()):
            raise OutputError(path, "nama keluaran ini dipakai folder, tautan atau berkas khusus; pindahkan atau "
                                    "ganti namanya lalu jalankan lagi (tidak ada yang ditulis)")
    with transaction(Path(output_dir), f"reviu-{year}") as txn:     # the pair appears together or not at all
        txn.write(target.name, text.encode("utf-8"))
        txn.write(target.with_suffix(".xlsx").name, book)
    sys.stdout.write(text.split("\n## ", 1)[0])
    print(f"Kertas kerja reviu ditulis ke {relpath(target)} dan {relpath(target.with_suffix('.xlsx'))}", file=sys.stderr)
    return 0
