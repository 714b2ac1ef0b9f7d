"""The numbers of a 活动总结 against the same unit's 统计表: real summaries written with
python-docx and printed to PDF by LibreOffice (tests/fixtures/make_materials.py), put beside the
example forms in a 收回/ folder. An honest summary, in every phrasing a clerk writes (ranges,
dates, percentages, 同比, last year's figures, parts, Chinese numerals), says nothing; one copied
from last year is 核实 on each number the table does not say."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from jc315cli.check.summary_numbers import compare, statements
from jc315cli.check.text_numbers import chinese_number, numbers_with_measures
from jc315cli.check.validate import validate_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN, DEFAULT_FORM
from jc315cli.model.campaign import MaterialChecks
from jc315cli.problems.report import BatchReport, FileReport
from jc315cli.read.material_bytes import Passage
from tests.conftest import EXAMPLES
from tests.fixtures.make_materials import DIFFERS, HONEST, write_docx

MATERIALS = Path(__file__).resolve().parent / "fixtures" / "materials"
ZEZHOU = "泽州县市场监督管理局"
# 泽州县's example form
TABLE = {"1": 24, "2": 4, "3": 735, "4": 164, "5": Decimal("21.0478"), "6.1": 5, "6.2": 3,
         "6.3": 2, "6.4": 22, "6.5": 158, "7": 8, "8": 16200}  # fmt: skip


def said_in(text: str) -> list[tuple[str, Decimal]]:
    return [
        (s.item_id, s.said.value)
        for s in statements([Passage("第 1 段", text)], DEFAULT_FORM, 2023)
    ]


def table() -> FileReport:
    cells = {item.id: f"E{6 + n}" for n, item in enumerate(DEFAULT_FORM.items)}
    return FileReport(path="泽州县.xlsx", reporter=ZEZHOU, values=dict(TABLE), cells=cells)


def differing(text: str) -> list[str]:
    found = statements([Passage("第 2 段", text)], DEFAULT_FORM, 2023)
    return [p.message for p in compare(found, table(), DEFAULT_FORM)]


def with_summary(tmp_path: Path, summary: Path) -> BatchReport:
    """The example forms in 收回/, 泽州县's summary in its folder; validated."""
    folder = tmp_path / "收回"
    shutil.copytree(EXAMPLES, folder)
    (folder / "泽州县").mkdir()
    shutil.copy(summary, folder / "泽州县" / f"2023年3·15活动总结{summary.suffix}")
    return validate_paths([folder], DEFAULT_CAMPAIGN)


def found(report: BatchReport, code: str = "summary-number-differs") -> list[str]:
    return [n.problem.message for n in report.material_notes if n.problem.code == code]


# --- the statements a clerk writes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开展普法宣传活动15场次", [("1", Decimal(15))]),
        ("接受咨询3289件", [("3", Decimal(3289))]),
        ("挽回经济损失82.06万元", [("5", Decimal("82.06"))]),
        ("开展普法宣传活动十五场", [("1", Decimal(15))]),
        ("接受咨询一千二百件", [("3", Decimal(1200))]),
        ("接受咨询3,289件", [("3", Decimal(3289))]),
        ("印发各类宣传资料1.2万份", [("8", Decimal(12000))]),
        ("为消费者挽回经济损失820600元", [("5", Decimal("82.06"))]),
        ("开展普法宣传活动，共计15场次", [("1", Decimal(15))]),  # the item in its sentence
        ("电视专题节目19期、广播专题节目12期", [("6.1", Decimal(19)), ("6.2", Decimal(12))]),
        ("开展普法宣传活动 15 场次", [("1", Decimal(15))]),  # spaces, as a PDF's text has
        ("开展普法宣传活动１５场次", [("1", Decimal(15))]),  # full-width digits
    ],
)
def test_a_statement_names_an_item_and_its_number(
    text: str, expected: list[tuple[str, Decimal]]
) -> None:
    assert said_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "接受咨询、投诉3445件",  # two items of 件: which one cannot be told
        "开展3·15系列活动20场次",  # no item's own words
        "发布微信文章20篇",  # 文章 alone is not 报刊发表文章
        "开展普法宣传活动10-15场次",  # a range
        "开展普法宣传活动10至15场次",
        "开展普法宣传活动十五六场",
        "接受咨询3000余件",  # approximate
        "接受咨询约3000件",
        "接受咨询3000件以上",
        "挽回经济损失近80万元",
        "受理投诉较去年增加12件",  # a change
        "受理投诉同比下降12件",
        "2022年接受咨询3000件",  # another year's
        "去年接受咨询3000件",
        "今年以来累计受理投诉856件",  # a running total
        "其中网上投诉45件",  # a part
        "每场普法宣传活动2场次",  # a rate
        "在第3期电视专题节目中",  # an ordinal
        "接受咨询3289人次",  # not the item's measure
        "咨询处理率100%",
        "3月15日开展普法宣传活动",
        "在“3.15”期间开展电视专题节目宣传",  # 3.15 followed by 期间
        "开展普法宣传活动一次性发放",
    ],
)
def test_what_is_no_statement_of_an_items_value(text: str) -> None:
    assert said_in(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [("十五", 15), ("一千二百", 1200), ("两千零五", 2005), ("一万二千", 12000), ("二十", 20),
     ("三千二百八十九", 3289), ("一千二", None), ("十五六", None), ("三四", None), ("零", None),
     ("二〇二三", None), ("一万二", None), ("百", None)],
)  # fmt: skip
def test_chinese_numerals(text: str, number: int | None) -> None:
    assert chinese_number(text) == number


def test_a_number_without_a_measure_of_the_form_is_no_statement() -> None:
    assert list(numbers_with_measures("共有3289人参加，增长15%", DEFAULT_FORM)) == []


# --- against the table ------------------------------------------------------------------------


def test_the_message_names_both_numbers_and_where_each_is() -> None:
    assert differing("开展普法宣传活动15场次。") == ["活动总结第 2 段：15 场次；统计表 E6：24 场次"]
    assert differing("接受咨询一千二百件。") == [
        "活动总结第 2 段：一千二百件（1200 件）；统计表 E8：735 件"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "挽回经济损失21.05万元",  # rounded
        "挽回经济损失21万元",  # cut
        "挽回经济损失21.0478万元",
        "挽回经济损失210478元",  # in yuan
        "印发各类宣传资料1.62万份",
        "印发各类宣传资料1.6万份",
        "开展普法宣传活动二十四场次",
        "开展消费调查3次、消费体验5次",  # parts of one sentence that add up to 8
        "开展普法宣传活动24场次。另开展普法宣传活动30场次",  # one statement agrees
    ],
)
def test_an_honest_statement_agrees(text: str) -> None:
    assert differing(text) == []


def test_parts_of_a_sentence_that_do_not_add_up_are_not_reported_as_one_number() -> None:
    assert differing("开展消费调查2次，消费体验3次") == []


def test_an_item_the_table_does_not_hold_is_left_alone() -> None:
    report = table()
    del report.values["1"]
    found = statements([Passage("第 1 段", "开展普法宣传活动15场次")], DEFAULT_FORM, 2023)
    assert compare(found, report, DEFAULT_FORM) == []


# --- real summaries beside the real forms ----------------------------------------------------


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_an_honest_summary_says_nothing(tmp_path: Path, kind: str) -> None:
    summary = (
        write_docx(tmp_path / "总结.docx", HONEST)
        if kind == "docx"
        else MATERIALS / "summary-honest.pdf"
    )
    report = with_summary(tmp_path, summary)
    said = [n for n in report.material_notes if n.reporter == ZEZHOU and n.material == "活动总结"]
    assert said == []
    assert report.contents[ZEZHOU].summaries == 1
    assert report.contents[ZEZHOU].numbers == 12  # every item of the table, compared


def test_a_summary_copied_from_last_year_is_to_be_checked(tmp_path: Path) -> None:
    report = with_summary(tmp_path, write_docx(tmp_path / "总结.docx", DIFFERS))
    assert found(report) == [
        "活动总结第 2 段：15 场次；统计表 E6：24 场次",
        "活动总结第 2 段：3289 件；统计表 E8：735 件",
        "活动总结第 2 段：82.06 万元；统计表 E10：21.0478 万元",
        "活动总结第 3 段：一万二千份（12000 份）；统计表 E17：16200 份",
    ]
    first = next(n for n in report.material_notes if n.problem.code == "summary-number-differs")
    assert first.reporter == ZEZHOU and first.material == "活动总结"
    assert first.problem.severity == "warning" and first.problem.item == "1"
    assert report.ok  # 核实, never refused: the totals are the tables'


def test_a_pdf_summary_is_found_by_its_page(tmp_path: Path) -> None:
    report = with_summary(tmp_path, MATERIALS / "summary-differs.pdf")
    assert found(report)[0] == "活动总结第 1 页：15 场次；统计表 E6：24 场次"
    assert len(found(report)) == 4


def test_a_campaign_may_switch_the_summary_check_off(tmp_path: Path) -> None:
    campaign = DEFAULT_CAMPAIGN.model_copy(update={"material_checks": MaterialChecks(summary="")})
    folder = tmp_path / "收回"
    shutil.copytree(EXAMPLES, folder)
    (folder / "泽州县").mkdir()
    write_docx(folder / "泽州县" / "总结.docx", DIFFERS)
    report = validate_paths([folder], campaign)
    assert found(report) == [] and report.contents[ZEZHOU].summaries == 0


def test_a_unit_whose_table_is_not_counted_has_nothing_to_compare_with(tmp_path: Path) -> None:
    folder = tmp_path / "收回"
    shutil.copytree(EXAMPLES, folder)
    zezhou = next(folder.glob("*泽州县*.xlsx"))
    zezhou.write_bytes(b"not a workbook")  # unreadable: its numbers are nobody's
    (folder / "泽州县").mkdir()
    write_docx(folder / "泽州县" / "总结.docx", DIFFERS)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    assert found(report) == [] and report.contents[ZEZHOU].summaries == 1
