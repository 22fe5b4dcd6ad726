"""Every schema/*.yaml is a valid cerberus definition (builds trust them and skip this check)."""
from __future__ import annotations

from pathlib import Path

import pytest

from lkjip.load.content import RENSTRA_FILES, YEAR_FILES
from lkjip.validate.schema import SCHEMA_DIR, ContentValidator, load_schema


@pytest.mark.parametrize("name", YEAR_FILES + RENSTRA_FILES)
def test_schema_definition_is_valid(name):
    validator = ContentValidator(load_schema(name))      # raises cerberus.SchemaError on a bad definition
    assert validator.schema


def test_every_schema_file_is_used():
    assert {p.stem for p in Path(SCHEMA_DIR).glob("*.yaml")} == set(YEAR_FILES + RENSTRA_FILES)


def test_bad_definition_is_caught():
    import cerberus
    with pytest.raises(cerberus.SchemaError):
        ContentValidator({"x": {"type": "nonsense"}})
