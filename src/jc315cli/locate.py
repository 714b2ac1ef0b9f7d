"""Finding the form inside a returned workbook by its labels, not by fixed coordinates.

People insert note rows, add columns, move the table, rename the sheet or paste it elsewhere.
The header cell 数量 gives the value column; each item's label gives its row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jc315cli.form import FormSpec
from jc315cli.identity import IDENTITY_SHEET
from jc315cli.matching import fold
from jc315cli.reading import CellValue, Sheet, WorkbookData

VALUE_HEADER = fold("数量")
MEASURE_HEADER = fold("单位")
REPORTER_LABEL = fold("填报单位")
DATE_LABEL = fold("填报日期")
TITLE_MARK = fold("活动情况统计表")


@dataclass(frozen=True)
class LabelledCell:
    row: int  # 0-based
    col: int
    value: CellValue


@dataclass
class FormLocation:
    sheet: Sheet
    header_row: int
    value_col: int
    measure_col: int | None
    item_rows: dict[str, int]  # item id → 0-based sheet row
    reporter: LabelledCell | None = None
    filled_on: LabelledCell | None = None
    title: str | None = None
    missing: list[str] = field(default_factory=list)  # item ids whose row was not found

    @property
    def title_year(self) -> int | None:
        match = re.search(r"(\d{4})\s*年", self.title or "")
        return int(match.group(1)) if match else None


class FormNotFound(Exception):
    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def locate_form(workbook: WorkbookData, form: FormSpec) -> FormLocation:
    """The one sheet that holds the form, and where each item sits in it."""
    candidates = []
    for sheet in workbook.sheets:
        if sheet.name == IDENTITY_SHEET:
            continue
        location = _locate_in_sheet(sheet, form)
        if location is not None:
            candidates.append(location)
    if not candidates:
        names = "、".join(f"“{s.name}”" for s in workbook.sheets if s.name != IDENTITY_SHEET)
        raise FormNotFound(
            "no-form-sheet",
            f"在工作表 {names or '（无）'} 中都找不到统计表（需要表头“数量”和各项目名称）",
            "请使用下发的统计表填写，不要删除表头和项目名称",
        )
    if len(candidates) > 1:
        names = "、".join(f"“{c.sheet.name}”" for c in candidates)
        raise FormNotFound(
            "ambiguous-form-sheet",
            f"工作表 {names} 中都有统计表，无法确定以哪一张为准",
            "请只保留一张填好的统计表，删除其余副本后重新报送",
        )
    return candidates[0]


def _locate_in_sheet(sheet: Sheet, form: FormSpec) -> FormLocation | None:
    best: FormLocation | None = None
    for row, col, value in sheet.cells():
        if fold(value) != VALUE_HEADER:
            continue
        location = _locate_items(sheet, form, row, col)
        if location.item_rows and (best is None or len(location.item_rows) > len(best.item_rows)):
            best = location
    if best is None:
        return None
    best.reporter = _labelled(sheet, REPORTER_LABEL)
    best.filled_on = _labelled(sheet, DATE_LABEL)
    for row, _col, value in sheet.cells():
        if row < best.header_row and TITLE_MARK in fold(value):
            best.title = str(value)
            break
    return best


def _locate_items(sheet: Sheet, form: FormSpec, header_row: int, value_col: int) -> FormLocation:
    measure_col = next(
        (c for c, v in sheet.row_values(header_row) if c < value_col and fold(v) == MEASURE_HEADER),
        None,
    )
    labels: dict[int, set[str]] = {}
    for row in range(header_row + 1, sheet.last_row + 1):
        labels[row] = {fold(v) for c, v in sheet.row_values(row) if c < value_col and isinstance(v, str)}

    def first_row(label: str, start: int, stop: int | None = None) -> int | None:
        for row in range(start, (stop if stop is not None else sheet.last_row) + 1):
            if label in labels.get(row, set()):
                return row
        return None

    item_rows: dict[str, int] = {}
    missing: list[str] = []
    categories = {fold(item.category) for item in form.items if not item.name}
    for item in form.items:
        found: int | None
        if item.name is None:
            found = first_row(fold(item.category), header_row + 1)
        else:
            # Sub-items are matched inside their block: from the block's label down to the
            # next top-level category.
            block = first_row(fold(item.category), header_row + 1)
            start = block if block is not None else header_row + 1
            end = next(
                (r for r in range(start + 1, sheet.last_row + 1) if labels.get(r, set()) & categories),
                None,
            )
            found = first_row(fold(item.name), start, None if end is None else end - 1)
        if found is None:
            missing.append(item.id)
        else:
            item_rows[item.id] = found
    return FormLocation(sheet, header_row, value_col, measure_col, item_rows, missing=missing)


def _labelled(sheet: Sheet, label: str) -> LabelledCell | None:
    """The value after a label like 填报单位：, in the same cell or the next one to the right."""
    for row, col, value in sheet.cells():
        if not isinstance(value, str) or not fold(value).startswith(label):
            continue
        rest = re.split(r"[:：]", value, maxsplit=1)
        if len(rest) == 2 and rest[1].strip():
            return LabelledCell(row, col, rest[1].strip())
        for c, v in sheet.row_values(row):
            if c > col:
                return LabelledCell(row, c, v)
        # Nothing typed yet: point at the cell right after the (possibly merged) label.
        return LabelledCell(row, sheet.merged_end_col(row, col) + 1, None)
    return None
