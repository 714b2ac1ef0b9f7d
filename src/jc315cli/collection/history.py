"""What the ledger's records mean for each reporter: its rounds (each distinct file it sent,
in order), each value's history across them, whether it was on time (a first submission
against the campaign's deadline, a correction against its own reply's deadline), whether it
passed the first time, and the headline rates a 数据质量 review asks for. Pure functions of
records, so `status`, `merge` and the report say the same."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jc315cli.collection.records import ReplyKind, SeenFile, SentReply
from jc315cli.model.campaign import Campaign
from jc315cli.problems.report import Number, exact


def short_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def day_of(seen: SeenFile) -> date:
    """The date a round is known by: the form's own 填报日期, else the day it was first seen."""
    return seen.filled_on or seen.first_seen.date()


def rounds_of(files: Iterable[SeenFile]) -> dict[str, list[SeenFile]]:
    """Each reporter's distinct files, in the order they were made."""
    rounds: dict[str, list[SeenFile]] = defaultdict(list)
    for seen in files:
        if seen.reporter is not None and seen.status != "unreadable":
            rounds[seen.reporter].append(seen)
    for held in rounds.values():
        held.sort(key=lambda s: (day_of(s), s.first_seen, s.sha256))
    return dict(rounds)


@dataclass(frozen=True)
class Change:
    """One value that changed from one round to the next."""

    item: str
    cell: str
    before: Number | None
    after: Number | None
    before_on: date
    after_on: date

    @property
    def text(self) -> str:
        def shown(value: Number | None) -> str:
            return "未计数" if value is None else str(exact(value))  # blank or not a number

        return (
            f"{self.cell}：{shown(self.before)}（{short_date(self.before_on)}）"
            f"→ {shown(self.after)}（{short_date(self.after_on)}）"
        )


def changes(rounds: Sequence[SeenFile]) -> list[Change]:
    """Every value that differs between consecutive rounds, item by item in form order."""
    found: list[Change] = []
    for before, after in zip(rounds, rounds[1:], strict=False):
        for item in dict.fromkeys([*before.values, *after.values]):
            old, new = before.values.get(item), after.values.get(item)
            if old != new:
                cell = after.cells.get(item) or before.cells.get(item) or item
                found.append(Change(item, cell, old, new, day_of(before), day_of(after)))
    return found


def on_time(
    rounds: Sequence[SeenFile], replies: Sequence[SentReply], deadline: date, today: date
) -> bool | None:
    """On time: the first round by the campaign's deadline, and every 退回 answered by its own
    deadline (one still open and not yet due is not held against it). None: nothing sent."""
    if not rounds:
        return None
    if day_of(rounds[0]) > deadline:
        return False
    for reply in replies:
        if reply.kind is not ReplyKind.correct:
            continue
        answered = [s for s in rounds if s.sha256 != reply.about and day_of(s) >= reply.sent_on]
        if answered:
            if min(day_of(s) for s in answered) > reply.deadline:
                return False
        elif today > reply.deadline:
            return False
    return True


@dataclass(frozen=True)
class Rate:
    part: int
    whole: int

    @property
    def percent(self) -> Decimal | None:
        if not self.whole:
            return None
        value = Decimal(self.part * 100) / Decimal(self.whole)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def text(self) -> str:
        percent = self.percent
        return f"{self.part}/{self.whole}" + ("" if percent is None else f"（{percent}%）")


@dataclass(frozen=True)
class Rates:
    """报送率 (reported of expected), 及时率 (on time of expected) and 一次通过率 (passed on the
    first submission, of those who reported)."""

    reported: Rate
    timely: Rate
    first_pass: Rate

    def lines(self) -> list[str]:
        return [
            f"报送率 {self.reported.text}",
            f"及时率 {self.timely.text}",
            f"一次通过率 {self.first_pass.text}",
        ]

    def to_json(self) -> dict[str, object]:
        def one(rate: Rate) -> dict[str, object]:
            percent = rate.percent
            shown = None if percent is None else str(percent)
            return {"part": rate.part, "whole": rate.whole, "percent": shown}

        return {
            "reported": one(self.reported),
            "timely": one(self.timely),
            "first_pass": one(self.first_pass),
        }


def rates(
    campaign: Campaign,
    reported: Iterable[str],
    files: Iterable[SeenFile],
    replies: Iterable[SentReply],
    today: date,
) -> Rates:
    """The three rates, from who has a form in now (`reported`) and the ledger's records."""
    names = [r.name for r in campaign.reporters]
    now = set(reported) & set(names)
    rounds = rounds_of(files)
    asked: dict[str, list[SentReply]] = defaultdict(list)
    for reply in replies:
        asked[reply.reporter].append(reply)
    timely = sum(
        1 for name in now if on_time(rounds.get(name, []), asked[name], campaign.deadline, today)
    )
    judged = [name for name in now if rounds.get(name)]
    passed = sum(1 for name in judged if rounds[name][0].status == "valid")
    return Rates(
        reported=Rate(len(now), len(names)),
        timely=Rate(timely, len(names)),
        first_pass=Rate(passed, len(judged)),
    )
