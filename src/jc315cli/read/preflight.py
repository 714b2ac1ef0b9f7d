"""What a zip-based workbook (.xlsx, .xlsm, .ods) is, checked before the native reader sees it.

A returned form arrives by e-mail from outside the office. python-calamine allocates a dense
grid from the first to the last cell, trusts declared string counts and repeat counts, and a
native allocation failure aborts the whole process, taking every other file of the run with it.
So here, in plain Python and in time linear in the file, on the members zipped.py inflated with
a cap: every sheet's cell addresses are bounded, declared counts are checked against limits,
and (preflight_ods.py) .ods repeat counts of non-empty cells are added up. What passes is small
enough for calamine to read in milliseconds.

The same pass finds what calamine reads as an empty cell although it is not empty: a formula
saved without its result (openpyxl and many web exports write those) and an error value such
as #DIV/0!. A number that is not there must never be counted as 0.
"""

from __future__ import annotations

import re
from functools import lru_cache
from io import BytesIO
from posixpath import join, normpath

from defusedxml import ElementTree

from jc315cli.problems.errors import unreadable
from jc315cli.read.formats import cell_formats, column_number, misleading_cells

MAX_AREA = 1_000_000  # cells between a sheet's first and last cell (calamine's grid)
MAX_CELLS = 200_000  # cells in the whole workbook
MAX_SHARED_STRINGS = 1_000_000
MAX_COLUMN = 16_384  # XFD, the last column Excel knows
MAX_ROW = 1_048_576
MAX_TEXT = 8 * 1024 * 1024  # characters of shared strings, counted once per cell that uses them

# (row, col), 0-based → "=" (formula without result), "#N/A" (error value), TRUE/FALSE, or
# "~why" (a number format that shows something other than the value)
Special = dict[tuple[int, int], str]
# Hidden rows (0-based) and hidden column spans (0-based, inclusive) of a sheet: a value there is
# in the file but not on the screen.
Hidden = tuple[frozenset[int], tuple[tuple[int, int], ...]]
# A logical constant kept as a formula, TRUE() or FALSE() (LibreOffice writes them so)
LOGICAL_FORMULA = re.compile(r"(?:of:)?=?\s*(TRUE|FALSE)\(\)\s*", re.IGNORECASE)


# --- .xlsx / .xlsm ---------------------------------------------------------------------------

# Every cell's start tag, with its address when it has one: (letters, digits), or (b"", b"").
CELL = re.compile(rb"<(?:\w+:)?c(?=[\s>/])(?:[^>]*?\br=\"([A-Z]{1,4})([0-9]{1,8})\")?")
SHARED_STRING = re.compile(rb"<(?:\w+:)?si\b.*?</(?:\w+:)?si>", re.DOTALL)
SHARED_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*\bt=\"s\"[^>]*>\s*<(?:\w+:)?v>(\d{1,9})<")
ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
COL_TAG = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
HIDDEN = re.compile(rb"\bhidden=\"(?:1|true)\"")
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")  # not <formula1> of a data validation
ERROR_TYPE = re.compile(rb"\bt=\"e\"")
COUNT_ATTR = re.compile(rb"\b(?:count|uniqueCount)=\"([0-9]+)\"")
NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def check_xlsx(members: dict[str, bytes]) -> tuple[dict[str, Special], dict[str, Hidden]]:
    """Every sheet's special cells and hidden rows and columns, by sheet name, after bounding
    the shared strings, every sheet's grid and the workbook's cells and text."""
    strings = next((v for k, v in members.items() if k.lower() == "xl/sharedstrings.xml"), b"")
    head = strings[:2048]
    for match in COUNT_ATTR.finditer(head):
        if int(match.group(1)) > MAX_SHARED_STRINGS:
            raise unreadable("too-many-strings", count=f"{int(match.group(1)):,}")
    sizes: list[int] | None = None  # of each shared string, measured when needed
    formats = cell_formats(members.get("xl/styles.xml", b""))
    total = area = text = bound = 0
    pending: list[bytes] = []  # sheets whose shared-string text is bounded, not yet counted
    special: dict[str, Special] = {}
    hidden: dict[str, Hidden] = {}
    for name, path in _sheet_paths(members).items():
        xml = members.get(path, b"")
        part = _cell_part(xml)
        cells, grid = _check_sheet_extent(part)
        total, area = total + cells, area + grid
        if total > MAX_CELLS or area > 2 * MAX_AREA:
            raise unreadable("too-many-cells", limit=f"{MAX_CELLS:,}")
        # A long string referred to by thousands of cells is thousands of strings to calamine.
        # A sheet refers to at most one string per "<" in it, none longer than the strings
        # part: while that bound stays under the limit the text cannot reach it, and what
        # the sheets refer to is counted only when it could.
        pending.append(part)
        bound += part.count(b"<") * len(strings)
        if text + bound > MAX_TEXT:
            if sizes is None:
                sizes = [len(m.group(0)) for m in SHARED_STRING.finditer(strings)]
            text += sum(_shared_text(sheet, sizes) for sheet in pending)
            pending, bound = [], 0
        if text > MAX_TEXT:
            raise unreadable("too-much-text")
        found = misleading_cells(part, formats)  # shown through a format as another number
        # Byte searches first, and two patterns: one alternation of both is scanned a character
        # at a time, ten times slower (a form's data validations have <formula1> in every one).
        formula = (b"<f" in part or b":f" in part) and FORMULA.search(part)
        if formula or (b't="e"' in part and ERROR_TYPE.search(part)):
            found.update(_xlsx_special(xml))
        if found:
            special[name] = found
        if b"hidden=" not in xml or (b'hidden="1"' not in xml and b'hidden="true"' not in xml):
            continue  # nothing hidden (LibreOffice writes hidden="false" on every row and column)
        rows = frozenset(
            int(_attribute(tag, b"r")) - 1 for tag in ROW_TAG.findall(xml) if HIDDEN.search(tag)
        )
        spans = tuple(
            (int(_attribute(tag, b"min")) - 1, int(_attribute(tag, b"max")) - 1)
            for tag in COL_TAG.findall(xml)
            if HIDDEN.search(tag)
        )
        if rows or spans:
            hidden[name] = (rows, spans)
    return special, hidden


def _cell_part(xml: bytes) -> bytes:
    """The part of a sheet that can hold the cells calamine reads: from the first mention of
    sheetData to the end of the tag of the last. calamine reads cells only inside sheetData
    (tests/test_preflight_shortcuts.py holds it), so the cells are bounded and looked at there
    only: a form's data validations and print setup, after its cells, are half of its sheet."""
    first = xml.find(b"sheetData")
    if first < 0:
        return xml
    end = xml.find(b">", xml.rfind(b"sheetData"))
    return xml[max(xml.rfind(b"<", 0, first), 0) : len(xml) if end < 0 else end + 1]


def _shared_text(xml: bytes, sizes: list[int]) -> int:
    """How many characters of shared strings the sheet's cells refer to, each time."""
    return sum(sizes[i] for i in map(int, SHARED_REF.findall(xml)) if i < len(sizes))


def _attribute(tag: bytes, name: bytes) -> bytes:
    found = re.search(rb"\b" + name + rb"=\"(\d{1,7})\"", tag)
    return found.group(1) if found else b"0"


def _sheet_paths(members: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → member path, from xl/workbook.xml and its relationships."""
    paths = dict(
        _named_sheets(
            members.get("xl/workbook.xml", b"<x/>"),
            members.get("xl/_rels/workbook.xml.rels", b"<x/>"),
        )
    )
    # Any worksheet the relationships do not name is bounded too (calamine may still read it).
    for member in members:
        if member.startswith("xl/worksheets/") and member not in paths.values():
            paths[f"\x00{member}"] = member
    return paths


@lru_cache(maxsize=32)
def _named_sheets(book_xml: bytes, rels_xml: bytes) -> tuple[tuple[str, str], ...]:
    """(sheet name, member path) as the workbook part and its relationships say; forms from one
    template share both parts, so a batch parses each distinct pair once."""
    try:
        book = ElementTree.fromstring(book_xml)
        rels = ElementTree.fromstring(rels_xml)
    except (ElementTree.ParseError, ValueError):
        raise unreadable("workbook-xml") from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{NS_PKG}Relationship")}
    named: list[tuple[str, str]] = []
    for sheet in book.iter(f"{NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        named.append((sheet.get("name", ""), path))
    return tuple(named)


def _check_sheet_extent(xml: bytes) -> tuple[int, int]:
    """The number of cells in a sheet and the area of its grid, after checking that the grid
    is small enough."""
    cells = CELL.findall(xml)
    refs = [(letters, row) for letters, row in cells if letters]
    rows = [int(row) for _, row in refs]
    # The first and last column: letters sort as numbers when the shorter come first (Z, AA).
    letters = sorted({c for c, _ in refs}, key=lambda c: (len(c), c))
    cols = [column_number(letters[0]), column_number(letters[-1])] if letters else []
    tags = len(cells)
    if tags > len(rows):  # cells without an address: count their positions by the rows
        rows.append(xml.count(b"<row") + len(rows))
        cols.append(tags)
    if not rows:
        return 0, 0
    if max(rows) > MAX_ROW or max(cols) > MAX_COLUMN:
        raise unreadable("address-out-of-range")
    area = (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)
    if area > MAX_AREA:
        raise unreadable("area-too-large", count=f"{area:,}")
    return tags, area


def _xlsx_special(xml: bytes) -> Special:
    """Cells with a formula but no saved result, cells holding an error value, and logical
    constants kept as the formulas TRUE()/FALSE() (whatever number they were saved as)."""
    special: Special = {}
    try:
        for _event, element in ElementTree.iterparse(BytesIO(xml)):
            if element.tag != f"{NS_MAIN}c":
                continue
            ref = element.get("r", "")
            formula = element.find(f"{NS_MAIN}f")
            value = element.find(f"{NS_MAIN}v")
            text = (value.text or "") if value is not None else ""
            match = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
            logical = LOGICAL_FORMULA.fullmatch(formula.text or "") if formula is not None else None
            if match:
                where = (int(match.group(2)) - 1, column_number(match.group(1).encode()) - 1)
                if element.get("t") == "e":
                    special[where] = text or "#错误"
                elif logical:
                    special[where] = logical.group(1).upper()
                elif formula is not None and not text and element.get("t") != "inlineStr":
                    special[where] = "="
            element.clear()
    except ElementTree.ParseError:
        raise unreadable("sheet-xml") from None
    return special
