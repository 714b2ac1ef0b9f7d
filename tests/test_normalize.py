"""The value normalizer: the issue's table row by row, and a property test."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jc315cli.form import DEFAULT_FORM
from jc315cli.normalize import normalize_value, parse_filled_on
from jc315cli.report import Severity

COUNT = DEFAULT_FORM.item("1")  # 场次
CASES = DEFAULT_FORM.item("4")  # 件
MONEY = DEFAULT_FORM.item("5")  # 万元


def codes(result):
    return [f.code for f in result.findings]


@pytest.mark.parametrize(
    ("raw", "item", "value"),
    [
        (12, COUNT, 12), (12.0, COUNT, 12), ("12", COUNT, 12), ("１２", COUNT, 12), ("1,200", CASES, 1200),
        ("12场", COUNT, 12), ("12场次", COUNT, 12), ("12件", CASES, 12), (" 12 ", COUNT, 12), ("+5", COUNT, 5),
        ("3.5", MONEY, Decimal("3.5")), (3.5, MONEY, Decimal("3.5")), ("3.5万元", MONEY, Decimal("3.5")),
        ("3.5万", MONEY, Decimal("3.5")), ("９．８７", MONEY, Decimal("9.87")), ("9。87", MONEY, Decimal("9.87")),
        ("1.23450", MONEY, Decimal("1.2345")), ("0", COUNT, 0), (0, MONEY, Decimal(0)), (28.635, MONEY, Decimal("28.635")),
    ],
)
def test_accepted_without_comment(raw, item, value):
    result = normalize_value(raw, item)
    assert result.value == value and type(result.value) is type(value)
    assert result.findings == ()


def test_float_becomes_decimal_through_its_shortest_repr():
    # Decimal(0.1) would be 0.1000000000000000055511151231257827…
    assert normalize_value(0.1, MONEY).value == Decimal("0.1")
    assert str(normalize_value(1.2345, MONEY).value) == "1.2345"


def test_yuan_in_the_money_row_is_converted_with_a_warning():
    result = normalize_value("5000元", MONEY)
    assert result.value == Decimal("0.5")
    assert result.findings[0].severity is Severity.WARNING and result.findings[0].code == "unit-converted"
    assert "0.5 万元" in result.findings[0].message


@pytest.mark.parametrize("raw", ["无", "/", "-", "—", "——", "／"])
def test_none_and_dashes_are_zero_with_a_note(raw):
    result = normalize_value(raw, CASES)
    assert result.value == 0 and codes(result) == ["written-as-none"]
    assert result.findings[0].severity is Severity.INFO


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_blank_is_zero_with_a_warning(raw):
    result = normalize_value(raw, CASES)
    assert result.value == 0 and codes(result) == ["blank"]
    assert result.findings[0].message == "未填写，按 0 计"


@pytest.mark.parametrize(
    ("raw", "item", "code"),
    [
        ("3.5", CASES, "not-whole"), (3.5, CASES, "not-whole"), (-3, CASES, "negative"), ("-3", CASES, "negative"),
        ("-0.5", MONEY, "negative"), ("约50", CASES, "approximate"), ("50余", CASES, "approximate"),
        ("若干", CASES, "approximate"), ("50多", CASES, "approximate"), ("十几件", CASES, "not-a-number"),
        ("abc", CASES, "not-a-number"), ("12元", CASES, "wrong-measure"), ("12万元", COUNT, "wrong-measure"),
        ("12件", COUNT, "wrong-measure"), ("12个", CASES, "not-a-number"), ("1.23456", MONEY, "too-many-decimals"),
        (1.23456, MONEY, "too-many-decimals"), ("12345.6元", MONEY, "too-many-decimals"), (True, CASES, "not-a-number"),
        (datetime(2023, 3, 1), CASES, "not-a-number"), (1e30, MONEY, "too-large"), (float("nan"), MONEY, "not-a-number"),
        ("1,2", CASES, "not-a-number"),
    ],
)
def test_rejected_with_a_hint(raw, item, code):
    result = normalize_value(raw, item)
    assert result.value is None and codes(result) == [code]
    assert result.findings[0].severity is Severity.ERROR and result.findings[0].hint


@pytest.mark.parametrize(
    ("raw", "expected", "code"),
    [
        (date(2023, 3, 20), date(2023, 3, 20), None), (datetime(2023, 3, 20, 9, 30), date(2023, 3, 20), None),
        ("2023年3月20日", date(2023, 3, 20), None), ("2023.3.20", date(2023, 3, 20), None),
        ("2023-03-20", date(2023, 3, 20), None), ("2023/3/20", date(2023, 3, 20), None),
        ("２０２３年３月２０日", date(2023, 3, 20), None), (45005, date(2023, 3, 20), "date-serial"),
        (45005.0, date(2023, 3, 20), "date-serial"), (None, None, "date-missing"),
        ("三月二十日", None, "date-unreadable"), ("2023-02-30", None, "date-unreadable"), (12, None, "date-unreadable"),
    ],
)
def test_filled_on_spellings(raw, expected, code):
    parsed = parse_filled_on(raw)
    assert parsed.value == expected
    assert [f.code for f in parsed.findings] == ([code] if code else [])


cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(), st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.builds(lambda n, s: f"{n}{s}", st.integers(-10**6, 10**20), st.sampled_from(["", "元", "万元", "万", "件", "场", "次", "余", ".5", "，", "．３"])),
    st.dates(), st.datetimes(),
)


@settings(max_examples=500, deadline=None)
@given(raw=cell_values, item=st.sampled_from(DEFAULT_FORM.items))
def test_normalizer_never_raises_and_accepts_only_exact_non_negative(raw, item):
    result = normalize_value(raw, item)
    assert result.findings or result.value is not None
    if result.value is None:
        assert any(f.severity is Severity.ERROR for f in result.findings)
        return
    assert not any(f.severity is Severity.ERROR for f in result.findings)
    assert result.value >= 0
    if item.kind.value == "money":
        assert type(result.value) is Decimal and result.value.is_finite()
        assert result.value == result.value.quantize(Decimal("0.0001"))
        assert "E" not in str(result.value)
    else:
        assert type(result.value) is int


@settings(max_examples=300, deadline=None)
@given(raw=cell_values)
def test_date_parser_never_raises(raw):
    parsed = parse_filled_on(raw)
    assert parsed.value is not None or parsed.findings
