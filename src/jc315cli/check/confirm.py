"""Which 核实性 values count: a doubtful value counts once someone has said why it is right,
either the county in the 核实说明 beside it in its own form, or the collecting office in a
confirmation of that exact value (`jc315 confirm`, kept in the collection's ledger). The
confirmations come here as plain data, so checking never needs the ledger; the ledger's are
turned into this form in collection/verify.py.

A confirmation holds for one value of one item of one reporter: a different number sent later
finds none, and is doubtful again. A county's 说明 holds for the file it is written in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from jc315cli.check.one_file import FileCheck
from jc315cli.check.verdict import summarize
from jc315cli.model.campaign import Campaign
from jc315cli.problems.registry import problem
from jc315cli.problems.report import (
    NOTE_LIMIT,
    BatchReport,
    ConfirmedBy,
    FileReport,
    Number,
    Problem,
    Tier,
    Verified,
    show_raw,
    shown,
)
from jc315cli.problems.shown import invisible
from jc315cli.read.locate import FormLocation

# (reporter full name, item id, exact value) → why it is right. 36500 and Decimal("36500.0000")
# are one key: Python's numbers hash equal when they are equal.
Confirmations = Mapping[tuple[str, str, Number], Verified]


def confirmation(
    reporter: str, item: str, value: Number, *, reason: str, by: ConfirmedBy, on: date | None
) -> tuple[tuple[str, str, Number], Verified]:
    """One confirmation as plain data, its reason bounded and made visible as any text from
    outside is before it is shown."""
    said = Verified(reason=shown(reason.strip(), NOTE_LIMIT), by=by, on=on)
    return (reporter, item, value), said


def check_notes(location: FormLocation, check: FileCheck) -> None:
    """What the county wrote in the 核实说明 beside each value, kept for the value it explains
    (`apply_confirmations` decides what it confirms). A cell holding nothing a person can read
    (spaces, a zero-width space) says nothing; a long one is kept to its first NOTE_LIMIT
    characters, its invisible characters shown."""
    col, sheet = location.note_col, location.sheet
    if col is None:
        return
    for item_id, row in location.item_rows.items():
        text = show_raw(sheet.value(row, col))
        if text is not None and any(not ch.isspace() and not invisible(ch) for ch in text):
            check.report.notes[item_id] = shown(text.strip(), NOTE_LIMIT)


def apply_confirmations(
    reports: list[FileReport], campaign: Campaign, confirmations: Confirmations
) -> None:
    """Set each 核实性 problem's `verified` from the confirmations given and the county's 说明
    (the office's first: it is the later word), and note each 说明 written beside a value that
    needed none. Everything is worked out again from the files each time, so applying twice, or
    with another set of confirmations, leaves no trace of the first."""
    for report in reports:
        kept = [p for p in report.problems if p.code != "county-note"]
        asked = {p.item for p in kept if p.tier is Tier.VERIFY and p.item}
        report.problems = [_settled(report, p, confirmations) for p in kept]
        for item_id, note in report.notes.items():
            if item_id in asked or item_id not in report.cells:
                continue
            item = campaign.form.item(item_id)
            report.problems.append(
                problem(
                    "county-note",
                    cell=report.cells[item_id],  # the value the 说明 stands beside
                    sheet=report.sheet,
                    item=item.id,
                    label=item.label,
                    note=note,
                )
            )


def _settled(report: FileReport, p: Problem, confirmations: Confirmations) -> Problem:
    if p.tier is not Tier.VERIFY:
        return p
    verified = _why(report, p, confirmations)
    return p if verified == p.verified else p.model_copy(update={"verified": verified})


def _why(report: FileReport, p: Problem, confirmations: Confirmations) -> Verified | None:
    if p.item is None or report.reporter is None:
        return None
    value = report.values.get(p.item)
    if value is None:
        return None
    said = confirmations.get((report.reporter, p.item, value))
    if said is not None:
        return said
    note = report.notes.get(p.item)
    if note is None:
        return None
    return Verified(reason=note, by="county", on=report.filled_on)


def settle(report: BatchReport, campaign: Campaign, confirmations: Confirmations) -> BatchReport:
    """`report` with `confirmations` applied (in place of any applied before) and summed up
    again: how a caller holding confirmations of its own (the ledger's) has them count."""
    apply_confirmations(report.files, campaign, confirmations)
    summary = summarize(report.files, campaign, report.summary.not_read)
    return report.model_copy(update={"summary": summary})
