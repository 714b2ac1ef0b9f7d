"""Each county against its own last year, at collection time: 2024's forms (the 2024 campaign
of examples/, which renamed item 3 and added item 9) held against the 2023 merged report of
examples/. A swing beyond the bounds, and a copy of last year's numbers (or of another county's
this year), are 核实性, with both numbers in the message."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from examples.make_merged import CAMPAIGN_2024, MERGED_2023, returned_2024
from examples.make_returned import VALUES
from openpyxl import load_workbook
from typer.testing import CliRunner

from jc315cli.check.against import LastYear, check_last_year
from jc315cli.check.validate import validate_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import CAMPAIGN_FILE, Campaign
from jc315cli.model.campaign_file import campaign_to_toml, load_campaign
from jc315cli.model.form import Swing
from jc315cli.model.layout import FORM_SHEET
from jc315cli.problems.report import FileReport, Number, Tier
from tests.conftest import invoke

CAMPAIGN = load_campaign(CAMPAIGN_2024)
CHENGQU = "城区市场监督管理局"
ZEZHOU = "泽州县市场监督管理局"


def edit(path: Path, **cells: Any) -> Path:
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[FORM_SHEET][ref] = value
    wb.save(path)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Every county's 2024 form, each number moved by the few per cent of examples/."""
    target = tmp_path / "收回"
    target.mkdir()
    returned_2024(CAMPAIGN, target)
    return target


def form(folder: Path, short: str) -> Path:
    return next(folder.glob(f"*{short}*"))


def codes(folder: Path, *args: object, runner: CliRunner) -> tuple[int, str]:
    result = invoke(runner, "validate", folder, "--campaign", CAMPAIGN_2024, *args)
    return result.exit_code, result.output


def test_an_ordinary_year_asks_nothing(folder: Path, runner: CliRunner) -> None:
    exit_code, output = codes(folder, "--last-year", MERGED_2023, runner=runner)
    assert exit_code == 0, output
    assert "与上年" not in output


def test_a_swing_and_a_copy_of_last_year_are_caught_at_validate(
    folder: Path, runner: CliRunner
) -> None:
    edit(form(folder, "城区"), E9=3)  # 投诉 187 last year
    copied = {f"E{6 + i}": Decimal(v) for i, v in enumerate(VALUES["泽州县"].values())}
    edit(form(folder, "泽州县"), **copied)  # 2023's twelve numbers; item 9 is new in 2024
    exit_code, output = codes(folder, "--last-year", MERGED_2023, runner=runner)
    assert exit_code == 1
    flat = output.replace("\n    ", "")
    assert "E9 接受投诉情况：3 件，上年为 187 件（下降 98%），超出核实范围" in flat
    assert "多于上年的 3 倍或少于上年的 1/3，且相差至少 10 件" in flat
    assert "E6 普法宣传活动：各项数值与 2023 年报送的完全相同" in flat
    assert "待核实：城区" in flat and "泽州县：E6" in flat
    report = validate_paths(
        [folder], CAMPAIGN, last_year=_read(MERGED_2023)
    )  # the same through the library
    mine = {f.reporter: f for f in report.files}
    assert [p.code for p in mine[CHENGQU].problems if p.tier is Tier.VERIFY] == ["year-swing"]
    assert mine[ZEZHOU].status == "pending"


def _read(path: Path) -> LastYear:
    from jc315cli.figures.last_year import read_last_year

    return read_last_year(path, CAMPAIGN)


def test_last_years_figures_are_each_countys_by_this_years_items() -> None:
    last = _read(MERGED_2023)
    assert last.year == 2023 and len(last.values) == 7
    assert last.values[CHENGQU]["4"] == 187 and last.values[CHENGQU]["5"] == Decimal("28.635")
    assert "9" not in last.values[CHENGQU]  # new in 2024: nothing to compare
    assert last.values[CHENGQU]["3"] == 862  # renamed in 2024, paired as compare pairs it


def test_the_campaign_names_last_years_collection_folder(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """`last_year = "../2023"` in this year's campaign file: that folder's campaign file says
    last year's form and where its merged report is."""
    last = tmp_path / "2023"
    (last / "汇总").mkdir(parents=True)
    (last / CAMPAIGN_FILE).write_text(campaign_to_toml(DEFAULT_CAMPAIGN), encoding="utf-8")
    shutil.copy(MERGED_2023, last / "汇总" / DEFAULT_CAMPAIGN.folders.report_name(2023))
    this = tmp_path / "2024"
    this.mkdir()
    text = CAMPAIGN_2024.read_text(encoding="utf-8")
    (this / CAMPAIGN_FILE).write_text(
        text.replace("deadline = 2024-03-22", 'deadline = 2024-03-22\nlast_year = "../2023"'),
        encoding="utf-8",
    )
    edit(form(folder, "城区"), E9=3)
    result = invoke(runner, "validate", folder, "--campaign", this / CAMPAIGN_FILE)
    assert result.exit_code == 1 and "上年为 187 件" in result.output.replace("\n    ", "")
    given = invoke(
        runner, "validate", folder, "--campaign", CAMPAIGN_2024, "--last-year", last
    )  # the folder given on the command line
    assert given.exit_code == 1 and "上年为 187 件" in given.output.replace("\n    ", "")


def test_merge_and_feedback_hold_the_swing_too(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    edit(form(folder, "城区"), E9=3)
    args = ("--campaign", CAMPAIGN_2024, "--last-year", MERGED_2023)
    out = tmp_path / "汇总.xlsx"
    refused = invoke(runner, "merge", folder, "-o", out, *args)
    assert refused.exit_code == 1 and not out.exists() and "待核实：城区" in refused.output
    replies = tmp_path / "退回"
    sent = invoke(runner, "feedback", folder, "-o", replies, "--date", "2024-03-23", *args)
    assert sent.exit_code == 0, sent.output
    text = (replies / "退回-城区.txt").read_text(encoding="utf-8")
    assert "E9（第 4 项 接受投诉情况）填写的“3”：3 件，上年为 187 件（下降 98%）" in text
    ws = load_workbook(replies / "退回-城区.xlsx")[FORM_SHEET]
    assert ws["F5"].value == "核实说明" and not ws["F9"].protection.locked


def test_a_copy_of_another_countys_numbers_is_caught(folder: Path, runner: CliRunner) -> None:
    wb = load_workbook(form(folder, "城区"))
    theirs = {f"E{r}": wb[FORM_SHEET][f"E{r}"].value for r in range(6, 19)}
    edit(form(folder, "泽州县"), **theirs)
    exit_code, output = codes(folder, runner=runner)
    assert exit_code == 1
    flat = output.replace("\n    ", "")
    assert "各项数值与 泽州县市场监督管理局 本次报送的完全相同" in flat
    assert "各项数值与 城区市场监督管理局 本次报送的完全相同" in flat


@pytest.mark.parametrize(
    ("was", "now", "asked"),
    [
        (300, 3, True),  # 投诉 300 → 3: the case
        (100, 301, True),  # more than 3 times
        (100, 300, False),  # exactly 3 times: not beyond
        (30, 10, False),  # exactly a third
        (30, 9, True),  # less than a third, 21 apart
        (2, 7, False),  # more than 3 times, but only 5 apart
        (0, 10, True),  # from nothing, 10 or more
        (0, 9, False),
        (12, 0, True),  # to nothing, 12 apart
        (5, 5, False),
    ],
)
def test_the_default_bounds(was: int, now: int, asked: bool) -> None:
    report = _one({"4": now}, {"4": was})
    assert any(p.code == "year-swing" for p in report.problems) is asked


def _one(
    values: dict[str, Number], before: dict[str, Number], campaign: Campaign = DEFAULT_CAMPAIGN
) -> FileReport:
    report = FileReport(path="a.xlsx", reporter=CHENGQU, values=values, cells={"4": "E9"})
    check_last_year([report], campaign, LastYear(2022, {CHENGQU: before}))
    return report


def test_an_item_may_have_bounds_of_its_own_and_they_survive_the_campaign_file(
    tmp_path: Path,
) -> None:
    items = tuple(
        item.model_copy(update={"swing": Swing(factor=Decimal("1.5"), at_least=Decimal("0.5"))})
        if item.id == "5"
        else item
        for item in DEFAULT_CAMPAIGN.form.items
    )
    campaign = DEFAULT_CAMPAIGN.model_copy(
        update={"form": DEFAULT_CAMPAIGN.form.model_copy(update={"items": items})}
    )
    path = tmp_path / "c.toml"
    path.write_text(campaign_to_toml(campaign), encoding="utf-8")
    assert 'swing = { factor = "1.5", at_least = "0.5" }' in path.read_text(encoding="utf-8")
    assert load_campaign(path) == campaign
    money = _one({"5": Decimal("2")}, {"5": Decimal("1")}, campaign)
    assert [p.code for p in money.problems] == ["year-swing"]
    counts = _one({"4": 20}, {"4": 10}, campaign)  # item 4 keeps the form's bounds
    assert counts.problems == []


def test_last_year_must_be_a_merged_report_of_an_earlier_year_of_a_known_form(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    from jc315cli.commands.merge import merge_paths

    county = invoke(
        runner, "validate", folder, "--campaign", CAMPAIGN_2024, "--last-year", form(folder, "城区")
    )
    assert county.exit_code == 2 and "不是汇总表" in county.output
    this_year = tmp_path / "2024.xlsx"
    merge_paths([folder], CAMPAIGN, this_year, filled_on=date(2024, 3, 25))
    same = invoke(runner, "validate", folder, "--campaign", CAMPAIGN_2024, "--last-year", this_year)
    assert same.exit_code == 2 and "不早于本次的 2024 年" in same.output
    older = DEFAULT_CAMPAIGN.model_copy(
        update={
            "year": 2022,
            "form": DEFAULT_CAMPAIGN.form.model_copy(update={"version": "2022.9"}),
        }
    )
    returned = tmp_path / "2022"
    returned.mkdir()
    returned_2024(older, returned)
    other = tmp_path / "2022.xlsx"
    merge_paths([returned], older, other, filled_on=date(2022, 3, 25), skip_invalid=True)
    unknown = invoke(runner, "validate", folder, "--campaign", CAMPAIGN_2024, "--last-year", other)
    assert unknown.exit_code == 2 and "版本 2022.9" in unknown.output
    assert "上年的收集文件夹" in unknown.output


@pytest.mark.parametrize("value", [0, 1])
def test_forms_of_one_number_are_no_copies(folder: Path, runner: CliRunner, value: int) -> None:
    """Two small counties that both did nothing (all 0), or a form of 1s, agree by chance: a
    copy is told only by a form with at least three different numbers in it."""
    same = {f"E{r}": value for r in range(6, 19)}
    edit(form(folder, "城区"), **same)
    edit(form(folder, "泽州县"), **same)
    report = validate_paths([folder], CAMPAIGN)
    assert not any(p.code == "same-as-other" for f in report.files for p in f.problems)
