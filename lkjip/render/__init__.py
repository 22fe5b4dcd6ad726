"""Render stage: the computed report to DOCX (not built yet)."""
from __future__ import annotations


def render_report(report, content, output_dir):
    raise NotImplementedError
