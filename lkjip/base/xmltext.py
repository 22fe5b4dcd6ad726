"""Shared by check and render: characters that cannot appear in DOCX XML (or in YAML), found and cleaned in one place."""
from __future__ import annotations

import io
import os
import re
import stat
import zipfile
import zlib

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


# --- docx-text: the plain text of a DOCX someone else may have made ---------------------------------------------
# `build.py docx-text` is git's textconv for *.docx: it reads whatever a commit holds. The file is opened only when
# it is a regular file (never a FIFO, device or folder), the ZIP is checked before anything is inflated, and the XML
# is parsed without DTDs, entity expansion or network access, within size and depth limits.

MAX_DOCX_FILE = 128 * 1024 * 1024        # the .docx itself
MAX_DOCX_MEMBERS = 5_000                 # entries in the ZIP (a report has about 30)
MAX_DOCX_MEMBER = 32 * 1024 * 1024       # word/document.xml inflated (a 100-page report: a few MiB)
MAX_DOCX_TOTAL = 512 * 1024 * 1024       # every entry inflated, as the ZIP declares
MAX_DOCX_RATIO = 200                     # inflated/compressed of document.xml (XML compresses ~10x; bombs ~1000x)
MAX_XML_DEPTH = 200                      # element nesting (Word's deepest, text boxes in tables: about 30)
DOCUMENT_XML = "word/document.xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class DocxTextError(Exception):
    """Why a DOCX cannot be read as text (Indonesian message)."""


def _read_regular(path) -> bytes:
    """The bytes of a regular file (after following links), at most MAX_DOCX_FILE; never blocks on a FIFO."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise                                            # the CLI says "tidak ditemukan"
    except OSError as exc:
        raise DocxTextError(f"tidak dapat dibaca ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocxTextError("adalah folder, bukan berkas DOCX")
    if not stat.S_ISREG(info.st_mode):
        raise DocxTextError("bukan berkas biasa (pipa, soket atau perangkat); docx-text hanya membaca berkas DOCX")
    if info.st_size > MAX_DOCX_FILE:
        raise DocxTextError(f"berukuran {info.st_size} byte, melebihi batas {MAX_DOCX_FILE} byte")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise DocxTextError(f"tidak dapat dibaca ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DocxTextError("bukan berkas biasa; docx-text hanya membaca berkas DOCX")
        chunks, size = [], 0
        while size <= MAX_DOCX_FILE:
            chunk = os.read(fd, min(1 << 20, MAX_DOCX_FILE + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise DocxTextError(f"tidak dapat dibaca ({exc.strerror})") from None
    finally:
        os.close(fd)
    if size > MAX_DOCX_FILE:
        raise DocxTextError(f"melebihi batas {MAX_DOCX_FILE} byte")
    return b"".join(chunks)


def _document_xml(raw: bytes) -> bytes:
    """word/document.xml of a ZIP held in memory, with the ZIP's declared sizes checked before inflating."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise DocxTextError("bukan berkas DOCX (arsip ZIP) yang utuh") from None
    if len(members) > MAX_DOCX_MEMBERS:
        raise DocxTextError(f"arsip memuat {len(members)} entri, melebihi batas {MAX_DOCX_MEMBERS}")
    if sum(m.file_size for m in members) > MAX_DOCX_TOTAL:
        raise DocxTextError(f"isi arsip bila dibuka melebihi batas {MAX_DOCX_TOTAL} byte (bom ZIP?)")
    info = next((m for m in members if m.filename == DOCUMENT_XML), None)
    if info is None:
        raise DocxTextError(f"tidak memuat {DOCUMENT_XML}; bukan dokumen Word")
    if info.file_size > MAX_DOCX_MEMBER:
        raise DocxTextError(f"{DOCUMENT_XML} berukuran {info.file_size} byte bila dibuka, melebihi batas "
                            f"{MAX_DOCX_MEMBER} byte")
    if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > MAX_DOCX_RATIO:
        raise DocxTextError(f"{DOCUMENT_XML} mengembang {info.file_size // info.compress_size} kali saat dibuka "
                            "(bom ZIP?)")
    try:
        with archive.open(info) as member:             # the declared size may lie: read one byte past the limit
            data = member.read(MAX_DOCX_MEMBER + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
        detail = "terenkripsi" if isinstance(exc, RuntimeError) else "rusak"
        raise DocxTextError(f"{DOCUMENT_XML} di dalam arsip {detail} ({type(exc).__name__})") from None
    if len(data) > MAX_DOCX_MEMBER:
        raise DocxTextError(f"{DOCUMENT_XML} melebihi batas {MAX_DOCX_MEMBER} byte bila dibuka")
    return data


def _parse(data: bytes):
    """The root element, parsed without DTD, entities or network, within MAX_XML_DEPTH."""

    from lxml import etree
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise DocxTextError(f"{DOCUMENT_XML} memuat DTD/entitas; dokumen Word tidak pernah memuatnya (ditolak)")
    depth, root = 0, None
    try:
        for event, element in etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                                              no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False,
                                              remove_comments=True, remove_pis=True):
            if event == "start":
                depth += 1
                if depth > MAX_XML_DEPTH:
                    raise DocxTextError(f"{DOCUMENT_XML} bersarang lebih dari {MAX_XML_DEPTH} tingkat")
                if root is None:
                    root = element
            else:
                depth -= 1
    except etree.XMLSyntaxError as exc:
        where = f" (baris {exc.lineno})" if getattr(exc, "lineno", None) else ""
        detail = str(getattr(exc, "msg", None) or exc)[:120]
        raise DocxTextError(f"{DOCUMENT_XML} bukan XML yang utuh{where}: {detail}") from None
    except (ValueError, LookupError) as exc:         # bad encoding declarations and the like
        raise DocxTextError(f"{DOCUMENT_XML} tidak dapat dibaca sebagai XML ({type(exc).__name__})") from None
    if root is None:
        raise DocxTextError(f"{DOCUMENT_XML} kosong")
    if root.getroottree().docinfo.doctype:
        raise DocxTextError(f"{DOCUMENT_XML} memuat DTD; dokumen Word tidak pernah memuatnya (ditolak)")
    return root


def _joined(element) -> str:
    return "".join(t.text or "" for t in element.iter(_W + "t"))


def docx_text(path) -> str:
    """Plain text of a DOCX: one line per paragraph, table rows as cells joined by ' | '. DocxTextError (or
    FileNotFoundError) when the file is not a readable DOCX within the limits above."""
    root = _parse(_document_xml(_read_regular(path)))
    body = root.find(_W + "body")
    if root.tag != _W + "document" or body is None:
        raise DocxTextError(f"{DOCUMENT_XML} tidak memuat w:document/w:body; bukan dokumen Word")
    lines = []
    for block in body:
        if block.tag == _W + "p":
            lines.append(_joined(block))
        elif block.tag == _W + "tbl":
            for row in block.iter(_W + "tr"):
                lines.append(" | ".join(_joined(tc) for tc in row.iter(_W + "tc")))
    return clean("\n".join(lines)) + "\n"
