"""`jc315 confirm`: the city says why a doubtful value is right. Which value it is, is found
in the forms now in 收回/ (the reporter's current file), never typed: the confirmation is
recorded for exactly that number, so a different number sent later is doubtful again."""

from __future__ import annotations

from datetime import date

from jc315cli.collection.records import Confirmation, ConfirmedBy
from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.model.form import Item
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import BatchReport, FileReport, Problem, Tier
from jc315cli.read.matching import match_reporter


def reporter_of(campaign: Campaign, name: str) -> Reporter:
    found = match_reporter(campaign, name)
    if found is None and name.strip():  # the beginning of one reporter's name: 高平 for 高平市
        starting = [
            r for r in campaign.reporters if any(n.startswith(name.strip()) for n in r.names)
        ]
        found = starting[0] if len(starting) == 1 else None
    if found is None:
        known = "、".join(r.short_name for r in campaign.reporters)
        raise Jc315Error("unknown-reporter-name", name=name, known=known)
    return found


def item_of(campaign: Campaign, said: str, report: FileReport) -> Item:
    """The item meant by its 序号 (5, 6.1), its cell in the reporter's form (E9) or its label
    (or a part of it that names one item only)."""
    text = said.strip()
    items = campaign.form.items
    by_id = [i for i in items if i.id == text]
    by_cell = [i for i in items if report.cells.get(i.id, "").upper() == text.upper()]
    by_label = [i for i in items if text and text in i.label]
    for found in (by_id, by_cell, by_label):
        if len(found) == 1:
            return found[0]
    listed = "、".join(f"{i.id} {i.label}" for i in (by_label or items)[:12])
    raise Jc315Error("confirm-item-unknown", said=said, known=listed)


def current_file(report: BatchReport, reporter: Reporter) -> FileReport:
    """The reporter's file that counts, or waits only for confirmations."""
    for file in report.files:
        if file.reporter == reporter.name and file.superseded_by is None and file.usable:
            return file
    raise Jc315Error("confirm-no-file", reporter=reporter.short_name)


def doubts(file: FileReport, item: Item) -> list[Problem]:
    return [p for p in file.problems if p.tier is Tier.VERIFY and p.item == item.id]


def confirm(
    report: BatchReport,
    campaign: Campaign,
    reporter_name: str,
    item_said: str,
    reason: str,
    on: date,
) -> tuple[Confirmation, FileReport, Item]:
    """The confirmation to record: refused when the value has nothing to confirm."""
    reporter = reporter_of(campaign, reporter_name)
    file = current_file(report, reporter)
    item = item_of(campaign, item_said, file)
    if not doubts(file, item) or item.id not in file.values:
        raise Jc315Error(
            "confirm-nothing-doubtful",
            reporter=reporter.short_name,
            which=f"{item.id} {item.label}",
        )
    record = Confirmation(
        reporter=reporter.name,
        item=item.id,
        value=file.values[item.id],
        reason=reason.strip(),
        by=ConfirmedBy.city,
        confirmed_on=on,
        about=file.sha256,
    )
    return record, file, item
