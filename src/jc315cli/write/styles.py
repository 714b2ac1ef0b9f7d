"""The look of every workbook jc315 writes, in one place: fonts, borders, fills, alignments and
number formats, named by the role they play. A form, a merged report and a comparison are read
side by side, so they should look like one family, and a change of look is made here once, not
in each writer. openpyxl keeps a workbook's styles by value, so a style named here is written as
the very same style a writer used to build in place: no byte of a file changes.

Song (宋体) for titles and headers, FangSong (仿宋) for the body, as official forms are set.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.borders import DEFAULT_BORDER

from jc315cli.model.form import Measure, ValueKind

SONG = "宋体"
FANGSONG = "仿宋"

# Fonts, largest first.
FORM_TITLE_FONT = Font(name=SONG, size=18, bold=True)  # the 统计表's title
TITLE_FONT = Font(name=SONG, size=16, bold=True)  # a table sheet's title (明细, 报送情况, 对比)
HEADER_FONT = Font(name=SONG, size=12, bold=True)  # the 统计表's header row, and 明细's
ATTACHMENT_FONT = Font(name=SONG, size=12)  # the 附件 line above the form
TABLE_HEADER_FONT = Font(name=SONG, size=11, bold=True)  # 报送情况, 问题清单 and 对比 headers
NOTICE_FONT = Font(name=SONG, size=11, bold=True, color="C00000")  # a form sent back: what to fix
BODY_FONT = Font(name=FANGSONG, size=12)  # the 统计表's cells and 明细's
TOTAL_FONT = Font(name=FANGSONG, size=12, bold=True)  # 明细's 合计 column
COMPARE_FONT = Font(name=FANGSONG, size=11)  # 对比's cells
SMALL_FONT = Font(name=FANGSONG, size=10.5)  # the form's 说明; the side sheets' body
NOTE_FONT = Font(name=FANGSONG, size=10)  # 对比's sources and notes

# Borders and fills.
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNDERLINE = Border(bottom=THIN)  # a line to write on: 填报单位, 填报日期
NO_BORDER = DEFAULT_BORDER  # a note under a table, in a cell of the table's rows
GREY = PatternFill("solid", fgColor="EDEDED")  # a table's header row
NOTED = PatternFill("solid", fgColor="FFF2CC")  # a 对比 row whose item was added, renamed, gone

# Alignments. A cell that wraps grows down, never past its column.
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
CENTER_ONE_LINE = Alignment(horizontal="center", vertical="center")  # a side sheet's title
RIGHT = Alignment(horizontal="right", vertical="center")  # a caption before its blank; a number
NOTE_BELOW = Alignment(horizontal="left", vertical="top", wrap_text=True)  # a note under a table

UNLOCKED = Protection(locked=False)  # a cell to type in on a protected sheet

COUNT_FORMAT = "0"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
PERCENT_FORMAT = "+0.0%;-0.0%;0.0%"


def column_alignment(*, centre: bool, wrap: bool) -> Alignment:
    """A table column's cells, as the column asks: centred or left, wrapped or on one line;
    always centred in height, so a short cell sits level with a wrapped one beside it."""
    return Alignment(horizontal="center" if centre else "left", vertical="center", wrap_text=wrap)


def number_format(measure: Measure) -> str:
    """0 for counts; 0.00## for 万元 with 4 places: two decimals always shown, more when typed."""
    if measure.kind is ValueKind.COUNT or measure.places == 0:
        return COUNT_FORMAT
    shown = min(measure.places, 2)
    return "0." + "0" * shown + "#" * (measure.places - shown)
