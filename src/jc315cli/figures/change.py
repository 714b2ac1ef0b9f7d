"""A change between two numbers and how it is said: the two reports named in words (同比,
去年, 今年 for consecutive years; 较2021年 across several; 较上次 within one), the difference and
the change in percent. The 对比 table, the terminal and the 活动总结 paragraph all say a change
through these, so 同比增长12.5% is worked out and worded once.

Percentages are exact: Decimal arithmetic, rounded half up to one place only for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jc315cli.problems.report import Number

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Periods:
    """How the two reports are named in words: 同比 / 去年 / 今年 for consecutive years."""

    since: str  # 同比, 较2021年, 较上次
    last: str  # 去年, 2021年, 上次
    this: str  # 今年, 2023年, 本次
    last_column: str  # the column headers: 2022年 and 2023年, or 上次 and 本次
    this_column: str


def periods(last_year: int, this_year: int) -> Periods:
    if last_year == this_year:
        return Periods("较上次", "上次", "本次", "上次", "本次")
    columns = (f"{last_year}年", f"{this_year}年")
    if this_year - last_year == 1:
        return Periods("同比", "去年", "今年", *columns)
    return Periods(f"较{last_year}年", f"{last_year}年", f"{this_year}年", *columns)


@dataclass(frozen=True)
class Change:
    last: Number | None  # None: the item or the unit is not in the last report
    this: Number | None
    comparable: bool = True  # False when the item's measure changed

    @property
    def delta(self) -> Number | None:
        if self.last is None or self.this is None or not self.comparable:
            return None
        delta = self.this - self.last
        if isinstance(delta, Decimal):  # 2.0000 → 2, as the reports write their amounts
            delta = delta.normalize()
            if delta == 0 or delta.as_tuple().exponent > 0:  # type: ignore[operator]
                delta = delta.quantize(Decimal(1))
        return delta

    @property
    def percent(self) -> Decimal | None:
        """The change in percent, rounded half up to one place; None when last is 0."""
        delta = self.delta
        if delta is None or self.last == 0:
            return None
        assert self.last is not None
        ratio = Decimal(delta) * 100 / Decimal(self.last)
        return ratio.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)

    def percent_text(self, words: Periods) -> str:
        """+12.5%, -3.2%, 0.0%, 去年为0, or nothing when there is nothing to compare."""
        if self.delta is None:
            return ""
        percent = self.percent
        if percent is None:
            return f"{words.last}为0"
        return f"{'+' if percent > 0 else ''}{percent}%"

    def words(self, words: Periods) -> str:
        """同比增长12.5%, 同比下降3.2%, 同比持平, 去年为0 — as a summary says it."""
        delta, percent = self.delta, self.percent
        if delta is None:
            return ""
        if delta == 0:
            return f"{words.since}持平"
        if percent is None:
            return f"{words.last}为0"
        verb = "增长" if delta > 0 else "下降"
        if percent == 0:
            return f"{words.since}{verb}不足0.1%"
        return f"{words.since}{verb}{abs(percent)}%"
