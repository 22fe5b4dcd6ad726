"""Issue 19, item 5: new-year copies only regular files inside the year folder and never follows a link.

Hostile year trees: links to a private file outside the content, to /dev/zero, to a folder outside, to `..`;
FIFOs, sockets, oversized and unreadable files, deep or crowded trees; and failures or Ctrl-C in the middle of the
copy. Each case asserts the exit code, a message naming the file, that nothing outside the new year folder changed,
and that no staging folder is left behind.
"""
from __future__ import annotations

import os
import shutil
import socket
import stat
from pathlib import Path

import pytest

from lkjip import cli
from lkjip.tools.years import scaffold

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
posix_only = pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and sockets of POSIX")


@pytest.fixture
def tree(tmp_path):
    """tmp/content (a copy of the real content) beside tmp/luar, a private folder outside the content."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    outside = tmp_path / "luar"
    outside.mkdir()
    (outside / "rahasia.txt").write_text("kata sandi: 12345\n", encoding="utf-8")
    os.chmod(outside / "rahasia.txt", 0o600)
    return content


def _snapshot(folder: Path) -> dict:
    """Every path under folder (links not followed) with its kind, mode and bytes."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = os.lstat(path)
            data = None
            if stat.S_ISREG(info.st_mode) and os.access(path, os.R_OK) and info.st_size < (1 << 20):
                data = path.read_bytes()
            elif stat.S_ISLNK(info.st_mode):
                data = os.readlink(path)
            out[path.relative_to(folder).as_posix()] = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), data)
    return out


def _new_year(content: Path, capsys, year: int = 2023) -> tuple[int, str]:
    code = cli.main(["new-year", str(year), "--content", str(content)])
    out = capsys.readouterr()
    return code, out.out + out.err


def _unchanged_except_new_year(tree: Path, before: dict, year: int = 2023, created: bool = True) -> None:
    """Nothing beside content/<year> changed, and no staging folder is left in the content folder."""
    after = _snapshot(tree.parent)
    new = f"content/{year}"
    assert {k: v for k, v in after.items() if k != new and not k.startswith(new + "/")} == before
    assert (new in after) is created
    assert not [p.name for p in tree.iterdir() if p.name.startswith(f".{year}")]


def _regular_files(folder: Path) -> list[str]:
    bad = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            mode = os.lstat(Path(dirpath) / name).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                bad.append(name)
    return bad


def _warned(text: str, path: str, code: str) -> bool:
    return any(path in line and f"warning [{code}]" in line for line in text.splitlines())


# --- links ------------------------------------------------------------------------------------------------------

@posix_only
@pytest.mark.parametrize(("name", "target", "code"), [
    ("rahasia.md", "../../luar/rahasia.txt", "tautan-tidak-disalin"),              # a private file outside
    ("nol.bin", "/dev/zero", "tautan-tidak-disalin"),                              # endless
    ("acak.bin", "/dev/urandom", "tautan-tidak-disalin"),
    ("induk", "..", "tautan-tidak-disalin"),                                       # a folder link to ..
    ("akar", "/", "tautan-tidak-disalin"),
    ("luar", "../../luar", "tautan-tidak-disalin"),                                # a folder outside
    ("hilang.md", "tidak-ada.md", "tautan-tidak-disalin"),                         # dangling
    ("diri", "diri", "tautan-tidak-disalin"),                                      # a loop
    ("salinan-program.txt", "program.yaml", "tautan-tidak-disalin"),               # inside the year folder
])
def test_links_in_the_year_folder_are_listed_not_followed(tree, capsys, name, target, code):
    os.symlink(target, tree / "2022" / name)
    before = _snapshot(tree.parent)
    code_, text = _new_year(tree, capsys)
    assert code_ == 0, text
    assert _warned(text, f"content/2022/{name}", code)
    assert not os.path.lexists(tree / "2023" / name)
    assert _regular_files(tree / "2023") == []
    assert "kata sandi" not in "".join(p.read_text(errors="replace") for p in (tree / "2023").rglob("*") if p.is_file())
    _unchanged_except_new_year(tree, before)


@posix_only
def test_link_inside_prose_subfolder_to_outside(tree, capsys):
    """prosa/gambar.png is not read by check: new-year lists the link and leaves it out."""
    os.symlink(tree.parent / "luar" / "rahasia.txt", tree / "2022" / "prosa" / "gambar.png")
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == 0 and _warned(text, "content/2022/prosa/gambar.png", "tautan-tidak-disalin")
    assert not os.path.lexists(tree / "2023" / "prosa" / "gambar.png")
    assert (tree / "2023" / "prosa" / "penutup.md").read_bytes() == (tree / "2022" / "prosa" / "penutup.md").read_bytes()
    _unchanged_except_new_year(tree, before)


@posix_only
def test_prose_link_outside_fails_check_first(tree, capsys):
    """A prose file linked outside the content is refused by check, so new-year stops before copying anything."""
    os.symlink(tree.parent / "luar" / "rahasia.txt", tree / "2022" / "prosa" / "catatan.md")
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == cli.EXIT_ERRORS and "check --year 2022" in text
    _unchanged_except_new_year(tree, before, created=False)


@posix_only
def test_folder_link_to_parent_is_not_recursed(tree, capsys, monkeypatch):
    os.symlink("..", tree / "2022" / "prosa" / "naik")
    os.symlink("../..", tree / "2022" / "prosa" / "naik2")
    calls = []
    real = scaffold._copy_tree
    monkeypatch.setattr(scaffold, "_copy_tree", lambda *a, **k: (calls.append(a[0]), real(*a, **k))[1])
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == 0
    assert len(calls) <= 4                              # 2022, prosa (and nothing through the links)
    assert _warned(text, "content/2022/prosa/naik", "tautan-tidak-disalin")
    assert _warned(text, "content/2022/prosa/naik2", "tautan-tidak-disalin")
    _unchanged_except_new_year(tree, before)


@posix_only
@pytest.mark.parametrize("name", ["program.yaml", "laporan.yaml", "kinerja.yaml"])
def test_an_edited_file_that_is_a_link_stops_new_year(tree, capsys, name):
    """The file is read by check through the link (inside the content), but new-year does not copy links: it stops,
    naming the file, and leaves nothing behind."""
    shared = tree / "bersama"
    shared.mkdir()
    shutil.move(tree / "2022" / name, shared / name)
    os.symlink(f"../bersama/{name}", tree / "2022" / name)
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == cli.EXIT_ERRORS
    assert f"content/2022/{name}" in text and "[tautan-tidak-disalin]" in text
    _unchanged_except_new_year(tree, before, created=False)


@posix_only
def test_new_year_name_taken_by_a_dangling_link(tree, capsys):
    os.symlink("../luar/tahun-baru", tree / "2023")
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == cli.EXIT_ERRORS and "2023 sudah ada" in text
    assert _snapshot(tree.parent) == before
    assert not (tree.parent / "luar" / "tahun-baru").exists()


@posix_only
def test_source_year_that_is_a_link_outside_is_refused(tree, capsys):
    shutil.move(tree / "2022", tree.parent / "luar" / "2022")
    os.symlink("../luar/2022", tree / "2022")
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == cli.EXIT_ERRORS and "Traceback" not in text
    _unchanged_except_new_year(tree, before, created=False)


# --- special and unreadable files ---------------------------------------------------------------------------------

@posix_only
def test_fifo_is_listed_not_opened(tree, capsys):
    os.mkfifo(tree / "2022" / "pipa")
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)                 # would block forever if opened
    assert code == 0 and _warned(text, "content/2022/pipa", "berkas-khusus-tidak-disalin")
    assert not os.path.lexists(tree / "2023" / "pipa")
    _unchanged_except_new_year(tree, before)


@posix_only
def test_socket_is_listed_not_copied(tree, capsys):
    path = tree / "2022" / "s"
    if len(str(path)) > 100:
        pytest.skip("socket path too long for AF_UNIX")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        before = _snapshot(tree.parent)
        code, text = _new_year(tree, capsys)
    finally:
        sock.close()
    assert code == 0 and _warned(text, "content/2022/s", "berkas-khusus-tidak-disalin")
    assert not os.path.lexists(tree / "2023" / "s")
    _unchanged_except_new_year(tree, before)


def test_oversized_file_is_listed_not_copied(tree, capsys):
    big = tree / "2022" / "lampiran.pdf"
    with open(big, "wb") as handle:                      # sparse: no disk used
        handle.truncate(scaffold.MAX_COPY_FILE + 1)
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == 0 and _warned(text, "content/2022/lampiran.pdf", "berkas-terlalu-besar")
    assert not (tree / "2023" / "lampiran.pdf").exists()
    _unchanged_except_new_year(tree, before)


def test_file_at_the_limit_is_copied(tree, capsys, monkeypatch):
    limit = max(p.stat().st_size for p in (tree / "2022").rglob("*") if p.is_file()) + 1000
    monkeypatch.setattr(scaffold, "MAX_COPY_FILE", limit)
    (tree / "2022" / "catatan.txt").write_bytes(b"x" * limit)
    (tree / "2022" / "besar.txt").write_bytes(b"x" * (limit + 1))
    code, text = _new_year(tree, capsys)
    assert code == 0
    assert (tree / "2023" / "catatan.txt").read_bytes() == b"x" * limit
    assert not (tree / "2023" / "besar.txt").exists() and _warned(text, "content/2022/besar.txt", "berkas-terlalu-besar")


@pytest.mark.skipif(IS_ROOT or os.name != "posix", reason="root reads files whatever their mode")
def test_unreadable_file_is_listed(tree, capsys):
    path = tree / "2022" / "pribadi.txt"
    path.write_text("rahasia", encoding="utf-8")
    os.chmod(path, 0)
    try:
        before = _snapshot(tree.parent)
        code, text = _new_year(tree, capsys)
    finally:
        os.chmod(path, 0o600)
    assert code == 0 and _warned(text, "content/2022/pribadi.txt", "berkas-tidak-terbaca")
    assert not (tree / "2023" / "pribadi.txt").exists()


@pytest.mark.skipif(IS_ROOT or os.name != "posix", reason="root reads folders whatever their mode")
def test_unreadable_folder_is_listed(tree, capsys):
    folder = tree / "2022" / "arsip"
    folder.mkdir()
    (folder / "a.txt").write_text("a", encoding="utf-8")
    os.chmod(folder, 0)
    try:
        code, text = _new_year(tree, capsys)
    finally:
        os.chmod(folder, 0o700)
    assert code == 0 and _warned(text, "content/2022/arsip", "berkas-tidak-terbaca")
    assert not [p.name for p in tree.iterdir() if p.name.startswith(".2023")]


def test_unreadable_file_under_root_is_copied_or_listed(tree, capsys):
    """chmod 000: listed for a normal user; root bypasses the mode and the file is copied with its bytes."""
    path = tree / "2022" / "pribadi.txt"
    path.write_text("isi", encoding="utf-8")
    os.chmod(path, 0)
    try:
        code, text = _new_year(tree, capsys)
    finally:
        os.chmod(path, 0o600)
    assert code == 0
    copied = tree / "2023" / "pribadi.txt"
    assert (copied.exists() and copied.read_text(encoding="utf-8") == "isi") or \
        _warned(text, "content/2022/pribadi.txt", "berkas-tidak-terbaca")


# --- regular files are copied faithfully ------------------------------------------------------------------------

def test_regular_files_and_folders_are_copied_with_their_mode(tree, capsys):
    extra = tree / "2022" / "lampiran" / "foto"
    extra.mkdir(parents=True)
    (extra / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tree / "2022" / "baca-saja.txt").write_text("r", encoding="utf-8")
    os.chmod(tree / "2022" / "baca-saja.txt", 0o444)
    code, text = _new_year(tree, capsys)
    assert code == 0 and "warning" not in text
    assert (tree / "2023" / "lampiran" / "foto" / "a.png").read_bytes() == (extra / "a.png").read_bytes()
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(tree / "2023" / "baca-saja.txt").st_mode) & 0o444 == 0o444
    assert not (tree / "2023" / "koreksi.yaml").exists()        # corrections belong to their year


# --- limits -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("limit", "value", "setup"), [
    ("MAX_COPY_DEPTH", 3, lambda y: (y / "a" / "b" / "c" / "d" / "e").mkdir(parents=True)),
    ("MAX_COPY_ENTRIES", 10, lambda y: None),
    ("MAX_COPY_TOTAL", 50_000, lambda y: None),
])
def test_limits_stop_new_year_and_leave_nothing(tree, capsys, monkeypatch, limit, value, setup):
    monkeypatch.setattr(scaffold, limit, value)
    setup(tree / "2022")
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == cli.EXIT_ERRORS and "new-year dibatalkan" in text
    _unchanged_except_new_year(tree, before, created=False)


# --- interrupted or failing new-year --------------------------------------------------------------------------------

@pytest.mark.parametrize(("error", "exit_code"), [
    (KeyboardInterrupt, cli.EXIT_INTERRUPTED),
    (OSError(28, "No space left on device"), cli.EXIT_OUTPUT),
    (RuntimeError("simulated bug"), cli.EXIT_INTERNAL),
])
def test_interrupted_copy_leaves_nothing_half_written(tree, capsys, monkeypatch, error, exit_code):
    copied = []
    real = scaffold._copy_file

    def flaky(src, dest, *args):
        if len(copied) == 3:
            raise error
        copied.append(dest)
        return real(src, dest, *args)
    monkeypatch.setattr(scaffold, "_copy_file", flaky)
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == exit_code
    assert len(copied) == 3 and not any(p.exists() for p in copied)       # the staged copies are gone
    _unchanged_except_new_year(tree, before, created=False)


@pytest.mark.parametrize("stage", ["laporan.yaml", "program.yaml", "kinerja.yaml"])
def test_interrupt_while_editing_leaves_nothing(tree, capsys, monkeypatch, stage):
    real = scaffold.YamlEditor

    class Editor(real):
        def __init__(self, raw, name):
            if name.endswith(stage):
                raise KeyboardInterrupt
            super().__init__(raw, name)
    monkeypatch.setattr(scaffold, "YamlEditor", Editor)
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == cli.EXIT_INTERRUPTED and "dibatalkan" in text
    _unchanged_except_new_year(tree, before, created=False)


def test_failure_at_the_final_rename_leaves_nothing(tree, capsys, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))
    monkeypatch.setattr(scaffold.os, "rename", refuse)
    before = _snapshot(tree.parent)
    code, text = _new_year(tree, capsys)
    assert code == cli.EXIT_OUTPUT and "2023" in text
    _unchanged_except_new_year(tree, before, created=False)


def test_someone_elses_staging_folder_is_left_alone(tree, capsys):
    """A folder that happens to carry the old staging name is never removed or reused."""
    stale = tree / ".2023.baru"
    stale.mkdir()
    (stale / "catatan-pribadi.md").write_text("jangan dihapus", encoding="utf-8")
    code, text = _new_year(tree, capsys)
    assert code == 0
    assert (stale / "catatan-pribadi.md").read_text(encoding="utf-8") == "jangan dihapus"
    assert not (tree / "2023" / "catatan-pribadi.md").exists()


def test_sigterm_mid_copy_leaves_nothing(tree, monkeypatch):
    """SIGTERM unwinds as SystemExit (cli._on_terminate): the staging folder goes as with Ctrl-C."""
    real = scaffold._copy_file
    seen = []

    def terminated(src, dest, *args):
        if seen:
            raise SystemExit(143)
        seen.append(dest)
        return real(src, dest, *args)
    monkeypatch.setattr(scaffold, "_copy_file", terminated)
    before = _snapshot(tree.parent)
    with pytest.raises(SystemExit):
        scaffold.new_year(tree, 2023)
    _unchanged_except_new_year(tree, before, created=False)
