"""Numbers as a summary writes them, with the measure that follows: 15场次, 3,289件, 82.06万元,
1.2万份, 十五场, 一千二百件. Only a number followed directly by a measure word of the form is
one; one that is said to be approximate (约, 近, 余, 多, 以上, 左右), part of a range (10-15场,
十五六场), an ordinal (第3期) or a rate (每) is no statement of a value and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jc315cli.model.form import FormSpec

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = "零〇一二两三四五六七八九十百千万"
NUMBER = re.compile(rf"(?P<arabic>{ARABIC})|(?P<chinese>[{CHINESE}]+)")
DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
MULTIPLIERS = {"百": 100, "千": 1000, "万": 10000}
# Words around a number that make it no exact value
BEFORE = ("约", "近", "逾", "超", "达近", "第", "每", "-", "~", "～", "—", "至", "到", "或")
AFTER = ("余", "多", "来", "以上", "左右", "上下", "以下", "以内", "-", "~", "～", "—", "至", "到")
# A measure word that is the start of another word: 3.15期间, 一次性, 场所
COMPOUNDS = ("期间", "期刊", "次性", "次数", "件数", "场数", "条例", "条件", "份额", "场所", "场地", "场景", "场合", "篇幅")  # fmt: skip


@dataclass(frozen=True)
class Said:
    """One number with its measure, as found in a text."""

    start: int  # where the number begins in the text
    end: int  # just after the measure word
    value: Decimal  # in the measure of the form (元 already turned into 万元)
    places: int  # decimal places as written, in the unit written (for rounding)
    factor: Decimal  # what one of the written unit is in the form's measure (元: 0.0001)
    measure: str  # the form's measure, e.g. 场次
    written: str  # as written, e.g. 15场次, 十五场


def numbers_with_measures(text: str, form: FormSpec) -> Iterator[Said]:
    """Every exact number in `text` followed by one of the form's measure words."""
    units = _units(form)
    for match in NUMBER.finditer(text):
        start, end = match.span()
        if match.group("arabic"):
            written = match.group("arabic").replace(",", "")
            value = Decimal(written)
            places = len(written.split(".")[1]) if "." in written else 0
            if text[max(0, start - 1) : start] in (".", ",") or text[end : end + 1].isdigit():
                continue  # a piece of something else: 3.15.1, a version
        else:
            parsed = chinese_number(match.group("chinese"))
            if parsed is None:
                continue
            value, places = Decimal(parsed), 0
        found = _measure_after(text, end, units)
        if found is None or _approximate(text, start, found[0]):
            continue
        after, multiplier, factor, measure = found
        if _compound(text, after):
            continue
        total = value * multiplier
        yield Said(
            start, after, total * factor, places, multiplier * factor, measure, text[start:after]
        )


def _units(form: FormSpec) -> list[tuple[str, Decimal, str]]:
    """(word, factor into the measure, measure), longest word first: 场次 before 场."""
    out = []
    for measure in form.measures:
        out += [(word, Decimal(1), measure.name) for word in measure.written]
        out += [(c.unit, c.factor, measure.name) for c in measure.conversions]
    return sorted(out, key=lambda u: -len(u[0]))


def _measure_after(
    text: str, at: int, units: list[tuple[str, Decimal, str]]
) -> tuple[int, Decimal, Decimal, str] | None:
    """(end, multiplier, factor, measure) of the measure word at `at`: 15场次, 1.2万份 (万 a
    multiplier when a measure word follows it), 82.06万元."""
    multiplier = MULTIPLIERS.get(text[at : at + 1])
    if multiplier is not None:
        for word, factor, measure in units:
            if text.startswith(word, at + 1):
                return at + 1 + len(word), Decimal(multiplier), factor, measure
    for word, factor, measure in units:
        if text.startswith(word, at):
            return at + len(word), Decimal(1), factor, measure
    return None


def _approximate(text: str, start: int, after: int) -> bool:
    before = text[max(0, start - 2) : start]
    return any(before.endswith(w) for w in BEFORE) or text.startswith(AFTER, after)


def _compound(text: str, after: int) -> bool:
    return text[after - 1 : after + 1] in COMPOUNDS


def chinese_number(text: str) -> int | None:
    """一千二百 → 1200, 十五 → 15, 两千零五 → 2005, 一万二千 → 12000; None for what is no one
    number: 十五六 (a range), 三四 (a guess), 一千二 (shorthand for 1200), 零件, 二〇二三."""
    high, sep, low = text.partition("万")
    if not sep:
        return _below_ten_thousand(text)
    upper = _below_ten_thousand(high)
    lower = _below_ten_thousand(low) if low else 0
    if upper is None or lower is None:
        return None
    if low and lower < 1000 and not low.startswith(("零", "〇")):
        return None  # 一万二: shorthand
    return upper * 10000 + lower


def _below_ten_thousand(text: str) -> int | None:
    """Digits each followed by its place (千, 百, 十), places falling, a skipped place said with
    零; a bare 十 only first (十五)."""
    total, last, zero, i = 0, 10000, False, 0
    while i < len(text):
        ch, following = text[i], text[i + 1 : i + 2]
        if ch in "零〇":
            zero, i = True, i + 1
            continue
        if ch == "十" and i == 0:
            digit, unit, i = 1, 10, i + 1
        elif ch in DIGITS and following in SMALL_UNITS:
            digit, unit, i = DIGITS[ch], SMALL_UNITS[following], i + 2
        elif ch in DIGITS and not following:
            digit, unit, i = DIGITS[ch], 1, i + 1
        else:
            return None  # 三四, 十五六, 百 alone
        if unit >= last or (unit == 1 and 10 < last < 10000 and not zero):
            return None  # places out of order, or 一千二
        total, last, zero = total + digit * unit, unit, False
    return total if last < 10000 else None
