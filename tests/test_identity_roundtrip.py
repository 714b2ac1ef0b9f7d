"""The identity sheet survives an office suite: a generated form opened and saved by LibreOffice
as .xlsx, .xls and .ods still says which form, year and reporter it is.

The LibreOffice files are committed fixtures (tests/fixtures/make_fixtures.py makes them), so
these tests need no LibreOffice.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.form import FORM_ID
from jc315cli.model.identity import IDENTITY_SHEET, Identity
from jc315cli.model.layout import FORM_SHEET
from jc315cli.read.workbook import read_workbook
from jc315cli.write.blank_forms import build_timestamp, form_bytes

ROUNDTRIP = Path(__file__).parent / "fixtures" / "roundtrip"
REPORTER = "泽州县市场监督管理局"
ROUNDTRIP_FILES = sorted(ROUNDTRIP.glob("blank-libreoffice.*"))


def generated_identity(tmp_path: Path) -> Identity | None:
    reporter = DEFAULT_CAMPAIGN.reporter(REPORTER)
    path = tmp_path / "form.xlsx"
    path.write_bytes(form_bytes(DEFAULT_CAMPAIGN, reporter, build_timestamp(DEFAULT_CAMPAIGN)))
    return read_workbook(path).identity


def assert_zezhou_identity(identity: Identity | None) -> None:
    assert identity is not None
    assert identity.form_id == FORM_ID == "jc315-statistics"
    assert identity.form_version == "2023.1"
    assert identity.year == 2023
    assert identity.kind == "form"
    assert identity.reporter == REPORTER


def test_every_format_has_a_roundtrip_fixture() -> None:
    assert {path.suffix for path in ROUNDTRIP_FILES} == {".xlsx", ".xls", ".ods"}


@pytest.mark.parametrize("path", ROUNDTRIP_FILES, ids=lambda path: path.name)
def test_identity_survives_libreoffice(path: Path, tmp_path: Path) -> None:
    data = read_workbook(path)
    assert data.format == path.suffix
    assert_zezhou_identity(data.identity)
    # Every field, generated_at included, is exactly what jc315 wrote.
    assert data.identity == generated_identity(tmp_path)
    sheets = {sheet.name: sheet for sheet in data.sheets}
    assert FORM_SHEET in sheets
    assert sheets[FORM_SHEET].visible
    assert sheets[FORM_SHEET].value(2, 2) == REPORTER  # C3, the 填报单位 cell
    # LibreOffice has no "very hidden": it keeps the identity sheet hidden, never shown.
    assert not sheets[IDENTITY_SHEET].visible


def test_generated_bytes_read_back_the_same_identity(tmp_path: Path) -> None:
    reporter = DEFAULT_CAMPAIGN.reporter(REPORTER)
    path = tmp_path / "form.xlsx"
    path.write_bytes(form_bytes(DEFAULT_CAMPAIGN, reporter, build_timestamp(DEFAULT_CAMPAIGN)))
    data = read_workbook(path)
    assert_zezhou_identity(data.identity)
    sheets = {sheet.name: sheet for sheet in data.sheets}
    assert sheets[FORM_SHEET].value(2, 2) == REPORTER
    assert not sheets[IDENTITY_SHEET].visible
