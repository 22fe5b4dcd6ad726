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
from . import ooxml, pagination, pdf
from .page import without_unfilled_note
from .pdf import Timeout, run_tree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CACHE_KEEP = 20                                 # page maps kept in output/.cache/tata-letak/
ENV_OPT_OUT = "LKJIP_TANPA_TATA_LETAK"
# Word bookmarks exported as PDF named destinations: `pdfinfo -dests` then says on which page each one lies.
PDF_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
LABEL = re.compile(r"(?:[IVX]+|L)[.-]\d+|[ivxlc]+")     # footer texts: I.3, L.2, II-1 (per chapter), ii (docx_writer)
BOOKMARK = re.compile(r"Toc\d+")                          # our bookmark names are _Toc00001 ... (docx_writer)
PAGE_MAP = "peta.json"     # laid_out's cache entry: this member holds the page map, the others the changed parts
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


def measured(parts: dict, cache_dir: Path, docx) -> dict:
    """The page map of the DOCX these parts make (page_map); raises LayoutError."""
    return page_map(parts_key(parts.items()), Path(cache_dir), docx)


def filled(parts: dict, pages: dict) -> dict:
    """The parts with the page map written in (replaced_parts); raises LayoutError."""
    # the filled-in parts are a function of the parts and the page map: kept too (memo.py), so an unchanged
    # report does not parse and rewrite its document.xml again
    entry = memo.key("isi-halaman", parts_key(parts.items()), json.dumps(pages, sort_keys=True))
    replaced = memo.get("tata-letak", entry)
    if replaced is None:
        replaced = replaced_parts(parts, pages)
        memo.put("tata-letak", entry, replaced)
    return {**parts, **replaced}


def laid_out(parts: dict, writer, write, markdown: str, specs: dict, cache_dir: Path, zipped) -> dict:
    """The parts with the page numbers filled in by the layout pass (render/layout.py), after the pagination rule
    (render/pagination.py) where it leaves fewer nearly empty pages before landscape ones; the parts unchanged,
    with a notice, when the layout pass fails. write(specs) -> (parts, writer) renders the outline `markdown` again
    with other specs; zipped(parts) -> DOCX bytes. The outcome (the parts that changed and the final page map) is
    kept in the build cache under the first parts' hash, so an unchanged report is not written again for each
    remedy it tried."""
    first = parts
    entry = memo.key("paginasi", pagination.VERSION, parts_key(first.items()))
    stored = memo.get("tata-letak", entry)
    if isinstance(stored, dict) and isinstance(stored.get(PAGE_MAP), str) and set(stored) - {PAGE_MAP} <= set(first):
        try:
            pages = json.loads(stored[PAGE_MAP])
            if valid_map(pages):
                return filled({**first, **{k: v for k, v in stored.items() if k != PAGE_MAP}}, pages)
        except (ValueError, RecursionError, LayoutError):
            pass                                        # a damaged entry: laid out again below
    try:
        pages = measured(parts, cache_dir, lambda: zipped(parts))
        for _round in range(pagination.MAX_TURNS):
            bad = pagination.nearly_empty(pages, writer)
            best = None
            for trial_specs in pagination.alternatives(markdown, specs, writer.placed, pages, bad, writer.pages):
                trial_parts, trial_writer = write(trial_specs)
                trial_pages = measured(trial_parts, cache_dir, lambda p=trial_parts: zipped(p))
                after = pagination.nearly_empty(trial_pages, trial_writer)
                if len(after) < (len(bad) if best is None else best[0]):
                    best = (len(after), trial_specs, trial_parts, trial_writer, trial_pages)
            if best is None:
                break                                   # nothing better: the pages stay as they were laid out
            _count, specs, parts, writer, pages = best
        result = filled(parts, pages)
    except LayoutError as exc:
        notice(f"Tata letak gagal ({exc})")
        return parts
    if set(parts) == set(first):
        memo.put("tata-letak", entry, {**{k: v for k, v in parts.items() if first[k] != v},
                                       PAGE_MAP: json.dumps(pages, sort_keys=True)})
    return result


def parts_key(parts) -> str:
    """Hash of a DOCX before layout: its member names and uncompressed bytes, in order."""
    digest = hashlib.sha256()
    for name, data in parts:
        encoded = name.encode("utf-8")
        digest.update(len(encoded).to_bytes(8, "little") + encoded + len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


# --- measuring ------------------------------------------------------------------------------------------

def valid_map(stored) -> bool:
    """A page map as measure() makes it: older maps without page positions and sizes are measured again."""
    if not (isinstance(stored, dict) and type(stored.get("pages")) is int and isinstance(stored.get("labels"), dict)
            and isinstance(stored.get("letak"), dict) and isinstance(stored.get("ukuran"), list)):
        return False
    return (all(isinstance(k, str) and isinstance(v, str) for k, v in stored["labels"].items())
            and all(isinstance(k, str) and type(v) is int for k, v in stored["letak"].items())
            and all(isinstance(size, list) and len(size) == 3
                    and all(type(x) in (int, float) for x in size) for size in stored["ukuran"]))


def page_map(key: str, cache_dir: Path, docx) -> dict:
    """{"pages": n, "labels": {bookmark: page label}, "letak": {bookmark: page index from 1}, "ukuran": [[width,
    height, bottom of the lowest line above the footer] per page, in points]}, cached by the hash of the DOCX's
    parts (parts_key) in output/.cache/tata-letak and in the user's build cache (base/memo.py, kind 'halaman');
    docx(): the DOCX bytes for LibreOffice."""
    folder = cache_dir / "tata-letak"
    cached = folder / f"{key}.json"
    if cached.is_file() and not cached.is_symlink():
        try:
            stored = json.loads(cached.read_text(encoding="utf-8"))
            if valid_map(stored):
                return stored
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            pass                                             # a damaged cache entry is measured again
    # the user's build cache holds page maps too, by the same content hash: a second output folder (report --all,
    # another --output) or a cleaned output folder never runs LibreOffice again for the same document
    shared = memo.key("halaman", key)
    result = memo.get("halaman", shared)
    if not valid_map(result):
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
        found, at = {}, {}
        for page, name in destinations(_run(["pdfinfo", "-dests", str(pdf)])):
            if not 1 <= page <= len(labels):
                raise LayoutError(f"halaman {page} tidak ada")
            found[name], at[name] = labels[page - 1], page
        sizes = page_sizes(_run(["pdftotext", "-bbox", str(pdf), "-"]))
    # sizes feed only the pagination rules (render/pagination.py): unreadable ones leave the pages as they are
    return {"pages": len(labels), "labels": found, "letak": at, "ukuran": sizes if len(sizes) == len(labels) else []}


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


PAGE_BOX = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD_BOX = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


def page_sizes(text: str) -> list[list[float]]:
    """[width, height, lowest] per page from `pdftotext -bbox`: lowest is the bottom of the lowest word that is not
    the footer's page label (0 on a page without one), all in points, rounded to a tenth."""
    sizes = []
    for width, height, body in PAGE_BOX.findall(text):
        words = [(float(top), float(bottom), word) for top, bottom, word in WORD_BOX.findall(body)]
        if words:
            last = max(top for top, _b, _w in words)
            footer = [w for w in words if w[0] > last - 1]
            if LABEL.fullmatch(" ".join(word for _t, _b, word in footer).strip()):
                words = [w for w in words if w not in footer]
        lowest = max((bottom for _t, bottom, _w in words), default=0.0)
        sizes.append([round(float(width), 1), round(float(height), 1), round(lowest, 1)])
    return sizes


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
