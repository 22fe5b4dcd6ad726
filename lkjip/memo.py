"""Shared by the stages: a disk cache of pure steps (parsed YAML, validated documents, compiled templates, parsed
Markdown), so that `check` on every save redoes only what changed and a process skips loading the libraries whose
step it can skip.

Every entry is addressed by the SHA-256 of its inputs and of a fingerprint of the code that computed it (the
package's sources, schema/*.yaml, the Python version and the installed libraries), so an entry is only ever
reused for exactly the same input and code: a cache hit returns what the step would compute. Entries are written
under a per-process name and renamed into place (parallel builds share the folder); an unreadable entry is a miss.

Folder: LKJIP_CACHE (a path; `0` turns the cache off), else the user's cache folder
(~/.cache/lkjip, ~/Library/Caches/lkjip, %LOCALAPPDATA%/lkjip/cache). Like __pycache__, it holds pickled data and
compiled code: it must be writable only by its user.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import secrets
import sys
from pathlib import Path

ENV = "LKJIP_CACHE"
OFF = ("0", "off", "tidak")
MAX_BYTES = 256 * 1024 * 1024          # pruned to half, oldest first, when a process finds the folder larger
_DEPENDENCIES = ("yaml", "cerberus", "jinja2", "markdown_it", "babel", "docx", "lxml")
_state: dict = {}
_RECENT: dict = {}                     # this process's entries: a second read of an entry costs nothing


def folder() -> Path | None:
    """The cache folder for this code version, or None when the cache is off."""
    value = os.environ.get(ENV, "")
    known = _state.get("folder")
    if known is not None and known[0] == value:
        return known[1]
    _state["folder"] = (value, _folder(value))
    return _state["folder"][1]


def _folder(value: str) -> Path | None:
    if value.strip().lower() in OFF:
        return None
    if value:
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
        from .resources import SCHEMA_DIR, TEMPLATES_DIR
        digest = hashlib.sha256(f"{sys.version}|{sys.implementation.cache_tag}".encode())
        package = os.path.dirname(os.path.abspath(__file__))
        files = _files(package, ".py") + _files(str(SCHEMA_DIR), ".yaml", deep=False) \
            + _files(str(TEMPLATES_DIR), ".j2", deep=False)
        for path in files:
            digest.update(os.path.basename(path).encode() + b"\0")
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
                stat = os.stat(candidate)
            except OSError:
                continue
            return f"{candidate}|{stat.st_size}|{stat.st_mtime_ns}"
    return "-"


def key(*parts) -> str:
    """Key of an entry: its kind and inputs (str or bytes)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _path(kind: str, entry: str) -> Path | None:
    base = folder()
    return None if base is None else base / kind / f"{entry}.pickle"


def get(kind: str, entry: str, default=None):
    """The stored value, or `default` on a miss (absent, unreadable, cache off)."""
    if (kind, entry) in _RECENT:
        return _RECENT[kind, entry]
    path = _path(kind, entry)
    if path is None:
        return default
    try:
        with open(path, "rb") as handle:
            value = pickle.load(handle)
    except Exception:  # noqa: BLE001 - absent, truncated by a crash, written by another version: a miss
        return default
    _remember(kind, entry, value)
    return value


def _remember(kind: str, entry: str, value) -> None:
    if len(_RECENT) > 256:
        _RECENT.clear()
    _RECENT[kind, entry] = value


def put(kind: str, entry: str, value) -> None:
    """Store value; never fails the caller (a read-only or full disk just means no cache)."""
    path = _path(kind, entry)
    if path is None:
        return
    _remember(kind, entry, value)
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.lexists(tmp):
                os.unlink(tmp)
        _prune_once(path.parent.parent.parent)
    except Exception:  # noqa: BLE001 - caching is an optimisation only
        pass


def _prune_once(base: Path) -> None:
    """At most once an hour (and once per process that writes): keep the whole cache (every code version)
    under MAX_BYTES."""
    if _state.get("pruned"):
        return
    _state["pruned"] = True
    marker = base / ".dipangkas"
    try:
        if marker.exists() and marker.stat().st_mtime > __import__("time").time() - 3600:
            return
        marker.touch()
    except OSError:
        return
    entries = []
    for path in base.rglob("*.pickle"):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _t, size, _p in entries)
    if total <= MAX_BYTES:
        return
    for _mtime, size, path in sorted(entries, key=lambda e: e[0]):
        if total <= MAX_BYTES // 2:
            break
        try:
            path.unlink()
            total -= size
        except OSError:
            pass
