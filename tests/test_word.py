"""Word-first DOCX: Open XML validator, package and XML structure, no blank-page paragraphs, clean template,
and the LibreOffice layout pass that fills in page numbers (slow tests, run by `make test-all`)."""
from __future__ import annotations

import hashlib
import io
import posixpath
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from lkjip import __version__, pipeline
from lkjip.render import layout
from lkjip.render.ooxml import SCHEMA_ORDER, schema_rank
from lkjip.tools.years.scaffold import new_year

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
LO_MISSING = "LibreOffice/poppler tidak terpasang (apt-get install libreoffice-writer-nogui poppler-utils)"


@pytest.fixture(scope="module")
def draft_2023(tmp_path_factory) -> Path:
    """A new-year draft (empty realisasi, DRAF marks) built from a scratch copy of the content."""
    content = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(ROOT / "content", content)
    new_year(content, 2023)
    result = pipeline.report(content, 2023, tmp_path_factory.mktemp("out-2023"))
    assert result.output is not None, [p.format() for p in result.problems]
    return result.output


@pytest.fixture(params=["2022", "draf-2023"])
def document(request) -> Path:
    return request.getfixturevalue("built_2022" if request.param == "2022" else "draft_2023")


@pytest.fixture(scope="session")
def validator():
    audit = pytest.importorskip("openxml_audit", reason="openxml-audit tidak terpasang (pip install -r requirements-dev.txt)")
    return audit.OpenXmlValidator()


def _errors(validator, path: Path) -> list[str]:
    from openxml_audit import ValidationSeverity
    result = validator.validate(path)
    return [str(e) for e in result.errors if e.severity == ValidationSeverity.ERROR]


def test_open_xml_validator_finds_no_errors(document, validator):
    assert _errors(validator, document) == []


def test_template_is_valid(validator):
    assert _errors(validator, ROOT / "templates" / "base.docx") == []


# --- structure --------------------------------------------------------------------------------------------

def structure_problems(path: Path) -> list[str]:
    """Everything Word is stricter about than LibreOffice, as readable problem lines (empty: fine)."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        parts = {n: etree.fromstring(z.read(n)) for n in names if n.endswith((".xml", ".rels"))}
    problems += _package_problems(names, parts)
    document = parts["word/document.xml"]
    stories = [document] + [x for n, x in sorted(parts.items()) if re.match(r"word/(header|footer)\d*\.xml$", n)]
    problems += _bookmark_problems(document)
    problems += _drawing_problems(stories)
    for story in stories:
        problems += _field_problems(story)
    for tbl in document.iter(W + "tbl"):
        problems += _grid_problems(tbl)
    for name in sorted(parts):
        if name.startswith("word/") and name.endswith(".xml"):
            problems += _order_problems(name, parts[name])
    return problems


def _package_problems(names: set, parts: dict) -> list[str]:
    problems = []
    types = parts["[Content_Types].xml"]
    defaults = {d.get("Extension").lower() for d in types.findall(CT + "Default")}
    overrides = {o.get("PartName").lstrip("/") for o in types.findall(CT + "Override")}
    for name in sorted(names):
        if name != "[Content_Types].xml" and name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            problems.append(f"{name}: no content type")
    problems += [f"{o}: content type for a missing part" for o in sorted(overrides - names)]
    for rels_name in sorted(n for n in names if n.endswith(".rels")):
        source_dir = posixpath.dirname(posixpath.dirname(rels_name))          # word/_rels/x.rels -> word
        for rel in parts[rels_name].findall(REL + "Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(source_dir, target))
            if resolved not in names:
                problems.append(f"{rels_name}: {rel.get('Id')} -> missing {resolved}")
    return problems


def _bookmark_problems(document) -> list[str]:
    problems = []
    starts = list(document.iter(W + "bookmarkStart"))
    ends = Counter(e.get(W + "id") for e in document.iter(W + "bookmarkEnd"))
    ids = Counter(s.get(W + "id") for s in starts)
    names = Counter(s.get(W + "name") for s in starts)
    problems += [f"bookmark id {i} used {n} times" for i, n in ids.items() if n > 1]
    problems += [f"bookmark name {i} used {n} times" for i, n in names.items() if n > 1]
    problems += [f"bookmark id {i} without its end" for i in ids if ends[i] != 1]
    problems += [f"bookmarkEnd {i} without a start" for i in ends if i not in ids]
    for instr in document.iter(W + "instrText"):
        words = (instr.text or "").split()
        if words[:1] == ["PAGEREF"] and (len(words) < 2 or words[1] not in names):
            problems.append(f"PAGEREF to a missing bookmark: {instr.text!r}")
    return problems


def _drawing_problems(stories) -> list[str]:
    ids = Counter(d.get("id") for story in stories for d in story.iter(WP + "docPr"))
    return [f"drawing id {i} used {n} times" for i, n in ids.items() if n > 1]


def _field_problems(story) -> list[str]:
    """Complex fields nest properly: begin [separate] end, one separate at most per field, all closed."""
    problems, stack = [], []
    for char in story.iter(W + "fldChar"):
        kind = char.get(W + "fldCharType")
        if kind == "begin":
            stack.append(0)
        elif not stack:
            problems.append(f"fldChar {kind} outside a field")
        elif kind == "separate":
            stack[-1] += 1
            if stack[-1] > 1:
                problems.append("field with two separates")
        elif kind == "end":
            stack.pop()
    return problems + (["field not closed"] if stack else [])


def _grid_problems(tbl) -> list[str]:
    """Every row spans the grid exactly; a vMerge continuation sits under a merged cell of the same columns."""
    problems = []
    columns = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    above: dict = {}
    for r, tr in enumerate(tbl.findall(W + "tr")):
        trpr = tr.find(W + "trPr")
        col = int(trpr.find(W + "gridBefore").get(W + "val")) if trpr is not None and trpr.find(W + "gridBefore") is not None else 0
        row: dict = {}
        for tc in tr.findall(W + "tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_el.get(W + "val")) if span_el is not None else 1
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            if vmerge is not None and vmerge.get(W + "val", "continue") == "continue":
                if above.get(col) != (span, True):
                    problems.append(f"table row {r}: vMerge continues at column {col} without a merged cell above")
            row[col] = (span, vmerge is not None)
            if tc.find(W + "p") is None:
                problems.append(f"table row {r}: cell without a paragraph")
            col += span
        if trpr is not None and trpr.find(W + "gridAfter") is not None:
            col += int(trpr.find(W + "gridAfter").get(W + "val"))
        if col != columns:
            problems.append(f"table row {r}: spans {col} of {columns} grid columns")
        above = row
    return problems


def _order_problems(part: str, root) -> list[str]:
    problems = []
    for kind in SCHEMA_ORDER:
        rank = schema_rank(kind)
        for element in root.iter(W + kind):
            seen = [c.tag[len(W):] if c.tag.startswith(W) else c.tag for c in element if isinstance(c.tag, str)]
            unknown = [name for name in seen if name not in rank]
            positions = [rank[name] for name in seen if name in rank]
            if unknown or positions != sorted(positions):
                problems.append(f"{part}: {kind} children out of schema order: {seen}")
    return problems


def test_structure_has_no_problems(document):
    assert structure_problems(document) == []


def test_structure_checks_catch_problems(built_2022, tmp_path):
    """The checks above are not vacuous: damage a copy and each kind of problem is reported."""
    with zipfile.ZipFile(built_2022) as z:
        members = {n: z.read(n) for n in z.namelist()}
    xml = members["word/document.xml"].decode("utf-8")
    xml = xml.replace('w:name="_Toc00002"', 'w:name="_Toc00001"', 1)                       # duplicate bookmark name
    xml = xml.replace('<w:fldChar w:fldCharType="end"/>', "", 1)                           # unclosed field
    xml = re.sub(r"(<w:pPr>)(<w:pStyle [^>]*/>)(<w:keepNext/>)", r"\1\3\2", xml, count=1)   # pStyle after keepNext
    xml = xml.replace("<w:gridSpan w:val=\"2\"/>", "<w:gridSpan w:val=\"3\"/>", 1)          # row wider than grid
    members["word/document.xml"] = xml.encode("utf-8")
    del members["word/numbering.xml"]                                                       # relationship target gone
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(damaged, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    found = "\n".join(structure_problems(damaged))
    for expected in ("bookmark name _Toc00001", "field not closed", "out of schema order", "grid columns",
                     "missing word/numbering.xml", "content type for a missing part"):
        assert expected in found, expected


# --- no paragraphs that only Word renders -------------------------------------------------------------

def _empty(p) -> bool:
    return not "".join(t.text or "" for t in p.iter(W + "t")).strip() and p.find(f".//{W}drawing") is None \
        and p.find(f".//{W}fldChar") is None


def test_no_empty_paragraphs_except_after_tables(document):
    """Word renders empty paragraphs that LibreOffice drops (section-break carriers, spacer lines): a blank line,
    or a blank page when the page is full. The only empty body paragraphs left are the ones Word requires after a
    table (before a section break, between two tables, at the end) and they are 1 pt high."""
    body = etree.fromstring(zipfile.ZipFile(document).read("word/document.xml")).find(W + "body")
    blocks = list(body)
    stray, necessary = [], 0
    for i, block in enumerate(blocks):
        if block.tag != W + "p" or not _empty(block):
            continue
        after_table = i > 0 and blocks[i - 1].tag == W + "tbl"
        before = blocks[i + 1] if i + 1 < len(blocks) else None
        needed = block.find(f"{W}pPr/{W}sectPr") is not None or before is None or before.tag in (W + "tbl", W + "sectPr")
        spacing = block.find(f"{W}pPr/{W}spacing")
        hairline = spacing is not None and spacing.get(W + "lineRule") == "exact" and int(spacing.get(W + "line")) <= 20
        if after_table and needed and hairline:
            necessary += 1
        else:
            stray.append(i)
    assert stray == []
    tables = sum(1 for b in blocks if b.tag == W + "tbl")
    assert 1 <= necessary < tables / 2


def test_section_breaks_ride_on_content(built_2022):
    """A section break sits on the section's last paragraph; an empty carrier only where a table ends the section."""
    body = etree.fromstring(zipfile.ZipFile(built_2022).read("word/document.xml")).find(W + "body")
    carriers = [p for p in body.findall(W + "p") if p.find(f"{W}pPr/{W}sectPr") is not None]
    assert len([p for p in carriers if not _empty(p)]) >= 10
    assert all(p.getprevious().tag == W + "tbl" for p in carriers if _empty(p))


# --- clean package ----------------------------------------------------------------------------------------

def test_package_is_clean_and_describes_the_report(built_2022):
    with zipfile.ZipFile(built_2022) as z:
        names = set(z.namelist())
        settings = z.read("word/settings.xml").decode()
        styles = z.read("word/styles.xml").decode()
        app = etree.fromstring(z.read("docProps/app.xml"))
        core = z.read("docProps/core.xml").decode()
    assert not {n for n in names if "stylesWithEffects" in n or "thumbnail" in n or n.startswith("customXml")}
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert re.search(r'<w:zoom w:percent="100"/>', settings) and "w:proofState" not in settings
    assert re.search(r'<w:docDefaults><w:rPrDefault><w:rPr>.*<w:lang w:val="id-ID"', styles)
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.findtext(ns + "Application") == f"lkjip {__version__}"
    assert app.find(ns + "Pages") is None                      # no layout pass: no page count at all
    assert not [el for el in app if el.tag[len(ns):] in ("Words", "Characters", "AppVersion", "Template", "Company")]
    agency = "Dinas Sosial Kota Metro"
    assert f"<dc:creator>{agency}</dc:creator>" in core and re.search(f"<dc:title>[^<]*{agency}[^<]*</dc:title>", core)
    assert f"lkjip {__version__}" in core and "<dc:language>id-ID</dc:language>" in core
    assert "updateFields" in settings                          # without the layout pass Word fills the numbers


def test_headings_keep_with_next_in_schema_order():
    """numPr used to come first in Heading 1-3 pPr; Word then ignores keepNext and strands headings."""
    styles = etree.fromstring(zipfile.ZipFile(ROOT / "templates" / "base.docx").read("word/styles.xml"))
    for style in styles.iter(W + "style"):
        if style.get(W + "styleId") in ("Heading1", "Heading2", "Heading3"):
            order = [c.tag[len(W):] for c in style.find(W + "pPr")]
            assert order.index("keepNext") < order.index("numPr") < order.index("spacing")


# --- layout pass (fast: LibreOffice replaced by a made-up page map) ----------------------------------------

def _pre_layout(built: Path) -> bytes:
    from lkjip.render.build import docx_bytes
    from lkjip.render.docx_writer import DocxWriter
    result = pipeline.check(ROOT / "content", 2022)
    doc = DocxWriter(result.report, ROOT / "content" / "2022", built.parent / ".cache" / "gambar", result.plan.specs,
                     toc_front_matter=True).write(result.plan.markdown)
    return docx_bytes(doc, result.report)


def _toc_entries(data: bytes) -> list[tuple[str, str]]:
    """(entry text, page label as shown) for every line of Daftar Isi, Daftar Tabel and Daftar Gambar."""
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(W + "body")
    entries = []
    for p in body.findall(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is None or not (style.get(W + "val").startswith("TOC") or style.get(W + "val") == "tableoffigures"):
            continue
        text = "".join(el.text or "" if el.tag == W + "t" else "\t" for el in p.iter(W + "t", W + "tab"))
        entry, _, label = text.partition("\t")
        entries.append((entry, label))
    return entries


@pytest.fixture(scope="module")
def pre_layout(built_2022) -> bytes:
    return _pre_layout(built_2022)


def _made_up_map(data: bytes) -> dict:
    """Front matter on roman pages, every other entry on page 7 of its prefix."""
    doc = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    labels = {name: f"{prefix}7" if prefix else "ii" for name, prefix, _runs in layout._pageref_fields(doc)}
    return {"pages": 70, "labels": labels, "letak": dict.fromkeys(labels, 7), "ukuran": []}


def test_layout_pass_fills_fields_and_caches(pre_layout, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(layout, "measure", lambda data, cache: calls.append(1) or _made_up_map(data))
    filled = layout.fill_page_numbers(pre_layout, tmp_path)
    again = layout.fill_page_numbers(pre_layout, tmp_path)
    assert calls == [1] and again == filled                       # second build: page map from the cache
    members = zipfile.ZipFile(io.BytesIO(pre_layout))
    key = hashlib.sha256()                                          # the map is keyed by the parts before layout
    for name in members.namelist():
        data = members.read(name)
        key.update(len(name.encode()).to_bytes(8, "little") + name.encode() + len(data).to_bytes(8, "little") + data)
    assert (tmp_path / "tata-letak" / f"{key.hexdigest()}.json").is_file()
    entries = _toc_entries(filled)
    assert entries[:5] == [("KATA PENGANTAR", "ii"), ("DAFTAR ISI", "ii"), ("DAFTAR TABEL", "ii"),
                           ("DAFTAR GAMBAR", "ii"), ("IKHTISAR EKSEKUTIF", "ii")]
    assert ("BAB I PENDAHULUAN", "I.7") in entries and ("Tabel 1.1 Pejabat Struktural", "I.7") in entries
    assert all(label for _e, label in entries)
    with zipfile.ZipFile(io.BytesIO(filled)) as z:
        assert "updateFields" not in z.read("word/settings.xml").decode()
        assert b"<Pages>70</Pages>" in z.read("docProps/app.xml")
        document = z.read("word/document.xml").decode()
        assert 'w:dirty="true"' not in document and '<w:hyperlink w:anchor="_Toc00001"' in document
        assert [i.date_time for i in z.infolist()] == [(2023, 3, 1, 0, 0, 0)] * len(z.infolist())


def test_layout_pass_failure_keeps_fields_for_word(pre_layout, tmp_path, monkeypatch, capsys):
    def broken(data, cache):
        raise layout.LayoutError("uji")
    monkeypatch.setenv("LKJIP_CACHE", str(tmp_path / "memo"))   # no page map of another test in the shared cache
    monkeypatch.setattr(layout, "measure", broken)
    assert layout.fill_page_numbers(pre_layout, tmp_path) == pre_layout
    assert "Word memperbarui bidang" in capsys.readouterr().err
    inconsistent = _made_up_map(pre_layout)
    inconsistent["labels"]["_Toc00006"] = "II.3"                   # BAB I heading on a BAB II page: not trusted
    monkeypatch.setattr(layout, "measure", lambda data, cache: inconsistent)
    assert layout.fill_page_numbers(pre_layout, tmp_path / "other") == pre_layout


def test_report_without_libreoffice_says_so(built_2022, tmp_path, monkeypatch, capsys):
    from lkjip import cli
    shutil.copytree(built_2022.parent / ".cache" / "gambar", tmp_path / ".cache" / "gambar")    # no redrawing
    monkeypatch.delenv(layout.ENV_OPT_OUT, raising=False)
    monkeypatch.setattr(layout, "available", lambda: False)
    assert cli.main(["report", "--content", str(ROOT / "content"), "--output", str(tmp_path)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len([line for line in err if "Word memperbarui bidang" in line]) == 1


def test_page_labels_and_destinations_parsing():
    text = "SAMPUL\n2023\n\f  KATA PENGANTAR\n\n      ii\n\f isi\n   I.3  \n\f"
    assert layout.page_labels(text) == ["", "ii", "I.3"]
    dests = 'Page  Destination                 Name\n   2 [ XYZ  246  757 null      ] "5FToc00001"\n' \
            '  12 [ XYZ  142  703 null      ] "_Toc00012"\n   3 [ XYZ 1 2 null ] "lain"\n'
    assert list(layout.destinations(dests)) == [(2, "_Toc00001"), (12, "_Toc00012")]


# --- layout pass with LibreOffice (slow) --------------------------------------------------------------------

needs_office = pytest.mark.skipif(not layout.available() or shutil.which("soffice") is None, reason=LO_MISSING)


@pytest.fixture(scope="session")
def laid_out(tmp_path_factory):
    """The 2022 report with the layout pass, and LibreOffice's own PDF of that final DOCX."""
    out = tmp_path_factory.mktemp("laid-out")
    result = pipeline.report(ROOT / "content", 2022, out, layout=True)
    assert result.output is not None
    work = tmp_path_factory.mktemp("pdf")
    shutil.copy(result.output, work / "r.docx")
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(work / "r.docx")],
                   check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(work / "r.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    return result.output, text


def _pages_of(entries, pages: list[str]) -> list[str]:
    """Page label where each entry's heading or caption appears, searching in document order; lines of the lists
    themselves (with their dot leaders) do not count."""
    norm = [[" ".join(line.split()) for line in page.splitlines()] for page in pages]
    squeezed = ["".join(page.split()) for page in pages]                # captions may wrap anywhere
    listing = [bool(re.search(r"\.{6,}", page)) for page in pages]
    found, cursor = [], 0
    for entry in entries:
        want = " ".join(entry.split())
        page = next(i for i in range(cursor, len(pages))
                    if want in norm[i] or (not listing[i] and "".join(want.split()) in squeezed[i]))
        cursor = page
        found.append(layout.page_labels(pages[page] + "\f")[0])
    return found


@pytest.mark.slow
@needs_office
def test_cached_page_numbers_equal_libreoffice_pages(laid_out):
    docx, text = laid_out
    entries = _toc_entries(docx.read_bytes())
    pages = text.split("\f")
    assert len(entries) >= 60 and all(label for _e, label in entries)
    groups = [[], [], []]                              # Daftar Isi, Tabel, Gambar: each in document order
    for entry, label in entries:
        groups[0 if not entry.startswith(("Tabel ", "Gambar ")) else 1 if entry.startswith("Tabel ") else 2].append((entry, label))
    for group in groups:
        assert [label for _e, label in group] == _pages_of([e for e, _l in group], pages), group[0][0]
    with zipfile.ZipFile(docx) as z:
        assert "updateFields" not in z.read("word/settings.xml").decode()
        pdf_pages = len(pages) - (not pages[-1].strip())
        assert f"<Pages>{pdf_pages}</Pages>".encode() in z.read("docProps/app.xml")


@pytest.mark.slow
@needs_office
def test_laid_out_report_is_valid_and_byte_identical(laid_out, validator, tmp_path, monkeypatch):
    docx, _text = laid_out
    assert _errors(validator, docx) == [] and structure_problems(docx) == []
    again = pipeline.report(ROOT / "content", 2022, tmp_path, layout=True).output       # fresh LibreOffice run
    assert again.read_bytes() == docx.read_bytes()
    monkeypatch.setattr(layout, "measure", lambda *a: pytest.fail("page map should come from the cache"))
    cached = pipeline.report(ROOT / "content", 2022, tmp_path, layout=True).output
    assert cached.read_bytes() == docx.read_bytes()


def test_contents_lines_keep_their_page_number_and_hang(built_2022):
    """Contents lines end in a dotted tab at the right margin and no right indent (LibreOffice drops a number that
    stands beyond it); the lists of tables and figures hang wrapped caption lines under the caption text."""
    data = zipfile.ZipFile(built_2022)
    styles = etree.fromstring(data.read("word/styles.xml"))
    for style_id in ("TOC1", "TOC2", "TOC3", "tableoffigures"):
        ppr = styles.find(f"{W}style[@{W}styleId='{style_id}']/{W}pPr")
        ind, tab = ppr.find(W + "ind"), ppr.find(f"{W}tabs/{W}tab")
        assert ind is None or ind.get(W + "right") in (None, "0"), style_id
        assert tab.get(W + "leader") == "dot" and int(tab.get(W + "pos")) >= 7900, style_id   # the right margin (14 cm)
    hang = styles.find(f"{W}style[@{W}styleId='tableoffigures']/{W}pPr/{W}ind")
    assert int(hang.get(W + "hanging")) == int(hang.get(W + "left")) >= 1400
    body = etree.fromstring(data.read("word/document.xml")).find(W + "body")
    listed = [p for p in body.findall(W + "p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='tableoffigures']") is not None]
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in listed]
    assert sum(t.startswith("Tabel ") for t in texts) == 22 and sum(t.startswith("Gambar ") for t in texts) >= 3


def test_failed_layout_pass_is_said_last_and_shown_in_the_document(built_2022, tmp_path, monkeypatch, capsys):
    """Issue 23 item 6: without page numbers the Daftar Isi says so on the page, and the run ends with the line
    saying why (it used to come before sixty warnings, where it was missed)."""
    from lkjip import cli

    def broken(data, cache):
        raise layout.LayoutError("uji")
    shutil.copytree(built_2022.parent / ".cache" / "gambar", tmp_path / ".cache" / "gambar")
    monkeypatch.setenv("LKJIP_CACHE", str(tmp_path / "memo"))
    monkeypatch.delenv(layout.ENV_OPT_OUT, raising=False)
    monkeypatch.setattr(layout, "available", lambda: True)
    monkeypatch.setattr(layout, "measure", broken)
    assert cli.main(["report", "--content", str(ROOT / "content"), "--output", str(tmp_path)]) == 0
    seen = capsys.readouterr()
    err = [line for line in seen.err.splitlines() if line.strip()]
    assert "Tata letak gagal (uji)" in err[-1] and "Laporan ditulis" in err[-2]
    with zipfile.ZipFile(tmp_path / "lkjip-2022.docx") as z:
        assert "Nomor halaman daftar ini belum terisi" in z.read("word/document.xml").decode("utf-8")
    # with the numbers in, the line is gone
    monkeypatch.setattr(layout, "measure", lambda data, cache: _made_up_map(data))
    before = _pre_layout(built_2022)
    filled = layout.fill_page_numbers(before, tmp_path / "isi")
    assert "belum terisi" in zipfile.ZipFile(io.BytesIO(before)).read("word/document.xml").decode("utf-8")
    assert "belum terisi" not in zipfile.ZipFile(io.BytesIO(filled)).read("word/document.xml").decode("utf-8")


def test_every_numbering_a_style_names_exists(built_2022):
    """Issue 23: List Number 2/3 (and three more) of the template pointed at numbering that did not exist."""
    with zipfile.ZipFile(built_2022) as z:
        styles, numbering = z.read("word/styles.xml").decode(), z.read("word/numbering.xml").decode()
    defined = set(re.findall(r'<w:num w:numId="(\d+)"', numbering))
    named = set(re.findall(r'<w:numPr>(?:(?!</w:numPr>).)*<w:numId w:val="(\d+)"', styles, re.S))
    assert named and named <= defined


def test_pdf_source_leaves_out_the_unfilled_line(built_2022, tmp_path):
    """LibreOffice fills the page references of a PDF itself: the line saying they are not filled is left out of
    the copy it converts; the DOCX keeps it."""
    from lkjip.render import pdf
    before = built_2022.read_bytes()
    source = pdf._for_print(built_2022, tmp_path)
    assert source != built_2022 and source.name == built_2022.name and built_2022.read_bytes() == before
    with zipfile.ZipFile(source) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "belum terisi" not in xml and "DAFTAR ISI" in xml
    assert pdf._for_print(source, tmp_path / "lagi") == source          # nothing to leave out: converted as it is


@pytest.mark.parametrize("kind", ["truncated", "no-document", "not-utf8", "folder"])
def test_pdf_source_of_a_careless_docx_is_passed_on_as_it_is(built_2022, tmp_path, kind):
    from lkjip.render import pdf
    path = tmp_path / "lkjip-2022.docx"
    if kind == "truncated":
        path.write_bytes(built_2022.read_bytes()[:4000])
    elif kind == "no-document":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
    elif kind == "not-utf8":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/document.xml", b"\xff\xfe\x00<w:document/>")
    else:
        path.mkdir()
    assert pdf._for_print(path, tmp_path) == path
