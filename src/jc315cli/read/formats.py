"""What a number format makes a cell show. python-calamine gives the stored value; a person sees
it through the cell's number format, and some formats show another number or none at all:
`;;;` shows nothing, `"12"` shows 12 whatever is stored, `0,` shows thousands, `0%` shows a
hundred times the value, `0` shows 3 for 3.4. Such a cell is flagged (in .xlsx, where the
formats can be read), because a number that is not what the person sees must not be counted.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from defusedxml import ElementTree

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
BUILT_IN = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    48: "##0.0E+0",
}
# The lookahead asks first what every match needs anyway, a <v> right after the tag, so that
# the tag of a text cell is not searched twice for its style (half the time of the search);
# tests/test_preflight_shortcuts.py holds the matches to the pattern without it.
NUMERIC_CELL = re.compile(
    rb"<(?:\w+:)?c\b(?=[^>]*>\s*<(?:\w+:)?v>)"
    rb"([^>]*?\bs=\"(\d{1,5})\"[^>]*)>\s*<(?:\w+:)?v>([^<]{1,40})</(?:\w+:)?v>"
)
REF = re.compile(rb"\br=\"([A-Z]{1,4})([0-9]{1,8})\"")
QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
LITERAL = re.compile(r'"([^"]*)"|\\(.)')  # text a format shows as it is
SECTION = re.compile(r'(?:"[^"]*"|\\.|\[[^\]]*\]|[^;])*')  # the first, for positive numbers


@lru_cache(maxsize=32)
def cell_formats(styles: bytes) -> tuple[str, ...]:
    """The number format of each cell style (cellXfs), by style index. Forms made from one
    template and saved by one program share their styles part byte for byte, so a batch parses
    each distinct one once."""
    if not styles:
        return ()
    try:
        root = ElementTree.fromstring(styles)
    except (ElementTree.ParseError, ValueError):
        return ()
    codes = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(f"{NS}numFmt")}
    xfs = root.find(f"{NS}cellXfs")
    if xfs is None:
        return ()
    out = []
    for xf in xfs.iter(f"{NS}xf"):
        number = int(xf.get("numFmtId", "0") or 0)
        out.append(codes.get(number, BUILT_IN.get(number, "")))
    return tuple(out)


@lru_cache(maxsize=256)
def _shown_places(code: str) -> str | int | None:
    """What a format does whatever the value: a reason it never shows the value, or the number
    of decimal places it shows, or None for a format that shows the value as it is."""
    plain = QUOTED.sub("", code)
    first = plain.split(";")[0]
    if not code or code.lower() == "general" or code == "@":
        return None
    if not re.search(r"[0#?]", first):
        return f"格式“{code}”不显示实际数值"
    section = SECTION.match(code)
    shown = "".join(a + b for a, b in LITERAL.findall(section.group(0) if section else code))
    if re.search(r"\d", shown):  # 5 in 0"0" shows as 50
        return f"格式“{code}”在数的旁边显示别的数字"
    if "%" in first:
        return f"格式“{code}”显示为百分比"
    if re.search(r"[0#?],+(?![0#?])", first):
        return f"格式“{code}”按千或百万缩放显示"
    if re.search(r"[eE][+-]", first) or "/" in first:
        return f"格式“{code}”显示为科学计数或分数"
    return len(re.findall(r"[0#?]", first.split(".", 1)[1])) if "." in first else 0


def misleading(code: str, value: str) -> str | None:
    """Why a cell with this format and stored value shows something else, or None."""
    shown = _shown_places(code)
    if shown is None or isinstance(shown, str):
        return shown
    if value.isdigit() and value.isascii():  # a whole number has no decimal places to hide
        return None  # (most numbers of a form; tests/test_worker_shortcuts.py holds it)
    return _hidden_places(code, shown, value)


def _hidden_places(code: str, shown: int, value: str) -> str | None:
    """Why the stored number has more decimal places than the format shows, or None."""
    try:  # the double the text stands for, as its shortest repr (82.05970000000001 is 82.0597)
        number = Decimal(repr(float(value)))
    except (InvalidOperation, ValueError):
        return None
    exponent = number.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > shown:
        return f"格式“{code}”只显示 {shown} 位小数，看到的数与实际的 {number} 不同"
    return None


def misleading_cells(sheet: bytes, formats: tuple[str, ...]) -> dict[tuple[int, int], str]:
    """(row, col), 0-based → why the numeric cell shows something other than its value."""
    found: dict[tuple[int, int], str] = {}
    if not formats:
        return found
    for attributes, style, value in NUMERIC_CELL.findall(sheet):
        index = int(style)
        if index >= len(formats) or b't="' in attributes and b't="n"' not in attributes:
            continue
        reason = misleading(formats[index], value.decode("ascii", "replace"))
        ref = REF.search(attributes)
        if reason and ref:
            found[(int(ref.group(2)) - 1, column_number(ref.group(1)) - 1)] = "~" + reason
    return found


def column_number(letters: bytes) -> int:
    """1-based column of a cell reference's letters: b"E" → 5, b"AA" → 27."""
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number
