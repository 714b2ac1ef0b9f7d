"""Where things are in the workbooks jc315 writes: the sheet names and the cells of the form
sheet. Plain constants without openpyxl, so readers and planners can name a sheet or a cell
(a 退回 form's marked cell, read-back's 分单位明细) without loading a writer. Readers of a
returned form never rely on the cell positions: they find cells by their labels."""

from __future__ import annotations

from dataclasses import dataclass

FORM_SHEET = "统计表"  # a reporter's form, and the template
SUMMARY_SHEET = "汇总"  # the merged report: the form itself, filled with the totals
DETAIL_SHEET = "分单位明细"
STATUS_SHEET = "报送情况"
ISSUES_SHEET = "问题清单"
ITEMS_SHEET = "对比"  # the comparison workbook
UNITS_SHEET = "分单位对比"


@dataclass(frozen=True)
class FormLayout:
    """Where things are in a sheet jc315's form builder made. Only writers and tests use it."""

    title_row: int = 2
    reporter_row: int = 3
    date_row: int = 4
    header_row: int = 5
    first_item_row: int = 6
    value_column: str = "E"
    note_column: str = "F"  # 核实说明, beside the values, when the form has it

    def item_row(self, index: int) -> int:
        return self.first_item_row + index

    def value_cell(self, index: int) -> str:
        return f"{self.value_column}{self.item_row(index)}"

    def note_cell(self, index: int) -> str:
        return f"{self.note_column}{self.item_row(index)}"

    reporter_cell: str = "C3"
    date_cell: str = "C4"


LAYOUT = FormLayout()
