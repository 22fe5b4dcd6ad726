"""Render stage entry: computed report -> outline Markdown (Jinja2) -> DOCX and Markdown rendition, written atomically."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from ..output import transaction
from ..problems import ERROR, Problem, has_errors
from ..xmltext import clean
from .directives import mark, prose_placeholder
from .docx_writer import DocxWriter
from .markdown import rendition
from .prose import context, environment, error_line, render_prose

OUTLINE = Path(__file__).resolve().parents[2] / "templates" / "lkjip.md.j2"


def outline_markdown(report, prose: dict, rendered: dict | None = None) -> tuple[str | None, list[Problem]]:
    """The outline rendered with the report; prose sections stand as placeholders for the writers.
    rendered: prose already rendered by the check stage, else rendered here."""
    if rendered is None:
        rendered, problems = render_prose(report, prose)
        if has_errors(problems):
            return None, problems
    env = environment(outline=True)
    source = mark(OUTLINE.read_text(encoding="utf-8"))
    try:
        names = {name: prose_placeholder(name) for name in rendered}
        return clean(env.render_bounded(env.compile_text(source), {**context(report), "prosa": names})), []
    except Exception as exc:  # noqa: BLE001 - a broken outline template is reported, not raised
        return None, [Problem(OUTLINE.relative_to(OUTLINE.parents[1]).as_posix(), error_line(exc, source), "",
                              "templat-gagal", ERROR, f"Templat kerangka gagal: {type(exc).__name__}: {exc}")]


def _report_datetime(report) -> dt.datetime:
    year, month = (int(x) for x in report.laporan["tanggal"].split("-"))
    return dt.datetime(year, month, 1, 0, 0, 0)


def docx_bytes(doc, report) -> bytes:
    """Save with document properties from content and fixed zip member order and times: same content, same bytes."""
    stamp = _report_datetime(report)
    props = doc.core_properties
    props.title = clean(f"{report.laporan['judul']} {report.instansi['nama']} Tahun {report.tahun}")[:255]
    props.subject = clean(f"{report.laporan['singkatan']} {report.tahun}")[:255]
    props.author = props.last_modified_by = clean(report.instansi["nama"])[:255]
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.keywords, props.comments, props.category = "LKjIP, SAKIP", "", "Laporan Kinerja"
    raw = io.BytesIO()
    doc.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, stamp.timetuple()[:6])
            # pictures are compressed already: store them, deflate the XML
            info.compress_type = zipfile.ZIP_STORED if name.endswith((".png", ".jpeg", ".jpg")) else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()


def render_report(report, content, output_dir: Path, rendered_prose: dict | None = None,
                  after_build=None) -> tuple[Path | None, list[Problem]]:
    """Write lkjip-TAHUN.docx and .md as one transaction (output.py); after_build(txn, staged_docx) may add
    files (PDF, preview pages) to the same transaction before it commits."""
    if rendered_prose is None:
        rendered_prose, problems = render_prose(report, content.prose)
        if has_errors(problems):
            return None, problems
    markdown, problems = outline_markdown(report, content.prose, rendered_prose)
    if markdown is None:
        return None, problems
    output_dir = Path(output_dir)
    name = f"lkjip-{report.tahun}"
    with transaction(output_dir, name) as txn:
        writer = DocxWriter(report, content.root / str(report.tahun), output_dir / ".cache" / "gambar",
                            prose=rendered_prose, logo=getattr(content, "logo", None))
        data = docx_bytes(writer.write(markdown), report)
        text = rendition(markdown, report, rendered_prose)
        txn.write(f"{name}.md", text.encode("utf-8"))
        staged = txn.write(f"{name}.docx", data)
        if after_build is not None:
            after_build(txn, staged)
    return output_dir / f"{name}.docx", []
