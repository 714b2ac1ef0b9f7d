"""Turning what a person typed into an exact number, and saying what was decided.

Excel's 合并计算 silently reads "2000万" as 0. Here every cell either becomes an exact int
(counts) or Decimal (money), with a note when we interpreted it, or it is rejected with a reason
and a hint. What a unit may be called, how money converts and how many places it keeps all come
from the form's measures. There is deliberately no catch-all: a bug here must fail the tests,
not turn into a message that blames the person who typed the number.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from jc315cli.model.form import Measure, ValueKind
from jc315cli.problems.registry import kind
from jc315cli.problems.report import Severity, visible

MAX_DIGITS = 15  # beyond this a value is a typing slip, not a 3·15 statistic
TOO_LARGE = Decimal(10) ** MAX_DIGITS


@dataclass(frozen=True)
class Finding:
    """A registered problem code and its template fields, not yet placed in a cell."""

    code: str
    fields: Mapping[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return kind(self.code).severity


@dataclass(frozen=True)
class Normalized:
    value: int | Decimal | None  # None when the cell was rejected
    findings: tuple[Finding, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.value is not None


NONE_WORDS = {"无", "没有", "暂无", "/", "-", "—", "——", "--", "–", "―", "一一"}
APPROXIMATE = re.compile(
    r"约|大约|大概|左右|余|多|若干|几|近|上下|以上|以下|不到|超过|不足|来|~|～"
)
CHINESE_NUMERALS = re.compile(r"[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]")
NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?(.*)")
PLAIN_DIGITS = set("0123456789０１２３４５６７８９")
SPACED_DIGITS = re.compile(r"[\d.,]\s+[\d.,]")


def normalize_value(raw: Any, measure: Measure, units: Mapping[str, Measure]) -> Normalized:
    """The exact value of one value cell whose item is counted in `measure`; `units` maps every
    unit word of the form to its measure (see FormSpec.units)."""
    if raw is None:
        return _blank(measure)
    if isinstance(raw, bool):
        return _reject("logical-value", raw="TRUE" if raw else "FALSE")
    if isinstance(raw, (datetime, date, time, timedelta)):
        return _reject("date-cell", raw=str(raw))
    if isinstance(raw, int):
        return _check_number(Decimal(raw), measure, ())
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return _reject("not-a-number", raw=str(raw))
        # The shortest repr is what the person typed (3.5, not 3.49999…).
        return _check_number(Decimal(repr(raw)), measure, ())
    return _normalize_text(str(raw), measure, units)


def _normalize_text(raw: str, measure: Measure, units: Mapping[str, Measure]) -> Normalized:
    shown = visible(raw.strip())  # bounded where the message is made (problems.problem)
    for ch in raw:
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Co", "Cn") and not ch.isspace():
            return _reject("invisible-char", raw=shown, codepoint=f"U+{ord(ch):04X}")
        if category in ("Nd", "No", "Nl") and ch not in PLAIN_DIGITS and ch != "〇":
            return _reject("odd-digit", raw=shown, char=ch, codepoint=f"U+{ord(ch):04X}")
    text = unicodedata.normalize("NFKC", raw).strip()
    if SPACED_DIGITS.search(text):
        return _reject("spaced-digits", raw=shown)
    text = re.sub(r"\s+", "", text)
    text = re.sub(
        r"(?<=\d)。(?=\d)", ".", text
    )  # a decimal point typed in Chinese punctuation mode
    if not text:
        return _blank(measure)
    if text in NONE_WORDS:
        said = "无" if text in ("无", "没有", "暂无") else "横线或斜线"
        return Normalized(_zero(measure), (Finding("written-as-none", {"shown": said}),))
    if not re.search(r"\d", text) and CHINESE_NUMERALS.search(text):
        return _reject("not-arabic", raw=shown)
    if APPROXIMATE.search(text):
        return _reject("approximate", raw=shown)
    match = NUMBER.fullmatch(text)
    if match is None or match.group(2) is None and match.group(3) is None:
        return _reject("not-a-number", raw=shown)
    sign, whole, fraction, suffix = match.groups()
    digits = (whole or "0").replace(",", "")
    if len(digits) + len(fraction or "") > MAX_DIGITS:
        return _reject("too-large", raw=shown)
    number = Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    findings: tuple[Finding, ...] = ()
    if suffix and suffix not in measure.written:
        factor = next((c.factor for c in measure.conversions if c.unit == suffix), None)
        if factor is not None:
            number = number * factor
            fields = {
                "raw": shown,
                "unit": suffix,
                "number": plain(number),
                "measure": measure.name,
            }
            findings = (Finding("unit-converted", fields),)
        elif suffix in units:
            return _reject("wrong-measure", raw=shown, measure=measure.name)
        else:
            return _reject("not-a-number", raw=shown)
    return _check_number(number, measure, findings)


def _check_number(number: Decimal, measure: Measure, findings: tuple[Finding, ...]) -> Normalized:
    if number < 0:
        return _reject("negative", number=plain(number))
    if number >= TOO_LARGE:
        return _reject("too-large", raw=plain(number))
    if measure.kind is ValueKind.COUNT:
        if number != number.to_integral_value():
            return _reject("not-whole", number=plain(number), measure=measure.name)
        return Normalized(int(number), findings)
    step = Decimal(1).scaleb(-measure.places)
    if number != number.quantize(step, rounding="ROUND_DOWN"):
        exponent = number.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        return _reject(
            "too-many-decimals",
            number=plain(number),
            measure=measure.name,
            places=-exponent,
            max_places=measure.places,
        )
    return Normalized(canonical_money(number, measure.places), findings)


def canonical_money(number: Decimal, places: int) -> Decimal:
    """Drop trailing zeros beyond what matters, never use exponent notation: 3.50 → 3.5."""
    normalized = number.quantize(Decimal(1).scaleb(-places)).normalize()
    if normalized.as_tuple().exponent > 0:  # type: ignore[operator]
        normalized = normalized.quantize(Decimal(1))
    return normalized


def plain(number: Decimal) -> str:
    """A Decimal as a person writes it: 0.5, 12, never 5E-1 or 12.000."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _zero(measure: Measure) -> int | Decimal:
    return 0 if measure.kind is ValueKind.COUNT else Decimal(0)


def _blank(measure: Measure) -> Normalized:
    return Normalized(_zero(measure), (Finding("blank"),))


def _reject(code: str, **fields: Any) -> Normalized:
    return Normalized(None, (Finding(code, fields),))
