"""Shared fixtures: a scratch copy of the real content to break in tests."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running tests (LibreOffice, subprocess fault injection, large "
                                       "corpora); `make test` skips them, `make test-all` and .ci/run run them")


@pytest.fixture
def content(tmp_path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


@pytest.fixture(scope="session")
def report_2022():
    from lkjip import pipeline
    result = pipeline.check(CONTENT, 2022)
    assert result.report is not None, [p.format() for p in result.problems]
    return result
