"""The template builder and generated forms, read back with openpyxl and our own reader."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from jc315cli.model.builtin import DEFAULT_CAMPAIGN, DEFAULT_FORM
from jc315cli.model.identity import IDENTITY_SHEET
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.read.workbook import read_workbook
from jc315cli.write.blank_forms import build_timestamp, form_bytes, form_filename, template_bytes
from tests.conftest import ROOT, invoke

ZEZHOU = DEFAULT_CAMPAIGN.reporter("泽州县市场监督管理局")


def _open(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def test_committed_template_is_what_the_builder_makes() -> None:
    committed = (ROOT / "templates" / "statistics_table.xlsx").read_bytes()
    assert committed == template_bytes(DEFAULT_CAMPAIGN), (
        "templates/statistics_table.xlsx is stale: run `jc315 template -o templates/statistics_table.xlsx --force`"
    )


def test_form_cells_and_merges() -> None:
    ws = _open(form_bytes(DEFAULT_CAMPAIGN, ZEZHOU, build_timestamp(DEFAULT_CAMPAIGN)))[FORM_SHEET]
    assert ws["A2"].value == "2023年“3·15”活动情况统计表"
    assert ws["A3"].value == "填报单位：" and ws["C3"].value == "泽州县市场监督管理局"
    assert ws["A4"].value == "填报日期："
    assert [ws[f"{c}5"].value for c in "ABDE"] == ["序号", "类别", "单位", "数量"]
    rows = {item.id: LAYOUT.item_row(i) for i, item in enumerate(DEFAULT_FORM.items)}
    assert ws[f"B{rows['4']}"].value == "接受投诉情况" and ws[f"D{rows['4']}"].value == "件"
    assert LAYOUT.value_cell(3) == "E9"  # item 4, the cell a person sees
    assert (
        ws[f"B{rows['6.1']}"].value == "媒体宣传报道"
        and ws[f"C{rows['6.5']}"].value == "新媒体平台"
    )
    assert ws[f"D{rows['7']}"].value == "次" and ws[f"D{rows['5']}"].value == "万元"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:E2", "B5:C5", "A11:A15", "B11:B15", "B6:C6", "C3:E3", "C4:E4"} <= merged
    assert ws["B6"].font.name == "仿宋" and ws["A2"].font.name == "宋体" and ws["A2"].font.b
    assert ws.column_dimensions["B"].width >= 28  # 开展消费调查、消费体验和评议 fits
    footer = ws[f"A{rows['8'] + 2}"].value
    assert (
        "2023年3月22日" in footer
        and "杨振清" in footer
        and "0356-2025287" in footer
        and "jcsxbsck@163.com" in footer
    )


def test_protection_and_unlocked_inputs() -> None:
    ws = _open(form_bytes(DEFAULT_CAMPAIGN, ZEZHOU, build_timestamp(DEFAULT_CAMPAIGN)))[FORM_SHEET]
    assert ws.protection.sheet is True and not ws.protection.password
    for index in range(len(DEFAULT_FORM.items)):
        assert ws[LAYOUT.value_cell(index)].protection.locked is False
    assert ws["C4"].protection.locked is False
    assert ws["C3"].protection.locked is True  # 填报单位 pre-filled and locked
    assert ws["B6"].protection.locked is True and ws["A2"].protection.locked is True
    blank = _open(template_bytes(DEFAULT_CAMPAIGN))[FORM_SHEET]
    assert blank["C3"].value is None and blank["C3"].protection.locked is False


def test_value_cells_carry_validation_with_chinese_prompts() -> None:
    ws = _open(template_bytes(DEFAULT_CAMPAIGN))[FORM_SHEET]
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_cell[str(rng)] = dv
    money = by_cell["E10"]
    assert (money.type, money.operator, money.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert "万元" in money.prompt and money.showErrorMessage and "不小于 0" in money.error
    count = by_cell["E9"]
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert "件" in count.prompt and "整数" in count.error
    assert len([c for c in by_cell if c.startswith("E")]) == len(DEFAULT_FORM.items)


def test_print_setup_fits_one_a4_page() -> None:
    ws = _open(template_bytes(DEFAULT_CAMPAIGN))[FORM_SHEET]
    assert ws.page_setup.paperSize is not None  # typed Optional; int(None) would fail anyway
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1
    assert ws.sheet_properties.pageSetUpPr is not None  # typed Optional
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_identity_is_very_hidden_and_reads_back(tmp_path: Path) -> None:
    data = form_bytes(DEFAULT_CAMPAIGN, ZEZHOU, build_timestamp(DEFAULT_CAMPAIGN))
    assert _open(data)[IDENTITY_SHEET].sheet_state == "veryHidden"
    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    identity = read_workbook(path).identity
    assert identity is not None
    assert (
        identity.form_id,
        identity.form_version,
        identity.year,
        identity.reporter,
        identity.kind,
    ) == (
        "jc315-statistics",
        "2023.1",
        2023,
        "泽州县市场监督管理局",
        "form",
    )
    assert identity.generated_at == "2023-02-20T00:00:00"


def test_generate_is_deterministic_and_honours_source_date_epoch(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert invoke(runner, "generate", "--out", a).exit_code == 0
    assert invoke(runner, "generate", "--out", b).exit_code == 0
    names = sorted(p.name for p in a.iterdir())
    assert len(names) == 7 and names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes()
    with zipfile.ZipFile(a / names[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
        assert "2023-02-20T00:00:00Z" in core
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1678838400")  # 2023-03-15
    assert invoke(runner, "generate", "--out", tmp_path / "c", "-r", "泽州县").exit_code == 0
    identity = read_workbook(tmp_path / "c" / form_filename(DEFAULT_CAMPAIGN, ZEZHOU)).identity
    assert identity is not None and identity.generated_at == "2023-03-15T00:00:00"


def test_generate_names_and_reporter_selection(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(runner, "generate", "--out", tmp_path, "--reporter", "泽州县局", "-r", "高平市")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2023年3·15活动情况统计表-泽州县市场监督管理局.xlsx",
        "2023年3·15活动情况统计表-高平市市场监督管理局.xlsx",
    ]
    assert "泽州县市场监督管理局" in result.output
    bad = invoke(runner, "generate", "--out", tmp_path, "--reporter", "火星县")
    assert bad.exit_code == 2 and "不认识的填报单位：火星县" in bad.output


def test_generate_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, runner: CliRunner
) -> None:
    target = tmp_path / "2023年3·15活动情况统计表-高平市市场监督管理局.xlsx"
    target.write_bytes(b"someone's filled form")
    result = invoke(runner, "generate", "--out", tmp_path)
    assert result.exit_code == 1
    assert target.name in result.output and "--force" in result.output
    assert target.read_bytes() == b"someone's filled form"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # nothing else written
    assert invoke(runner, "generate", "--out", tmp_path, "--force").exit_code == 0
    assert target.read_bytes() != b"someone's filled form"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".jc315-")]  # no temp files left


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "a/b\\c", "C:\\evil", "CON", "nul.txt", "..", "x:y*z?", "com1", " . "],
)
def test_hostile_reporter_names_stay_inside_out_dir(tmp_path: Path, name: str) -> None:
    from jc315cli.model.campaign import Campaign, Reporter
    from jc315cli.write.blank_forms import generate_forms

    campaign = Campaign.model_validate(
        {
            **DEFAULT_CAMPAIGN.model_dump(),
            "reporters": [Reporter(name=name + "局名", short_name="某某")],
        }
    )
    out = tmp_path / "out"
    written = generate_forms(campaign, out)
    assert len(written) == 1
    path = written[0].path
    assert path.parent == out and path.exists()
    stem = path.name.split(".")[0].upper()
    assert stem not in {"CON", "NUL", "COM1"}
    assert not any(ch in path.name for ch in '<>:"/\\|?*\x00')
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_control_characters_in_a_reporter_name_are_a_campaign_error() -> None:
    from pydantic import ValidationError

    from jc315cli.model.campaign import Reporter

    with pytest.raises(ValidationError, match="控制字符"):
        Reporter(name="局\x00名", short_name="某某")
