"""yamledit: values replaced by node position; layout, comments, quoting, line endings and BOM kept; broken results refused."""
from __future__ import annotations

import pytest

from lkjip.tools.yamledit import YamlEditError, YamlEditor
from lkjip.load.yamlsafe import parse_yaml

SOURCE = """\
# header comment
tahun: 2022   # the year
tanggal: "2023-03"
kode: '1.06'
# figures printed in the source
dinyatakan_sumber:
  total_pagu: 5721724782
  catatan: |
    two
    lines

anggaran: {pagu: 10020000, realisasi: 10020000}  # flow
blok:
  pagu: 3000000
  realisasi: 2900000 # SP2D Desember
daftar:
  - kode: "1.06.01"
    realisasi: 5
    kosong:
  - {kode: "1.06.02", realisasi: 3, nama: Dua}
akhir: x
"""


def _edit(text: str, steps, newline="\n", bom=False) -> str:
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")
    editor = YamlEditor(raw, "t.yaml")
    for step in steps:
        step(editor)
    out = editor.result()
    assert out.startswith(b"\xef\xbb\xbf") == bom
    decoded = out.decode("utf-8-sig")
    if newline == "\r\n":
        assert "\n" not in decoded.replace("\r\n", "")
    else:
        assert "\r" not in decoded
    return decoded.replace("\r\n", "\n")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_scalars_replaced_in_place_with_comments_and_quotes_kept(newline, bom):
    out = _edit(SOURCE, [
        lambda e: e.set(("tahun",), 2023),
        lambda e: e.set(("tanggal",), "2024-03"),
        lambda e: e.set(("kode",), "1.07"),
        lambda e: e.set(("blok", "realisasi"), None),
        lambda e: e.set(("anggaran", "realisasi"), None, null=""),     # flow mappings always get `null`
        lambda e: e.set(("daftar", 0, "realisasi"), None, null=""),
        lambda e: e.set(("daftar", 0, "kosong"), "a: b"),              # unsafe as plain text: quoted
        lambda e: e.set(("daftar", 1, "realisasi"), 4),
    ], newline, bom)
    lines = out.splitlines()
    assert lines[0] == "# header comment"
    assert "tahun: 2023   # the year" in lines
    assert 'tanggal: "2024-03"' in lines and "kode: '1.07'" in lines
    assert "anggaran: {pagu: 10020000, realisasi: null}  # flow" in lines
    assert "  realisasi: null # SP2D Desember" in lines
    assert "    realisasi:" in lines and '    kosong: "a: b"' in lines
    assert '  - {kode: "1.06.02", realisasi: 4, nama: Dua}' in lines
    data = parse_yaml(out.encode(), "t.yaml")[0].data
    assert data["tanggal"] == "2024-03" and data["blok"]["realisasi"] is None and data["daftar"][0]["realisasi"] is None


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_delete_block_flow_and_first_key_of_item(newline):
    out = _edit(SOURCE, [
        lambda e: e.delete(("dinyatakan_sumber",)),        # with its comment line and block scalar
        lambda e: e.delete(("anggaran", "pagu")),
        lambda e: e.delete(("daftar", 0, "kode")),         # the next key moves up onto the `- ` line
        lambda e: e.delete(("daftar", 1, "nama")),
        lambda e: e.delete(("blok", "realisasi")),
    ], newline)
    assert "figures printed" not in out and "dinyatakan_sumber" not in out and "lines" not in out
    assert "anggaran: {realisasi: 10020000}  # flow" in out
    assert "  - realisasi: 5\n    kosong:\n" in out
    assert '  - {kode: "1.06.02", realisasi: 3}' in out
    assert "blok:\n  pagu: 3000000\ndaftar:" in out
    assert out.startswith("# header comment\ntahun: 2022")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_add_key_to_block_and_flow_mappings(newline):
    out = _edit(SOURCE, [
        lambda e: e.add(("daftar", 0), "anggaran", {"pagu": 5, "realisasi": None}),
        lambda e: e.add(("daftar", 1), "anggaran", {"pagu": 7, "realisasi": 6}),
        lambda e: e.add((), "draf", True),
    ], newline)
    assert "    kosong:\n    anggaran: {pagu: 5, realisasi: null}\n  - {" in out
    assert "nama: Dua, anggaran: {pagu: 7, realisasi: 6}}" in out
    assert out.endswith("akhir: x\ndraf: true\n")


def test_block_collection_emptied_and_block_scalar_replaced():
    out = _edit(SOURCE, [lambda e: e.set(("blok",), None, null=""),
                         lambda e: e.set(("dinyatakan_sumber", "catatan"), "satu")])
    assert "blok:\ndaftar:" in out
    assert "  catatan: satu\n\nanggaran:" in out


def test_refuses_what_it_cannot_do_and_never_returns_broken_yaml():
    editor = YamlEditor(SOURCE.encode(), "t.yaml")
    with pytest.raises(YamlEditError):
        editor.set(("tidak_ada",), 1)
    with pytest.raises(YamlEditError):
        editor.delete(("daftar", 5, "kode"))
    editor.set(("tahun",), 2023)
    editor.set(("tahun",), 2024)                           # two edits of one value overlap
    with pytest.raises(YamlEditError):
        editor.result()
    broken = YamlEditor(SOURCE.encode(), "t.yaml")
    broken._edit(0, 0, "tahun: [\n")                       # a faulty edit is caught by the re-parse
    with pytest.raises(YamlEditError):
        broken.result()
    wrong = YamlEditor(SOURCE.encode(), "t.yaml")
    wrong._edit(wrong.node(("akhir",)).start_mark.index, wrong.node(("akhir",)).end_mark.index, "y")
    with pytest.raises(YamlEditError):                     # valid YAML, but not the intended data
        wrong.result()
    with pytest.raises(YamlEditError):
        YamlEditor(b"a: [1,\n", "t.yaml")


def test_edits_through_an_alias_are_refused_and_others_allowed():
    """A value shared through an anchor/alias changes every place that uses it: refused, naming the other place."""
    raw = b"x:\n  - &a {pagu: 1, realisasi: 0}\n  - *a\n  - {pagu: 1, realisasi: 0}\n"
    editor = YamlEditor(raw, "p.yaml")
    for edit in (lambda: editor.set(("x", 1, "pagu"), 2), lambda: editor.set(("x", 0, "realisasi"), 2),
                 lambda: editor.delete(("x", 0, "realisasi")), lambda: editor.add(("x", 1), "catatan", "c")):
        with pytest.raises(YamlEditError, match=r"x\[0\]|x\[1\]"):
            edit()
    assert editor.shared(("x", 0, "pagu")) == (("x", 0), [("x", 1, "pagu")])
    editor.set(("x", 2, "pagu"), 2)                        # the unshared item is edited as before
    assert editor.result() == raw.replace(b"- {pagu: 1,", b"- {pagu: 2,")
