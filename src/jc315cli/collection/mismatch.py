"""A forgotten --campaign told from a county's wrong form. When every form that says which
form it is says the same other year or version, the campaign is what is wrong, not the seven
counties: that is a usage problem (exit 2), said before anything is written, naming the
campaign file that fits the forms when one is near. One county's old form among this year's
is still that county's error, reported on its file as before."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jc315cli.collection.folder import Choice, Source, shown_path
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import FileReport

# How many agreeing forms make the campaign, not the counties, the likely mistake: two, or
# one when a campaign file that fits it lies near (then the clerk has that year's campaign and
# did not use it). A campaign given by name is trusted: its forms' mismatches are the
# counties' errors, as before.
AGREEING = {Source.builtin: 2, Source.found: 2}
MAX_CANDIDATES = 50  # campaign files looked at when naming the likely one


def refuse_mismatch(reports: Iterable[FileReport], choice: Choice, near: Iterable[Path]) -> None:
    """Raise when the forms agree among themselves and not with the campaign."""
    needed = AGREEING.get(choice.source)
    if needed is None:
        return
    c = choice.campaign
    said = {(r.form_year, r.form_version) for r in reports if r.form_year is not None}
    count = sum(1 for r in reports if r.form_year is not None)
    if len(said) != 1:
        return
    ((year, version),) = said
    if year == c.year and version in (None, c.form.version):
        return
    likely = likely_campaign(year, version, near)
    if count < needed and likely is None:
        return
    found = f"{year} 年" + (f"（版本 {version}）" if version else "")
    raise Jc315Error(
        "campaign-mismatch",
        count=count,
        forms_say=found,
        used=choice.said().removeprefix("活动配置："),
        remedy=f"请加 --campaign {likely}" if likely else "请用 --campaign 指定本次的活动配置文件",
    )


def likely_campaign(year: int, version: str | None, near: Iterable[Path]) -> str | None:
    """A campaign file in the given folders (or above them, by the collection rule) whose year
    and form version fit the forms, as the clerk would type it."""
    from jc315cli.collection.folder import find_upward
    from jc315cli.model.campaign_file import load_campaign

    candidates: dict[Path, None] = {}
    for folder in near:
        folder = folder if folder.is_dir() else folder.parent
        above = find_upward(folder)
        if above is not None:
            candidates[above] = None
        try:
            for path in sorted(folder.glob("*.toml"))[:MAX_CANDIDATES]:
                candidates[path] = None
        except OSError:
            continue
    for path in list(candidates)[:MAX_CANDIDATES]:
        try:
            campaign = load_campaign(path)
        except Jc315Error:
            continue
        if campaign.year == year and version in (None, campaign.form.version):
            shown = shown_path(path)
            return f'"{shown}"' if " " in shown else shown
    return None
