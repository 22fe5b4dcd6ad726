"""Shared by check and render: characters that cannot appear in DOCX XML (or in YAML), found and cleaned in one place."""
from __future__ import annotations

import re

# XML 1.0 forbids C0 controls other than tab/newline/carriage return, U+FFFE/U+FFFF and lone surrogates.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# libyaml accepts only printable characters in a YAML stream (YAML 1.1 c-printable).
YAML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def clean(text: str) -> str:
    """The one sanitising step for every text written into XML: illegal characters become U+FFFD (visible)."""
    return XML_ILLEGAL.sub(REPLACEMENT, text) if XML_ILLEGAL.search(text) else text


def describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def illegal_lines(text: str, pattern=XML_ILLEGAL, limit: int = 20) -> list[tuple[int, str]]:
    """(line, character) of the first `limit` illegal characters, lines from 1."""
    out = []
    for match in pattern.finditer(text):
        out.append((text.count("\n", 0, match.start()) + 1, match.group()))
        if len(out) >= limit:
            break
    return out
