"""The form as data: what the 统计表 asks for, who fills it in, and the campaign around it.

Everything else (template, reading, validating, merging) is driven by these models, so next
year's form changes here or in a campaign file, not in code.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORM_ID = "jc315-statistics"
MONEY_PLACES = 4  # 万元 with 4 decimal places is exactly 1 元


class Measure(str, Enum):
    """The unit of measure (计量单位) of an item. Not the reporting body: that is a Reporter."""

    SESSIONS = "场次"
    CASES = "件"
    TEN_THOUSAND_YUAN = "万元"
    EPISODES = "期"
    ARTICLES = "篇"
    POSTS = "条"
    TIMES = "次"
    COPIES = "份"


class ValueKind(str, Enum):
    COUNT = "count"  # a whole number, kept as int
    MONEY = "money"  # 万元, kept as Decimal with at most MONEY_PLACES places


# What a person may type after a number in a row of this measure, besides the measure itself.
MEASURE_SUFFIXES: dict[Measure, tuple[str, ...]] = {
    Measure.SESSIONS: ("场次", "场"),
    Measure.CASES: ("件",),
    Measure.TEN_THOUSAND_YUAN: ("万元", "万"),
    Measure.EPISODES: ("期",),
    Measure.ARTICLES: ("篇",),
    Measure.POSTS: ("条",),
    Measure.TIMES: ("次",),
    Measure.COPIES: ("份",),
}


class Item(BaseModel):
    """One row of the 统计表."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^\d+(\.\d+)?$")
    category: str = Field(min_length=1)
    name: str | None = None  # sub-item name, e.g. 电视专题节目 under 媒体宣传报道
    measure: Measure
    kind: ValueKind = ValueKind.COUNT

    @model_validator(mode="after")
    def _money_is_wan_yuan(self) -> Item:
        if (self.kind is ValueKind.MONEY) != (self.measure is Measure.TEN_THOUSAND_YUAN):
            raise ValueError("只有计量单位为“万元”的项目才是金额（kind = \"money\"）")
        return self

    @property
    def label(self) -> str:
        """The label a person reads: the sub-item name if there is one, else the category."""
        return f"{self.category}·{self.name}" if self.name else self.category

    @property
    def serial(self) -> str:
        """The 序号 printed in the form: 6 for 6.1 … 6.5."""
        return self.id.split(".")[0]


class Condition(BaseModel):
    """`left operator right`, where each side is a sum of `#{item}` references and numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    left: str
    operator: Literal["==", "!=", ">", ">=", "<", "<="]
    right: str


class Rule(BaseModel):
    """A cross-item check, in the spirit of DHIS2 validation rules (left side, operator, right
    side), with an optional `when` so a rule can say "if money was recovered, there were
    complaints". A failed rule is a problem with the rule's own severity."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    severity: Literal["error", "warning", "info"] = "warning"
    when: Condition | None = None
    check: Condition
    message: str
    hint: str = ""


class FormSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = FORM_ID
    version: str
    title: str  # without the year, e.g. “3·15”活动情况统计表
    items: tuple[Item, ...]
    rules: tuple[Rule, ...] = ()
    outlier_factor: int = Field(default=10, ge=2)

    @field_validator("items")
    @classmethod
    def _unique_ids(cls, items: tuple[Item, ...]) -> tuple[Item, ...]:
        ids = [item.id for item in items]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"项目编号重复：{'、'.join(dupes)}")
        if not items:
            raise ValueError("表中至少要有一个项目")
        return items

    @model_validator(mode="after")
    def _rules_refer_to_items(self) -> FormSpec:
        ids = {item.id for item in self.items}
        for rule in self.rules:
            conditions = [rule.check] + ([rule.when] if rule.when else [])
            for cond in conditions:
                for side in (cond.left, cond.right):
                    for term in parse_expression(side):
                        if isinstance(term, str) and term not in ids:
                            raise ValueError(f"规则 {rule.code} 引用了不存在的项目 #{{{term}}}")
        return self

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


_TERM = re.compile(r"^#\{([0-9.]+)\}$")


def parse_expression(text: str) -> list[str | Decimal]:
    """Parse `#{5} + #{6.1} + 2` into item ids (str) and constants (Decimal)."""
    terms: list[str | Decimal] = []
    for raw in text.split("+"):
        term = raw.strip()
        match = _TERM.match(term)
        if match:
            terms.append(match.group(1))
            continue
        try:
            terms.append(Decimal(term))
        except ArithmeticError:
            raise ValueError(f"无法理解的表达式：{text!r}（项目写作 #{{5}}，常数写作数字）") from None
    return terms


class Reporter(BaseModel):
    """A reporting body (填报单位). Not a unit of measure: that is a Measure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=2)  # full name, as printed in the form
    short_name: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()

    @field_validator("name", "short_name", "aliases")
    @classmethod
    def _printable(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        for text in (value,) if isinstance(value, str) else value:
            if any(unicodedata.category(ch) == "Cc" for ch in text):
                raise ValueError(f"名称中有不可见的控制字符：{text!r}")
        return value

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.short_name, *self.aliases)


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    department: str
    person: str
    phone: str
    email: str


class Campaign(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int = Field(ge=2000, le=2100)
    organizer: str = Field(min_length=2)  # who collects: the consolidated report is in its name
    co_organizers: tuple[str, ...] = ()
    issued_on: date | None = None
    deadline: date
    contact: Contact
    reporters: tuple[Reporter, ...]
    form: FormSpec

    @field_validator("reporters")
    @classmethod
    def _distinct_reporters(cls, reporters: tuple[Reporter, ...]) -> tuple[Reporter, ...]:
        if not reporters:
            raise ValueError("至少要有一个填报单位")
        seen: dict[str, int] = {}
        for index, reporter in enumerate(reporters):
            for name in reporter.names:
                if seen.get(name, index) != index:
                    other = reporters[seen[name]].name
                    raise ValueError(f"名称“{name}”同时属于第 {seen[name] + 1} 个（{other}）和第 {index + 1} 个填报单位")
                seen[name] = index
        return reporters

    @model_validator(mode="after")
    def _dates_in_order(self) -> Campaign:
        if self.issued_on and self.issued_on > self.deadline:
            raise ValueError(f"发文日期 {self.issued_on} 晚于报送截止日期 {self.deadline}")
        return self

    @property
    def title(self) -> str:
        return f"{self.year}年{self.form.title}"

    def reporter(self, name: str) -> Reporter:
        for reporter in self.reporters:
            if reporter.name == name:
                return reporter
        raise KeyError(name)


def _item(id: str, category: str, measure: Measure, name: str | None = None) -> Item:
    kind = ValueKind.MONEY if measure is Measure.TEN_THOUSAND_YUAN else ValueKind.COUNT
    return Item(id=id, category=category, name=name, measure=measure, kind=kind)


MEDIA = "媒体宣传报道"

DEFAULT_FORM = FormSpec(
    version="2023.1",
    title="“3·15”活动情况统计表",
    items=(
        _item("1", "普法宣传活动", Measure.SESSIONS),
        _item("2", "组织新闻发布/公开倡议", Measure.SESSIONS),
        _item("3", "接受咨询情况", Measure.CASES),
        _item("4", "接受投诉情况", Measure.CASES),
        _item("5", "为消费者挽回经济损失金额", Measure.TEN_THOUSAND_YUAN),
        _item("6.1", MEDIA, Measure.EPISODES, "电视专题节目"),
        _item("6.2", MEDIA, Measure.EPISODES, "广播专题节目"),
        _item("6.3", MEDIA, Measure.EPISODES, "报刊开设专栏"),
        _item("6.4", MEDIA, Measure.ARTICLES, "报刊发表文章"),
        _item("6.5", MEDIA, Measure.POSTS, "新媒体平台"),
        _item("7", "开展消费调查、消费体验和评议", Measure.TIMES),
        _item("8", "印发各类宣传资料", Measure.COPIES),
    ),
    rules=(
        Rule(
            code="money-without-complaints",
            when=Condition(left="#{5}", operator=">", right="0"),
            check=Condition(left="#{4}", operator=">", right="0"),
            message="为消费者挽回经济损失金额大于 0，但接受投诉为 0",
            hint="挽回损失通常来自处理投诉，请核实第 4、5 项",
        ),
    ),
)


def _county(name: str, short: str, *aliases: str) -> Reporter:
    return Reporter(name=name, short_name=short, aliases=aliases)


DEFAULT_CAMPAIGN = Campaign(
    year=2023,
    organizer="晋城市市场监督管理局",
    co_organizers=("晋城市消费者协会",),
    issued_on=date(2023, 2, 20),
    deadline=date(2023, 3, 22),
    contact=Contact(
        department="消保科", person="杨振清", phone="0356-2025287", email="jcsxbsck@163.com"
    ),
    reporters=(
        _county("城区市场监督管理局", "城区", "城区局", "城区市场监管局", "晋城市城区市场监督管理局"),
        _county("泽州县市场监督管理局", "泽州县", "泽州县局", "泽州县市场监管局", "泽州局"),
        _county("高平市市场监督管理局", "高平市", "高平市局", "高平市市场监管局", "高平局"),
        _county("阳城县市场监督管理局", "阳城县", "阳城县局", "阳城县市场监管局", "阳城局"),
        _county("陵川县市场监督管理局", "陵川县", "陵川县局", "陵川县市场监管局", "陵川局"),
        _county("沁水县市场监督管理局", "沁水县", "沁水县局", "沁水县市场监管局", "沁水局"),
        _county(
            "晋城市市场监督管理局开发区分局",
            "开发区",
            "开发区分局",
            "晋城经济技术开发区分局",
            "晋城经济技术开发区市场监督管理局",
        ),
    ),
    form=DEFAULT_FORM,
)
