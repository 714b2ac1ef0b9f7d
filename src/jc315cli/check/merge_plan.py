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
from jc315cli.problems.report import BatchReport, FileReport, Number, Problem, exact


class MergePlan(BaseModel):
    filled_on: date
    totals: dict[str, Number]
    included: list[FileReport]
    rejected: list[FileReport]
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
    strict: bool = False,
) -> MergePlan:
    """The merge `report` allows, or a `merge-…` error carrying the report. Without
    --skip-invalid this is exactly `report.ok`, the verdict `validate` gives the same folder."""
    overlaps = sorted(
        {p.message for f in report.files for p in f.errors if kind(p.code).refuses_merge}
    )
    if overlaps:
        raise Jc315Error("merge-double-count", report=report, overlaps="；".join(overlaps))
    rejected = [f for f in report.files if not f.counts and not f.superseded_by]
    if rejected and not skip_invalid:
        raise Jc315Error("merge-invalid-files", report=report, count=len(rejected))
    included = [f for f in report.files if f.counts]
    if not included:
        raise Jc315Error("merge-nothing-valid", report=report)
    if strict and report.summary.doubtful:
        raise Jc315Error("merge-strict-doubtful", report=report, count=report.summary.doubtful)
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


def doubtful(plan: MergePlan) -> list[tuple[FileReport, Problem]]:
    """Every accepted warning that could change a number, in the order of the files."""
    return [(f, p) for f in plan.included for p in f.problems if kind(p.code).doubtful]
