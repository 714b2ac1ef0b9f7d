"""A campaign's size and dates, and the dates of the command line, have bounds (bounds.py):
beyond one, a command stops at once with a Chinese message naming the field (exit 2), never
with a traceback, an overflow three days later, or minutes of work on a 900 KB title.

Each test writes what `jc315 init` writes, edited as a person (or a slip) would, to a real
file and runs the command line on it."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jc315cli.model.bounds import (
    FIRST_DAY,
    LAST_DAY,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_EXPRESSION,
    MAX_ITEMS,
    MAX_LIST,
    MAX_NAME,
    MAX_REPORTERS,
    MAX_RULES,
    MAX_SENTENCE,
    MAX_TEXT,
    MAX_TITLE,
)
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign_errors import SHOWN_MISTAKES
from jc315cli.model.campaign_file import campaign_to_toml
from jc315cli.model.layout import DETAIL_SHEET
from jc315cli.problems.shown import TEXT_LIMIT
from tests.conftest import EXAMPLES, filled_form, invoke

INIT = campaign_to_toml(DEFAULT_CAMPAIGN)
RANGE = f"{FIRST_DAY} 至 {LAST_DAY}"
FORM = EXAMPLES / "2023年3·15活动情况统计表-泽州县市场监督管理局.xlsx"


def campaign(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    return path


def edit(old: str, new: str, text: str = INIT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def refused(runner: CliRunner, path: Path, *args: object) -> str:
    """The output of a command run with the campaign file `path`, which must refuse it."""
    result = invoke(runner, *(args or ("validate", FORM)), "--campaign", path)
    assert result.exit_code == 2, result.output
    assert "活动配置文件" in result.output and "Traceback" not in result.output
    return flat(result.output)


def flat(text: str) -> str:
    """`text` without the spaces, line breaks and box edges a terminal's wrapping adds."""
    return re.sub(r"[\s│]+", "", text)


def reporters(count: int) -> str:
    return "".join(
        f'[[reporters]]\nname = "第{i}号测试市场监督管理局"\nshort_name = "测试{i}"\n\n'
        for i in range(count)
    )


def with_reporters(count: int) -> str:
    """INIT with `count` more reporters after the real seven."""
    return edit("# 报送材料：", reporters(count) + "# 报送材料：")


# Nesting -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "[" * 1000 + "]" * 1000,  # the parser itself would recurse past Python's limit
        "{a = " * 1000 + "1" + "}" * 1000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # parses; refused before the models
        "{a = " * 50 + "1" + "}" * 50,
    ],
    ids=["list-1000", "table-1000", "list-9", "table-50"],
)
def test_deep_nesting_is_refused(tmp_path: Path, runner: CliRunner, value: str) -> None:
    path = campaign(
        tmp_path, edit('co_organizers = ["晋城市消费者协会"]', f"co_organizers = {value}")
    )
    assert f"超过{MAX_DEPTH}层" in refused(runner, path)


# Dates ---------------------------------------------------------------------------------------


DATE_EDITS = {
    "deadline-9999": ({"deadline = 2023-03-22": "deadline = 9999-12-31"}, "deadline"),
    "deadline-2101": ({"deadline = 2023-03-22": "deadline = 2101-01-01"}, "deadline"),
    "deadline-0001": (  # no issue date: the plausible window starts a year before the deadline
        {"issued_on = 2023-02-20\n": "", "deadline = 2023-03-22": "deadline = 0001-01-02"},
        "deadline",
    ),
    "issued-0001": ({"issued_on = 2023-02-20": "issued_on = 0001-01-02"}, "issued_on"),
    "issued-1999": ({"issued_on = 2023-02-20": "issued_on = 1999-12-31"}, "issued_on"),
}


@pytest.mark.parametrize("case", DATE_EDITS)
@pytest.mark.parametrize("command", ["validate", "generate", "template"])
def test_campaign_dates_are_bounded(
    tmp_path: Path, runner: CliRunner, case: str, command: str
) -> None:
    edits, field = DATE_EDITS[case]
    text = INIT
    for old, new in edits.items():
        text = edit(old, new, text)
    args = {
        "validate": ("validate", FORM),
        "generate": ("generate", "-o", tmp_path / "下发"),
        "template": ("template", "-o", tmp_path / "模板.xlsx"),
    }[command]
    output = refused(runner, campaign(tmp_path, text), *args)
    assert flat(f"{field}：日期应在 {RANGE} 之间") in output
    assert not (tmp_path / "下发").exists() and not (tmp_path / "模板.xlsx").exists()


def test_dates_at_the_ends_of_the_range_are_accepted(tmp_path: Path, runner: CliRunner) -> None:
    text = edit("issued_on = 2023-02-20", f"issued_on = {FIRST_DAY}")
    text = edit("deadline = 2023-03-22", f"deadline = {LAST_DAY}", text)
    result = invoke(runner, "validate", FORM, "--campaign", campaign(tmp_path, text))
    assert result.exit_code in (0, 1) and "日期应在" not in result.output


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-02", "2101-01-01", "1999年12月31日"])
@pytest.mark.parametrize("option", ["--date", "--deadline"])
def test_command_line_dates_are_bounded(
    tmp_path: Path, runner: CliRunner, day: str, option: str
) -> None:
    result = invoke(runner, "feedback", FORM, "-o", tmp_path / "退回", option, day)
    assert result.exit_code == 2
    assert flat(f"{option} 的取值无效：日期") in flat(result.output)
    assert flat(f"不在 {RANGE} 之间") in flat(result.output)
    assert not (tmp_path / "退回").exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-02"])
def test_merge_date_is_bounded(tmp_path: Path, runner: CliRunner, day: str) -> None:
    result = invoke(runner, "merge", FORM, "-o", tmp_path / "汇总.xlsx", "--date", day)
    assert result.exit_code == 2 and flat(f"--date 的取值无效：日期 {day}") in flat(result.output)
    assert not (tmp_path / "汇总.xlsx").exists()


def test_the_last_day_is_a_date_feedback_can_use(tmp_path: Path, runner: CliRunner) -> None:
    # Three days after the last --date is past the range, but only as a default deadline.
    result = invoke(runner, "feedback", FORM, "-o", tmp_path / "退回", "--date", str(LAST_DAY))
    assert result.exit_code in (0, 1), result.output


def test_a_deadline_before_the_date_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "退回"
    result = invoke(
        runner, "feedback", FORM, "-o", out, "--date", "2023-03-25", "--deadline", "2023-03-24"
    )
    assert result.exit_code == 2 and not out.exists()
    assert flat("要求重新报送的日期 2023-03-24 早于落款日期 2023-03-25") in flat(result.output)
    result = invoke(runner, "feedback", FORM, "-o", out, "--deadline", "2023-03-24")
    assert result.exit_code == 2 and "（今天）" in result.output and not out.exists()
    result = invoke(
        runner, "feedback", FORM, "-o", out, "--date", "2023-03-25", "--deadline", "2023-03-25"
    )
    assert result.exit_code in (0, 1), result.output  # the same day is a deadline


# Size ----------------------------------------------------------------------------------------


def test_more_reporters_than_the_bound_are_refused(tmp_path: Path, runner: CliRunner) -> None:
    path = campaign(tmp_path, with_reporters(MAX_REPORTERS - 6))
    output = refused(runner, path, "merge", FORM, "-o", tmp_path / "汇总.xlsx")
    assert flat(f"reporters：有 {MAX_REPORTERS + 1} 项，最多 {MAX_REPORTERS} 项") in output
    assert not (tmp_path / "汇总.xlsx").exists()


def test_a_sheet_full_of_reporters_is_refused_not_a_traceback(
    tmp_path: Path, runner: CliRunner
) -> None:
    # 16,500 reporters: one column each in 分单位明细 would pass a sheet's 16,384 columns.
    short = "".join(f'[[reporters]]\nname="{i}号局"\nshort_name="d{i}"\n' for i in range(16_500))
    path = campaign(tmp_path, edit("# 报送材料：", short + "# 报送材料："))
    output = refused(runner, path, "merge", FORM, "-o", tmp_path / "汇总.xlsx")
    assert flat(f"最多 {MAX_REPORTERS} 项") in output


def test_a_campaign_at_the_reporter_bound_merges(tmp_path: Path, runner: CliRunner) -> None:
    path = campaign(tmp_path, with_reporters(MAX_REPORTERS - 7))
    out = tmp_path / "汇总.xlsx"
    result = invoke(
        runner, "merge", filled_form(tmp_path / "泽州县.xlsx"), "-o", out, "--campaign", path
    )
    assert result.exit_code == 0, result.output
    detail = load_workbook(out, read_only=True)[DETAIL_SHEET]
    header = [cell for row in detail.iter_rows(max_row=3, values_only=True) for cell in row]
    assert f"测试{MAX_REPORTERS - 8}（未报送）" in header


def test_more_items_than_the_bound_are_refused(tmp_path: Path, runner: CliRunner) -> None:
    items = "".join(
        f'[[form.items]]\nid = "{100 + i}"\ncategory = "项目{i}"\nmeasure = "件"\n\n'
        for i in range(MAX_ITEMS)
    )
    text = edit("# 汇总表“分单位明细”中的柱状图", items + "# 汇总表“分单位明细”中的柱状图")
    output = refused(runner, campaign(tmp_path, text))
    count = len(DEFAULT_CAMPAIGN.form.items) + MAX_ITEMS
    assert flat(f"form.items：有 {count} 项，最多 {MAX_ITEMS} 项") in output


def test_other_lists_are_bounded(tmp_path: Path, runner: CliRunner) -> None:
    aliases = ", ".join(f'"泽州{i}局"' for i in range(MAX_LIST + 1))
    text = edit('aliases = ["泽州县局"', f"aliases = [{aliases}, " + '"泽州县局"')
    output = refused(runner, campaign(tmp_path, text))
    assert flat(f"reporters.2.aliases：有 {MAX_LIST + 4} 项，最多 {MAX_LIST} 项") in output


TEXT_FIELDS = [  # (the start of a line in INIT, its field, the field's bound)
    ('title = "“3·15”', "form.title", MAX_TITLE),
    ("version = ", "form.version", MAX_TEXT),
    ("organizer = ", "organizer", MAX_TEXT),
    ("co_organizers = ", "co_organizers.1", MAX_TEXT),
    ("department = ", "contact.department", MAX_TEXT),
    ("person = ", "contact.person", MAX_TEXT),
    ("phone = ", "contact.phone", MAX_TEXT),
    ("email = ", "contact.email", MAX_TEXT),
    ('name = "泽州县', "reporters.2.name", MAX_NAME),
    ('short_name = "泽州县"', "reporters.2.short_name", MAX_NAME),
    ('aliases = ["泽州县局"', "reporters.2.aliases.1", MAX_NAME),
    ('category = "普法', "form.items.1.category", MAX_TEXT),
    ("phrase = ", "form.items.1.phrase", MAX_TEXT),
    ('name = "场次"', "form.measures.1.name", MAX_TEXT),
    ("value = ", "form.labels.value", MAX_TEXT),
    ('name = "活动总结"', "materials.2.name", MAX_TEXT),
    ("message = ", "form.rules.1.message", MAX_SENTENCE),
    ("hint = ", "form.rules.1.hint", MAX_SENTENCE),
    ('title = "各单位', "form.chart.title", MAX_TEXT),
]


@pytest.mark.parametrize(("start", "field", "limit"), TEXT_FIELDS, ids=[f[1] for f in TEXT_FIELDS])
def test_a_text_one_over_its_bound_is_refused_naming_the_field(
    tmp_path: Path, runner: CliRunner, start: str, field: str, limit: int
) -> None:
    line = next(line for line in INIT.splitlines() if line.startswith(start))
    longer = re.sub('"[^"]*"', f'"{"长" * (limit + 1)}"', line, count=1)
    output = refused(runner, campaign(tmp_path, edit(line, longer)))
    assert flat(f"{field}：太长，有 {limit + 1} 个字，最多 {limit} 个字") in output
    exactly = re.sub('"[^"]*"', f'"{"长" * limit}"', line, count=1)
    result = invoke(runner, "validate", FORM, "--campaign", campaign(tmp_path, edit(line, exactly)))
    assert flat(f"最多 {limit} 个字") not in flat(result.output)  # a model's own may be lower


def test_the_real_campaign_is_within_every_bound(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(runner, "validate", FORM, "--campaign", campaign(tmp_path, INIT))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("line", "key"),
    [('title = "“3·15”活动情况统计表"', "title"), ('version = "2023.1"', "version")],
)
@pytest.mark.parametrize("command", ["generate", "merge", "validate"])
def test_a_900_kb_title_or_version_is_refused_at_once(
    tmp_path: Path, runner: CliRunner, line: str, key: str, command: str
) -> None:
    # Before the bound: generate 51 s (longer in CJK), merge killed after 300 s.
    path = campaign(tmp_path, edit(line, f'{key} = "{"标" * 300_000}"'))
    args = {
        "generate": ("generate", "-o", tmp_path / "下发"),
        "merge": ("merge", FORM, "-o", tmp_path / "汇总.xlsx"),
        "validate": ("validate", FORM),
    }[command]
    start = time.perf_counter()
    output = refused(runner, path, *args)
    assert time.perf_counter() - start < 10
    assert flat(f"form.{key}：太长，有 300000 个字") in output and "（共300000字）" in output
    assert len(output) < 1000


def test_a_long_value_is_clipped_in_every_kind_of_message(
    tmp_path: Path, runner: CliRunner
) -> None:
    big = "标" * 200_000
    # A syntax error on a 600 KB line; the bound of any text (a reporter's phone of 200); a key.
    for text, said in [
        (edit('organizer = "晋城市市场监督管理局"', f"organizer = {big}"), "第 8 行有误"),
        (
            edit('# phone = "0356-0000000"', f'phone = "{"1" * 2 * MAX_TEXT}"'),
            f'太长，有 {2 * MAX_TEXT} 个字，最多 {MAX_TEXT} 个字（现为 "{"1" * TEXT_LIMIT}…（共 {2 * MAX_TEXT} 字）"）',
        ),
        (edit("year = 2023", f'year = 2023\n"{big}" = 1'), "字段名太长"),
    ]:
        output = refused(runner, campaign(tmp_path, text))
        assert flat(said) in output and len(output) < 1000, output[:3000]


def test_ten_thousand_mistakes_are_counted_not_listed(tmp_path: Path, runner: CliRunner) -> None:
    keys = "".join(f"unknown{i} = 1\n" for i in range(10_000))
    output = refused(runner, campaign(tmp_path, edit("year = 2023", "year = 2023\n" + keys)))
    assert output.count("不认识的字段") == SHOWN_MISTAKES
    assert flat(f"……另有 {10_000 - SHOWN_MISTAKES} 处") in output


# Names ---------------------------------------------------------------------------------------

NAMES = [
    ("泽州县\\n市场监督管理局", "换行"),
    ("泽州县\\r市场监督管理局", "U+000D"),
    ("泽州县\u2028市场监督管理局", "U+2028"),
    ("泽州县\u2029市场监督管理局", "U+2029"),
    ("泽州县\ue000市场监督管理局", "私用区字符 U+E000"),
    ("泽州县\U000f0000局", "私用区字符 U+F0000"),
    ("..", "没有汉字、字母或数字"),
    ("...", "没有汉字、字母或数字"),
    ("——", "没有汉字、字母或数字"),
    ("  ", "没有汉字、字母或数字"),
]


@pytest.mark.parametrize(("name", "said"), NAMES)
@pytest.mark.parametrize(
    ("old", "field"),
    [
        ('name = "泽州县市场监督管理局"', "reporters.2.name"),
        ('short_name = "泽州县"', "reporters.2.short_name"),
        ('aliases = ["泽州县局"', "reporters.2.aliases.1"),
    ],
)
def test_a_name_that_cannot_be_a_file_name_or_a_line_is_refused(
    tmp_path: Path, runner: CliRunner, name: str, said: str, old: str, field: str
) -> None:
    key, _, rest = old.partition(" = ")
    new = f'{key} = {"[" if rest.startswith("[") else ""}"{name}"'
    out = tmp_path / "下发"
    output = refused(runner, campaign(tmp_path, edit(old, new)), "generate", "-o", out)
    assert flat(f"{field}：") in output and flat(said) in output
    assert not out.exists()


@pytest.mark.parametrize("name", ["\u202e泽州县", "泽州\u200b县", "泽州\u200d县", "\ufeff泽州县"])
def test_bidi_and_zero_width_characters_in_names_are_refused(
    tmp_path: Path, runner: CliRunner, name: str
) -> None:
    text = edit('short_name = "泽州县"', f"short_name = {json.dumps(name)}")
    output = refused(runner, campaign(tmp_path, text), "generate", "-o", tmp_path / "下发")
    assert (
        "reporters.2.short_name：" in output and f"U+{ord(name.strip('泽州县')[0]):04X}" in output
    )


def test_names_with_dots_and_odd_but_plain_characters_still_work(
    tmp_path: Path, runner: CliRunner
) -> None:
    text = edit('short_name = "泽州县"', 'short_name = "泽州.县"')
    text = edit('name = "泽州县市场监督管理局"', 'name = "泽州县 市场监督管理局（试）"', text)
    out = tmp_path / "下发"
    result = invoke(runner, "generate", "-o", out, "--campaign", campaign(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert any("泽州县 市场监督管理局（试）" in p.name for p in out.iterdir())


def test_readme_lists_the_bounds_of_bounds_py() -> None:
    usage = Path(__file__).resolve().parents[1] / "docs" / "usage.md"
    section = usage.read_text(encoding="utf-8").split("## 活动配置文件的上限", 1)[1]
    section = section.split("\n## ", 1)[0]
    for row in [
        f"| 填报单位（`[[reporters]]`） | {MAX_REPORTERS} 个 |",
        f"| 项目（`[[form.items]]`） | {MAX_ITEMS} 个 |",
        f"| 校验规则（`[[form.rules]]`） | {MAX_RULES} 条 |",
        f"| {MAX_LIST} 项 |",
        f"| 填报单位的全称、简称、每个别称 | {MAX_NAME} 字 |",
        f"| {MAX_TITLE} 字 |",
        f"（`message`、`hint`） | {MAX_SENTENCE} 字 |",
        f"（`left`、`right`） | {MAX_EXPRESSION} 字 |",
        f"| {MAX_TEXT} 字 |",
        f"| {MAX_DEPTH} 层 |",
        f"| {FIRST_DAY} 至 {LAST_DAY} |",
        f"| {MAX_BYTES >> 20} MB |",
    ]:
        assert row in section, row


@pytest.mark.parametrize("epoch", ["99999999999999", "9" * 40])
def test_a_source_date_epoch_past_any_calendar_is_not_a_build_time(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    from jc315cli.read.workbook import read_workbook

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = invoke(runner, "template", "-o", tmp_path / "模板.xlsx")
    assert result.exit_code == 0, result.output
    identity = read_workbook(tmp_path / "模板.xlsx").identity
    assert identity is not None and identity.generated_at == "2023-02-20T00:00:00"


# Odd types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("year = 2023", "year = 2023.5", "year：应为整数"),
        ("outlier_factor = 10", "outlier_factor = 1.5", "form.outlier_factor：应为整数"),
        ("deadline = 2023-03-22", "deadline = 1699920000", "deadline：应为日期，如 2023-03-22，不是数字"),
        ("deadline = 2023-03-22", "deadline = 2023-03-22T10:00:00", "deadline：应为日期，如 2023-03-22（不带时间）"),
        ("\nform = true", "\nform = 3", "materials.1.form：应为 true 或 false"),
        ('severity = "warning"', 'severity = "x"', "应为以下之一：'error', 'warning', 'info'"),
    ],
)  # fmt: skip
def test_odd_types_are_explained_in_chinese(
    tmp_path: Path, runner: CliRunner, old: str, new: str, said: str
) -> None:
    output = refused(runner, campaign(tmp_path, edit(old, new)))
    assert flat(said) in output
    assert not re.search(r"Input should|Datetimes|valid|\bor\b", output), output


@pytest.mark.parametrize("command", ["template", "generate"])
def test_sub_items_apart_from_their_group_are_refused(
    tmp_path: Path, runner: CliRunner, command: str
) -> None:
    # Found by the long fuzzing run: 6.4 renumbered 0.0001 split the group 6.1 … 6.5, and the
    # template wrote into the merged 序号 cell of group 6 (AttributeError from openpyxl).
    text = edit('id = "6.4"', 'id = "0.0001"')
    output = refused(runner, campaign(tmp_path, text), command, "-o", tmp_path / "模板.xlsx")
    assert flat("form：第 6.5 项与第 6.1 项同属第 6 项，应紧接着写在一起") in output
    assert not (tmp_path / "模板.xlsx").exists()


def test_each_mistake_names_its_place_and_only_its_place() -> None:
    """The walks name a place only where they find something (naming every field of a
    thousand reporters was most of their work): the names are still the full paths, lists
    counted from 1, a key without a name ("") leaving no dot, a long key shown clipped."""
    from jc315cli.model.campaign_errors import beyond_bounds, control_characters

    data = {
        "reporters": [{"name": "甲" * 61}, {"aliases": ["乙局", "x" * 61], "contact": "\u202e李"}],
        "": {"k": "y" * 101, "deep": [[[[[[[[1]]]]]]]]},
        "b" * 101: 1,
        "form": {"title": "标题\u200b", "items": [{"name": "\t说明\n"}], "\x1b键": "z" * 101},
    }
    places = [line.split("：")[0] for line in beyond_bounds(data)]
    assert places == [
        "b" * 30 + "…（共 101 字）",
        "reporters.1.name",
        "reporters.2.aliases.2",
        "k",
        "deep.1.1.1.1.1.1",
        "form.<U+001B>键",
    ]
    assert control_characters(data, "") == [
        'reporters.2.contact：含有看不见的控制字符 U+202E（现为 "<U+202E>李"）',
        'form.title：含有看不见的控制字符 U+200B（现为 "标题<U+200B>"）',
    ]
    assert control_characters({"form": {"items": [{"name": "\t说明\n"}]}}, "") == []


def test_a_printable_name_holds_no_character_names_refuse() -> None:
    """plain_name and the campaign file's walk skip a printable text: that is only right while
    str.isprintable is false for every character they refuse, which this holds for all of
    Unicode; and a name with one of them is still refused."""
    import sys
    import unicodedata

    from jc315cli.model.campaign import NOT_IN_NAMES, plain_name

    refused = {*NOT_IN_NAMES, "Cc", "Cf"}
    printable = (chr(c) for c in range(sys.maxunicode + 1) if chr(c).isprintable())
    assert not [ch for ch in printable if unicodedata.category(ch) in refused]
    for ch in ("\u2028", "\u202e", "\ue000", "\x1b"):
        with pytest.raises(ValueError, match=f"U\\+{ord(ch):04X}"):
            plain_name(f"城区{ch}局")
