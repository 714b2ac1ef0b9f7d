"""Replies for a collection: validate the folder as `validate` does, decide the replies, and
write them all or none. Works without Typer, for `jc315 feedback` and the page alike."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jc315cli.check.against import LastYear
    from jc315cli.check.confirm import Confirmations
    from jc315cli.check.reply_plan import Reply
    from jc315cli.check.validate import Progress
    from jc315cli.collection.records import SentReply
    from jc315cli.collection.session import Session
    from jc315cli.model.campaign import Campaign
    from jc315cli.problems.report import BatchReport


def feedback_paths(
    paths: list[Path],
    campaign: Campaign,
    out_dir: Path,
    *,
    today: date,
    deadline: date,
    force: bool = False,
    progress: Progress | None = None,
    session: Session | None = None,
    last_year: LastYear | None = None,
    confirmations: Confirmations | None = None,
) -> tuple[BatchReport, list[Reply], list[Path]]:
    """Validate the folder as `validate` does, and write every reply (all or none). Where
    the replies go is checked before anything is read, and each reply's own name again once
    the replies are known, against every form read (a link named like a reply may lead to
    one)."""
    from jc315cli.check.reply_plan import plan_replies
    from jc315cli.check.validate import validate_paths
    from jc315cli.write.files import (
        ensure_writable,
        refuse_output_onto_inputs,
        require_folder,
        write_all,
    )
    from jc315cli.write.replies import reply_files

    require_folder(out_dir)
    refuse_output_onto_inputs([out_dir], paths)
    adjust = session.adjust if session is not None else None
    if session is not None and confirmations is None:
        confirmations = session.confirmations()
    report = validate_paths(
        paths,
        campaign,
        progress=progress,
        adjust=adjust,
        last_year=last_year,
        confirmations=confirmations,
    )
    replies = plan_replies(report, campaign)
    files = reply_files(replies, campaign, out_dir, today=today, deadline=deadline)
    targets = [path for path, _ in files]
    refuse_output_onto_inputs(targets, [*paths, *(Path(f.path) for f in report.files)])
    ensure_writable(targets, force, option="--output/-o")
    write_all(files, force=force)
    if session is not None:
        session.record_batch(report)
        session.record_replies(sent_replies(replies, today=today, deadline=deadline))
    return report, replies, targets


def sent_replies(replies: list[Reply], *, today: date, deadline: date) -> list[SentReply]:
    """The replies as the ledger keeps them: whom, what was asked, by when, about which file."""
    from jc315cli.collection.records import ReplyKind, SentReply

    kinds = {"退回": ReplyKind.correct, "催报": ReplyKind.remind}
    return [
        SentReply(
            reporter=reply.reporter.name,
            kind=kinds.get(reply.kind, ReplyKind.correct),
            sent_on=today,
            deadline=deadline,
            cells=tuple(dict.fromkeys(mark.cell for mark in reply.marks)),
            about=reply.source.sha256 if reply.source is not None else None,
        )
        for reply in replies
    ]
