"""The one verdict on a collection, which `validate`, `merge` and `feedback` all print and
decide by: who reported, whose numbers count, whose files are rejected for errors, and whose
wait for a doubtful value to be confirmed (待核实). Computed from the files' problems each
time, never stored."""

from __future__ import annotations

from jc315cli.model.campaign import Campaign
from jc315cli.problems.registry import kind
from jc315cli.problems.report import FileReport, NotRead, Problem, Rejection, Summary, Tier, Whom


def summarize(reports: list[FileReport], campaign: Campaign, not_read: list[NotRead]) -> Summary:
    names = [r.name for r in campaign.reporters]
    reported = {r.reporter for r in reports if r.reporter}
    included = {r.reporter for r in reports if r.reporter and r.counts}
    rejected = [
        Rejection(reporter=r.reporter, path=r.path, reason=reason_of(r))
        for r in reports
        if not r.usable and not r.superseded_by
    ]
    unverified = [
        Rejection(reporter=r.reporter, path=r.path, reason=_pending_reason(r))
        for r in reports
        if r.current and r.status == "pending"
    ]
    asked = {x.reporter for x in [*rejected, *unverified]}
    refused = any(kind(p.code).refuses_merge for r in reports for p in r.errors)
    # one value may be doubtful twice (above the bound and far from the others): counted once
    doubtful = {
        (r.path, p.item): p.verified is not None
        for r in reports
        if r.current
        for p in r.problems
        if p.tier is Tier.VERIFY
    }
    return Summary(
        files=len(reports),
        valid=sum(r.status == "valid" for r in reports),
        invalid=sum(r.status == "invalid" for r in reports),
        unreadable=sum(r.status == "unreadable" for r in reports),
        pending=sum(r.status == "pending" for r in reports),
        reporters=len(names),
        reported=[n for n in names if n in reported],
        included=[n for n in names if n in included],
        missing=[n for n in names if n not in reported],
        rejected=rejected,
        unverified=unverified,
        superseded=[r.path for r in reports if r.superseded_by],
        late=sorted({r.reporter for r in reports if r.late and r.reporter and r.counts}),
        not_read=not_read,
        doubtful=len(doubtful),
        verified=sum(doubtful.values()),
        ok=bool(included) and not rejected and not unverified and not refused,
        to_contact={
            r.name: Whom(short_name=r.short_name, contact=r.contact, phone=r.phone, email=r.email)
            for r in campaign.reporters
            if r.name not in reported or r.name in asked
        },
    )


TIE_REASON = "数值不同、填报日期相同，待确认以哪份为准"


def reason_of(report: FileReport) -> str:
    """Why a file is not counted: its first error, and how many there are. Tied files are named
    by the verdict, their figures in the problem above: the reason stays as short as any."""
    if report.errors and report.errors[0].code == "duplicate-tie":
        return TIE_REASON
    return _first(report.errors) or "未通过校验"


def _pending_reason(report: FileReport) -> str:
    """The first value still to be confirmed, and how many values wait (not how many checks)."""
    first_of_each = {p.item: p for p in reversed(report.problems) if p.pending}
    return _first(sorted(first_of_each.values(), key=report.problems.index))


def _first(problems: list[Problem]) -> str:
    """The first problem's cell and message, and how many there are: `E9 “约20”是约数等 3 处`."""
    if not problems:
        return ""
    first = problems[0]
    where = f"{first.cell} " if first.cell else ""
    more = f"等 {len(problems)} 处" if len(problems) > 1 else ""
    return f"{where}{first.message}{more}"
