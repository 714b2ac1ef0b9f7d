"""Terminal renderings (rich) of the reports. JSON is the other rendering: model_dump.

Everything here that came from a file (names, cell contents, messages quoting them) is passed
through `visible()` and printed as plain Text, never as markup: a control character cannot
reach the terminal and a file named `[red]` is only a name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from jc315cli.campaign import Campaign
from jc315cli.report import SEVERITY_LABELS, BatchReport, FileReport, Severity, exact, visible

if TYPE_CHECKING:
    from jc315cli.plan import MergePlan

STATUS_LABELS = {
    "valid": ("通过", "green"),
    "invalid": ("未通过", "red"),
    "unreadable": ("无法读取", "red"),
}


def plain(text: object, style: str = "") -> Text:
    """Data as inert text: control and invisible characters shown as <U+…>, no markup."""
    return Text(visible(str(text)), style=style)


def name(path: str) -> str:
    return visible(Path(path).name)


SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def file_table(report: FileReport) -> Table:
    title = Text.assemble(
        (name(report.path), "bold"),
        "  ",
        STATUS_LABELS[report.status],
        plain(f"  {report.reporter or '填报单位未识别'}"),
        f"  填报日期：{report.filled_on or '—'}",
    )
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for column in ("级别", "代码", "单元格", "项目", "原值", "说明", "建议"):
        table.add_column(column, overflow="fold")
    for p in report.problems:
        table.add_row(
            Text(SEVERITY_LABELS[p.severity], style=SEVERITY_STYLES[p.severity]),
            p.code,
            p.cell or "",
            plain(f"{p.item} {p.label}" if p.item else ""),
            plain(p.value or ""),
            plain(p.message),
            plain(p.hint),
        )
    return table


def render_batch(console: Console, report: BatchReport) -> None:
    for file_report in report.files:
        if file_report.problems:
            console.print(file_table(file_report))
        else:
            console.print(
                Text.assemble(
                    (name(file_report.path), "bold"),
                    "  ",
                    STATUS_LABELS["valid"],
                    plain(
                        f"  {file_report.reporter}  填报日期：{file_report.filled_on or '—'}  无问题"
                    ),
                )
            )
        console.print()
    s = report.summary
    lines = [
        f"共 {s.files} 个文件：通过 {s.valid}，未通过 {s.invalid}，无法读取 {s.unreadable}",
        f"未报送：{'、'.join(s.missing) if s.missing else '无'}",
    ]
    if s.late:
        lines.append(f"逾期：{'、'.join(s.late)}")
    if s.superseded:
        lines.append(f"被替代（不计入）：{'、'.join(name(p) for p in s.superseded)}")
    style = "green" if report.ok else "red"
    console.print(Group(*(plain(line, style if i == 0 else "") for i, line in enumerate(lines))))


def render_merge(console: Console, campaign: Campaign, result: MergePlan, output: Path) -> None:
    table = Table(title=f"{campaign.title} 汇总（{campaign.organizer}）", title_justify="left")
    for column, justify in (
        ("序号", "left"),
        ("类别", "left"),
        ("项目", "left"),
        ("单位", "left"),
        ("合计", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for item in campaign.form.items:
        table.add_row(
            item.id,
            item.category,
            item.name or "",
            item.measure,
            str(exact(result.totals[item.id])),
        )
    console.print(table)
    total = len(campaign.reporters)
    reported = total - len(result.missing)
    missing = "、".join(result.missing) if result.missing else "无"
    console.print(plain(f"已报送 {reported}/{total}，未报送：{missing}"))
    if result.late:
        console.print(plain(f"逾期：{'、'.join(result.late)}"))
    if result.rejected:
        names = "、".join(
            f"{f.reporter or '填报单位未识别'}（{name(f.path)}）" for f in result.rejected
        )
        console.print(plain(f"已退回（未计入）：{names}", "red"))
    if result.superseded:
        console.print(
            plain(f"被替代（未计入）：{'、'.join(name(f.path) for f in result.superseded)}")
        )
    console.print(plain(f"汇总表已写出：{output}"))
