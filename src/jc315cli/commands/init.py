"""`jc315 init`: a commented campaign file to copy and change for a new year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jc315cli.commands.options import ForceOption
from jc315cli.commands.run import OUT


def init_command(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="要写入的配置文件路径", dir_okay=False, metavar="文件")
    ] = Path("jc315-campaign.toml"),
    force: ForceOption = False,
) -> None:
    """写出一份带注释、可修改的活动配置文件（内容为内置的 2023 年晋城市配置）。

    示例：jc315 init 2024活动.toml
    """
    from jc315cli.model.campaign_file import campaign_to_toml, load_campaign
    from jc315cli.write.files import ensure_writable, refuse_output_onto_inputs, write_atomic

    refuse_output_onto_inputs([path], ())  # nothing read; the same check of where it goes
    ensure_writable([path], force, option="文件名参数")
    write_atomic(path, campaign_to_toml(load_campaign(None)).encode("utf-8"), force=force)
    OUT.print(f"已写出活动配置文件：{path}", highlight=False)
