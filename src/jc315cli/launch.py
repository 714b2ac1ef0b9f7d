"""The console-script entry point: answers `jc315 --version` before loading Typer, Rich or
anything else, and hands every other command line to the Typer application in `cli`."""

from __future__ import annotations

import os
import sys

from jc315cli import __version__

VERSION_FLAGS = (["--version"], ["-V"])


def main() -> None:
    if sys.argv[1:] in VERSION_FLAGS:
        # The same line `cli._version` prints; a test holds the two together.
        sys.stdout.write(f"jc315 {__version__}\n")
        return
    # jc315 uses no pydantic plugins; looking for them reads the metadata of every installed
    # distribution (importlib.metadata, email parsing): a tenth of a command's start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from jc315cli.commands import merge
    from jc315cli.commands.app import main as run

    merge.ENDS_WITH_PROCESS = True
    run()
