"""The next step in words, from where the collection stands: the last line of every command
and of `jc315 status`. One function, so the command line and the page never disagree."""

from __future__ import annotations

from jc315cli.collection.board import (
    DOUBTFUL,
    FAILED,
    NOT_SENT,
    OVERDUE,
    PASSED,
    RETURNED,
    UNCHECKED,
    Board,
)


def next_step(board: Board, *, merged: bool = False) -> str:
    """What the clerk should do now. `merged`: a report was just written."""
    c = board.campaign
    names = {
        state: [r.short_name for r in board.rows if r.state == state]
        for state in (NOT_SENT, UNCHECKED, FAILED, RETURNED, DOUBTFUL, PASSED, OVERDUE)
    }
    if merged:
        return "把汇总表报送上级；用 jc315 summary 汇总表 写出活动总结中的数字段落"
    if names[UNCHECKED] or board.unknown:
        return f"运行 jc315 validate 校验新收到的表（{'、'.join(names[UNCHECKED]) or '未识别单位的文件'}）"
    to_reply = names[FAILED] + [
        r.short_name for r in board.rows if r.state == OVERDUE and not r.rounds
    ]
    if to_reply:
        return f"运行 jc315 feedback 给{'、'.join(to_reply)}写出退回或催报通知，放在“{c.folders.replies}/”中发出"
    if names[DOUBTFUL]:
        return (
            f"请{'、'.join(names[DOUBTFUL])}核实存疑的数值：对方在退回表的核实说明中写明理由后重新报送，"
            "或用 jc315 confirm 单位 项目 --reason 理由 记录核实结果"
        )
    if len(names[PASSED]) == len(board.rows):
        if board.merges:
            return "全部通过，汇总表已写出；如有更新的表，再运行 jc315 merge 重新汇总"
        return f"全部通过，运行 jc315 merge 写出汇总表（在“{c.folders.merged}/”中）"
    waiting = names[NOT_SENT] + names[RETURNED] + names[OVERDUE]
    left = board.days_left
    when = (
        f"截止 {c.deadline.isoformat()}，还有 {left} 天"
        if left >= 0
        else f"已过截止日期 {-left} 天"
    )
    return f"等待{'、'.join(waiting)}报送或改正（{when}）；收到的表放进“{c.folders.returned}/”后运行 jc315 validate"
