"""Render stage entry: computed report -> outline Markdown (Jinja2) -> DOCX and Markdown rendition, written atomically."""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

from jinja2 import TemplateError

from ..problems import ERROR, Problem
from ..resources import TEMPLATES_DIR
from .docx_writer import DocxWriter
from .markdown import rendition
from .prose import context, environment, render_prose

OUTLINE = TEMPLATES_DIR / "lkjip.md.j2"


def outline_markdown(report, prose: dict, rendered: dict | None = None) -> tuple[str | None, list[Problem]]:
    """rendered: prose already rendered by the check stage, else rendered here."""
    if rendered is None:
        rendered, problems = render_prose(report, prose)
        if problems:
            return None, problems
    env = environment()
    env.trim_blocks = env.lstrip_blocks = True
    try:
        template = env.from_string(OUTLINE.read_text(encoding="utf-8"))
        return template.render({**context(report), "prosa": rendered}), []
    except TemplateError as exc:
        line = getattr(exc, "lineno", None) or 1
        return None, [Problem(str(OUTLINE.relative_to(OUTLINE.parents[1])), line, "", "templat-gagal", ERROR,
                              f"Templat kerangka gagal: {exc}")]


def _report_datetime(report) -> dt.datetime:
    year, month = (int(x) for x in report.laporan["tanggal"].split("-"))
    return dt.datetime(year, month, 1, 0, 0, 0)


def docx_bytes(doc, report) -> bytes:
    """Save with document properties from content and fixed zip member order and times: same content, same bytes."""
    stamp = _report_datetime(report)
    props = doc.core_properties
    props.title = f"{report.laporan['judul']} {report.instansi['nama']} Tahun {report.tahun}"
    props.subject = f"{report.laporan['singkatan']} {report.tahun}"
    props.author = props.last_modified_by = report.instansi["nama"]
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write next to the target and rename: a failed build never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)            # mkstemp creates 0600; give the file the usual permissions
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def render_report(report, content, output_dir: Path, rendered_prose: dict | None = None) -> tuple[Path | None, list[Problem]]:
    markdown, problems = outline_markdown(report, content.prose, rendered_prose)
    if markdown is None:
        return None, problems
    figure_dir = Path(output_dir) / ".cache" / "gambar"
    doc = DocxWriter(report, content.root / str(report.tahun), figure_dir).write(markdown)
    data = docx_bytes(doc, report)
    target = Path(output_dir) / f"lkjip-{report.tahun}.docx"
    text = rendition(markdown, report)
    write_atomic(target.with_suffix(".md"), text.encode("utf-8"))
    write_atomic(target, data)
    return target, []
