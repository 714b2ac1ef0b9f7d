from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
QUIRKS = FIXTURES / "quirks"
EXAMPLES = ROOT / "examples" / "returned"

# Stable rich output in tests: fixed width, no colour.
os.environ.setdefault("COLUMNS", "200")
os.environ.setdefault("NO_COLOR", "1")
os.environ.pop("SOURCE_DATE_EPOCH", None)


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


def invoke(runner, *args: str):
    from jc315cli.cli import app

    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
