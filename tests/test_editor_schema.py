"""Editor JSON Schemas (schema/json): in sync with schema/*.yaml, described, and agreeing with check on real edits."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest

from editor_yaml import editor_view
from lkjip import cli, editor_schema
from lkjip.load import RENSTRA_FILES, YEAR_FILES
from lkjip.schema import validate_document
from lkjip.yamlsafe import format_path, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
JSON_DIR = ROOT / "schema" / "json"
NAMES = YEAR_FILES + RENSTRA_FILES


def _content_file(name: str) -> Path:
    """The example content's file; for optional files the example lacks (reviu, lke), the sample in tests/contoh."""
    path = ROOT / "content" / ("renstra" if name in RENSTRA_FILES else "2022") / f"{name}.yaml"
    return path if path.exists() else ROOT / "tests" / "contoh" / f"{name}.yaml"


@lru_cache(maxsize=None)
def _validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((JSON_DIR / f"{name}.schema.json").read_text(encoding="utf-8")))


def test_json_schemas_match_schema_yaml():
    """Regenerated in memory, byte for byte; run `make skema-json` after changing schema/*.yaml."""
    generated = editor_schema.generate()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in JSON_DIR.glob("*.json")}
    assert sorted(on_disk) == sorted(generated)
    stale = [name for name, text in generated.items() if on_disk[name] != text]
    assert stale == [], "schema/json is out of date: run `make skema-json`"


def test_skema_json_command_writes_the_same_files(tmp_path):
    assert cli.main(["skema-json", "--output", str(tmp_path)]) == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == \
        {p.name: p.read_bytes() for p in JSON_DIR.glob("*.json")}


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_draft7_and_every_field_has_a_description(name):
    schema, converter = editor_schema.convert(name)
    jsonschema.Draft7Validator.check_schema(schema)
    assert [p for p in converter.paths if p not in converter.descriptions] == [], \
        f"add hover texts to schema/deskripsi/{name}.yaml"
    assert sorted(set(converter.descriptions) - set(converter.paths)) == [], \
        f"schema/deskripsi/{name}.yaml describes keys that the schema no longer has"
    assert schema["description"] and all(prop["description"] for prop in schema["properties"].values())


def _leaves(node):
    for prop in node.get("properties", {}).values():
        kind = prop.get("type")
        if "properties" in prop or "items" in prop or "patternProperties" in prop:
            yield from _leaves(prop)
            yield from _leaves(prop.get("items", {}))
            for sub in prop.get("patternProperties", {}).values():
                yield from _leaves(sub) if "properties" in sub else iter([sub])
        elif kind or "enum" in prop:
            yield prop


@pytest.mark.parametrize("name", NAMES)
def test_every_value_has_an_indonesian_error_message(name):
    leaves = list(_leaves(editor_schema.convert(name)[0]))
    assert leaves and all(leaf.get("errorMessage") for leaf in leaves)


def test_meta_deskripsi_in_the_schema_wins():
    rules = {"a": {"type": "string", "meta": {"deskripsi": "dari meta"}}}
    schema, _ = editor_schema.convert("x", rules, {"a": "dari berkas"})
    assert schema["properties"]["a"]["description"] == "dari meta"


def test_unknown_cerberus_rule_is_an_error_not_a_silent_gap():
    with pytest.raises(editor_schema.ConversionError):
        editor_schema.convert("x", {"a": {"type": "string", "oneof_regex": ["^a$"]}}, {})


@pytest.mark.parametrize("name", NAMES)
def test_real_content_is_valid_for_the_editor(name):
    errors = list(_validator(name).iter_errors(editor_view(_content_file(name).read_text(encoding="utf-8"))))
    assert [f"{format_path(tuple(e.absolute_path))}: {e.message}" for e in errors] == []


# (case id, schema name, text to find, replacement ("*" as text to find: whole file), does check accept it?)
# Every case asserts that the editor (JSON Schema over YAML 1.2 typing) and check agree. Known gaps where the editor
# cannot see what check rejects, because YAML 1.2 has already turned the text into a number or boolean:
# `draf: False` (check wants true/false), `pagu: 3.000` (3.0 is an integer), `kode_urusan: 1.6` (a number),
# `realisasi: 1.485` (grouped digits read as a decimal), NIP dates beyond the month/day pattern (TMT before birth).
AGREEMENT = [
    ("year-quoted", "laporan", "tahun: 2022", 'tahun: "2022"', True),
    ("bool-quoted", "laporan", "draf: false", 'draf: "false"', True),
    ("title-number", "laporan", "judul: Laporan Kinerja Instansi Pemerintah", "judul: 2022", True),
    ("nip-unquoted", "laporan", 'nip: "197112231992031002"', "nip: 197112231992031002", True),
    ("nip-spaced", "laporan", 'nip: "197112231992031002"', 'nip: "19711223 199203 1 002"', True),
    ("nip-bad-explained", "laporan", 'nip: "197112231992031002"',
     'nip: "197113231992031002"\n  catatan_nip: tercetak demikian di sumber', True),
    ("cap-number", "laporan", "batas_atas: null", "batas_atas: 120", True),
    ("code-level2-unquoted", "instansi", 'kode_urusan: "1.06"', "kode_urusan: 1.06", True),
    ("target-quoted", "renstra", "2022: 88.4", '2022: "88.4"', True),
    ("year-key-quoted", "renstra", "2022: 88.4", '"2022": 88.4', True),
    ("iku-quoted", "renstra", "iku: true", 'iku: "true"', True),
    ("money-quoted", "program", "anggaran: {pagu: 10020000,", 'anggaran: {pagu: "10020000",', True),
    ("measure-empty", "program", "            realisasi: 2\n", "            realisasi:\n", True),
    ("measure-text", "program", "            realisasi: 2\n", "            realisasi: sebagian\n", True),
    ("component-empty", "kinerja", "jumlah: 30", "jumlah:", True),
    ("head-id-number", "organisasi", "kepala: ardah", "kepala: 123", True),
    ("wrong-type-int", "laporan", "tahun: 2022", "tahun: dua ribu dua puluh dua", False),
    ("year-out-of-range", "laporan", "tahun: 2022", "tahun: 1999", False),
    ("wrong-type-bool", "laporan", "draf: false", "draf: tidak", False),
    ("empty-required", "laporan", "judul: Laporan Kinerja Instansi Pemerintah", "judul:", False),
    ("empty-string", "laporan", "judul: Laporan Kinerja Instansi Pemerintah", 'judul: ""', False),
    ("missing-key", "laporan", "singkatan: LKjIP\n", "", False),
    ("bad-month", "laporan", "tanggal: 2023-03", "tanggal: Maret 2023", False),
    ("unallowed-formula", "laporan", "rumus_negatif: selisih", "rumus_negatif: beda", False),
    ("nip-birth-date", "pegawai", 'nip: "196908051988032001"', 'nip: "196913051988032001"', False),
    ("nip-tmt-month", "pegawai", 'nip: "196908051988032001"', 'nip: "196908051988132001"', False),
    ("nip-gender", "pegawai", 'nip: "196908051988032001"', 'nip: "196908051988033001"', False),
    ("nip-sequence", "pegawai", 'nip: "196908051988032001"', 'nip: "196908051988032000"', False),
    ("nip-length", "pegawai", 'nip: "196908051988032001"', 'nip: "19690805198803200"', False),
    ("nip-and-contract", "pegawai", 'nip: "196908051988032001"',
     'nip: "196908051988032001"\n    nomor_kontrak: "1"', False),
    ("unallowed-status", "pegawai", "status: kontrak", "status: honorer", False),
    ("unknown-key", "instansi", "tipe: C", "tipe: C\nwarna: biru", False),
    ("code-unquoted-level3", "instansi", 'kode_urusan: "1.06"', "kode_urusan: 1.6.02", False),
    ("decimal-comma", "renstra", "2022: 88.4", "2022: 88,4", False),
    ("year-key-short", "renstra", "2022: 88.4", "22: 88.4", False),
    ("list-for-mapping", "program", "anggaran: {pagu: 10020000, realisasi: 10020000}", "anggaran: [10020000]", False),
    ("scalar-for-mapping", "program", "anggaran: {pagu: 10020000, realisasi: 10020000}", "anggaran: 10020000", False),
    ("unknown-key-typo", "program", "realisasi_tahun_lalu: 2", "realisasi_tahun_lalau: 2", False),
    ("negative-money", "program", "anggaran: {pagu: 10020000,", "anggaran: {pagu: -10020000,", False),
    ("grouped-money", "program", "anggaran: {pagu: 10020000,", "anggaran: {pagu: 10.020.000,", False),
    ("fraction-money", "program", "anggaran: {pagu: 10020000,", "anggaran: {pagu: 10020.5,", False),
    ("grouped-measure-text", "program", "            realisasi: 2\n", "            realisasi: 1.485.000\n", False),
    ("percent-out-of-range", "program", "serapan: 90}", "serapan: 5000}", False),
    ("malformed-code", "program", 'kode: "1.06.01.2.01.01"', 'kode: "1.6.01.2.01.01"', False),
    ("malformed-code-5digit", "program", 'kode: "1.06.01.2.01.01"', 'kode: "1.06.01.2.01.00001"', False),
    ("mapping-for-list", "kinerja", "  - indikator: iku-ppks\n\n", "    indikator: iku-ppks\n\n", False),
    ("value-and-components", "kinerja", "  - indikator: iku-ppks\n    komponen:",
     "  - indikator: iku-ppks\n    realisasi: 88\n    komponen:", False),
    ("negative-count", "kinerja", "jumlah: 30", "jumlah: -30", False),
    ("empty-list", "dasar_hukum", "*", "dasar_hukum: []\n", False),
    ("null-list-item", "isu_strategis", "isu:\n", "isu:\n  -\n", False),
]


@pytest.mark.parametrize("case", AGREEMENT, ids=[c[0] for c in AGREEMENT])
def test_editor_and_check_agree(case):
    _id, name, old, new, accepted = case
    text = _content_file(name).read_text(encoding="utf-8")
    if old == "*":
        text = new
    else:
        assert old in text, f"marker not found in {name}.yaml: {old!r}"
        text = text.replace(old, new, 1)
    doc, problems = parse_yaml(text.encode("utf-8"), f"{name}.yaml")
    if doc is not None:
        problems += validate_document(name, doc)[1]
    assert (not problems) == accepted, [p.format() for p in problems]
    errors = list(_validator(name).iter_errors(editor_view(text)))
    assert (not errors) == accepted, [e.message for e in errors]
    if not accepted:                 # the editor marks the key check names, or a mapping that contains it
        flagged = {format_path(tuple(e.absolute_path)) for e in errors}
        assert any(p.path.startswith(f) for p in problems for f in flagged), (flagged, [p.path for p in problems])
