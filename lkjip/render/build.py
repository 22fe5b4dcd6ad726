"""Render stage entry: computed report -> outline Markdown (Jinja2) with its table and figure specs (the plan,
built by `check` too) -> DOCX and Markdown rendition, written atomically."""
from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError

from ..problems import ERROR, Problem
from ..resources import TEMPLATES_DIR
from . import ooxml
from .prose import (ContentKeyMissing, Prosa, check_sections, context, environment, error_line, missing_sections,
                    render_prose)

OUTLINE = TEMPLATES_DIR / "lkjip.md.j2"


@dataclass
class Plan:
    markdown: str
    specs: dict            # ("tabel"|"gambar", args) -> TableSpec | FigureSpec


def _outline_file() -> str:
    return str(OUTLINE.relative_to(OUTLINE.parents[1])).replace("\\", "/")


def outline_markdown(report, rendered: dict, prose_dir: str) -> tuple[str | None, list[Problem]]:
    env = environment()
    env.trim_blocks = env.lstrip_blocks = True
    prosa = Prosa(rendered, prose_dir)
    try:
        template = env.from_string(OUTLINE.read_text(encoding="utf-8"))
        markdown = template.render({**context(report), "prosa": prosa})
        return markdown, missing_sections(prosa, prose_dir)
    except ContentKeyMissing as exc:
        file, line, path = exc.origin
        where = f"{path}.{exc.key}" if path else exc.key
        return None, [Problem(file, line, where, "kunci-dibutuhkan", ERROR,
                              f"Kerangka laporan membutuhkan kunci '{exc.key}' di sini; isi kunci itu")]
    except TemplateError as exc:
        return None, [Problem(_outline_file(), error_line(exc), "", "templat-gagal", ERROR, f"Templat kerangka gagal: {exc}")]


def build_specs(markdown: str, report) -> tuple[dict, list[Problem]]:
    """Every table and figure the outline asks for, built once (check builds them too)."""
    from .docx_writer import DIRECTIVE
    from .figures import figure_spec
    from .tables import build_table
    specs, problems = {}, []
    for match in DIRECTIVE.finditer(markdown):
        kind, args = match.group(1), match.group(2)
        if kind not in ("tabel", "gambar") or (kind, args) in specs:
            continue
        try:
            specs[(kind, args)] = build_table(args, report) if kind == "tabel" else figure_spec(args, report)
        except Exception as exc:        # noqa: BLE001 - a content shape the builders do not handle
            problems.append(Problem(_outline_file(), 1, "", "templat-gagal", ERROR,
                                    f"{kind.capitalize()} '{args}' tidak dapat disusun: {type(exc).__name__}: {exc}"))
    return specs, problems


def plan_report(report, content) -> tuple[dict, Plan | None, list[Problem]]:
    """(rendered prose, plan, problems): everything the DOCX needs, without writing anything."""
    from ..load import PROSE_DIR, relpath
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
    return rendered, (Plan(markdown, specs) if not found else None), problems


def report_datetime(report) -> dt.datetime:
    """Fixed time stamp of the outputs (zip members, document properties): the month of signing, or 1 January of the
    year after the report year when the content does not give one, so that the same content gives the same bytes."""
    if report.laporan.get("tanggal"):
        year, month = (int(x) for x in report.laporan["tanggal"].split("-"))
        return dt.datetime(year, month, 1, 0, 0, 0)
    return dt.datetime(report.tahun + 1, 1, 1, 0, 0, 0)


def docx_bytes(doc, report) -> bytes:
    """Save with document properties from content and fixed zip member order and times: same content, same bytes."""
    from .. import __version__
    stamp = report_datetime(report)
    props = doc.core_properties
    props.title = f"{report.laporan['judul']} {report.instansi['nama']} Tahun {report.tahun}"
    props.subject = f"{report.laporan['singkatan']} {report.tahun} {report.instansi['nama']}"
    props.author = props.last_modified_by = report.instansi["nama"]
    props.created = props.modified = stamp
    props.revision = 1
    props.keywords, props.category = "LKjIP, SAKIP", "Laporan Kinerja"
    props.comments = f"Disusun dengan lkjip {__version__}"
    props.language = "id-ID"
    for part in doc.part.package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = ooxml.app_xml()          # pages are added by the layout pass, when it runs
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


def render_report(report, content, output_dir: Path, plan: Plan, layout: bool = False) -> tuple[Path | None, list[Problem]]:
    """layout: run the LibreOffice layout pass that fills in the page numbers (render/layout.py)."""
    from ..corrections import listing
    from .docx_writer import DocxWriter
    from .markdown import rendition
    figure_dir = Path(output_dir) / ".cache" / "gambar"
    doc = DocxWriter(report, content.root / str(report.tahun), figure_dir, plan.specs,
                     toc_front_matter=layout).write(plan.markdown)
    data = docx_bytes(doc, report)
    if layout:
        from .layout import fill_page_numbers
        data = fill_page_numbers(data, Path(output_dir) / ".cache")
    target = Path(output_dir) / f"lkjip-{report.tahun}.docx"
    text = rendition(plan.markdown, report, plan.specs)
    write_atomic(target.with_suffix(".md"), text.encode("utf-8"))
    if report.koreksi:
        write_atomic(Path(output_dir) / f"koreksi-{report.tahun}.md", listing(report.koreksi, report.tahun).encode("utf-8"))
    write_atomic(target, data)
    return target, []
