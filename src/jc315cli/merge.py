"""`jc315 merge`: add up the valid forms exactly and write the consolidated report.

Everything is validated first with the same rules as `jc315 validate`; the sum is exact (int
for counts, Decimal for 万元); the result is itself a valid input one level up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from jc315cli.errors import DataError, UsageError
from jc315cli.form import MONEY_PLACES, Campaign, ValueKind
from jc315cli.merge_workbook import consolidated_workbook_bytes
from jc315cli.output import ensure_writable, write_atomic
from jc315cli.report import BatchReport, FileReport, Number, exact
from jc315cli.validate import check_batch, collect_inputs, validate_file


class InvalidInputsError(DataError):
    """Some input has errors; nothing was written. Carries the report to show."""

    def __init__(self, message: str, report: BatchReport, hint: str = "") -> None:
        super().__init__(message, hint)
        self.report = report


@dataclass
class MergeResult:
    output: Path
    filled_on: date
    totals: dict[str, Number]
    included: list[FileReport]
    rejected: list[FileReport]
    superseded: list[FileReport]
    missing: list[str]
    late: list[str]
    report: BatchReport

    def to_json(self) -> dict[str, object]:
        def name(r: FileReport) -> dict[str, object]:
            return {"path": r.path, "reporter": r.reporter, "filled_on": r.filled_on.isoformat() if r.filled_on else None, "sha256": r.sha256}

        return {
            "output": str(self.output),
            "filled_on": self.filled_on.isoformat(),
            "totals": {key: exact(value) for key, value in self.totals.items()},
            "included": [name(r) for r in self.included],
            "missing": self.missing,
            "rejected": [name(r) for r in self.rejected],
            "superseded": [name(r) for r in self.superseded],
            "late": self.late,
        }


def add_up(campaign: Campaign, reports: list[FileReport]) -> dict[str, Number]:
    """Exact totals per item: int for counts, Decimal with 4 places for 万元."""
    totals: dict[str, Number] = {}
    for item in campaign.form.items:
        if item.kind is ValueKind.MONEY:
            money = sum((Decimal(r.values.get(item.id, 0)) for r in reports), Decimal(0))
            totals[item.id] = money.quantize(Decimal(1).scaleb(-MONEY_PLACES))
        else:
            totals[item.id] = sum(int(r.values.get(item.id, 0)) for r in reports)
    return totals


def merge_paths(
    paths: list[Path],
    campaign: Campaign,
    output: Path,
    *,
    filled_on: date,
    skip_invalid: bool = False,
    force: bool = False,
) -> MergeResult:
    inputs = collect_inputs(paths)
    if not inputs:
        raise UsageError("没有找到任何统计表文件", "请给出文件，或含有 .xlsx/.xls/.ods 文件的文件夹")
    if any(p.resolve() == output.resolve() for p in inputs):
        raise UsageError(f"输出文件 {output} 也是输入文件之一", "请用 -o 指定另一个文件名，输入文件不会被修改")
    ensure_writable([output], force)
    report = check_batch([validate_file(p, campaign) for p in inputs], campaign)

    overlaps = sorted({p.message for f in report.files for p in f.errors if p.code == "double-count"})
    if overlaps:
        raise InvalidInputsError("拒绝汇总：" + "；".join(overlaps), report, "同一单位的数据不能计算两次")
    bad = [f for f in report.files if f.status != "valid" and not f.superseded_by]
    if bad and not skip_invalid:
        raise InvalidInputsError(
            f"{len(bad)} 个文件未通过校验，未写出汇总表",
            report,
            "改正后重新汇总；或加 --skip-invalid 只汇总通过校验的文件",
        )
    superseded = [f for f in report.files if f.superseded_by]
    included = [f for f in report.files if f.status == "valid" and not f.superseded_by]
    rejected = [f for f in report.files if f.status != "valid" and not f.superseded_by]
    if not included:
        raise InvalidInputsError("没有通过校验的文件，无法汇总", report)
    totals = add_up(campaign, included)
    missing = report.summary.missing  # no file at all; a rejected reporter is listed as rejected
    late = [f.reporter for f in included if f.late and f.reporter]
    result = MergeResult(
        output=output,
        filled_on=filled_on,
        totals=totals,
        included=included,
        rejected=rejected,
        superseded=superseded,
        missing=missing,
        late=late,
        report=report,
    )
    write_atomic(output, consolidated_workbook_bytes(campaign, result), force=force)
    return result
