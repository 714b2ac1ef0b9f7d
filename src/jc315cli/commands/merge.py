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
    LastYearOption,
    OutputFormat,
    PathsArgument,
    parse_date,
    print_json,
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
    from jc315cli.check.merge_plan import MergePlan
    from jc315cli.check.validate import Progress
    from jc315cli.collection.records import MergeRecord
    from jc315cli.collection.session import Session
    from jc315cli.model.campaign import Campaign


def merge_paths(
    paths: list[Path],
    campaign: Campaign,
    output: Path,
    *,
    filled_on: date,
    skip_invalid: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    session: Session | None = None,
    last_year: LastYear | None = None,
    confirmations: Confirmations | None = None,
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
    if session is not None:
        session.adjust(reports)
        if confirmations is None:
            confirmations = session.confirmations()
    report = check_batch(
        reports, campaign, inputs, last_year=last_year, confirmations=confirmations
    )
    if session is not None:
        session.record_batch(report)
    plan = plan_merge(report, campaign, filled_on=filled_on, skip_invalid=skip_invalid)
    from jc315cli.write.merged_report import consolidated_workbook_bytes

    board = session.board_after(report, filled_on) if session is not None else None
    data = consolidated_workbook_bytes(campaign, plan, board)
    write_atomic(output, data, force=force)
    if session is not None:
        session.record_merge(merge_record(session.shown(output), data, plan))
    return plan


def merge_record(name: str, data: bytes, plan: MergePlan) -> MergeRecord:
    import hashlib

    from jc315cli.collection.records import MergeRecord

    return MergeRecord(
        output_name=name,
        output_sha256=hashlib.sha256(data).hexdigest(),
        inputs=tuple(f.sha256 for f in plan.included),
        totals=dict(plan.totals),
        filled_on=plan.filled_on,
    )


def _load_writer() -> None:
    import jc315cli.write.merged_report  # noqa: F401


def merge_command(
    ctx: typer.Context,
    paths: PathsArgument = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            "--out",
            help="汇总表输出路径（.xlsx）；在收集文件夹中可不给，即写入“汇总”文件夹",
            dir_okay=False,
            metavar="文件",
        ),
    ] = None,
    campaign_file: CampaignOption = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="跳过未通过校验和有待核实数值的文件，只汇总其余的（被跳过的会列出）",
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            hidden=True,
            help="已是默认：有待核实的数值时不写出汇总表（保留此选项，以前的用法照样可用）",
        ),
    ] = False,
    force: ForceOption = False,
    filled_on: Annotated[
        str | None,
        typer.Option(
            "--date", help="汇总表的填报日期，如 2023-03-25；不给则为今天", metavar="日期"
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.table,
    last_year: LastYearOption = None,
) -> None:
    """校验并汇总收回的统计表，写出可直接上报的汇总表（含分单位明细、报送情况、问题清单）。

    有文件未通过校验，或有需核实的数值没有核实（待核实）时，不写出任何文件（退出码 1），
    除非加 --skip-invalid。

    示例：jc315 merge 收回/ -o 晋城市3·15活动情况汇总.xlsx --date 2023-03-25
    """
    run = state_of(ctx)
    from jc315cli.console.progress import ProgressBar
    from jc315cli.console.render import render_merge
    from jc315cli.console.wrap import Wrapped
    from jc315cli.figures.last_year import last_year_for

    run.json = output_format is OutputFormat.json
    if strict:
        ERR.print("注意：--strict 已是默认（有待核实的数值时不写出汇总表），不必再加", style="dim")
    day = parse_date(filled_on)
    from jc315cli.collection.next_step import next_step as next_words
    from jc315cli.collection.session import Session

    choice = choose_campaign(run, campaign_file, paths or ())
    inputs = inputs_or_returned(paths, choice)
    target = output_or_default(output, choice.report, "汇总表的输出路径（-o 汇总.xlsx）")
    last = last_year_for(choice.campaign, choice.file, last_year)
    with Session(choice, inputs) as session:
        with ProgressBar(ERR, enabled=output_format is OutputFormat.table) as bar:
            plan = merge_paths(
                inputs,
                choice.campaign,
                target,
                filled_on=day,
                skip_invalid=skip_invalid,
                force=force,
                progress=bar,
                session=session,
                last_year=last,
            )
        board = session.board_after(plan.report, date.today())
        if output_format is OutputFormat.json:
            print_json({**plan.to_json(target), "collection": board.to_json()})
        else:
            render_merge(OUT, choice.campaign, plan, target)
            OUT.print(Wrapped("，".join(board.rates.lines()), indent=4), highlight=False)
            say_notices(session.notices)
            next_step(next_words(board, merged=True), run)
