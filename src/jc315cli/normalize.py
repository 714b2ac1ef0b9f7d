"""Turning what a person typed into an exact number, and saying what was decided.

Excel's 合并计算 silently reads "2000万" as 0. Here every cell either becomes an exact int
(counts) or Decimal (万元), with a note when we interpreted it, or it is rejected with a reason
and a hint. Nothing here raises on any input.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from jc315cli.form import MEASURE_SUFFIXES, MONEY_PLACES, Item, Measure, ValueKind
from jc315cli.report import Severity

MAX_DIGITS = 15  # beyond this a value is a typing slip, not a 3·15 statistic
TOO_LARGE = Decimal(10) ** MAX_DIGITS


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Normalized:
    value: int | Decimal | None  # None when the cell was rejected
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def accepted(self) -> bool:
        return self.value is not None


NONE_WORDS = {"无", "没有", "暂无", "/", "-", "—", "——", "--", "–", "―", "一一"}
APPROXIMATE = re.compile(r"约|大约|大概|左右|余|多|若干|几|近|上下|以上|以下|不到|超过|不足|来|~|～")
CHINESE_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")
NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?(.*)")
ALL_SUFFIXES = {s for suffixes in MEASURE_SUFFIXES.values() for s in suffixes} | {"元"}


def clean_text(raw: str) -> str:
    """NFKC folds full-width digits, letters and punctuation; all whitespace goes."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    return re.sub(r"(?<=\d)。(?=\d)", ".", text)  # a decimal point typed in Chinese punctuation mode


def normalize_value(raw: Any, item: Item) -> Normalized:
    """The exact value of one 数量 cell for `item`."""
    try:
        return _normalize(raw, item)
    except Exception as exc:  # pragma: no cover - a bug, but never a traceback for the user
        return _reject("not-a-number", f"无法识别的内容（{type(exc).__name__}）", "请填写阿拉伯数字")


def _normalize(raw: Any, item: Item) -> Normalized:
    if raw is None:
        return _blank(item)
    if isinstance(raw, bool):
        return _reject("not-a-number", "单元格是逻辑值（TRUE/FALSE），不是数字", "请填写阿拉伯数字")
    if isinstance(raw, (datetime, date, time, timedelta)):
        return _reject(
            "not-a-number",
            "单元格是日期或时间格式，不是数字",
            "把单元格格式改为“常规”或“数值”后重新填写",
        )
    if isinstance(raw, int):
        return _check_number(Decimal(raw), item, ())
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return _reject("not-a-number", "单元格的值不是有限数字", "请填写阿拉伯数字")
        # The shortest repr is what the person typed (3.5, not 3.49999…).
        return _check_number(Decimal(repr(raw)), item, ())
    return _normalize_text(str(raw), item)


def _normalize_text(raw: str, item: Item) -> Normalized:
    text = clean_text(raw)
    if not text:
        return _blank(item)
    if text in NONE_WORDS:
        shown = "无" if text in ("无", "没有", "暂无") else "横线或斜线"
        return Normalized(
            0 if item.kind is ValueKind.COUNT else Decimal(0),
            (Finding(Severity.INFO, "written-as-none", f"填写为{shown}，按 0 计"),),
        )
    if not re.search(r"\d", text) and CHINESE_NUMERALS.search(text):
        return _reject("not-a-number", f"“{raw.strip()}”不是阿拉伯数字", "请用阿拉伯数字填写，如 12")
    if APPROXIMATE.search(text):
        return _reject(
            "approximate",
            f"“{raw.strip()}”是约数，不是确切数字",
            "请填写确切的阿拉伯数字，如 50；确实无法统计的请与市局联系",
        )
    match = NUMBER.fullmatch(text)
    if match is None or match.group(2) is None and match.group(3) is None:
        return _reject("not-a-number", f"“{raw.strip()}”不是数字", "请只填写阿拉伯数字，如 12；没有的填 0")
    sign, whole, fraction, suffix = match.groups()
    digits = (whole or "0").replace(",", "")
    if len(digits) + len(fraction or "") > MAX_DIGITS:
        return _reject("too-large", f"“{raw.strip()}”位数过多，不像是实际统计数", "请核对后重新填写")
    number = Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    findings: tuple[Finding, ...] = ()
    own = MEASURE_SUFFIXES[item.measure]
    if suffix and suffix not in own:
        if item.measure is Measure.TEN_THOUSAND_YUAN and suffix == "元":
            converted = number.scaleb(-4)
            findings = (
                Finding(
                    Severity.WARNING,
                    "unit-converted",
                    f"“{raw.strip()}”按元填写，已换算为 {_plain(converted)} 万元",
                    "本项以万元为单位，请直接填写万元数",
                ),
            )
            number = converted
        elif suffix in ALL_SUFFIXES:
            return _reject(
                "wrong-measure",
                f"“{raw.strip()}”的单位与本项的单位（{item.measure.value}）不符",
                f"本项以“{item.measure.value}”计，请只填写数字",
            )
        else:
            return _reject("not-a-number", f"“{raw.strip()}”不是数字", "请只填写阿拉伯数字，如 12；没有的填 0")
    return _check_number(number, item, findings)


def _check_number(number: Decimal, item: Item, findings: tuple[Finding, ...]) -> Normalized:
    if number < 0:
        return _reject("negative", f"{_plain(number)} 是负数", "数量不能为负，没有的填 0")
    if item.kind is ValueKind.COUNT:
        if number != number.to_integral_value():
            return _reject(
                "not-whole",
                f"{_plain(number)} 不是整数，本项以“{item.measure.value}”计",
                "请填写整数",
            )
        if abs(number) >= TOO_LARGE:
            return _reject("too-large", f"{_plain(number)} 位数过多，不像是实际统计数", "请核对后重新填写")
        return Normalized(int(number), findings)
    if abs(number) >= TOO_LARGE:
        return _reject("too-large", f"{_plain(number)} 位数过多，不像是实际统计数", "请核对后重新填写")
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > MONEY_PLACES and number != number.quantize(Decimal(1).scaleb(-MONEY_PLACES), rounding="ROUND_DOWN"):
        return _reject(
            "too-many-decimals",
            f"{_plain(number)} 万元有 {places} 位小数，超过 {MONEY_PLACES} 位（1 元）",
            "金额以万元为单位，最多保留 4 位小数",
        )
    return Normalized(_canonical_money(number), findings)


def _canonical_money(number: Decimal) -> Decimal:
    """Drop trailing zeros beyond what matters, never use exponent notation: 3.50 → 3.5."""
    quantized = number.quantize(Decimal(1).scaleb(-MONEY_PLACES))
    normalized = quantized.normalize()
    if normalized.as_tuple().exponent > 0:  # type: ignore[operator]
        normalized = normalized.quantize(Decimal(1))
    return normalized


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _blank(item: Item) -> Normalized:
    return Normalized(
        0 if item.kind is ValueKind.COUNT else Decimal(0),
        (Finding(Severity.WARNING, "blank", "未填写，按 0 计", "没有的请填 0，以免被当作漏填"),),
    )


def _reject(code: str, message: str, hint: str) -> Normalized:
    return Normalized(None, (Finding(Severity.ERROR, code, message, hint),))


# --- 填报日期 ---------------------------------------------------------------------------

DATE_TEXT = re.compile(r"(\d{4})[年./\-](\d{1,2})[月./\-](\d{1,2})[日号]?")
COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29


@dataclass(frozen=True)
class ParsedDate:
    value: date | None
    findings: tuple[Finding, ...] = ()


def parse_filled_on(raw: Any) -> ParsedDate:
    """A 填报日期 from a date cell, a serial number that lost its format, or usual spellings."""
    if raw is None or (isinstance(raw, str) and not clean_text(raw)):
        return ParsedDate(None, (Finding(Severity.WARNING, "date-missing", "未填写填报日期", "请填写填报日期，如 2023年3月20日"),))
    if isinstance(raw, datetime):
        return ParsedDate(raw.date())
    if isinstance(raw, date):
        return ParsedDate(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _from_serial(float(raw), str(raw))
    text = clean_text(str(raw))
    text = text.removeprefix("填报日期").lstrip(":")
    for pattern in (DATE_TEXT, COMPACT_DATE):
        match = pattern.fullmatch(text)
        if match:
            try:
                return ParsedDate(date(int(match[1]), int(match[2]), int(match[3])))
            except ValueError:
                break
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_serial(float(text), str(raw))
    return ParsedDate(
        None,
        (Finding(Severity.WARNING, "date-unreadable", f"无法识别的填报日期“{str(raw).strip()}”", "请写作 2023年3月20日 或 2023-03-20"),),
    )


def _from_serial(serial: float, raw: str) -> ParsedDate:
    if not (20000 <= serial <= 80000) or not serial.is_integer():
        return ParsedDate(
            None,
            (Finding(Severity.WARNING, "date-unreadable", f"无法识别的填报日期“{raw}”", "请写作 2023年3月20日 或 2023-03-20"),),
        )
    day = EXCEL_EPOCH + timedelta(days=int(serial))
    return ParsedDate(
        day,
        (Finding(Severity.INFO, "date-serial", f"填报日期是数字 {int(serial)}（单元格丢失了日期格式），按 {day.isoformat()} 理解"),),
    )
