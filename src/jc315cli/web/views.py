"""What the pages show, gathered from the collection: the county links, the files the collection
wrote (each by an id, never by a path), a reporter's form as a table, and what became of an
upload. Words and states come from the layers below; nothing is judged here."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask import abort, request

from jc315cli.collection.links import Link
from jc315cli.collection.records import SeenFile
from jc315cli.collection.session import Session
from jc315cli.model.campaign import Campaign
from jc315cli.problems.report import Problem
from jc315cli.web.site import MAX_UPLOAD_FILES, Site

DOWNLOAD_FOLDERS = ("issued", "replies", "merged")  # what the collection writes


@dataclass(frozen=True)
class Output:
    id: str
    folder: str  # the folder's name as the campaign calls it, e.g. 汇总
    name: str
    path: Path
    size: int


def catalogue(site: Site) -> list[Output]:
    """The plain files directly in the collection's output folders (no link, nothing hidden,
    no temporary file of a write under way)."""
    found = []
    for which in DOWNLOAD_FOLDERS:
        folder = site.choice.folder(which)
        if folder is None or not folder.is_dir():
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.startswith(".") or not stat.S_ISREG(
                entry.stat(follow_symlinks=False).st_mode
            ):
                continue
            key = hashlib.sha256(f"{which}\0{entry.name}".encode("utf-8", "surrogatepass"))
            found.append(
                Output(
                    key.hexdigest()[:24],
                    folder.name,
                    entry.name,
                    Path(entry.path),
                    entry.stat(follow_symlinks=False).st_size,
                )
            )
    return found


def links(site: Site) -> list[dict[str, Any]]:
    base = address(site)
    rows = []
    for reporter in site.choice.campaign.reporters:
        link = site.keys.links.get(reporter.name)
        url = f"{base}/county?k={link.secret}" if link else ""
        rows.append({"reporter": reporter, "url": url})
    return rows


def address(site: Site) -> str:
    """The address counties reach: the network one when served on the network."""
    scheme = "https" if site.secure else "http"
    hosts = sorted(site.hosts, key=lambda h: (h.startswith(("127.", "localhost", "[::1]")), h))
    return f"{scheme}://{hosts[0]}" if hosts else ""


def form_rows(campaign: Campaign, current: SeenFile | None) -> list[dict[str, Any]]:
    """The form as a table: each item's value and cell, and the problems marked on it."""
    rows = []
    problems = list(current.problems) if current else []
    for item in campaign.form.items:
        rows.append(
            {
                "item": item,
                "measure": campaign.form.measure_of(item).name,
                "value": current.values.get(item.id) if current else None,
                "cell": current.cells.get(item.id, "") if current else "",
                "problems": [p for p in problems if p.item == item.id],
            }
        )
    rest = [p for p in problems if not p.item]
    return rows + ([{"item": None, "problems": rest}] if rest else [])


def take(site: Site, link: Link | None) -> dict[str, Any]:
    """The files of this upload taken in (actions/intake.py), and what the page says of each:
    taken in with the reporter's state and each problem's cell, or 未接收 with the reason."""
    from jc315cli.actions.intake import take_in

    sent = request.files.getlist("files")
    if len(sent) > MAX_UPLOAD_FILES:
        abort(413)
    files = [(f.filename or "", f.stream.read()) for f in sent if f.filename or f.content_length]
    if not files:
        return {"message": "没有选择文件"}
    returned = site.choice.folder("returned")
    with site.intake_lock, Session(site.choice, [returned or site.root]) as session:
        taken, report = take_in(session, files, link)
        board = session.board_after(report, date.today()) if report is not None else None
    states = {row.reporter: row.shown_state for row in board.rows} if board else {}
    reports = {f.sha256: f for f in report.files} if report is not None else {}
    shown = []
    for one in taken:
        file = reports.get(one.sha256)
        problems: list[Problem] = list(file.problems) if file is not None else []
        shown.append(
            {
                "name": one.name,
                "accepted": one.accepted,
                "reason": site.unpath(one.reason),
                "reporter": file.reporter if file is not None else None,
                "short": _short(site.choice.campaign, file.reporter if file else None),
                "state": states.get(file.reporter or "", "") if file is not None else "",
                "problems": problems,
            }
        )
    return {"taken": shown}


def _short(campaign: Campaign, name: str | None) -> str:
    if name is None:
        return ""
    try:
        return campaign.reporter(name).short_name
    except KeyError:
        return name
