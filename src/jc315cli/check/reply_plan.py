"""Replies to the counties, decided: who gets a 退回 (its file has errors or values to check:
请核实, 已换算, 未填写), who a 催报 (nothing received) and who a 请确认 (files of one date whose
numbers differ: which is final), which cells are marked, and the words
of the line at the top of a 退回 form and of the message to paste into an e-mail or the OA
system. The corrected form, when it comes back, validates and replaces the old one (a valid
file beats an invalid one; a later 填报日期 beats an earlier one). Writing the replies is
`write/replies.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from jc315cli.model.campaign import Campaign, Reporter, chinese_date
from jc315cli.model.layout import LAYOUT
from jc315cli.problems.registry import kind
from jc315cli.problems.report import (
    LONG_LIMIT,
    BatchReport,
    FileReport,
    Problem,
    show_raw,
    shown,
)


@dataclass
class Mark:
    cell: str  # in the form sent back, e.g. E9
    label: str  # what the cell is, e.g. 第 4 项 接受投诉情况
    found: str | None  # what was typed
    message: str
    hint: str


@dataclass
class Reply:
    reporter: Reporter
    kind: str  # "退回" (something to fix), "催报" (nothing received) or "请确认" (a tie)
    source: FileReport | None
    marks: list[Mark] = field(default_factory=list)
    others: list[Problem] = field(default_factory=list)  # problems of the file as a whole
    values: dict[str, int | Decimal | str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # materials not received: 活动总结…
    tied: list[FileReport] = field(default_factory=list)  # 请确认: files of one date that differ

    @property
    def stem(self) -> str:
        return f"{self.kind}-{self.reporter.short_name}"


def plan_replies(report: BatchReport, campaign: Campaign) -> list[Reply]:
    """Who gets a reply, in the campaign's order, and what it says."""
    replies: list[Reply] = []
    forms = {m.name for m in campaign.materials if m.form}
    for reporter in campaign.reporters:
        found = report.materials.get(reporter.name, {})
        missing = [name for name, paths in found.items() if not paths and name not in forms]
        files = [f for f in report.files if f.reporter == reporter.name]
        if not files:
            replies.append(Reply(reporter, "催报", None, missing=missing))
            continue
        tied = [f for f in files if not f.superseded_by and _tied(f)]
        if tied:  # which is final only the county can say: asked, nothing to correct
            replies.append(Reply(reporter, CHOOSE, tied[0], missing=missing, tied=tied))
            continue
        counted = [f for f in files if f.counts]
        source = counted[0] if counted else next(f for f in reversed(files) if not f.superseded_by)
        newer = [f for f in files if f.status != "valid" and _after(f, source)]
        if newer:  # its latest correction was rejected: that is the one to send back
            source = newer[-1]
        to_fix = [
            p
            for p in source.problems
            if (p.severity == "error" or kind(p.code).doubtful) and not kind(p.code).for_collector
        ]
        if to_fix:
            replies.append(_reply(reporter, source, to_fix, campaign))
            replies[-1].missing = missing
    return replies


CHOOSE = "请确认"  # two or more files of one date that differ: which is final


def _tied(file: FileReport) -> bool:
    return any(p.code == "duplicate-tie" for p in file.problems)


def _after(file: FileReport, other: FileReport) -> bool:
    return file.filled_on is not None and (
        other.filled_on is None or file.filled_on > other.filled_on
    )


def _reply(
    reporter: Reporter, source: FileReport, to_fix: list[Problem], campaign: Campaign
) -> Reply:
    reply = Reply(reporter, "退回", source)
    index = {item.id: i for i, item in enumerate(campaign.form.items)}
    reply.values = dict(source.values)
    for p in to_fix:
        if p.item is None or p.item not in index:
            reply.others.append(p)  # the file as a whole: unreadable, all blank, wrong year…
            continue
        item = campaign.form.item(p.item)
        if p.code == "blank":
            reply.values.pop(p.item, None)  # counted as 0, but left empty for the county to fill
        elif p.item not in reply.values and p.value is not None:
            reply.values[p.item] = shown(p.value)  # what was typed, as text to be corrected
        cell = LAYOUT.value_cell(index[p.item])
        reply.marks.append(Mark(cell, f"第 {item.id} 项 {item.label}", p.value, p.message, p.hint))
    return reply


def notice(reply: Reply, deadline: date) -> str:
    """The line at the top of the form sent back."""
    cells = "、".join(dict.fromkeys(m.cell for m in reply.marks))
    where = (
        f"标红的 {len(reply.marks)} 处（{cells}，鼠标停在单元格上可看说明）"
        if reply.marks
        else "本表"
    )
    return f"退回修改：请改正{where}，填写新的填报日期，于{chinese_date(deadline)}前重新报送。"


def message(reply: Reply, campaign: Campaign, *, today: date, deadline: date) -> str:
    """The text to paste into an e-mail or the OA system."""
    c = campaign.contact
    sign = [
        "",
        f"联系人：{campaign.organizer}{c.department} {c.person}，电话 {c.phone}，邮箱 {c.email}",
        campaign.organizer,
        chinese_date(today),
    ]
    if reply.source is None:
        also = f"及{'、'.join(reply.missing)}" if reply.missing else ""
        body = [
            f"{reply.reporter.name}：",
            "",
            f"截至{chinese_date(today)}，尚未收到你单位的《{campaign.title}》{also}。"
            f"请于{chinese_date(deadline)}前报送（空白表见附件“{reply.stem}.xlsx”）。",
        ]
        return "\n".join(body + sign) + "\n"
    if reply.tied:
        return "\n".join(_choose(reply, campaign, deadline) + sign) + "\n"
    sent = shown(Path(reply.source.path).name, LONG_LIMIT)
    lines = [
        f"{reply.reporter.name}：",
        "",
        f"你单位报送的《{campaign.title}》（文件“{sent}”）有以下问题，"
        f"请改正后于{chinese_date(deadline)}前重新报送：",
        "",
    ]
    number = 0
    for mark in reply.marks:
        number += 1
        typed = f"填写的“{shown(mark.found)}”：" if mark.found else ""
        hint = f"建议：{mark.hint}" if mark.hint else ""
        lines.append(f"{number}. {mark.cell}（{mark.label}）{typed}{mark.message}。{hint}".rstrip())
    for p in reply.others:
        number += 1
        lines.append(f"{number}. {p.message}。{('建议：' + p.hint) if p.hint else ''}".rstrip())
    if reply.source.status == "unreadable":
        lines += ["", f"附件“{reply.stem}.xlsx”为空白表，请填写后重新报送。"]
    else:
        lines += [
            "",
            f"你单位报送的数值已填入附件“{reply.stem}.xlsx”，有问题的单元格标为红色并附有说明；"
            "请在该表中修改、填写新的填报日期后重新报送。",
        ]
    if reply.missing:
        lines.append(f"另：尚未收到你单位的{'、'.join(reply.missing)}，请一并报送。")
    return "\n".join(lines + sign) + "\n"


def _choose(reply: Reply, campaign: Campaign, deadline: date) -> list[str]:
    """The tied files, each by name with its own figures where they differ, and the question:
    which is final."""
    days = {f.filled_on for f in reply.tied}
    day = next(iter(days)) if len(days) == 1 else None
    dated = f"填报日期都是{chinese_date(day)}" if day else "填报日期相同或没有填写"
    index = {item.id: item for item in campaign.form.items}
    lines = [
        f"{reply.reporter.name}：",
        "",
        f"你单位报送了 {len(reply.tied)} 份《{campaign.title}》，{dated}，但其中的数值不同，"
        "无法判断以哪一份为准：",
        "",
    ]
    differ = [i for i in index if len({str(f.values.get(i)) for f in reply.tied}) > 1]
    for number, report in enumerate(reply.tied, start=1):
        figures = "；".join(
            f"{report.cells.get(i, i)}（第 {i} 项 {index[i].label}）"
            f"{show_raw(report.values.get(i)) or '未填写'}"
            for i in differ
        )
        lines.append(f"{number}. 文件“{shown(Path(report.path).name, LONG_LIMIT)}”：{figures}")
    lines += [
        "",
        f"请于{chinese_date(deadline)}前告知哪一份是最终版本；如都需修改，请在最终版本中改正、"
        "填写新的填报日期后重新报送。",
    ]
    if reply.missing:
        lines.append(f"另：尚未收到你单位的{'、'.join(reply.missing)}，请一并报送。")
    return lines
