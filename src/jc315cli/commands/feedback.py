"""`jc315 feedback`: validate the folder as `validate` does, decide the replies, and write them
all or none."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from jc315cli.check.reply_plan import Reply, plan_replies
from jc315cli.model.campaign import Campaign
from jc315cli.problems.report import BatchReport

if TYPE_CHECKING:
    from jc315cli.check.validate import Progress


def feedback_paths(
    paths: list[Path],
    campaign: Campaign,
    out_dir: Path,
    *,
    today: date,
    deadline: date,
    force: bool = False,
    progress: Progress | None = None,
) -> tuple[BatchReport, list[Reply], list[Path]]:
    """Validate the folder as `validate` does, and write every reply (all or none). Where
    the replies go is checked before anything is read, and each reply's own name again once
    the replies are known, against every form read (a link named like a reply may lead to
    one)."""
    from jc315cli.check.validate import validate_paths
    from jc315cli.write.files import (
        ensure_writable,
        refuse_output_onto_inputs,
        require_folder,
        write_all,
    )
    from jc315cli.write.replies import reply_files

    require_folder(out_dir)
    refuse_output_onto_inputs([out_dir], paths)
    report = validate_paths(paths, campaign, progress=progress)
    replies = plan_replies(report, campaign)
    files = reply_files(replies, campaign, out_dir, today=today, deadline=deadline)
    targets = [path for path, _ in files]
    refuse_output_onto_inputs(targets, [*paths, *(Path(f.path) for f in report.files)])
    ensure_writable(targets, force, option="--output/-o")
    write_all(files, force=force)
    return report, replies, targets
