"""Forms as other office programs write them (tests/fixtures/writers/, made by make_writers.py):
read right, and checked alike in every format."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jc315cli.check.validate import validate_file
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from tests.fixtures.make_fixtures import BASE

WRITERS = Path(__file__).parent / "fixtures" / "writers"
HONEST = [
    "filled-valid-gnumeric.xlsx",
    "filled-valid-gnumeric.xls",
    "pasted-xlsxwriter.xlsx",
]
HOSTILE = [
    ("hidden-row", "hidden-value", ["E9"]),
    ("merged-value", "merged-value", ["E8", "E9"]),
    ("misleading-format", "display-differs", ["E10"]),
]


@pytest.mark.parametrize("name", HONEST)
def test_honest_forms_from_other_writers_are_valid_with_exact_values(name: str) -> None:
    """Gnumeric's .xls defines its own format 50 (`0.00##`) for E10's 3.5 万元: a built-in date
    id in East-Asian Excel, which calamine took for 1900-01-03 12:00. Its .ods is pretty-printed,
    which calamine could not read at all."""
    report = validate_file(WRITERS / name, DEFAULT_CAMPAIGN)
    assert report.status == "valid", [p.message for p in report.problems]
    assert report.values == {k: Decimal(str(v)) for k, v in BASE.items()}
    assert report.reporter == "泽州县市场监督管理局"


@pytest.mark.parametrize("suffix", [".xls"])
@pytest.mark.parametrize(("name", "code", "cells"), HOSTILE)
def test_hostile_forms_are_refused_in_every_format_naming_the_cell(
    name: str, code: str, cells: list[str], suffix: str
) -> None:
    report = validate_file(WRITERS / f"{name}-gnumeric{suffix}", DEFAULT_CAMPAIGN)
    assert report.status == "invalid"
    assert [p.cell for p in report.problems if p.code == code] == cells
