"""The body of a large table, written as text. openpyxl builds an object for every cell and an
XML element for every cell again when it saves, which at a province's size (40,000 cells in
分单位明细, 报送情况 and 问题清单) was a third of a merge. A `BulkRows` takes the body rows of one
sheet as values and style ids, writes each row straight to the XML openpyxl would have written
for it (inline strings, its number text, its row attributes), and `output.workbook_bytes` puts
them into the sheet's `sheetData` after openpyxl has written the rest: title, header, widths,
panes, print setup. Each `BulkRows` is kept with its workbook, so none can be forgotten when the
workbook is written. tests/test_bulk.py holds the two writers to the same bytes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

Value = int | Decimal | str | None

MAX_CELL_TEXT = 32767  # characters a cell holds; openpyxl cuts a longer string there too
SHORT_INT = 10**15


def xlsx_text(value: str) -> str:
    """`value` as a cell can hold it: characters an .xlsx cannot hold (control characters from a
    file name or a cell) shown as <U+001B>, so text from a returned file can never make writing
    fail."""
    shown = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", value)
    return shown[:MAX_CELL_TEXT]


def _tables(wb: Workbook) -> list[BulkRows]:
    """The tables kept on `wb` itself. Not in a WeakKeyDictionary keyed by the workbook: each
    table holds its sheet, which holds the workbook, so no key was ever released and every
    form `generate` wrote stayed in memory (about 2 MB a form of 500 items)."""
    tables: list[BulkRows] = wb.__dict__.setdefault("_jc315_bulk_tables", [])
    return tables


def tables_of(wb: Workbook) -> list[BulkRows]:
    """The tables of `wb`'s sheets (a sheet removed since takes its table with it)."""
    return [table for table in _tables(wb) if table.ws in wb.worksheets]


class BulkRows:
    """Rows `first`, `first + 1`, … of `ws`, which openpyxl itself must leave empty."""

    def __init__(self, ws: Worksheet, first: int) -> None:
        self.ws = ws
        self.first = first
        self.width = 0
        self._rows: list[str] = []
        self._letters: list[str] = []
        tables = _tables(ws.parent)  # type: ignore[arg-type]  # always in a book
        if any(table.ws is ws for table in tables):
            raise RuntimeError(f"{ws.title}: a second table")
        tables.append(self)

    @property
    def next_row(self) -> int:
        return self.first + len(self._rows)

    @property
    def last_row(self) -> int:
        return self.next_row - 1

    def add(
        self, values: Sequence[Value], styles: Sequence[int | None], height: float | None
    ) -> None:
        """One row: a value and a style id a column, from column A (None: no style, as a cell
        openpyxl never styled); `height` in points."""
        if len(values) != len(styles):
            raise ValueError("a style for every value")
        while len(self._letters) < len(values):
            self._letters.append(get_column_letter(len(self._letters) + 1))
        number = self.next_row
        head = f'<row r="{number}"'
        if height is not None:
            head += f' ht="{safe_string(float(height))}" customHeight="1"'
        row = str(number)
        cells = [
            _cell(letter + row, value, style)
            for letter, value, style in zip(self._letters, values, styles, strict=False)
        ]
        self._rows.append(f"{head}>{''.join(cells)}</row>")
        self.width = max(self.width, len(values))

    def check(self) -> None:
        """openpyxl must have nothing of its own in these rows, or a row would be written
        twice."""
        ws = self.ws
        taken = [row for row, _ in ws._cells if row >= self.first]
        taken += [row for row in ws.row_dimensions if row >= self.first]
        if taken:
            raise RuntimeError(f"{ws.title}: row {min(taken)} has cells of openpyxl's own")

    def splice(self, sheet_xml: bytes) -> bytes:
        """The sheet as openpyxl wrote it, with these rows in its sheetData and its dimension
        covering them, as openpyxl would have computed it."""
        if not self._rows:
            return sheet_xml
        ws = self.ws
        has_cells = bool(ws._cells)
        top = f"{get_column_letter(1)}{ws.min_row if has_cells else self.first}"
        right = max(ws.max_column if has_cells else 0, self.width)
        ref = f'<dimension ref="{top}:{get_column_letter(right)}{self.last_row}" />'
        body = "".join(self._rows).encode("utf-8")
        xml, found = _DIMENSION.subn(ref.encode(), sheet_xml, count=1)
        if found != 1:
            raise RuntimeError(f"{ws.title}: no dimension in the written sheet")
        if b"</sheetData>" in xml:
            head, tail = xml.split(b"</sheetData>", 1)
            return head + body + b"</sheetData>" + tail
        head, tail = xml.split(b"<sheetData />", 1)
        return head + b"<sheetData>" + body + b"</sheetData>" + tail


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?" />')


def style_id(
    ws: Worksheet,
    *,
    font: Font,
    alignment: Alignment,
    border: Border,
    fill: PatternFill | None = None,
    number_format: str | None = None,
) -> int:
    """The workbook's id for this combination of styles: what openpyxl writes as `s="…"` for a
    cell styled so. A cell outside the sheet is styled, so nothing is added to it."""
    cell = Cell(ws, row=None, column=None)  # type: ignore[arg-type]
    cell.font, cell.alignment, cell.border = font, alignment, border
    if fill is not None:
        cell.fill = fill
    if number_format is not None:
        cell.number_format = number_format
    return int(cell.style_id)


def _cell(ref: str, value: Value, style: int | None) -> str:
    """What openpyxl's cell writer (its ElementTree one, see jc315cli/__init__.py) writes."""
    head = f'<c r="{ref}"' if style is None else f'<c r="{ref}" s="{style}"'
    if value is None:
        return "" if style is None else f'{head} t="n" />'
    if isinstance(value, str):
        # (a printable text holds no character xlsx_text replaces: they are all controls)
        short = len(value) <= MAX_CELL_TEXT and value.isprintable()
        text = value if short else xlsx_text(value)
        if not text:
            return f'{head} t="inlineStr" />'
        stripped = text.strip()
        space = ' xml:space="preserve"' if stripped and stripped != text else ""
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'{head} t="inlineStr"><is><t{space}>{escaped}</t></is></c>'
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"{ref}: {type(value).__name__} is not a value of a table")
    # openpyxl writes a number as "%.16g", which for an int of up to 15 digits is str()
    small = type(value) is int and -SHORT_INT < value < SHORT_INT
    return f'{head} t="n"><v>{str(value) if small else safe_string(value)}</v></c>'
