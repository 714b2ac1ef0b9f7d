"""Two reports side by side: which item of one is which item of the other, the change and the
change in percent. Pure functions of two `ReportFigures`; `compare_workbook.py` writes the
result and `render_figures.py` prints it.

Items of two campaigns are matched in three passes, each only among the items still unmatched:
the same id and the same label (folded: spaces, full/half width and punctuation ignored); then
the same label under another id (the item moved: 编号由 7 改为 8); then the same id under
another label (the item was renamed). What is left is new in this report or gone from it. A
renamed item is matched only by its id, so a reordered form (a new item 7 pushing the old 7 to
8) is never read as “7 renamed”. Items whose measure changed are shown, not compared.

Percentages are exact: Decimal arithmetic, rounded half up to one place only for display.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jc315cli.figures.read_back import ReportFigures
from jc315cli.figures.unit_columns import UnitColumn
from jc315cli.model.form import FormSpec, Item
from jc315cli.model.text import fold
from jc315cli.problems.report import Number, exact
from jc315cli.read.matching import match_reporter

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


@dataclass(frozen=True)
class ItemPair:
    last: Item | None
    this: Item | None
    note: str = ""  # 新增项目…, 项目名称由“…”改为“…”, 编号由 7 改为 8, …

    @property
    def item(self) -> Item:
        found = self.this or self.last
        assert found is not None
        return found

    @property
    def comparable(self) -> bool:
        return (
            self.last is not None
            and self.this is not None
            and self.last.measure == self.this.measure
        )


def match_items(last: FormSpec, this: FormSpec, words: Periods) -> list[ItemPair]:
    """Every item of both forms, once: in this form's order, an item gone from it after the
    item it used to follow. See the module docstring for the three passes; each looks an item
    up by its id or its label, so forms of thousands of items cost no more than reading them."""
    left = _Unmatched(last)
    pairs: dict[str, ItemPair] = {}  # this item id → its pair

    def take(find: Callable[[Item], Item | None], note: Callable[[Item, Item], str]) -> None:
        for item in this.items:
            found = None if item.id in pairs else find(item)
            if found is not None:
                left.take(found)
                pairs[item.id] = ItemPair(found, item, note(found, item))

    take(lambda b: left.by_id(b.id, fold(b.label)), lambda a, b: "")
    take(lambda b: left.by_label(fold(b.label)), lambda a, b: f"编号由 {a.id} 改为 {b.id}")
    take(lambda b: left.by_id(b.id), lambda a, b: f"项目名称由“{a.label}”改为“{b.label}”")
    out: list[ItemPair] = []
    for item in this.items:
        pair = pairs.get(item.id) or ItemPair(None, item, f"新增项目，{words.last}无此项")
        if pair.last is not None and pair.last.measure != item.measure:
            why = f"计量单位由“{pair.last.measure}”改为“{item.measure}”，不作比较"
            pair = ItemPair(pair.last, item, "；".join(x for x in (pair.note, why) if x))
        out.append(pair)
    return _with_gone(out, last, left.remaining(), words)


class _Unmatched:
    """The last form's items not matched yet, looked up by id or by folded label: the first in
    the form's order that is left."""

    def __init__(self, form: FormSpec) -> None:
        self.ids = {item.id: item for item in form.items}
        self.labels: dict[str, deque[Item]] = {}
        for item in form.items:
            self.labels.setdefault(fold(item.label), deque()).append(item)
        self.order = form.items
        self.taken: set[str] = set()

    def by_id(self, item_id: str, label: str | None = None) -> Item | None:
        found = self.ids.get(item_id)
        if found is None or found.id in self.taken:
            return None
        return found if label is None or fold(found.label) == label else None

    def by_label(self, label: str) -> Item | None:
        same = self.labels.get(label, deque())
        while same and same[0].id in self.taken:  # each taken item passed over once
            same.popleft()
        return same[0] if same else None

    def take(self, item: Item) -> None:
        self.taken.add(item.id)

    def remaining(self) -> list[Item]:
        return [item for item in self.order if item.id not in self.taken]


def _with_gone(
    out: list[ItemPair], last: FormSpec, gone: list[Item], words: Periods
) -> list[ItemPair]:
    """`out` with each gone item after the pair of the last item before it (in the last form)
    that is still there, gone items in a row in their order; at the top when none is."""
    place = {item.id: index for index, item in enumerate(last.items)}
    latest = [-1] * len(last.items)  # latest[p]: the last pair of out whose item stood at p
    for index, pair in enumerate(out):
        if pair.last is not None:
            latest[place[pair.last.id]] = index
    before = [-1] * len(last.items)  # before[p]: the last pair of out whose item stood above p
    for p in range(1, len(last.items)):
        before[p] = max(before[p - 1], latest[p - 1])
    after: dict[int, list[ItemPair]] = {}
    for item in gone:
        after.setdefault(before[place[item.id]], []).append(
            ItemPair(item, None, f"{words.this}无此项")
        )
    merged = after.get(-1, [])
    for index, pair in enumerate(out):
        merged += [pair, *after.get(index, [])]
    return merged


@dataclass(frozen=True)
class Row:
    pair: ItemPair
    change: Change
    note: str = ""

    def to_json(self, words: Periods) -> dict[str, Any]:
        last, this = self.pair.last, self.pair.this
        percent = self.change.percent
        return {
            "id": this.id if this else None,
            "label": this.label if this else None,
            "last_id": last.id if last else None,
            "last_label": last.label if last else None,
            "measure": self.pair.item.measure,
            "last": _json(self.change.last),
            "this": _json(self.change.this),
            "change": _json(self.change.delta),
            "percent": None if percent is None else format(percent, "f"),
            "percent_text": self.change.percent_text(words),
            "note": self.note,
        }


@dataclass(frozen=True)
class UnitRows:
    name: str
    rows: list[Row]
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    last: ReportFigures
    this: ReportFigures
    words: Periods
    rows: list[Row]
    units: list[UnitRows] | None  # when both are merged reports with 分单位明细

    def to_json(self) -> dict[str, Any]:
        return {
            "last": _meta(self.last, self.words.last_column),
            "this": _meta(self.this, self.words.this_column),
            "items": [row.to_json(self.words) for row in self.rows],
            "units": None
            if self.units is None
            else [
                {
                    "name": unit.name,
                    "note": unit.note,
                    "items": [row.to_json(self.words) for row in unit.rows],
                }
                for unit in self.units
            ],
        }


def compare_reports(last: ReportFigures, this: ReportFigures) -> Comparison:
    words = periods(last.year, this.year)
    pairs = match_items(last.campaign.form, this.campaign.form, words)
    rows = [_row(pair, last.values, this.values) for pair in pairs]
    units = None
    if last.units is not None and this.units is not None:
        units = _unit_rows(last, this, pairs, words)
    return Comparison(last, this, words, rows, units)


def _row(
    pair: ItemPair, last: dict[str, Number] | None, this: dict[str, Number] | None, note: str = ""
) -> Row:
    before = last.get(pair.last.id) if pair.last and last is not None else None
    after = this.get(pair.this.id) if pair.this and this is not None else None
    change = Change(before, after, comparable=pair.comparable)
    return Row(pair, change, "；".join(x for x in (pair.note, note) if x))


def _unit_rows(
    last: ReportFigures, this: ReportFigures, pairs: list[ItemPair], words: Periods
) -> list[UnitRows]:
    """Units matched by name (any of a unit's names in this campaign, else the header text):
    this report's units in its order, then the ones only the last report has."""
    assert last.units is not None and this.units is not None

    def key(unit: UnitColumn) -> str:
        for campaign in (this.campaign, last.campaign):
            found = match_reporter(campaign, unit.name)
            if found is not None:
                return found.name
        return fold(unit.name)

    before = {key(u): u for u in last.units}
    out: list[UnitRows] = []
    for unit in this.units:
        old = before.pop(key(unit), None)
        notes = []
        if old is None:
            notes.append(f"{words.last}无此单位")
        elif old.absent:
            notes.append(f"{words.last}{old.absent}")
        if unit.absent:
            notes.append(f"{words.this}{unit.absent}")
        note = "；".join(notes)
        last_values = old.values if old is not None and not old.absent else None
        this_values = None if unit.absent else unit.values
        rows = [_row(pair, last_values, this_values) for pair in pairs]
        out.append(UnitRows(unit.name, rows, note))
    for old in before.values():
        note = f"{words.this}无此单位"
        last_values = None if old.absent else old.values
        out.append(UnitRows(old.name, [_row(p, last_values, None) for p in pairs], note))
    return out


def _json(value: Number | None) -> int | str | None:
    return None if value is None else exact(value)


def _meta(report: ReportFigures, column: str) -> dict[str, Any]:
    return {
        "path": str(report.path),
        "column": column,
        "kind": report.kind,
        "year": report.year,
        "version": report.version,
        "reporter": report.reporter,
    }


def comparison_title(comparison: Comparison) -> str:
    """The comparison's title, the same on the terminal and in the 对比 workbook."""
    words, this = comparison.words, comparison.this
    form = this.campaign.form.title
    if comparison.last.year == this.year:
        return f"{this.year}年{form}两次报表对比"
    return f"{words.last_column}与{words.this_column}{form}对比"
