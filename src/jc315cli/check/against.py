"""A reporter's numbers held against numbers it should differ from, or not by much: its own of
last year (a large swing, or every value exactly last year's: last year's form sent again) and
the other reporters' of this year (every value exactly another's: its form filled with their
numbers). Each is 核实性: it may be right, and then the county says why.

Last year's figures come as plain data (`LastYear`), read from last year's merged report by
figures/last_year.py: checking never reads a finished report itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from jc315cli.model.campaign import Campaign
from jc315cli.model.form import Item
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport, Number

# A form says it is a copy only with at least this many different numbers in it: two small
# counties that both did nothing (all 0), or a form of 1s, agree by chance.
MIN_DISTINCT = 3


def _telling(values: list[Number]) -> bool:
    return len(set(values)) >= MIN_DISTINCT


@dataclass(frozen=True)
class LastYear:
    """Each reporter's figures of last year, by this campaign's names: reporter full name →
    this year's item id → value. Only reporters whose numbers last year's report holds."""

    year: int
    values: dict[str, dict[str, Number]]
    folder: Path | None = None  # last year's collection folder, where its photos are


def check_last_year(reports: list[FileReport], campaign: Campaign, last: LastYear) -> None:
    """Each current form against its own reporter's of last year: every value the same is one
    problem (on the first item, where the county can answer it); else each value that moved
    beyond the item's bounds (`Swing`) is one, with both numbers."""
    form = campaign.form
    for report in reports:
        before = last.values.get(report.reporter or "")
        if not report.current or not before:
            continue
        common = [item for item in form.items if item.id in report.values and item.id in before]
        same = all(report.values[i.id] == before[i.id] for i in common)
        if same and _telling([report.values[i.id] for i in common]):
            copied = problem("same-as-last-year", **_at(report, common[0]), year=last.year)
            report.problems.append(copied)
            continue
        for item in common:
            _swing(report, item, Decimal(before[item.id]), campaign)


def _swing(report: FileReport, item: Item, was: Decimal, campaign: Campaign) -> None:
    bounds = campaign.form.swing_of(item)
    now = Decimal(report.values[item.id])
    far = abs(now - was) >= bounds.at_least
    if not far or not (now > was * bounds.factor or now * bounds.factor < was):
        return
    limits = (
        f"多于上年的 {_plain(bounds.factor)} 倍或少于上年的 1/{_plain(bounds.factor)}，"
        f"且相差至少 {_plain(bounds.at_least)} {item.measure}"
    )
    report.problems.append(
        problem(
            "year-swing",
            **_at(report, item),
            value=report.values[item.id],
            number=report.values[item.id],
            was=was,
            measure=item.measure,
            change=_change(was, now),
            limits=limits,
        )
    )


def _change(was: Decimal, now: Decimal) -> str:
    """增长 1150%, 下降 99%, or 由 0 增加: the change in words, to one place below 10 %."""
    if was == 0:
        return "由 0 增加"
    percent = abs(now - was) / was * 100
    places = Decimal(1) if percent >= 10 else Decimal("0.1")
    shown = _plain(percent.quantize(places, rounding=ROUND_HALF_UP))
    return f"{'增长' if now > was else '下降'} {shown}%"


def _plain(number: Decimal) -> str:
    """3, 0.5, 100: a bound or a percentage as a person writes it (no 1E+2, no 3.0)."""
    return format(number.normalize(), "f")


def check_copies(reports: list[FileReport], campaign: Campaign) -> None:
    """Current forms of different reporters whose values are all the same: each names the
    others. Forms are grouped by their values, so a thousand forms cost one pass."""
    groups: dict[tuple[tuple[str, Number], ...], list[FileReport]] = defaultdict(list)
    for report in reports:
        if report.current and report.reporter and _telling(list(report.values.values())):
            groups[tuple(sorted(report.values.items()))].append(report)
    for group in groups.values():
        if len({r.reporter for r in group}) < 2:
            continue
        for report in group:
            others = sorted({r.reporter or "" for r in group} - {report.reporter or ""})
            first = next(i for i in campaign.form.items if i.id in report.values)
            report.problems.append(
                problem("same-as-other", **_at(report, first), others="、".join(others))
            )


def _at(report: FileReport, item: Item) -> dict[str, Any]:
    """Where a problem about `item`'s value sits: its cell, sheet, id and label. A whole
    form's likeness sits on its first item: a county answers it there, in the 核实说明."""
    return {
        "cell": report.cells.get(item.id),
        "sheet": report.sheet,
        "item": item.id,
        "label": item.label,
    }
