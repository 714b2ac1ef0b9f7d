"""`jc315 status` on screen: one 80-column screen of where the collection stands — the
campaign and its deadline, each reporter's state, the headline rates, each value that changed,
and the next step. Everything shown comes from collection/board.py."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jc315cli.collection.board import (
    DOUBTFUL,
    FAILED,
    OVERDUE,
    PASSED,
    RETURNED,
    UNCHECKED,
    Board,
)
from jc315cli.console.wrap import Wrapped
from jc315cli.problems.shown import visible

STYLE = {
    PASSED: "green",
    DOUBTFUL: "yellow",
    RETURNED: "yellow",
    FAILED: "red",
    OVERDUE: "bold red",
    UNCHECKED: "cyan",
}
CHANGES_SHOWN = 12  # value changes listed on the screen; the JSON has them all


def deadline_line(board: Board) -> str:
    c, left = board.campaign, board.days_left
    if left > 0:
        when = f"还有 {left} 天"
    elif left == 0:
        when = "就是今天"
    else:
        when = f"已过 {-left} 天"
    return f"报送截止 {c.deadline.isoformat()}（{when}），今天 {board.today.isoformat()}"


def render_status(console: Console, board: Board, where: str) -> None:
    c = board.campaign
    console.print(Text(f"{c.title}  收集文件夹：{visible(where)}", style="bold"))
    console.print(Text(deadline_line(board)))
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 2, 0, 0))
    table.add_column("单位", no_wrap=True)
    table.add_column("状态")
    table.add_column("轮次", justify="right", no_wrap=True)
    table.add_column("按时", no_wrap=True)
    for row in board.rows:
        timely = {True: "√", False: "逾期", None: ""}[row.on_time]
        table.add_row(
            visible(row.short_name),
            Text(row.shown_state, style=STYLE.get(row.state, "")),
            str(len(row.rounds)) if row.rounds else "",
            timely,
        )
    console.print(table)
    if board.unknown:
        names = "、".join(visible(p.name) for p in board.unknown[:5])
        more = f" 等 {len(board.unknown)} 个" if len(board.unknown) > 5 else ""
        console.print(Wrapped(f"未识别单位的新文件：{names}{more}", indent=4, style="cyan"))
    console.print(Wrapped("，".join(board.rates.lines()), indent=4))
    changed = [(row, change) for row in board.rows for change in row.changes]
    if changed:
        console.print(Text("数值变动：", style="bold"))
        for row, change in changed[:CHANGES_SHOWN]:
            console.print(Wrapped(f"{visible(row.short_name)} {change.text}", indent=4))
        if len(changed) > CHANGES_SHOWN:
            console.print(Text(f"  …共 {len(changed)} 处，全部见 --format json"))
    if board.merges:
        last = board.merges[-1]
        console.print(
            Wrapped(
                f"最近一次汇总：{visible(last.output_name)}（{last.filled_on.isoformat()}）",
                indent=4,
            )
        )
