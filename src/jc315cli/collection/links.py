"""What the page adds to the ledger: each reporter's upload link (its secret, kept so the links
pasted into the 下发 notice work after a restart; a revoked one kept too, so an upload names the
link it came by) and every file sent through the page, taken in or refused, with its hash."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from jc315cli.collection.rows import Row, moment, text, untext

INSERT_LINK = "INSERT INTO links (reporter, secret, made_at) VALUES (?, ?, ?)"
REVOKE_LINK = "UPDATE links SET revoked_at = ? WHERE reporter = ? AND revoked_at IS NULL"
INSERT_UPLOAD = """INSERT INTO uploads
    (link, reporter, name, sha256, size, accepted, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"""


@dataclass(frozen=True)
class Link:
    id: int
    reporter: str  # campaign full name
    secret: str
    made_at: datetime


@dataclass(frozen=True)
class Upload:
    """One file sent through the page. `link` is None for the clerk's own page."""

    link: int | None
    reporter: str | None  # whose form it is (the link's reporter, or the one the form names)
    name: str  # the name the browser sent, as shown (never used as a path)
    sha256: str
    size: int
    accepted: bool
    reason: str  # why it was refused; empty when taken in
    at: datetime


def upload_row(upload: Upload) -> Row:
    return (
        upload.link,
        None if upload.reporter is None else text(upload.reporter),
        text(upload.name),
        upload.sha256,
        upload.size,
        int(upload.accepted),
        text(upload.reason),
        moment(upload.at),
    )


def replace_link(connection: sqlite3.Connection, reporter: str, secret: str, at: datetime) -> None:
    """The reporter's link revoked (if any) and a new one made, in one transaction."""
    connection.execute(REVOKE_LINK, (moment(at), text(reporter)))
    connection.execute(INSERT_LINK, (text(reporter), secret, moment(at)))


def read_links(connection: sqlite3.Connection) -> list[Link]:
    """The links in use (not revoked), one per reporter at most."""
    found = connection.execute(
        "SELECT id, reporter, secret, made_at FROM links WHERE revoked_at IS NULL ORDER BY id"
    )
    return [Link(i, untext(r), s, datetime.fromisoformat(m)) for i, r, s, m in found]


def read_uploads(connection: sqlite3.Connection, where: str, params: Row) -> list[Upload]:
    found = connection.execute(
        "SELECT link, reporter, name, sha256, size, accepted, reason, at FROM uploads "
        f"{where} ORDER BY id",
        params,
    )
    return [
        Upload(
            link,
            None if reporter is None else untext(reporter),
            untext(name),
            sha,
            size,
            bool(accepted),
            untext(reason),
            datetime.fromisoformat(at),
        )
        for link, reporter, name, sha, size, accepted, reason, at in found
    ]
