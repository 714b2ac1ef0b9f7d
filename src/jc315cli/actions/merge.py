"""Merging a collection: validate, plan, write, with the same rules as `jc315 validate`; the
sums are exact; the result is itself a valid input one level up. Works without Typer, for
`jc315 merge` and the page alike; what it needs is loaded when it runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jc315cli.check.against import LastYear
    from jc315cli.check.confirm import Confirmations
    from jc315cli.check.merge_plan import MergePlan
    from jc315cli.check.validate import Progress
    from jc315cli.collection.records import MergeRecord
    from jc315cli.collection.session import Session
    from jc315cli.model.campaign import Campaign


def merge_paths(
    paths: list[Path],
    campaign: Campaign,
    output: Path,
    *,
    filled_on: date,
    skip_invalid: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    session: Session | None = None,
    last_year: LastYear | None = None,
    confirmations: Confirmations | None = None,
) -> MergePlan:
    from jc315cli.check.batch import check_batch
    from jc315cli.check.merge_plan import plan_merge
    from jc315cli.check.validate import validate_files
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.read.inputs import collect_inputs
    from jc315cli.write.files import (
        ensure_writable,
        refuse_output_onto_inputs,
        require_xlsx,
        write_atomic,
    )

    require_xlsx(output)
    inputs = collect_inputs(paths, campaign)
    if not inputs.forms:
        raise Jc315Error("no-inputs")
    refuse_output_onto_inputs([output], [*paths, *inputs.forms])
    ensure_writable([output], force, option="--output/-o")
    # The writer (openpyxl) is loaded while the workers check the forms: they never need it.
    reports = validate_files(inputs.forms, campaign, progress=progress, meanwhile=_load_writer)
    if session is not None:
        session.adjust(reports)
        if confirmations is None:
            confirmations = session.confirmations()
    report = check_batch(
        reports, campaign, inputs, last_year=last_year, confirmations=confirmations
    )
    if session is not None:
        session.record_batch(report)
    plan = plan_merge(report, campaign, filled_on=filled_on, skip_invalid=skip_invalid)
    from jc315cli.write.merged_report import consolidated_workbook_bytes

    board = session.board_after(report, filled_on) if session is not None else None
    data = consolidated_workbook_bytes(campaign, plan, board)
    write_atomic(output, data, force=force)
    if session is not None:
        session.record_merge(merge_record(session.shown(output), data, plan))
    return plan


def merge_record(name: str, data: bytes, plan: MergePlan) -> MergeRecord:
    import hashlib

    from jc315cli.collection.records import MergeRecord

    return MergeRecord(
        output_name=name,
        output_sha256=hashlib.sha256(data).hexdigest(),
        inputs=tuple(f.sha256 for f in plan.included),
        totals=dict(plan.totals),
        filled_on=plan.filled_on,
    )


def _load_writer() -> None:
    import jc315cli.write.merged_report  # noqa: F401
