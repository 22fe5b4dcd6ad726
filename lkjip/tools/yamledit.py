"""Tool helper (new-year, impor-anggaran): edit YAML in place by node positions, keeping layout, comments, quoting,
line endings and BOM; every batch of edits is re-parsed and compared with the intended data before it is returned.

    editor = YamlEditor(path.read_bytes(), "program.yaml")
    editor.set(("program", 0, "kegiatan", 0, "sub_kegiatan", 0, "realisasi"), None, null="")
    editor.delete(("program", 0, "dinyatakan_sumber"))
    data = editor.result()          # bytes; raises YamlEditError instead of producing a broken file
"""
from __future__ import annotations

import copy
import json
import re
from decimal import Decimal

import yaml

from ..base.shape import value_at
from ..load.yamlsafe import format_path, parse_yaml

NULL_WORDS = ("", "~", "null", "Null", "NULL")
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n\r\t]*")
_PLAIN_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")


class YamlEditError(Exception):
    """An edit that cannot be made without breaking the file (or a bug in an edit): nothing is written."""


class _PositionLoader(yaml.SafeLoader):
    """Pure-Python composer (its marks are character offsets into the text) without implicit typing, as yamlsafe."""


_PositionLoader.yaml_implicit_resolvers = {}


def _loaded(value):
    """What the project's loader reads back for a value written by this module."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {k: _loaded(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _plain_ok(text: str, flow: bool) -> bool:
    if text in NULL_WORDS or not _PLAIN.fullmatch(text) or text != text.strip():
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    return not (flow and _PLAIN_FLOW_UNSAFE.search(text))


def scalar_text(value, flow: bool = False, style: str | None = None, null: str = "null") -> str:
    """YAML text of a scalar. style: the quoting of the value being replaced (kept for strings)."""
    if value is None:
        return "null" if flow else null
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = str(value)
    if style == "'" and "\n" not in text and "\r" not in text:
        return "'" + text.replace("'", "''") + "'"
    if style not in ('"', "'") and _plain_ok(text, flow):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow_mapping_text(values: dict) -> str:
    """A mapping in flow style, nested mappings too: {II: {realisasi: 100}}."""
    return "{" + ", ".join(f"{k}: {flow_mapping_text(v) if isinstance(v, dict) else scalar_text(v, flow=True)}"
                           for k, v in values.items()) + "}"


class YamlEditor:
    def __init__(self, raw: bytes, file: str = "<yaml>"):
        self.file = file
        self.bom = raw.startswith(b"\xef\xbb\xbf")
        try:
            self.text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise YamlEditError(f"{file}: bukan teks UTF-8") from exc
        doc, problems = parse_yaml(raw, file)
        if doc is None or problems:
            raise YamlEditError(f"{file}: YAML tidak valid: " + "; ".join(p.format() for p in problems))
        try:
            self.root = yaml.compose(self.text, Loader=_PositionLoader)
        except yaml.YAMLError as exc:
            raise YamlEditError(f"{file}: YAML tidak valid: {exc}") from exc
        self.data = doc.data
        self.expected = copy.deepcopy(doc.data)
        self.edits: list = []          # (start, end, replacement, order)
        self._reach: dict | None = None  # id(node) -> every path it is reached by (more than one: an alias)

    # --- locating --------------------------------------------------------------------------------------------

    def _walk(self, path) -> tuple:
        """(key node or None, value node) at path."""
        key, node = None, self.root
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                match = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
                if match is None:
                    raise YamlEditError(f"{self.file}: kunci {part!r} tidak ada ({_path_text(path)})")
                key, node = match
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key, node = None, node.value[part]
            else:
                raise YamlEditError(f"{self.file}: jalur {_path_text(path)} tidak ada")
        return key, node

    def _paths(self) -> dict:
        if self._reach is None:
            reach: dict = {}
            stack = [((), self.root)]
            while stack:
                path, node = stack.pop()
                seen = id(node) in reach
                reach.setdefault(id(node), []).append(path)
                if seen:                          # an alias: its content was walked at the anchor
                    continue
                if isinstance(node, yaml.MappingNode):
                    stack += [(path + (k.value,), v) for k, v in reversed(node.value) if isinstance(k, yaml.ScalarNode)]
                elif isinstance(node, yaml.SequenceNode):
                    stack += [(path + (i,), v) for i, v in reversed(list(enumerate(node.value)))]
            self._reach = reach
        return self._reach

    def shared(self, path) -> tuple | None:
        """(path of the shared node, the other paths reaching it) when the value at path, or a mapping or list
        holding it, is also reached through a YAML anchor/alias: editing it would change the others too. None when
        the value at path is its own."""
        path = tuple(path)
        reach = self._paths()
        node = self.root
        for depth in range(len(path) + 1):
            if depth:
                node = self._walk(path[:depth])[1]
            paths = reach.get(id(node), [])
            if len(paths) > 1:
                prefix = path[:depth]
                return prefix, [p + path[depth:] for p in paths if p != prefix]
        return None

    def _refuse_shared(self, path):
        shared = self.shared(path)
        if shared:
            at, others = shared
            raise YamlEditError(f"{self.file}: {_path_text(path)} dipakai bersama dengan "
                                f"{', '.join(_path_text(o) for o in others)} melalui anchor/alias (&/*); mengubahnya "
                                "akan mengubah keduanya")

    def node(self, path):
        return self._walk(tuple(path))[1]

    def has(self, path) -> bool:
        try:
            self._walk(tuple(path))
            return True
        except YamlEditError:
            return False

    def _flow_parent(self, path) -> bool:
        return bool(path) and bool(getattr(self.node(path[:-1]), "flow_style", False))

    def _line_start(self, index: int) -> int:
        while index > 0 and self.text[index - 1] not in "\r\n":
            index -= 1
        return index

    def _break_before(self, index: int) -> str:
        """The line break ending just before index ("" if none)."""
        if self.text[max(0, index - 2):index] == "\r\n":
            return "\r\n"
        return self.text[index - 1:index] if index and self.text[index - 1] in "\r\n" else ""

    def _line_end(self, index: int) -> int:
        """Index just after the line break of the line holding `index` (end of text if none)."""
        nl = self.text.find("\n", index)
        cr = self.text.find("\r", index)
        if cr != -1 and (nl == -1 or cr < nl):
            return cr + (2 if self.text.startswith("\r\n", cr) else 1)
        return len(self.text) if nl == -1 else nl + 1

    def _content_end(self, node) -> int:
        """End of the node's last character of content (block collections end at the next token, far below)."""
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            return self._content_end(node.value[-1][1])
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            return self._content_end(node.value[-1])
        end = node.end_mark.index
        while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def _check_plain_node(self, node):
        if self.text[node.start_mark.index:node.start_mark.index + 1] in ("&", "*", "!"):
            raise YamlEditError(f"{self.file}:{node.start_mark.line + 1}: anchor, alias atau tag tidak dapat diubah")

    # --- edits -----------------------------------------------------------------------------------------------

    def _edit(self, start: int, end: int, text: str):
        self.edits.append((start, end, text, len(self.edits)))

    def set(self, path, value, null: str = "null"):
        """Replace the value at path by a scalar (None: `null`, or an empty value `key:` when null="")."""
        path = tuple(path)
        key, node = self._walk(path)
        self._check_plain_node(node)
        self._refuse_shared(path)
        flow = self._flow_parent(path)
        style = node.style if isinstance(node, yaml.ScalarNode) else None
        text = scalar_text(value, flow=flow, style=style, null=null)
        start = node.start_mark.index
        if isinstance(node, yaml.ScalarNode) and style in ("|", ">"):
            end = self._content_end(node)
        elif isinstance(node, yaml.ScalarNode) or node.flow_style:
            end = node.end_mark.index
        elif key is not None:                     # a block collection becomes a scalar on the key's line
            start = key.end_mark.index
            end = self._line_end(self._content_end(node))
            end -= len(self._break_before(end))           # the block's comments go with it, not its last line break
            while self.text[start:start + 1] in (" ", "\t"):
                start += 1
            if self.text[start:start + 1] == ":":
                start += 1
            text = " " + text if text else text
        else:
            raise YamlEditError(f"{self.file}: {_path_text(path)} tidak dapat diganti dengan satu nilai")
        if start == end and self.text[start - 1:start] == ":" and text:
            text = " " + text                      # `key:` had no value
        if not text and self.text[start - 1:start] in (" ", "\t"):
            while start > 0 and self.text[start - 1] in " \t":
                start -= 1                         # `key: 5` -> `key:`
        self._edit(start, end, text)
        _assign(self.expected, path, _loaded(value))

    def delete(self, path, comments: bool = True):
        """Remove a mapping key with its value (its whole block). comments: also the comment lines directly above
        it at the same indentation (they describe what is removed)."""
        path = tuple(path)
        parent = self.node(path[:-1])
        if not isinstance(parent, yaml.MappingNode):
            raise YamlEditError(f"{self.file}: {_path_text(path)} bukan kunci pemetaan")
        self._walk(path)                                   # raises when the key is missing
        self._refuse_shared(path[:-1])
        index = next(i for i, (k, _v) in enumerate(parent.value) if isinstance(k, yaml.ScalarNode) and k.value == path[-1])
        pairs = parent.value
        key, value = pairs[index]
        if parent.flow_style:
            if index + 1 < len(pairs):
                start, end = key.start_mark.index, pairs[index + 1][0].start_mark.index
            elif index > 0:
                start, end = self._content_end(pairs[index - 1][1]), self._content_end(value)
            else:
                start, end = key.start_mark.index, self._content_end(value)
        else:
            line = self._line_start(key.start_mark.index)
            if self.text[line:key.start_mark.index].strip() == "":
                start, end = line, self._line_end(self._content_end(value))
                if comments:
                    start = self._comments_above(line, key.start_mark.column)
            elif index + 1 < len(pairs):           # first key on a `- ` line: the next key moves up
                start, end = key.start_mark.index, pairs[index + 1][0].start_mark.index
            else:
                raise YamlEditError(f"{self.file}:{key.start_mark.line + 1}: kunci satu-satunya pada butir daftar "
                                    f"tidak dapat dihapus ({_path_text(path)})")
        self._edit(start, end, "")
        _remove(self.expected, path)

    def _comments_above(self, line: int, column: int) -> int:
        start = line
        while start > 0:
            previous = self._line_start(start - len(self._break_before(start)))
            text = self.text[previous:start].rstrip("\r\n")
            if not text.lstrip().startswith("#") or len(text) - len(text.lstrip()) != column:
                break
            start = previous
        return start

    def add(self, path, key: str, value):
        """Add `key: value` as the last entry of the mapping at path (value: a scalar, or a dict written in flow style)."""
        path = tuple(path)
        parent = self.node(path)
        if not isinstance(parent, yaml.MappingNode) or not parent.value:
            raise YamlEditError(f"{self.file}: {_path_text(path)} bukan pemetaan berisi")
        self._refuse_shared(path)
        if key in value_at(self.expected, path):
            raise YamlEditError(f"{self.file}: kunci {key!r} sudah ada ({_path_text(path)})")
        text = flow_mapping_text(value) if isinstance(value, dict) else scalar_text(value, flow=bool(parent.flow_style))
        if parent.flow_style:
            at = self._content_end(parent.value[-1][1])
            self._edit(at, at, f", {key}: {text}")
        else:
            at = self._line_end(self._content_end(parent.value[-1][1]))
            ending = self._break_before(at)
            indent = " " * parent.value[0][0].start_mark.column
            entry = f"{indent}{key}: {text}"
            self._edit(at, at, entry + ending if ending else self._newline() + entry)
        value_at(self.expected, path)[key] = _loaded(value)

    def nest(self, path, key: str):
        """Move the value at path one level down, under `key` (`a: [..]` becomes `a: {key: [..]}`), keeping its
        lines and comments; used by `upgrade` when a list became a mapping."""
        path = tuple(path)
        name, node = self._walk(path)
        if name is None:
            raise YamlEditError(f"{self.file}: {_path_text(path)} bukan kunci pemetaan")
        self._check_plain_node(node)
        self._refuse_shared(path)
        if self._flow_parent(path):
            raise YamlEditError(f"{self.file}: {_path_text(path)} ada di dalam [..] atau {{..}}")
        indent = " " * (name.start_mark.column + 2)
        colon = self.text.index(":", name.end_mark.index)
        if isinstance(node, yaml.ScalarNode) or node.flow_style:          # `a: [..]` -> `a:\n  key: [..]`
            self._edit(colon + 1, node.start_mark.index, f"{self._newline()}{indent}{key}: ")
        else:
            first = self._line_end(colon)
            end = self._line_end(self._content_end(node))
            self._edit(first, first, f"{indent}{key}:{self._newline()}")
            line = first
            while line < end:
                following = self._line_end(line)
                if self.text[line:following].strip():
                    self._edit(line, line, "  ")
                line = following
        _assign(self.expected, path, {key: copy.deepcopy(value_at(self.expected, path))})

    def insert_after(self, path, key: str, value):
        """Add `key: value` right after the mapping entry at path, at its indentation (a dict in flow style)."""
        path = tuple(path)
        name, node = self._walk(path)
        if name is None or self._flow_parent(path):
            raise YamlEditError(f"{self.file}: {_path_text(path)} bukan kunci pemetaan blok")
        self._refuse_shared(path[:-1])
        if key in value_at(self.expected, path[:-1]):
            raise YamlEditError(f"{self.file}: kunci {key!r} sudah ada ({_path_text(path[:-1])})")
        text = flow_mapping_text(value) if isinstance(value, dict) else scalar_text(value)
        at = self._line_end(self._content_end(node))
        ending = self._break_before(at) or self._newline()
        entry = f"{' ' * name.start_mark.column}{key}: {text}"
        self._edit(at, at, entry + ending if self._break_before(at) else ending + entry)
        value_at(self.expected, path[:-1])[key] = _loaded(value)

    def comment_above(self, path, text: str):
        """A comment line above the line where the value at path starts (a list item: its `- ` line)."""
        _name, node = self._walk(tuple(path))
        line = self._line_start(node.start_mark.index)
        indent = self.text[line:node.start_mark.index]
        indent = indent[:len(indent) - len(indent.lstrip(" "))]
        words = " ".join(str(text).split())
        self._edit(line, line, f"{indent}# {words}{self._newline()}")

    def _newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"

    # --- result ----------------------------------------------------------------------------------------------

    def result(self) -> bytes:
        """The edited file as bytes (same BOM and line endings), verified by re-parsing."""
        out, position = [], 0
        for start, end, text, _order in sorted(self.edits, key=lambda e: (e[0], e[3])):
            if start < position:
                raise YamlEditError(f"{self.file}: perubahan saling bertumpuk (posisi {start})")
            out += [self.text[position:start], text]
            position = end
        out.append(self.text[position:])
        new_text = "".join(out)
        raw = (b"\xef\xbb\xbf" if self.bom else b"") + new_text.encode("utf-8")
        doc, problems = parse_yaml(raw, self.file)
        if doc is None or problems:
            raise YamlEditError(f"{self.file}: hasil suntingan bukan YAML yang sah: "
                                + "; ".join(p.format() for p in problems))
        if doc.data != self.expected:
            raise YamlEditError(f"{self.file}: hasil suntingan tidak sama dengan data yang dimaksud "
                                f"({_first_difference(doc.data, self.expected)})")
        if _line_breaks(new_text) - _line_breaks(self.text):
            raise YamlEditError(f"{self.file}: suntingan mengubah jenis akhir baris")
        return raw


def _line_breaks(text: str) -> set:
    kinds = set()
    if "\r\n" in text:
        kinds.add("crlf")
    if re.search(r"(?<!\r)\n", text):
        kinds.add("lf")
    return kinds


def _path_text(path) -> str:
    return format_path(tuple(path)) or "(akar)"


def _assign(data, path, value):
    value_at(data, path[:-1])[path[-1]] = value


def _remove(data, path):
    del value_at(data, path[:-1])[path[-1]]


def _first_difference(a, b, path=()) -> str:
    if type(a) is not type(b):
        return _path_text(path)
    if isinstance(a, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return _path_text(path + (key,))
            if a[key] != b[key]:
                return _first_difference(a[key], b[key], path + (key,))
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, path + (i,))
    return _path_text(path)
