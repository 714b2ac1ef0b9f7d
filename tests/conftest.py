from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

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
    from jc315cli.cli import app

    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
