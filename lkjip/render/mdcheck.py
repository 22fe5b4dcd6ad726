"""Check stage (prose): Markdown that the DOCX writer cannot render faithfully is reported at its line.

Rendered: paragraphs, headings (level 4 and deeper as bold paragraphs), lists, emphasis, tables, links (text and
address), block quotes, pictures (`![keterangan](gambar/foto.jpg)` alone in a paragraph: a numbered Gambar); code
blocks are printed as plain paragraphs (warning). Reported as errors: raw HTML, a picture inside running text or
without a caption or whose file is not a PNG/JPEG inside the year folder, unclosed comments and lkjip directives
(only the outline template may use them).
"""
from __future__ import annotations

from pathlib import Path

from ..base.problems import ERROR, WARNING, Problem
from ..load.content import PROSE_DIR
from ..load.files import ContentFileError, read_picture
from .directives import LOOKALIKE
from .mdparse import MAX_NESTING, lone_image, parse

UNSUPPORTED, CHANGED, DIRECTIVE = "markdown-tidak-didukung", "markdown-diubah", "direktif-di-prosa"
PICTURE = "gambar-tidak-valid"


def year_folder(file: str):
    """The year folder of a prose file (content/2022/prosa/x.md, .../prosa/sasaran/s1.md -> content/2022)."""
    path = Path(file)
    for parent in path.parents:
        if parent.name == PROSE_DIR:
            return parent.parent
    return path.parent


def picture_problems(file: str, line: int, image) -> list[Problem]:
    """A picture in prose: a caption, and a PNG/JPEG file inside the year folder (read as the DOCX writer will)."""
    if not image.content.strip():
        return [Problem(file, line, "", PICTURE, ERROR, "Gambar tanpa keterangan: tulis ![keterangan](berkas); "
                                                        "keterangan menjadi judul gambar dan teks alternatifnya")]
    year = year_folder(file)
    try:
        read_picture(image.attrs.get("src", ""), year, year.parent)
    except ContentFileError as exc:
        return [Problem(file, line, "", PICTURE, ERROR, exc.message)]
    return []


def _comment_problems(file: str, line: int, html: str) -> list[Problem]:
    text = html.strip()
    if not text.startswith("<!--"):
        return [Problem(file, line, "", UNSUPPORTED, ERROR,
                        "HTML mentah tidak didukung dalam prosa dan tidak akan tercetak; tulis sebagai teks Markdown")]
    out = []
    if LOOKALIKE.search(text):
        out.append(Problem(file, line, "", DIRECTIVE, ERROR,
                           "Direktif <!-- lkjip:... --> hanya berlaku di templates/lkjip.md.j2; di prosa ia tidak "
                           "dijalankan. Hapus baris ini"))
    if "-->" not in text:
        out.append(Problem(file, line, "", UNSUPPORTED, ERROR,
                           "Komentar <!-- tidak ditutup dengan -->; seluruh teks sesudahnya akan hilang dari laporan"))
    return out


def check_markdown(file: str, markdown: str, source_lines: int) -> list[Problem]:
    """Problems of one rendered prose section; lines are those of the prose file (clamped to its length)."""
    out: list[Problem] = []

    def at(line0: int) -> int:
        return max(1, min(line0 + 1, source_lines))

    deepest = None
    tokens = parse(markdown)
    for i, tok in enumerate(tokens):
        line = at(tok.map[0]) if tok.map else 1
        picture = lone_image(tokens, i) if tok.type == "paragraph_open" else None
        if picture is not None:
            out += picture_problems(file, line, picture)
        levels = [tok.level] + [c.level + tok.level for c in tok.children or ()]
        if deepest is None and max(levels) >= MAX_NESTING - 4:
            deepest = line
            out.append(Problem(file, line, "", UNSUPPORTED, ERROR,
                               "Daftar/kutipan bersarang terlalu dalam; sisanya tidak akan tercetak. Kurangi tingkatnya"))
        if tok.type == "html_block":
            out += _comment_problems(file, line, tok.content)
        elif tok.type == "fence":
            out.append(Problem(file, line, "", CHANGED, WARNING,
                               "Blok kode (```) dicetak sebagai paragraf biasa; hapus tanda ``` bila tidak perlu"))
        elif tok.type == "code_block":
            out.append(Problem(file, line, "", CHANGED, WARNING,
                               "Baris diawali 4 spasi atau tab dibaca Markdown sebagai blok kode; dicetak sebagai "
                               "paragraf biasa. Hapus spasi di awal baris"))
        elif tok.type == "inline":
            offset = 0
            for child in tok.children or ():
                if child.type in ("softbreak", "hardbreak"):
                    offset += 1
                elif child.type == "html_inline":
                    out += _comment_problems(file, at(tok.map[0] + offset) if tok.map else line, child.content)
                elif child.type == "image" and lone_image(tokens, i - 1) is None:
                    out.append(Problem(file, at(tok.map[0] + offset) if tok.map else line, "", PICTURE, ERROR,
                                       "Gambar harus berdiri sendiri dalam satu paragraf (baris kosong sebelum dan "
                                       "sesudahnya), bukan di tengah kalimat, daftar atau tabel"))
    return out
