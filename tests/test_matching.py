"""Which reporter a text names: the rule that a longer name wins, and that a name inside another
unit's longer name is that unit's, wherever the names stand in the text."""

from __future__ import annotations

import pytest

from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Reporter
from jc315cli.read.matching import match_reporter, reporter_named, reporters_named

CITY = Reporter(name="城区市场监督管理局", short_name="城区")
OLD_TOWN = Reporter(name="老城区市场监督管理局", short_name="老城区")
NEW_TOWN = Reporter(name="城区新区市场监督管理局", short_name="城区新区")
NESTED = DEFAULT_CAMPAIGN.model_copy(update={"reporters": (CITY, OLD_TOWN, NEW_TOWN)})


def short(reporter: Reporter | None) -> str | None:
    return reporter.short_name if reporter else None


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("泽州县城区", "泽州县"),  # two names inside: the longer one, at the start
        ("城区泽州县", "泽州县"),  # … or at the end
        ("城区泽州县市场监督管理局", "泽州县"),
        ("泽州县高平市", None),  # as long as each other: nobody
        ("泽州县", "泽州县"),  # exact
        ("", None),
    ],
)
def test_the_longest_name_inside_the_text_wins(text: str, meant: str | None) -> None:
    assert short(match_reporter(DEFAULT_CAMPAIGN, text)) == meant


def test_a_name_inside_another_units_longer_name() -> None:
    assert short(match_reporter(NESTED, "老城区市场监督管理局（盖章）")) == "老城区"
    assert short(match_reporter(NESTED, "城区市场监督管理局（盖章）")) == "城区"
    assert [r.short_name for r in reporters_named(NESTED, "老城区照片")] == ["老城区"]
    assert [r.short_name for r in reporters_named(NESTED, "照片老城区")] == ["老城区"]
    assert [r.short_name for r in reporters_named(NESTED, "城区新区照片")] == ["城区新区"]
    both = reporters_named(NESTED, "老城区与城区联合检查照片")
    assert [r.short_name for r in both] == ["城区", "老城区"]  # the campaign's order


def test_reporter_by_its_full_name_only() -> None:
    assert reporter_named(NESTED, "老城区市场监督管理局") is OLD_TOWN
    assert reporter_named(NESTED, "老城区") is None
