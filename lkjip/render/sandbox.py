"""Render stage helper: the Jinja2 sandbox for prose and the outline, bounded in time, memory and output.

Every loop iteration and call costs a step (MAX_TEMPLATE_STEPS per rendering); ranges, powers, string
repetition and concatenation are capped; only side-effect-free filters and string methods are available;
each `{{ value }}` is escaped so that content text stays text in the Markdown (no headings, comments, lists
or emphasis injected by a YAML value). Limits raise TemplateLimit, reported as a problem at the prose line.
"""
from __future__ import annotations

import difflib
import functools
import marshal
import re
import types
from decimal import Decimal

from jinja2 import StrictUndefined, Undefined, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..base import memo
from ..base.fmt import FILTERS
from ..base.limits import MAX_POWER_BITS, MAX_RANGE, MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_STEPS, MAX_TEMPLATE_STRING
from .directives import TOKEN


class TemplateLimit(SecurityError):
    """A template exceeded a bound (steps, size, power); the message is for editors."""


class ContentKeyMissing(UndefinedError):
    """A template asked a content mapping for a key it does not have: carries the content location."""

    def __init__(self, message: str, origin, key: str):
        super().__init__(message)
        self.origin, self.key = origin, key


class ProseNameUnknown(UndefinedError):
    """A name or attribute that prose asked for and that does not exist. Carries the name and what it was asked of
    (`missing` for a top-level name) so that prose.py can word the message for editors, with a suggestion, and
    without a Python type or module name."""

    def __init__(self, name, owner):
        super().__init__(f"'{name}'")
        self.name, self.owner = name, owner


# Words for the objects prose can reach (compute/model.py); anything else is "nilai ini".
OWNER_WORDS = {"Report": "r (laporan)", "Indicator": "indikator", "Achievement": "capaian", "Budget": "anggaran",
               "Program": "program", "Kegiatan": "kegiatan", "SubKegiatan": "sub kegiatan", "Sasaran": "sasaran",
               "Tujuan": "tujuan", "Measure": "nilai ukuran", "Comparison": "perbandingan", "YearValue": "riwayat",
               "Component": "komponen", "PerformanceAgreement": "perjanjian kinerja", "Signatory": "penandatangan",
               "ReviewStatement": "pernyataan reviu", "Replacement": "penggantian indikator",
               "SimpleNamespace": "kelompok angka", "FrozenDict": "data konten", "dict": "data konten",
               "tuple": "daftar", "list": "daftar", "str": "teks", "Decimal": "angka", "int": "angka"}


def owner_word(owner) -> str:
    return OWNER_WORDS.get(type(owner).__name__, "nilai ini")


def owner_names(owner) -> list:
    """The names prose may ask of `owner`: a mapping's keys, else its public attributes."""
    if isinstance(owner, dict):
        return [k for k in owner if isinstance(k, str)]
    if isinstance(owner, (str, int, Decimal, list, tuple)):
        return []
    fields = getattr(owner, "__dataclass_fields__", None)
    if fields:
        return list(fields)
    return [n for n in dir(owner) if not n.startswith("_")] if hasattr(owner, "__dict__") else []


class LocatedUndefined(StrictUndefined):
    """StrictUndefined that names the content file, line and key path when the missing key belongs to content
    (frozen content mappings carry their origin, see frozen.py)."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args, **kwargs):
        origin = getattr(self._undefined_obj, "origin", None) if isinstance(self._undefined_obj, dict) else None
        if origin is not None and isinstance(self._undefined_name, str):
            file, line, path = origin
            where = f"{path}.{self._undefined_name}" if path else self._undefined_name
            close = difflib.get_close_matches(self._undefined_name, owner_names(self._undefined_obj), n=1, cutoff=0.6)
            hint = f"; maksudnya '{close[0]}'?" if close else ""
            raise ContentKeyMissing(f"kunci '{self._undefined_name}' tidak ada di {file} ({where}){hint}", origin,
                                    self._undefined_name)
        if self._undefined_hint is None and isinstance(self._undefined_name, (str, int)):
            raise ProseNameUnknown(self._undefined_name, self._undefined_obj)
        return super()._fail_with_undefined_error(*args, **kwargs)

    __str__ = __iter__ = __len__ = __bool__ = __eq__ = __ne__ = __hash__ = __contains__ = _fail_with_undefined_error


# every operator jinja's Undefined answers with its failure (+, *, <, float(), ...) fails through ours, so that the
# message names the missing name in the editor's words
for _name, _value in vars(Undefined).items():
    if _value is Undefined._fail_with_undefined_error and _name != "_fail_with_undefined_error":
        setattr(LocatedUndefined, _name, LocatedUndefined._fail_with_undefined_error)


class Raw(str):
    """Markdown that `{{ }}` inserts unescaped (prose placeholders written by the renderer itself)."""


# --- escaping of inserted values ------------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|])")
_LINE_START = re.compile(r"^(#|[-+](?=\s|$)|~~~|=+\s*$|-+\s*$)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def markdown_text(value) -> str:
    """A value as one line of literal Markdown text: no block or inline structure can come from it."""
    text = re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", str(value))
    text = re.sub(r"^[ \t]+", " ", text)          # leading indentation would make a code block at a line start
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if _LINE_START.match(text):
        text = "\\" + text
    return _ORDERED.sub(r"\1\\\2", text)


def _finalize(value):
    if value is None:
        return "-"                     # unfilled figures print "-"
    if isinstance(value, Raw):
        return value
    return markdown_text(value)


# --- bounded operations --------------------------------------------------------------------------------------

def _size(value) -> int:
    return len(value) if isinstance(value, (str, list, tuple, bytes)) else 0


def _check_size(n: int) -> None:
    if n > MAX_TEMPLATE_STRING:
        raise TemplateLimit(f"hasil ekspresi terlalu besar (lebih dari {MAX_TEMPLATE_STRING} karakter/butir)")


def _check_int(value) -> None:
    if isinstance(value, int) and value.bit_length() > MAX_POWER_BITS:
        raise TemplateLimit(f"bilangan terlalu besar (lebih dari {MAX_POWER_BITS} bit)")


_PRINTF = re.compile(r"%[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def bounded_range(*args):
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise TemplateLimit(f"range() lebih dari {MAX_RANGE} butir")
    return rng


def _replace(s, old, new, count=None):
    s, old, new = str(s), str(old), str(new)
    n = s.count(old) if old else len(s) + 1
    if count is not None:
        n = min(n, int(count))
    _check_size(len(s) + n * len(new))
    return s.replace(old, new) if count is None else s.replace(old, new, int(count))


def _join(value, d="", attribute=None):
    items = [str(item if attribute is None else getattr(item, attribute, "")) for item in value]
    _check_size(sum(map(len, items)) + len(str(d)) * max(0, len(items) - 1))
    return str(d).join(items)


def _strict(fn):
    """A format filter (fmt.py) given an unknown name fails naming that name (ProseNameUnknown), not with a
    conversion error about the placeholder object."""

    @functools.wraps(fn)
    def checked(value, *args, **kwargs):
        for arg in (value, *args, *kwargs.values()):
            if isinstance(arg, Undefined):
                arg._fail_with_undefined_error()
        return fn(value, *args, **kwargs)
    return checked


_SAFE_FILTERS = ("abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
                 "float", "groupby", "int", "items", "last", "length", "list", "lower", "map", "max", "min", "reject",
                 "rejectattr", "reverse", "round", "select", "selectattr", "sort", "string", "striptags", "sum",
                 "title", "trim", "truncate", "unique", "upper", "wordcount")
_STR_METHODS = frozenset({"lower", "upper", "title", "capitalize", "casefold", "swapcase", "strip", "lstrip", "rstrip",
                          "startswith", "endswith", "split", "rsplit", "splitlines", "partition", "rpartition", "count",
                          "find", "rfind", "index", "rindex", "isdigit", "isalpha", "isalnum", "isnumeric", "isspace",
                          "islower", "isupper", "istitle", "removeprefix", "removesuffix"})
_MAPPING_METHODS = frozenset({"get", "keys", "values", "items"})
_SEQUENCE_METHODS = frozenset({"index", "count"})


class _Generator(CodeGenerator):
    """Every for-loop iterates through environment.lkjip_steps(); `~` goes through environment.lkjip_concat()."""

    def visit_For(self, node, frame):
        self._bounded = getattr(self, "_bounded", set()) | {id(node.iter)}
        super().visit_For(node, frame)

    def visit(self, node, *args, **kwargs):
        bounded = getattr(self, "_bounded", ())
        if id(node) in bounded:
            self._bounded = bounded - {id(node)}
            self.write("environment.lkjip_steps(")
            super().visit(node, *args, **kwargs)
            self.write(")")
            return None
        return super().visit(node, *args, **kwargs)

    def visit_Concat(self, node, frame):
        self.write("environment.lkjip_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, **options):
        super().__init__(undefined=LocatedUndefined, autoescape=False, keep_trailing_newline=True,
                         finalize=_finalize, **options)
        self.filters = {name: self.filters[name] for name in _SAFE_FILTERS}
        self.filters.update({name: _strict(fn) for name, fn in FILTERS.items()}, replace=_replace, join=_join)
        self.globals = {"range": bounded_range, "dict": dict}
        self.steps = 0
        self._compiled: dict = {}

    # every loop iteration and call is a step
    def _step(self):
        self.steps += 1
        if self.steps > MAX_TEMPLATE_STEPS:
            raise TemplateLimit(f"perulangan/pemanggilan melebihi {MAX_TEMPLATE_STEPS} langkah")

    def lkjip_steps(self, iterable):
        if isinstance(iterable, (str, bytes)) or _size(iterable):
            _check_size(_size(iterable))
        for item in iterable:
            self._step()
            yield item

    def lkjip_concat(self, parts):
        texts = [str(p) for p in parts]
        _check_size(sum(map(len, texts)))
        return "".join(texts)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        __self._step()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            if isinstance(left, int) and _size(right) or isinstance(right, int) and _size(left):
                count = left if isinstance(left, int) else right
                _check_size(max(_size(left), _size(right)) * max(0, count))
            elif isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > MAX_POWER_BITS:
                    raise TemplateLimit(f"bilangan terlalu besar (lebih dari {MAX_POWER_BITS} bit)")
        elif operator == "**":
            if isinstance(left, (int, Decimal)) and isinstance(right, int) and not isinstance(left, bool):
                magnitude = abs(int(left)).bit_length() if isinstance(left, int) else len(str(int(abs(left)))) * 4
                if right > 0 and magnitude > 1 and magnitude * right > MAX_POWER_BITS:
                    raise TemplateLimit(f"pangkat terlalu besar (hasil lebih dari {MAX_POWER_BITS} bit)")
            elif isinstance(right, (int, float, Decimal)) and abs(right) > MAX_POWER_BITS:
                raise TemplateLimit("pangkat terlalu besar")
        elif operator == "+":
            if _size(left) or _size(right):
                _check_size(_size(left) + _size(right))
        elif operator == "%" and isinstance(left, str):
            for width, precision in _PRINTF.findall(left):
                if "*" in (width, precision) or int(width or 0) > 1000 or int(precision or 0) > 1000:
                    raise TemplateLimit("lebar format % terlalu besar")
        result = super().call_binop(context, operator, left, right)
        _check_int(result)
        return result

    def wrap_str_format(self, value):
        return None                      # str.format/format_map are not offered (widths allocate freely)

    def is_safe_attribute(self, obj, attr, value):
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, str):
            return attr in _STR_METHODS
        if isinstance(obj, (int, float, Decimal, bytes)):
            return not callable(value)
        if isinstance(obj, (list, tuple)):
            return attr in _SEQUENCE_METHODS or not callable(value)
        if type(obj).__module__ in ("builtins", "types") and callable(value) and hasattr(obj, "keys"):
            return attr in _MAPPING_METHODS
        return True

    # --- compile and render ---------------------------------------------------------------------------------

    def compile_text(self, source: str):
        """Compiled template for source (cached); TemplateSyntaxError with a line for over-nested expressions."""
        template = self._compiled.get(source)
        if template is None:
            code = _stored_code(self, source)
            if code is None:
                _check_nesting(self, source)
                code = self.compile(source)
                _store_code(self, source, code)
            template = self.template_class.from_code(self, code, self.make_globals(None), None)
            if len(self._compiled) > 256:
                self._compiled.clear()
            self._compiled[source] = template
        return template

    def render_bounded(self, template, context: dict) -> str:
        self.steps = 0
        out, size = [], 0
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_TEMPLATE_OUTPUT:
                exc = TemplateLimit(f"hasil lebih dari {MAX_TEMPLATE_OUTPUT} karakter")
                exc.lineno = sum(p.count("\n") for p in out) + 1      # the rendered line reached
                raise exc
            out.append(piece)
        return "".join(out)


# --- compiled templates across processes ------------------------------------------------------------------
# Compiling the outline is most of a `check`; the code Jinja generates for a source depends only on that source,
# the environment's options and the code of Jinja and this module (memo.py's fingerprint), so it is kept on disk.
# The outline's directive token (directives.py) is drawn afresh in every process and appears in the code's
# constants: it is stored as a placeholder and the current token put back on loading.

_PLACEHOLDER = "@@lkjip-token@@"


def _code_key(env, source: str):
    if _PLACEHOLDER in source:
        return None
    return memo.key(env.trim_blocks, env.lstrip_blocks, source.replace(TOKEN, _PLACEHOLDER))


def _swap(value, old: str, new: str):
    """value (a code object or one of its constants) with `old` replaced by `new` in every string constant."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, tuple):
        return tuple(_swap(v, old, new) for v in value)
    if isinstance(value, frozenset):
        return frozenset(_swap(v, old, new) for v in value)
    if isinstance(value, types.CodeType):
        return value.replace(co_consts=tuple(_swap(c, old, new) for c in value.co_consts))
    return value


def _stored_code(env, source: str):
    key = _code_key(env, source)
    data = memo.get("jinja", key) if key else None
    if data is None:
        return None
    try:
        return _swap(marshal.loads(data), _PLACEHOLDER, TOKEN)
    except (ValueError, EOFError, TypeError):
        return None


def _store_code(env, source: str, code) -> None:
    key = _code_key(env, source)
    if key is None:
        return
    data = marshal.dumps(_swap(code, TOKEN, _PLACEHOLDER))
    if TOKEN.encode() not in data:             # the token only ever appears where _swap reaches it
        memo.put("jinja", key, data)


_MAX_NESTING = 40
_MAX_TOKENS = 300
_MAX_BLOCKS = 10
_BLOCKS = {"if", "for", "macro", "call", "filter", "with", "block", "raw", "autoescape"}


def _check_nesting(env, source: str) -> None:
    """Deeply nested or very long expressions would exhaust the parser's and Python's recursion: reject them
    at their line before compiling."""
    depth = tokens = blocks = 0
    try:
        for line, kind, value in env.lex(source):
            if kind in ("variable_begin", "block_begin"):
                depth = tokens = 0
            elif kind == "name" and tokens == 0 and value in _BLOCKS:
                blocks += 1
                if blocks > _MAX_BLOCKS:
                    raise TemplateSyntaxError(f"ekspresi bersarang lebih dari {_MAX_BLOCKS} blok", line)
            elif kind == "name" and tokens == 0 and value.startswith("end"):
                blocks = max(0, blocks - 1)
            if kind not in ("data", "whitespace", "variable_begin", "block_begin"):
                tokens += 1
                if tokens > _MAX_TOKENS:
                    raise TemplateSyntaxError(f"ekspresi terlalu panjang (lebih dari {_MAX_TOKENS} bagian)", line)
            if kind == "operator" and value in "([{":
                depth += 1
                if depth > _MAX_NESTING:
                    raise TemplateSyntaxError(f"ekspresi bersarang lebih dari {_MAX_NESTING} tingkat", line)
            elif kind == "operator" and value in ")]}":
                depth = max(0, depth - 1)
    except TemplateSyntaxError as exc:
        if exc.message.startswith("ekspresi"):
            raise
    except Exception:  # noqa: BLE001 - lexing problems are reported by the parser with their line
        return


__all__ = ["BoundedEnvironment", "Raw", "TemplateLimit", "markdown_text", "nodes"]
