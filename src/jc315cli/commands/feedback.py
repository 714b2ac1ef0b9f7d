"""`jc315 feedback`: validate the folder as `validate` does, decide the replies, and write them
all or none."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jc315cli.commands.options import (
    CampaignOption,
    ForceOption,
    LastYearOption,
    PathsArgument,
    parse_date,
)
from jc315cli.commands.run import (
    ERR,
    OUT,
    choose_campaign,
    inputs_or_returned,
    next_step,
    output_or_default,
    say_notices,
    state_of,
)

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


def feedback_command(
    ctx: typer.Context,
    paths: PathsArgument = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            "--out",
            help="退回和催报文件的输出文件夹（不存在则新建）；在收集文件夹中可不给，即写入“退回”文件夹",
            file_okay=False,
            metavar="文件夹",
        ),
    ] = None,
    campaign_file: CampaignOption = None,
    today: Annotated[
        str | None,
        typer.Option("--date", help="落款日期，如 2023-03-23；不给则为今天", metavar="日期"),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline",
            help="要求重新报送的日期，如 2023-03-25；不给则为落款日期后 3 天",
            metavar="日期",
        ),
    ] = None,
    force: ForceOption = False,
    last_year: LastYearOption = None,
) -> None:
    """为需要改正或还没报送的单位准备回复：退回表（标红并附说明）、可直接粘贴的通知文字、催报通知和空白表。

    有错误或需核实数值的单位得到“退回-简称.xlsx”（该单位自己的表，已填入报来的数值，有问题的单元格标红、
    附批注）和“退回-简称.txt”；没有报送的单位得到“催报-简称.txt”和空白表“催报-简称.xlsx”。

    示例：jc315 feedback 收回/ -o 退回/ --deadline 2023-03-25
    """
    run = state_of(ctx)
    from datetime import timedelta

    from jc315cli.console.progress import ProgressBar
    from jc315cli.console.render import render_replies
    from jc315cli.figures.last_year import last_year_for

    day = parse_date(today)
    by = parse_date(deadline, "--deadline") if deadline else day + timedelta(days=3)
    if by < day:
        raise typer.BadParameter(
            f"要求重新报送的日期 {by} 早于落款日期 {day}{'（今天）' if today is None else ''}",
            param_hint="--deadline",
        )
    from jc315cli.collection.folder import shown_path
    from jc315cli.collection.next_step import next_step as next_words
    from jc315cli.collection.session import Session

    choice = choose_campaign(run, campaign_file, paths or ())
    inputs = inputs_or_returned(paths, choice)
    target = output_or_default(output, choice.folder("replies"), "退回通知的输出文件夹（-o 退回/）")
    last = last_year_for(choice.campaign, choice.file, last_year)
    with Session(choice, inputs) as session:
        with ProgressBar(ERR, enabled=True) as bar:
            report, replies, written = feedback_paths(
                inputs,
                choice.campaign,
                target,
                today=day,
                deadline=by,
                force=force,
                progress=bar,
                session=session,
                last_year=last,
            )
        render_replies(OUT, report, replies, target, len(written))
        say_notices(session.notices)
        if replies:
            whom = "、".join(reply.reporter.short_name for reply in replies)
            next_step(
                f"把“{shown_path(target)}”中的文件分别发给{whom}（.txt 为可粘贴的通知文字）；"
                "收到改正的表后放进收回文件夹，再运行 jc315 validate",
                run,
            )
        else:
            next_step(next_words(session.board_after(report, day)), run)
