"""The command line: parse options, call one library function, render, pick the exit code.

Each command imports what it needs when it runs: `jc315 --version` or `--help` loads neither
the form models nor the readers, and reading commands never load openpyxl.

Exit codes: 0 all good, 1 a data problem (invalid form, file exists), 2 a usage problem.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console

from jc315cli import __version__
from jc315cli.commands.options import (
    CampaignOption,
    ForceOption,
    FormatOption,
    LastCampaignOption,
    OutputFormat,
    PathsArgument,
    VerboseOption,
    parse_date,
    print_json,
)
from jc315cli.console.i18n import install as install_chinese
from jc315cli.console.wrap import Wrapped
from jc315cli.problems.errors import Jc315Error

install_chinese()
# A Chinese Windows console may be GBK: whatever cannot be encoded is replaced, never raised.
for _stream in (sys.stdout, sys.stderr):
    if (getattr(_stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
        try:
            _stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):  # pragma: no cover - a stream without reconfigure
            pass

app = typer.Typer(
    name="jc315",
    help=(
        "晋城市“3·15”活动情况统计表工具：生成空白表、校验收回的表、汇总成全市报表。\n\n"
        "示例：jc315 generate --out 下发   （为每个填报单位生成一份空白表）"
    ),
    add_completion=False,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

out_console = Console()
err_console = Console(stderr=True)
state = {"debug": False, "json": False, "verbose": False}
loaded: dict[str, Any] = {}  # the campaign a command runs with, for the one error handler
F = TypeVar("F", bound=Callable[..., Any])


def command(name: str) -> Callable[[F], F]:
    """Register a command with the one handler that turns a Jc315Error into a message and an
    exit code (2 for a usage problem, 1 for a data problem)."""

    def register(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                _check_paths(kwargs.values())
                return func(*args, **kwargs)
            except Jc315Error as error:
                fail(error)

        app.command(name, options_metavar="[选项]")(run)
        return func

    return register


def _check_paths(values: Iterable[object]) -> None:
    """Every path on the command line, looked up once before the command runs: one the system
    cannot look up (a name over 255 bytes) is a usage error here, not an OSError later."""
    from jc315cli.write.files import check_path

    for value in values:
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path):
                check_path(path)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"jc315 {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="显示版本号并退出", callback=_version, is_eager=True),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整的调用栈，便于排查")
    ] = False,
) -> None:
    state["debug"] = debug
    state["json"] = False
    state["verbose"] = False
    loaded.clear()


def fail(error: Jc315Error) -> NoReturn:
    """The one place a jc315 error becomes a message and an exit code."""
    if state["debug"]:
        raise error
    if state["json"]:
        body = error.report.model_dump(mode="json") if error.report is not None else {}
        print_json({"output": None, "error": error.problem.model_dump(mode="json"), **body})
        raise typer.Exit(code=error.exit_code)
    if error.report is not None:
        from jc315cli.console.render import render_batch

        render_batch(err_console, error.report, loaded.get("campaign"), verbose=state["verbose"])
        err_console.print()
    err_console.print(Wrapped(f"错误：{error.message}", indent=4, style="bold red"))
    if error.hint:
        err_console.print(Wrapped(f"提示：{error.hint}", indent=4, style="dim"))
    raise typer.Exit(code=error.exit_code)


@command("init")
def init_command(
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
    out_console.print(f"已写出活动配置文件：{path}", highlight=False)


@command("template")
def template_command(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="输出文件路径（.xlsx）", dir_okay=False, metavar="文件"
        ),
    ] = Path("statistics_table.xlsx"),
    campaign_file: CampaignOption = None,
    force: ForceOption = False,
) -> None:
    """写出空白统计表模板（不指定填报单位，填报单位一栏可填写）。

    示例：jc315 template -o 统计表模板.xlsx
    """
    from jc315cli.model.campaign_file import load_campaign
    from jc315cli.write.blank_forms import template_bytes
    from jc315cli.write.files import (  # openpyxl is imported only by commands that write
        ensure_writable,
        refuse_output_onto_inputs,
        require_xlsx,
        write_atomic,
    )

    campaign = load_campaign(campaign_file)
    require_xlsx(output)
    refuse_output_onto_inputs([output], [campaign_file] if campaign_file else [])
    ensure_writable([output], force, option="--output/-o")
    write_atomic(output, template_bytes(campaign), force=force)
    out_console.print(f"已写出模板：{output}", highlight=False)


@command("generate")
def generate_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="输出文件夹（不存在则新建）", file_okay=False, metavar="文件夹"
        ),
    ] = Path("."),
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

    示例：jc315 generate --out 下发 --reporter 泽州县 --reporter 高平市
    """
    from jc315cli.console.render import render_generated
    from jc315cli.model.campaign_file import load_campaign
    from jc315cli.write.blank_forms import generate_forms

    campaign = load_campaign(campaign_file)
    written = generate_forms(campaign, out, reporter_names=reporter, force=force)
    render_generated(out_console, campaign, written)


@command("validate")
def validate_command(
    paths: PathsArgument,
    campaign_file: CampaignOption = None,
    output_format: FormatOption = OutputFormat.table,
    verbose: VerboseOption = False,
) -> None:
    """校验收回的统计表：逐个文件、逐个单元格指出问题及修改建议。

    全部通过时退出码为 0；有未通过或无法读取的文件时为 1；参数有误时为 2。

    示例：jc315 validate 收回/  或  jc315 validate 泽州县.xlsx --format json
    """
    state["json"] = output_format is OutputFormat.json
    state["verbose"] = verbose
    from jc315cli.check.validate import validate_paths
    from jc315cli.console.progress import ProgressBar
    from jc315cli.console.render import render_batch
    from jc315cli.model.campaign_file import load_campaign

    campaign = loaded["campaign"] = load_campaign(campaign_file)
    with ProgressBar(err_console, enabled=output_format is OutputFormat.table) as bar:
        report = validate_paths(paths, campaign, progress=bar)
    if output_format is OutputFormat.json:
        print_json(report.model_dump(mode="json"))
    else:
        render_batch(out_console, report, campaign, verbose=verbose)
    raise typer.Exit(code=0 if report.ok else 1)


@command("merge")
def merge_command(
    paths: PathsArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="汇总表输出路径（.xlsx）", dir_okay=False, metavar="文件"
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
    from jc315cli.commands.merge import merge_paths
    from jc315cli.console.progress import ProgressBar
    from jc315cli.console.render import render_merge
    from jc315cli.model.campaign_file import load_campaign

    state["json"] = output_format is OutputFormat.json
    day = parse_date(filled_on)
    campaign = loaded["campaign"] = load_campaign(campaign_file)
    with ProgressBar(err_console, enabled=output_format is OutputFormat.table) as bar:
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
        render_merge(out_console, campaign, plan, output)


@command("feedback")
def feedback_command(
    paths: PathsArgument,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="退回和催报文件的输出文件夹（不存在则新建）",
            file_okay=False,
            metavar="文件夹",
        ),
    ],
    campaign_file: CampaignOption = None,
    today: Annotated[
        str | None,
        typer.Option("--date", help="落款日期，如 2023-03-23；不给则为今天", metavar="日期"),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline",
            help="要求重新报送的日期，如 2023-03-25；不给则为落款日期后 3 天",
            metavar="日期",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """为需要改正或还没报送的单位准备回复：退回表（标红并附说明）、可直接粘贴的通知文字、催报通知和空白表。

    有错误或需核实数值的单位得到“退回-简称.xlsx”（该单位自己的表，已填入报来的数值，有问题的单元格标红、
    附批注）和“退回-简称.txt”；没有报送的单位得到“催报-简称.txt”和空白表“催报-简称.xlsx”。

    示例：jc315 feedback 收回/ -o 退回/ --deadline 2023-03-25
    """
    from datetime import timedelta

    from jc315cli.commands.feedback import feedback_paths
    from jc315cli.console.progress import ProgressBar
    from jc315cli.console.render import render_replies
    from jc315cli.model.campaign_file import load_campaign

    day = parse_date(today)
    by = parse_date(deadline, "--deadline") if deadline else day + timedelta(days=3)
    if by < day:
        raise typer.BadParameter(
            f"要求重新报送的日期 {by} 早于落款日期 {day}{'（今天）' if today is None else ''}",
            param_hint="--deadline",
        )
    campaign = loaded["campaign"] = load_campaign(campaign_file)
    with ProgressBar(err_console, enabled=True) as bar:
        report, replies, written = feedback_paths(
            paths, campaign, output, today=day, deadline=by, force=force, progress=bar
        )
    render_replies(out_console, report, replies, output, len(written))


@command("summary")
def summary_command(
    report: Annotated[
        Path,
        typer.Argument(help="汇总表，或某个单位的统计表", dir_okay=False, metavar="报表"),
    ],
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

    汇总表写作“全市共开展……”，某个单位的表写作“泽州县共开展……”；为 0 的项目不写。
    加 --compare 时每个数后附同比增减，如“同比增长12.5%”“同比持平”“去年为0”。

    示例：jc315 summary 晋城市3·15活动情况汇总.xlsx --compare 2022年汇总.xlsx
    """
    state["json"] = output_format is OutputFormat.json
    from jc315cli.console.render_figures import render_summary
    from jc315cli.figures.paragraph import summarize_file
    from jc315cli.model.campaign_file import load_campaign

    campaign = load_campaign(campaign_file)
    last_campaign = load_campaign(last_campaign_file) if compare is not None else None
    paragraph = summarize_file(report, campaign, compare=compare, last_campaign=last_campaign)
    if output_format is OutputFormat.json:
        print_json(paragraph.to_json())
    else:
        render_summary(out_console, err_console, paragraph)


@command("compare")
def compare_command(
    last: Annotated[
        Path, typer.Argument(help="上一年（或上一次）的报表", dir_okay=False, metavar="上次报表")
    ],
    this: Annotated[Path, typer.Argument(help="本次的报表", dir_okay=False, metavar="本次报表")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
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
    state["json"] = output_format is OutputFormat.json
    from jc315cli.commands.compare import compare_files
    from jc315cli.console.render_figures import render_compare
    from jc315cli.model.campaign_file import load_campaign

    comparison = compare_files(
        last,
        this,
        campaign=load_campaign(campaign_file),
        last_campaign=load_campaign(last_campaign_file),
        output=output,
        force=force,
    )
    if output_format is OutputFormat.json:
        print_json({"output": None if output is None else str(output), **comparison.to_json()})
    else:
        render_compare(out_console, comparison, output)


def main() -> None:
    """Console-script entry point."""
    app()
