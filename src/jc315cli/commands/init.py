"""`jc315 init`: a collection folder for a year's collection (its campaign file, the folders of
the process and the ledger), or, given a name ending in .toml, a commented campaign file alone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jc315cli.commands.options import CampaignOption, ForceOption
from jc315cli.commands.run import OUT, next_step


def init_command(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="收集文件夹（不存在则新建；不给则为当前文件夹）；以 .toml 结尾则只写出活动配置文件",
            metavar="文件夹",
        ),
    ] = None,
    campaign_file: CampaignOption = None,
    force: ForceOption = False,
) -> None:
    """建立收集文件夹：其中有活动配置文件 jc315.toml 和 下发/收回/退回/汇总 四个文件夹。

    在收集文件夹（或其下的文件夹）中运行各命令时，不必再写路径和 --campaign。
    配置内容为 --campaign 给出的配置，不给则为内置的 2023 年晋城市配置，请按本年度修改。

    示例：jc315 init 2025年3·15统计   或   jc315 init 2025活动.toml
    """
    from jc315cli.collection.folder import CAMPAIGN_NAME
    from jc315cli.model.campaign_file import campaign_to_toml, load_campaign
    from jc315cli.write.files import ensure_writable, refuse_output_onto_inputs, write_atomic

    campaign = load_campaign(campaign_file)
    text = campaign_to_toml(campaign).encode("utf-8")
    if path is not None and path.suffix.lower() == ".toml":
        refuse_output_onto_inputs([path], [campaign_file] if campaign_file else ())
        ensure_writable([path], force, option="文件名参数")
        write_atomic(path, text, force=force)
        OUT.print(f"已写出活动配置文件：{path}", highlight=False)
        next_step(
            f"按本年度修改其中的年度、截止日期、联系人和填报单位，然后 jc315 generate -c {path}"
        )
        return
    folder = path if path is not None else Path(".")
    target = folder / CAMPAIGN_NAME
    refuse_output_onto_inputs([target], [campaign_file] if campaign_file else ())
    ensure_writable([target], force, option="文件名参数")
    from jc315cli.write.collection_folder import make_collection_folder

    made = make_collection_folder(folder, text, campaign.folders, force=force)
    OUT.print(f"已建立收集文件夹：{folder}", highlight=False)
    for line in made:
        OUT.print(f"  {line}", highlight=False)
    where = "" if path is None else f"进入 {folder} 后"
    next_step(
        f"打开 {target} 按本年度修改年度、截止日期、联系人和填报单位，{where}运行 jc315 generate"
        f"（空白表写入 {campaign.folders.issued}/）"
    )
