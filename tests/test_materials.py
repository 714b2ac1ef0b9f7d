"""The materials checklist: besides the 统计表 the notice asks each unit for its 活动总结 and
图片资料. Real folders with real files (forms from the examples, small .docx/.jpg/.zip bytes),
the way a clerk fills 收回/: a folder per unit, or the unit's name in the file name."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jc315cli.check.validate import validate_paths
from jc315cli.commands.feedback import feedback_paths
from jc315cli.commands.merge import merge_paths
from jc315cli.console.render import render_batch
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign_file import campaign_to_toml, load_campaign
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import BatchReport
from jc315cli.read.inputs import MAX_DEPTH, MAX_ENTRIES
from jc315cli.read.matching import reporters_named
from jc315cli.write.side_sheets import fits_on_page
from tests.conftest import EXAMPLES, invoke
from tests.test_output import check_layout, console, text_of

CHENGQU = "城区市场监督管理局"
ZEZHOU = "泽州县市场监督管理局"
GAOPING = "高平市市场监督管理局"
YANGCHENG = "阳城县市场监督管理局"
DAY = date(2023, 3, 25)

# A JPEG's first and last markers around a JFIF header: what a camera's file starts and ends with.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # a .doc / .wps starts so


def docx() -> bytes:
    """A minimal Word document (a zip with the two parts Word needs)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>3·15活动总结</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def pictures_zip(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(count):
            archive.writestr(f"现场{n + 1}.jpg", JPEG)
    return buffer.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The seven example forms as the clerk's 收回/ folder, and what came with them:
    泽州县 in its own folder (summary and six photos), 城区 by name (a .wps summary with an
    upper-case extension, a zip of photos), 高平市 only photos; the others nothing."""
    target = tmp_path / "收回"
    shutil.copytree(EXAMPLES, target)
    zezhou = target / "泽州县"
    (zezhou / "照片").mkdir(parents=True)
    (zezhou / "2023年3·15活动总结.docx").write_bytes(docx())
    for n in range(1, 7):
        (zezhou / "照片" / f"IMG_000{n}.JPG").write_bytes(JPEG)
    (target / "城区市场监管局3·15活动总结.WPS").write_bytes(OLE)
    (target / "城区活动照片.zip").write_bytes(pictures_zip(12))
    (target / "高平市局-宣传现场.jpg").write_bytes(JPEG)
    (target / "高平市局-咨询台.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return target


def materials_of(report: BatchReport, reporter: str) -> dict[str, list[str]]:
    return {
        name: [Path(p).name for p in paths] for name, paths in report.materials[reporter].items()
    }


def notes(report: BatchReport, code: str) -> list[str]:
    return [n.problem.message for n in report.material_notes if n.problem.code == code]


def test_materials_by_subfolder_and_by_file_name(folder: Path) -> None:
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    zezhou = materials_of(report, ZEZHOU)
    assert zezhou == {
        "统计表": ["2023年3·15活动情况统计表-泽州县市场监督管理局.xlsx"],
        "活动总结": ["2023年3·15活动总结.docx"],
        "图片资料": [f"IMG_000{n}.JPG" for n in range(1, 7)],
    }
    chengqu = materials_of(report, CHENGQU)
    assert chengqu["活动总结"] == ["城区市场监管局3·15活动总结.WPS"]  # a .wps, upper case
    assert chengqu["图片资料"] == ["城区活动照片.zip"]  # a zip of photos, never opened
    assert materials_of(report, GAOPING)["图片资料"] == [
        "高平市局-咨询台.png",
        "高平市局-宣传现场.jpg",
    ]
    assert report.materials[ZEZHOU]["图片资料"][0] == str(
        folder / "泽州县" / "照片" / "IMG_0001.JPG"
    )
    # Materials are no longer 未读取, and nothing else changed: every form counts.
    assert report.summary.not_read == [] and report.ok and len(report.summary.included) == 7


def test_a_unit_without_its_summary_is_warned_not_refused(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    missing = {(n.reporter, n.material) for n in report.material_notes}
    assert (GAOPING, "活动总结") in missing and (ZEZHOU, "活动总结") not in missing
    assert (YANGCHENG, "活动总结") in missing and (YANGCHENG, "图片资料") in missing
    assert all(n.problem.severity != "error" for n in report.material_notes)
    assert report.ok  # warnings only: the totals are not held back
    shown = invoke(runner, "validate", folder)
    assert shown.exit_code == 0
    # (what the summaries and photos say: these are no real document and no real photos)
    assert (
        f"{ZEZHOU}：统计表 √  活动总结 √（无可核对的数）  图片资料 6 张（6 个未核对）"
        in shown.output
    )
    assert (
        f"{CHENGQU}：统计表 √  活动总结 √（未核对）  图片资料 1 个压缩包（1 个未核对）"
        in shown.output
    )
    assert f"{GAOPING}：统计表 √  活动总结 缺  图片资料 2 张" in shown.output
    assert f"{YANGCHENG}：统计表 √  活动总结 缺  图片资料 缺" in shown.output
    merged = invoke(runner, "merge", folder, "-o", tmp_path / "汇总.xlsx", "--date", "2023-03-25")
    assert merged.exit_code == 0 and (tmp_path / "汇总.xlsx").exists()
    assert "材料不全（不影响汇总）" in merged.output and f"{GAOPING} 缺活动总结" in merged.output


def test_the_checklist_fits_80_columns(folder: Path) -> None:
    (folder / "现场照片.jpg").write_bytes(JPEG)
    (folder / "阳城县.pdf").write_bytes(b"%PDF-1.4")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    out = console()
    render_batch(out, report, DEFAULT_CAMPAIGN)
    text = text_of(out)
    check_layout(text, [Path(f.path).name for f in report.files])
    assert "报送材料（缺少的只作提醒，不影响汇总）：" in text and "“现场照片.jpg”" in text


def test_json_lists_the_materials_by_reporter(folder: Path, runner: CliRunner) -> None:
    result = invoke(runner, "validate", folder, "--format", "json")
    data = json.loads(result.stdout)
    assert list(data["materials"]) == [r.name for r in DEFAULT_CAMPAIGN.reporters]
    assert data["materials"][ZEZHOU]["活动总结"] == [
        str(folder / "泽州县" / "2023年3·15活动总结.docx")
    ]
    assert data["materials"][YANGCHENG] == {
        "统计表": [str(next(folder.glob("*阳城县*")))],
        "活动总结": [],
        "图片资料": [],
    }
    collection = data.pop("collection")
    assert data == validate_paths([folder], DEFAULT_CAMPAIGN).model_dump(mode="json")
    data["collection"] = collection
    missing = [
        (n["reporter"], n["material"], n["path"])
        for n in data["material_notes"]
        if n["problem"]["code"] == "material-missing"
    ]
    assert (YANGCHENG, "图片资料", None) in missing and len(missing) == 9


def test_merge_json_carries_the_material_notes_validate_gives(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    (folder / "现场照片.jpg").write_bytes(JPEG)
    checked = json.loads(invoke(runner, "validate", folder, "--format", "json").stdout)
    out = tmp_path / "汇总.xlsx"
    args = ("merge", folder, "-o", out, "--date", "2023-03-25", "--format", "json")
    merged = json.loads(invoke(runner, *args).stdout)
    assert merged["material_notes"] == checked["material_notes"]
    codes = {n["problem"]["code"] for n in merged["material_notes"]}
    assert {"material-missing", "material-unassigned"} <= codes


def test_a_folder_given_twice_counts_its_materials_once(folder: Path) -> None:
    report = validate_paths([folder, folder], DEFAULT_CAMPAIGN)
    assert len(report.materials[ZEZHOU]["图片资料"]) == 6 and len(report.files) == 7


def test_single_files_have_no_checklist(runner: CliRunner) -> None:
    """Materials are found only in folders: checking one form says nothing of them."""
    one = next(EXAMPLES.glob("*泽州县*"))
    report = validate_paths([one], DEFAULT_CAMPAIGN)
    assert report.materials == {} and report.material_notes == []
    assert "报送材料" not in invoke(runner, "validate", one).output


def test_status_sheet_has_a_column_per_material(folder: Path, tmp_path: Path) -> None:
    shutil.copy(next(folder.glob("*泽州县*.xlsx")), folder / "泽州县-再发一份.xlsx")
    out = tmp_path / "汇总.xlsx"
    merge_paths([folder], DEFAULT_CAMPAIGN, out, filled_on=DAY)
    ws = load_workbook(out)["报送情况"]
    header = [str(c.value).replace("\n", "") for c in ws[2]]  # headers broken into lines
    assert header[-6:-1] == ["活动总结", "图片资料", "总结与表核对", "照片核对", "联系人、电话"]
    zezhou = [row for row in ws.iter_rows(min_row=3, values_only=True) if row[1] == ZEZHOU]
    assert [row[-6:-4] for row in zezhou] == [("√", "6 张"), (None, None)]  # once per unit
    rows = {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert rows[CHENGQU][-6:-4] == ("√", "1 个压缩包")
    assert rows[YANGCHENG][-6:-4] == ("缺", "缺")
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(len(header) - 1)]
    assert fits_on_page(widths)  # one landscape A4 width at 100 %


def test_merge_writes_with_every_material_missing(tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    plan = merge_paths([EXAMPLES], DEFAULT_CAMPAIGN, out, filled_on=DAY)
    assert len(plan.included) == 7 and out.exists()
    assert plan.to_json(out)["materials"][YANGCHENG] == {
        "统计表": [str(next(EXAMPLES.glob("*阳城县*")))],
        "活动总结": [],
        "图片资料": [],
    }
    assert len(plan.report.material_notes) == 14  # 7 units × (活动总结, 图片资料)
    rows = list(load_workbook(out)["报送情况"].iter_rows(min_row=3, values_only=True))
    assert {row[-4:-2] for row in rows} == {("缺", "缺")}  # no check columns: nothing looked at


# --- a clumsy clerk -------------------------------------------------------------------------


def test_hidden_and_system_files_are_passed_over(folder: Path) -> None:
    for place in (folder, folder / "泽州县"):
        (place / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
        (place / "Thumbs.db").write_bytes(OLE)
        (place / "desktop.ini").write_text("[.ShellClassInfo]", encoding="utf-8")
        (place / "~$活动总结.docx").write_bytes(b"\x05clerk")
    (folder / "泽州县" / ".hidden").mkdir()
    (folder / "泽州县" / ".hidden" / "泽州县总结.docx").write_bytes(docx())
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert report.summary.not_read == [] and notes(report, "material-unassigned") == []
    assert materials_of(report, ZEZHOU)["活动总结"] == ["2023年3·15活动总结.docx"]


def test_a_picture_named_after_nobody(folder: Path, runner: CliRunner) -> None:
    (folder / "现场照片.jpg").write_bytes(JPEG)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    (said,) = notes(report, "material-unassigned")
    assert "“现场照片.jpg”像是图片资料" in said and "不知道是哪个单位的" in said
    assert report.ok
    assert "“现场照片.jpg”像是图片资料" in invoke(runner, "validate", folder).output


def test_a_file_or_folder_named_after_two_units_is_nobodys(folder: Path) -> None:
    (folder / "泽州县、高平市联合活动照片.jpg").write_bytes(JPEG)
    (folder / "泽州县" / "高平市总结.docx").write_bytes(docx())  # in 泽州县/, named 高平市
    both = folder / "阳城县陵川县"
    both.mkdir()
    (both / "总结.docx").write_bytes(docx())
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    said = "\n".join(notes(report, "material-ambiguous"))
    assert "“泽州县、高平市联合活动照片.jpg”的文件名中有 泽州县、高平市" in said
    assert "“高平市总结.docx”的文件夹名和文件名中有 泽州县、高平市" in said
    assert "“阳城县陵川县/”的文件夹名中有 阳城县、陵川县" in said
    # None of them was given to either unit.
    assert materials_of(report, GAOPING)["活动总结"] == []
    assert materials_of(report, ZEZHOU)["活动总结"] == ["2023年3·15活动总结.docx"]
    assert materials_of(report, YANGCHENG)["活动总结"] == []


def test_a_pdf_is_told_by_the_words_in_its_name(folder: Path) -> None:
    (folder / "阳城县.pdf").write_bytes(b"%PDF-1.4\n%%EOF")
    (folder / "阳城县3·15工作总结.PDF").write_bytes(b"%PDF-1.4\n%%EOF")
    (folder / "阳城县活动照片.pdf").write_bytes(b"%PDF-1.4\n%%EOF")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert materials_of(report, YANGCHENG) == {
        "统计表": [next(folder.glob("*阳城县*.xlsx")).name],
        "活动总结": ["阳城县3·15工作总结.PDF"],
        "图片资料": ["阳城县活动照片.pdf"],
    }
    (unclear,) = notes(report, "material-unclear")
    assert "“阳城县.pdf”可能是活动总结或图片资料" in unclear


def test_files_that_are_no_material_are_still_not_read(folder: Path) -> None:
    (folder / "泽州县" / "宣传片.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (folder / "说明.csv").write_text("a,b", encoding="utf-8")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    reasons = {Path(n.path).name: n.reason for n in report.summary.not_read}
    assert reasons["宣传片.mp4"] == "不是电子表格，不是统计表（活动配置中没有列出这种材料）"
    assert reasons["说明.csv"].startswith("CSV 文件")


def test_deep_and_huge_folders_are_bounded(folder: Path) -> None:
    deep = folder / "泽州县"
    for level in range(MAX_DEPTH + 2):
        deep = deep / f"第{level + 1}层"
    deep.mkdir(parents=True)
    (deep / "深处照片.jpg").write_bytes(JPEG)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    (limit,) = notes(report, "material-folder-limit")
    assert "“泽州县/”" in limit and f"{MAX_DEPTH} 层" in limit
    assert "深处照片.jpg" not in materials_of(report, ZEZHOU)["图片资料"]

    many = folder / "高平市"
    many.mkdir()
    for n in range(MAX_ENTRIES + 5):
        (many / f"{n:05}.jpg").write_bytes(b"")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    limited = [n for n in report.material_notes if n.problem.code == "material-folder-limit"]
    assert {n.reporter for n in limited} == {ZEZHOU, GAOPING}
    assert len(report.materials[GAOPING]["图片资料"]) <= MAX_ENTRIES + 2  # the 2 by name
    assert report.ok


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_to_folders_are_not_followed(folder: Path, tmp_path: Path) -> None:
    (folder / "泽州县" / "回到上级").symlink_to(folder, target_is_directory=True)  # a loop
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (elsewhere / "阳城县总结.docx").write_bytes(docx())
    (folder / "阳城县").symlink_to(elsewhere, target_is_directory=True)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    reasons = {Path(n.path).name: n.reason for n in report.summary.not_read}
    assert "链接" in reasons["回到上级"] and "链接" in reasons["阳城县"]
    assert materials_of(report, YANGCHENG)["活动总结"] == []
    assert report.ok and len(report.files) == 7


# --- forms in a unit's folder ---------------------------------------------------------------


def test_a_form_in_its_units_folder_is_read_once(folder: Path, tmp_path: Path) -> None:
    form = next(folder.glob("*泽州县*.xlsx"))
    shutil.move(str(form), folder / "泽州县" / form.name)
    (folder / "泽州县" / "旧版").mkdir()
    shutil.copy(folder / "泽州县" / form.name, folder / "泽州县" / "旧版" / "初稿.xlsx")
    shutil.copy(folder / "泽州县" / form.name, folder / "泽州县" / "照片" / "截图.xlsx")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert report.ok and len(report.files) == 7  # 旧版/ not read
    assert materials_of(report, ZEZHOU)["统计表"] == [form.name]
    (nested,) = report.summary.not_read  # a form further down is not read, and said so
    assert Path(nested.path).name == "截图.xlsx" and "第一层" in nested.reason
    plan = merge_paths([folder], DEFAULT_CAMPAIGN, tmp_path / "汇总.xlsx", filled_on=DAY)
    assert plan.totals["1"] == 112  # the examples' total: 泽州县 counted once


def test_a_form_in_two_places_is_an_error_naming_both(
    folder: Path, runner: CliRunner, tmp_path: Path
) -> None:
    form = next(folder.glob("*泽州县*.xlsx"))
    shutil.copy(form, folder / "泽州县" / "统计表.xlsx")  # the very same numbers, twice
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    errors = [p for f in report.files for p in f.errors if p.code == "form-in-two-places"]
    assert len(errors) == 2 and not report.ok
    assert (
        "“泽州县/统计表.xlsx”" in errors[0].message and f"“收回/{form.name}”" in errors[0].message
    )
    assert ZEZHOU not in report.summary.included
    with pytest.raises(Jc315Error) as refused:
        merge_paths([folder], DEFAULT_CAMPAIGN, tmp_path / "汇总.xlsx", filled_on=DAY)
    assert (
        refused.value.problem.code == "merge-invalid-files"
        and not (tmp_path / "汇总.xlsx").exists()
    )
    # No 退回 to the unit: the clerk put the file in two places.
    _, replies, _ = feedback_paths(
        [folder], DEFAULT_CAMPAIGN, tmp_path / "退回", today=DAY, deadline=DAY
    )
    assert ZEZHOU not in [r.reporter.name for r in replies]


def test_another_units_form_in_a_units_folder_is_an_error(folder: Path) -> None:
    gaoping = next(folder.glob("*高平市*.xlsx"))
    shutil.move(str(gaoping), folder / "泽州县" / "报表.xlsx")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    moved = next(f for f in report.files if f.path.endswith("报表.xlsx"))
    (error,) = moved.errors
    assert error.code == "folder-mismatch"
    assert "泽州县 的文件夹“泽州县”" in error.message and GAOPING in error.message
    assert not report.ok and GAOPING not in report.summary.included


# --- replies ---------------------------------------------------------------------------------


def test_replies_ask_for_the_missing_materials(folder: Path, tmp_path: Path) -> None:
    next(folder.glob("*阳城县*")).unlink()  # 阳城县 sent nothing at all
    out = tmp_path / "退回"
    feedback_paths([folder], DEFAULT_CAMPAIGN, out, today=DAY, deadline=date(2023, 3, 28))
    text = (out / "催报-阳城县.txt").read_text(encoding="utf-8-sig")
    assert "尚未收到你单位的《2023年“3·15”活动情况统计表》及活动总结、图片资料。" in text


def test_a_sent_back_form_also_asks_for_the_missing_summary(folder: Path, tmp_path: Path) -> None:
    gaoping = next(folder.glob("*高平市*.xlsx"))
    wb = load_workbook(gaoping)
    wb.worksheets[0]["E6"] = "约20"
    wb.save(gaoping)
    out = tmp_path / "退回"
    feedback_paths([folder], DEFAULT_CAMPAIGN, out, today=DAY, deadline=date(2023, 3, 28))
    text = (out / "退回-高平市.txt").read_text(encoding="utf-8-sig")
    assert "另：尚未收到你单位的活动总结，请一并报送。" in text


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("泽州县活动总结", ["泽州县"]),
        ("泽州县局-照片", ["泽州县"]),
        ("晋城市城区市场监督管理局总结", ["城区"]),  # one unit's long name, not 城区 and another
        ("晋城经济技术开发区分局图片", ["开发区"]),
        ("泽州县市场监督管理局与高平市联合照片", ["泽州县", "高平市"]),  # long and short: both
        ("现场照片", []),
    ],
)
def test_reporters_named_in_a_file_name(text: str, named: list[str]) -> None:
    assert [r.short_name for r in reporters_named(DEFAULT_CAMPAIGN, text)] == named


# --- the campaign file ------------------------------------------------------------------------

TEXT = campaign_to_toml(DEFAULT_CAMPAIGN)


def test_init_writes_the_materials_and_reads_them_back(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(TEXT, encoding="utf-8")
    assert load_campaign(path).materials == DEFAULT_CAMPAIGN.materials
    assert "[[materials]]" in TEXT and "# 报送材料" in TEXT


def test_another_office_lists_other_materials(folder: Path, tmp_path: Path) -> None:
    """A campaign asking for a 视频资料 (.mp4) too, and the 活动总结 only as .docx."""
    text = TEXT.replace(
        'extensions = [".doc", ".docx", ".wps", ".pdf", ".odt", ".rtf", ".txt"]',
        'extensions = [".DOCX"]',
    )
    text = text.replace(
        'unit = "张"\n', 'unit = "张"\n\n[[materials]]\nname = "视频资料"\nextensions = [".mp4"]\n'
    )
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    campaign = load_campaign(path)
    (folder / "泽州县" / "宣传片.MP4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    report = validate_paths([folder], campaign)
    assert materials_of(report, ZEZHOU)["视频资料"] == ["宣传片.MP4"]
    assert materials_of(report, CHENGQU)["活动总结"] == []  # .wps is not asked for here
    assert [Path(n.path).name for n in report.summary.not_read] == [
        "城区市场监管局3·15活动总结.WPS"
    ]


def test_a_campaign_without_materials_has_no_checklist(folder: Path, tmp_path: Path) -> None:
    start = TEXT.index("# 报送材料")
    end = TEXT.index("# 统计表：")
    path = tmp_path / "c.toml"
    path.write_text(TEXT[:start] + TEXT[end:], encoding="utf-8")
    campaign = load_campaign(path)
    report = validate_paths([folder], campaign)
    assert campaign.materials == () and report.materials == {} and report.material_notes == []
    reasons = {Path(n.path).name: n.reason for n in report.summary.not_read}
    assert reasons["城区活动照片.zip"].startswith("压缩包不会自动解开")
    assert report.ok and len(report.files) == 7  # 泽州县/ holds no form here


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            'extensions = [".doc",',
            'extensions = ["doc",',
            "materials.2.extensions：扩展名“doc”应写作点加字母或数字",
        ),
        ('extensions = [".doc",', 'extensions = [".xlsx",', "“.xlsx”是统计表的格式"),
        ('name = "图片资料"', 'name = "活动总结"', "材料名称“活动总结”写了不止一次"),
        (
            'unit = "张"\n',
            'unit = "张"\n\n[[materials]]\nname = "报表"\nform = true\n',
            "只能有一种材料是统计表",
        ),
        (
            'words = ["图片", "照片", "相片", "图集"]\n',
            "",
            "扩展名“.pdf”同时属于“活动总结”和“图片资料”，两者都要写 words",
        ),
        (
            "form = true\n",
            'form = true\nunit = "份"\n',
            "materials.1：“统计表”是统计表（form = true）",
        ),
        ('unit = "张"', 'unit = "张张张张张"', "materials.3.unit：太长"),
        (
            'name = "活动总结"\n',
            'name = "活动总结"\nword = ["总结"]\n',
            "materials.2.word：不认识的字段",
        ),
    ],
)
def test_campaign_file_mistakes_in_materials_are_named(
    tmp_path: Path, runner: CliRunner, old: str, new: str, said: str
) -> None:
    assert old in TEXT
    path = tmp_path / "c.toml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    result = invoke(runner, "validate", EXAMPLES, "--campaign", path)
    assert result.exit_code == 2 and said in result.output, result.output


def test_a_folder_not_looked_at_whole_does_not_give_a_count(folder: Path, tmp_path: Path) -> None:
    """Past the limit the files found are not all there are: “2002 张” would be a count that
    is not really there, on screen and in 报送情况, so the count says it is unfinished."""
    many = folder / "高平市"
    many.mkdir()
    for n in range(MAX_ENTRIES + 5):
        (many / f"{n:05}.jpg").write_bytes(b"")
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    missing = [n for n in report.material_notes if n.problem.code == "material-missing"]
    assert GAOPING not in {n.reporter for n in missing}  # not known to be missing either
    assert YANGCHENG in {n.reporter for n in missing}
    out = console()
    render_batch(out, report, DEFAULT_CAMPAIGN)
    lines = re.sub(r"\n {4}", "", text_of(out)).splitlines()  # lines as they were before wrapping
    line = next(x for x in lines if x.startswith(f"  {GAOPING}："))
    assert "图片资料 2002 张（未查完）" in line and "活动总结 缺（未查完）" in line
    zezhou = next(x for x in lines if x.startswith(f"  {ZEZHOU}："))
    assert "未查完" not in zezhou

    merged = tmp_path / "汇总.xlsx"
    merge_paths([folder], DEFAULT_CAMPAIGN, merged, filled_on=DAY)
    rows = {row[1]: row for row in load_workbook(merged)["报送情况"].iter_rows(values_only=True)}
    assert rows[GAOPING][-6:-4] == ("缺（未查完）", "2002 张（未查完）")
    assert rows[ZEZHOU][-6:-4] == ("√", "6 张")


def test_a_form_in_two_places_names_the_folder_when_run_inside_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jc315 validate .` inside 收回/: the top place is “收回/…”, not “/…” (a root that is not)."""
    form = next(folder.glob("*泽州县*.xlsx"))
    shutil.copy(form, folder / "泽州县" / "统计表.xlsx")
    monkeypatch.chdir(folder)
    report = validate_paths([Path(".")], DEFAULT_CAMPAIGN)
    (error, *_) = [p for f in report.files for p in f.errors if p.code == "form-in-two-places"]
    assert f"“收回/{form.name}”" in error.message and "“/" not in error.message
