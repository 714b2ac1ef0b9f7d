"""Reading a finished report back as figures: one unit's returned form, or a merged report
(its 汇总 sheet has the layout of a returned form, so the same reading, locating and
normalizing path reads both), plus, for a merged report, each unit's column of 分单位明细
(unit_columns.py, on the sheet detail_layout.py finds).

Used by `jc315 summary` and `jc315 compare`. A report read here is not judged as a
submission (no deadline, no 填报单位 list to be on): only whether its numbers can be known. So
each cell it reads is held to what `validate` holds a form's value cell to, and a merged report
to its 分单位明细: one that has none, or whose numbers disagree, is refused, never printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from jc315cli.check.dates import parse_filled_on
from jc315cli.check.one_file import FileCheck, check_values
from jc315cli.figures.detail_layout import detail_sheet
from jc315cli.figures.unit_columns import UnitColumn, read_units
from jc315cli.model.campaign import Campaign
from jc315cli.model.form import Item
from jc315cli.model.identity import Identity
from jc315cli.model.text import fold
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.lines import problem_line
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport, Number, Problem, shown, visible
from jc315cli.read.locate import FormLocation, locate_form
from jc315cli.read.matching import match_reporter
from jc315cli.read.workbook import WorkbookData, load_bytes, parse_workbook

AREA = re.compile(r"^(.+?[省市县区旗州盟])(?:市场监督管理局|市场监管局|消费者协会)")

ReportKind = Literal["form", "consolidated"]
SHOWN_ERRORS = 30  # a report refused for more errors lists these and counts the rest


@dataclass(frozen=True)
class ReportFigures:
    """What a report says, with the campaign it was read with."""

    path: Path
    campaign: Campaign
    kind: ReportKind
    year: int
    version: str
    reporter: str  # full name: the organizer for a merged report
    subject: str  # who the paragraph speaks of: 全市 for a merged report, 泽州县 for a form
    values: dict[str, Number]
    filled_on: date | None = None
    units: list[UnitColumn] | None = None  # a merged report's 分单位明细, when it has one
    warnings: list[Problem] = field(default_factory=list)

    def value(self, item: Item) -> Number:
        return self.values[item.id]

    @property
    def kind_words(self) -> str:
        return "汇总表" if self.kind == "consolidated" else "统计表"


def read_report(path: Path, campaign: Campaign, *, option: str = "--campaign") -> ReportFigures:
    """The figures of the report in `path`, read with `campaign` (named on the command line by
    `option`). Raises a Jc315Error when the file cannot be read or a number in it cannot be
    known; the error names the cells. Every cell read is checked as `validate` checks a form's
    value cell; a merged report is held to its 分单位明细, and one that has none is refused."""
    if not path.exists():
        raise Jc315Error("path-not-found", path=path)
    workbook = _open(path)
    identity = workbook.identity
    _check_identity(path, identity, campaign, option)
    location = locate_form(workbook, campaign.form)
    if identity is None and location.title_year not in (None, campaign.year):
        _mismatch(path, f"{location.title_year}年", campaign, option)
    report = FileReport(path=str(path), sheet=location.sheet.name)
    check_values(location, FileCheck(report, campaign))
    whose = _whose(workbook, location, campaign, path)
    if whose is None:  # refused below: not plainly a form, nor a merged report
        text = _reporter_text(workbook, location)
        found = f"为“{shown(text)}”" if text else "为空"
        report.problems.append(problem("report-kind-unknown", found=found))
    kind, reporter, subject = whose or ("form", path.stem, "本单位")
    units = read_units(workbook, campaign, report, location) if kind == "consolidated" else None
    if report.errors:
        _refuse(path, report.errors)
    filled_on = parse_filled_on(location.filled_on.value if location.filled_on else None).value
    return ReportFigures(
        path=path,
        campaign=campaign,
        kind=kind,
        year=identity.year if identity else campaign.year,
        version=identity.form_version if identity else campaign.form.version,
        reporter=reporter,
        subject=subject,
        values=dict(report.values),
        filled_on=filled_on,
        units=units,
        warnings=report.warnings,
    )


def _open(path: Path) -> WorkbookData:
    """The report's workbook. One that cannot be read is the user's own file given on the
    command line, not a unit's to be sent again: said so, with what summary and compare read."""
    try:
        return parse_workbook(path, load_bytes(path))
    except Jc315Error as error:
        if error.problem.code != "unreadable":
            raise
        raise Jc315Error("report-unreadable", file=visible(path.name), why=error.message) from None


def refuse_same_report(last: Path, this: Path) -> None:
    """One report given as both the last and this one (the same file, a link to it or a copy):
    a slip, and every change would read 持平, ready to be pasted into a 总结."""
    if not (last.is_file() and this.is_file()):
        return  # read_report says what is wrong with it
    if last.resolve() == this.resolve() or load_bytes(last).sha256 == load_bytes(this).sha256:
        raise Jc315Error("same-report", last_file=visible(last.name), this_file=visible(this.name))


def _check_identity(path: Path, identity: Identity | None, campaign: Campaign, option: str) -> None:
    if identity is None:
        return
    if identity.form_id != campaign.form.id:
        raise Jc315Error("wrong-form", found=identity.form_id)
    if identity.year != campaign.year or identity.form_version != campaign.form.version:
        _mismatch(path, f"{identity.year}年、版本 {shown(identity.form_version)}", campaign, option)


def _mismatch(path: Path, found: str, campaign: Campaign, option: str) -> None:
    expected = f"{campaign.year}年、版本 {campaign.form.version}"
    raise Jc315Error(
        "report-campaign-mismatch",
        file=visible(path.name),
        said=found,
        expected=expected,
        flag=option,
    )


def _refuse(path: Path, errors: list[Problem]) -> None:
    first = errors[0]
    lines = []
    for p in errors[:SHOWN_ERRORS]:
        lines.append(f"  × {problem_line(p, sheet=True)}")
    if len(errors) > SHOWN_ERRORS:
        lines.append(f"  ……另有 {len(errors) - SHOWN_ERRORS} 处，改正以上各处后再看")
    raise Jc315Error(
        "report-invalid",
        cell=first.cell,
        sheet=first.sheet,
        item=first.item,
        label=first.label,
        value=first.value,
        file=visible(path.name),
        count=len(errors),
        details=visible("\n".join(lines)),
    )


def area(organizer: str) -> str:
    """全市 for 晋城市市场监督管理局, 全省 for 山西省市场监督管理局; else the name itself."""
    match = AREA.match(organizer)
    return f"全{match.group(1)[-1]}" if match else organizer


def _reporter_text(workbook: WorkbookData, location: FormLocation) -> str:
    """Whom the report says it is from: its identity, else its 填报单位 cell."""
    identity = workbook.identity
    if identity is not None and identity.reporter:
        return identity.reporter
    cell = location.reporter
    return str(cell.value).strip() if cell is not None and cell.value not in (None, "") else ""


def _whose(
    workbook: WorkbookData, location: FormLocation, campaign: Campaign, path: Path
) -> tuple[ReportKind, str, str] | None:
    """Merged or one unit's, whose, and how the paragraph names it; None when it cannot be told.

    A merged report says so by its identity, by the organizer in its 填报单位, or, pasted
    without its identity, by its 分单位明细 (and is then held to that sheet). A report is read
    as one unit's form only when its identity says so, or, without one, its 填报单位 names a
    unit of the campaign (a file name is not enough): a merged report stripped of its identity
    and its 分单位明细 must not pass for a form whose numbers nothing checks."""
    identity = workbook.identity
    text = _reporter_text(workbook, location)
    unit = match_reporter(campaign, text or (path.stem if identity is not None else ""))
    organizer = bool(text) and fold(text) == fold(campaign.organizer)
    if identity is not None and identity.kind == "consolidated":
        name = identity.reporter or campaign.organizer
    elif organizer or (identity is None and detail_sheet(workbook) is not None):
        name = unit.name if unit is not None and text and not organizer else campaign.organizer
    elif unit is not None:
        return "form", unit.name, unit.short_name
    elif identity is not None:  # its identity says it is a unit's form
        return "form", text or path.stem, text or "本单位"
    else:
        return None
    return "consolidated", name, area(name)
