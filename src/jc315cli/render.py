"""Terminal renderings (rich) of the reports. JSON is the other rendering: model_dump."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from jc315cli.campaign import Campaign
from jc315cli.report import SEVERITY_LABELS, BatchReport, FileReport, Severity, exact

if TYPE_CHECKING:
    from jc315cli.plan import MergePlan

STATUS_LABELS = {
    "valid": "[green]通过[/]",
    "invalid": "[red]未通过[/]",
    "unreadable": "[red]无法读取[/]",
}
SEVERITY_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def file_table(report: FileReport) -> Table:
    title = Text.assemble(
        (Path(report.path).name, "bold"),
        "  ",
        Text.from_markup(STATUS_LABELS[report.status]),
        f"  {report.reporter or '填报单位未识别'}",
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
            f"{p.item} {p.label}" if p.item else "",
            p.value or "",
            p.message,
            p.hint,
        )
    return table


def render_batch(console: Console, report: BatchReport) -> None:
    for file_report in report.files:
        if file_report.problems:
            console.print(file_table(file_report))
        else:
            console.print(
                Text.assemble(
                    (Path(file_report.path).name, "bold"),
                    "  ",
                    Text.from_markup(STATUS_LABELS["valid"]),
                    f"  {file_report.reporter}  填报日期：{file_report.filled_on or '—'}  无问题",
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
        lines.append(f"被替代（不计入）：{'、'.join(Path(p).name for p in s.superseded)}")
    style = "green" if report.ok else "red"
    console.print(
        Group(*(Text(line, style=style if i == 0 else "") for i, line in enumerate(lines)))
    )


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
    console.print(
        f"已报送 {reported}/{total}，未报送：{'、'.join(result.missing) if result.missing else '无'}"
    )
    if result.late:
        console.print(f"逾期：{'、'.join(result.late)}")
    if result.rejected:
        names = "、".join(
            f"{f.reporter or '填报单位未识别'}（{Path(f.path).name}）" for f in result.rejected
        )
        console.print(f"[red]已退回（未计入）：{names}[/]")
    if result.superseded:
        console.print(
            f"被替代（未计入）：{'、'.join(Path(f.path).name for f in result.superseded)}"
        )
    console.print(f"汇总表已写出：{output}", highlight=False)
