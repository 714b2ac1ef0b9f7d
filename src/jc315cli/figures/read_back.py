"""Reading a finished report back as figures: one unit's returned form, or a merged report
(its 汇总 sheet has the layout of a returned form, so the same reading, locating and
normalizing path reads both), plus, for a merged report, each unit's column of 分单位明细.

Used by `jc315 summary` and `jc315 compare`. A report read here is not judged as a
submission (no deadline, no 填报单位 list to be on): only whether its numbers can be known. So
each cell it reads is held to what `validate` holds a form's value cell to, and a merged report
to its 分单位明细: one that has none, or whose numbers disagree, is refused, never printed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from jc315cli.check.dates import parse_filled_on
from jc315cli.check.normalize import normalize_value
from jc315cli.check.one_file import FileCheck, check_values, unseen
from jc315cli.model.campaign import Campaign
from jc315cli.model.form import Item, Measure
from jc315cli.model.identity import IDENTITY_SHEET, Identity
from jc315cli.model.layout import DETAIL_SHEET
from jc315cli.model.text import fold
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.lines import problem_line
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport, Number, Problem, Severity, exact, shown, visible
from jc315cli.read.locate import FormLocation, locate_form
from jc315cli.read.matching import match_reporter
from jc315cli.read.workbook import Sheet, WorkbookData, a1, load_bytes, parse_workbook

DETAIL_ITEM = "项目"
DETAIL_TOTAL = "合计"
ABSENT = re.compile(r"^(.+?)[（(](未报送|已退回)[)）]$")
AREA = re.compile(r"^(.+?[省市县区旗州盟])(?:市场监督管理局|市场监管局|消费者协会)")

ReportKind = Literal["form", "consolidated"]
SHOWN_ERRORS = 30  # a report refused for more errors lists these and counts the rest


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
    known; the error names the cells. Every cell read is checked as `validate` checks a form's
    value cell; a merged report is held to its 分单位明细, and one that has none is refused."""
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
    whose = _whose(workbook, location, campaign, path)
    if whose is None:  # refused below: not plainly a form, nor a merged report
        text = _reporter_text(workbook, location)
        found = f"为“{shown(text)}”" if text else "为空"
        report.problems.append(problem("report-kind-unknown", found=found))
    kind, reporter, subject = whose or ("form", path.stem, "本单位")
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
    for p in errors[:SHOWN_ERRORS]:
        lines.append(f"  × {problem_line(p, sheet=True)}")
    if len(errors) > SHOWN_ERRORS:
        lines.append(f"  ……另有 {len(errors) - SHOWN_ERRORS} 处，改正以上各处后再看")
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


def _reporter_text(workbook: WorkbookData, location: FormLocation) -> str:
    """Whom the report says it is from: its identity, else its 填报单位 cell."""
    identity = workbook.identity
    if identity is not None and identity.reporter:
        return identity.reporter
    cell = location.reporter
    return str(cell.value).strip() if cell is not None and cell.value not in (None, "") else ""


def _whose(
    workbook: WorkbookData, location: FormLocation, campaign: Campaign, path: Path
) -> tuple[ReportKind, str, str] | None:
    """Merged or one unit's, whose, and how the paragraph names it; None when it cannot be told.

    A merged report says so by its identity, by the organizer in its 填报单位, or, pasted
    without its identity, by its 分单位明细 (and is then held to that sheet). A report is read
    as one unit's form only when its identity says so, or, without one, its 填报单位 names a
    unit of the campaign (a file name is not enough): a merged report stripped of its identity
    and its 分单位明细 must not pass for a form whose numbers nothing checks."""
    identity = workbook.identity
    text = _reporter_text(workbook, location)
    unit = match_reporter(campaign, text or (path.stem if identity is not None else ""))
    organizer = bool(text) and fold(text) == fold(campaign.organizer)
    if identity is not None and identity.kind == "consolidated":
        name = identity.reporter or campaign.organizer
    elif organizer or (identity is None and _detail_sheet(workbook) is not None):
        name = unit.name if unit is not None and text and not organizer else campaign.organizer
    elif unit is not None:
        return "form", unit.name, unit.short_name
    elif identity is not None:  # its identity says it is a unit's form
        return "form", text or path.stem, text or "本单位"
    else:
        return None
    return "consolidated", name, area(name)


def _detail_sheet(workbook: WorkbookData) -> Sheet | None:
    return next((s for s in workbook.sheets if s.name == DETAIL_SHEET), None)


@dataclass(frozen=True)
class _Detail:
    """Where 分单位明细 keeps what it says: the header row, the units' columns (between 单位 and
    合计), the 合计 column, and each item's row."""

    sheet: Sheet
    header_row: int
    units: range  # the units' columns
    total_col: int
    rows: dict[str, int]  # item id → row

    @property
    def numbers(self) -> range:
        """The columns whose cells are numbers: the units' and 合计."""
        return range(self.units.start, self.total_col + 1)


def _read_units(
    workbook: WorkbookData, campaign: Campaign, report: FileReport, location: FormLocation
) -> list[UnitColumn]:
    """Each unit's column of 分单位明细, found by its header (序号 … 单位, the units, 合计)
    and its rows by the items' labels. The sheet is held to the 汇总 sheet it explains (see
    _check_totals): a report edited by hand in one place and not the other has no number that
    can be trusted. A merged report without the sheet, or without its header, cannot be held
    to anything: an error, as is every cell read that `validate` would refuse in a form."""
    detail = _find_detail(workbook, campaign, report)
    if detail is None or not _layout_seen(detail, campaign, report):
        return []
    units = _unit_columns(detail, campaign, report)
    _check_totals(detail, units, report, location, campaign)
    return units


def _find_detail(workbook: WorkbookData, campaign: Campaign, report: FileReport) -> _Detail | None:
    sheet = _detail_sheet(workbook)
    if sheet is None:
        names = "、".join(f"“{s.name}”" for s in workbook.sheets if s.name != IDENTITY_SHEET)
        sheets = shown(names, 120) or "（无）"
        report.problems.append(
            problem("report-detail-missing", sheet_name=DETAIL_SHEET, sheets=sheets)
        )
        return None
    form = campaign.form
    words = (form.labels.category, DETAIL_ITEM, form.labels.measure, DETAIL_TOTAL)
    header = _detail_header(sheet, words)
    if header is None:
        report.problems.append(
            problem(
                "report-detail-header",
                sheet=sheet.name,
                sheet_name=sheet.name,
                labels="”“".join(words),
            )
        )
        return None
    row0, columns = header
    category_col, name_col = columns[fold(words[0])], columns[fold(DETAIL_ITEM)]
    measure_col, total_col = columns[fold(words[2])], columns[fold(DETAIL_TOTAL)]
    by_label = {(fold(i.category), fold(i.name or "")): i for i in form.items}
    found: dict[str, list[int]] = {}
    for row in range(row0 + 1, sheet.last_row + 1):
        key = (fold(sheet.value(row, category_col)), fold(sheet.value(row, name_col)))
        item = by_label.get(key)
        if item is not None:
            found.setdefault(item.id, []).append(row)
    for item in form.items:
        places = found.get(item.id, [])
        if len(places) == 1:
            continue
        code, cells = "missing-item", ""
        if places:  # which row is meant cannot be told: as validate says of a form
            code, cells = "duplicate-label", "、".join(a1(row, category_col) for row in places)
        report.problems.append(
            problem(
                code,
                sheet=sheet.name,
                item=item.id,
                label=item.label,
                item_id=item.id,
                item_label=item.label,
                cells=cells,
            )
        )
    rows = {item_id: places[0] for item_id, places in found.items() if len(places) == 1}
    return _Detail(sheet, row0, range(measure_col + 1, total_col), total_col, rows)


def _layout_seen(detail: _Detail, campaign: Campaign, report: FileReport) -> bool:
    """Whether a person sees every number cell of 分单位明细 and its header as read: none hidden
    or merged (found range by range, not cell by cell: a sheet of thousands of units). The first
    cell of each merged range and each hidden row or span of columns is an error."""
    sheet, before = detail.sheet, len(report.problems)
    if not sheet.visible:
        report.problems.append(problem("report-detail-hidden", sheet_name=sheet.name))
    items = {row: campaign.form.item(item_id) for item_id, row in detail.rows.items()}
    rows = sorted(items)

    def add(code: str, row: int, col: int, **fields: Any) -> None:
        item = items.get(row)
        report.problems.append(
            problem(
                code,
                cell=a1(row, col),
                sheet=sheet.name,
                item=item.id if item else None,
                label=item.label if item else None,
                value=sheet.value(row, col),
                **fields,
            )
        )

    for row, col, cells in _merged_over(sheet, rows, detail.numbers):
        add("merged-value", row, col, cells=cells)
    for row, col in _hidden_over(sheet, rows, detail.numbers):
        add("hidden-value", row, col)
    header = [detail.header_row]
    for row, col, cells in _merged_over(sheet, header, detail.numbers):
        add("report-column-unnamed", row, col, why=f"与 {cells} 合并在一起")
    if detail.header_row in sheet.hidden[0]:
        add("report-column-unnamed", detail.header_row, detail.units.start, why="所在的行被隐藏")
    return len(report.problems) == before


def _merged_over(sheet: Sheet, rows: Sequence[int], cols: range) -> list[tuple[int, int, str]]:
    """Each merged range of `sheet` that takes in a cell of `rows` (ascending) × `cols`: that
    range's first such cell and the range ("J8:K8"). One pass over the ranges, however many
    cells a sheet of thousands of units has (`Sheet.merged_range` asks about one cell)."""
    found = []
    for (r0, c0), (r1, c1) in sheet.merged:
        if (r0, c0) == (r1, c1) or c1 < cols.start or c0 >= cols.stop:
            continue
        at = bisect_left(rows, r0)
        if at < len(rows) and rows[at] <= r1:
            found.append((rows[at], max(c0, cols.start), f"{a1(r0, c0)}:{a1(r1, c1)}"))
    return found


def _hidden_over(sheet: Sheet, rows: Sequence[int], cols: range) -> list[tuple[int, int]]:
    """The first cell of `rows` (ascending) × `cols` in each hidden row and in each hidden span
    of columns of `sheet`: one pass over what is hidden (`Sheet.is_hidden` asks about one)."""
    if not rows or not cols:
        return []
    hidden_rows, spans = sheet.hidden
    found = [(row, cols.start) for row in rows if row in hidden_rows]
    found += [
        (rows[0], max(lo, cols.start)) for lo, hi in spans if lo < cols.stop and hi >= cols.start
    ]
    return found


def _unit_columns(detail: _Detail, campaign: Campaign, report: FileReport) -> list[UnitColumn]:
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


def _unnamed(detail: _Detail, col: int, report: FileReport) -> None:
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
    detail: _Detail,
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


def _detail_header(sheet: Sheet, words: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The first row with every word of the header, 单位 left of 合计 (each row looked at
    once, however many cells say 合计)."""
    wanted = {fold(w) for w in words}
    measure, total = fold(words[2]), fold(DETAIL_TOTAL)
    tried: set[int] = set()
    for row, _col, value in sheet.cells():
        if row in tried or fold(value) != total:
            continue
        tried.add(row)
        columns: dict[str, int] = {}
        for col, text in sheet.row_values(row):
            columns.setdefault(fold(text), col)
        if wanted <= set(columns) and columns[measure] < columns[total]:
            return row, columns
    return None
