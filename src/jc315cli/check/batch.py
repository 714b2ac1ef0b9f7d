"""Checks across the files of one collection, and the one verdict on it.

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

from jc315cli.check.materials import checklist
from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.problems.registry import kind, problem
from jc315cli.problems.report import (
    BatchReport,
    FileReport,
    NotRead,
    Rejection,
    Summary,
    Whom,
    show_raw,
)
from jc315cli.read.inputs import Inputs


def check_batch(
    reports: list[FileReport], campaign: Campaign, inputs: Inputs | None = None
) -> BatchReport:
    """Add the cross-file problems to `reports` (in this order, because each step reads the
    statuses the previous one may have changed), sum up, and list the materials that came."""
    found = inputs or Inputs()
    check_folders(reports, found.folder_of)
    check_resubmissions(reports)
    check_double_counting(reports)
    check_outliers(reports, campaign)
    materials, notes, not_read = checklist(reports, found, campaign)
    return BatchReport(
        files=reports,
        summary=summarize(reports, campaign, [*found.not_read, *not_read]),
        materials=materials,
        material_notes=notes,
    )


def summarize(reports: list[FileReport], campaign: Campaign, not_read: list[NotRead]) -> Summary:
    names = [r.name for r in campaign.reporters]
    reported = {r.reporter for r in reports if r.reporter}
    included = {r.reporter for r in reports if r.reporter and r.counts}
    rejected = [
        Rejection(reporter=r.reporter, path=r.path, reason=_reason(r))
        for r in reports
        if not r.counts and not r.superseded_by
    ]
    refused = any(kind(p.code).refuses_merge for r in reports for p in r.errors)
    doubtful = sum(kind(p.code).doubtful for r in reports if r.counts for p in r.problems)
    return Summary(
        files=len(reports),
        valid=sum(r.status == "valid" for r in reports),
        invalid=sum(r.status == "invalid" for r in reports),
        unreadable=sum(r.status == "unreadable" for r in reports),
        reporters=len(names),
        reported=[n for n in names if n in reported],
        included=[n for n in names if n in included],
        missing=[n for n in names if n not in reported],
        rejected=rejected,
        superseded=[r.path for r in reports if r.superseded_by],
        late=sorted({r.reporter for r in reports if r.late and r.reporter and r.counts}),
        not_read=not_read,
        doubtful=doubtful,
        ok=bool(included) and not rejected and not refused,
        to_contact={
            r.name: Whom(short_name=r.short_name, contact=r.contact, phone=r.phone, email=r.email)
            for r in campaign.reporters
            if r.name not in reported or any(x.reporter == r.name for x in rejected)
        },
    )


def _reason(report: FileReport) -> str:
    errors = report.errors
    if not errors:
        return "未通过校验"
    first = errors[0]
    where = f"{first.cell} " if first.cell else ""
    more = f"等 {len(errors)} 处" if len(errors) > 1 else ""
    return f"{where}{first.message}{more}"


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
        valid = [r for r in group if r.status == "valid"]
        if len(group) < 2 or not valid:
            continue
        files = "、".join(_name(r) for r in group)
        kept: list[FileReport] = []
        # Of identical copies the earliest dated is kept: sending the same again later does not
        # make a unit late.
        for report in sorted(valid, key=lambda r: r.filled_on or date.max):
            twin = next((k for k in kept if k.values == report.values), None)
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
            if loser.status != "valid" and not loser.superseded_by:
                why = f"本文件未通过校验：{_reason(loser)}"
                _replace(loser, winner, "superseded", winner=_name(winner), why=why)
        if len(winners) > 1:
            for report in winners:
                others = [_differences(report, other) for other in winners if other is not report]
                report.problems.append(
                    problem(
                        "duplicate-tie", reporter=reporter, files=files, diffs="；".join(others)
                    )
                )


def _replace(loser: FileReport, by: FileReport, code: str, **fields: Any) -> None:
    """`loser` no longer counts: `by` replaces it (and says so, unless they are identical)."""
    loser.superseded_by = by.path
    loser.problems.append(problem(code, **fields))
    if code == "superseded":
        day = loser.filled_on or "无日期"
        by.problems.append(problem("supersedes", reporter=by.reporter, loser=_name(loser), day=day))


def _differences(report: FileReport, other: FileReport) -> str:
    """`E9：12 → 15` for each item whose value differs, this file first."""
    changed = [
        f"{report.cells.get(item_id, item_id)}：{show_raw(report.values.get(item_id))} → "
        f"{show_raw(other.values.get(item_id))}"
        for item_id in dict.fromkeys([*report.values, *other.values])
        if report.values.get(item_id) != other.values.get(item_id)
    ]
    return f"与 {_name(other)} 相比 " + "，".join(changed)


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
    item, not from a list rebuilt for each reporter."""
    active = [r for r in reports if r.reporter and r.counts]
    factor = campaign.form.outlier_factor
    for item in campaign.form.items:
        ordered = sorted(Decimal(r.values[item.id]) for r in active if item.id in r.values)
        for report in active:
            value = report.values.get(item.id)
            if value is None:
                continue
            number = Decimal(value)
            above = item.max is not None and number > item.max and not report.consolidated
            median = _median_without(ordered, number) if len(ordered) >= 3 else Decimal(0)
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


def _median_without(ordered: list[Decimal], value: Decimal) -> Decimal:
    """The median of `ordered` with one occurrence of `value` taken out."""
    skip = bisect_left(ordered, value)
    size = len(ordered) - 1

    def at(k: int) -> Decimal:
        return ordered[k if k < skip else k + 1]

    middle = size // 2
    return at(middle) if size % 2 else (at(middle - 1) + at(middle)) / 2
