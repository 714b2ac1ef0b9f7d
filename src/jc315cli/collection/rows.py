"""The ledger's records as rows of its tables and back, exactly (schema.py says how each kind
of value is kept). Every statement binds its values; the only text put into SQL is one of the
ledger's own fixed WHERE clauses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter

from jc315cli.collection.records import (
    Confirmation,
    ConfirmedBy,
    MergeRecord,
    ReplyKind,
    SeenFile,
    SentReply,
)
from jc315cli.problems.report import Number, Problem

Text = str | bytes  # bytes: a text that is not valid UTF-8, kept by its surrogatepass bytes
Row = tuple[Any, ...]

UPSERT_FILE = """
    INSERT INTO files (sha256, name, size, first_seen, last_seen, reporter, filled_on, status,
                       problems)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (sha256) DO UPDATE SET
        name = excluded.name, size = excluded.size,
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen),
        reporter = excluded.reporter, filled_on = excluded.filled_on,
        status = excluded.status, problems = excluded.problems"""
INSERT_VALUE = """INSERT INTO file_values (sha256, position, item, value, is_decimal, cell)
    VALUES (?, ?, ?, ?, ?, ?)"""
INSERT_REPLY = """INSERT OR IGNORE INTO replies
    (reporter, kind, sent_on, deadline, cells, about, written_at) VALUES (?, ?, ?, ?, ?, ?, ?)"""
INSERT_MERGE = """INSERT OR IGNORE INTO merges
    (output_name, output_sha256, inputs, filled_on, written_at) VALUES (?, ?, ?, ?, ?)"""
INSERT_TOTAL = """INSERT INTO merge_totals (merge_id, position, item, value, is_decimal)
    VALUES (?, ?, ?, ?, ?)"""
INSERT_CONFIRMATION = """INSERT OR IGNORE INTO confirmations
    (reporter, item, value, is_decimal, reason, confirmed_by, confirmed_on, about, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""

_PROBLEMS = TypeAdapter(list[Problem])


# --- values ---


def text(value: str) -> Text:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")
    return value


def untext(value: Text) -> str:
    return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value


def exact(value: Number) -> tuple[str, int]:
    """A number as its exact text and whether it is a Decimal. A float (or a bool) is a bug
    upstream: refused, never rounded into the ledger."""
    if isinstance(value, Decimal):
        return str(value), 1
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), 0
    raise TypeError(f"the ledger keeps int or Decimal, not {type(value).__name__}")


def number(value: str, is_decimal: int) -> Number:
    return Decimal(value) if is_decimal else int(value)


def moment(at: datetime) -> str:
    """UTC, one width (microseconds always written), so the text orders as the time does."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"the ledger keeps aware times, not the naive {at.isoformat()}")
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _json(values: Iterable[Any]) -> Text:
    return text(json.dumps(list(values), ensure_ascii=False))


def _problems(problems: Iterable[Problem]) -> Text:
    return _json(_PROBLEMS.dump_python(list(problems), mode="json"))


def _optional(value: str | None) -> Text | None:
    return None if value is None else text(value)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


# --- records to rows ---


def file_row(seen: SeenFile) -> Row:
    return (
        seen.sha256,
        text(seen.name),
        seen.size,
        moment(seen.first_seen),
        moment(seen.last_seen),
        _optional(seen.reporter),
        None if seen.filled_on is None else seen.filled_on.isoformat(),
        seen.status,
        _problems(seen.problems),
    )


def value_rows(seen: SeenFile) -> list[Row]:
    """One row per item with a value or a cell, in the file's order."""
    items = [*seen.values, *(item for item in seen.cells if item not in seen.values)]
    made = []
    for position, item in enumerate(items):
        value, is_decimal = exact(seen.values[item]) if item in seen.values else (None, None)
        made.append((seen.sha256, position, text(item), value, is_decimal, seen.cells.get(item)))
    return made


def reply_row(reply: SentReply, at: datetime) -> Row:
    return (
        text(reply.reporter),
        ReplyKind(reply.kind).value,
        reply.sent_on.isoformat(),
        reply.deadline.isoformat(),
        _json(reply.cells),
        reply.about,
        moment(at),
    )


def merge_row(merge: MergeRecord, at: datetime) -> Row:
    return (
        text(merge.output_name),
        merge.output_sha256,
        _json(merge.inputs),
        merge.filled_on.isoformat(),
        moment(at),
    )


def total_rows(merge: MergeRecord) -> list[Row]:
    return [(i, text(item), *exact(v)) for i, (item, v) in enumerate(merge.totals.items())]


def confirmation_row(confirmation: Confirmation, at: datetime) -> Row:
    return (
        text(confirmation.reporter),
        text(confirmation.item),
        *exact(confirmation.value),
        text(confirmation.reason),
        ConfirmedBy(confirmation.by).value,
        confirmation.confirmed_on.isoformat(),
        confirmation.about,
        moment(at),
    )


# --- rows to records (`where`: one of the ledger's fixed clauses; its values are bound) ---


def read_files(connection: sqlite3.Connection, where: str, params: Row) -> list[SeenFile]:
    values: dict[str, dict[str, Number]] = {}
    cells: dict[str, dict[str, str]] = {}
    for sha, item, value, is_decimal, cell in connection.execute(
        "SELECT v.sha256, v.item, v.value, v.is_decimal, v.cell FROM file_values v"
        f" JOIN files f ON f.sha256 = v.sha256 {where} ORDER BY v.sha256, v.position",
        params,
    ):
        if value is not None:
            values.setdefault(sha, {})[untext(item)] = number(value, is_decimal)
        if cell is not None:
            cells.setdefault(sha, {})[untext(item)] = cell
    return [
        SeenFile(
            sha256=sha,
            name=untext(name),
            size=size,
            first_seen=datetime.fromisoformat(first),
            last_seen=datetime.fromisoformat(last),
            reporter=None if reporter is None else untext(reporter),
            filled_on=_day(filled_on),
            status=status,
            values=values.get(sha, {}),
            cells=cells.get(sha, {}),
            problems=tuple(_PROBLEMS.validate_python(json.loads(untext(problems)))),
        )
        for sha, name, size, first, last, reporter, filled_on, status, problems in (
            connection.execute(
                "SELECT f.sha256, f.name, f.size, f.first_seen, f.last_seen, f.reporter,"
                f" f.filled_on, f.status, f.problems FROM files f {where}"
                " ORDER BY f.reporter, f.filled_on, f.first_seen, f.sha256",
                params,
            )
        )
    ]


def read_replies(connection: sqlite3.Connection, where: str, params: Row) -> list[SentReply]:
    return [
        SentReply(
            reporter=untext(reporter),
            kind=ReplyKind(kind),
            sent_on=date.fromisoformat(sent_on),
            deadline=date.fromisoformat(deadline),
            cells=tuple(json.loads(untext(cells))),
            about=about,
            written_at=datetime.fromisoformat(written_at),
        )
        for reporter, kind, sent_on, deadline, cells, about, written_at in connection.execute(
            "SELECT reporter, kind, sent_on, deadline, cells, about, written_at FROM replies"
            f" {where} ORDER BY written_at, reporter, id",
            params,
        )
    ]


def read_merges(connection: sqlite3.Connection) -> list[MergeRecord]:
    totals: dict[int, dict[str, Number]] = {}
    for merge_id, item, value, is_decimal in connection.execute(
        "SELECT merge_id, item, value, is_decimal FROM merge_totals ORDER BY merge_id, position"
    ):
        totals.setdefault(merge_id, {})[untext(item)] = number(value, is_decimal)
    return [
        MergeRecord(
            output_name=untext(name),
            output_sha256=sha,
            inputs=tuple(json.loads(untext(inputs))),
            totals=totals.get(merge_id, {}),
            filled_on=date.fromisoformat(filled_on),
            written_at=datetime.fromisoformat(written_at),
        )
        for merge_id, name, sha, inputs, filled_on, written_at in connection.execute(
            "SELECT id, output_name, output_sha256, inputs, filled_on, written_at FROM merges"
            " ORDER BY written_at, id"
        )
    ]


def read_confirmations(
    connection: sqlite3.Connection, where: str, params: Row
) -> list[Confirmation]:
    return [
        Confirmation(
            reporter=untext(reporter),
            item=untext(item),
            value=number(value, is_decimal),
            reason=untext(reason),
            by=ConfirmedBy(by),
            confirmed_on=date.fromisoformat(confirmed_on),
            about=about,
            recorded_at=datetime.fromisoformat(recorded_at),
        )
        for reporter, item, value, is_decimal, reason, by, confirmed_on, about, recorded_at in (
            connection.execute(
                "SELECT reporter, item, value, is_decimal, reason, confirmed_by, confirmed_on,"
                f" about, recorded_at FROM confirmations {where}"
                " ORDER BY recorded_at, reporter, id",
                params,
            )
        )
    ]
