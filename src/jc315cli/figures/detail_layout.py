"""Where a merged report's 分单位明细 keeps what it says: the sheet, its header row (序号 …
单位, the units, 合计), each item's row found by its label, and whether a person sees every
number cell as read (none hidden or merged). Kept apart from reading the units' figures
(unit_columns.py): a sheet must be found, and trusted to show what it holds, before any of its
numbers can mean anything."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jc315cli.model.campaign import Campaign
from jc315cli.model.identity import IDENTITY_SHEET
from jc315cli.model.layout import DETAIL_SHEET
from jc315cli.model.text import fold
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport, shown
from jc315cli.read.workbook import Sheet, WorkbookData, a1

DETAIL_ITEM = "项目"
DETAIL_TOTAL = "合计"


def detail_sheet(workbook: WorkbookData) -> Sheet | None:
    """The sheet by its exact name: a merged report is what jc315 wrote, not a form retyped."""
    return next((s for s in workbook.sheets if s.name == DETAIL_SHEET), None)


@dataclass(frozen=True)
class Detail:
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


def find_detail(workbook: WorkbookData, campaign: Campaign, report: FileReport) -> Detail | None:
    sheet = detail_sheet(workbook)
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
    return Detail(sheet, row0, range(measure_col + 1, total_col), total_col, rows)


def layout_seen(detail: Detail, campaign: Campaign, report: FileReport) -> bool:
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
