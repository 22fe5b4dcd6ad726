"""Render stage entry: computed report -> outline Markdown (Jinja2) with its table and figure specs (the plan,
built by `check` too) -> DOCX and Markdown rendition, written atomically."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..base.fmt import join_title
from ..base.output import transaction, usable_folder
from ..base.problems import ERROR, Problem
from ..base.resources import OUTLINE
from ..base.shape import output_stem
from ..base.xmltext import clean
from ..load.content import PROSE_DIR, relpath
from ..validate.corrections import listing
from .directives import PATTERN, mark
from .figures import figure_spec
from .floats import float_landscape_figures
from .prose import (
    Prosa,
    check_sections,
    context,
    environment,
    error_line,
    missing_sections,
    render_prose,
)
from .sandbox import ContentKeyMissing
from .tables import build_table

# Lazy on purpose: the writers (python-docx, the layout pass) are imported in render_report, so `check`, which plans
# the report but writes nothing, never loads python-docx.


@dataclass
class Plan:
    markdown: str
    specs: dict            # ("tabel"|"gambar", args) -> TableSpec | FigureSpec
    prose: dict            # section name -> rendered prose (the outline holds placeholders for it)



def outline_file(outline: Path = OUTLINE) -> str:
    """The outline template's path as problems name it (templates/lkjip.md.j2)."""
    return outline.relative_to(outline.parents[1]).as_posix()


def outline_markdown(report, rendered: dict, prose_dir: str, outline: Path = OUTLINE,
                     extra: dict | None = None) -> tuple[str | None, list[Problem]]:
    """The outline rendered with the report; prose sections stand as placeholders the writers fill with the prose
    parsed on its own; directives are marked as genuine (render/directives.py). extra: more names for the
    outline (the PK document's `perubahan`)."""
    env = environment(outline=True)
    prosa = Prosa(rendered, prose_dir)
    source = mark(outline.read_text(encoding="utf-8"))
    try:
        markdown = clean(env.render_bounded(env.compile_text(source),
                                            {**context(report), "prosa": prosa, **(extra or {})}))
        return markdown, missing_sections(prosa, prose_dir)
    except ContentKeyMissing as exc:
        file, line, path = exc.origin
        where = f"{path}.{exc.key}" if path else exc.key
        return None, [Problem(file, line, where, "kunci-dibutuhkan", ERROR,
                              f"Kerangka laporan membutuhkan kunci '{exc.key}' di sini; isi kunci itu")]
    except Exception as exc:  # noqa: BLE001 - a broken outline template (or content it cannot handle) is reported
        return None, [Problem(outline_file(outline), error_line(exc, source), "", "templat-gagal", ERROR,
                              f"Templat kerangka gagal: {type(exc).__name__}: {exc}")]


def build_specs(markdown: str, report) -> tuple[dict, list[Problem]]:
    """Every table and figure the outline asks for, built once (check builds them too)."""
    specs, problems = {}, []
    for match in PATTERN.finditer(markdown):
        kind, args = match.group(1), match.group(2)
        if kind not in ("tabel", "gambar") or (kind, args) in specs:
            continue
        try:
            specs[(kind, args)] = build_table(args, report) if kind == "tabel" else figure_spec(args, report)
        except Exception as exc:        # noqa: BLE001 - a content shape the builders do not handle
            problems.append(Problem(outline_file(), 1, "", "templat-gagal", ERROR,
                                    f"{kind.capitalize()} '{args}' tidak dapat disusun: {type(exc).__name__}: {exc}"))
    return specs, problems


def drop_empty_figures(markdown: str, specs: dict) -> str:
    """A figure without data leaves the outline (with its caption and its Daftar Gambar entry), so that every
    rendition and the numbering agree."""
    def keep(match):
        spec = specs.get((match.group(1), match.group(2)))
        return "" if match.group(1) == "gambar" and spec is not None and spec.empty else match.group(0)
    return PATTERN.sub(keep, markdown)


def plan_report(report, content) -> tuple[dict, Plan | None, list[Problem]]:
    """(rendered prose, plan, problems): everything the DOCX needs, without writing anything."""
    prose_dir = f"{relpath(content.root / str(report.tahun))}/{PROSE_DIR}".replace("\\", "/")
    rendered, problems = render_prose(report, content.prose)
    problems += check_sections(content.prose, prose_dir, OUTLINE.read_text(encoding="utf-8"), report)
    if any(p.severity == ERROR for p in problems):
        return rendered, None, problems
    markdown, found = outline_markdown(report, rendered, prose_dir)
    problems += found
    if markdown is None:
        return rendered, None, problems
    specs, found = build_specs(markdown, report)
    problems += found
    markdown = float_landscape_figures(drop_empty_figures(markdown, specs), specs)
    return rendered, (Plan(markdown, specs, rendered) if not found else None), problems


def plan_document(report, outline: Path, extra: dict | None = None) -> tuple[Plan | None, list[Problem]]:
    """The plan of a document other than the LKjIP (templates/pk.md.j2): an outline without prose."""
    markdown, problems = outline_markdown(report, {}, "", outline, extra)
    if markdown is None:
        return None, problems
    specs, found = build_specs(markdown, report)
    markdown = float_landscape_figures(drop_empty_figures(markdown, specs), specs)
    return (Plan(markdown, specs, {}) if not found else None), problems + found


def report_datetime(report) -> dt.datetime:
    """Fixed time stamp of the outputs (zip members, document properties): the month of signing, or 1 January of the
    year after the report year when the content does not give one, so that the same content gives the same bytes."""
    if report.laporan.get("tanggal"):
        year, month = (int(x) for x in report.laporan["tanggal"].split("-"))
        return dt.datetime(year, month, 1, 0, 0, 0)
    return dt.datetime(report.tahun + 1, 1, 1, 0, 0, 0)


class _Collect:
    """Stands in for python-docx's zip writer: keeps each serialised part by its member name."""

    def __init__(self):
        self.parts: dict = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.parts[pack_uri.membername] = blob


def docx_parts(doc, report, title: str | None = None) -> dict:
    """Every part of the package serialised once, as python-docx would write it, in member order
    ([Content_Types].xml first, then by name), with document properties from content."""
    from docx.opc.pkgwriter import PackageWriter

    from . import ooxml
    stamp = report_datetime(report)
    props = doc.core_properties
    props.title = clean(title or join_title(report.laporan["judul"], report.instansi["nama"], f"Tahun {report.tahun}"))[:255]
    props.subject = clean(f"{report.laporan['singkatan']} {report.tahun} {report.instansi['nama']}")[:255]
    props.author = props.last_modified_by = clean(report.instansi["nama"])[:255]
    props.created = props.modified = stamp
    props.revision = 1
    props.keywords, props.category = "LKjIP, SAKIP", "Laporan Kinerja"
    props.comments = f"Disusun dengan lkjip {__version__}"
    props.language = "id-ID"
    package = doc.part.package
    for part in package.parts:
        if part.partname == "/docProps/app.xml":
            part._blob = ooxml.app_xml()          # pages are added by the layout pass, when it runs
        part.before_marshal()
    # python-docx's own steps of Document.save (pinned python-docx), into memory instead of a zip: the parts are
    # compressed once, by zip_parts, after the layout pass has filled in the page numbers.
    out = _Collect()
    parts = package.parts
    PackageWriter._write_content_types_stream(out, parts)
    PackageWriter._write_pkg_rels(out, package.rels)
    PackageWriter._write_parts(out, parts)
    return {name: out.parts[name] for name in sorted(out.parts, key=lambda n: (n != "[Content_Types].xml", n))}


def zip_parts(parts: dict, report) -> bytes:
    """The DOCX: fixed member order and times, pictures stored, XML deflated: same content, same bytes."""
    stamp = report_datetime(report).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, stamp)
            # pictures are compressed already: store them, deflate the XML
            info.compress_type = zipfile.ZIP_STORED if name.endswith((".png", ".jpeg", ".jpg")) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    return out.getvalue()


def docx_bytes(doc, report) -> bytes:
    """Save with document properties from content and fixed zip member order and times: same content, same bytes."""
    return zip_parts(docx_parts(doc, report), report)


def render_report(report, content, output_dir: Path, plan: Plan, layout: bool = False,
                  after_build=None, name: str | None = None, title: str | None = None) -> tuple[Path | None, list[Problem]]:
    """Write lkjip-TAHUN.docx and .md (and koreksi-TAHUN.md) as one transaction (output.py). layout: run the
    LibreOffice layout pass that fills in the page numbers (render/layout.py). after_build(txn, staged_docx) may
    add files (PDF, preview pages) to the same transaction before it commits. The document is made in memory
    first and the folder is locked only to stage and commit it, so builds of several years into one folder
    (report --all) render side by side."""
    from .docx_writer import DocxWriter
    from .layout import laid_out
    from .markdown import rendition
    output_dir = usable_folder(output_dir)
    document = name is not None                  # another document than the LKjIP (the PK): no corrections list
    name = name or output_stem(report.laporan, report.tahun)

    def write(specs: dict):
        writer = DocxWriter(report, content.root / str(report.tahun), output_dir / ".cache" / "gambar", specs,
                            toc_front_matter=layout, prose=plan.prose, logo=getattr(content, "logo", None))
        return docx_parts(writer.write(plan.markdown), report, title), writer

    parts, writer = write(plan.specs)
    if layout:
        parts = laid_out(parts, writer, write, plan.markdown, plan.specs, output_dir / ".cache",
                         lambda some: zip_parts(some, report))
    data = zip_parts(parts, report)
    files = {f"{name}.md": rendition(plan.markdown, report, plan.specs, plan.prose).encode("utf-8")}
    if report.koreksi and not document:
        files[f"koreksi-{report.tahun}.md"] = listing(report.koreksi, report.tahun, report.laporan["singkatan"]).encode("utf-8")
    with transaction(output_dir, name) as txn:
        for file, content_bytes in files.items():
            txn.write(file, content_bytes)
        staged = txn.write(f"{name}.docx", data)
        if after_build is not None:
            after_build(txn, staged)
    return output_dir / f"{name}.docx", []
