"""Checks across the files of one collection, then the one verdict on it (verdict.py).

Resubmissions (a valid file beats an invalid one, then the later 填报日期), one reporting body
counted twice, values far from the others or above the form's bound, and the summary that
`validate` and `merge` both print and both decide by. Everything here is linear or n·log n in
the number of files: a province merges thousands.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jc315cli.check.against import LastYear, check_copies, check_last_year
from jc315cli.check.confirm import Confirmations, apply_confirmations
from jc315cli.check.material_content import check_contents
from jc315cli.check.materials import checklist
from jc315cli.check.verdict import reason_of
from jc315cli.check.verdict import summarize as summarize  # it lived here; still found here
from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.problems.registry import problem
from jc315cli.problems.report import BatchReport, FileReport, show_raw
from jc315cli.read.inputs import Inputs


def check_batch(
    reports: list[FileReport],
    campaign: Campaign,
    inputs: Inputs | None = None,
    *,
    last_year: LastYear | None = None,
    confirmations: Confirmations | None = None,
) -> BatchReport:
    """Add the cross-file problems to `reports` (in this order, because each step reads the
    statuses the previous one may have changed), settle which doubtful values are confirmed
    (by the county's 核实说明 or by `confirmations`), sum up, list the materials that came and
    say what they say (against the tables, and the photos against last year's collection
    folder, when there is one)."""
    found = inputs or Inputs()
    check_folders(reports, found.folder_of)
    check_resubmissions(reports)
    check_double_counting(reports)
    check_outliers(reports, campaign)
    check_copies(reports, campaign)
    if last_year is not None:
        check_last_year(reports, campaign, last_year)
    apply_confirmations(reports, campaign, confirmations or {})
    materials, notes, not_read = checklist(reports, found, campaign)
    folder = last_year.folder if last_year is not None else None
    said, contents = check_contents(materials, reports, campaign, folder)
    return BatchReport(
        files=reports,
        summary=summarize(reports, campaign, [*found.not_read, *not_read]),
        materials=materials,
        material_notes=[*notes, *said],
        contents=contents,
    )


def _name(report: FileReport) -> str:
    return Path(report.path).name


def check_folders(reports: list[FileReport], folder_of: dict[str, Reporter]) -> None:
    """Forms from a reporter's folder (泽州县/): one whose own 填报单位 is another reporter is
    in the wrong place; a reporter with forms both in its folder and elsewhere has two places
    to take its numbers from. Either is an error naming both, never a choice made here, so a
    number is counted once or not at all."""
    inside: dict[str, list[FileReport]] = defaultdict(list)
    outside: dict[str, list[FileReport]] = defaultdict(list)
    for report in reports:
        owner = folder_of.get(report.path)
        if owner is not None and report.reporter not in (None, owner.name):
            report.problems.append(
                problem(
                    "folder-mismatch",
                    folder_reporter=owner.short_name,
                    folder=Path(report.path).parent.name,
                    reporter=report.reporter,
                )
            )
        elif report.reporter:
            (inside if owner is not None else outside)[report.reporter].append(report)
    for reporter, held in inside.items():
        if reporter not in outside:
            continue
        here, there = held[0], outside[reporter][0]
        for report in [*held, *outside[reporter]]:
            report.problems.append(
                problem(
                    "form-in-two-places",
                    reporter=reporter,
                    place=_place(here),
                    other_place=_place(there),
                )
            )


def _place(report: FileReport) -> str:
    path = Path(report.path)
    folder = path.parent.name or path.resolve().parent.name  # “.” given: the folder's own name
    return f"“{folder}/{path.name}”"


def check_resubmissions(reports: list[FileReport]) -> None:
    """Several files for one reporter, as when a corrected copy is sent the same day:
    - nothing valid among them: each stays rejected with its own reasons;
    - identical valid copies count once;
    - a valid file replaces every invalid or unreadable one;
    - among different valid files the later 填报日期 wins; on a tie each is an error that
      names the differing cells, and the clerk is told how to set the old one aside."""
    by_reporter: dict[str, list[FileReport]] = defaultdict(list)
    for report in reports:
        if report.reporter:
            by_reporter[report.reporter].append(report)
    for reporter, group in by_reporter.items():
        valid = [r for r in group if r.usable]
        if len(group) < 2 or not valid:
            continue
        files = "、".join(_name(r) for r in group)
        kept: list[FileReport] = []
        # Of identical copies the earliest dated is kept: sending the same again later does not
        # make a unit late. The same numbers with a 核实说明 added are an answer, not a copy.
        for report in sorted(valid, key=lambda r: r.filled_on or date.max):
            twin = next(
                (k for k in kept if (k.values, k.notes) == (report.values, report.notes)), None
            )
            if twin is None:
                kept.append(report)
            else:
                _replace(
                    report,
                    twin,
                    "duplicate-identical",
                    reporter=reporter,
                    files=files,
                    kept=_name(twin),
                )
        latest = max((r.filled_on for r in kept if r.filled_on is not None), default=None)
        winners = [r for r in kept if r.filled_on == latest] if len(kept) > 1 else kept
        if len(kept) > 1 and any(r.filled_on is None for r in kept):
            winners = kept  # an undated file could be the newest: which is final cannot be told
        winner = winners[0]
        for loser in kept:
            if loser not in winners:
                why = f"{_name(winner)} 的填报日期 {winner.filled_on} 更晚"
                _replace(loser, winner, "superseded", winner=_name(winner), why=why)
        for loser in group:
            if not loser.usable and not loser.superseded_by:
                why = f"本文件未通过校验：{reason_of(loser)}"
                _replace(loser, winner, "superseded", winner=_name(winner), why=why)
        if len(winners) > 1:
            found = problem("duplicate-tie", reporter=reporter, diffs=tie_figures(winners))
            for report in winners:
                report.problems.append(found)


def _replace(loser: FileReport, by: FileReport, code: str, **fields: Any) -> None:
    """`loser` no longer counts: `by` replaces it (and says so, unless they are identical)."""
    loser.superseded_by = by.path
    loser.problems.append(problem(code, **fields))
    if code == "superseded":
        day = loser.filled_on or "无日期"
        by.problems.append(problem("supersedes", reporter=by.reporter, loser=_name(loser), day=day))


TIE_CELLS = 6  # differing cells named per tied file; the rest counted


def tie_figures(tied: list[FileReport]) -> str:
    """Each tied file by name with its own figures where they differ:
    `“甲.xlsx” E8 395；“乙.xlsx” E8 400`, so the one to keep can be told at a glance."""
    ids = list(dict.fromkeys(i for r in tied for i in r.values))
    differ = [i for i in ids if len({str(r.values.get(i)) for r in tied}) > 1]

    def figures(report: FileReport) -> str:
        shown = [
            f"{report.cells.get(i, i)} {show_raw(report.values.get(i)) or '空'}"
            for i in differ[:TIE_CELLS]
        ]
        more = f"等 {len(differ)} 处" if len(differ) > TIE_CELLS else ""
        return f"“{_name(report)}” {'、'.join(shown)}{more}"

    return "；".join(figures(r) for r in tied)


def check_double_counting(reports: list[FileReport]) -> None:
    """Two inputs of different reporters that contain the same reporting body (a county's form
    and a city total that already includes it) would count it twice."""
    active = [r for r in reports if r.covers and not r.superseded_by and r.status != "unreadable"]
    holders: dict[str, list[int]] = defaultdict(list)
    for index, report in enumerate(active):
        for name in set(report.covers):
            holders[name].append(index)
    pairs = sorted({(a, b) for held in holders.values() for a in held for b in held if a < b})
    for a, b in pairs:
        first, second = active[a], active[b]
        if first.reporter is not None and first.reporter == second.reporter:
            continue
        overlap = sorted(set(first.covers) & set(second.covers))
        found = problem(
            "double-count", reporters="、".join(overlap), first=_name(first), second=_name(second)
        )
        first.problems.append(found)
        second.problems.append(found)


def check_outliers(reports: list[FileReport], campaign: Campaign) -> None:
    """A value more than `outlier_factor` times the median of the other reporters' values, and
    a unit's own value above the item's bound (`max` in the campaign; not for consolidated
    reports, whose totals are bounded one level down). Medians come from one sorted list per
    item, not from a list rebuilt for each reporter; a value no larger than the least that
    could be either (`_least_doubtful`) is passed at a glance, as nearly every value is."""
    active = [r for r in reports if r.reporter and r.current]
    factor = campaign.form.outlier_factor
    for item in campaign.form.items:
        ordered = sorted(Decimal(r.values[item.id]) for r in active if item.id in r.values)
        median_without = _MedianWithout(ordered) if len(ordered) >= 3 else None
        least = _least_doubtful(item.max, median_without, factor)
        for report in active:
            value = report.values.get(item.id)
            if value is None or least is None or value <= least:
                continue
            number = Decimal(value)
            above = item.max is not None and number > item.max and not report.consolidated
            median = Decimal(0) if median_without is None else median_without(number)
            outlier = median > 0 and number > factor * median
            if not (above or outlier):  # (the usual value: no problem to word)
                continue
            at: dict[str, Any] = {"cell": report.cells.get(item.id), "sheet": report.sheet}
            said: dict[str, Any] = {
                "item": item.id,
                "label": item.label,
                "value": value,
                "number": value,
                "measure": item.measure,
            }
            if above:
                report.problems.append(problem("above-bound", **at, **said, bound=item.max))
            if outlier:
                found = problem("outlier", **at, **said, median=median, factor=factor)
                report.problems.append(found)


def _least_doubtful(
    bound: Decimal | None, median_without: _MedianWithout | None, factor: int
) -> Decimal | None:
    """A value no larger than this is neither above `bound` nor an outlier, whichever median
    is its own: the least of the bound and `factor` times each positive median. None: no
    value can be either (no bound, no positive median)."""
    medians = () if median_without is None else median_without.medians
    limits = [factor * median for median in medians if median > 0]
    return min([*limits, *([] if bound is None else [bound])], default=None)


class _MedianWithout:
    """The median of `ordered` (three values or more) with one occurrence of a value of it
    taken out. It is one of three numbers, by where that occurrence stands against the middle
    (before it, at it, after it), so they are worked out once for all of a thousand values."""

    def __init__(self, ordered: list[Decimal]) -> None:
        size = len(ordered) - 1  # what is left
        middle = size // 2
        self.ordered, self.middle = ordered, middle
        if size % 2:
            self.before = self.at = ordered[middle + 1]
            self.after = ordered[middle]
        else:
            self.before = (ordered[middle] + ordered[middle + 1]) / 2
            self.at = (ordered[middle - 1] + ordered[middle + 1]) / 2
            self.after = (ordered[middle - 1] + ordered[middle]) / 2
        self.medians = (self.before, self.at, self.after)

    def __call__(self, value: Decimal) -> Decimal:
        skip = bisect_left(self.ordered, value)  # the occurrence taken out
        if skip < self.middle:
            return self.before
        return self.at if skip == self.middle else self.after
