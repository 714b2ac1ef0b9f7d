"""The merged report's large sheets written three ways: jc315's text splice (write/bulk.py),
openpyxl's write-only mode and XlsxWriter's constant_memory mode; for reference, write-only mode
with named styles and with styles copied through a private attribute, and openpyxl cell by cell
(what bulk.py replaced).

    python -m benchmarks.bench_writers                         # sizes 300,1000,3000, 5 rounds
    python -m benchmarks.bench_writers --sizes 50 --rounds 1   # a smoke run

(as a module, from the repository root; XlsxWriter must be installed: `pip install xlsxwriter`,
it is not a dependency of jc315.)

What is written: 分单位明细, 报送情况 and 问题清单 of the merged report of N forms, made by
jc315's own `consolidated_workbook_bytes` from a plan of N reports (values, and warnings for
问题清单, as a merge of returned forms gives them). That workbook is read back with openpyxl into
a neutral description (`Sheet`): every cell's value and style (font, fill, border, alignment,
number format), row heights, column widths, merged ranges, frozen panes and print setup. Each
writer writes that description, the same cells with the same styles, to the bytes of a
workbook; each output is read back and compared with it before anything is timed. The 汇总 form
sheet, the chart and the identity sheet are left out: they are the same for every writer (and
XlsxWriter cannot add to a workbook openpyxl made).

Every writer's time is from the description to the final bytes, in this process, as
`consolidated_workbook_bytes` spends it: jc315's and openpyxl's go through `workbook_bytes`
(fixed dates, re-zipped), XlsxWriter's output has fixed dates of its own. Each round times every
writer once, in a rotating order; a writer's ratio is its time over jc315's in the same round,
and the median over rounds is reported. Peak memory is that of Python's allocations
(tracemalloc) in one more, untimed run of each.
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import jc315cli  # noqa: F401  # before openpyxl: see src/jc315cli/__init__.py

# isort: split

from benchmarks.bench_compare import campaign_of
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties

from jc315cli.check.batch import summarize
from jc315cli.check.merge_plan import MergePlan, plan_merge
from jc315cli.model.campaign import Campaign
from jc315cli.model.form import ValueKind
from jc315cli.model.layout import DETAIL_SHEET, FORM_SHEET, ISSUES_SHEET, STATUS_SHEET
from jc315cli.problems.registry import problem
from jc315cli.problems.report import BatchReport, FileReport, Number, Problem
from jc315cli.write.bulk import BulkRows, style_id
from jc315cli.write.sheets import new_workbook, set_text
from jc315cli.write.workbook_bytes import workbook_bytes

SHEETS = (DETAIL_SHEET, STATUS_SHEET, ISSUES_SHEET)
FIRST_BODY_ROW = {DETAIL_SHEET: 2, STATUS_SHEET: 3, ISSUES_SHEET: 3}  # as merged_report writes
STAMP = datetime(2023, 3, 25)


@dataclass(frozen=True)
class Style:
    font: tuple[str, float, bool]
    fill: str | None  # RGB of a solid fill
    border: tuple[str, str] | None  # style and RGB of the same side all round
    align: tuple[str | None, str | None, bool]  # horizontal, vertical, wrap
    number_format: str


Value = int | Decimal | str | None


@dataclass
class Sheet:
    title: str
    rows: list[tuple[float | None, list[tuple[Value, Style | None]]]]
    widths: dict[str, float]
    merges: list[str]
    freeze: str | None
    print_titles: str | None
    print_area: str
    page: dict[str, Any] = field(default_factory=dict)


# --- the collection: N reports, planned as a merge plans them ---------------------------------


def plan_of(n: int) -> tuple[Campaign, MergePlan]:
    """A campaign of `n` reporters and a plan of one report each, with the warnings returned
    forms carry (blank items, a late date) so that 问题清单 has rows, about 1.5 a form."""
    campaign = campaign_of(n)
    rng = random.Random(n)
    form = campaign.form
    files = []
    for index, reporter in enumerate(campaign.reporters):
        values: dict[str, Number] = {}
        problems: list[Problem] = []
        for row, item in enumerate(form.items):
            if form.measure_of(item).kind is ValueKind.MONEY:
                values[item.id] = Decimal(rng.randint(0, 999_999)).scaleb(-4)
            else:
                values[item.id] = rng.randint(0, 400)
            if rng.random() < 0.1:
                values[item.id] = 0
                problems.append(
                    problem("blank", cell=f"E{6 + row}", sheet=FORM_SHEET, item=item.id)
                )
        late = index % 4 == 0
        filled = date(2023, 3, 24 if late else 20)
        if late:
            problems.append(problem("late", day=filled, deadline=campaign.deadline))
        files.append(
            FileReport(
                path=f"2023年3·15活动情况统计表-{reporter.name}.xlsx",
                reporter=reporter.name,
                covers=[reporter.name],
                values=values,
                filled_on=filled,
                sha256=f"{rng.getrandbits(256):064x}",
                problems=problems,
            )
        )
    report = BatchReport(files=files, summary=summarize(files, campaign, []))
    return campaign, plan_merge(report, campaign, filled_on=date(2023, 3, 25))


def described(data: bytes, titles: tuple[str, ...] = SHEETS) -> list[Sheet]:
    """The sheets `titles` of a workbook, as a writer is asked to write them."""
    wb = load_workbook(io.BytesIO(data))
    return [_sheet(wb[title]) for title in titles]


def _sheet(ws: Any) -> Sheet:
    rows = []
    for number, cells in enumerate(ws.iter_rows(), start=1):
        row = [
            (None, None)
            if isinstance(c, MergedCell)
            else (_value(c.value), _style(c) if c.has_style else None)
            for c in cells
        ]
        while row and row[-1] == (None, None):
            row.pop()
        rows.append((ws.row_dimensions[number].height, row))
    setup, margins = ws.page_setup, ws.page_margins
    fit = ws.sheet_properties.pageSetUpPr
    return Sheet(
        title=ws.title,
        rows=rows,
        widths=_widths(ws),
        merges=sorted(str(r) for r in ws.merged_cells.ranges),
        freeze=ws.freeze_panes,
        print_titles=(ws.print_title_rows or "").replace("$", "") or None,
        print_area=str(ws.print_area).split("!")[-1].replace("$", ""),
        page={
            "paper": int(setup.paperSize or 0),
            "orientation": setup.orientation,
            "fit": bool(fit and fit.fitToPage),
            "fit_width": 1 if setup.fitToWidth is None else setup.fitToWidth,  # 1 if absent
            "fit_height": 1 if setup.fitToHeight is None else setup.fitToHeight,
            "scale": setup.scale or 100,
            "centred": bool(ws.print_options.horizontalCentered),
            "margins": (margins.left, margins.right, margins.top, margins.bottom),
            "footer": ws.oddFooter.center.text or "",
        },
    )


def _widths(ws: Any) -> dict[str, float]:
    """Each column's width; a run of columns stored as one (min to max) gives each its width."""
    from openpyxl.utils import get_column_letter

    return {
        get_column_letter(index): d.width
        for d in ws.column_dimensions.values()
        if d.width
        for index in range(d.min, d.max + 1)
    }


def _value(value: object) -> Value:
    if isinstance(value, float):
        return Decimal(repr(value))
    assert value is None or isinstance(value, (int, str)), value
    return value


def _rgb(color: Any) -> str:
    return str(color.rgb)[-6:] if color is not None and isinstance(color.rgb, str) else ""


def _style(cell: Any) -> Style:
    side = cell.border.left
    fill = cell.fill
    return Style(
        font=(cell.font.name, float(cell.font.sz), bool(cell.font.b)),
        fill=_rgb(fill.fgColor) if fill.fill_type == "solid" else None,
        border=(side.style, _rgb(side.color)) if side.style else None,
        align=(cell.alignment.horizontal, cell.alignment.vertical, bool(cell.alignment.wrap_text)),
        number_format=cell.number_format,
    )


# --- the writers ---------------------------------------------------------------------------------


def openpyxl_style(style: Style) -> dict[str, Any]:
    name, size, bold = style.font
    side = Side(style=style.border[0], color=style.border[1]) if style.border else Side()  # type: ignore[arg-type]
    made: dict[str, Any] = {
        "font": Font(name=name, size=size, bold=bold),
        "border": Border(left=side, right=side, top=side, bottom=side),
        "alignment": Alignment(
            horizontal=style.align[0], vertical=style.align[1], wrap_text=style.align[2]
        ),
    }
    if style.fill:
        made["fill"] = PatternFill("solid", fgColor=style.fill)
    if style.number_format != "General":
        made["number_format"] = style.number_format
    return made


def _cell_values(cell: Any, value: Value, style: Style | None, made: dict[Style, Any]) -> None:
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
    if style is not None:
        if style not in made:
            made[style] = openpyxl_style(style)
        for key, obj in made[style].items():
            setattr(cell, key, obj)


def _layout(ws: Any, sheet: Sheet, *, merge: Callable[[str], None]) -> None:
    """Widths, merged ranges, panes and print setup: the same calls for both openpyxl writers."""
    for letter, width in sheet.widths.items():
        ws.column_dimensions[letter].width = width
    for ref in sheet.merges:
        merge(ref)
    ws.freeze_panes = sheet.freeze
    if sheet.print_titles:
        ws.print_title_rows = sheet.print_titles
    page = sheet.page
    ws.page_setup.paperSize = page["paper"]
    ws.page_setup.orientation = page["orientation"]
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = page["fit_width"], page["fit_height"]
    ws.page_setup.scale = page["scale"]
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=page["fit"])
    ws.print_options.horizontalCentered = page["centred"] or None
    margins = ws.page_margins
    margins.left, margins.right, margins.top, margins.bottom = page["margins"]
    if page["footer"]:
        ws.oddFooter.center.text = page["footer"]
    ws.print_area = sheet.print_area


def write_jc315(sheets: list[Sheet]) -> bytes:
    """As merged_report writes: the head rows through openpyxl, the body as text (bulk.py)."""
    wb = new_workbook()
    made: dict[Style, Any] = {}
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        first = FIRST_BODY_ROW[sheet.title]
        ids: dict[Style | None, int | None] = {None: None}
        body = BulkRows(ws, first=first)
        for number, (height, cells) in enumerate(sheet.rows, start=1):
            if number >= first:
                for _, style in cells:
                    if style not in ids:
                        ids[style] = style_id(ws, **openpyxl_style(style))  # type: ignore[arg-type]
                body.add([v for v, _ in cells], [ids[s] for _, s in cells], height)
                continue
            for column, (value, style) in enumerate(cells, start=1):
                if value is not None or style is not None:
                    _cell_values(ws.cell(row=number, column=column), value, style, made)
            if height is not None:
                ws.row_dimensions[number].height = height
        _layout(ws, sheet, merge=ws.merge_cells)
    return workbook_bytes(wb, STAMP)


def write_cell_by_cell(sheets: list[Sheet]) -> bytes:
    """openpyxl's ordinary mode, a Cell object for each cell: what bulk.py replaced."""
    wb = new_workbook()
    made: dict[Style, Any] = {}
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        for number, (height, cells) in enumerate(sheet.rows, start=1):
            for column, (value, style) in enumerate(cells, start=1):
                if value is not None or style is not None:
                    _cell_values(ws.cell(row=number, column=column), value, style, made)
            if height is not None:
                ws.row_dimensions[number].height = height
        _layout(ws, sheet, merge=ws.merge_cells)
    return workbook_bytes(wb, STAMP)


def write_write_only(sheets: list[Sheet]) -> bytes:
    """openpyxl's write-only mode: rows streamed to the sheet's XML as they are appended."""
    wb = Workbook(write_only=True)
    made: dict[Style, Any] = {}
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        _layout(ws, sheet, merge=ws.merged_cells.add)
        for number, (height, cells) in enumerate(sheet.rows, start=1):
            if height is not None:
                ws.row_dimensions[number].height = height
            row: list[Any] = []
            for value, style in cells:
                if value is None and style is None:
                    row.append(None)
                    continue
                cell = WriteOnlyCell(ws)
                _cell_values(cell, value, style, made)
                row.append(cell)
            ws.append(row)
    return workbook_bytes(wb, STAMP)


def write_write_only_named(sheets: list[Sheet]) -> bytes:
    """Write-only mode with a named style for each combination, set on a cell by its name: the
    public way to style many cells alike. The cells look the same; the workbook also lists the
    named styles (s0, s1, …) in Excel's gallery of cell styles, which jc315's does not."""
    wb = Workbook(write_only=True)
    names: dict[Style, str] = {}
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        _layout(ws, sheet, merge=ws.merged_cells.add)
        for number, (height, cells) in enumerate(sheet.rows, start=1):
            if height is not None:
                ws.row_dimensions[number].height = height
            row: list[Any] = []
            for value, style in cells:
                if value is None and style is None:
                    row.append(None)
                    continue
                cell = WriteOnlyCell(ws)
                _cell_values(cell, value, None, {})
                if style is not None:
                    if style not in names:
                        named = NamedStyle(name=f"s{len(names)}")
                        for key, obj in openpyxl_style(style).items():
                            setattr(named, key, obj)
                        wb.add_named_style(named)
                        names[style] = named.name
                    cell.style = names[style]
                row.append(cell)
            ws.append(row)
    return workbook_bytes(wb, STAMP)


def write_write_only_copied(sheets: list[Sheet]) -> bytes:
    """Write-only mode with each cell's style copied from a styled cell made once (the private
    `_style`, as tests/test_bulk.py does): what write-only costs without openpyxl comparing
    style objects cell by cell. Informative only: it relies on a private part too."""
    wb = Workbook(write_only=True)
    made: dict[Style, Any] = {}
    styled: dict[Style, Any] = {}
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        _layout(ws, sheet, merge=ws.merged_cells.add)
        for number, (height, cells) in enumerate(sheet.rows, start=1):
            if height is not None:
                ws.row_dimensions[number].height = height
            row: list[Any] = []
            for value, style in cells:
                if value is None and style is None:
                    row.append(None)
                    continue
                cell = WriteOnlyCell(ws)
                _cell_values(cell, value, None, made)
                if style is not None:
                    if style not in styled:
                        styled[style] = WriteOnlyCell(ws)
                        _cell_values(styled[style], None, style, made)
                    cell._style = copy(styled[style]._style)  # type: ignore[attr-defined]
                row.append(cell)
            ws.append(row)
    return workbook_bytes(wb, STAMP)


def write_xlsxwriter(sheets: list[Sheet]) -> bytes:
    """XlsxWriter with constant_memory: each row is written out when the next one starts."""
    import xlsxwriter  # type: ignore[import-untyped]
    from openpyxl.utils import column_index_from_string, range_boundaries

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    wb.set_properties({"created": STAMP, "author": "jc315"})
    formats: dict[Style, Any] = {}

    def fmt(style: Style | None) -> Any:
        if style is None:
            return None
        if style not in formats:
            name, size, bold = style.font
            spec: dict[str, Any] = {"font_name": name, "font_size": size, "bold": bold}
            if style.border:
                spec.update(border=1, border_color=f"#{style.border[1]}")
            if style.fill:
                spec.update(pattern=1, fg_color=f"#{style.fill}")
            horizontal, vertical, wrap = style.align
            spec.update(align=horizontal, valign="vcenter" if vertical == "center" else vertical)
            spec.update(text_wrap=wrap)
            if style.number_format != "General":
                spec["num_format"] = style.number_format
            formats[style] = wb.add_format(spec)
        return formats[style]

    for sheet in sheets:
        ws = wb.add_worksheet(sheet.title)
        for letter, width in sheet.widths.items():
            column = column_index_from_string(letter) - 1
            ws.set_column(column, column, width - PADDING)
        merges = {}
        for ref in sheet.merges:
            left, top, right, bottom = (int(edge or 0) for edge in range_boundaries(ref))
            merges[(top - 1, left - 1)] = (bottom - 1, right - 1)
        if sheet.freeze:
            ws.freeze_panes(sheet.freeze)
        if sheet.print_titles:
            first, last = (int(r) - 1 for r in sheet.print_titles.split(":"))
            ws.repeat_rows(first, last)
        _page(ws, sheet)
        for r, (height, cells) in enumerate(sheet.rows):
            if height is not None:
                ws.set_row(r, height)
            for c, (value, style) in enumerate(cells):
                if (r, c) in merges:
                    ws.merge_range(r, c, *merges[(r, c)], value, fmt(style))
                elif isinstance(value, str):
                    ws.write_string(r, c, value, fmt(style))
                elif value is None:
                    if style is not None:
                        ws.write_blank(r, c, None, fmt(style))
                else:
                    ws.write_number(r, c, float(value), fmt(style))
    wb.close()
    return out.getvalue()


PADDING = 0.7109375  # XlsxWriter takes the width Excel shows and stores it with this added


def _page(ws: Any, sheet: Sheet) -> None:
    page = sheet.page
    ws.set_paper(page["paper"])
    ws.set_landscape() if page["orientation"] == "landscape" else ws.set_portrait()
    if page["fit"]:
        ws.fit_to_pages(page["fit_width"] or 0, page["fit_height"] or 0)
    elif page["scale"]:
        ws.set_print_scale(page["scale"])
    if page["centred"]:
        ws.center_horizontally()
    left, right, top, bottom = page["margins"]
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    if page["footer"]:
        ws.set_footer("&C" + page["footer"])
    ws.print_area(sheet.print_area)


WRITERS: dict[str, Callable[[list[Sheet]], bytes]] = {
    "jc315 (bulk.py splice)": write_jc315,
    "openpyxl write-only": write_write_only,
    "XlsxWriter constant_memory": write_xlsxwriter,
    "write-only, named styles": write_write_only_named,
    "write-only, _style copied": write_write_only_copied,
    "openpyxl cell by cell": write_cell_by_cell,
}


# --- fairness: every writer's output, read back, is the description ---------------------------


def differences(sheets: list[Sheet], data: bytes) -> list[str]:
    """What a writer's workbook has otherwise than `sheets` (empty: the same). XlsxWriter
    stores widths and heights in whole pixels (a width of 10.5 is written 10.57, a height of
    22 pt 21.75): widths are compared to within a pixel (1/7), heights within 0.75 pt."""
    found = []
    for want, got in zip(sheets, described(data), strict=True):
        if len(want.rows) != len(got.rows):
            found.append(f"{want.title}: {len(got.rows)} rows, not {len(want.rows)}")
        for number, (a, b) in enumerate(zip(want.rows, got.rows, strict=False), start=1):
            if a[1] != b[1] or not _near(a[0], b[0]):
                found.append(f"{want.title} row {number}: {_first_difference(a, b)}")
        for letter, width in want.widths.items():
            if abs(got.widths.get(letter, 0) - width) > 1 / 7:
                found.append(f"{want.title} column {letter}: width {got.widths.get(letter)}")
        for name in ("merges", "freeze", "print_titles", "print_area", "page"):
            if getattr(want, name) != getattr(got, name):
                found.append(f"{want.title} {name}: {getattr(got, name)} not {getattr(want, name)}")
    return found


def _near(a: float | None, b: float | None) -> bool:
    return a == b or (a is not None and b is not None and abs(a - b) <= 0.75)


def _first_difference(a: Any, b: Any) -> str:
    if not _near(a[0], b[0]):
        return f"height {b[0]} not {a[0]}"
    for column, (x, y) in enumerate(zip(a[1], b[1], strict=False), start=1):
        if x != y:
            return f"column {column}: {y} not {x}"
    return f"{len(b[1])} cells, not {len(a[1])}"


# --- timing --------------------------------------------------------------------------------------


def timed(writer: Callable[[list[Sheet]], bytes], sheets: list[Sheet]) -> float:
    gc.collect()
    started = time.perf_counter()
    writer(sheets)
    return time.perf_counter() - started


def peak_mib(writer: Callable[[list[Sheet]], bytes], sheets: list[Sheet]) -> float:
    gc.collect()
    tracemalloc.start()
    writer(sheets)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench_size(n: int, rounds: int) -> dict[str, Any]:
    campaign, plan = plan_of(n)
    from jc315cli.write.merged_report import consolidated_workbook_bytes

    sheets = described(consolidated_workbook_bytes(campaign, plan))
    cells = sum(len(cells) for sheet in sheets for _, cells in sheet.rows)
    names = list(WRITERS)
    outputs = {}
    for name in names:
        data = WRITERS[name](sheets)
        wrong = differences(sheets, data)
        if wrong:
            raise SystemExit(
                f"{name} wrote other cells than asked, e.g.:\n  " + "\n  ".join(wrong[:5])
            )
        outputs[name] = (len(data), data == WRITERS[name](sheets))
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        for name in names[index % len(names) :] + names[: index % len(names)]:
            times[name].append(timed(WRITERS[name], sheets))
    base = times[names[0]]
    return {
        "n": n,
        "cells": cells,
        "rows": {s.title: len(s.rows) for s in sheets},
        "writers": {
            name: {
                "seconds": statistics.median(times[name]),
                "ratio": statistics.median(t / b for t, b in zip(times[name], base, strict=True)),
                "spread": (
                    min(t / b for t, b in zip(times[name], base, strict=True)),
                    max(t / b for t, b in zip(times[name], base, strict=True)),
                ),
                "peak": peak_mib(WRITERS[name], sheets),
                "kib": outputs[name][0] / 1024,
                "same_bytes": outputs[name][1],
            }
            for name in names
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000,3000")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    try:
        import xlsxwriter
    except ImportError:
        print("XlsxWriter is not installed: pip install xlsxwriter (not a jc315 dependency)")
        return 2
    import openpyxl

    print(
        f"Python {sys.version.split()[0]}, openpyxl {openpyxl.__version__}, "
        f"XlsxWriter {xlsxwriter.__version__}; {args.rounds} rounds, interleaved",
        flush=True,
    )
    for n in (int(s) for s in args.sizes.split(",")):
        r = bench_size(n, args.rounds)
        rows = ", ".join(f"{title} {count}" for title, count in r["rows"].items())
        print(f"\nN={n:,}: {r['cells']:,} cells ({rows} rows); every output read back: the same")
        print(
            f"  {'writer':28} {'s':>7} {'ratio':>7} {'ratio/round':>13} "
            f"{'peak MiB':>9} {'KiB':>7}  same bytes twice"
        )
        for name, w in r["writers"].items():
            low, high = w["spread"]
            print(
                f"  {name:28} {w['seconds']:7.3f} {w['ratio']:6.2f}x {f'{low:.2f}-{high:.2f}x':>13} "
                f"{w['peak']:9.1f} {w['kib']:7.0f}  {'yes' if w['same_bytes'] else 'no'}"
            )
    print(
        "\nratio: the writer's time over jc315's in the same round, median over rounds "
        "(above 1: slower than the splice)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
