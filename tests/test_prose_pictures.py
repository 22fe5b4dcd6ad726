"""Issue 21 item 7: pictures in prose. `![keterangan](gambar/foto.png)` alone in a paragraph becomes a numbered
Gambar with its caption and alt text, scaled to the page, listed in Daftar Gambar, numbered alike in the DOCX and
the Markdown. Hostile and careless input: no caption, inside a sentence or a list, a URL, an absolute path, a path
out of the year folder, a link out, a FIFO, a huge file, a text file named .png, a truncated PNG, a folder."""
from __future__ import annotations

import os
import re
import shutil
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from lkjip import pipeline
from lkjip.render.markdown import rendition

ROOT = Path(__file__).resolve().parent.parent
PROSE = "analisis_keberhasilan.md"


def png(width: int = 40, height: int = 20) -> bytes:
    """A whole grey PNG, written without any imaging library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "2022" / "gambar").mkdir()
    (root / "2022" / "gambar" / "foto.png").write_bytes(png())
    (root / "2022" / "gambar" / "tinggi.png").write_bytes(png(20, 200))
    return root


def _add(root: Path, text: str) -> int:
    """Append prose to the section; returns the line the addition starts on."""
    path = root / "2022" / "prosa" / PROSE
    old = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(old + "\n\n" + text + "\n", encoding="utf-8")
    return old.count("\n") + 3


def test_picture_is_a_numbered_captioned_figure(content, tmp_path):
    _add(content, "![Penyaluran bantuan sosial](gambar/foto.png)\n\nTeks.\n\n![Rapat koordinasi](gambar/tinggi.png)")
    result = pipeline.report(content, 2022, tmp_path / "out")
    assert not [p for p in result.problems if p.severity == "error"]
    text = rendition(result.plan.markdown, result.report, result.plan.specs, result.plan.prose)
    assert re.findall(r"\*Gambar (3\.\d+) (Penyaluran bantuan sosial|Rapat koordinasi)\*", text) == \
        [("3.3", "Penyaluran bantuan sosial"), ("3.4", "Rapat koordinasi")]
    assert "*Gambar 3.5 Pagu dan Realisasi Anggaran" in text             # the charts after them count on
    with zipfile.ZipFile(result.output) as z:
        document = z.read("word/document.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert "Gambar 3.3 Penyaluran bantuan sosial" in document and "Gambar 3.4 Rapat koordinasi" in document
    assert 'descr="Penyaluran bantuan sosial"' in document and 'descr="Rapat koordinasi"' in document
    extents = [(int(cx), int(cy)) for cx, cy in re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"/>', document)]
    assert any(cy <= 0.6 * 24.7 * 360000 and cy > 4 * cx for cx, cy in extents)  # the tall one kept inside the page
    assert len(media) >= 2
    again = pipeline.report(content, 2022, tmp_path / "again")
    assert again.output.read_bytes() == result.output.read_bytes()


FIFO = "fifo"


@pytest.mark.parametrize(("prose", "setup"), [
    ("![](gambar/foto.png)", None),                                          # no caption
    ("Lihat ![foto](gambar/foto.png) di atas.", None),                        # inside a sentence
    ("- ![foto](gambar/foto.png)", None),                                     # inside a list
    ("![foto](https://contoh.go.id/foto.png)", None),
    ("![foto](/etc/passwd)", None),
    ("![foto](../../rahasia.png)", None),
    ("![foto](gambar/tidak-ada.png)", None),
    ("![foto](gambar/keluar.png)", "link"),
    ("![foto](gambar/pipa.png)", FIFO),
    ("![foto](gambar/besar.png)", "huge"),
    ("![foto](gambar/teks.png)", "text"),
    ("![foto](gambar/potong.png)", "truncated"),
    ("![foto](gambar/map.png)", "folder"),
], ids=["no-caption", "in-sentence", "in-list", "url", "absolute", "dotdot", "missing", "link-out", "fifo", "huge",
        "text", "truncated", "folder"])
def test_bad_pictures_are_errors_at_their_line(content, tmp_path, prose, setup):
    folder = content / "2022" / "gambar"
    if setup == "link":
        if sys.platform == "win32":
            pytest.skip("symlinks")
        (tmp_path / "luar.png").write_bytes(png())
        (folder / "keluar.png").symlink_to(tmp_path / "luar.png")
    elif setup == FIFO:
        if not hasattr(os, "mkfifo"):
            pytest.skip("FIFO")
        os.mkfifo(folder / "pipa.png")
    elif setup == "huge":
        with open(folder / "besar.png", "wb") as handle:
            handle.write(png())
            handle.truncate(9 * 1024 * 1024)
    elif setup == "text":
        (folder / "teks.png").write_text("bukan gambar", encoding="utf-8")
    elif setup == "truncated":
        (folder / "potong.png").write_bytes(png()[:30])
    elif setup == "folder":
        (folder / "map.png").mkdir()
    line = _add(content, prose)
    problems = pipeline.check(content, 2022).problems
    found = [(Path(p.file).name, p.line, p.code) for p in problems if p.severity == "error"]
    assert found == [(PROSE, line, "gambar-tidak-valid")]
