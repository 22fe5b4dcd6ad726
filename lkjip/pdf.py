"""pdf/preview tool: DOCX -> PDF through LibreOffice headless, PDF -> PNG pages through poppler's pdftoppm."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .render.build import write_atomic

INSTALL = "sudo apt-get install -y libreoffice-writer-nogui poppler-utils fonts-liberation"
EXIT_MISSING = 2


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing(what: str, purpose: str) -> None:
    print(f"{what} tidak ditemukan; {purpose} tidak dapat dibuat. Pasang dengan:\n  {INSTALL}", file=sys.stderr)


def to_pdf(docx: Path, output_dir: Path) -> Path | None:
    """Convert with a private LibreOffice profile (no clash with a running office); page references are
    recomputed during layout, so the table of contents is current in the PDF."""
    office = soffice()
    if office is None:
        missing("LibreOffice", "PDF")
        return None
    profile = (output_dir / ".cache" / "lo-profile").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=600)
        produced = Path(tmp) / (docx.stem + ".pdf")
        target = output_dir / produced.name
        write_atomic(target, produced.read_bytes())
    return target


def to_png(pdf: Path, folder: Path, dpi: int = 60) -> list[Path] | None:
    if shutil.which("pdftoppm") is None:
        missing("pdftoppm (poppler)", "pratinjau")
        return None
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True, timeout=600)
    pages = sorted(folder.glob("page-*.png"))
    width = max(2, len(str(len(pages))))
    renamed = []
    for page in pages:                    # page-1.png / page-01.png -> page-01.png, whatever poppler chose
        number = int(page.stem.split("-")[-1])
        target = folder / f"page-{number:0{width}d}.png"
        page.rename(target)
        renamed.append(target)
    return renamed
