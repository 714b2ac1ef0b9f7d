"""`jc315 validate`: read what came back and say, per file and per cell, what is wrong.

The path of the data: inputs.py finds the files, reading.py opens each, locate.py finds the
form in it, checks.py checks it (normalize.py and dates.py for each cell, rules.py for the
campaign's rules), and batch.py compares the files with each other.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from jc315cli.check.against import LastYear
from jc315cli.check.batch import check_batch
from jc315cli.check.confirm import Confirmations, check_notes
from jc315cli.check.one_file import (
    FileCheck,
    check_date,
    check_identity,
    check_rules,
    check_title,
    check_values,
    resolve_reporter,
)
from jc315cli.model.campaign import Campaign
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import BatchReport, FileReport
from jc315cli.read.inputs import collect_inputs
from jc315cli.read.locate import locate_form
from jc315cli.read.matching import match_reporter
from jc315cli.read.workbook import FileBytes, load_bytes, parse_workbook


def validate_file(path: Path, campaign: Campaign) -> FileReport:
    """Check one returned form on its own (no comparison with other files)."""
    try:
        loaded = load_bytes(path)
    except Jc315Error as error:
        return _unread(FileReport(path=str(path)), error, campaign)
    return validate_loaded(path, loaded, campaign)


def _unread(report: FileReport, error: Jc315Error, campaign: Campaign) -> FileReport:
    report.problems.append(error.problem)
    named = match_reporter(campaign, Path(report.path).stem)  # so the sender is 已退回, not 未报送
    report.reporter = named.name if named else None
    return report


def validate_loaded(path: Path, loaded: FileBytes, campaign: Campaign) -> FileReport:
    """Check a form whose bytes are already read: a file sent through the page is checked
    before it is put anywhere, under the name it will have in 收回/."""
    report = FileReport(path=str(path), sha256=loaded.sha256)
    check = FileCheck(report, campaign)
    try:
        workbook = parse_workbook(path, loaded)
    except Jc315Error as error:
        return _unread(report, error, campaign)
    if workbook.macros:
        check.add("macros-ignored")
    if not check_identity(workbook, check):
        return report
    try:
        location = locate_form(workbook, campaign.form)
    except Jc315Error as error:
        report.problems.append(error.problem)
        return report
    report.sheet = location.sheet.name
    check_title(workbook, location, check)
    resolve_reporter(workbook, location.reporter, check, path)
    check_values(location, check)
    check_notes(location, check)
    check_date(location, check)
    check_rules(check)
    return report


Progress = Callable[[int, int], None]  # (files done, files in all)

# Reading forms in worker processes pays for itself past this many files: a forked worker
# starts in milliseconds, a spawned one (Windows, macOS) imports jc315 again (~0.3 s).
POOL_FROM = {"fork": 64, "spawn": 400}
CHUNK = 16  # forms a worker checks per message at least, so the messages cost little
# Messages a worker gets in a batch: few enough that the parent's share of each (waking, reading
# and unpickling a result, ~0.4 ms) stays small, enough that the workers finish together.
MESSAGES_PER_WORKER = 8


def validate_files(
    paths: Sequence[Path],
    campaign: Campaign,
    *,
    progress: Progress | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[FileReport]:
    """`validate_file` for every path, in the order given. A large batch is spread over worker
    processes, one per processor; each form is checked on its own, so the reports are the same
    as one process would make, in the same order. `meanwhile` is work of the caller's that needs
    no report (loading the writer), done while the workers check the forms."""
    method = _start_method()
    workers = min(_processors(), 1 + len(paths) // CHUNK)
    if workers < 2 or len(paths) < POOL_FROM[method]:
        reports = []
        for path in paths:
            reports.append(validate_file(path, campaign))
            if progress is not None:
                progress(len(reports), len(paths))
        if meanwhile is not None:
            meanwhile()
        return reports
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(CHUNK, -(-len(paths) // (workers * MESSAGES_PER_WORKER)))
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_remember, initargs=(campaign,)
    ) as pool:
        reports = []
        checked = pool.map(_validate_remembered, paths, chunksize=chunk)  # all sent at once
        if meanwhile is not None:
            meanwhile()
        for report in checked:
            reports.append(report)
            if progress is not None and (len(reports) % chunk == 0 or len(reports) == len(paths)):
                progress(len(reports), len(paths))
    return reports


def _start_method() -> str:
    # fork only where it is the platform's own safe default (Linux); elsewhere spawn.
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


_campaign: list[Campaign] = []  # a worker's campaign, given once when it starts


def _remember(campaign: Campaign) -> None:
    _campaign[:] = [campaign]
    _follow_parent()


def _follow_parent() -> None:
    """A worker ends when its parent does, however the parent ended. A forked worker holds
    both ends of the pool's pipe, so a parent killed with SIGKILL (or a crash, or Task
    Manager) would leave it waiting for work forever; it waits on the parent instead."""
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - only ever called in a worker
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="jc315-parent-watch", daemon=True).start()


def _validate_remembered(path: Path) -> FileReport:
    return validate_file(path, _campaign[0])


def validate_paths(
    paths: Iterable[Path],
    campaign: Campaign,
    *,
    progress: Progress | None = None,
    adjust: Callable[[list[FileReport]], None] | None = None,
    last_year: LastYear | None = None,
    confirmations: Confirmations | None = None,
) -> BatchReport:
    """Validate every input, then check them against each other (and against `last_year`,
    with `confirmations` counting: see check_batch). `adjust` sees the files in between: the
    collection's own knowledge (a correction's deadline, a forgotten campaign)."""
    inputs = collect_inputs(paths, campaign)
    if not inputs.forms:
        raise Jc315Error("no-inputs")
    reports = validate_files(inputs.forms, campaign, progress=progress)
    if adjust is not None:
        adjust(reports)
    return check_batch(reports, campaign, inputs, last_year=last_year, confirmations=confirmations)
