"""Write examples/returned/: seven filled, valid sample forms as the county bureaus might send
them back for the default campaign, plus examples/数值一览.md (beside the folder) with the values and hand-computed totals.

Run from the repository root:

    python examples/make_returned.py

The numbers live in VALUES and DATES below, so tests can import them without writing anything.
Three files differ from the plain case on purpose:

* 阳城县 typed everything by hand: values are text cells with full-width digits, two zero items
  say "无", and the date is the text "2023年3月21日".
* 陵川县 is late: dated 2023-03-24, after the deadline of 2023-03-22.
* 沁水县 sent an .xls: the .xlsx is converted with LibreOffice and only the .xls is kept.

Everything else is a plain filled form: numbers as numeric cells, the date as a date cell.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import jc315cli  # noqa: F401  # before openpyxl: see src/jc315cli/__init__.py

# isort: split

from openpyxl import load_workbook

from jc315cli.model.builtin import DEFAULT_CAMPAIGN, DEFAULT_FORM
from jc315cli.model.form import ValueKind
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.write.blank_forms import build_timestamp, form_bytes, form_filename
from jc315cli.write.sheets import set_text
from jc315cli.write.workbook_bytes import workbook_bytes

# Values per reporter short name → item id → value as written by a careful clerk.
# Item ids follow DEFAULT_FORM.items: 1 普法宣传活动 (场次), 2 组织新闻发布/公开倡议 (场次),
# 3 接受咨询 (件), 4 接受投诉 (件), 5 挽回经济损失 (万元), 6.1 电视专题节目 (期),
# 6.2 广播专题节目 (期), 6.3 报刊开设专栏 (期), 6.4 报刊发表文章 (篇), 6.5 新媒体平台 (条),
# 7 消费调查/体验/评议 (次), 8 印发宣传资料 (份).
# 城区 and 泽州县 are the big ones, 开发区 the small one. No value is more than 10× the median of
# the other six reporters, and every reporter with money recovered has complaints.
# fmt: off
VALUES: dict[str, dict[str, str]] = {
    "城区": {
        "1": "28", "2": "5", "3": "862", "4": "187", "5": "28.635",
        "6.1": "6", "6.2": "4", "6.3": "3", "6.4": "27", "6.5": "186", "7": "9", "8": "18500",
    },
    "泽州县": {
        "1": "24", "2": "4", "3": "735", "4": "164", "5": "21.0478",
        "6.1": "5", "6.2": "3", "6.3": "2", "6.4": "22", "6.5": "158", "7": "8", "8": "16200",
    },
    "高平市": {
        "1": "18", "2": "3", "3": "526", "4": "96", "5": "12.3456",
        "6.1": "3", "6.2": "2", "6.3": "1", "6.4": "15", "6.5": "94", "7": "6", "8": "9800",
    },
    "阳城县": {
        "1": "16", "2": "3", "3": "468", "4": "83", "5": "9.87",
        "6.1": "2", "6.2": "0", "6.3": "0", "6.4": "12", "6.5": "76", "7": "5", "8": "8600",
    },
    "陵川县": {
        "1": "9", "2": "2", "3": "243", "4": "41", "5": "3.506",
        "6.1": "1", "6.2": "1", "6.3": "1", "6.4": "6", "6.5": "38", "7": "3", "8": "4200",
    },
    "沁水县": {
        "1": "11", "2": "2", "3": "317", "4": "52", "5": "5.2903",
        "6.1": "2", "6.2": "1", "6.3": "1", "6.4": "8", "6.5": "47", "7": "4", "8": "5500",
    },
    "开发区": {
        "1": "6", "2": "1", "3": "138", "4": "26", "5": "1.365",
        "6.1": "0", "6.2": "1", "6.3": "0", "6.4": "3", "6.5": "15", "7": "2", "8": "1500",
    },
}
# fmt: on

# 填报日期 per reporter, ISO. 陵川县 is the late one (deadline 2023-03-22).
DATES: dict[str, str] = {
    "城区": "2023-03-20",
    "泽州县": "2023-03-21",
    "高平市": "2023-03-17",
    "阳城县": "2023-03-21",
    "陵川县": "2023-03-24",
    "沁水县": "2023-03-22",
    "开发区": "2023-03-16",
}

# Plausible ranges for a county bureau's 3·15 week, per item id (inclusive).
# fmt: off
RANGES: dict[str, tuple[str, str]] = {
    "1": ("5", "30"), "2": ("1", "5"), "3": ("100", "900"), "4": ("20", "200"),
    "5": ("0.5", "30"), "6.1": ("0", "6"), "6.2": ("0", "6"), "6.3": ("0", "3"),
    "6.4": ("2", "30"), "6.5": ("10", "200"), "7": ("1", "10"), "8": ("1000", "20000"),
}
# fmt: on

LATE = "陵川县"
HAND_TYPED = "阳城县"  # text cells, full-width digits, "无" for zero, date as text
HAND_TYPED_NONE = ("6.2", "6.3")  # the zero items 阳城县 wrote as "无"
HAND_TYPED_DATE = "2023年3月21日"
AS_XLS = "沁水县"  # saved as .xls

OUT_DIR = Path(__file__).resolve().parent / "returned"
SUMMARY_NAME = "数值一览.md"
LO_PROFILE = (Path(tempfile.gettempdir()) / "jc315-examples-lo-profile").as_uri()

_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def check_values() -> None:
    """Fail loudly if the sample numbers stop being a valid, plausible set of returns."""
    assert set(VALUES) == set(DATES) == {r.short_name for r in DEFAULT_CAMPAIGN.reporters}
    factor = DEFAULT_FORM.outlier_factor
    for item in DEFAULT_FORM.items:
        low, high = (Decimal(x) for x in RANGES[item.id])
        for short, row in VALUES.items():
            value = Decimal(row[item.id])
            assert low <= value <= high, (short, item.id, value)
            if is_money(item.id):
                assert value == value.quantize(Decimal("0.0001")), (short, item.id, value)
            else:
                assert value == value.to_integral_value(), (short, item.id, value)
            others = sorted(Decimal(VALUES[o][item.id]) for o in VALUES if o != short)
            median = (others[2] + others[3]) / 2
            assert value <= factor * median, (short, item.id, value, median)
    for short, row in VALUES.items():
        if Decimal(row["5"]) > 0:
            assert Decimal(row["4"]) > 0, short
    for short, day in DATES.items():
        filled = date.fromisoformat(day)
        if short == LATE:
            assert filled > DEFAULT_CAMPAIGN.deadline
        else:
            assert date(2023, 3, 16) <= filled <= DEFAULT_CAMPAIGN.deadline, short
    assert date.fromisoformat(DATES[HAND_TYPED]) == date(2023, 3, 21)  # HAND_TYPED_DATE


def typed_text(short_name: str, item_id: str) -> str | None:
    """What the hand-typing reporter put in the cell, or None for a reporter who typed
    numbers: full-width digits (and full-width point), "无" for the chosen zero items."""
    if short_name != HAND_TYPED:
        return None
    value = VALUES[short_name][item_id]
    if item_id in HAND_TYPED_NONE:
        assert Decimal(value) == 0
        return "无"
    return value.translate(_FULL_WIDTH)


def is_money(item_id: str) -> bool:
    return DEFAULT_FORM.measure_of(DEFAULT_FORM.item(item_id)).kind is ValueKind.MONEY


def totals() -> dict[str, Decimal]:
    """Column totals per item, exact: counts as whole numbers, money as Decimal."""
    return {
        item.id: sum((Decimal(VALUES[r][item.id]) for r in VALUES), Decimal(0))
        for item in DEFAULT_FORM.items
    }


def format_total(item_id: str, total: Decimal) -> str:
    if is_money(item_id):
        return f"{total.quantize(Decimal('0.0001'))}"
    return str(int(total))


def filled_form(short_name: str) -> bytes:
    """The reporter's generated blank form with the E cells and C4 filled in."""

    campaign = DEFAULT_CAMPAIGN
    reporter = next(r for r in campaign.reporters if r.short_name == short_name)
    timestamp = build_timestamp(campaign)
    wb = load_workbook(io.BytesIO(form_bytes(campaign, reporter, timestamp)))
    ws = wb[FORM_SHEET]
    for index, item in enumerate(campaign.form.items):
        cell = ws[LAYOUT.value_cell(index)]
        text = typed_text(short_name, item.id)
        if text is not None:
            set_text(cell, text)
        elif is_money(item.id):
            cell.value = Decimal(VALUES[short_name][item.id])
        else:
            cell.value = int(VALUES[short_name][item.id])
    date_cell = ws[LAYOUT.date_cell]
    if short_name == HAND_TYPED:
        set_text(date_cell, HAND_TYPED_DATE)
    else:
        date_cell.value = date.fromisoformat(DATES[short_name])  # keeps the 年月日 format
    # Same timestamp as the blank form, so rerunning gives the same .xlsx bytes.
    return workbook_bytes(wb, timestamp)


def convert_to_xls(xlsx: Path, out_dir: Path) -> Path:
    """Convert with LibreOffice in its own profile, and return the .xls path."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to write the .xls example")
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={LO_PROFILE}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(out_dir),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:  # stderr otherwise only holds noise such as a javaldx warning
        sys.exit(f"LibreOffice failed to convert {xlsx.name}:\n{done.stderr}")
    result = out_dir / (xlsx.stem + ".xls")
    if not result.is_file():
        sys.exit(f"LibreOffice did not write {result}")
    return result


def summary_markdown() -> str:
    campaign = DEFAULT_CAMPAIGN
    names = [r.short_name for r in campaign.reporters]
    sums = totals()
    lines = [
        f"# 示例回收表数值一览（{campaign.title}）",
        "",
        "由 `examples/make_returned.py` 生成，数值与脚本中的 `VALUES`、`DATES` 一致，"
        "供手工核对汇总结果。合计为手工计算：件数等为整数，金额（万元）用 Decimal 精确相加，"
        "保留 4 位小数。",
        "",
        "| 序号 | 项目 | 单位 | " + " | ".join(names) + " | 合计 |",
        "|---|---|---|" + "---:|" * len(names) + "---:|",
    ]
    for item in campaign.form.items:
        cells = []
        for short in names:
            text = typed_text(short, item.id)
            cells.append(
                f"{VALUES[short][item.id]}（写作“{text}”）"
                if text == "无"
                else VALUES[short][item.id]
            )
        lines.append(
            f"| {item.id} | {item.label} | {item.measure} | "
            + " | ".join(cells)
            + f" | {format_total(item.id, sums[item.id])} |"
        )
    dates = [DATES[s] + ("（迟报）" if s == LATE else "") for s in names]
    lines.append("| | 填报日期 | | " + " | ".join(dates) + " | |")
    lines += [
        "",
        "## 各文件的特点",
        "",
    ]
    for reporter in campaign.reporters:
        short = reporter.short_name
        name = form_filename(campaign, reporter)
        if short == AS_XLS:
            name = name.removesuffix(".xlsx") + ".xls"
            note = "另存为 .xls（用 LibreOffice 转换），数值为数字、日期为日期"
        elif short == HAND_TYPED:
            note = (
                "手工录入：数值为文本、全角数字（如“１６”“９．８７”），"
                f"第 {'、'.join(HAND_TYPED_NONE)} 项写作“无”，填报日期为文本“{HAND_TYPED_DATE}”"
            )
        elif short == LATE:
            note = f"迟报：填报日期 {DATES[short]}，晚于截止日期 {campaign.deadline.isoformat()}"
        else:
            note = "数值为数字，日期为日期"
        lines.append(f"- `{name}`：{note}")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    check_values()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jc315-examples-") as tmp:
        tmp_dir = Path(tmp)
        for reporter in DEFAULT_CAMPAIGN.reporters:
            short = reporter.short_name
            name = form_filename(DEFAULT_CAMPAIGN, reporter)
            data = filled_form(short)
            if short == AS_XLS:
                xlsx = tmp_dir / name
                xlsx.write_bytes(data)
                xls = convert_to_xls(xlsx, tmp_dir)
                target = OUT_DIR / xls.name
                shutil.copyfile(xls, target)
                (OUT_DIR / name).unlink(missing_ok=True)  # keep only the .xls
            else:
                target = OUT_DIR / name
                target.write_bytes(data)
            print(target.relative_to(OUT_DIR.parent.parent))
    summary = OUT_DIR.parent / SUMMARY_NAME  # beside the folder: only returned forms are in it
    summary.write_text(summary_markdown(), encoding="utf-8")
    print(summary.relative_to(OUT_DIR.parent.parent))


if __name__ == "__main__":
    main()
