"""The ledger's tables, as the list of steps that build them. `PRAGMA user_version` holds how
many steps a ledger has had; opening applies the missing ones in one transaction, so a ledger
is always at one version, never between two. Version 2 is one more entry in MIGRATIONS; a step
never changes once released, because ledgers out there were built by it.

How values are kept, so that nothing is rounded on the way in or out:
- a file's values and a merge's totals are a JSON object, item → number, as jc315's JSON
  report writes them: a count a JSON integer (12), money a JSON string of its exact digits
  ("0.30", "1E+2"); one JSON text per file, not a row per value, keeps recording and reading
  3,000 files a matter of milliseconds;
- a confirmed value is its exact text with `is_decimal` telling int from Decimal;
- a day is ISO (2025-03-20); a moment is UTC ISO with its offset and microseconds, one width,
  so ordering the text orders the time;
- problems and cell lists are JSON;
- a text that is not valid UTF-8 (a file name with a lone surrogate) is kept as a BLOB of its
  `surrogatepass` bytes, so it comes back as the same text.

No foreign key ties a reply, a merge or a confirmation to a file row: they name files by
content hash, a fact that holds whether or not this ledger saw the file (it may have been
recreated in between)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    statements: tuple[str, ...]
    tables: frozenset[str]  # every table after this step: a ledger missing one is damaged


V1 = Migration(
    statements=(
        """CREATE TABLE files (
            sha256 TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            reporter TEXT,
            filled_on TEXT,
            status TEXT NOT NULL,
            "values" TEXT NOT NULL,
            cells TEXT NOT NULL,
            problems TEXT NOT NULL
        )""",
        "CREATE INDEX files_by_reporter ON files (reporter, filled_on, first_seen)",
        """CREATE TABLE replies (
            id INTEGER PRIMARY KEY,
            reporter TEXT NOT NULL,
            kind TEXT NOT NULL,
            sent_on TEXT NOT NULL,
            deadline TEXT NOT NULL,
            cells TEXT NOT NULL,
            about TEXT,
            written_at TEXT NOT NULL
        )""",
        # A rerun of feedback writing the same reply again is the same reply, not a second one.
        """CREATE UNIQUE INDEX replies_once
            ON replies (reporter, kind, sent_on, deadline, cells, ifnull(about, ''))""",
        """CREATE TABLE merges (
            id INTEGER PRIMARY KEY,
            output_name TEXT NOT NULL,
            output_sha256 TEXT NOT NULL,
            inputs TEXT NOT NULL,
            totals TEXT NOT NULL,
            filled_on TEXT NOT NULL,
            written_at TEXT NOT NULL,
            UNIQUE (output_sha256, output_name)
        )""",
        """CREATE TABLE confirmations (
            id INTEGER PRIMARY KEY,
            reporter TEXT NOT NULL,
            item TEXT NOT NULL,
            value TEXT NOT NULL,
            is_decimal INTEGER NOT NULL,
            reason TEXT NOT NULL,
            confirmed_by TEXT NOT NULL,
            confirmed_on TEXT NOT NULL,
            about TEXT,
            recorded_at TEXT NOT NULL
        )""",
        # The county's 核实说明 is read again each time its file is: recorded once.
        """CREATE UNIQUE INDEX confirmations_once ON confirmations
            (reporter, item, value, is_decimal, reason, confirmed_by, confirmed_on,
             ifnull(about, ''))""",
    ),
    tables=frozenset(("files", "replies", "merges", "confirmations")),
)

# The page (`jc315 web`): each reporter's upload links (a revoked one kept, so an upload names
# the very link it came by) and every file sent through the page, taken in or refused.
V2 = Migration(
    statements=(
        """CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            reporter TEXT NOT NULL,
            secret TEXT NOT NULL UNIQUE,
            made_at TEXT NOT NULL,
            revoked_at TEXT
        )""",
        """CREATE TABLE uploads (
            id INTEGER PRIMARY KEY,
            link INTEGER,
            reporter TEXT,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            accepted INTEGER NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
    ),
    tables=V1.tables | {"links", "uploads"},
)

MIGRATIONS: tuple[Migration, ...] = (V1, V2)
VERSION = len(MIGRATIONS)  # what this jc315 writes; a ledger above it is left untouched
