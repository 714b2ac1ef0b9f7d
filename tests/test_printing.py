"""Every sheet a person prints, held to what a printout must be: text of 9 pt or more once the
suite has fitted the page (font size × scale, page_fit.py), every column on the page's width,
the page number in a margin tall enough for it, no date, phone number or e-mail address broken
and no line opening with 。, an item's rows on one page, the reasons of a 退回 form printed.
These read the workbooks' structure and run everywhere; the last ones render the workbooks with
LibreOffice when it is installed and read the PDF."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from examples.make_merged import CAMPAIGN_2024, MERGED_2023, MERGED_2024
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from jc315cli.commands.compare import compare_files
from jc315cli.commands.feedback import feedback_paths
from jc315cli.commands.merge import merge_paths
from jc315cli.figures.comparison import compare_reports
from jc315cli.figures.read_back import read_report
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign
from jc315cli.model.campaign_file import load_campaign
from jc315cli.model.layout import DETAIL_SHEET, ISSUES_SHEET, STATUS_SHEET, UNITS_SHEET
from jc315cli.problems.breaking import NO_LINE_START
from jc315cli.write.blank_forms import generate_forms, template_bytes
from jc315cli.write.comparison_workbook import comparison_workbook_bytes
from jc315cli.write.page_fit import (
    SMALLEST_PRINTED,
    Page,
    column_widths,
    columns_fit,
    print_range,
    printed_len,
    printed_size,
    room,
    row_heights,
    table_inches,
)
from tests.conftest import EXAMPLES, QUIRKS, filled_form
from tests.test_scale import campaign_of

ZEZHOU = "泽州县市场监督管理局"
DAY, BY = date(2023, 3, 23), date(2023, 3, 26)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind of workbook jc315 writes: the template, a merged report of a folder with
    materials and a replaced draft, the 对比 of two merged reports, a 退回 and a 催报."""
    folder = tmp_path_factory.mktemp("printed")
    returned = folder / "收回"
    shutil.copytree(EXAMPLES, returned)
    draft = filled_form(returned / "0-泽州县-初稿.xlsx", E8=1, C4=date(2023, 3, 18))
    assert draft.exists()
    for name in ("泽州县3·15活动总结.docx", "泽州县-活动照片1.jpg", "泽州县-活动照片2.jpg"):
        (returned / name).write_bytes(b"")
    merged = folder / "汇总.xlsx"
    merge_paths([returned], DEFAULT_CAMPAIGN, merged, filled_on=date(2023, 3, 25))
    compared = folder / "对比.xlsx"
    compare_files(
        MERGED_2023,
        MERGED_2024,
        campaign=load_campaign(CAMPAIGN_2024),
        last_campaign=DEFAULT_CAMPAIGN,
        output=compared,
    )
    template = folder / "模板.xlsx"
    template.write_bytes(template_bytes(DEFAULT_CAMPAIGN))
    replies = folder / "退回"
    feedback_paths([QUIRKS / "bad-values.xlsx"], DEFAULT_CAMPAIGN, replies, today=DAY, deadline=BY)
    return {
        "template": template,
        "merged": merged,
        "compared": compared,
        "sent back": replies / "退回-泽州县.xlsx",
        "reminder": replies / "催报-城区.xlsx",
    }


def printed_sheets(path: Path) -> Iterator[Worksheet]:
    for ws in load_workbook(path).worksheets:
        if ws.sheet_state == "visible":
            yield ws


@pytest.mark.parametrize("kind", ["template", "merged", "compared", "sent back", "reminder"])
def test_every_printed_sheet_is_9_pt_or_more_on_the_pages_width(
    printed: dict[str, Path], kind: str
) -> None:
    for ws in printed_sheets(printed[kind]):
        assert printed_size(ws) >= SMALLEST_PRINTED, (kind, ws.title, printed_size(ws))
        assert columns_fit(ws), (kind, ws.title)
        assert ws.page_setup.paperSize is not None and int(ws.page_setup.paperSize) == 9  # A4


@pytest.mark.parametrize("kind", ["merged", "compared"])
def test_the_page_number_has_room_below_the_table(printed: dict[str, Path], kind: str) -> None:
    """“第 3 页，共 5 页” is printed 0.3" from the paper's edge, in a bottom margin of 0.8": a
    footer margin near the bottom margin (0.5" in 0.6") cut it in half."""
    for ws in printed_sheets(printed[kind]):
        footer = ws.oddFooter.center.text if ws.oddFooter is not None else None
        if not footer:
            continue
        assert "&P" in footer and "&N" in footer
        margins = ws.page_margins
        assert margins.bottom - margins.footer >= 0.45 and margins.footer >= 0.25, ws.title


def cell_lines(ws: Worksheet) -> Iterator[tuple[str, float, list[str]]]:
    """Each printed cell holding text: its coordinate, the width it has (a merged range's
    whole width) and its lines."""
    first_col, first_row, last_col, last_row = print_range(ws)
    merged = {r.min_row * 100_000 + r.min_col: r for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=last_col):
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            span = merged.get(cell.row * 100_000 + cell.column)
            low, high = (span.min_col, span.max_col) if span else (cell.column, cell.column)
            yield cell.coordinate, sum(column_widths(ws, low, high)), cell.value.split("\n")


DATE_OR_PHONE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{3,4}-\d{7,8}|[\w.]+@[\w.]+")


@pytest.mark.parametrize("kind", ["template", "merged", "compared", "sent back"])
def test_no_printed_line_breaks_a_date_or_opens_with_punctuation(
    printed: dict[str, Path], kind: str
) -> None:
    """Where jc315 breaks a cell's lines, each line fits its column in any suite's fonts, so no
    suite breaks it again; no line starts with closing punctuation; a date, phone number or
    e-mail address is never split between two lines; a single-line date has room whole."""
    for ws in printed_sheets(printed[kind]):
        for where, width, lines in cell_lines(ws):
            for upper, lower in zip(lines, lines[1:], strict=False):
                opens = lower[:1] in NO_LINE_START and not lower[1:2].isalnum()  # .xlsx may
                assert not opens, (ws.title, where, lines)
                assert not (re.search(r"[\d@.-]$", upper) and re.match(r"[\d@.-]", lower)), (
                    ws.title,
                    where,
                    lines,
                )
            if len(lines) > 1:
                assert all(printed_len(x) <= room(width) for x in lines), (ws.title, where)
            elif DATE_OR_PHONE.fullmatch(lines[0]):
                assert printed_len(lines[0]) <= room(width), (ws.title, where, width)


def status_rows(path: Path) -> list[tuple[object, ...]]:
    return list(load_workbook(path)[STATUS_SHEET].iter_rows(min_row=3, values_only=True))


def test_materials_stand_on_the_active_row_not_a_replaced_one(printed: dict[str, Path]) -> None:
    rows = [r for r in status_rows(printed["merged"]) if r[1] == ZEZHOU]
    assert [r[2] for r in rows] == ["被替代", "已报送"]  # the draft is listed first
    replaced, active = rows
    assert replaced[8:10] == (None, None)
    assert active[8:10] == ("√", "2 张")


def test_each_file_has_its_sha256_on_screen_not_on_paper(printed: dict[str, Path]) -> None:
    ws = load_workbook(printed["merged"])[STATUS_SHEET]
    last_printed = print_range(ws)[2]
    hashes = [ws.cell(row=r, column=last_printed + 1).value for r in range(3, ws.max_row + 1)]
    assert sum(bool(h) for h in hashes) == 8  # seven counted and the draft
    assert all(re.fullmatch(r"[0-9a-f]{64}", str(h)) for h in hashes if h)
    header = [str(c.value) for c in ws[2][:last_printed]]
    assert not any("SHA" in h or "指纹" in h for h in header)


def test_the_issues_sheet_uses_the_page_and_keeps_a_cell_whole(printed: dict[str, Path]) -> None:
    ws = load_workbook(printed["merged"])[ISSUES_SHEET]
    widths = column_widths(ws, 1, print_range(ws)[2])
    assert table_inches(widths) >= 0.97 * Page.of(ws).width
    place, typed = widths[3], widths[6]
    assert printed_len("统计表!E12") <= room(place)  # 位置, on one line
    assert printed_len("2023-03-24") <= room(typed)  # 原值, a date typed
    for row in ws.iter_rows(min_row=3, values_only=True):
        assert row[3] and "\n" not in str(row[3])


def test_a_header_never_prints_a_character_a_line(printed: dict[str, Path]) -> None:
    for ws in printed_sheets(printed["merged"]):
        if ws.title not in (STATUS_SHEET, ISSUES_SHEET):
            continue
        for cell in ws[2]:
            lines = str(cell.value or "").split("\n")
            assert all(len(x) >= 2 for x in lines) or len(lines) == 1, (ws.title, lines)


def test_the_detail_sheet_of_many_units_prints_across_pages_at_full_size(
    tmp_path: Path,
) -> None:
    """Thirty units cannot stand on one page's width at 9 pt: the sheet prints at full size,
    over several pages wide, each repeating the item columns."""
    campaign = campaign_of(30)
    forms = generate_forms(campaign, tmp_path / "收回")
    for number, form in enumerate(forms):
        fill(form.path, campaign, number)
    out = tmp_path / "汇总.xlsx"
    merge_paths([tmp_path / "收回"], campaign, out, filled_on=date(2023, 3, 25))
    ws = load_workbook(out)[DETAIL_SHEET]
    assert ws.print_title_cols == "$A:$D"
    assert printed_size(ws) >= SMALLEST_PRINTED and columns_fit(ws)


def fill(path: Path, campaign: Campaign, number: int = 0) -> None:
    """Each unit its own numbers: thirty forms alike would each be a copy of the others."""
    from jc315cli.model.layout import FORM_SHEET, LAYOUT

    wb = load_workbook(path)
    for index in range(len(campaign.form.items)):
        wb[FORM_SHEET][LAYOUT.value_cell(index)] = index + 1 + number
    wb[FORM_SHEET][LAYOUT.date_cell] = date(2023, 3, 20)
    wb.save(path)


PAGE = (8.27 - 0.8 - 0.8) * 72  # points: a landscape A4 page's height less its margins


def pages_of_items(ws: Worksheet) -> list[list[tuple[str, bool]]]:
    """The body rows of 分单位对比 page by page, as the manual breaks cut them: each row's
    item (the id, carried down a merged range) and whether the row names it. Checks on the way
    that each page's rows fit the page, so no suite adds a break of its own."""
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    heights = row_heights(ws, 1, ws.max_row)
    pages: list[list[tuple[str, bool]]] = [[]]
    used = sum(heights[:3])
    item = ""
    for row in range(4, ws.max_row + 1):
        if row - 1 in breaks:
            pages.append([])
            used = heights[2]  # the header row, repeated
        used += heights[row - 1]
        assert used <= PAGE, (row, used)
        named = ws.cell(row=row, column=1).value not in (None, "")
        item = str(ws.cell(row=row, column=1).value) if named else item
        pages[-1].append((item, named))
    return pages


def test_each_item_of_the_units_comparison_stays_on_one_page(printed: dict[str, Path]) -> None:
    ws = load_workbook(printed["compared"])[UNITS_SHEET]
    pages = pages_of_items(ws)
    assert len(pages) > 2
    seen: set[str] = set()
    for page in pages:
        items = list(dict.fromkeys(item for item, _ in page))
        assert not seen & set(items), items  # no item comes back on a later page
        seen |= set(items)


def test_an_item_longer_than_a_page_is_named_on_every_page(tmp_path: Path) -> None:
    """Seventy units: one item's rows run over two pages or more, and each page names it."""
    comparison = compare_reports(
        read_report(MERGED_2023, DEFAULT_CAMPAIGN),
        read_report(MERGED_2024, load_campaign(CAMPAIGN_2024)),
    )
    assert comparison.units is not None
    many = dataclasses.replace(comparison, units=comparison.units * 10)
    out = tmp_path / "对比.xlsx"
    out.write_bytes(comparison_workbook_bytes(many))
    pages = pages_of_items(load_workbook(out)[UNITS_SHEET])
    runs = [page for page in pages if len({item for item, _ in page}) == 1]
    assert len(runs) >= len(comparison.rows)  # each item fills a page or more
    for page in pages:
        assert page[0][1], page[0]  # the first row of every page names its item


def test_a_sent_back_form_prints_the_reason_of_each_red_cell(printed: dict[str, Path]) -> None:
    ws = load_workbook(printed["sent back"]).worksheets[0]
    assert ws.page_setup.cellComments == "atEnd"  # Excel and WPS: the comments after the sheet
    last = print_range(ws)[3]
    texts = [str(ws.cell(row=r, column=1).value or "") for r in range(1, last + 1)]
    reasons = texts[texts.index("标红单元格的说明：") + 1 :]
    assert len(reasons) == 8 and reasons[0].startswith("1. E6（第 1 项 普法宣传活动）")
    assert "“约50”是约数" in reasons[0] and ws["E6"].comment is not None
    assert ws.page_setup.fitToHeight == 0  # over two pages, never shrunk


# --- rendered with LibreOffice, when it is installed ---------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
rendering = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT), reason="LibreOffice and poppler-utils render the pages"
)


def render(path: Path, out: Path) -> list[str]:
    """The text of each page of `path` printed to PDF by LibreOffice."""
    assert SOFFICE and PDFTOTEXT
    profile = out / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to"]
        + ["pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(out / f"{path.stem}.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]


@rendering
def test_rendered_pages_carry_their_numbers_and_the_reasons(
    printed: dict[str, Path], tmp_path: Path
) -> None:
    pages = render(printed["merged"], tmp_path)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        if "报送情况（截止" in page or "问题清单（" in page:
            assert f"第 {number} 页，共 {total} 页" in page, number
    joined = "\n".join(pages)
    assert not re.search(r"\d{4}-\d{2}-\s*\n", joined)  # no date cut at a line's end
    sent_back = "\n".join(render(printed["sent back"], tmp_path))
    assert "标红单元格的说明" in sent_back and "是约数" in sent_back


def test_the_status_sheet_prints_up_to_the_contacts(printed: dict[str, Path]) -> None:
    ws = load_workbook(printed["merged"])[STATUS_SHEET]
    headers = [str(c.value).replace("\n", "") for c in ws[2]]
    last = headers.index("联系人、电话") + 1
    assert print_range(ws)[2] == last and headers[last].startswith("文件的 SHA-256")  # not printed


def test_a_side_sheets_title_prints_whole_on_its_line(printed: dict[str, Path]) -> None:
    """A title is one line at 16 pt across the printed columns: a longer one is cut on paper."""
    book = load_workbook(printed["merged"])
    for name in (STATUS_SHEET, ISSUES_SHEET):
        ws = book[name]
        widths = column_widths(ws, 1, print_range(ws)[2])
        title = str(ws["A1"].value)
        assert printed_len(title) * 16 / 10.5 <= sum(widths), (name, title)


def test_printed_len_counts_each_letter_and_digit_of_ascii_and_no_space() -> None:
    """printed_len counts the ASCII characters that are not spaces at once, in C: the count is
    still what asking each character says, for every character a cell can hold."""
    from rich.cells import cell_len

    from jc315cli.write.page_fit import printed_len

    for code in [*range(0x3100), 0xD800, 0xFF21, 0x1F600]:
        ch = chr(code)
        extra = 0.3 * (ch.isascii() and not ch.isspace())
        assert printed_len(ch) == cell_len(ch) + extra, hex(code)
    text = "测试 0356-2025287\t李四\x1c@mail\u3000"
    assert printed_len(text) == cell_len(text) + 0.3 * 17
