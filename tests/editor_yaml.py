"""Test helper: a YAML file as an editor's YAML 1.2 language server sees it (plain scalars typed by the core schema)."""
from __future__ import annotations

import re

import yaml

from lkjip.load.yamlsafe import _StringLoader

_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


def _scalar(node):
    text = node.value
    if node.style:                                  # quoted or block scalar: always a string
        return text
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _INT.fullmatch(text):
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    if _FLOAT.fullmatch(text):
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return text


def _typed(node):
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _typed(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_typed(item) for item in node.value]
    return _scalar(node)


def editor_view(text: str):
    """The document as JSON values; keys stay text (JSON property names)."""
    return _typed(yaml.compose(text, Loader=_StringLoader))
