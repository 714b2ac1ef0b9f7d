"""`jc315 template`: the blank form without a reporter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jc315cli.commands.options import CampaignOption, ForceOption
from jc315cli.commands.run import OUT, choose_campaign, state_of


def template_command(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", "--out", help="输出文件路径（.xlsx）", dir_okay=False, metavar="文件"
        ),
    ] = Path("statistics_table.xlsx"),
    campaign_file: CampaignOption = None,
    force: ForceOption = False,
) -> None:
    """写出空白统计表模板（不指定填报单位，填报单位一栏可填写）。

    示例：jc315 template -o 统计表模板.xlsx
    """
    from jc315cli.write.blank_forms import template_bytes
    from jc315cli.write.files import (  # openpyxl is imported only by commands that write
        ensure_writable,
        refuse_output_onto_inputs,
        require_xlsx,
        write_atomic,
    )

    campaign = choose_campaign(state_of(ctx), campaign_file).campaign
    require_xlsx(output)
    refuse_output_onto_inputs([output], [campaign_file] if campaign_file else [])
    ensure_writable([output], force, option="--output/-o")
    write_atomic(output, template_bytes(campaign), force=force)
    OUT.print(f"已写出模板：{output}", highlight=False)
