"""`jc315 merge`: exact totals, the consolidated workbook read back, roll-up, refusals."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jc315cli.check.validate import validate_file
from jc315cli.commands.merge import merge_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Reporter
from jc315cli.model.form import ValueKind
from jc315cli.model.layout import LAYOUT
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import Problem
from jc315cli.write.blank_forms import generate_forms
from tests.conftest import EXAMPLES, QUIRKS, invoke

# The examples' column totals, added up by hand in examples/数值一览.md.
EXAMPLE_TOTALS = {
    "1": 112,
    "2": 20,
    "3": 3289,
    "4": 649,
    "5": Decimal("82.0597"),
    "6.1": 19,
    "6.2": 12,
    "6.3": 8,
    "6.4": 93,
    "6.5": 614,
    "7": 37,
    "8": 64300,
}
DAY = date(2023, 3, 25)

PROVINCE = DEFAULT_CAMPAIGN.model_copy(
    update={
        "organizer": "山西省市场监督管理局",
        "co_organizers": ("山西省消费者协会",),
        "deadline": date(2023, 3, 31),
        "reporters": (
            Reporter(name="晋城市市场监督管理局", short_name="晋城市", aliases=("晋城市局",)),
            Reporter(name="长治市市场监督管理局", short_name="长治市", aliases=("长治市局",)),
        ),
    }
)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_examples_merge_to_the_hand_computed_totals(tmp_path: Path) -> None:
    before = _hashes(EXAMPLES)
    out = tmp_path / "汇总.xlsx"
    result = merge_paths([EXAMPLES], DEFAULT_CAMPAIGN, out, filled_on=DAY)
    assert result.totals == EXAMPLE_TOTALS
    assert all(type(v) is int for k, v in result.totals.items() if k != "5")
    assert isinstance(result.totals["5"], Decimal)
    assert result.missing == [] and result.late == ["陵川县市场监督管理局"]
    assert _hashes(EXAMPLES) == before  # inputs untouched

    ws = load_workbook(out)["汇总"]
    assert ws["C3"].value == "晋城市市场监督管理局"
    assert ws["C4"].value.date() == DAY
    assert ws["E6"].value == 112 and ws["E10"].value == pytest.approx(82.0597)
    assert ws.page_setup.paperSize is not None  # typed Optional; int(None) would fail anyway
    assert ws.page_setup.fitToHeight == 1 and int(ws.page_setup.paperSize) == 9
    # Values, never formulas, anywhere in the workbook.
    wb = load_workbook(out)
    assert not [
        c.coordinate
        for s in wb.worksheets
        for row in s.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def test_mixed_formats_total(tmp_path: Path) -> None:
    """.xlsx + .xls (沁水县) + .ods (泽州县 re-saved by LibreOffice)."""
    from examples.make_returned import VALUES  # the numbers the examples were made from

    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    next(folder.glob("*泽州县*")).unlink()
    shutil.copy(QUIRKS / "filled-valid-libreoffice.ods", folder / "泽州县.ods")
    result = merge_paths([folder], DEFAULT_CAMPAIGN, tmp_path / "o.xlsx", filled_on=DAY)
    base = {
        "1": "12",
        "2": "3",
        "3": "156",
        "4": "48",
        "5": "3.5",
        "6.1": "2",
        "6.2": "1",
        "6.3": "0",
        "6.4": "15",
        "6.5": "86",
        "7": "4",
        "8": "5000",
    }
    columns = [v for k, v in VALUES.items() if k != "泽州县"] + [base]
    for item_id, total in result.totals.items():
        expected = sum(Decimal(c[item_id]) for c in columns)
        assert Decimal(total) == expected, item_id
    assert {Path(f.path).suffix for f in result.included} == {".xlsx", ".xls", ".ods"}


def _edit(path: Path, **cells: str | float | Decimal | date) -> None:
    wb = load_workbook(path)
    for cell, value in cells.items():
        wb["统计表"][cell] = value
    wb.save(path)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """陵川县 late, 开发区 missing, 高平市 invalid, 城区 sent twice (the older is superseded)."""
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    next(folder.glob("*开发区*")).unlink()
    _edit(next(folder.glob("*高平市*")), E6="约20")
    older = folder / "城区-初稿.xlsx"
    shutil.copy(next(folder.glob("*城区*")), older)
    _edit(older, E6=1, C4=date(2023, 3, 18))
    return folder


def test_errors_mean_nothing_is_written(messy: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "o.xlsx"
    with pytest.raises(Jc315Error):
        merge_paths([messy], DEFAULT_CAMPAIGN, out, filled_on=DAY)
    assert not out.exists()
    result = invoke(runner, "merge", messy, "-o", out, "--date", "2023-03-25")
    assert result.exit_code == 1 and not out.exists()
    assert "约20" in result.output and "--skip-invalid" in result.output


def test_skip_invalid_and_the_status_sheet(messy: Path, tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "o.xlsx"
    result = invoke(runner, "merge", messy, "-o", out, "--date", "2023-03-25", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "已报送 6/7，计入汇总 5/7，未报送：开发区，已退回：高平市：" in result.output
    assert "E6 “约20”是约数" in result.output  # the reason, with the cell
    assert "逾期：陵川县市场监督管理局" in result.output
    ws = load_workbook(out)["报送情况"]
    rows: list[list[Any]] = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    status = {(r[1], r[2]) for r in rows}
    assert ("高平市市场监督管理局", "已退回") in status
    assert ("晋城市市场监督管理局开发区分局", "未报送") in status
    assert ("城区市场监督管理局", "被替代") in status and ("城区市场监督管理局", "已报送") in status
    late = next(r for r in rows if r[1] == "陵川县市场监督管理局")
    assert late[2] == "已报送" and late[4] == "逾期" and len(late[-1]) == 64  # its SHA-256
    rejected = next(r for r in rows if r[2] == "已退回")
    assert "约20" in rejected[7]
    note = load_workbook(out)["汇总"]["A19"].value
    assert "未报送：晋城市市场监督管理局开发区分局。" in note and "已退回、未计入：高平市。" in note
    issues = load_workbook(out)["问题清单"]
    assert any(
        str(row[5].value).replace("\n", "") == "提示·逾期" for row in issues.iter_rows(min_row=3)
    )


def test_text_from_inputs_never_becomes_a_formula(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    path = next(folder.glob("*泽州县*"))
    evil = '=HYPERLINK("http://example.invalid","点我")'
    _edit(path, C4=evil)  # an unreadable date: a warning that carries the raw text
    renamed = folder / "@SUM(1+1)泽州县.xlsx"
    path.rename(renamed)
    out = tmp_path / "o.xlsx"
    merge_paths([folder], DEFAULT_CAMPAIGN, out, filled_on=DAY)
    wb = load_workbook(out)
    cells = [c for s in wb.worksheets for row in s.iter_rows() for c in row]
    injected = [
        c for c in cells if isinstance(c.value, str) and c.value.startswith(("=HYPERLINK", "@SUM"))
    ]
    assert injected and all(c.data_type == "s" for c in injected)
    assert not [c for c in cells if c.data_type == "f"]
    import zipfile

    with zipfile.ZipFile(out) as archive:
        assert not any(
            b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")
        )


def test_same_inputs_same_bytes_and_no_overwrite(tmp_path: Path, runner: CliRunner) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert invoke(runner, "merge", EXAMPLES, "-o", a, "--date", "2023-03-25").exit_code == 0
    assert invoke(runner, "merge", EXAMPLES, "-o", b, "--date", "2023-03-25").exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    before = a.read_bytes()
    again = invoke(runner, "merge", EXAMPLES, "-o", a, "--date", "2023-03-26")
    assert again.exit_code == 1 and "已存在" in again.output and a.read_bytes() == before
    assert (
        invoke(runner, "merge", EXAMPLES, "-o", a, "--date", "2023-03-26", "--force").exit_code == 0
    )
    assert a.read_bytes() != before


def test_json_parity_with_the_library_call(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "cli.xlsx"
    result = invoke(
        runner, "merge", EXAMPLES, "-o", out, "--date", "2023-03-25", "--format", "json"
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data.pop("collection")["rates"]["reported"]["part"] == 7
    library = merge_paths(
        [EXAMPLES], DEFAULT_CAMPAIGN, tmp_path / "lib.xlsx", filled_on=DAY
    ).to_json(tmp_path / "lib.xlsx")
    assert data == {**library, "output": str(out)}
    assert data["totals"]["5"] == "82.0597" and data["totals"]["1"] == 112
    assert (
        data["late"] == ["陵川县市场监督管理局"]
        and data["missing"] == []
        and len(data["included"]) == 7
    )


def test_output_reads_back_through_our_reader(tmp_path: Path) -> None:
    out = tmp_path / "晋城.xlsx"
    result = merge_paths([EXAMPLES], DEFAULT_CAMPAIGN, out, filled_on=DAY)
    report = validate_file(out, PROVINCE)
    assert report.status == "valid", report.problems
    assert report.sheet == "汇总" and report.reporter == "晋城市市场监督管理局"
    assert report.values == result.totals
    assert report.consolidated and len(report.covers) == 7


def _changzhi_total(tmp_path: Path) -> Path:
    """A second city's total, made the way a user would: generate, fill in, merge."""
    changzhi = DEFAULT_CAMPAIGN.model_copy(
        update={
            "organizer": "长治市市场监督管理局",
            "reporters": (
                Reporter(name="潞州区市场监督管理局", short_name="潞州区"),
                Reporter(name="上党区市场监督管理局", short_name="上党区"),
            ),
        }
    )
    forms = generate_forms(changzhi, tmp_path / "changzhi")
    for n, form in enumerate(forms, start=1):
        cells: dict[str, Decimal | float] = {
            LAYOUT.value_cell(i): (
                Decimal("1.0001") * n
                if changzhi.form.measure_of(item).kind is ValueKind.MONEY
                else 10 * n + i
            )
            for i, item in enumerate(changzhi.form.items)
        }
        cells = {k: float(v) if isinstance(v, Decimal) else v for k, v in cells.items()}
        _edit(form.path, C4=date(2023, 3, 20), **cells)
    out = tmp_path / "长治.xlsx"
    merge_paths([tmp_path / "changzhi"], changzhi, out, filled_on=date(2023, 3, 24))
    return out


def test_province_rollup(tmp_path: Path) -> None:
    jincheng = tmp_path / "晋城.xlsx"
    city = merge_paths([EXAMPLES], DEFAULT_CAMPAIGN, jincheng, filled_on=DAY)
    changzhi = _changzhi_total(tmp_path)
    out = tmp_path / "山西.xlsx"
    province = merge_paths([jincheng, changzhi], PROVINCE, out, filled_on=date(2023, 3, 31))
    assert province.missing == []
    assert province.totals["1"] == city.totals["1"] + (10 + 20)
    assert province.totals["5"] == Decimal("82.0597") + Decimal("1.0001") + Decimal("2.0002")
    covers = validate_file(
        out,
        PROVINCE.model_copy(
            update={"reporters": (Reporter(name="山西省市场监督管理局", short_name="山西省"),)}
        ),
    ).covers
    assert (
        len(covers) == 9 and "泽州县市场监督管理局" in covers and "潞州区市场监督管理局" in covers
    )


def test_double_counting_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    jincheng = tmp_path / "晋城.xlsx"
    merge_paths([EXAMPLES], DEFAULT_CAMPAIGN, jincheng, filled_on=DAY)
    zezhou = next(EXAMPLES.glob("*泽州县*"))
    with pytest.raises(Jc315Error, match="泽州县市场监督管理局") as refused:
        merge_paths(
            [jincheng, zezhou], PROVINCE, tmp_path / "p.xlsx", filled_on=DAY, skip_invalid=True
        )
    assert refused.value.problem.code == "merge-double-count"
    assert refused.value.message.startswith("拒绝汇总：") and "计算两次" in refused.value.hint
    assert not (tmp_path / "p.xlsx").exists()
    # The same at city level: last round's city total dropped into the folder of county forms.
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    shutil.copy(jincheng, folder / "晋城.xlsx")
    result = invoke(runner, "merge", folder, "-o", tmp_path / "o.xlsx", "--skip-invalid")
    assert (
        result.exit_code == 1 and "重复计算" in result.output and not (tmp_path / "o.xlsx").exists()
    )


def test_each_refusal_to_merge_is_its_own_kind(messy: Path, tmp_path: Path) -> None:
    """Why a merge wrote nothing, as a code a script can act on and in words the clerk reads:
    files that failed (and --skip-invalid would help), nothing left to add up (it would not),
    a value to be confirmed first (and how to confirm it). (Double counting:
    test_double_counting_is_refused.)"""
    out = tmp_path / "o.xlsx"

    def refusal(paths: list[Path], *, skip_invalid: bool = False) -> Problem:
        with pytest.raises(Jc315Error) as refused:
            merge_paths(paths, DEFAULT_CAMPAIGN, out, filled_on=DAY, skip_invalid=skip_invalid)
        assert not out.exists()
        return refused.value.problem

    failed = refusal([messy])
    assert (failed.code, failed.message) == (
        "merge-invalid-files",
        "1 个文件未通过校验，未写出汇总表",
    )
    assert "--skip-invalid" in failed.hint
    nothing = refusal([next(messy.glob("*高平市*"))], skip_invalid=True)
    assert (nothing.code, nothing.message) == (
        "merge-nothing-valid",
        "没有通过校验的文件，无法汇总",
    )
    assert nothing.hint and "--skip-invalid" not in nothing.hint
    next(messy.glob("*高平市*")).unlink()
    _edit(next(messy.glob("*陵川县*")), E10=50000)  # 万元: above the item's bound, to be checked
    pending = refusal([messy])
    assert (pending.code, pending.message) == (
        "merge-unverified",
        "1 个文件有待核实的数值，未写出汇总表",
    )
    assert "核实说明" in pending.hint and "jc315 confirm" in pending.hint
    assert "--skip-invalid" in pending.hint
    plan = merge_paths([messy], DEFAULT_CAMPAIGN, out, filled_on=DAY, skip_invalid=True)
    assert "陵川县市场监督管理局" not in {f.reporter for f in plan.included}


def test_output_may_not_be_an_input(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    target = next(folder.glob("*城区*"))
    before = target.read_bytes()
    result = invoke(runner, "merge", folder, "-o", target, "--force")
    assert result.exit_code == 2 and target.read_bytes() == before


def test_output_may_not_be_an_input_under_another_name(tmp_path: Path, runner: CliRunner) -> None:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    target = next(folder.glob("*城区*"))
    before = target.read_bytes()
    for name, link in (("硬链接.xlsx", Path.hardlink_to), ("符号链接.xlsx", Path.symlink_to)):
        other = tmp_path / name
        link(other, target)
        result = invoke(runner, "merge", folder, "-o", other, "--force")
        assert result.exit_code == 2 and "也是输入文件之一" in result.output, name
        assert target.read_bytes() == before


def test_bad_date_option_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(runner, "merge", EXAMPLES, "-o", tmp_path / "o.xlsx", "--date", "明天")
    assert result.exit_code == 2 and not (tmp_path / "o.xlsx").exists()


def test_province_campaign_example_on_the_command_line(tmp_path: Path, runner: CliRunner) -> None:
    from tests.conftest import ROOT

    campaign = ROOT / "examples" / "province-campaign.toml"
    city = tmp_path / "cities" / "晋城市汇总.xlsx"
    assert invoke(runner, "merge", EXAMPLES, "-o", city, "--date", "2023-03-25").exit_code == 0
    out = tmp_path / "山西省汇总.xlsx"
    result = invoke(
        runner,
        "merge",
        city.parent,
        "-o",
        out,
        "--campaign",
        campaign,
        "--date",
        "2023-03-31",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["totals"]["5"] == "82.0597" and data["totals"]["8"] == 64300
    assert [f["reporter"] for f in data["included"]] == ["晋城市市场监督管理局"]
    assert len(data["missing"]) == 10 and "太原市市场监督管理局" in data["missing"]
    assert load_workbook(out)["汇总"]["C3"].value == "山西省市场监督管理局"
