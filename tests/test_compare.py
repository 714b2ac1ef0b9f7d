"""`jc315 compare`: two reports side by side. The exact percentages, how items of two campaigns
are matched, and the whole way on real files: the 2023 campaign and a changed 2024 one (an item
renamed, one added), generated, filled with openpyxl, merged, compared, and the 对比 workbook
read back."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from examples.make_merged import CAMPAIGN_2024, make, returned_2024
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from jc315cli.commands.compare import compare_files
from jc315cli.console.render_figures import render_compare
from jc315cli.figures.change import Change, periods
from jc315cli.figures.item_pairs import match_items
from jc315cli.model.builtin import DEFAULT_CAMPAIGN, DEFAULT_FORM
from jc315cli.model.campaign_file import load_campaign
from jc315cli.model.form import Item
from jc315cli.model.layout import ITEMS_SHEET, UNITS_SHEET
from tests.conftest import EXAMPLES, invoke

YEARS = periods(2023, 2024)


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """2023 from examples/returned, 2024 from forms generated with the 2024 campaign file and
    filled in with openpyxl; both merged by merge_paths."""
    folder = tmp_path_factory.mktemp("merged")
    last, this = folder / "2023年汇总.xlsx", folder / "2024年汇总.xlsx"
    make(last, this)
    return last, this


@pytest.mark.parametrize(
    ("last", "this", "percent", "text", "words"),
    [
        (112, 126, Decimal("12.5"), "+12.5%", "同比增长12.5%"),
        (649, 617, Decimal("-4.9"), "-4.9%", "同比下降4.9%"),
        (20, 20, Decimal("0.0"), "0.0%", "同比持平"),
        (2000, 2001, Decimal("0.1"), "+0.1%", "同比增长0.1%"),  # 0.05: half up, not to even
        (2000, 1999, Decimal("-0.1"), "-0.1%", "同比下降0.1%"),
        (3, 4, Decimal("33.3"), "+33.3%", "同比增长33.3%"),
        (100000, 100001, Decimal("0.0"), "0.0%", "同比增长不足0.1%"),
        (0, 5, None, "去年为0", "去年为0"),
        (Decimal("82.0597"), Decimal("94.3687"), Decimal("15.0"), "+15.0%", "同比增长15.0%"),
    ],
)
def test_change_in_percent_is_exact_and_rounded_half_up(
    last: int | Decimal, this: int | Decimal, percent: Decimal | None, text: str, words: str
) -> None:
    change = Change(last, this)
    assert change.percent == percent
    assert change.percent_text(YEARS) == text and change.words(YEARS) == words


def test_money_change_keeps_its_exact_digits() -> None:
    assert Change(Decimal("82.0597"), Decimal("94.3687")).delta == Decimal("12.309")
    assert str(Change(Decimal("2.5"), Decimal("2.5")).delta) == "0"
    assert Change(None, 3).delta is None and Change(None, 3).words(YEARS) == ""


def test_periods_name_the_years() -> None:
    assert periods(2023, 2023).since == "较上次" and periods(2023, 2023).last_column == "上次"
    assert periods(2021, 2024).since == "较2021年" and periods(2021, 2024).this_column == "2024年"


def _item(id: str, category: str, measure: str = "件", name: str | None = None) -> Item:
    return Item(id=id, category=category, measure=measure, name=name)


def test_items_are_matched_by_id_and_label_then_label_then_id() -> None:
    old = DEFAULT_FORM
    items = [i for i in old.items if i.id not in ("7", "8")]
    items += [
        _item("7", "印发各类宣传资料", "份"),  # was 8: moved, not "7 renamed"
        _item("8", "开展“放心消费大讲堂”活动", "场次"),  # new
    ]
    items[2] = _item("3", "接受消费者咨询情况")  # renamed
    items[3] = _item("4", "接受投诉情况", "次")  # measure changed
    new = old.model_copy(update={"items": tuple(items), "rules": (), "chart": None})
    pairs = match_items(old, new, YEARS)
    notes = {(p.last.id if p.last else None, p.this.id if p.this else None): p.note for p in pairs}
    assert notes[("1", "1")] == ""
    assert notes[("3", "3")] == "项目名称由“接受咨询情况”改为“接受消费者咨询情况”"
    assert notes[("4", "4")] == "计量单位由“件”改为“次”，不作比较"
    assert notes[("8", "7")] == "编号由 8 改为 7"
    assert notes[(None, "8")] == "新增项目，去年无此项"
    assert notes[("7", None)] == "今年无此项"
    order = [(p.last.id if p.last else "-", p.this.id if p.this else "-") for p in pairs]
    assert order[-3:] == [("7", "-"), ("8", "7"), ("-", "8")]  # the gone item where it stood
    assert len(pairs) == 13  # every item of both forms, once: 12 old, 12 new, 11 pairs
    four = next(p for p in pairs if p.this is not None and p.this.id == "4")
    assert not four.comparable and Change(649, 617, comparable=False).delta is None


def test_compare_the_2023_and_2024_merges(merged: tuple[Path, Path], tmp_path: Path) -> None:
    last, this = merged
    out = tmp_path / "对比.xlsx"
    runner = CliRunner()
    result = invoke(runner, "compare", last, this, "--campaign", CAMPAIGN_2024, "-o", out)
    assert result.exit_code == 0, result.output
    assert (
        "对比表已写出" in result.output
        and "项目名称由“接受咨询情况”改为“接受消费者咨询情况”" in result.output
    )
    wb = load_workbook(out)
    assert wb.sheetnames == [ITEMS_SHEET, UNITS_SHEET]
    ws = wb[ITEMS_SHEET]
    rows = {
        str(ws.cell(row=r, column=1).value): [ws.cell(row=r, column=c).value for c in range(1, 9)]
        for r in range(4, ws.max_row + 1)
    }
    assert [c.value for c in ws[3]] == [
        "序号", "项目", "单位", "2023年", "2024年", "增减", "增减幅度", "说明",
    ]  # fmt: skip
    assert rows["1"][1:7] == ["普法宣传活动", "场次", 112, 126, 14, 0.125]
    assert rows["3"][1] == "接受消费者咨询情况"
    assert rows["3"][7] == "项目名称由“接受咨询情况”改为“接受消费者咨询情况”"
    assert rows["5"][3:6] == [82.0597, 94.3687, 12.309]
    assert rows["9"][3:8] == ["—", 23, None, None, "新增项目，去年无此项"]
    assert ws.cell(row=4, column=7).number_format == "+0.0%;-0.0%;0.0%"
    assert len([k for k in rows if k[:1].isdigit()]) == 13  # no item dropped
    # one landscape A4 page, header repeated, nothing below 9 pt
    assert (
        ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    )
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert ws.sheet_properties.pageSetUpPr is not None
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert str(ws.print_area).endswith(f"$A$1:$H${ws.max_row}")
    assert ws.print_title_rows == "$3:$3"
    units = wb[UNITS_SHEET]
    assert units.page_setup.fitToHeight == 0 and units.print_title_rows == "$3:$3"
    for sheet in (ws, units):
        assert all(c.font.sz >= 9 for row in sheet.iter_rows() for c in row if c.value is not None)
    # by unit: 开发区 had no TV programme in 2023
    found = _unit_row(units, "6.1", "开发区")
    assert found[4:8] == [0, 1, 1, "去年为0"]
    assert _unit_row(units, "9", "城区")[4:9] == ["—", 6, None, None, "新增项目，去年无此项"]


def _unit_row(ws: Worksheet, item_id: str, unit: str) -> list[object]:
    current = None
    for r in range(4, ws.max_row + 1):
        current = ws.cell(row=r, column=1).value or current
        if current == item_id and ws.cell(row=r, column=3).value == unit:
            return [ws.cell(row=r, column=c).value for c in range(1, 10)]
    raise AssertionError((item_id, unit))


def test_compare_writes_the_same_bytes_and_never_overwrites(
    merged: tuple[Path, Path], tmp_path: Path, runner: CliRunner
) -> None:
    last, this = merged
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (a, b):
        assert invoke(runner, "compare", last, this, "-c", CAMPAIGN_2024, "-o", out).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    again = invoke(runner, "compare", last, this, "-c", CAMPAIGN_2024, "-o", a)
    assert again.exit_code == 1 and "已存在" in again.output
    forced = invoke(runner, "compare", last, this, "-c", CAMPAIGN_2024, "-o", a, "--force")
    assert forced.exit_code == 0 and a.read_bytes() == b.read_bytes()
    csv = invoke(runner, "compare", last, this, "-c", CAMPAIGN_2024, "-o", tmp_path / "x.csv")
    assert csv.exit_code == 2 and not (tmp_path / "x.csv").exists()
    onto = invoke(runner, "compare", last, this, "-c", CAMPAIGN_2024, "-o", this, "--force")
    assert onto.exit_code == 2 and "也是输入文件之一" in onto.output


def test_compare_json_has_items_and_units(merged: tuple[Path, Path], runner: CliRunner) -> None:
    last, this = merged
    result = invoke(runner, "compare", last, this, "-c", CAMPAIGN_2024, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["output"] is None and data["last"]["year"] == 2023 and data["this"]["year"] == 2024
    items = {row["id"] or row["last_id"]: row for row in data["items"]}
    assert {k: items["1"][k] for k in ("last", "this", "change", "percent")} == {
        "last": 112, "this": 126, "change": 14, "percent": "12.5",
    }  # fmt: skip
    assert items["5"]["change"] == "12.309" and items["5"]["this"] == "94.3687"
    assert items["9"]["last"] is None and items["9"]["note"] == "新增项目，去年无此项"
    assert [u["name"] for u in data["units"]][:2] == ["城区", "泽州县"]
    kaifa = next(u for u in data["units"] if u["name"] == "开发区")
    tv = next(r for r in kaifa["items"] if r["id"] == "6.1")
    assert (tv["last"], tv["this"], tv["percent"], tv["percent_text"]) == (0, 1, None, "去年为0")


def test_the_terminal_table_fits_80_columns(merged: tuple[Path, Path]) -> None:
    last, this = merged
    comparison = compare_files(
        last, this, campaign=load_campaign(CAMPAIGN_2024), last_campaign=DEFAULT_CAMPAIGN
    )
    buffer = io.StringIO()
    render_compare(Console(file=buffer, width=80, no_color=True), comparison, None)
    lines = buffer.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert any("+12.5%" in line and "普法宣传活动" in line for line in lines)
    assert any("新增项目，去年无此项" in line for line in lines)


def test_two_single_forms_of_the_same_year(tmp_path: Path, runner: CliRunner) -> None:
    from tests.conftest import filled_form

    this = filled_form(tmp_path / "泽州县.xlsx", E6=30)
    last = next(p for p in EXAMPLES.iterdir() if "泽州县" in p.name)
    out = tmp_path / "对比.xlsx"
    result = invoke(runner, "compare", last, this, "-o", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == [ITEMS_SHEET]  # no units: these are not merged reports
    ws = wb[ITEMS_SHEET]
    assert [c.value for c in ws[3]][3:5] == ["上次", "本次"]
    assert [ws.cell(row=4, column=c).value for c in range(4, 8)] == [24, 30, 6, 0.25]


def test_a_2024_form_against_the_2023_merge_is_compared_by_item(
    merged: tuple[Path, Path], tmp_path: Path, runner: CliRunner
) -> None:
    """A county's form against the city's merge: allowed (both are named), items only."""
    last, _ = merged
    returned_2024(load_campaign(CAMPAIGN_2024), tmp_path)
    form = next(p for p in tmp_path.iterdir() if "泽州县" in p.name)
    result = invoke(runner, "compare", last, form, "-c", CAMPAIGN_2024, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["units"] is None and data["this"]["kind"] == "form"


def test_a_damaged_unit_column_is_refused_naming_the_cell(
    merged: tuple[Path, Path], tmp_path: Path, runner: CliRunner
) -> None:
    last, this = merged
    wb = load_workbook(last)
    wb["分单位明细"]["E5"] = "abc"
    damaged = tmp_path / "改过的汇总.xlsx"
    wb.save(damaged)
    result = invoke(runner, "compare", damaged, this, "-c", CAMPAIGN_2024)
    assert result.exit_code == 1
    assert "分单位明细!E5" in result.output and "不是数字" in result.output


def test_a_unit_that_did_not_report_is_noted_not_dropped(tmp_path: Path, runner: CliRunner) -> None:
    """The same year merged twice, the second time without 高平市: its rows say so."""
    import shutil
    from datetime import date

    from examples.make_merged import MERGED_2023

    from jc315cli.commands.merge import merge_paths

    folder = tmp_path / "收回"
    folder.mkdir()
    for path in EXAMPLES.iterdir():
        if "高平市" not in path.name:
            shutil.copy(path, folder / path.name)
    partial = tmp_path / "汇总.xlsx"
    merge_paths([folder], DEFAULT_CAMPAIGN, partial, filled_on=date(2023, 3, 26))
    result = invoke(runner, "compare", MERGED_2023, partial, "--format", "json")
    assert result.exit_code == 0, result.output
    units = {u["name"]: u for u in json.loads(result.stdout)["units"]}
    gaoping = units["高平市"]  # the header says 高平市（未报送）: the unit keeps its name
    assert gaoping["note"] == "本次未报送"
    first = gaoping["items"][0]
    assert (first["last"], first["this"], first["change"]) == (18, None, None)
    assert units["城区"]["items"][0]["percent"] == "0.0"


def test_the_same_report_as_last_and_this_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    """The same file twice, or a copy of it under another name, is a slip, not a comparison:
    every item would be “较上次持平”, ready to be pasted into a 总结."""
    import shutil

    from examples.make_merged import MERGED_2023

    copy = tmp_path / "去年的汇总.xlsx"
    shutil.copy(MERGED_2023, copy)
    for last in (MERGED_2023, copy):
        result = invoke(runner, "compare", last, MERGED_2023, "-o", tmp_path / "对比.xlsx")
        assert result.exit_code == 2, result.output
        assert "是同一份报表" in result.output and last.name in result.output
        assert not (tmp_path / "对比.xlsx").exists()
    summary = invoke(runner, "summary", MERGED_2023, "--compare", copy)
    assert summary.exit_code == 2 and "是同一份报表" in summary.output
    assert "持平" not in summary.stdout
