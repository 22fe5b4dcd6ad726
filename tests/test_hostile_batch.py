"""Interrupts and dead workers (issue 19, item 8): report --all under Ctrl-C and SIGKILL, LibreOffice that hangs
in the layout pass, the Windows branch of the process-tree kill.

Fast: the batch pool with a stand-in build (forked workers inherit the patched function), run_tree with a fake
soffice. Slow (-m slow): real `report --all` subprocesses across several roots interrupted or with a worker
killed, a fake soffice on PATH that hangs the layout pass of a real build.
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from lkjip.tools import batch
from lkjip.base import output
from lkjip.render import pdf
from lkjip.render import layout

from conftest import CONTENT, ROOT
from test_hostile_output import snapshot

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, fork and shell scripts")
FORK = multiprocessing.get_context("fork")


def _roots(tmp_path: Path, n: int) -> list[Path]:
    roots = []
    for i in range(n):
        root = tmp_path / f"akar{i}" / "content"
        (root / "2022").mkdir(parents=True)
        roots.append(root)
    return roots


def _fake_build(behaviour):
    """A stand-in for batch.build: behaviour(job) runs first (kill, sleep, raise), then the report 'is written'."""
    def build(job):
        behaviour(job)
        target = Path(job.output) / f"lkjip-{job.year}.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        output.write_atomic(target, b"PK laporan")
        return batch.Outcome(job, batch.OK, detail=target.as_posix())
    return build


def _index(job) -> int:
    return int(Path(job.root).parent.name.removeprefix("akar"))


# --- a dead worker fails only its own report -----------------------------------------------------------------

@pytest.mark.parametrize("how,said", [("kill", "sinyal SIGKILL"), ("exit", "kode keluar 7"),
                                      ("usr1", "sinyal SIGUSR1")])
def test_one_dead_worker_fails_only_its_report(how, said, tmp_path, monkeypatch, capsys):
    def behaviour(job):
        if _index(job) == 1:
            if how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            elif how == "usr1":
                os.kill(os.getpid(), signal.SIGUSR1)
            os._exit(7)
    monkeypatch.setattr(batch, "build", _fake_build(behaviour))
    roots = _roots(tmp_path, 4)
    out = tmp_path / "out"
    before = snapshot(tmp_path, skip=out)
    code = batch.run(roots, out, workers=2, context=FORK)
    lines = capsys.readouterr().out.splitlines()
    assert code == batch.INTERNAL_ERROR
    assert [line.split()[0] for line in lines] == ["selesai", "gagal", "selesai", "selesai"]
    assert "akar1/content/2022" in lines[1] and f"berhenti mendadak ({said})" in lines[1]
    assert "DOCX-nya tidak berubah" in lines[1]
    assert sorted(p.parent.name for p in out.rglob("lkjip-2022.docx")) == ["content", "content-3", "content-4"]
    assert snapshot(tmp_path, skip=out) == before


def test_every_worker_dead(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(batch, "build", _fake_build(lambda job: os.kill(os.getpid(), signal.SIGKILL)))
    roots = _roots(tmp_path, 3)
    assert batch.run(roots, tmp_path / "out", workers=3, context=FORK) == batch.INTERNAL_ERROR
    captured = capsys.readouterr()
    assert [line.split()[0] for line in captured.out.splitlines()] == ["gagal"] * 3
    assert "0 dari 3 laporan" in captured.err and not list((tmp_path / "out").rglob("*.docx"))


def test_dead_worker_after_its_commit_is_reported_truthfully(tmp_path, monkeypatch, capsys):
    def build(job):
        target = Path(job.output) / f"lkjip-{job.year}.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        output.write_atomic(target, b"PK laporan")
        os.kill(os.getpid(), signal.SIGKILL)
    monkeypatch.setattr(batch, "build", build)
    assert batch.run(_roots(tmp_path, 2), tmp_path / "out", workers=2, context=FORK) == batch.INTERNAL_ERROR
    lines = capsys.readouterr().out.splitlines()
    assert all("DOCX-nya sempat diganti" in line for line in lines) and len(lines) == 2


# --- Ctrl-C ---------------------------------------------------------------------------------------------------

def _interrupt_after(seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_ctrl_c_stops_running_and_cancels_queued_jobs(tmp_path, monkeypatch, capsys):
    def behaviour(job):
        if _index(job) != 0:
            time.sleep(3)                          # still running (or queued) when Ctrl-C comes
    monkeypatch.setattr(batch, "build", _fake_build(behaviour))
    roots = _roots(tmp_path, 5)
    out = tmp_path / "out"
    before = snapshot(tmp_path, skip=out)
    timer = _interrupt_after(1.5)
    code = batch.run(roots, out, workers=2, context=FORK)
    timer.join()
    said_at = time.time()
    captured = capsys.readouterr()
    assert code == batch.INTERRUPTED
    lines = captured.out.splitlines()
    assert lines[0].startswith("selesai") and "akar0/content/2022" in lines[0]
    assert [line.split(":")[1].strip() for line in lines[1:]] == \
        ["dihentikan saat disusun; keluaran sebelumnya tidak berubah"] * 2 \
        + ["dibatalkan sebelum dimulai; keluaran sebelumnya tidak berubah"] * 2
    written = (out / "content" / "lkjip-2022.docx")
    message = captured.err.strip().splitlines()[-1]
    assert message.startswith("report --all: dibatalkan; 1 laporan sudah ditulis") and written.as_posix() in message
    after = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    time.sleep(max(0.0, said_at + 3.5 - time.time()))          # past the moment a stopped job would have written
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == after
    assert [p for p in after if p.endswith(".docx")] == ["content/lkjip-2022.docx"]
    assert snapshot(tmp_path, skip=out) == before
    assert not multiprocessing.active_children()


def test_ctrl_c_before_anything_was_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(batch, "build", _fake_build(lambda job: time.sleep(5)))
    timer = _interrupt_after(1.0)
    code = batch.run(_roots(tmp_path, 3), tmp_path / "out", workers=3, context=FORK)
    timer.join()
    err = capsys.readouterr().err
    assert code == batch.INTERRUPTED and "tidak ada laporan yang ditulis" in err
    assert not list((tmp_path / "out").rglob("*.docx"))


def test_ctrl_c_in_a_single_process_batch(tmp_path, monkeypatch, capsys):
    def behaviour(job):
        if _index(job) == 1:
            raise KeyboardInterrupt
    monkeypatch.setattr(batch, "build", _fake_build(behaviour))
    code = batch.run(_roots(tmp_path, 3), tmp_path / "out", workers=1)
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert code == batch.INTERRUPTED
    assert lines[0].startswith("selesai") and "dihentikan saat disusun" in lines[1] and "dibatalkan sebelum" in lines[2]
    assert "1 laporan sudah ditulis" in captured.err and "content/lkjip-2022.docx" in captured.err


def test_sigterm_in_a_commit_completes_it_first(tmp_path, monkeypatch):
    """A stopped worker leaves its old or its new outputs, never an absent one."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "lkjip-2022.docx").write_bytes(b"lama")
    ready = tmp_path / "di-tengah-commit"

    def slow_fault(step):
        if step == "remove:1":
            ready.write_bytes(b"")
            time.sleep(2)

    def build(job):
        monkeypatch.setattr(output, "_fault", slow_fault)
        with output.transaction(Path(job.output), "lkjip-2022") as txn:
            txn.write("lkjip-2022.docx", b"baru")
            txn.write("lkjip-2022.md", b"md baru")
        return batch.Outcome(job, batch.OK)
    monkeypatch.setattr(batch, "build", build)
    receive, send = FORK.Pipe(duplex=False)
    proc = FORK.Process(target=batch._worker, args=(batch.Job(str(tmp_path), 2022, str(out)), send))
    proc.start()
    deadline = time.time() + 30
    while not ready.exists() and time.time() < deadline:
        time.sleep(0.01)
    proc.terminate()
    proc.join(30)
    assert proc.exitcode == 0 and not receive.poll()
    assert (out / "lkjip-2022.docx").read_bytes() == b"baru" and (out / "lkjip-2022.md").read_bytes() == b"md baru"
    assert not [p.name for p in out.iterdir() if p.name.endswith((".baru", ".transaksi"))]


def test_sigterm_outside_a_commit_stops_at_once():
    with pytest.raises(SystemExit) as exc:
        output.exit_unless_committing(143)
    assert exc.value.code == 143
    with pytest.raises(SystemExit):
        with output._committing():
            output.exit_unless_committing(143)
            reached = True
    assert reached


# --- LibreOffice that hangs: one process-tree kill for pdf and the layout pass ------------------------------

FAKE = textwrap.dedent("""\
    #!/bin/sh
    # a LibreOffice that never finishes and leaves a helper behind
    sleep 300 &
    echo $! > "$FAKE_CHILD"
    echo $$ > "$FAKE_PARENT"
    sleep 300
    """)


@pytest.fixture
def hanging_soffice(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(FAKE, encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.delenv("LKJIP_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_CHILD", str(tmp_path / "child.pid"))
    monkeypatch.setenv("FAKE_PARENT", str(tmp_path / "parent.pid"))
    return tmp_path


def _gone(pid_file: Path) -> bool:
    pid = pid_file.read_text().strip()
    deadline = time.time() + 5
    while time.time() < deadline:
        status = Path(f"/proc/{pid}/status")
        if not status.exists() or "\tZ" in status.read_text():         # gone, or a zombie awaiting its reaper
            return True
        time.sleep(0.05)
    return False


def test_layout_run_honours_the_pdf_timeout_and_kills_the_tree(hanging_soffice, monkeypatch):
    monkeypatch.setenv("LKJIP_PDF_TIMEOUT", "0.5")
    assert layout.soffice() == str(hanging_soffice / "bin" / "soffice")
    start = time.time()
    with pytest.raises(layout.LayoutError, match="soffice tidak selesai dalam 0.5 detik"):
        layout._run([layout.soffice(), "--headless"])
    assert time.time() - start < 10
    assert _gone(hanging_soffice / "child.pid") and _gone(hanging_soffice / "parent.pid")


def test_ctrl_c_during_the_layout_pass_kills_the_tree(hanging_soffice, monkeypatch):
    monkeypatch.setenv("LKJIP_PDF_TIMEOUT", "60")
    timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        layout._run([layout.soffice()])
    timer.join()
    assert _gone(hanging_soffice / "child.pid") and _gone(hanging_soffice / "parent.pid")


def test_layout_failure_keeps_the_report(hanging_soffice, monkeypatch, capsys):
    monkeypatch.setenv("LKJIP_PDF_TIMEOUT", "0.5")
    data = b"PK"
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("word/document.xml", "<x/>")
    data = buffer.getvalue()
    assert layout.fill_page_numbers(data, hanging_soffice / "cache") == data
    assert "Tata letak gagal (soffice tidak selesai dalam 0.5 detik" in capsys.readouterr().err
    assert _gone(hanging_soffice / "child.pid")


def test_pdf_and_layout_share_one_runner():
    assert pdf.run_group.__module__ == layout._run.__module__.replace("render.layout", "render.pdf")
    source = Path(layout.__file__).read_text(encoding="utf-8")
    assert "run_tree" in source and "killpg" not in source and "Popen" not in source


class _Proc:
    def __init__(self, running=True):
        self.pid, self.killed, self.running = 4242, False, running

    def poll(self):
        return None if self.running else 0

    def kill(self):
        self.killed = True


@pytest.mark.parametrize("taskkill_code,killed", [(0, False), (1, True)])
def test_windows_branch_uses_taskkill_then_kill(taskkill_code, killed, monkeypatch):
    calls = []

    def run(cmd, **kwargs):
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, taskkill_code)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.delattr(os, "killpg")
    proc = _Proc()
    pdf.kill_tree(proc)
    assert calls == [["taskkill", "/F", "/T", "/PID", "4242"]] and proc.killed is killed


def test_windows_branch_without_taskkill(monkeypatch):
    def run(cmd, **kwargs):
        raise FileNotFoundError("taskkill")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(subprocess, "run", run)
    proc = _Proc()
    pdf.kill_tree(proc)
    assert proc.killed


def test_windows_kill_of_a_batch_worker_without_taskkill(monkeypatch):
    class Worker:
        pid, killed = 4242, False

        def is_alive(self):
            return True

        def kill(self):
            self.killed = True
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: subprocess.CompletedProcess(cmd, 128))
    worker = Worker()
    pdf.kill_tree(worker)
    assert worker.killed


def test_windows_worker_is_ended_with_its_tree(monkeypatch):
    ended = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(pdf, "kill_tree", ended.append)
    proc = _Proc()
    batch._end(proc)
    assert ended == [proc]


@pytest.mark.parametrize("value,expected", [("2", 2.0), ("0", 0.1), ("abc", 300.0), ("nan", 300.0), ("", 300.0)])
def test_timeout_values(value, expected, monkeypatch):
    monkeypatch.setenv("LKJIP_PDF_TIMEOUT", value)
    assert pdf.timeout() == expected


# --- real batches in subprocesses (slow) ---------------------------------------------------------------------

def _real_roots(tmp_path: Path, n: int, built_2022: Path, cached: int | None = None) -> tuple[list[Path], Path]:
    """n copies of the example and the output folder; the first `cached` (default all) get the drawn figures, the
    others draw theirs (about two seconds each: time in which a batch is surely still running)."""
    roots = []
    out = tmp_path / "out"
    for i in range(n):
        root = tmp_path / f"akar{i}" / "content"
        shutil.copytree(CONTENT, root)
        roots.append(root)
    for name in (["content"] + [f"content-{i}" for i in range(2, n + 1)])[:n if cached is None else cached]:
        shutil.copytree(built_2022.parent / ".cache" / "gambar", out / name / ".cache" / "gambar")
    return roots, out


def _batch(roots, out, env=None, workers=2):
    args = [sys.executable, str(ROOT / "build.py"), "report", "--all", "--output", str(out), "--proses", str(workers)]
    for root in roots:
        args += ["--root", str(root)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, **(env or {})}, start_new_session=True)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _docx(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("lkjip-2022.docx")}


@pytest.mark.slow
def test_sigint_to_a_real_batch(tmp_path, built_2022):
    # only the first report has its figures: it finishes first and the others are still drawing at the Ctrl-C (with
    # every figure cached, all four could end before the first line was read: seen once in CI)
    roots, out = _real_roots(tmp_path, 4, built_2022, cached=1)
    before = snapshot(tmp_path, skip=out)
    proc = _batch(roots, out)
    first = proc.stdout.readline()                       # one report finished: Ctrl-C, as a terminal sends it
    os.killpg(proc.pid, signal.SIGINT)
    rest, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    message = err.strip().splitlines()[-1]
    assert message.startswith("report --all: dibatalkan;")
    written = _docx(out)
    assert first.startswith("selesai") and written
    for name in written:
        assert (out / name).as_posix() in message                     # every written report is named ...
    assert f"{len(written)} laporan sudah ditulis" in message         # ... and only those
    time.sleep(4)
    assert _docx(out) == written                                      # nothing written after the message
    assert not [p for p in out.rglob("*") if p.name.endswith((".baru", ".transaksi", ".tmp"))]
    assert snapshot(tmp_path, skip=out) == before
    assert not _children(proc.pid)


@pytest.mark.slow
def test_sigint_while_every_worker_is_in_its_commit(tmp_path, built_2022):
    roots, out = _real_roots(tmp_path, 3, built_2022)
    proc = _batch(roots, out, env={"LKJIP_FAULT": "stage:sleep"})
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*/.lkjip-2022.*.baru/lkjip-2022.docx"))) < 2:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)
    lines, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "tidak ada laporan yang ditulis" in err and not _docx(out)
    assert lines.count("dihentikan saat disusun") == 2 and lines.count("dibatalkan sebelum dimulai") == 1
    assert not list(out.rglob("*.baru"))                    # the stopped builds removed their staging folders


@pytest.mark.slow
def test_sigkill_of_one_real_worker(tmp_path, built_2022):
    roots, out = _real_roots(tmp_path, 3, built_2022)
    before = snapshot(tmp_path, skip=out)
    proc = _batch(roots, out, workers=2)
    victim, deadline = None, time.time() + 60
    while victim is None and time.time() < deadline:
        workers = _children(proc.pid)
        victim = min(workers) if workers else None
        time.sleep(0.005)
    os.kill(victim, signal.SIGKILL)
    lines, err = proc.communicate(timeout=300)
    assert proc.returncode == 4, err
    lines = lines.splitlines()
    assert sorted(line.split()[0] for line in lines) == ["gagal", "selesai", "selesai"]
    dead = next(line for line in lines if line.startswith("gagal"))
    assert "berhenti mendadak (sinyal SIGKILL)" in dead
    assert len(_docx(out)) == 2 and "2 dari 3 laporan" in err
    assert snapshot(tmp_path, skip=out) == before


@pytest.mark.slow
def test_hanging_soffice_in_the_layout_pass_of_a_real_report(hanging_soffice, built_2022, monkeypatch):
    out = hanging_soffice / "out"
    shutil.copytree(built_2022.parent / ".cache" / "gambar", out / ".cache" / "gambar")
    env = {**os.environ, "LKJIP_PDF_TIMEOUT": "2", "LKJIP_CACHE": "0"}
    env.pop("LKJIP_TANPA_TATA_LETAK", None)
    proc = subprocess.run([sys.executable, str(ROOT / "build.py"), "report", "--output", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Tata letak gagal (soffice tidak selesai dalam 2 detik" in proc.stderr
    assert (out / "lkjip-2022.docx").read_bytes().startswith(b"PK")
    assert _gone(hanging_soffice / "child.pid") and _gone(hanging_soffice / "parent.pid")
