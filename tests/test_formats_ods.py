"""Number styles of an .ods, judged as the formats of an .xlsx (read/ods_formats.py).

Gnumeric's .ods of every format a test of .xlsx holds is in tests/test_writers.py; here are the
styles LibreOffice writes that Gnumeric does not (a display factor, `0.00##`, currency, maps,
a style by a parent or a column), each put into LibreOffice's own .ods of the filled form, whose
E10 (3.5 万元) has the style N145 (`0.00##`, in styles.xml) through its cell style ce15.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from jc315cli.check.validate import validate_file
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.problems.report import FileReport

SOURCE = Path(__file__).parent / "fixtures" / "quirks" / "filled-valid-libreoffice.ods"
N145 = re.compile(r'<number:number-style style:name="N145">.*?</number:number-style>')
E10 = 'office:value-type="float" office:value="3.5" calcext:value-type="float"'


Changes = dict["str | re.Pattern[str]", str]


def changed(tmp_path: Path, content: Changes | None = None, styles: Changes | None = None) -> Path:
    """LibreOffice's .ods with texts (or the matches of patterns) in content.xml and styles.xml
    replaced, each of which must be there."""
    edits = {"content.xml": content or {}, "styles.xml": styles or {}}
    out = io.BytesIO()
    with zipfile.ZipFile(SOURCE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            text = body.decode() if info.filename in edits else ""
            for old, new in edits.get(info.filename, {}).items():
                if isinstance(old, str):
                    assert old in text, old
                    text = text.replace(old, new)
                else:
                    text, count = old.subn(new, text)
                    assert count == 1, old
            dst.writestr(info, text.encode() if info.filename in edits else body)
    path = tmp_path / "改.ods"
    path.write_bytes(out.getvalue())
    return path


def styled(tmp_path: Path, style: str, value: str = "3.5") -> Path:
    """E10 shown through `style` (in place of N145), with the value given."""
    cell = f'office:value-type="float" office:value="{value}" calcext:value-type="float"'
    return changed(tmp_path, content={E10: cell}, styles={N145: style})


def shown_wrong(report: FileReport) -> dict[str, str]:
    return {str(p.cell): p.message for p in report.problems if p.code == "display-differs"}


def number(places: int, least: int | None = None, extra: str = "") -> str:
    least_attr = f' number:min-decimal-places="{least}"' if least is not None else ""
    return (
        f'<number:number number:decimal-places="{places}"{least_attr}'
        f' number:min-integer-digits="1"{extra}/>'
    )


def style(kind: str, body: str, name: str = "N145") -> str:
    return f'<number:{kind}-style style:name="{name}">{body}</number:{kind}-style>'


MISLEADING = [
    ("3.456", style("number", number(2)), "格式“0.00”只显示 2 位小数"),
    ("3.4567", style("number", number(3, 2)), "格式“0.00#”只显示 3 位小数"),
    ("3500", style("number", number(0, 0, ' number:display-factor="1000"')), "缩放"),
    ("0.5", style("percentage", number(0) + "<number:text>%</number:text>"), "百分比"),
    (
        "3.456",
        style("currency", "<number:currency-symbol>¥</number:currency-symbol>" + number(2)),
        "格式“[$¥]0.00”只显示 2 位小数",
    ),
    ("3.5", style("number", "<number:text>—</number:text>"), "不显示实际数值"),
    (
        "3.5",
        style("date", "<number:year/><number:text>-</number:text><number:month/>"),
        '格式“YYYY"-"MM”不显示实际数值',
    ),
    ("3.5", style("number", number(0) + "<number:text>0</number:text>"), "旁边显示别的数字"),
]


@pytest.mark.parametrize(("value", "body", "why"), MISLEADING)
def test_a_style_that_shows_another_number_is_refused_at_its_cell(
    tmp_path: Path, value: str, body: str, why: str
) -> None:
    report = validate_file(styled(tmp_path, body, value), DEFAULT_CAMPAIGN)
    found = shown_wrong(report)
    assert list(found) == ["E10"] and why in found["E10"], found
    assert "5" not in report.values and report.status == "invalid"


FAITHFUL = [
    ("3.5", style("number", number(4, 2))),  # LibreOffice's 0.00##
    ("3.5", style("number", '<number:number number:min-integer-digits="1"/>')),  # General
    ("3.5", style("number", number(2, extra=' number:grouping="true"') + "<number:text>万元</number:text>")),
    ("3.5", style("currency", "<number:currency-symbol>¥</number:currency-symbol>" + number(2))),
    ("3.5", style("number", number(1, extra=' number:display-factor="1"'))),
    ("3.5", style("text", "<number:text-content/>")),
]  # fmt: skip


@pytest.mark.parametrize(("value", "body"), FAITHFUL)
def test_a_style_that_shows_the_number_is_fine(tmp_path: Path, value: str, body: str) -> None:
    report = validate_file(styled(tmp_path, body, value), DEFAULT_CAMPAIGN)
    assert report.status == "valid", [p.message for p in report.problems]
    assert report.values["5"] == Decimal(value)


def test_the_style_a_map_leads_to_is_the_one_judged(tmp_path: Path) -> None:
    """LibreOffice writes `0.0;(0.0)` as a style for negative numbers with a map to the one
    for the others."""
    positive = style("number", number(1), "N145P0")
    negative = "<number:text>(</number:text>" + number(3) + "<number:text>)</number:text>"
    maps = '<style:map style:condition="value()&gt;=0" style:apply-style-name="N145P0"/>'
    path = styled(tmp_path, positive + style("number", negative + maps), "3.45")
    found = shown_wrong(validate_file(path, DEFAULT_CAMPAIGN))
    assert list(found) == ["E10"] and "格式“0.0”只显示 1 位小数" in found["E10"]


def test_a_zero_is_judged_through_the_style_for_positive_numbers(tmp_path: Path) -> None:
    """As the first section of an .xlsx format: an accounting style's “-” for zero is no
    other number. (A value read as 0 in E10 is taken as it is.)"""
    dash = style("number", "<number:text>-</number:text>", "N145P2")
    positive = style("number", number(2), "N145P0")
    maps = (
        '<style:map style:condition="value()&gt;0" style:apply-style-name="N145P0"/>'
        '<style:map style:condition="value()=0" style:apply-style-name="N145P2"/>'
    )
    path = styled(tmp_path, dash + positive + style("text", "<number:text-content/>" + maps), "0")
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert shown_wrong(report) == {} and report.values["5"] == 0


def test_a_condition_not_understood_leads_to_a_style_that_is_judged(tmp_path: Path) -> None:
    odd = style("number", "<number:text>x</number:text>", "N145P0")
    maps = '<style:map style:condition="is-true-formula()" style:apply-style-name="N145P0"/>'
    path = styled(tmp_path, odd + style("number", number(4, 2) + maps))
    assert list(shown_wrong(validate_file(path, DEFAULT_CAMPAIGN))) == ["E10"]


def test_a_style_given_by_the_parent_style_is_judged(tmp_path: Path) -> None:
    path = changed(
        tmp_path,
        content={'style:parent-style-name="Default" style:data-style-name="N145"': 'style:parent-style-name="Default"'},
        styles={
            '<style:style style:name="Default" style:family="table-cell">': '<style:style style:name="Default" style:family="table-cell" style:data-style-name="N145">',
            N145: style("number", number(0)),
        },
    )  # fmt: skip
    assert list(shown_wrong(validate_file(path, DEFAULT_CAMPAIGN))) == ["E10"]


def test_a_style_given_by_the_column_is_judged(tmp_path: Path) -> None:
    """A cell without a style of its own has its column's default cell style."""
    cell = '<table:table-cell table:style-name="ce15" table:content-validation-name="val6"'
    column = 'table:style-name="co5" table:default-cell-style-name="Default"'
    path = changed(
        tmp_path,
        content={
            cell: '<table:table-cell table:content-validation-name="val6"',
            column: 'table:style-name="co5" table:default-cell-style-name="ce15"',
        },
        styles={N145: style("number", number(0))},
    )
    assert list(shown_wrong(validate_file(path, DEFAULT_CAMPAIGN))) == ["E10"]


def test_a_logical_value_is_reported_as_such_whatever_its_style(tmp_path: Path) -> None:
    """A number shown as TRUE is a logical value (preflight_ods.py), not a number style that
    shows no number."""
    path = changed(
        tmp_path,
        content={E10 + "><text:p>3.50</text:p>": 'office:value-type="float" office:value="1"><text:p>TRUE</text:p>'},
        styles={N145: style("boolean", "<number:boolean/>")},
    )  # fmt: skip
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert [(p.code, p.cell) for p in report.problems] == [("logical-value", "E10")]


def test_a_hidden_row_is_kept_beside_a_misleading_style(tmp_path: Path) -> None:
    row = '<table:table-row table:style-name="ro5"><table:table-cell table:style-name="ce5" office:value-type="string" calcext:value-type="string"><text:p>4</text:p>'
    path = changed(
        tmp_path,
        content={row: row.replace('"ro5"', '"ro5" table:visibility="collapse"')},
        styles={N145: style("number", number(0))},
    )  # fmt: skip
    report = validate_file(path, DEFAULT_CAMPAIGN)
    found = [(p.code, p.cell) for p in report.problems]
    assert found == [("hidden-value", "E9"), ("display-differs", "E10")]
