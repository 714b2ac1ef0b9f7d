"""Deciding a merge, without writing anything: which files count, the exact totals, who is
missing and who is late. A pure function of the batch report, so the writer only writes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, field_serializer

from jc315cli.model.campaign import Campaign
from jc315cli.model.form import ValueKind
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.registry import kind
from jc315cli.problems.report import BatchReport, FileReport, Number, Problem, Tier, exact


class MergePlan(BaseModel):
    filled_on: date
    totals: dict[str, Number]
    included: list[FileReport]
    rejected: list[FileReport]  # files with errors, and, with --skip-invalid, files 待核实
    superseded: list[FileReport]
    missing: list[str]
    late: list[str]
    report: BatchReport

    @field_serializer("totals")
    def _exact_totals(self, totals: dict[str, Number]) -> dict[str, int | str]:
        return {key: exact(value) for key, value in totals.items()}

    def to_json(self, output: Path) -> dict[str, Any]:
        def name(r: FileReport) -> dict[str, object]:
            day = r.filled_on.isoformat() if r.filled_on else None
            return {"path": r.path, "reporter": r.reporter, "filled_on": day, "sha256": r.sha256}

        return {
            "output": str(output),
            "filled_on": self.filled_on.isoformat(),
            "totals": {key: exact(value) for key, value in self.totals.items()},
            "included": [name(r) for r in self.included],
            "missing": self.missing,
            "rejected": [name(r) for r in self.rejected],
            "superseded": [name(r) for r in self.superseded],
            "late": self.late,
            "doubtful": [_doubtful_json(f, p) for f, p in doubtful(self, counted_only=False)],
            "summary": self.report.summary.model_dump(mode="json"),
            "materials": self.report.materials,
            # the same notes `validate --format json` gives: a merge hides nothing it was told
            "material_notes": [n.model_dump(mode="json") for n in self.report.material_notes],
        }


def add_up(campaign: Campaign, reports: list[FileReport]) -> dict[str, Number]:
    """Exact totals per item: int for counts, Decimal with the measure's places for money."""
    form = campaign.form
    totals: dict[str, Number] = {}
    for item in form.items:
        measure = form.measure_of(item)
        if measure.kind is ValueKind.MONEY:
            money = sum((Decimal(r.values.get(item.id, 0)) for r in reports), Decimal(0))
            totals[item.id] = money.quantize(Decimal(1).scaleb(-measure.places))
        else:
            totals[item.id] = sum(int(r.values.get(item.id, 0)) for r in reports)
    return totals


def plan_merge(
    report: BatchReport,
    campaign: Campaign,
    *,
    filled_on: date,
    skip_invalid: bool = False,
) -> MergePlan:
    """The merge `report` allows, or a `merge-…` error carrying the report. Without
    --skip-invalid this is exactly `report.ok`, the verdict `validate` gives the same folder: a
    file with errors, or with a 核实性 value nobody has confirmed, keeps the report unwritten.
    With it, both are left out and listed (as 已退回 and 待核实)."""
    overlaps = sorted(
        {p.message for f in report.files for p in f.errors if kind(p.code).refuses_merge}
    )
    if overlaps:
        raise Jc315Error("merge-double-count", report=report, overlaps="；".join(overlaps))
    rejected = [f for f in report.files if not f.counts and not f.superseded_by]
    failed = [f for f in rejected if not f.usable]
    if failed and not skip_invalid:
        raise Jc315Error("merge-invalid-files", report=report, count=len(failed))
    if rejected and not skip_invalid:
        raise Jc315Error("merge-unverified", report=report, count=len(rejected))
    included = [f for f in report.files if f.counts]
    if not included:
        raise Jc315Error("merge-nothing-valid", report=report)
    return MergePlan(
        filled_on=filled_on,
        totals=add_up(campaign, included),
        included=included,
        rejected=rejected,
        superseded=[f for f in report.files if f.superseded_by],
        missing=report.summary.missing,  # no file at all; a rejected reporter is listed as rejected
        late=[f.reporter for f in included if f.late and f.reporter],
        report=report,
    )


def doubtful(plan: MergePlan, *, counted_only: bool = True) -> list[tuple[FileReport, Problem]]:
    """Every 核实性 value of the files counted (each confirmed, or it would not count), and
    with `counted_only` False those of the files left out for it (待核实), in the order of the
    files: what the province is told about the numbers it receives."""
    files = plan.included if counted_only else [*plan.included, *plan.rejected]
    return [(f, p) for f in files for p in f.problems if p.tier is Tier.VERIFY]


def _doubtful_json(report: FileReport, p: Problem) -> dict[str, object]:
    said = p.verified
    return {
        "reporter": report.reporter,
        "path": report.path,
        "item": p.item,
        "cell": p.cell,
        "value": exact(report.values[p.item]) if p.item in report.values else None,
        "code": p.code,
        "message": p.message,
        "state": "verified" if said else "pending",
        "verified": None if said is None else said.model_dump(mode="json"),
    }
