"""核实: a doubtful number is forwarded only with a reason on record. 高平市 types 36500 in the
万元 row (yuan, not 万元): refused by default with the way to confirm it; confirmed by the
county's own 核实说明 (written into the form sent back, saved by LibreOffice) or by the office;
then merged with its reason in 问题清单 and the JSON; changed afterwards, doubtful again. Real
files throughout, through the command line."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from jc315cli.check.confirm import settle
from jc315cli.check.validate import validate_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.problems.report import FileReport, Tier
from jc315cli.write.blank_forms import build_timestamp, form_bytes
from tests.conftest import EXAMPLES, invoke

GAOPING = "高平市市场监督管理局"
COUNTY = DEFAULT_CAMPAIGN.reporter(GAOPING)
STAMP = build_timestamp(DEFAULT_CAMPAIGN)
VALUES = (18, 3, 526, 96, Decimal("12.3456"), 3, 2, 1, 15, 94, 6, 9800)  # 高平市's example form
REASON = "数值无误：3月一起预付卡集中退费案，为消费者挽回3.65亿元"


def edit(path: Path, **cells: Any) -> Path:
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[FORM_SHEET][ref] = value
    wb.save(path)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The seven example forms, 高平市's with 36500 typed in the 万元 row (E10)."""
    target = tmp_path / "收回"
    shutil.copytree(EXAMPLES, target)
    edit(gaoping(target), E10=36500)
    return target


def gaoping(folder: Path) -> Path:
    return next(folder.glob("*高平市*"))


def mine(files: list[FileReport], name: str) -> FileReport:
    return next(f for f in files if Path(f.path).name == name)


def flat(output: str) -> str:
    """Terminal output with its wrapped lines joined again (80 columns, hanging indent)."""
    return re.sub(r"\n +", "", output)


def rows(path: Path, sheet: str) -> list[list[Any]]:
    ws = load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows(min_row=3)]


# --- refused by default, with the way to confirm ---------------------------------------------


def test_the_36500_case_is_refused_by_default_with_the_way_to_confirm(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    checked = invoke(runner, "validate", folder)
    assert checked.exit_code == 1
    assert "! 2023年3·15活动情况统计表-高平市市场监督管理局.xlsx  待核实" in checked.output
    assert "36500 万元 超过本项的合理上限（1000 万元），请核实" in checked.output
    assert "〔待核实〕" in checked.output
    assert "共 7 个文件：通过 6，待核实 1，未通过 0，无法读取 0" in checked.output
    assert "计入汇总 6/7" in checked.output and "待核实：高平市：E10" in checked.output
    assert "“核实说明”栏写明理由" in checked.output and "jc315 confirm" in checked.output

    out = tmp_path / "汇总.xlsx"
    refused = invoke(runner, "merge", folder, "-o", out, "--date", "2023-03-25")
    assert refused.exit_code == 1 and not out.exists()
    assert "错误：1 个文件有待核实的数值，未写出汇总表" in refused.output
    assert "jc315 confirm" in refused.output

    data = json.loads(invoke(runner, "validate", folder, "--format", "json").stdout)
    county = next(f for f in data["files"] if f["reporter"] == GAOPING)
    assert county["status"] == "pending"
    doubtful = [p for p in county["problems"] if p["tier"] == "verify"]
    assert {p["code"] for p in doubtful} == {"above-bound", "outlier"}
    assert all(p["verified"] is None and p["cell"] == "E10" for p in doubtful)
    assert data["summary"]["pending"] == 1 and data["summary"]["ok"] is False
    assert (data["summary"]["doubtful"], data["summary"]["verified"]) == (1, 0)  # one value
    assert {p["tier"] for f in data["files"] for p in f["problems"]} <= {"note", "verify"}


def unbroken(value: object) -> str:
    """A printed cell's text without the line breaks jc315 put in it for the page."""
    return str(value).replace("\n", "")


def test_skip_invalid_leaves_the_doubtful_file_out_and_lists_it(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    out = tmp_path / "汇总.xlsx"
    result = invoke(runner, "merge", folder, "-o", out, "--date", "2023-03-25", "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "69.7141" in result.output and "36569.7141" not in result.output  # 82.0597 − 12.3456
    assert "待核实：高平市" in result.output
    status = {r[1]: r for r in rows(out, "报送情况")}
    assert (
        status[GAOPING][2] == "待核实" and str(status[GAOPING][6]).replace("\n", " ") == "待核实 1"
    )
    issues = [r for r in rows(out, "问题清单") if r[1] == "高平市"]  # by its short name
    assert issues and all(unbroken(r[9]) == "待核实（未计入汇总）" for r in issues)
    assert all(unbroken(r[5]) == "核实性·请核实" and r[3] == "统计表!E10" for r in issues)
    note = load_workbook(out)["汇总"]["A19"].value
    assert "有待核实的数值、未计入：高平市。" in note
    detail = load_workbook(out)["分单位明细"]
    assert "高平市（待核实）" in [c.value for c in detail[2]]
    read_back = invoke(runner, "summary", out)  # the report reads back, 高平市 not in it
    assert read_back.exit_code == 0 and "69.7141万元" in read_back.output, read_back.output
    from jc315cli.figures.last_year import read_last_year

    next_year = DEFAULT_CAMPAIGN.model_copy(update={"year": 2024})
    assert GAOPING not in read_last_year(out, next_year).values  # no numbers, not zeros
    data = json.loads(
        invoke(
            runner, "merge", folder, "-o", out, "--skip-invalid", "--force", "--format", "json"
        ).stdout
    )
    assert [(d["reporter"], d["state"], d["value"]) for d in data["doubtful"]] == [
        (GAOPING, "pending", "36500"),  # 万元: exact digits, as every amount in the JSON
        (GAOPING, "pending", "36500"),
    ]


# --- the county answers in its own form ------------------------------------------------------


def sent_back(folder: Path, tmp_path: Path, runner: CliRunner) -> Path:
    out = tmp_path / "退回"
    result = invoke(
        runner, "feedback", folder, "-o", out, "--date", "2023-03-23", "--deadline", "2023-03-26"
    )
    assert result.exit_code == 0, result.output
    return out / "退回-高平市.xlsx"


def test_the_form_sent_back_has_one_open_note_cell_beside_the_doubtful_value(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    ws = load_workbook(sent_back(folder, tmp_path, runner))[FORM_SHEET]
    assert ws.protection.sheet
    assert ws["F5"].value == "核实说明" and ws["F5"].protection.locked
    blank = load_workbook(io.BytesIO(form_bytes(DEFAULT_CAMPAIGN, COUNTY, STAMP)))[FORM_SHEET]
    assert open_cells(ws) == open_cells(blank) | {"F10"}  # the form's own, and F10 beside E10
    assert [c.coordinate for c in ws["F"] if c.value is not None] == ["F5"]
    last = ws[LAYOUT.value_cell(len(DEFAULT_CAMPAIGN.form.items) - 1)].row
    form = [m for m in ws.merged_cells.ranges if m.min_row <= last]  # not the reasons below it
    assert all("F" not in str(merged) for merged in form)
    banner = str(ws["A1"].value)
    assert banner.startswith("退回核实：请核实标黄的 1 处（E10）") and "请改正" not in banner
    assert ":$F$" in str(ws.print_area)  # the column the banner points to is printed too
    assert any(c.value == "标黄单元格的说明：" for c in ws["A"])
    text = (tmp_path / "退回" / "退回-高平市.txt").read_text(encoding="utf-8")
    assert "请核实，如数值无误请在核实说明中写明理由：" in text and "请改正" not in text
    assert "如数值无误可忽略" not in text


def open_cells(ws: Worksheet) -> set[str]:
    return {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}


def libreoffice(source: Path, suffix: str, tmp_path: Path) -> Path:
    """`source` opened and saved again by LibreOffice, as a county's office suite saves it."""
    outbox = tmp_path / f"lo{suffix}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            suffix.lstrip("."),
            "--outdir",
            str(outbox),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return outbox / f"{source.stem}{suffix}"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_county_confirms_in_its_form_through_libreoffice_and_it_is_merged(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """The county writes 数值无误：… in the 核实说明 cell (openpyxl, as WPS or Excel would), dates
    the form, and its office suite saves it (LibreOffice, as .xlsx and as .ods): `validate`
    reads the reason, the value is 已核实 by the county, and the merge carries the reason."""
    reply = sent_back(folder, tmp_path, runner)
    answered = tmp_path / "高平市-核实.xlsx"
    shutil.copy(reply, answered)
    edit(answered, F10=REASON, C4=date(2023, 3, 24))
    for suffix in (".xlsx", ".ods"):
        saved = libreoffice(answered, suffix, tmp_path)
        if suffix == ".xlsx":  # what LibreOffice keeps of the form: protection, the open cell
            ws = load_workbook(saved)[FORM_SHEET]
            assert ws.protection.sheet and not ws["F10"].protection.locked
            assert ws["E9"].protection.locked is False and ws["D10"].protection.locked
        target = folder / f"高平市-核实{suffix}"
        shutil.copy(saved, target)
        report = validate_paths([folder], DEFAULT_CAMPAIGN)
        county = mine(report.files, target.name)
        assert county.counts and county.notes == {"5": REASON}, suffix
        said = [p.verified for p in county.problems if p.tier is Tier.VERIFY]
        assert said and all(v is not None and v.by == "county" for v in said)
        assert all(v is not None and v.reason == REASON and v.on == date(2023, 3, 24) for v in said)
        assert report.ok and report.summary.verified == 1
        target.unlink()

    shutil.copy(libreoffice(answered, ".xlsx", tmp_path), folder / "高平市-核实.xlsx")
    out = tmp_path / "汇总.xlsx"
    merged = invoke(runner, "merge", folder, "-o", out, "--date", "2023-03-25")
    assert merged.exit_code == 0, merged.output
    assert "36569.7141" in merged.output  # counted (69.7141 + 36500): confirmed with a reason
    assert "以下需核实的数值已核实，计入汇总：" in merged.output
    assert f"〔已核实：{REASON}（填报单位说明，2023-03-24）〕" in flat(merged.output)
    assert "需核实的数值 1 条：已核实 1 条，待核实 0 条" in merged.output
    issues = [r for r in rows(out, "问题清单") if r[1] == "高平市" and r[5].startswith("核实性")]
    assert len(issues) == 2
    assert {unbroken(r[9]) for r in issues} == {f"已核实：{REASON}（填报单位说明，2023-03-24）"}
    status = {r[1]: r for r in rows(out, "报送情况") if r[2] != "被替代"}
    assert (
        status[GAOPING][2] == "已报送" and str(status[GAOPING][6]).replace("\n", " ") == "已核实 1"
    )
    assert "经核实计入的数值 1 个" in str(load_workbook(out)["汇总"]["A19"].value)
    data = json.loads(
        invoke(runner, "merge", folder, "-o", out, "--force", "--format", "json").stdout
    )
    assert {d["state"] for d in data["doubtful"]} == {"verified"}
    assert data["doubtful"][0]["verified"] == {"reason": REASON, "by": "county", "on": "2023-03-24"}


def note_of(folder: Path, **cells: object) -> FileReport:
    """高平市's form with `cells` written, the 核实说明 header in F5 as a 退回 form has it."""
    edit(gaoping(folder), F5="核实说明", **cells)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    return next(f for f in report.files if f.reporter == GAOPING)


@pytest.mark.parametrize("blank", ["", "   ", "\u200b\u3000", "\n\t"])
def test_an_empty_note_confirms_nothing(folder: Path, blank: str) -> None:
    county = note_of(folder, F10=blank)
    assert county.status == "pending" and county.notes == {}


def test_a_note_needs_its_header_and_stands_beside_the_value(folder: Path) -> None:
    """Found as the rest of the form is found, by its label: without the 核实说明 header a text
    in column F is no answer; with a column inserted before it, it is still found."""
    edit(gaoping(folder), F10=REASON, F19="核实说明")  # the word below the table: no header
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert next(f for f in report.files if f.reporter == GAOPING).status == "pending"
    wb = load_workbook(gaoping(folder))
    ws = wb[FORM_SHEET]
    ws["F5"] = "核实说明"
    ws.insert_cols(6)  # a column the county added between 数量 and 核实说明
    wb.save(gaoping(folder))
    county = mine(validate_paths([folder], DEFAULT_CAMPAIGN).files, gaoping(folder).name)
    assert county.counts and county.notes == {"5": REASON}


def test_a_note_beside_a_value_not_doubtful_is_a_note(folder: Path) -> None:
    county = note_of(folder, F6="本年新增社区宣传点", F10=REASON)
    assert county.counts
    notes = [p for p in county.problems if p.code == "county-note"]
    assert [(p.cell, p.item, p.tier) for p in notes] == [("E6", "1", Tier.NOTE)]
    assert "本年新增社区宣传点" in notes[0].message
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    again = settle(settle(report, DEFAULT_CAMPAIGN, {}), DEFAULT_CAMPAIGN, {})  # no trace
    county = next(f for f in again.files if f.reporter == GAOPING)
    assert [p.code for p in county.problems].count("county-note") == 1


def test_a_header_left_of_the_values_is_no_note_column(folder: Path) -> None:
    """Only a 核实说明 column right of 数量 holds reasons: the 序号 column renamed 核实说明
    must not make each item's serial number a reason that confirms it."""
    edit(gaoping(folder), A5="核实说明")
    county = next(
        f for f in validate_paths([folder], DEFAULT_CAMPAIGN).files if f.reporter == GAOPING
    )
    assert county.status == "pending" and county.notes == {}


def test_a_long_note_is_kept_bounded_and_visible(folder: Path) -> None:
    county = note_of(folder, F10="数值无误\u202e" + "很长的说明" * 4000)
    note = county.notes["5"]
    assert len(note) < 400 and "<U+202E>" in note and "（共 20005 字）" in note
    assert county.counts


# --- the office confirms: that value only ----------------------------------------------------


def confirmed(value: int | Decimal, reason: str = "电话核实：含一起大案") -> Any:
    from jc315cli.check.confirm import confirmation

    return dict([confirmation(GAOPING, "5", value, reason=reason, by="city", on=date(2023, 3, 24))])


def test_a_confirmation_holds_for_that_value_only(folder: Path) -> None:
    report = validate_paths([folder], DEFAULT_CAMPAIGN, confirmations=confirmed(36500))
    county = next(f for f in report.files if f.reporter == GAOPING)
    assert county.counts and report.ok and report.summary.verified == 1
    said = {p.verified for p in county.problems if p.tier is Tier.VERIFY}
    assert len(said) == 1 and (said.pop() or pytest.fail()).words == (
        "已核实：电话核实：含一起大案（市局核实，2023-03-24）"
    )
    assert confirmed(Decimal("36500.0000")).keys() == confirmed(36500).keys()  # one value
    edit(gaoping(folder), E10=36600)  # the county sends another number: doubtful again
    again = validate_paths([folder], DEFAULT_CAMPAIGN, confirmations=confirmed(36500))
    assert next(f for f in again.files if f.reporter == GAOPING).status == "pending"
    assert not again.ok


def test_the_office_has_the_later_word_and_its_reason_is_shown_safely(folder: Path) -> None:
    edit(gaoping(folder), F5="核实说明", F10=REASON)
    said = confirmed(36500, reason="电话核实\u202e：属实")
    county = next(
        f
        for f in validate_paths([folder], DEFAULT_CAMPAIGN, confirmations=said).files
        if f.reporter == GAOPING
    )
    reasons = {(p.verified.by, p.verified.reason) for p in county.problems if p.verified}
    assert reasons == {("city", "电话核实<U+202E>：属实")}


def test_the_ledger_confirmations_are_applied_to_a_checked_report(folder: Path) -> None:
    """What the `confirm` command keeps (records.Confirmation), applied after checking: the
    latest of one value counts, applying again leaves no trace of the first, and the county's
    own 说明 stays when the office says nothing."""
    from jc315cli.collection.records import Confirmation, ConfirmedBy
    from jc315cli.collection.verify import verify

    def record(value: int, reason: str, day: int) -> Confirmation:
        return Confirmation(GAOPING, "5", value, reason, ConfirmedBy.city, date(2023, 3, day))

    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert not report.ok
    settled = verify(
        report, DEFAULT_CAMPAIGN, [record(36500, "初次核实", 23), record(36500, "再次核实", 24)]
    )
    county = next(f for f in settled.files if f.reporter == GAOPING)
    reasons = {p.verified.reason for p in county.problems if p.verified}
    assert reasons == {"再次核实"} and settled.ok and settled.summary.included[2] == GAOPING
    assert verify(settled, DEFAULT_CAMPAIGN, [record(1, "别的数", 24)]).summary.pending == 1


# --- feedback asks one thing of each cell ----------------------------------------------------


def test_feedback_never_asks_both_for_one_cell_and_counts_the_coloured_cells(
    folder: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """高平市's 万元 row with its 单位 changed to 元 (an error) and 36500元 typed (converted: to
    confirm, on the same item), a blank E12 (to confirm), 约20 in E6 (an error): E10 is red
    only; the banner counts the red and yellow cells as coloured."""
    from jc315cli.write.replies import MARK_COLOUR, VERIFY_COLOUR

    edit(gaoping(folder), D10="元", E10="36500元", E12=None, E6="约20")
    county = next(
        f for f in validate_paths([folder], DEFAULT_CAMPAIGN).files if f.reporter == GAOPING
    )
    assert {p.code for p in county.problems if p.item == "5"} == {
        "measure-mismatch",
        "unit-converted",
    }
    ws = load_workbook(sent_back(folder, tmp_path, runner))[FORM_SHEET]
    fills = {
        c.coordinate: c.fill.fgColor.rgb[-6:]
        for row in ws.iter_rows()
        for c in row
        if c.fill.fill_type == "solid"
    }
    red = sorted(c for c, colour in fills.items() if colour == MARK_COLOUR)
    yellow = sorted(c for c, colour in fills.items() if colour == VERIFY_COLOUR)
    assert red == ["E10", "E6"] and yellow == ["E12"]
    banner = str(ws["A1"].value)
    assert "请改正标红的 2 处（E6、E10）" in banner and "请核实标黄的 1 处（E12）" in banner
    assert "请核实" not in ws["E10"].comment.text and "请改正" in ws["E10"].comment.text
    assert ws["F10"].protection.locked and not ws["F12"].protection.locked
    text = (tmp_path / "退回" / "退回-高平市.txt").read_text(encoding="utf-8")
    fix, check = text.split("请核实，如数值无误请在核实说明中写明理由：")
    assert "E10" in fix and "E10" not in check and "E12" in check


# --- a blank form may carry the column -------------------------------------------------------


def test_the_campaign_may_let_the_blank_form_carry_the_note_column(
    tmp_path: Path, runner: CliRunner
) -> None:
    from jc315cli.model.campaign_file import campaign_to_toml

    text = campaign_to_toml(DEFAULT_CAMPAIGN)
    assert "note_column = false" in text
    campaign = tmp_path / "c.toml"
    campaign.write_text(text.replace("note_column = false", "note_column = true"), "utf-8")
    forms = tmp_path / "下发"
    assert invoke(runner, "generate", "-o", forms, "--campaign", campaign).exit_code == 0
    form = next(forms.glob("*高平市*"))
    ws = load_workbook(form)[FORM_SHEET]
    assert ws["F5"].value == "核实说明"
    assert all(not ws[f"F{r}"].protection.locked for r in range(6, 18))
    plain = tmp_path / "plain"
    assert invoke(runner, "generate", "-o", plain).exit_code == 0
    assert load_workbook(next(plain.glob("*高平市*")))[FORM_SHEET]["F5"].value is None
    folder = tmp_path / "收回"
    shutil.copytree(EXAMPLES, folder)
    ours = gaoping(folder)
    shutil.copy(form, ours)
    values = {f"E{r}": v for r, v in zip(range(6, 18), VALUES, strict=True)}
    edit(ours, **{**values, "E10": 36500, "F10": REASON, "C4": date(2023, 3, 17)})
    checked = invoke(runner, "validate", folder, "--campaign", campaign)
    assert checked.exit_code == 0, checked.output
    assert "已核实：数值无误" in checked.output
