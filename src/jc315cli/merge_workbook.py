"""Writing the consolidated report: 汇总 (the form itself, ready to forward), 分单位明细,
报送情况, 问题清单, and a bar chart. Values only, never formulas: a file written by openpyxl has
no cached formula results, so readers and the next level up would see nothing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.campaign import Campaign
from jc315cli.identity import campaign_identity
from jc315cli.output import workbook_bytes
from jc315cli.plan import MergePlan
from jc315cli.report import SEVERITY_LABELS, FileReport
from jc315cli.template import (
    BODY_FONT,
    BOX,
    CENTER,
    HEADER_FONT,
    LEFT,
    add_form_sheet,
    add_identity_sheet,
    new_workbook,
    number_format,
    print_setup,
    set_text,
)

SUMMARY_SHEET = "汇总"
DETAIL_SHEET = "分单位明细"
STATUS_SHEET = "报送情况"
ISSUES_SHEET = "问题清单"
SMALL = Font(name="仿宋", size=10.5)
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")
HASH_FONT = Font(name="Courier New", size=8)
NOWRAP = Alignment(horizontal="left", vertical="center", wrap_text=False, shrink_to_fit=True)


def consolidated_workbook_bytes(campaign: Campaign, result: MergePlan) -> bytes:
    wb = new_workbook()
    add_form_sheet(
        wb,
        campaign,
        reporter_name=campaign.organizer,
        values=result.totals,
        filled_on=result.filled_on,
        title=SUMMARY_SHEET,
        note=_summary_note(campaign, result),
    )
    _detail_sheet(wb.create_sheet(DETAIL_SHEET), campaign, result)
    _status_sheet(wb.create_sheet(STATUS_SHEET), campaign, result)
    _issues_sheet(wb.create_sheet(ISSUES_SHEET), result)
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
    names = "、".join(
        _short(campaign, f.reporter)
        for f in sorted(result.included, key=lambda f: _campaign_order(campaign, f.reporter))
    )
    missing = f"未报送：{'、'.join(result.missing)}。" if result.missing else "应报单位均已报送。"
    if result.rejected:
        missing += (
            f"已退回、未计入：{'、'.join(_short(campaign, f.reporter) for f in result.rejected)}。"
        )
    return (
        f"说明：本表由{campaign.organizer}汇总 {len(result.included)} 个单位报送的统计表（{names}）。"
        f"{missing}各单位数据见“{DETAIL_SHEET}”，报送情况见“{STATUS_SHEET}”。"
    )


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    cell = ws.cell(row=1, column=1)
    set_text(cell, text)
    cell.font = Font(name="宋体", size=16, bold=True)
    cell.alignment = CENTER
    ws.row_dimensions[1].height = 32


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col)
        set_text(cell, label)
        cell.font, cell.alignment, cell.border, cell.fill = HEADER_FONT, CENTER, BOX, HEADER_FILL
    ws.row_dimensions[row].height = 30


def _cell(
    ws: Worksheet,
    row: int,
    col: int,
    value: int | Decimal | str | None,
    *,
    text: bool = False,
    align: Alignment = CENTER,
    font: Font = BODY_FONT,
    number_format: str | None = None,
) -> None:
    cell = ws.cell(row=row, column=col)
    if text or isinstance(value, str):
        set_text(cell, "" if value is None else str(value))
    else:
        cell.value = value
    cell.font, cell.alignment, cell.border = font, align, BOX
    if number_format:
        cell.number_format = number_format


def _detail_sheet(ws: Worksheet, campaign: Campaign, result: MergePlan) -> None:
    """Items as rows, one column per reporter, then the total. Deliberately no 数量 header, so
    a reader looking for the form finds only the 汇总 sheet."""
    included = sorted(result.included, key=lambda f: _campaign_order(campaign, f.reporter))
    names = [_short(campaign, f.reporter) for f in included]
    words = campaign.form.labels
    labels = [words.serial, words.category, "项目", words.measure, *names, "合计"]
    _title(ws, f"{campaign.title}分单位明细", len(labels))
    _header(ws, 2, labels)
    for index, item in enumerate(campaign.form.items):
        row = 3 + index
        fmt = number_format(campaign.form.measure_of(item))
        _cell(ws, row, 1, item.id, text=True)
        _cell(ws, row, 2, item.category, align=LEFT, font=SMALL)
        _cell(ws, row, 3, item.name or "", align=LEFT)
        _cell(ws, row, 4, item.measure)
        for col, report in enumerate(included, start=5):
            _cell(ws, row, col, report.values.get(item.id, 0), number_format=fmt)
        _cell(
            ws,
            row,
            5 + len(included),
            result.totals[item.id],
            number_format=fmt,
            font=Font(name="仿宋", size=12, bold=True),
        )
        ws.row_dimensions[row].height = 22
    last = 2 + len(campaign.form.items)
    widths = {1: 6, 2: 30, 3: 14, 4: 6}
    for col in range(1, len(labels) + 1):
        ws.column_dimensions[_letter(col)].width = widths.get(col, 11)
    ws.freeze_panes = "E3"
    _chart(ws, campaign, included, last)
    print_setup(ws, f"A1:{_letter(len(labels))}{last + 22}", landscape=True)


def _chart(ws: Worksheet, campaign: Campaign, included: list[FileReport], last_row: int) -> None:
    """The form's chart, if it has one: its items as series, one bar per reporter, on an axis of
    their common measure (the form refuses a chart that mixes measures)."""
    spec = campaign.form.chart
    if spec is None or not included:
        return
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


def _status_sheet(ws: Worksheet, campaign: Campaign, result: MergePlan) -> None:
    labels = [
        "序号",
        "填报单位",
        "状态",
        "填报日期",
        "按时/逾期",
        "文件名",
        "SHA-256",
        "警告与提示",
        "说明",
        "联系人、电话",
    ]
    _title(ws, f"{campaign.title}报送情况（截止 {campaign.deadline.isoformat()}）", len(labels))
    _header(ws, 2, labels)
    reach = {r.name: f"{r.contact} {r.phone}".strip() for r in campaign.reporters}
    rows: list[tuple[str, str, FileReport | None]] = []
    for reporter in campaign.reporters:
        files = [f for f in result.report.files if f.reporter == reporter.name]
        if not files:
            rows.append((reporter.name, "未报送", None))
        for f in files:
            status = (
                "被替代" if f.superseded_by else ("已报送" if f in result.included else "已退回")
            )
            rows.append((reporter.name, status, f))
    for f in result.report.files:
        if f.reporter is None or f.reporter not in {r.name for r in campaign.reporters}:
            rows.append((f.reporter or "（未识别）", "已退回", f))
    for index, (name, status, entry) in enumerate(rows, start=1):
        row = 2 + index
        if entry is None:
            values: list[int | str] = [index, name, status, "", "", "", "", "", ""]
            values.append(reach.get(name, ""))
        else:
            timing = "" if entry.filled_on is None else ("逾期" if entry.late else "按时")
            notes = (
                "；".join(p.message for p in entry.errors)
                if status == "已退回"
                else (f"由 {Path(entry.superseded_by).name} 替代" if entry.superseded_by else "")
            )
            values = [
                index,
                name,
                status,
                entry.filled_on.isoformat() if entry.filled_on else "",
                timing,
                Path(entry.path).name,
                entry.sha256,
                len(entry.warnings),
                notes,
                reach.get(name, "") if status == "已退回" else "",
            ]
        for col, value in enumerate(values, start=1):
            _cell(
                ws,
                row,
                col,
                value,
                text=col != 1 and col != 8,
                font=HASH_FONT if col == 7 else SMALL,
                align=NOWRAP if col in (6, 7) else (LEFT if col in (9, 10) else CENTER),
            )
        ws.row_dimensions[row].height = 20
    for letter, width in zip("ABCDEFGHIJ", (5, 30, 8, 11, 9, 58, 58, 8, 36, 20), strict=True):
        ws.column_dimensions[letter].width = width
    print_setup(ws, f"A1:J{2 + len(rows)}", landscape=True)


def _issues_sheet(ws: Worksheet, result: MergePlan) -> None:
    labels = [
        "序号",
        "填报单位",
        "文件名",
        "工作表",
        "单元格",
        "项目",
        "级别",
        "代码",
        "原值",
        "说明",
        "建议",
    ]
    _title(ws, "问题清单（已计入汇总的文件中的警告与提示）", len(labels))
    _header(ws, 2, labels)
    row = 3
    for f in result.included:
        for p in f.problems:
            values: list[int | str] = [
                row - 2,
                f.reporter or "",
                Path(f.path).name,
                p.sheet or "",
                p.cell or "",
                f"{p.item} {p.label}" if p.item else "",
                SEVERITY_LABELS[p.severity],
                p.code,
                p.value or "",
                p.message,
                p.hint,
            ]
            for col, value in enumerate(values, start=1):
                align = NOWRAP if col == 3 else (LEFT if col >= 9 else CENTER)
                _cell(ws, row, col, value, text=col != 1, font=SMALL, align=align)
            ws.row_dimensions[row].height = 30  # two lines of a wrapped message
            row += 1
    if row == 3:
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(labels))
        _cell(ws, 3, 1, "无", text=True)
        row = 4
    for letter, width in zip("ABCDEFGHIJK", (5, 26, 50, 8, 7, 26, 6, 16, 14, 44, 34), strict=True):
        ws.column_dimensions[letter].width = width
    print_setup(ws, f"A1:K{row - 1}", landscape=True, one_page=False)
    ws.print_title_rows = "2:2"


def _campaign_order(campaign: Campaign, name: str | None) -> int:
    for index, reporter in enumerate(campaign.reporters):
        if reporter.name == name:
            return index
    return len(campaign.reporters)


def _short(campaign: Campaign, name: str | None) -> str:
    for reporter in campaign.reporters:
        if reporter.name == name:
            return reporter.short_name
    return name or "？"


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
