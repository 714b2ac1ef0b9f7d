"""The ledger's confirmations applied to a checked collection: each `Confirmation` (a 核实性
value confirmed with a reason, by the county or by the office) becomes the plain data checking
takes (check/confirm.py), and the verdict is worked out again, so a value confirmed with
`jc315 confirm` counts in `validate`, `merge` and `feedback` alike.

Only the latest confirmation of one value is kept: the ledger gives them oldest first, and a
later one says it again with a newer reason or date.
"""

from __future__ import annotations

from collections.abc import Iterable

from jc315cli.check.confirm import Confirmations, confirmation, settle
from jc315cli.collection.records import Confirmation
from jc315cli.model.campaign import Campaign
from jc315cli.problems.report import BatchReport


def as_confirmations(records: Iterable[Confirmation]) -> Confirmations:
    """The ledger's confirmations, oldest first, as checking takes them; a later one of the
    same value replaces an earlier one."""
    return dict(
        confirmation(c.reporter, c.item, c.value, reason=c.reason, by=c.by.value, on=c.confirmed_on)
        for c in records
    )


def verify(report: BatchReport, campaign: Campaign, records: Iterable[Confirmation]) -> BatchReport:
    """`report` with the ledger's confirmations counting, summed up again."""
    return settle(report, campaign, as_confirmations(records))
