"""`jc315 validate`: read what came back and say, per file and per cell, what is wrong.

Per file: find the form, resolve the reporter, normalize each value, check the date and the
form's rules. Across files: duplicates, outliers, double counting, and who has not reported.
"""

from __future__ import annotations

import hashlib
import operator
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from jc315cli.errors import UsageError
from jc315cli.form import Campaign, Condition, Item, Reporter, Rule, parse_expression
from jc315cli.locate import FormLocation, FormNotFound, LabelledCell, locate_form
from jc315cli.matching import fold, match_reporter
from jc315cli.normalize import Finding, normalize_value, parse_filled_on
from jc315cli.reading import FORMATS, UnreadableError, WorkbookData, a1, read_workbook
from jc315cli.report import BatchReport, FileReport, Number, Problem, Severity, Summary

# ---------------------------------------------------------------------------------------------
# Inputs


def is_lock_file(path: Path) -> bool:
    """Office (~$x.xlsx) and LibreOffice (.~lock.x.xlsx#) lock files are not forms."""
    return path.name.startswith("~$") or (path.name.startswith(".~lock.") and path.name.endswith("#"))


def collect_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and every workbook inside each given folder (not recursive), in a stable
    order. A path that does not exist is a usage error."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in FORMATS and not is_lock_file(p)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"路径不存在：{path}", "请检查文件或文件夹名称")
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


# ---------------------------------------------------------------------------------------------
# One file


class _FileCheck:
    """Collects problems for one file while it is being checked."""

    def __init__(self, report: FileReport) -> None:
        self.report = report

    def add(
        self,
        finding: Finding | tuple[Severity, str, str, str],
        *,
        cell: str | None = None,
        item: Item | None = None,
        value: object = None,
        sheet: str | None = None,
    ) -> None:
        if isinstance(finding, tuple):
            finding = Finding(*finding)
        self.report.problems.append(
            Problem(
                severity=finding.severity,
                code=finding.code,
                cell=cell,
                sheet=sheet or self.report.sheet,
                item=item.id if item else None,
                label=item.label if item else None,
                value=show_raw(value),
                message=finding.message,
                hint=finding.hint,
            )
        )


def show_raw(value: object) -> str | None:
    """A cell's content as the person saw it: 12 not 12.0, 2023-03-20 not a datetime repr."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat() if not isinstance(value, datetime) or value.time() != time() else value.date().isoformat()
    return str(value)


def validate_file(path: Path, campaign: Campaign) -> FileReport:
    """Check one returned form on its own (no comparison with other files)."""
    report = FileReport(path=str(path), status="valid")
    check = _FileCheck(report)
    try:
        report.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        workbook = read_workbook(path)
    except (UnreadableError, OSError) as exc:
        report.status = "unreadable"
        message = exc.args[0] if isinstance(exc, UnreadableError) else f"无法读取文件：{exc}"
        check.add((Severity.ERROR, "unreadable", message, "请对方重新保存后再发送，或改存为 .xlsx"))
        return report
    for note in workbook.notes:
        check.add((Severity.INFO, "macros-ignored", note, ""))
    if not _check_identity(workbook, campaign, check):
        report.refresh_status()
        return report
    try:
        location = locate_form(workbook, campaign.form)
    except FormNotFound as exc:
        check.add((Severity.ERROR, exc.code, exc.message, exc.hint))
        report.refresh_status()
        return report
    report.sheet = location.sheet.name

    if workbook.identity is None and location.title_year not in (None, campaign.year):
        check.add(
            (Severity.ERROR, "wrong-year", f"表头为 {location.title_year} 年，本次收集的是 {campaign.year} 年的表",
             f"请使用 {campaign.year} 年下发的统计表"),
            value=location.title,
        )
    _resolve_reporter(workbook, location.reporter, campaign, check, path)
    _check_values(location, campaign, check)
    _check_date(location, campaign, check)
    _check_rules(campaign.form.rules, report.values, check, campaign)
    report.refresh_status()
    return report


def _check_identity(workbook: WorkbookData, campaign: Campaign, check: _FileCheck) -> bool:
    """Form id, year and version from the hidden identity, when the file still carries it.
    Returns False when the file is for another form altogether."""
    identity = workbook.identity
    if identity is None:
        return True
    form = campaign.form
    if identity.form_id != form.id:
        check.add((Severity.ERROR, "wrong-form", f"这不是本统计表（表标识为 {identity.form_id}）", "请使用下发的统计表"))
        return False
    if identity.year != campaign.year:
        check.add(
            (Severity.ERROR, "wrong-year", f"这是 {identity.year} 年的表，本次收集的是 {campaign.year} 年的表",
             f"请使用 {campaign.year} 年下发的统计表重新填写"),
            value=identity.year,
        )
    if identity.form_version != form.version:
        check.add(
            (Severity.ERROR, "wrong-form-version",
             f"表的版本为 {identity.form_version}，本次使用的是 {form.version}",
             "表的项目可能已调整，请使用本次下发的统计表重新填写"),
            value=identity.form_version,
        )
    return True


def _resolve_reporter(
    workbook: WorkbookData,
    cell: LabelledCell | None,
    campaign: Campaign,
    check: _FileCheck,
    path: Path,
) -> None:
    """Reporter from the identity sheet; else from the 填报单位 text; else from the file name."""
    report = check.report
    text = str(cell.value).strip() if cell and cell.value not in (None, "") else ""
    where = a1(cell.row, cell.col) if cell else None
    from_text = match_reporter(campaign, text) if text else None
    identity = workbook.identity

    chosen: Reporter | None = None
    if identity is not None and identity.reporter:
        report.covers = sorted(identity.covered_reporters())
        report.consolidated = identity.kind == "consolidated"
        chosen = next((r for r in campaign.reporters if r.name == identity.reporter), None)
        if chosen is None:
            check.add(
                (Severity.ERROR, "reporter-not-in-campaign",
                 f"表内标识的填报单位“{identity.reporter}”不在本次活动的填报单位名单中",
                 "请确认活动配置（--campaign）是否正确"),
                value=identity.reporter,
            )
            return
        if from_text is not None and from_text != chosen:
            check.add(
                (Severity.WARNING, "reporter-mismatch",
                 f"此表是下发给 {chosen.name} 的，但填报单位一栏写的是“{text}”",
                 "可能是用别的单位的表填写的，请与填报单位核实"),
                cell=where,
                value=text,
            )
    else:
        chosen = from_text or match_reporter(campaign, path.stem)
        if chosen is None:
            found = f"填报单位一栏为“{text}”" if text else "填报单位一栏为空"
            check.add(
                (Severity.ERROR, "unknown-reporter",
                 f"无法确定填报单位：{found}，文件名“{path.name}”中也没有可识别的单位名称",
                 "请在填报单位一栏填写单位全称，如 " + campaign.reporters[0].name),
                cell=where,
                value=text or None,
            )
            return
        if from_text is None:
            check.add(
                (Severity.INFO, "reporter-from-filename",
                 f"填报单位一栏{'为“' + text + '”' if text else '为空'}，按文件名认定为 {chosen.name}", ""),
                cell=where,
                value=text or None,
            )
    report.reporter = chosen.name
    if not report.covers:
        report.covers = [chosen.name]


def _check_values(location: FormLocation, campaign: Campaign, check: _FileCheck) -> None:
    sheet = location.sheet
    blanks = 0
    for item in campaign.form.items:
        row = location.item_rows.get(item.id)
        if row is None:
            check.add(
                (Severity.ERROR, "missing-item", f"找不到第 {item.id} 项“{item.label}”所在的行",
                 "请不要删除或改写项目名称"),
                item=item,
            )
            continue
        if location.measure_col is not None:
            measure = sheet.value(row, location.measure_col)
            if measure not in (None, "") and fold(measure) != fold(item.measure.value):
                check.add(
                    (Severity.ERROR, "measure-mismatch",
                     f"本项的单位应为“{item.measure.value}”，表中写的是“{measure}”",
                     f"请把单位改回“{item.measure.value}”，并按{item.measure.value}填写数量"),
                    cell=a1(row, location.measure_col),
                    item=item,
                    value=measure,
                )
        raw = sheet.value(row, location.value_col)
        result = normalize_value(raw, item)
        for finding in result.findings:
            if finding.code == "blank":
                blanks += 1
            check.add(finding, cell=a1(row, location.value_col), item=item, value=raw)
        if result.value is not None:
            check.report.values[item.id] = result.value
    if blanks == len(campaign.form.items):
        check.add(
            (Severity.ERROR, "all-blank", "所有项目都未填写", "这像是一张空表，请确认发送的是填好的文件"),
        )


def _check_date(location: FormLocation, campaign: Campaign, check: _FileCheck) -> None:
    cell = location.filled_on
    raw = cell.value if cell else None
    where = a1(cell.row, cell.col) if cell else None
    parsed = parse_filled_on(raw)
    for finding in parsed.findings:
        check.add(finding, cell=where, value=raw)
    day = parsed.value
    if day is None:
        return
    report = check.report
    report.filled_on = day
    earliest = campaign.issued_on
    if (earliest and day < earliest) or day.year != campaign.year or day > campaign.deadline + timedelta(days=366):
        check.add(
            (Severity.WARNING, "date-implausible",
             f"填报日期 {day.isoformat()} 不合常理（本次活动 {campaign.year} 年，截止 {campaign.deadline.isoformat()}）",
             "请核实填报日期"),
            cell=where,
            value=raw,
        )
    if day > campaign.deadline:
        report.late = True
        check.add(
            (Severity.WARNING, "late",
             f"逾期：填报日期 {day.isoformat()} 晚于报送截止日期 {campaign.deadline.isoformat()}",
             ""),
            cell=where,
            value=raw,
        )


_OPERATORS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "==": operator.eq, "!=": operator.ne, ">": operator.gt,
    ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}


def _evaluate(condition: Condition, values: dict[str, Number]) -> bool | None:
    def side(text: str) -> Decimal | None:
        total = Decimal(0)
        for term in parse_expression(text):
            if isinstance(term, Decimal):
                total += term
            elif term in values:
                total += Decimal(values[term])
            else:
                return None
        return total

    left, right = side(condition.left), side(condition.right)
    if left is None or right is None:
        return None
    return _OPERATORS[condition.operator](left, right)


def _check_rules(rules: Sequence[Rule], values: dict[str, Number], check: _FileCheck, campaign: Campaign) -> None:
    for rule in rules:
        if rule.when is not None and _evaluate(rule.when, values) is not True:
            continue
        if _evaluate(rule.check, values) is False:
            ids = [t for t in parse_expression(rule.check.left) + parse_expression(rule.check.right) if isinstance(t, str)]
            item = campaign.form.item(ids[0]) if ids else None
            check.add((Severity(rule.severity), rule.code, rule.message, rule.hint), item=item)


# ---------------------------------------------------------------------------------------------
# Many files


def validate_paths(paths: Iterable[Path], campaign: Campaign) -> BatchReport:
    """Validate every input, then check them against each other."""
    reports = [validate_file(path, campaign) for path in collect_inputs(paths)]
    return check_batch(reports, campaign)


def check_batch(reports: list[FileReport], campaign: Campaign) -> BatchReport:
    _check_duplicates(reports)
    _check_double_counting(reports)
    _check_outliers(reports, campaign)
    for report in reports:
        report.refresh_status()
    reported = {r.reporter for r in reports if r.reporter and r.status != "unreadable"}
    summary = Summary(
        files=len(reports),
        valid=sum(r.status == "valid" for r in reports),
        invalid=sum(r.status == "invalid" for r in reports),
        unreadable=sum(r.status == "unreadable" for r in reports),
        missing=[r.name for r in campaign.reporters if r.name not in reported],
        superseded=[r.path for r in reports if r.superseded_by],
        late=sorted({r.reporter for r in reports if r.late and r.reporter and not r.superseded_by}),
    )
    return BatchReport(files=reports, summary=summary)


def _problem(severity: Severity, code: str, message: str, hint: str = "") -> Problem:
    return Problem(severity=severity, code=code, message=message, hint=hint)


def _check_duplicates(reports: list[FileReport]) -> None:
    """Two files for one reporter: identical → keep one; different → the later 填报日期 wins;
    a tie cannot be decided and is an error on each."""
    by_reporter: dict[str, list[FileReport]] = defaultdict(list)
    for report in reports:
        if report.reporter and report.status != "unreadable":
            by_reporter[report.reporter].append(report)
    for reporter, group in by_reporter.items():
        if len(group) < 2:
            continue
        names = "、".join(Path(r.path).name for r in group)
        distinct = {tuple(sorted(r.values.items())) for r in group}
        if len(distinct) == 1:
            keep = group[0]
            for other in group[1:]:
                other.superseded_by = keep.path
                other.problems.append(_problem(
                    Severity.WARNING, "duplicate-identical",
                    f"{reporter} 报送了内容相同的多份文件（{names}），只计一份：{Path(keep.path).name}",
                ))
            continue
        latest = max((r.filled_on for r in group if r.filled_on is not None), default=None)
        winners = [r for r in group if r.filled_on == latest] if latest else []
        if len(winners) != 1:
            for report in group:
                report.problems.append(_problem(
                    Severity.ERROR, "duplicate-tie",
                    f"{reporter} 报送了数值不同的多份文件（{names}），填报日期相同或缺失，无法判断以哪份为准",
                    "请与该单位确认后只保留一份",
                ))
            continue
        winner = winners[0]
        for report in group:
            if report is winner:
                continue
            report.superseded_by = winner.path
            report.problems.append(_problem(
                Severity.WARNING, "superseded",
                f"已被填报日期更晚的 {Path(winner.path).name}（{winner.filled_on}）替代，不计入汇总",
            ))
            winner.problems.append(_problem(
                Severity.INFO, "supersedes",
                f"替代了 {reporter} 先前报送的 {Path(report.path).name}（{report.filled_on or '无日期'}）",
            ))


def _check_double_counting(reports: list[FileReport]) -> None:
    """Two inputs of different reporters that contain the same reporting body (a county's form
    and a city total that already includes it) would count it twice."""
    active = [r for r in reports if r.covers and not r.superseded_by and r.status != "unreadable"]
    for i, first in enumerate(active):
        for second in active[i + 1:]:
            if first.reporter is not None and first.reporter == second.reporter:
                continue
            overlap = sorted(set(first.covers) & set(second.covers))
            if overlap:
                message = (
                    f"{'、'.join(overlap)} 的数据同时包含在 {Path(first.path).name} 和 "
                    f"{Path(second.path).name} 中，汇总会重复计算"
                )
                for report in (first, second):
                    report.problems.append(_problem(
                        Severity.ERROR, "double-count", message, "请只保留其中一份（下级单位的表或已含该单位的汇总表）",
                    ))


def _check_outliers(reports: list[FileReport], campaign: Campaign) -> None:
    """A value more than `outlier_factor` times the median of the other reporters' values."""
    active = [r for r in reports if r.reporter and not r.superseded_by and r.status == "valid"]
    factor = campaign.form.outlier_factor
    for item in campaign.form.items:
        for report in active:
            value = report.values.get(item.id)
            others = [Decimal(o.values[item.id]) for o in active if o is not report and item.id in o.values]
            if value is None or len(others) < 2:
                continue
            median = statistics.median(others)
            if median > 0 and Decimal(value) > factor * median:
                report.problems.append(Problem(
                    severity=Severity.WARNING, code="outlier", item=item.id, label=item.label,
                    value=str(value),
                    message=f"{value} {item.measure.value} 超过其他单位中位数（{median}）的 {factor} 倍，请核实",
                    hint="如数值无误可忽略此提示",
                ))
