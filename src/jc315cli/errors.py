"""The one exception family of jc315. Problems found *in* a returned form are not exceptions:
they are `Problem` values in a report. These are for when a command cannot go on at all."""

from __future__ import annotations


class Jc315Error(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(Jc315Error):
    """The command was asked for something it cannot do (bad path, bad option)."""

    exit_code = 2


class CampaignFileError(UsageError):
    """The campaign file cannot be read or does not describe a valid campaign."""


class OutputExistsError(Jc315Error):
    """An output file is already there and --force was not given."""


class DataError(Jc315Error):
    """The inputs, taken together, cannot be processed (e.g. one reporter counted twice)."""
