"""`jc315 web`: the collection as a page in the clerk's browser, and with --lan a link for each
county. The web framework is loaded here, when the command runs, and by no other command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from jc315cli.commands.options import CampaignOption
from jc315cli.commands.run import choose_campaign, state_of


def web_command(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Argument(help="收集文件夹；不给则为当前文件夹", file_okay=False, metavar="文件夹"),
    ] = None,
    port: Annotated[
        int, typer.Option("--port", help="端口；不给则自动选一个空闲的", min=0, max=65535)
    ] = 0,
    lan: Annotated[
        bool, typer.Option("--lan", help="在办公网内开放，为每个填报单位生成上传链接")
    ] = False,
    host: Annotated[
        str | None,
        typer.Option("--host", help="在本机的这个地址上开放（代替 --lan）", metavar="地址"),
    ] = None,
    cert: Annotated[
        Path | None,
        typer.Option(
            "--cert", help="HTTPS 证书（PEM），与 --key 一起给", dir_okay=False, metavar="文件"
        ),
    ] = None,
    key: Annotated[
        Path | None, typer.Option("--key", help="HTTPS 私钥（PEM）", dir_okay=False, metavar="文件")
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    campaign_file: CampaignOption = None,
) -> None:
    """在浏览器中显示收集进度并操作：校验收回的表、退回、核实、汇总、下载；加 --lan 时各单位可用各自的链接上传。

    网页只在本机打开；数值不离开本机。按 Ctrl+C 停止。

    示例：jc315 web   或   jc315 web --lan
    """
    run = state_of(ctx)
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.web.serve import Options, serve

    choice = choose_campaign(run, campaign_file, [folder] if folder else ())
    if choice.root is None:
        raise Jc315Error("not-a-collection")
    options = Options(port, lan, host, cert, key, browser=not no_browser)
    serve(choice, options, _say)


def _say(line: str) -> None:
    """One line on stdout, whole (never wrapped: an address must stay one line), flushed."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
