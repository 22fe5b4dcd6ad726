"""Render stage: prose Markdown from content, through sandboxed Jinja2 with StrictUndefined."""
from __future__ import annotations

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from ..fmt import FILTERS
from ..problems import ERROR, Problem


def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                               finalize=lambda value: "-" if value is None else value)   # unfilled figures print "-"
    env.filters.update(FILTERS)
    return env


def context(report) -> dict:
    """Names prose may use: the report model plus short aliases."""
    return {"r": report, "tahun": report.tahun, "tahun_lalu": report.tahun_lalu, "instansi": report.instansi,
            "iku": report.iku, "total": report.total, "jumlah": report.counts, "renstra": report.renstra,
            "laporan": report.laporan, "program": report.programs, "isu": report.isu,
            "jumlah_indikator": len(report.indicators)}


def _error_line(exc, text: str) -> int:
    import traceback
    line = getattr(exc, "lineno", None)
    if line:
        return line
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>":
            return frame.lineno
    return 1


def outline_sections(outline_text: str) -> set:
    """Prose section names the outline template uses ({{ prosa.NAME }})."""
    import re
    return set(re.findall(r"prosa\.(\w+)", outline_text))


def check_sections(prose: dict, prose_dir: str, outline_text: str) -> list[Problem]:
    """Every section the outline needs has its file; files the outline never uses are reported."""
    from ..problems import WARNING
    needed = outline_sections(outline_text)
    out = [Problem(f"{prose_dir}/{name}.md", 0, "", "prosa-hilang", ERROR,
                   f"Bagian prosa '{name}' dipakai kerangka laporan tetapi berkasnya tidak ada")
           for name in sorted(needed - set(prose))]
    out += [Problem(prose[name][0], 1, "", "prosa-tidak-dipakai", WARNING,
                    f"Berkas prosa '{name}' tidak dipakai kerangka laporan (templates/lkjip.md.j2); periksa nama berkas")
            for name in sorted(set(prose) - needed)]
    return out


def render_prose(report, prose: dict) -> tuple[dict, list[Problem]]:
    """section name -> rendered Markdown; undefined names and syntax errors become problems with file:line."""
    env, ctx = environment(), context(report)
    out, problems = {}, []
    for name, (file, text) in sorted(prose.items()):
        try:
            out[name] = env.from_string(text).render(ctx)
        except TemplateSyntaxError as exc:
            problems.append(Problem(file, exc.lineno or 1, "", "templat-tidak-valid", ERROR,
                                    f"Sintaks Jinja2 tidak valid: {exc.message}"))
        except UndefinedError as exc:
            problems.append(Problem(file, _error_line(exc, text), "", "nama-tidak-dikenal", ERROR,
                                    f"Nama tidak dikenal dalam prosa: {exc.message}"))
        except Exception as exc:  # sandbox violations, type errors in expressions: still the editor's input
            problems.append(Problem(file, _error_line(exc, text), "", "templat-gagal", ERROR,
                                    f"Ekspresi prosa gagal dievaluasi: {exc}"))
    return out, problems

