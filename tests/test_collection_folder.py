"""The collection folder: its campaign found by itself (as git finds .git), never guessed, and a
forgotten --campaign told from a county's wrong form — on real generated and filled forms,
through the command line."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, invoke

CAMPAIGN_2024 = ROOT / "examples" / "campaign-2024.toml"


def fill(blank: Path, dest: Path, *, day: date, value: int = 1, **cells: str | int) -> Path:
    """A generated blank form filled as a county fills it: every value, the 填报日期, and
    `cells` on top, saved by an office suite's library."""
    from openpyxl import load_workbook

    from jc315cli.model.layout import FORM_SHEET, LAYOUT

    wb = load_workbook(blank)
    ws = wb[FORM_SHEET]
    index = 0
    while ws[LAYOUT.value_cell(index)].protection.locked is False:
        ws[LAYOUT.value_cell(index)] = value
        index += 1
    ws[LAYOUT.date_cell] = day
    for ref, typed in cells.items():
        ws[ref] = typed
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    return dest


def returned_2024(folder: Path, runner: CliRunner) -> Path:
    """Seven 2024 forms, generated with the 2024 campaign and filled honestly."""
    issued = folder / "下发2024"
    assert invoke(runner, "generate", "-c", CAMPAIGN_2024, "--out", issued).exit_code == 0
    back = folder / "收回2024"
    for blank in sorted(issued.glob("*.xlsx")):
        fill(blank, back / blank.name, day=date(2024, 3, 20))
    return back


def test_a_forgotten_campaign_is_a_usage_error_naming_the_campaign_file(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(CAMPAIGN_2024, tmp_path / "2024活动.toml")
    back = returned_2024(tmp_path, runner)
    with_it = invoke(runner, "validate", back, "-c", "2024活动.toml")
    assert with_it.exit_code == 0, with_it.output

    result = invoke(runner, "validate", back)
    assert result.exit_code == 2
    assert "2024 年" in result.output and "2024活动.toml" in result.output
    assert "本次收集的是 2023 年" not in result.output  # the counties are not blamed

    replies = tmp_path / "退回2024"
    fed = invoke(runner, "feedback", back, "-o", replies)
    assert fed.exit_code == 2 and "2024活动.toml" in fed.output
    assert not replies.exists()  # nothing written: no 2023 notices to seven counties


def test_one_county_with_last_years_form_is_that_countys_error(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One old form among this year's: the county used the wrong form, the campaign is right."""
    monkeypatch.chdir(tmp_path)
    issued = tmp_path / "下发"
    assert invoke(runner, "generate", "--out", issued).exit_code == 0
    back = tmp_path / "收回"
    blanks = sorted(issued.glob("*.xlsx"))
    for blank in blanks[1:]:
        fill(blank, back / blank.name, day=date(2023, 3, 20))
    old = tmp_path / "旧"
    assert invoke(runner, "generate", "-c", CAMPAIGN_2024, "--out", old).exit_code == 0
    fill(sorted(old.glob("*.xlsx"))[0], back / "旧表.xlsx", day=date(2023, 3, 20))
    result = invoke(runner, "validate", back)
    assert result.exit_code == 1
    assert "这是 2024 年的表，本次收集的是 2023 年的表" in result.output


def test_the_campaign_is_found_from_below_and_said(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "2024年3·15统计"
    made = invoke(runner, "init", folder, "-c", CAMPAIGN_2024)
    assert made.exit_code == 0, made.output
    assert "下一步" in made.output
    for name in ("下发", "收回", "退回", "汇总"):
        assert (folder / name).is_dir()
    monkeypatch.chdir(folder / "下发")  # below the collection folder, as git works
    generated = invoke(runner, "generate")
    assert generated.exit_code == 0, generated.output
    assert "jc315.toml" in generated.output and "2024年" in generated.output
    blanks = sorted((folder / "下发").glob("*.xlsx"))
    assert len(blanks) == 7
    for blank in blanks:
        fill(blank, folder / "收回" / blank.name, day=date(2024, 3, 20))
    result = invoke(runner, "validate")
    assert result.exit_code == 0, result.output
    assert "7 个文件" in result.output or "全部通过" in result.output or "通过" in result.output


def test_two_campaign_files_found_is_a_usage_error_naming_both(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "甲", tmp_path / "乙"
    assert invoke(runner, "init", first).exit_code == 0
    assert invoke(runner, "init", second).exit_code == 0
    form = tmp_path / "乙" / "收回" / "表.xlsx"
    from tests.conftest import filled_form

    filled_form(form)
    monkeypatch.chdir(first)
    result = invoke(runner, "validate", form)
    assert result.exit_code == 2
    assert "乙" in result.output and result.output.count("jc315.toml") >= 2


def test_outside_a_collection_folder_paths_are_needed(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["validate"], ["merge"], ["feedback"], ["status"]):
        result = invoke(runner, *command)
        assert result.exit_code == 2, (command, result.output)
        assert "收集文件夹" in result.output


def test_a_whole_year_in_a_collection_folder_needs_no_path_and_no_campaign(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """init, generate, two rounds of returns with a correction after feedback, merge, summary
    and status, all inside the collection folder, each state, history and rate checked."""
    import json

    from jc315cli.model.layout import LAYOUT

    folder = tmp_path / "2024年3·15统计"
    assert invoke(runner, "init", folder, "-c", CAMPAIGN_2024).exit_code == 0
    monkeypatch.chdir(folder)
    assert invoke(runner, "generate").exit_code == 0
    blanks = {
        b.name.split("-")[-1].removesuffix(".xlsx"): b for b in (folder / "下发").glob("*.xlsx")
    }
    gaoping = next(k for k in blanks if k.startswith("高平"))
    lingchuan = next(k for k in blanks if k.startswith("陵川"))
    first, bad = LAYOUT.value_cell(0), {LAYOUT.value_cell(1): "十二"}
    for name, blank in blanks.items():
        if name == lingchuan:
            continue
        cells = bad if name == gaoping else {}
        fill(blank, folder / "收回" / blank.name, day=date(2024, 3, 20), value=12, **cells)

    assert invoke(runner, "validate").exit_code == 1
    board = json.loads(invoke(runner, "status", "--date", "2024-03-21", "--format", "json").output)
    states = {r["reporter"]: r["state"] for r in board["reporters"]}
    assert states[gaoping] == "未通过，待退回" and states[lingchuan] == "未报送"
    assert sum(s == "通过" for s in states.values()) == 5
    assert board["rates"]["reported"] == {"part": 6, "whole": 7, "percent": "85.7"}
    assert board["rates"]["first_pass"]["part"] == 5 and board["rates"]["first_pass"]["whole"] == 6
    assert "feedback" in board["next_step"]

    fed = invoke(runner, "feedback", "--date", "2024-03-21", "--deadline", "2024-03-25")
    assert fed.exit_code == 0, fed.output
    assert any(p.name.startswith("退回-高平") for p in (folder / "退回").iterdir())
    board = json.loads(invoke(runner, "status", "--date", "2024-03-22", "--format", "json").output)
    row = next(r for r in board["reporters"] if r["reporter"] == gaoping)
    assert row["state"] == "已退回，待改正" and "3月25日" in row["detail"]
    assert [r["kind"] for r in row["replies"]] == ["correct"]

    # Round two, after the campaign's deadline (3-22) but by the reply's own (3-25).
    fill(
        blanks[gaoping],
        folder / "收回" / blanks[gaoping].name,
        day=date(2024, 3, 24),
        value=12,
        **{first: 15},
    )
    fill(
        blanks[lingchuan], folder / "收回" / blanks[lingchuan].name, day=date(2024, 3, 24), value=12
    )
    checked = invoke(runner, "validate", "--format", "json")
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    codes = {f["reporter"]: {p["code"] for p in f["problems"]} for f in report["files"]}
    assert "corrected-on-time" in codes[gaoping] and "late" not in codes[gaoping]
    assert "late" in codes[lingchuan]
    assert report["summary"]["late"] == [lingchuan]

    board = json.loads(invoke(runner, "status", "--date", "2024-03-25", "--format", "json").output)
    row = next(r for r in board["reporters"] if r["reporter"] == gaoping)
    assert row["state"] == "通过" and len(row["rounds"]) == 2 and row["on_time"] is True
    assert f"{first}：12（3月20日）→ 15（3月24日）" in row["history"]
    assert board["rates"]["reported"]["part"] == 7
    assert board["rates"]["timely"] == {"part": 6, "whole": 7, "percent": "85.7"}, board[
        "reporters"
    ]
    assert board["rates"]["first_pass"] == {"part": 6, "whole": 7, "percent": "85.7"}

    merged = invoke(runner, "merge", "--date", "2024-03-25")
    assert merged.exit_code == 0, merged.output
    report = folder / "汇总" / "2024年3·15活动情况汇总表.xlsx"
    from openpyxl import load_workbook

    status = load_workbook(report)["报送情况"]
    text = [
        " ".join(str(c or "").replace("\n", "") for c in row)
        for row in status.iter_rows(values_only=True)
    ]
    told = next(line for line in text if gaoping in line and "已报送" in line)
    told = told.replace(" ", "")  # the line broken for the page where a space was
    assert "第2次报送" in told and f"{first}：12（3月20日）→15（3月24日）" in told
    assert any("合计" in line and "报送率 7/7" in line and "及时率 6/7" in line for line in text)
    assert "下一步" in merged.output and "summary" in merged.output
    assert invoke(runner, "summary").exit_code == 0
    shown = invoke(runner, "status", "--date", "2024-03-25")
    assert shown.exit_code == 0 and "报送率 7/7" in shown.output and "最近一次汇总" in shown.output
    bare = invoke(runner)
    assert bare.exit_code == 0 and "报送率 7/7" in bare.output
