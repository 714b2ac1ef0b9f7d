"""Reading workbook files: the one module that opens a returned form for reading.

python-calamine reads .xlsx, .xlsm, .xls and .ods alike, values only (macros never run). It
trims empty leading rows and columns, so every grid here keeps the sheet's start offset and
turns positions back into the A1 references a person sees in their office suite.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import python_calamine as calamine

from jc315cli.errors import Jc315Error
from jc315cli.identity import IDENTITY_SHEET, Identity, parse_identity
from jc315cli.inputs import FORMATS

CellValue = int | float | str | bool | date | datetime | time | timedelta | None


def unreadable(reason: str) -> Jc315Error:
    """The file cannot be read as a workbook at all: an `unreadable` problem, with the reason."""
    return Jc315Error("unreadable", reason=reason)


@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool
    rows: list[list[CellValue]]  # trimmed grid as calamine returns it
    first_row: int  # 0-based sheet row of rows[0]
    first_col: int  # 0-based sheet column of rows[r][0]
    merged: tuple[
        tuple[tuple[int, int], tuple[int, int]], ...
    ] = ()  # ((r0, c0), (r1, c1)), 0-based

    def merged_end_col(self, row: int, col: int) -> int:
        """The last column of the merged range that starts at (row, col), or col itself."""
        for (r0, c0), (r1, c1) in self.merged:
            if r0 <= row <= r1 and c0 == col:
                return c1
        return col

    def cells(self) -> Iterator[tuple[int, int, CellValue]]:
        """(sheet row, sheet column, value) for every non-empty cell, 0-based."""
        for r, row in enumerate(self.rows):
            for c, value in enumerate(row):
                if value is not None and value != "":
                    yield self.first_row + r, self.first_col + c, value

    def value(self, row: int, col: int) -> CellValue:
        r, c = row - self.first_row, col - self.first_col
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            value = self.rows[r][c]
            return None if value == "" else value
        return None

    def row_values(self, row: int) -> list[tuple[int, CellValue]]:
        r = row - self.first_row
        if not 0 <= r < len(self.rows):
            return []
        return [(self.first_col + c, v) for c, v in enumerate(self.rows[r]) if v not in (None, "")]

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1


def a1(row: int, col: int) -> str:
    """0-based (row, col) → "E9". (Not openpyxl's helper: reading should not import openpyxl.)"""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return f"{letters}{row + 1}"


@dataclass
class WorkbookData:
    path: Path
    format: str  # file suffix, lower case
    sheets: list[Sheet]
    identity: Identity | None
    macros: bool = False  # the file carries macros (never run: only values are read)


def read_workbook(path: Path) -> WorkbookData:
    """Read every sheet's values. Raises Jc315Error(`unreadable`) with the reason in Chinese."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise unreadable(
            f"不支持的文件类型“{path.suffix or '无扩展名'}”，只能读取 .xlsx、.xlsm、.xls、.ods"
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise unreadable(f"无法打开文件：{exc.strerror or exc}") from None
    if not head:
        raise unreadable("文件是空的（0 字节）")
    members = _check_signature(path, suffix, head)
    macros = suffix == ".xlsm" or any(name.lower().endswith("vbaproject.bin") for name in members)
    try:
        with calamine.CalamineWorkbook.from_path(str(path)) as book:
            sheets = [_read_sheet(book, meta) for meta in book.sheets_metadata]
    except calamine.PasswordError:
        raise unreadable("文件设置了打开密码，无法读取") from None
    except Exception as exc:  # calamine raises several types for damaged files
        raise unreadable(f"文件已损坏或不是有效的电子表格（{type(exc).__name__}: {exc}）") from None
    identity = None
    for sheet in sheets:
        if sheet.name == IDENTITY_SHEET:
            identity = parse_identity(sheet.rows)
    return WorkbookData(path, suffix, sheets, identity, macros)


def _read_sheet(book: calamine.CalamineWorkbook, meta: calamine.SheetMetadata) -> Sheet:
    sheet = book.get_sheet_by_name(meta.name)
    start = sheet.start or (0, 0)
    grid = sheet.to_python(skip_empty_area=True) if sheet.start is not None else []
    rows: list[list[CellValue]] = [list(row) for row in grid]
    visible = meta.visible == calamine.SheetVisibleEnum.Visible
    merged = tuple(sheet.merged_cell_ranges or ())  # .ods: not reported by calamine
    return Sheet(meta.name, visible, rows, start[0], start[1], merged)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_signature(path: Path, suffix: str, head: bytes) -> list[str]:
    """Say plainly what a file is when it is not what its name claims. Returns the member
    names of a zip-based workbook (empty for .xls), read once: its central directory is at the
    end of the file, so a truncated download fails here with a clear message."""
    if suffix in (".xlsx", ".xlsm") and head.startswith(_OLE):
        # An OLE container named .xlsx is either an encrypted workbook or an .xls renamed.
        if _is_encrypted_ooxml(path):
            raise unreadable("文件设置了打开密码（已加密），无法读取")
        return []
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        return []
    if not head.startswith(b"PK"):
        raise unreadable(
            "文件内容不是电子表格（不是有效的 Office/ODS 压缩包），可能已损坏或被改了扩展名"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise unreadable("文件不完整或已损坏（压缩包无法打开），可能下载或复制时被截断") from None


def _is_encrypted_ooxml(path: Path) -> bool:
    data = path.read_bytes()
    return "EncryptedPackage".encode("utf-16-le") in data
