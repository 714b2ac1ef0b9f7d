"""Terminal renderings (rich) of the reports. JSON is the other rendering: model_dump.

Everything here that came from a file (names, cell contents, messages quoting them) is passed
through `visible()` and printed as plain Text, never as markup: a control character cannot
reach the terminal and a file named `[red]` is only a name."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jc315cli.campaign import Campaign
from jc315cli.plan import MergePlan, doubtful
from jc315cli.report import (
    SEVERITY_LABELS,
    BatchReport,
    FileReport,
    Problem,
    Severity,
    Summary,
    exact,
    visible,
)

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
    for line in verdict_lines(report.summary):
        console.print(line)


def _whom(summary: Summary, reporter: str | None) -> str:
    who = summary.to_contact.get(reporter or "")
    if who is None:
        return reporter or "填报单位未识别"
    reach = "，".join(x for x in (who.contact, f"电话 {who.phone}" if who.phone else "") if x)
    return f"{who.short_name}（{reach}）" if reach else who.short_name


def verdict_lines(summary: Summary) -> list[Text]:
    """The last lines of both `validate` and `merge`: the same verdict on the same folder."""
    s = summary
    missing = "、".join(_whom(s, n) for n in s.missing) or "无"
    rejected = "、".join(
        f"{_whom(s, r.reporter)}：{name(r.path)}，{r.reason}"
        if r.reporter
        else f"{name(r.path)}：{r.reason}"
        for r in s.rejected
    )
    lines = [
        plain(f"共 {s.files} 个文件：通过 {s.valid}，未通过 {s.invalid}，无法读取 {s.unreadable}"),
        plain(
            f"已报送 {len(s.reported)}/{s.reporters}，计入汇总 {len(s.included)}/{s.reporters}，"
            f"未报送：{missing}，已退回：{rejected or '无'}",
            "green" if s.ok else "red",
        ),
    ]
    if s.late:
        lines.append(plain(f"逾期：{'、'.join(s.late)}"))
    if s.superseded:
        lines.append(plain(f"被替代（不计入）：{'、'.join(name(p) for p in s.superseded)}"))
    for other in s.not_read:
        lines.append(plain(f"未读取：{name(other.path)}（{other.reason}）"))
    if s.doubtful:
        lines.append(plain(f"计入 {s.doubtful} 条需核实的数值，详见“问题清单”", "yellow"))
    return lines


def doubtful_lines(items: list[tuple[FileReport, Problem]]) -> list[Text]:
    """Each accepted value that could be wrong, before the totals: who, where, what was typed."""
    lines = [plain("以下数值已计入汇总，但需要核实：", "yellow")] if items else []
    for report, p in items:
        where = " ".join(x for x in (p.cell, f"{p.item} {p.label}" if p.item else "") if x)
        typed = f"“{p.value}”" if p.value else "（空白）"
        lines.append(
            plain(f"  {report.reporter or name(report.path)} {where} {typed}：{p.message}")
        )
    return lines


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
    for line in doubtful_lines(doubtful(result)):
        console.print(line)
    console.print(table)
    console.print(plain(f"汇总表已写出：{output}"))
    for line in verdict_lines(result.report.summary):
        console.print(line)
