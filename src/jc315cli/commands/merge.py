"""`jc315 merge`: validate, plan, write. Everything is validated first with the same rules as
`jc315 validate`; the sums are exact; the result is itself a valid input one level up. The
library function `merge_paths` works without Typer; what it needs is loaded when it runs, so
`jc315 --help` loads none of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jc315cli.commands.options import (
    CampaignOption,
    ForceOption,
    FormatOption,
    OutputFormat,
    PathsArgument,
    parse_date,
    print_json,
)
from jc315cli.commands.run import ERR, OUT, state_of

if TYPE_CHECKING:
    from jc315cli.check.merge_plan import MergePlan
    from jc315cli.check.validate import Progress
    from jc315cli.model.campaign import Campaign


def merge_paths(
    paths: list[Path],
    campaign: Campaign,
    output: Path,
    *,
    filled_on: date,
    skip_invalid: bool = False,
    strict: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> MergePlan:
    from jc315cli.check.batch import check_batch
    from jc315cli.check.merge_plan import plan_merge
    from jc315cli.check.validate import validate_files
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.read.inputs import collect_inputs
    from jc315cli.write.files import (
        ensure_writable,
        refuse_output_onto_inputs,
        require_xlsx,
        write_atomic,
    )

    require_xlsx(output)
    inputs = collect_inputs(paths, campaign)
    if not inputs.forms:
        raise Jc315Error("no-inputs")
    refuse_output_onto_inputs([output], [*paths, *inputs.forms])
    ensure_writable([output], force, option="--output/-o")
    # The writer (openpyxl) is loaded while the workers check the forms: they never need it.
    reports = validate_files(inputs.forms, campaign, progress=progress, meanwhile=_load_writer)
    report = check_batch(reports, campaign, inputs)
    plan = plan_merge(
        report, campaign, filled_on=filled_on, skip_invalid=skip_invalid, strict=strict
    )
    from jc315cli.write.merged_report import consolidated_workbook_bytes

    write_atomic(output, consolidated_workbook_bytes(campaign, plan), force=force)
    return plan


def _load_writer() -> None:
    import jc315cli.write.merged_report  # noqa: F401


def merge_command(
    ctx: typer.Context,
    paths: PathsArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            "--out",
            help="汇总表输出路径（.xlsx）",
            dir_okay=False,
            metavar="文件",
        ),
    ],
    campaign_file: CampaignOption = None,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="跳过未通过校验的文件，只汇总通过的（被跳过的会列出）"),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="有需核实的数值（请核实、已换算、未填写）时不写出汇总表"),
    ] = False,
    force: ForceOption = False,
    filled_on: Annotated[
        str | None,
        typer.Option(
            "--date", help="汇总表的填报日期，如 2023-03-25；不给则为今天", metavar="日期"
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """校验并汇总收回的统计表，写出可直接上报的汇总表（含分单位明细、报送情况、问题清单）。

    有文件未通过校验时不写出任何文件（退出码 1），除非加 --skip-invalid。

    示例：jc315 merge 收回/ -o 晋城市3·15活动情况汇总.xlsx --date 2023-03-25
    """
    run = state_of(ctx)
    from jc315cli.console.progress import ProgressBar
    from jc315cli.console.render import render_merge
    from jc315cli.model.campaign_file import load_campaign

    run.json = output_format is OutputFormat.json
    day = parse_date(filled_on)
    campaign = run.campaign = load_campaign(campaign_file)
    with ProgressBar(ERR, enabled=output_format is OutputFormat.table) as bar:
        plan = merge_paths(
            paths,
            campaign,
            output,
            filled_on=day,
            skip_invalid=skip_invalid,
            strict=strict,
            force=force,
            progress=bar,
        )
    if output_format is OutputFormat.json:
        print_json(plan.to_json(output))
    else:
        render_merge(OUT, campaign, plan, output)
