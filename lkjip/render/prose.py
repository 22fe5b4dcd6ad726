"""Render stage: prose Markdown from content, through the bounded Jinja2 sandbox with StrictUndefined."""
from __future__ import annotations

import re

from jinja2 import TemplateSyntaxError, UndefinedError

from ..problems import ERROR, WARNING, Problem
from ..xmltext import XML_ILLEGAL, describe
from .mdcheck import check_markdown
from .sandbox import BoundedEnvironment, TemplateLimit

_ENVIRONMENTS: dict = {}


def environment(outline: bool = False) -> BoundedEnvironment:
    """One bounded environment per kind (prose; outline with trimmed blocks), reused so compiled templates are too."""
    if outline not in _ENVIRONMENTS:
        _ENVIRONMENTS[outline] = BoundedEnvironment(trim_blocks=outline, lstrip_blocks=outline)
    return _ENVIRONMENTS[outline]


def context(report) -> dict:
    """Names prose may use: the report model plus short aliases."""
    return {"r": report, "tahun": report.tahun, "tahun_lalu": report.tahun_lalu, "instansi": report.instansi,
            "iku": report.iku, "total": report.total, "jumlah": report.counts, "renstra": report.renstra,
            "laporan": report.laporan, "program": report.programs, "isu": report.isu,
            "jumlah_indikator": len(report.indicators)}


def error_line(exc, text: str) -> int:
    """Template line of an error: its own lineno, else the innermost template frame of its traceback."""
    import traceback
    line = getattr(exc, "lineno", None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>" and frame.lineno:
            return frame.lineno
    return 1


def outline_sections(outline_text: str) -> set:
    """Prose section names the outline template uses ({{ prosa.NAME }})."""
    return set(re.findall(r"prosa\.(\w+)", outline_text))


def check_sections(prose: dict, prose_dir: str, outline_text: str) -> list[Problem]:
    """Every section the outline needs has its file; files the outline never uses are reported."""
    needed = outline_sections(outline_text)
    out = [Problem(f"{prose_dir}/{name}.md", 0, "", "prosa-hilang", ERROR,
                   f"Bagian prosa '{name}' dipakai kerangka laporan tetapi berkasnya tidak ada")
           for name in sorted(needed - set(prose))]
    out += [Problem(prose[name][0], 1, "", "prosa-tidak-dipakai", WARNING,
                    f"Berkas prosa '{name}' tidak dipakai kerangka laporan (templates/lkjip.md.j2); periksa nama berkas")
            for name in sorted(set(prose) - needed)]
    return out


def render_one(env: BoundedEnvironment, file: str, text: str, ctx: dict) -> tuple[str | None, list[Problem]]:
    """One prose file: rendered Markdown, or None with its problems at the prose line."""
    try:
        return env.render_bounded(env.compile_text(text), ctx), []
    except TemplateSyntaxError as exc:
        return None, [Problem(file, exc.lineno or 1, "", "templat-tidak-valid", ERROR,
                              f"Sintaks Jinja2 tidak valid: {exc.message}")]
    except UndefinedError as exc:
        return None, [Problem(file, error_line(exc, text), "", "nama-tidak-dikenal", ERROR,
                              f"Nama tidak dikenal dalam prosa: {exc.message}")]
    except TemplateLimit as exc:
        line = min(error_line(exc, text), text.count("\n") + 1)
        return None, [Problem(file, line, "", "templat-melampaui-batas", ERROR,
                              f"Ekspresi prosa melampaui batas: {exc}")]
    except Exception as exc:  # noqa: BLE001 - sandbox violations, type errors, recursion: still the editor's input
        return None, [Problem(file, error_line(exc, text), "", "templat-gagal", ERROR,
                              f"Ekspresi prosa gagal dievaluasi: {type(exc).__name__}: {str(exc)[:200]}")]


def render_prose(report, prose: dict) -> tuple[dict, list[Problem]]:
    """section name -> rendered Markdown; template and Markdown problems with file:line."""
    env, ctx = environment(), context(report)
    out, problems = {}, []
    for name, (file, text) in sorted(prose.items()):
        rendered, found = render_one(env, file, text, ctx)
        problems += found
        if rendered is None:
            continue
        lines = text.count("\n") + 1
        bad = XML_ILLEGAL.search(rendered)
        if bad:
            line = min(rendered.count("\n", 0, bad.start()) + 1, lines)
            problems.append(Problem(file, line, "", "karakter-tidak-valid", ERROR,
                                    f"Ekspresi prosa menghasilkan karakter kendali {describe(bad.group())}"))
        problems += check_markdown(file, rendered, lines)
        out[name] = rendered
    return out, problems
