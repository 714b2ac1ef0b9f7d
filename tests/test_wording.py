"""The items' wording for the 活动总结 (phrase, lead, tail) is campaign data: written by
`jc315 init`, read back, edited, and checked like every other field of the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign_file import campaign_to_toml, load_campaign
from jc315cli.problems.errors import Jc315Error

TEXT = campaign_to_toml(DEFAULT_CAMPAIGN)


def test_init_writes_the_wording_and_it_loads_back() -> None:
    assert 'phrase = "接受消费者咨询"' in TEXT
    assert 'lead = "通过"' in TEXT and 'tail = "等渠道开展宣传报道"' in TEXT
    assert "# phrase 为活动总结" in TEXT
    media = DEFAULT_CAMPAIGN.form.item("6.1")
    assert (media.phrase, media.lead, media.tail) == ("电视专题节目", "通过", "等渠道开展宣传报道")


def test_edited_wording_is_read_and_an_item_may_have_none(tmp_path: Path) -> None:
    text = TEXT.replace('phrase = "受理消费者投诉"', 'phrase = "接到投诉"', 1)
    text = text.replace('phrase = "印发各类宣传资料"\n', "", 1)
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    form = load_campaign(path).form
    assert form.item("4").phrase == "接到投诉"
    assert form.item("8").phrase is None
    assert campaign_to_toml(load_campaign(path)) == text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'phrase = "广播专题节目"',
            'phrase = "广播专题节目"\nlead = "借助"',
            "第 6.2 项：lead 和 tail 只能写在一组子项的第一项（第 6.1 项）",
        ),
        ('phrase = "报刊专栏"', 'phrase = ""', "phrase"),
        ('phrase = "报刊专栏"', 'phrase = "报刊\\u001b专栏"', "控制字符"),
    ],
)
def test_bad_wording_is_refused_with_the_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in TEXT
    path = tmp_path / "bad.toml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(Jc315Error) as info:
        load_campaign(path)
    assert expected in info.value.message and info.value.exit_code == 2
