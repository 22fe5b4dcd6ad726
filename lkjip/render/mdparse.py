"""Render stage helper: Markdown parsed by markdown-it into light tokens, kept on disk by the hash of the text
(memo.py), so an unchanged outline or prose section is not parsed again and markdown-it is not even loaded.

Tokens carry what the checks and writers read: type, tag, content, attrs, map, level, children.
"""
from __future__ import annotations

MAX_NESTING = 60          # markdown-it stops parsing (silently) at this nesting; check reports content that deep
_FORMAT = "1"             # bump when the stored token shape changes


def markdown_parser():
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")


class Token:
    __slots__ = ("type", "tag", "content", "attrs", "map", "level", "children")

    def __init__(self, type, tag, content, attrs, map, level, children):  # noqa: A002 - markdown-it's names
        self.type, self.tag, self.content, self.attrs = type, tag, content, attrs
        self.map, self.level, self.children = map, level, children

    def __reduce__(self):
        return (Token, (self.type, self.tag, self.content, self.attrs, self.map, self.level, self.children))


def _light(tok) -> Token:
    children = [_light(c) for c in tok.children] if tok.children is not None else None
    return Token(tok.type, tok.tag, tok.content, dict(tok.attrs), list(tok.map) if tok.map else None, tok.level,
                 children)


_PARSER: list = []


def parse(text: str) -> list[Token]:
    """Tokens of `text` (CommonMark with tables, as the DOCX writer reads it)."""
    from .. import memo
    key = memo.key(_FORMAT, text)
    tokens = memo.get("markdown", key)
    if tokens is None:
        if not _PARSER:
            _PARSER.append(markdown_parser())
        tokens = [_light(tok) for tok in _PARSER[0].parse(text)]
        memo.put("markdown", key, tokens)
    return tokens
