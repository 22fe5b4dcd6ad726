"""CLI tool `report --all`: every year folder of every content root built in parallel processes, one summary line
per report (Indonesian), in a fixed order.

Each report is an ordinary build (pipeline.report: atomic, deterministic). One content root writes into the output
folder as `report` does (output/lkjip-TAHUN.docx); with several roots each root gets its own subfolder named after
it (output/<nama-root>/lkjip-TAHUN.docx, "-2", "-3" ... when two roots have the same name), so no two builds write
the same file. Workers are started with the platform's default method (spawn on Windows and macOS): the worker
function is top-level and the entry points (build.py, python -m lkjip, the lkjip command) guard their main code.

Each report runs in a process of its own (at most --proses at a time), so a worker that dies (killed, out of
memory) fails only its own report: its line says so and the others finish. Ctrl-C (or SIGTERM) cancels the jobs
not yet started and stops the running ones (SIGTERM: the build unwinds, its staging folder is removed, a commit
under way is completed first; taskkill /T on Windows); only when every worker has ended does the summary say
which outputs were written (the finished reports, and a stopped one whose DOCX did change) and which are as
before. Workers ignore SIGINT: the terminal's Ctrl-C reaches the whole process group, the parent decides.
"""
from __future__ import annotations

import contextlib
import gc
import io
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from .. import pipeline
from ..base.output import OutputError, exit_unless_committing
from ..base.problems import ERROR, WARNING
from ..base.shape import output_stem
from ..load.content import available_years, relpath
from ..load.files import ContentFileError, read_content_file
from ..load.yamlsafe import parse_yaml
from ..render import pdf

OK, CONTENT_ERRORS, OUTPUT_ERROR, INTERNAL_ERROR, INTERRUPTED = 0, 1, 3, 4, 130
GRACE = 30                     # seconds a stopped worker has to unwind before it is killed


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
    died: str = ""             # the worker ended without a result: how (signal or exit code)


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
    jobs = []
    for root, folder in zip(roots, output_folders(roots, output)):
        jobs += [Job(str(root), year, str(folder), strict, layout) for year in available_years(Path(root))]
    return jobs


def build(job: Job) -> Outcome:
    """One report, in a worker process; never raises (every failure is an Outcome)."""
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
    job = outcome.job
    source = f"{relpath(Path(job.root))}/{job.year}"
    counts = f"{outcome.errors} galat, {outcome.warnings} peringatan"
    if outcome.code == OK:
        return f"selesai  {source} -> {relpath(Path(outcome.detail))} ({counts}; {_seconds(outcome.seconds)} s)"
    if outcome.code == CONTENT_ERRORS:
        return (f"gagal    {source}: konten bermasalah ({counts}); jalankan build.py check --content "
                f"{relpath(Path(job.root))} --year {job.year}")
    if outcome.code == INTERRUPTED:
        return f"batal    {source}: {outcome.detail}"
    if outcome.died:
        return (f"gagal    {source}: proses penyusunnya berhenti mendadak ({outcome.died}); {outcome.detail}. "
                f"Jalankan lagi report --content {relpath(Path(job.root))} --year {job.year}")
    if outcome.code == OUTPUT_ERROR:
        return f"gagal    {source}: keluaran tidak dapat ditulis: {outcome.detail}"
    return f"gagal    {source}: galat tak terduga ({outcome.detail}); jalankan report --year {job.year} --debug"


def _target(job: Job) -> Path:
    """The DOCX a job writes (named after laporan.yaml `singkatan`, read safely; lkjip-TAHUN when unreadable)."""
    laporan = None
    try:
        doc, _problems = parse_yaml(read_content_file(Path(job.root) / str(job.year) / "laporan.yaml", Path(job.root)),
                                    "laporan.yaml")
        laporan = doc.data if doc is not None and isinstance(doc.data, dict) else None
    except ContentFileError:
        pass
    return Path(job.output) / f"{output_stem(laporan, job.year)}.docx"


def _state(path: Path):
    """What identifies one version of an output: (inode, size, mtime); None when absent."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _changed(job: Job, before: dict) -> bool:
    return _state(_target(job)) != before[job]


def _worker(job: Job, conn) -> None:
    """Entry of a worker process: one report, its Outcome sent back. SIGTERM unwinds it (after a commit under
    way); SIGINT is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _stop)
    try:
        conn.send(build(job))
    except SystemExit:
        pass
    finally:
        conn.close()


def _stop(signum, _frame):
    exit_unless_committing(128 + signum)


def _end(proc) -> None:
    """Stop a worker: SIGTERM (it unwinds, removing its staging folder); Windows: its whole tree, at once."""
    if sys.platform == "win32":
        pdf.kill_tree(proc)
    elif proc.is_alive():
        proc.terminate()


class _Pool:
    """At most `workers` processes, one per job; results and deaths by job."""

    def __init__(self, jobs: list[Job], workers: int, context):
        self.context = context or multiprocessing.get_context()
        self.queued = list(enumerate(jobs))
        self.running: dict = {}                        # index -> (process, connection)
        self.workers = workers

    def _start(self) -> None:
        """Start queued jobs up to `workers`. Ctrl-C is held back while a worker is started and recorded (POSIX), so
        a worker is never running without being in `running`: stop() ends every one before the summary is said."""
        hold = hasattr(signal, "pthread_sigmask")
        while self.queued and len(self.running) < self.workers:
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if hold else None
            try:
                index, job = self.queued[0]
                receive, send = self.context.Pipe(duplex=False)
                proc = self.context.Process(target=_worker, args=(job, send), daemon=True,
                                            name=f"lkjip-{Path(job.root).name}-{job.year}")
                self.running[index] = (proc, receive)          # recorded first: stop() sees it even if not started
                self.queued.pop(0)
                proc.start()
                send.close()
            finally:
                if hold:
                    signal.pthread_sigmask(signal.SIG_SETMASK, previous)

    def results(self, jobs: list[Job]):
        """(index, Outcome) as each job ends, in any order."""
        self._start()
        while self.running:
            waiting = [c for _, c in self.running.values()] + [p.sentinel for p, _ in self.running.values()]
            ready = set(wait(waiting))
            for index, (proc, conn) in list(self.running.items()):
                if conn not in ready and proc.sentinel not in ready:
                    continue
                outcome = None
                try:
                    if conn.poll():
                        outcome = conn.recv()
                except (EOFError, OSError):
                    outcome = None
                if outcome is None and proc.sentinel not in ready:
                    proc.join(GRACE)                # the pipe closed without a result: the worker is ending
                if outcome is None and proc.is_alive():
                    continue
                proc.join()
                conn.close()
                del self.running[index]
                if outcome is None:
                    outcome = _died(jobs[index], proc.exitcode)
                yield index, outcome
            self._start()

    def stop(self) -> tuple[list[int], list[int]]:
        """Cancel the queued jobs and end the running ones; returns (stopped, cancelled) job indexes. Every
        worker has ended when this returns."""
        cancelled = [index for index, _ in self.queued]
        self.queued = []
        unstarted = [index for index, (proc, _c) in self.running.items() if proc.pid is None]
        for index in unstarted:                         # recorded but never started: cancelled, nothing to end
            self.running.pop(index)[1].close()
        cancelled = sorted(cancelled + unstarted)
        stopped = sorted(self.running)
        for proc, _ in self.running.values():
            _end(proc)
        for proc, conn in self.running.values():
            proc.join(GRACE)
            if proc.is_alive():
                proc.kill()
                proc.join()
            conn.close()
        self.running = {}
        return stopped, cancelled


def _died(job: Job, exitcode) -> Outcome:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"sinyal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"sinyal {-exitcode}"
    else:
        how = f"kode keluar {exitcode}"
    return Outcome(job, INTERNAL_ERROR, detail="", died=how)


def run(roots: list[Path], output: Path, strict: bool = False, layout: bool = False, workers: int | None = None,
        context=None, prog: str = "report --all") -> int:
    """Build everything, print one line per report as results arrive (in plan order) and a total line; the exit
    code is the worst outcome (0 all written, 1 content errors, 3 an output not writable, 4 internal error or a
    worker that died, 130 interrupted)."""
    jobs = plan(roots, output, strict, layout)
    if not jobs:
        return -1
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    start = time.perf_counter()
    before = {job: _state(_target(job)) for job in jobs}
    done: dict[int, Outcome] = {}
    shown = 0
    pool = _Pool(jobs, workers, context) if workers > 1 else None
    current = [None]

    def show_ready() -> None:
        nonlocal shown
        while shown in done:                        # in plan order, each as soon as it and those before are done
            outcome = done[shown]
            if outcome.died:
                changed = _changed(outcome.job, before)
                outcome = Outcome(outcome.job, outcome.code, died=outcome.died,
                                  detail=f"DOCX-nya {'sempat diganti' if changed else 'tidak berubah'}")
            print(line(outcome), flush=True)
            for note in outcome.notes.splitlines():
                print(f"         {note}", flush=True)
            shown += 1

    try:
        if pool is None:
            for index, job in enumerate(jobs):
                current[0] = index
                done[index] = build(job)
                current[0] = None
                show_ready()
        else:
            for index, outcome in pool.results(jobs):
                done[index] = outcome
                show_ready()
    except BaseException as exc:
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)    # a second Ctrl-C must not cut the summary
        try:
            if pool is not None:
                stopped, cancelled = pool.stop()
            else:
                stopped = [current[0]] if current[0] is not None else []
                cancelled = [i for i in range(len(jobs)) if i not in done and i not in stopped]
            _interrupted(jobs, done, stopped, cancelled, before, prog, show_ready)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        if isinstance(exc, KeyboardInterrupt):
            return INTERRUPTED
        raise
    outcomes = [done[i] for i in range(len(jobs))]
    failed = sum(o.code != OK for o in outcomes)
    print(f"{len(outcomes) - failed} dari {len(outcomes)} laporan disusun dalam {_seconds(time.perf_counter() - start)} s "
          f"({workers} proses){'; ' + str(failed) + ' gagal' if failed else ''}", file=sys.stderr)
    return max(o.code for o in outcomes)


def _interrupted(jobs, done, stopped, cancelled, before, prog, show_ready) -> None:
    """After every worker has ended: the lines not shown yet (in plan order: a stopped or cancelled job says
    whether its DOCX changed), then one line naming what was written, truthfully."""
    finished = dict(done)
    for index in range(len(jobs)):
        if index in done:
            continue
        job = jobs[index]
        if index in stopped and _changed(job, before):
            state = f"dihentikan setelah menulis {relpath(_target(job))}"
        elif index in stopped:
            state = "dihentikan saat disusun; keluaran sebelumnya tidak berubah"
        else:
            state = "dibatalkan sebelum dimulai; keluaran sebelumnya tidak berubah"
        done[index] = Outcome(job, INTERRUPTED, detail=state)
    show_ready()
    # written: what a worker reported done, and whatever output changed on disk meanwhile (a worker that committed
    # its report while it was being stopped reports that it was interrupted, yet its file is new)
    written = [job for i, job in enumerate(jobs)
               if (i in finished and finished[i].code == OK and not finished[i].died) or _changed(job, before)]
    if written:
        said = (f"{len(written)} laporan sudah ditulis sebelum pembatalan "
                f"({', '.join(relpath(_target(job)) for job in written)}); ")
    else:
        said = "tidak ada laporan yang ditulis; "
    print(f"{prog}: dibatalkan; {said}keluaran {len(jobs) - len(written)} laporan lain tidak berubah.",
          file=sys.stderr, flush=True)
