"""Text widths in the template's font, for laying out table columns and signature blocks before any renderer sees
the document. templates/base.docx sets Arial; its widths are those of its metric twin Helvetica (Adobe Font Metrics,
1/1000 em per character, ASCII 32-126; tests/test_layout_rules.py holds them to the AFM files matplotlib ships).
Characters outside ASCII count as a digit's width (an average Latin letter)."""
from __future__ import annotations

from functools import lru_cache
from itertools import repeat

REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 222, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584,
)
BOLD = (
    278, 333, 474, 556, 556, 889, 722, 278, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
    611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 278, 556,
    611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, 389, 280, 389, 584,
)
OTHER = 556                   # width of a character outside the table (a digit's)


_WIDTHS = {False: {chr(32 + i): w for i, w in enumerate(REGULAR)}, True: {chr(32 + i): w for i, w in enumerate(BOLD)}}


@lru_cache(maxsize=1 << 16)
def _units(text: str, bold: bool) -> int:
    """Width of `text` in 1/1000 em (kept per text: a table's words and numbers repeat)."""
    return sum(map(_WIDTHS[bold].get, text, repeat(OTHER)))


def width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of `text` on one line, in points."""
    return _units(text, bool(bold)) * size_pt / 1000


def wrap(words: list[str], size_pt: float, first_pt: float, rest_pt: float, bold: bool = False) -> list[list[str]]:
    """Words laid out greedily on lines `first_pt` then `rest_pt` wide, as a word processor does."""
    space = width_pt(" ", size_pt, bold)
    lines: list[list[str]] = [[]]
    used, room = 0.0, first_pt
    for word in words:
        w = width_pt(word, size_pt, bold)
        if lines[-1] and used + space + w > room:
            lines.append([])
            used, room = 0.0, rest_pt
        used += (space if lines[-1] else 0.0) + w
        lines[-1].append(word)
    return lines


def leader_break(text: str, size_pt: float, first_pt: float, rest_pt: float, reserve_pt: float) -> int | None:
    """Where to break a list entry (text, dot leader, page number) so that its last line keeps at least one word
    beside the number: the index of the word to start a new line with, or None when the number already has room.
    reserve_pt: what the leader and the number need at least."""
    words = text.split()
    lines = wrap(words, size_pt, first_pt, rest_pt)
    last = lines[-1]
    room = first_pt if len(lines) == 1 else rest_pt
    if width_pt(" ".join(last), size_pt) + reserve_pt <= room or len(words) < 2:
        return None
    return len(words) - 1                   # the last word goes down with the number
