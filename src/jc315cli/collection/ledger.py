"""The ledger: the collection's memory of what its files cannot keep — every distinct file seen
(by content hash, with its verdict, values and problems as judged), every reply sent, every
merge written, every value confirmed. An SQLite database in the collection folder, at
`.jc315/ledger.sqlite`.

The files stay the truth for numbers. The ledger only remembers: deleted, damaged, written by
a newer jc315 or on a full disk, it costs the history, never a command. So nothing here raises
for the file system or the database; what went wrong is a notice (`notices`, registered
problems in Chinese) and the ledger goes on as unavailable (reads empty) or unwritable (writes
skipped).

Why WAL: a reader never waits for a writer and a writer never for readers, so `status` can run
while `validate` records; a second writer waits (busy timeout, 15 s) rather than fails. Each
write method is one transaction (BEGIN IMMEDIATE … COMMIT, rows batched with executemany): a
command killed mid-way leaves all of its record or none, and SQLite's WAL recovery at the next
open drops the torn tail.

Why set aside and never delete: a damaged ledger may still hold a year's history a person can
recover; jc315 moves it to `ledger.damaged-<time>.sqlite` beside the new one and says so.

Values are stored exactly (schema.py says how): an int comes back an int, a Decimal the same
Decimal, never a float. Every text is a bound parameter, never part of the SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from jc315cli.collection import links, rows
from jc315cli.collection.links import Link, Upload
from jc315cli.collection.records import Confirmation, MergeRecord, SeenFile, SentReply
from jc315cli.collection.store import LEDGER_PATH, open_store, why
from jc315cli.problems.registry import problem
from jc315cli.problems.report import BatchReport, FileReport, Problem

__all__ = ["LEDGER_PATH", "Ledger", "seen_file"]

T = TypeVar("T")

# What reading a row back raises when its text is not what jc315 wrote (JSON, a date, a number).
UNDECODABLE = (ValueError, TypeError, AttributeError, ArithmeticError, KeyError)


def seen_file(report: FileReport, *, name: str, size: int, at: datetime) -> SeenFile:
    """A checked file as the ledger keeps it, seen at `at`."""
    return SeenFile(
        sha256=report.sha256,
        name=name,
        size=size,
        first_seen=at,
        last_seen=at,
        reporter=report.reporter,
        filled_on=report.filled_on,
        status=report.status,
        values=dict(report.values),
        cells=dict(report.cells),
        problems=tuple(report.problems),
    )


class Ledger:
    """Open with `Ledger.open(root)` on the collection folder; use as a context manager.

    `available`: it could be opened and read (else reads are empty and writes skipped);
    `created`: it was made anew by this open (missing, or damaged and set aside), so earlier
    history is not available; `kept`: where a damaged one was set aside; `notices`: what to
    tell the clerk, in Chinese."""

    def __init__(self, root: Path, now: datetime | None) -> None:
        opened = open_store(root, now or datetime.now(timezone.utc))
        self.path = root / LEDGER_PATH
        self._connection = opened.connection
        self._now = now
        self.created = opened.created
        self.kept = opened.kept
        self.notices: list[Problem] = opened.notices
        self.writable = self._connection is not None

    @classmethod
    def open(cls, root: Path, *, now: datetime | None = None) -> Ledger:
        """`now` fixes the clock (times recorded, the set-aside name); else the real time."""
        if now is not None:
            rows.moment(now)  # a naive time is a bug: refused here, not at the first write
        return cls(root, now)

    @property
    def available(self) -> bool:
        return self._connection is not None

    def now(self) -> datetime:
        return self._now or datetime.now(timezone.utc)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # --- writing: each call one transaction; False when not recorded (see `notices`) ---

    def record_files(self, files: Iterable[SeenFile]) -> bool:
        """Upsert by content hash: first_seen the earliest, last_seen the latest, the rest as
        now judged (a file twice in one batch, too: the rows are upserted in order)."""
        batch = [rows.file_row(seen) for seen in files]
        return self._write(lambda connection: _many(connection, rows.UPSERT_FILE, batch))

    def record_batch(
        self,
        report: BatchReport,
        *,
        at: datetime,
        names: Mapping[str, str] | None = None,
        sizes: Mapping[str, int] | None = None,
    ) -> bool:
        """Every file of a checked batch that was hashed. `names` and `sizes` by the report's
        path: the name to keep (relative to the collection folder) and the size in bytes."""
        names, sizes = names or {}, sizes or {}
        return self.record_files(
            seen_file(f, name=names.get(f.path, f.path), size=sizes.get(f.path, 0), at=at)
            for f in report.files
            if f.sha256
        )

    def record_replies(self, replies: Iterable[SentReply]) -> bool:
        """The same reply recorded again (feedback run twice) stays one row."""
        at = self.now()
        batch = [rows.reply_row(reply, reply.written_at or at) for reply in replies]
        return self._write(lambda connection: _many(connection, rows.INSERT_REPLY, batch))

    def record_merge(self, merge: MergeRecord) -> bool:
        """The same report recorded again (same name, same bytes) stays one row."""
        batch = [rows.merge_row(merge, merge.written_at or self.now())]
        return self._write(lambda connection: _many(connection, rows.INSERT_MERGE, batch))

    def record_confirmations(self, confirmations: Iterable[Confirmation]) -> bool:
        """The same confirmation recorded again (its file read again) stays one row."""
        at = self.now()
        batch = [rows.confirmation_row(c, c.recorded_at or at) for c in confirmations]
        return self._write(lambda connection: _many(connection, rows.INSERT_CONFIRMATION, batch))

    def record_upload(self, upload: Upload) -> bool:
        return self._write(lambda c: _many(c, links.INSERT_UPLOAD, [links.upload_row(upload)]))

    def new_link(self, reporter: str, secret: str) -> bool:
        """The reporter's link replaced by one with `secret` (the old one revoked)."""
        return self._write(lambda c: links.replace_link(c, reporter, secret, self.now()))

    # --- reading: empty when the ledger is not available ---

    def links(self) -> list[Link]:
        return self._read(links.read_links, [])

    def uploads(self, reporter: str | None = None) -> list[Upload]:
        """In the order they came; one reporter's, or all."""
        where, params = _only(reporter)
        return self._read(lambda c: links.read_uploads(c, where, params), [])

    def files(self, reporter: str | None = None) -> list[SeenFile]:
        """Ordered by reporter, 填报日期, first seen and hash; one reporter's, or all."""
        where, params = _only(reporter)
        return self._read(lambda c: rows.read_files(c, where, params), [])

    def file(self, sha256: str) -> SeenFile | None:
        where, params = "WHERE sha256 = ?", (sha256,)
        found: list[SeenFile] = self._read(lambda c: rows.read_files(c, where, params), [])
        return found[0] if found else None

    def replies(self, reporter: str | None = None) -> list[SentReply]:
        """In the order they were written."""
        where, params = _only(reporter)
        return self._read(lambda c: rows.read_replies(c, where, params), [])

    def merges(self) -> list[MergeRecord]:
        """In the order they were written."""
        return self._read(rows.read_merges, [])

    def confirmations(self, reporter: str | None = None) -> list[Confirmation]:
        """In the order they were recorded."""
        where, params = _only(reporter)
        return self._read(lambda c: rows.read_confirmations(c, where, params), [])

    # --- the two ways in ---

    def _write(self, work: Callable[[sqlite3.Connection], None]) -> bool:
        """One transaction. A failure (disk full, read-only, locked past the busy timeout,
        damaged) is one notice, and nothing more is written by this ledger: history with a
        hole in the middle would mislead more than history that stops."""
        connection = self._connection
        if connection is None or not self.writable:
            return False
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                work(connection)
                connection.execute("COMMIT")
            except BaseException:
                _rollback(connection)
                raise
        except (sqlite3.Error, OSError) as error:
            self.writable = False
            self.notices.append(problem("ledger-write-failed", reason=why(error)))
            return False
        return True

    def _read(self, work: Callable[[sqlite3.Connection], T], empty: T) -> T:
        """One read transaction, so two queries see one state. A failure makes the ledger
        unavailable for the rest of the command; the next open checks it and sets it aside
        if it is damaged. A row edited by hand into nonsense is no damage SQLite can see: that
        ledger stays where it is and each command says it cannot be read."""
        connection = self._connection
        if connection is None:
            return empty
        try:
            connection.execute("BEGIN")
            try:
                return work(connection)
            finally:
                connection.execute("COMMIT")
        except (sqlite3.Error, OSError) as error:
            reason = why(error)
        except UNDECODABLE:  # a row SQLite finds sound but jc315 cannot read: edited by hand
            reason = "台账内容无法识别"
        self.notices.append(
            problem("ledger-unavailable", path=LEDGER_PATH.as_posix(), reason=reason)
        )
        self.close()
        return empty


def _only(reporter: str | None) -> tuple[str, rows.Row]:
    """The fixed clause for one reporter's rows (its name bound), or none for all."""
    return ("", ()) if reporter is None else ("WHERE reporter = ?", (rows.text(reporter),))


def _many(connection: sqlite3.Connection, statement: str, batch: list[rows.Row]) -> None:
    connection.executemany(statement, batch)


def _rollback(connection: sqlite3.Connection) -> None:
    try:
        connection.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # SQLite may have rolled it back itself (disk full during COMMIT)
