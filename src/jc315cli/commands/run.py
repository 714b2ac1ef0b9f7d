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
    from collections.abc import Sequence

    from jc315cli.collection.folder import Choice
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
    choice: Choice | None = None  # where the campaign came from, and the collection folder


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


def choose_campaign(run: RunState, given: Path | None, inputs: Sequence[Path] = ()) -> Choice:
    """The campaign the command runs with (given, found in the collection folder, or the
    built-in one), said on screen so a wrong year is seen before anything is written."""
    from jc315cli.collection.folder import choose

    choice = choose(given, inputs)
    run.choice, run.campaign = choice, choice.campaign
    if not run.json and choice.file is not None:  # the built-in one is what it always was
        ERR.print(Wrapped(choice.said(), indent=4, style="dim"))
    return choice


def inputs_or_returned(paths: Sequence[Path] | None, choice: Choice) -> list[Path]:
    """The paths given, or the collection's 收回/ when none is."""
    if paths:
        return list(paths)
    returned = choice.folder("returned")
    if returned is None:
        raise Jc315Error("no-paths", needed="收回的统计表文件或文件夹")
    return [returned]


def output_or_default(given: Path | None, default: Path | None, what: str) -> Path:
    """The output given, or the collection's own place for it."""
    if given is not None:
        return given
    if default is None:
        raise Jc315Error("no-paths", needed=what)
    return default


def next_step(text: str, run: RunState | None = None) -> None:
    """The last line of a command: what to do next, from the collection's state."""
    if run is not None and run.json:
        return
    OUT.print(Wrapped(f"下一步：{text}", indent=4, style="bold"))


def say_notices(notices: Sequence[str]) -> None:
    """What the ledger has to say (new, set aside, unavailable), on stderr, never an error."""
    for notice in notices:
        ERR.print(Wrapped(f"注意：{notice}", indent=4, style="yellow"))
