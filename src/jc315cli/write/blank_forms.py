"""`jc315 template` and `jc315 generate`: blank forms, one per reporter, each knowing whose it is."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.model.identity import campaign_identity
from jc315cli.problems.errors import Jc315Error
from jc315cli.read.matching import match_reporter
from jc315cli.write.atomic import write_all
from jc315cli.write.files import (
    ensure_writable,
    inside,
    refuse_output_onto_inputs,
    require_folder,
    safe_filename,
)
from jc315cli.write.form_sheet import add_form_sheet
from jc315cli.write.sheets import add_identity_sheet, new_workbook
from jc315cli.write.workbook_bytes import workbook_bytes


def build_timestamp(campaign: Campaign) -> datetime:
    """When a generated file says it was made. Fixed, so that generating twice gives the same
    bytes: SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the campaign's
    issue date (or its deadline)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):  # past any calendar: no build's time
            pass
    day = campaign.issued_on or campaign.deadline
    return datetime(day.year, day.month, day.day)


def form_bytes(campaign: Campaign, reporter: Reporter | None, timestamp: datetime) -> bytes:
    """One blank form; `reporter=None` gives the generic template."""
    wb = new_workbook()
    add_form_sheet(wb, campaign, reporter_name=reporter.name if reporter else None)
    add_identity_sheet(
        wb,
        campaign_identity(
            campaign,
            kind="form" if reporter else "template",
            reporter=reporter.name if reporter else "",
            generated_at=timestamp.isoformat(),
        ),
    )
    return workbook_bytes(wb, timestamp)


def template_bytes(campaign: Campaign) -> bytes:
    return form_bytes(campaign, None, build_timestamp(campaign))


def form_filename(campaign: Campaign, reporter: Reporter) -> str:
    title = campaign.title.replace("“", "").replace("”", "")
    return safe_filename(f"{title}-{reporter.name}.xlsx")


@dataclass(frozen=True)
class GeneratedForm:
    reporter: Reporter
    path: Path
    size: int


def select_reporters(campaign: Campaign, names: list[str] | None) -> list[Reporter]:
    if not names:
        return list(campaign.reporters)
    chosen: list[Reporter] = []
    for name in names:
        reporter = match_reporter(campaign, name)
        if reporter is None:
            known = "、".join(r.short_name for r in campaign.reporters)
            raise Jc315Error("unknown-reporter-name", name=name, known=known)
        if reporter not in chosen:
            chosen.append(reporter)
    return chosen


def generate_forms(
    campaign: Campaign,
    out_dir: Path,
    *,
    reporter_names: list[str] | None = None,
    force: bool = False,
) -> list[GeneratedForm]:
    """Write one blank form per reporter into `out_dir`, all or none. Every target name is
    checked first: two reporters whose names make the same file name (甲/乙局 and 甲:乙局, or
    names differing only in case on Windows) are refused before anything is written."""
    reporters = select_reporters(campaign, reporter_names)
    require_folder(out_dir)
    targets = [(r, inside(out_dir, form_filename(campaign, r))) for r in reporters]
    # No inputs to keep apart from; the same one check all the same (a name too long, say).
    refuse_output_onto_inputs([out_dir, *(path for _, path in targets)], ())
    by_name: dict[str, list[str]] = {}
    for reporter, path in targets:
        by_name.setdefault(unicodedata.normalize("NFC", path.name).casefold(), []).append(
            reporter.name
        )
    clashes = [names for names in by_name.values() if len(names) > 1]
    if clashes:
        raise Jc315Error("file-name-clash", names="；".join("、".join(n) for n in clashes))
    ensure_writable([path for _, path in targets], force, option="--output/-o")
    timestamp = build_timestamp(campaign)
    files = [
        (reporter, path, form_bytes(campaign, reporter, timestamp)) for reporter, path in targets
    ]
    write_all([(path, data) for _, path, data in files], force=force)
    return [GeneratedForm(reporter, path, len(data)) for reporter, path, data in files]
