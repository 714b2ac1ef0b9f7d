"""What an .ods says beside its values, and an .ods made readable to python-calamine.

calamine stops at anything but an element between the cells and rows of a table ("Expecting
'table-cell', found Text"): the whitespace of a pretty-printed content.xml (Gnumeric writes
one), a comment, a processing instruction. All are valid ODF and mean nothing, so they are
taken out before calamine reads the file (docs/upstream/README.md).

calamine reports neither merged ranges, hidden rows and columns nor number styles of an .ods:
they are read here from content.xml (`table:number-columns-spanned`, `table:visibility`, each
cell's style) and styles.xml (ods_formats.py), as for an .xlsx.
"""

from __future__ import annotations

import re
import zipfile
from bisect import bisect_right
from functools import lru_cache
from io import BytesIO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from jc315cli.problems.errors import unreadable
from jc315cli.read.ods_formats import OdsStyles
from jc315cli.read.preflight import Hidden, Special
from jc315cli.read.xls_layout import Layout, Span

# A table or office element's tag (attribute values may hold ">"), then whitespace
_ATTRIBUTES = rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*"
LOOSE_AFTER = re.compile(rb"(</?(?:table|office):" + _ATTRIBUTES + rb">)\s+(?=<)")
LOOSE_BEFORE = re.compile(rb">\s+(?=</?(?:table|office):)")  # ("<" is never in a value)
ASIDE = re.compile(rb"<!--.*?-->|<\?(?!xml[\s?]).*?\?>", re.DOTALL)
# What tidied() takes out, each looked for on its own: one alternation of them, led by a
# look-behind, was scanned a character at a time (0.8 ms for LibreOffice's 43 KB content.xml).
SPACED = re.compile(rb">\s+<")  # … unless the ">" ends the XML declaration ("?>")
INSTRUCTION = re.compile(rb"<\?(?!xml[\s?])")


def _untidy(content: bytes) -> bool:
    """Whether content.xml has whitespace between tags, a comment or a processing instruction
    (LibreOffice writes none)."""
    if b"<!--" in content or INSTRUCTION.search(content):
        return True
    return any(
        m.start() == 0 or content[m.start() - 1] != ord("?") for m in SPACED.finditer(content)
    )


T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
CELLS = (f"{T}table-cell", f"{T}covered-table-cell")
NUMERIC = ("float", "percentage", "currency")  # (a date, time or boolean is read as such)


def tidied(content: bytes) -> bytes:
    """content.xml without the whitespace between table elements, comments and processing
    instructions (none of which is content)."""
    if not _untidy(content):
        return content
    return LOOSE_BEFORE.sub(b">", LOOSE_AFTER.sub(rb"\1", ASIDE.sub(b"", content)))


def readable(data: bytes) -> tuple[bytes, bytes]:
    """The .ods's bytes as calamine can read them, and its tidied content.xml. Called after
    preflight has inflated and checked every member, so reading them again is bounded."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        content = archive.read("content.xml")
        clean = tidied(content)
        if clean == content:
            return data, content
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in archive.infolist():
                body = clean if info.filename == "content.xml" else archive.read(info)
                stored = info.filename == "mimetype"
                copy.writestr(info.filename, body, zipfile.ZIP_STORED if stored else None)
    return out.getvalue(), clean


def ods_layout(content: bytes, styles: bytes = b"") -> dict[str, Layout]:
    """Each table's merged ranges, hidden rows and columns, and values shown through a number
    style as another number, by table name."""
    layouts: dict[str, Layout] = {}
    try:
        found = _common_styles(styles).copy() if styles else OdsStyles()
        table = _Table("", found)
        for event, element in ElementTree.iterparse(BytesIO(content), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{T}table":
                    table = _Table(element.get(f"{T}name", ""), found)
                elif tag == f"{T}table-column":
                    table.column(element)
                elif tag == f"{T}table-row":
                    table.row_starts(element)
                continue
            if tag in CELLS:
                table.cell(element)
            elif tag == f"{T}table-row":
                table.row_ends()
            elif tag == f"{T}table":
                layouts[table.name] = table.layout()
            elif not found.take(element):
                continue
            element.clear()
    except ElementTree.ParseError:
        raise unreadable("sheet-xml") from None
    return layouts


@lru_cache(maxsize=8)
def _common_styles(styles: bytes) -> OdsStyles:
    """The common styles (a cell's parent style, Gnumeric's number styles) of styles.xml, read
    once for the forms of one template, which share the part byte for byte (1 ms a form)."""
    found = OdsStyles()
    for _event, element in ElementTree.iterparse(BytesIO(styles)):
        if found.take(element):
            element.clear()
    return found


class _Table:
    """One table as the walk goes through it: where it is, and what it has found."""

    def __init__(self, name: str, styles: OdsStyles) -> None:
        self.name, self.styles = name, styles
        self.row = self.col = self.next_column = 0
        self.rows_here, self.hidden_row, self.filled = 1, False, False
        self.row_style: str | None = None
        self.merged: list[Span] = []
        self.rows: set[int] = set()
        self.spans: list[tuple[int, int]] = []
        self.starts: list[int] = []  # first column of each table-column element …
        self.defaults: list[str | None] = []  # … and its default cell style
        self.special: Special = {}

    def column(self, element: Element) -> None:
        repeat = _count(element, "number-columns-repeated")
        if _hidden(element):
            self.spans.append((self.next_column, self.next_column + repeat - 1))
        self.starts.append(self.next_column)
        self.defaults.append(element.get(f"{T}default-cell-style-name"))
        self.next_column += repeat

    def row_starts(self, element: Element) -> None:
        self.col, self.filled = 0, False
        self.rows_here = _count(element, "number-rows-repeated")
        self.hidden_row = _hidden(element)
        self.row_style = element.get(f"{T}default-cell-style-name")

    def row_ends(self) -> None:
        if self.hidden_row and self.filled:  # (repeats of filled rows are bounded by preflight)
            self.rows.update(range(self.row, self.row + self.rows_here))
        self.row += self.rows_here

    def cell(self, cell: Element) -> None:
        repeat = _count(cell, "number-columns-repeated")
        down, across = _count(cell, "number-rows-spanned"), _count(cell, "number-columns-spanned")
        self.filled = self.filled or _filled(cell)
        if down > 1 or across > 1:  # (a spanned cell repeated: bounded by preflight)
            for r in range(self.row, self.row + min(self.rows_here, 1024)):
                self.merged.append(((r, self.col), (r + down - 1, self.col + across - 1)))
        value = cell.get(f"{OFFICE}value")
        if value is not None and cell.get(f"{OFFICE}value-type") in NUMERIC:
            self._shown_as(cell, value, repeat)
        self.col += repeat

    def _shown_as(self, cell: Element, value: str, repeat: int) -> None:
        """Mark the cell (and its repeats) when its number style shows another number. Its
        style is its own, else its row's default, else its column's."""
        style = cell.get(f"{T}style-name") or self.row_style
        if style is None:
            at = bisect_right(self.starts, self.col) - 1
            style = self.defaults[at] if at >= 0 else None
        reason = self.styles.reason(style, value)
        if reason:  # (repeats of non-empty cells are bounded by preflight)
            for r in range(self.row, self.row + self.rows_here):
                for c in range(self.col, self.col + repeat):
                    self.special[(r, c)] = "~" + reason

    def layout(self) -> Layout:
        hidden: Hidden = (frozenset(self.rows), tuple(self.spans))
        return Layout(tuple(self.merged), hidden, self.special)


def _count(element: Element, attribute: str) -> int:
    text = element.get(f"{T}{attribute}", "1")
    return max(int(text), 1) if text.isascii() and text.isdigit() and len(text) < 8 else 1


def _hidden(element: Element) -> bool:
    return element.get(f"{T}visibility", "visible") != "visible"


def _filled(cell: Element) -> bool:
    return bool(cell.get(f"{OFFICE}value-type") or cell.get(f"{T}formula") or len(cell))
