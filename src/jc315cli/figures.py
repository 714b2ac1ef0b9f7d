"""Reading a finished report back as figures: one unit's returned form, or a merged report
(its 汇总 sheet has the layout of a returned form, so the same reading, locating and
normalizing path reads both), plus, for a merged report, each unit's column of 分单位明细.

Used by `jc315 summary` and `jc315 compare`. A report read here is not judged as a
submission (no deadline, no 填报单位 list to be on): only whether its numbers can be known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from jc315cli.campaign import Campaign
from jc315cli.checks import FileCheck, check_values
from jc315cli.dates import parse_filled_on
from jc315cli.errors import Jc315Error
from jc315cli.form import Item, Measure
from jc315cli.identity import Identity
from jc315cli.locate import FormLocation, locate_form
from jc315cli.matching import match_reporter
from jc315cli.normalize import normalize_value
from jc315cli.problems import problem
from jc315cli.reading import Sheet, WorkbookData, a1, load_bytes, parse_workbook
from jc315cli.report import FileReport, Number, Problem, Severity, exact, shown, visible
from jc315cli.text import fold

# The merged report's sheet of units (merge_workbook.DETAIL_SHEET, which imports openpyxl; a
# test checks the two agree) and the words of its header that are not the form's labels.
DETAIL_SHEET = "分单位明细"
DETAIL_ITEM = "项目"
DETAIL_TOTAL = "合计"
ABSENT = re.compile(r"^(.+?)[（(](未报送|已退回)[)）]$")
AREA = re.compile(r"^(.+?[省市县区旗州盟])(?:市场监督管理局|市场监管局|消费者协会)")

ReportKind = Literal["form", "consolidated"]


@dataclass(frozen=True)
class UnitColumn:
    """One unit's column of 分单位明细: its values, or why it has none."""

    name: str  # as the column header names it, e.g. 泽州县
    values: dict[str, Number]  # item id → value; empty when the unit is absent
    absent: str = ""  # 未报送 or 已退回, as the header says


@dataclass(frozen=True)
class ReportFigures:
    """What a report says, with the campaign it was read with."""

    path: Path
    campaign: Campaign
    kind: ReportKind
    year: int
    version: str
    reporter: str  # full name: the organizer for a merged report
    subject: str  # who the paragraph speaks of: 全市 for a merged report, 泽州县 for a form
    values: dict[str, Number]
    filled_on: date | None = None
    units: list[UnitColumn] | None = None  # a merged report's 分单位明细, when it has one
    warnings: list[Problem] = field(default_factory=list)

    def value(self, item: Item) -> Number:
        return self.values[item.id]

    @property
    def kind_words(self) -> str:
        return "汇总表" if self.kind == "consolidated" else "统计表"


def read_report(path: Path, campaign: Campaign, *, option: str = "--campaign") -> ReportFigures:
    """The figures of the report in `path`, read with `campaign` (named on the command line by
    `option`). Raises a Jc315Error when the file cannot be read or a number in it cannot be
    known; the error names the cells."""
    if not path.exists():
        raise Jc315Error("path-not-found", path=path)
    workbook = parse_workbook(path, load_bytes(path))
    identity = workbook.identity
    _check_identity(path, identity, campaign, option)
    location = locate_form(workbook, campaign.form)
    if identity is None and location.title_year not in (None, campaign.year):
        _mismatch(path, f"{location.title_year}年", campaign, option)
    report = FileReport(path=str(path), sheet=location.sheet.name)
    check_values(location, FileCheck(report, campaign))
    kind, reporter, subject = _whose(workbook, location, campaign, path)
    units = _read_units(workbook, campaign, report, location) if kind == "consolidated" else None
    if report.errors:
        _refuse(path, report.errors)
    filled_on = parse_filled_on(location.filled_on.value if location.filled_on else None).value
    return ReportFigures(
        path=path,
        campaign=campaign,
        kind=kind,
        year=identity.year if identity else campaign.year,
        version=identity.form_version if identity else campaign.form.version,
        reporter=reporter,
        subject=subject,
        values=dict(report.values),
        filled_on=filled_on,
        units=units,
        warnings=report.warnings,
    )


def refuse_same_report(last: Path, this: Path) -> None:
    """One report given as both the last and this one (the same file, a link to it or a copy):
    a slip, and every change would read 持平, ready to be pasted into a 总结."""
    if not (last.is_file() and this.is_file()):
        return  # read_report says what is wrong with it
    if last.resolve() == this.resolve() or load_bytes(last).sha256 == load_bytes(this).sha256:
        raise Jc315Error("same-report", last_file=visible(last.name), this_file=visible(this.name))


def _check_identity(path: Path, identity: Identity | None, campaign: Campaign, option: str) -> None:
    if identity is None:
        return
    if identity.form_id != campaign.form.id:
        raise Jc315Error("wrong-form", found=identity.form_id)
    if identity.year != campaign.year or identity.form_version != campaign.form.version:
        _mismatch(path, f"{identity.year}年、版本 {shown(identity.form_version)}", campaign, option)


def _mismatch(path: Path, found: str, campaign: Campaign, option: str) -> None:
    expected = f"{campaign.year}年、版本 {campaign.form.version}"
    raise Jc315Error(
        "report-campaign-mismatch",
        file=visible(path.name),
        said=found,
        expected=expected,
        flag=option,
    )


def _refuse(path: Path, errors: list[Problem]) -> None:
    first = errors[0]
    lines = []
    for p in errors:
        where = "!".join(shown(x) for x in (p.sheet, p.cell) if x)
        what = " ".join(x for x in (where, p.label) if x)
        typed = f"“{shown(p.value)}” " if p.value and shown(p.value) not in p.message else ""
        hint = f"。{p.hint}" if p.hint else ""
        lines.append(f"  × {what + '：' if what else ''}{typed}{p.message}{hint}")
    raise Jc315Error(
        "report-invalid",
        cell=first.cell,
        sheet=first.sheet,
        item=first.item,
        label=first.label,
        value=first.value,
        file=visible(path.name),
        count=len(errors),
        details=visible("\n".join(lines)),
    )


def area(organizer: str) -> str:
    """全市 for 晋城市市场监督管理局, 全省 for 山西省市场监督管理局; else the name itself."""
    match = AREA.match(organizer)
    return f"全{match.group(1)[-1]}" if match else organizer


def _whose(
    workbook: WorkbookData, location: FormLocation, campaign: Campaign, path: Path
) -> tuple[ReportKind, str, str]:
    """Merged or one unit's, whose, and how the paragraph names it."""
    identity = workbook.identity
    if identity is not None and identity.kind == "consolidated":
        name = identity.reporter or campaign.organizer
        return "consolidated", name, area(name)
    text = ""
    if identity is not None and identity.reporter:
        text = identity.reporter
    elif location.reporter is not None and location.reporter.value not in (None, ""):
        text = str(location.reporter.value).strip()
    if text and fold(text) == fold(campaign.organizer):  # a merged report pasted elsewhere
        return "consolidated", campaign.organizer, area(campaign.organizer)
    unit = match_reporter(campaign, text) if text else match_reporter(campaign, path.stem)
    if unit is not None:
        return "form", unit.name, unit.short_name
    return "form", text or path.stem, text or "本单位"


def _read_units(
    workbook: WorkbookData, campaign: Campaign, report: FileReport, location: FormLocation
) -> list[UnitColumn] | None:
    """Each unit's column of 分单位明细, found by its header (序号 … 单位, the units, 合计)
    and its rows by the items' labels. None when the report has no such sheet. The sheet is
    held to the 汇总 sheet it explains (see _check_totals): a report edited by hand in one
    place and not the other has no number that can be trusted."""
    sheet = next((s for s in workbook.sheets if s.name == DETAIL_SHEET), None)
    if sheet is None:
        return None
    form = campaign.form
    header = _detail_header(sheet, campaign)
    if header is None:
        return None
    row0, columns = header
    category_col, name_col = columns[fold(form.labels.category)], columns[fold(DETAIL_ITEM)]
    measure_col, total_col = columns[fold(form.labels.measure)], columns[fold(DETAIL_TOTAL)]
    by_label = {(fold(i.category), fold(i.name or "")): i for i in form.items}
    rows: dict[str, int] = {}
    for row in range(row0 + 1, sheet.last_row + 1):
        key = (fold(sheet.value(row, category_col)), fold(sheet.value(row, name_col)))
        item = by_label.get(key)
        if item is not None:
            rows.setdefault(item.id, row)
    for item in form.items:
        if item.id not in rows:
            report.problems.append(
                problem(
                    "missing-item",
                    sheet=sheet.name,
                    item=item.id,
                    label=item.label,
                    item_id=item.id,
                    item_label=item.label,
                )
            )
    unit_words = form.units()
    out: list[UnitColumn] = []
    seen: dict[str, list[int]] = {}  # a unit → the header columns that name it
    for col, header_text in sheet.row_values(row0):
        if not measure_col < col < total_col:
            continue
        text = str(header_text).strip()
        absent = ABSENT.match(text)
        name = absent.group(1) if absent else text
        unit = match_reporter(campaign, name)
        seen.setdefault(unit.name if unit is not None else fold(name), []).append(col)
        if absent:
            out.append(UnitColumn(absent.group(1), {}, absent.group(2)))
            continue
        values: dict[str, Number] = {}
        for item in form.items:
            if item.id in rows:
                at = (rows[item.id], col)
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
                    name=str(sheet.value(row0, cols[1]) or ""),
                    cells="、".join(a1(row0, c) for c in cols),
                )
            )
    _check_totals(sheet, rows, (measure_col + 1, total_col), out, report, location, campaign)
    return out


def _cell_number(
    sheet: Sheet,
    at: tuple[int, int],
    item: Item,
    campaign: Campaign,
    unit_words: dict[str, Measure],
    report: FileReport,
) -> tuple[Number | None, bool]:
    """The exact number in a cell of a report, and whether it had an error; each error is
    added to the report as a problem naming the sheet and the cell."""
    row, col = at
    raw = sheet.value(row, col)
    result = normalize_value(raw, campaign.form.measure_of(item), unit_words)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    for finding in errors:
        report.problems.append(
            problem(
                finding.code,
                cell=a1(row, col),
                sheet=sheet.name,
                item=item.id,
                label=item.label,
                value=raw,
                **{**campaign.text_fields(), **finding.fields},
            )
        )
    return result.value, bool(errors)


def _check_totals(
    sheet: Sheet,
    rows: dict[str, int],
    span: tuple[int, int],
    units: list[UnitColumn],
    report: FileReport,
    location: FormLocation,
    campaign: Campaign,
) -> None:
    """Each item's 合计 in 分单位明细 is the sum of the units that reported, and the 汇总
    sheet's number is that 合计. Where one of the three was typed over, the error names both
    places; nothing is compared that could not be read (its own error says why)."""
    first, total_col = span
    form = campaign.form
    unit_words = form.units()
    for item in form.items:
        row = rows.get(item.id)
        if row is None:
            continue
        where, raw = a1(row, total_col), sheet.value(row, total_col)
        total, had_errors = _cell_number(
            sheet, (row, total_col), item, campaign, unit_words, report
        )
        if total is None or had_errors:
            continue
        present = [u for u in units if not u.absent]
        if all(item.id in u.values for u in present):
            added = sum((u.values[item.id] for u in present), start=total * 0)
            if added != total:
                report.problems.append(
                    problem(
                        "report-inconsistent",
                        cell=where,
                        sheet=sheet.name,
                        item=item.id,
                        label=item.label,
                        value=raw,
                        number=exact(total),
                        other_place=f"各单位（{a1(row, first)}:{a1(row, total_col - 1)}）之和",
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


def _detail_header(sheet: Sheet, campaign: Campaign) -> tuple[int, dict[str, int]] | None:
    labels = campaign.form.labels
    wanted = {fold(w) for w in (labels.category, DETAIL_ITEM, labels.measure, DETAIL_TOTAL)}
    for row, _col, value in sheet.cells():
        if fold(value) != fold(DETAIL_TOTAL):
            continue
        columns: dict[str, int] = {}
        for col, text in sheet.row_values(row):
            columns.setdefault(fold(text), col)
        if wanted <= set(columns):
            return row, columns
    return None
