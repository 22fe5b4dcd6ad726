"""Table column widths from the content: the designed proportions (TableSpec.widths) scaled to the text area, then
moved between columns so that no number, code, year or contract number is broken across lines, and then, where
room is left, no word either. A token is what a line never breaks inside (text between spaces, render/metrics.py);
widths are measured in the template's font at the table's size. Pure: the same spec gives the same widths."""
from __future__ import annotations

import re
from functools import lru_cache

from .metrics import width_pt
from .tables import header_grid

PT_PER_CM = 72 / 2.54
PADDING_CM = 2 * 108 / 1440 * 2.54      # the template's default cell margins, left and right (108 twips each)
BODY_PT, SMALL_PT = 10, 8               # Isi Tabel / Isi Tabel Kecil (templates/base.docx)
SLACK = 1.03                            # renderers differ by a few percent in kerning and rounding
MIN_SHARE = 0.5                         # a column keeps at least half its designed width
DIGIT = re.compile(r"[0-9]")


@lru_cache(maxsize=1 << 14)
def _cell_needs(text: str, size: float, bold: bool) -> tuple[float, float]:
    """(widest token with a digit, widest other token) of a cell's text, in cm with the cell's padding."""
    hard = soft = 0.0
    for token in text.split():
        cm = width_pt(token, size, bold) * SLACK / PT_PER_CM + PADDING_CM
        if DIGIT.search(token):
            hard = max(hard, cm)
        else:
            soft = max(soft, cm)
    return hard, soft


def _needs(spec, ncols: int) -> tuple[list, list]:
    """(hard, soft) width in cm each column needs: hard for tokens with a digit (never broken), soft for words."""
    size = SMALL_PT if spec.small else BODY_PT
    hard, soft = [0.0] * ncols, [0.0] * ncols

    def see(col: int, text: str, bold: bool) -> None:
        h, w = _cell_needs(text or "", size, bool(bold))
        hard[col], soft[col] = max(hard[col], h), max(soft[col], w)
    for placed in header_grid(spec.header, ncols):
        for col, cell, continues in placed:
            if not continues and cell.span == 1:
                see(col, cell.text, True)
    for cells, bold in spec.rows:
        col = 0
        for cell in cells:
            if cell.span == 1 and col < ncols:
                see(col, cell.text, bold or cell.bold)
            col += cell.span
    return hard, soft


def _give(widths: list, needs: list, floors: list) -> list:
    """Move width from columns with room to spare to columns short of their need, as far as the spare allows; a
    column never gives below its floor."""
    short = [max(0.0, n - w) for w, n in zip(widths, needs)]
    spare = [max(0.0, w - max(n, f)) for w, n, f in zip(widths, needs, floors)]
    moved = min(sum(short), sum(spare))
    if moved <= 0:
        return widths
    out = []
    for w, s, p in zip(widths, short, spare):
        out.append(w + (moved * s / sum(short) if s else 0.0) - (moved * p / sum(spare) if p else 0.0))
    return out


def fit_widths(spec, available_cm: float) -> list[float]:
    """Column widths in cm for `spec` on a text area `available_cm` wide (the table never grows past it)."""
    designed = list(spec.widths)
    total = sum(designed)
    scale = available_cm / total if total > available_cm + 0.01 else 1.0
    widths = [w * scale for w in designed]
    if spec.cell_style:                  # signature blocks and the like: laid out by their own style
        return widths
    hard, soft = _needs(spec, len(widths))
    floors = [w * MIN_SHARE for w in widths]
    widths = _give(widths, hard, floors)
    return _give(widths, [max(h, s) for h, s in zip(hard, soft)], floors)


def overflowing_tokens(spec, widths_cm: list) -> list[tuple[int, str]]:
    """(column, token) of every token wider than its cell: what a renderer would break (for tests and checks)."""
    size = SMALL_PT if spec.small else BODY_PT
    out = []

    def see(col, cell, bold):
        room = sum(widths_cm[col:col + cell.span]) - PADDING_CM
        out.extend((col, token) for token in (cell.text or "").split()
                   if width_pt(token, size, bold) / PT_PER_CM > room + 1e-9)
    for placed in header_grid(spec.header, len(widths_cm)):
        for col, cell, continues in placed:
            if not continues:
                see(col, cell, True)
    for cells, bold in spec.rows:
        col = 0
        for cell in cells:
            see(col, cell, bold or cell.bold)
            col += cell.span
    return out

