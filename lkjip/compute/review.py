"""Compute stage: the Pernyataan Telah Direviu (reviu.yaml) for the page after BAB IV."""
from __future__ import annotations

from .agreement import signatory
from .model import ReviewStatement


def review_statement(reviu, instansi) -> ReviewStatement | None:
    """None when the content has no reviu.yaml; missing parts stay None (blank in the report)."""
    if reviu is None:
        return None
    return ReviewStatement(instansi=instansi["nama"], nomor=reviu.get("nomor"), tempat=reviu.get("tempat"),
                           tanggal=reviu.get("tanggal"), inspektur=signatory(reviu.get("inspektur")),
                           catatan=tuple(reviu.get("catatan") or ()))
