"""The clerk's second week: corrections, one verdict for a folder, nothing doubtful forwarded
silently, every file accounted for, and replies ready to send. Real files throughout."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jc315cli.check.validate import validate_file, validate_paths
from jc315cli.commands.feedback import feedback_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.read.workbook import read_workbook
from jc315cli.write.blank_forms import generate_forms
from jc315cli.write.replies import MARK_COLOUR, VERIFY_COLOUR
from tests.conftest import EXAMPLES, QUIRKS, invoke

ZEZHOU = "泽州县市场监督管理局"
LINGCHUAN = "陵川县市场监督管理局"
TODAY = date(2023, 3, 23)
BY = date(2023, 3, 25)


def edit(path: Path, **cells: str | int | float | date | None) -> Path:
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[FORM_SHEET][ref] = value
    wb.save(path)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The seven example forms, as the clerk's 收回/ folder."""
    target = tmp_path / "收回"
    shutil.copytree(EXAMPLES, target)
    return target


def zezhou(folder: Path) -> Path:
    return next(folder.glob("*泽州县*"))


def both_verdicts(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> tuple[int, int, dict[str, object]]:
    checked = invoke(runner, "validate", folder, "--format", "json")
    merged = invoke(
        runner, "merge", folder, "-o", tmp_path / "汇总.xlsx", "--date", "2023-03-25", "--force"
    )
    return checked.exit_code, merged.exit_code, json.loads(checked.stdout)["summary"]


# --- resubmissions ---------------------------------------------------------------------------


def test_a_same_day_correction_replaces_the_invalid_file(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    first = zezhou(folder)
    edit(first, E9="12场", C4=date(2023, 3, 21))  # the mistake
    corrected = shutil.copy(first, folder / "泽州县-更正.xlsx")
    edit(Path(corrected), E9=15)  # the same day's corrected copy
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    by_path = {Path(f.path).name: f for f in report.files}
    old, new = by_path[first.name], by_path["泽州县-更正.xlsx"]
    assert old.superseded_by == str(corrected) and new.counts
    replaced = next(p for p in old.problems if p.code == "superseded")
    assert "本文件未通过校验" in replaced.message and "E9" in replaced.message
    assert report.ok and report.summary.included == [r.name for r in DEFAULT_CAMPAIGN.reporters]
    validate_exit, merge_exit, summary = both_verdicts(folder, runner, tmp_path)
    assert (validate_exit, merge_exit) == (0, 0) and summary["ok"] is True


def test_two_valid_files_on_the_same_day_name_their_differences(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    first = edit(zezhou(folder), E9=12, C4=date(2023, 3, 21))
    other = Path(shutil.copy(first, folder / "泽州县-又一份.xlsx"))
    edit(other, E9=15, E10=4)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    tie = next(
        p
        for f in report.files
        if f.path == str(first)
        for p in f.problems
        if p.code == "duplicate-tie"
    )
    # Each file by name with its own figures, so the one to keep is seen at a glance.
    assert f"“{first.name}” E9 12、E10 " in tie.message and "旧版/" in tie.hint
    assert "；“泽州县-又一份.xlsx” E9 15、E10 4" in tie.message
    assert not report.ok
    validate_exit, merge_exit, summary = both_verdicts(folder, runner, tmp_path)
    assert (validate_exit, merge_exit) == (1, 1) and summary["ok"] is False
    # Following the hint: the outdated copy moved into 旧版/, which is not read.
    (folder / "旧版").mkdir()
    shutil.move(str(first), folder / "旧版" / first.name)
    assert validate_paths([folder], DEFAULT_CAMPAIGN).ok


def test_validate_and_merge_agree_on_a_folder_with_a_superseded_file(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    older = Path(shutil.copy(zezhou(folder), folder / "泽州县-初稿.xlsx"))
    edit(older, E6=1, C4=date(2023, 3, 18))
    validate_exit, merge_exit, summary = both_verdicts(folder, runner, tmp_path)
    assert validate_exit == merge_exit == 0
    assert summary["superseded"] == [str(older)] and len(summary["included"]) == 7  # type: ignore[arg-type]
    checked = invoke(runner, "validate", folder)
    assert "已报送 7/7，计入汇总 7/7，未报送：无，已退回：无" in checked.output


def test_skip_invalid_counts_what_went_into_the_total(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    edit(zezhou(folder), E6="约20")
    next(folder.glob("*开发区*")).unlink()
    refused = invoke(runner, "merge", folder, "-o", tmp_path / "a.xlsx")
    assert refused.exit_code == 1 and not (tmp_path / "a.xlsx").exists()
    assert "E6 “约20”是约数" in refused.output  # the reason, not only the file
    result = invoke(
        runner, "merge", folder, "-o", tmp_path / "a.xlsx", "--skip-invalid", "--date", "2023-03-25"
    )
    assert result.exit_code == 0
    assert "已报送 6/7，计入汇总 5/7，未报送：开发区，已退回：泽州县：" in result.output
    checked = invoke(runner, "validate", folder)
    assert checked.exit_code == 1 and "已报送 6/7，计入汇总 5/7" in checked.output


# --- nothing doubtful forwarded silently -----------------------------------------------------


def test_a_yuan_figure_in_the_wanyuan_row_is_caught_with_one_reporter(
    tmp_path: Path, runner: CliRunner
) -> None:
    (form,) = generate_forms(DEFAULT_CAMPAIGN, tmp_path / "in", reporter_names=["陵川县"])
    cells: dict[str, str | int | float | date | None] = {
        LAYOUT.value_cell(i): 1 for i in range(len(DEFAULT_CAMPAIGN.form.items))
    }
    edit(form.path, **{**cells, "E10": 50000, "C4": date(2023, 3, 20)})
    report = validate_file(form.path, DEFAULT_CAMPAIGN)
    assert report.status == "valid"  # no error; above the bound only once the batch is seen
    result = invoke(
        runner, "merge", tmp_path / "in", "-o", tmp_path / "汇总.xlsx", "--date", "2023-03-25"
    )
    assert result.exit_code == 1 and not (tmp_path / "汇总.xlsx").exists()
    assert "! E10 为消费者挽回经济损失金额：50000 万元 超过" in result.output
    assert "超过本项的合理上限（1000 万元），请核实" in result.output
    assert "〔待核实〕" in result.output and "待核实：陵川县：E10" in result.output
    assert "需核实的数值 1 条：已核实 0 条，待核实 1 条" in result.output
    assert "jc315 confirm" in result.output  # how to confirm it
    checked = invoke(runner, "validate", tmp_path / "in")  # no 问题清单 yet: says what is true
    assert "详见“问题清单”" not in checked.output
    strict = invoke(runner, "merge", tmp_path / "in", "-o", tmp_path / "s.xlsx", "--strict")
    assert strict.exit_code == 1 and not (tmp_path / "s.xlsx").exists()
    assert "--strict 已是默认" in strict.output  # the old option still works, and says so


def test_bounds_do_not_apply_to_consolidated_reports(tmp_path: Path) -> None:
    from jc315cli.commands.merge import merge_paths

    city = tmp_path / "晋城.xlsx"
    merge_paths([EXAMPLES], DEFAULT_CAMPAIGN, city, filled_on=date(2023, 3, 25))
    report = validate_file(
        city,
        DEFAULT_CAMPAIGN.model_copy(
            update={
                "reporters": (
                    DEFAULT_CAMPAIGN.reporters[0].model_copy(
                        update={
                            "name": "晋城市市场监督管理局",
                            "short_name": "晋城市",
                            "aliases": (),
                        }
                    ),
                )
            }
        ),
    )
    assert report.consolidated and not any(p.code == "above-bound" for p in report.problems)


def test_outliers_name_their_cell(folder: Path) -> None:
    edit(zezhou(folder), E8=9999)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    outlier = next(p for f in report.files for p in f.problems if p.code == "outlier")
    assert (outlier.cell, outlier.sheet, outlier.item) == ("E8", FORM_SHEET, "3")


# --- every file accounted for ----------------------------------------------------------------


def test_unreadable_files_named_after_a_reporter_are_rejected_not_missing(
    folder: Path, runner: CliRunner
) -> None:
    next(folder.glob("*陵川县*")).unlink()
    (folder / "陵川县.xlsx").write_bytes(b"")
    zezhou(folder).unlink()
    shutil.copy(QUIRKS / "not-a-spreadsheet.xlsx", folder / "泽州县.xlsx")
    (folder / "活动总结.pdf").write_bytes(b"%PDF-1.4")
    (folder / "阳城县总结.docx").write_bytes(b"PK")
    (folder / "阳城县数据.csv").write_text("1,2", encoding="utf-8")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    s = report.summary
    assert LINGCHUAN not in s.missing and ZEZHOU not in s.missing
    assert {r.reporter for r in s.rejected} == {LINGCHUAN, ZEZHOU}
    # The summaries are materials now (one of them nobody's), not 未读取; the CSV still is.
    assert [Path(n.path).name for n in s.not_read] == ["阳城县数据.csv"]
    assert report.materials["阳城县市场监督管理局"]["活动总结"] == [str(folder / "阳城县总结.docx")]
    shown = invoke(runner, "validate", folder)
    assert (
        "已退回：泽州县：泽州县.xlsx" in shown.output
        and "陵川县：陵川县.xlsx，文件是空的" in shown.output
    )
    assert "未读取：阳城县数据.csv（CSV 文件不是下发的统计表" in shown.output
    assert "“活动总结.pdf”像是活动总结，但文件名中没有单位名称" in shown.output


def test_a_wps_et_file(folder: Path, tmp_path: Path) -> None:
    zezhou(folder).unlink()
    shutil.copy(
        QUIRKS / "filled-valid-libreoffice.xls", folder / "泽州县.et"
    )  # .et is an .xls inside
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    et = next(f for f in report.files if f.path.endswith(".et"))
    assert et.status == "valid" and et.reporter == ZEZHOU and report.ok
    (folder / "泽州县.et").write_bytes(b"WPS proprietary bytes")
    bad = next(
        f for f in validate_paths([folder], DEFAULT_CAMPAIGN).files if f.path.endswith(".et")
    )
    assert bad.status == "unreadable" and "另存为 .xlsx" in bad.problems[0].message
    assert bad.reporter == ZEZHOU


def test_help_says_which_subfolders_are_read(runner: CliRunner) -> None:
    for command in ("validate", "merge", "feedback"):
        shown = invoke(runner, command, "--help").output
        assert "以单位命名的子文件夹" in shown and "其他子文件夹不读取" in shown


# --- replies ready to send -------------------------------------------------------------------


def test_feedback_round_trip(folder: Path, tmp_path: Path, runner: CliRunner) -> None:
    bad = edit(zezhou(folder), E9="12场", E10="5000元", E12=None)
    next(folder.glob("*开发区*")).unlink()
    out = tmp_path / "退回"
    result = invoke(
        runner, "feedback", folder, "-o", out, "--date", "2023-03-23", "--deadline", "2023-03-25"
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["催报-开发区.txt", "催报-开发区.xlsx", "退回-泽州县.txt", "退回-泽州县.xlsx"]

    # The form sent back: our own reader sees 泽州县's identity and the values it sent.
    sent_back = out / "退回-泽州县.xlsx"
    identity = read_workbook(sent_back).identity
    assert identity is not None and identity.reporter == ZEZHOU
    original = validate_file(bad, DEFAULT_CAMPAIGN)
    wb = load_workbook(sent_back)
    ws = wb[FORM_SHEET]
    assert ws["E9"].value == "12场" and ws["E6"].value == original.values["1"]
    assert ws["E10"].value == Decimal("0.5") or ws["E10"].value == 0.5
    assert ws["E9"].fill.fgColor.rgb.endswith(MARK_COLOUR)  # to correct: red
    for cell in ("E10", "E12"):  # 5000元 converted, and blank: to confirm, yellow
        assert ws[cell].fill.fgColor.rgb.endswith(VERIFY_COLOUR), cell
        assert "请核实" in ws[cell].comment.text and "请改正" not in ws[cell].comment.text
    assert "单位" in ws["E9"].comment.text and ws["E8"].comment is None
    assert "请改正" in ws["E9"].comment.text and "请核实" not in ws["E9"].comment.text
    assert ws["F5"].value == "核实说明"
    assert [c for c in ("F9", "F10", "F12") if not ws[c].protection.locked] == ["F10", "F12"]
    assert (
        ws.protection.sheet
        and "退回修改" in str(ws["A1"].value)
        and "2023年3月25日" in str(ws["A1"].value)
    )
    banner = str(ws["A1"].value)
    assert "请改正标红的 1 处（E9）" in banner and "请核实标黄的 2 处（E10、E12）" in banner
    text = (out / "退回-泽州县.txt").read_text(encoding="utf-8-sig")
    assert (
        text.startswith("泽州县市场监督管理局：")
        and "E9（第 4 项 接受投诉情况）填写的“12场”" in text
    )
    fix, check = text.split("请核实，如数值无误请在核实说明中写明理由：")
    assert "请改正：" in fix and "E9" in fix and "E10" not in fix
    assert "E10" in check and "E12" in check and "E9" not in check
    assert "2023年3月25日前改正、核实后重新报送" in text and "0356-2025287" in text
    remind = (out / "催报-开发区.txt").read_text(encoding="utf-8-sig")
    assert "尚未收到" in remind and "2023年3月25日" in remind
    for notice in ("退回-泽州县.txt", "催报-开发区.txt"):  # as Notepad and OA systems read it
        raw = (out / notice).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
        assert raw.count(b"\n") == raw.count(b"\r\n") > 3 and b"\r\r" not in raw
        assert raw.endswith(b"\r\n")
    blank = read_workbook(out / "催报-开发区.xlsx").identity
    assert blank is not None and blank.reporter == "晋城市市场监督管理局开发区分局"

    # The county fixes the marked cells, dates it, sends it back: it validates and wins.
    fixed = folder / "泽州县-改正.xlsx"
    shutil.copy(sent_back, fixed)
    edit(fixed, E9=12, E10=0.5, E12=0, C4=date(2023, 3, 24))
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    mine = {Path(f.path).name: f for f in report.files}
    assert mine["泽州县-改正.xlsx"].counts and mine[bad.name].superseded_by == str(fixed)
    assert ZEZHOU in report.summary.included


def test_feedback_writes_nothing_when_a_target_exists(folder: Path, tmp_path: Path) -> None:
    from jc315cli.problems.errors import Jc315Error

    next(folder.glob("*开发区*")).unlink()
    out = tmp_path / "退回"
    out.mkdir()
    (out / "催报-开发区.txt").write_text("旧的", encoding="utf-8")
    with pytest.raises(Jc315Error) as info:
        feedback_paths([folder], DEFAULT_CAMPAIGN, out, today=TODAY, deadline=BY)
    assert info.value.problem.code == "output-exists"
    assert sorted(p.name for p in out.iterdir()) == ["催报-开发区.txt"]


def test_contacts_from_the_campaign_are_shown(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    from jc315cli.model.campaign_file import campaign_to_toml

    text = campaign_to_toml(DEFAULT_CAMPAIGN)
    assert '# phone = "0356-0000000"' in text  # shown commented by init
    text = text.replace(
        'short_name = "开发区"',
        'short_name = "开发区"\ncontact = "王五"\nphone = "0356-1234567"',
        1,
    )
    campaign_path = tmp_path / "c.toml"
    campaign_path.write_text(text, encoding="utf-8")
    next(folder.glob("*开发区*")).unlink()
    result = invoke(runner, "validate", folder, "--campaign", campaign_path)
    assert "未报送：开发区（王五，电话 0356-1234567）" in result.output
    merged = invoke(
        runner,
        "merge",
        folder,
        "-o",
        tmp_path / "o.xlsx",
        "--campaign",
        campaign_path,
        "--date",
        "2023-03-25",
    )
    assert merged.exit_code == 0
    rows = [
        [c.value for c in row] for row in load_workbook(tmp_path / "o.xlsx")["报送情况"].iter_rows()
    ]
    assert any("0356-1234567" in str(v) for row in rows for v in row)


# --- found by a red-team pass ----------------------------------------------------------------


def test_another_units_form_under_a_county_file_name_is_an_error(folder: Path) -> None:
    """泽州县's clerk filled in the form sent to 城区 and named it 泽州县.xlsx: whose numbers
    these are cannot be told, and they must never replace 城区's own file."""
    zezhou(folder).unlink()
    chengqu = next(folder.glob("*城区*"))
    wrong = Path(shutil.copy(chengqu, folder / "泽州县.xlsx"))
    edit(wrong, E9=99, C4=date(2023, 3, 21))
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    files = {Path(f.path).name: f for f in report.files}
    assert "reporter-mismatch" in {p.code for p in files["泽州县.xlsx"].errors}
    assert files[chengqu.name].counts and not files["泽州县.xlsx"].counts
    assert ZEZHOU in report.summary.missing  # and 泽州县 is still asked for its own form


def test_an_undated_corrected_copy_and_a_dated_original_are_a_tie(folder: Path) -> None:
    original = edit(zezhou(folder), E17=500000)
    corrected = Path(shutil.copy(original, folder / "退回-泽州县.xlsx"))
    edit(corrected, E17=5000, C4=None)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert not report.ok
    tie = [p for f in report.files for p in f.problems if p.code == "duplicate-tie"]
    assert len(tie) == 2 and tie[0] == tie[1]  # one message naming both
    assert f"“{original.name}” E17 500000" in tie[0].message
    assert "“退回-泽州县.xlsx” E17 5000" in tie[0].message


def test_a_newer_rejected_correction_gets_the_reply(folder: Path, tmp_path: Path) -> None:
    newer = Path(shutil.copy(zezhou(folder), folder / "泽州县-更正.xlsx"))
    edit(newer, E9="18件左右", C4=date(2023, 3, 22))
    out = tmp_path / "退回"
    _, replies, _ = feedback_paths([folder], DEFAULT_CAMPAIGN, out, today=TODAY, deadline=BY)
    (reply,) = [r for r in replies if r.reporter.name == ZEZHOU]
    assert reply.source is not None and reply.source.path == str(newer)
    assert [m.cell for m in reply.marks] == ["E9"]


def test_a_tie_asks_the_county_which_file_is_final(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """Two files of one date whose numbers differ: the county alone knows which is final. It
    gets a 请确认 naming each file with its own figures (no form to fill in), and the verdict
    lists the two files as one entry, as long as any other."""
    first = edit(zezhou(folder), E8=395, C4=date(2023, 3, 21))
    edit(Path(shutil.copy(first, folder / "泽州县-修改.xlsx")), E8=400)
    out = tmp_path / "退回"
    _, replies, written = feedback_paths([folder], DEFAULT_CAMPAIGN, out, today=TODAY, deadline=BY)
    (reply,) = [r for r in replies if r.reporter.name == ZEZHOU]
    assert reply.kind == "请确认" and len(reply.tied) == 2
    assert [p.name for p in written if "泽州县" in p.name] == ["请确认-泽州县.txt"]
    text = (out / "请确认-泽州县.txt").read_text(encoding="utf-8-sig")
    assert "填报日期都是2023年3月21日" in text and "哪一份是最终版本" in text
    assert f"1. 文件“{first.name}”：E8（第 3 项 接受咨询情况）395" in text
    assert "2. 文件“泽州县-修改.xlsx”：E8（第 3 项 接受咨询情况）400" in text
    result = invoke(runner, "validate", folder)
    verdict = result.output.split("已报送")[1].split("逾期")[0]
    entry = (
        f"已退回：泽州县：{first.name}、泽州县-修改.xlsx，数值不同、填报日期相同，待确认以哪份为准"
    )
    assert entry in "已报送" + verdict.replace("\n    ", "")
    assert verdict.count("待确认") == 1 and verdict.count("泽州县：") == 1  # one entry


def test_outputs_into_the_folder_being_read_are_refused(folder: Path, runner: CliRunner) -> None:
    result = invoke(runner, "feedback", folder, "-o", folder)
    assert result.exit_code == 2 and "收回的文件夹里" in result.output
    result = invoke(runner, "merge", folder, "-o", folder / "汇总.xlsx")
    assert result.exit_code == 2 and not (folder / "汇总.xlsx").exists()
    assert not list(folder.glob("催报-*"))


def test_the_same_form_sent_again_late_does_not_make_the_unit_late(folder: Path) -> None:
    on_time = zezhou(folder)
    again = Path(shutil.copy(on_time, folder / "泽州县-再次发送.xlsx"))
    edit(again, C4=date(2023, 3, 25))  # the same values, after the deadline
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    kept = next(f for f in report.files if f.counts and f.reporter == ZEZHOU)
    assert kept.path == str(on_time) and ZEZHOU not in report.summary.late
