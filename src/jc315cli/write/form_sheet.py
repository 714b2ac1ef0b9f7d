"""Build the 统计表 sheet from a FormSpec and Campaign, faithful to the notice's attachment.

One builder serves the blank template, each reporter's generated form, and the 汇总 sheet of a
consolidated report, so the city total can be forwarded in exactly the form it was asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.model.campaign import Campaign, chinese_date
from jc315cli.model.form import Measure, ValueKind
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.problems.report import NOTE_HEADER
from jc315cli.write.page_fit import broken

# The workbook's parts moved to sheets.py; named here too for replies.py until it imports them
# from there.
from jc315cli.write.sheets import add_identity_sheet as add_identity_sheet
from jc315cli.write.sheets import new_workbook as new_workbook
from jc315cli.write.sheets import print_setup, set_text
from jc315cli.write.styles import (
    ATTACHMENT_FONT,
    BODY_FONT,
    BOX,
    CENTER,
    DATE_FORMAT,
    FORM_TITLE_FONT,
    HEADER_FONT,
    LEFT,
    NOTE_BELOW,
    NOTICE_FONT,
    RIGHT,
    SMALL_FONT,
    UNDERLINE,
    UNLOCKED,
    number_format,
)

COLUMN_WIDTHS = {"A": 7, "B": 30, "C": 18, "D": 8, "E": 16}
NOTE_WIDTH = 26  # the 核实说明 column: a short sentence on two lines


def add_form_sheet(
    wb: Workbook,
    campaign: Campaign,
    *,
    reporter_name: str | None,
    values: Mapping[str, int | Decimal | str] | None = None,
    filled_on: date | None = None,
    title: str = FORM_SHEET,
    note: str | None = None,
    notice: str | None = None,
    explain: Collection[str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> Worksheet:
    """Add the 统计表 sheet. A blank form when `values` is None; the reporter cell is locked
    when a reporter is given and left open for typing when not (the generic template). Text in
    `values` (what a person typed that was not a number) is kept as text. A `notice` replaces
    the 附件 line at the top (a form sent back: what to fix, by when). `explain` names the
    items whose 核实说明 cell beside the value is open to type in (filled with `notes`); None
    means every item when the campaign's form has the column (`note_column`), else none."""
    form = campaign.form
    labels = form.labels
    ws: Worksheet = wb.create_sheet(title)
    for column, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[column].width = width
    last_row = LAYOUT.item_row(len(form.items) - 1)

    if notice:
        ws.merge_cells("A1:E1")
        _text(ws, "A1", notice, NOTICE_FONT, LEFT)
        ws.row_dimensions[1].height = 15 * (2 + len(notice) // 38)
    else:
        _text(ws, "A1", labels.attachment, ATTACHMENT_FONT, LEFT)
    ws.merge_cells(f"A{LAYOUT.title_row}:E{LAYOUT.title_row}")
    _text(ws, f"A{LAYOUT.title_row}", campaign.title, FORM_TITLE_FONT, CENTER)
    ws.row_dimensions[LAYOUT.title_row].height = 42

    for row, caption in (
        (LAYOUT.reporter_row, labels.reporter),
        (LAYOUT.date_row, labels.filled_on),
    ):
        caption = f"{caption}："
        ws.merge_cells(f"A{row}:B{row}")
        _text(ws, f"A{row}", caption, BODY_FONT, RIGHT)
        ws.merge_cells(f"C{row}:E{row}")
        for col in "CDE":
            ws[f"{col}{row}"].border = UNDERLINE
        ws.row_dimensions[row].height = 24

    reporter_cell = ws[LAYOUT.reporter_cell]
    reporter_cell.font, reporter_cell.alignment = BODY_FONT, LEFT
    if reporter_name:
        set_text(reporter_cell, reporter_name)
    else:
        reporter_cell.protection = UNLOCKED
    date_cell = ws[LAYOUT.date_cell]
    date_cell.font, date_cell.alignment = BODY_FONT, LEFT
    date_cell.number_format = DATE_FORMAT
    date_cell.value = filled_on
    date_cell.protection = UNLOCKED
    example = campaign.example_date()
    date_prompt = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=labels.filled_on,
        prompt=f"请填写{labels.filled_on}，如 {example.isoformat()} 或 {chinese_date(example)}",
    )
    ws.add_data_validation(date_prompt)
    date_prompt.add(LAYOUT.date_cell)

    h = LAYOUT.header_row
    ws.merge_cells(f"B{h}:C{h}")
    header = (labels.serial, labels.category, None, labels.measure, labels.value)
    for col, label in zip("ABCDE", header, strict=True):
        cell = ws[f"{col}{h}"]
        if label:
            _text(ws, cell.coordinate, label, HEADER_FONT, CENTER)
        cell.border = BOX
    ws.row_dimensions[h].height = 28

    _write_items(ws, campaign, values)
    if explain is None:
        explain = [item.id for item in form.items] if form.note_column else []
    if explain:
        _note_column(ws, campaign, explain, notes or {})

    footer = last_row + 2
    ws.merge_cells(f"A{footer}:E{footer}")
    contact = campaign.contact
    # Explicit lines, so a phone number or an e-mail address is never broken and no line
    # starts with punctuation, however the office suite wraps.
    text = note or (
        f"说明：1. 请于{chinese_date(campaign.deadline)}前将本表报送{campaign.organizer}"
        f"{contact.department}。\n"
        f"联系人：{contact.person}，电话：{contact.phone}，邮箱：{contact.email}。\n"
        f"2. {labels.value}栏请填写阿拉伯数字，没有的填 0{_money_sentence(campaign)}。"
    )
    text = broken(text, sum(COLUMN_WIDTHS.values()))  # no line a suite breaks, or opens with 。
    _text(ws, f"A{footer}", text, SMALL_FONT, NOTE_BELOW)
    ws.row_dimensions[footer].height = 15 * (text.count("\n") + 1) + 9

    print_setup(ws, f"A1:{LAYOUT.note_column if explain else 'E'}{footer}")
    ws.protection.sheet = True  # no password: protection guards against slips, not people
    ws.sheet_view.showGridLines = False
    return ws


def _money_sentence(campaign: Campaign) -> str:
    """；金额以万元为单位，最多保留 4 位小数 — for each money measure the form uses, else nothing."""
    return "".join(
        f"；金额以{m.name}为单位，最多保留 {m.places} 位小数"
        if m.places
        else f"；金额以{m.name}为单位，填写整数"
        for m in campaign.form.money_measures
    )


def _write_items(
    ws: Worksheet, campaign: Campaign, values: Mapping[str, int | Decimal | str] | None
) -> None:
    form = campaign.form
    items = form.items
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(item.serial, []).append(index)
    for index, item in enumerate(items):
        row = LAYOUT.item_row(index)
        ws.row_dimensions[row].height = 26
        for col in "ABCDE":
            ws[f"{col}{row}"].border = BOX
        group = groups[item.serial]
        if index == group[0]:
            _text(ws, f"A{row}", item.serial, BODY_FONT, CENTER)
            _text(ws, f"B{row}", item.category, BODY_FONT, CENTER)
            if len(group) > 1:
                ws.merge_cells(f"A{row}:A{row + len(group) - 1}")
                ws.merge_cells(f"B{row}:B{row + len(group) - 1}")
        if item.name:
            _text(ws, f"C{row}", item.name, BODY_FONT, CENTER)
        elif len(group) == 1:
            ws.merge_cells(f"B{row}:C{row}")
        measure = form.measure_of(item)
        _text(ws, f"D{row}", item.measure, BODY_FONT, CENTER)
        value_cell = ws[f"{LAYOUT.value_column}{row}"]
        value_cell.font, value_cell.alignment = BODY_FONT, CENTER
        value_cell.protection = UNLOCKED
        value_cell.number_format = number_format(measure)
        if values is not None:
            value = values.get(item.id)
            if isinstance(value, str):
                set_text(value_cell, value)
            else:
                value_cell.value = value
        validation = _value_validation(measure)
        ws.add_data_validation(validation)
        validation.add(value_cell.coordinate)


def _note_column(
    ws: Worksheet, campaign: Campaign, explain: Collection[str], notes: Mapping[str, str]
) -> None:
    """The 核实说明 column: its header beside 数量 (the reader finds the column by it) and an
    open cell on each row in `explain`, where the county says why a value is right. No other
    cell of the form changes."""
    ws.column_dimensions[LAYOUT.note_column].width = NOTE_WIDTH
    header = ws[f"{LAYOUT.note_column}{LAYOUT.header_row}"]
    _text(ws, header.coordinate, NOTE_HEADER, HEADER_FONT, CENTER)
    header.border = BOX
    prompt = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        promptTitle=NOTE_HEADER,
        prompt="左边的数如核实无误，请在此写明理由，如“数值无误：含一起预付卡集中投诉”",
    )
    ws.add_data_validation(prompt)
    for index, item in enumerate(campaign.form.items):
        if item.id not in explain:
            continue
        cell = ws[LAYOUT.note_cell(index)]
        cell.border, cell.font, cell.alignment = BOX, SMALL_FONT, LEFT
        cell.protection = UNLOCKED
        if item.id in notes:
            set_text(cell, notes[item.id])
        prompt.add(cell.coordinate)


def _value_validation(measure: Measure) -> DataValidation:
    if measure.kind is ValueKind.MONEY:
        return DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            showInputMessage=True,
            showErrorMessage=True,
            promptTitle=f"单位：{measure.name}",
            prompt=f"请填写阿拉伯数字，以{measure.name}为单位（如 3.5 表示 3.5 {measure.name}），没有的填 0",
            errorTitle="数值有误",
            error=f"请填写不小于 0 的数字，以{measure.name}为单位，最多 {measure.places} 位小数",
        )
    return DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=f"单位：{measure.name}",
        prompt=f"请填写阿拉伯数字（{measure.name}），没有的填 0",
        errorTitle="数值有误",
        error="请填写不小于 0 的整数",
    )


def _text(ws: Worksheet, coordinate: str, value: str, font: Font, alignment: Alignment) -> None:
    cell = ws[coordinate]
    set_text(cell, value)
    cell.font, cell.alignment = font, alignment
