"""`jc315 status` (and bare `jc315` in a collection folder): where the collection stands."""

from __future__ import annotations

from typing import Annotated

import typer

from jc315cli.commands.options import (
    CampaignOption,
    FormatOption,
    OutputFormat,
    parse_date,
    print_json,
)
from jc315cli.commands.run import OUT, choose_campaign, next_step, say_notices, state_of


def status_command(
    ctx: typer.Context,
    campaign_file: CampaignOption = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="按哪一天看（算剩余天数和逾期），如 2023-03-23；不给则为今天",
            metavar="日期",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """显示收集进度：各填报单位的状态、报送率、及时率、一次通过率、数值变动和下一步。

    只看“收回”文件夹中的文件是否新收到（不重新校验）；校验结果来自上次的 validate、feedback 或 merge。

    示例：jc315 status   或   jc315 status --format json
    """
    run = state_of(ctx)
    run.json = output_format is OutputFormat.json
    from jc315cli.actions.board import board_now
    from jc315cli.collection.next_step import next_step as next_words
    from jc315cli.collection.session import Session
    from jc315cli.console.render_status import render_status
    from jc315cli.problems.errors import Jc315Error

    day = parse_date(today)
    choice = choose_campaign(run, campaign_file)
    if choice.root is None:
        raise Jc315Error("not-a-collection")
    with Session(choice) as session:
        board = board_now(session, day)
        words = next_words(board)
        if run.json:
            file = None if choice.file is None else str(choice.file)
            print_json(
                {
                    **board.to_json(),
                    "campaign_file": file,
                    "notices": session.notices,
                    "next_step": words,
                }
            )
            return
        render_status(OUT, board, str(choice.root))
        say_notices(session.notices)
        next_step(words, run)
