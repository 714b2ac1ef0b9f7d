"""The merged report's printed side sheets, 报送情况 and 问题清单: A4 landscape at 100 % (no
shrinking to fit, so nothing prints below its font size, 9 pt at least), the header row repeated
on every page, page numbers in the footer (in a bottom margin tall enough for them), and rows as
tall as their text. A column of sentences (说明, 建议, contacts, the headers) is broken into
lines here, between words only, each line narrower than the column: no office suite then breaks
a date, a phone number or an e-mail address, or starts a line with 。.

Column widths are in Excel's units (page_fit.py says how wide one prints); `fits_on_page` uses
the widest, so every column prints on the page in any suite.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.check.materials import count_text, unfinished
from jc315cli.check.merge_plan import MergePlan
from jc315cli.model.campaign import Campaign, Material
from jc315cli.problems.report import LONG_LIMIT, PENDING, FileReport, Tier, shown
from jc315cli.write.bulk import BulkRows, style_id
from jc315cli.write.material_cells import CHECK_WIDTH, checked_columns, material_rows
from jc315cli.write.page_fit import A4, broken, printed_len, room, table_inches
from jc315cli.write.sheets import set_text
from jc315cli.write.styles import (
    BOX,
    CENTER,
    CENTER_ONE_LINE,
    GREY,
    SMALL_FONT,
    TABLE_HEADER_FONT,
    TITLE_FONT,
    column_alignment,
)

MARGIN = 0.35  # inches, left and right
BOTTOM, FOOTER = 0.8, 0.3  # inches: the page number below the table, never cut
LINE_HEIGHT = 14.0  # points per line of 10.5 pt text

if TYPE_CHECKING:
    from jc315cli.collection.board import Board


def fits_on_page(widths: list[float]) -> bool:
    """Whether the columns print on a landscape A4 page's width at full size, in any suite."""
    return table_inches(widths) <= A4[1] - 2 * MARGIN


@dataclass(frozen=True)
class Column:
    label: str
    width: float
    wrap: bool = False  # long text: broken into lines here (lines), or by the suite
    font: Font = SMALL_FONT
    centre: bool = False
    lines: bool = False  # text with dates, phone numbers: broken here, between words only
    printed: bool = True  # a column past the printed ones: on screen, not on paper


def laid_out(column: Column, value: object) -> object:
    """A cell's value, its lines broken here when the column asks for it (page_fit.broken)."""
    if not (column.lines and isinstance(value, str) and value):
        return value
    return broken(value, column.width)


def table_sheet(ws: Worksheet, title: str, columns: list[Column], rows: list[list[object]]) -> None:
    """A titled table that prints legibly: see the module docstring."""
    printed = [c for c in columns if c.printed]
    assert fits_on_page([c.width for c in printed]), title
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(printed))
    set_text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = TITLE_FONT
    ws.cell(row=1, column=1).alignment = CENTER_ONE_LINE
    ws.row_dimensions[1].height = 30
    header = [Column(c.label, c.width, lines=True) for c in columns]
    labels = [laid_out(h, c.label) for h, c in zip(header, columns, strict=True)]
    for col, (column, label) in enumerate(zip(columns, labels, strict=True), start=1):
        cell = ws.cell(row=2, column=col)
        set_text(cell, str(label))
        cell.font, cell.border, cell.fill = TABLE_HEADER_FONT, BOX, GREY
        cell.alignment = CENTER
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[2].height = _lines(header, labels) * LINE_HEIGHT + 6
    body = BulkRows(ws, first=3)
    styles = [
        style_id(
            ws,
            font=column.font,
            border=BOX,
            alignment=column_alignment(centre=column.centre, wrap=column.wrap or column.lines),
        )
        for column in columns
    ]
    for values in rows:
        shown_values = [laid_out(c, v) for c, v in zip(columns, values, strict=True)]
        cells = [v if isinstance(v, int) else ("" if v is None else str(v)) for v in shown_values]
        body.add(cells, styles, height=_lines(columns, shown_values) * LINE_HEIGHT + 6)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = 100
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN
    ws.page_margins.top, ws.page_margins.header = 0.6, FOOTER
    ws.page_margins.bottom, ws.page_margins.footer = BOTTOM, FOOTER
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页，共 &N 页"
    ws.print_area = f"A1:{get_column_letter(len(printed))}{max(len(rows) + 2, 3)}"


def _lines(columns: list[Column], values: list[object]) -> int:
    """How many lines the tallest cell of a row takes: its own lines where they are broken
    here, else as the suite wraps it (a CJK character is 2 cells, about 2 width units)."""
    lines = 1
    for column, value in zip(columns, values, strict=True):
        text = str(value or "")
        if column.lines:
            lines = max(lines, text.count("\n") + 1)
        elif column.wrap or isinstance(value, str):
            lines = max(lines, math.ceil(printed_len(text) / room(column.width)))
    return lines


def status_sheet(
    ws: Worksheet, campaign: Campaign, result: MergePlan, board: Board | None = None
) -> None:
    """Every reporter of the campaign, and every file: 已报送, 待核实, 未报送, 已退回 or 被替代.
    What materials a reporter sent, and what they say, stand on its active row (the file
    counted, else the one sent back), not on a replaced one. Each file's SHA-256 is in the last
    column, on screen only: what proves which file was read, and means nothing on paper. With
    the collection's `board`, a reporter's active row tells its rounds and the values that
    changed between them, and a last row the 报送率, 及时率 and 一次通过率."""
    extra = material_columns(campaign, result)
    checks = check_columns(result) if extra else []
    extra += checks
    squeeze = bool(checks)  # the check columns' room comes from 填报单位, contacts and 文件名
    fixed = [
        Column("序号", 5, centre=True),
        Column("填报单位", 9 if squeeze else 11, wrap=True),
        Column("状态", 7, centre=True),
        Column("填报日期", 14, centre=True),
        Column("按时/逾期", 7, lines=True, centre=True),
    ]
    after = [
        Column("需核实的数值", 8, lines=True, centre=True),
        Column("说明", 11 + (0 if extra else 8), lines=True),
        *(column for column, _ in extra),
        Column("联系人、电话", 13 if squeeze else 17, lines=True),
    ]
    names = PAGE_WIDTH - sum(c.width for c in [*fixed, *after])  # 文件名 takes what is left
    columns = [
        *fixed,
        Column("文件名", names, wrap=True),
        *after,
        Column("文件的 SHA-256（核对是否同一文件，不打印）", 68, printed=False),
    ]
    reach = {r.name: "\n".join(x for x in (r.contact, r.phone) if x) for r in campaign.reporters}
    entries = _entries(campaign, result)
    active = _active_rows(entries)
    history = _histories(board)
    rows: list[list[object]] = []
    for index, (name, status, entry) in enumerate(entries, start=1):
        asked = reach.get(name, "") if status in ("未报送", "已退回", PENDING) else ""
        told = history.get(name, "") if index - 1 in active else ""
        sent = [text(name) for _, text in extra] if index - 1 in active else [""] * len(extra)
        if entry is None:
            rows.append([index, name, status, "", "", "", "", told, *sent, asked, ""])
            continue
        timing = "" if entry.filled_on is None else ("逾期" if entry.late else "按时")
        if status == "已退回":
            notes = "；".join(p.message for p in entry.errors)
        elif entry.superseded_by:
            notes = f"由 {shown(Path(entry.superseded_by).name, LONG_LIMIT)} 替代"
        else:
            notes = ""
        notes = "；".join(x for x in (notes, told) if x)
        day = entry.filled_on.isoformat() if entry.filled_on else ""
        rows.append(
            [
                index,
                name,
                status,
                day,
                timing,
                shown(Path(entry.path).name, LONG_LIMIT),
                _doubtful_count(entry),
                notes,
                *sent,
                asked,
                entry.sha256,
            ]
        )
    if board is not None:
        rates = "，".join(board.rates.lines())
        rows.append(["", "合计", "", "", "", "", "", rates, *[""] * len(extra), "", ""])
    title = f"{campaign.title}报送情况（截止 {campaign.deadline.isoformat()}）"
    table_sheet(ws, title, columns, rows)


CHANGES_TOLD = 3  # changed values told on a printed row; the JSON and status have them all


def _histories(board: Board | None) -> dict[str, str]:
    """Each reporter's rounds and changed values, as its active row tells them."""
    told: dict[str, str] = {}
    for row in board.rows if board is not None else []:
        parts = [f"第 {len(row.rounds)} 次报送"] if len(row.rounds) > 1 else []
        parts += [change.text for change in row.changes[:CHANGES_TOLD]]
        if len(row.changes) > CHANGES_TOLD:
            parts.append(f"等 {len(row.changes)} 处改动")
        if parts:
            told[row.reporter] = "；".join(parts)
    return told


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


Entry = tuple[str, str, FileReport | None]  # reporter, 状态, its file (None: nothing sent)
ACTIVE_FIRST = (
    "已报送",
    PENDING,
    "已退回",
    "未报送",
    "被替代",
)  # which row of a reporter is active


def _entries(campaign: Campaign, result: MergePlan) -> list[Entry]:
    """A row for each file, in the campaign's order of reporters; a row for each reporter that
    sent nothing; files of no known reporter last."""
    entries: list[Entry] = []
    counted = {id(f) for f in result.included}  # by identity: comparing reports is slow
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
    return entries


def _active_rows(entries: list[Entry]) -> set[int]:
    """The index of each reporter's active row: the file counted, else one waiting for its
    confirmations, else one sent back, else the row saying nothing came; a replaced file only
    when there is nothing else."""
    best: dict[str, int] = {}
    for index, (name, status, _) in enumerate(entries):
        held = best.get(name)
        if held is None or ACTIVE_FIRST.index(status) < ACTIVE_FIRST.index(entries[held][1]):
            best[name] = index
    return set(best.values())


MATERIALS_WIDTH = 12.0  # the material columns together: what 文件名 and 说明 give up
PAGE_WIDTH = 109.0  # the printed columns of 报送情况 together: one landscape A4 at 9 pt


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


KIND_WIDTH = 9.0  # 问题清单's 类型: 核实性·请核实, 提示·按 0 计


def issues_sheet(ws: Worksheet, campaign: Campaign, result: MergePlan) -> None:
    """Every warning and note of the files counted, each with its sheet and cell, its tier and,
    for a 核实性 value, who confirmed it and why: the province sees why a number is large. The
    values of files left out because nobody has confirmed them yet follow, as 待核实, and what
    the materials say. The cell, a date typed and the reporter's name each fit one line."""
    columns = [
        Column("序号", 5, centre=True),
        Column("填报单位", 9, wrap=True),
        Column("文件名", 8, wrap=True),
        Column("位置", 13),
        Column("项目", 9, wrap=True),
        Column("类型", KIND_WIDTH, wrap=True, centre=True),
        Column("原值", 14, wrap=True),
        Column("说明", 19, lines=True),
        Column("建议", 11, lines=True),
        Column("核实情况", 11, lines=True),
    ]
    short = {r.name: r.short_name for r in campaign.reporters}
    rows: list[list[object]] = []
    waiting = [(f, [p for p in f.problems if p.pending]) for f in result.rejected if f.usable]
    for f, problems in [*((f, f.problems) for f in result.included), *waiting]:
        who = short.get(f.reporter or "", f.reporter or "")
        for p in problems:
            where = f"{shown(p.sheet)}!{p.cell}" if p.sheet and p.cell else (p.cell or "整个文件")
            kind = f"{p.tier.word}·{p.title}"
            if printed_len(kind) > room(KIND_WIDTH):  # 提示· above 按 0 计, which stays whole
                kind = f"{p.tier.word}·\n{p.title}"
            item = f"{p.item} {p.label}" if p.item else ""
            state = f"{PENDING}（未计入汇总）" if p.pending else p.state
            rows.append(
                [
                    len(rows) + 1,
                    who,
                    shown(Path(f.path).name, LONG_LIMIT),
                    where,
                    item,
                    kind,
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
    # one line at the title's size across the page: a longer one is cut in print
    title = "问题清单（警告、提示、需核实的数值" + (
        "及报送材料的核对）" if said else "及核实情况）"
    )
    table_sheet(ws, title, columns, rows)
