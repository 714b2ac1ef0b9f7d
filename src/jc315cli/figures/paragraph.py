"""The statistics paragraph of a 3·15 活动总结, written from a report's figures and the form
definition: each item says itself with its `phrase` (else its label), a block of sub-items is
one list between its `lead` and `tail`, and with a report to compare with, each figure is
followed by its change. Nothing here knows the 2023 items: another campaign file words its own.

    全市共开展普法宣传活动112场次，组织新闻发布/公开倡议20场次，……为消费者挽回经济损失82.0597万元；
    通过电视专题节目19期、广播专题节目12期、……等渠道开展宣传报道；开展消费调查、体验和评议37次，
    印发各类宣传资料64300份。

An item that is 0 is left out; with a comparison, one that was not 0 last time is named at the
end (此外，报刊专栏今年为0（去年为8期）。), so a drop to nothing is never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any

from jc315cli.figures.change import Change, Periods, periods
from jc315cli.figures.item_pairs import ItemPair, match_items
from jc315cli.figures.read_back import ReportFigures, read_report, refuse_same_report
from jc315cli.model.campaign import Campaign
from jc315cli.model.form import Item
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import Number, exact, shown, visible


@dataclass(frozen=True)
class Figure:
    item: Item
    value: Number
    change: Change | None = None  # None without a report to compare with
    note: str = ""  # how the item was matched in the last report, when not plainly

    def words(self, periods: Periods | None) -> str:
        return "" if self.change is None or periods is None else self.change.words(periods)


@dataclass(frozen=True)
class StatsParagraph:
    report: ReportFigures
    last: ReportFigures | None
    periods: Periods | None
    figures: list[Figure]
    text: str

    def to_json(self) -> dict[str, Any]:
        def figure(f: Figure) -> dict[str, Any]:
            change = f.change
            percent = change.percent if change else None
            return {
                "id": f.item.id,
                "label": f.item.label,
                "measure": f.item.measure,
                "value": exact(f.value),
                "last": None if change is None or change.last is None else exact(change.last),
                "change": None if change is None or change.delta is None else exact(change.delta),
                "percent": None if percent is None else format(percent, "f"),
                "words": f.words(self.periods),
                "note": f.note,
            }

        return {
            "report": str(self.report.path),
            "kind": self.report.kind,
            "year": self.report.year,
            "reporter": self.report.reporter,
            "subject": self.report.subject,
            "compare": None if self.last is None else str(self.last.path),
            "last_year": None if self.last is None else self.last.year,
            "paragraph": self.text,
            "figures": [figure(f) for f in self.figures],
        }


def summarize_file(
    path: Path,
    campaign: Campaign,
    *,
    compare: Path | None = None,
    last_campaign: Campaign | None = None,
) -> StatsParagraph:
    """`jc315 summary`: the paragraph for the report in `path`, compared with `compare`."""
    if compare is not None:
        refuse_same_report(compare, path)
    report = read_report(path, campaign, option="--campaign")
    last = None
    if compare is not None:
        last = read_report(compare, last_campaign or campaign, option="--last-campaign")
    return stats_paragraph(report, last)


def stats_paragraph(report: ReportFigures, last: ReportFigures | None = None) -> StatsParagraph:
    """The paragraph for `report`, each figure compared with `last` when given (the same
    unit's, or the same organizer's, report of another year or version)."""
    words = None
    pairs: dict[str, ItemPair] = {}
    if last is not None:
        if last.reporter != report.reporter:
            raise Jc315Error(
                "different-reporters",
                this_file=visible(report.path.name),
                this_reporter=report.reporter,
                last_file=visible(last.path.name),
                last_reporter=last.reporter,
            )
        words = periods(last.year, report.year)
        form, before = report.campaign.form, last.campaign.form
        pairs = {p.this.id: p for p in match_items(before, form, words) if p.this is not None}
    figures = []
    for item in report.campaign.form.items:
        value = report.value(item)
        pair = pairs.get(item.id)
        if pair is None:
            figures.append(Figure(item, value))
            continue
        old = last.values.get(pair.last.id) if last is not None and pair.last else None
        change = Change(old, value, comparable=pair.comparable)
        figures.append(Figure(item, value, change, pair.note))
    subject = shown(report.subject)  # a unit's name may be the text of its 填报单位 cell
    return StatsParagraph(report, last, words, figures, _text(subject, figures, words))


def amount(value: Number, measure: str) -> str:
    """112场次, 82.0597万元: the exact figure as the report has it, then its measure."""
    number = format(value, "f") if isinstance(value, Decimal) else str(value)
    return f"{number}{measure}"


def _text(subject: str, figures: list[Figure], words: Periods | None) -> str:
    parts: list[tuple[str, bool]] = []  # (text, is a block of sub-items)
    for _serial, group in groupby(figures, key=lambda f: f.item.serial):
        block = list(group)
        first = block[0].item
        shown = [f for f in block if f.value != 0]
        if not shown:
            continue
        if len(block) == 1 and not (first.lead or first.tail):
            parts.append((_single(shown[0], words), False))
            continue
        lead = first.lead if first.lead is not None else f"{first.category}："
        items = "、".join(_sub(f, words) for f in shown)
        parts.append((f"{lead}{items}{first.tail or ''}", True))
    gone = [
        f for f in figures if f.value == 0 and f.change is not None and f.change.last
    ]  # 0 now, not 0 before: said at the end
    if not parts:
        text = f"{subject}各项统计数均为0。"
    else:
        text = f"{subject}共{parts[0][0]}"
        for (_, was_block), (part, is_block) in zip(parts, parts[1:], strict=False):
            text += ("；" if words is not None or was_block or is_block else "，") + part
        text += "。"
    if gone and words is not None:
        said = "，".join(
            f"{_name(f.item)}{words.this}为0（{words.last}为{amount(f.change.last, f.item.measure)}）"
            for f in gone
            if f.change is not None and f.change.last is not None
        )
        text += f"此外，{said}。"
    return text


def _name(item: Item) -> str:
    return item.phrase or item.name or item.category


def _single(figure: Figure, words: Periods | None) -> str:
    said = f"{_name(figure.item)}{amount(figure.value, figure.item.measure)}"
    change = figure.words(words)
    return f"{said}，{change}" if change else said


def _sub(figure: Figure, words: Periods | None) -> str:
    said = f"{_name(figure.item)}{amount(figure.value, figure.item.measure)}"
    change = figure.words(words)
    return f"{said}（{change}）" if change else said
