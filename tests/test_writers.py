"""Forms as other office programs write them (tests/fixtures/writers/, made by make_writers.py):
read right, and checked alike in every format."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from jc315cli.check.validate import validate_file
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.read.ods_layout import tidied
from jc315cli.read.workbook import read_workbook
from tests.fixtures.make_fixtures import BASE
from tests.fixtures.make_writers import hostile_book

WRITERS = Path(__file__).parent / "fixtures" / "writers"
HONEST = [
    "filled-valid-gnumeric.xlsx",
    "filled-valid-gnumeric.xls",
    "filled-valid-gnumeric.ods",
    "pasted-xlsxwriter.xlsx",
]
HOSTILE = [
    ("hidden-row", "hidden-value", ["E9"]),
    ("merged-value", "merged-value", ["E8", "E9"]),
    ("misleading-format", "display-differs", ["E10"]),
    ("hidden-sheet", "hidden-form-sheet", [None]),  # (the whole sheet: no one cell)
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


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
@pytest.mark.parametrize(("name", "code", "cells"), HOSTILE)
def test_hostile_forms_are_refused_in_every_format_naming_the_cell(
    name: str, code: str, cells: list[str | None], suffix: str
) -> None:
    report = validate_file(WRITERS / f"{name}-gnumeric{suffix}", DEFAULT_CAMPAIGN)
    assert report.status == "invalid"
    assert [p.cell for p in report.problems if p.code == code] == cells


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_every_format_finds_the_same_numbers_shown_as_others(tmp_path: Path, suffix: str) -> None:
    """One form with a value cell in each format of FORMATS: the same cells refused, with the
    same problem, whether saved as .xlsx (by openpyxl) or as .xls or .ods (by Gnumeric)."""
    if suffix == ".xlsx":
        path = tmp_path / "formats.xlsx"
        hostile_book("formats").save(path)
    else:
        path = WRITERS / f"formats-gnumeric{suffix}"
    report = validate_file(path, DEFAULT_CAMPAIGN)
    shown = {p.cell for p in report.problems if p.code == "display-differs"}
    misleading = {"E6", "E7", "E8", "E9", "E10", "E11", "E12"}
    if suffix == ".ods":  # Gnumeric's .ods keeps `0,` without its scaling: it shows 12000
        misleading.remove("E8")
        assert report.values["3"] == 12000
    assert shown == misleading and report.status == "invalid"
    assert {p.code for p in report.problems} == {"display-differs"}
    faithful = {"6.3": 0, "6.4": 1200, "6.5": 86, "7": 4, "8": 5000}
    assert {k: report.values[k] for k in faithful} == faithful


def _rezipped(ods: Path, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(ods) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, change(body) if info.filename == "content.xml" else body)
    return out.getvalue()


def test_ods_comments_and_processing_instructions_between_cells_are_read(tmp_path: Path) -> None:
    """Valid ODF that calamine alone reports as damaged ("Cannot detect file format")."""
    source = Path(__file__).parent / "fixtures" / "quirks" / "filled-valid-libreoffice.ods"

    def loose(xml: bytes) -> bytes:
        xml = xml.replace(b"</table:table-cell>", b"</table:table-cell><!-- x -->\n ")
        return xml.replace(b"<table:table-row", b"<?jc315 row?>\n<table:table-row")

    path = tmp_path / "loose.ods"
    path.write_bytes(_rezipped(source, loose))
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "valid", [p.message for p in report.problems]
    assert report.values == {k: Decimal(str(v)) for k, v in BASE.items()}


def test_tidying_keeps_the_space_between_words_of_a_cell() -> None:
    xml = (
        b"<table:table-row>\n <table:table-cell office:value-type='string'>\n"
        b"  <text:p><text:span>a</text:span> <text:span>b</text:span></text:p>\n"
        b" </table:table-cell>\n</table:table-row>"
    )
    assert tidied(xml) == (
        b"<table:table-row><table:table-cell office:value-type='string'>"
        b"<text:p><text:span>a</text:span> <text:span>b</text:span></text:p>"
        b"</table:table-cell></table:table-row>"
    )


def test_the_upstream_reproducing_files_are_read_right() -> None:
    """The minimal files of docs/upstream/, which calamine alone reads wrongly."""
    upstream = Path(__file__).parent.parent / "docs" / "upstream"
    ods = read_workbook(upstream / "ods-whitespace.ods").sheets[0]
    assert ods.rows == [["a", 1.0]]
    xls = read_workbook(upstream / "xls-format-50.xls").sheets[0]
    assert xls.rows == [[3.5]]
    report = validate_file(upstream / "xls-many-styles.xls", DEFAULT_CAMPAIGN)
    assert [(p.code, p.reason) for p in report.problems] == [("unreadable", "too-many-styles")]
    assert "32,792 种单元格格式" in report.problems[0].message
