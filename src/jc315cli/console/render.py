"""Terminal renderings (rich) of the reports. JSON is the other rendering: model_dump.

Made for an 80-column window: one line per problem, grouped by file, wrapped by `wrap.py`
(never inside a cell reference, date or number) with a hanging indent; no English codes unless
--verbose. Everything that came from a file (names, cell contents, messages quoting them) is
passed through `visible()` and printed as plain text, never as markup: a control character
cannot reach the terminal and a file named `[red]` is only a name. The marks (× ! · √) exist in
GBK, so a Chinese Windows console prints them too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from jc315cli.console.render_materials import (
    LIST_UNITS_UP_TO,
    incomplete_line,
    listed,
    material_lines,
)

# INDENT moved to wrap.py, with the wrapping it is for; named here too for render_figures.py
# until it imports it from there.
from jc315cli.console.wrap import INDENT as INDENT
from jc315cli.console.wrap import Wrapped
from jc315cli.model.campaign import Campaign
from jc315cli.problems.kinds import HOW_TO_CONFIRM
from jc315cli.problems.lines import problem_line
from jc315cli.problems.report import (
    BatchReport,
    FileReport,
    Problem,
    Severity,
    Summary,
    exact,
    shown,
    visible,
)
from jc315cli.problems.shown import LONG_LIMIT, TEXT_LIMIT

if TYPE_CHECKING:  # feedback and generate import openpyxl, which reading-only commands never load
    from jc315cli.check.merge_plan import MergePlan
    from jc315cli.check.reply_plan import Reply
    from jc315cli.write.blank_forms import GeneratedForm

STATUS = {
    "valid": ("√", "通过", "green"),
    "pending": ("!", "待核实", "yellow"),
    "invalid": ("×", "未通过", "red"),
    "unreadable": ("×", "无法读取", "red"),
}
MARKS = {
    Severity.ERROR: ("×", "bold red"),
    Severity.WARNING: ("!", "yellow"),
    Severity.INFO: ("·", "cyan"),
}


def plain(text: object, style: str = "", *, limit: int | None = TEXT_LIMIT) -> Text:
    """Data as inert text, no markup: bounded by `shown` (a text jc315 made of bounded parts,
    such as a paragraph, with no `limit`), control and invisible characters as <U+…>."""
    return Text(visible(str(text)) if limit is None else shown(text, limit), style=style)


def name(path: str) -> str:
    return shown(Path(path).name, LONG_LIMIT)


def file_lines(
    report: FileReport, *, verbose: bool = False, campaign: Campaign | None = None
) -> list[Wrapped]:
    mark, status, style = STATUS[report.status]
    if report.superseded_by:
        mark, status, style = "·", "被替代", "dim"
    head = f"{mark} {name(report.path)}  {status}"
    whose = _whose(report, campaign)
    head += f"  {whose}" if whose else ""
    if report.filled_on:
        head += f"  填报日期 {report.filled_on.isoformat()}"
    lines = [Wrapped(visible(head), indent=INDENT, style=f"bold {style}")]
    for p in report.problems:
        sign, sign_style = MARKS[p.severity]
        lines.append(
            Wrapped(
                f"  {sign} {problem_line(p, code=verbose)}",
                indent=INDENT,
                style=sign_style if p.severity is Severity.ERROR else "",
            )
        )
    return lines


def _whose(report: FileReport, campaign: Campaign | None) -> str:
    """The reporter after a file's name, unless the name already says it in full (as every
    form `generate` writes does): a clean file then takes one line at 80 columns, whatever
    its format. A short name when the campaign knows one."""
    reporter = report.reporter
    if not reporter:
        return "填报单位未识别"
    if reporter in Path(report.path).name:
        return ""
    known = {r.name: r.short_name for r in campaign.reporters} if campaign else {}
    return known.get(reporter, reporter)


def render_batch(
    console: Console,
    report: BatchReport,
    campaign: Campaign | None = None,
    *,
    verbose: bool = False,
) -> None:
    for file_report in report.files:
        for line in file_lines(file_report, verbose=verbose, campaign=campaign):
            console.print(line)
    console.print()
    materials = material_lines(report, campaign, verbose=verbose) if campaign else []
    for line in materials:
        console.print(line)
    if materials:
        console.print()
    for line in verdict_lines(report.summary):
        console.print(line)


def _whom(summary: Summary, reporter: str | None) -> str:
    who = summary.to_contact.get(reporter or "")
    if who is None:
        return reporter or "填报单位未识别"
    reach = "，".join(x for x in (who.contact, f"电话 {who.phone}" if who.phone else "") if x)
    return f"{who.short_name}（{reach}）" if reach else who.short_name


def verdict_lines(summary: Summary, *, merged: bool = False) -> list[Wrapped]:
    """The last lines of both `validate` and `merge`: the same verdict on the same folder.
    Only a `merged` report has a 问题清单 to point to."""
    s = summary
    missing = listed([_whom(s, n) for n in s.missing]) or "无"
    if len(s.rejected) > LIST_UNITS_UP_TO:  # each file's reason is printed above it
        who = [_whom(s, r.reporter) if r.reporter else name(r.path) for r in s.rejected]
        rejected = f"{listed(who)}，原因见上"
    else:
        rejected = "、".join(
            f"{_whom(s, reporter)}：{'、'.join(files)}，{reason}"
            if reporter
            else f"{'、'.join(files)}：{reason}"
            for reporter, reason, files in _by_reason(s)
        )
    pending = f"，待核实 {s.pending}" if s.pending else ""
    unverified = "、".join(f"{_whom(s, r.reporter)}：{r.reason}" for r in s.unverified)
    lines = [
        Wrapped(
            f"共 {s.files} 个文件：通过 {s.valid}{pending}，未通过 {s.invalid}，"
            f"无法读取 {s.unreadable}"
        ),
        Wrapped(
            visible(
                f"已报送 {len(s.reported)}/{s.reporters}，计入汇总 {len(s.included)}/{s.reporters}，"
                f"未报送：{missing}，已退回：{rejected or '无'}"
                + (f"，待核实：{unverified}" if unverified else "")
            ),
            indent=INDENT,
            style="green" if s.ok else "red",
        ),
    ]
    if s.unverified:
        lines.append(Wrapped(f"{HOW_TO_CONFIRM}。", indent=INDENT, style="yellow"))
    if s.late:
        lines.append(Wrapped(f"逾期：{listed(list(s.late))}", indent=INDENT))
    if s.superseded:
        lines.append(
            Wrapped(f"被替代（不计入）：{'、'.join(name(p) for p in s.superseded)}", indent=INDENT)
        )
    for other in s.not_read:
        lines.append(Wrapped(f"未读取：{name(other.path)}（{other.reason}）", indent=INDENT))
    if s.doubtful:
        left = s.doubtful - s.verified
        where = (
            "汇总表的“问题清单”列出每一条"
            if merged
            else "上面标 ! 的各行；汇总表的“问题清单”会列出每一条"
        )
        text = f"需核实的数值 {s.doubtful} 条：已核实 {s.verified} 条，待核实 {left} 条（{where}）"
        lines.append(Wrapped(text, indent=INDENT, style="yellow"))
    return lines


def _by_reason(summary: Summary) -> list[tuple[str | None, str, list[str]]]:
    """The rejected files of one reporter for one reason together: two tied files are one
    entry naming both, as long as any other."""
    entries: list[tuple[str | None, str, list[str]]] = []
    seen: dict[tuple[str, str], list[str]] = {}
    for r in summary.rejected:
        if r.reporter and (r.reporter, r.reason) in seen:
            seen[(r.reporter, r.reason)].append(name(r.path))
            continue
        entries.append((r.reporter, r.reason, [name(r.path)]))
        if r.reporter:
            seen[(r.reporter, r.reason)] = entries[-1][2]
    return entries


def doubtful_lines(items: list[tuple[FileReport, Problem]]) -> list[Wrapped]:
    """Each 核实性 value counted, before the totals: who, where, what was typed, and who said
    why it is right (the same reason goes to the province in 问题清单)."""
    lines = [Wrapped("以下需核实的数值已核实，计入汇总：", style="yellow")] if items else []
    for report, p in items:
        who = report.reporter or name(report.path)
        lines.append(Wrapped(f"  ! {visible(who)} {problem_line(p)}", indent=INDENT))
    return lines


def render_merge(console: Console, campaign: Campaign, result: MergePlan, output: Path) -> None:
    from rich.table import Table

    from jc315cli.check.merge_plan import doubtful

    for line in doubtful_lines(doubtful(result)):
        console.print(line)
    heading = plain(f"{campaign.title} 汇总（{campaign.organizer}）", limit=None)
    table = Table(title=heading, title_justify="left")
    table.add_column("序号")
    table.add_column("项目", overflow="fold")
    table.add_column("单位")
    table.add_column("合计", justify="right")
    for item in campaign.form.items:
        row = (item.id, item.label, item.measure, exact(result.totals[item.id]))
        table.add_row(*(plain(x) for x in row))
    console.print(table)
    console.print(Wrapped(visible(f"汇总表已写出：{output}"), indent=INDENT))
    report = result.report
    for line in [
        *verdict_lines(report.summary, merged=True),
        *incomplete_line(report, merged=True),
    ]:
        console.print(line)


def render_generated(console: Console, campaign: Campaign, written: list[GeneratedForm]) -> None:
    from rich.table import Table

    heading = plain(f"已生成 {len(written)} 份{campaign.title}", limit=None)
    table = Table(title=heading, title_justify="left")
    table.add_column("填报单位", overflow="fold")
    table.add_column("文件", overflow="fold")
    table.add_column("大小", justify="right")
    for form in written:
        file = plain(form.path.name, limit=LONG_LIMIT)
        table.add_row(plain(form.reporter.short_name), file, f"{form.size:,} 字节")
    console.print(table)
    if written:
        console.print(Wrapped(visible(f"文件夹：{written[0].path.parent}"), indent=INDENT))


def render_replies(
    console: Console, report: BatchReport, replies: list[Reply], output: Path, files: int
) -> None:
    from rich.table import Table

    table = Table(title=f"已写出 {files} 个文件", title_justify="left")
    table.add_column("填报单位")
    table.add_column("回复")
    table.add_column("内容")
    for reply in replies:
        what = f"{len(reply.marks) + len(reply.others)} 处问题" if reply.source else "尚未报送"
        what = f"{len(reply.tied)} 份文件数值不同，问哪份为准" if reply.tied else what
        table.add_row(plain(reply.reporter.short_name), reply.kind, what)
    console.print(table)
    console.print(Wrapped(visible(f"文件夹：{output}"), indent=INDENT))
    for line in [*verdict_lines(report.summary), *incomplete_line(report)]:
        console.print(line)
