"""The console-script entry point: answers `jc315 --version` before loading Typer, Rich or
anything else, and hands every other command line to the Typer application in `cli`."""

from __future__ import annotations

import gc
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
    from jc315cli.commands.app import main as run

    try:
        run()
    finally:
        # The process ends here: what is left is freed with it, and the collector need not
        # take it apart object by object first (~60 ms after a merge of a few forms).
        gc.freeze()
