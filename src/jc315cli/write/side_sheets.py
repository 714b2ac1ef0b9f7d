"""The merged report's printed side sheets, 报送情况 and 问题清单: A4 landscape at 100 % (no
shrinking to fit, so nothing prints below its font size, 9 pt at least), the header row repeated
on every page, page numbers in the footer, and rows as tall as their wrapped text.

Column widths are in Excel's units (the width of a digit of the default font); a CJK character
takes about two. How wide a unit prints differs between office suites: Excel about 0.075 inch,
LibreOffice about 0.097 (measured on its PDF). `fits_on_page` uses the wider, so every column
prints on the page in either.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from jc315cli.check.materials import count_text, unfinished
from jc315cli.check.merge_plan import MergePlan
from jc315cli.model.campaign import Campaign, Material
from jc315cli.model.layout import ISSUES_SHEET
from jc315cli.problems.report import LONG_LIMIT, PENDING, FileReport, Tier, shown
from jc315cli.write.bulk import BulkRows, style_id
from jc315cli.write.material_cells import CHECK_WIDTH, checked_columns, material_rows
from jc315cli.write.sheets import set_text
from jc315cli.write.styles import (
    BOX,
    CENTER,
    CENTER_ONE_LINE,
    GREY,
    MONO_FONT,
    SMALL_FONT,
    TABLE_HEADER_FONT,
    TITLE_FONT,
    column_alignment,
)

MARGIN = 0.5  # inches, left and right
PRINTABLE_WIDTH = 11.69 - 2 * MARGIN  # inches across a landscape A4 page
LINE_HEIGHT = 14.0  # points per line of 10.5 pt text
FINGERPRINT = 12  # hex digits of a SHA-256 shown to a person; the full one is in the identity


INCHES_PER_UNIT = 0.1  # the wider of Excel's and LibreOffice's, rounded up


def fits_on_page(widths: list[float]) -> bool:
    return sum(widths) * INCHES_PER_UNIT <= PRINTABLE_WIDTH


@dataclass(frozen=True)
class Column:
    label: str
    width: float
    wrap: bool = False
    font: Font = SMALL_FONT
    centre: bool = False


def table_sheet(ws: Worksheet, title: str, columns: list[Column], rows: list[list[object]]) -> None:
    """A titled table that prints legibly: see the module docstring."""
    assert fits_on_page([c.width for c in columns]), title
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    set_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = TITLE_FONT
    ws.cell(row=1, column=1).alignment = CENTER_ONE_LINE
    ws.row_dimensions[1].height = 30
    for col, column in enumerate(columns, start=1):
        cell = ws.cell(row=2, column=col)
        set_text(cell, column.label)
        cell.font, cell.border, cell.fill = TABLE_HEADER_FONT, BOX, GREY
        cell.alignment = CENTER
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[2].height = _lines(columns, [c.label for c in columns]) * LINE_HEIGHT + 6
    body = BulkRows(ws, first=3)
    styles = [
        style_id(
            ws,
            font=column.font,
            border=BOX,
            alignment=column_alignment(centre=column.centre, wrap=column.wrap),
        )
        for column in columns
    ]
    for values in rows:
        cells = [v if isinstance(v, int) else ("" if v is None else str(v)) for v in values]
        body.add(cells, styles, height=_lines(columns, values) * LINE_HEIGHT + 6)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = 100
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_margins.left = ws.page_margins.right = MARGIN
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页，共 &N 页"
    ws.print_area = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 2, 3)}"


def _lines(columns: list[Column], values: list[object]) -> int:
    """How many lines the tallest wrapped cell of a row takes (a CJK character is 2 cells, and
    about 2 width units wide)."""
    lines = 1
    for column, value in zip(columns, values, strict=True):
        if column.wrap or isinstance(value, str):
            room = max(column.width * 0.9 - 1, 1)
            lines = max(lines, math.ceil(cell_len(str(value or "")) / room))
    return lines


def status_sheet(ws: Worksheet, campaign: Campaign, result: MergePlan) -> None:
    """Every reporter of the campaign, and every file: 已报送, 未报送, 已退回 or 被替代."""
    extra = material_columns(campaign, result)
    narrow = 2.5 if extra else 0  # the room the material columns take from 指纹 and 说明
    checks = check_columns(result) if extra else []
    give = len(checks) * CHECK_WIDTH / 14  # the room of the check columns, from the wide ones
    extra += checks
    columns = [
        Column("序号", 4, centre=True),
        Column("填报单位", 14 - 2 * give, wrap=True),
        Column("状态", 6, centre=True),
        Column("填报日期", 10.5, centre=True),
        Column("按时/逾期", 5, wrap=True, centre=True),
        Column("文件名", 19 - 4 * give, wrap=True),
        Column("文件指纹（SHA-256前12位）", 13.5 - narrow - 3 * give, wrap=True, font=MONO_FONT),
        Column("需核实的数值", 6, wrap=True, centre=True),
        Column("说明", 15 - 1.6 * narrow - 4 * give - 1, wrap=True),
        *(column for column, _ in extra),
        Column("联系人、电话", 8 - give, wrap=True),
    ]
    reach = {r.name: f"{r.contact} {r.phone}".strip() for r in campaign.reporters}
    entries: list[tuple[str, str, FileReport | None]] = []
    counted = {
        id(f) for f in result.included
    }  # by identity: comparing reports field by field is slow
    by_reporter: dict[str, list[FileReport]] = {}
    for f in result.report.files:
        by_reporter.setdefault(f.reporter or "", []).append(f)
    for reporter in campaign.reporters:
        files = by_reporter.get(reporter.name, [])
        if not files:
            entries.append((reporter.name, "未报送", None))
        for f in files:
            entries.append((reporter.name, _status(f, id(f) in counted), f))
    known = {r.name for r in campaign.reporters}
    entries += [
        (f.reporter or "（未识别）", "已退回", f)
        for f in result.report.files
        if f.reporter not in known
    ]
    rows: list[list[object]] = []
    listed: set[str] = set()  # a reporter's materials go on its first row only
    for index, (name, status, entry) in enumerate(entries, start=1):
        asked = reach.get(name, "") if status in ("未报送", "已退回", PENDING) else ""
        sent = [] if name in listed else [text(name) for _, text in extra]
        sent += [""] * (len(extra) - len(sent))
        listed.add(name)
        if entry is None:
            rows.append([index, name, status, "", "", "", "", "", "", *sent, asked])
            continue
        timing = "" if entry.filled_on is None else ("逾期" if entry.late else "按时")
        if status == "已退回":
            notes = "；".join(p.message for p in entry.errors)
        elif status == PENDING:
            notes = "；".join(dict.fromkeys(p.message for p in entry.problems if p.pending))
        elif entry.superseded_by:
            notes = f"由 {shown(Path(entry.superseded_by).name, LONG_LIMIT)} 替代"
        else:
            others = [p for p in entry.warnings if p.tier is not Tier.VERIFY]
            notes = f"警告与提示 {len(others)} 条，见“{ISSUES_SHEET}”" if others else ""
        day = entry.filled_on.isoformat() if entry.filled_on else ""
        rows.append(
            [
                index,
                name,
                status,
                day,
                timing,
                shown(Path(entry.path).name, LONG_LIMIT),
                entry.sha256[:FINGERPRINT],
                _doubtful_count(entry),
                notes,
                *sent,
                asked,
            ]
        )
    title = f"{campaign.title}报送情况（截止 {campaign.deadline.isoformat()}）"
    table_sheet(ws, title, columns, rows)


def _status(f: FileReport, counted: bool) -> str:
    if f.superseded_by:
        return "被替代"
    if counted:
        return "已报送"
    return PENDING if f.usable else "已退回"


def _doubtful_count(f: FileReport) -> str:
    """已核实 2 / 待核实 1: the file's values with a 核实性 problem, each once, by state."""
    values = {p.item: p.verified is not None for p in f.problems if p.tier is Tier.VERIFY}
    done = sum(values.values())
    parts = [
        f"已核实 {done}" if done else "",
        f"{PENDING} {len(values) - done}" if len(values) > done else "",
    ]
    return "\n".join(x for x in parts if x)


MATERIALS_WIDTH = 12.0  # the material columns together: what 指纹 and 说明 give up, and a bit


def material_columns(
    campaign: Campaign, result: MergePlan
) -> list[tuple[Column, Callable[[str], str]]]:
    """A column per material besides the 统计表 (each row is a 统计表 already), saying what of
    it the reporter sent: √, 6 张, 缺. More than three share one column, so the sheet still
    prints on one page's width. None when no folder was read (nothing is known of them)."""
    found = result.report.materials
    others = [m for m in campaign.materials if not m.form]
    if not found or not others:
        return []

    partial = unfinished(result.report.material_notes)

    def sent(material: Material) -> Callable[[str], str]:
        return lambda reporter: count_text(
            material, found.get(reporter, {}).get(material.name, []), partial=reporter in partial
        )

    if len(others) > 3:
        return [
            (
                Column("其他材料", MATERIALS_WIDTH, wrap=True),
                lambda reporter: "；".join(f"{m.name} {sent(m)(reporter)}" for m in others),
            )
        ]
    width = MATERIALS_WIDTH / len(others)
    return [(Column(m.name, width, wrap=True, centre=True), sent(m)) for m in others]


def check_columns(result: MergePlan) -> list[tuple[Column, Callable[[str], str]]]:
    """A column per check of what the materials say, when a check looked at something."""
    return [
        (Column(label, CHECK_WIDTH, wrap=True), text)
        for label, text in checked_columns(result.report)
    ]


def issues_sheet(ws: Worksheet, result: MergePlan) -> None:
    """Every warning and note of the files counted, each with its sheet and cell, its tier and,
    for a 核实性 value, who confirmed it and why: the province sees why a number is large. The
    values of files left out because nobody has confirmed them yet follow, as 待核实."""
    columns = [
        Column("序号", 4, centre=True),
        Column("填报单位", 9, wrap=True),
        Column("文件名", 14, wrap=True),
        Column("位置", 8, wrap=True),
        Column("项目", 10, wrap=True),
        Column("类型", 8, wrap=True, centre=True),
        Column("原值", 6, wrap=True),
        Column("说明", 17, wrap=True),
        Column("建议", 14, wrap=True),
        Column("核实情况", 16, wrap=True),
    ]
    rows: list[list[object]] = []
    waiting = [(f, [p for p in f.problems if p.pending]) for f in result.rejected if f.usable]
    for f, problems in [*((f, f.problems) for f in result.included), *waiting]:
        for p in problems:
            where = f"{shown(p.sheet)}!{p.cell}" if p.sheet and p.cell else (p.cell or "整个文件")
            item = f"{p.item} {p.label}" if p.item else ""
            state = f"{PENDING}（未计入汇总）" if p.pending else p.state
            rows.append(
                [
                    len(rows) + 1,
                    f.reporter or "",
                    shown(Path(f.path).name, LONG_LIMIT),
                    where,
                    item,
                    f"{p.tier.word}·{p.title}",
                    shown(p.value or ""),
                    p.message,
                    p.hint,
                    state,
                ]
            )
    said = material_rows(result.report, start=len(rows) + 1)
    rows += said
    if not rows:
        rows.append(["", "", "", "", "", "", "", "无", "", ""])
    title = "问题清单（计入汇总的文件中的警告与提示，需核实的数值及其核实情况" + (
        "，及报送材料的核对）" if said else "）"
    )
    table_sheet(ws, title, columns, rows)
