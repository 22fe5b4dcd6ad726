"""lkjip/base/shape.py, the content's vocabulary in one home: walkers over raw, frozen and broken content, the ASCII
number rule, and one definition of each vocabulary item across lkjip/ (issue 20)."""
from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lkjip.base import shape
from lkjip.base.frozen import freeze

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lkjip"

PROGRAM_90 = {"program": [
    {"kode": "1.06.01", "kegiatan": [
        {"kode": "1.06.01.2.01", "sub_kegiatan": [{"kode": "1.06.01.2.01.01"}, {"kode": "1.06.01.2.01.02"}]}]},
    {"kode": "1.06.02", "kegiatan": [{"kode": "1.06.02.2.01", "sub_kegiatan": [{"kode": "1.06.02.2.01.01"}]}]}]}
PROGRAM_13 = {"program": [{"kode": "1.02.15", "kegiatan": [{"kode": "1.02.15.01"}, {"kode": "1.02.15.02"}]}]}


def _codes(items):
    return [(level, item["kode"]) for level, _path, item in items]


def test_program_items_one_order_parents_first():
    items = list(shape.program_items(PROGRAM_90))
    assert _codes(items) == [("program", "1.06.01"), ("kegiatan", "1.06.01.2.01"),
                             ("sub_kegiatan", "1.06.01.2.01.01"), ("sub_kegiatan", "1.06.01.2.01.02"),
                             ("program", "1.06.02"), ("kegiatan", "1.06.02.2.01"), ("sub_kegiatan", "1.06.02.2.01.01")]
    assert items[3][1] == ("program", 0, "kegiatan", 0, "sub_kegiatan", 1)
    assert _codes(shape.program_items(freeze(PROGRAM_90))) == _codes(items)          # frozen: lists are tuples


@pytest.mark.parametrize("program, leaves", [
    (PROGRAM_90, ["1.06.01.2.01.01", "1.06.01.2.01.02", "1.06.02.2.01.01"]),
    (PROGRAM_13, ["1.02.15.01", "1.02.15.02"])])
def test_leaves_of_both_nomenclatures(program, leaves):
    assert [item["kode"] for _p, item in shape.program_leaves(program)] == leaves


@pytest.mark.parametrize("broken", [None, "teks", [], {"program": None}, {"program": "x"},
                                    {"program": [None, 3, {"kode": "1.01.01", "kegiatan": {"a": 1}}]},
                                    {"program": [{"kode": "1.01.01", "kegiatan": [{"kode": "k", "sub_kegiatan": 5}]}]}])
def test_walkers_skip_what_is_not_there(broken):
    """Tools walk unvalidated files: a missing or mistyped list is skipped, never raised on."""
    list(shape.program_items(broken))
    list(shape.program_leaves(broken))
    list(shape.renstra_indicators(broken))


def test_renstra_walk_and_pk_precedence():
    renstra = {"tujuan": [{"sasaran": [{"id": "S1", "indikator": [{"id": "I1"}, {"id": "I2"}]}]},
                          {"sasaran": [{"id": "S2", "indikator": [{"id": "I3"}]}]}]}
    assert [(p, i["id"]) for p, i in shape.renstra_indicators(renstra)][-1] == \
        (("tujuan", 1, "sasaran", 0, "indikator", 0), "I3")
    assert list(shape.indicators_by_id(renstra)) == ["I1", "I2", "I3"]
    assert [s["id"] for _p, _t, s in shape.renstra_sasaran(renstra)] == ["S1", "S2"]
    assert shape.pk_in_force({shape.PK: {"target": []}, shape.PK_PERUBAHAN: {"target": []}}) == shape.PK_PERUBAHAN
    assert shape.pk_in_force({shape.PK: {"target": []}}) == shape.PK
    assert shape.pk_in_force({}) is None and shape.pk_in_force(None) is None
    assert shape.PK_PRECEDENCE == tuple(reversed(shape.PK_KINDS))


@pytest.mark.parametrize("text, value", [("1485", Decimal(1485)), ("88.4", Decimal("88.4")), (" -2.5 ", Decimal("-2.5")),
                                         (88, Decimal(88)), ("１２", None), ("١٢", None), ("1.485,5", None),
                                         ("refocusing", None), ("", None), (None, None), ("1e3", None)])
def test_numbers_are_ascii_decimals(text, value):
    assert shape.number(text) == value
    assert shape.is_number(text) == (value is not None)


def test_code_key_ascii_only():
    assert shape.code_key("1.06.01.2.01.0001") == shape.code_key("1.06.01.2.01.01") == (1, 6, 1, 2, 1, 1)
    assert shape.code_key("１.06") is None and shape.code_key("Jumlah") is None


def test_nomenclature_and_code_forms():
    assert shape.nomenclature({}) == shape.nomenclature(None) == shape.NOMENKLATUR_DEFAULT == shape.NOMENKLATUR_90
    assert set(shape.CODE_FORMS) == set(shape.NOMENKLATUR_LABELS) == {shape.NOMENKLATUR_90, shape.NOMENKLATUR_13}
    for forms in shape.CODE_FORMS.values():
        for pattern, example in forms.values():
            assert "\\d" not in pattern
            assert re.fullmatch(pattern, example.split(" atau ")[0])


def test_declared_figures_match_the_schema_and_the_recount():
    schema = yaml.safe_load((ROOT / "schema" / "laporan.yaml").read_text(encoding="utf-8"))
    assert set(schema[shape.DECLARED]["schema"]) == set(shape.DECLARED_COUNTS) | set(shape.DECLARED_TOTALS)
    from lkjip.tools.reviu.checks import _COUNTS      # the reviewer's recount names the same declared counts
    assert set(_COUNTS) == set(shape.DECLARED_COUNTS)


def test_value_at():
    data = {"a": [{"b": 1}, {"b": {"c": 2}}]}
    assert shape.value_at(data, ("a", 1, "b", "c")) == 2 and shape.value_at(data, ()) is data
    with pytest.raises(KeyError):
        shape.value_at(data, ("x",))


# --- one definition of each vocabulary item ---------------------------------------------------------------------

def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name != "shape.py":
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


VOCABULARY = ("NOMENKLATUR_DEFAULT", "PK_KEYS", "PK_KINDS", "PK_PRECEDENCE", "CODE_FORMS", "LEVEL_WORDS", "NUMBER",
              "NUMBER_PATTERN", "POLARITY_DEFAULT", "DECLARED_COUNTS")
WALKERS = ("coded_items", "iter_items", "leaves", "indicators", "indicator_ids", "program_items", "program_leaves",
           "renstra_indicators", "value_at", "_lookup", "_value", "num", "number")


def test_vocabulary_is_defined_only_in_shape():
    found = []
    for name, text in _sources():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Assign):
                targets = {t.id for target in node.targets for t in ast.walk(target) if isinstance(t, ast.Name)}
                found += [f"{name}: {t}" for t in targets & set(VOCABULARY)
                          if not (name == "lkjip/validate/schema.py" and t == "NUMBER")]   # schema: shape's pattern, anchored
            elif isinstance(node, ast.FunctionDef) and node.col_offset == 0 and node.name in WALKERS:
                found.append(f"{name}: def {node.name}")
    assert found == []


def test_vocabulary_literals_live_in_shape():
    """Nomenclature names, polarity values and the plain-number pattern are written as literals only in shape.py
    (dict keys are data field names, e.g. figures.py's chart field "negatif"). editor_schema.py's JSON Schema
    patterns keep \\d: in ECMA-262 it is [0-9] only."""
    found = []
    for name, text in _sources():
        tree = ast.parse(text)
        keys = {id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys if k is not None}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in keys:
                continue
            if node.value in ("permendagri-90-2019", "permendagri-13-2006", "positif", "negatif") or (
                    r"\d+(\.\d+)?" in node.value and name != "lkjip/tools/editor/editor_schema.py"):
                found.append(f"{name}:{node.lineno}: {node.value}")
    assert found == []


def test_renstra_is_walked_through_shape():
    """No comprehension over tujuan -> sasaran -> indikator outside shape.py; compute/indicators.py builds per sasaran
    with its own loop (left for the indicator-kinds work: issue 20 follow-up)."""
    pattern = re.compile(r"for \w+ in \w+\[\"tujuan\"\] for \w+ in \w+\[\"sasaran\"\]")
    assert [name for name, text in _sources() if pattern.search(text)] == []


@pytest.mark.parametrize("text", ["１２３", "١٢٣", "１.２３４"])
def test_other_scripts_digits_are_not_numbers_anywhere(text):
    """The stages and tools agree with the schema: only 0-9 are digits (Decimal() would accept the others)."""
    from lkjip.compute.measure import parse_measure
    from lkjip.tools.reviu.recount import money
    from lkjip.render.tables import _numeric
    from lkjip.tools.spreadsheet.sheetread import parse_amount
    assert parse_measure(text, "%").number is None and parse_measure(text, "%").text == text
    assert money({"anggaran": {"pagu": text, "realisasi": text}}) is None
    assert not _numeric(text)
    assert parse_amount(text)[:2] == (None, "bukan-angka")
