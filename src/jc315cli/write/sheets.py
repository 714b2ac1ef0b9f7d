"""What every workbook jc315 writes is made of, whatever its sheets: a workbook without
openpyxl's default sheet, the hidden identity sheet, text stored as text, and A4 print setup.
The form, the merged report, the comparison and the replies all build on these, so they live
apart from any one of them (they were in the form sheet's module, where a reader of the
comparison writer would not look for them)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.model.identity import IDENTITY_SHEET, Identity, identity_rows
from jc315cli.write.bulk import BulkRows, xlsx_text


def new_workbook() -> Workbook:
    """An empty workbook: openpyxl's own first sheet ("Sheet") would be one sheet too many."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    return wb


def add_identity_sheet(wb: Workbook, identity: Identity) -> Worksheet:
    """The identity a file is read back by (which campaign, form version, whom, what inputs):
    very hidden, so no office suite's menu shows it, and protected against a slip."""
    ws: Worksheet = wb.create_sheet(IDENTITY_SHEET)
    rows = BulkRows(ws, first=1)  # a merge's lists every input: a thousand rows at a province
    for key, value in identity_rows(identity):
        rows.add([key, value], [None, None], height=None)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    return ws


def set_text(cell: Cell | MergedCell, value: str) -> None:
    """Store a string as a string, never as a formula, whatever it starts with."""
    cell.value = xlsx_text(value)
    cell.data_type = "s"


def print_setup(
    ws: Worksheet, area: str, *, landscape: bool = False, one_page: bool = True
) -> None:
    """A4, one page wide, and one page tall unless `one_page` is False."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    # A page number or a header printed 0.3" from the edge: half an inch for it above the body.
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_area = area
