"""The form as data and campaign files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jc315cli.model.builtin import DEFAULT_CAMPAIGN, DEFAULT_FORM
from jc315cli.model.campaign_file import campaign_to_toml, load_campaign
from jc315cli.model.form import ValueKind
from jc315cli.problems.errors import Jc315Error
from tests.conftest import invoke


def test_default_form_follows_the_attachment() -> None:
    ids = [item.id for item in DEFAULT_FORM.items]
    assert ids == ["1", "2", "3", "4", "5", "6.1", "6.2", "6.3", "6.4", "6.5", "7", "8"]
    assert DEFAULT_FORM.item("7").measure == "次"
    assert DEFAULT_FORM.measure_of(DEFAULT_FORM.item("5")).kind is ValueKind.MONEY
    assert [i.name for i in DEFAULT_FORM.items if i.category == "媒体宣传报道"] == [
        "电视专题节目",
        "广播专题节目",
        "报刊开设专栏",
        "报刊发表文章",
        "新媒体平台",
    ]
    assert {m.name for m in DEFAULT_FORM.measures} == {
        "场次",
        "件",
        "万元",
        "期",
        "篇",
        "条",
        "次",
        "份",
    }


def test_default_campaign() -> None:
    c = DEFAULT_CAMPAIGN
    assert (c.year, c.deadline.isoformat(), c.organizer) == (
        2023,
        "2023-03-22",
        "晋城市市场监督管理局",
    )
    assert c.co_organizers == ("晋城市消费者协会",)
    assert (c.contact.department, c.contact.person, c.contact.phone, c.contact.email) == (
        "消保科",
        "杨振清",
        "0356-2025287",
        "jcsxbsck@163.com",
    )
    assert len(c.reporters) == 7
    assert "泽州县局" in c.reporter("泽州县市场监督管理局").aliases
    assert c.title == "2023年“3·15”活动情况统计表"


def test_init_writes_a_toml_that_loads_back_equal(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "c.toml"
    result = invoke(runner, "init", path)
    assert result.exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "# 报送截止日期" in text
    assert load_campaign(path) == DEFAULT_CAMPAIGN
    assert campaign_to_toml(DEFAULT_CAMPAIGN) == text
    again = invoke(runner, "init", path)
    assert again.exit_code == 1 and "已存在" in again.output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("deadline = 2023-03-22", 'deadline = "三月底"', "deadline"),
        ("year = 2023", 'year = "二〇二三"', "year：应为整数"),
        ('measure = "次"', 'measure = "回"', "第 7 项的计量单位“回”未在 measures 中定义"),
        ('kind = "money"', 'kind = "count"', "不能有小数位"),
        ('name = "泽州县市场监督管理局"', 'name = "城区市场监督管理局"', "城区市场监督管理局"),
        ("year = 2023", "year = 2023\ncolour = 1", "colour：不认识的字段"),
        ('right = "0" }\nmessage', 'right = "0" }\nmessage', None),
    ],
)
def test_bad_campaign_file_names_field_and_value(
    tmp_path: Path, runner: CliRunner, old: str, new: str, expected: str | None
) -> None:
    text = campaign_to_toml(DEFAULT_CAMPAIGN)
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if expected is None:  # a no-op edit: the control case must load
        assert load_campaign(path) == DEFAULT_CAMPAIGN
        return
    with pytest.raises(Jc315Error) as info:
        load_campaign(path)
    assert expected in info.value.message
    result = invoke(runner, "generate", "--out", tmp_path / "out", "--campaign", path)
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_rule_referring_to_unknown_item_is_rejected(tmp_path: Path) -> None:
    text = campaign_to_toml(DEFAULT_CAMPAIGN).replace('left = "#{4}"', 'left = "#{9}"')
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Jc315Error, match=r"#\{9\}"):
        load_campaign(path)


def test_campaign_file_not_toml_or_missing(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("year = = 2023", encoding="utf-8")
    result = invoke(runner, "template", "-o", tmp_path / "t.xlsx", "--campaign", path)
    assert (
        result.exit_code == 2 and "第 1 行有误" in result.output and "多了一个等号" in result.output
    )
    result = invoke(
        runner, "template", "-o", tmp_path / "t.xlsx", "--campaign", tmp_path / "nope.toml"
    )
    assert result.exit_code == 2 and "找不到活动配置文件" in result.output


# Every text field of type Printable, as a path into the campaign's data.
PRINTABLE_FIELDS = [
    ("organizer",),
    ("co_organizers", 0),
    ("reporters", 0, "contact"),
    ("reporters", 0, "phone"),
    ("reporters", 0, "email"),
    ("materials", 1, "name"),
    ("materials", 1, "words", 0),
    ("materials", 2, "unit"),
    ("form", "title"),
    ("form", "version"),
    ("form", "items", 0, "phrase"),
    ("form", "items", 5, "lead"),
    ("form", "items", 5, "tail"),
]


@pytest.mark.parametrize("path", PRINTABLE_FIELDS, ids=lambda p: ".".join(map(str, p)))
def test_every_printable_text_refuses_a_control_character(path: tuple[str | int, ...]) -> None:
    """A campaign built in code (not read from a file, whose texts are checked before the
    models) still cannot carry an escape sequence or a direction mark onto a form."""
    from pydantic import ValidationError

    from jc315cli.model.campaign import Campaign

    data: Any = DEFAULT_CAMPAIGN.model_dump(mode="json")
    place = data
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = "晋城\u202e市"
    with pytest.raises(ValidationError, match="控制字符") as raised:
        Campaign.model_validate(data)
    assert raised.value.errors()[0]["loc"][: len(path)] == path
