"""Replies to the counties, decided: who gets a 退回 (its file has errors, or values to confirm
that nobody has confirmed yet: 请核实, 已换算, 未填写, against last year), who a 催报 (nothing
received) and who a 请确认 (files of one date whose numbers differ: which is final), which
cells are marked, and the words of the line at the top of a 退回 form and of the message to
paste into an e-mail or the OA system. The corrected form, when it comes back, validates and
replaces the old one (a valid file beats an invalid one; a later 填报日期 beats an earlier one).
Writing the replies is `write/replies.py`.

Each cell is asked one thing: a 强制性 problem 请改正 (marked red), a 核实性 one 请核实 (marked
yellow, with a 核实说明 cell beside it for the county's reason), never both: a cell with an
error has no number to confirm yet."""

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
    NOTE_HEADER,
    BatchReport,
    FileReport,
    Problem,
    Tier,
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
    tier: Tier = Tier.MANDATORY  # 请改正 (red), or 核实性: 请核实 (yellow, a 核实说明 beside it)
    item: str = ""  # the item id, whose row the 核实说明 cell is on


@dataclass
class Reply:
    reporter: Reporter
    kind: str  # "退回" (something to fix), "催报" (nothing received) or "请确认" (a tie)
    source: FileReport | None
    marks: list[Mark] = field(default_factory=list)
    others: list[Problem] = field(default_factory=list)  # problems of the file as a whole
    values: dict[str, int | Decimal | str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # the county's 核实说明 as it sent them
    missing: list[str] = field(default_factory=list)  # materials not received: 活动总结…
    tied: list[FileReport] = field(default_factory=list)  # 请确认: files of one date that differ

    @property
    def stem(self) -> str:
        return f"{self.kind}-{self.reporter.short_name}"

    def cells(self, tier: Tier) -> list[str]:
        """The cells marked for one tier, each once, in the form's order: what the banner
        counts is what is coloured."""
        return list(dict.fromkeys(m.cell for m in self.marks if m.tier is tier))

    @property
    def to_explain(self) -> list[str]:
        """The items whose 核实说明 cell is open for the county: each value asked about, and
        each it explained before (its words are kept there)."""
        asked = [m.item for m in self.marks if m.tier is Tier.VERIFY]
        return list(dict.fromkeys([*asked, *self.notes]))


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
            if (p.tier is Tier.MANDATORY or p.pending) and not kind(p.code).for_collector
        ]
        to_fix += _materials_to_check(report, reporter, campaign) if source.counts else []
        if to_fix:
            replies.append(_reply(reporter, source, to_fix, campaign))
            replies[-1].missing = missing
    return replies


def _materials_to_check(
    report: BatchReport, reporter: Reporter, campaign: Campaign
) -> list[Problem]:
    """What the reporter's materials say that it is asked to check (a summary's number the
    table does not say, a photo sent by another too), when the campaign wants it in the 退回:
    a number is marked on the table's cell, without a value of its own (the value the
    summary says is in the message; the cell holds the table's)."""
    if not campaign.material_checks.replies:
        return []
    return [
        n.problem.model_copy(update={"value": None})
        for n in report.material_notes
        if n.reporter == reporter.name and kind(n.problem.code).doubtful
    ]


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
    reply.notes = dict(source.notes)
    wrong = {p.item for p in to_fix if p.tier is Tier.MANDATORY}
    for p in to_fix:
        if p.item is None or p.item not in index:
            reply.others.append(p)  # the file as a whole: unreadable, all blank, wrong year…
            continue
        if p.tier is Tier.VERIFY and p.item in wrong:
            continue  # to be corrected first: one request a cell
        item = campaign.form.item(p.item)
        if p.code == "blank":
            reply.values.pop(p.item, None)  # counted as 0, but left empty for the county to fill
        elif p.item not in reply.values and p.value is not None:
            reply.values[p.item] = shown(p.value)  # what was typed, as text to be corrected
        cell = LAYOUT.value_cell(index[p.item])
        label = f"第 {item.id} 项 {item.label}"
        reply.marks.append(Mark(cell, label, p.value, p.message, p.hint, p.tier, item.id))
    return reply


def notice(reply: Reply, deadline: date) -> str:
    """The line at the top of the form sent back: how many cells of each colour, which, and
    what each colour asks."""
    red, yellow = reply.cells(Tier.MANDATORY), reply.cells(Tier.VERIFY)
    fix = any(p.tier is Tier.MANDATORY for p in reply.others)
    asks = []
    if red:
        asks.append(f"请改正标红的 {len(red)} 处（{'、'.join(red)}）")
    elif fix or not yellow:
        asks.append("请改正本表")
    if yellow:
        asks.append(
            f"请核实标黄的 {len(yellow)} 处（{'、'.join(yellow)}），"
            f"如数值无误请在其右边的“{NOTE_HEADER}”栏写明理由"
        )
    head = "退回修改" if red or fix or not yellow else "退回核实"
    hover = "（鼠标停在单元格上可看说明）" if red or yellow else ""
    return (
        f"{head}：{'；'.join(asks)}{hover}，填写新的填报日期，"
        f"于{chinese_date(deadline)}前重新报送。"
    )


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
    asked = _asked(reply)
    by = chinese_date(deadline)
    if Tier.VERIFY not in asked:
        intro = f"有以下问题，请改正后于{by}前重新报送："
    elif Tier.MANDATORY not in asked:
        intro = f"有以下数值需要核实，请于{by}前核实后重新报送："
    else:
        intro = f"有以下问题，请于{by}前改正、核实后重新报送："
    lines = [
        f"{reply.reporter.name}：",
        "",
        f"你单位报送的《{campaign.title}》（文件“{sent}”）{intro}",
    ]
    number = 0
    for tier, items in asked.items():
        lines += ["", f"{tier.ask}："]
        for item in items:
            number += 1
            lines.append(f"{number}. {item}")
    if reply.source.status == "unreadable":
        lines += ["", f"附件“{reply.stem}.xlsx”为空白表，请填写后重新报送。"]
    else:
        colours = []
        if reply.cells(Tier.MANDATORY):
            colours.append("需改正的单元格标为红色")
        if reply.cells(Tier.VERIFY):
            which = "需核实的" if colours else "需核实的单元格"
            colours.append(f"{which}标为黄色，其右边的“{NOTE_HEADER}”栏可填写理由")
        marked = f"{'，'.join(colours)}，均附有说明；" if colours else ""
        lines += [
            "",
            f"你单位报送的数值已填入附件“{reply.stem}.xlsx”，{marked}"
            "请在该表中修改或写明理由、填写新的填报日期后重新报送。",
        ]
    if reply.missing:
        lines.append(f"另：尚未收到你单位的{'、'.join(reply.missing)}，请一并报送。")
    return "\n".join(lines + sign) + "\n"


def _asked(reply: Reply) -> dict[Tier, list[str]]:
    """Each request as one line, grouped by what is asked (请改正, then 请核实)."""
    asked: dict[Tier, list[str]] = {}
    for mark in reply.marks:
        typed = f"填写的“{shown(mark.found)}”：" if mark.found else ""
        hint = f"建议：{mark.hint}" if mark.hint else ""
        line = f"{mark.cell}（{mark.label}）{typed}{mark.message}。{hint}".rstrip()
        asked.setdefault(mark.tier, []).append(line)
    for p in reply.others:
        line = f"{p.message}。{('建议：' + p.hint) if p.hint else ''}".rstrip()
        asked.setdefault(p.tier, []).append(line)
    return {tier: asked[tier] for tier in (Tier.MANDATORY, Tier.VERIFY) if tier in asked}


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
