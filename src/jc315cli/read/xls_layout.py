"""What an .xls says beside its values: which rows and columns are hidden, which cells are
merged, and through which number format each number is shown.

python-calamine reads an .xls's values but not the rest, and it decides that a number is a date
by a built-in table of format ids: ids 27–36 and 50–58 are dates in East-Asian Excel, so a file
that defines its own format 50 (`0.00##`, as Gnumeric numbers its formats) has 3.5 万元 read as
1900-01-03 12:00. xlrd (pure Python, well kept for .xls) reads the FORMAT, XF, ROW, COLINFO and
MERGEDCELLS records and lets a format the file defines win over a built-in id. It runs where
calamine runs for an .xls, in the child process with its time and memory limit (isolation.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from jc315cli.problems.errors import unreadable
from jc315cli.read.formats import misleading
from jc315cli.read.preflight import Hidden, Special

if TYPE_CHECKING:
    import xlrd

Span = tuple[tuple[int, int], tuple[int, int]]
# Cell styles (XF records) xlrd can hold: it keeps a cell's style number in a signed 16-bit
# array, and an .xls of Excel 2007 or later may have up to 64,000 styles (workbooks that had
# styles pasted into them again and again do). Past this, the file is complex, not damaged.
MAX_STYLES = 32_767
TEMPORAL = (date, datetime, time, timedelta)


@dataclass(frozen=True)
class Layout:
    """A sheet's merged ranges, hidden rows and columns and special cells (see Sheet), and the
    numbers the file's own formats say are numbers, by (row, col), 0-based."""

    merged: tuple[Span, ...] = ()
    hidden: Hidden = (frozenset(), ())
    special: Special = field(default_factory=dict)
    numbers: dict[tuple[int, int], float] = field(default_factory=dict)


def xls_layout(data: bytes) -> dict[str, Layout]:
    """Each sheet's layout by sheet name; a file xlrd cannot read raises `unreadable`, since
    what it would have shown (a hidden row, a merged cell) must not go unseen. (A MemoryError
    stays the context of what is raised: isolation.py makes it `too-complex`.)"""
    import xlrd  # here: only the .xls child needs it

    book = None
    try:
        book = xlrd.open_workbook(
            file_contents=data,
            formatting_info=True,
            logfile=io.StringIO(),
            ragged_rows=True,
            on_demand=True,  # the styles first: their count tells a complex file from damage
        )
        sheets = book.sheets()
    except Exception as exc:  # xlrd raises several types for damaged files
        styles = len(book.xf_list) if book is not None else 0
        if styles > MAX_STYLES:
            raise unreadable("too-many-styles", count=f"{styles:,}") from None
        raise unreadable("damaged", error=type(exc).__name__) from None
    formats = {key: fmt.format_str or "" for key, fmt in book.format_map.items()}
    codes = [formats.get(xf.format_key, "") for xf in book.xf_list]
    return {sheet.name: _sheet_layout(sheet, codes) for sheet in sheets}


def _sheet_layout(sheet: xlrd.sheet.Sheet, codes: list[str]) -> Layout:
    import xlrd

    special: Special = {}
    numbers: dict[tuple[int, int], float] = {}
    for row in range(sheet.nrows):
        for col, cell in enumerate(sheet.row(row)):
            if cell.ctype == xlrd.XL_CELL_ERROR:
                special[(row, col)] = xlrd.error_text_from_code.get(int(cell.value), "#错误")
            elif cell.ctype == xlrd.XL_CELL_NUMBER:
                numbers[(row, col)] = number = float(cell.value)
                xf = cell.xf_index if cell.xf_index is not None else -1
                reason = misleading(codes[xf] if 0 <= xf < len(codes) else "", repr(number))
                if reason:
                    special[(row, col)] = "~" + reason
    rows = frozenset(r for r, info in sheet.rowinfo_map.items() if info.hidden)
    spans = tuple((c, c) for c, info in sheet.colinfo_map.items() if info.hidden)
    merged = tuple(((r0, c0), (r1 - 1, c1 - 1)) for r0, r1, c0, c1 in sheet.merged_cells)
    return Layout(merged, (rows, spans), special, numbers)


def undated(rows: list[list[Any]], first_row: int, first_col: int, layout: Layout) -> None:
    """Put back, in place, the number of each cell that calamine read as a date although the
    file's own format for it is not one."""
    for (row, col), number in layout.numbers.items():
        r, c = row - first_row, col - first_col
        if 0 <= r < len(rows) and 0 <= c < len(rows[r]) and isinstance(rows[r][c], TEMPORAL):
            rows[r][c] = int(number) if number.is_integer() else number
