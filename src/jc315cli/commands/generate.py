"""`jc315 generate`: one blank, protected, self-identifying form per reporter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jc315cli.commands.options import CampaignOption, ForceOption
from jc315cli.commands.run import OUT, choose_campaign, next_step, state_of


def generate_command(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            "--out",  # the old spelling: still works, not shown (console/i18n.py)
            help="输出文件夹（不存在则新建）；不给则为收集文件夹的“下发”文件夹，不在收集文件夹中则为当前文件夹",
            file_okay=False,
            metavar="文件夹",
        ),
    ] = None,
    reporter: Annotated[
        list[str] | None,
        typer.Option(
            "--reporter",
            "-r",
            help="只为这个填报单位生成（全称、简称或别称均可），可重复",
            metavar="单位",
        ),
    ] = None,
    campaign_file: CampaignOption = None,
    force: ForceOption = False,
) -> None:
    """为每个填报单位生成一份空白统计表：填报单位已填好并锁定，只有数量和填报日期可填。

    示例：jc315 generate -o 下发 --reporter 泽州县 --reporter 高平市
    """
    from jc315cli.console.render import render_generated
    from jc315cli.write.blank_forms import generate_forms

    run = state_of(ctx)
    choice = choose_campaign(run, campaign_file)
    target = output if output is not None else choice.folder("issued") or Path(".")
    campaign = choice.campaign
    written = generate_forms(campaign, target, reporter_names=reporter, force=force)
    render_generated(OUT, campaign, written)
    returned = choice.folder("returned")
    back = (
        f"收回的表放进“{returned}”后运行 jc315 validate"
        if returned
        else "收回的表放进一个文件夹（如 收回/）后运行 jc315 validate 收回/"
    )
    next_step(
        f"把“{target}”中的空白表分别发给各填报单位（截止 {campaign.deadline.isoformat()}）；{back}",
        run,
    )
