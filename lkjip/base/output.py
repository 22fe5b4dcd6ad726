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

The journal is data, not orders (the folder may be shared: someone else can write into it). A journal is obeyed
only when every rule of `accepted_record` holds: a regular file `.NAME-YYYY.transaksi` (NAME lower-case letters,
digits, hyphens; no link, at most 64 KiB, owned by the current user), JSON {"stage": ..., "files": [...]} and
nothing else; the stage a folder named `.NAME-YYYY.<pid>-<8 hex>.baru` of the same NAME-YYYY directly inside the
output folder, not a link, on the same device and owned by the current user; every file, listed once, one of the
outputs of that transaction (expected_files: NAME-YYYY.docx/.md/.pdf/.xlsx/.csv/.json, and for a report also
koreksi-YYYY.md and preview): a single name, so no separator, `..`, absolute path or NUL. Any other record is
ignored with a warning (and removed as a file: what it names is never moved or deleted). An output name that is
taken by a folder, a symbolic link or a special file (FIFO, device, socket) stops the build (OutputError, exit 3);
it is never moved or removed. The output folder itself may be a symbolic link (the user chose it); links inside
it (lock, journal, stage, outputs) are never followed; nothing is pruned through a link under .cache.
"""
from __future__ import annotations

import errno
import json
import os
import re
import secrets
import shutil
import signal
import stat
import sys
import time
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lkjip.lock"
TOOL_TRANSACTIONS = ("reviu-", "pk-", "triwulan-")      # transactions of tools; every other NAME-YYYY is a report (base/shape.output_stem)
JOURNAL_SUFFIX = ".transaksi"
STAGE_SUFFIX = ".baru"
OLD_DIR = ".lama"
STALE_SECONDS = 600            # a figure temp file this old belongs to no running build
RECORD_MAX = 64 * 1024         # a journal names a stage and at most a handful of files
NAME = re.compile(r"[a-z][a-z0-9-]{0,40}-(\d{4})")          # a transaction: lkjip-2022 (render/build.py), ...
STAGE = re.compile(r"\.([a-z][a-z0-9-]{0,40}-\d{4})\.\d{1,10}-[0-9a-f]{8}\.baru")    # what Transaction names its stage
EXTENSIONS = ("docx", "md", "pdf", "xlsx", "csv", "json")    # what a transaction NAME may write: NAME.<ext>
LEFTOVER_STAGE = re.compile(r"\.[^/\\\0]+\.\d+-[0-9a-f]+\.baru")  # staging folders recover() may remove
PAGE = re.compile(r"page-\d{1,6}\.png")                      # what a preview folder holds (pdf.to_png)


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
    if code == getattr(errno, "ELOOP", -1):
        return ("tautan simbolik di folder keluaran tidak diikuti; hapus tautan itu atau pilih folder lain dengan "
                "--output")
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
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
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

def warn(path, detail: str) -> None:
    """One Indonesian warning line on stderr about a file in the output folder (the build goes on)."""
    print(f"{Path(path).as_posix()}: peringatan: {detail}", file=sys.stderr)


def _ours(st, folder_st) -> bool:
    """Same device as the output folder and (where the OS knows owners) owned by the user running lkjip."""
    if st.st_dev != folder_st.st_dev:
        return False
    return not hasattr(os, "geteuid") or st.st_uid == os.geteuid()


def expected_files(name: str) -> set[str]:
    """The outputs a transaction `name` (NAME-YYYY, lower case) may write: NAME-YYYY.<docx|md|pdf|xlsx|csv|json>,
    and for a report (lkjip-YYYY, lkip-YYYY ...) also koreksi-YYYY.md and preview (render/build.py, the pdf/preview
    tools). A journal naming anything else is not one of ours."""
    match = NAME.fullmatch(name)
    if not match:
        return set()
    files = {f"{name}.{ext}" for ext in EXTENSIONS}
    if not name.startswith(TOOL_TRANSACTIONS):          # a report (lkjip-, lkip-, lakip- ... after its singkatan)
        files |= {f"koreksi-{match.group(1)}.md", "preview"}
    return files


def accepted_record(folder: Path, journal: Path):
    """(stage, files) when the journal is one this tool wrote (the rule in the module docstring), else the reason
    (a str, Indonesian) it is ignored."""
    name = journal.name[1:-len(JOURNAL_SUFFIX)] if journal.name.startswith(".") else ""
    files_allowed = expected_files(name)
    if not files_allowed:
        return "nama catatan bukan .NAMA-TAHUN.transaksi (mis. .lkjip-2022.transaksi)"
    try:
        folder_st = os.stat(folder)
        st = os.lstat(journal)
        if not stat.S_ISREG(st.st_mode):
            return "bukan berkas biasa (tautan simbolik, folder atau berkas khusus)"
        if not _ours(st, folder_st):
            return "bukan milik pengguna ini atau di perangkat lain"
        if st.st_size > RECORD_MAX:
            return f"lebih dari {RECORD_MAX // 1024} KiB"
        fd = os.open(journal, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(RECORD_MAX + 1)
    except OSError as exc:
        return f"tidak dapat dibaca ({exc.strerror or exc})"
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "bukan JSON yang sah"
    if not isinstance(record, dict) or set(record) != {"stage", "files"}:
        return 'isi bukan {"stage": ..., "files": [...]}'
    stage, files = record["stage"], record["files"]
    if not isinstance(stage, str) or not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return "stage harus teks dan files daftar teks"
    match = STAGE.fullmatch(stage)
    if not match or match.group(1) != name:
        return f"stage {stage!r} bukan folder persiapan {name} di folder keluaran"
    if not files or len(set(files)) != len(files) or not set(files) <= files_allowed:
        odd = sorted(set(files) - files_allowed)[:3]
        return f"files memuat nama yang bukan keluaran {name}: {odd!r}" if odd else "files kosong atau berulang"
    try:
        stage_st = os.lstat(folder / stage)
    except FileNotFoundError:
        return (), files                                  # the commit finished moving in; only cleanup is left
    except OSError as exc:
        return f"folder persiapan tidak dapat dibaca ({exc.strerror or exc})"
    if not stat.S_ISDIR(stage_st.st_mode):
        return "folder persiapan bukan folder (tautan simbolik atau berkas)"
    if not _ours(stage_st, folder_st):
        return "folder persiapan bukan milik pengguna ini atau di perangkat lain"
    return folder / stage, files


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "tautan simbolik"
    if stat.S_ISDIR(mode):
        return "folder"
    return "berkas khusus (FIFO, perangkat atau soket)"


def check_targets(folder: Path, names) -> None:
    """Every output name is free or holds a regular file (for `preview`: a folder of page-NN.png files only);
    anything else is somebody's folder, link or device: OutputError (exit 3), nothing moved."""
    for name in names:
        target = folder / name
        try:
            st = os.lstat(target)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise OutputError(target, explain(exc)) from None
        if stat.S_ISREG(st.st_mode):
            continue
        if name == "preview" and stat.S_ISDIR(st.st_mode):
            try:
                if all(PAGE.fullmatch(e.name) and e.is_file(follow_symlinks=False) for e in os.scandir(target)):
                    continue
            except OSError:
                pass
            detail = "berisi berkas selain page-NN.png"
        else:
            detail = f"sudah dipakai oleh {_kind(st.st_mode)}"
        raise OutputError(target, f"nama keluaran ini {detail}; lkjip tidak menimpa atau menghapusnya. Pindahkan "
                                  "atau ganti namanya, atau pilih folder lain dengan --output, lalu jalankan lagi")


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


def _remove_tree(path: Path, folder_st=None) -> None:
    """Remove a staging folder of ours: a link only as a link, a folder only when it is on the output folder's
    device and owned by this user (rmtree never follows links inside it)."""
    try:
        st = os.lstat(path)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        if folder_st is None or _ours(st, folder_st):
            shutil.rmtree(path, ignore_errors=True)
        return
    try:
        path.unlink()
    except OSError:
        pass


def recover(folder: Path) -> None:
    """Under the lock: finish a commit that a killed process left (a journal this tool wrote: accepted_record),
    drop abandoned staging folders and temp files. Safe because every writer holds the lock while its staging
    folder exists. A journal that is not ours is ignored with a warning; what it names is never touched."""
    folder = Path(folder)
    try:
        entries = list(folder.iterdir())
        folder_st = os.stat(folder)
    except OSError:
        return
    for journal in (e for e in entries if e.name.startswith(".") and e.name.endswith(JOURNAL_SUFFIX)):
        found = accepted_record(folder, journal)
        if isinstance(found, str):
            warn(journal, f"catatan transaksi diabaikan ({found}); tidak ada berkas yang dipindahkan atau dihapus")
            if os.path.islink(journal) or os.path.isfile(journal):
                try:
                    journal.unlink()            # the entry itself only (a link as a link), never what it names
                except OSError:
                    pass
            continue
        stage, names = found
        if stage:
            pending = [n for n in names if os.path.lexists(stage / n)]
            check_targets(folder, [n for n in pending if not os.path.lexists(stage / OLD_DIR / n)])
            _move_out(folder, stage, names)
            _move_in(folder, stage, names)
        journal.unlink(missing_ok=True)
        _fsync_dir(folder)
    for entry in entries:
        if not entry.name.startswith("."):
            continue
        if LEFTOVER_STAGE.fullmatch(entry.name):
            _remove_tree(entry, folder_st)
        elif entry.name.endswith(".tmp") and not entry.is_dir():
            _remove_tree(entry, folder_st)
    cache = folder / ".cache" / "gambar"
    linked = cache.is_symlink() or cache.parent.is_symlink()
    for entry in (cache.iterdir() if cache.is_dir() and not linked else ()):    # never prune through a link
        # pictures are drawn before a build takes the lock (render/build.py): only a temp file that no live
        # drawing can still be writing (older than STALE_SECONDS) is a leftover
        try:
            if entry.name.endswith(".tmp") and time.time() - entry.lstat().st_mtime > STALE_SECONDS:
                entry.unlink(missing_ok=True)
        except OSError:
            pass


_COMMIT = {"active": False, "exit": None}


def exit_unless_committing(code: int) -> None:
    """For a signal handler (report --all workers): SystemExit now, or, in the middle of a commit, right after
    it, so that a stopped build leaves either its old or its new outputs, never an absent one."""
    if _COMMIT["active"]:
        _COMMIT["exit"] = code
        return
    raise SystemExit(code)


@contextmanager
def _committing():
    _COMMIT["active"], _COMMIT["exit"] = True, None
    try:
        yield
    finally:
        _COMMIT["active"] = False
    if _COMMIT["exit"] is not None:
        raise SystemExit(_COMMIT["exit"])


class Transaction:
    """Files of one build, staged beside the outputs and swapped in together by commit()."""

    def __init__(self, folder: Path, name: str):
        if not NAME.fullmatch(name):
            raise ValueError(f"transaction name {name!r} is not NAME-YYYY")
        self.folder, self.name = Path(folder), name
        self.stage = self.folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}{STAGE_SUFFIX}"
        self.journal = self.folder / f".{name}{JOURNAL_SUFFIX}"
        self.names: list[str] = []
        self.allowed = expected_files(name)
        try:
            self.stage.mkdir()
        except OSError as exc:
            raise OutputError(self.folder, explain(exc)) from None

    def path(self, name: str) -> Path:
        """Staged location of output `name` (a file or folder the caller fills)."""
        if name not in self.allowed:
            raise ValueError(f"{name!r} is not an output of {self.name}")   # recover() would not accept it
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
        check_targets(self.folder, ordered)
        with _committing():
            try:
                _fsync_dir(self.stage)
                tmp = self.folder / f"{self.journal.name}.{os.getpid()}.tmp"
                _write_file(tmp, json.dumps({"stage": self.stage.name, "files": ordered}).encode("utf-8"))
                os.replace(tmp, self.journal)
                _fsync_dir(self.folder)
            except OSError as exc:
                if os.path.lexists(tmp):
                    tmp.unlink()
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
        found = accepted_record(self.folder, self.journal)
        if isinstance(found, str) or found[0] != self.stage:
            _remove_tree(self.stage)


def usable_folder(folder: Path) -> Path:
    """folder, unless it names a file, something else than a folder, or a link to nothing (OutputError, exit
    code 3). The folder itself may be a link: the user named it. So may .cache/ and its folders (to share drawn
    figures between output folders): lkjip only adds its own hash-named files there and prunes nothing through a
    link (recover, layout.page_map)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, explain(NotADirectoryError(errno.ENOTDIR, "not a directory")))
    if os.path.lexists(folder) and not folder.exists():
        raise OutputError(folder, "tautan simbolik ini menunjuk ke folder yang tidak ada; pilih folder lain dengan "
                                  "--output")
    return folder


@contextmanager
def transaction(folder: Path, name: str):
    """Lock the folder, finish or drop what earlier killed builds left, stage, and commit on success.
    On any error (or interruption) the staging folder is removed and the previous outputs stay as they were."""
    folder = usable_folder(folder)
    with folder_lock(folder):
        recover(folder)
        txn = Transaction(folder, name)
        try:
            yield txn
            txn.commit()
        finally:
            txn.discard()


def write_keeping_mode(path: Path, data: bytes) -> None:
    """Replace the file atomically: a symlink stays a symlink (its target is rewritten), the mode stays (a 0400
    file stays 0400); written beside the target, flushed, then renamed over it."""
    real = Path(os.path.realpath(path))
    mode = stat.S_IMODE(os.stat(real).st_mode)
    tmp = real.parent / f".{real.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)
