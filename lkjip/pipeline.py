"""Orchestrator: the stages top to bottom, load -> schema -> checks -> compute -> consistency -> render."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from .base import memo
from .base.frozen import freeze_documents
from .base.problems import ERROR, WARNING, Problem, has_errors, has_warnings, sort_problems
from .base.resources import PK_OUTLINE, QUARTER_OUTLINE
from .base.shape import PK, PK_LABELS, PK_PERUBAHAN, QUARTERS
from .compute import compute
from .compute.quarters import quarter_summary
from .load import content as load
from .validate import checks, consistency, corrections, legacy

# Lazy on purpose: validate.schema (cerberus) and render.build (python-docx, matplotlib) are imported inside the
# functions that need them, so a check whose validation and rendered outline are cached loads neither.

HISTORY_YEARS = 10         # how many earlier year folders feed the year-over-year comparisons


@dataclass
class Result:
    problems: list = field(default_factory=list)
    report: object = None
    content: object = None
    prose: dict | None = None          # rendered prose, reused by the render stage
    plan: object = None                # the rendered outline (Markdown with directives) and its table/figure specs
    output: Path | None = None


def previous_report(root: Path, year: int, depth: int = HISTORY_YEARS):
    """Last year's computed report (with its own history), when content/<year-1>/ exists and has no errors."""
    if depth <= 0 or not (root / str(year - 1)).is_dir():
        return None
    return check(root, year - 1, with_prose=False, depth=depth - 1).report


def validate(docs: dict) -> tuple[dict, list]:
    """schema.validate; answered from the cache (memo.py) when every document was validated before with the same
    bytes and code, so that cerberus is not even loaded."""
    typed: dict = {}
    problems: list = []
    for name, doc in docs.items():
        digest = getattr(doc, "digest", None)
        stored = memo.get("valid", memo.key(name, digest)) if digest else None
        if stored is None:
            from .validate import schema
            return schema.validate(docs)
        problems.extend(load.located(stored[1], doc.file))
        if stored[0] is not None:
            typed[name] = stored[0]
    return typed, problems


def _stop(result: Result, problems: list) -> Result:
    result.problems = sort_problems(problems)
    return result


def check(root: Path, year: int, with_previous: bool = True, with_prose: bool = True,
          depth: int = HISTORY_YEARS, strict: bool = False) -> Result:
    """Every stage up to the rendered outline, without writing anything: all problems of one run, errors first.
    With prose, the outline and every table and figure it asks for are built too, so that content which passes
    `check` also renders. strict (final submission): also what a submitted report must have (submission_problems)."""
    content, problems = load.load(root, year)
    typed, found = validate(content.docs)
    # content of an older format: what replaced each old key and prose name
    old_keys = legacy.legacy_problems(content.docs) + legacy.legacy_prose_problems(content.prose)
    problems += legacy.without_superseded(found, old_keys) + old_keys
    result = Result(content=content)
    if has_errors(problems) or len(typed) != len(content.docs) or not content.docs:
        return _stop(result, problems)
    if "program" not in typed:           # no program.yaml: no programs, and the budget is unknown (never zero)
        typed = {**typed, "program": {"program": []}}
    data = freeze_documents(typed, content.docs)
    problems += checks.run_checks(data, content.docs)
    records, found = corrections.resolve(data.get("koreksi"), content.docs, content.prose)
    problems += found
    if has_errors(problems):
        return _stop(result, problems)
    previous = previous_report(root, year, depth) if with_previous else None
    if with_previous and previous is None and depth > 0 and (root / str(year - 1)).is_dir():
        problems.append(Problem(load.relpath(root / str(year - 1)), 0, "", "tahun-lalu-bermasalah", WARNING,
                                f"Konten {year - 1} masih mengandung galat; angka tahun lalu diambil dari data tersimpan "
                                f"tahun {year} (jalankan check --year {year - 1})"))
    report = compute(data, previous)
    problems += consistency.run_consistency(report, data, content.docs, content.prose)
    problems, records = corrections.settle(problems, records)
    report = dataclasses.replace(report, koreksi=records)
    result.report = report
    if strict:
        problems += submission_problems(report, root)
    if with_prose:
        from .render.build import plan_report
        result.prose, result.plan, found = plan_report(report, content)
        problems += found
    return _stop(result, problems)


def submission_problems(report, root: Path) -> list:
    """Only with --strict: a final (non-draft) report is submitted after the Inspektorat's review."""
    if report.draf or report.reviu is not None:
        return []
    return [Problem(load.relpath(root / str(report.tahun) / "reviu.yaml"), 0, "", "reviu-tidak-ada", WARNING,
                    "Laporan final (draf: false) belum memiliki Pernyataan Telah Direviu; setelah reviu Inspektorat, "
                    "isi berkas ini (nomor, tempat, tanggal, inspektur)")]


def blocked(problems: list, strict: bool) -> bool:
    """Errors always stop a build; with --strict, warnings too (notes never do)."""
    return has_errors(problems) or (strict and has_warnings(problems))


def report(root: Path, year: int, output_dir: Path, strict: bool = False, layout: bool = False,
           after_build=None) -> Result:
    """strict: any warning also stops the build (nothing is written). layout: fill in page numbers through
    LibreOffice (render/layout.py; the CLI turns it on when LibreOffice is installed). after_build(txn, staged_docx):
    more files for the same output transaction (PDF, preview pages)."""
    result = check(root, year, strict=strict)
    if blocked(result.problems, strict) or result.report is None or result.plan is None:
        return result
    from .render.build import render_report
    result.output, found = render_report(result.report, result.content, output_dir, result.plan, layout=layout,
                                         after_build=after_build)
    result.problems = sort_problems(result.problems + found)
    return result


def agreement(root: Path, year: int, output_dir: Path, revised: bool = False) -> Result:
    """The Perjanjian Kinerja (or with revised, the PK Perubahan) of `year` as its own document: output/pk-TAHUN.docx
    (pk-perubahan-TAHUN.docx) and .md, from the year's content (check without prose: in January there is none)."""
    key = PK_PERUBAHAN if revised else PK

    def missing(report):
        if (report.pk_perubahan if revised else report.pk) is not None:
            return None
        return Problem(load.relpath(root / str(year) / "kinerja.yaml"), 0, key, "pk-tidak-ada", ERROR,
                       f"{PK_LABELS[key]} belum ditulis di kinerja.yaml ({key}: target, tempat, tanggal, pihak_kesatu, "
                       "pihak_kedua); dokumennya tidak dapat disusun")

    def title(report):
        return f"{(report.pk_perubahan if revised else report.pk).judul} {report.instansi['nama']}"
    return document(root, year, output_dir, PK_OUTLINE, f"pk-perubahan-{year}" if revised else f"pk-{year}",
                    missing, title, lambda report: {"perubahan": revised})


def quarterly(root: Path, year: int, quarter: int, output_dir: Path, after=None) -> Result:
    """The quarterly monitoring report of `year` at triwulan `quarter` (1-4): output/triwulan-N-TAHUN.docx and .md,
    from the Rencana Aksi (kinerja.yaml rencana_aksi). after(txn, report, plan, name): more files of the same
    transaction (the CLI adds the workbook of the report's tables)."""

    def missing(report):
        if report.rencana_aksi:
            return None
        return Problem(load.relpath(root / str(year) / "kinerja.yaml"), 0, "rencana_aksi", "rencana-aksi-tidak-ada",
                       ERROR, "Rencana aksi belum ditulis di kinerja.yaml (rencana_aksi: indikator, cara, target per "
                              "triwulan); laporan pemantauan tidak dapat disusun")
    return document(root, year, output_dir, QUARTER_OUTLINE, f"triwulan-{quarter}-{year}", missing,
                    lambda report: f"Laporan Pemantauan Kinerja Triwulan {QUARTERS[quarter - 1]} Tahun {year} "
                                   f"{report.instansi['nama']}",
                    lambda report: {"triwulan": quarter_summary(report, quarter)}, after)


def document(root: Path, year: int, output_dir: Path, outline: Path, name: str, missing, title, extra,
             after=None) -> Result:
    """A document of the SAKIP year other than the LKjIP (the PK, a quarterly monitoring report) from the same
    content: check without prose, then `outline` rendered with extra(report) and written as name.docx and .md.
    missing(report): a Problem when the content lacks what the document needs, else None."""
    result = check(root, year, with_prose=False)
    if blocked(result.problems, False) or result.report is None:
        return result
    lacking = missing(result.report)
    if lacking is not None:
        result.problems = sort_problems(result.problems + [lacking])
        return result
    from .render.build import plan_document, render_report
    report = dataclasses.replace(result.report, draf=False)      # the LKjIP's draft mark is not this document's
    plan, found = plan_document(report, outline, extra(report))
    result.problems = sort_problems(result.problems + found)
    if plan is None:
        return result
    hook = None if after is None else (lambda txn, _staged: after(txn, report, plan, name))
    result.output, found = render_report(report, result.content, output_dir, plan, name=name, title=title(report),
                                         after_build=hook)
    result.problems = sort_problems(result.problems + found)
    return result
