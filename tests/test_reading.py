"""The reader: real A1 references, and staying light for `validate`."""

from __future__ import annotations

import subprocess
import sys

from openpyxl.utils import get_column_letter

from jc315cli.read.workbook import a1, read_workbook
from tests.conftest import QUIRKS


def test_a1_matches_what_office_suites_show() -> None:
    for col in range(0, 800):
        assert a1(8, col) == f"{get_column_letter(col + 1)}9"
    assert a1(8, 4) == "E9"


def test_trimmed_grid_keeps_the_sheet_offset() -> None:
    sheet = next(s for s in read_workbook(QUIRKS / "moved-table.xlsx").sheets if s.visible)
    assert (sheet.first_row, sheet.first_col) == (3, 2)  # table starts at C4
    assert sheet.value(3, 2) == "附件" and sheet.value(0, 0) is None


def test_validate_does_not_import_openpyxl() -> None:
    # openpyxl is for writing; reading a form and the CLI's start-up do without it.
    code = "import sys, jc315cli.commands.app, jc315cli.check.validate; print(any(m.startswith('openpyxl') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
