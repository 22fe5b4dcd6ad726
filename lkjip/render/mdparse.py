"""Render stage helper: Markdown parsed by markdown-it into light tokens, kept on disk by the hash of the text
(memo.py), so an unchanged outline or prose section is not parsed again and markdown-it is not even loaded.

Tokens carry what the checks and writers read: type, tag, content, attrs, map, level, children.
"""
from __future__ import annotations

from ..base import memo
from ..base.token import Token
from .directives import TOKEN

MAX_NESTING = 60          # markdown-it stops parsing (silently) at this nesting; check reports content that deep
_FORMAT = "1"             # bump when the stored token shape changes


def markdown_parser():
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")


def _light(tok) -> Token:
    children = [_light(c) for c in tok.children] if tok.children is not None else None
    return Token(tok.type, tok.tag, tok.content, dict(tok.attrs), list(tok.map) if tok.map else None, tok.level,
                 children)


_PARSER: list = []


# The outline carries the per-process directive token (directives.py): it is stored as a placeholder of the same
# length and kind of characters (so the parse is the same) and put back on reading.
_PLACEHOLDER = "zzzzzzzzzzzzzzzz"


def _swap(tokens, old: str, new: str) -> list[Token]:
    """The tokens with `old` replaced in every text; tokens without it are shared, not copied."""
    def one(tok):
        children = tok.children
        if children is not None:
            swapped = [one(c) for c in children]
            children = children if all(a is b for a, b in zip(swapped, children)) else swapped
        text_changed = old in tok.content or any(isinstance(v, str) and old in v for v in tok.attrs.values())
        if not text_changed and children is tok.children:
            return tok
        attrs = {k: v.replace(old, new) if isinstance(v, str) else v for k, v in tok.attrs.items()}
        return Token(tok.type, tok.tag, tok.content.replace(old, new), attrs, tok.map, tok.level, children)
    return [one(tok) for tok in tokens]


def parse(text: str) -> list[Token]:
    """Tokens of `text` (CommonMark with tables, as the DOCX writer reads it)."""
    swap = TOKEN in text and len(TOKEN) == len(_PLACEHOLDER) and _PLACEHOLDER not in text
    stored_text = text.replace(TOKEN, _PLACEHOLDER) if swap else text
    key = memo.key(_FORMAT, stored_text)
    tokens = memo.get("markdown", key)
    if tokens is None:
        if not _PARSER:
            _PARSER.append(markdown_parser())
        tokens = [_light(tok) for tok in _PARSER[0].parse(stored_text)]
        memo.put("markdown", key, tokens)
    return _swap(tokens, _PLACEHOLDER, TOKEN) if swap else tokens


def lone_image(tokens, i: int):
    """The image token of a top-level paragraph that holds nothing but `![keterangan](berkas)` (a captioned figure
    in prose), else None."""
    if tokens[i].type != "paragraph_open" or tokens[i].level != 0 or i + 1 >= len(tokens) \
            or tokens[i + 1].type != "inline":
        return None                      # a picture in a list, quote or table is not a figure
    children = [c for c in tokens[i + 1].children or ()
                if c.type not in ("softbreak", "hardbreak") and not (c.type == "text" and not c.content.strip())]
    return children[0] if len(children) == 1 and children[0].type == "image" else None
