"""Render stage, layout pass: LibreOffice lays the DOCX out once; the page of every Daftar Isi/Tabel/Gambar entry
is written into its PAGEREF field's cached result, so Word shows the numbers on opening without updating fields."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from ..base import memo
from ..base.output import write_atomic
from . import ooxml, pdf
from .page import without_unfilled_note
from .pdf import Timeout, run_tree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CACHE_KEEP = 20                                 # page maps kept in output/.cache/tata-letak/
ENV_OPT_OUT = "LKJIP_TANPA_TATA_LETAK"
# Word bookmarks exported as PDF named destinations: `pdfinfo -dests` then says on which page each one lies.
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
LABEL = re.compile(r"(?:[IVX]+|L)[.-]\d+|[ivxlc]+")     # footer texts: I.3, L.2, II-1 (per chapter), ii (docx_writer)
BOOKMARK = re.compile(r"Toc\d+")                          # our bookmark names are _Toc00001 ... (docx_writer)
UPDATE_LATER = "nomor halaman Daftar Isi/Tabel/Gambar diisi saat Word memperbarui bidang (fields)."


class LayoutError(Exception):
    pass


def opted_out() -> bool:
    return os.environ.get(ENV_OPT_OUT, "") not in ("", "0")


def soffice():
    return pdf.soffice()            # looked up on the module: tests and callers may replace it


def available() -> bool:
    return bool(soffice() and shutil.which("pdfinfo") and shutil.which("pdftotext"))


def notice(reason: str) -> None:
    print(f"{reason}: {UPDATE_LATER}", file=sys.stderr)


def fill_page_numbers(data: bytes, cache_dir: Path) -> bytes:
    """The DOCX with every PAGEREF result filled in and updateFields off; unchanged (today's behaviour: Word
    updates the fields on opening) when the layout pass fails, with one line saying so."""
    src = zipfile.ZipFile(io.BytesIO(data))
    try:
        pages = page_map(parts_key((i.filename, src.read(i.filename)) for i in src.infolist()), Path(cache_dir),
                         lambda: data)
        return apply_page_map(data, pages)
    except LayoutError as exc:
        notice(f"Tata letak gagal ({exc})")
        return data


def fill_parts(parts: dict, cache_dir: Path, docx) -> dict:
    """fill_page_numbers on the parts of a DOCX before it is zipped (render/build.py): the same result, with the
    parts compressed once. docx(): the DOCX bytes, asked for only when LibreOffice has to lay it out."""
    try:
        key = parts_key(parts.items())
        pages = page_map(key, Path(cache_dir), docx)
        # the filled-in parts are a function of the parts and the page map: kept too (memo.py), so an unchanged
        # report does not parse and rewrite its document.xml again
        entry = memo.key("isi-halaman", key, json.dumps(pages, sort_keys=True))
        replaced = memo.get("tata-letak", entry)
        if replaced is None:
            replaced = replaced_parts(parts, pages)
            memo.put("tata-letak", entry, replaced)
        return {**parts, **replaced}
    except LayoutError as exc:
        notice(f"Tata letak gagal ({exc})")
        return parts


def parts_key(parts) -> str:
    """Hash of a DOCX before layout: its member names and uncompressed bytes, in order."""
    digest = hashlib.sha256()
    for name, data in parts:
        encoded = name.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "little") + encoded + len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


# --- measuring ------------------------------------------------------------------------------------------

def _valid(stored) -> bool:
    return (isinstance(stored, dict) and type(stored.get("pages")) is int and isinstance(stored.get("labels"), dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in stored["labels"].items()))


def page_map(key: str, cache_dir: Path, docx) -> dict:
    """{"pages": n, "labels": {bookmark: page label}}, cached by the hash of the DOCX's parts (parts_key) in
    output/.cache/tata-letak and in the user's build cache (base/memo.py, kind 'halaman'); docx(): the DOCX bytes
    for LibreOffice."""
    folder = cache_dir / "tata-letak"
    cached = folder / f"{key}.json"
    if cached.is_file() and not cached.is_symlink():
        try:
            stored = json.loads(cached.read_text(encoding="utf-8"))
            if _valid(stored):
                return stored
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            pass                                             # a damaged cache entry is measured again
    # the user's build cache holds page maps too, by the same content hash: a second output folder (report --all,
    # another --output) or a cleaned output folder never runs LibreOffice again for the same document
    shared = memo.key("halaman", key)
    result = memo.get("halaman", shared)
    if not _valid(result):
        result = measure(docx(), cache_dir)
        memo.put("halaman", shared, result)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(cached, json.dumps(result, sort_keys=True, indent=1).encode("utf-8"))
    if folder.is_symlink() or cache_dir.is_symlink():
        return result                                        # a shared folder (a link): never pruned from here
    ours = [p for p in folder.iterdir() if re.fullmatch(r"[0-9a-f]{64}\.json", p.name) and p.is_file()
            and not p.is_symlink()]                          # prune only page maps this pass wrote
    for old in sorted(ours, key=lambda p: p.stat().st_mtime, reverse=True)[CACHE_KEEP:]:
        old.unlink(missing_ok=True)
    return result


def measure(data: bytes, cache_dir: Path) -> dict:
    office = soffice()
    if office is None:
        raise LayoutError("LibreOffice tidak ditemukan")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tata-letak-", dir=cache_dir) as tmp:
        work = Path(tmp)
        source = work / "laporan.docx"
        source.write_bytes(data)
        # A private profile per process: no clash with an open office or a parallel build.
        _run([office, f"-env:UserInstallation={(work / 'profil').resolve().as_uri()}", "--headless", "--norestore",
              "--convert-to", PDF_FILTER, "--outdir", str(work), str(source)])
        pdf = work / "laporan.pdf"
        if not pdf.is_file():
            raise LayoutError("LibreOffice tidak menghasilkan PDF")
        labels = page_labels(_run(["pdftotext", "-layout", str(pdf), "-"]))
        found = {}
        for page, name in destinations(_run(["pdfinfo", "-dests", str(pdf)])):
            if not 1 <= page <= len(labels):
                raise LayoutError(f"halaman {page} tidak ada")
            found[name] = labels[page - 1]
    return {"pages": len(labels), "labels": found}


def _run(cmd: list[str]) -> str:
    """Run a tool through pdf.run_tree: its own process group, LKJIP_PDF_TIMEOUT, the whole tree ended on timeout
    or interruption (POSIX process group; taskkill /T on Windows)."""
    name = Path(cmd[0]).name
    try:
        code, out = run_tree(cmd, capture=True)
    except Timeout as exc:
        raise LayoutError(f"{name} tidak selesai dalam {exc.limit:g} detik dan dihentikan beserta seluruh prosesnya; "
                          "naikkan batas dengan LKJIP_PDF_TIMEOUT=DETIK") from None
    except OSError as exc:
        raise LayoutError(f"{name} tidak dapat dijalankan ({exc.strerror or exc})") from None
    if code != 0:
        raise LayoutError(f"{name} gagal (kode {code})")
    return out.decode("utf-8", "replace")


def page_labels(text: str) -> list[str]:
    """The footer of each page is its lowest line: 'ii', 'I.3', 'L.2' ('' when unreadable, e.g. the cover)."""
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    labels = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        labels.append(lines[-1] if lines and LABEL.fullmatch(lines[-1]) else "")
    return labels


def destinations(text: str):
    """(page, bookmark) from `pdfinfo -dests`; LibreOffice escapes the leading underscore of _Toc names."""
    for line in text.splitlines():
        match = re.match(r'\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$', line)
        if match:
            name = BOOKMARK.search(match.group(2))
            if name:
                yield int(match.group(1)), "_" + name.group(0)


# --- writing --------------------------------------------------------------------------------------------

def apply_page_map(data: bytes, pages: dict) -> bytes:
    """Write the labels into document.xml; drop updateFields; page count into app.xml. Raises LayoutError
    (nothing changed) unless every PAGEREF gets a number consistent with the prefix printed before it."""
    src = zipfile.ZipFile(io.BytesIO(data))
    replaced = replaced_parts({name: src.read(name) for name in ("word/document.xml", "word/settings.xml")}, pages)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():                          # same member order, times and compression
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
            dst.writestr(copy, replaced.get(info.filename) or src.read(info.filename))
    return out.getvalue()


def replaced_parts(parts: dict, pages: dict) -> dict:
    """New document.xml, settings.xml and app.xml for the page map (apply_page_map)."""
    labels = pages["labels"]
    doc = etree.fromstring(parts["word/document.xml"])
    fields = list(_pageref_fields(doc))
    if not fields:
        raise LayoutError("tidak ada rujukan halaman")
    for bookmark, prefix, runs in fields:
        label = labels.get(bookmark, "")
        if not label:
            raise LayoutError(f"halaman {bookmark} tidak terbaca")
        number = label[len(prefix):] if label.startswith(prefix) else None
        if number and number.isdigit():
            _set_result(runs, number)
        elif not prefix and not label[0].isdigit():
            # A roman front-matter page: LibreOffice would print a PAGEREF to it in arabic (it ignores the
            # section's number format), so the label is written as text, linked to its heading.
            _replace_with_text(runs, label, bookmark)
        else:
            raise LayoutError(f"{bookmark} di halaman {label}, tidak sesuai awalan '{prefix}'")
    settings = etree.fromstring(parts["word/settings.xml"])
    for update in settings.findall(W + "updateFields"):
        settings.remove(update)
    # the numbers are in: the line under Daftar Isi saying otherwise goes
    document = without_unfilled_note(_xml(doc).decode("utf-8")).encode("utf-8")
    return {"word/document.xml": document, "word/settings.xml": _xml(settings),
            "docProps/app.xml": ooxml.app_xml(pages["pages"])}


def _xml(element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def _pageref_fields(doc):
    """(bookmark, literal prefix before the field, [begin, instr.., separate, result.., end runs]) per PAGEREF."""
    # only paragraphs that hold a field instruction (in document order), not all of them
    candidates = dict.fromkeys(p for instr in doc.iter(W + "instrText")
                               for p in [instr.getparent().getparent()] if p is not None and p.tag == W + "p")
    for p in candidates:
        runs = p.findall(W + "r")
        i = 0
        while i < len(runs):
            if not _is_char(runs[i], "begin"):
                i += 1
                continue
            k = i + 1                       # the instruction: instrText runs up to the next field character
            while k < len(runs) and runs[k].find(W + "fldChar") is None:
                k += 1
            instr = "".join(t.text or "" for r in runs[i + 1:k] for t in r.findall(W + "instrText")).split()
            if len(instr) < 2 or instr[0] != "PAGEREF":
                i += 1                      # another field (the TOC around the list): look inside it
                continue
            j, depth = i + 1, 1             # its own end, past any field nested in it
            while j < len(runs) and depth:
                depth += _is_char(runs[j], "begin") - _is_char(runs[j], "end")
                j += 1
            prefix = "".join(t.text or "" for t in runs[i - 1].findall(W + "t")) if i else ""
            yield instr[1], prefix, runs[i:j]
            i = j


def _is_char(run, kind: str) -> bool:
    char = run.find(W + "fldChar")
    return char is not None and char.get(W + "fldCharType") == kind


def _set_result(runs, text: str) -> None:
    begin = runs[0].find(W + "fldChar")
    begin.attrib.pop(W + "dirty", None)                  # the cached result is current: Word need not recompute
    separate = next(k for k, r in enumerate(runs) if _is_char(r, "separate"))
    results = runs[separate + 1:-1]
    for extra in results[1:]:
        extra.getparent().remove(extra)
    if results:
        result = results[0]
        for t in result.findall(W + "t"):
            result.remove(t)
    else:
        result = etree.Element(W + "r")
        runs[-1].addprevious(result)
    etree.SubElement(result, W + "t").text = text


def _replace_with_text(runs, text: str, bookmark: str) -> None:
    link = etree.Element(W + "hyperlink")
    link.set(W + "anchor", bookmark)
    link.set(W + "history", "1")
    run = etree.SubElement(link, W + "r")
    etree.SubElement(run, W + "t").text = text
    runs[0].addprevious(link)
    for r in runs:
        r.getparent().remove(r)
