"""pdf/preview tool: DOCX -> PDF through LibreOffice headless, PDF -> PNG pages through poppler's pdftoppm.

LibreOffice is looked up in LKJIP_SOFFICE, on PATH, then in the standard Windows, macOS and Linux install
folders. The conversion runs in its own process group with a time limit (LKJIP_PDF_TIMEOUT seconds, default
300); on timeout the whole group is ended. Failures raise ToolError (exit code 2) with an Indonesian message.
"""
from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .page import without_unfilled_note

ENV_SOFFICE, ENV_PDFTOPPM, ENV_TIMEOUT = "LKJIP_SOFFICE", "LKJIP_PDFTOPPM", "LKJIP_PDF_TIMEOUT"
EXIT_MISSING = 2


class ToolError(Exception):
    """An external tool is missing, failed or timed out (environment problem: exit code 2)."""


def _candidates() -> list[str]:
    if sys.platform == "win32":
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432")]
        roots.append(os.path.join(os.environ.get("LOCALAPPDATA", ""), "Programs"))
        return [os.path.join(r, "LibreOffice", "program", "soffice.exe") for r in roots if r]
    if sys.platform == "darwin":
        return ["/Applications/LibreOffice.app/Contents/MacOS/soffice",
                os.path.expanduser("~/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return (["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/snap/bin/libreoffice"]
            + sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True))


def soffice() -> str | None:
    """The LibreOffice program: LKJIP_SOFFICE, PATH, or a standard install folder; None when not found."""
    configured = os.environ.get(ENV_SOFFICE)
    if configured:
        return configured if os.path.isfile(configured) else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((c for c in _candidates() if os.path.isfile(c)), None)


def pdftoppm() -> str | None:
    configured = os.environ.get(ENV_PDFTOPPM)
    if configured:
        return configured if os.path.isfile(configured) else None
    return shutil.which("pdftoppm")


def install_hint(what: str) -> str:
    """How to install LibreOffice or poppler on this operating system."""
    office = what == "LibreOffice"
    if sys.platform == "win32":
        return ("Pasang LibreOffice dari https://www.libreoffice.org/download/ (atau: winget install "
                "TheDocumentFoundation.LibreOffice)" if office else
                "Pasang poppler untuk Windows (mis. conda install -c conda-forge poppler) lalu tambahkan folder "
                f"bin-nya ke PATH atau isi {ENV_PDFTOPPM}")
    if sys.platform == "darwin":
        return "Pasang dengan: brew install --cask libreoffice" if office else "Pasang dengan: brew install poppler"
    return ("Pasang dengan: sudo apt-get install -y libreoffice-writer-nogui fonts-liberation" if office
            else "Pasang dengan: sudo apt-get install -y poppler-utils")


def missing_message(what: str, purpose: str) -> str:
    variable = ENV_SOFFICE if what == "LibreOffice" else ENV_PDFTOPPM
    if os.environ.get(variable):
        return f"{variable}={os.environ[variable]} tidak menunjuk ke program yang ada; {purpose} tidak dapat dibuat."
    return (f"{what} tidak ditemukan; {purpose} tidak dapat dibuat. {install_hint(what)}. "
            f"Bila sudah terpasang di folder lain, isi variabel lingkungan {variable} dengan jalur programnya.")


def missing(what: str, purpose: str) -> None:
    print(missing_message(what, purpose), file=sys.stderr)


def timeout() -> float:
    """Seconds one LibreOffice (or poppler) run may take: LKJIP_PDF_TIMEOUT, default 300. Used by `pdf`/`preview`
    and by the layout pass of `report` (render/layout.py)."""
    try:
        value = float(os.environ.get(ENV_TIMEOUT, "300"))
    except ValueError:
        return 300.0
    return max(0.1, value) if value == value else 300.0          # NaN: the default


_timeout = timeout                       # older name


class Timeout(Exception):
    """run_tree: the program did not finish within `limit` seconds (its whole process tree was ended)."""

    def __init__(self, limit: float):
        self.limit = limit
        super().__init__(f"{limit:g}")


def kill_tree(proc) -> None:
    """End proc and every process it started. POSIX: the process group (proc leads a session of its own).
    Windows (no killpg): taskkill /T /F ends the tree of a process started with CREATE_NEW_PROCESS_GROUP;
    proc.kill() when taskkill is unavailable or the launcher is already gone."""
    if sys.platform == "win32":
        try:
            done = subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, check=False, timeout=30).returncode == 0
        except (OSError, subprocess.SubprocessError):
            done = False
        running = proc.poll() is None if hasattr(proc, "poll") else proc.is_alive()   # Popen or a batch worker
        if not done and running:
            try:
                proc.kill()
            except OSError:
                pass
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


_kill_group = kill_tree                  # older name


def run_tree(command: list[str], limit: float | None = None, capture: bool = False) -> tuple[int, bytes]:
    """Run a tool in a process group of its own with a time limit (LKJIP_PDF_TIMEOUT unless `limit`); the whole
    tree is ended on timeout (Timeout), on interruption (Ctrl-C, a stopped batch worker) and after the tool exits
    (helpers such as soffice.bin that outlive the launcher). Returns (exit code, stdout if capture). OSError when
    the program cannot be started. The one way the pdf tool and the layout pass run LibreOffice."""
    options = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if sys.platform == "win32"
               else {"start_new_session": True})
    limit = timeout() if limit is None else limit
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **options)
    finished = False
    try:
        out, _ = proc.communicate(timeout=limit)
        finished = True
        return proc.returncode, out or b""
    except subprocess.TimeoutExpired:
        raise Timeout(limit) from None
    finally:
        kill_tree(proc)
        if not finished:
            try:
                proc.communicate(timeout=10)             # reap it and close its pipes
            except Exception:  # noqa: BLE001 - cleanup after a timeout or an interruption: never mask it
                pass


def run_group(command: list[str], what: str) -> int:
    """run_tree for the pdf tool: failures as ToolError (exit code 2)."""
    try:
        return run_tree(command)[0]
    except OSError as exc:
        raise ToolError(f"{what} tidak dapat dijalankan ({command[0]}): {exc.strerror or exc}") from None
    except Timeout as exc:
        raise ToolError(f"{what} tidak selesai dalam {exc.limit:g} detik dan dihentikan beserta seluruh prosesnya. "
                        f"Coba lagi; bila dokumen memang besar, naikkan batas dengan {ENV_TIMEOUT}=DETIK") from None


# A tagged PDF (structure tree: headings, lists and tables for screen readers) with bookmarks from the headings,
# for publication on the agency's website, marked PDF/A-2b (archival: fonts embedded, XMP metadata) and PDF/UA-1
# (accessibility) as LibreOffice writes them (writer_pdf_Export options, JSON form: LibreOffice 7.4+; an older
# LibreOffice ignores what it does not know and still writes a PDF). The marks are LibreOffice's claim; no PDF/A or
# PDF/UA validator (veraPDF) runs here.
PDF_EXPORT = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
              '"ExportBookmarks":{"type":"boolean","value":"true"},'
              '"SelectPdfVersion":{"type":"long","value":"2"},'
              '"PDFUACompliance":{"type":"boolean","value":"true"},'
              '"ExportFormFields":{"type":"boolean","value":"false"}}')


def to_pdf(docx: Path, target: Path, cache_dir: Path) -> Path:
    """Convert with a LibreOffice profile in the output cache (used under the output folder's lock, so parallel
    runs wait instead of sharing it); page references are recomputed, so the table of contents is current."""
    office = soffice()
    if office is None:
        raise ToolError(missing_message("LibreOffice", "PDF"))
    profile = Path(cache_dir, "lo-profile").resolve()
    with tempfile.TemporaryDirectory(prefix="lkjip-pdf-") as tmp:
        source = _for_print(Path(docx), Path(tmp))
        code = run_group([office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                          "--convert-to", PDF_EXPORT, "--outdir", tmp, str(source)], "LibreOffice")
        produced = Path(tmp) / (Path(docx).stem + ".pdf")
        if not produced.is_file() or produced.stat().st_size == 0:
            raise ToolError(f"LibreOffice tidak menghasilkan PDF (kode keluar {code}). Tutup LibreOffice yang sedang "
                            "terbuka lalu coba lagi, atau buka berkas DOCX-nya dan simpan sebagai PDF secara manual")
        shutil.move(str(produced), str(target))
    return target


def _for_print(docx: Path, tmp: Path) -> Path:
    """The DOCX to convert: without the line saying the lists' page numbers are not filled in yet (LibreOffice
    fills them as it lays the pages out), as a copy in `tmp` under the same name; the DOCX itself unchanged."""
    try:
        src = zipfile.ZipFile(docx)
        xml = src.read("word/document.xml").decode("utf-8")
    except (OSError, KeyError, UnicodeDecodeError, zipfile.BadZipFile):
        return docx                          # not ours to mend: LibreOffice gets it as it is and says what it can
    with src:
        cleaned = without_unfilled_note(xml)
        if cleaned == xml:
            return docx
        folder = tmp / "sumber"
        folder.mkdir()
        copy = folder / docx.name
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = cleaned.encode("utf-8") if info.filename == "word/document.xml" else src.read(info.filename)
                dst.writestr(info, data)
    return copy


def to_png(pdf: Path, folder: Path, dpi: int = 60) -> list[Path]:
    """Pages of pdf as folder/page-NN.png (folder is new: the caller swaps it in)."""
    tool = pdftoppm()
    if tool is None:
        raise ToolError(missing_message("pdftoppm (poppler)", "pratinjau"))
    folder.mkdir(parents=True, exist_ok=True)
    code = run_group([tool, "-r", str(dpi), "-png", str(pdf), str(folder / "page")], "pdftoppm")
    pages = sorted(folder.glob("page-*.png"))
    if code != 0 or not pages:
        raise ToolError(f"pdftoppm gagal membuat gambar halaman (kode keluar {code})")
    width = max(2, len(str(len(pages))))
    renamed = []
    for page in pages:                    # page-1.png / page-01.png -> page-01.png, whatever poppler chose
        number = int(page.stem.split("-")[-1])
        target = folder / f"page-{number:0{width}d}.png"
        page.rename(target)
        renamed.append(target)
    return renamed
