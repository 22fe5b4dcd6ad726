"""Editor tool: JSON Schemas (draft-07) for the content files, generated from schema/*.yaml (`skema-json`).

The loader reads every YAML scalar as text and the cerberus schema coerces it; an editor's YAML language server
types plain scalars itself (YAML 1.2 core: `88.4` is a number, `true` a boolean, `~` null). Each rule is therefore
translated to what the editor sees, so that what `check` accepts is never flagged and most of what it rejects is.
Hover texts (Indonesian) come from `meta: {deskripsi: ...}` in the schema or from schema/deskripsi/<name>.yaml;
value errors carry an Indonesian `errorMessage` (an extension that yaml-language-server shows instead of its own).
A rule block shared through a YAML alias (`anggaran: *budget`) is described at the path where it first occurs; a
text for the path under the alias, when present, wins (the same keys can mean a kegiatan's or a program's figure).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from ...base.resources import SCHEMA_DIR
from ...load.content import RENSTRA_FILES, YEAR_FILES
from ...validate.legacy import CONTENT_FORMAT
from ...validate.schema import BOOLEAN_WORDS, CODE, DECIMAL_COMMA, GROUPED_NUMBER, ID_INDIKATOR, ID_KUNCI, load_schema

DRAFT = "http://json-schema.org/draft-07/schema#"
DESCRIPTIONS_DIR = "deskripsi"
OUTPUT_DIR = "json"
ROOT_KEY = "."                      # key of a file's own description in schema/deskripsi/<name>.yaml

# Patterns for numbers written as text (quoted, or read as text by the loader): the coercers' own rules.
# (JSON Schema patterns are ECMA-262, where \d is [0-9] only: the meaning of lkjip.base.shape.NUMBER_PATTERN.)
_INT_TEXT = r"^\s*-?\d+\s*$"
_UINT_TEXT = r"^\s*\d+\s*$"
_DEC_TEXT = r"^\s*-?\d+(\.\d+)?\s*$"
_UDEC_TEXT = r"^\s*\d+(\.\d+)?\s*$"
_GROUPED_TEXT = r"^\s*" + GROUPED_NUMBER.pattern[1:-1] + r"\s*$"
_COMMA_TEXT = r"^\s*" + DECIMAL_COMMA.pattern[1:-1] + r"\s*$"     # 88,4: check says write 88.4
# NIP: 18 digits, birth date yyyymmdd, TMT yyyymm, gender 1/2, sequence not 000 (lkjip/base/nip.py); a value with a
# space is left to check, which accepts any spacing.
_NIP = (r"^(\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{4}(0[1-9]|1[0-2])[12](?!000)\d{3}|.* .*)$")
# Plain scalars an editor reads as integer / number / boolean; a regex field admits that editor type when the
# loader's text for such a value could match (e.g. `id: 2022` matches ^[a-z0-9-]+$, `kode: 1.06` matches CODE).
_SAMPLES = {"integer": ("0", "7", "12", "2023", "123456"), "number": ("1.5", "0.25", "88.4"),
            "boolean": ("true", "false")}
_BOOLEAN_WORDS = "^\\s*(" + "|".join("".join(f"[{c.upper()}{c}]" for c in word)
                                      for word in BOOLEAN_WORDS) + ")\\s*$"
_REGEX_MESSAGES = {
    "^[a-z0-9-]+$": "Pengenal: hanya huruf kecil, angka dan tanda hubung (mis. bidang-umum)",
    "^[a-z0-9_-]+$": "Nama folder: hanya huruf kecil, angka, _ dan -",
    r"^\d{4}-(0[1-9]|1[0-2])$": "Bulan dalam bentuk TTTT-BB, mis. 2023-03",
    r"^\d{4}$": "Tahun empat angka, mis. 2022",
    "^[a-z0-9_]+$": "Nama berkas prosa tanpa .md: hanya huruf kecil, angka dan _ (mis. inovasi)",
    "^[A-Za-z0-9_.-]+$": "Pengenal tanpa spasi: huruf, angka, titik, _ dan - (mis. T1, S1.2)",
    "^-?[0-9]{1,2}$": "Selisih peringkat: bilangan bulat, mis. 0, -1, 1",
    r"^[a-z_]+\.yaml$|^prosa/[a-z0-9_/-]+\.md$": "Berkas YAML di folder tahun (mis. program.yaml) atau prosa/<nama>.md",
}
_NIP_MESSAGE = ("NIP 18 digit dengan tanda kutip: tanggal lahir TTTTBBHH, TMT TTTTBB, jenis kelamin 1/2, nomor urut; "
                "bila memang tercetak lain, jelaskan di catatan_nip")
_KNOWN_RULES = {"type", "coerce", "required", "nullable", "empty", "allowed", "regex", "min", "max", "minlength",
                "maxlength", "schema", "keysrules", "valuesrules", "check_with", "excludes", "dependencies", "meta"}


class ConversionError(Exception):
    """A cerberus rule this generator does not translate: extend lkjip/tools/editor/editor_schema.py."""


def _anchored(pattern: str) -> str:
    """cerberus matches a regex at the start and appends `$`; JSON Schema searches anywhere."""
    pattern = pattern if pattern.endswith("$") else pattern + "$"
    return pattern if pattern.startswith("^") else f"^(?:{pattern[:-1]})$"


def _editor_types(pattern: str) -> list[str]:
    rx = re.compile(pattern)
    types = ["string"]
    for name, samples in _SAMPLES.items():
        if any(rx.search(s) for s in samples):
            types.append(name)
    if "number" in types and "integer" in types:
        types.remove("integer")
    return types


def _yaml12(text: str):
    """How a YAML 1.2 core-schema editor types `text` written plain (for enum values)."""
    if re.fullmatch(r"[-+]?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", text):
        return float(text)
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    return text


def _names(value) -> list[str]:
    """A cerberus field list: one name or a list of names."""
    return [value] if isinstance(value, str) else list(value)


def _editor_values(values: list) -> list:
    """Values a cerberus rule compares against (text, or typed after coercion), and how an editor may see each one:
    `2022` written plain is a number to the editor, `"true"` quoted is text to it but true to check."""
    out = list(values)
    for value in values:
        seen = _yaml12(value) if isinstance(value, str) else \
            str(value).lower() if isinstance(value, bool) else str(value) if value is not None else None
        if seen is not None and not any(seen == v and type(seen) is type(v) for v in out):
            out.append(seen)
    return out


class _Converter:
    def __init__(self, name: str, descriptions: dict):
        self.name = name
        self.descriptions = descriptions
        self.paths: list[str] = []           # description keys looked up (each must exist in the descriptions)
        self._first: dict[int, str] = {}     # id of a shared (YAML alias) dict/list rule block -> its first path
        self._aliases: list[tuple[str, str]] = []   # (path prefix here, path prefix where first described)

    def _canonical(self, path: str) -> str:
        for alias, first in self._aliases:
            if path.startswith(alias + "."):
                return first + path[len(alias):]
        return path

    def describe(self, out: dict, rules: dict, path: str, fallback: str | None = None) -> None:
        """Hover text: `meta.deskripsi`, else the text for this path, else (inside a YAML alias, or for the aliased
        key itself) the text where the shared block was first described."""
        meta = rules.get("meta") or {}
        text = meta.get("deskripsi") if isinstance(meta, dict) else None
        candidates = list(dict.fromkeys(k for k in (path, self._canonical(path), fallback) if k is not None))
        key = next((k for k in candidates if k in self.descriptions), candidates[-1])
        self.paths.append(key)
        if text is None and key in self.descriptions:
            text = self.descriptions[key]
        if text:
            out["description"] = " ".join(str(text).split())

    def field(self, rules: dict, path: str, described: bool = True) -> dict:
        unknown = set(rules) - _KNOWN_RULES
        if unknown:
            raise ConversionError(f"{self.name}: {path}: aturan cerberus belum diterjemahkan: {sorted(unknown)}")
        kind = rules.get("type")
        here = self._canonical(path)
        first = self._first.setdefault(id(rules), here) if kind in ("dict", "list") else here
        shared = first != here              # the same rule block again (YAML alias): its keys are described there
        if shared:
            self._aliases.insert(0, (path, first))
        try:
            out = self._convert(rules, kind, path)
        finally:
            if shared:
                self._aliases.pop(0)
        if not described:
            return out
        head: dict = {}
        self.describe(head, rules, path, fallback=first if shared else None)
        return {**head, **out}

    def _convert(self, rules: dict, kind, path: str) -> dict:
        if "allowed" in rules and kind not in ("string", "integer", "decimal", "list"):
            raise ConversionError(f"{self.name}: {path}: allowed pada tipe '{kind}' belum diterjemahkan")
        if kind == "dict":
            out = self.mapping(rules, path)
        elif kind == "list":
            out = {"type": ["array"]}
            if "schema" in rules and "allowed" in rules:
                raise ConversionError(f"{self.name}: {path}: allowed bersama schema pada daftar belum diterjemahkan")
            if "schema" in rules:
                out["items"] = self.field(rules["schema"], path, described=False)
            elif "allowed" in rules:             # every item one of the values
                out["items"] = self.choice(rules["allowed"])
            if "minlength" in rules:
                out["minItems"] = rules["minlength"]
            if "maxlength" in rules:
                out["maxItems"] = rules["maxlength"]
            if rules.get("empty") is False:
                out["minItems"] = max(out.get("minItems", 0), 1)
            out["errorMessage"] = "Daftar: setiap butir di barisnya sendiri diawali '- '" + (
                f", minimal {out['minItems']} butir" if out.get("minItems") else "")
        elif kind in ("integer", "decimal"):
            out = self.number(rules, kind)
            if "allowed" in rules:               # number() first: it refuses a number without coerce
                out = self.choice(rules["allowed"])
        elif kind == "boolean":
            # what schema.py's _bool accepts: true/false and ya/tidak, in any case, spaces around allowed
            out = {"type": ["boolean", "string"], "pattern": _BOOLEAN_WORDS,
                   "errorMessage": "Tulis ya atau tidak (boleh juga true atau false)"}
        elif kind == "string":
            out = self.text(rules, path)
        elif kind == "ukuran":               # a number in the indicator's unit, or a value of its scale ("WTP")
            out = self.text({k: v for k, v in rules.items() if k not in ("type", "coerce")}, path)
        else:
            raise ConversionError(f"{self.name}: {path}: tipe '{kind}' belum diterjemahkan")
        if rules.get("nullable") and "type" in out:
            out["type"].append("null")
        elif rules.get("nullable") and "enum" in out:
            out["enum"].append(None)
        if rules.get("nullable") and "errorMessage" in out:
            out["errorMessage"] += "; boleh dikosongkan"
        if "type" in out and len(out["type"]) == 1:
            out["type"] = out["type"][0]
        return out

    @staticmethod
    def choice(allowed) -> dict:
        values = list(allowed)
        return {"enum": _editor_values(values), "errorMessage": f"Pilih salah satu: {', '.join(map(str, values))}"}

    def number(self, rules: dict, kind: str) -> dict:
        if rules.get("coerce") != kind:
            raise ConversionError(f"{self.name}: {kind} tanpa coerce: {kind} tidak dapat ditulis di YAML ini")
        check = rules.get("check_with")
        if check not in (None, "rupiah", "persen", "format_konten"):
            raise ConversionError(f"{self.name}: check_with '{check}' pada angka belum diterjemahkan")
        minimum = rules.get("min")
        maximum = rules.get("max")
        if check == "format_konten":          # schema.py _check_with_format_konten: at most this version's format
            maximum = CONTENT_FORMAT
        if check in ("rupiah", "persen"):
            minimum = max(minimum, 0) if minimum is not None else 0
        if check == "persen":
            maximum = min(maximum, 1000) if maximum is not None else 1000
        unsigned = minimum is not None and minimum >= 0
        if kind == "integer":
            out = {"type": ["integer", "string"], "pattern": _UINT_TEXT if unsigned else _INT_TEXT}
        else:
            out = {"type": ["number", "string"], "pattern": _UDEC_TEXT if unsigned else _DEC_TEXT}
        if minimum is not None:
            out["minimum"] = minimum
        if maximum is not None:
            out["maximum"] = maximum
        what = ("Rupiah bulat" if check == "rupiah" else "Bilangan bulat") if kind == "integer" else \
            "Angka dengan titik sebagai pemisah desimal (mis. 88.4)"
        bounds = ""
        if minimum is not None and maximum is not None:
            bounds = f", dari {minimum} sampai {maximum}"
        elif minimum is not None or maximum is not None:
            bounds = f", minimal {minimum}" if minimum is not None else f", maksimal {maximum}"
        out["errorMessage"] = f"{what} tanpa titik ribuan{bounds}"
        return out

    def text(self, rules: dict, path: str) -> dict:
        check = rules.get("check_with")
        pattern = rules.get("regex")
        if check == "kode":
            pattern = CODE.pattern
        if check in ("id_indikator", "id_kunci"):   # ids: schema.py ID_INDIKATOR / ID_KUNCI
            pattern = (ID_INDIKATOR if check == "id_indikator" else ID_KUNCI).pattern
        if check == "bulan":                  # a calendar month 2000-01 .. 2100-12 (schema.py _check_with_bulan)
            pattern = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"
        if pattern is not None:
            pattern = _anchored(pattern)
        if pattern is not None and check not in (None, "kode", "bulan", "id_indikator", "id_kunci"):
            raise ConversionError(f"{self.name}: {path}: regex bersama check_with belum diterjemahkan")
        if "allowed" in rules:
            return self.choice(rules["allowed"])
        if check == "nip":
            # Strict structure is added by the enclosing mapping (waived there when catatan_nip is filled).
            return {"type": ["string", "integer"], "minimum": 10 ** 17, "maximum": 10 ** 18 - 1,
                    "errorMessage": _NIP_MESSAGE}
        out: dict = {"type": _editor_types(pattern) if pattern else ["string", "number", "boolean"]}
        if pattern:
            out["pattern"] = pattern
        if rules.get("empty") is False:
            out["minLength"] = 1
        if "minlength" in rules:
            out["minLength"] = rules["minlength"]
        if "maxlength" in rules:
            out["maxLength"] = rules["maxlength"]
        if check == "ukuran":
            # a negative lookahead, not `not`: the YAML language server shows errorMessage for a pattern only
            out["pattern"] = f"^(?!{_GROUPED_TEXT[1:]}|{_COMMA_TEXT[1:]})"
            out["errorMessage"] = ("Angka dalam satuan tanpa titik ribuan (1485, bukan 1.485; desimal dengan titik) "
                                   "atau teks")
        elif check == "kode":
            out["errorMessage"] = ('Kode anggaran dengan tanda kutip: angka yang dipisah titik, mis. "1.06.02", '
                                   '"1.06.02.2.02" atau "1.06.02.2.02.01"')
        elif check == "bulan":
            out["errorMessage"] = "Bulan dalam bentuk TTTT-BB antara 2000-01 dan 2100-12, mis. 2023-03"
        elif check in ("id_indikator", "id_kunci"):
            out["errorMessage"] = _REGEX_MESSAGES[pattern]
        elif check is not None:
            raise ConversionError(f"{self.name}: {path}: check_with '{check}' belum diterjemahkan")
        elif pattern:
            out["errorMessage"] = _REGEX_MESSAGES.get(pattern, f"Format harus sesuai pola {pattern}")
        else:
            out["errorMessage"] = "Teks" + ("; tidak boleh kosong" if out.get("minLength") else "")
        return out

    def mapping(self, rules: dict, path: str) -> dict:
        out: dict = {"type": ["object"]}
        if "schema" in rules:
            if "keysrules" in rules or "valuesrules" in rules:
                raise ConversionError(f"{self.name}: {path}: schema bersama keysrules/valuesrules belum diterjemahkan")
            out.update(self.properties(rules["schema"], path))
        keys = rules.get("keysrules", {})
        if keys and (set(keys) - {"type", "regex", "allowed"} or keys.get("type") != "string"
                     or ("regex" in keys) == ("allowed" in keys)):
            raise ConversionError(f"{self.name}: {path}: keysrules selain regex atau allowed belum diterjemahkan")
        prefix = f"{path}." if path else ""
        if "allowed" in keys:
            # every allowed key is a property of its own: completion offers it, and each has its own hover text
            values = rules.get("valuesrules", {})
            out["properties"] = {str(k): self.field(values, f"{prefix}{k}") if values else {} for k in keys["allowed"]}
            out["additionalProperties"] = False
        elif "regex" in keys:
            # patternProperties, not propertyNames: an editor types a key such as 22 as a number, which a
            # propertyNames pattern would not test.
            values = self.field(rules["valuesrules"], f"{prefix}*") if "valuesrules" in rules else {}
            out["patternProperties"] = {_anchored(keys["regex"]): values}
            out["additionalProperties"] = False
        elif "valuesrules" in rules:
            out["additionalProperties"] = self.field(rules["valuesrules"], f"{prefix}*")
        if rules.get("empty") is False:
            out["minProperties"] = 1
        out["errorMessage"] = _mapping_message(keys)
        return out

    def properties(self, schema: dict, path: str) -> dict:
        props, required, exclusive, nip_fields, dependencies = {}, [], [], [], []
        for key, rules in schema.items():
            child = f"{path}.{key}" if path else key
            props[key] = self.field(rules, child)
            if rules.get("required"):
                required.append(key)
            if rules.get("excludes"):
                exclusive.append((key, _names(rules["excludes"])))
            if "dependencies" in rules:
                dependencies.append((key, self.dependencies(rules["dependencies"], schema, child)))
            if rules.get("check_with") == "nip":
                nip_fields.append(key)
        out: dict = {"properties": props, "additionalProperties": False}
        if required:
            out["required"] = required
        # Written as "if key then no other", not as `not: {required: [...]}`: the editor marks the other key with
        # this Indonesian message (its `not` message cannot be replaced). Like cerberus, each key with the rule reports.
        conditions = [{"if": {"required": [key]},
                       "then": {"properties": {other: False for other in others},
                                "errorMessage": f"Tidak boleh ditulis bersama {key}; pilih salah satu"}}
                      for key, others in exclusive]
        for key, wanted in dependencies:
            conditions.append({"if": {"required": [key]}, "then": wanted})
        for key in nip_fields:
            # check_with nip is waived when the same mapping has a non-empty catatan_nip (lkjip/validate/schema.py).
            waived = {"required": ["catatan_nip"], "properties": {"catatan_nip": {"not": {"enum": ["", None]}}}}
            strict = {"pattern": _NIP, "errorMessage": _NIP_MESSAGE}
            conditions.append({"if": waived, "else": {"properties": {key: strict}}})
        if len(conditions) == 1:
            out.update(conditions[0])
        elif conditions:
            out["allOf"] = conditions
        return out

    def dependencies(self, rule, schema: dict, path: str) -> dict:
        """cerberus `dependencies` of a key: sibling keys that must be present, or must hold one of some values."""
        if isinstance(rule, dict):
            names, values = list(rule), rule
        else:
            names, values = _names(rule), {}
        for name in names:
            if not isinstance(name, str) or "." in name or name.startswith("^") or name not in schema:
                raise ConversionError(f"{self.name}: {path}: dependencies '{name}' bukan kunci saudara")
        key = path.rsplit(".", 1)[-1]
        wanted: dict = {"required": names, "errorMessage": f"Bila {key} diisi, {', '.join(names)} juga harus diisi"}
        if values:
            wanted["properties"] = {}
            for name, choice in values.items():
                choice = [choice] if isinstance(choice, (str, int, float, bool)) or choice is None else list(choice)
                wanted["properties"][name] = {"enum": _editor_values(choice), "errorMessage":
                                              f"Bila {key} diisi, {name} harus {' atau '.join(map(str, choice))}"}
        return wanted


def _mapping_message(keys: dict) -> str:
    """The Indonesian message of a mapping node (yaml-language-server shows it instead of 'Incorrect type. Expected
    "object"')."""
    if keys.get("regex") == r"^\d{4}$":
        return 'Kumpulan pasangan tahun: nilai, satu pasangan per baris, mis. "2024": 80'
    if "regex" in keys or "allowed" in keys:
        return "Kumpulan pasangan kunci: nilai, satu pasangan per baris"
    return ("Kumpulan kunci: setiap 'kunci: nilai' di barisnya sendiri, menjorok dua spasi di bawah kunci induknya "
            "(bukan daftar '- ' dan bukan satu nilai)")


def descriptions(name: str, schema_dir: Path = SCHEMA_DIR) -> dict:
    path = schema_dir / DESCRIPTIONS_DIR / f"{name}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def content_pattern(name: str) -> str:
    return f"content/<renstra>/{name}.yaml" if name in RENSTRA_FILES else f"content/<tahun>/{name}.yaml"


def convert(name: str, schema: dict | None = None, texts: dict | None = None) -> tuple[dict, _Converter]:
    """JSON Schema of content file `name`, and the converter (paths seen, descriptions used)."""
    schema = load_schema(name) if schema is None else schema
    converter = _Converter(name, descriptions(name) if texts is None else texts)
    root: dict = {"$schema": DRAFT, "title": content_pattern(name)}
    converter.describe(root, {}, ROOT_KEY)
    root["type"] = "object"
    root["errorMessage"] = "Berkas konten berisi kumpulan kunci di tingkat teratas ('kunci: nilai', tanpa menjorok)"
    root.update(converter.properties(schema, ""))
    return root, converter


def dumps(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def generate() -> dict[str, str]:
    """File name -> text of every JSON Schema, in memory."""
    return {f"{name}.schema.json": dumps(convert(name)[0]) for name in YEAR_FILES + RENSTRA_FILES}


def write(folder: Path) -> list[Path]:
    """Write every JSON Schema into `folder` (LF line ends); returns the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for file, text in generate().items():
        target = folder / file
        data = text.encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
            changed.append(target)
    return changed
