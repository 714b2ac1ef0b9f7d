"""What an .ods's number styles make a cell show, judged as the formats of an .xlsx are.

calamine gives an .ods cell's stored value, never its number style. A style is written out in
elements (`<number:number number:decimal-places="2"/>`, `<number:text>`, `style:map` for the
style shown when a condition on the value holds) rather than as a code; each is turned here
into the code LibreOffice shows for it in its format dialog (`0.00`, `#,##0`, `0%`, `0,`), so
formats.py's one judgement, with its one wording, applies to .ods as to .xlsx and .xls.

The styles come from content.xml's automatic styles and styles.xml's common ones, read by the
bounded walk of ods_layout.py (members already inflated under a cap by zipped.py).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from jc315cli.read.formats import misleading

NUMBER = "{urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DATA_STYLES = {
    f"{NUMBER}{kind}-style"
    for kind in ("number", "percentage", "currency", "date", "time", "boolean", "text")
}
# Parts of a date or time: shown as such, never as the number (no digit placeholder in them)
TEMPORAL = {"year": "YYYY", "month": "MM", "day": "DD", "day-of-week": "NN", "quarter": "Q"}
TEMPORAL |= {"week-of-year": "WW", "era": "GG", "hours": "HH", "minutes": "MM"}
TEMPORAL |= {"seconds": "SS", "am-pm": "AM/PM"}
CONDITION = re.compile(r"\s*value\(\)\s*(<=|>=|!=|<>|<|>|=)\s*(-?[0-9.]+(?:[eE][+-]?[0-9]+)?)\s*")
COMPARE = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}
COMPARE |= {"=": operator.eq, "!=": operator.ne, "<>": operator.ne}
# A map leads to a style that may have maps of its own: LibreOffice writes one level, and three
# maps at most (a format's four sections); no more are followed, so a cell costs a few checks.
MAPS_FOLLOWED, MAPS_READ = 1, 3


@dataclass(frozen=True)
class DataStyle:
    """A number style: its code (None where the number is shown as it is: LibreOffice's
    “General”, a text style) and its maps, (condition, style name) in the file's order."""

    code: str | None
    maps: tuple[tuple[str, str], ...] = ()


@dataclass
class OdsStyles:
    """The number styles of an .ods, and its cell styles' data styles and parents."""

    data: dict[str, DataStyle] = field(default_factory=dict)
    cells: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    default_cell: str | None = None  # the data style of `style:default-style` for cells

    def copy(self) -> OdsStyles:
        """Another, to which a file's own automatic styles can be added."""
        return OdsStyles(dict(self.data), dict(self.cells), self.default_cell)

    def take(self, element: Element) -> bool:
        """Keep what a style element (at its end, children read) says; False for any other."""
        tag = element.tag
        if tag in DATA_STYLES:
            self.data[element.get(f"{STYLE}name", "")] = _data_style(element)
        elif tag == f"{STYLE}style":
            family, name = element.get(f"{STYLE}family"), element.get(f"{STYLE}name", "")
            if family == "table-cell":
                parent = element.get(f"{STYLE}parent-style-name")
                self.cells[name] = (element.get(f"{STYLE}data-style-name"), parent)
        elif tag == f"{STYLE}default-style":
            if element.get(f"{STYLE}family") == "table-cell":
                self.default_cell = element.get(f"{STYLE}data-style-name")
        else:
            return False
        return True

    def data_style(self, cell_style: str | None) -> str | None:
        """The data style a cell of this style shows its value through, parents followed."""
        for _ in range(8):  # (a loop of parents in a damaged file ends here)
            if cell_style is None or cell_style not in self.cells:
                break
            data, cell_style = self.cells[cell_style]
            if data is not None:
                return data
        return self.default_cell

    def reason(self, cell_style: str | None, value: str) -> str | None:
        """Why a number stored as `value` shows as something else in a cell of this style.
        The style judged is the one for positive numbers, as the first section of an .xlsx
        format is: a zero shown as “-” or as nothing by an accounting style is no other
        number (and a negative number is refused whatever its style)."""
        name = self.data_style(cell_style)
        if name is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        positive = number if number.is_finite() and number > 0 else Decimal(1)
        return self._reason(name, value, positive, MAPS_FOLLOWED)

    def _reason(self, name: str, value: str, positive: Decimal, depth: int) -> str | None:
        style = self.data.get(name)
        if style is None:  # no such style: shown as LibreOffice shows a number by default
            return None
        for condition, target in style.maps[:MAPS_READ] if depth else ():
            holds = _holds(condition, positive)
            if holds is None:  # a condition not understood: the style it leads to may show
                found = self._reason(target, value, positive, depth - 1)
                if found:
                    return found
            elif holds:
                return self._reason(target, value, positive, depth - 1)
        return None if style.code is None else misleading(style.code, value)


def _holds(condition: str, number: Decimal) -> bool | None:
    """Whether `value()>=0` and the like hold for the number; None for any other condition."""
    match = CONDITION.fullmatch(condition)
    if match is None:
        return None
    try:
        return bool(COMPARE[match.group(1)](number, Decimal(match.group(2))))
    except InvalidOperation:
        return None


def _data_style(element: Element) -> DataStyle:
    maps = tuple(
        (part.get(f"{STYLE}condition", ""), part.get(f"{STYLE}apply-style-name", ""))
        for part in element.findall(f"{STYLE}map")
    )
    kind = element.tag[len(NUMBER) : -len("-style")]
    codes: list[str] = []
    for part in element:
        local = part.tag[len(NUMBER) :] if part.tag.startswith(NUMBER) else ""
        if local == "number":
            digits = _digits(part)
            if digits is None:  # no decimal places given: LibreOffice's “General”
                return DataStyle(None, maps)
            codes.append(digits)
        elif local == "scientific-number":
            codes.append("0" + _places(part) + "E+00")
        elif local == "fraction":
            codes.append("# ?/?")
        elif local == "text":
            codes.append(_literal(part.text or "", kind == "percentage"))
        elif local == "currency-symbol":
            codes.append(f"[${part.text or ''}]")
        elif local == "text-content":
            codes.append("@")
        elif local == "boolean":
            codes.append("BOOLEAN")
        elif local in TEMPORAL:
            codes.append(TEMPORAL[local])
    code = "".join(codes) or '""'  # (nothing but empty text: the number is not shown)
    return DataStyle(None if kind == "text" or code == "@" else code, maps)


def _digits(number: Element) -> str | None:
    """`<number:number>` as a code: 0 or # per integer digit, grouping, decimal places (the
    most shown, `0` for those always shown), and a comma per thousand it divides by."""
    places = number.get(f"{NUMBER}decimal-places")
    factor = _decimal(number.get(f"{NUMBER}display-factor", "1"))
    if places is None and factor == 1:
        return None
    whole = "0" * _count(number.get(f"{NUMBER}min-integer-digits", "1")) or "#"
    if number.get(f"{NUMBER}grouping") == "true":
        whole = "#,##" + whole
    scaled = "" if factor == 1 else "," * min(max(1, factor.adjusted() // 3), 9)
    return whole + _places(number) + scaled


def _places(number: Element) -> str:
    most = _count(number.get(f"{NUMBER}decimal-places", "0"))
    least = min(_count(number.get(f"{NUMBER}min-decimal-places", str(most))), most)
    return "." + "0" * least + "#" * (most - least) if most else ""


def _literal(text: str, percentage: bool) -> str:
    """Text shown as it is, quoted; the % of a percentage style (which multiplies by 100)
    left unquoted, as in its code."""
    quoted = '"' + text.replace('"', "") + '"' if text else ""
    if percentage and "%" in text:
        return "%".join(_literal(piece, False) for piece in text.split("%"))
    return quoted


def _decimal(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return Decimal(1)
    return number if number.is_finite() and number != 0 else Decimal(1)


def _count(text: str) -> int:
    """A count of digits, at most 30: a style that asks for more shows every digit anyway."""
    if not (text.isascii() and text.isdigit()):
        return 0
    return 30 if len(text.lstrip("0")) > 2 else min(int(text), 30)
