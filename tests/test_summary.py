"""`jc315 summary`: the statistics paragraph of the 活动总结, on the committed example merges
(examples/make_merged.py) and on single forms, with and without a report to compare with."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from examples.make_merged import CAMPAIGN_2024, MERGED_2023, MERGED_2024, make, returned_2024
from typer.testing import CliRunner

from jc315cli.figures.paragraph import stats_paragraph
from jc315cli.figures.read_back import area, read_report
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign_file import load_campaign
from jc315cli.model.layout import DETAIL_SHEET
from tests.conftest import EXAMPLES, FIXTURES, filled_form, invoke

CITY_2023 = (
    "全市共开展普法宣传活动112场次，组织新闻发布/公开倡议20场次，接受消费者咨询3289件，"
    "受理消费者投诉649件，为消费者挽回经济损失82.0597万元；通过电视专题节目19期、广播专题节目12期、"
    "报刊专栏8期、报刊文章93篇、新媒体平台发布信息614条等渠道开展宣传报道；"
    "开展消费调查、体验和评议37次，印发各类宣传资料64300份。"
)
ZEZHOU = "泽州县市场监督管理局"


def form_of(short: str) -> Path:
    return next(p for p in EXAMPLES.iterdir() if short in p.name)


def test_the_committed_example_merges_are_what_the_script_makes(tmp_path: Path) -> None:
    """Reproducible: the same bytes again, and the 2023 one is exactly `jc315 merge
    examples/returned --date 2023-03-25` as pinned in expected-output.json."""
    import hashlib

    a, b = tmp_path / "2023.xlsx", tmp_path / "2024.xlsx"
    make(a, b)
    assert a.read_bytes() == MERGED_2023.read_bytes()
    assert b.read_bytes() == MERGED_2024.read_bytes()
    pinned = json.loads((FIXTURES / "expected-output.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(MERGED_2023.read_bytes()).hexdigest()
    assert digest == pinned["merge examples/returned --date 2023-03-25"]


def test_summary_of_the_example_merge(runner: CliRunner) -> None:
    result = invoke(runner, "summary", MERGED_2023)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == CITY_2023
    assert (
        "数字取自：2023年晋城市3·15活动情况汇总.xlsx（晋城市市场监督管理局汇总表）" in result.stderr
    )


def test_summary_json_gives_exact_figures(runner: CliRunner) -> None:
    result = invoke(runner, "summary", MERGED_2023, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["subject"] == "全市" and data["kind"] == "consolidated" and data["year"] == 2023
    assert data["paragraph"] == CITY_2023 and data["compare"] is None
    figures = {f["id"]: f for f in data["figures"]}
    assert figures["1"]["value"] == 112 and figures["5"]["value"] == "82.0597"  # never a float
    assert figures["5"]["measure"] == "万元" and figures["5"]["words"] == ""


def test_summary_with_compare_on_the_two_example_merges(runner: CliRunner) -> None:
    result = invoke(
        runner, "summary", MERGED_2024, "--campaign", CAMPAIGN_2024, "--compare", MERGED_2023
    )
    assert result.exit_code == 0, result.output
    text = result.stdout.strip()
    assert text.startswith(
        "全市共开展普法宣传活动126场次，同比增长12.5%；组织新闻发布/公开倡议20场次，同比持平；"
    )
    assert "接受消费者咨询3551件，同比增长8.0%；受理消费者投诉617件，同比下降4.9%；" in text
    assert "为消费者挽回经济损失94.3687万元，同比增长15.0%；" in text
    assert "通过电视专题节目23期（同比增长21.1%）、广播专题节目14期（同比增长16.7%）" in text
    assert text.endswith(
        "开展“放心消费大讲堂”进社区、进校园活动23场次。"
    )  # new: nothing to compare
    assert "第 3 项：项目名称由“接受咨询情况”改为“接受消费者咨询情况”" in result.stderr


def test_summary_of_a_single_form_names_the_unit(runner: CliRunner) -> None:
    result = invoke(runner, "summary", form_of("阳城县"))
    assert result.exit_code == 0, result.output
    text = result.stdout.strip()
    # 6.2 and 6.3 were written as 无: left out of the list, not "0期"
    assert text.startswith("阳城县共开展普法宣传活动16场次，")
    assert (
        "为消费者挽回经济损失9.87万元；通过电视专题节目2期、报刊文章12篇、新媒体平台发布信息76条等渠道"
        in text
    )
    assert "0期" not in text and "广播" not in text
    assert "填写为无，按 0 计" in result.stderr


def test_a_single_form_compared_with_last_year_says_zero_last_year(tmp_path: Path) -> None:
    campaign = load_campaign(CAMPAIGN_2024)
    returned_2024(campaign, tmp_path)
    this_year = next(p for p in tmp_path.iterdir() if "阳城县" in p.name)
    runner = CliRunner()
    result = invoke(
        runner, "summary", this_year, "--campaign", CAMPAIGN_2024, "--compare", form_of("阳城县")
    )
    assert result.exit_code == 0, result.output
    text = result.stdout.strip()
    assert text.startswith("阳城县共开展普法宣传活动18场次，同比增长12.5%；")
    assert "广播专题节目2期（去年为0）" in text
    assert "报刊专栏" not in text  # 0 both years: not said at all
    data = json.loads(
        invoke(
            runner,
            "summary",
            this_year,
            "--campaign",
            CAMPAIGN_2024,
            "--compare",
            form_of("阳城县"),
            "--format",
            "json",
        ).stdout
    )
    broadcast = next(f for f in data["figures"] if f["id"] == "6.2")
    assert (broadcast["value"], broadcast["last"], broadcast["percent"]) == (2, 0, None)
    assert broadcast["words"] == "去年为0" and data["last_year"] == 2023


def test_an_item_that_fell_to_zero_is_said_at_the_end(tmp_path: Path, runner: CliRunner) -> None:
    this = filled_form(tmp_path / "泽州县.xlsx", E6=0)  # every item 1, but 普法宣传活动 0
    result = invoke(runner, "summary", this, "--compare", form_of("泽州县"))
    assert result.exit_code == 0, result.output
    text = result.stdout.strip()
    assert text.startswith("泽州县共组织新闻发布/公开倡议1场次，较上次下降75.0%；")  # same year
    assert text.endswith("。此外，开展普法宣传活动本次为0（上次为24场次）。")


def test_items_without_wording_fall_back_to_their_labels() -> None:
    form = DEFAULT_CAMPAIGN.form
    plain = form.model_copy(
        update={
            "items": tuple(
                i.model_copy(update={"phrase": None, "lead": None, "tail": None})
                for i in form.items
            )
        }
    )
    campaign = DEFAULT_CAMPAIGN.model_copy(update={"form": plain})
    text = stats_paragraph(read_report(MERGED_2023, campaign)).text
    assert text.startswith(
        "全市共普法宣传活动112场次，组织新闻发布/公开倡议20场次，接受咨询情况3289件，"
    )
    assert "；媒体宣传报道：电视专题节目19期、广播专题节目12期、报刊开设专栏8期、" in text


def test_compare_with_another_units_report_is_refused(runner: CliRunner) -> None:
    result = invoke(runner, "summary", form_of("泽州县"), "--compare", form_of("城区"))
    assert result.exit_code == 2
    assert "是泽州县市场监督管理局的报表" in result.output and "不能同比" in result.output
    city = invoke(runner, "summary", MERGED_2023, "--compare", form_of("城区"))
    assert city.exit_code == 2 and "晋城市市场监督管理局" in city.output


def test_a_form_with_an_error_is_refused_naming_the_cell(tmp_path: Path, runner: CliRunner) -> None:
    bad = filled_form(tmp_path / "泽州县.xlsx", E9="十二")
    result = invoke(runner, "summary", bad)
    assert result.exit_code == 1
    assert "1 处错误" in result.output and "统计表!E9 接受投诉情况" in result.output
    assert "请用阿拉伯数字填写" in result.output
    data = json.loads(invoke(runner, "summary", bad, "--format", "json").stdout)
    assert data["error"]["code"] == "report-invalid" and data["error"]["cell"] == "E9"


def test_a_report_read_with_the_wrong_campaign_is_a_usage_error(runner: CliRunner) -> None:
    result = invoke(runner, "summary", MERGED_2024)
    assert result.exit_code == 2
    assert "是 2024年、版本 2024.1 的报表" in result.output and "--campaign" in result.output
    swapped = invoke(runner, "summary", MERGED_2023, "--compare", MERGED_2024)  # years swapped
    assert swapped.exit_code == 2 and "--last-campaign" in swapped.output


def test_missing_report_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(runner, "summary", tmp_path / "没有.xlsx")
    assert result.exit_code == 2 and "路径不存在" in result.output


@pytest.mark.parametrize(
    ("organizer", "expected"),
    [
        ("晋城市市场监督管理局", "全市"),
        ("山西省市场监督管理局", "全省"),
        ("泽州县市场监管局", "全县"),
        ("某某协会", "某某协会"),
    ],
)
def test_the_area_a_merged_report_speaks_of(organizer: str, expected: str) -> None:
    assert area(organizer) == expected


def test_summary_reads_a_merged_report_pasted_without_its_identity(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(MERGED_2023)
    del wb["jc315_identity"]
    pasted = tmp_path / "汇总.xlsx"
    wb.save(pasted)
    report = read_report(pasted, DEFAULT_CAMPAIGN)
    assert report.kind == "consolidated" and report.subject == "全市"
    assert report.units is not None and [u.name for u in report.units][0] == "城区"
    assert stats_paragraph(report).text == CITY_2023
    assert read_report(form_of("泽州县"), DEFAULT_CAMPAIGN).reporter == ZEZHOU


def test_the_usage_page_shows_the_paragraph_summary_prints() -> None:
    from tests.conftest import ROOT

    usage = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    assert f"> {CITY_2023}\n" in usage
    assert "(compare-sheet.png)" in usage and (ROOT / "docs" / "compare-sheet.png").exists()


def _edited_merge(tmp_path: Path, **cells: Mapping[str, int | float | str | None]) -> Path:
    """The 2023 example merge with cells of its sheets changed by hand, as a clerk would."""
    from openpyxl import load_workbook

    wb = load_workbook(MERGED_2023)
    for sheet, values in cells.items():
        for ref, value in values.items():
            wb[sheet][ref] = value
    path = tmp_path / "改过的汇总.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("cells", "where", "says"),
    [
        # 汇总!E6 typed over: 120 against the 合计 112 of 分单位明细
        ({"汇总": {"E6": 120}}, "汇总!E6 普法宣传活动", "120 与“分单位明细”L3 的合计 112 不一致"),
        # typed as text: 12场 is read as 12, still not the 112 of the units
        ({"汇总": {"E6": "12场"}}, "汇总!E6 普法宣传活动", "12 与“分单位明细”L3 的合计 112"),
        # emptied: not a 0 to print, a number that is no longer there
        ({"汇总": {"E6": None}}, "汇总!E6 普法宣传活动", "0 与“分单位明细”L3 的合计 112"),
        # one unit's figure changed: the 合计 no longer adds up
        ({DETAIL_SHEET: {"F3": 99}}, "分单位明细!L3 普法宣传活动", "112 与各单位（E3:K3）之和 187"),
        # a unit marked as not reporting while its figures stay in the total
        ({DETAIL_SHEET: {"F2": "泽州县（未报送）"}}, "分单位明细!L3", "之和 88 不一致"),
        # a money total changed in its last place
        ({"汇总": {"E10": 82.0598}}, "汇总!E10", "82.0598 与“分单位明细”L7 的合计 82.0597"),
    ],
)
def test_a_merged_report_edited_by_hand_is_refused_naming_both_places(
    tmp_path: Path,
    runner: CliRunner,
    cells: dict[str, dict[str, int | float | str | None]],
    where: str,
    says: str,
) -> None:
    """The 汇总 sheet, the 合计 column and the units' columns of one merged report must agree:
    a number typed over in one of them is not printed or compared as if it were the total."""
    edited = _edited_merge(tmp_path, **cells)
    for args in (("summary", edited), ("compare", MERGED_2023, edited)):
        result = invoke(runner, *args)
        assert result.exit_code == 1, result.output
        assert where in result.output and says in result.output, result.output
        assert "全市共" not in result.stdout
    data = json.loads(invoke(runner, "summary", edited, "--format", "json").stdout)
    assert data["error"]["code"] == "report-invalid"


def test_a_unit_twice_in_the_detail_sheet_is_refused_naming_both_columns(
    tmp_path: Path, runner: CliRunner
) -> None:
    edited = _edited_merge(tmp_path, **{DETAIL_SHEET: {"G2": "泽州县"}})
    result = invoke(runner, "compare", MERGED_2023, edited)
    assert result.exit_code == 1, result.output
    assert "分单位明细!G2" in result.output and "F2、G2" in result.output


@pytest.mark.parametrize("command", ["summary", "compare"])
def test_a_campaign_file_given_as_the_report_is_not_a_returned_form(
    tmp_path: Path, runner: CliRunner, command: str
) -> None:
    """The report is the user's own file: never “请对方重新保存后再发送”, but what is read, and
    where a campaign file goes."""
    toml = tmp_path / "活动.toml"
    assert invoke(runner, "init", toml).exit_code == 0
    args = [toml] if command == "summary" else [toml, MERGED_2023]
    result = invoke(runner, command, *args)
    flat = re.sub(r"\s", "", result.output)
    assert result.exit_code == 1 and "无法读取报表活动.toml" in flat
    assert "请对方" not in flat and "--campaign" in flat and "汇总表" in flat
