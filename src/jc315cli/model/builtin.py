"""The built-in campaign: the 2023 notice of 晋城市市场监督管理局 (晋市市监〔2023〕20号) and its
attachment, the 2023年“3·15”活动情况统计表. `jc315 init` writes it out as a campaign file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jc315cli.model.campaign import Campaign, Contact, Material, Reporter
from jc315cli.model.form import Chart, Conversion, FormSpec, Item, Measure, ValueKind
from jc315cli.model.rules import Condition, Rule

DEFAULT_MEASURES = (
    Measure(name="场次", suffixes=("场",)),
    Measure(name="件"),
    Measure(
        name="万元",
        kind=ValueKind.MONEY,
        places=4,
        suffixes=("万",),
        conversions=(Conversion(unit="元", factor=Decimal("0.0001")),),
    ),
    Measure(name="期"),
    Measure(name="篇"),
    Measure(name="条"),
    Measure(name="次"),
    Measure(name="份"),
)


def _item(
    id: str,
    category: str,
    measure: str,
    name: str | None = None,
    *,
    max: int,
    phrase: str,
    lead: str | None = None,
    tail: str | None = None,
) -> Item:
    return Item(
        id=id,
        category=category,
        name=name,
        measure=measure,
        max=Decimal(max),
        phrase=phrase,
        lead=lead,
        tail=tail,
    )


MEDIA = "媒体宣传报道"

# Bounds (`max`) a county-level bureau's own 3·15 form cannot plausibly exceed: a few hundred
# events, tens of thousands of consultations, 1,000 万元 (ten million yuan) recovered. A value
# above one is 请核实, never refused.
DEFAULT_FORM = FormSpec(
    version="2023.1",
    title="“3·15”活动情况统计表",
    measures=DEFAULT_MEASURES,
    items=(
        _item("1", "普法宣传活动", "场次", max=500, phrase="开展普法宣传活动"),
        _item("2", "组织新闻发布/公开倡议", "场次", max=200, phrase="组织新闻发布/公开倡议"),
        _item("3", "接受咨询情况", "件", max=50000, phrase="接受消费者咨询"),
        _item("4", "接受投诉情况", "件", max=20000, phrase="受理消费者投诉"),
        _item("5", "为消费者挽回经济损失金额", "万元", max=1000, phrase="为消费者挽回经济损失"),
        _item(
            "6.1",
            MEDIA,
            "期",
            "电视专题节目",
            max=200,
            phrase="电视专题节目",
            lead="通过",
            tail="等渠道开展宣传报道",
        ),
        _item("6.2", MEDIA, "期", "广播专题节目", max=200, phrase="广播专题节目"),
        _item("6.3", MEDIA, "期", "报刊开设专栏", max=200, phrase="报刊专栏"),
        _item("6.4", MEDIA, "篇", "报刊发表文章", max=1000, phrase="报刊文章"),
        _item("6.5", MEDIA, "条", "新媒体平台", max=10000, phrase="新媒体平台发布信息"),
        _item(
            "7", "开展消费调查、消费体验和评议", "次", max=1000, phrase="开展消费调查、体验和评议"
        ),
        _item("8", "印发各类宣传资料", "份", max=1000000, phrase="印发各类宣传资料"),
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
    chart=Chart(title="各单位接受咨询、投诉情况", items=("3", "4")),
)


# The notice: “请各单位将“3.15”活动总结、图片资料及“3.15”活动情况统计表……报送市局”. A .pdf may be
# either a summary or scanned pictures: the words in its name tell which.
DEFAULT_MATERIALS = (
    Material(name="统计表", form=True),
    Material(
        name="活动总结",
        extensions=(".doc", ".docx", ".wps", ".pdf", ".odt", ".rtf", ".txt"),
        words=("总结", "小结", "情况报告", "工作报告"),
    ),
    Material(
        name="图片资料",
        extensions=(
            *(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp"),
            *(".pdf", ".zip", ".rar", ".7z"),
        ),
        words=("图片", "照片", "相片", "图集"),
        unit="张",
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
        _county(
            "城区市场监督管理局", "城区", "城区局", "城区市场监管局", "晋城市城区市场监督管理局"
        ),
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
    materials=DEFAULT_MATERIALS,
)
