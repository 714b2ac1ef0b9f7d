"""`jc315 validate`: read what came back and say, per file and per cell, what is wrong.

The path of the data: inputs.py finds the files, reading.py opens each, locate.py finds the
form in it, checks.py checks it (normalize.py and dates.py for each cell, rules.py for the
campaign's rules), and batch.py compares the files with each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jc315cli.batch import check_batch
from jc315cli.campaign import Campaign
from jc315cli.checks import (
    FileCheck,
    check_date,
    check_identity,
    check_rules,
    check_title,
    check_values,
    resolve_reporter,
)
from jc315cli.errors import Jc315Error
from jc315cli.inputs import collect_inputs
from jc315cli.locate import locate_form
from jc315cli.matching import match_reporter
from jc315cli.reading import load_bytes, parse_workbook
from jc315cli.report import BatchReport, FileReport


def validate_file(path: Path, campaign: Campaign) -> FileReport:
    """Check one returned form on its own (no comparison with other files)."""
    report = FileReport(path=str(path))
    check = FileCheck(report, campaign)
    try:
        loaded = load_bytes(path)
        report.sha256 = loaded.sha256
        workbook = parse_workbook(path, loaded)
    except Jc315Error as error:
        report.problems.append(error.problem)
        named = match_reporter(campaign, path.stem)  # so the sender is 已退回, not 未报送
        report.reporter = named.name if named else None
        return report
    if workbook.macros:
        check.add("macros-ignored")
    if not check_identity(workbook, check):
        return report
    try:
        location = locate_form(workbook, campaign.form)
    except Jc315Error as error:
        report.problems.append(error.problem)
        return report
    report.sheet = location.sheet.name
    check_title(workbook, location, check)
    resolve_reporter(workbook, location.reporter, check, path)
    check_values(location, check)
    check_date(location, check)
    check_rules(check)
    return report


def validate_paths(paths: Iterable[Path], campaign: Campaign) -> BatchReport:
    """Validate every input, then check them against each other."""
    inputs = collect_inputs(paths, campaign)
    if not inputs.forms:
        raise Jc315Error("no-inputs")
    reports = [validate_file(path, campaign) for path in inputs.forms]
    return check_batch(reports, campaign, inputs)
