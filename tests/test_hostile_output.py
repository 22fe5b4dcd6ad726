"""Hostile output folders (issue 19, item 2): planted transaction records, output names taken by folders, links
and special files, --output variants. The output folder may be shared: whatever someone planted there, nothing
outside it is moved, deleted or changed, and what is refused names the file.

Every case snapshots the tree around the output folder (names, sizes, mtimes, modes) before and after.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from lkjip import cli
from lkjip.base import output

from conftest import CONTENT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links, FIFOs and owners")

JOURNAL = ".lkjip-2022.transaksi"
OLD = {"lkjip-2022.docx": b"docx lama", "lkjip-2022.md": b"md lama"}
NEW = {"lkjip-2022.docx": b"docx baru", "lkjip-2022.md": b"md baru"}
STAGE = ".lkjip-2022.4242-abcdef01.baru"


def snapshot(top: Path, skip: Path | None = None) -> dict:
    """name -> (kind, size, mtime, mode, link target) for everything under top except `skip`."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = here / name
            if skip is not None and path == skip:
                continue
            st = os.lstat(path)
            found[path.relative_to(top).as_posix()] = (
                stat.S_IFMT(st.st_mode), st.st_size if not stat.S_ISDIR(st.st_mode) else 0, st.st_mtime_ns,
                stat.S_IMODE(st.st_mode), os.readlink(path) if stat.S_ISLNK(st.st_mode) else None)
    return found


@pytest.fixture
def world(tmp_path, built_2022):
    """A home folder with secrets, a final report beside the output folder, and an output folder holding the
    previous build (with the drawn figures, so a build is quick)."""
    home = tmp_path / "rumah"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_bytes(b"RAHASIA")
    (home / "catatan.txt").write_bytes(b"catatan pribadi")
    (tmp_path / "laporan-final.docx").write_bytes(b"final yang sudah ditandatangani")
    out = tmp_path / "out"
    shutil.copytree(built_2022.parent / ".cache" / "gambar", out / ".cache" / "gambar")
    for name, data in OLD.items():
        (out / name).write_bytes(data)
    return tmp_path, out


def _visible(found: dict) -> dict:
    """A snapshot without what any build touches: the output folder's own entry, its lock and figure cache."""
    return {k: v for k, v in found.items()
            if k != "out" and not k.endswith(output.LOCK_NAME) and not k.startswith("out/.cache")}


def _report(out: Path, *extra) -> int:
    return cli.main(["report", "--content", str(CONTENT), "--output", str(out), *extra])


def _commit(folder: Path, files: dict) -> None:
    with output.transaction(folder, "lkjip-2022") as txn:
        for name, data in files.items():
            txn.write(name, data)


# --- planted transaction records -----------------------------------------------------------------------------

def _records(home: Path) -> dict:
    """id -> journal bytes; each names something it must not be obeyed on."""
    def rec(stage, files):
        return json.dumps({"stage": stage, "files": files}).encode()
    return {
        "stage-home-abs": rec(str(home), [".ssh"]),
        "stage-home-rel": rec("../rumah", [".ssh", "catatan.txt"]),
        "stage-dotdot": rec("..", ["laporan-final.docx"]),
        "stage-dot": rec(".", ["lkjip-2022.docx"]),
        "stage-abs-etc": rec("/etc", ["passwd"]),
        "files-dotdot": rec(STAGE, ["../laporan-final.docx"]),
        "files-absolute": rec(STAGE, [str(home / "catatan.txt")]),
        "files-ssh": rec(STAGE, [".ssh"]),
        "files-separator": rec(STAGE, ["sub/lkjip-2022.docx"]),
        "files-backslash": rec(STAGE, ["..\\laporan-final.docx"]),
        "files-nul": rec(STAGE, ["lkjip-2022.docx\x00../../laporan-final.docx"]),
        "stage-nul": rec(STAGE + "\x00/../..", ["lkjip-2022.docx"]),
        "stage-other-name": rec(".lkjip-2021.4242-abcdef01.baru", ["lkjip-2022.docx"]),
        "stage-not-ours-pattern": rec(".catatan.baru", ["lkjip-2022.docx"]),
        "files-other-year": rec(STAGE, ["koreksi-2021.md", "lkjip-2021.docx"]),
        "files-user-file": rec(STAGE, ["catatan-rapat.txt"]),
        "files-empty": rec(STAGE, []),
        "files-repeated": rec(STAGE, ["lkjip-2022.docx", "lkjip-2022.docx"]),
        "files-string": json.dumps({"stage": STAGE, "files": "lkjip-2022.docx"}).encode(),
        "files-number": json.dumps({"stage": STAGE, "files": [1, 2]}).encode(),
        "stage-number": json.dumps({"stage": 5, "files": ["lkjip-2022.docx"]}).encode(),
        "stage-list": json.dumps({"stage": [STAGE], "files": ["lkjip-2022.docx"]}).encode(),
        "extra-key": json.dumps({"stage": STAGE, "files": ["lkjip-2022.docx"], "hapus": ["/"]}).encode(),
        "json-array": b'["stage", "files"]',
        "json-garbage": b"{rusak",
        "json-deep": b"[" * 200000,
        "not-utf8": b'{"stage": "\xff\xfe", "files": []}',
        "huge": rec(STAGE, ["lkjip-2022.docx"] + ["x" * 1000] * 100),
        "empty": b"",
    }


RECORD_IDS = list(_records(Path("/x")))


@pytest.mark.parametrize("case", RECORD_IDS)
def test_planted_record_is_ignored(case, world, capsys):
    tmp, out = world
    home = tmp / "rumah"
    stage = out / STAGE                           # a real staging-looking folder holding a user's file
    stage.mkdir()
    (stage / "lkjip-2022.docx").write_bytes(b"bukan dari lkjip")
    (out / "catatan-rapat.txt").write_bytes(b"notulen")
    (out / JOURNAL).write_bytes(_records(home)[case])
    before = snapshot(tmp, skip=out)
    notes = (out / "catatan-rapat.txt").read_bytes()
    code = _report(out)
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"{(out / JOURNAL).as_posix()}: peringatan:" in err and "diabaikan" in err
    assert snapshot(tmp, skip=out) == before                                   # nothing outside changed
    assert (out / "catatan-rapat.txt").read_bytes() == notes                   # nor a user's file inside
    assert (out / "lkjip-2022.docx").read_bytes().startswith(b"PK")          # the build itself went on
    assert not (out / JOURNAL).exists()


def test_planted_stage_is_a_symlink_to_home(world, capsys):
    tmp, out = world
    home = tmp / "rumah"
    os.symlink(home, out / STAGE)
    (out / JOURNAL).write_text(json.dumps({"stage": STAGE, "files": ["lkjip-2022.docx"]}), encoding="utf-8")
    (home / "lkjip-2022.docx").write_bytes(b"milik orang lain")
    before = snapshot(tmp, skip=out)
    assert _report(out) == 0
    err = capsys.readouterr().err
    assert JOURNAL in err and "bukan folder" in err
    assert snapshot(tmp, skip=out) == before
    assert (home / "lkjip-2022.docx").read_bytes() == b"milik orang lain"


def test_planted_stage_owned_by_another_user(world, capsys):
    if os.geteuid() != 0:
        pytest.skip("needs root to give a folder to another user")
    tmp, out = world
    stage = out / STAGE
    stage.mkdir()
    (stage / "lkjip-2022.docx").write_bytes(b"dari pengguna lain")
    os.chown(stage, 65534, 65534)
    (out / JOURNAL).write_text(json.dumps({"stage": STAGE, "files": ["lkjip-2022.docx"]}), encoding="utf-8")
    before = snapshot(tmp, skip=out)
    assert _report(out) == 0
    err = capsys.readouterr().err
    assert JOURNAL in err and "bukan milik pengguna ini" in err
    assert snapshot(tmp, skip=out) == before
    assert (stage / "lkjip-2022.docx").read_bytes() == b"dari pengguna lain"        # not pulled in, not removed


def test_planted_journal_owned_by_another_user(world, capsys):
    if os.geteuid() != 0:
        pytest.skip("needs root to give a file to another user")
    tmp, out = world
    stage = out / STAGE
    stage.mkdir()
    (stage / "lkjip-2022.docx").write_bytes(b"tanam")
    journal = out / JOURNAL
    journal.write_text(json.dumps({"stage": STAGE, "files": ["lkjip-2022.docx"]}), encoding="utf-8")
    os.chown(journal, 65534, 65534)
    with output.folder_lock(out):
        output.recover(out)
    assert "bukan milik pengguna ini" in capsys.readouterr().err
    assert (out / "lkjip-2022.docx").read_bytes() == OLD["lkjip-2022.docx"]


def test_planted_journal_is_a_symlink_to_an_outside_record(world, capsys):
    tmp, out = world
    outside = tmp / "catatan-luar.json"
    stage = out / STAGE
    stage.mkdir()
    (stage / "lkjip-2022.docx").write_bytes(b"tanam")
    outside.write_text(json.dumps({"stage": STAGE, "files": ["lkjip-2022.docx"]}), encoding="utf-8")
    os.symlink(outside, out / JOURNAL)
    before = snapshot(tmp, skip=out)
    with output.folder_lock(out):
        output.recover(out)
    assert "bukan berkas biasa" in capsys.readouterr().err
    assert snapshot(tmp, skip=out) == before and not os.path.lexists(out / JOURNAL)
    assert (out / "lkjip-2022.docx").read_bytes() == OLD["lkjip-2022.docx"]


def test_planted_journal_is_a_fifo(world, capsys):
    tmp, out = world
    os.mkfifo(out / JOURNAL)
    before = snapshot(tmp, skip=out)
    _commit(out, NEW)                                      # never opened (it would hang), replaced by the commit
    assert "bukan berkas biasa" in capsys.readouterr().err
    assert snapshot(tmp, skip=out) == before
    assert {n: (out / n).read_bytes() for n in NEW} == NEW


def test_journal_with_an_odd_name_is_ignored(world, capsys):
    tmp, out = world
    odd = out / ".laporan.transaksi"
    odd.write_text(json.dumps({"stage": "..", "files": ["laporan-final.docx"]}), encoding="utf-8")
    before = snapshot(tmp, skip=out)
    _commit(out, NEW)
    assert ".laporan.transaksi: peringatan:" in capsys.readouterr().err
    assert snapshot(tmp, skip=out) == before


def test_journal_that_is_a_folder_stops_the_commit(world, capsys):
    tmp, out = world
    (out / JOURNAL).mkdir()
    (out / JOURNAL / "isi.txt").write_bytes(b"isi")
    before = snapshot(tmp, skip=out)
    code = _report(out)
    err = capsys.readouterr().err
    assert code == 3 and f"{(out / JOURNAL).as_posix()}:" in err
    assert snapshot(tmp, skip=out) == before
    assert (out / JOURNAL / "isi.txt").read_bytes() == b"isi"
    assert {n: (out / n).read_bytes() for n in OLD} == OLD
    assert not [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".baru"))]


# --- leftovers that only look like ours ----------------------------------------------------------------------

def test_leftover_stage_that_is_a_link_is_removed_as_a_link(world):
    tmp, out = world
    os.symlink(tmp / "rumah", out / ".lkjip-2022.1-ab.baru")
    os.symlink(tmp / "laporan-final.docx", out / ".lkjip-2022.docx.1-ab.tmp")
    before = snapshot(tmp, skip=out)
    _commit(out, NEW)
    assert snapshot(tmp, skip=out) == before
    assert not os.path.lexists(out / ".lkjip-2022.1-ab.baru") and not os.path.lexists(out / ".lkjip-2022.docx.1-ab.tmp")


def test_folder_named_tmp_is_not_removed(world):
    tmp, out = world
    (out / ".catatan.tmp").mkdir()
    (out / ".catatan.tmp" / "a.txt").write_bytes(b"a")
    _commit(out, NEW)
    assert (out / ".catatan.tmp" / "a.txt").read_bytes() == b"a"


# --- a genuine record still recovers -------------------------------------------------------------------------

class _Killed(BaseException):
    pass


@pytest.mark.parametrize("step", ["journal", "remove:1", "add:1"])
def test_genuine_record_is_completed(step, world, monkeypatch):
    tmp, out = world

    def fault(name):
        if name == step:
            raise _Killed()
    monkeypatch.setattr(output, "_fault", fault)
    monkeypatch.setattr(output.Transaction, "discard", lambda self: None)
    with pytest.raises(_Killed):
        _commit(out, NEW)
    monkeypatch.undo()
    record = json.loads((out / JOURNAL).read_text(encoding="utf-8"))
    assert output.STAGE.fullmatch(record["stage"])
    before = snapshot(tmp, skip=out)
    with output.folder_lock(out):
        output.recover(out)
    assert {n: (out / n).read_bytes() for n in NEW} == NEW
    assert not (out / JOURNAL).exists() and not list(out.glob("*.baru"))
    assert snapshot(tmp, skip=out) == before


def test_genuine_record_whose_target_became_a_folder(world, monkeypatch, capsys):
    tmp, out = world

    def fault(name):
        if name == "journal":
            raise _Killed()
    monkeypatch.setattr(output, "_fault", fault)
    monkeypatch.setattr(output.Transaction, "discard", lambda self: None)
    with pytest.raises(_Killed):
        _commit(out, NEW)
    monkeypatch.undo()
    (out / "lkjip-2022.md").unlink()
    (out / "lkjip-2022.md").mkdir()
    (out / "lkjip-2022.md" / "catatan.txt").write_bytes(b"punya pengguna")
    code = _report(out)
    err = capsys.readouterr().err
    assert code == 3 and f"{(out / 'lkjip-2022.md').as_posix()}: nama keluaran ini sudah dipakai oleh folder" in err
    assert (out / "lkjip-2022.md" / "catatan.txt").read_bytes() == b"punya pengguna"
    assert (out / JOURNAL).exists()                    # kept: the next run completes it once the name is free


# --- output names taken --------------------------------------------------------------------------------------

def _taken_by_folder(tmp, out):
    (out / "lkjip-2022.docx").unlink()
    (out / "lkjip-2022.docx").mkdir()
    (out / "lkjip-2022.docx" / "catatan.txt").write_bytes(b"catatan pengguna")
    return "lkjip-2022.docx", "folder"


def _taken_by_link_to_outside_file(tmp, out):
    (out / "lkjip-2022.md").unlink()
    os.symlink(tmp / "laporan-final.docx", out / "lkjip-2022.md")
    return "lkjip-2022.md", "tautan simbolik"


def _taken_by_link_to_folder(tmp, out):
    (out / "lkjip-2022.docx").unlink()
    os.symlink(tmp / "rumah", out / "lkjip-2022.docx")
    return "lkjip-2022.docx", "tautan simbolik"


def _taken_by_dangling_link(tmp, out):
    os.symlink(tmp / "tidak-ada", out / "koreksi-2022.md")
    (out / "lkjip-2022.docx").unlink()
    os.symlink(tmp / "tidak-ada", out / "lkjip-2022.docx")
    return "lkjip-2022.docx", "tautan simbolik"


def _taken_by_fifo(tmp, out):
    (out / "lkjip-2022.docx").unlink()
    os.mkfifo(out / "lkjip-2022.docx")
    return "lkjip-2022.docx", "berkas khusus"


def _taken_by_empty_folder(tmp, out):
    (out / "lkjip-2022.md").unlink()
    (out / "lkjip-2022.md").mkdir()
    return "lkjip-2022.md", "folder"


TAKEN = [_taken_by_folder, _taken_by_link_to_outside_file, _taken_by_link_to_folder, _taken_by_dangling_link,
         _taken_by_fifo, _taken_by_empty_folder]


@pytest.mark.parametrize("taker", TAKEN, ids=lambda f: f.__name__[1:])
def test_output_name_taken(taker, world, capsys):
    tmp, out = world
    name, kind = taker(tmp, out)
    before = snapshot(tmp)
    code = _report(out)
    err = capsys.readouterr().err
    assert code == 3
    assert f"{(out / name).as_posix()}: nama keluaran ini sudah dipakai oleh {kind}" in err
    assert _visible(snapshot(tmp)) == _visible(before)                  # nothing moved, nothing removed
    assert not list(out.glob(".*.baru")) and not (out / JOURNAL).exists()


def test_preview_folder_with_user_files_is_not_replaced(world):
    tmp, out = world
    (out / "preview").mkdir()
    (out / "preview" / "page-01.png").write_bytes(b"png lama")
    (out / "preview" / "catatan.txt").write_bytes(b"catatan")
    with pytest.raises(output.OutputError) as exc:
        with output.transaction(out, "lkjip-2022") as txn:
            folder = txn.path("preview")
            folder.mkdir()
            (folder / "page-01.png").write_bytes(b"png baru")
    assert exc.value.path == (out / "preview").as_posix() and "page-NN.png" in exc.value.detail
    assert (out / "preview" / "catatan.txt").read_bytes() == b"catatan"


def test_preview_folder_of_pages_is_replaced(world):
    tmp, out = world
    (out / "preview").mkdir()
    (out / "preview" / "page-01.png").write_bytes(b"png lama")
    with output.transaction(out, "lkjip-2022") as txn:
        folder = txn.path("preview")
        folder.mkdir()
        (folder / "page-01.png").write_bytes(b"png baru")
    assert (out / "preview" / "page-01.png").read_bytes() == b"png baru"


@pytest.mark.parametrize("name", ["../x", "lkjip", "Lkjip-2022", "a/b-2022", "x-2022\x00"])
def test_transaction_refuses_names_it_could_not_recover(name):
    with pytest.raises(ValueError):
        output.Transaction(Path("/nonexistent"), name)


def test_other_transactions_write_only_their_own_names(world, capsys):
    tmp, out = world
    with output.transaction(out, "reviu-2022") as txn:
        txn.write("reviu-2022.md", b"md")
        txn.write("reviu-2022.xlsx", b"xlsx")
        with pytest.raises(ValueError):
            txn.path("lkjip-2022.docx")
    assert (out / "reviu-2022.xlsx").read_bytes() == b"xlsx"
    stage = out / ".reviu-2022.4242-abcdef01.baru"
    stage.mkdir()
    (out / ".reviu-2022.transaksi").write_text(json.dumps({"stage": stage.name, "files": ["lkjip-2022.docx"]}),
                                               encoding="utf-8")
    _commit(out, NEW)
    assert ".reviu-2022.transaksi: peringatan:" in capsys.readouterr().err


# --- --output variants ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["root", "year", "inside-year", "link-to-content"])
@pytest.mark.parametrize("command", ["report", "pdf", "ekspor", "reviu", "nilai"])
def test_output_inside_content_is_refused(command, where, tmp_path, content, capsys):
    target = {"root": content, "year": content / "2022", "inside-year": content / "2022" / "keluaran",
              "link-to-content": tmp_path / "tautan"}[where]
    if where == "link-to-content":
        os.symlink(content / "2022", target)
    before = snapshot(tmp_path)
    code = cli.main([command, "--content", str(content), "--output", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert "galat penggunaan: folder keluaran" in err and target.as_posix() in err and content.as_posix() in err
    assert snapshot(tmp_path) == before


def test_diff_output_inside_content_is_refused(content, capsys):
    assert cli.main(["diff", "2021", "2022", "--content", str(content), "--output", str(content / "2022")]) == 2
    assert (content / "2022").as_posix() in capsys.readouterr().err


def test_report_all_output_inside_a_root_is_refused(tmp_path, content, capsys):
    other = tmp_path / "lain"
    shutil.copytree(content, other)
    code = cli.main(["report", "--all", "--root", str(content), "--root", str(other), "--output", str(other)])
    assert code == 2 and other.as_posix() in capsys.readouterr().err


def test_output_that_is_a_file(world, capsys):
    tmp, _out = world
    target = tmp / "laporan-final.docx"
    before = snapshot(tmp)
    assert _report(target) == 3
    assert target.as_posix() in capsys.readouterr().err
    assert snapshot(tmp) == before


def test_output_that_is_a_dangling_link(world, capsys):
    tmp, _out = world
    os.symlink(tmp / "tidak-ada", tmp / "keluaran")
    before = snapshot(tmp)
    assert _report(tmp / "keluaran") == 3
    assert (tmp / "keluaran").as_posix() in capsys.readouterr().err
    assert snapshot(tmp) == before


def test_output_that_is_a_link_to_a_folder_is_followed(world, capsys):
    """The documented choice: the output folder itself may be a link (the user named it)."""
    tmp, out = world
    os.symlink(out, tmp / "keluaran")
    assert _report(tmp / "keluaran") == 0
    assert (out / "lkjip-2022.docx").read_bytes().startswith(b"PK")


def test_preview_that_is_a_link_is_refused(world, capsys):
    tmp, out = world
    os.symlink(tmp / "rumah", out / "preview")
    before = snapshot(tmp, skip=out)
    with pytest.raises(output.OutputError) as exc:
        with output.transaction(out, "lkjip-2022") as txn:
            txn.path("preview").mkdir()
            txn.write("lkjip-2022.docx", b"baru")
    assert exc.value.path == (out / "preview").as_posix() and "tautan simbolik" in exc.value.detail
    assert snapshot(tmp, skip=out) == before and os.path.islink(out / "preview")


@pytest.mark.parametrize("inside", [".cache", ".cache/gambar", ".cache/tata-letak"])
def test_cache_link_inside_the_output_folder_prunes_nothing_outside(inside, world, capsys):
    """A .cache link shares drawn figures (documented); lkjip only adds its own files there, never prunes there."""
    tmp, out = world
    shared = tmp / "bersama"
    shutil.copytree(out / ".cache", shared / ".cache")
    if (out / inside).exists():
        shutil.rmtree(out / inside)
    (shared / inside).mkdir(parents=True, exist_ok=True)
    os.symlink(shared / inside, out / inside)
    (shared / inside / "lama.tmp").write_bytes(b"bukan milik lkjip")
    os.utime(shared / inside / "lama.tmp", (1, 1))
    for n in range(30):
        (shared / inside / f"{n:064x}.json").write_bytes(b"{}")
    before = snapshot(tmp, skip=out)
    assert _report(out) == 0
    after = snapshot(tmp, skip=out)
    assert {k: v for k, v in after.items() if k in before} == before           # nothing changed or removed


def test_page_maps_are_not_pruned_through_a_link(world, monkeypatch):
    from lkjip.render import layout
    tmp, out = world
    shared = tmp / "bersama"
    shared.mkdir()
    for n in range(30):
        (shared / f"{n:064x}.json").write_bytes(b"{}")
    os.symlink(shared, out / ".cache" / "tata-letak")
    before = snapshot(shared)
    monkeypatch.setattr(layout, "measure", lambda data, cache: {"pages": 1, "labels": {}, "letak": {}, "ukuran": []})
    assert layout.page_map("f" * 64, out / ".cache", lambda: b"") == {"pages": 1, "labels": {}, "letak": {}, "ukuran": []}
    assert {k: v for k, v in snapshot(shared).items() if k in before} == before


def test_lock_file_that_is_a_link_is_refused(world, capsys):
    tmp, out = world
    os.symlink(tmp / "laporan-final.docx", out / output.LOCK_NAME)
    before = snapshot(tmp, skip=out)
    assert _report(out) == 3
    assert out.as_posix() in capsys.readouterr().err
    assert snapshot(tmp, skip=out) == before
