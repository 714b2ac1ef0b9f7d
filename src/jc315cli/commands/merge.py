"""`jc315 merge`: validate, plan, write. Everything is validated first with the same rules as
`jc315 validate`; the sums are exact; the result is itself a valid input one level up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jc315cli.check.batch import check_batch
from jc315cli.check.merge_plan import MergePlan, plan_merge
from jc315cli.check.validate import Progress, validate_files
from jc315cli.model.campaign import Campaign
from jc315cli.problems.errors import Jc315Error
from jc315cli.read.inputs import collect_inputs
from jc315cli.write.files import (
    ensure_writable,
    refuse_output_onto_inputs,
    require_xlsx,
    write_atomic,
)


def merge_paths(
    paths: list[Path],
    campaign: Campaign,
    output: Path,
    *,
    filled_on: date,
    skip_invalid: bool = False,
    strict: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> MergePlan:
    require_xlsx(output)
    inputs = collect_inputs(paths, campaign)
    if not inputs.forms:
        raise Jc315Error("no-inputs")
    refuse_output_onto_inputs([output], [*paths, *inputs.forms])
    ensure_writable([output], force, option="--output/-o")
    # The writer (openpyxl) is loaded while the workers check the forms: they never need it.
    reports = validate_files(inputs.forms, campaign, progress=progress, meanwhile=_load_writer)
    report = check_batch(reports, campaign, inputs)
    plan = plan_merge(
        report, campaign, filled_on=filled_on, skip_invalid=skip_invalid, strict=strict
    )
    from jc315cli.write.merged_report import consolidated_workbook_bytes

    write_atomic(output, consolidated_workbook_bytes(campaign, plan), force=force)
    return plan


def _load_writer() -> None:
    import jc315cli.write.merged_report  # noqa: F401
