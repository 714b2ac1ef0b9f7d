"""What every command shares while it runs: the two consoles, the run's state on the Typer
context (JSON or not, verbose, the campaign it runs with), and the one handler that turns a
Jc315Error into a message and an exit code (2 for a usage problem, 1 for a data problem)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer
from rich.console import Console

from jc315cli.commands.options import print_json
from jc315cli.console.wrap import Wrapped
from jc315cli.problems.errors import Jc315Error

if TYPE_CHECKING:
    from jc315cli.model.campaign import Campaign

OUT = Console()
ERR = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class RunState:
    """Set by the root callback (debug) and by the command (the rest), read by the handler."""

    debug: bool = False
    json: bool = False
    verbose: bool = False
    campaign: Campaign | None = None


def state_of(ctx: typer.Context) -> RunState:
    state = ctx.ensure_object(RunState)
    assert isinstance(state, RunState)
    return state


def handled(func: F) -> F:
    """`func` as a command: its paths looked up first, a Jc315Error shown by `fail`. Every
    command takes the Typer context first, as `ctx`."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs["ctx"]
        try:
            _check_paths(kwargs.values())
            return func(*args, **kwargs)
        except Jc315Error as error:
            fail(error, state_of(ctx))

    return run  # type: ignore[return-value]


def _check_paths(values: Iterable[object]) -> None:
    """Every path on the command line, looked up once before the command runs: one the system
    cannot look up (a name over 255 bytes) is a usage error here, not an OSError later."""
    from jc315cli.write.files import check_path

    for value in values:
        for path in value if isinstance(value, list) else [value]:
            if isinstance(path, Path):
                check_path(path)


def fail(error: Jc315Error, state: RunState) -> NoReturn:
    """The one place a jc315 error becomes a message and an exit code."""
    if state.debug:
        raise error
    if state.json:
        body = error.report.model_dump(mode="json") if error.report is not None else {}
        print_json({"output": None, "error": error.problem.model_dump(mode="json"), **body})
        raise typer.Exit(code=error.exit_code)
    if error.report is not None:
        from jc315cli.console.render import render_batch

        render_batch(ERR, error.report, state.campaign, verbose=state.verbose)
        ERR.print()
    ERR.print(Wrapped(f"错误：{error.message}", indent=4, style="bold red"))
    if error.hint:
        ERR.print(Wrapped(f"提示：{error.hint}", indent=4, style="dim"))
    raise typer.Exit(code=error.exit_code)
