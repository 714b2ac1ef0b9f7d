from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import jc315cli  # noqa: F401  # first, before openpyxl: see src/jc315cli/__init__.py

if TYPE_CHECKING:
    from typer.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
QUIRKS = FIXTURES / "quirks"
EXAMPLES = ROOT / "examples" / "returned"

# Stable rich output in tests: fixed width, no colour.
os.environ.setdefault("COLUMNS", "200")
os.environ.setdefault("NO_COLOR", "1")
os.environ.pop("SOURCE_DATE_EPOCH", None)


@pytest.fixture
def runner() -> CliRunner:
    from typer.testing import CliRunner

    return CliRunner()


def invoke(runner: CliRunner, *args: object) -> Result:
    from jc315cli.commands.app import app

    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def filled_form(path: Path, **cells: str | int | float | date | None) -> Path:
    """泽州县's generated form with every value 1 and 填报日期 2023-03-20 (and `cells` on top),
    saved the way an office suite saves what a clerk typed. The one maker of such a file for
    tests and fixture scripts."""
    from openpyxl import load_workbook

    from jc315cli.model.builtin import DEFAULT_CAMPAIGN
    from jc315cli.model.layout import FORM_SHEET, LAYOUT
    from jc315cli.write.blank_forms import build_timestamp, form_bytes

    reporter = DEFAULT_CAMPAIGN.reporter("泽州县市场监督管理局")
    path.write_bytes(form_bytes(DEFAULT_CAMPAIGN, reporter, build_timestamp(DEFAULT_CAMPAIGN)))
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    for index in range(len(DEFAULT_CAMPAIGN.form.items)):
        ws[LAYOUT.value_cell(index)] = 1
    ws[LAYOUT.date_cell] = date(2023, 3, 20)
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def lines_run(call: Callable[[], object]) -> int:
    """How many lines of Python `call()` runs: a measure of work that a loaded machine does not
    change, unlike the time it takes. For tests that a cost grows linearly."""
    count = 0

    def line(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        count += event == "line"
        return line

    previous = sys.gettrace()  # a coverage tracer, if one runs
    sys.settrace(lambda frame, event, arg: line)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count
