"""Orchestrator: the stages top to bottom, load -> schema -> checks -> compute -> consistency -> render."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import checks, consistency, load, schema
from .compute import compute
from .frozen import freeze
from .problems import WARNING, Problem, has_errors, sort_problems


@dataclass
class Result:
    problems: list = field(default_factory=list)
    report: object = None
    content: object = None
    prose: dict | None = None          # rendered prose, reused by the render stage
    output: Path | None = None


def previous_report(root: Path, year: int):
    """Last year's computed report, when content/<year-1>/ exists and has no errors; else None."""
    if not (root / str(year - 1)).is_dir():
        return None
    return check(root, year - 1, with_previous=False, with_prose=False).report


def check(root: Path, year: int, with_previous: bool = True, with_prose: bool = True) -> Result:
    """Every stage up to the computed model; all problems of one run, errors first."""
    content, problems = load.load(root, year)
    typed, found = schema.validate(content.docs)
    problems += found
    result = Result(content=content)
    if has_errors(problems) or len(typed) != len(content.docs) or not content.docs:
        result.problems = sort_problems(problems)
        return result
    data = freeze(typed)
    problems += checks.run_checks(data, content.docs)
    if has_errors(problems):
        result.problems = sort_problems(problems)
        return result
    previous = previous_report(root, year) if with_previous else None
    if with_previous and previous is None and (root / str(year - 1)).is_dir():
        problems.append(Problem(load.relpath(root / str(year - 1)), 0, "", "tahun-lalu-bermasalah", WARNING,
                                f"Konten {year - 1} masih mengandung galat; angka tahun lalu diambil dari data tersimpan "
                                f"tahun {year} (jalankan check --year {year - 1})"))
    report = compute(data, previous)
    problems += consistency.run_consistency(report, data, content.docs, content.prose)
    if with_prose:
        from .render.build import OUTLINE
        from .render.prose import check_sections, render_prose
        result.prose, found = render_prose(report, content.prose)
        problems += found
        problems += check_sections(content.prose, f"{load.relpath(root / str(year))}/{load.PROSE_DIR}",
                                   OUTLINE.read_text(encoding="utf-8"))
    result.report = report
    result.problems = sort_problems(problems)
    return result


def report(root: Path, year: int, output_dir: Path, strict: bool = False, after_build=None) -> Result:
    """strict: any warning also stops the build (nothing is written). after_build(txn, staged_docx): more files
    for the same output transaction (PDF, preview pages)."""
    result = check(root, year)
    if has_errors(result.problems) or result.report is None or (strict and result.problems):
        return result
    from .render.build import render_report
    result.output, found = render_report(result.report, result.content, output_dir, result.prose, after_build)
    result.problems = sort_problems(result.problems + found)
    return result
