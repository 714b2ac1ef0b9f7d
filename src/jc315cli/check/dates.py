"""Reading a 填报日期 however it was typed, and the stricter `--date` of the command line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from jc315cli.check.normalize import Finding

DATE_TEXT = re.compile(r"(\d{4})[年./\-](\d{1,2})[月./\-](\d{1,2})[日号]?")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
SERIALS = (20000, 80000)  # 1954 … 2119: a 5-digit number outside this is not a lost date


@dataclass(frozen=True)
class ParsedDate:
    value: date | None
    findings: tuple[Finding, ...] = ()


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_text_date(text: str) -> date | None:
    """`2023年3月20日`, `2023.3.20`, `2023-03-20`, `2023/3/20`, `20230320`; None otherwise."""
    cleaned = _clean(text)
    for pattern in (DATE_TEXT, COMPACT_DATE):
        match = pattern.fullmatch(cleaned)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def parse_filled_on(raw: Any) -> ParsedDate:
    """A 填报日期 from a date cell, a serial number that lost its format, or usual spellings."""
    if raw is None or (isinstance(raw, str) and not _clean(raw)):
        return ParsedDate(None, (Finding("date-missing"),))
    if isinstance(raw, datetime):
        return ParsedDate(raw.date())
    if isinstance(raw, date):
        return ParsedDate(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _from_serial(float(raw), str(raw))
    text = _clean(str(raw)).removeprefix("填报日期").lstrip(":")
    day = parse_text_date(text)
    if day is not None:
        return ParsedDate(day)
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_serial(float(text), str(raw))
    return _unreadable(str(raw))


def _from_serial(serial: float, raw: str) -> ParsedDate:
    if not (SERIALS[0] <= serial <= SERIALS[1]) or not serial.is_integer():
        return _unreadable(raw)
    day = EXCEL_EPOCH + timedelta(days=int(serial))
    return ParsedDate(
        day, (Finding("date-serial", {"serial": int(serial), "day": day.isoformat()}),)
    )


def _unreadable(raw: str) -> ParsedDate:
    # bounded and made visible where the message is made (problems.problem)
    return ParsedDate(None, (Finding("date-unreadable", {"raw": raw.strip()}),))
