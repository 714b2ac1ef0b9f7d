"""`jc315 feedback`: validate the folder as `validate` does, decide the replies, and write them
all or none."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jc315cli.actions.feedback import feedback_paths, sent_replies
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

__all__ = ["feedback_command", "feedback_paths", "sent_replies"]


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
