"""Render stage helper: output transactions. The files of one build appear together or not at all.

Protocol (README, "Jaminan"): every file of a build is written and flushed in a fresh staging folder beside the
outputs (`.NAME.<pid>-<random>.baru/`). To commit, a journal (`.NAME.transaksi`) naming the staging folder is
written atomically; then every existing output of the set is moved into the staging folder (phase A), and only
when all are out are the new files renamed into place (phase B); finally journal and staging folder are removed.
At no instant do files of two builds stand side by side: a file may only be briefly absent. A failure in phase A
(e.g. the .docx is open in Word on Windows) moves the old files back. A process killed after the journal was
written is completed by the next command that writes into the folder (roll forward); a staging folder without a
journal is a build that never committed and is removed. All of this happens under an exclusive lock on
`.lkjip.lock`, so parallel builds into one folder run one after the other.
"""
from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lkjip.lock"
JOURNAL_SUFFIX = ".transaksi"
STAGE_SUFFIX = ".baru"
OLD_DIR = ".lama"
STALE_SECONDS = 600            # a figure temp file this old belongs to no running build


class OutputError(Exception):
    """An output could not be written (locked, disk full, not writable, not a folder): exit code 3."""

    def __init__(self, path, detail: str):
        self.path = Path(path).as_posix() if path is not None else ""
        self.detail = detail
        super().__init__(f"{self.path}: {detail}" if self.path else detail)


def explain(exc: OSError) -> str:
    """What an OS error means for the editor, in Indonesian, with what to do."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "disk penuh; kosongkan ruang disk lalu jalankan lagi"
    if code == errno.EROFS:
        return "folder hanya-baca; pilih folder lain dengan --output"
    if code in (errno.ENOTDIR, errno.EEXIST) or isinstance(exc, (NotADirectoryError, FileExistsError)):
        return "jalur keluaran bukan folder (ada berkas dengan nama itu); pilih folder lain dengan --output"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM, errno.EBUSY) \
            or getattr(exc, "winerror", None) in (32, 33):
        return ("tidak dapat ditulis: berkas sedang dibuka (mis. di Word) atau folder tidak boleh ditulis; "
                "tutup berkas itu atau pilih folder lain dengan --output, lalu jalankan lagi")
    return f"tidak dapat ditulis ({exc.strerror or exc}); periksa folder keluaran lalu jalankan lagi"


def _fault(step: str) -> None:
    """Test hook: LKJIP_FAULT=<step> kills this process at that write step (LKJIP_FAULT=<step>:sleep waits)."""
    wanted = os.environ.get("LKJIP_FAULT")
    if not wanted:
        return
    name, _, mode = wanted.partition(":sleep")
    if name == step:
        if wanted.endswith(":sleep"):
            time.sleep(60)
        elif hasattr(os, "kill") and sys.platform != "win32":
            import signal
            os.kill(os.getpid(), signal.SIGKILL)
        else:
            os._exit(137)


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """One file: written beside the target under a per-process name, flushed, then renamed over it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    except OSError as exc:
        raise OutputError(path.parent, explain(exc)) from None
    try:
        _write_file(tmp, data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(path, explain(exc)) from None
    finally:
        if tmp.exists():
            tmp.unlink()


# --- lock ----------------------------------------------------------------------------------------------------

def _try_lock(fd) -> bool:
    if sys.platform == "win32":
        import msvcrt
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fd) -> None:
    if sys.platform == "win32":
        import msvcrt
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
    else:
        import fcntl
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def folder_lock(folder: Path):
    """Exclusive lock on the output folder; a second build into the same folder waits (and says so)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(folder, explain(exc)) from None
    try:
        if not _try_lock(fd):
            print(f"Menunggu proses lain yang sedang menulis ke {folder.as_posix()} ...", file=sys.stderr)
            while not _try_lock(fd):
                time.sleep(0.1)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


# --- transaction ---------------------------------------------------------------------------------------------

def _move_out(folder: Path, stage: Path, names: list[str]) -> list[str]:
    """Phase A: move every existing target into stage/.lama; on failure move back what was moved and raise."""
    old = stage / OLD_DIR
    old.mkdir(exist_ok=True)
    moved = []
    for n, name in enumerate(names, start=1):
        target = folder / name
        if os.path.lexists(target) and not os.path.lexists(old / name):
            try:
                os.replace(target, old / name)
            except OSError as exc:
                for back in reversed(moved):
                    os.replace(old / back, folder / back)
                raise OutputError(target, explain(exc)) from None
            moved.append(name)
        _fault(f"remove:{n}")
    return moved


def _move_in(folder: Path, stage: Path, names: list[str]) -> None:
    """Phase B: every staged file into place (targets are gone, so nothing can be locked)."""
    for n, name in enumerate(names, start=1):
        if os.path.lexists(stage / name):
            try:
                os.replace(stage / name, folder / name)
            except OSError as exc:
                raise OutputError(folder / name, explain(exc)) from None
        _fault(f"add:{n}")


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    if os.path.lexists(path) and not path.is_dir():
        try:
            path.unlink()
        except OSError:
            pass


def recover(folder: Path) -> None:
    """Under the lock: finish a commit that a killed process left (journal present), drop abandoned staging
    folders and temp files. Safe because every writer holds the lock while its staging folder exists."""
    folder = Path(folder)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for journal in (e for e in entries if e.name.startswith(".") and e.name.endswith(JOURNAL_SUFFIX)):
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            stage, names = folder / record["stage"], list(record["files"])
        except (OSError, ValueError, KeyError, TypeError):
            journal.unlink(missing_ok=True)
            continue
        if stage.is_dir():
            _move_out(folder, stage, names)
            _move_in(folder, stage, names)
        journal.unlink(missing_ok=True)
        _fsync_dir(folder)
    for entry in entries:
        if entry.name.startswith(".") and (entry.name.endswith(STAGE_SUFFIX) or entry.name.endswith(".tmp")):
            _remove_tree(entry)
    cache = folder / ".cache" / "gambar"
    for entry in (cache.iterdir() if cache.is_dir() else ()):
        # pictures are drawn before a build takes the lock (render/build.py): only a temp file that no live
        # drawing can still be writing (older than STALE_SECONDS) is a leftover
        try:
            if entry.name.endswith(".tmp") and time.time() - entry.stat().st_mtime > STALE_SECONDS:
                entry.unlink(missing_ok=True)
        except OSError:
            pass


class Transaction:
    """Files of one build, staged beside the outputs and swapped in together by commit()."""

    def __init__(self, folder: Path, name: str):
        self.folder, self.name = Path(folder), name
        self.stage = self.folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}{STAGE_SUFFIX}"
        self.journal = self.folder / f".{name}{JOURNAL_SUFFIX}"
        self.names: list[str] = []
        try:
            self.stage.mkdir()
        except OSError as exc:
            raise OutputError(self.folder, explain(exc)) from None

    def path(self, name: str) -> Path:
        """Staged location of output `name` (a file or folder the caller fills)."""
        if name not in self.names:
            self.names.append(name)
        return self.stage / name

    def write(self, name: str, data: bytes) -> Path:
        target = self.path(name)
        try:
            _write_file(target, data)
            os.chmod(target, 0o666 & ~_umask())
        except OSError as exc:
            raise OutputError(self.folder / name, explain(exc)) from None
        return target

    def commit(self) -> None:
        _fault("stage")
        ordered = sorted(self.names, key=lambda n: not n.endswith(".docx"))     # the likeliest locked file first
        try:
            _fsync_dir(self.stage)
            tmp = self.folder / f"{self.journal.name}.{os.getpid()}.tmp"
            _write_file(tmp, json.dumps({"stage": self.stage.name, "files": ordered}).encode("utf-8"))
            os.replace(tmp, self.journal)
            _fsync_dir(self.folder)
        except OSError as exc:
            raise OutputError(self.journal, explain(exc)) from None
        _fault("journal")
        try:
            _move_out(self.folder, self.stage, ordered)
        except OutputError:
            self.journal.unlink(missing_ok=True)
            raise
        _move_in(self.folder, self.stage, ordered)
        _fsync_dir(self.folder)
        _fault("cleanup")
        self.journal.unlink(missing_ok=True)

    def discard(self) -> None:
        """Remove the staging folder, unless a journal names it (then the next command completes the commit)."""
        try:
            pending = json.loads(self.journal.read_text(encoding="utf-8")).get("stage") == self.stage.name
        except (OSError, ValueError, AttributeError):
            pending = False
        if not pending:
            _remove_tree(self.stage)


def usable_folder(folder: Path) -> Path:
    """folder, unless it names a file (OutputError, exit code 3)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, explain(NotADirectoryError(errno.ENOTDIR, "not a directory")))
    return folder


@contextmanager
def transaction(folder: Path, name: str):
    """Lock the folder, finish or drop what earlier killed builds left, stage, and commit on success.
    On any error (or interruption) the staging folder is removed and the previous outputs stay as they were."""
    folder = usable_folder(folder)
    with folder_lock(folder):
        try:
            recover(folder)
        except OutputError:
            raise
        txn = Transaction(folder, name)
        try:
            yield txn
            txn.commit()
        finally:
            txn.discard()
