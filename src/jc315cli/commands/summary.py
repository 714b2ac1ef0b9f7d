"""`jc315 summary`: the statistics paragraph of the 活动总结."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jc315cli.commands.options import (
    CampaignOption,
    FormatOption,
    LastCampaignOption,
    OutputFormat,
    print_json,
)
from jc315cli.commands.run import ERR, OUT, choose_campaign, output_or_default, state_of


def summary_command(
    ctx: typer.Context,
    report: Annotated[
        Path | None,
        typer.Argument(
            help="汇总表，或某个单位的统计表；在收集文件夹中可不给，即用“汇总”文件夹中的汇总表",
            dir_okay=False,
            metavar="报表",
        ),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            help="同一单位上一年（或上一次）的报表：每个数后附同比增减",
            dir_okay=False,
            metavar="报表",
        ),
    ] = None,
    campaign_file: CampaignOption = None,
    last_campaign_file: LastCampaignOption = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """写出活动总结里的统计数据段落（按表中各项的说法连成一段话，可直接粘贴）。

    汇总表以“全市共开展”开头，某个单位的表以单位简称开头（如“泽州县共开展”）；为 0 的项目不写。
    加 --compare 时每个数后附同比增减，如“同比增长12.5%”“同比持平”“去年为0”。

    示例：jc315 summary 晋城市3·15活动情况汇总.xlsx --compare 2022年汇总.xlsx
    """
    run = state_of(ctx)
    run.json = output_format is OutputFormat.json
    from jc315cli.collection.folder import campaign_near
    from jc315cli.console.render_figures import render_summary
    from jc315cli.figures.paragraph import summarize_file

    choice = choose_campaign(run, campaign_file, [report] if report else ())
    report = output_or_default(report, choice.report, "报表文件（如 汇总/汇总表.xlsx）")
    campaign = choice.campaign
    last_campaign = campaign_near(last_campaign_file, compare) if compare is not None else None
    paragraph = summarize_file(report, campaign, compare=compare, last_campaign=last_campaign)
    if output_format is OutputFormat.json:
        print_json(paragraph.to_json())
    else:
        render_summary(OUT, ERR, paragraph)
