"""The speed work held to the long way it replaced: each shortcut (the JSON builder, the numeric-
cell search, whole numbers, the folded-label and cell-name caches, printable texts, the outlier
pass, the merge's collector settings) given the inputs most likely to tell them apart."""

from __future__ import annotations

import enum
import gc
import json
import sys
import unicodedata
from bisect import bisect_left
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jc315cli.check.batch import _least_doubtful, _MedianWithout
from jc315cli.console.json_text import indented_json
from jc315cli.model.campaign import NOT_IN_NAMES, plain_name
from jc315cli.model.campaign_errors import control_characters
from jc315cli.model.text import _fold, fold
from jc315cli.read.formats import NUMERIC_CELL, _hidden_places, _shown_places, misleading
from jc315cli.read.workbook import a1
from tests.conftest import invoke
from tests.test_confirm import returned
from tests.test_worker_shortcuts import NUMERIC_CELL_LONG, NUMERIC_PIECES


class Severity(str, enum.Enum):
    error = "错误"
    warning = "warning"


class Level(enum.IntEnum):
    one = 1


class Text(str):
    pass


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


HIDDEN = "\u202e\u200b\u2028\u2029\ufeff\u00ad\ue000\ud800\x1b\x7f\x00\u0085\U000e0001"
ODD_VALUES: list[object] = [
    {1: "a"},
    {None: 1, True: 2, 1.5: 3},
    {Severity.error: Severity.warning},
    {Text("k"): Text("v")},
    {"k": Level.one},
    [Level.one, Severity.error, Text("x")],
    {"a": {}, "b": [], "c": [[], {}], "d": ({},)},
    [float("nan"), float("inf"), -float("inf"), -0.0, 1e300],
    10**4000,
    [10**300, -(10**300)],
    "x" + HIDDEN + "·汇总",
    {HIDDEN: [HIDDEN, {"": ""}]},
    (1, (2, (3,))),
]


@pytest.mark.parametrize("data", ODD_VALUES, ids=range(len(ODD_VALUES)))
def test_indented_json_is_json_dumps_for_odd_values(data: object) -> None:
    assert indented_json(data) == _dumps(data)


@pytest.mark.parametrize("data", [Decimal("1.10"), {"k": object()}, {(1, 2): 3}])
def test_indented_json_fails_as_json_dumps_fails(data: object) -> None:
    with pytest.raises(TypeError):
        _dumps(data)
    with pytest.raises(TypeError):
        indented_json(data)


def test_a_cycle_is_refused_as_json_dumps_refuses_it() -> None:
    cycle: list[object] = []
    cycle.append({"back": cycle})
    with pytest.raises(ValueError, match="Circular"):
        indented_json(cycle)


def test_deep_nesting_is_written_or_refused_as_json_dumps() -> None:
    for depth in (50, sys.getrecursionlimit() // 2, sys.getrecursionlimit() - 50):
        data: object = "leaf"
        for level in range(depth):
            data = [data] if level % 2 else {"k": data}
        try:
            expected = _dumps(data)
        except RecursionError:
            continue  # what json.dumps cannot write, nothing else is asked of the builder
        assert indented_json(data) == expected


_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.sampled_from([Severity.error, Severity.warning, Text("t"), Level.one, 0.5])
)
_keys = st.text() | st.sampled_from([Text("k"), Severity.error, 1, None, True])


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        _leaves,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.tuples(inner)
            | st.dictionaries(_keys, inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_indented_json_is_json_dumps_on_random_documents(data: Any) -> None:
    assert indented_json(data) == _dumps(data)


def _old_print_json(data: object) -> str:
    from jc315cli.commands.options import _NOT_ASCII, _escape

    return _NOT_ASCII.sub(_escape, _dumps(data) + "\n")


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=()) | st.sampled_from(list(HIDDEN + "·汇")),
        max_size=12,
    )
)
def test_print_json_writes_what_the_old_one_wrote(text: str) -> None:
    import io
    from contextlib import redirect_stdout

    from jc315cli.commands.options import print_json

    data = {"名称": text, text: [text, 1, None]}
    out = io.StringIO()
    with redirect_stdout(out):
        print_json(data)
    assert out.getvalue() == _old_print_json(data)


# The pieces of tests/test_worker_shortcuts.py and a few more: a name without a tag, a style
# of six digits (more than the pattern takes), a value of 41 digits (more than it takes).
_pieces = st.sampled_from([*NUMERIC_PIECES, b"c", b's="', b' r="E9"', b' s="123456"', b"9" * 41])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_pieces, max_size=25).map(b"".join))
def test_numeric_cell_search_finds_what_it_found_without_the_lookahead(sheet: bytes) -> None:
    assert NUMERIC_CELL.findall(sheet) == NUMERIC_CELL_LONG.findall(sheet)


WHOLE = [
    "0",
    "-0",
    "00",
    "+5",
    " 5",
    "5 ",
    "١٢",
    "²",
    "5" * 40,
    "9" * 400,
    "1E5",
    "0" * 39 + "1",
    "12345678901234567890",
    "4503599627370497",
    "9007199254740993",
]
FORMATS = [
    "0",
    "0.0",
    "0.00",
    "#,##0.00",
    "0.0%",
    "0%",
    "0,",
    "#,##0,",
    "0.0E+0",
    "# ?/?",
    "0.0;-0.0",
    '0"件"',
    '0.0"万元"',
    "General",
    "@",
    "",
    "[红色]0.00",
    "0_);(0)",
    "#",
    "0.000000",
]


@pytest.mark.parametrize("code", FORMATS)
def test_misleading_with_whole_numbers_is_the_long_way(code: str) -> None:
    for value in WHOLE:
        shown = _shown_places(code)
        old = (
            shown if shown is None or isinstance(shown, str) else _hidden_places(code, shown, value)
        )
        assert misleading(code, value) == old, value


class Odd(str):
    def __str__(self) -> str:
        return Odd("not " + str.__str__(self))


def test_fold_answers_each_text_its_own_fold() -> None:
    for text in ["1", 1, 1.0, True, Text("1"), Odd("合计"), "合 计", "ＡＢ", "a" * 200, "a" * 201]:
        fold(text)  # the cache filled in any order
    for text in [1, "1", 1.0, True, Text("1"), Odd("合计"), "合 计", "ＡＢ", "a" * 200, "a" * 201]:
        assert fold(text) == _fold(str(text)), text
        assert type(fold(text)) is str


def test_a1_answers_each_cell_its_own_name() -> None:
    assert a1(0, 0) == "A1"
    assert a1(False, False) == "A1"  # (a bool is an int: the same cell, as before)
    assert a1(8, 4) == "E9" and a1(8, 26) == "AA9" and a1(0, 16383) == "XFD1"


_planes = range(sys.maxunicode + 1)


def test_a_printable_text_holds_nothing_a_campaign_text_refuses() -> None:
    for code in _planes:
        ch = chr(code)
        if ch.isprintable():
            assert unicodedata.category(ch) not in NOT_IN_NAMES, hex(code)
            assert unicodedata.category(ch) not in ("Cc", "Cf"), hex(code)


@pytest.mark.parametrize(
    "ch",
    [
        "\u00ad",
        "\u200b",
        "\ufeff",
        "\u2060",
        "\u180e",
        "\u061c",
        "\U000e0001",
        "\U000e0041",
        "\u202e",
        "\u2066",
        "\x1b",
        "\x85",
        "\u2028",
        "\u2029",
        "\ue000",
        "\ud800",
    ],
)
def test_a_hidden_character_is_refused_in_a_name_and_a_text(ch: str) -> None:
    with pytest.raises(ValueError, match=f"U\\+{ord(ch):04X}"):
        plain_name("城区" + ch + "局")
    if unicodedata.category(ch) in ("Cc", "Cf"):
        assert control_characters({"a": [{"b": "城区" + ch}]}, "")


@pytest.mark.parametrize("ch", ["\ufe0f", "\u0301", "\u3164", "\u115f", "\u3000", "\u00a0"])
def test_what_the_long_way_let_through_still_passes(ch: str) -> None:
    """Not hidden by the categories the long way asked about: the shortcut must not refuse
    them either (U+3000 and U+00A0 are not printable, so the long way is walked)."""
    assert plain_name("城区" + ch + "局") == "城区" + ch + "局"
    assert control_characters({"a": "城区" + ch}, "") == []


def _old_median_without(ordered: list[Decimal], value: Decimal) -> Decimal:
    skip = bisect_left(ordered, value)
    size = len(ordered) - 1

    def at(k: int) -> Decimal:
        return ordered[k if k < skip else k + 1]

    middle = size // 2
    return at(middle) if size % 2 else (at(middle - 1) + at(middle)) / 2


_money = st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False) | st.sampled_from(
    [Decimal(0), Decimal("0.000001"), Decimal("1.0000000000000000000000000001"), Decimal(7)]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_money, min_size=3, max_size=9), st.integers(1, 20), _money | st.none())
def test_outlier_shortcut_is_the_plain_definition(
    values: list[Decimal], factor: int, bound: Decimal | None
) -> None:
    ordered = sorted(values)
    medians = _MedianWithout(ordered)
    least = _least_doubtful(bound, medians, factor)
    for value in values:
        median = _old_median_without(ordered, value)
        assert medians(value) == median
        doubtful = (bound is not None and value > bound) or (median > 0 and value > factor * median)
        if least is None or value <= least:
            assert not doubtful, (value, least)


def test_fewer_than_three_values_have_only_the_bound() -> None:
    assert _least_doubtful(None, None, 10) is None
    assert _least_doubtful(Decimal(5), None, 10) == Decimal(5)
    assert _least_doubtful(None, _MedianWithout([Decimal(0)] * 3), 10) is None


def test_a_merge_run_in_process_leaves_the_collector_as_it_found_it(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge raises the collector's thresholds and freezes what is loaded; a process that
    goes on (tests through CliRunner, a page merging again and again) must get back the
    collector it had, or each merge would keep for good whatever garbage was alive then."""
    folder, _ = returned(tmp_path, runner, gaoping_money=3)
    monkeypatch.chdir(folder)
    before = gc.get_threshold()
    gc.unfreeze()
    merged = invoke(runner, "merge", "--date", "2023-03-24", "--format", "json")
    assert merged.exit_code in (0, 1), merged.output
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_refused_merge_too_leaves_the_collector_as_it_found_it(
    tmp_path: Path, runner: CliRunner
) -> None:
    before = gc.get_threshold()
    gc.unfreeze()
    refused = invoke(runner, "merge", tmp_path / "没有这个文件夹", "-o", tmp_path / "汇总.xlsx")
    assert refused.exit_code == 2, refused.output
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_console_script_keeps_what_it_froze_until_the_process_ends(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unfrozen at the end, the heap of a merge is taken apart object by object as the
    process exits (~60 ms of a merge of seven forms): the console script keeps it frozen."""
    from jc315cli import launch

    folder, _ = returned(tmp_path, runner, gaoping_money=3)
    monkeypatch.chdir(folder)
    monkeypatch.setattr(sys, "argv", ["jc315", "merge", "--date", "2023-03-24", "--format", "json"])
    before = gc.get_threshold()
    try:
        with pytest.raises(SystemExit) as ended:
            launch.main()
        assert ended.value.code == 0
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()
