"""Robustness of outputs and the CLI (issues 12 and 13): transactions, locks, faults, exit codes, UTF-8, PDF tool.

Fast: in-process runs with patched writers (locked file, disk full, a simulated kill at every commit step) and a
handful of subprocesses (UTF-8 on a cp1252 pipe). Slow (-m slow): real kill -9 at every step, parallel builds,
a tmpfs that fills up, a thousand-unit organisation.
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lkjip import cli, pipeline
from lkjip.base import output
from lkjip.render.text import docx_text

from conftest import CONTENT, ROOT

STEPS = ("stage", "journal", "remove:1", "remove:2", "add:1", "add:2", "cleanup")
OLD = {"lkjip-2022.docx": b"docx lama", "lkjip-2022.md": b"md lama"}
NEW = {"lkjip-2022.docx": b"docx baru", "lkjip-2022.md": b"md baru"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The outputs of a clean build (byte-identical for the same content)."""
    out = tmp_path_factory.mktemp("reference")
    assert pipeline.report(CONTENT, 2022, out).output is not None
    return {name: (out / name).read_bytes() for name in OLD}


def _old_outputs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in OLD.items():
        (folder / name).write_bytes(data)
    return folder


def _state(folder: Path, reference: dict) -> str:
    """'old', 'new', 'partial-old', 'partial-new' (some files briefly absent) or 'MIXED'."""
    kinds = set()
    for name in OLD:
        path = folder / name
        if not path.exists():
            kinds.add("absent")
        elif path.read_bytes() == OLD[name]:
            kinds.add("old")
        elif path.read_bytes() == reference[name]:
            kinds.add("new")
        else:
            kinds.add("other")
    if {"old", "new"} <= kinds or "other" in kinds:
        return "MIXED"
    generation = "old" if "old" in kinds else "new" if "new" in kinds else "none"
    return generation if "absent" not in kinds else f"partial-{generation}"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith((output.STAGE_SUFFIX, output.JOURNAL_SUFFIX, ".tmp")))


# --- exit codes and messages ---------------------------------------------------------------------------------

def test_usage_errors(capsys, tmp_path):
    for argv in (["check", "--year", "0"], ["new-year", "99999"], ["diff", "2022", "1"], ["report", "--year", "x"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 2
    assert cli.main(["docx-text", str(tmp_path / "tidak-ada.docx")]) == 2
    (tmp_path / "bukan.docx").write_text("bukan zip", encoding="utf-8")
    assert cli.main(["docx-text", str(tmp_path / "bukan.docx")]) == 2
    err = capsys.readouterr().err
    assert "tidak ditemukan" in err and "bukan berkas DOCX" in err and "Traceback" not in err


def test_output_is_a_file(tmp_path, capsys):
    target = tmp_path / "keluaran"
    target.write_text("berkas", encoding="utf-8")
    assert cli.main(["report", "--output", str(target)]) == 3
    assert cli.main(["diff", "2022", "2022", "--output", str(target)]) == 3
    err = capsys.readouterr().err
    assert err.count("bukan folder") == 2 and "Traceback" not in err


def test_new_year_into_an_unwritable_folder(monkeypatch, capsys):
    from lkjip.tools.years import scaffold

    def refuse(root, year, *_skipped):
        raise PermissionError(errno.EACCES, "Permission denied", str(root / str(year)))
    monkeypatch.setattr(scaffold, "new_year", refuse)
    assert cli.main(["new-year", "2023"]) == 3
    err = capsys.readouterr().err
    assert "content/2023" in err and "Traceback" not in err


def test_unexpected_error_is_one_line_with_debug_hint(monkeypatch, capsys, tmp_path):
    def boom(*_a, **_k):
        raise RuntimeError("rusak di dalam")
    monkeypatch.setattr(pipeline, "check", boom)
    assert cli.main(["check"]) == 4
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "build.py check" in err and "--debug" in err and "Traceback" not in err
    assert cli.main(["--debug", "check"]) == 4
    assert "Traceback" in capsys.readouterr().err
    monkeypatch.setattr(pipeline, "check", lambda *_a, **_k: (_ for _ in ()).throw(KeyboardInterrupt()))
    assert cli.main(["check"]) == 130


# --- locked file, disk full, kills ---------------------------------------------------------------------------

def test_locked_docx_leaves_both_old_files(tmp_path, monkeypatch, capsys):
    """Windows refuses to move a file open in Word; simulated by refusing to move the existing .docx."""
    folder = _old_outputs(tmp_path / "out")
    real = os.replace

    def replace(src, dst):
        if Path(src) == folder / "lkjip-2022.docx":
            raise PermissionError(errno.EACCES, "The process cannot access the file", str(src))
        return real(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    assert cli.main(["report", "--output", str(folder)]) == 3
    err = capsys.readouterr().err
    assert "lkjip-2022.docx" in err and "Word" in err and "Traceback" not in err
    assert {n: (folder / n).read_bytes() for n in OLD} == OLD
    assert _leftovers(folder) == []


def test_disk_full_while_staging(tmp_path, monkeypatch, capsys):
    folder = _old_outputs(tmp_path / "out")

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(output, "_write_file", full)
    assert cli.main(["report", "--output", str(folder)]) == 3
    assert "disk penuh" in capsys.readouterr().err
    assert {n: (folder / n).read_bytes() for n in OLD} == OLD
    assert _leftovers(folder) == []


class _Killed(BaseException):
    pass


def _commit(folder: Path, files: dict) -> None:
    """What render_report does after rendering: stage the files of one build and commit them."""
    with output.transaction(folder, "lkjip-2022") as txn:
        for name, data in files.items():
            txn.write(name, data)


@pytest.mark.parametrize("step", STEPS)
def test_simulated_kill_at_each_commit_step(step, tmp_path, monkeypatch):
    """A kill at any step never leaves files of two builds side by side; the next command completes or drops it."""
    folder = _old_outputs(tmp_path / "out")

    def fault(name):
        if name == step:
            raise _Killed()
    monkeypatch.setattr(output, "_fault", fault)
    monkeypatch.setattr(output.Transaction, "discard", lambda self: None)       # a killed process cleans nothing
    with pytest.raises(_Killed):
        _commit(folder, NEW)
    assert _state(folder, NEW) != "MIXED"
    monkeypatch.undo()
    with output.folder_lock(folder):
        output.recover(folder)
    assert _state(folder, NEW) == ("old" if step == "stage" else "new")
    assert _leftovers(folder) == []


def test_failed_move_in_is_rolled_forward_later(tmp_path, monkeypatch):
    folder = _old_outputs(tmp_path / "out")
    real = os.replace

    def replace(src, dst):
        if Path(dst) == folder / "lkjip-2022.md" and ".baru" in str(src):
            raise OSError(errno.EIO, "I/O error", str(src))
        return real(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(output.OutputError):
        _commit(folder, NEW)
    assert _state(folder, NEW) != "MIXED"
    monkeypatch.undo()
    _commit(folder, NEW)
    assert _state(folder, NEW) == "new" and _leftovers(folder) == []


def test_recovery_ignores_a_damaged_journal(tmp_path):
    folder = _old_outputs(tmp_path / "out")
    (folder / ".lkjip-2022.transaksi").write_text("{rusak", encoding="utf-8")
    (folder / ".lkjip-2022.1-ab.baru").mkdir()
    output.recover(folder)
    assert _leftovers(folder) == [] and {n: (folder / n).read_bytes() for n in OLD} == OLD


def _run(args, env=None, **kwargs):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, **kwargs)


@pytest.mark.slow
@pytest.mark.parametrize("step", STEPS)
def test_kill_9_at_each_write_step(step, tmp_path, reference):
    folder = _old_outputs(tmp_path / "out dengan spasi")
    proc = _run(["report", "--output", str(folder)], env={"LKJIP_FAULT": step})
    assert proc.returncode == -signal.SIGKILL
    assert _state(folder, reference) != "MIXED"
    assert _run(["report", "--output", str(folder)]).returncode == 0          # recovers, then builds
    assert _state(folder, reference) == "new" and _leftovers(folder) == []


@pytest.mark.slow
def test_parallel_builds_into_one_folder(tmp_path, reference):
    folder = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "report", "--output", str(folder)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0, 0], [r[1].decode() for r in results]
    assert _state(folder, reference) == "new" and _leftovers(folder) == []
    assert not [p for p in (folder / ".cache" / "gambar").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_parallel_build_waits_for_a_stalled_one(tmp_path, reference):
    """A build stalled in the middle of its commit holds the lock: a second build waits; when the first is
    terminated, the second completes the first's commit, then builds. Both files are never of two builds."""
    folder = _old_outputs(tmp_path / "out")
    command = [sys.executable, str(ROOT / "build.py"), "report", "--output", str(folder)]
    first = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "LKJIP_FAULT": "remove:1:sleep"},
                             stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and not (folder / ".lkjip-2022.transaksi").exists():
        time.sleep(0.05)
    second = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE)
    time.sleep(3)
    assert second.poll() is None                                  # waiting for the lock
    assert _state(folder, reference) != "MIXED"
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=60) == 128 + signal.SIGTERM
    _out, err = second.communicate(timeout=300)
    assert second.returncode == 0 and b"Menunggu" in err
    assert _state(folder, reference) == "new" and _leftovers(folder) == []


def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.mark.slow
def test_disk_full_on_a_small_tmpfs(tmp_path, capsys, reference):
    mount = tmp_path / "kecil"
    mount.mkdir()
    if not _can_mount() or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)]).returncode:
        pytest.skip("tmpfs tidak dapat dipasang di sini (test_disk_full_while_staging memakai penulis tiruan)")
    try:
        _old_outputs(mount)
        assert cli.main(["report", "--output", str(mount)]) == 3
        assert "disk penuh" in capsys.readouterr().err
        assert {n: (mount / n).read_bytes() for n in OLD} == OLD
        assert _leftovers(mount) == []
    finally:
        subprocess.run(["umount", str(mount)], check=False)


# --- UTF-8 on every stream --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def unicode_content(tmp_path_factory):
    from docx import Document
    base = tmp_path_factory.mktemp("unicode")
    content = base / "content"
    shutil.copytree(CONTENT, content)
    doc = Document()
    doc.add_paragraph("Capaian ≥ 100% → baik; selisih −2 poin.")
    docx = base / "teks.docx"
    doc.save(docx)
    broken = base / "broken"
    shutil.copytree(content, broken)
    laporan = broken / "2022/laporan.yaml"
    laporan.write_text(laporan.read_text(encoding="utf-8").replace("tanggal: 2023-03", "tanggal: ≥2023−03→"),
                       encoding="utf-8")
    return content, broken, docx, base


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "cp1252"},
                                 pytest.param({"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0"}, marks=pytest.mark.slow)],
                         ids=["cp1252", "c-locale"])
def test_cli_writes_utf8_to_pipes(unicode_content, env):
    content, broken, docx, base = unicode_content
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LANG")}
    env = {**clean, "PYTHONUTF8": "0", **env}

    def run(*args):
        proc = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, cwd=base, env=env)
        assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
        return proc, proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")

    proc, text = run("docx-text", str(docx))
    assert proc.returncode == 0 and "≥ 100% → baik; selisih −2" in text
    proc, text = run("check", "--content", str(broken))
    assert proc.returncode == 1 and "≥2023−03→" in text
    proc, text = run("diff", "2022", "2022", "--content", str(content), "--output", str(base / "diff"))
    assert proc.returncode == 0 and "2022 (dasar) → 2022 (baru)" in text


def test_messages_use_forward_slashes(monkeypatch, tmp_path):
    from lkjip.load import content as load
    assert "\\" not in load.relpath(Path("content") / "2022" / "prosa" / "penutup.md")
    assert load.relpath(tmp_path / "a" / "b.md").endswith("/a/b.md")


# --- PDF tool ------------------------------------------------------------------------------------------------------

FAKE_SOFFICE = textwrap.dedent("""\
    #!/bin/sh
    # fake LibreOffice for the tests: MODE=sleep hangs with a child, nopdf writes nothing, ok writes a PDF
    echo "$@" > "$FAKE_LOG"
    case "$FAKE_MODE" in
      sleep) sleep 120 & echo $! > "$FAKE_CHILD"; sleep 120 ;;
      nopdf) exit 0 ;;
      ok) for a in "$@"; do last="$a"; done
          while [ "$1" != "--outdir" ]; do shift; done
          printf '%%PDF-1.4\\n' > "$2/$(basename "$last" .docx).pdf" ;;
    esac
    """)


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    script = tmp_path / "soffice palsu"
    script.write_text(FAKE_SOFFICE, encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("LKJIP_SOFFICE", str(script))
    monkeypatch.setenv("FAKE_LOG", str(tmp_path / "argv.txt"))
    monkeypatch.setenv("FAKE_CHILD", str(tmp_path / "child.pid"))
    return tmp_path


@pytest.mark.skipif(sys.platform == "win32", reason="shell script as fake LibreOffice")
def test_pdf_timeout_ends_the_process_group(fake_soffice, monkeypatch):
    from lkjip.render import pdf
    monkeypatch.setenv("FAKE_MODE", "sleep")
    monkeypatch.setenv("LKJIP_PDF_TIMEOUT", "0.5")
    docx = fake_soffice / "lkjip-2022.docx"
    docx.write_bytes(b"docx")
    with pytest.raises(pdf.ToolError, match="tidak selesai dalam 0.5 detik"):
        pdf.to_pdf(docx, fake_soffice / "lkjip-2022.pdf", fake_soffice / ".cache")
    child = (fake_soffice / "child.pid").read_text().strip()
    time.sleep(0.2)
    status = Path(f"/proc/{child}/status")
    assert not status.exists() or "\tZ" in status.read_text()          # gone, or a zombie awaiting init


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="shell script as fake LibreOffice")
def test_pdf_timeout_through_the_cli(fake_soffice, monkeypatch, capsys):
    monkeypatch.setenv("FAKE_MODE", "sleep")
    monkeypatch.setenv("LKJIP_PDF_TIMEOUT", "1")
    folder = _old_outputs(fake_soffice / "folder keluaran")
    assert cli.main(["pdf", "--output", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "tidak selesai dalam 1 detik" in err and "Traceback" not in err
    assert {n: (folder / n).read_bytes() for n in OLD} == OLD and _leftovers(folder) == []


def test_tool_failure_exits_2(monkeypatch, capsys):
    from lkjip.render import pdf

    def fail(*_a, **_k):
        raise pdf.ToolError("LibreOffice tidak menghasilkan PDF")
    monkeypatch.setattr(pdf, "soffice", lambda: "/bin/true")
    monkeypatch.setattr(pipeline, "report", fail)
    assert cli.main(["pdf"]) == 2
    assert "tidak menghasilkan PDF" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="shell script as fake LibreOffice")
def test_pdf_profile_is_a_file_uri_and_missing_pdf_is_reported(fake_soffice, monkeypatch):
    from lkjip.render import pdf
    folder = fake_soffice / "folder keluaran"
    folder.mkdir()
    docx = folder / "lkjip-2022.docx"
    docx.write_bytes(b"docx")
    monkeypatch.setenv("FAKE_MODE", "nopdf")
    with pytest.raises(pdf.ToolError, match="tidak menghasilkan PDF"):
        pdf.to_pdf(docx, folder / "lkjip-2022.pdf", folder / ".cache")
    argv = (fake_soffice / "argv.txt").read_text()
    profile = (folder / ".cache" / "lo-profile").resolve().as_uri()
    assert f"-env:UserInstallation={profile}" in argv and "%20" in profile
    monkeypatch.setenv("FAKE_MODE", "ok")
    assert pdf.to_pdf(docx, folder / "lkjip-2022.pdf", folder / ".cache").read_bytes().startswith(b"%PDF")


def test_soffice_lookup_and_hints(monkeypatch, tmp_path, capsys):
    from lkjip.render import pdf
    monkeypatch.setenv("LKJIP_SOFFICE", str(tmp_path / "tidak-ada"))
    assert pdf.soffice() is None
    assert cli.main(["pdf", "--output", str(tmp_path / "o")]) == 2
    assert "LKJIP_SOFFICE" in capsys.readouterr().err
    monkeypatch.delenv("LKJIP_SOFFICE")
    monkeypatch.setattr(pdf.shutil, "which", lambda _name: None)
    program = tmp_path / "LibreOffice" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_text("", encoding="utf-8")
    monkeypatch.setattr(pdf.sys, "platform", "win32")
    monkeypatch.setenv("ProgramFiles", str(tmp_path))
    assert pdf.soffice() == str(program)
    assert "winget" in pdf.install_hint("LibreOffice")
    monkeypatch.setattr(pdf.sys, "platform", "darwin")
    assert "brew" in pdf.install_hint("LibreOffice")
    monkeypatch.setattr(pdf.sys, "platform", "linux")
    assert "apt-get" in pdf.install_hint("LibreOffice")


# --- a huge organisation ---------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_thousand_units_build_with_a_capped_chart(content, tmp_path):
    org = content / "2022/organisasi.yaml"
    extra = "".join(f"  - id: unit-{i}\n    nama: Unit Tambahan {i}\n    jenis: seksi\n    induk: "
                    f"{'kepala-dinas' if i % 2 else 'sekretariat'}\n" for i in range(1000))
    text = org.read_text(encoding="utf-8").replace("\nbutir_penutup_fungsional:", "\n" + extra + "butir_penutup_fungsional:")
    org.write_text(text, encoding="utf-8")
    from lkjip.render import figures
    result = pipeline.check(content, 2022)
    assert result.report is not None, [p.format() for p in result.problems if p.severity == "error"]
    data = figures.org_chart_data(result.report, functional=False)
    assert len(data["columns"]) <= 8 and all(len(c["below"]) <= 12 for c in data["columns"])
    assert pipeline.report(content, 2022, tmp_path).output is not None
    assert "Unit Tambahan 998" in docx_text(tmp_path / "lkjip-2022.docx")
