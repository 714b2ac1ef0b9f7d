"""Finding the form in a workbook by its labels: the sheet, the 数量 header, each item's row,
sub-items inside their own block, the title, and the 填报单位/填报日期 cells.

Every test writes a real workbook with openpyxl (the generated form, altered the way a person
would, or a small table typed from scratch), reads it back with python-calamine through
`read_workbook`, and asks `locate_form`. Rows and columns are 0-based, as in `FormLocation`.
These tests are also what mutation testing (docs/testing.md) measures for locate.py.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.form import FormSpec, Item, Measure
from jc315cli.model.identity import IDENTITY_SHEET
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.problems.errors import Jc315Error
from jc315cli.read.locate import FormLocation, LabelledCell, locate_form
from jc315cli.read.workbook import CellValue, Sheet, WorkbookData, read_workbook
from jc315cli.write.blank_forms import build_timestamp, form_bytes
from tests.conftest import lines_run

FORM = DEFAULT_CAMPAIGN.form
ZEZHOU = "泽州县市场监督管理局"
HEADER = LAYOUT.header_row - 1
VALUE_COL = column_index_from_string(LAYOUT.value_column) - 1
MEASURE_COL = VALUE_COL - 1  # 单位 is printed in D, left of 数量 in E
ROWS = {item.id: LAYOUT.item_row(index) - 1 for index, item in enumerate(FORM.items)}


@cache
def _generated(with_reporter: bool) -> bytes:
    reporter = DEFAULT_CAMPAIGN.reporter(ZEZHOU) if with_reporter else None
    return form_bytes(DEFAULT_CAMPAIGN, reporter, build_timestamp(DEFAULT_CAMPAIGN))


def generated(*, with_reporter: bool = True) -> Workbook:
    """The blank form `jc315 generate` writes (the generic template without a reporter)."""
    return load_workbook(io.BytesIO(_generated(with_reporter)))


def form_sheet(wb: Workbook) -> Worksheet:
    ws = wb[FORM_SHEET]
    assert isinstance(ws, Worksheet)
    return ws


def typed(rows: Sequence[Sequence[CellValue]], merges: Sequence[str] = ()) -> Workbook:
    """A workbook typed from scratch: one sheet `Sheet1`, `rows` from A1, None for empty."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Sheet1"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for cells in merges:
        ws.merge_cells(cells)
    return wb


def read_back(wb: Workbook, tmp_path: Path) -> WorkbookData:
    path = tmp_path / "returned.xlsx"
    wb.save(path)
    return read_workbook(path)


def locate(wb: Workbook, tmp_path: Path, form: FormSpec = FORM) -> FormLocation:
    return locate_form(read_back(wb, tmp_path), form)


def refusal(wb: Workbook | WorkbookData, tmp_path: Path) -> Jc315Error:
    workbook = wb if isinstance(wb, WorkbookData) else read_back(wb, tmp_path)
    with pytest.raises(Jc315Error) as caught:
        locate_form(workbook, FORM)
    return caught.value


# --- the generated form --------------------------------------------------------------------


def test_the_generated_form_is_found_where_its_layout_put_it(tmp_path: Path) -> None:
    location = locate(generated(), tmp_path)
    assert location.sheet.name == FORM_SHEET
    assert (location.header_row, location.value_col) == (HEADER, VALUE_COL)
    assert location.measure_col == MEASURE_COL
    assert location.item_rows == ROWS and location.missing == []
    assert location.reporter == LabelledCell(LAYOUT.reporter_row - 1, 2, ZEZHOU)
    # 填报日期： merged over A:B, its empty answer merged over C:E: point at C, the typing cell.
    assert location.filled_on == LabelledCell(LAYOUT.date_row - 1, 2, None)
    assert location.title == DEFAULT_CAMPAIGN.title and location.title_matches
    assert location.title_year == 2023


def test_the_generic_template_points_at_the_empty_reporter_cell(tmp_path: Path) -> None:
    location = locate(generated(with_reporter=False), tmp_path)
    assert location.reporter == LabelledCell(LAYOUT.reporter_row - 1, 2, None)
    assert location.item_rows == ROWS


def test_a_filled_date_is_the_value_after_its_label(tmp_path: Path) -> None:
    wb = generated()
    form_sheet(wb)[LAYOUT.date_cell] = date(2023, 3, 20)
    location = locate(wb, tmp_path)
    assert location.filled_on == LabelledCell(LAYOUT.date_row - 1, 2, date(2023, 3, 20))
    assert location.title == DEFAULT_CAMPAIGN.title and location.title_matches


# --- which sheet ---------------------------------------------------------------------------


def test_the_identity_sheet_is_never_taken_for_the_form(tmp_path: Path) -> None:
    # Even when it comes first and holds a full copy of the form.
    wb = generated()
    del wb[IDENTITY_SHEET]
    copy = wb.copy_worksheet(form_sheet(wb))
    copy.title = IDENTITY_SHEET
    wb.move_sheet(copy, offset=-1)
    assert wb.sheetnames == [IDENTITY_SHEET, FORM_SHEET]
    assert locate(wb, tmp_path).sheet.name == FORM_SHEET


def test_no_form_sheet_names_the_sheets_that_were_searched(tmp_path: Path) -> None:
    wb = typed([["签到表"], ["姓名", "电话"], ["张三", "13800000000"]])
    stock = wb.create_sheet("库存")
    stock.append(["名称", "数量"])  # a 数量 header without a single item of the form
    stock.append(["宣传册", 100])
    wb.create_sheet(IDENTITY_SHEET).append(["jc315-identity", "1"])
    error = refusal(wb, tmp_path)
    assert error.problem.code == "no-form-sheet"
    assert "“Sheet1”、“库存”" in error.message and IDENTITY_SHEET not in error.message
    assert f"“{FORM.labels.value}”" in error.message


def test_a_workbook_with_only_an_identity_sheet_has_no_sheet_to_name(tmp_path: Path) -> None:
    identity = Sheet(IDENTITY_SHEET, False, [["jc315-identity", "1"], ["数量", None]], 0, 0)
    workbook = WorkbookData(tmp_path / "x.xlsx", ".xlsx", [identity], None)
    error = refusal(workbook, tmp_path)
    assert error.problem.code == "no-form-sheet" and "在工作表 （无） 中" in error.message


def test_a_quantity_header_without_items_does_not_make_a_second_form(tmp_path: Path) -> None:
    wb = generated()
    stock = wb.create_sheet("库存")
    stock.append(["名称", "数量"])
    stock.append(["宣传册", 100])
    assert locate(wb, tmp_path).sheet.name == FORM_SHEET


def test_two_form_sheets_are_ambiguous(tmp_path: Path) -> None:
    wb = generated()
    wb.copy_worksheet(form_sheet(wb)).title = "统计表 (2)"
    error = refusal(wb, tmp_path)
    assert error.problem.code == "ambiguous-form-sheet"
    assert "“统计表”、“统计表 (2)”" in error.message


# --- the header and the value column -------------------------------------------------------


def test_without_a_measure_header_there_is_no_measure_column(tmp_path: Path) -> None:
    wb = generated()
    form_sheet(wb)[f"D{LAYOUT.header_row}"] = None
    location = locate(wb, tmp_path)
    assert location.measure_col is None and location.item_rows == ROWS


def test_a_measure_header_right_of_the_values_is_not_the_measure_column(tmp_path: Path) -> None:
    wb = generated()
    ws = form_sheet(wb)
    ws[f"D{LAYOUT.header_row}"] = None
    ws[f"F{LAYOUT.header_row}"] = "单位"
    assert locate(wb, tmp_path).measure_col is None


@pytest.mark.parametrize(
    "stray",
    [
        "E12",  # typed in a value cell: it finds some of the same cells, so it is the same table
        f"A{LAYOUT.item_row(len(FORM.items)) + 3}",  # below the footer: nothing under it
    ],
)
def test_a_stray_quantity_header_of_the_same_table_is_not_a_second_table(
    tmp_path: Path, stray: str
) -> None:
    wb = generated()
    form_sheet(wb)[stray] = "数量"
    location = locate(wb, tmp_path)
    assert (location.header_row, location.value_col) == (HEADER, VALUE_COL)
    assert location.item_rows == ROWS


@pytest.mark.parametrize(
    ("stray", "named"),
    [
        ("C1", "C1、E5"),  # above the table: it would read column C
        (f"F{LAYOUT.header_row}", "E5、F5"),  # a second 数量 column (say, last year's figures)
    ],
)
def test_two_quantity_columns_are_two_tables_and_an_error(
    tmp_path: Path, stray: str, named: str
) -> None:
    wb = generated()
    form_sheet(wb)[stray] = "数量"
    with pytest.raises(Jc315Error) as info:
        locate(wb, tmp_path)
    assert info.value.problem.code == "ambiguous-form-copy"
    assert named in info.value.message and "统计表" in info.value.message


def test_a_stacked_second_copy_in_the_same_columns_is_an_error(tmp_path: Path) -> None:
    # An old copy of the table pasted below the new one, in the same columns A..E.
    wb = generated()
    ws = form_sheet(wb)
    ws.title = "三一五"
    offset = 30
    for row in range(LAYOUT.header_row, LAYOUT.item_row(len(FORM.items) - 1) + 1):
        for col in range(1, 6):
            value = ws.cell(row=row, column=col).value
            if value is not None:
                ws.cell(row=row + offset, column=col, value=value)
    error = refusal(wb, tmp_path)
    assert error.problem.code == "ambiguous-form-copy"
    assert error.message.startswith("工作表“三一五”中有不止一份统计表（表头在 E5、E35）")


def test_a_stray_header_that_sees_a_label_once_which_the_table_sees_twice(tmp_path: Path) -> None:
    # Item 8's label typed again in row 10, and a stray 数量 in E12 below it: the table (E5)
    # sees the label twice (an error on item 8), the stray header sees it once. That is still
    # one table, not two.
    wb = generated()
    ws = form_sheet(wb)
    ws["A10"] = "印发各类宣传资料"
    ws[LAYOUT.value_cell(6)] = "数量"  # E12
    location = locate(wb, tmp_path)
    assert (location.header_row, location.value_col) == (HEADER, VALUE_COL)
    assert location.duplicated == {"8": ["A10", f"B{ROWS['8'] + 1}"]}


def test_ten_quantity_headers_of_one_table_are_allowed_eleven_are_not(tmp_path: Path) -> None:
    # Stray 数量 typed into value cells of the same table: the same cells, one table, up to
    # ten headers; past that the sheet is refused at once (locating stays linear).
    wb = generated()
    ws = form_sheet(wb)
    for index in range(9):
        ws[LAYOUT.value_cell(index + 2)] = "数量"
    location = locate(wb, tmp_path)
    assert (location.header_row, location.value_col) == (HEADER, VALUE_COL)
    ws[LAYOUT.value_cell(11)] = "数量"
    error = refusal(wb, tmp_path)
    assert error.problem.code == "ambiguous-form-copy"
    assert "表头在 E5、E8）" in error.message  # the first two, in sheet order


def test_a_label_twice_in_one_row_names_its_leftmost_cell(tmp_path: Path) -> None:
    # The same label typed in A and B of one row, and again further down: the cells named are
    # the leftmost of each row.
    wb = generated()
    ws = form_sheet(wb)
    row = ROWS["8"] + 1
    ws[f"A{row}"] = "印发各类宣传资料"
    ws[f"A{row + 8}"] = "印发各类宣传资料"
    ws[f"B{row + 8}"] = "印发各类宣传资料"
    location = locate(wb, tmp_path)
    assert location.duplicated == {"8": [f"A{row}", f"A{row + 8}"]}
    assert "8" not in location.item_rows


@pytest.mark.parametrize("copies", [9, 10])
def test_a_label_in_many_rows_names_ten_cells_and_how_many_there_are(
    tmp_path: Path, copies: int
) -> None:
    # Ten cells are named (the form's own and nine typed below it); past ten, how many there
    # are in all: naming every one cost the square of the sheet when many items shared them.
    from jc315cli.read.locate import MAX_NAMED

    wb = generated()
    ws = form_sheet(wb)
    below = LAYOUT.item_row(len(FORM.items)) + 5
    for row in range(below, below + copies):
        ws[f"A{row}"] = "印发各类宣传资料"
    cells = [f"B{ROWS['8'] + 1}", *(f"A{row}" for row in range(below, below + 9))]
    assert MAX_NAMED == len(cells) == 10
    more = ["…（共 11 处）"] if copies == 10 else []
    assert locate(wb, tmp_path).duplicated == {"8": cells + more}


def _shared_names(blocks: int) -> tuple[FormSpec, Workbook]:
    """A form of item 合计 and `blocks` blocks of sub-items 甲 and 乙, and a sheet where no
    block's label is left and 甲 and 乙 stand in `blocks` rows each: every sub-item is looked
    for in the same rows, and stands in all of them."""
    items = [Item(id="0", category="合计", measure="件")]
    items += [
        Item(id=f"{n}.{sub}", category=f"类别{n}", name=name, measure="件")
        for n in range(1, blocks + 1)
        for sub, name in ((1, "甲"), (2, "乙"))
    ]
    form = FormSpec(version="t", title="统计表", measures=(Measure(name="件"),), items=items)
    rows: list[list[CellValue]] = [
        ["序号", "类别", None, "单位", "数量"],
        ["0", "合计", None, "件", 1],
    ]
    rows += [[None, None, "甲乙"[r % 2], "件", 1] for r in range(2 * blocks)]
    return form, typed(rows)


def test_many_sub_items_named_in_many_rows_cost_linear_in_both(tmp_path: Path) -> None:
    # 4× the blocks and 4× the rows: about 4× the work, not 16× (each sub-item walking every
    # row its name stands in, and naming them all).
    work = {}
    for blocks in (100, 400):
        form, wb = _shared_names(blocks)
        workbook = read_back(wb, tmp_path)
        found: list[FormLocation] = []
        work[blocks] = lines_run(lambda: found.append(locate_form(workbook, form)))  # noqa: B023
        named = found[0].duplicated[f"{blocks}.2"]
        assert len(found[0].duplicated) == 2 * blocks and named[-1] == f"…（共 {blocks} 处）"
        assert named[:2] == ["C4", "C6"] and found[0].item_rows == {"0": 1}
    assert work[400] < 6 * work[100], work


def test_a_long_block_filled_down_costs_linear_in_its_rows(tmp_path: Path) -> None:
    # One category typed into every row of its block, one sub-item per row: where the block
    # ends is found once for the category, not once per sub-item (which cost rows × sub-items).
    work = {}
    for rows in (200, 800):
        items = [
            Item(id=f"1.{n}", category="类别", name=f"子项{n}", measure="件") for n in range(rows)
        ]
        form = FormSpec(version="t", title="统计表", measures=(Measure(name="件"),), items=items)
        table: list[list[CellValue]] = [["序号", "类别", None, "单位", "数量"]]
        table += [[None, "类别", f"子项{n}", "件", 1] for n in range(rows)]
        workbook = read_back(typed(table), tmp_path)
        found: list[FormLocation] = []
        work[rows] = lines_run(lambda: found.append(locate_form(workbook, form)))  # noqa: B023
        assert found[0].item_rows == {f"1.{n}": n + 1 for n in range(rows)}
    assert work[800] < 6 * work[200], work


# --- item rows -----------------------------------------------------------------------------


def test_an_item_whose_label_was_deleted_is_missing_and_the_rest_are_found(
    tmp_path: Path,
) -> None:
    wb = generated()
    form_sheet(wb)[f"B{ROWS['7'] + 1}"] = None
    location = locate(wb, tmp_path)
    assert location.missing == ["7"]
    assert location.item_rows == {k: v for k, v in ROWS.items() if k != "7"}


def test_a_label_typed_as_a_value_is_not_a_label(tmp_path: Path) -> None:
    # Text in the 数量 column is a (bad) value: it neither moves item 8 up to row 12 nor ends
    # the 媒体宣传报道 block there.
    wb = generated()
    form_sheet(wb)[f"{LAYOUT.value_column}{ROWS['6.2'] + 1}"] = "印发各类宣传资料"
    assert locate(wb, tmp_path).item_rows == ROWS


# A form with two sub-item blocks whose sub-items have the same names.
PERIODS = Measure(name="期")
TWO_BLOCKS = FormSpec(
    version="t",
    title="宣传情况统计表",
    measures=(Measure(name="场次", suffixes=("场",)), PERIODS),
    items=(
        Item(id="1", category="普法宣传活动", measure="场次"),
        Item(id="2.1", category="媒体宣传报道", name="电视专题节目", measure="期"),
        Item(id="2.2", category="媒体宣传报道", name="广播专题节目", measure="期"),
        Item(id="3.1", category="网络宣传", name="电视专题节目", measure="期"),
        Item(id="3.2", category="网络宣传", name="广播专题节目", measure="期"),
    ),
)
TOP: list[list[CellValue]] = [
    ["附件"],
    ["2023年宣传情况统计表"],
    ["填报单位：", None, ZEZHOU],
    ["序号", "类别", None, "单位", "数量"],
]
ITEM_1: list[CellValue] = ["1", "普法宣传活动", None, "场次", 3]
MEDIA_TV: list[CellValue] = ["2", "媒体宣传报道", "电视专题节目", "期", 1]
MEDIA_RADIO: list[CellValue] = [None, None, "广播专题节目", "期", 2]
NET_TV: list[CellValue] = ["3", "网络宣传", "电视专题节目", "期", 3]
NET_RADIO: list[CellValue] = [None, None, "广播专题节目", "期", 4]
BLOCK_ROWS = {"1": 4, "2.1": 5, "2.2": 6, "3.1": 7, "3.2": 8}


def test_sub_items_with_the_same_names_are_found_in_their_own_block(tmp_path: Path) -> None:
    wb = typed([*TOP, ITEM_1, MEDIA_TV, MEDIA_RADIO, NET_TV, NET_RADIO], ["B6:B7", "B8:B9"])
    location = locate(wb, tmp_path, TWO_BLOCKS)
    assert location.header_row == 3 and location.item_rows == BLOCK_ROWS
    assert location.missing == [] and location.title == "2023年宣传情况统计表"
    assert location.title_matches


def test_a_block_missing_a_sub_item_does_not_take_the_next_blocks_row(tmp_path: Path) -> None:
    # 媒体宣传报道 lost its 广播专题节目 row; 网络宣传's 广播专题节目 still belongs to 网络宣传.
    wb = typed([*TOP, ITEM_1, MEDIA_TV, NET_TV, NET_RADIO], ["B7:B8"])
    location = locate(wb, tmp_path, TWO_BLOCKS)
    assert location.missing == ["2.2"]
    assert location.item_rows == {"1": 4, "2.1": 5, "3.1": 6, "3.2": 7}


def test_a_category_filled_down_every_row_is_still_one_block(tmp_path: Path) -> None:
    # Cells unmerged and the category copied into each row of its block.
    rows = [
        *TOP,
        ITEM_1,
        MEDIA_TV,
        [None, "媒体宣传报道", *MEDIA_RADIO[2:]],
        NET_TV,
        [None, "网络宣传", *NET_RADIO[2:]],
    ]
    location = locate(typed(rows), tmp_path, TWO_BLOCKS)
    assert location.item_rows == BLOCK_ROWS and location.missing == []


def test_a_first_block_without_its_label_is_searched_from_the_header_down(
    tmp_path: Path,
) -> None:
    # The label cell of 媒体宣传报道 was cleared: its sub-items are still the ones between the
    # header and the next category (item 1's own row does not end the search).
    rows = [*TOP, ITEM_1, ["2", None, *MEDIA_TV[2:]], MEDIA_RADIO, NET_TV, NET_RADIO]
    location = locate(typed(rows), tmp_path, TWO_BLOCKS)
    assert location.item_rows == BLOCK_ROWS and location.missing == []


def test_sub_items_of_a_block_without_its_label_are_never_taken_from_another_block(
    tmp_path: Path,
) -> None:
    # 网络宣传's label was cleared: 媒体宣传报道's block now runs on into it, so its sub-items
    # stand twice (an error naming both cells, neither read), and 网络宣传's are missing.
    rows = [*TOP, ITEM_1, MEDIA_TV, MEDIA_RADIO, ["3", None, *NET_TV[2:]], NET_RADIO]
    location = locate(typed(rows), tmp_path, TWO_BLOCKS)
    assert location.item_rows == {"1": 4} and location.missing == ["3.1", "3.2"]
    assert location.duplicated == {"2.1": ["C6", "C8"], "2.2": ["C7", "C9"]}


def test_a_block_whose_label_is_on_the_last_row_is_found(tmp_path: Path) -> None:
    # The table ends with 网络宣传's label and its first sub-item in one row (no footer): the
    # block still begins there, and its missing second sub-item is not taken from above.
    wb = typed([*TOP, ITEM_1, MEDIA_TV, MEDIA_RADIO, NET_TV], ["B6:B7"])
    location = locate(wb, tmp_path, TWO_BLOCKS)
    assert location.item_rows == {"1": 4, "2.1": 5, "2.2": 6, "3.1": 7}
    assert location.missing == ["3.2"] and location.duplicated == {}


def test_an_item_label_above_the_header_is_not_its_row(tmp_path: Path) -> None:
    # A heading typed right above the table repeats item 1's label.
    heading: list[CellValue] = ["普法宣传活动"]
    rows = [*TOP[:3], heading, TOP[3], ITEM_1, MEDIA_TV, MEDIA_RADIO, NET_TV, NET_RADIO]
    location = locate(typed(rows), tmp_path, TWO_BLOCKS)
    assert location.header_row == 4
    assert location.item_rows == {k: v + 1 for k, v in BLOCK_ROWS.items()}


# --- the title -----------------------------------------------------------------------------


def with_title(title: CellValue, *, with_reporter: bool = True) -> Workbook:
    wb = generated(with_reporter=with_reporter)
    form_sheet(wb)[f"A{LAYOUT.title_row}"] = title
    return wb


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ('2023年"3·15"活动情况统计表', 2023),  # ASCII quotes: punctuation does not matter
        ("2022年“3·15”活动情况统计表", 2022),  # this form, another year: the year tells
        ("“3·15”活动情况统计表", None),
    ],
)
def test_a_title_naming_the_form_matches(tmp_path: Path, title: str, year: int | None) -> None:
    location = locate(with_title(title), tmp_path)
    assert (location.title, location.title_matches, location.title_year) == (title, True, year)


@pytest.mark.parametrize(
    ("title", "found"),
    [
        ("2023年消费维权情况统计表", "2023年消费维权情况统计表"),
        (" 工作总结 ", "工作总结"),  # four characters are enough to name another form
        ("统计表", None),  # three are not
    ],
)
def test_another_forms_title_is_named(tmp_path: Path, title: str, found: str | None) -> None:
    # The reporter is filled in: its name is an answer, never taken for a title.
    location = locate(with_title(title), tmp_path)
    assert (location.title, location.title_matches) == (found, False)


def test_without_a_title_the_answers_are_not_taken_for_one(tmp_path: Path) -> None:
    wb = with_title(None)
    form_sheet(wb)[LAYOUT.date_cell] = "2023年3月20日"
    location = locate(wb, tmp_path)
    assert (location.title, location.title_matches, location.title_year) == (None, False, None)
    assert location.reporter == LabelledCell(LAYOUT.reporter_row - 1, 2, ZEZHOU)


def test_without_a_title_the_header_and_items_are_not_taken_for_one(tmp_path: Path) -> None:
    wb = with_title(None, with_reporter=False)
    form_sheet(wb)[f"F{LAYOUT.header_row}"] = "备注说明"  # a longer header cell
    form_sheet(wb)[LAYOUT.date_cell] = date(2023, 3, 20)
    location = locate(wb, tmp_path)
    assert (location.title, location.title_matches) == (None, False)


def test_the_title_is_found_after_numbers_and_notes_above_it(tmp_path: Path) -> None:
    wb = generated()
    ws = form_sheet(wb)
    ws["B1"] = 1  # 附件 1, typed in two cells
    ws["C1"] = "备注：本表已经局长审核"
    location = locate(wb, tmp_path)
    assert (location.title, location.title_matches) == (DEFAULT_CAMPAIGN.title, True)


# --- 填报单位 and 填报日期 ------------------------------------------------------------------


@pytest.mark.parametrize("answer_cell", [None, ZEZHOU])
def test_a_reporter_typed_inside_the_label_cell(tmp_path: Path, answer_cell: str | None) -> None:
    wb = generated(with_reporter=False)
    ws = form_sheet(wb)
    ws[f"A{LAYOUT.reporter_row}"] = "填报单位：泽州县"
    ws[LAYOUT.reporter_cell] = answer_cell
    location = locate(wb, tmp_path)
    assert location.reporter == LabelledCell(LAYOUT.reporter_row - 1, 0, "泽州县")


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("填报单位:  泽州县局 ", "泽州县局"),  # half-width colon, spaces around the answer
        ("填报单位：泽州县局：消保科", "泽州县局：消保科"),  # only the first colon separates
    ],
)
def test_what_follows_the_first_colon_is_the_answer(tmp_path: Path, label: str, value: str) -> None:
    wb = generated()
    form_sheet(wb)[f"A{LAYOUT.reporter_row}"] = label
    location = locate(wb, tmp_path)
    assert location.reporter == LabelledCell(LAYOUT.reporter_row - 1, 0, value)


def test_a_date_with_a_time_typed_inside_the_label_cell(tmp_path: Path) -> None:
    wb = generated()
    form_sheet(wb)[f"A{LAYOUT.date_row}"] = "填报日期：2023年3月20日 10:30"
    location = locate(wb, tmp_path)
    assert location.filled_on == LabelledCell(LAYOUT.date_row - 1, 0, "2023年3月20日 10:30")


def test_labels_in_a_table_typed_from_scratch(tmp_path: Path) -> None:
    # No merged cells: the answer is the next filled cell to the right, however far; with
    # nothing typed, the cell right after the label.
    rows: list[list[CellValue]] = [
        TOP[1],
        ["填报单位", None, None, "泽州县"],
        [None, "填报日期："],
        TOP[3],
        ITEM_1,
        MEDIA_TV,
        MEDIA_RADIO,
        NET_TV,
        NET_RADIO,
    ]
    location = locate(typed(rows), tmp_path, TWO_BLOCKS)
    assert location.reporter == LabelledCell(1, 3, "泽州县")
    assert location.filled_on == LabelledCell(2, 2, None)


def test_without_the_labels_there_are_no_answers(tmp_path: Path) -> None:
    rows = [TOP[1], TOP[3], ITEM_1, MEDIA_TV, MEDIA_RADIO, NET_TV, NET_RADIO]
    location = locate(typed(rows), tmp_path, TWO_BLOCKS)
    assert location.reporter is None and location.filled_on is None
    assert location.item_rows == {k: v - 2 for k, v in BLOCK_ROWS.items()}


def test_texts_up_to_200_characters_are_labels_longer_ones_are_not(tmp_path: Path) -> None:
    """Folding long text is slow and no label is that long: 200 characters is the limit, for
    item labels, the title and the 填报单位 cell alike."""
    from jc315cli.read.locate import MAX_LABEL

    long_category = "普法宣传活动" + "甲" * (MAX_LABEL - 6)
    form = FormSpec(
        version="t",
        title="宣传情况统计表",
        measures=(Measure(name="场次"),),
        items=(Item(id="1", category=long_category, measure="场次"),),
    )
    title = "2023年宣传情况统计表" + " " * (MAX_LABEL - 12)
    reporter = "填报单位：" + ZEZHOU + " " * (MAX_LABEL - 5 - len(ZEZHOU))
    rows: list[list[CellValue]] = [
        [title],
        [reporter],
        ["序号", "类别", None, "单位", "数量"],
        ["1", long_category, None, "场次", 3],
    ]
    assert len(title) == len(reporter) == len(long_category) == MAX_LABEL
    location = locate(typed(rows), tmp_path, form)
    assert location.item_rows == {"1": 3} and location.title_matches
    assert location.reporter is not None and location.reporter.value == ZEZHOU
    rows[3][1] = long_category + "乙"  # one character more: no longer a label
    form_longer = form.model_copy(
        update={"items": (Item(id="1", category=long_category + "乙", measure="场次"),)}
    )
    with pytest.raises(Jc315Error) as info:
        locate(typed(rows), tmp_path, form_longer)
    assert info.value.problem.code == "no-form-sheet"
