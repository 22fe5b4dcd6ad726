"""Render stage, pagination from measured pages: a landscape section starts on a new page, so the portrait page
before it ends where the portrait content ends, nearly empty at times. Two remedies change only orientation (the
DOCX's; the Markdown rendition has none), never the place or number of a table or a line of text:
- the run of portrait tables standing right before the landscape table (nothing but blank lines between) joins the
  landscape section, so the page before ends with the text before the run;
- the landscape tables opening the section, where their columns fit a portrait page with nothing broken, become
  portrait and fill the page.
The layout pass decides with the pages LibreOffice measured (render/layout.py) and keeps a remedy only when it
leaves fewer such pages (layout.laid_out): a rule that sees no pages could make a page worse than it found it."""
from __future__ import annotations

from dataclasses import replace

from .columns import fit_widths, overflowing_tokens
from .directives import PATTERN as DIRECTIVE
from .page import text_width_cm

MAX_TURNS = 3               # rounds per build (each lays the document out once more per remedy tried)
VERSION = "1"               # in the cache key of the outcome (layout.laid_out): change it when a rule changes
UNDERFILLED = 0.60          # a portrait page before a landscape one is nearly empty below 60 % of its text area
EMU_PER_PT = 12700


def fill(size: list, geometry: dict) -> float:
    """Share of the text area used down to the lowest line: size [width, height, lowest] in points (layout.py),
    geometry the page's margins in EMU (page.page_geometry)."""
    top, bottom = geometry["top"] / EMU_PER_PT, geometry["bottom"] / EMU_PER_PT
    area = size[1] - top - bottom
    return (size[2] - top) / area if area > 0 else 1.0


def underfilled(pages: dict, geometry: dict, part_starts: set) -> list[int]:
    """Portrait pages (index from 1) filled under UNDERFILLED and followed by a landscape page that does not start a
    part (a chapter or annex begins on a new page anyway)."""
    sizes = pages.get("ukuran") or []
    found = []
    for n in range(1, len(sizes)):
        here, after = sizes[n - 1], sizes[n]
        if here[0] > here[1] or after[0] <= after[1] or n + 1 in part_starts:
            continue
        if fill(here, geometry[False]) < UNDERFILLED:
            found.append(n)
    return found


def nearly_empty(pages: dict, writer) -> list[int]:
    """underfilled for the pages of a document a DocxWriter wrote (its page geometry and level-1 headings)."""
    return underfilled(pages, writer.pages, part_starts(pages, writer.toc))


def part_starts(pages: dict, toc: list) -> set:
    """Pages on which a chapter or annex heading (level 1) stands."""
    at = pages.get("letak") or {}
    return {at[bookmark] for level, _text, bookmark, _prefix in toc if level == 1 and bookmark in at}


def _runs(markdown: str, specs: dict, placed: list, pages: dict, bad: list[int]):
    """Per page in `bad`: (keys of the portrait tables standing right before the first table or figure of the
    next, landscape page; keys of the landscape tables that open that page, one after another)."""
    at = pages.get("letak") or {}
    lines = markdown.split("\n")
    directives = [(n, (m.group(1), m.group(2))) for n, line in enumerate(lines)
                  for m in [DIRECTIVE.fullmatch(line.strip())] if m and m.group(1) in ("tabel", "gambar")]

    def table_at(n: int, landscape: bool):
        match = DIRECTIVE.fullmatch(lines[n].strip())
        spec = specs.get((match.group(1), match.group(2))) if match and match.group(1) == "tabel" else None
        return (match.group(1), match.group(2)) if spec is not None and spec.landscape == landscape else None

    def run(n: int, step: int, landscape: bool) -> list:
        keys = []
        while 0 <= n < len(lines):
            if lines[n].strip():
                key = table_at(n, landscape)
                if key is None:
                    break
                keys.append(key)
            n += step
        return keys

    for page in bad:
        first = next((i for i, (_key, bookmark) in enumerate(placed) if at.get(bookmark) == page + 1), None)
        if first is None:
            continue
        key = placed[first][0]
        if not getattr(specs.get(key), "landscape", False):
            continue                                    # the page after is not opened by a landscape table or figure
        occurrence = sum(1 for k, _b in placed[:first] if k == key)
        lines_of_key = [n for n, k in directives if k == key]
        if occurrence >= len(lines_of_key):
            continue                                    # the outline and the document disagree: leave the pages
        n = lines_of_key[occurrence]
        yield run(n - 1, -1, False), run(n, 1, True)


def tables_to_turn(markdown: str, specs: dict, placed: list, pages: dict, bad: list[int]) -> set:
    """Keys of the portrait tables standing right before the first table or figure of the landscape page after
    each page in `bad` (nothing but blank lines between them)."""
    return {key for before, _opening in _runs(markdown, specs, placed, pages, bad) for key in before}


def tables_to_straighten(markdown: str, specs: dict, placed: list, pages: dict, bad: list[int],
                         geometry: dict) -> dict:
    """{key: portrait spec} for the landscape tables opening the landscape page after each page in `bad`, when
    every one of them fits the portrait text area with no number, code or word broken (render/columns.py), at
    its own size or else at the small table size (8 pt, as the landscape tables of the report are)."""
    width = text_width_cm(geometry[False])
    out = {}
    for _before, opening in _runs(markdown, specs, placed, pages, bad):
        fitting = {}
        for key in opening:
            narrow = oriented(specs[key], False, geometry)
            fitting[key] = next((spec for spec in (narrow, replace(narrow, small=True))
                                 if not overflowing_tokens(spec, fit_widths(spec, width))), None)
        if opening and None not in fitting.values():
            out.update(fitting)
    return out


def oriented(spec, landscape: bool, geometry: dict):
    """The table spec on pages of the other orientation, its columns scaled with the text width (a portrait table
    turned landscape is as wide as the landscape tables it joins)."""
    scale = text_width_cm(geometry[landscape]) / text_width_cm(geometry[not landscape])
    return replace(spec, landscape=landscape, widths=tuple(w * scale for w in spec.widths))


def turned(specs: dict, keys: set, geometry: dict) -> dict:
    """The specs with the tables of `keys` on landscape pages (oriented)."""
    return {key: oriented(spec, True, geometry) if key in keys else spec for key, spec in specs.items()}


def alternatives(markdown: str, specs: dict, placed: list, pages: dict, bad: list[int], geometry: dict) -> list:
    """Specs worth laying out instead, the smaller change first: the portrait tables before a nearly empty page
    join the landscape section after it; or the landscape tables opening that section, where they fit, become
    portrait and fill the page."""
    out = []
    before = tables_to_turn(markdown, specs, placed, pages, bad)
    if before:
        out.append(turned(specs, before, geometry))
    opening = tables_to_straighten(markdown, specs, placed, pages, bad, geometry)
    if opening:
        out.append({**specs, **opening})
    return out
