"""`jc315 compare`: refuse a bad output before reading anything, read both reports, compare
them (`comparison.py`, pure) and write the 对比 workbook (`compare_workbook.py`) when an output is
given; openpyxl is loaded only then."""

from __future__ import annotations

from pathlib import Path

from jc315cli.figures.comparison import Comparison, compare_reports
from jc315cli.figures.read_back import read_report, refuse_same_report
from jc315cli.model.campaign import Campaign


def compare_files(
    last: Path,
    this: Path,
    *,
    campaign: Campaign,
    last_campaign: Campaign,
    output: Path | None = None,
    force: bool = False,
) -> Comparison:
    """`jc315 compare`: read both reports, compare them, and write the 对比 workbook when an
    output is given (checked before anything is read, so a refusal costs nothing)."""
    if output is not None:
        from jc315cli.write.files import ensure_writable, refuse_output_onto_inputs, require_xlsx

        require_xlsx(output)
        refuse_output_onto_inputs([output], [last, this])
        ensure_writable([output], force, option="--output/-o")
    refuse_same_report(last, this)
    comparison = compare_reports(
        read_report(last, last_campaign, option="--last-campaign"),
        read_report(this, campaign, option="--campaign"),
    )
    if output is not None:
        from jc315cli.write.comparison_workbook import comparison_workbook_bytes
        from jc315cli.write.files import write_atomic

        write_atomic(output, comparison_workbook_bytes(comparison), force=force)
    return comparison
