"""填报日期 spellings, the Excel serial window, and the strict --date of the command line."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jc315cli.check.dates import EXCEL_EPOCH, SERIALS, parse_filled_on, parse_text_date


@pytest.mark.parametrize(
    ("raw", "expected", "code"),
    [
        (date(2023, 3, 20), date(2023, 3, 20), None),
        (datetime(2023, 3, 20, 9, 30), date(2023, 3, 20), None),
        ("2023年3月20日", date(2023, 3, 20), None),
        ("2023.3.20", date(2023, 3, 20), None),
        ("2023-03-20", date(2023, 3, 20), None),
        ("2023/3/20", date(2023, 3, 20), None),
        ("2023年3月20号", date(2023, 3, 20), None),
        ("20230320", date(2023, 3, 20), None),
        ("２０２３年３月２０日", date(2023, 3, 20), None),
        ("填报日期：2023年3月20日", date(2023, 3, 20), None),
        (" 2023 年 3 月 20 日 ", date(2023, 3, 20), None),
        (45005, date(2023, 3, 20), "date-serial"),
        (45005.0, date(2023, 3, 20), "date-serial"),
        ("45005", date(2023, 3, 20), "date-serial"),
        ("45005.0", date(2023, 3, 20), "date-serial"),
        (None, None, "date-missing"),
        ("", None, "date-missing"),
        ("  ", None, "date-missing"),
        ("三月二十日", None, "date-unreadable"),
        ("2023-02-30", None, "date-unreadable"),
        (12, None, "date-unreadable"),
        (45005.5, None, "date-unreadable"),
        ("45005.5", None, "date-unreadable"),
        (True, None, "date-unreadable"),
        ("2023-3", None, "date-unreadable"),
    ],
)
def test_filled_on_spellings(raw: object, expected: date | None, code: str | None) -> None:
    parsed = parse_filled_on(raw)
    assert parsed.value == expected
    assert [f.code for f in parsed.findings] == ([code] if code else [])


def test_serial_window_boundaries() -> None:
    low, high = SERIALS
    assert parse_filled_on(low).value == EXCEL_EPOCH + timedelta(days=low)
    assert parse_filled_on(high).value is not None
    assert parse_filled_on(low - 1).value is None and parse_filled_on(high + 1).value is None
    serial = parse_filled_on(45005).findings[0]
    assert serial.fields == {"serial": 45005, "day": "2023-03-20"}


def test_command_line_dates_are_never_serial_numbers() -> None:
    assert parse_text_date("2023-03-25") == date(2023, 3, 25)
    assert parse_text_date("2023年3月25日") == date(2023, 3, 25)
    assert parse_text_date("45005") is None and parse_text_date("2023-13-01") is None
    assert parse_text_date("下周一") is None


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.none(), st.text(), st.integers(), st.floats(), st.dates(), st.booleans()))
def test_date_parser_never_raises(raw: object) -> None:
    parsed = parse_filled_on(raw)
    assert parsed.value is not None or parsed.findings
