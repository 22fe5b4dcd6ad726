"""Render stage: the outline's numbering, done once for every output.

Chapters are `<!-- lkjip:bagian bab ROMAWI -->`; their headings are numbered 'BAB III' / 'A.' / '1.' (kerangka
penomoran bab-huruf-angka) or 'BAB III' / '3.1' / '3.1.2' (angka). Tables and figures are counted per chapter
('Tabel 3.2', 'Gambar 2.1') and in the appendices ('Tabel L.1'); the front matter and the review page neither
restart the count nor carry a prefix. A pipe table written in prose is a table like any other, and a picture
written in prose (`![keterangan](gambar/foto.jpg)` alone in its paragraph) a figure like any other.

Numbering is driven by whoever walks the outline (the DOCX writer, the Markdown rendition); `captions()` walks a
whole outline the way the DOCX writer does, for the tools that only need the numbers (ekspor).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..base.xmltext import clean
from .directives import PATTERN as DIRECTIVE
from .mdparse import lone_image, parse

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
TABLE, FIGURE = "Tabel", "Gambar"


def caption_prefix(kind: str | None, chapter: str | None) -> str:
    """Caption numbers per chapter: 'Tabel 3.1' in BAB III, 'Tabel L.1' in the appendices."""
    return {"bab": f"{ROMAN.get(chapter, 0)}.", "lampiran": "L."}.get(kind, "")


class Numbering:
    """Where the walk is (kind of part, chapter) and the counts so far."""

    def __init__(self, style: str = "bab-huruf-angka"):
        self.style = style               # laporan.yaml kerangka.penomoran
        self.kind: str | None = None     # depan | bab | reviu | lampiran
        self.chapter: str | None = None  # roman numeral of the current chapter
        self.headings = [0, 0, 0]
        self.counts = {TABLE: 0, FIGURE: 0}

    def section(self, kind: str, chapter: str | None = None) -> None:
        """A `bagian` directive: a chapter or the appendices restart the table and figure counts."""
        self.kind = kind
        if kind in ("bab", "lampiran"):
            self.chapter = chapter if kind == "bab" else None
            self.counts = dict.fromkeys(self.counts, 0)

    def section_directive(self, args: str) -> None:
        """The arguments of `<!-- lkjip:bagian ... -->`: 'bab III', 'lampiran', 'depan', 'reviu'."""
        parts = args.split()
        self.section(parts[0], parts[1] if parts[0] == "bab" and len(parts) > 1 else None)

    def caption(self, kind: str) -> str:
        """The number of the next table (TABLE) or figure (FIGURE) here: '3.2', 'L.1', or '4' outside chapters."""
        self.counts[kind] += 1
        return f"{caption_prefix(self.kind, self.chapter)}{self.counts[kind]}"

    def heading(self, level: int) -> str:
        """The label of the next chapter heading of `level` (1-3): 'BAB III', 'A.', '1.' or '3.1', '3.1.2'."""
        self.headings[level - 1] += 1
        for deeper in range(level, 3):
            self.headings[deeper] = 0
        if level == 1:
            return f"BAB {self.chapter}"
        if self.style == "angka":
            return ".".join([str(ROMAN.get(self.chapter, 0)), *map(str, self.headings[1:level])])
        return f"{chr(64 + self.headings[1])}." if level == 2 else f"{self.headings[2]}."


@dataclass(frozen=True)
class Caption:
    kind: str                  # TABLE or FIGURE
    number: str                # '3.2'
    args: str | None           # the directive's arguments; None for a pipe table written in prose
    tokens: tuple = ()         # a prose pipe table: the tokens of its prose, and where it starts
    start: int = 0

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"


def captions(markdown: str, prose: dict | None = None) -> list[Caption]:
    """Every numbered table and figure of an outline (render.build's, directives marked), in document order,
    numbered as the DOCX captions are: directives, and pipe tables in the outline or in its prose sections."""
    numbers, out = Numbering(), []
    _walk(parse(clean(markdown)), numbers, prose or {}, out)
    return out


def _walk(tokens, numbers: Numbering, prose: dict, out: list) -> None:
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            out.append(Caption(TABLE, numbers.caption(TABLE), None, tuple(tokens), i))
        elif tok.type == "paragraph_open" and lone_image(tokens, i) is not None:     # a picture in prose
            out.append(Caption(FIGURE, numbers.caption(FIGURE), None, tuple(tokens), i))
        elif tok.type == "html_block":
            match = DIRECTIVE.fullmatch(tok.content.strip())
            if not match:
                continue
            name, args = match.group(1), match.group(2)
            if name == "bagian":
                numbers.section_directive(args)
            elif name == "tabel":
                out.append(Caption(TABLE, numbers.caption(TABLE), args))
            elif name == "gambar":
                out.append(Caption(FIGURE, numbers.caption(FIGURE), args))
            elif name == "prosa":
                _walk(parse(clean(prose.get(args, ""))), numbers, prose, out)
