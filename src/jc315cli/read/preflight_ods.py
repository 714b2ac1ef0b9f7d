"""What an .ods workbook's sheets hold, checked before the native reader sees them: its
content.xml walked once, in time linear in the file. A non-empty cell repeated a million times
(number-columns-repeated, number-rows-repeated) is a million cells to calamine, so repeats of
non-empty cells are added up and bounded; and formulas without a result, error values and
logical values are marked, as preflight.py does for .xlsx.
"""

from __future__ import annotations

from io import BytesIO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from jc315cli.problems.errors import unreadable
from jc315cli.read.preflight import LOGICAL_FORMULA, MAX_CELLS, Special

NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
NS_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
TABLE = f"{{{NS_TABLE}}}table"
ROW = f"{{{NS_TABLE}}}table-row"
CELLS = (f"{{{NS_TABLE}}}table-cell", f"{{{NS_TABLE}}}covered-table-cell")
ROWS_REPEATED = f"{{{NS_TABLE}}}number-rows-repeated"
COLS_REPEATED = f"{{{NS_TABLE}}}number-columns-repeated"


def check_ods(members: dict[str, bytes]) -> dict[str, Special]:
    """Walk content.xml once: a non-empty cell repeated a million times is a million cells to
    calamine, so repeats of non-empty cells are added up and bounded."""
    content = members.get("content.xml")
    if content is None:
        raise unreadable("no-content")
    special: dict[str, Special] = {}
    total = 0
    sheet, row, col, rows_here = "", 0, 0, 1
    try:
        for event, element in ElementTree.iterparse(BytesIO(content), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == TABLE:
                    sheet, row = element.get(f"{{{NS_TABLE}}}name", ""), 0
                elif tag == ROW:
                    col, rows_here = 0, _repeat(element, ROWS_REPEATED)
                continue
            if tag in CELLS:
                repeat = _repeat(element, COLS_REPEATED)
                if _ods_filled(element):
                    total += repeat * rows_here
                    if total > MAX_CELLS:
                        raise unreadable("repeated-cells", limit=f"{MAX_CELLS:,}")
                    mark = _ods_special(element)
                    if mark:
                        special.setdefault(sheet, {})[(row, col)] = mark
                col += repeat
                element.clear()
            elif tag == ROW:
                row += rows_here
                element.clear()
    except ElementTree.ParseError:
        raise unreadable("sheet-xml") from None
    return special


def _repeat(element: Element, attribute: str) -> int:
    """A repeat count; one too long to be a number of cells is past every bound (and never
    turned into a number: Python refuses a string of more than 4,300 digits)."""
    text = element.get(attribute, "1")
    if not (text.isascii() and text.isdigit()):  # ("²".isdigit(), but int("²") fails)
        return 1
    return int(text) if len(text) < 10 else 10**10


def _ods_filled(cell: Element) -> bool:
    return bool(
        cell.get(f"{{{NS_OFFICE}}}value-type") or cell.get(f"{{{NS_TABLE}}}formula") or len(cell)
    )


def _ods_special(cell: Element) -> str | None:
    """ "=" for a formula without a result, "#…" for an error value, TRUE/FALSE for a logical
    value (LibreOffice saves FALSE() as the number 0 shown as FALSE)."""
    if cell.get(f"{{{NS_CALCEXT}}}value-type") == "error":
        return "".join(cell.itertext()).strip() or "#错误"
    if cell.get(f"{{{NS_OFFICE}}}value-type") == "boolean":
        return "TRUE" if cell.get(f"{{{NS_OFFICE}}}boolean-value") == "true" else "FALSE"
    logical = LOGICAL_FORMULA.fullmatch(cell.get(f"{{{NS_TABLE}}}formula", ""))
    if logical:  # LibreOffice keeps a typed TRUE/FALSE as the formula =TRUE() / =FALSE()
        return logical.group(1).upper()
    shown = "".join(cell.itertext()).strip()
    if cell.get(f"{{{NS_OFFICE}}}value-type") == "float" and shown.upper() in ("TRUE", "FALSE"):
        return shown.upper()
    if cell.get(f"{{{NS_TABLE}}}formula") and not cell.get(f"{{{NS_OFFICE}}}value-type"):
        return "="
    return None
