"""The buttons of the process, each calling the action its command calls: merge (in a thread,
its progress shown live), feedback, generate, summary. One at a time (the site's work lock);
what went wrong is the command's own message, without a path of this PC."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from jc315cli.collection.session import Session
from jc315cli.problems.errors import Jc315Error
from jc315cli.web.site import Job, Site

REPLY_DAYS = 3  # as `jc315 feedback` without --deadline


def start_merge(site: Site) -> None:
    """Start the merge unless one is running; the page follows it at /job."""
    if site.job is not None and not site.job.finished:
        return
    job = Job()
    job.thread = threading.Thread(target=_merge, args=(site, job), name="jc315-merge")
    site.job = job
    job.thread.start()


def _merge(site: Site, job: Job) -> None:
    from jc315cli.actions.merge import merge_paths
    from jc315cli.figures.last_year import last_year_for

    choice = site.choice
    returned, target = choice.folder("returned"), choice.report

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total

    try:
        assert returned is not None and target is not None
        # 收回/ holds still while it is read: an upload waits (the page itself answers)
        with site.work_lock, site.intake_lock, Session(choice, [returned]) as session:
            plan = merge_paths(
                [returned],
                choice.campaign,
                target,
                filled_on=date.today(),
                force=True,  # the button says the report is written anew
                progress=progress,
                session=session,
                last_year=last_year_for(choice.campaign, choice.file, None),
            )
            job.result = {
                "included": [f.reporter for f in plan.included],
                "name": target.name,
            }
    except Jc315Error as error:
        job.error = site.unpath(error.message + (f"（{error.hint}）" if error.hint else ""))
    except Exception as error:  # noqa: BLE001 - the page says it failed, the console why
        import sys

        print(f"jc315 web：汇总出错（{type(error).__name__}）", file=sys.stderr, flush=True)
        job.error = "汇总未能完成，请重试"
    finally:
        job.finished = True


def feedback(site: Site) -> str:
    from jc315cli.actions.feedback import feedback_paths
    from jc315cli.figures.last_year import last_year_for

    choice = site.choice
    returned, out = choice.folder("returned"), choice.folder("replies")
    assert returned is not None and out is not None
    today = date.today()
    try:
        # 收回/ holds still while it is read: an upload waits (the page itself answers)
        with site.work_lock, site.intake_lock, Session(choice, [returned]) as session:
            _, replies, written = feedback_paths(
                [returned],
                choice.campaign,
                out,
                today=today,
                deadline=today + timedelta(days=REPLY_DAYS),
                force=True,  # the replies of today replace the replies written before
                session=session,
                last_year=last_year_for(choice.campaign, choice.file, None),
            )
    except Jc315Error as error:
        return site.unpath(error.message)
    if not replies:
        return "没有需要退回或催报的单位"
    whom = "、".join(reply.reporter.short_name for reply in replies)
    return f"已写出给{whom}的 {len(written)} 个文件，可在下方“文件”中下载"


def generate(site: Site) -> str:
    from jc315cli.write.blank_forms import generate_forms

    out = site.choice.folder("issued")
    assert out is not None
    try:
        with site.work_lock:
            written = generate_forms(site.choice.campaign, out, force=False)
    except Jc315Error as error:
        return site.unpath(error.message)
    return f"已生成 {len(written)} 份空白表，可在下方“文件”中下载"


def summary(site: Site) -> str:
    from jc315cli.figures.paragraph import summarize_file

    report = site.choice.report
    if report is None or not report.is_file():
        return "还没有汇总表：请先汇总"
    try:
        return summarize_file(report, site.choice.campaign).text
    except Jc315Error as error:
        return site.unpath(error.message)
