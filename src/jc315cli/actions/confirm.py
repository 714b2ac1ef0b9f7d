"""Confirming a doubtful value: the form of the reporter now in 收回/ read again, the value
found, the confirmation recorded in the ledger, and the folder read once more so that the
board already counts it. For `jc315 confirm` and the page's 核实 button alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jc315cli.check.validate import Progress
    from jc315cli.collection.records import Confirmation
    from jc315cli.collection.session import Session
    from jc315cli.model.form import Item
    from jc315cli.problems.report import BatchReport


@dataclass(frozen=True)
class Confirmed:
    record: Confirmation
    item: Item
    report: BatchReport  # 收回/ read again with the confirmation counted


def check_reason(reason: str) -> str | None:
    """Why a reason cannot be recorded, in the clerk's words; None when it can."""
    from jc315cli.problems.report import NOTE_LIMIT

    if not reason.strip():
        return "请写明核实的结果和理由"
    if len(reason.strip()) > NOTE_LIMIT:
        return f"理由请在 {NOTE_LIMIT} 字以内"
    return None


def confirm_value(
    session: Session,
    reporter: str,
    item: str,
    reason: str,
    on: date,
    progress: Progress | None = None,
) -> Confirmed:
    """Raises Jc315Error when the value has nothing to confirm or cannot be recorded."""
    from jc315cli.check.validate import validate_paths
    from jc315cli.collection.confirm import confirm
    from jc315cli.problems.errors import Jc315Error

    choice = session.choice
    returned = choice.folder("returned")
    if returned is None:
        raise Jc315Error("not-a-collection")
    if session.ledger is None or not session.ledger.writable:
        raise Jc315Error("confirm-not-recorded")
    report = validate_paths(
        [returned],
        choice.campaign,
        progress=progress,
        adjust=session.adjust,
        confirmations=session.confirmations(),
    )
    record, _, found = confirm(report, choice.campaign, reporter, item, reason, on)
    if not session.ledger.record_confirmations([record]):
        raise Jc315Error("confirm-not-recorded")
    again = validate_paths(
        [returned],
        choice.campaign,
        adjust=session.adjust,
        confirmations=session.confirmations(),
    )
    session.record_batch(again)
    return Confirmed(record, found, again)
