"""What an .ods says beside its values, and an .ods made readable to python-calamine.

calamine stops at anything but an element between the cells and rows of a table ("Expecting
'table-cell', found Text"): the whitespace of a pretty-printed content.xml (Gnumeric writes
one), a comment, a processing instruction. All are valid ODF and mean nothing, so they are
taken out before calamine reads the file (docs/upstream/calamine-ods-whitespace.md).

calamine reports neither merged ranges nor hidden rows and columns of an .ods: they are read
here from content.xml (`table:number-columns-spanned`, `table:visibility`), as for an .xlsx.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from jc315cli.problems.errors import unreadable
from jc315cli.read.preflight import Hidden
from jc315cli.read.xls_layout import Layout, Span

# A table or office element's tag (attribute values may hold ">"), then whitespace
_ATTRIBUTES = rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*"
LOOSE_AFTER = re.compile(rb"(</?(?:table|office):" + _ATTRIBUTES + rb">)\s+(?=<)")
LOOSE_BEFORE = re.compile(rb">\s+(?=</?(?:table|office):)")  # ("<" is never in a value)
ASIDE = re.compile(rb"<!--.*?-->|<\?(?!xml[\s?]).*?\?>", re.DOTALL)
UNTIDY = re.compile(
    rb"(?<!\?)>\s+<|<!--|<\?(?!xml[\s?])"
)  # (LibreOffice writes none: one fast scan)

T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
CELLS = (f"{T}table-cell", f"{T}covered-table-cell")


def tidied(content: bytes) -> bytes:
    """content.xml without the whitespace between table elements, comments and processing
    instructions (none of which is content)."""
    if not UNTIDY.search(content):
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


def ods_layout(content: bytes) -> dict[str, Layout]:
    """Each table's merged ranges and hidden rows and columns, by table name."""
    layouts: dict[str, Layout] = {}
    name, row, col, rows_here, column = "", 0, 0, 1, 0
    hidden_row = filled = False
    merged: list[Span] = []
    rows: set[int] = set()
    spans: list[tuple[int, int]] = []
    try:
        for event, element in ElementTree.iterparse(BytesIO(content), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{T}table":
                    name, row, column, merged, rows, spans = (
                        element.get(f"{T}name", ""),
                        0,
                        0,
                        [],
                        set(),
                        [],
                    )
                elif tag == f"{T}table-column":
                    repeat = _count(element, "number-columns-repeated")
                    if _hidden(element):
                        spans.append((column, column + repeat - 1))
                    column += repeat
                elif tag == f"{T}table-row":
                    col, rows_here, filled = 0, _count(element, "number-rows-repeated"), False
                    hidden_row = _hidden(element)
                continue
            if tag in CELLS:
                repeat = _count(element, "number-columns-repeated")
                down, across = (
                    _count(element, "number-rows-spanned"),
                    _count(element, "number-columns-spanned"),
                )
                filled = filled or _filled(element)
                if down > 1 or across > 1:  # (a spanned cell repeated: bounded by preflight)
                    for r in range(row, row + min(rows_here, 1024)):
                        merged.append(((r, col), (r + down - 1, col + across - 1)))
                col += repeat
                element.clear()
            elif tag == f"{T}table-row":
                if hidden_row and filled:  # (repeats of filled rows are bounded by preflight)
                    rows.update(range(row, row + rows_here))
                row += rows_here
                element.clear()
            elif tag == f"{T}table":
                hidden: Hidden = (frozenset(rows), tuple(spans))
                layouts[name] = Layout(tuple(merged), hidden)
    except ElementTree.ParseError:
        raise unreadable("sheet-xml") from None
    return layouts


def _count(element: Element, attribute: str) -> int:
    text = element.get(f"{T}{attribute}", "1")
    return max(int(text), 1) if text.isdigit() and len(text) < 8 else 1


def _hidden(element: Element) -> bool:
    return element.get(f"{T}visibility", "visible") != "visible"


def _filled(cell: Element) -> bool:
    return bool(cell.get(f"{OFFICE}value-type") or cell.get(f"{T}formula") or len(cell))
