"""Shared by stages: deep-freeze validated data so no stage can mutate what another stage reads."""
from __future__ import annotations

from types import MappingProxyType


def freeze(value):
    if isinstance(value, dict):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value
