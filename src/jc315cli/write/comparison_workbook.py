"""Writing the 对比 workbook: the items side by side (last, this, change, change in percent,
说明) on one landscape A4 page, and, when both reports are merged reports, 分单位对比: each
item's units, one row each, as many pages as it takes, the header repeated on every page.

Values only, never formulas (a file written by openpyxl has no cached results). Fonts are
9 pt or more, and the columns are narrow enough that fitting the page to its width keeps them
so (see side_sheets.py on how wide a width unit prints).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.figures.comparison import Comparison, Row, comparison_title
from jc315cli.figures.read_back import ReportFigures
from jc315cli.model.form import Measure
from jc315cli.model.layout import ITEMS_SHEET, UNITS_SHEET
from jc315cli.problems.report import LONG_LIMIT, shown
from jc315cli.write.bulk import BulkRows, Value, style_id
from jc315cli.write.sheets import new_workbook, print_setup, set_text
from jc315cli.write.styles import (
    BOX,
    CENTER,
    COMPARE_FONT,
    GREY,
    LEFT,
    NO_BORDER,
    NOTE_BELOW,
    NOTE_FONT,
    NOTED,
    PERCENT_FORMAT,
    RIGHT,
    TABLE_HEADER_FONT,
    TITLE_FONT,
    number_format,
)
from jc315cli.write.workbook_bytes import workbook_bytes

LINE = 15.0  # points per line of 11 pt text
HEADER_ROW = 3


def comparison_workbook_bytes(comparison: Comparison) -> bytes:
    wb = new_workbook()
    _items_sheet(wb.create_sheet(ITEMS_SHEET), comparison)
    if comparison.units is not None:
        _units_sheet(wb.create_sheet(UNITS_SHEET), comparison)
    this = comparison.this
    day = this.filled_on
    stamp = datetime(day.year, day.month, day.day) if day else datetime(this.year, 1, 1)
    return workbook_bytes(wb, stamp)


def _source(report: ReportFigures, column: str) -> str:
    return (
        f"{column}：{shown(Path(report.path).name, LONG_LIMIT)}（{shown(report.reporter)}"
        f"{report.kind_words}，{report.year}年，表的版本 {report.version}）"
    )


def _head(ws: Worksheet, comparison: Comparison, labels: list[str], widths: list[float]) -> None:
    last = len(labels)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    cell = ws.cell(row=1, column=1)
    set_text(cell, comparison_title(comparison) + ("（分单位）" if ws.title == UNITS_SHEET else ""))
    cell.font, cell.alignment = TITLE_FONT, CENTER
    ws.row_dimensions[1].height = 30
    words = comparison.words
    sources = "\n".join(
        (
            _source(comparison.last, words.last_column),
            _source(comparison.this, words.this_column),
        )
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    cell = ws.cell(row=2, column=1)
    set_text(cell, sources)
    cell.font, cell.alignment = NOTE_FONT, LEFT
    ws.row_dimensions[2].height = sum(_lines(x, sum(widths)) for x in sources.split("\n")) * 13 + 4
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col)
        set_text(cell, label)
        cell.font, cell.alignment, cell.border, cell.fill = TABLE_HEADER_FONT, CENTER, BOX, GREY
    ws.row_dimensions[HEADER_ROW].height = 22
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页，共 &N 页"


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` units wide (a CJK character is ~2)."""
    from rich.cells import cell_len

    room = max(width - 1, 1)
    return max(1, -(-cell_len(text) // int(room)))


def _items_sheet(ws: Worksheet, comparison: Comparison) -> None:
    words = comparison.words
    labels = ["序号", "项目", "单位", words.last_column, words.this_column, "增减", "增减幅度"]
    widths = [6.0, 30, 6, 12, 12, 11, 10, 26]
    _head(ws, comparison, [*labels, "说明"], widths)
    body, styles = BulkRows(ws, first=HEADER_ROW + 1), _Styles(ws)
    for line in comparison.rows:
        item = line.pair.item
        body.add(*_row(comparison, line, [item.id, item.label, item.measure], widths, styles))
    note = (
        f"说明：增减幅度 =（{words.this_column} − {words.last_column}）÷ {words.last_column} × 100%，"
        f"四舍五入保留 1 位小数；{words.last_column}为 0 的不计算幅度。"
        "项目按编号和名称对应，新增、删去、改名的项目在说明栏注明。"
    )
    row = body.next_row
    _merge(ws, f"A{row}:{get_column_letter(len(widths))}{row}")
    style = style_id(ws, font=NOTE_FONT, alignment=NOTE_BELOW, border=NO_BORDER)
    body.add([note], [style], height=_lines(note, sum(widths)) * 13 + 6)
    print_setup(ws, f"A1:{get_column_letter(len(widths))}{row}", landscape=True)
    ws.page_margins.left = ws.page_margins.right = 0.5


def _units_sheet(ws: Worksheet, comparison: Comparison) -> None:
    """Each item's units, one row each: written as rows of text (bulk.py), since a merged report
    of thousands of units makes this sheet ten thousand rows or more. The item's id and label
    stand merged over its units' rows, and an item's rows stay on one page: a page break goes
    before an item that would not fit the rest of a page, and an item longer than a page
    names itself again at the top of each page it runs onto."""
    assert comparison.units is not None
    words = comparison.words
    labels = ["序号", "项目", "填报单位", "单位", words.last_column, words.this_column]
    widths = [6.0, 22, 10, 6, 12, 12, 11, 10, 24]
    _head(ws, comparison, [*labels, "增减", "增减幅度", "说明"], widths)
    body, styles = BulkRows(ws, first=HEADER_ROW + 1), _Styles(ws)
    page = _PageRoom(ws)
    for index, line in enumerate(comparison.rows):
        item = line.pair.item
        block = []
        for unit in comparison.units:
            unit_line = unit.rows[index]
            note = "；".join(x for x in (unit.note, unit_line.note) if x)
            row = Row(unit_line.pair, unit_line.change, note)
            block.append(
                _row(
                    comparison,
                    row,
                    [None, None, unit.name, item.measure],
                    widths,
                    styles,
                    merged_label=True,
                )
            )
        tall = sum(height for _, _, height in block)
        if not page.holds(tall) and tall <= page.whole:  # else it runs on from where it is
            page.turn(body.next_row)
        first = body.next_row
        for values, ids, height in block:
            if not page.holds(height):
                _name_rows(ws, first, body.last_row)
                page.turn(body.next_row)
                first = body.next_row
            if body.next_row == first:  # the id and label at the top of the item on each page
                values[:2] = [item.id, shown(item.label)]
            page.take(height)
            body.add(values, ids, height)
        _name_rows(ws, first, body.last_row)
    area = f"A1:{get_column_letter(len(widths))}{max(body.last_row, HEADER_ROW + 1)}"
    print_setup(ws, area, landscape=True, one_page=False)
    ws.page_margins.left = ws.page_margins.right = 0.5


def _name_rows(ws: Worksheet, first: int, last: int) -> None:
    if last > first:
        _merge(ws, f"A{first}:A{last}")
        _merge(ws, f"B{first}:B{last}")


class _PageRoom:
    """What is left of the printed page, in points, as rows are added (a landscape A4 page
    at full size: the scale a suite fits the width to is 1 or less, so as many rows or more
    fit). The header row repeats on every page; the title and sources take the first's top."""

    PAGE = (8.27 - 0.8 - 0.8) * 72 - 12  # points: A4's short side less margins, and a little

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        heights = [ws.row_dimensions[r].height or 15 for r in range(1, HEADER_ROW + 1)]
        self.whole = self.PAGE - heights[-1]  # a page after the first, under the header
        self.left = self.PAGE - sum(heights)

    def holds(self, height: float) -> bool:
        return height <= self.left

    def take(self, height: float) -> None:
        self.left -= height

    def turn(self, row: int) -> None:
        """A page break before `row` (none before the first row of a page)."""
        if self.left < self.whole:
            self.ws.row_breaks.append(Break(id=row - 1))
            self.left = self.whole


def _merge(ws: Worksheet, ref: str) -> None:
    """Merge cells of a bulk table's rows: the range only. openpyxl's merge_cells would make an
    object for every cell of it and restyle its edges, which for an item's thousands of units
    cost more than the whole sheet; the cells are written, borders and all, by the table."""
    ws.merged_cells.add(CellRange(ref))


class _Styles:
    """The style ids of a table's cells, each made once (`style_id` builds a cell to get one):
    by role, number format and whether the row has a note."""

    ROLES = {
        "label": (COMPARE_FONT, CENTER),
        "name": (COMPARE_FONT, LEFT),
        "text": (COMPARE_FONT, CENTER),
        "number": (COMPARE_FONT, RIGHT),
        "note": (NOTE_FONT, LEFT),
    }

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.ids: dict[tuple[str, str | None, bool], int] = {}

    def __call__(self, role: str, number_format: str | None = None, noted: bool = False) -> int:
        key = (role, number_format, noted)
        if key not in self.ids:
            font, alignment = self.ROLES[role]
            fill = NOTED if noted else None
            self.ids[key] = style_id(
                self.ws,
                font=font,
                alignment=alignment,
                border=BOX,
                fill=fill,
                number_format=number_format,
            )
        return self.ids[key]


def _row(
    comparison: Comparison,
    line: Row,
    labels: list[object],
    widths: list[float],
    styles: _Styles,
    *,
    merged_label: bool = False,
) -> tuple[list[Value], list[int | None], float]:
    """One row of a sheet as values, style ids and height: the label cells (None: a cell of a
    merged label), then last, this, change, percent and the note. A `merged_label` spans the
    rows of its units, so it does not make each row taller."""
    fmt = number_format(_measure(comparison, line))
    change = line.change
    percent = change.percent
    numbers: list[tuple[object, str]] = [
        (change.last, fmt),
        (change.this, fmt),
        (change.delta, f"+{fmt};-{fmt};{fmt}"),
        (
            percent / 100 if percent is not None else change.percent_text(comparison.words),
            PERCENT_FORMAT,
        ),
    ]
    texts = [None if value is None else shown(str(value)) for value in labels]
    values: list[Value] = list(texts)
    ids: list[int | None] = [styles("name" if col == 1 else "label") for col in range(len(labels))]
    for index, (value, number) in enumerate(numbers):
        if value is None or value == "":
            values.append("—" if index < 2 else "")
            ids.append(styles("text"))
        elif isinstance(value, str):
            values.append(value)
            ids.append(styles("text"))
        else:
            assert isinstance(value, (int, Decimal))
            values.append(value)
            ids.append(styles("number", number))
    values.append(line.note)
    ids.append(styles("note", noted=bool(line.note)))
    tallest = _lines(line.note, widths[-1]) if line.note else 1
    if not merged_label:
        tallest = max(tallest, _lines(texts[1] or "", widths[1]))
    return values, ids, max(18.0, tallest * LINE + 4)


def _measure(comparison: Comparison, line: Row) -> Measure:
    pair = line.pair
    if pair.this is not None:
        return comparison.this.campaign.form.measure_of(pair.this)
    assert pair.last is not None
    return comparison.last.campaign.form.measure_of(pair.last)
