"""The ledger's records as rows of its tables and back, exactly (schema.py says how each kind
of value is kept). Every statement binds its values; the only text put into SQL is one of the
ledger's own fixed WHERE clauses."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import PydanticSerializationError, to_json

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
                       "values", cells, problems)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (sha256) DO UPDATE SET
        name = excluded.name, size = excluded.size,
        first_seen = min(first_seen, excluded.first_seen),
        last_seen = max(last_seen, excluded.last_seen),
        reporter = excluded.reporter, filled_on = excluded.filled_on, status = excluded.status,
        "values" = excluded."values", cells = excluded.cells, problems = excluded.problems"""
INSERT_REPLY = """INSERT OR IGNORE INTO replies
    (reporter, kind, sent_on, deadline, cells, about, written_at) VALUES (?, ?, ?, ?, ?, ?, ?)"""
INSERT_MERGE = """INSERT OR IGNORE INTO merges
    (output_name, output_sha256, inputs, totals, filled_on, written_at)
    VALUES (?, ?, ?, ?, ?, ?)"""
INSERT_CONFIRMATION = """INSERT OR IGNORE INTO confirmations
    (reporter, item, value, is_decimal, reason, confirmed_by, confirmed_on, about, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""

_PROBLEMS = TypeAdapter(list[Problem])
_EXACT_JSON = json.JSONDecoder(parse_float=Decimal)  # made once: making one costs 30 µs


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


def _json(value: Any) -> Text:
    """JSON by pydantic-core (a few times faster than the json module); by the json module for
    a text with a lone surrogate (an undecodable file name), which the former refuses."""
    try:
        return to_json(value).decode("utf-8")
    except PydanticSerializationError:
        return text(json.dumps(value, ensure_ascii=False))


def _numbers(values: Mapping[str, Number]) -> Text:
    """item → number as jc315's JSON report has them: a count an integer, money a string of its
    exact digits (str(Decimal), exponent and all)."""
    for value in values.values():
        if type(value) is not int and type(value) is not Decimal:
            exact(value)  # a float or a bool is refused there
    return _json(values)


def _numbers_of(stored: Text) -> dict[str, Number]:
    """Back to int and Decimal; a float is never made (parse_float), whatever the text holds."""
    found = _EXACT_JSON.decode(untext(stored))
    return {item: Decimal(v) if isinstance(v, str) else v for item, v in found.items()}


def _problems(problems: Iterable[Problem]) -> Text:
    listed = list(problems)
    try:
        return _PROBLEMS.dump_json(listed).decode("utf-8")
    except PydanticSerializationError:
        return _json(_PROBLEMS.dump_python(listed, mode="json"))


def _problems_of(stored: Text) -> tuple[Problem, ...]:
    if isinstance(stored, bytes):
        return tuple(_PROBLEMS.validate_python(json.loads(untext(stored))))
    return tuple(_PROBLEMS.validate_json(stored))


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
        _numbers(seen.values),
        _json(seen.cells),
        _problems(seen.problems),
    )


def reply_row(reply: SentReply, at: datetime) -> Row:
    return (
        text(reply.reporter),
        ReplyKind(reply.kind).value,
        reply.sent_on.isoformat(),
        reply.deadline.isoformat(),
        _json(list(reply.cells)),
        reply.about,
        moment(at),
    )


def merge_row(merge: MergeRecord, at: datetime) -> Row:
    return (
        text(merge.output_name),
        merge.output_sha256,
        _json(list(merge.inputs)),
        _numbers(merge.totals),
        merge.filled_on.isoformat(),
        moment(at),
    )


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
            values=_numbers_of(values),
            cells=json.loads(untext(cells)),
            problems=_problems_of(problems),
        )
        for sha, name, size, first, last, reporter, filled_on, status, values, cells, problems in (
            connection.execute(
                "SELECT sha256, name, size, first_seen, last_seen, reporter, filled_on, status,"
                f' "values", cells, problems FROM files {where}'
                " ORDER BY reporter, filled_on, first_seen, sha256",
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
    return [
        MergeRecord(
            output_name=untext(name),
            output_sha256=sha,
            inputs=tuple(json.loads(untext(inputs))),
            totals=_numbers_of(totals),
            filled_on=date.fromisoformat(filled_on),
            written_at=datetime.fromisoformat(written_at),
        )
        for name, sha, inputs, totals, filled_on, written_at in connection.execute(
            "SELECT output_name, output_sha256, inputs, totals, filled_on, written_at"
            " FROM merges ORDER BY written_at, id"
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
