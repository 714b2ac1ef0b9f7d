"""`jc315 confirm`: a doubtful value confirmed by the city, with its reason, in the ledger."""

from __future__ import annotations

from typing import Annotated

import typer

from jc315cli.commands.options import CampaignOption, parse_date
from jc315cli.commands.run import ERR, OUT, choose_campaign, next_step, say_notices, state_of


def confirm_command(
    ctx: typer.Context,
    reporter: Annotated[str, typer.Argument(help="填报单位（全称、简称或别称）", metavar="单位")],
    item: Annotated[
        str,
        typer.Argument(help="项目：序号（如 5）、单元格（如 E10）或项目名称", metavar="项目"),
    ],
    reason: Annotated[
        str,
        typer.Option(
            "--reason", "-m", help="核实的结果和理由，如“电话核实：含一起大案”", metavar="理由"
        ),
    ],
    campaign_file: CampaignOption = None,
    day: Annotated[
        str | None,
        typer.Option("--date", help="核实的日期，如 2023-03-24；不给则为今天", metavar="日期"),
    ] = None,
) -> None:
    """记录市局对一个需核实数值的核实结果：该值即计入汇总，理由写进问题清单。

    只对“收回”文件夹中该单位现在的表里的这个数有效：单位改报了别的数，就要重新核实。
    须在收集文件夹中运行（核实记录保存在收集文件夹的台账中）。

    示例：jc315 confirm 高平市 5 --reason "电话核实：含一起大案挽回损失"
    """
    run = state_of(ctx)
    from jc315cli.actions.confirm import check_reason, confirm_value
    from jc315cli.collection.next_step import next_step as next_words
    from jc315cli.collection.session import Session
    from jc315cli.console.progress import ProgressBar
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.problems.report import exact

    on = parse_date(day)
    wrong = check_reason(reason)
    if wrong is not None:
        raise typer.BadParameter(wrong, param_hint="--reason")
    choice = choose_campaign(run, campaign_file)
    returned = choice.folder("returned")
    if returned is None:
        raise Jc315Error("not-a-collection")
    with Session(choice, [returned]) as session:
        try:
            with ProgressBar(ERR, enabled=True) as bar:
                done = confirm_value(session, reporter, item, reason, on, progress=bar)
        except Jc315Error as error:
            if error.problem.code == "confirm-not-recorded":
                say_notices(session.notices)
            raise
        record, found = done.record, done.item
        measure = choice.campaign.form.measure_of(found).name
        short = choice.campaign.reporter(record.reporter).short_name
        OUT.print(
            f"已记录：{short} 第 {found.id} 项 {found.label} {exact(record.value)} {measure}"
            f" 已核实（市局核实，{on.isoformat()}）：{record.reason}",
            highlight=False,
        )
        say_notices(session.notices)
        next_step(next_words(session.board_after(done.report, on)), run)
