"""What the ledger remembers, as plain frozen values: the rows it stores and gives back. The
ledger (ledger.py) writes and reads them; history.py derives rounds, states and rates from
them; the writers and the console show them. Values are exact (int or Decimal), never float;
times are timezone-aware UTC, dates are calendar days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from jc315cli.problems.report import Number, Problem


class ReplyKind(str, Enum):
    """What a reply asked for: the English value is stored, the Chinese word is shown."""

    correct = "correct"  # 退回修改: errors to correct (or values to confirm) by a deadline
    remind = "remind"  # 催报: nothing received yet
    choose = "choose"  # two files of one date disagree: which is final

    @property
    def word(self) -> str:
        return {"correct": "退回修改", "remind": "催报", "choose": "请确认"}[self.value]


class ConfirmedBy(str, Enum):
    county = "county"  # the reporter's own 核实说明 in its form
    city = "city"  # `jc315 confirm` by the clerk

    @property
    def word(self) -> str:
        return {"county": "填报单位说明", "city": "市局核实"}[self.value]


@dataclass(frozen=True)
class SeenFile:
    """One distinct file (by content) as last judged. A renamed copy is the same file."""

    sha256: str
    name: str  # as last seen: relative to the collection folder when inside it
    size: int
    first_seen: datetime
    last_seen: datetime
    reporter: str | None  # campaign full name; None when it could not be told
    filled_on: date | None  # the form's own 填报日期
    status: str  # valid / invalid / unreadable, as FileReport.status
    values: dict[str, Number] = field(default_factory=dict)  # item id → exact value
    cells: dict[str, str] = field(default_factory=dict)  # item id → value cell, e.g. E9
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class SentReply:
    """One reply written for one reporter by `jc315 feedback`."""

    reporter: str
    kind: ReplyKind
    sent_on: date  # the reply's date (feedback --date, or the day it ran)
    deadline: date  # the date the reporter was asked to answer by
    cells: tuple[str, ...] = ()  # the cells asked about, e.g. ("E9", "E12")
    about: str | None = None  # sha256 of the file the reply answers (None for 催报)
    written_at: datetime | None = None  # set by the ledger when recorded


@dataclass(frozen=True)
class MergeRecord:
    """One consolidated report written by `jc315 merge`."""

    output_name: str
    output_sha256: str
    inputs: tuple[str, ...]  # sha256 of each file counted, in the report's order
    totals: dict[str, Number]  # item id → exact total
    filled_on: date
    written_at: datetime | None = None


@dataclass(frozen=True)
class Confirmation:
    """A doubtful value confirmed with a reason. It holds for exactly this value of this item
    of this reporter: a different number sent later is doubtful again."""

    reporter: str
    item: str  # item id, e.g. "5"
    value: Number
    reason: str
    by: ConfirmedBy
    confirmed_on: date
    about: str | None = None  # sha256 of the file whose value was confirmed (county's 说明)
    recorded_at: datetime | None = None
