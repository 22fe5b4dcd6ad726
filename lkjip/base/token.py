"""Ground floor: the light Markdown token that mdparse produces and the build cache (memo.py) stores.
It imports nothing of the project's, so the cache can decode tokens without importing the parser."""
from __future__ import annotations


class Token:
    __slots__ = ("type", "tag", "content", "attrs", "map", "level", "children")

    def __init__(self, type, tag, content, attrs, map, level, children):  # noqa: A002 - markdown-it's names
        self.type, self.tag, self.content, self.attrs = type, tag, content, attrs
        self.map, self.level, self.children = map, level, children

    def __reduce__(self):
        return (Token, (self.type, self.tag, self.content, self.attrs, self.map, self.level, self.children))
