"""A returned form sent through the page, taken into 收回/ exactly as if the clerk had put it
there: checked on its own first (the same reading and checks as `jc315 validate`, the same
per-file limits), refused with the reason when it is not a form or not the sender's own, else
written into 收回/ under a name jc315 makes (the name the browser sent is never a path), and
the whole folder checked and recorded as `jc315 validate` does. Each file sent is recorded in
the ledger with the link it came by, the time and its hash, taken in or not."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jc315cli.collection.links import Link
    from jc315cli.collection.session import Session
    from jc315cli.problems.report import BatchReport, FileReport

OLD_FOLDER = "旧版"  # read/inputs.py never reads it: a county's earlier form goes there


@dataclass
class Taken:
    """What became of one file sent."""

    name: str  # the name the browser sent, made safe to show
    accepted: bool
    reason: str = ""  # why it was refused, in Chinese
    stored_as: str = ""  # its name in 收回/ when taken in
    sha256: str = ""


def take_in(
    session: Session, sent: list[tuple[str, bytes]], link: Link | None
) -> tuple[list[Taken], BatchReport | None]:
    """`sent`: each file's name as the browser gave it and its bytes. `link`: the county's
    link it came by (None: the clerk's own page). Returns what became of each file and, when
    any was taken in, the folder's report as `jc315 validate` makes it."""
    from jc315cli.check.validate import validate_paths
    from jc315cli.collection.links import Upload
    from jc315cli.collection.session import now
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.problems.shown import shown

    returned = session.choice.folder("returned")
    if returned is None:
        raise Jc315Error("not-a-collection")
    results = []
    for name, data in sent:
        taken, checked = _one(session, returned, shown(name), data, link)
        results.append(taken)
        if session.ledger is not None:
            reporter = checked.reporter if checked is not None else None
            session.ledger.record_upload(
                Upload(
                    link.id if link else None,
                    link.reporter if link else reporter,
                    taken.name,
                    taken.sha256,
                    len(data),
                    taken.accepted,
                    taken.reason,
                    now(),
                )
            )
    if not any(t.accepted for t in results):
        return results, None
    report = validate_paths(
        [returned],
        session.choice.campaign,
        adjust=session.adjust,
        confirmations=session.confirmations(),
    )
    session.record_batch(report)
    return results, report


def _one(
    session: Session, returned: Path, name: str, data: bytes, link: Link | None
) -> tuple[Taken, FileReport | None]:
    from jc315cli.check.validate import validate_loaded
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.read.workbook import MAX_FILE_BYTES, FileBytes
    from jc315cli.write.atomic import write_atomic
    from jc315cli.write.files import inside, safe_filename

    campaign = session.choice.campaign
    sha = hashlib.sha256(data).hexdigest()
    suffix = os.path.splitext(name)[1].lower()  # not a form's: refused by reading, as in 收回/
    stem = link.reporter if link is not None else os.path.splitext(name)[0]
    target = _free(returned, safe_filename(f"{stem}-{_stamp()}{suffix}"))
    loaded = FileBytes(data if len(data) <= MAX_FILE_BYTES else None, sha, len(data))
    report = validate_loaded(returned / target, loaded, campaign)
    refused = _refusal(session, report, link)
    if refused:
        return Taken(name, False, refused, sha256=sha), report
    try:
        write_atomic(inside(returned, target), data, force=False)
    except Jc315Error as error:
        return Taken(name, False, error.message, sha256=sha), report
    if link is not None:
        _set_aside_earlier(session, returned, link.reporter, keep=sha)
    return Taken(name, True, stored_as=target, sha256=sha), report


def _refusal(session: Session, report: FileReport, link: Link | None) -> str:
    """Why the form is not taken in, or nothing: not a form, or not the sender's own."""
    from jc315cli.problems.errors import Jc315Error

    if report.status == "unreadable":
        problem = report.problems[0]
        return f"无法读取：{problem.message}"
    campaign = session.choice.campaign
    if report.reporter is None:
        return "看不出是哪个填报单位的表：请用下发的空白表填写"
    if link is not None and report.reporter != link.reporter:
        whose = campaign.reporter(report.reporter).short_name
        return f"这是{whose}的表，不是本单位的，没有接收"
    try:
        session.adjust([report])
    except Jc315Error as error:
        return error.message
    return ""


def _set_aside_earlier(session: Session, returned: Path, reporter: str, keep: str) -> None:
    """The county's earlier forms in 收回/ go to 收回/旧版/ (never read, never deleted): the
    form it sent last is the one it means."""
    from jc315cli.read.inputs import collect_inputs

    forms = collect_inputs([returned], session.choice.campaign).forms
    for present in session.present(forms):
        seen = present.seen
        if seen is None or seen.reporter != reporter or present.sha256 == keep:
            continue
        if present.path.parent != returned:
            continue  # a form in a reporter's own folder is the clerk's to move
        old = returned / OLD_FOLDER
        old.mkdir(exist_ok=True)
        os.replace(present.path, old / _free(old, present.path.name))


def _free(folder: Path, name: str) -> str:
    """`name`, or `name` with a number added, so that nothing in `folder` is replaced."""
    stem, suffix = os.path.splitext(name)
    candidate, n = name, 1
    while os.path.lexists(folder / candidate):
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    return candidate


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")
