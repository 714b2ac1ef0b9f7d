"""Reading a finished report back (`jc315 summary`, `jc315 compare`) is validation: every cell
read from 分单位明细 is held to what `validate` holds a form's value cell to, and a merged report
whose 汇总 cannot be held to its 分单位明细 is refused, never printed as if it had been.

Each report here is written by `jc315 merge` from examples/returned, then edited as a person or
another program would: with openpyxl, or in the sheet's XML inside the zip (an error value or a
formula without its result, as Excel and web exports save them)."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from jc315cli.figures.change import Periods, periods
from jc315cli.figures.item_pairs import ItemPair, match_items
from jc315cli.model.form import FormSpec, Item
from jc315cli.model.identity import IDENTITY_SHEET
from jc315cli.model.layout import DETAIL_SHEET
from jc315cli.model.text import fold
from tests.conftest import EXAMPLES, invoke

# 分单位明细 of the merged examples: items in rows 3–14, units in E–K, 合计 in L. K8 is 开发区's
# 电视专题节目, 0: a cell whose number, read as 0 whatever it shows, keeps every total right.
ZERO_CELL = "K8"
LAST = EXAMPLES.parent / "2023年晋城市3·15活动情况汇总.xlsx"


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("merged") / "汇总.xlsx"
    result = invoke(CliRunner(), "merge", EXAMPLES, "-o", out, "--date", "2023-03-25")
    assert result.exit_code == 0, result.output
    return out


def edited(merged: Path, folder: Path, change: Callable[[Workbook], None]) -> Path:
    """The merged report, changed with openpyxl and saved under another name."""
    wb = load_workbook(merged)
    change(wb)
    path = folder / "改过的汇总.xlsx"
    wb.save(path)
    return path


def xml_edited(merged: Path, folder: Path, cell: str, replacement: str) -> Path:
    """The merged report with one cell of 分单位明细 replaced in the sheet's XML: `replacement`
    is the cell's content after its style, e.g. ' t="e"><v>#DIV/0!</v></c>'."""
    path = folder / "改过的汇总.xlsx"
    with zipfile.ZipFile(merged) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if "统计表分单位明细</t>".encode() in data:
                pattern = rf'(<c r="{cell}" s="\d+")[^>]*>.*?</c>'.encode()
                data, found = re.subn(pattern, rb"\1" + replacement.encode(), data)
                assert found == 1
            dst.writestr(info, data)
    return path


def refused(runner: CliRunner, report: Path, *says: str) -> None:
    """`summary` and `compare` both refuse the report (exit 1), saying each of `says`, and
    print no paragraph or table; the JSON error is report-invalid."""
    for args in (("summary", report), ("compare", LAST, report)):
        result = invoke(runner, *args)
        assert result.exit_code == 1, result.output
        for words in says:
            assert words in result.output, result.output
        assert "全市共" not in result.stdout and "普法宣传活动" not in result.stdout
    data = json.loads(invoke(runner, "summary", report, "--format", "json").stdout)
    assert data["error"]["code"] == "report-invalid"


def test_the_merged_report_resaved_unchanged_is_read(
    merged: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """The control for every test below: saved again by openpyxl, nothing changed, the report
    is read both ways."""
    report = edited(merged, tmp_path, lambda wb: None)
    assert invoke(runner, "summary", report).exit_code == 0
    result = invoke(runner, "compare", LAST, report, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["units"]) == 7
    assert xml_edited(merged, tmp_path, ZERO_CELL, ' t="n"><v>0</v></c>').read_bytes() == (
        merged.read_bytes()
    )  # (the XML edit touches only the cell it is given)


@pytest.mark.parametrize(
    ("replacement", "says"),
    [
        (' t="e"><v>#DIV/0!</v></c>', "单元格显示错误值 #DIV/0!"),  # as Excel saves an error
        ("><f>1/0</f></c>", "单元格是公式，但文件里没有保存计算结果"),  # openpyxl, web exports
        (' t="e"><f>1/0</f><v>#DIV/0!</v></c>', "单元格显示错误值 #DIV/0!"),
        # (also refused without preflight's mark: calamine reads a logical value as one)
        (' t="b"><f>FALSE()</f><v>0</v></c>', "单元格是逻辑值 FALSE"),
    ],
)
def test_a_unit_cell_that_shows_no_number_is_refused_naming_it(
    merged: Path, tmp_path: Path, runner: CliRunner, replacement: str, says: str
) -> None:
    """Read as 0, the cell would keep every total right, and the report would be compared as
    if it said 0 there."""
    report = xml_edited(merged, tmp_path, ZERO_CELL, replacement)
    refused(runner, report, f"{DETAIL_SHEET}!{ZERO_CELL} 媒体宣传报道·电视专题节目", says)


def test_an_error_in_the_total_is_named_as_an_error_not_as_zero(
    merged: Path, tmp_path: Path, runner: CliRunner
) -> None:
    report = xml_edited(merged, tmp_path, "L3", ' t="e"><v>#REF!</v></c>')
    refused(runner, report, f"{DETAIL_SHEET}!L3 普法宣传活动", "单元格显示错误值 #REF!")
    result = invoke(runner, "summary", report)
    assert "不一致" not in result.output and "0 与" not in result.output


def test_a_number_shown_as_another_is_refused(
    merged: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """开发区's 挽回经济损失 1.365 万元 shown as 1.4 by a format of one place: the totals add up,
    the person sees another number."""

    def change(wb: Workbook) -> None:
        wb[DETAIL_SHEET]["K7"].number_format = "0.0"

    report = edited(merged, tmp_path, change)
    refused(runner, report, f"{DETAIL_SHEET}!K7 为消费者挽回经济损失金额", "只显示 1 位小数")


@pytest.mark.parametrize(
    ("change", "cell", "says"),
    [
        # 开发区's 0 merged into 沁水县's 2: one number shown for two units
        (lambda ws: ws.merge_cells("J8:K8"), "J8", "数量单元格与 J8:K8 合并在一起"),
        # 开发区's column hidden: its numbers are read, a person sees none of them
        (lambda ws: setattr(ws.column_dimensions["K"], "hidden", True), "K3", "行或列被隐藏"),
        (lambda ws: setattr(ws.row_dimensions[8], "hidden", True), "E8", "行或列被隐藏"),
        # the 合计 column hidden
        (lambda ws: setattr(ws.column_dimensions["L"], "hidden", True), "L3", "行或列被隐藏"),
    ],
)
def test_a_merged_or_hidden_number_cell_is_refused_naming_it(
    merged: Path,
    tmp_path: Path,
    runner: CliRunner,
    change: Callable[[Worksheet], None],
    cell: str,
    says: str,
) -> None:
    report = edited(merged, tmp_path, lambda wb: change(wb[DETAIL_SHEET]))
    refused(runner, report, f"{DETAIL_SHEET}!{cell}", says)


def test_a_long_list_of_errors_is_cut_at_thirty(
    merged: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """Every cell of 分单位明细 typed over: 84 errors, the first 30 listed, the rest counted
    (a message stays readable however much of a report was damaged)."""

    def change(wb: Workbook) -> None:
        ws = wb[DETAIL_SHEET]
        for row in range(3, 15):
            for col in range(5, 12):
                ws.cell(row=row, column=col).value = "某数"

    report = edited(merged, tmp_path, change)
    result = invoke(runner, "summary", report)
    assert result.exit_code == 1 and "中有 84 处错误" in result.output
    assert result.output.count("不是数字") == 30 and "……另有 54 处" in result.output


def test_a_merged_header_cell_is_refused(merged: Path, tmp_path: Path, runner: CliRunner) -> None:
    """泽州县's header merged over 高平市's: 高平市's column would have no name, and its numbers
    (all in the 合计) would belong to nobody in the comparison by unit."""
    report = edited(merged, tmp_path, lambda wb: wb[DETAIL_SHEET].merge_cells("F2:G2"))
    refused(runner, report, f"{DETAIL_SHEET}!F2", "表头与 F2:G2 合并在一起，看不出是哪个单位的数")


def test_numbers_in_a_column_without_a_unit_are_refused(
    merged: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """A column put in before 合计, with no header and a number: every total still adds up
    over the units, but a number stands there that no unit is credited with."""

    def change(wb: Workbook) -> None:
        ws = wb[DETAIL_SHEET]
        ws.insert_cols(12)  # 合计 moves to M
        ws["L5"] = 7

    report = edited(merged, tmp_path, change)
    refused(runner, report, f"{DETAIL_SHEET}!L2", "表头是空的，这一列却有数")


def test_an_item_row_twice_in_the_detail_sheet_is_refused(
    merged: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """A second 普法宣传活动 row below the table with other numbers: which row is the item's
    cannot be told, as `validate` says of a form (the first row alone adds up)."""

    def change(wb: Workbook) -> None:
        ws = wb[DETAIL_SHEET]
        ws.append(["1", "普法宣传活动", None, "场次", 1, 2, 3, 4, 5, 6, 7, 28])

    report = edited(merged, tmp_path, change)
    refused(runner, report, "普法宣传活动”在 B3、B15 出现了不止一次")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda wb: wb.remove(wb[DETAIL_SHEET]), "找不到工作表“分单位明细”（现有工作表：“汇总”、"),
        (lambda wb: setattr(wb[DETAIL_SHEET], "title", "明细"), "现有工作表：“汇总”、“明细”"),
        (
            lambda wb: wb[DETAIL_SHEET].__setitem__("L2", "总计"),
            "找不到表头“类别”“项目”“单位”“合计”",
        ),
        (
            lambda wb: wb[DETAIL_SHEET].__setitem__("C2", "名称"),
            "找不到表头“类别”“项目”“单位”“合计”",
        ),
        # 合计 typed left of 单位 as well: no columns of units between them
        (lambda wb: wb[DETAIL_SHEET].__setitem__("A2", "合计"), "找不到表头"),
    ],
)
def test_a_merged_report_that_cannot_be_cross_checked_is_refused(
    merged: Path,
    tmp_path: Path,
    runner: CliRunner,
    change: Callable[[Workbook], None],
    says: str,
) -> None:
    """汇总!E6 typed over (112 → 999) where nothing could catch it: the report is refused,
    999 never printed or compared."""

    def both(wb: Workbook) -> None:
        wb["汇总"]["E6"] = 999
        change(wb)

    report = edited(merged, tmp_path, both)
    refused(runner, report, "无法核对汇总数是否等于各单位之和")
    assert "999" not in invoke(runner, "compare", LAST, report).stdout


def test_a_merged_report_without_its_identity_or_detail_is_still_a_merged_report(
    merged: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """Its 填报单位 names the organizer: a merged report, held to a 分单位明细 it lacks."""

    def change(wb: Workbook) -> None:
        del wb[IDENTITY_SHEET]
        del wb[DETAIL_SHEET]
        wb["汇总"]["E6"] = 999

    refused(runner, edited(merged, tmp_path, change), "找不到工作表“分单位明细”")


def test_a_pasted_copy_with_a_detail_sheet_is_held_to_it(
    merged: Path, tmp_path: Path, runner: CliRunner
) -> None:
    """No identity and no organizer in 填报单位, but a 分单位明细: a merged report all the same,
    its 汇总 held to the sheet."""

    def change(wb: Workbook) -> None:
        del wb[IDENTITY_SHEET]
        wb["汇总"]["C3"] = None
        wb["汇总"]["E6"] = 999

    refused(runner, edited(merged, tmp_path, change), "999 与“分单位明细”L3 的合计 112 不一致")


@pytest.mark.parametrize(
    ("reporter", "name"), [(None, "改过的汇总"), ("某某单位", "改过的汇总"), (None, "阳城县")]
)
def test_a_report_that_is_plainly_neither_a_form_nor_a_merged_report_is_refused(
    merged: Path, tmp_path: Path, runner: CliRunner, reporter: str | None, name: str
) -> None:
    """Identity and 分单位明细 gone, 填报单位 cleared or naming no unit of the campaign: it may
    be a merged report stripped of what checks it, so it is not read as a unit's form, not
    even when its file is named after a unit."""

    def change(wb: Workbook) -> None:
        del wb[IDENTITY_SHEET]
        del wb[DETAIL_SHEET]
        wb["汇总"]["C3"] = reporter
        wb["汇总"]["E6"] = 999

    report = edited(merged, tmp_path, change).rename(tmp_path / f"{name}.xlsx")
    found = f"为“{reporter}”" if reporter else "为空"
    refused(runner, report, f"没有表标识，填报单位一栏{found}，看不出这是哪个单位的统计表")


def test_a_units_form_without_its_identity_is_read_by_its_reporter(
    tmp_path: Path, runner: CliRunner
) -> None:
    """The control: a county's form pasted without its identity still names its unit."""
    form = next(p for p in EXAMPLES.iterdir() if "阳城县" in p.name)
    wb = load_workbook(form)
    del wb[IDENTITY_SHEET]
    pasted = tmp_path / "阳城县.xlsx"
    wb.save(pasted)
    result = invoke(runner, "summary", pasted)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("阳城县共开展普法宣传活动16场次")


def test_a_hidden_detail_sheet_is_refused(merged: Path, tmp_path: Path, runner: CliRunner) -> None:
    report = edited(merged, tmp_path, lambda wb: setattr(wb[DETAIL_SHEET], "sheet_state", "hidden"))
    refused(runner, report, "工作表“分单位明细”被隐藏，其中各单位的数看不到")


# --- cost: linear in units and items -----------------------------------------------------------


def lines_run(call: Callable[[], object]) -> int:
    """Lines of jc315's own code that `call` runs: a count of work that does not depend on the
    machine or its load, so that N and 4N can be compared in a test."""
    import sys
    from types import FrameType

    import jc315cli

    source = str(Path(jc315cli.__file__).parent)
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += event == "line"
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(source) else None

    sys.settrace(calls)
    try:
        call()
    finally:
        sys.settrace(None)
    return count


def test_comparing_merged_reports_costs_linear_work_in_their_units(tmp_path: Path) -> None:
    """Reading two merged reports back, comparing them and writing the 对比 workbook with its
    分单位对比: four times the units, at most about four times the work (the sheet of units
    was written cell by cell through openpyxl's merges, the detail header looked for once per
    cell that says 合计)."""
    from benchmarks.bench_compare import campaign_of, make_reports

    from jc315cli.commands.compare import compare_files

    def work(n: int) -> int:
        folder = tmp_path / str(n)
        folder.mkdir()
        last, this = make_reports(n, folder)
        campaign = campaign_of(n)
        out = folder / "对比.xlsx"
        count = lines_run(
            lambda: compare_files(last, this, campaign=campaign, last_campaign=campaign, output=out)
        )
        units = load_workbook(out, read_only=True)["分单位对比"]
        assert units.max_row == 3 + n * len(campaign.form.items)  # every unit of every item
        return count

    small, large = work(50), work(200)
    assert large < 4.4 * small, (small, large)


def test_matching_the_items_of_two_forms_costs_linear_work() -> None:
    from jc315cli.model.builtin import DEFAULT_FORM

    def work(n: int) -> int:
        def form(shift: int) -> FormSpec:
            items = tuple(
                Item(id=str(i + shift), category=f"项目{i % (n // 2)}", measure="件")
                for i in range(n)
            )  # every label twice, ids moved: each pass has something to match
            return DEFAULT_FORM.model_copy(update={"items": items, "rules": (), "chart": None})

        last, this = form(0), form(n // 3)
        return lines_run(lambda: match_items(last, this, periods(2023, 2024)))

    small, large = work(400), work(1600)
    assert large < 4.4 * small, (small, large)


def plain_match(last: FormSpec, this: FormSpec, words: Periods) -> list[ItemPair]:
    """The three passes of comparison.match_items written the plain way, item against item
    (what it did before it looked items up): the specification the fast one is held to."""
    left = list(last.items)
    pairs: dict[str, ItemPair] = {}
    passes: list[tuple[Callable[[Item, Item], bool], Callable[[Item, Item], str]]] = [
        (lambda a, b: a.id == b.id and fold(a.label) == fold(b.label), lambda a, b: ""),
        (lambda a, b: fold(a.label) == fold(b.label), lambda a, b: f"编号由 {a.id} 改为 {b.id}"),
        (lambda a, b: a.id == b.id, lambda a, b: f"项目名称由“{a.label}”改为“{b.label}”"),
    ]
    for test, note in passes:
        for item in this.items:
            found = next((old for old in left if test(old, item)), None)
            if item.id not in pairs and found is not None:
                left.remove(found)
                pairs[item.id] = ItemPair(found, item, note(found, item))
    out = []
    for item in this.items:
        pair = pairs.get(item.id) or ItemPair(None, item, f"新增项目，{words.last}无此项")
        if pair.last is not None and pair.last.measure != item.measure:
            why = f"计量单位由“{pair.last.measure}”改为“{item.measure}”，不作比较"
            pair = ItemPair(pair.last, item, "；".join(x for x in (pair.note, why) if x))
        out.append(pair)
    order = [item.id for item in last.items]
    for gone in left:
        before = order[: order.index(gone.id)]
        at = max(
            (i + 1 for i, p in enumerate(out) if p.last is not None and p.last.id in before),
            default=0,
        )
        out.insert(at, ItemPair(gone, None, f"{words.this}无此项"))
    return out


ITEMS = st.lists(
    st.tuples(st.integers(1, 14), st.sampled_from("甲乙丙丁"), st.sampled_from(["件", "次"])),
    max_size=9,
    unique_by=lambda t: t[0],
)


@given(ITEMS, ITEMS)
@settings(max_examples=400, deadline=None)
def test_items_are_matched_as_the_plain_passes_match_them(
    last: list[tuple[int, str, str]], this: list[tuple[int, str, str]]
) -> None:
    from jc315cli.model.builtin import DEFAULT_FORM

    def form(items: list[tuple[int, str, str]]) -> FormSpec:
        made = tuple(
            Item(id=str(i), category=label, measure=measure) for i, label, measure in items
        )
        return DEFAULT_FORM.model_copy(update={"items": made, "rules": (), "chart": None})

    words = periods(2023, 2024)
    fast = match_items(form(last), form(this), words)
    assert fast == plain_match(form(last), form(this), words)


def test_reading_a_report_with_many_ranges_outside_its_numbers_costs_linear_work(
    tmp_path: Path,
) -> None:
    """Merged ranges below the table, hidden columns after 合计 and cells saying 合计 above the
    header, one of each a unit: ranges are looked at range by range, not once for every number
    cell, and a row once however many of its cells say 合计, so four times the units (and the
    rest) is about four times the work. None of them is an error."""
    from benchmarks.bench_compare import campaign_of, make_reports
    from openpyxl.utils import get_column_letter

    from jc315cli.figures.read_back import read_report

    def work(n: int) -> int:
        folder = tmp_path / str(n)
        folder.mkdir()
        _, this = make_reports(n, folder)
        wb = load_workbook(this)
        ws = wb[DETAIL_SHEET]
        total = 5 + n  # the 合计 column, 1-based
        for col in range(5, total):
            ws.merge_cells(start_row=20, start_column=col, end_row=21, end_column=col)
        for k in range(n):
            ws.column_dimensions[get_column_letter(total + 2 + 2 * k)].hidden = True
            ws.cell(row=1, column=total + 2 + k).value = "合计"  # above the header
        wb.save(this)
        campaign = campaign_of(n)
        return lines_run(lambda: read_report(this, campaign))

    small, large = work(50), work(200)
    assert large < 4.4 * small, (small, large)


def test_the_units_sheet_of_a_large_comparison_holds_every_unit_of_every_item(
    tmp_path: Path,
) -> None:
    """分单位对比 written as rows of text: each item's id and label once, merged over its
    units' rows; each unit's figures as the comparison has them; borders and fonts on every
    cell, the header repeated on every page."""
    from benchmarks.bench_compare import campaign_of, make_reports

    from jc315cli.commands.compare import compare_files

    n = 40
    last, this = make_reports(n, tmp_path)
    campaign = campaign_of(n)
    out = tmp_path / "对比.xlsx"
    comparison = compare_files(last, this, campaign=campaign, last_campaign=campaign, output=out)
    assert comparison.units is not None
    ws = load_workbook(out)["分单位对比"]
    tops = {
        row: r.min_row
        for r in ws.merged_cells.ranges
        if r.min_col == 2
        for row in range(r.min_row, r.max_row + 1)
    }
    for index, line in enumerate(comparison.rows):
        first, end = 4 + index * n, 3 + (index + 1) * n
        # The label over its rows: merged over each page's part of them (an item of 40 units
        # runs over two pages, and is named at the top of each).
        for row in range(first, end + 1):
            top = tops.get(row, row)
            assert first <= top and ws.cell(row=top, column=2).value == line.pair.item.label
        for k, unit in enumerate(comparison.units):
            row = first + k
            change = unit.rows[index].change
            assert ws.cell(row=row, column=3).value == unit.name
            values = [ws.cell(row=row, column=c).value for c in (5, 6, 7)]
            assert values == [
                float(x) if isinstance(x, Decimal) else x
                for x in (change.last, change.this, change.delta)
            ]
    spans = ws.merged_cells.ranges  # the title and sources, else an item's id and label
    assert all(r.max_row <= 2 or (r.min_col == r.max_col and r.min_col in (1, 2)) for r in spans)
    assert ws.max_row == 3 + n * len(comparison.rows) and ws.print_title_rows == "$3:$3"
    assert all(
        c.border.left.style == "thin" and c.font.sz >= 9 for r in ws.iter_rows(min_row=3) for c in r
    )
