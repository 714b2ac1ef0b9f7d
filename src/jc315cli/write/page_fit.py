"""How big a sheet prints: the page, the part of it the table takes, and the scale an office
suite prints it at, so that every sheet a person prints can be held to text of 9 pt or more,
a width that fits the page, and an item's rows kept on one page.

Column widths are in Excel's units (the width of a digit of the workbook's default font, 11 pt
Calibri): about 0.078 inch in Excel and WPS, and in LibreOffice with Calibri's metrics
(Carlito); up to 0.097 in a LibreOffice that lacks them and measures with a wider font.
INCHES_PER_UNIT takes the wider, so a table that fits here fits everywhere and never shrinks
below what is computed here. Row heights are in points, the same in every suite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.utils import column_index_from_string
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len

from jc315cli.problems.breaking import wrap

INCHES_PER_UNIT = 0.1  # the wider of Excel's and LibreOffice's, rounded up
A4 = (8.27, 11.69)  # inches, portrait
DEFAULT_WIDTH = 8.43  # a column no width was given
DEFAULT_HEIGHT = 15.0  # points: a row no height was given
SMALLEST_PRINTED = 9.0  # points: no text a person prints is smaller


def room(width: float) -> float:
    """Cells of 10.5–11 pt text a line of a column `width` units wide surely holds (a CJK
    character takes two), in Excel, WPS and LibreOffice alike."""
    return max(width - 1, 2.0)


def printed_len(text: str) -> float:
    """How wide a text prints, in cells: a letter or digit counts 1.3, as wide as it is in
    the widest font a suite falls back to when 仿宋 is missing (a CJK character counts 2)."""
    shown = text.encode("ascii", "ignore").translate(None, _ASCII_SPACES)
    return cell_len(text) + 0.3 * len(shown)


# The ASCII characters str.isspace calls spaces: what printed_len does not count as a letter.
# (Counted at once, in C: asking each character of each cell was a tenth of the report.)
_ASCII_SPACES = bytes(code for code in range(128) if chr(code).isspace())


def broken(text: str, width: float) -> str:
    """`text` with its lines broken here for a cell `width` units wide: between words (a word
    longer than the column between its characters), never inside a date, a phone number or
    an e-mail address, no line starting with 。 or ）. Each line is narrower than the column,
    so no suite breaks one of them again."""
    return "\n".join(wrap(text, room(width), measure=printed_len))


@dataclass(frozen=True)
class Page:
    """The room on one sheet of paper for the table, in inches."""

    width: float
    height: float

    @staticmethod
    def of(ws: Worksheet) -> Page:
        wide, tall = A4
        if ws.page_setup.orientation == "landscape":
            wide, tall = tall, wide
        m = ws.page_margins
        return Page(wide - m.left - m.right, tall - m.top - m.bottom)


def table_inches(widths: list[float]) -> float:
    return sum(widths) * INCHES_PER_UNIT


def fit_scale(widths: list[float], page: Page) -> float:
    """The scale fitting `widths` to the page's width prints at (1 when they fit as they are)."""
    return min(1.0, page.width / table_inches(widths))


def print_range(ws: Worksheet) -> tuple[int, int, int, int]:
    """First column, first row, last column, last row of what prints."""
    area = ws.print_area
    if isinstance(area, list):
        area = area[0] if area else None
    if area:
        bounds = range_boundaries(re.sub(r"^.*!", "", str(area)).replace("$", ""))
    else:
        bounds = range_boundaries(ws.dimensions)
    low_col, low_row, high_col, high_row = bounds
    return low_col or 1, low_row or 1, high_col or 1, high_row or 1


def column_widths(ws: Worksheet, first: int, last: int) -> list[float]:
    """The width of each column from `first` to `last`, whether openpyxl keeps it by letter
    (as written) or as a span min–max (as read back)."""
    widths: dict[int, float] = {}
    for key, dim in ws.column_dimensions.items():
        low = dim.min or column_index_from_string(key)
        high = dim.max or low
        for index in range(low, high + 1):
            if dim.width:
                widths[index] = dim.width
    return [widths.get(c, DEFAULT_WIDTH) for c in range(first, last + 1)]


def row_heights(ws: Worksheet, first: int, last: int) -> list[float]:
    dims = ws.row_dimensions
    return [
        (dims[r].height if r in dims and dims[r].height else DEFAULT_HEIGHT)
        for r in range(first, last + 1)
    ]


def print_scale(ws: Worksheet) -> float:
    """The scale the sheet prints at: its own, or what fitting it to pages comes to."""
    props = ws.sheet_properties.pageSetUpPr
    setup = ws.page_setup
    if props is None or not props.fitToPage:
        return (int(setup.scale) if setup.scale else 100) / 100
    first_col, first_row, last_col, last_row = print_range(ws)
    page = Page.of(ws)
    wide = int(setup.fitToWidth) if setup.fitToWidth is not None else 1
    tall = int(setup.fitToHeight) if setup.fitToHeight is not None else 1
    scale = 1.0
    if wide:
        scale = min(scale, wide * page.width / table_inches(column_widths(ws, first_col, last_col)))
    if tall:
        height = sum(row_heights(ws, first_row, last_row)) / 72
        scale = min(scale, tall * page.height / height)
    return scale


def smallest_font(ws: Worksheet) -> float:
    """The smallest font of a cell that holds something, within what prints."""
    first_col, first_row, last_col, last_row = print_range(ws)
    sizes = [
        float(cell.font.sz) if cell.font is not None and cell.font.sz else 11.0
        for row in ws.iter_rows(
            min_row=first_row, max_row=last_row, min_col=first_col, max_col=last_col
        )
        for cell in row
        if cell.value not in (None, "")
    ]
    return min(sizes, default=11.0)


def printed_size(ws: Worksheet) -> float:
    """The smallest text on the sheet as it comes out of the printer, in points."""
    return smallest_font(ws) * print_scale(ws)


def columns_fit(ws: Worksheet) -> bool:
    """Whether every printed column is on the page's width at the sheet's scale."""
    first_col, _, last_col, _ = print_range(ws)
    widths = column_widths(ws, first_col, last_col)
    title = ws.print_title_cols
    if title and table_inches(widths) * print_scale(ws) > Page.of(ws).width:
        # printed across pages, each with the repeated columns: each page's part must fit
        low, high = (column_index_from_string(x) for x in re.sub(r"[$\d]", "", title).split(":"))
        widths = column_widths(ws, low, high) + [max(widths)]
    return table_inches(widths) * print_scale(ws) <= Page.of(ws).width + 1e-9
