"""Which deadline a file is judged by. A first submission answers the campaign's deadline; a
correction answers the deadline of the reply that asked for it (feedback --deadline), which
only the ledger remembers. A correction made by that date is 按期改正, not 逾期."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from jc315cli.collection.records import ReplyKind, SentReply
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport


def asking_reply(report: FileReport, replies: Iterable[SentReply]) -> SentReply | None:
    """The 退回 reply this file answers by its deadline: sent to its reporter about another
    file, on or before this file's 填报日期, with this date by its deadline."""
    day = report.filled_on
    if day is None or report.reporter is None:
        return None
    for reply in replies:
        if (
            reply.kind is ReplyKind.correct
            and reply.reporter == report.reporter
            and reply.about != report.sha256
            and reply.sent_on <= day <= reply.deadline
        ):
            return reply
    return None


def excuse_corrections(
    reports: list[FileReport], replies: Iterable[SentReply], deadline: date
) -> None:
    """Turn 逾期 into 按期改正 for each correction made by the deadline it was given."""
    by_reporter: dict[str, list[SentReply]] = defaultdict(list)
    for reply in replies:
        by_reporter[reply.reporter].append(reply)
    for report in reports:
        if not report.late or report.reporter not in by_reporter:
            continue
        asked = asking_reply(report, by_reporter[report.reporter])
        if asked is None:
            continue
        for index, found in enumerate(report.problems):
            if found.code == "late":
                report.problems[index] = problem(
                    "corrected-on-time",
                    cell=found.cell,
                    value=found.value,
                    day=report.filled_on.isoformat() if report.filled_on else "",
                    deadline=deadline.isoformat(),
                    sent_on=asked.sent_on.isoformat(),
                    asked_by=asked.deadline.isoformat(),
                )
