"""The replies as files: a 退回 reporter's own form (same identity, protection and validation),
pre-filled with every value it sent, the problem cells marked light red with a comment and a
line at the top saying what to fix and by when; a 催报 reporter's blank form; and each reply's
message as text. What each says is decided in `check/reply_plan.py`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jc315cli.check.reply_plan import Reply, message, notice
from jc315cli.model.campaign import Campaign
from jc315cli.problems.report import Tier, shown, visible

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MARK_COLOUR = "FFC7CE"  # the light red office suites use for 差 (bad): 请改正
VERIFY_COLOUR = "FFEB9C"  # the light yellow they use for 中性 (neutral): 请核实


def reply_workbook(reply: Reply, campaign: Campaign, *, today: date, deadline: date) -> bytes:
    """The reporter's own form, pre-filled with what it sent, problem cells marked."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from jc315cli.model.identity import campaign_identity
    from jc315cli.write.files import workbook_bytes
    from jc315cli.write.form_sheet import add_form_sheet, add_identity_sheet, new_workbook

    wb = new_workbook()
    ws = add_form_sheet(
        wb,
        campaign.model_copy(update={"deadline": deadline}),  # the footer names the new date
        reporter_name=reply.reporter.name,
        values=reply.values if reply.source is not None else None,
        notice=notice(reply, deadline) if reply.source is not None else None,
        explain=None if campaign.form.note_column else reply.to_explain,
        notes=reply.notes,
    )
    fills = {
        Tier.MANDATORY: PatternFill("solid", fgColor=MARK_COLOUR),
        Tier.VERIFY: PatternFill("solid", fgColor=VERIFY_COLOUR),
    }
    texts: dict[str, list[str]] = {}
    tiers: dict[str, Tier] = {}
    for mark in reply.marks:
        texts.setdefault(mark.cell, []).append(f"{mark.message}。{mark.hint}".rstrip("。"))
        tiers[mark.cell] = mark.tier  # one tier a cell: reply_plan asks one thing of each
    for cell, lines in texts.items():
        ws[cell].fill = fills[tiers[cell]]
        lines = [*lines, tiers[cell].ask]
        comment = Comment("\n".join(visible(line) for line in lines), campaign.organizer)
        comment.width, comment.height = 320, 40 + 40 * len(lines)
        ws[cell].comment = comment
    if reply.marks:
        _print_reasons(ws, reply)
    stamp = datetime(today.year, today.month, today.day)
    identity = campaign_identity(
        campaign, kind="form", reporter=reply.reporter.name, generated_at=stamp.isoformat()
    )
    add_identity_sheet(wb, identity)
    return workbook_bytes(wb, stamp)


def _print_reasons(ws: Worksheet, reply: Reply) -> None:
    """Each red cell's reason, printed: Excel and WPS print the comments after the sheet
    (cellComments="atEnd"), and LibreOffice, which ignores that setting, prints these rows
    at the end of the form, so whoever corrects a printout sees why each cell is red."""
    from jc315cli.model.layout import LAYOUT
    from jc315cli.write.form_sheet import COLUMN_WIDTHS, NOTE_WIDTH
    from jc315cli.write.page_fit import broken
    from jc315cli.write.sheets import set_text
    from jc315cli.write.styles import NOTE_BELOW, SMALL_FONT

    ws.page_setup.cellComments = "atEnd"
    ws.page_setup.fitToHeight = 0  # the form and its reasons over two pages, never shrunk
    # A form asking for a 核实说明 prints that column too: the banner points to it.
    asks = any(mark.tier is Tier.VERIFY for mark in reply.marks)
    last = LAYOUT.note_column if asks else LAYOUT.value_column
    width = sum(COLUMN_WIDTHS.values()) + (NOTE_WIDTH if asks else 0)
    first = ws.max_row + 2
    reds = any(mark.tier is not Tier.VERIFY for mark in reply.marks)
    colours = "、".join(w for w, wanted in (("标红", reds), ("标黄", asks)) if wanted)
    lines = [f"{colours or '标红'}单元格的说明："]
    for number, mark in enumerate(reply.marks, start=1):
        said = shown(mark.found) if mark.found else ""
        typed = f"填写的“{said}”：" if said and said not in mark.message else ""
        hint = f"建议：{mark.hint}" if mark.hint else ""
        lines.append(f"{number}. {mark.cell}（{mark.label}）{typed}{mark.message}。{hint}")
    for row, line in enumerate(lines, start=first):
        text = broken(visible(line), width)
        ws.merge_cells(f"A{row}:{last}{row}")
        set_text(ws[f"A{row}"], text)
        ws[f"A{row}"].font, ws[f"A{row}"].alignment = SMALL_FONT, NOTE_BELOW
        ws.row_dimensions[row].height = 15 * (text.count("\n") + 1) + 3
    ws.print_area = f"A1:{last}{first + len(lines) - 1}"


def reply_files(
    replies: list[Reply], campaign: Campaign, out_dir: Path, *, today: date, deadline: date
) -> list[tuple[Path, bytes]]:
    """Each reply as its workbook and its message, named 退回-泽州县.xlsx / .txt (a 请确认
    as its message only)."""
    from jc315cli.write.files import inside, safe_filename

    files: list[tuple[Path, bytes]] = []
    for reply in replies:
        text = message(reply, campaign, today=today, deadline=deadline)
        if not reply.tied:  # a 请确认 asks a question: no form to fill in
            book = reply_workbook(reply, campaign, today=today, deadline=deadline)
            files.append((inside(out_dir, safe_filename(f"{reply.stem}.xlsx")), book))
        files.append((inside(out_dir, safe_filename(f"{reply.stem}.txt")), notice_bytes(text)))
    return files


def notice_bytes(text: str) -> bytes:
    """A notice as Windows tools read it: UTF-8 with a byte order mark and CRLF line ends.
    Notepad before Windows 10, and many OA systems, take UTF-8 without the mark for GBK and
    show it garbled, and run LF-only lines together."""
    return ("\ufeff" + text.replace("\r\n", "\n").replace("\n", "\r\n")).encode("utf-8")
