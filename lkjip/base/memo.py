"""Shared by the stages: a disk cache of pure steps (parsed YAML, validated documents, compiled templates, parsed
Markdown, filled-in page numbers), so that `check` on every save redoes only what changed and a process skips loading
the libraries whose step it can skip.

Every entry is addressed by the SHA-256 of its inputs and of a fingerprint of the code that computed it (the
package's sources, schema/*.yaml, the Python version and the installed libraries), so an entry is only ever
reused for exactly the same input and code: a cache hit returns what the step would compute. Entries are written
under a per-process name and renamed into place (parallel builds share the folder).

Safe on a shared drive (README "Jaminan dan batas"):
- Entries are data, never code run on loading: a magic line, a header naming the entry's kind and key, the SHA-256
  of the body and its lengths, then a JSON body of built-in types plus tagged values for the project's own types
  (tuple, dict with any keys, FrozenDict, Decimal, date, bytes, Document, Problem, markdown Token) and raw byte
  blobs. Decoding knows only those tags; anything else (a pickle, wrong magic, another entry's key, a checksum or
  length that does not match, an unknown tag, a file over MAX_ENTRY) is a miss and the step is computed again.
- POSIX: the folder, every folder below it and every entry must be owned by the current user and not writable by
  group or others; entries and sub-folders must not be symbolic links or special files (opened relative to the
  folder's own descriptor, without following links, so a folder renamed under us cannot swap its contents). Any
  breach: one warning on stderr and the process builds without the cache.
- Pruning deletes only what the cache names and wrote: `<20 hex>/<kind>/<64 hex>.lkjc` (or a leftover temporary
  file of the same name) that is a regular file owned by the user and starts with MAGIC, plus the `.pickle` entries
  of earlier versions under the same strict names. Nothing else under LKJIP_CACHE is touched.

Folder: LKJIP_CACHE (a path; OFF values turn the cache off), else the user's cache folder
(~/.cache/lkjip, ~/Library/Caches/lkjip, %LOCALAPPDATA%/lkjip/cache).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import re
import secrets
import stat
import sys
import time
from decimal import Decimal
from pathlib import Path

from .frozen import FrozenDict
from .located import Document
from .problems import Problem
from .resources import SCHEMA_DIR, TEMPLATES_DIR
from .token import Token

ENV = "LKJIP_CACHE"
OFF = ("0", "false", "no", "none", "off", "tidak", "nonaktif")
MAX_BYTES = 256 * 1024 * 1024          # pruned to half, oldest first, when a process finds the folder larger
MAX_ENTRY = 64 * 1024 * 1024           # a larger entry file is not read (a miss)
MAGIC = b"LKJIP-CACHE 1\n"
SUFFIX = ".lkjc"
_DEPENDENCIES = ("yaml", "cerberus", "jinja2", "markdown_it", "babel", "docx", "lxml")
_VERSION_NAME = re.compile(r"[0-9a-f]{20}\Z")
_KIND_NAME = re.compile(r"[a-z][a-z0-9-]{0,31}\Z")
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.lkjc\Z")
_TEMP_NAME = re.compile(r"\.[0-9a-f]{64}\.lkjc\.[0-9]{1,10}-[0-9a-f]{8}\.tmp\Z")
_LEGACY_NAME = re.compile(r"[0-9a-f]{64}\.pickle\Z")
_LEGACY_MAGIC = (b"\x80\x04\x95", b"\x80\x05\x95")   # pickle protocols 4 and 5, as earlier versions wrote them
_HEADER = re.compile(rb"([a-z][a-z0-9-]{0,31}) ([0-9a-f]{64}) ([0-9a-f]{64}) ([0-9]{1,12}) "
                     rb"(-|[0-9]{1,12}(?:,[0-9]{1,12})*)\n")
# POSIX: everything is opened relative to a folder's descriptor (openat), without following links
_AT = os.name == "posix" and {os.open, os.mkdir, os.unlink, os.stat} <= os.supports_dir_fd \
    and os.scandir in os.supports_fd
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_state: dict = {}
_RECENT: dict = {}                     # this process's entries: a second read of an entry costs nothing


class Untrusted(Exception):
    """A cache folder or entry someone else could have written: the cache is not used."""


def folder() -> Path | None:
    """The cache folder for this code version, or None when the cache is off."""
    value = os.environ.get(ENV, "")
    known = _state.get("folder")
    if known is not None and known[0] == value:
        return known[1]
    _state["folder"] = (value, _folder(value))
    _RECENT.clear()                    # entries remembered from another folder (or with the cache off) do not carry over
    return _state["folder"][1]


def is_off(value: str) -> bool:
    """True for the values of LKJIP_CACHE that turn the cache off (never a folder of that name)."""
    return value.strip().lower() in OFF


def _folder(value: str) -> Path | None:
    if is_off(value):
        return None
    if value.strip():
        base = Path(value)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "lkjip" / "cache"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches" / "lkjip"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lkjip"
    return base / fingerprint()[:20]


def fingerprint() -> str:
    """Hash of everything besides its inputs that a cached step's result depends on."""
    if "fingerprint" not in _state:
        digest = hashlib.sha256(f"{sys.version}|{sys.implementation.cache_tag}".encode())
        package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))      # lkjip/ (this is lkjip/base/)
        files = _files(package, ".py") + _files(str(SCHEMA_DIR), ".yaml", deep=False) \
            + _files(str(TEMPLATES_DIR), ".j2", deep=False)
        for path in files:
            digest.update(os.path.relpath(path, package).replace(os.sep, "/").encode() + b"\0")
            try:
                with open(path, "rb") as handle:
                    digest.update(handle.read())
            except OSError:
                pass
        for name in _DEPENDENCIES:
            digest.update(f"{name}|{_installed(name)}".encode())
        _state["fingerprint"] = digest.hexdigest()
    return _state["fingerprint"]


def _files(top: str, suffix: str, deep: bool = True) -> list[str]:
    out = []
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return out
    for entry in entries:
        if entry.is_dir() and deep and not entry.name.startswith((".", "__")):
            out += _files(entry.path, suffix)
        elif entry.name.endswith(suffix):
            out.append(entry.path)
    return out


def _installed(name: str) -> str:
    """Where a library is installed and its file's size and time (changes when another version is installed),
    found without importing it."""
    for entry in sys.path:
        for candidate in (os.path.join(entry or ".", name, "__init__.py"), os.path.join(entry or ".", f"{name}.py")):
            try:
                stat_ = os.stat(candidate)
            except OSError:
                continue
            return f"{candidate}|{stat_.st_size}|{stat_.st_mtime_ns}"
    return "-"


def key(*parts) -> str:
    """Key of an entry: its kind and inputs (str or bytes)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


# --- trust ---------------------------------------------------------------------------------------------------

def untrusted_reason(st: os.stat_result, want_dir: bool) -> str | None:
    """Why a folder (want_dir) or entry with this (not followed) stat is not to be trusted, or None. POSIX only."""
    if stat.S_ISLNK(st.st_mode):
        return "berupa tautan simbolik"
    if want_dir and not stat.S_ISDIR(st.st_mode):
        return "bukan folder"
    if not want_dir and not stat.S_ISREG(st.st_mode):
        return "bukan berkas biasa"
    if st.st_uid != os.geteuid():
        return f"dimiliki pengguna lain (uid {st.st_uid})"
    if st.st_mode & 0o022:
        return "dapat ditulis oleh grup atau pengguna lain"
    return None


def warn_once(where, reason: str, what: str = "cache build") -> None:
    """One line on stderr per process and place: that cache is not used."""
    shown = _state.setdefault("warned", set())
    if (str(where), what) in shown:
        return
    shown.add((str(where), what))
    print(f"{where}: warning [cache-tidak-aman] {reason}; {what} tidak dipakai dan semuanya dibuat ulang "
          f"(jadikan folder itu milik Anda dan hanya dapat Anda tulis, mis. `chmod go-w`; atau {ENV}=0)",
          file=sys.stderr)


class _Store:
    """The open cache folder of this process: descriptors of the base folder, the code version's folder and the
    kinds' folders (POSIX), or their paths (elsewhere: no ownership checks)."""

    def __init__(self, path: Path):
        self.path = path                          # <base>/<version>
        self.kinds: dict = {}
        base = path.parent
        if _AT:
            os.makedirs(base, mode=0o700, exist_ok=True)
            self.base = _open_dir(str(base), None, follow=True, shown=base)
            try:
                self.version = _open_dir(path.name, self.base, create=True, shown=path)
            except BaseException:
                os.close(self.base)
                raise
        else:
            path.mkdir(parents=True, exist_ok=True)
            self.base, self.version = str(base), str(path)

    def close(self) -> None:
        if _AT:
            for fd in {self.base, self.version, *self.kinds.values()}:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.kinds = {}

    def kind(self, kind: str, create: bool):
        if kind not in self.kinds:
            if not _KIND_NAME.match(kind):
                raise ValueError(kind)
            if _AT:
                self.kinds[kind] = _open_dir(kind, self.version, create=create, shown=self.path / kind)
            else:
                where = os.path.join(self.version, kind)
                if create:
                    os.makedirs(where, exist_ok=True)
                elif not os.path.isdir(where):
                    raise FileNotFoundError(where)
                self.kinds[kind] = where
        return self.kinds[kind]

    def read(self, kind: str, entry: str) -> bytes | None:
        try:
            where = self.kind(kind, create=False)
        except FileNotFoundError:
            return None
        name = entry + SUFFIX
        flags = os.O_RDONLY | _CLOEXEC | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(name, flags, dir_fd=where) if _AT else os.open(os.path.join(where, name), flags)
        except FileNotFoundError:
            return None
        except OSError:
            if _AT:                                   # a link (ELOOP) or something else that cannot be opened
                _check_at(name, where, self.path / kind / name)
            return None
        try:
            st = os.fstat(fd)
            if _AT and stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid():
                return None                           # a folder of ours where an entry should be: a miss
            if _AT:
                reason = untrusted_reason(st, want_dir=False)
                if reason:
                    raise Untrusted(self.path / kind / name, reason)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY:
                return None
            with os.fdopen(fd, "rb", closefd=False) as handle:
                return handle.read(MAX_ENTRY + 1)
        finally:
            os.close(fd)

    def write(self, kind: str, entry: str, data: bytes) -> None:
        where = self.kind(kind, create=True)
        name = entry + SUFFIX
        tmp = f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _NOFOLLOW | getattr(os, "O_BINARY", 0)
        at = {"dir_fd": where} if _AT else {}
        tmp_at = tmp if _AT else os.path.join(where, tmp)
        name_at = name if _AT else os.path.join(where, name)
        fd = os.open(tmp_at, flags, 0o600, **at)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            if _AT:
                os.replace(tmp, name, src_dir_fd=where, dst_dir_fd=where)
            else:
                os.replace(tmp_at, name_at)
        finally:
            try:
                os.unlink(tmp_at, **at)
            except OSError:
                pass


def _open_dir(name: str, parent, create: bool = False, follow: bool = False, shown=None) -> int:
    """Descriptor of a trusted folder `name` (relative to the descriptor parent, or a path when parent is None);
    raises Untrusted for a link, a non-folder, or a folder someone else owns or can write."""
    if create:
        try:
            os.mkdir(name, 0o700, dir_fd=parent)
        except FileExistsError:
            pass
    flags = os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC | (0 if follow else _NOFOLLOW)
    try:
        fd = os.open(name, flags, dir_fd=parent)
    except FileNotFoundError:
        raise
    except OSError:
        _check_at(name, parent, shown or name, want_dir=True)
        raise
    st = os.fstat(fd)
    reason = untrusted_reason(st, want_dir=True)
    if reason:
        os.close(fd)
        raise Untrusted(shown or name, reason)
    return fd


def _check_at(name: str, parent, shown, want_dir: bool = False) -> None:
    """Raise Untrusted when `name` is a link or special file (why it could not be opened)."""
    try:
        st = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode) and not want_dir and st.st_uid == os.geteuid():
        return
    reason = untrusted_reason(st, want_dir)
    if reason:
        raise Untrusted(shown, reason)


def _store() -> _Store | None:
    """The open store of this process, None when the cache is off, not usable or not trusted."""
    path = folder()
    known = _state.get("store")
    if known is not None and known[0] == path:
        return known[1]
    if known is not None and known[1] is not None:
        known[1].close()
    store = None
    if path is not None:
        try:
            store = _Store(path)
        except Untrusted as exc:
            _distrust(exc)
        except Exception:  # noqa: BLE001 - an unwritable or odd folder just means no cache
            store = None
    _state["store"] = (path, store)
    return store


def _distrust(exc: Untrusted) -> None:
    where, reason = exc.args
    warn_once(where, reason)
    known = _state.get("store")
    if known is not None and known[1] is not None:
        known[1].close()
    _state["store"] = (folder(), None)


# --- entry format --------------------------------------------------------------------------------------------

def encode(kind: str, entry: str, value) -> bytes:
    """An entry's bytes: MAGIC, `<kind> <key> <sha256 of body> <json length> <blob lengths|->`, body = JSON + blobs.
    TypeError for a value of a type the format does not carry (then it is not cached)."""
    blobs: list = []
    body = json.dumps(_plain(value, blobs), ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                      check_circular=False).encode("utf-8", "surrogatepass")
    lengths = ",".join(str(len(b)) for b in blobs) or "-"
    digest = hashlib.sha256(body)
    for blob in blobs:
        digest.update(blob)
    head = f"{kind} {entry} {digest.hexdigest()} {len(body)} {lengths}\n".encode("ascii")
    return b"".join([MAGIC, head, body, *blobs])


def decode(kind: str, entry: str, data: bytes):
    """The value of an entry's bytes; ValueError (or another Exception) for anything the cache did not write for
    this kind and key."""
    if not data.startswith(MAGIC):
        raise ValueError("magic")
    match = _HEADER.match(data, len(MAGIC))
    if not match or match.group(1).decode() != kind or match.group(2).decode() != entry:
        raise ValueError("header")
    view = memoryview(data)[match.end():]
    size = int(match.group(4))
    lengths = [int(n) for n in match.group(5).split(b",")] if match.group(5) != b"-" else []
    if size + sum(lengths) != len(view) or hashlib.sha256(view).hexdigest() != match.group(3).decode():
        raise ValueError("length or checksum")
    blobs, at = [], size
    for length in lengths:
        blobs.append(bytes(view[at:at + length]))
        at += length
    return json.loads(bytes(view[:size]).decode("utf-8", "surrogatepass"), object_pairs_hook=_hook(blobs))


def _plain(value, blobs: list):
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is list:
        return [_plain(v, blobs) for v in value]
    if kind is tuple:
        return {"t": [_plain(v, blobs) for v in value]}
    if kind is dict:
        if all(type(k) is str for k in value):   # a JSON object whose first key is "" (never a tag)
            return {"": 0, **{k: _plain(v, blobs) for k, v in value.items()}} if "" not in value else \
                {"d": _pairs(value, blobs)}
        return {"d": _pairs(value, blobs)}
    if kind is float:
        return value if math.isfinite(value) else {"x": repr(value)}
    if kind is bytes:
        blobs.append(value)
        return {"b": len(blobs) - 1}
    classes = _classes()
    name = classes["by_type"].get(kind)
    if name is None:
        raise TypeError(f"not cached: {kind!r}")
    if name == "F":
        return {"F": [_plain(getattr(value, "origin", None), blobs), *_pairs(value, blobs)]}
    if name == "n":
        return {"n": str(value)}
    if name in ("date", "datetime"):
        return {name: value.isoformat()}
    if name == "Document":                     # its line map's keys (key paths, tuples) as plain lists: compact
        lines = []
        for k, v in value.lines.items():
            lines.append([_plain(e, blobs) for e in k] if type(k) is tuple else _plain(k, blobs))
            lines.append(_plain(v, blobs))
        return {name: [_plain(value.file, blobs), _plain(value.data, blobs), lines]}
    if name == "Token" and type(value.attrs) is dict:      # its attributes as plain pairs: one object less
        return {name: [value.type, value.tag, value.content, _pairs(value.attrs, blobs), _plain(value.map, blobs),
                       value.level, _plain(value.children, blobs)]}
    return {name: [_plain(getattr(value, field), blobs) for field in classes["fields"][name]]}


def _pairs(mapping, blobs: list) -> list:
    out = []
    for k, v in mapping.items():
        out.append(_plain(k, blobs))
        out.append(_plain(v, blobs))
    return out


def _classes() -> dict:
    """The project's own types the format carries: tag, class, fields (positional constructor arguments)."""
    if "classes" not in _state:
        types = {"F": FrozenDict, "n": Decimal, "date": datetime.date, "datetime": datetime.datetime,
                 "Document": Document, "Problem": Problem, "Token": Token}
        fields = {"Document": ("file", "data", "lines"),
                  "Problem": ("file", "line", "path", "code", "severity", "message"),
                  "Token": ("type", "tag", "content", "attrs", "map", "level", "children")}
        _state["classes"] = {"types": types, "fields": fields, "by_type": {v: k for k, v in types.items()}}
    return _state["classes"]


def _hook(blobs: list):
    classes = _classes()
    types, fields = classes["types"], classes["fields"]
    frozen_dict = types["F"]

    def pairs(items):
        if type(items) is not list or len(items) % 2:
            raise ValueError("pairs")
        it = iter(items)
        return dict(zip(it, it))

    def frozen(items):
        out = frozen_dict(pairs(items[1:]))
        out.origin = items[0]
        return out

    def record(name, items):
        if type(items) is not list or len(items) != len(fields[name]):
            raise ValueError(name)
        return types[name](*items)

    def document(items):
        if type(items) is not list or len(items) != 3 or type(items[2]) is not list or len(items[2]) % 2:
            raise ValueError("Document")
        it = iter(items[2])
        lines = {tuple(k) if type(k) is list else k: v for k, v in zip(it, it)}
        return types["Document"](items[0], items[1], lines)

    def token(items):
        if type(items) is not list or len(items) != 7:
            raise ValueError("Token")
        attrs = items[3]
        if type(attrs) is list:
            attrs = pairs(attrs)
        return types["Token"](items[0], items[1], items[2], attrs, items[4], items[5], items[6])

    def problem(items):
        if type(items) is not list or not all(type(v) is str for i, v in enumerate(items) if i != 1) \
                or type(items[1]) is not int:
            raise ValueError("Problem")
        return record("Problem", items)

    def text(value):
        if type(value) is not str:
            raise ValueError("text")
        return value

    def blob(index):
        if type(index) is not int or not 0 <= index < len(blobs):
            raise ValueError("blob")
        return blobs[index]

    def special_float(value):
        if value not in ("nan", "inf", "-inf"):
            raise ValueError("float")
        return float(value)

    decoders = {
        "t": lambda v: tuple(v) if type(v) is list else _bad("tuple"),
        "d": pairs,
        "F": lambda v: frozen(v) if type(v) is list and v else _bad("FrozenDict"),
        "n": lambda v: types["n"](text(v)),
        "date": lambda v: types["date"].fromisoformat(text(v)),
        "datetime": lambda v: types["datetime"].fromisoformat(text(v)),
        "b": blob,
        "x": special_float,
        "Document": document,
        "Problem": problem,
        "Token": token,
    }

    def hook(pairs):
        tag, value = pairs[0]
        if tag == "":
            return dict(pairs[1:])
        if len(pairs) != 1:
            raise ValueError("object")
        return decoders[tag](value)
    return hook


def _bad(what: str):
    raise ValueError(what)


# --- get / put -----------------------------------------------------------------------------------------------

def get(kind: str, entry: str, default=None):
    """The stored value, or `default` on a miss (absent, damaged, not written by the cache, cache off or not
    trusted)."""
    store = _store()                   # first: it forgets the remembered entries when LKJIP_CACHE changed
    if store is None:
        return default
    if (kind, entry) in _RECENT:
        return _RECENT[kind, entry]
    try:
        data = store.read(kind, entry)
        if data is None:
            return default
        value = decode(kind, entry, data)
        if not _shape_ok(kind, value):
            return default
    except Untrusted as exc:
        _distrust(exc)
        return default
    except Exception:  # noqa: BLE001 - absent, truncated by a crash, planted, written by another version: a miss
        return default
    _remember(kind, entry, value)
    return value


def _shape_ok(kind: str, value) -> bool:
    """The outer shape each caller stores (a well-framed entry of another shape is a miss, not a crash)."""
    classes = _classes()["types"]
    if kind in ("yaml", "valid"):                 # (Document | typed data | None, [Problem])
        return type(value) is tuple and len(value) == 2 and type(value[1]) is list \
            and all(type(p) is classes["Problem"] for p in value[1]) \
            and (kind == "valid" or value[0] is None or type(value[0]) is classes["Document"])
    if kind == "markdown":
        return type(value) is list and all(type(t) is classes["Token"] for t in value)
    if kind == "jinja":
        return type(value) is bytes
    if kind == "halaman":                         # a page map (render/layout.py)
        return type(value) is dict and type(value.get("pages")) is int and type(value.get("labels")) is dict \
            and type(value.get("letak")) is dict and type(value.get("ukuran")) is list
    if kind == "tata-letak":
        return type(value) is dict and all(type(k) is str and type(v) in (bytes, str) for k, v in value.items())
    return True


def _remember(kind: str, entry: str, value) -> None:
    if len(_RECENT) > 256:
        _RECENT.clear()
    _RECENT[kind, entry] = value


def put(kind: str, entry: str, value) -> None:
    """Store value; never fails the caller (a read-only or full disk just means no cache)."""
    store = _store()
    if store is None:
        return
    _remember(kind, entry, value)
    try:
        store.write(kind, entry, encode(kind, entry, value))
        _prune_once(store)
    except Untrusted as exc:
        _distrust(exc)
    except Exception:  # noqa: BLE001 - caching is an optimisation only
        pass


# --- pruning -------------------------------------------------------------------------------------------------

def _prune_once(store: _Store) -> None:
    """At most once an hour (and once per process that writes): keep the whole cache (every code version)
    under MAX_BYTES, deleting only entries the cache itself wrote, oldest first."""
    if _state.get("pruned"):
        return
    _state["pruned"] = True
    try:
        at = {"dir_fd": store.base} if _AT else {}
        marker = ".dipangkas" if _AT else os.path.join(store.base, ".dipangkas")
        try:
            st = os.stat(marker, follow_symlinks=False, **at)
            if stat.S_ISREG(st.st_mode) and st.st_mtime > time.time() - 3600:
                return
        except FileNotFoundError:
            pass
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | _CLOEXEC | _NOFOLLOW, 0o600, **at)
        try:
            os.utime(fd if _AT else marker)
        finally:
            os.close(fd)
    except OSError:
        return
    opened: list = []
    try:
        entries = _entries(store, opened)
        total = sum(size for _t, size, _d, _n, _l in entries)
        if total <= MAX_BYTES:
            return
        for _mtime, size, where, name, legacy in sorted(entries, key=lambda e: e[0]):
            if total <= MAX_BYTES // 2:
                break
            if _written_by_cache(where, name, legacy):
                try:
                    os.unlink(name, dir_fd=where) if _AT else os.unlink(os.path.join(where, name))
                    total -= size
                except OSError:
                    pass
    finally:
        for fd in opened:
            os.close(fd)


def _entries(store: _Store, opened: list) -> list:
    """(mtime, size, folder, name, legacy) of every file under the cache named as the cache names its entries."""
    out = []
    old = time.time() - 3600
    for version in _subfolders(store.base, _VERSION_NAME, opened):
        for kind in _subfolders(version, _KIND_NAME, opened):
            try:
                listing = list(os.scandir(kind))
            except OSError:
                continue
            for item in listing:
                legacy = bool(_LEGACY_NAME.match(item.name))
                temp = bool(_TEMP_NAME.match(item.name))
                if not (legacy or temp or _ENTRY_NAME.match(item.name)):
                    continue
                try:
                    st = item.stat(follow_symlinks=False)
                except OSError:
                    continue
                if not stat.S_ISREG(st.st_mode) or (_AT and st.st_uid != os.geteuid()) \
                        or (temp and st.st_mtime > old):
                    continue
                out.append((st.st_mtime, st.st_size, kind, item.name, legacy))
    return out


def _subfolders(parent, pattern, opened: list) -> list:
    try:
        listing = list(os.scandir(parent))
    except OSError:
        return []
    out = []
    for item in listing:
        if not pattern.match(item.name) or not item.is_dir(follow_symlinks=False):
            continue
        if _AT:
            try:
                fd = _open_dir(item.name, parent)
            except (Untrusted, OSError):
                continue
            opened.append(fd)
            out.append(fd)
        else:
            out.append(os.path.join(parent, item.name))
    return out


def _written_by_cache(where, name: str, legacy: bool) -> bool:
    """The file starts as the cache's entries do (read without following a link)."""
    try:
        flags = os.O_RDONLY | _CLOEXEC | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(name, flags, dir_fd=where) if _AT else os.open(os.path.join(where, name), flags)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, len(MAGIC))
    except OSError:
        return False
    finally:
        os.close(fd)
    return head.startswith(_LEGACY_MAGIC) if legacy else head == MAGIC
