"""Shared by stages: deep-freeze validated data so no stage can mutate what another stage reads.

Every mapping remembers where it was written (file, line, key path), so that a template asking for a key the
content does not have can name the content file and line instead of Python internals."""
from __future__ import annotations

from .located import format_path


class FrozenDict(dict):
    """A read-only dict (C-speed lookups) that knows its origin in the content."""

    __slots__ = ("origin",)

    def _readonly(self, *_args, **_kwargs):
        raise TypeError("data konten bersifat hanya-baca")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _readonly

    def __copy__(self):
        return self

    def __deepcopy__(self, _memo):
        return self

    def __reduce__(self):
        return (_rebuild, (dict(self), getattr(self, "origin", None)))


def _rebuild(items, origin):
    out = FrozenDict(items)
    out.origin = origin
    return out


EMPTY = FrozenDict()
EMPTY.origin = None


def freeze(value, doc=None, path=()):
    """doc: the Document the value comes from (for origins), or None."""
    if isinstance(value, dict):
        out = FrozenDict({k: freeze(v, doc, (*path, k)) for k, v in value.items()})
        out.origin = (doc.file, doc.line_of(path), format_path(path)) if doc is not None else None
        return out
    if isinstance(value, list):
        return tuple(freeze(v, doc, (*path, i)) for i, v in enumerate(value))
    return value


def freeze_documents(typed: dict, docs: dict) -> FrozenDict:
    """{name: data} of validated documents, each frozen with its origin."""
    return FrozenDict({name: freeze(data, docs.get(name)) for name, data in typed.items()})
