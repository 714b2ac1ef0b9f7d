"""The collection folder: one folder per year's collection, holding its campaign file
(`jc315.toml`), the folders of the process (下发/, 收回/, 退回/, 汇总/, named in the campaign)
and the ledger. A command finds the campaign file by itself, as git finds `.git`: from its
inputs' folder and from the current folder upward. It never guesses: two different campaign
files found is a usage error naming both, and what it found is said on screen."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from jc315cli.model.campaign import Campaign
from jc315cli.problems.errors import Jc315Error

CAMPAIGN_NAME = "jc315.toml"
MAX_DEPTH = 64  # folders walked upward at most: a real path is far shallower


class Source(str, Enum):
    """Where the campaign came from, which decides whom a mismatch blames (mismatch.py)."""

    given = "given"  # --campaign on the command line: the clerk said so
    found = "found"  # jc315.toml of the collection folder
    builtin = "builtin"  # nothing given, nothing found: the built-in 2023 campaign


@dataclass(frozen=True)
class Choice:
    """The campaign a command runs with, where it came from, and the collection folder (None
    outside one: the command then runs as it always has, with no ledger)."""

    campaign: Campaign
    source: Source
    file: Path | None  # the campaign file; None for the built-in campaign
    root: Path | None  # the collection folder; None outside one

    def folder(self, which: str) -> Path | None:
        """The collection's folder for `which` (issued, returned, replies, merged)."""
        if self.root is None:
            return None
        return self.root / str(getattr(self.campaign.folders, which))

    @property
    def report(self) -> Path | None:
        merged = self.folder("merged")
        return (
            None
            if merged is None
            else merged / self.campaign.folders.report_name(self.campaign.year)
        )

    def said(self) -> str:
        """One line saying which campaign this is, for the screen."""
        c = self.campaign
        what = f"{c.year}年，截止 {c.deadline.isoformat()}"
        if self.file is None:
            return f"活动配置：内置的 2023 年晋城市配置（{what}）"
        return f"活动配置：{shown_path(self.file)}（{what}）"


def shown_path(path: Path) -> str:
    """A path as the clerk would type it: relative to the current folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def find_upward(start: Path) -> Path | None:
    """The nearest `jc315.toml` in `start` (a folder, or a file's folder) or above it."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):  # a link loop or an unreadable parent: nothing found here
        return None
    if not here.is_dir():
        here = here.parent
    for _ in range(MAX_DEPTH):
        candidate = here / CAMPAIGN_NAME
        if candidate.is_file():
            return candidate
        if here.parent == here:
            return None
        here = here.parent
    return None


def choose(given: Path | None, inputs: Iterable[Path] = (), cwd: Path | None = None) -> Choice:
    """The campaign for a command: the one given, else the one found from the inputs and the
    current folder, else the built-in one. A `jc315.toml` given by name makes its folder the
    collection folder; any other campaign file given runs outside a collection, as before."""
    from jc315cli.model.campaign_file import load_campaign

    if given is not None:
        root = given.resolve().parent if given.name == CAMPAIGN_NAME else None
        return Choice(load_campaign(given), Source.given, given, root)
    found: dict[str, Path] = {}
    for start in [*inputs, cwd or Path.cwd()]:
        file = find_upward(start)
        if file is not None:
            found.setdefault(os.path.normcase(str(file)), file)
    if len(found) > 1:
        first, second = sorted(found.values())[:2]
        raise Jc315Error(
            "campaign-ambiguous", campaign_a=shown_path(first), campaign_b=shown_path(second)
        )
    if found:
        (file,) = found.values()
        return Choice(load_campaign(file), Source.found, file, file.parent)
    return Choice(load_campaign(None), Source.builtin, None, None)


def campaign_near(given: Path | None, report: Path) -> Campaign:
    """The campaign of an earlier report (compare, summary --compare): the one given, else the
    one of the collection folder the report is in, else the built-in one."""
    from jc315cli.model.campaign_file import load_campaign

    return load_campaign(given if given is not None else find_upward(report))
