"""Checks of one returned form on its own: which form and year it is, whose it is, each value
and the date. Every problem is made through the registry with this campaign's wording."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jc315cli.check.dates import parse_filled_on
from jc315cli.check.normalize import Finding, Normalized, normalize_value
from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.model.form import Item
from jc315cli.model.rules import failed_rules
from jc315cli.model.text import fold
from jc315cli.problems.registry import problem
from jc315cli.problems.report import FileReport, Severity, shown
from jc315cli.read.locate import FormLocation, LabelledCell
from jc315cli.read.matching import match_reporter, reporter_named
from jc315cli.read.workbook import CellValue, WorkbookData, a1, span_a1


class FileCheck:
    """Adds problems to one file's report, filling in the campaign's words and the sheet."""

    def __init__(self, report: FileReport, campaign: Campaign) -> None:
        self.report = report
        self.campaign = campaign
        self.context = campaign.text_fields()

    def add(
        self,
        code: str,
        *,
        cell: str | None = None,
        item: Item | None = None,
        value: object = None,
        **fields: Any,
    ) -> None:
        self.report.problems.append(
            problem(
                code,
                cell=cell,
                sheet=self.report.sheet,
                item=item.id if item else None,
                label=item.label if item else None,
                value=value,
                **{**self.context, **fields},
            )
        )

    def add_finding(
        self, finding: Finding, *, cell: str | None, item: Item | None = None, value: object
    ) -> None:
        self.add(finding.code, cell=cell, item=item, value=value, **finding.fields)


def check_identity(workbook: WorkbookData, check: FileCheck) -> bool:
    """Form id, year and version from the hidden identity, when the file still carries it.
    Returns False when the file is for another form altogether."""
    identity, campaign = workbook.identity, check.campaign
    if identity is None:
        return True
    check.report.form_year, check.report.form_version = identity.year, identity.form_version
    if identity.form_id != campaign.form.id:
        check.add("wrong-form", found=identity.form_id)
        return False
    if identity.year != campaign.year:
        check.add("wrong-year", value=identity.year, found=identity.year)
    if identity.form_version != campaign.form.version:
        check.add("wrong-form-version", value=identity.form_version, found=identity.form_version)
    return True


def check_title(workbook: WorkbookData, location: FormLocation, check: FileCheck) -> None:
    """Without the hidden identity (a pasted copy), the title is what says which form it is."""
    if workbook.identity is not None:
        return
    if location.title_year is not None:
        check.report.form_year = location.title_year
    if location.title is None:
        check.add("title-missing")
    elif not location.title_matches:
        check.add("wrong-title", value=location.title, found=location.title)
    elif location.title_year not in (None, check.campaign.year):
        check.add("wrong-year", value=location.title, found=location.title_year)


def resolve_reporter(
    workbook: WorkbookData, cell: LabelledCell | None, check: FileCheck, path: Path
) -> None:
    """Reporter from the identity sheet; else from the 填报单位 text; else from the file name."""
    report, campaign = check.report, check.campaign
    text = str(cell.value).strip() if cell and cell.value not in (None, "") else ""
    where = a1(cell.row, cell.col) if cell else None
    from_text = match_reporter(campaign, text) if text else None
    identity = workbook.identity

    chosen: Reporter | None = None
    if identity is not None and identity.reporter:
        report.covers = sorted(identity.covered_reporters())
        report.consolidated = identity.kind == "consolidated"
        chosen = reporter_named(campaign, identity.reporter)
        if chosen is None:
            check.add("reporter-not-in-campaign", value=identity.reporter, found=identity.reporter)
            return
        if from_text is not None and from_text != chosen:
            check.add(
                "reporter-mismatch",
                cell=where,
                value=text,
                reporter=chosen.name,
                found=text,
                where="填报单位一栏",
            )
        from_name = match_reporter(campaign, path.stem)
        if from_name is not None and from_name != chosen and from_text in (None, chosen):
            # 泽州县's clerk filled in the form sent to 城区 and named the file 泽州县.xlsx:
            # whose numbers these are cannot be told, and they must not replace 城区's.
            check.add(
                "reporter-mismatch",
                value=path.name,
                reporter=chosen.name,
                found=path.name,
                where="文件名",
            )
    else:
        chosen = from_text or match_reporter(campaign, path.stem)
        if chosen is None:
            said = f"填报单位一栏为“{shown(text)}”" if text else "填报单位一栏为空"
            check.add("unknown-reporter", cell=where, value=text or None, said=said, file=path.name)
            return
        if from_text is None:
            said = f"为“{shown(text)}”" if text else "为空"
            check.add(
                "reporter-from-filename",
                cell=where,
                value=text or None,
                said=said,
                reporter=chosen.name,
            )
    report.reporter = chosen.name
    if not report.covers:
        report.covers = [chosen.name]


def check_values(location: FormLocation, check: FileCheck) -> None:
    form, sheet = check.campaign.form, location.sheet
    if not sheet.visible:
        check.add("hidden-form-sheet", sheet_name=sheet.name)
    units = form.units()
    merged_at = sheet.merged_ranges(location.value_col, location.item_rows.values())
    if location.measure_col is None:
        check.add(
            "measure-column-missing",
            measure_header=form.labels.measure,
            value_header=form.labels.value,
        )
    measures = _measures_written(location)
    blanks = 0
    for item in form.items:
        row = location.item_rows.get(item.id)
        if item.id in location.duplicated:
            cells = "、".join(location.duplicated[item.id])
            check.add(
                "duplicate-label", item=item, item_id=item.id, item_label=item.label, cells=cells
            )
            continue
        if row is None:
            check.add("missing-item", item=item, item_id=item.id, item_label=item.label)
            continue
        if location.measure_col is not None:
            _check_measure(measures[row], a1(row, location.measure_col), item, check)
        raw = sheet.value(row, location.value_col)
        where = a1(row, location.value_col)
        check.report.cells[item.id] = where
        merged = merged_at.get(row)
        if merged is not None:  # one number shown for several cells: which is meant is unknown
            check.add("merged-value", cell=where, item=item, value=raw, cells=span_a1(merged))
            continue
        if sheet.is_hidden(row, location.value_col):
            check.add("hidden-value", cell=where, item=item, value=raw)
            continue
        result = normalize_value(raw, form.measure_of(item), units)
        shown = unseen(sheet.special.get((row, location.value_col)), raw, result)
        if shown is not None:
            code, value, fields = shown
            check.add(code, cell=where, item=item, value=value, **fields)
            continue
        for finding in result.findings:
            blanks += finding.code == "blank"
            check.add_finding(finding, cell=where, item=item, value=raw)
        if result.value is not None:
            check.report.values[item.id] = result.value
    if blanks == len(form.items):
        check.add("all-blank")


def _measures_written(location: FormLocation) -> dict[int, CellValue]:
    """What the 单位 cell of each item row says; a cell merged over several rows says it for
    each of them."""
    sheet, col, rows = location.sheet, location.measure_col, location.item_rows.values()
    if col is None:
        return {}
    merged = sheet.merged_ranges(col, rows)
    return {r: sheet.value(*merged[r][0]) if r in merged else sheet.value(r, col) for r in rows}


def _check_measure(written: CellValue, cell: str, item: Item, check: FileCheck) -> None:
    """The 单位 cell beside a value says what the number counts: emptied, or saying another
    unit, the number cannot be read for sure (a 万元 figure may be in 元)."""
    folded = fold(written)
    if not folded:
        check.add("measure-missing", cell=cell, item=item, value=written, measure=item.measure)
    elif folded != fold(item.measure):
        check.add(
            "measure-mismatch",
            cell=cell,
            item=item,
            value=written,
            measure=item.measure,
            found=written,
        )


def check_date(location: FormLocation, check: FileCheck) -> None:
    cell, campaign = location.filled_on, check.campaign
    raw = cell.value if cell else None
    where = a1(cell.row, cell.col) if cell else None
    parsed = parse_filled_on(raw)
    for finding in parsed.findings:
        check.add_finding(finding, cell=where, value=raw)
    day = parsed.value
    if day is None:
        return
    check.report.filled_on = day
    first, last = campaign.plausible_dates()
    if not first <= day <= last:
        check.add(
            "date-implausible",
            cell=where,
            value=raw,
            day=day.isoformat(),
            first=first.isoformat(),
            last=last.isoformat(),
            deadline=campaign.deadline.isoformat(),
        )
    if campaign.is_late(day):
        check.add(
            "late",
            cell=where,
            value=raw,
            day=day.isoformat(),
            deadline=campaign.deadline.isoformat(),
        )


def unseen(
    special: str | None, raw: object, result: Normalized
) -> tuple[str, object, dict[str, Any]] | None:
    """Why the number read from a cell is not the one a person sees there, as a problem code,
    the value to show and the template's fields: a formula saved without its result, an error
    value, a logical value, a format that shows another number (preflight marks such a cell in
    `Sheet.special`; `raw` is what was read, `result` what it was read as). None when what was
    read is what is shown. Such a cell is never counted: not by `validate`, not when a finished
    report is read back."""
    if special is None or (special[:1] == "~" and not result.accepted):
        return None  # (a format cannot mislead about a value that is refused anyway)
    if special == "=":
        return "formula-no-value", None, {}
    if special.startswith("~"):
        return "display-differs", raw, {"why": special[1:]}
    if special.startswith("#"):
        return "error-value", special, {"raw": special}
    return "logical-value", special, {"raw": special}


def check_rules(check: FileCheck) -> None:
    """One `rule-failed` problem per failed campaign rule, on the first item its check names."""
    form = check.campaign.form
    for rule in failed_rules(form.rules, check.report.values):
        ids = rule.item_ids()
        item = form.item(ids[0]) if ids else None
        check.report.problems.append(
            problem(
                "rule-failed",
                severity=Severity(rule.severity),
                rule=rule.code,
                sheet=check.report.sheet,
                item=item.id if item else None,
                label=item.label if item else None,
                message=rule.message,
                hint=rule.hint,
            )
        )
