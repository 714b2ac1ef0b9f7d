"""`jc315 confirm`: the 36500 case of the 核实 issue acted out in a collection folder through
the command line — refused by default with the way to confirm, confirmed by the city with a
reason kept in the ledger, merged with the reason in 问题清单 and the JSON, and doubtful again
once the county sends another number."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import invoke
from tests.test_collection_folder import fill

MONEY = "E10"  # 第 5 项 为消费者挽回经济损失金额（万元）


def returned(tmp_path: Path, runner: CliRunner, gaoping_money: int) -> tuple[Path, Path]:
    folder = tmp_path / "2023年3·15统计"
    assert invoke(runner, "init", folder).exit_code == 0
    assert invoke(runner, "generate", "-c", folder / "jc315.toml").exit_code == 0
    gaoping = Path()
    for number, blank in enumerate(sorted((folder / "下发").glob("*.xlsx"))):
        cells: dict[str, str | int] = {MONEY: 3 + number}
        if "高平" in blank.name:
            cells[MONEY] = gaoping_money
            gaoping = blank
        fill(blank, folder / "收回" / blank.name, day=date(2023, 3, 20), value=10 + number, **cells)
    return folder, gaoping


def test_the_36500_case_refused_confirmed_merged_and_doubtful_again(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, blank = returned(tmp_path, runner, gaoping_money=36500)
    monkeypatch.chdir(folder)
    refused = invoke(runner, "merge", "--date", "2023-03-24")
    assert refused.exit_code == 1
    assert "jc315 confirm" in refused.output and "核实说明" in refused.output
    assert not any((folder / "汇总").iterdir())

    wrong = invoke(runner, "confirm", "高平市", "3", "--reason", "无")  # 第 3 项 needs nothing
    assert wrong.exit_code == 2 and "没有需核实的问题" in wrong.output
    said = "电话核实：含一起大案挽回损失"
    done = invoke(runner, "confirm", "高平市", MONEY, "--reason", said, "--date", "2023-03-24")
    assert done.exit_code == 0, done.output
    assert "36500" in done.output and "已核实" in done.output and "下一步" in done.output

    merged = invoke(runner, "merge", "--date", "2023-03-24", "--format", "json")
    assert merged.exit_code == 0, merged.output
    data = json.loads(merged.output)
    states = [d for d in data["doubtful"] if d["reporter"] == "高平市市场监督管理局"]
    assert states and all(said in json.dumps(d, ensure_ascii=False) for d in states)
    from openpyxl import load_workbook

    report = load_workbook(folder / "汇总" / "2023年3·15活动情况汇总表.xlsx")
    issues = "\n".join(  # the reason broken into lines for the page, put together again
        str(c.value).replace("\n", "")
        for row in report["问题清单"].iter_rows()
        for c in row
        if c.value
    )
    assert said in issues and "市局核实" in issues

    # The county sends another number: the confirmation was for 36500 only.
    fill(blank, folder / "收回" / blank.name, day=date(2023, 3, 25), value=10, **{MONEY: 36600})
    again = invoke(runner, "validate", "--format", "json")
    assert again.exit_code == 1
    files = json.loads(again.output)["files"]
    gaoping = next(f for f in files if f["reporter"] == "高平市市场监督管理局")
    assert gaoping["status"] == "pending"
    status = json.loads(invoke(runner, "status", "--format", "json").output)
    row = next(r for r in status["reporters"] if r["reporter"] == "高平市市场监督管理局")
    assert row["state"] == "待核实"


def test_confirm_names_its_item_by_number_cell_or_label_and_needs_a_collection(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = returned(tmp_path, runner, gaoping_money=36500)
    monkeypatch.chdir(folder)
    for said in ("5", "E10", "挽回经济损失"):
        result = invoke(runner, "confirm", "高平", said, "--reason", "电话核实")
        assert result.exit_code == 0, (said, result.output)
    unknown = invoke(runner, "confirm", "高平市", "第九十九项", "--reason", "x")
    assert unknown.exit_code == 2 and "不认识的项目" in unknown.output
    empty = invoke(runner, "confirm", "高平市", "5", "--reason", "   ")
    assert empty.exit_code == 2
    monkeypatch.chdir(tmp_path)
    outside = invoke(runner, "confirm", "高平市", "5", "--reason", "电话核实")
    assert outside.exit_code == 2 and "收集文件夹" in outside.output


def test_confirm_needs_a_counted_form_and_a_ledger_it_can_write(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    folder, blank = returned(tmp_path, runner, gaoping_money=36500)
    monkeypatch.chdir(folder)
    fill(blank, folder / "收回" / blank.name, day=date(2023, 3, 20), value=10, E9="十二")
    broken = invoke(runner, "confirm", "高平市", "5", "--reason", "电话核实")
    assert broken.exit_code == 2 and "没有可计入汇总的表" in broken.output  # an error first

    fill(blank, folder / "收回" / blank.name, day=date(2023, 3, 20), value=10, **{MONEY: 36500})
    with sqlite3.connect(folder / ".jc315" / "ledger.sqlite") as db:
        db.execute("PRAGMA user_version = 99")  # a newer jc315's: left untouched, not written
    db.close()
    unwritten = invoke(runner, "confirm", "高平市", "5", "--reason", "电话核实")
    assert unwritten.exit_code == 1 and "核实结果未记录" in unwritten.output
