"""Robustness corpus (issue 12): several hundred generated mutations of the real content.

Every mutation runs `report` in-process on one reused content tree (restored after each case): the exit code,
the problem code at file:line, no traceback and an untouched output folder are asserted. Mutations that check
accepts are built together into one DOCX here (every mutated text and every prose paragraph must be in it);
`-m slow` builds each of them on its own.
"""
from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from lkjip import cli, pipeline
from lkjip.load import content as load
from lkjip.render.mdparse import markdown_parser
from lkjip.render.text import docx_text

from conftest import CONTENT
from robust_corpus import Tree, all_mutations

@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    base = tmp_path_factory.mktemp("robust")
    shutil.copytree(CONTENT, base / "content")
    outside = base / "luar"
    outside.mkdir()
    (outside / "rahasia.txt").write_text("ISI RAHASIA DI LUAR KONTEN\n", encoding="utf-8")
    from robust_corpus import _png
    (outside / "gambar.png").write_bytes(_png())
    output = base / "keluaran"
    output.mkdir()
    (output / "lkjip-2022.docx").write_bytes(b"docx lama")
    (output / "lkjip-2022.md").write_bytes(b"md lama")
    t = Tree(base / "content")
    t.output = output
    yield t
    t.restore()


MUTATIONS = all_mutations(Path("/nonexistent"))         # for the ids; the cases are rebuilt for the test tree
_BY_TREE: dict = {}


def _mutations_for(tree):
    if id(tree) not in _BY_TREE:
        _BY_TREE[id(tree)] = {m.id: m for m in all_mutations(tree.root.parent / "luar")}
    return _BY_TREE[id(tree)]


def _snapshot(folder):
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir() if p.is_file())


def test_corpus_is_large_and_ids_unique():
    ids = [m.id for m in MUTATIONS]
    assert len(ids) == len(set(ids))
    assert len([m for m in MUTATIONS if not m.slow]) >= 250         # in `make test`; all of them with -m slow
    per_category = Counter(m.category for m in MUTATIONS)
    assert all(per_category[c] >= 5 for c in ("yaml", "encoding", "numbers", "dates", "text", "markdown", "jinja",
                                              "files", "organisation")), per_category


@pytest.mark.parametrize("mutation_id", [pytest.param(m.id, marks=[pytest.mark.slow] if m.slow else [])
                                         for m in MUTATIONS])
def test_mutation(tree, mutation_id, capsys):
    mutation = _mutations_for(tree)[mutation_id]
    before = _snapshot(tree.output)
    try:
        where = mutation.apply(tree)
        command = "check" if mutation.passes else "report"
        argv = [command, "--content", str(tree.root), "--year", "2022"]
        rc = cli.main(argv + (["--output", str(tree.output)] if command == "report" else []))
        out, err = capsys.readouterr()
    finally:
        tree.restore()
    assert "Traceback" not in out + err
    assert _snapshot(tree.output) == before                    # nothing written, nothing half-written
    if mutation.code is None:
        assert rc == 0, out
        assert " error [" not in out, out
        return
    assert rc == (0 if mutation.severity == "warning" else 1), out + err
    rel, line = where
    file = load.relpath(tree.root / rel)
    codes = (mutation.code,) + tuple(mutation.codes)
    located = [f"{file}:{line}: {mutation.severity} [{c}]" if line else f"{file}: {mutation.severity} [{c}]" for c in codes]
    assert any(loc in out for loc in located), f"{located} not in:\n{out[:3000]}"


# --- builds of the mutations check accepts --------------------------------------------------------------------

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def prose_paragraphs(rendered: dict) -> list[str]:
    """Plain text of every paragraph, heading, list item, table cell and code block of the rendered prose."""
    out = []
    for markdown in rendered.values():
        for tok in markdown_parser().parse(markdown):
            if tok.type == "inline":
                parts, links = [], []
                for child in tok.children or ():
                    if child.type in ("text", "code_inline"):
                        parts.append(child.content)
                    elif child.type == "link_open":
                        links.append((child.attrs.get("href", ""), len(parts)))
                    elif child.type == "link_close":
                        href, first = links.pop()
                        if href not in ("".join(parts[first:]), "mailto:" + "".join(parts[first:])):
                            parts.append(f" ({href})")          # links print their address after the text
                text = "".join(parts)
                if text.strip():
                    out.append(text)
            elif tok.type in ("fence", "code_block"):
                out.append(tok.content)
    return out


def assert_complete(result, markers=()):
    """The DOCX holds every prose paragraph and every marker text; the .md beside it is from the same build."""
    text = _squash(docx_text(result.output))
    missing = [p for p in prose_paragraphs(result.prose) if _squash(p) not in text]
    assert not missing, missing[:5]
    for marker in markers:
        assert _squash(marker) in text, marker
    assert "ISI RAHASIA" not in text
    assert result.output.with_suffix(".md").is_file()


def test_accepted_mutations_build_together(tree, tmp_path):
    """All accepted mutations that touch different values at once: one build, every marker in the DOCX."""
    mutations = [m for m in _mutations_for(tree).values() if m.passes and m.category in ("text", "markdown")]
    assert len(mutations) >= 25
    try:
        for mutation in mutations:
            mutation.apply(tree)
        result = pipeline.report(tree.root, 2022, tmp_path)
        assert result.output is not None, [p.format() for p in result.problems if p.severity == "error"]
        assert_complete(result, [m for mutation in mutations for m in mutation.markers])
    finally:
        tree.restore()


@pytest.mark.slow
@pytest.mark.parametrize("mutation_id", [m.id for m in MUTATIONS if m.passes])
def test_accepted_mutation_builds(tree, mutation_id, tmp_path):
    mutation = _mutations_for(tree)[mutation_id]
    try:
        mutation.apply(tree)
        result = pipeline.report(tree.root, 2022, tmp_path)
        assert result.output is not None, [p.format() for p in result.problems if p.severity == "error"]
        assert_complete(result, mutation.markers)
    finally:
        tree.restore()
