"""Issue 23 item 1: no portrait page left nearly empty before a landscape one. The layout pass measures the pages
(render/layout.py page_sizes), finds the nearly empty ones (render/pagination.py) and lays the document out again
with the portrait tables before such a page joining the landscape section, or the landscape tables after it becoming
portrait where they fit; a remedy is kept only when it leaves fewer such pages (render/layout.py laid_out). Pure
functions tested on made-up pages; the printed PDFs in tests/test_layout_rules.py (slow)."""
from __future__ import annotations

import docx
import pytest

from lkjip.base import memo
from lkjip.render import build, layout, pagination
from lkjip.render.directives import mark
from lkjip.render.docx_writer import TEMPLATE
from lkjip.render.figures import FigureSpec
from lkjip.render.page import page_geometry
from lkjip.render.tables import Cell, TableSpec

GEOMETRY = page_geometry(docx.Document(str(TEMPLATE)))
A4 = (595.3, 841.9)
TOP = GEOMETRY[False]["top"] / 12700                     # 85,05 pt
AREA = A4[1] - TOP - GEOMETRY[False]["bottom"] / 12700


def portrait(share: float) -> list:
    return [A4[0], A4[1], round(TOP + share * AREA, 1)]


def landscape() -> list:
    return [A4[1], A4[0], 400.0]


def line(kind: str, name: str) -> str:
    return mark(f"<!-- lkjip:{kind} {name} -->")


def table(name: str, wide: bool = False, columns: int = 3, text: str = "isi") -> TableSpec:
    return TableSpec(name, (23.0 / columns if wide else 14.0 / columns,) * columns,
                     [[Cell(f"Kolom {c}") for c in range(columns)]], [([Cell(text)] * columns, False)],
                     landscape=wide)


# --- measuring ----------------------------------------------------------------------------------------------

def _bbox(*pages) -> str:
    body = "".join(f'<page width="{w}" height="{h}">' + "".join(
        f'<word xMin="10.0" yMin="{y - 10}" xMax="50.0" yMax="{y}">{t}</word>' for y, t in words) + "</page>"
        for w, h, words in pages)
    return f'<html><body><doc>{body}</doc></body></html>'


def test_page_sizes_leave_out_the_page_label_only():
    text = _bbox((595.32, 841.92, [(120.0, "Teks"), (430.5, "terakhir"), (800.0, "III.27")]),
                 (841.92, 595.32, [(300.0, "Tabel"), (560.0, "L.2")]),
                 (595.32, 841.92, []),                                     # a blank page
                 (595.32, 841.92, [(200.0, "Isi"), (790.0, "kegiatan")]),    # last line no label: kept
                 (595.32, 841.92, [(100.0, "A"), (700.0, "iv")]))
    assert layout.page_sizes(text) == [[595.3, 841.9, 430.5], [841.9, 595.3, 300.0], [595.3, 841.9, 0.0],
                                       [595.3, 841.9, 790.0], [595.3, 841.9, 100.0]]


@pytest.mark.parametrize("text", ["", "bukan xml", '<page width="1" height=', "<page></page>",
                                  '<page width="a" height="b"><word>x</word></page>', "\x00" * 1000])
def test_page_sizes_of_careless_text_are_empty_not_a_crash(text):
    assert layout.page_sizes(text) == []


def test_page_sizes_of_many_pages_and_escaped_words():
    text = _bbox(*[(595.32, 841.92, [(150.0 + n % 500, "Dana &amp; Hibah"), (800.0, f"I.{n}")]) for n in range(2000)])
    sizes = layout.page_sizes(text)
    assert len(sizes) == 2000 and sizes[7] == [595.3, 841.9, 157.0]


def test_an_old_page_map_without_page_sizes_is_measured_again():
    assert not layout.valid_map({"pages": 3, "labels": {}})
    assert not layout.valid_map({"pages": 3, "labels": {}, "letak": {"_Toc1": "2"}, "ukuran": []})
    assert not layout.valid_map({"pages": 3, "labels": {}, "letak": {}, "ukuran": [[1, 2]]})
    assert not layout.valid_map({"pages": 3, "labels": {}, "letak": {}, "ukuran": [["a", 2, 3]]})
    assert layout.valid_map({"pages": 3, "labels": {"_Toc1": "I.2"}, "letak": {"_Toc1": 2}, "ukuran": [[1, 2.5, 3]]})


# --- finding the pages ------------------------------------------------------------------------------------

def test_fill_is_the_share_of_the_text_area():
    assert pagination.fill(portrait(0.45), GEOMETRY[False]) == pytest.approx(0.45, abs=0.001)
    assert pagination.fill([A4[0], A4[1], 0.0], GEOMETRY[False]) < 0                    # a blank page
    assert pagination.fill([1.0, 1.0, 0.5], GEOMETRY[False]) == 1.0                    # no text area: left alone


def test_underfilled_pages_are_portrait_before_landscape_and_start_no_part():
    pages = {"ukuran": [portrait(0.9), portrait(0.45), landscape(), portrait(0.3), landscape(), landscape(),
                        portrait(0.59), landscape(), portrait(0.61), landscape(), portrait(0.1)]}
    assert pagination.underfilled(pages, GEOMETRY, set()) == [2, 4, 7]
    assert pagination.underfilled(pages, GEOMETRY, {5}) == [2, 7]        # page 5 opens a chapter: 4 ends one
    assert pagination.underfilled({"ukuran": []}, GEOMETRY, set()) == []
    assert pagination.underfilled({}, GEOMETRY, set()) == []
    toc = [(1, "BAB III", "_Toc9", "III."), (2, "A.", "_Toc10", "III."), (1, "LAMPIRAN", "_Toc11", "L.")]
    assert pagination.part_starts({"letak": {"_Toc9": 5, "_Toc10": 7}}, toc) == {5}


# --- choosing what to turn --------------------------------------------------------------------------------

SPECS = {("tabel", "a"): table("A"), ("tabel", "b"): table("B"), ("tabel", "lebar"): table("L", wide=True),
         ("tabel", "lebar2"): table("L2", wide=True), ("gambar", "bagan"): FigureSpec("bagan", "Bagan", "org", {}, 20.0,
                                                                                      landscape=True)}


def _placed(*names) -> list:
    return [(("gambar" if n == "bagan" else "tabel", n), f"_Toc{i:05d}") for i, n in enumerate(names, start=1)]


def test_the_portrait_run_right_before_the_landscape_table_turns():
    outline = "\n".join(["teks", "", line("tabel", "a"), "", line("tabel", "b"), "", line("tabel", "lebar"), "",
                         "teks sesudah"])
    placed = _placed("a", "b", "lebar")
    pages = {"letak": {"_Toc00001": 4, "_Toc00002": 5, "_Toc00003": 6}}
    assert pagination.tables_to_turn(outline, SPECS, placed, pages, [5]) == {("tabel", "a"), ("tabel", "b")}
    assert pagination.tables_to_turn(outline, SPECS, placed, pages, [4]) == set()      # no landscape page after 4
    # text between the tables ends the run; a heading or lead-in before the landscape table leaves nothing to turn
    between = outline.replace(line("tabel", "b"), "Rincian berikut:\n\n" + line("tabel", "b"))
    assert pagination.tables_to_turn(between, SPECS, placed, pages, [5]) == {("tabel", "b")}
    heading = outline.replace(line("tabel", "lebar"), "### Rincian\n\n" + line("tabel", "lebar"))
    assert pagination.tables_to_turn(heading, SPECS, placed, pages, [5]) == set()


def test_a_table_printed_twice_is_found_at_its_own_place():
    outline = "\n".join([line("tabel", "a"), "", line("tabel", "lebar"), "", "teks", "", line("tabel", "b"), "",
                         line("tabel", "lebar")])
    placed = _placed("a", "lebar", "b", "lebar")
    pages = {"letak": {"_Toc00001": 2, "_Toc00002": 3, "_Toc00003": 4, "_Toc00004": 5}}
    assert pagination.tables_to_turn(outline, SPECS, placed, pages, [4]) == {("tabel", "b")}
    assert pagination.tables_to_turn(outline, SPECS, placed, pages, [2]) == {("tabel", "a")}


def test_an_outline_that_disagrees_with_the_document_turns_nothing():
    outline = "\n".join([line("tabel", "a"), "", line("tabel", "lebar")])
    assert pagination.tables_to_turn(outline, SPECS, _placed("a", "lebar", "lebar"),
                                     {"letak": {"_Toc00003": 3}}, [2]) == set()
    forged = "\n".join(["<!-- lkjip:tabel a -->", "", line("tabel", "lebar")])           # not a genuine directive
    assert pagination.tables_to_turn(forged, SPECS, _placed("a", "lebar"), {"letak": {"_Toc00002": 3}}, [2]) == set()
    assert pagination.tables_to_turn("", SPECS, [], {}, [2]) == set()


def test_a_figure_opening_the_landscape_page_is_never_straightened():
    outline = "\n".join([line("tabel", "a"), "", line("gambar", "bagan"), "", line("tabel", "lebar")])
    placed = _placed("a", "bagan", "lebar")
    pages = {"letak": {"_Toc00001": 2, "_Toc00002": 3, "_Toc00003": 4}}
    assert pagination.tables_to_turn(outline, SPECS, placed, pages, [2]) == {("tabel", "a")}
    assert pagination.tables_to_straighten(outline, SPECS, placed, pages, [2], GEOMETRY) == {}


def test_landscape_tables_become_portrait_only_when_nothing_breaks():
    specs = {**SPECS, ("tabel", "panjang"): table("P", wide=True, columns=12, text="300.000.000.000")}
    outline = "\n".join(["teks", "", line("tabel", "lebar"), "", line("tabel", "lebar2"), "", "teks"])
    placed = _placed("lebar", "lebar2")
    pages = {"letak": {"_Toc00001": 3, "_Toc00002": 3}}
    found = pagination.tables_to_straighten(outline, specs, placed, pages, [2], GEOMETRY)
    assert set(found) == {("tabel", "lebar"), ("tabel", "lebar2")}
    assert not found[("tabel", "lebar")].landscape
    assert sum(found[("tabel", "lebar")].widths) == pytest.approx(23.0 * 14.0 / 23.7, abs=0.01)
    assert SPECS[("tabel", "lebar")].landscape                             # the plan's own specs untouched
    # one table of the run that cannot fit keeps the whole run landscape
    wide = outline.replace(line("tabel", "lebar2"), line("tabel", "panjang"))
    assert pagination.tables_to_straighten(wide, specs, placed[:1] + [(("tabel", "panjang"), "_Toc00002")],
                                           pages, [2], GEOMETRY) == {}


def test_a_table_that_fits_only_small_is_straightened_small():
    words = "Penyelenggaraan"
    spec = TableSpec("S", (23.0 / 5,) * 5, [[Cell("K")] * 5], [([Cell(f"{words} 300.000.000")] * 5, False)],
                     landscape=True)
    outline = "\n".join(["teks", "", line("tabel", "s")])
    found = pagination.tables_to_straighten(outline, {("tabel", "s"): spec}, [(("tabel", "s"), "_Toc00001")],
                                            {"letak": {"_Toc00001": 2}}, [1], GEOMETRY)
    assert found[("tabel", "s")].small and not found[("tabel", "s")].landscape


def test_turned_tables_are_as_wide_as_the_landscape_page():
    turned = pagination.turned(SPECS, {("tabel", "a")}, GEOMETRY)
    assert turned[("tabel", "a")].landscape and sum(turned[("tabel", "a")].widths) == pytest.approx(23.7, abs=0.01)
    assert turned[("tabel", "b")] is SPECS[("tabel", "b")]


# --- the loop -----------------------------------------------------------------------------------------------

class _Writer:
    def __init__(self, specs):
        self.pages, self.toc = GEOMETRY, []
        self.placed = _placed("a", "lebar")
        self.state = ("turned" if specs[("tabel", "a")].landscape else
                      "straightened" if not specs[("tabel", "lebar")].landscape else "as-planned")


def _loop(monkeypatch, maps: dict, fail: bool = False, cache: str = "0"):
    """laid_out on a two-table plan whose page maps are `maps` by state: (final parts, layouts measured, writes)."""
    monkeypatch.setenv(memo.ENV, cache)
    memo._RECENT.clear()
    outline = "\n".join(["teks", "", line("tabel", "a"), "", line("tabel", "lebar")])
    plan = build.Plan(outline, dict(SPECS), {})
    measured, writes = [], []

    def write(specs):
        writer = _Writer(specs)
        writes.append(writer.state)
        return {"gambar.png": b"sama", "state": writer.state.encode()}, writer

    def measure(parts, cache_dir, docx):
        if fail:
            raise layout.LayoutError("uji")
        measured.append(parts["state"].decode())
        return maps[parts["state"].decode()]
    monkeypatch.setattr(layout, "measured", measure)
    monkeypatch.setattr(layout, "filled", lambda parts, pages: {**parts, "filled": pages["ukuran"][1][2]})
    parts, writer = write(plan.specs)
    return layout.laid_out(parts, writer, write, plan.markdown, plan.specs, None, lambda p: b""), measured, writes


BAD = {"pages": 3, "labels": {}, "letak": {"_Toc00001": 2, "_Toc00002": 3},
       "ukuran": [portrait(0.9), portrait(0.3), landscape()]}
TURNED = {"pages": 3, "labels": {}, "letak": {"_Toc00001": 2, "_Toc00002": 2},
          "ukuran": [portrait(0.9), landscape(), landscape()]}
STRAIGHT = {"pages": 3, "labels": {}, "letak": {"_Toc00001": 2, "_Toc00002": 2},
            "ukuran": [portrait(0.9), portrait(0.8), landscape()]}


def test_a_remedy_that_leaves_fewer_empty_pages_is_kept(monkeypatch):
    parts, measured, _writes = _loop(monkeypatch, {"as-planned": BAD, "straightened": BAD, "turned": TURNED})
    assert parts["state"] == b"turned" and measured == ["as-planned", "turned", "straightened"]
    # when turning does not help, straightening the landscape table may
    parts, measured, _writes = _loop(monkeypatch, {"as-planned": BAD, "turned": BAD, "straightened": STRAIGHT})
    assert parts["state"] == b"straightened"


def test_a_remedy_that_does_not_help_is_dropped(monkeypatch):
    worse = {**TURNED, "ukuran": [portrait(0.2), landscape(), landscape()]}
    parts, measured, _writes = _loop(monkeypatch, {"as-planned": BAD, "turned": worse, "straightened": BAD})
    assert parts["state"] == b"as-planned" and measured == ["as-planned", "turned", "straightened"]


def test_the_outcome_is_kept_for_the_next_build(monkeypatch, tmp_path):
    maps = {"as-planned": BAD, "straightened": BAD, "turned": TURNED}
    cache = str(tmp_path / "memo")
    first, _measured, writes = _loop(monkeypatch, maps, cache=cache)
    assert writes == ["as-planned", "turned", "straightened"]
    again, measured, writes = _loop(monkeypatch, {}, cache=cache)    # no page map needed: from the cache
    assert again == first and measured == [] and writes == ["as-planned"]
    # a damaged entry is laid out again
    for entry in (tmp_path / "memo").rglob("*"):
        if entry.is_file() and "tata-letak" in entry.parts:
            entry.write_bytes(entry.read_bytes()[:-5])
    memo._RECENT.clear()
    again, measured, writes = _loop(monkeypatch, maps, cache=cache)
    assert again == first and writes == ["as-planned", "turned", "straightened"]


def test_a_failed_layout_pass_leaves_the_parts_and_says_so(monkeypatch, capsys):
    parts, measured, _writes = _loop(monkeypatch, {}, fail=True)
    assert parts == {"gambar.png": b"sama", "state": b"as-planned"} and measured == []
    assert "Tata letak gagal (uji)" in capsys.readouterr().err
