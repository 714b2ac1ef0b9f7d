"""`jc315 validate`: what came back, judged per file and per cell."""

from __future__ import annotations

from datetime import date

import typer

from jc315cli.commands.options import (
    CampaignOption,
    FormatOption,
    LastYearOption,
    OutputFormat,
    PathsArgument,
    VerboseOption,
    print_json,
)
from jc315cli.commands.run import (
    ERR,
    OUT,
    choose_campaign,
    inputs_or_returned,
    next_step,
    say_notices,
    state_of,
)


def validate_command(
    ctx: typer.Context,
    paths: PathsArgument = None,
    campaign_file: CampaignOption = None,
    output_format: FormatOption = OutputFormat.table,
    verbose: VerboseOption = False,
    last_year: LastYearOption = None,
) -> None:
    """校验收回的统计表：逐个文件、逐个单元格指出问题及修改建议。

    全部通过时退出码为 0；有未通过、待核实或无法读取的文件时为 1；参数有误时为 2。

    示例：jc315 validate 收回/  或  jc315 validate 泽州县.xlsx --format json
    """
    run = state_of(ctx)
    run.json = output_format is OutputFormat.json
    run.verbose = verbose
    from jc315cli.check.validate import validate_paths
    from jc315cli.collection.next_step import next_step as next_words
    from jc315cli.collection.session import Session
    from jc315cli.console.progress import ProgressBar
    from jc315cli.console.render import render_batch
    from jc315cli.figures.last_year import last_year_for

    choice = choose_campaign(run, campaign_file, paths or ())
    inputs = inputs_or_returned(paths, choice)
    last = last_year_for(choice.campaign, choice.file, last_year)
    with Session(choice, inputs) as session:
        with ProgressBar(ERR, enabled=output_format is OutputFormat.table) as bar:
            report = validate_paths(
                inputs,
                choice.campaign,
                progress=bar,
                adjust=session.adjust,
                last_year=last,
                confirmations=session.confirmations(),
            )
        session.record_batch(report)
        board = session.board_after(report, date.today())
        if output_format is OutputFormat.json:
            print_json({**report.model_dump(mode="json"), "collection": board.to_json()})
        else:
            render_batch(OUT, report, choice.campaign, verbose=verbose)
            say_notices(session.notices)
            next_step(next_words(board), run)
    raise typer.Exit(code=0 if report.ok else 1)
