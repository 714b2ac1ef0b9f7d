"""The command line: the Typer application and its commands, in the order `--help` lists them.
Each command parses its options, calls one library function, renders, picks the exit code.

Each command imports what it needs when it runs: `jc315 --version` or `--help` loads neither
the form models nor the readers, and reading commands never load openpyxl.

Exit codes: 0 all good, 1 a data problem (invalid form, file exists), 2 a usage problem.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from jc315cli import __version__
from jc315cli.commands import (
    compare,
    confirm,
    feedback,
    generate,
    init,
    merge,
    status,
    summary,
    template,
    validate,
    web,
)
from jc315cli.commands.run import OUT, RunState, handled
from jc315cli.console.i18n import install as install_chinese

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
        "示例：jc315 generate -o 下发   （为每个填报单位生成一份空白表）"
    ),
    add_completion=False,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    invoke_without_command=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

COMMANDS = (
    ("status", status.status_command),
    ("init", init.init_command),
    ("template", template.template_command),
    ("generate", generate.generate_command),
    ("validate", validate.validate_command),
    ("merge", merge.merge_command),
    ("feedback", feedback.feedback_command),
    ("confirm", confirm.confirm_command),
    ("summary", summary.summary_command),
    ("compare", compare.compare_command),
    ("web", web.web_command),
)
for _name, _func in COMMANDS:
    app.command(_name, options_metavar="[选项]")(handled(_func))


def _version(value: bool) -> None:
    if value:
        OUT.print(f"jc315 {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="显示版本号并退出", callback=_version, is_eager=True),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整的调用栈，便于排查")
    ] = False,
) -> None:
    ctx.obj = RunState(debug=debug)
    if ctx.invoked_subcommand is None:
        # Bare `jc315`: where the collection stands inside a collection folder, else the help.
        from pathlib import Path

        from jc315cli.collection.folder import find_upward

        if find_upward(Path.cwd()) is None:
            OUT.print(ctx.get_help(), highlight=False)
            raise typer.Exit()
        ctx.invoke(handled(status.status_command), ctx=ctx)


def main() -> None:
    """Console-script entry point."""
    app()
