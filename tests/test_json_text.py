"""The JSON a command prints is json.dumps(…, ensure_ascii=False, indent=2), character for
character, whatever the values: console/json_text.py only builds it faster."""

from __future__ import annotations

import json
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any

import pytest

from jc315cli.console.json_text import indented_json
from jc315cli.problems.report import Severity


class Colour(str, Enum):
    RED = "红"


class Level(IntEnum):
    HIGH = 3


def _same(data: Any) -> None:
    assert indented_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


@pytest.mark.parametrize(
    "data",
    [
        {},
        [],
        "",
        None,
        True,
        0,
        -(10**30),
        {"a": {}, "b": [], "c": [[]], "d": [{}], "e": [{"f": []}]},
        {"空": None, "真": True, "假": False, "数": 12, "文": "泽州县\n\t“引号”\\"},
        [1, "二", None, True, False, [3, [4, {"五": [6]}]], {"七": {"八": "九"}}],
        ("a", ("b", "c")),  # tuples are lists
        {"s": Severity.ERROR, "c": [Colour.RED], Colour.RED: 1},  # text enums, also as keys
        {"n": Level.HIGH, "f": 1.5, "g": [0.1, float("inf"), float("nan")]},
        {1: "a", 2.5: "b", False: "c", None: "d"},  # keys that are not text
        {"\u202e隐藏\u200b": "\ud800\U0001f600\x1b\u2028", "\x00": "\x7f"},
        [[[[[[[[[["深"]]]]]]]]]],
    ],
)
def test_indented_json_is_json_dumps(data: Any) -> None:
    _same(data)


def test_what_json_dumps_refuses_it_refuses_alike() -> None:
    loop: list[object] = []
    loop.append(loop)
    for bad, error in (({"x": Decimal(1)}, TypeError), (loop, ValueError), ({(1,): 2}, TypeError)):
        with pytest.raises(error):
            json.dumps(bad, ensure_ascii=False, indent=2)
        with pytest.raises(error):
            indented_json(bad)


def test_a_merge_prints_what_json_dumps_printed() -> None:
    """A real document: the examples' merge, as `merge --format json` gives it."""
    from datetime import date
    from pathlib import Path

    from jc315cli.check.merge_plan import plan_merge
    from jc315cli.check.validate import validate_paths
    from jc315cli.model.builtin import DEFAULT_CAMPAIGN

    returned = Path(__file__).parent.parent / "examples" / "returned"
    report = validate_paths([returned], DEFAULT_CAMPAIGN)
    plan = plan_merge(report, DEFAULT_CAMPAIGN, filled_on=date(2023, 3, 25), skip_invalid=True)
    data = {**plan.to_json(Path("汇总.xlsx")), "report": report.model_dump(mode="json")}
    assert len(json.dumps(data)) > 10_000
    _same(data)


def test_print_json_escapes_each_hidden_character_and_only_those(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each character that would hide or reorder text is a \\u escape wherever it stands (a
    key, a value, twice); what a person can see (3·15, （, ①, é) stays itself."""
    from jc315cli.commands.options import print_json

    print_json({"\u200b键": ["3·15（①）é\u202e", "\u202e\u2028\U000f0000"]})
    assert capsys.readouterr().out == (
        "{\n"
        '  "\\u200b键": [\n'
        '    "3·15（①）é\\u202e",\n'
        '    "\\u202e\\u2028\\udb80\\udc00"\n'
        "  ]\n"
        "}\n"
    )
