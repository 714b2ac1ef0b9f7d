"""The large tables' rows, written as text by jc315cli.write.bulk, are the bytes openpyxl writes for
the same cells: held here on values that test a writer (escaping, spaces, control characters,
over-long text, exact money, empty cells)."""

from __future__ import annotations

import io
import zipfile
from copy import copy
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.write.bulk import MAX_CELL_TEXT, BulkRows, Value, style_id
from jc315cli.write.sheets import new_workbook, set_text
from jc315cli.write.workbook_bytes import workbook_bytes

STAMP = datetime(2023, 3, 25)
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

ROWS: list[tuple[list[Value], float | None]] = [
    (["序号", "填报单位", "说明", "金额"], 30),
    ([1, "城区市场监督管理局", "", Decimal("12.3456")], 22),
    ([2, " 前有空格", "后有空格 ", Decimal("0.0000")], None),
    ([3, "   ", "a & b < c > d \"e\" 'f'", Decimal("123456789012.3456")], 62.5),
    ([4, "两行\n第二行", "\x1b[31m控制\x00字符\x7f", -7], 14),
    ([5, "全角　空格　", "x" * (MAX_CELL_TEXT + 5), 0], 15.75),
    ([None, "🙂 表情", "=SUM(A1:A3)", 10**16], None),  # openpyxl writes 1e+16
    ([6, "\t制表", "&amp; 已转义的样子", None], 20),
]


def _styles(ws: Worksheet) -> list[int]:
    return [
        style_id(ws, font=Font(name="宋体", size=11, bold=True), alignment=Alignment(), border=BOX),
        style_id(
            ws,
            font=Font(name="仿宋", size=10.5),
            alignment=Alignment(horizontal="left", vertical="center", wrap_text=True),
            border=BOX,
        ),
        style_id(
            ws,
            font=Font(name="仿宋", size=10.5),
            alignment=Alignment(horizontal="center"),
            border=BOX,
            fill=PatternFill("solid", fgColor="EDEDED"),
        ),
        style_id(
            ws,
            font=Font(name="仿宋", size=12),
            alignment=Alignment(horizontal="center"),
            border=BOX,
            number_format="0.0000",
        ),
    ]


def _sheet(wb: Workbook) -> Worksheet:
    """A sheet with a title of openpyxl's own in row 1; the body goes from row 2."""
    ws: Worksheet = wb.create_sheet("表")
    set_text(ws.cell(row=1, column=1), "标题")
    ws.merge_cells("A1:D1")
    ws.column_dimensions["B"].width = 20
    return ws


def _written_as_text() -> bytes:
    wb = new_workbook()
    ws = _sheet(wb)
    body, styles = BulkRows(ws, first=2), _styles(ws)
    for values, height in ROWS:
        body.add(values, styles, height=height)
    return workbook_bytes(wb, STAMP)


def _written_by_openpyxl() -> bytes:
    wb = new_workbook()
    ws = _sheet(wb)
    styles = _styles(ws)  # the same styles, registered in the same order
    for number, (values, height) in enumerate(ROWS, start=2):
        for column, (value, style) in enumerate(zip(values, styles, strict=True), start=1):
            cell = ws.cell(row=number, column=column)
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
            cell._style = copy(wb._cell_styles[style])  # type: ignore[union-attr, attr-defined]
        if height is not None:
            ws.row_dimensions[number].height = height
    return workbook_bytes(wb, STAMP)


def test_rows_written_as_text_are_the_bytes_openpyxl_writes() -> None:
    ours, theirs = _written_as_text(), _written_by_openpyxl()
    with zipfile.ZipFile(io.BytesIO(ours)) as a, zipfile.ZipFile(io.BytesIO(theirs)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    assert ours == theirs


def test_the_rows_read_back(tmp_path: Path) -> None:
    path = tmp_path / "表.xlsx"
    path.write_bytes(_written_as_text())
    ws = load_workbook(path)["表"]
    assert ws.dimensions == "A1:D9"
    assert ws["B4"].value == " 前有空格"
    assert ws["C4"].value == "后有空格 "
    assert ws["C5"].value == "a & b < c > d \"e\" 'f'"
    assert ws["C6"].value == "<U+001B>[31m控制<U+0000>字符\x7f"
    assert len(ws["C7"].value) == MAX_CELL_TEXT
    assert ws["C8"].value == "=SUM(A1:A3)" and ws["C8"].data_type == "s"
    assert ws["D5"].value == Decimal("123456789012.3456") or ws["D5"].value == 123456789012.3456
    assert ws["D9"].value is None and ws["D9"].has_style
    assert ws.row_dimensions[5].height == 62.5
    assert ws["B2"].font.bold is False and ws["A2"].font.bold is True
    assert ws["C2"].fill.fgColor.rgb == "00EDEDED"
    assert ws["D3"].number_format == "0.0000"


def test_rows_openpyxl_also_wrote_are_refused() -> None:
    wb = new_workbook()
    ws = _sheet(wb)
    body, styles = BulkRows(ws, first=2), _styles(ws)
    body.add([1, "a", "b", 2], styles, height=None)
    body.ws.cell(row=2, column=5).value = "又写一次"
    with pytest.raises(RuntimeError, match="row 2"):
        workbook_bytes(wb, STAMP)


def test_only_values_a_table_holds() -> None:
    wb = new_workbook()
    ws = _sheet(wb)
    body, styles = BulkRows(ws, first=2), _styles(ws)
    with pytest.raises(TypeError):
        body.add([True, "a", "b", 1], styles, height=None)
    with pytest.raises(TypeError):
        body.add([1.5, "a", "b", 1], styles, height=None)  # type: ignore[list-item]
    with pytest.raises(ValueError):
        body.add([1, "a"], styles, height=None)


def test_a_table_goes_with_its_sheet(tmp_path: Path) -> None:
    wb = new_workbook()
    ws = _sheet(wb)
    kept = BulkRows(ws, first=2)
    kept.add(["留下", None], [_styles(ws)[0], None], height=None)  # None, None: no cell at all
    with pytest.raises(RuntimeError, match="second table"):
        BulkRows(ws, first=10)
    gone = wb.create_sheet("删掉")
    BulkRows(gone, first=1).add(["不写"], [None], height=None)
    del wb["删掉"]
    path = tmp_path / "表.xlsx"
    path.write_bytes(workbook_bytes(wb, STAMP))
    back = load_workbook(path)
    assert back.sheetnames == ["表"]
    assert back["表"]["A2"].value == "留下" and back["表"].max_column == 4  # the title's merge
    assert back["表"].dimensions == "A1:D2"


def test_a_written_workbook_does_not_outlive_its_writer() -> None:
    # generate writes one form after another (500 at the campaign's bound): a table kept in a
    # registry keyed by its workbook kept every form in memory, 2 MB a form of 200 items.
    import gc
    import weakref

    from jc315cli.model.builtin import DEFAULT_CAMPAIGN
    from jc315cli.write.blank_forms import build_timestamp, form_bytes

    wb = new_workbook()
    BulkRows(wb.create_sheet("表"), 1).add(["甲"], [None], None)
    workbook_bytes(wb, STAMP)
    written = weakref.ref(wb)
    del wb
    gc.collect()
    assert written() is None
    gc.collect()
    before = sum(isinstance(o, Workbook) for o in gc.get_objects())
    for reporter in DEFAULT_CAMPAIGN.reporters:
        form_bytes(DEFAULT_CAMPAIGN, reporter, build_timestamp(DEFAULT_CAMPAIGN))
    gc.collect()
    assert sum(isinstance(o, Workbook) for o in gc.get_objects()) == before
