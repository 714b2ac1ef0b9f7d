"""Last year's figures of each reporter, for checking this year's forms against them as they
come in (check/against.py): read from last year's merged report, which jc315 merge wrote with
each unit's column in 分单位明细, and read as `summary` and `compare` read a finished report
(read_back.py), so a report whose numbers cannot be known is refused, never compared.

Given a folder, it is last year's collection folder: its campaign file says last year's form
and where its merged report is. Given a file, it is read with this year's form when it is the
same version, else with the built-in one when that fits; otherwise the folder is asked for.
"""

from __future__ import annotations

from pathlib import Path

from jc315cli.check.against import LastYear
from jc315cli.figures.change import periods
from jc315cli.figures.item_pairs import match_items
from jc315cli.figures.read_back import read_report
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import CAMPAIGN_FILE, Campaign
from jc315cli.model.campaign_file import load_campaign
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import Number, visible
from jc315cli.read.matching import match_reporter
from jc315cli.read.workbook import load_bytes, parse_workbook

OPTION = "--last-year"


def last_year_path(
    campaign: Campaign, campaign_file: Path | None, given: Path | None
) -> Path | None:
    """Where last year's figures are: `--last-year` when given, else the campaign's
    `last_year`, which is relative to the campaign file it is written in."""
    if given is not None:
        return given
    if campaign.last_year is None:
        return None
    base = campaign_file.parent if campaign_file is not None else Path.cwd()
    return base / campaign.last_year


def last_year_for(
    campaign: Campaign, campaign_file: Path | None, given: Path | None
) -> LastYear | None:
    """Last year's figures when `--last-year` or the campaign names them, else None."""
    path = last_year_path(campaign, campaign_file, given)
    return None if path is None else read_last_year(path, campaign)


def read_last_year(path: Path, campaign: Campaign) -> LastYear:
    """Each reporter's figures in last year's merged report (or collection folder) `path`, by
    this campaign's reporters and items: items are paired as `compare` pairs them (renamed or
    renumbered items found; an item whose measure changed is left out)."""
    report_path, last_campaign = _source(path, campaign)
    figures = read_report(report_path, last_campaign, option=OPTION)
    if figures.kind != "consolidated" or not figures.units:
        raise Jc315Error("last-year-not-merged", file=visible(report_path.name))
    if figures.year >= campaign.year:
        raise Jc315Error(
            "last-year-not-earlier",
            file=visible(report_path.name),
            year=figures.year,
            this_year=campaign.year,
        )
    pairs = match_items(last_campaign.form, campaign.form, periods(figures.year, campaign.year))
    ids = {p.this.id: p.last.id for p in pairs if p.comparable and p.this and p.last}
    values: dict[str, dict[str, Number]] = {}
    for unit in figures.units:
        reporter = match_reporter(campaign, unit.name)
        if unit.absent or reporter is None:
            continue
        values[reporter.name] = {
            this_id: unit.values[last_id]
            for this_id, last_id in ids.items()
            if last_id in unit.values
        }
    return LastYear(year=figures.year, values=values, folder=_folder(path, report_path))


def _folder(given: Path, report: Path) -> Path | None:
    """Last year's collection folder: the one given, or the one the report lies in."""
    from jc315cli.collection.folder import find_upward

    if given.is_dir():
        return given
    campaign_file = find_upward(report)
    return campaign_file.parent if campaign_file is not None else None


def _source(path: Path, campaign: Campaign) -> tuple[Path, Campaign]:
    """The merged report to read and the campaign to read it with."""
    if path.is_dir():
        last = load_campaign(path / CAMPAIGN_FILE)
        return path / last.folders.merged / last.folders.report_name(last.year), last
    if not path.exists():
        raise Jc315Error("path-not-found", path=path)
    identity = parse_workbook(path, load_bytes(path)).identity
    if identity is None:  # pasted without its identity: this year's form, of the year before
        return path, campaign.model_copy(update={"year": campaign.year - 1})
    for known in (campaign, DEFAULT_CAMPAIGN):
        if (known.form.id, known.form.version) == (identity.form_id, identity.form_version):
            return path, known.model_copy(update={"year": identity.year})
    if identity.form_id != campaign.form.id:
        return path, campaign  # not this form at all: read_report says so
    raise Jc315Error(
        "last-year-other-form",
        file=visible(path.name),
        year=identity.year,
        found=identity.form_version,
        version=campaign.form.version,
    )
