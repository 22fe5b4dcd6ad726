"""Shared fixtures: a scratch copy of the real content to break in tests."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
sys.path.insert(0, str(ROOT))
# Builds through the CLI skip the LibreOffice layout pass (seconds per build); the layout tests in
# test_word.py turn it on explicitly.
os.environ.setdefault("LKJIP_TANPA_TATA_LETAK", "1")


@pytest.fixture(scope="session", autouse=True)
def build_cache(tmp_path_factory) -> Path:
    """One build cache (lkjip/base/memo.py) for the whole run, shared by xdist workers and the builds tests start as
    processes; never the user's own. LKJIP_CACHE=0 runs the suite with the cache off."""
    if os.environ.get("LKJIP_CACHE", "").strip() == "0":
        return None
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "lkjip-cache"
    os.environ["LKJIP_CACHE"] = str(folder)
    return folder


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


@pytest.fixture(scope="session")
def built_2022(tmp_path_factory) -> Path:
    """output/lkjip-2022.docx built once per session (no layout pass); do not modify it."""
    from lkjip import pipeline
    result = pipeline.report(CONTENT, 2022, tmp_path_factory.mktemp("out-2022"))
    assert result.output is not None, [p.format() for p in result.problems]
    return result.output
