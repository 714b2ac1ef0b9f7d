"""The form as data: what the 统计表 asks for, in which units, with which rules and chart.

Everything else (template, reading, validating, merging) is driven by these models, so next
year's form, or another office's, changes in a campaign file, not in code. Who reports, when,
and to whom is in `campaign.py`; the built-in 2023 campaign is in `builtin.py`.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jc315cli.model.printable import Printable
from jc315cli.model.rules import Rule
from jc315cli.model.text import fold

FORM_ID = "jc315-statistics"

Frozen = ConfigDict(frozen=True, extra="forbid")


class ValueKind(str, Enum):
    COUNT = "count"  # a whole number, kept as int
    MONEY = "money"  # an amount, kept as Decimal with at most `places` decimal places


class Conversion(BaseModel):
    """Another written unit that converts into a measure: 元 → 万元 is factor 0.0001."""

    model_config = Frozen

    unit: str = Field(min_length=1)
    factor: Decimal = Field(gt=0, le=Decimal(10) ** 12, allow_inf_nan=False)


class Measure(BaseModel):
    """A unit of measure (计量单位) of items. Not the reporting body: that is a Reporter."""

    model_config = Frozen

    name: str = Field(min_length=1)  # as printed in the 单位 column, e.g. 场次
    kind: ValueKind = ValueKind.COUNT
    places: int = Field(default=0, ge=0, le=8)  # decimal places allowed (money only)
    suffixes: tuple[str, ...] = ()  # what a person may type after a number besides the name
    conversions: tuple[Conversion, ...] = ()

    @model_validator(mode="after")
    def _counts_are_whole(self) -> Measure:
        if self.kind is ValueKind.COUNT and self.places:
            raise ValueError(f"计量单位“{self.name}”是计数（count），不能有小数位（places）")
        return self

    @property
    def written(self) -> tuple[str, ...]:
        """Every way a person may write this unit after a number, the name first."""
        return (self.name, *(s for s in self.suffixes if s != self.name))


class Swing(BaseModel):
    """How far a reporter's value may move from its own value last year before it is 核实性
    (与上年相差大): to more than `factor` times last year's or less than 1/`factor` of it, and
    by at least `at_least` of the item's measure, so 2 → 7 场 asks nothing while 300 → 3 件
    does. A value that was 0 last year is asked about from `at_least` up. Statistical offices
    ask for a 文字说明 of a large change; how large is the campaign's to say."""

    model_config = Frozen

    factor: Decimal = Field(default=Decimal(3), gt=1, le=1_000_000, allow_inf_nan=False)
    at_least: Decimal = Field(default=Decimal(10), ge=0, le=Decimal(10) ** 15, allow_inf_nan=False)


class Item(BaseModel):
    """One row of the 统计表."""

    model_config = Frozen

    id: str = Field(pattern=r"^\d+(\.\d+)?$")
    category: str = Field(min_length=1)
    name: str | None = None  # sub-item name, e.g. 电视专题节目 under 媒体宣传报道
    measure: str  # the name of one of the form's measures
    kind: ValueKind | None = None  # optional: must agree with the measure when given
    # A plausible upper bound for one unit's own form (DHIS2's min–max): above it a value is
    # 请核实 whatever the other units sent, so a yuan figure in the 万元 row is caught even
    # when only one unit has reported. Not applied to consolidated reports.
    max: Decimal | None = Field(default=None, gt=0, le=Decimal(10) ** 15, allow_inf_nan=False)
    swing: Swing | None = None  # this item's own bounds against last year; else the form's
    # How the item reads in the statistics paragraph of the 活动总结 (`jc315 summary`): the
    # words before the number, e.g. 接受消费者咨询 → 接受消费者咨询3289件. Without one, the
    # paragraph says the label. A block of sub-items (6.1 … 6.5) is one list, with `lead`
    # before it and `tail` after it, both given on its first item: 通过电视专题节目19期、……
    # 等渠道开展宣传报道.
    phrase: Printable | None = Field(default=None, min_length=1, max_length=60)
    lead: Printable | None = Field(default=None, min_length=1, max_length=60)
    tail: Printable | None = Field(default=None, min_length=1, max_length=60)

    @property
    def label(self) -> str:
        """The label a person reads: the sub-item name if there is one, else the category."""
        return f"{self.category}·{self.name}" if self.name else self.category

    @property
    def serial(self) -> str:
        """The 序号 printed in the form: 6 for 6.1 … 6.5."""
        return self.id.split(".")[0]


class Chart(BaseModel):
    """The bar chart of the merged report's 分单位明细: which items, one bar per reporter. The
    axis is the items' common measure, so a chart cannot put 万元 on a 件 axis."""

    model_config = Frozen

    title: str = Field(min_length=1)
    items: tuple[str, ...] = Field(min_length=1)


class Labels(BaseModel):
    """The words of the form that are not items. The writer prints them; the reader finds the
    form by them. Defined once, here."""

    model_config = Frozen

    attachment: str = "附件"
    serial: str = "序号"
    category: str = "类别"
    measure: str = "单位"
    value: str = "数量"
    reporter: str = "填报单位"
    filled_on: str = "填报日期"


class FormSpec(BaseModel):
    model_config = Frozen

    id: str = FORM_ID
    version: Printable
    title: Printable  # without the year, e.g. “3·15”活动情况统计表
    labels: Labels = Labels()
    measures: tuple[Measure, ...]
    items: tuple[Item, ...]
    rules: tuple[Rule, ...] = ()
    chart: Chart | None = None
    outlier_factor: int = Field(default=10, ge=2, le=1_000_000)
    swing: Swing = Swing()  # every item's bounds against last year, unless it has its own
    # Whether the blank form carries the 核实说明 column, so a county can explain a value
    # unasked; a form sent back always has it beside each value to be confirmed.
    note_column: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> FormSpec:
        _unique("计量单位", [m.name for m in self.measures])
        if not self.items:
            raise ValueError("表中至少要有一个项目")
        _unique("项目编号", [item.id for item in self.items])
        owners: dict[str, str] = {}
        for measure in self.measures:
            for written in (*measure.written, *(c.unit for c in measure.conversions)):
                if owners.setdefault(written, measure.name) != measure.name:
                    raise ValueError(
                        f"“{written}”同时是计量单位“{owners[written]}”和“{measure.name}”的写法"
                    )
        names = {m.name: m for m in self.measures}
        for item in self.items:
            if item.measure not in names:
                raise ValueError(f"第 {item.id} 项的计量单位“{item.measure}”未在 measures 中定义")
            if item.kind is not None and item.kind is not names[item.measure].kind:
                raise ValueError(f"第 {item.id} 项的 kind 与计量单位“{item.measure}”的 kind 不一致")
        labels: dict[tuple[str, str], str] = {}
        for item in self.items:  # labels a reader would take for one another
            key = (fold(item.category), fold(item.name or ""))
            if labels.setdefault(key, item.id) != item.id:
                raise ValueError(f"第 {labels[key]} 项和第 {item.id} 项的名称实际相同，无法区分")
        for measure in self.measures:
            doubled = set(measure.written) & {c.unit for c in measure.conversions}
            if doubled:
                raise ValueError(
                    f"“{'、'.join(sorted(doubled))}”既是计量单位“{measure.name}”的写法又要换算"
                )
        firsts: dict[str, str] = {}
        for before, item in zip((None, *self.items[:-1]), self.items, strict=True):
            first = firsts.setdefault(item.serial, item.id)
            if first != item.id and (item.lead or item.tail):
                raise ValueError(
                    f"第 {item.id} 项：lead 和 tail 只能写在一组子项的第一项（第 {first} 项）"
                )
            # One 序号 is one merged cell over its sub-items' rows: they cannot be apart.
            if first != item.id and before is not None and before.serial != item.serial:
                raise ValueError(
                    f"第 {item.id} 项与第 {first} 项同属第 {item.serial} 项，应紧接着写在一起"
                )
        ids = {item.id for item in self.items}
        for rule in self.rules:
            for term in rule.item_ids():
                if term not in ids:
                    raise ValueError(f"规则 {rule.code} 引用了不存在的项目 #{{{term}}}")
        if self.chart is not None:
            for item_id in self.chart.items:
                if item_id not in ids:
                    raise ValueError(f"图表引用了不存在的项目 {item_id}")
            measures = {self.item(i).measure for i in self.chart.items}
            if len(measures) > 1:
                raise ValueError(
                    f"图表中的项目计量单位不同（{'、'.join(sorted(measures))}），不能画在同一坐标轴上"
                )
        return self

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def swing_of(self, item: Item) -> Swing:
        return item.swing or self.swing

    def measure_of(self, item: Item) -> Measure:
        for measure in self.measures:
            if measure.name == item.measure:
                return measure
        raise KeyError(item.measure)  # pragma: no cover - the validator forbids it

    def units(self) -> dict[str, Measure]:
        """Every unit word a person may write in this form (names, suffixes, convertible units)
        and the measure it belongs to."""
        out: dict[str, Measure] = {}
        for measure in self.measures:
            for written in (*measure.written, *(c.unit for c in measure.conversions)):
                out[written] = measure
        return out

    @property
    def money_measures(self) -> list[Measure]:
        used = {item.measure for item in self.items}
        return [m for m in self.measures if m.kind is ValueKind.MONEY and m.name in used]


def _unique(what: str, values: list[str]) -> None:
    dupes = sorted(v for v, n in Counter(values).items() if n > 1)
    if dupes:
        raise ValueError(f"{what}重复：{'、'.join(dupes)}")
