"""Checks across the files of one collection: duplicates and resubmissions, one reporting body
counted twice, values far from the others, and who has not reported."""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from jc315cli.campaign import Campaign
from jc315cli.problems import problem
from jc315cli.report import BatchReport, FileReport, Summary


def check_batch(reports: list[FileReport], campaign: Campaign) -> BatchReport:
    """Add the cross-file problems to `reports` (in this order, because each step reads the
    statuses the previous one may have changed) and sum up."""
    check_duplicates(reports)
    check_double_counting(reports)
    check_outliers(reports, campaign)
    return BatchReport(files=reports, summary=summarize(reports, campaign))


def summarize(reports: list[FileReport], campaign: Campaign) -> Summary:
    reported = {r.reporter for r in reports if r.reporter and r.status != "unreadable"}
    return Summary(
        files=len(reports),
        valid=sum(r.status == "valid" for r in reports),
        invalid=sum(r.status == "invalid" for r in reports),
        unreadable=sum(r.status == "unreadable" for r in reports),
        missing=[r.name for r in campaign.reporters if r.name not in reported],
        superseded=[r.path for r in reports if r.superseded_by],
        late=sorted({r.reporter for r in reports if r.late and r.reporter and not r.superseded_by}),
    )


def _name(report: FileReport) -> str:
    return Path(report.path).name


def check_duplicates(reports: list[FileReport]) -> None:
    """Two files for one reporter: identical → keep one; different → the later 填报日期 wins;
    a tie cannot be decided and is an error on each."""
    by_reporter: dict[str, list[FileReport]] = defaultdict(list)
    for report in reports:
        if report.reporter and report.status != "unreadable":
            by_reporter[report.reporter].append(report)
    for reporter, group in by_reporter.items():
        if len(group) < 2:
            continue
        files = "、".join(_name(r) for r in group)
        if len({tuple(sorted(r.values.items())) for r in group}) == 1:
            keep = group[0]
            for other in group[1:]:
                other.superseded_by = keep.path
                other.problems.append(
                    problem("duplicate-identical", reporter=reporter, files=files, kept=_name(keep))
                )
            continue
        latest = max((r.filled_on for r in group if r.filled_on is not None), default=None)
        winners = [r for r in group if r.filled_on == latest] if latest else []
        if len(winners) != 1:
            for report in group:
                report.problems.append(problem("duplicate-tie", reporter=reporter, files=files))
            continue
        winner = winners[0]
        for report in group:
            if report is winner:
                continue
            report.superseded_by = winner.path
            report.problems.append(
                problem("superseded", winner=_name(winner), day=winner.filled_on)
            )
            winner.problems.append(
                problem(
                    "supersedes",
                    reporter=reporter,
                    loser=_name(report),
                    day=report.filled_on or "无日期",
                )
            )


def check_double_counting(reports: list[FileReport]) -> None:
    """Two inputs of different reporters that contain the same reporting body (a county's form
    and a city total that already includes it) would count it twice."""
    active = [r for r in reports if r.covers and not r.superseded_by and r.status != "unreadable"]
    for i, first in enumerate(active):
        for second in active[i + 1 :]:
            if first.reporter is not None and first.reporter == second.reporter:
                continue
            overlap = sorted(set(first.covers) & set(second.covers))
            if overlap:
                found = problem(
                    "double-count",
                    reporters="、".join(overlap),
                    first=_name(first),
                    second=_name(second),
                )
                first.problems.append(found)
                second.problems.append(found)


def check_outliers(reports: list[FileReport], campaign: Campaign) -> None:
    """A value more than `outlier_factor` times the median of the other reporters' values."""
    active = [r for r in reports if r.reporter and r.counts]
    factor = campaign.form.outlier_factor
    for item in campaign.form.items:
        for report in active:
            value = report.values.get(item.id)
            others = [
                Decimal(o.values[item.id])
                for o in active
                if o is not report and item.id in o.values
            ]
            if value is None or len(others) < 2:
                continue
            median = statistics.median(others)
            if median > 0 and Decimal(value) > factor * median:
                report.problems.append(
                    problem(
                        "outlier",
                        item=item.id,
                        label=item.label,
                        value=value,
                        number=value,
                        measure=item.measure,
                        median=median,
                        factor=factor,
                    )
                )
