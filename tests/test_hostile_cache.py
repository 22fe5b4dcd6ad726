"""Hostile corpus for the build cache (lkjip/base/memo.py) and the figure cache (output/.cache/gambar), issue 19: what
someone who can write into LKJIP_CACHE or the output folder plants there never runs, never crashes a build, is
never deleted unless the cache wrote it, and never makes a build read a file outside the cache.

Every case runs `check` or `report` in this process (cli.main) and asserts its exit code, that the problems it
prints are those of a build without cache, and that nothing outside the cache was touched."""
from __future__ import annotations

import hashlib
import json
import marshal
import os
import pickle
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from lkjip import cli
from lkjip.load import content as load
from lkjip.base import memo
from lkjip.validate import schema
from lkjip.render import figures, prose

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
KINDS = ("yaml", "valid", "jinja", "markdown")
ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="os.chown needs root")
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="ownership and modes are POSIX")
OTHER_UID = 4242
SLOW = pytest.mark.slow                 # the rest of a class: `make test-slow`


class _Boom:
    """A pickle whose loading runs a shell command (creates the marker file)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def _payload(marker: Path) -> bytes:
    return pickle.dumps(_Boom(marker), protocol=5)


def _forget():
    """Drop this process's copies and cache state, so that the next build reads the disk cache (or computes)."""
    load._PARSED.clear()
    schema._VALIDATED.clear()
    memo._RECENT.clear()
    prose._ENVIRONMENTS.clear()
    known = memo._state.pop("store", None)
    if known and known[1] is not None:
        known[1].close()
    for name in ("warned", "pruned"):
        memo._state.pop(name, None)
    getattr(figures, "_PRIVATE", []).clear()


def _run(capsys, *argv) -> tuple[int, str, str]:
    _forget()
    capsys.readouterr()
    code = cli.main([*argv, "--content", str(CONTENT)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _tree(folder: Path) -> dict:
    """Every path under folder (links not followed) with its kind, size, mode, owner and content hash."""
    out = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else \
            os.readlink(path) if stat.S_ISLNK(st.st_mode) else ""
        out[str(path.relative_to(folder))] = (stat.S_IFMT(st.st_mode), st.st_size, st.st_mode, st.st_uid, digest)
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """(problems printed by `check` without cache, a warm cache folder made by `check`)."""
    base = tmp_path_factory.mktemp("hostile-cache")
    saved = os.environ.get(memo.ENV)
    try:
        os.environ[memo.ENV] = "0"
        _forget()
        plain = _check_output()
        os.environ[memo.ENV] = str(base / "cache")
        _forget()
        assert _check_output() == plain
    finally:
        if saved is None:
            os.environ.pop(memo.ENV, None)
        else:
            os.environ[memo.ENV] = saved
        _forget()
    assert {p.name for p in (base / "cache" / memo.fingerprint()[:20]).iterdir()} >= set(KINDS)
    return plain, base / "cache"


def _check_output() -> str:
    import contextlib
    import io
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["check", "--content", str(CONTENT)]) == 0
    return buffer.getvalue()


@pytest.fixture
def world(tmp_path, reference, monkeypatch):
    """A copy of the warm cache at tmp_path/cache (LKJIP_CACHE), a folder `outside` beside it with a file, and the
    marker path a planted payload would create."""
    cache = tmp_path / "cache"
    shutil.copytree(reference[1], cache, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "catatan.txt").write_text("milik pengguna\n", encoding="utf-8")
    monkeypatch.setenv(memo.ENV, str(cache))
    yield type("World", (), {"cache": cache, "outside": outside, "marker": tmp_path / "DIJALANKAN",
                             "version": cache / memo.fingerprint()[:20], "plain": reference[0],
                             "before": _tree(outside)})
    _forget()


def _entries(world, kind: str) -> list[Path]:
    return sorted((world.version / kind).glob("*.lkjc"))


def _assert_clean_check(world, capsys, warned: bool | None = False) -> str:
    code, out, err = _run(capsys, "check")
    assert code == 0, err
    assert out == world.plain
    assert not world.marker.exists()
    assert _tree(world.outside) == world.before
    if warned is not None:
        assert ("[cache-tidak-aman]" in err) == warned, err
    return err


def _entry_bytes(kind: str, entry: str, body: bytes, blobs: tuple = ()) -> bytes:
    """An entry exactly as the cache frames one (right magic, header and checksum) around any body."""
    digest = hashlib.sha256(body)
    for blob in blobs:
        digest.update(blob)
    lengths = ",".join(str(len(b)) for b in blobs) or "-"
    return memo.MAGIC + f"{kind} {entry} {digest.hexdigest()} {len(body)} {lengths}\n".encode() + body + b"".join(blobs)


def test_payload_would_run_if_unpickled(tmp_path):
    """The corpus's payload is real: unpickling it creates the marker (so its absence below means something)."""
    marker = tmp_path / "DIJALANKAN"
    pickle.loads(_payload(marker))
    assert marker.exists()


# --- pickles planted in every shape of cache folder ----------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", ["entry-replaced", "pickle-beside"])
def test_planted_pickle_never_runs(world, capsys, kind, shape):
    """Every entry of a kind overwritten by (or given beside it) a pickle that runs a command when loaded: the
    issue's example (earlier versions named their entries <key>.pickle)."""
    keys = sorted({p.stem for p in (world.version / kind).iterdir() if p.suffix in (".lkjc", ".pickle")})
    assert keys
    for key in keys:
        entry = world.version / kind / f"{key}.lkjc"
        if shape == "entry-replaced":
            entry.write_bytes(_payload(world.marker))
        else:
            entry.with_suffix(".pickle").write_bytes(_payload(world.marker))
    _assert_clean_check(world, capsys)


@pytest.mark.parametrize("shape", ["old-version-folder", "cache-root", "kind-root"])
def test_planted_pickle_in_other_folders_never_runs(world, capsys, shape):
    key = "a" * 64
    target = {"old-version-folder": world.cache / ("0" * 20) / "yaml" / f"{key}.pickle",
              "cache-root": world.cache / f"{key}.pickle",
              "kind-root": world.version / f"{key}.pickle"}[shape]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_payload(world.marker))
    _assert_clean_check(world, capsys)
    assert target.exists()


def test_pickle_inside_a_well_framed_entry_is_a_miss(world, capsys):
    for kind in KINDS:
        for entry in _entries(world, kind):
            entry.write_bytes(_entry_bytes(kind, entry.stem, _payload(world.marker)))
    _assert_clean_check(world, capsys)


# --- damaged, truncated or foreign entries: a miss, rebuilt ---------------------------------------------------

def _damage(world, how: str) -> None:
    for kind in KINDS:
        entries = _entries(world, kind)
        for i, entry in enumerate(entries):
            data = entry.read_bytes()
            body_at = data.index(b"\n", len(memo.MAGIC)) + 1
            if how == "empty":
                entry.write_bytes(b"")
            elif how == "truncated-json":
                entry.write_bytes(data[:body_at + (len(data) - body_at) // 2])
            elif how == "wrong-magic":
                entry.write_bytes(b"LKJIP-CACHE 9\n" + data[len(memo.MAGIC):])
            elif how == "flipped-byte":
                entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
            elif how == "other-key":
                entry.write_bytes(entries[(i + 1) % len(entries)].read_bytes() if len(entries) > 1 else b"")
            elif how == "other-kind":
                other = _entries(world, KINDS[(KINDS.index(kind) + 1) % len(KINDS)])[0]
                entry.write_bytes(other.read_bytes())
            elif how == "unknown-tag":
                entry.write_bytes(_entry_bytes(kind, entry.stem, b'{"os.system":["touch x"]}'))
            elif how == "json-nesting-bomb":
                entry.write_bytes(_entry_bytes(kind, entry.stem, b"[" * 200_000 + b"]" * 200_000))
            elif how == "wrong-shapes":
                entry.write_bytes(_entry_bytes(kind, entry.stem, b'{"Problem":[1,2]}'))
            elif how == "well-framed-other-shape":
                entry.write_bytes(_entry_bytes(kind, entry.stem, [b"1", b'"x"', b'{"t":[1,2]}', b"[1]"][i % 4]))
            elif how == "blob-out-of-range":
                entry.write_bytes(_entry_bytes(kind, entry.stem, b'{"b":7}'))
            elif how == "huge":
                with open(entry, "r+b") as handle:
                    handle.truncate(memo.MAX_ENTRY + 1)
            elif how == "directory":
                entry.unlink()
                entry.mkdir()
                (entry / "isi").write_text("x", encoding="utf-8")
            else:
                raise AssertionError(how)


@pytest.mark.parametrize("how", ["empty", "truncated-json", "wrong-magic", pytest.param("flipped-byte", marks=SLOW),
                                 "other-key", pytest.param("other-kind", marks=SLOW), "unknown-tag",
                                 "well-framed-other-shape", pytest.param("json-nesting-bomb", marks=SLOW),
                                 pytest.param("wrong-shapes", marks=SLOW),
                                 pytest.param("blob-out-of-range", marks=SLOW), "huge", "directory"])
def test_damaged_entries_are_a_miss(world, capsys, how):
    _damage(world, how)
    _assert_clean_check(world, capsys)
    if how == "directory":                        # a folder in an entry's place is left alone
        assert all(p.is_dir() and (p / "isi").exists() for p in _entries(world, "yaml"))


def test_a_damaged_entry_is_rewritten(world, capsys):
    _damage(world, "truncated-json")
    _assert_clean_check(world, capsys)
    for kind in KINDS:
        for entry in _entries(world, kind):
            assert memo.decode(kind, entry.stem, entry.read_bytes()) is not None


# --- folders and entries someone else can write: warned once, not used ----------------------------------------

def _entry(world) -> Path:
    return _entries(world, "yaml")[0]


def _plant_jinja_code(world, only: Path | None = None) -> None:
    """Every compiled template (or only `only`) replaced by well-framed code that would create the marker when
    run: what someone who can write there could plant."""
    code = marshal.dumps(compile(f"import os\nos.system(\"touch '{world.marker}'\")\n", "<tanam>", "exec"))
    for entry in [only] if only else _entries(world, "jinja"):
        entry.write_bytes(_entry_bytes("jinja", entry.stem, b'{"b":0}', (code,)))
        entry.chmod(0o600)


@POSIX_ONLY
@pytest.mark.parametrize("where", ["cache", "version", "kind", "entry"])
@pytest.mark.parametrize("bits", [0o002, pytest.param(0o020, marks=SLOW)])
def test_writable_by_others_is_not_used(world, capsys, where, bits):
    target = {"cache": world.cache, "version": world.version, "kind": world.version / "jinja",
              "entry": _entries(world, "jinja")[0]}[where]
    _plant_jinja_code(world, target if where == "entry" else None)
    target.chmod(target.stat().st_mode | bits)
    before = _tree(world.cache)
    err = _assert_clean_check(world, capsys, warned=True)
    assert err.count("[cache-tidak-aman]") == 1
    if where != "entry":                          # nothing read or written there
        assert _tree(world.cache) == before


@POSIX_ONLY
@ROOT_ONLY
@pytest.mark.parametrize("where", ["cache", "version", "kind", "entry"])
def test_owned_by_another_user_is_not_used(world, capsys, where):
    target = {"cache": world.cache, "version": world.version, "kind": world.version / "jinja",
              "entry": _entries(world, "jinja")[0]}[where]
    _plant_jinja_code(world, target if where == "entry" else None)
    os.chown(target, OTHER_UID, OTHER_UID)
    err = _assert_clean_check(world, capsys, warned=True)
    assert str(OTHER_UID) in err


@POSIX_ONLY
@ROOT_ONLY
def test_cache_linked_to_another_users_folder_is_not_used(world, capsys, tmp_path, monkeypatch):
    os.chown(world.cache, OTHER_UID, OTHER_UID)
    _plant_jinja_code(world)
    link = tmp_path / "tautan"
    link.symlink_to(world.cache)
    monkeypatch.setenv(memo.ENV, str(link))
    _assert_clean_check(world, capsys, warned=True)


@POSIX_ONLY
def test_cache_folder_that_is_a_link_to_the_users_own_folder_is_used(world, capsys, tmp_path, monkeypatch):
    link = tmp_path / "tautan"
    link.symlink_to(world.cache)
    monkeypatch.setenv(memo.ENV, str(link))
    _assert_clean_check(world, capsys, warned=False)


@POSIX_ONLY
@pytest.mark.parametrize("where", ["version", "kind", "entry"])
def test_links_below_the_cache_folder_are_not_followed(world, capsys, tmp_path, where):
    """A link placed where the cache keeps a folder or an entry (even to the user's own, valid data) is refused."""
    elsewhere = tmp_path / "outside" / "salinan"
    target = {"version": world.version, "kind": world.version / "jinja", "entry": _entries(world, "jinja")[0]}[where]
    _plant_jinja_code(world, target if where == "entry" else None)
    shutil.move(target, elsewhere)
    target.symlink_to(elsewhere)
    before = _tree(world.outside)
    world.before = before
    _assert_clean_check(world, capsys, warned=True)


@POSIX_ONLY
@pytest.mark.parametrize("special", ["fifo", "dev-zero", "outside-file"])
def test_special_files_in_place_of_entries(world, capsys, special):
    entry = _entry(world)
    entry.unlink()
    if special == "fifo":
        os.mkfifo(entry, 0o600)
    elif special == "dev-zero":
        entry.symlink_to("/dev/zero")
    else:
        entry.symlink_to(world.outside / "catatan.txt")
    _assert_clean_check(world, capsys, warned=True)


# --- pruning deletes only the cache's own entries ------------------------------------------------------------

def _foreign(world) -> dict[str, Path]:
    key = "b" * 64
    files = {
        "notes-pickle": world.cache / "catatan.pickle",
        "strict-name-not-a-pickle": world.cache / ("1" * 20) / "yaml" / f"{key}.pickle",
        "strict-name-no-magic": world.version / "yaml" / f"{'c' * 64}.lkjc",
        "loose-name": world.version / "yaml" / "laporan.lkjc",
        "user-folder": world.cache / "dokumen" / "laporan-final.docx",
        "other-kind-name": world.version / "Data Saya" / f"{key}.lkjc",
    }
    for name, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"milik pengguna: " + name.encode() + b"\n" * 4096)
    return files


@pytest.mark.parametrize("keep_name", ["notes-pickle", "strict-name-not-a-pickle", "strict-name-no-magic",
                                       pytest.param("loose-name", marks=SLOW), pytest.param("user-folder", marks=SLOW),
                                       pytest.param("other-kind-name", marks=SLOW)])
def test_pruning_keeps_files_the_cache_did_not_write(world, capsys, monkeypatch, keep_name):
    _damage(world, "truncated-json")              # so that the check writes and prunes
    files = _foreign(world)
    legacy = world.cache / ("2" * 20) / "yaml" / f"{'d' * 64}.pickle"        # an earlier version's entry
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(pickle.dumps({"lama": 1}, protocol=5))
    os.utime(legacy, (1, 1))
    link = world.version / "valid" / f"{'e' * 64}.lkjc"           # a link to a file outside that looks like an entry
    (world.outside / "mirip-entri").write_bytes(memo.MAGIC + b"x")
    link.symlink_to(world.outside / "mirip-entri")
    world.before = _tree(world.outside)
    for path in world.cache.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (2, 2))                # older than what this check writes
    monkeypatch.setattr(memo, "MAX_BYTES", 1)
    (world.cache / ".dipangkas").unlink(missing_ok=True)
    _assert_clean_check(world, capsys)
    assert files[keep_name].exists() and files[keep_name].read_bytes().startswith(b"milik pengguna")
    assert link.is_symlink()
    assert not legacy.exists()                    # the cache's own, by name and header
    assert not [p for p in world.version.rglob("*.lkjc") if p.is_file() and not p.is_symlink()
                and p.read_bytes().startswith(memo.MAGIC) and p.stat().st_mtime < 10]


@ROOT_ONLY
def test_pruning_keeps_entries_owned_by_another_user(world, capsys, monkeypatch):
    entry = _entry(world)
    os.chown(entry, OTHER_UID, OTHER_UID)
    data = entry.read_bytes()
    os.utime(entry, (1, 1))
    monkeypatch.setattr(memo, "MAX_BYTES", 1)
    (world.cache / ".dipangkas").unlink(missing_ok=True)
    memo._state["pruned"] = False
    memo.put("uji", memo.key("x"), 1)             # a write, then pruning, without reading that entry
    assert entry.read_bytes() == data


# --- values of LKJIP_CACHE that turn it off ------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0", "false", pytest.param("no", marks=SLOW), "none",
                                   pytest.param("off", marks=SLOW),
                                   "tidak", pytest.param("nonaktif", marks=SLOW), pytest.param("FALSE", marks=SLOW),
                                   " Off ", pytest.param("None", marks=SLOW)])
def test_off_values_turn_the_cache_off_and_create_nothing(tmp_path, capsys, monkeypatch, value, reference):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(memo.ENV, value)
    code, out, err = _run(capsys, "check")
    assert code == 0 and out.replace(f"{CONTENT}{os.sep}", f"content{os.sep}") == reference[0]
    assert memo.folder() is None
    assert list(tmp_path.iterdir()) == []


# --- the figure cache ----------------------------------------------------------------------------------------

@pytest.fixture
def figure_world(tmp_path, built_2022, monkeypatch):
    """An output folder whose figure cache is a copy of a finished build's, and the DOCX that build wrote."""
    out = tmp_path / "out"
    shutil.copytree(built_2022.parent / ".cache" / "gambar", out / ".cache" / "gambar")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "foto.png").write_bytes(b"\x89PNG\r\n\x1a\nmilik pengguna")
    monkeypatch.setenv(memo.ENV, str(tmp_path / "cache"))
    return out, outside, built_2022.read_bytes()


def _report(capsys, out: Path) -> int:
    code, _out, err = _run(capsys, "report", "--output", str(out))
    assert "Traceback" not in err
    return code


def _pictures(docx: bytes) -> dict:
    with zipfile.ZipFile(__import__("io").BytesIO(docx)) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}


def _spoil(png: Path, how: str, outside: Path) -> None:
    data = png.read_bytes()
    png.unlink()
    if how == "zero-length":
        png.write_bytes(b"")
    elif how == "garbage":
        png.write_bytes(os.urandom(2048))
    elif how == "truncated":
        png.write_bytes(data[:len(data) // 2])
    elif how == "bad-crc":
        png.write_bytes(data[:40] + bytes([data[40] ^ 0xFF]) + data[41:])
    elif how == "no-iend":
        png.write_bytes(data[:-12])
    elif how == "signature-only":
        png.write_bytes(b"\x89PNG\r\n\x1a\n")
    elif how == "link-outside":
        png.symlink_to(outside / "foto.png")
    elif how == "link-dev-zero":
        png.symlink_to("/dev/zero")
    elif how == "fifo":
        os.mkfifo(png, 0o600)
    elif how == "directory":
        png.mkdir()
        (png / "catatan.txt").write_text("milik pengguna", encoding="utf-8")
    elif how == "world-writable":
        png.write_bytes(data)
        png.chmod(0o666)
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["zero-length", pytest.param("garbage", marks=SLOW), "truncated",
                                 pytest.param("bad-crc", marks=SLOW), pytest.param("no-iend", marks=SLOW),
                                 pytest.param("signature-only", marks=SLOW), "link-outside",
                                 pytest.param("link-dev-zero", marks=SLOW), pytest.param("fifo", marks=SLOW),
                                 "directory", pytest.param("world-writable", marks=SLOW)])
def test_unusable_cached_figure_is_redrawn(figure_world, capsys, how):
    out, outside, expected = figure_world
    pngs = sorted((out / ".cache" / "gambar").glob("*.png"))
    victim = pngs[0]
    _spoil(victim, how, outside)
    before = _tree(outside)
    assert _report(capsys, out) == 0
    assert _pictures((out / "lkjip-2022.docx").read_bytes()) == _pictures(expected)
    assert _tree(outside) == before
    if how == "directory":
        assert (victim / "catatan.txt").exists()
    else:
        assert figures.cached_png_ok(victim)      # replaced by a whole PNG: the next report reads it
    assert _report(capsys, out) == 0              # and every later report works
    assert _pictures((out / "lkjip-2022.docx").read_bytes()) == _pictures(expected)


@POSIX_ONLY
@pytest.mark.parametrize("how", ["world-writable-folder", pytest.param("group-writable-folder", marks=SLOW),
                                 pytest.param("folder-link-to-others", marks=SLOW),
                                 pytest.param("other-owner", marks=SLOW), pytest.param("dangling-link", marks=SLOW),
                                 pytest.param("file", marks=SLOW)])
def test_figure_folder_someone_else_can_write_is_not_read(figure_world, capsys, how, tmp_path):
    out, outside, expected = figure_world
    folder = out / ".cache" / "gambar"
    if how in ("folder-link-to-others", "other-owner") and os.geteuid() != 0:
        pytest.skip("os.chown needs root")
    planted = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    for png in folder.glob("*.png"):
        png.write_bytes(planted)
    if how == "world-writable-folder":
        folder.chmod(0o777)
    elif how == "group-writable-folder":
        folder.chmod(0o770)
    elif how == "other-owner":
        os.chown(folder, OTHER_UID, OTHER_UID)
    elif how in ("dangling-link", "file"):
        shutil.rmtree(folder)
        folder.symlink_to(tmp_path / "tidak-ada") if how == "dangling-link" else folder.write_text("catatan")
    else:
        theirs = tmp_path / "punya-orang-lain"
        shutil.move(folder, theirs)
        os.chown(theirs, OTHER_UID, OTHER_UID)
        folder.symlink_to(theirs)
    before = _tree(tmp_path / "punya-orang-lain") if how == "folder-link-to-others" else \
        _tree(folder) if folder.is_dir() else {}
    code, _o, err = _run(capsys, "report", "--output", str(out))
    assert code == 0 and "[cache-tidak-aman]" in err
    assert _pictures((out / "lkjip-2022.docx").read_bytes()) == _pictures(expected)
    after = _tree(tmp_path / "punya-orang-lain") if how == "folder-link-to-others" else \
        _tree(folder) if folder.is_dir() else {}
    assert after == before                        # not written either
    if how in ("dangling-link", "file"):
        assert folder.is_symlink() if how == "dangling-link" else folder.read_text() == "catatan"
        assert not (tmp_path / "tidak-ada").exists()


def test_cache_format_round_trips_every_carried_type():
    import datetime
    from decimal import Decimal

    from lkjip.base.frozen import FrozenDict
    from lkjip.base.problems import Problem
    from lkjip.render.mdparse import Token
    from lkjip.load.yamlsafe import Document
    frozen = FrozenDict({"a": (1, Decimal("-0.50")), 2: None})
    frozen.origin = ("f.yaml", 3, "a")
    value = {
        "frozen": frozen, ("t", 1): [1.5, float("inf"), True, None, "\ud800 é", b"\x00\xff", Decimal("1E+3")],
        "doc": Document("x.yaml", {"a": [1, {"b": 2}]}, {(): 1, ("a",): 1, ("a", 1, "b"): 2}),
        "p": Problem("", 3, "a.b", "kode", "warning", "pesan"),
        "tok": Token("inline", "", "teks", {"href": "x"}, [0, 1], 1, [Token("text", "", "t", {}, None, 2, None)]),
        "dates": (datetime.date(2022, 12, 31), datetime.datetime(2022, 1, 2, 3, 4, 5)),
    }
    data = memo.encode("uji", "0" * 64, value)
    back = memo.decode("uji", "0" * 64, data)
    assert back["frozen"] == frozen and back["frozen"].origin == frozen.origin and type(back["frozen"]) is FrozenDict
    assert back[("t", 1)] == value[("t", 1)] and type(back[("t", 1)][-1]) is Decimal
    assert back["doc"] == value["doc"] and back["p"] == value["p"] and back["dates"] == value["dates"]
    assert (back["tok"].children[0].content, back["tok"].attrs, back["tok"].map) == ("t", {"href": "x"}, [0, 1])
    head = memo._HEADER.match(data, len(memo.MAGIC))
    body = data[head.end():head.end() + int(head.group(4))]
    assert json.loads(body.decode("utf-8", "surrogatepass"))["d"]       # the body is JSON; bytes come after it
    with pytest.raises(TypeError):
        memo.encode("uji", "0" * 64, {"x": object()})
    with pytest.raises(Exception):
        memo.decode("uji", "1" * 64, data)


@POSIX_ONLY
def test_build_py_check_with_a_hostile_world_writable_cache(tmp_path, reference):
    """The whole command in its own process: a world-writable cache full of planted pickles and code; exit 0, the
    problems of a build without cache, one warning, nothing run, nothing written there."""
    import subprocess
    import sys
    cache = tmp_path / "cache"
    shutil.copytree(reference[1], cache)
    marker = tmp_path / "DIJALANKAN"
    code = marshal.dumps(compile(f"import os\nos.system(\"touch '{marker}'\")\n", "<tanam>", "exec"))
    for entry in cache.rglob("*.lkjc"):
        kind = entry.parent.name
        entry.write_bytes(_entry_bytes(kind, entry.stem, b'{"b":0}', (code,)) if kind == "jinja" else _payload(marker))
        entry.with_suffix(".pickle").write_bytes(_payload(marker))
    cache.chmod(0o777)
    before = _tree(cache)
    env = {**os.environ, memo.ENV: str(cache)}
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "check"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == reference[0]
    assert done.stderr.count("[cache-tidak-aman]") == 1 and str(cache) in done.stderr
    assert not marker.exists() and _tree(cache) == before
