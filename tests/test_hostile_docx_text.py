"""Issue 19, item 6: `docx-text` (git's textconv for *.docx) on whatever a commit holds: exit 2 with a message naming
the file, never a hang, a traceback or gigabytes of memory.

Regular files only (FIFO, /dev/zero, folders, links to specials refused before opening), the ZIP checked before
anything is inflated (member count, declared sizes, ratio), the XML parsed without DTD, entities or network, within
a depth limit.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from lkjip import cli
from lkjip.base import xmltext

ROOT = Path(__file__).resolve().parent.parent
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY = f'<w:document {W}><w:body><w:p><w:r><w:t>Halo Metro</w:t></w:r></w:p></w:body></w:document>'
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and devices of POSIX")


def _docx(path: Path, xml, extra: dict | None = None, method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if xml is not None:
            archive.writestr("word/document.xml", xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _run(path: Path, capsys) -> tuple[int, str, str]:
    code = cli.main(["docx-text", str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _refused(path: Path, capsys, *words) -> str:
    """exit 2, one message naming the file, nothing on stdout, and nothing written beside the file."""
    before = sorted(os.listdir(path.parent)) if path.parent.is_dir() else None
    start = time.monotonic()
    code, out, err = _run(path, capsys)
    assert time.monotonic() - start < 20
    assert code == cli.EXIT_USAGE, (out[:300], err)
    assert out == "" and path.name in err and "Traceback" not in err and len(err.splitlines()) == 1
    for word in words:
        assert word in err, err
    if before is not None:
        assert sorted(os.listdir(path.parent)) == before
    return err


def _laughs(levels: int = 9) -> str:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">'
                                                  for i in range(1, levels + 1))
    return (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
            f'<w:document {W}><w:body><w:p><w:r><w:t>&lol{levels};</w:t></w:r></w:p></w:body></w:document>')


def test_plain_docx_is_read(tmp_path, capsys):
    code, out, err = _run(_docx(tmp_path / "a.docx", BODY), capsys)
    assert code == 0 and out == "Halo Metro\n" and err == ""


def test_real_report_is_read(built_2022, capsys):
    code, out, _err = _run(built_2022, capsys)
    assert code == 0 and "KATA PENGANTAR" in out and "5.721.724.782" in out


# --- the XML ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "xml", "words"), [
    ("terpotong", BODY[:-40], ("bukan XML yang utuh",)),
    ("tanpa-body", f"<w:document {W}></w:document>", ("w:body",)),
    ("akar-lain", f'<w:foo {W}><w:body/></w:foo>', ("w:body",)),
    ("kosong", "", ("XML",)),
    ("bukan-xml", "ini bukan xml sama sekali", ("XML",)),
    ("utf8-rusak", BODY.encode().replace(b"Halo", b"H\xff\xfelo"), ("bukan XML yang utuh",)),
    ("karakter-kendali", BODY.replace("Halo", "Ha\x01lo"), ("XML",)),
    ("dalam-300", f"<w:document {W}><w:body>" + "<w:p>" * 300 + "</w:p>" * 300 + "</w:body></w:document>", ("tingkat",)),
    ("dalam-210", f"<w:document {W}><w:body>" + "<w:p>" * 210 + "</w:p>" * 210 + "</w:body></w:document>", ("200 tingkat",)),
    ("tawa-miliar", _laughs(), ("DTD",)),
    ("tawa-kuadrat", f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "{"x" * 50000}">]><w:document {W}><w:body>'
                     f'<w:p><w:r><w:t>{"&a;" * 2000}</w:t></w:r></w:p></w:body></w:document>', ("DTD",)),
    ("entitas-berkas", f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                       f'<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>', ("DTD",)),
    ("entitas-jaringan", f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
                         f'<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>', ("DTD",)),
    ("dtd-luar", f'<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/d.dtd"><w:document {W}><w:body/></w:document>',
     ("DTD",)),
    ("dtd-terlambat", '<?xml version="1.0"?><!--' + "x" * 6000 + f'--><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                      f'<w:document {W}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>', ("DTD",)),
    ("utf16-dtd", ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                   f'<w:document {W}><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>').encode("utf-16"),
     ("DTD",)),
    ("pengodean-aneh", b'<?xml version="1.0" encoding="x-tidak-ada"?>' + BODY.encode(), ("XML",)),
])
def test_hostile_xml_is_refused(tmp_path, capsys, name, xml, words):
    path = _docx(tmp_path / f"{name}.docx", xml)
    err = _refused(path, capsys, *words)
    assert "root:" not in err and "/etc/passwd" not in err


def test_no_entity_is_expanded_even_past_the_prescan(tmp_path):
    """Below the DTD pre-scan the parser itself expands nothing and reads no file."""
    xml = ('<?xml version="1.0"?><!--' + "x" * 6000 + '--><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(xmltext.DocxTextError, match="DTD"):
        xmltext.docx_text(_docx(tmp_path / "x.docx", xml))


# --- the ZIP ------------------------------------------------------------------------------------------------------

def test_zip_bomb_is_refused_before_inflating(tmp_path, capsys):
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f"<w:document {W}><w:body>".encode())
            chunk = b" " * (1 << 20)
            for _ in range(xmltext.MAX_DOCX_MEMBER // len(chunk) + 8):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    assert path.stat().st_size < 1 << 20
    _refused(path, capsys, "word/document.xml", "batas")


def test_zip_bomb_in_another_member_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(xmltext, "MAX_DOCX_TOTAL", 4 << 20)
    path = _docx(tmp_path / "bom2.docx", BODY, {"word/media/x.bin": b"\0" * (5 << 20)})
    _refused(path, capsys, "bom ZIP")


def test_member_whose_size_lies_is_cut_at_the_limit(tmp_path, monkeypatch):
    """The declared size may be forged; reading stops one byte past the limit whatever the header says."""
    monkeypatch.setattr(xmltext, "MAX_DOCX_MEMBER", 1000)
    path = _docx(tmp_path / "bohong.docx", f"<w:document {W}><w:body>" + " " * 5000 + "</w:body></w:document>",
                 method=zipfile.ZIP_STORED)
    raw = bytearray(path.read_bytes())
    size = len(f"<w:document {W}><w:body>" + " " * 5000 + "</w:body></w:document>").to_bytes(4, "little")
    small = (500).to_bytes(4, "little")
    assert raw.count(size) == 4                        # compressed and uncompressed size, local and central header
    raw = raw.replace(size, small)
    path.write_bytes(bytes(raw))
    with pytest.raises(xmltext.DocxTextError):
        xmltext.docx_text(path)


def test_too_many_members(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(xmltext, "MAX_DOCX_MEMBERS", 50)
    path = _docx(tmp_path / "banyak.docx", BODY, {f"word/x{i}.xml": "<x/>" for i in range(60)})
    _refused(path, capsys, "entri")


def test_high_ratio_document_is_refused(tmp_path, capsys):
    xml = f"<w:document {W}><w:body><w:p><w:r><w:t>" + "a" * (3 << 20) + "</w:t></w:r></w:p></w:body></w:document>"
    _refused(_docx(tmp_path / "rasio.docx", xml), capsys, "mengembang")


@pytest.mark.parametrize(("name", "data", "words"), [
    ("bukan-zip.docx", b"PK\x03\x04 ini bukan zip", ("ZIP",)),
    ("teks.docx", b"hanya teks biasa\n", ("ZIP",)),
    ("kosong.docx", b"", ("ZIP",)),
])
def test_not_a_zip(tmp_path, capsys, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    _refused(path, capsys, *words)


def test_zip_without_document(tmp_path, capsys):
    _refused(_docx(tmp_path / "tanpa.docx", None, {"word/styles.xml": "<x/>"}), capsys, "word/document.xml")


def test_corrupt_member_data(tmp_path, capsys):
    path = _docx(tmp_path / "rusak.docx", BODY * 50)
    raw = bytearray(path.read_bytes())
    start = raw.index(b"word/document.xml") + len("word/document.xml")
    for i in range(start + 10, start + 60):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))
    _refused(path, capsys, "rusak")


def test_missing_file(tmp_path, capsys):
    code, out, err = _run(tmp_path / "tidak-ada.docx", capsys)
    assert code == cli.EXIT_USAGE and "tidak-ada.docx" in err and "tidak ditemukan" in err


# --- not a regular file -------------------------------------------------------------------------------------------

def _in_process_with_timeout(path: Path) -> subprocess.CompletedProcess:
    """A FIFO would block a reader forever: run the CLI as a process with a timeout."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "docx-text", str(path)], capture_output=True,
                          text=True, timeout=60, cwd=path.parent if path.parent.is_dir() else None)


@posix_only
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipa.docx"
    os.mkfifo(fifo)
    result = _in_process_with_timeout(fifo)
    assert result.returncode == cli.EXIT_USAGE and "pipa.docx" in result.stderr and "bukan berkas biasa" in result.stderr


@posix_only
def test_dev_zero_is_refused(capsys):
    code, out, err = _run(Path("/dev/zero"), capsys)
    assert code == cli.EXIT_USAGE and "/dev/zero" in err and "bukan berkas biasa" in err and out == ""


@posix_only
@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "fifo"])
def test_link_to_a_special_file_is_refused(tmp_path, target):
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
        target = str(tmp_path / "fifo")
    os.symlink(target, tmp_path / "tautan.docx")
    result = _in_process_with_timeout(tmp_path / "tautan.docx")
    assert result.returncode == cli.EXIT_USAGE and "tautan.docx" in result.stderr
    assert "bukan berkas biasa" in result.stderr


def test_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "laporan.docx"
    folder.mkdir()
    _refused(folder, capsys, "folder")


def test_oversized_file_is_refused_without_reading(tmp_path, capsys):
    path = tmp_path / "besar.docx"
    with open(path, "wb") as handle:                     # sparse
        handle.truncate(xmltext.MAX_DOCX_FILE + 1)
    _refused(path, capsys, "batas")
