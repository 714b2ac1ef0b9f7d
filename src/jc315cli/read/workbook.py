"""Reading workbook files: the one module that opens a returned form for reading.

python-calamine reads .xlsx, .xlsm, .xls and .ods alike, values only (macros never run). It
trims empty leading rows and columns, so every grid here keeps the sheet's start offset and
turns positions back into the A1 references a person sees in their office suite.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from heapq import heappop, heappush
from io import BytesIO
from pathlib import Path

import python_calamine as calamine

from jc315cli.model.campaign import FORM_EXTENSIONS
from jc315cli.model.identity import IDENTITY_SHEET, Identity, parse_identity
from jc315cli.problems.errors import Jc315Error, unreadable
from jc315cli.read.isolation import Isolated
from jc315cli.read.ods_layout import ods_layout, readable
from jc315cli.read.preflight import Hidden, Special, check_xlsx
from jc315cli.read.preflight_ods import check_ods
from jc315cli.read.xls_layout import Layout, undated, xls_layout
from jc315cli.read.zipped import inflate_members

Span = tuple[tuple[int, int], tuple[int, int]]
CellValue = int | float | str | bool | date | datetime | time | timedelta | None


@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool
    rows: list[list[CellValue]]  # trimmed grid as calamine returns it
    first_row: int  # 0-based sheet row of rows[0]
    first_col: int  # 0-based sheet column of rows[r][0]
    merged: tuple[Span, ...] = ()  # ((r0, c0), (r1, c1)), 0-based
    # cells read as empty that are not, and rows/columns hidden on screen: see preflight
    special: Special = field(default_factory=dict)
    hidden: Hidden = (frozenset(), ())

    def is_hidden(self, row: int, col: int) -> bool:
        rows, _spans = self.hidden
        starts, ends = self._hidden_columns
        i = bisect_right(starts, col) - 1
        return row in rows or (i >= 0 and col <= ends[i])

    @cached_property
    def _hidden_columns(self) -> tuple[list[int], list[int]]:
        """The hidden column spans joined and sorted, so that a cell is looked up by bisection:
        a file may list a span per column, and a long form asks about every row."""
        starts: list[int] = []
        ends: list[int] = []
        for lo, hi in sorted(self.hidden[1]):
            if starts and lo <= ends[-1] + 1:
                ends[-1] = max(ends[-1], hi)
            else:
                starts.append(lo)
                ends.append(hi)
        return starts, ends

    def merged_range(self, row: int, col: int) -> str | None:
        """ "E8:E9" when (row, col) is part of a merged range of more than one cell."""
        span = self.merged_ranges(col, (row,)).get(row)
        return None if span is None else span_a1(span)

    def merged_ranges(self, col: int, rows: Iterable[int]) -> dict[int, Span]:
        """The merged range of more than one cell that (row, col) is part of, for many rows at
        once, each range looked at once: a long form has about as many merged ranges as rows,
        and asking row by row cost their product. Where ranges overlap (a damaged file), the
        first in the file is the one."""
        spans = sorted(
            (r0, r1, n)
            for n, ((r0, c0), (r1, c1)) in enumerate(self.merged)
            if c0 <= col <= c1 and (r0, c0) != (r1, c1)
        )
        found: dict[int, Span] = {}
        begun: list[tuple[int, int]] = []  # (place in the file, last row) of ranges begun above
        i = 0
        for row in sorted(set(rows)):
            while i < len(spans) and spans[i][0] <= row:
                heappush(begun, (spans[i][2], spans[i][1]))
                i += 1
            while begun and begun[0][1] < row:  # ended above this row (so above the next ones)
                heappop(begun)
            if begun:
                found[row] = self.merged[begun[0][0]]
        return found

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


def span_a1(span: Span) -> str:
    """((7, 4), (8, 4)) → "E8:E9"."""
    (r0, c0), (r1, c1) = span
    return f"{a1(r0, c0)}:{a1(r1, c1)}"


@lru_cache(maxsize=4096)  # every form names the same few cells, a few dozen times each
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


MAX_FILE_BYTES = 10 * 1024 * 1024  # a returned form is ~10 KB; a photo or a video is not one
XLS_SECONDS = 5  # an .xls is read in a child process (isolation.py), stopped after this long
XLS_MEMORY = 200 * 1024 * 1024  # … and limited to this much more memory than it starts with


@dataclass(frozen=True)
class FileBytes:
    data: bytes | None  # None when the file is larger than MAX_FILE_BYTES (not kept)
    sha256: str
    size: int


def load_bytes(path: Path) -> FileBytes:
    """The file's bytes and SHA-256, hashed while streaming, kept only up to MAX_FILE_BYTES.
    Only a regular file is read: a FIFO or a device would never end."""
    try:
        if not path.is_file():
            raise unreadable("not-a-file")
        digest = hashlib.sha256()
        kept = bytearray()
        size = 0
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
                if size <= MAX_FILE_BYTES:
                    kept += block
    except OSError as exc:
        raise unreadable("cannot-open", cause=exc.strerror or exc) from None
    return FileBytes(bytes(kept) if size <= MAX_FILE_BYTES else None, digest.hexdigest(), size)


def read_workbook(path: Path) -> WorkbookData:
    """Read every sheet's values. Raises Jc315Error(`unreadable`) with a registered reason."""
    loaded = load_bytes(path)
    return parse_workbook(path, loaded)


def parse_workbook(path: Path, loaded: FileBytes) -> WorkbookData:
    suffix = path.suffix.lower()
    if suffix not in FORM_EXTENSIONS:
        raise unreadable("unsupported-type", suffix=path.suffix or "无扩展名")
    data = loaded.data
    if data is None:
        raise unreadable("file-too-large", megabytes=f"{loaded.size / 1024 / 1024:.0f}")
    if not data:
        raise unreadable("empty")
    special: dict[str, Special] = {}
    hidden: dict[str, Hidden] = {}
    layouts: dict[str, Layout] = {}
    members: list[str] = []
    if suffix in (".xlsx", ".xlsm") and data.startswith(_OLE):
        # An OLE container named .xlsx is either an encrypted workbook or an .xls renamed.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise unreadable("encrypted")
        sheets = _read_isolated(data)
    elif suffix == ".xls":
        sheets = _read_isolated(data)
    elif suffix == ".et":  # WPS 表格: usually an .xls inside; anything else cannot be read
        if not data.startswith(_OLE):
            raise unreadable("wps-format")
        try:
            sheets = _read_isolated(data)
        except Jc315Error:
            raise unreadable("wps-format") from None
    else:
        if not data.startswith(b"PK"):
            raise unreadable("not-a-spreadsheet")
        inflated = inflate_members(data)
        members = list(inflated)
        if suffix == ".ods":
            special = check_ods(inflated)
            data, content = readable(data)  # read what calamine cannot: see ods_layout.py
            layouts = ods_layout(content, inflated.get("styles.xml", b""))
        else:
            special, hidden = check_xlsx(inflated)
        sheets = _read_sheets(data)
    macros = suffix == ".xlsm" or any(name.lower().endswith("vbaproject.bin") for name in members)
    identity = None
    for index, sheet in enumerate(sheets):
        layout = layouts.get(sheet.name)
        if layout is not None:  # an .ods: a mark of preflight (an error value) wins over a format
            special[sheet.name] = layout.special | special.get(sheet.name, {})
            sheet = sheets[index] = replace(sheet, merged=layout.merged, hidden=layout.hidden)
        if sheet.name in special or sheet.name in hidden:
            sheets[index] = replace(
                sheet,
                special=special.get(sheet.name, {}),
                hidden=hidden.get(sheet.name, sheet.hidden),
            )
        if sheet.name == IDENTITY_SHEET:
            identity = parse_identity(sheet.rows)
    return WorkbookData(path, suffix, sheets, identity, macros)


def _read_sheets(data: bytes) -> list[Sheet]:
    """calamine over bytes in memory (never over a path: a file name need not be UTF-8)."""
    try:
        with calamine.CalamineWorkbook.from_filelike(BytesIO(data)) as book:
            return [_read_sheet(book, meta) for meta in book.sheets_metadata]
    except calamine.PasswordError:
        raise unreadable("encrypted") from None
    except Exception as exc:  # calamine raises several types for damaged files
        raise unreadable("damaged", error=type(exc).__name__) from None


def _read_sheet(book: calamine.CalamineWorkbook, meta: calamine.SheetMetadata) -> Sheet:
    sheet = book.get_sheet_by_name(meta.name)
    start = sheet.start or (0, 0)
    grid = sheet.to_python(skip_empty_area=True) if sheet.start is not None else []
    rows: list[list[CellValue]] = [list(row) for row in grid]
    visible = meta.visible == calamine.SheetVisibleEnum.Visible
    merged = tuple(sheet.merged_cell_ranges or ())  # .ods: not reported by calamine
    return Sheet(meta.name, visible, rows, start[0], start[1], merged)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_xls(data: bytes) -> list[Sheet]:
    """An .xls's values by calamine, with what xlrd reads beside them (xls_layout.py): its
    merged ranges, hidden rows and columns, error values, misleading formats, and numbers that
    calamine took for dates. Runs in the isolated child (xlrd is imported there only)."""
    sheets = _read_sheets(data)
    layouts = xls_layout(data)
    for index, sheet in enumerate(sheets):
        layout = layouts.get(sheet.name)
        if layout is not None:
            undated(sheet.rows, sheet.first_row, sheet.first_col, layout)
            hidden, special = layout.hidden, layout.special
            sheets[index] = replace(sheet, merged=layout.merged, hidden=hidden, special=special)
    return sheets


_read_isolated = Isolated(_read_xls, seconds=XLS_SECONDS, memory=XLS_MEMORY)
