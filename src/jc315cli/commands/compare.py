"""`jc315 compare`: refuse a bad output before reading anything, read both reports, compare
them (`comparison.py`, pure) and write the 对比 workbook (`compare_workbook.py`) when an output is
given; openpyxl is loaded only then."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jc315cli.commands.options import (
    CampaignOption,
    ForceOption,
    FormatOption,
    LastCampaignOption,
    OutputFormat,
    print_json,
)
from jc315cli.commands.run import OUT, choose_campaign, state_of

if TYPE_CHECKING:
    from jc315cli.figures.comparison import Comparison
    from jc315cli.model.campaign import Campaign


def compare_files(
    last: Path,
    this: Path,
    *,
    campaign: Campaign,
    last_campaign: Campaign,
    output: Path | None = None,
    force: bool = False,
) -> Comparison:
    """`jc315 compare`: read both reports, compare them, and write the 对比 workbook when an
    output is given (checked before anything is read, so a refusal costs nothing)."""
    from jc315cli.figures.comparison import compare_reports
    from jc315cli.figures.read_back import read_report, refuse_same_report

    if output is not None:
        from jc315cli.write.files import ensure_writable, refuse_output_onto_inputs, require_xlsx

        require_xlsx(output)
        refuse_output_onto_inputs([output], [last, this])
        ensure_writable([output], force, option="--output/-o")
    refuse_same_report(last, this)
    comparison = compare_reports(
        read_report(last, last_campaign, option="--last-campaign"),
        read_report(this, campaign, option="--campaign"),
    )
    if output is not None:
        from jc315cli.write.comparison_workbook import comparison_workbook_bytes
        from jc315cli.write.files import write_atomic

        write_atomic(output, comparison_workbook_bytes(comparison), force=force)
    return comparison


def compare_command(
    ctx: typer.Context,
    last: Annotated[
        Path, typer.Argument(help="上一年（或上一次）的报表", dir_okay=False, metavar="上次报表")
    ],
    this: Annotated[Path, typer.Argument(help="本次的报表", dir_okay=False, metavar="本次报表")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            "--out",
            help="对比表输出路径（.xlsx）；不给则只在屏幕上显示",
            dir_okay=False,
            metavar="文件",
        ),
    ] = None,
    campaign_file: CampaignOption = None,
    last_campaign_file: LastCampaignOption = None,
    force: ForceOption = False,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """把两份报表（汇总表或单位的表，两个年度或表的两个版本）逐项对比：上次、本次、增减、增减幅度。

    两份都是汇总表时另有“分单位对比”。新增、删去、改名的项目在“说明”中注明，不会漏掉。
    本次的报表按 --campaign 读取，上次的按 --last-campaign 读取（都不给则用内置的 2023 年配置）。

    示例：jc315 compare 2023年汇总.xlsx 2024年汇总.xlsx -o 对比.xlsx --campaign 2024活动.toml
    """
    run = state_of(ctx)
    run.json = output_format is OutputFormat.json
    from jc315cli.collection.folder import campaign_near
    from jc315cli.console.render_figures import render_compare

    comparison = compare_files(
        last,
        this,
        campaign=choose_campaign(run, campaign_file, [this]).campaign,
        last_campaign=campaign_near(last_campaign_file, last),
        output=output,
        force=force,
    )
    if output_format is OutputFormat.json:
        print_json({"output": None if output is None else str(output), **comparison.to_json()})
    else:
        render_compare(OUT, comparison, output)
