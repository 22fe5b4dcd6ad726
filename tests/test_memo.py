"""The build cache (lkjip/base/memo.py): a cached step gives what the step computes, across processes and per-process
directive tokens; a damaged entry is recomputed; the cache can be turned off."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lkjip.load import content as load
from lkjip.base import memo
from lkjip import pipeline
from lkjip.validate import schema
from lkjip.render import prose

ROOT = Path(__file__).resolve().parent.parent


def _forget():
    """Drop this process's copies, so that the next check reads the disk cache (or computes)."""
    load._PARSED.clear()
    schema._VALIDATED.clear()
    memo._RECENT.clear()
    prose._ENVIRONMENTS.clear()


def _problems(root, year=2022):
    _forget()
    result = pipeline.check(root, year)
    return [p.format() for p in result.problems], result.plan.markdown if result.plan else None


def test_cached_check_equals_computed_check(content, tmp_path, monkeypatch):
    (content / "2022" / "program.yaml").write_text(
        (content / "2022" / "program.yaml").read_text(encoding="utf-8").replace("pagu: 10020000", "pagu: 10.020.000", 1),
        encoding="utf-8")
    monkeypatch.setenv(memo.ENV, "0")
    computed = _problems(content)
    assert any("[angka-berformat]" in p for p in computed[0])
    monkeypatch.setenv(memo.ENV, str(tmp_path / "cache"))
    assert _problems(content) == computed                      # computed and stored
    assert _problems(content) == computed                      # read back from disk
    (content / "2022" / "program.yaml").write_text(                          # a warning: the whole plan is built
        (content / "2022" / "program.yaml").read_text(encoding="utf-8").replace("pagu: 10.020.000", "pagu: 10020000", 1)
        + "\n", encoding="utf-8")
    (content / "2022" / "lain.yaml").write_text("a: 1\n", encoding="utf-8")
    monkeypatch.setenv(memo.ENV, "0")
    computed = _problems(content)
    assert any("[berkas-tidak-dikenal]" in p for p in computed[0]) and computed[1] is not None
    monkeypatch.setenv(memo.ENV, str(tmp_path / "cache"))
    assert _problems(content)[0] == computed[0] and _problems(content)[0] == computed[0]
    assert {p.name for p in (tmp_path / "cache" / memo.fingerprint()[:20]).iterdir()} >= {"yaml", "valid", "jinja",
                                                                                          "markdown"}


def test_damaged_entries_are_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv(memo.ENV, str(tmp_path / "cache"))
    expected = _problems(ROOT / "content")
    for entry in (tmp_path / "cache").rglob("*.lkjc"):
        entry.write_bytes(b"\x80\x05rusak")
    assert _problems(ROOT / "content") == expected


def test_cache_off_stores_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(memo.ENV, "0")
    memo.put("uji", memo.key("a"), 1)
    assert memo.folder() is None and memo.get("uji", memo.key("a"), "tidak ada") == "tidak ada"


def test_entries_remembered_in_process_belong_to_their_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(memo.ENV, str(tmp_path / "satu"))
    memo.put("uji", memo.key("b"), 1)
    assert memo.get("uji", memo.key("b")) == 1
    monkeypatch.setenv(memo.ENV, str(tmp_path / "dua"))            # another cache: the first one's entry is unknown
    assert memo.get("uji", memo.key("b"), "tidak ada") == "tidak ada"
    monkeypatch.setenv(memo.ENV, "0")
    assert memo.get("uji", memo.key("b"), "tidak ada") == "tidak ada"


def _run(args, cache):
    env = {**os.environ, memo.ENV: str(cache), "LKJIP_TANPA_TATA_LETAK": "1"}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)


def test_warm_cache_in_new_processes_gives_the_same_report(tmp_path, built_2022):
    """Each process draws its own directive token: compiled outline and parsed outline Markdown from the cache
    still carry genuine directives, and the DOCX is the same byte for byte."""
    cache, out = tmp_path / "cache", tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    os.symlink(built_2022.parent / ".cache" / "gambar", out / ".cache" / "gambar")      # no drawing
    first = _run(["check"], cache)
    second = _run(["check"], cache)
    assert first.returncode == second.returncode == 0 and first.stdout == second.stdout
    assert _run(["report", "--output", str(out)], cache).returncode == 0
    assert (out / "lkjip-2022.docx").read_bytes() == built_2022.read_bytes()


def test_warm_check_loads_no_parser_or_validator(tmp_path):
    """With every file cached, check does not even import PyYAML, cerberus, markdown-it or python-docx."""
    cache = tmp_path / "cache"
    assert _run(["check"], cache).returncode == 0
    code = ("import sys; from pathlib import Path; from lkjip import pipeline; "
            "r = pipeline.check(Path('content'), 2022); assert r.plan is not None; "
            "print(sorted(m for m in ('yaml', 'cerberus', 'markdown_it', 'docx', 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, memo.ENV: str(cache)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_entries_are_framed_json_never_pickle(tmp_path, monkeypatch):
    """Every entry a check writes is MAGIC + header naming its kind and key + JSON (+ blobs), private to the user;
    the module has no pickle (issue 19)."""
    monkeypatch.setenv(memo.ENV, str(tmp_path / "cache"))
    _problems(ROOT / "content")
    entries = list((tmp_path / "cache").rglob("*.lkjc"))
    assert entries and not list((tmp_path / "cache").rglob("*.pickle"))
    for entry in entries:
        data = entry.read_bytes()
        assert data.startswith(memo.MAGIC)
        assert data[len(memo.MAGIC):].split(b" ", 2)[:2] == [entry.parent.name.encode(), entry.stem.encode()]
        assert memo.decode(entry.parent.name, entry.stem, data) is not None
        if os.name == "posix":
            assert entry.stat().st_mode & 0o077 == 0 and entry.parent.stat().st_mode & 0o077 == 0
    source = (ROOT / "lkjip" / "base" / "memo.py").read_text(encoding="utf-8")
    assert "import pickle" not in source and "pickle.load" not in source and "marshal" not in source


def test_page_map_shared_across_output_folders(tmp_path, monkeypatch):
    """Issue 24 item 6: the layout pass runs once per document, whichever output folder asks (report --all into two
    folders, a cleaned output folder); a damaged shared entry is measured again, never trusted."""
    from lkjip.render import layout
    monkeypatch.setenv(memo.ENV, str(tmp_path / "cache"))
    memo._RECENT.clear()
    runs = []

    def measure(data, cache_dir):
        runs.append(cache_dir)
        return {"pages": 7, "labels": {"_Toc1": "II.3"}, "letak": {"_Toc1": 3}, "ukuran": []}

    monkeypatch.setattr(layout, "measure", measure)
    key = "ab" * 32
    first = layout.page_map(key, tmp_path / "out-a" / ".cache", lambda: b"docx")
    memo._RECENT.clear()
    second = layout.page_map(key, tmp_path / "out-b" / ".cache", lambda: b"docx")
    assert first == second == {"pages": 7, "labels": {"_Toc1": "II.3"}, "letak": {"_Toc1": 3}, "ukuran": []}
    assert len(runs) == 1
    # another document is measured
    layout.page_map("cd" * 32, tmp_path / "out-b" / ".cache", lambda: b"docx")
    assert len(runs) == 2
    # cache off: the output folder's own copy still serves, a new folder measures
    monkeypatch.setenv(memo.ENV, "0")
    memo._RECENT.clear()
    layout.page_map(key, tmp_path / "out-c" / ".cache", lambda: b"docx")
    assert len(runs) == 3
