"""What a zip-based workbook (.xlsx, .xlsm, .ods) is, checked before the native reader sees it.

A returned form arrives by e-mail from outside the office. python-calamine allocates a dense
grid from the first to the last cell, trusts declared string counts and repeat counts, and a
native allocation failure aborts the whole process, taking every other file of the run with it.
So here, in plain Python and in time linear in the file: every member is inflated with a cap
(a zip bomb stops at the cap, whatever sizes it declares), every sheet's cell addresses are
bounded, declared counts are checked against limits, and .ods repeat counts of non-empty cells
are added up. What passes is small enough for calamine to read in milliseconds.

The same pass finds what calamine reads as an empty cell although it is not empty: a formula
saved without its result (openpyxl and many web exports write those) and an error value such
as #DIV/0!. A number that is not there must never be counted as 0.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from posixpath import join, normpath
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from jc315cli.problems.errors import Jc315Error
from jc315cli.read.formats import cell_formats, column_number, misleading_cells

MAX_MEMBERS = 1_000
MAX_INFLATED = 32 * 1024 * 1024  # all members together; a real form inflates to ~60 KB
MAX_AREA = 1_000_000  # cells between a sheet's first and last cell (calamine's grid)
MAX_CELLS = 200_000  # cells in the whole workbook
MAX_SHARED_STRINGS = 1_000_000
MAX_COLUMN = 16_384  # XFD, the last column Excel knows
MAX_ROW = 1_048_576

# (row, col), 0-based → "=" (formula without result), "#N/A" (error value), TRUE/FALSE, or
# "~why" (a number format that shows something other than the value)
Special = dict[tuple[int, int], str]
# Hidden rows (0-based) and hidden column spans (0-based, inclusive) of a sheet: a value there is
# in the file but not on the screen.
Hidden = tuple[frozenset[int], tuple[tuple[int, int], ...]]
MAX_TEXT = 8 * 1024 * 1024  # characters of shared strings, counted once per cell that uses them


@dataclass
class Preflight:
    members: list[str]
    special: dict[str, Special] = field(default_factory=dict)  # by sheet name
    hidden: dict[str, Hidden] = field(default_factory=dict)  # by sheet name: rows, column spans


def unreadable(reason: str) -> Jc315Error:
    return Jc315Error("unreadable", reason=reason)


def too_large(what: str) -> Jc315Error:
    return unreadable(f"文件内容异常（{what}），不像是统计表，已拒绝读取")


def check_zip_workbook(data: bytes, suffix: str) -> Preflight:
    """Inflate and bound every member; raise `unreadable` for anything out of bounds."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise unreadable("文件不完整或已损坏（压缩包无法打开），可能下载或复制时被截断") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise too_large(f"压缩包内有 {len(infos)} 个文件")
        inflated: dict[str, bytes] = {}
        budget = MAX_INFLATED
        for info in infos:
            content = _inflate(data, info, budget)
            budget -= len(content)
            inflated[info.filename] = content
    members = [info.filename for info in infos]
    if suffix == ".ods":
        return Preflight(members, _check_ods(inflated))
    special, hidden = _check_xlsx(inflated)
    return Preflight(members, special, hidden)


def _inflate(data: bytes, info: zipfile.ZipInfo, budget: int) -> bytes:
    """A member's bytes, inflated by zlib directly with a cap, so neither a declared size nor a
    stream that inflates past it is trusted. The CRC is checked too."""
    if info.file_size > budget:
        raise too_large(f"解压后超过 {MAX_INFLATED // (1024 * 1024)} MB")
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise unreadable("文件不完整或已损坏（压缩包内容缺失），可能下载或复制时被截断")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    body_start = start + 30 + name_len + extra_len
    raw = data[body_start : body_start + info.compress_size]
    if len(raw) < info.compress_size:
        raise unreadable("文件不完整或已损坏（压缩包内容缺失），可能下载或复制时被截断")
    key = (info.compress_type, info.CRC, info.file_size, raw)
    known = _INFLATED.get(key) if len(raw) <= _KEPT_SIZE else None
    if known is not None:  # these very bytes inflated and checked before, to this size and CRC
        return known
    if info.compress_type == zipfile.ZIP_STORED:
        content = raw
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        try:
            content = inflater.decompress(raw, budget + 1)
        except zlib.error:
            raise unreadable("文件已损坏（压缩数据错误）") from None
        if len(content) > budget or inflater.unconsumed_tail:
            raise too_large(f"解压后超过 {MAX_INFLATED // (1024 * 1024)} MB")
    else:
        raise unreadable("文件使用了不支持的压缩方式")
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        raise unreadable("文件已损坏（压缩包内容校验不符），可能下载或复制时被截断")
    if len(content) <= _KEPT_SIZE:  # (inflated: 64 KB can hold a member of 30 MB of zeros)
        if len(_INFLATED) >= _KEPT:
            _INFLATED.clear()
        _INFLATED[key] = content
    return content


# Forms from one template share most members byte for byte (styles, theme, workbook, relations):
# a batch inflates and checks each distinct one once. Kept: members that inflate to at most
# 64 KB, at most 256 of them (16 MB).
_INFLATED: dict[tuple[int, int, int, bytes], bytes] = {}
_KEPT = 256
_KEPT_SIZE = 64 * 1024


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


def _check_xlsx(members: dict[str, bytes]) -> tuple[dict[str, Special], dict[str, Hidden]]:
    strings = next((v for k, v in members.items() if k.lower() == "xl/sharedstrings.xml"), b"")
    head = strings[:2048]
    for match in COUNT_ATTR.finditer(head):
        if int(match.group(1)) > MAX_SHARED_STRINGS:
            raise too_large(f"声称有 {int(match.group(1)):,} 个文字")
    sizes = [len(m.group(0)) for m in SHARED_STRING.finditer(strings)]
    formats = cell_formats(members.get("xl/styles.xml", b""))
    total = area = text = 0
    special: dict[str, Special] = {}
    hidden: dict[str, Hidden] = {}
    for name, path in _sheet_paths(members).items():
        xml = members.get(path, b"")
        cells, grid = _check_sheet_extent(xml)
        total, area = total + cells, area + grid
        if total > MAX_CELLS or area > 2 * MAX_AREA:
            raise too_large(f"单元格超过 {MAX_CELLS:,} 个，或各工作表范围合计过大")
        # A long string referred to by thousands of cells is thousands of strings to calamine.
        if sizes:  # (no shared strings: nothing any cell can refer to)
            text += sum(sizes[i] for i in map(int, SHARED_REF.findall(xml)) if i < len(sizes))
        if text > MAX_TEXT:
            raise too_large("文字内容合计过多")
        found = misleading_cells(xml, formats)  # shown through a format as another number
        # Byte searches first, and two patterns: one alternation of both is scanned a character
        # at a time, ten times slower (a form's data validations have <formula1> in every one).
        formula = (b"<f" in xml or b":f" in xml) and FORMULA.search(xml)
        if formula or (b't="e"' in xml and ERROR_TYPE.search(xml)):
            found.update(_xlsx_special(xml))
        if found:
            special[name] = found
        if b"hidden=" not in xml:  # the usual sheet: nothing hidden, no tag to look at
            continue
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
        raise unreadable("文件已损坏（工作簿结构无法解析）") from None
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
        raise too_large("单元格地址超出工作表范围")
    area = (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)
    if area > MAX_AREA:
        raise too_large(f"表格范围达 {area:,} 个单元格")
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
        raise unreadable("文件已损坏（工作表内容无法解析）") from None
    return special


LOGICAL_FORMULA = re.compile(r"(?:of:)?=?\s*(TRUE|FALSE)\(\)\s*", re.IGNORECASE)


# --- .ods ------------------------------------------------------------------------------------

NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
NS_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
TABLE = f"{{{NS_TABLE}}}table"
ROW = f"{{{NS_TABLE}}}table-row"
CELLS = (f"{{{NS_TABLE}}}table-cell", f"{{{NS_TABLE}}}covered-table-cell")
ROWS_REPEATED = f"{{{NS_TABLE}}}number-rows-repeated"
COLS_REPEATED = f"{{{NS_TABLE}}}number-columns-repeated"


def _check_ods(members: dict[str, bytes]) -> dict[str, Special]:
    """Walk content.xml once: a non-empty cell repeated a million times is a million cells to
    calamine, so repeats of non-empty cells are added up and bounded."""
    content = members.get("content.xml")
    if content is None:
        raise unreadable("文件已损坏（缺少 content.xml）")
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
                        raise too_large(f"单元格超过 {MAX_CELLS:,} 个（重复的单元格）")
                    mark = _ods_special(element)
                    if mark:
                        special.setdefault(sheet, {})[(row, col)] = mark
                col += repeat
                element.clear()
            elif tag == ROW:
                row += rows_here
                element.clear()
    except ElementTree.ParseError:
        raise unreadable("文件已损坏（工作表内容无法解析）") from None
    return special


def _repeat(element: Element, attribute: str) -> int:
    text = element.get(attribute, "1")
    return int(text) if text.isdigit() else 1


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
