"""CLI tool `report --all`: every year folder of every content root built in parallel processes, one summary line
per report (Indonesian), in a fixed order.

Each report is an ordinary build (pipeline.report: atomic, deterministic). One content root writes into the output
folder as `report` does (output/lkjip-TAHUN.docx); with several roots each root gets its own subfolder named after
it (output/<nama-root>/lkjip-TAHUN.docx, "-2", "-3" ... when two roots have the same name), so no two builds write
the same file. Workers are started with the platform's default method (spawn on Windows and macOS): the worker
function is top-level and the entry points (build.py, python -m lkjip, the lkjip command) guard their main code.
"""
from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

OK, CONTENT_ERRORS, OUTPUT_ERROR, INTERNAL_ERROR = 0, 1, 3, 4


@dataclass(frozen=True)
class Job:
    root: str
    year: int
    output: str
    strict: bool = False
    layout: bool = False


@dataclass(frozen=True)
class Outcome:
    job: Job
    code: int                  # OK, CONTENT_ERRORS, OUTPUT_ERROR, INTERNAL_ERROR
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0
    detail: str = ""           # what went wrong, or where the report was written
    notes: str = ""            # what the build printed (layout notices), shown under its line


def output_folders(roots: list[Path], output: Path) -> list[Path]:
    """One output folder per root: `output` itself for a single root, else output/<root name>, made unique."""
    if len(roots) == 1:
        return [Path(output)]
    folders, used = [], set()
    for root in roots:
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(os.path.abspath(root)).name).strip("-.") or "konten"
        candidate, n = name, 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{name}-{n}"
        used.add(candidate.lower())
        folders.append(Path(output) / candidate)
    return folders


def plan(roots: list[Path], output: Path, strict: bool = False, layout: bool = False) -> list[Job]:
    """Every (root, year) in order: roots as given, years ascending."""
    from .load import available_years
    jobs = []
    for root, folder in zip(roots, output_folders(roots, output)):
        jobs += [Job(str(root), year, str(folder), strict, layout) for year in available_years(Path(root))]
    return jobs


def build(job: Job) -> Outcome:
    """One report, in a worker process; never raises (every failure is an Outcome)."""
    import contextlib
    import gc
    import io
    from . import pipeline
    from .output import OutputError
    from .problems import ERROR, WARNING
    start = time.perf_counter()
    printed = io.StringIO()
    try:
        with contextlib.redirect_stderr(printed):
            result = pipeline.report(Path(job.root), job.year, Path(job.output), strict=job.strict, layout=job.layout)
        errors = sum(p.severity == ERROR for p in result.problems)
        warnings = sum(p.severity == WARNING for p in result.problems)
        blocked = pipeline.blocked(result.problems, job.strict) or result.output is None
        detail = "" if blocked else Path(result.output).as_posix()
        return Outcome(job, CONTENT_ERRORS if blocked else OK, errors, warnings, time.perf_counter() - start,
                       detail, printed.getvalue())
    except OutputError as exc:
        return Outcome(job, OUTPUT_ERROR, seconds=time.perf_counter() - start, detail=str(exc),
                       notes=printed.getvalue())
    except Exception as exc:  # noqa: BLE001 - one report's defect must not stop the others
        what = "memori tidak cukup" if isinstance(exc, MemoryError) else f"{type(exc).__name__}: {str(exc)[:300]}"
        return Outcome(job, INTERNAL_ERROR, seconds=time.perf_counter() - start, detail=what, notes=printed.getvalue())
    finally:
        gc.collect()            # workers build many reports; the CLI turns the collector off for one build


def _seconds(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def line(outcome: Outcome) -> str:
    """The summary line of one report."""
    from .load import relpath
    job = outcome.job
    source = f"{relpath(Path(job.root))}/{job.year}"
    counts = f"{outcome.errors} galat, {outcome.warnings} peringatan"
    if outcome.code == OK:
        return f"selesai  {source} -> {relpath(Path(outcome.detail))} ({counts}; {_seconds(outcome.seconds)} s)"
    if outcome.code == CONTENT_ERRORS:
        return (f"gagal    {source}: konten bermasalah ({counts}); jalankan build.py check --content "
                f"{relpath(Path(job.root))} --year {job.year}")
    if outcome.code == OUTPUT_ERROR:
        return f"gagal    {source}: keluaran tidak dapat ditulis: {outcome.detail}"
    return f"gagal    {source}: galat tak terduga ({outcome.detail}); jalankan report --year {job.year} --debug"


def run(roots: list[Path], output: Path, strict: bool = False, layout: bool = False, workers: int | None = None,
        context=None) -> int:
    """Build everything, print one line per report as results arrive (in plan order) and a total line; the exit
    code is the worst outcome (0 all written, 1 content errors, 3 an output not writable, 4 internal error)."""
    from concurrent.futures import ProcessPoolExecutor
    jobs = plan(roots, output, strict, layout)
    if not jobs:
        return -1
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    start = time.perf_counter()
    outcomes = []
    if workers == 1:
        results = map(build, jobs)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        results = pool.map(build, jobs)
    try:
        for outcome in results:                     # in plan order, each as soon as it and those before are done
            outcomes.append(outcome)
            print(line(outcome), flush=True)
            for note in outcome.notes.splitlines():
                print(f"         {note}", flush=True)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    failed = sum(o.code != OK for o in outcomes)
    print(f"{len(outcomes) - failed} dari {len(outcomes)} laporan disusun dalam {_seconds(time.perf_counter() - start)} s "
          f"({workers} proses){'; ' + str(failed) + ' gagal' if failed else ''}", file=sys.stderr)
    return max(o.code for o in outcomes)
