"""Writing the consolidated report: 汇总 (the form itself, ready to forward), 分单位明细,
报送情况, 问题清单, and a bar chart. Values only, never formulas: a file written by openpyxl has
no cached formula results, so readers and the next level up would see nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.check.merge_plan import MergePlan, doubtful
from jc315cli.model.campaign import Campaign
from jc315cli.model.identity import campaign_identity
from jc315cli.model.layout import DETAIL_SHEET, ISSUES_SHEET, STATUS_SHEET, SUMMARY_SHEET
from jc315cli.problems.report import PENDING, FileReport
from jc315cli.write.bulk import BulkRows, Value, style_id
from jc315cli.write.form_sheet import add_form_sheet
from jc315cli.write.page_fit import SMALLEST_PRINTED, Page, fit_scale
from jc315cli.write.sheets import add_identity_sheet, new_workbook, print_setup, set_text
from jc315cli.write.side_sheets import issues_sheet, status_sheet

if TYPE_CHECKING:
    from jc315cli.collection.board import Board
from jc315cli.write.styles import (
    BODY_FONT,
    BOX,
    CENTER,
    GREY,
    HEADER_FONT,
    LEFT,
    SMALL_FONT,
    TITLE_FONT,
    TOTAL_FONT,
    number_format,
)
from jc315cli.write.workbook_bytes import workbook_bytes


def consolidated_workbook_bytes(
    campaign: Campaign, result: MergePlan, board: Board | None = None
) -> bytes:
    """The consolidated report; with `board` (the collection's history), 报送情况 also tells each
    reporter's rounds and changed values, and the headline rates."""
    wb = new_workbook()
    add_form_sheet(
        wb,
        campaign,
        reporter_name=campaign.organizer,
        values=result.totals,
        filled_on=result.filled_on,
        title=SUMMARY_SHEET,
        note=_summary_note(campaign, result),
        explain=(),  # the totals: each value's reasons are the units', in 问题清单
    )
    _detail_sheet(wb.create_sheet(DETAIL_SHEET), campaign, result)
    status_sheet(wb.create_sheet(STATUS_SHEET), campaign, result, board)
    issues_sheet(wb.create_sheet(ISSUES_SHEET), campaign, result)
    covers = sorted({name for f in result.included for name in f.covers})
    add_identity_sheet(
        wb,
        campaign_identity(
            campaign,
            kind="consolidated",
            reporter=campaign.organizer,
            generated_at=result.filled_on.isoformat(),
            covers=tuple(covers),
            inputs=tuple(f"{f.sha256}  {Path(f.path).name}" for f in result.included),
        ),
    )
    stamp = datetime(result.filled_on.year, result.filled_on.month, result.filled_on.day)
    return workbook_bytes(wb, stamp)


def _summary_note(campaign: Campaign, result: MergePlan) -> str:
    """The 汇总 sheet's 说明, one statement a line."""
    order = {r.name: index for index, r in enumerate(campaign.reporters)}
    short = {r.name: r.short_name for r in campaign.reporters}

    def name(f: FileReport) -> str:
        return short.get(f.reporter or "", f.reporter or "？")

    names = "、".join(
        name(f)
        for f in sorted(result.included, key=lambda f: order.get(f.reporter or "", len(order)))
    )
    lines = [
        f"说明：本表由{campaign.organizer}汇总 {len(result.included)} 个单位报送的统计表（{names}）。"
    ]
    lines.append(
        f"未报送：{'、'.join(result.missing)}。" if result.missing else "应报单位均已报送。"
    )
    failed = [f for f in result.rejected if not f.usable]
    if failed:
        lines.append(f"已退回、未计入：{'、'.join(name(f) for f in failed)}。")
    waiting = [f for f in result.rejected if f.usable]
    if waiting:
        lines.append(f"有待核实的数值、未计入：{'、'.join(name(f) for f in waiting)}。")
    confirmed = len({(f.path, p.item) for f, p in doubtful(result)})
    if confirmed:
        lines.append(f"经核实计入的数值 {confirmed} 个，核实理由见“{ISSUES_SHEET}”。")
    lines.append(f"各单位数据见“{DETAIL_SHEET}”，报送情况见“{STATUS_SHEET}”。")
    return "\n".join(lines)


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = ws.cell(row=1, column=1)
    set_text(cell, text)
    cell.font = TITLE_FONT
    cell.alignment = CENTER
    ws.row_dimensions[1].height = 32


def _detail_sheet(ws: Worksheet, campaign: Campaign, result: MergePlan) -> None:
    """Items as rows, one column per reporter, then the total. Deliberately no 数量 header, so
    a reader looking for the form finds only the 汇总 sheet."""
    # Every reporter of the campaign, in its order: one that is not in the total says why.
    counted = {f.reporter: f for f in result.included}
    why = {f.reporter: PENDING if f.usable else "已退回" for f in result.rejected}
    included: list[FileReport | None] = [counted.get(r.name) for r in campaign.reporters]
    names = [
        r.short_name if counted.get(r.name) else f"{r.short_name}（{why.get(r.name, '未报送')}）"
        for r in campaign.reporters
    ]
    words = campaign.form.labels
    labels = [words.serial, words.category, "项目", words.measure, *names, "合计"]
    _title(ws, f"{campaign.title}分单位明细", len(labels))
    body = BulkRows(ws, first=2)
    header = style_id(ws, font=HEADER_FONT, alignment=CENTER, border=BOX, fill=GREY)
    body.add(labels, [header] * len(labels), height=30)
    centred = style_id(ws, font=BODY_FONT, alignment=CENTER, border=BOX)
    left = style_id(ws, font=BODY_FONT, alignment=LEFT, border=BOX)
    small = style_id(ws, font=SMALL_FONT, alignment=LEFT, border=BOX)
    for item in campaign.form.items:
        fmt = number_format(campaign.form.measure_of(item))
        value = style_id(ws, font=BODY_FONT, alignment=CENTER, border=BOX, number_format=fmt)
        total = style_id(ws, font=TOTAL_FONT, alignment=CENTER, border=BOX, number_format=fmt)
        values: list[Value] = [
            "—" if report is None else report.values.get(item.id, 0) for report in included
        ]
        lines = max(
            _lines(item.category, DETAIL_WIDTHS[1]), _lines(item.name or "", DETAIL_WIDTHS[2])
        )
        body.add(
            [
                item.id,
                item.category,
                item.name or "",
                item.measure,
                *values,
                result.totals[item.id],
            ],
            [centred, small, left, centred, *[value] * len(values), total],
            height=max(22, lines * 15 + 5),
        )
    last = 2 + len(campaign.form.items)
    widths = [*DETAIL_WIDTHS, *[UNIT_WIDTH] * len(names), TOTAL_WIDTH]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[_letter(col)].width = width
    ws.freeze_panes = "E3"
    if _chart(ws, campaign, included, last):  # on a page of its own: the table takes the first
        ws.row_breaks.append(Break(id=last))
    print_setup(ws, f"A1:{_letter(len(labels))}{last + 20}", landscape=True, one_page=False)
    ws.page_margins.left = ws.page_margins.right = DETAIL_MARGIN
    if fit_scale(widths, Page.of(ws)) * float(SMALL_FONT.sz or 0) < SMALLEST_PRINTED:
        # Too many units for one page's width at 9 pt: at full size, across pages, each
        # page repeating the item columns.
        ws.sheet_properties.pageSetUpPr.fitToPage = False  # type: ignore[union-attr]
        ws.print_title_cols = "A:D"


# 序号, 类别 (wrapped: the longest takes two lines), 项目, 单位; then each unit and 合计. Narrow
# enough that seven units print on one landscape page at full size.
DETAIL_WIDTHS = [5.0, 16.0, 15.0, 5.0]
UNIT_WIDTH = 10.0  # 28.6350 at 12 pt, in any suite's digits
TOTAL_WIDTH = 12.0  # in bold
DETAIL_MARGIN = 0.4  # inches, left and right: room for seven units at 9 pt or more


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text of 10.5–12 pt takes in a column `width` units wide (a CJK
    character is about two units at 12 pt)."""
    from rich.cells import cell_len

    return max(1, -(-cell_len(text) // max(int(width * 0.9) - 1, 1)))


def _chart(
    ws: Worksheet, campaign: Campaign, included: list[FileReport | None], last_row: int
) -> bool:
    """The form's chart, if it has one: its items as series, one bar per reporter, on an axis of
    their common measure (the form refuses a chart that mixes measures)."""
    spec = campaign.form.chart
    if spec is None or not any(included):
        return False
    measure = campaign.form.item(spec.items[0]).measure
    chart = BarChart()
    chart.type = "col"
    chart.title = f"{spec.title}（{measure}）"
    chart.y_axis.title = measure
    chart.height, chart.width = 8, 22
    ids = [item.id for item in campaign.form.items]
    for item_id in spec.items:
        row = 3 + ids.index(item_id)
        values = Reference(ws, min_col=5, max_col=4 + len(included), min_row=row, max_row=row)
        chart.series.append(Series(values, title=campaign.form.item(item_id).label))
    chart.set_categories(Reference(ws, min_col=5, max_col=4 + len(included), min_row=2, max_row=2))
    ws.add_chart(chart, f"B{last_row + 2}")
    return True


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
