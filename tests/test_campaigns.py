"""Next year's form by editing only the campaign file.

Each test starts from what `jc315 init` writes, edits the TOML text the way a person would, and
then goes the whole way: generate → fill in (openpyxl, as a clerk's office suite would) →
validate → merge → read the merged workbook back.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jc315cli.check.merge_plan import MergePlan
from jc315cli.check.validate import validate_paths
from jc315cli.commands.merge import merge_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign
from jc315cli.model.campaign_file import campaign_to_toml, load_campaign
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import BatchReport, Number, Verified
from jc315cli.read.workbook import read_workbook
from jc315cli.write.blank_forms import generate_forms

INIT = campaign_to_toml(DEFAULT_CAMPAIGN)
ITEMS_COMMENT = "# 项目：按表中顺序排列"
CHART_COMMENT = "# 汇总表“分单位明细”中的柱状图"
Edit = Callable[[str], str]


def edited(tmp_path: Path, *edits: Edit) -> Campaign:
    text = INIT
    for edit in edits:
        text = edit(text)
    path = tmp_path / "campaign.toml"
    path.write_text(text, encoding="utf-8")
    return load_campaign(path)


def replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def insert_before(marker: str, block: str) -> Edit:
    return replace(marker, block.strip("\n") + "\n\n" + marker)


def drop_item(item_id: str) -> Edit:
    def edit(text: str) -> str:
        blocks = text.split("[[form.items]]\n")
        kept = [b for b in blocks if not b.startswith(f'id = "{item_id}"\n')]
        assert len(kept) == len(blocks) - 1, item_id
        return "[[form.items]]\n".join(kept)

    return edit


def drop_section(header: str) -> Edit:
    def edit(text: str) -> str:
        start = text.index(header)
        end = text.find("\n\n", start)
        return text[:start] + ("" if end < 0 else text[end + 2 :])

    return edit


def fill(
    campaign: Campaign,
    folder: Path,
    values: Callable[[int, str], object],
    day: date | Callable[[int], date] = date(2023, 3, 20),
) -> list[Path]:
    """Generate every reporter's form and type values into it: `values(n, item_id)` for the
    n-th reporter (1-based)."""
    forms = generate_forms(campaign, folder)
    for n, form in enumerate(forms, start=1):
        wb = load_workbook(form.path)
        ws = wb[FORM_SHEET]
        for index, item in enumerate(campaign.form.items):
            ws[LAYOUT.value_cell(index)] = values(n, item.id)  # type: ignore[assignment]
        ws[LAYOUT.date_cell] = day(n) if callable(day) else day
        wb.save(form.path)
    return [form.path for form in forms]


def merged(campaign: Campaign, folder: Path, tmp_path: Path) -> tuple[BatchReport, MergePlan, Path]:
    """The folder checked and merged, its doubtful values (the 元 converted, the forms alike)
    confirmed: these tests are about the form, not about 核实."""
    said = confirm_all(validate_paths([folder], campaign))
    report = validate_paths([folder], campaign, confirmations=said)
    out = tmp_path / "汇总.xlsx"
    plan = merge_paths([folder], campaign, out, filled_on=campaign.deadline, confirmations=said)
    return report, plan, out


def confirm_all(report: BatchReport) -> dict[tuple[str, str, Number], Verified]:
    why = Verified(reason="已核实", by="city", on=date(2023, 3, 23))
    return {
        (f.reporter, p.item, f.values[p.item]): why
        for f in report.files
        for p in f.problems
        if p.pending and f.reporter and p.item in f.values
    }


def summary_values(path: Path, campaign: Campaign) -> dict[str, object]:
    ws = load_workbook(path)["汇总"]
    return {item.id: ws[LAYOUT.value_cell(i)].value for i, item in enumerate(campaign.form.items)}


def chart_xml(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith("xl/charts/chart")
        ]


def test_a_13th_item_with_a_new_measure_defined_in_the_file(tmp_path: Path) -> None:
    campaign = edited(
        tmp_path,
        replace('version = "2023.1"', 'version = "2024.1"'),
        insert_before(
            ITEMS_COMMENT,
            '[[form.measures]]\nname = "人次"\nkind = "count"\nsuffixes = ["人"]\n'
            'conversions = [{ unit = "万人次", factor = "10000" }]',
        ),
        insert_before(
            CHART_COMMENT, '[[form.items]]\nid = "9"\ncategory = "参与活动群众"\nmeasure = "人次"'
        ),
    )
    assert len(campaign.form.items) == 13
    typed = {1: "1200人", 2: "0.5万人次", 3: 300}

    def values(n: int, item_id: str) -> object:
        return typed.get(n, 10) if item_id == "9" else 1

    fill(campaign, tmp_path / "in", values)
    form = load_workbook(next((tmp_path / "in").iterdir()))[FORM_SHEET]
    assert form["B18"].value == "参与活动群众" and form["D18"].value == "人次"
    report, plan, out = merged(campaign, tmp_path / "in", tmp_path)
    assert report.ok, [p.message for f in report.files for p in f.problems if p.severity == "error"]
    by_reporter = {f.reporter: f for f in report.files}
    assert by_reporter["城区市场监督管理局"].values["9"] == 1200
    converted = by_reporter["泽州县市场监督管理局"]
    assert converted.values["9"] == 5000
    assert any(p.code == "unit-converted" and p.cell == "E18" for p in converted.problems)
    assert plan.totals["9"] == 1200 + 5000 + 300 + 10 * 4
    assert summary_values(out, campaign)["9"] == plan.totals["9"]


def test_without_the_media_block(tmp_path: Path) -> None:
    campaign = edited(
        tmp_path,
        *(drop_item(f"6.{n}") for n in range(1, 6)),
        replace('id = "7"', 'id = "6"'),
        replace('id = "8"', 'id = "7"'),
    )
    assert [i.id for i in campaign.form.items] == ["1", "2", "3", "4", "5", "6", "7"]
    fill(campaign, tmp_path / "in", lambda n, item_id: n)
    report, plan, out = merged(campaign, tmp_path / "in", tmp_path)
    assert report.ok
    assert plan.totals["7"] == sum(range(1, 8)) and plan.totals["5"] == Decimal(28)
    assert summary_values(out, campaign)["7"] == 28
    ws = load_workbook(out)["汇总"]
    assert ws["B12"].value == "印发各类宣传资料" and ws["B13"].value is None
    assert "媒体" not in "".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_two_sub_item_blocks_with_the_same_sub_item_names(tmp_path: Path) -> None:
    block = "".join(
        f'[[form.items]]\nid = "9.{n}"\ncategory = "网络宣传"\nname = "{name}"\nmeasure = "期"\n\n'
        for n, name in ((1, "电视专题节目"), (2, "广播专题节目"))
    )
    campaign = edited(tmp_path, insert_before(CHART_COMMENT, block))
    ids = [i.id for i in campaign.form.items]

    def values(n: int, item_id: str) -> object:
        return 100 + ids.index(item_id)  # every row its own number

    fill(campaign, tmp_path / "in", values)
    report, plan, _ = merged(campaign, tmp_path / "in", tmp_path)
    assert report.ok
    for f in report.files:
        assert f.values["6.1"] == 100 + ids.index("6.1") and f.values["9.1"] == 100 + ids.index(
            "9.1"
        )
        assert f.values["6.2"] == 100 + ids.index("6.2") and f.values["9.2"] == 100 + ids.index(
            "9.2"
        )
    assert plan.totals["9.2"] == 7 * (100 + ids.index("9.2"))


def test_money_in_yuan_with_two_places(tmp_path: Path) -> None:
    campaign = edited(
        tmp_path,
        replace(
            'name = "万元"\nkind = "money"\nplaces = 4\nsuffixes = ["万"]\n'
            'conversions = [{ unit = "元", factor = "0.0001" }]',
            'name = "元"\nkind = "money"\nplaces = 2\n'
            'conversions = [{ unit = "万元", factor = "10000" }, { unit = "万", factor = "10000" }]',
        ),
        replace('measure = "万元"', 'measure = "元"'),
    )
    typed: Mapping[int, object] = {1: "5000", 2: "0.5万元", 3: 1234.56, 4: "12.5元"}
    fill(campaign, tmp_path / "in", lambda n, item_id: typed.get(n, 1) if item_id == "5" else 1)
    first = load_workbook(next((tmp_path / "in").iterdir()))[FORM_SHEET]
    assert first["D10"].value == "元" and first["E10"].number_format == "0.00"
    footer = first["A19"].value
    assert (
        isinstance(footer, str)
        and "金额以元为单位，最多保留 2 位小数" in footer
        and "万元" not in footer
    )
    report, plan, out = merged(campaign, tmp_path / "in", tmp_path)
    assert report.ok
    assert (
        plan.totals["5"]
        == Decimal("5000") + Decimal("5000") + Decimal("1234.56") + Decimal("12.5") + 3
    )
    assert str(plan.totals["5"]) == "11250.06"
    assert summary_values(out, campaign)["5"] == pytest.approx(11250.06)

    (tmp_path / "bad").mkdir()
    bad = fill(campaign, tmp_path / "bad", lambda n, item_id: "12.345" if item_id == "5" else 1)
    problems = validate_paths([bad[0]], campaign).files[0].problems
    assert any(
        p.code == "too-many-decimals" and p.cell == "E10" and "2 位" in p.message for p in problems
    )


def test_no_money_item(tmp_path: Path) -> None:
    campaign = edited(tmp_path, drop_item("5"), drop_section("[[form.rules]]"))
    assert not campaign.form.money_measures
    fill(campaign, tmp_path / "in", lambda n, item_id: 2)
    footer = load_workbook(next((tmp_path / "in").iterdir()))[FORM_SHEET]["A18"].value
    assert isinstance(footer, str) and "金额" not in footer and "没有的填 0。" in footer
    report, plan, _ = merged(campaign, tmp_path / "in", tmp_path)
    assert report.ok and "5" not in plan.totals
    assert all(type(v) is int for v in plan.totals.values())


def test_no_chart(tmp_path: Path) -> None:
    campaign = edited(tmp_path, drop_section("[form.chart]"))
    assert campaign.form.chart is None
    fill(campaign, tmp_path / "in", lambda n, item_id: n)
    _, _, out = merged(campaign, tmp_path / "in", tmp_path)
    assert chart_xml(out) == []


def test_a_chart_of_other_items(tmp_path: Path) -> None:
    campaign = edited(
        tmp_path,
        replace(
            'title = "各单位接受咨询、投诉情况"\nitems = ["3", "4"]',
            'title = "各单位广播电视宣传"\nitems = ["6.1", "6.2", "6.3"]',
        ),
    )
    fill(campaign, tmp_path / "in", lambda n, item_id: n)
    _, _, out = merged(campaign, tmp_path / "in", tmp_path)
    (xml,) = chart_xml(out)
    assert "各单位广播电视宣传（期）" in xml
    assert xml.count("<ser>") == 3
    assert "电视专题节目" in xml and "报刊开设专栏" in xml and "接受咨询" not in xml


def test_a_chart_that_mixes_measures_is_refused_at_load(tmp_path: Path) -> None:
    with pytest.raises(Jc315Error) as info:
        edited(tmp_path, replace('items = ["3", "4"]', 'items = ["4", "5"]'))
    assert "计量单位不同" in info.value.message and info.value.exit_code == 2


def test_a_campaign_that_crosses_new_year(tmp_path: Path) -> None:
    campaign = edited(
        tmp_path,
        replace("issued_on = 2023-02-20", "issued_on = 2023-12-01"),
        replace("deadline = 2023-03-22", "deadline = 2024-01-10"),
    )
    days = {1: date(2024, 1, 5), 2: date(2023, 12, 28), 3: date(2024, 1, 12), 4: date(2023, 11, 1)}
    fill(campaign, tmp_path / "in", lambda n, item_id: 1, lambda n: days.get(n, date(2024, 1, 8)))
    report = validate_paths([tmp_path / "in"], campaign)
    codes = {f.reporter: {p.code for p in f.problems} for f in report.files}
    assert codes["城区市场监督管理局"] == set() and codes["泽州县市场监督管理局"] == set()
    assert codes["高平市市场监督管理局"] == {"late"}
    assert codes["阳城县市场监督管理局"] == {"date-implausible"}
    assert report.summary.late == ["高平市市场监督管理局"]
    form = load_workbook(next((tmp_path / "in").iterdir()))[FORM_SHEET]
    assert "2024年1月10日" in str(form["A19"].value)


def test_a_pasted_copy_of_another_form_is_rejected(tmp_path: Path) -> None:
    """Last year's form, pasted into a new workbook (identity lost), against a renamed form."""
    campaign = edited(
        tmp_path,
        replace('title = "“3·15”活动情况统计表"', 'title = "“3·15”消费维权活动统计表"'),
    )
    (tmp_path / "old").mkdir()
    old = fill(DEFAULT_CAMPAIGN, tmp_path / "old", lambda n, item_id: 1)[0]
    wb = load_workbook(old)
    del wb["jc315_identity"]
    pasted = tmp_path / "pasted.xlsx"
    wb.save(pasted)
    assert read_workbook(pasted).identity is None
    (problem,) = [
        p for p in validate_paths([pasted], campaign).files[0].problems if p.severity == "error"
    ]
    assert problem.code == "wrong-title" and problem.value == "2023年“3·15”活动情况统计表"
    assert "2023年“3·15”消费维权活动统计表" in problem.message


def test_the_2023_default_writes_the_same_bytes_as_before(tmp_path: Path) -> None:
    """Pinned from the release before the form became data: the built-in campaign's generated
    forms and merged report must not change by a byte unless a change is meant (then update
    tests/fixtures/expected-output.json in the same commit and say why)."""
    import hashlib
    import json

    from tests.conftest import EXAMPLES, FIXTURES

    expected = json.loads((FIXTURES / "expected-output.json").read_text(encoding="utf-8"))
    out = tmp_path / "汇总.xlsx"
    merge_paths([EXAMPLES], DEFAULT_CAMPAIGN, out, filled_on=date(2023, 3, 25))
    found = {
        "merge examples/returned --date 2023-03-25": hashlib.sha256(out.read_bytes()).hexdigest()
    }
    for form in generate_forms(DEFAULT_CAMPAIGN, tmp_path / "forms"):
        found[f"generate: {form.path.name}"] = hashlib.sha256(form.path.read_bytes()).hexdigest()
    assert found == expected
