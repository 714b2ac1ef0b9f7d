"""Terminal renderings (rich) of the reports. JSON is the other rendering: model_dump."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from jc315cli.report import SEVERITY_LABELS, BatchReport, FileReport, Severity

STATUS_LABELS = {"valid": "[green]通过[/]", "invalid": "[red]未通过[/]", "unreadable": "[red]无法读取[/]"}
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
                Text.assemble((Path(file_report.path).name, "bold"), "  ", Text.from_markup(STATUS_LABELS["valid"]),
                              f"  {file_report.reporter}  填报日期：{file_report.filled_on or '—'}  无问题")
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
    console.print(Group(*(Text(line, style=style if i == 0 else "") for i, line in enumerate(lines))))
