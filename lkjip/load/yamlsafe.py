"""Load stage helper: YAML without implicit typing, duplicate keys rejected, every value traced to its line.

The data is built from the parser's event stream without recursion: nesting depth and the number of values
(aliases counted at their expanded size) are bounded, so alias bombs, recursive aliases and deep nesting are
content errors, not memory or stack exhaustion. Characters that cannot appear in a document are reported at
their line.
"""
from __future__ import annotations

from ..base.located import Document, format_path
from ..base.limits import MAX_YAML_DEPTH, MAX_YAML_NODES
from ..base.problems import ERROR, Problem
from ..base.xmltext import XML_ILLEGAL, YAML_ILLEGAL, describe, illegal_lines

_EVENTS: dict = {}      # PyYAML, its loader and event classes: imported on the first parse (a cached parse needs none)


def _parser() -> dict:
    if not _EVENTS:
        import yaml
        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml's parser when available; same events and marks

        class StringLoader(base):
            """Safe loader whose plain scalars all stay strings: 1.06 stays "1.06", `on` stays "on"."""

        StringLoader.yaml_implicit_resolvers = {}
        _EVENTS.update(yaml=yaml, loader=StringLoader, scalar=yaml.ScalarEvent, alias=yaml.AliasEvent,
                       opens=(yaml.MappingStartEvent, yaml.SequenceStartEvent),
                       closes=(yaml.MappingEndEvent, yaml.SequenceEndEvent), mapping=yaml.MappingStartEvent)
    return _EVENTS


def __getattr__(name: str):
    """`yamlsafe.yaml` and `yamlsafe._StringLoader` for other modules, imported when first asked for."""
    if name in ("yaml", "_StringLoader"):
        return _parser()["loader" if name == "_StringLoader" else "yaml"]
    raise AttributeError(name)


_NULLS = ("", "~", "null", "Null", "NULL")


class _Abort(Exception):
    """The file cannot be read further (limit reached, recursive alias); carries the problem."""

    def __init__(self, line: int, code: str, message: str):
        super().__init__(message)
        self.line, self.code, self.message = line, code, message


class _Frame:
    __slots__ = ("value", "path", "anchor", "nodes", "key", "skip", "index")

    def __init__(self, value, path, anchor):
        self.value, self.path, self.anchor, self.nodes = value, path, anchor, 1
        self.key = None                   # mapping: the key whose value comes next
        self.skip = False                 # mapping: that value is read but dropped (invalid or duplicate key)
        self.index = 0


class _Builder:
    def __init__(self, file: str, problems: list):
        self.file, self.problems = file, problems
        self.lines: dict = {}
        self.anchors: dict = {}           # name -> (value, nodes) once complete; None while still open
        self.stack: list[_Frame] = []
        self.total = 0
        self.root = None
        self.skip_depth = 0               # >0 while inside a dropped collection
        self.skip_kind = ""               # "key" (a collection used as key) or "value"

    def _count(self, n: int, line: int):
        self.total += n
        if self.total > MAX_YAML_NODES:
            raise _Abort(line, "yaml-terlalu-besar", f"Berkas berisi lebih dari {MAX_YAML_NODES} nilai "
                                                     "(alias dihitung menurut isinya); pecah atau sederhanakan")

    def _next_path(self):
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.index += 1
            return top.path + (top.index - 1,)
        return top.path + (top.key,)

    def _attach(self, value, nodes: int):
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.nodes += nodes
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            if not top.skip:
                top.value[top.key] = value
            top.key, top.skip = None, False

    def event(self, ev):
        line = ev.start_mark.line + 1
        kinds = _EVENTS
        opens = isinstance(ev, kinds["opens"])
        closes = isinstance(ev, kinds["closes"])
        if self.skip_depth:
            self._count(1, line)
            self.skip_depth += 1 if opens else -1 if closes else 0
            if not self.skip_depth:
                top = self.stack[-1]
                if self.skip_kind == "key":
                    top.key, top.skip = "", True          # then drop the value of that key as well
                else:
                    top.key, top.skip = None, False
            return
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.value, dict) and top.key is None and not closes:
            self._key(ev, line, opens)
            return
        if top is not None and isinstance(top.value, dict) and top.skip and opens:
            self._count(1, line)
            self.skip_depth, self.skip_kind = 1, "value"
            return
        if isinstance(ev, kinds["scalar"]):
            self._count(1, line)
            path = self._next_path()
            self.lines.setdefault(path, line)
            if not (top is not None and top.skip):
                self._check_text(ev.value, line, path)
            value = None if not ev.style and ev.value in _NULLS else ev.value
            if ev.anchor:
                self.anchors[ev.anchor] = (value, 1)
            self._attach(value, 1)
        elif opens:
            self._count(1, line)
            if len(self.stack) >= MAX_YAML_DEPTH:
                raise _Abort(line, "yaml-terlalu-dalam", f"Struktur bersarang lebih dari {MAX_YAML_DEPTH} tingkat")
            path = self._next_path()
            self.lines.setdefault(path, line)
            if ev.anchor:
                self.anchors[ev.anchor] = None
            self.stack.append(_Frame({} if isinstance(ev, kinds["mapping"]) else [], path, ev.anchor))
        elif closes:
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.value, frame.nodes)
            self._attach(frame.value, frame.nodes)
        elif isinstance(ev, kinds["alias"]):
            value, nodes = self._alias(ev, line)
            self._count(nodes, line)
            path = self._next_path()
            self.lines.setdefault(path, line)
            self._attach(value, nodes)

    def _alias(self, ev, line):
        if ev.anchor not in self.anchors:
            raise _Abort(line, "yaml-tidak-valid", f"Sintaks YAML tidak valid: alias *{ev.anchor} belum didefinisikan")
        found = self.anchors[ev.anchor]
        if found is None:
            raise _Abort(line, "yaml-tidak-valid", f"Sintaks YAML tidak valid: alias *{ev.anchor} merujuk dirinya sendiri")
        return found

    def _check_text(self, text: str, line: int, path):
        bad = XML_ILLEGAL.search(text)
        if bad:
            self.problems.append(Problem(self.file, line, format_path(path or ()), "karakter-tidak-valid", ERROR,
                                         f"Teks berisi karakter kendali {describe(bad.group())} yang tidak dapat "
                                         "dicetak; hapus karakter itu (mis. escape \\x.. atau \\u.. dalam tanda kutip)"))

    def _key(self, ev, line, opens: bool):
        top = self.stack[-1]
        self._count(1, line)
        if not isinstance(ev, _EVENTS["scalar"]):
            self.problems.append(Problem(self.file, line, format_path(top.path), "kunci-tidak-valid", ERROR,
                                         "Kunci harus berupa teks sederhana"))
            if opens:
                self.skip_depth, self.skip_kind = 1, "key"
            else:                                     # an alias as key
                top.key, top.skip = "", True
            return
        key = ev.value
        self._check_text(key, line, top.path)
        if key in top.value:
            self.problems.append(Problem(self.file, line, format_path(top.path + (key,)), "kunci-ganda", ERROR,
                                         f"Kunci '{key}' ditulis dua kali (pertama di baris {self.lines[top.path + (key,)]})"))
            top.key, top.skip = key, True
            return
        top.key = key
        self.lines[top.path + (key,)] = line


def parse_yaml(raw: bytes, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse bytes of one YAML file; never raises for bad content."""
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return None, [Problem(file, line, "", "berkas-tidak-terbaca", ERROR,
                              f"Berkas bukan teks UTF-8 (byte ke-{exc.start + 1}); simpan ulang sebagai UTF-8")]
    if "\x00" in text:
        return None, [Problem(file, text.count("\n", 0, text.index("\x00")) + 1, "", "berkas-tidak-terbaca", ERROR,
                              "Berkas berisi data biner, bukan YAML")]
    bad = illegal_lines(text, YAML_ILLEGAL)
    if bad:
        return None, [Problem(file, line, "", "karakter-tidak-valid", ERROR,
                              f"Karakter kendali {describe(char)} tidak boleh ada dalam berkas; hapus karakter itu")
                      for line, char in bad]
    yaml = _parser()["yaml"]
    builder = _Builder(file, problems)
    documents = 0
    try:
        for ev in yaml.parse(text, Loader=_EVENTS["loader"]):
            if isinstance(ev, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Abort(ev.start_mark.line + 1, "yaml-tidak-valid",
                                 "Sintaks YAML tidak valid: berkas berisi lebih dari satu dokumen (---)")
            elif isinstance(ev, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            else:
                builder.event(ev)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = (exc.problem or "sintaks tidak valid").strip()
        return None, [Problem(file, line, "", "yaml-tidak-valid", ERROR, f"Sintaks YAML tidak valid: {detail}")]
    except yaml.YAMLError as exc:
        return None, [Problem(file, 1, "", "yaml-tidak-valid", ERROR, f"Sintaks YAML tidak valid: {exc}")]
    except _Abort as exc:
        return None, problems + [Problem(file, exc.line, "", exc.code, ERROR, exc.message)]
    if documents == 0 or builder.root is None:
        return None, [Problem(file, 1, "", "berkas-kosong", ERROR, "Berkas kosong")]
    data, lines = builder.root, builder.lines
    lines.setdefault((), 1)
    if not isinstance(data, dict):
        problems.append(Problem(file, lines.get((), 1), "", "tipe-salah", ERROR,
                                "Isi berkas harus berupa pemetaan (kunci: nilai) di tingkat teratas"))
        return None, problems
    return Document(file, data, lines), problems
