"""`jc315 validate`: what came back, judged per file and per cell."""

from __future__ import annotations

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
from jc315cli.commands.run import ERR, OUT, state_of


def validate_command(
    ctx: typer.Context,
    paths: PathsArgument,
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
    from jc315cli.console.progress import ProgressBar
    from jc315cli.console.render import render_batch
    from jc315cli.figures.last_year import last_year_for
    from jc315cli.model.campaign_file import load_campaign

    campaign = run.campaign = load_campaign(campaign_file)
    last = last_year_for(campaign, campaign_file, last_year)
    with ProgressBar(ERR, enabled=output_format is OutputFormat.table) as bar:
        report = validate_paths(paths, campaign, progress=bar, last_year=last)
    if output_format is OutputFormat.json:
        print_json(report.model_dump(mode="json"))
    else:
        render_batch(OUT, report, campaign, verbose=verbose)
    raise typer.Exit(code=0 if report.ok else 1)
