"""The value normalizer: the README's table row by row, every boundary, and property tests.

These tests are also what mutation testing (docs/testing.md) measures: each rejection is
checked by its code, each accepted value by value *and* type, each boundary on both sides.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jc315cli.check.normalize import MAX_DIGITS, Normalized, canonical_money, normalize_value, plain
from jc315cli.model.builtin import DEFAULT_CAMPAIGN, DEFAULT_FORM
from jc315cli.model.form import Conversion, FormSpec, Item, Measure, ValueKind
from jc315cli.problems.registry import problem
from jc315cli.problems.report import Problem, Severity

UNITS = DEFAULT_FORM.units()
CONTEXT = DEFAULT_CAMPAIGN.text_fields()
COUNT = DEFAULT_FORM.item("1")  # 场次 (suffix 场)
CASES = DEFAULT_FORM.item("4")  # 件
MONEY = DEFAULT_FORM.item("5")  # 万元 (suffix 万, 元 converts × 0.0001)


def normalize(raw: object, item: Item = CASES, form: FormSpec = DEFAULT_FORM) -> Normalized:
    return normalize_value(raw, form.measure_of(item), form.units())


def codes(result: Normalized) -> list[str]:
    return [f.code for f in result.findings]


def rendered(result: Normalized) -> Problem:
    """The first finding as the problem a person reads (with the campaign's wording)."""
    finding = result.findings[0]
    return problem(finding.code, **{**CONTEXT, **finding.fields})


@pytest.mark.parametrize(
    ("raw", "item", "value"),
    [
        (12, COUNT, 12),
        (12.0, COUNT, 12),
        ("12", COUNT, 12),
        ("１２", COUNT, 12),
        ("1,200", CASES, 1200),
        ("12,000,000", CASES, 12000000),
        ("12场", COUNT, 12),
        ("12场次", COUNT, 12),
        ("12件", CASES, 12),
        (" 12 ", COUNT, 12),
        ("12 件", CASES, 12),
        ("+5", COUNT, 5),
        ("-0", CASES, 0),
        ("0", COUNT, 0),
        ("3.5", MONEY, Decimal("3.5")),
        (3.5, MONEY, Decimal("3.5")),
        ("3.5万元", MONEY, Decimal("3.5")),
        ("3.5万", MONEY, Decimal("3.5")),
        ("９．８７", MONEY, Decimal("9.87")),
        ("9。87", MONEY, Decimal("9.87")),
        ("1.23450", MONEY, Decimal("1.2345")),
        (0, MONEY, Decimal(0)),
        (28.635, MONEY, Decimal("28.635")),
        (".5", MONEY, Decimal("0.5")),
        ("1.2345", MONEY, Decimal("1.2345")),
        ("100", MONEY, Decimal(100)),
        ("999999999999999", CASES, 10**15 - 1),
        (10**15 - 1, CASES, 10**15 - 1),
        ("99999999999.9999", MONEY, Decimal("99999999999.9999")),
    ],
)
def test_accepted_without_comment(raw: object, item: Item, value: int | Decimal) -> None:
    result = normalize(raw, item)
    assert result.value == value and type(result.value) is type(value)
    assert result.findings == () and result.accepted


def test_money_is_canonical_never_exponent_notation() -> None:
    assert str(normalize("100", MONEY).value) == "100"
    assert str(normalize("3.50", MONEY).value) == "3.5"
    assert str(normalize("0.0000", MONEY).value) == "0"
    assert str(normalize(1e5, MONEY).value) == "100000"
    assert str(canonical_money(Decimal("1E+2"), 4)) == "100"
    assert str(canonical_money(Decimal("2.50"), 2)) == "2.5"
    assert (
        plain(Decimal("5E-1")) == "0.5"
        and plain(Decimal("12.000")) == "12"
        and plain(Decimal(120)) == "120"
    )


def test_float_becomes_decimal_through_its_shortest_repr() -> None:
    # Decimal(0.1) would be 0.1000000000000000055511151231257827…
    assert normalize(0.1, MONEY).value == Decimal("0.1")
    assert str(normalize(1.2345, MONEY).value) == "1.2345"


def test_yuan_in_the_money_row_is_converted_with_a_warning() -> None:
    result = normalize("5000元", MONEY)
    assert result.value == Decimal("0.5") and type(result.value) is Decimal
    assert result.findings[0].severity is Severity.WARNING and codes(result) == ["unit-converted"]
    assert rendered(result).message == "“5000元”按元填写，已换算为 0.5 万元"
    assert normalize("12345元", MONEY).value == Decimal("1.2345")
    assert codes(normalize("123456.7元", MONEY)) == [
        "too-many-decimals"
    ]  # 12.34567 万元: under 1 元


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("无", "无"),
        ("没有", "无"),
        ("暂无", "无"),
        ("/", "横线或斜线"),
        ("-", "横线或斜线"),
        ("—", "横线或斜线"),
        ("——", "横线或斜线"),
        ("／", "横线或斜线"),
        ("一一", "横线或斜线"),
        ("--", "横线或斜线"),
    ],
)
def test_none_and_dashes_are_zero_with_a_note(raw: str, shown: str) -> None:
    result = normalize(raw, CASES)
    assert result.value == 0 and type(result.value) is int and codes(result) == ["written-as-none"]
    assert result.findings[0].severity is Severity.INFO
    assert rendered(result).message == f"填写为{shown}，按 0 计"
    money = normalize(raw, MONEY)
    assert money.value == Decimal(0) and type(money.value) is Decimal


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\t\n"])
def test_blank_is_zero_with_a_warning(raw: str | None) -> None:
    result = normalize(raw, CASES)
    assert result.value == 0 and type(result.value) is int and codes(result) == ["blank"]
    assert result.findings[0].severity is Severity.WARNING
    assert rendered(result).message == "未填写，按 0 计"
    money = normalize(raw, MONEY)
    assert money.value == Decimal(0) and type(money.value) is Decimal and codes(money) == ["blank"]


@pytest.mark.parametrize(
    ("raw", "item", "code"),
    [
        ("3.5", CASES, "not-whole"),
        (3.5, CASES, "not-whole"),
        (".5", CASES, "not-whole"),
        (-3, CASES, "negative"),
        ("-3", CASES, "negative"),
        ("-0.5", MONEY, "negative"),
        (-0.5, MONEY, "negative"),
        ("约50", CASES, "approximate"),
        ("50余", CASES, "approximate"),
        ("若干", CASES, "approximate"),
        ("50多", CASES, "approximate"),
        ("50左右", CASES, "approximate"),
        ("近50", CASES, "approximate"),
        ("50~60", CASES, "approximate"),
        ("不到50", CASES, "approximate"),
        ("50以上", CASES, "approximate"),
        ("十几件", CASES, "not-arabic"),
        ("十二", CASES, "not-arabic"),
        ("〇", CASES, "not-arabic"),
        ("abc", CASES, "not-a-number"),
        (".", CASES, "not-a-number"),
        ("12个", CASES, "not-a-number"),
        ("1,2", CASES, "not-a-number"),
        ("1.2.3", MONEY, "not-a-number"),
        ("万元", MONEY, "not-arabic"),
        ("12元", CASES, "wrong-measure"),
        ("12万元", COUNT, "wrong-measure"),
        ("12件", COUNT, "wrong-measure"),
        ("12场", CASES, "wrong-measure"),
        ("3.5件", MONEY, "wrong-measure"),
        ("1.23456", MONEY, "too-many-decimals"),
        (1.23456, MONEY, "too-many-decimals"),
        ("12345.6元", MONEY, "too-many-decimals"),
        (True, CASES, "logical-value"),
        (False, MONEY, "logical-value"),
        (datetime(2023, 3, 1), CASES, "date-cell"),
        (date(2023, 3, 1), MONEY, "date-cell"),
        (time(9, 30), CASES, "date-cell"),
        (timedelta(hours=1), CASES, "date-cell"),
        (1e30, MONEY, "too-large"),
        (10**15, CASES, "too-large"),
        ("1000000000000000", CASES, "too-large"),
        ("123456789012345.6", MONEY, "too-large"),
        (float("nan"), MONEY, "not-a-number"),
        (float("inf"), CASES, "not-a-number"),
        ("1 2", CASES, "spaced-digits"),
        ("1\u00a02", CASES, "spaced-digits"),
        ("1\u20092", CASES, "spaced-digits"),
        ("1 ,200", CASES, "spaced-digits"),
        ("3. 5", MONEY, "spaced-digits"),
        ("1\u3000000", CASES, "spaced-digits"),
        ("¹²", CASES, "odd-digit"),
        ("⑫", CASES, "odd-digit"),
        ("١٢", CASES, "odd-digit"),
        ("Ⅻ", CASES, "odd-digit"),
        ("1½", MONEY, "odd-digit"),
        ("1\u200b2", CASES, "invisible-char"),
        ("\ufeff12", CASES, "invisible-char"),
        ("12\x1b[2J", CASES, "invisible-char"),
    ],
)
def test_rejected_with_a_hint(raw: object, item: Item, code: str) -> None:
    result = normalize(raw, item)
    assert result.value is None and not result.accepted and codes(result) == [code]
    assert result.findings[0].severity is Severity.ERROR
    shown = rendered(result)
    assert shown.message and shown.hint


def test_messages_name_what_was_found() -> None:
    assert rendered(normalize("约50")).message == "“约50”是约数，不是确切数字"
    assert (
        "晋城市市场监督管理局" in rendered(normalize("约50")).hint
    )  # the campaign's organizer, not 市局
    assert rendered(normalize("3.5")).message == "3.5 不是整数，本项以“件”计"
    assert rendered(normalize("-3")).message == "-3 是负数"
    assert rendered(normalize("12元")).message == "“12元”的单位与本项的单位（件）不符"
    assert rendered(normalize("1.23456", MONEY)).message == "1.23456 万元有 5 位小数，超过 4 位"
    assert rendered(normalize("1 2")).message == "“1 2”的数字之间有空格，无法确定是哪个数"
    assert rendered(normalize("⑫")).message == "“⑫”中的“⑫”（U+246B）不是普通数字"
    message = rendered(normalize("1\u200b2")).message
    assert message == "“1<U+200B>2”含有不可见字符 U+200B" and "\u200b" not in message
    assert rendered(normalize(True)).message == "单元格是逻辑值 TRUE，不是数字"
    assert rendered(normalize(10**15)).message == "“1000000000000000”位数过多，不像是实际统计数"


def test_messages_show_invisible_characters_by_code_point() -> None:
    # Through normalize_value, wherever `visible` itself lives: a message never hides a
    # character inside its quotes, nor sends an escape sequence to a terminal.
    hidden = normalize("a\u200bb\x1bc").findings[0]
    assert hidden.code == "invisible-char" and hidden.fields["raw"] == "a<U+200B>b<U+001B>c"
    plain_text = normalize("普通文字 12").findings[0]
    assert plain_text.code == "not-a-number" and plain_text.fields["raw"] == "普通文字 12"


@pytest.mark.parametrize(
    ("raw", "shown", "codepoint"),
    [
        ("1\ue0002", "1<U+E000>2", "U+E000"),
        ("12\U000f0000", "12<U+F0000>", "U+F0000"),
        ("1\u03782", "1<U+0378>2", "U+0378"),
    ],
)
def test_private_use_and_unassigned_characters_are_invisible(
    raw: str, shown: str, codepoint: str
) -> None:
    # Private use (Co) and unassigned (Cn) code points show no glyph a person could read back:
    # rejected, and named by code point in the message, never printed as they are.
    result = normalize(raw)
    assert result.value is None and codes(result) == ["invisible-char"]
    assert dict(result.findings[0].fields) == {"raw": shown, "codepoint": codepoint}


def test_digit_count_boundary() -> None:
    assert normalize("9" * MAX_DIGITS).value == int("9" * MAX_DIGITS)
    assert codes(normalize("9" * (MAX_DIGITS + 1))) == ["too-large"]
    assert normalize("9" * 11 + ".9999", MONEY).value == Decimal("9" * 11 + ".9999")  # 15 digits
    assert codes(normalize("9" * 12 + ".9999", MONEY)) == ["too-large"]  # 16 digits
    assert codes(normalize("1,000,000,000,000,000")) == ["too-large"]  # separators do not count


@pytest.mark.parametrize(
    ("raw", "item", "code", "fields"),
    [
        (True, CASES, "logical-value", {"raw": "TRUE"}),
        (False, CASES, "logical-value", {"raw": "FALSE"}),
        (date(2023, 3, 1), CASES, "date-cell", {"raw": "2023-03-01"}),
        (time(9, 30), MONEY, "date-cell", {"raw": "09:30:00"}),
        (float("nan"), MONEY, "not-a-number", {"raw": "nan"}),
        (float("-inf"), CASES, "not-a-number", {"raw": "-inf"}),
        (" 十二 ", CASES, "not-arabic", {"raw": "十二"}),
        (" abc ", CASES, "not-a-number", {"raw": "abc"}),
        ("12个", CASES, "not-a-number", {"raw": "12个"}),
        ("9" * 16, CASES, "too-large", {"raw": "9" * 16}),
        (10**15, CASES, "too-large", {"raw": "1000000000000000"}),
        ("约50", CASES, "approximate", {"raw": "约50"}),
        ("1 2", CASES, "spaced-digits", {"raw": "1 2"}),
        ("⑫", CASES, "odd-digit", {"raw": "⑫", "char": "⑫", "codepoint": "U+246B"}),
        ("1\u200b2", CASES, "invisible-char", {"raw": "1<U+200B>2", "codepoint": "U+200B"}),
        ("12元", CASES, "wrong-measure", {"raw": "12元", "measure": "件"}),
        ("-3", CASES, "negative", {"number": "-3"}),
        ("3.5", CASES, "not-whole", {"number": "3.5", "measure": "件"}),
        (
            "1.23456",
            MONEY,
            "too-many-decimals",
            {"number": "1.23456", "measure": "万元", "places": 5, "max_places": 4},
        ),
        (
            "5000元",
            MONEY,
            "unit-converted",
            {"raw": "5000元", "unit": "元", "number": "0.5", "measure": "万元"},
        ),
        ("暂无", CASES, "written-as-none", {"shown": "无"}),
        ("—", MONEY, "written-as-none", {"shown": "横线或斜线"}),
        (None, CASES, "blank", {}),
    ],
)
def test_findings_carry_what_was_typed(
    raw: object, item: Item, code: str, fields: dict[str, object]
) -> None:
    # The fields fill the message and the JSON report: what was typed, trimmed and made visible.
    result = normalize(raw, item)
    assert codes(result) == [code] and dict(result.findings[0].fields) == fields


@pytest.mark.parametrize(
    ("raw", "item"),
    [("元", MONEY), ("件", CASES), ("场次", COUNT), ("+", CASES), ("-元", MONEY)],
)
def test_a_unit_or_sign_without_digits_is_not_a_number(raw: str, item: Item) -> None:
    # Never read as 0: a unit alone means the number itself was left out.
    result = normalize(raw, item)
    assert result.value is None and codes(result) == ["not-a-number"]


def test_canonical_money_keeps_whole_tens_without_exponent() -> None:
    # normalize() turns 10 into 1E+1: the exponent 1 must be undone just like 2 or more.
    assert str(canonical_money(Decimal("10"), 4)) == "10"
    assert str(canonical_money(Decimal("1E+1"), 2)) == "10"
    assert str(canonical_money(Decimal("120.50"), 4)) == "120.5"
    assert str(normalize("10", MONEY).value) == "10"
    assert str(normalize("30万元", MONEY).value) == "30"
    assert plain(Decimal("1E+2")) == "100" and plain(Decimal("1E-7")) == "0.0000001"
    assert plain(Decimal("-2.50")) == "-2.5" and plain(Decimal("0.000")) == "0"


# --- measures defined in a campaign, not in code ---------------------------------------------

YUAN = Measure(
    name="元",
    kind=ValueKind.MONEY,
    places=2,
    conversions=(
        Conversion(unit="万元", factor=Decimal(10000)),
        Conversion(unit="万", factor=Decimal(10000)),
    ),
)
PERSON_TIMES = Measure(
    name="人次", suffixes=("人",), conversions=(Conversion(unit="万人次", factor=Decimal(10000)),)
)
CUSTOM = FormSpec(
    version="t",
    title="测试表",
    measures=(YUAN, PERSON_TIMES, Measure(name="个")),
    items=(
        Item(id="1", category="金额", measure="元"),
        Item(id="2", category="参与", measure="人次"),
        Item(id="3", category="数目", measure="个"),
    ),
)


@pytest.mark.parametrize(
    ("raw", "item_id", "value", "code"),
    [
        ("5000", "1", Decimal(5000), None),
        ("5000元", "1", Decimal(5000), None),
        ("12.34", "1", Decimal("12.34"), None),
        ("12.345", "1", None, "too-many-decimals"),
        ("0.5万元", "1", Decimal(5000), "unit-converted"),
        ("1.5万", "1", Decimal(15000), "unit-converted"),
        ("12个", "1", None, "wrong-measure"),
        ("300人次", "2", 300, None),
        ("300人", "2", 300, None),
        ("1.2万人次", "2", 12000, "unit-converted"),
        ("1.23456万人次", "2", None, "not-whole"),
        ("12个", "3", 12, None),
        ("12件", "3", None, "not-a-number"),
    ],
)
def test_measures_come_from_the_form(
    raw: str, item_id: str, value: int | Decimal | None, code: str | None
) -> None:
    result = normalize(raw, CUSTOM.item(item_id), CUSTOM)
    assert result.value == value and (value is None or type(result.value) is type(value))
    assert codes(result) == ([code] if code else [])


def test_unit_converted_names_both_units() -> None:
    result = normalize("1.2万人次", CUSTOM.item("2"), CUSTOM)
    assert rendered(result).message == "“1.2万人次”按万人次填写，已换算为 12000 人次"


# --- properties ------------------------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.builds(
        lambda n, s: f"{n}{s}",
        st.integers(-(10**6), 10**20),
        st.sampled_from(
            ["", "元", "万元", "万", "件", "场", "次", "余", ".5", "，", "．３", " 3", "\u200b"]
        ),
    ),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=500, deadline=None)
@given(raw=cell_values, item=st.sampled_from(DEFAULT_FORM.items))
def test_normalizer_never_raises_and_accepts_only_exact_non_negative(raw: Any, item: Item) -> None:
    result = normalize(raw, item)
    assert len(result.findings) <= 1
    assert result.findings or result.value is not None
    for finding in result.findings:
        rendered_problem = problem(
            finding.code, **{**CONTEXT, **finding.fields}
        )  # every template fills
        assert rendered_problem.message
    if result.value is None:
        assert result.findings[0].severity is Severity.ERROR
        return
    assert not any(f.severity is Severity.ERROR for f in result.findings)
    assert result.value >= 0
    if DEFAULT_FORM.measure_of(item).kind is ValueKind.MONEY:
        assert type(result.value) is Decimal and result.value.is_finite()
        assert result.value == result.value.quantize(Decimal("0.0001"))
        assert "E" not in str(result.value)
    else:
        assert type(result.value) is int


@settings(max_examples=300, deadline=None)
@given(number=st.integers(0, 10**15 - 1))
def test_every_whole_number_is_read_back_exactly(number: int) -> None:
    assert normalize(str(number)).value == number
    assert normalize(f"{number:,}").value == number
    assert normalize(number).value == number


@settings(max_examples=300, deadline=None)
@given(amount=st.decimals(min_value=0, max_value=Decimal("99999999999.9999"), places=4))
def test_every_money_amount_is_read_back_exactly(amount: Decimal) -> None:
    assert normalize(format(amount, "f"), MONEY).value == amount
