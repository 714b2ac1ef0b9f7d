"""What the materials say, shown where the rest is: `validate` per unit and its JSON, the merged
report's 报送情况 (a column per check) and 问题清单, and the 退回 notices when the campaign wants.
Real folders: the example forms, a summary copied from last year (python-docx), photos (Pillow)
one unit sent the other's; the workbooks written are opened again and read."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jc315cli.commands.feedback import feedback_paths
from jc315cli.commands.merge import merge_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import MaterialChecks
from jc315cli.write.side_sheets import fits_on_page
from tests.conftest import EXAMPLES, ROOT, invoke
from tests.fixtures.make_materials import DIFFERS, HONEST, write_docx
from tests.test_photos import IN_CAMPAIGN, save, scene

ZEZHOU, GAOPING = "泽州县市场监督管理局", "高平市市场监督管理局"
DAY = date(2023, 3, 25)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """收回/: the seven forms; 泽州县 a summary copied from last year and a photo, 高平市 an
    honest summary and the same photo as 泽州县's."""
    target = tmp_path / "收回"
    shutil.copytree(EXAMPLES, target)
    for unit in ("泽州县", "高平市"):
        (target / unit).mkdir()
    write_docx(target / "泽州县" / "活动总结.docx", DIFFERS)
    write_docx(target / "高平市" / "活动总结.docx", HONEST)  # 泽州县's numbers: not 高平市's
    photo = save(scene(1), target / "泽州县" / "现场.jpg", taken=IN_CAMPAIGN)
    shutil.copy(photo, target / "高平市" / "现场照片.jpg")
    return target


def test_validate_shows_each_units_checks_and_what_they_found(
    folder: Path, runner: CliRunner
) -> None:
    shown = invoke(runner, "validate", folder)
    assert shown.exit_code == 0  # 核实, never refused
    out = shown.output
    assert (
        f"{ZEZHOU}：统计表 √  活动总结 √（4 处与统计表不符）  图片资料 1 张（1 张与别处相同）"
        in out
    )
    assert f"{GAOPING}：统计表 √  活动总结 √（12 处与统计表不符）" in out  # 泽州县's numbers
    assert (
        "! 泽州县：普法宣传活动：活动总结第 2 段：15 场次；统计表 E6：24 场次。请核实哪个数正确"
        in out
    )
    assert (
        "! 高平市：“现场照片.jpg”与泽州县市场监督管理局报送的“现场.jpg”是同一张照片（文件完全相同）"
        in out
    )


def test_the_json_holds_every_finding_and_what_was_looked_at(
    folder: Path, runner: CliRunner
) -> None:
    data = json.loads(invoke(runner, "validate", folder, "--format", "json").output)
    differs = [
        n
        for n in data["material_notes"]
        if n["problem"]["code"] == "summary-number-differs" and n["reporter"] == ZEZHOU
    ]
    assert len(differs) == 4
    assert differs[0]["material"] == "活动总结" and differs[0]["path"].endswith("活动总结.docx")
    assert differs[0]["problem"]["item"] == "1" and differs[0]["problem"]["value"] == "15 场次"
    assert data["contents"][ZEZHOU] == {
        "summaries": 1, "summaries_unread": 0, "numbers": 5, "photos": 1, "photos_unread": 0,
    }  # fmt: skip


def test_the_merged_report_has_a_column_per_check_and_lists_the_findings(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "汇总.xlsx"
    plan = merge_paths([folder], DEFAULT_CAMPAIGN, out, filled_on=DAY)
    assert len(plan.included) == 7
    book = load_workbook(out)
    status = book["报送情况"]
    header = [str(c.value).replace("\n", "").replace(" ", "") for c in status[2]]
    assert header[-6:-1] == ["活动总结", "图片资料", "总结与表核对", "照片核对", "联系人、电话"]
    rows = {row[1]: row for row in status.iter_rows(min_row=3, values_only=True)}
    unbroken = [str(v).replace("\n", "") for v in rows[ZEZHOU][-4:-2]]
    assert unbroken == ["4 处与统计表不符", "1 张与别处相同"]
    assert [str(v).replace("\n", "") for v in rows[GAOPING][-4:-2]] == [
        "12 处与统计表不符",
        "1 张与别处相同",
    ]
    printed = len(header) - 1  # the SHA-256 column is on screen only
    widths = [status.column_dimensions[chr(ord("A") + i)].width for i in range(printed)]
    assert fits_on_page(widths)  # still one landscape A4 width at 100 %
    issues = book["问题清单"]
    assert issues["A1"].value == ("问题清单（警告、提示、需核实的数值及报送材料的核对）")
    said = [row for row in issues.iter_rows(min_row=3, values_only=True) if row[3] == "活动总结"]
    first = next(row for row in said if row[1] == ZEZHOU)
    assert first[2] == "活动总结.docx" and first[4] == "1 普法宣传活动"
    assert first[5] == "核实性·总结与统计表不符" and first[6] == "15 场次"
    assert str(first[7]).replace("\n", "") == "活动总结第 2 段：15 场次；统计表E6：24 场次"


def test_a_unit_whose_summary_differs_gets_a_return_naming_the_cell(
    folder: Path, tmp_path: Path
) -> None:
    report, replies, written = feedback_paths(
        [folder], DEFAULT_CAMPAIGN, tmp_path / "退回", today=DAY, deadline=DAY
    )
    zezhou = next(r for r in replies if r.reporter.name == ZEZHOU)
    assert zezhou.kind == "退回"
    assert [m.cell for m in zezhou.marks] == ["E6", "E8", "E10", "E17"]
    assert all(m.found is None for m in zezhou.marks)  # the cell holds the table's value
    assert [p.code for p in zezhou.others] == ["photo-shared"]
    message = next(p for p in written if p.name == "退回-泽州县.txt").read_text(encoding="utf-8")
    assert "1. E6（第 1 项 普法宣传活动）活动总结第 2 段：15 场次；统计表 E6：24 场次" in message
    assert "是同一张照片（文件完全相同）" in message
    off = DEFAULT_CAMPAIGN.model_copy(update={"material_checks": MaterialChecks(replies=False)})
    _, quiet, _ = feedback_paths([folder], off, tmp_path / "退回2", today=DAY, deadline=DAY)
    assert ZEZHOU not in {r.reporter.name for r in quiet}  # its form alone is fine


def test_the_setting_in_a_campaign_file(tmp_path: Path) -> None:
    from jc315cli.model.campaign_file import campaign_to_toml, load_campaign

    text = campaign_to_toml(DEFAULT_CAMPAIGN)
    assert '[material_checks]\nsummary = "活动总结"\nphotos = "图片资料"\nreplies = true' in text
    path = tmp_path / "活动.toml"
    path.write_text(text.replace('summary = "活动总结"', 'summary = ""'), encoding="utf-8")
    assert load_campaign(path).checked_material("summary") is None
    path.write_text(text.replace('summary = "活动总结"', 'summary = "总结材料"'), encoding="utf-8")
    from jc315cli.problems.errors import Jc315Error

    with pytest.raises(Jc315Error) as caught:
        load_campaign(path)
    assert "“总结材料”不在 materials 中" in caught.value.message
    # A campaign file written before the setting existed checks what its names say.
    old = text[: text.index("[material_checks]")] + text[text.index("[folders]") :]
    path.write_text(old, encoding="utf-8")
    assert load_campaign(path).checked_material("photos") is not None


@pytest.mark.parametrize(
    "args",
    [["--help"], ["validate", str(EXAMPLES)], ["validate", str(EXAMPLES), "--format", "json"]],
    ids=lambda a: " ".join(a[:1] + a[2:]),
)
def test_checking_forms_alone_never_loads_the_material_readers(args: list[str]) -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from jc315cli.commands.app import app\n"
        f"CliRunner().invoke(app, {args!r})\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PIL', 'pypdf', 'docx'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
