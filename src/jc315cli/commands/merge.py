"""`jc315 merge`: validate, plan, write (actions/merge.py), then say what was written and what
to do next. `merge_paths` is named here too, where it lived before the page needed it."""

from __future__ import annotations

import gc
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from jc315cli.actions.merge import merge_paths, merge_record
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

__all__ = ["merge_command", "merge_paths", "merge_record"]


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
    # The collector looks at new objects less often: most of what a merge makes (a campaign of
    # a thousand reporters, their reports, a workbook's cells) lives until it ends.
    # ...for this command only: a process that goes on (a test, a script calling the app) gets
    # its collector back, and what was frozen (with any garbage alive then) can be freed again.
    ctx.call_on_close(partial(_collector_back, gc.get_threshold()))
    gc.set_threshold(10_000, 100)
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
    # What is loaded by now (the modules, the campaign) lives until the command ends: the
    # collector need not look through it again, here or in the forked workers, which share it.
    gc.freeze()
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


def _collector_back(threshold: tuple[int, int, int]) -> None:
    """Undone when the command's context closes, whether it merged, refused or failed (the
    console script freezes what is left as its process ends: launch.py)."""
    gc.set_threshold(*threshold)
    gc.unfreeze()
