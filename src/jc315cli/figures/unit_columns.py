"""Each unit's figures in a merged report's 分单位明细, read cell by cell as `validate` reads a
form's value cell, and held to the 合计 column and the 汇总 sheet they add up to: a report
edited by hand in one place and not the other has no number that can be trusted. Only a merged
report has these columns; read_back.py reads the 汇总 sheet every report has."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jc315cli.check.normalize import normalize_value
from jc315cli.check.one_file import unseen
from jc315cli.figures.detail_layout import Detail, find_detail, layout_seen
from jc315cli.model.campaign import Campaign
from jc315cli.model.form import Item, Measure
from jc315cli.model.text import fold
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport, Number, Severity, exact
from jc315cli.read.locate import FormLocation
from jc315cli.read.matching import match_reporter
from jc315cli.read.workbook import Sheet, WorkbookData, a1

ABSENT = re.compile(r"^(.+?)[（(](未报送|已退回|待核实)[)）]$")


@dataclass(frozen=True)
class UnitColumn:
    """One unit's column of 分单位明细: its values, or why it has none."""

    name: str  # as the column header names it, e.g. 泽州县
    values: dict[str, Number]  # item id → value; empty when the unit is absent
    absent: str = ""  # 未报送, 已退回 or 待核实, as the header says


def read_units(
    workbook: WorkbookData, campaign: Campaign, report: FileReport, location: FormLocation
) -> list[UnitColumn]:
    """Each unit's column of 分单位明细, found by its header (序号 … 单位, the units, 合计)
    and its rows by the items' labels. The sheet is held to the 汇总 sheet it explains (see
    _check_totals): a report edited by hand in one place and not the other has no number that
    can be trusted. A merged report without the sheet, or without its header, cannot be held
    to anything: an error, as is every cell read that `validate` would refuse in a form."""
    detail = find_detail(workbook, campaign, report)
    if detail is None or not layout_seen(detail, campaign, report):
        return []
    units = _unit_columns(detail, campaign, report)
    _check_totals(detail, units, report, location, campaign)
    return units


def _unit_columns(detail: Detail, campaign: Campaign, report: FileReport) -> list[UnitColumn]:
    """Each column between 单位 and 合计, by its header: a unit's figures, or the word that it
    did not report. Every figure is read as `_cell_number` reads it; a unit named twice, or
    numbers under no name, are errors: which column is whose cannot be told."""
    sheet, row0, form = detail.sheet, detail.header_row, campaign.form
    unit_words = form.units()
    out: list[UnitColumn] = []
    seen: dict[str, list[int]] = {}  # a unit → the header columns that name it
    named = dict(sheet.row_values(row0))
    for col in detail.units:
        if col not in named:
            _unnamed(detail, col, report)
            continue
        text = str(named[col]).strip()
        absent = ABSENT.match(text)
        name = absent.group(1) if absent else text
        unit = match_reporter(campaign, name)
        seen.setdefault(unit.name if unit is not None else fold(name), []).append(col)
        if absent:
            out.append(UnitColumn(absent.group(1), {}, absent.group(2)))
            continue
        values: dict[str, Number] = {}
        for item in form.items:
            if item.id in detail.rows:
                at = (detail.rows[item.id], col)
                value, _ = _cell_number(sheet, at, item, campaign, unit_words, report)
                if value is not None:
                    values[item.id] = value
        out.append(UnitColumn(text, values))
    for cols in seen.values():
        if len(cols) > 1:
            report.problems.append(
                problem(
                    "report-unit-twice",
                    cell=a1(row0, cols[1]),
                    sheet=sheet.name,
                    name=str(named[cols[1]]),
                    cells="、".join(a1(row0, c) for c in cols),
                )
            )
    return out


def _unnamed(detail: Detail, col: int, report: FileReport) -> None:
    """A column between 单位 and 合计 without a header: nothing, unless it holds numbers that
    no unit can be credited with."""
    sheet = detail.sheet
    if any(sheet.value(row, col) not in (None, "") for row in detail.rows.values()):
        report.problems.append(
            problem(
                "report-column-unnamed",
                cell=a1(detail.header_row, col),
                sheet=sheet.name,
                why="是空的，这一列却有数",
            )
        )


def _cell_number(
    sheet: Sheet,
    at: tuple[int, int],
    item: Item,
    campaign: Campaign,
    unit_words: dict[str, Measure],
    report: FileReport,
) -> tuple[Number | None, bool]:
    """The exact number in a cell of a report, and whether it had an error; each error is
    added to the report as a problem naming the sheet and the cell. What `validate` refuses
    in a form's value cell is refused here: also an error value, a formula saved without its
    result and a number shown as another (checks.unseen)."""
    row, col = at
    raw = sheet.value(row, col)
    result = normalize_value(raw, campaign.form.measure_of(item), unit_words)
    shown = unseen(sheet.special.get((row, col)), raw, result)
    if shown is not None:
        errors = [shown]
    else:
        errors = [
            (f.code, raw, dict(f.fields)) for f in result.findings if f.severity is Severity.ERROR
        ]
    for code, value, fields in errors:
        report.problems.append(
            problem(
                code,
                cell=a1(row, col),
                sheet=sheet.name,
                item=item.id,
                label=item.label,
                value=value,
                **{**campaign.text_fields(), **fields},
            )
        )
    return (None if errors else result.value), bool(errors)


def _check_totals(
    detail: Detail,
    units: list[UnitColumn],
    report: FileReport,
    location: FormLocation,
    campaign: Campaign,
) -> None:
    """Each item's 合计 in 分单位明细 is the sum of the units that reported, and the 汇总
    sheet's number is that 合计. Where one of the three was typed over, the error names both
    places; nothing is compared that could not be read (its own error says why)."""
    sheet, total_col = detail.sheet, detail.total_col
    form = campaign.form
    unit_words = form.units()
    present = [u for u in units if not u.absent]
    for item in form.items:
        row = detail.rows.get(item.id)
        if row is None:
            continue
        where, raw = a1(row, total_col), sheet.value(row, total_col)
        total, had_errors = _cell_number(
            sheet, (row, total_col), item, campaign, unit_words, report
        )
        if total is None or had_errors:
            continue
        if all(item.id in u.values for u in present):
            added = sum((u.values[item.id] for u in present), start=total * 0)
            if added != total:
                first = a1(row, detail.units.start)
                report.problems.append(
                    problem(
                        "report-inconsistent",
                        cell=where,
                        sheet=sheet.name,
                        item=item.id,
                        label=item.label,
                        value=raw,
                        number=exact(total),
                        other_place=f"各单位（{first}:{a1(row, total_col - 1)}）之和",
                        other=exact(added),
                    )
                )
        stated = report.values.get(item.id)
        value_row = location.item_rows.get(item.id)
        if stated is not None and value_row is not None and stated != total:
            report.problems.append(
                problem(
                    "report-inconsistent",
                    cell=a1(value_row, location.value_col),
                    sheet=location.sheet.name,
                    item=item.id,
                    label=item.label,
                    value=location.sheet.value(value_row, location.value_col),
                    number=exact(stated),
                    other_place=f"“{sheet.name}”{where} 的合计",
                    other=exact(total),
                )
            )
