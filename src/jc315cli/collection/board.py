"""Where the collection stands: each reporter's state, its rounds and value history, the
headline rates and the next step, from the files now in 收回/ (by content hash, without reading
them) and the ledger's records (what each file was judged when it was last checked). One source
for `jc315 status`, the last lines of the other commands and, later, the page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jc315cli.collection.history import (
    Change,
    Rates,
    changes,
    day_of,
    on_time,
    rates,
    rounds_of,
    short_date,
)
from jc315cli.collection.records import MergeRecord, ReplyKind, SeenFile, SentReply
from jc315cli.model.campaign import Campaign
from jc315cli.read.matching import match_reporter

# The states, in the words the clerk reads (status, the JSON, the page).
NOT_SENT = "未报送"
UNCHECKED = "已报送待校验"
FAILED = "未通过，待退回"
RETURNED = "已退回，待改正"
DOUBTFUL = "待核实"
PASSED = "通过"
OVERDUE = "逾期"
USABLE = ("valid", "pending")  # no error: counted, or counted once its doubts are confirmed
STATES = (NOT_SENT, UNCHECKED, FAILED, RETURNED, DOUBTFUL, PASSED, OVERDUE)


@dataclass(frozen=True)
class Present:
    """A form now in 收回/: its path, content hash and, when the ledger knows it, its record."""

    path: Path
    sha256: str
    seen: SeenFile | None


@dataclass
class Row:
    """One reporter's line on the board."""

    reporter: str
    short_name: str
    state: str
    detail: str = ""  # e.g. the deadline of a 退回, or how late
    rounds: list[SeenFile] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    replies: list[SentReply] = field(default_factory=list)
    on_time: bool | None = None
    current: SeenFile | None = None  # the file the state is of (the page shows its problems)

    @property
    def shown_state(self) -> str:
        return f"{self.state}（{self.detail}）" if self.detail else self.state

    def to_json(self) -> dict[str, object]:
        return {
            "reporter": self.reporter,
            "state": self.state,
            "detail": self.detail,
            "on_time": self.on_time,
            "rounds": [
                {
                    "sha256": s.sha256,
                    "name": s.name,
                    "filled_on": s.filled_on.isoformat() if s.filled_on else None,
                    "status": s.status,
                }
                for s in self.rounds
            ],
            "history": [c.text for c in self.changes],
            "replies": [
                {
                    "kind": r.kind.value,
                    "sent_on": r.sent_on.isoformat(),
                    "deadline": r.deadline.isoformat(),
                    "cells": list(r.cells),
                }
                for r in self.replies
            ],
        }


@dataclass
class Board:
    campaign: Campaign
    today: date
    rows: list[Row]
    rates: Rates
    unknown: list[Path]  # new forms whose reporter cannot be told from their names
    merges: list[MergeRecord]

    @property
    def days_left(self) -> int:
        return (self.campaign.deadline - self.today).days

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    def to_json(self) -> dict[str, object]:
        """The board as `status --format json` gives it, and the `collection` key of
        validate's and merge's JSON."""
        c = self.campaign
        return {
            "campaign": {"year": c.year, "deadline": c.deadline.isoformat()},
            "today": self.today.isoformat(),
            "days_left": self.days_left,
            "reporters": [row.to_json() for row in self.rows],
            "unknown": [str(p) for p in self.unknown],
            "rates": self.rates.to_json(),
            "merges": [
                {
                    "output": m.output_name,
                    "sha256": m.output_sha256,
                    "filled_on": m.filled_on.isoformat(),
                }
                for m in self.merges
            ],
        }


def board(
    campaign: Campaign,
    present: Sequence[Present],
    files: Sequence[SeenFile],
    replies: Sequence[SentReply],
    merges: Sequence[MergeRecord],
    today: date,
) -> Board:
    rounds = rounds_of(files)
    asked: dict[str, list[SentReply]] = defaultdict(list)
    for reply in replies:
        asked[reply.reporter].append(reply)
    here: dict[str, list[Present]] = defaultdict(list)
    unknown: list[Path] = []
    for form in present:
        owner = form.seen.reporter if form.seen else _named(campaign, form.path)
        if owner is None:
            unknown.append(form.path)
        else:
            here[owner].append(form)
    rows = []
    for reporter in campaign.reporters:
        held = rounds.get(reporter.name, [])
        row = Row(reporter.name, reporter.short_name, NOT_SENT, rounds=held)
        row.changes = changes(held)
        row.replies = asked[reporter.name]
        row.on_time = on_time(held, row.replies, campaign.deadline, today)
        _state(row, here[reporter.name], campaign.deadline, today)
        rows.append(row)
    return Board(
        campaign,
        today,
        rows,
        rates(campaign, [name for name, held in here.items() if held], files, replies, today),
        unknown,
        list(merges),
    )


def _named(campaign: Campaign, path: Path) -> str | None:
    found = match_reporter(campaign, path.stem)
    return found.name if found else None


def _state(row: Row, held: list[Present], deadline: date, today: date) -> None:
    if any(form.seen is None for form in held):
        row.state = UNCHECKED
        return
    judged = [form.seen for form in held if form.seen is not None]
    if not judged:
        reminded = [r for r in row.replies if r.kind is ReplyKind.remind]
        due = max((r.deadline for r in reminded), default=deadline)
        if today > due:
            row.state, row.detail = OVERDUE, f"未报送，截止 {short_date(due)}"
        elif reminded:
            row.detail = f"已催报，截止 {short_date(due)}"
        return
    current = max(judged, key=lambda s: (s.status in USABLE, day_of(s), s.first_seen))
    row.current = current
    if current.status not in USABLE:
        sent = [r for r in row.replies if r.kind is ReplyKind.correct and r.about == current.sha256]
        if not sent:
            row.state = FAILED
            return
        due = max(r.deadline for r in sent)
        if today > due:
            row.state, row.detail = OVERDUE, f"未按期改正，截止 {short_date(due)}"
        else:
            row.state, row.detail = RETURNED, f"截止 {short_date(due)}"
        return
    open_doubts = [p for p in current.problems if p.pending]
    row.state = DOUBTFUL if current.status == "pending" or open_doubts else PASSED
    if row.state == DOUBTFUL:
        row.detail = f"{len(open_doubts)} 处" if open_doubts else ""
    elif row.on_time is False:
        row.detail = "逾期报送"
