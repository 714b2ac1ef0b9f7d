"""Opening the ledger's database file so that no state of it stops a command: missing (made
anew), damaged (set aside under a new name, never deleted, and made anew), written by a newer
jc315 (left alone), unwritable or locked too long (the command goes on without history).

A new ledger is built under a temporary name and linked into place, so no other process ever
sees a half-made one (a 0-byte or schema-less file at the ledger's name is always damage, never
a neighbour still creating it), and two commands making it at once end with one ledger.

Damage is told by `PRAGMA quick_check` at every open: it reads every page and checks each
b-tree's structure, not indexes against tables (integrity_check, about twice the time). On a
ledger of 10,000 files of 15 values and 3 problems each (15 MB) it costs about 13 ms of CPU,
30 ms of wall-clock time on a busy machine (benchmarks/bench_ledger.py); a collection's usual
few hundred files, 1 ms. A command reading the forms takes a second or more."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jc315cli.collection.aside import (
    SIDES,
    keep_damaged_log,
    set_aside,
    set_aside_orphans,
)
from jc315cli.collection.schema import MIGRATIONS, VERSION
from jc315cli.problems.registry import problem
from jc315cli.problems.report import Problem

LEDGER_PATH = Path(".jc315/ledger.sqlite")
SHOWN_PATH = LEDGER_PATH.as_posix()  # how notices name it: relative to the collection folder
BUSY_SECONDS = 15.0  # a second command waits this long for the first one's transaction


class Damaged(Exception):
    """The file at the ledger's name is not a sound ledger; the message says why, in Chinese."""


@dataclass
class Opened:
    connection: sqlite3.Connection | None  # None: go on without history
    created: bool = False  # a new, empty ledger: earlier history is not available
    kept: Path | None = None  # where a damaged ledger was set aside
    notices: list[Problem] = field(default_factory=list)


def open_store(root: Path, now: datetime) -> Opened:
    """The ledger of the collection folder `root`, whatever state it is in; never raises for
    the file system or the database."""
    path = root / LEDGER_PATH
    opened = Opened(None)
    try:
        path.parent.mkdir(exist_ok=True)  # .jc315 only: the collection folder is the caller's
        _open(path, now, opened)
    except (OSError, sqlite3.Error) as error:
        if opened.connection is not None:
            opened.connection.close()
            opened.connection = None
        opened.notices.append(problem("ledger-unavailable", path=SHOWN_PATH, reason=why(error)))
    return opened


def _open(path: Path, now: datetime, opened: Opened) -> None:
    if not os.path.lexists(path):
        _make(path, now)
        opened.created = True
        opened.notices.append(problem("ledger-new", path=SHOWN_PATH))
    _keep_damaged_log(path, now, opened)
    judged = _identity(path)
    try:
        connection, version = _checked(path)
    except Damaged as damage:
        if _identity(path) == judged:  # else another command set it aside meanwhile
            opened.kept = set_aside(path, now)
            kept = _shown(opened.kept)
            opened.notices.append(problem("ledger-damaged", reason=str(damage), kept=kept))
        _make(path, now)
        opened.created = True
        connection, version = _checked(path)  # a fresh one failing now is not damage
    if version > VERSION:
        connection.close()
        opened.notices.append(problem("ledger-newer", path=SHOWN_PATH))
        return
    opened.connection = connection
    connection.execute("PRAGMA journal_mode=WAL")
    if version < VERSION:
        _migrate(connection)


def _keep_damaged_log(path: Path, now: datetime, opened: Opened) -> None:
    kept = keep_damaged_log(path, now)
    if kept is not None:
        opened.notices.append(problem("ledger-log-damaged", kept=_shown(kept)))


def _shown(kept: Path) -> str:
    """A set-aside file as a notice names it: beside the ledger, in the collection folder."""
    return (LEDGER_PATH.parent / kept.name).as_posix()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return None
    return status.st_dev, status.st_ino


def connect(path: Path) -> sqlite3.Connection:
    """Transactions are ours (BEGIN IMMEDIATE … COMMIT), not the sqlite3 module's guesses."""
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")  # for any table of a later version that has them
    connection.execute("PRAGMA trusted_schema=OFF")  # a planted file's triggers run nothing odd
    return connection


def _checked(path: Path) -> tuple[sqlite3.Connection, int]:
    """A connection to a sound ledger and its version, or Damaged."""
    if not os.path.isfile(path):
        raise Damaged("这是一个文件夹或其他非普通文件，不是台账文件")
    if os.path.getsize(path) == 0:
        raise Damaged("文件是空的，0 字节")
    connection = connect(path)
    try:
        version = _version(connection)
    except BaseException:
        connection.close()
        raise
    return connection, version


def _version(connection: sqlite3.Connection) -> int:
    try:
        checked = connection.execute("PRAGMA quick_check(1)").fetchall()  # the first is enough
        version: int = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        if damage(error):
            raise Damaged(why(error)) from error
        raise
    if checked != [("ok",)]:
        raise Damaged("完整性检查未通过")
    if version == 0:
        raise Damaged("不是 jc315 的台账")
    if version <= VERSION and not MIGRATIONS[version - 1].tables <= tables:
        raise Damaged("缺少数据表")
    if version <= VERSION and not _columns_as_made(connection, version):
        raise Damaged("数据表的结构与它的版本不符")
    return version


def _columns_as_made(connection: sqlite3.Connection, version: int) -> bool:
    """Whether every table has the columns its version's migrations make: a file that says
    version 1 but lacks a column (written by hand, or by a build of jc315 that never shipped)
    would fail every read and every write, command after command, if it were kept."""
    for table, columns in _expected_columns(version).items():
        found = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        if not columns <= found:
            return False
    return True


@functools.cache
def _expected_columns(version: int) -> dict[str, frozenset[str]]:
    """The columns of each table after the migrations up to `version`, from an empty database
    in memory: the one description of the schema is the migrations themselves."""
    memory = sqlite3.connect(":memory:")
    try:
        for step in MIGRATIONS[:version]:
            for statement in step.statements:
                memory.execute(statement)
        names = [
            row[0] for row in memory.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            name: frozenset(row[1] for row in memory.execute(f"PRAGMA table_info({name})"))
            for name in names
        }
    finally:
        memory.close()


def _migrate(connection: sqlite3.Connection) -> None:
    """The missing steps, all or none. The version is read again inside the transaction: a
    second command may have migrated it meanwhile, or a newer jc315 gone past us."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for step in MIGRATIONS[version:]:
            for statement in step.statements:
                connection.execute(statement)
        if version < VERSION:
            connection.execute(f"PRAGMA user_version = {VERSION:d}")  # a pragma binds nothing
        connection.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise


def _make(path: Path, now: datetime) -> None:
    """A new ledger at `path`, built aside and linked in; if another command links its own
    first, that one is the ledger. Built in rollback-journal mode, so the schema is all in the
    main file when it is closed, then switched to WAL (a flag in its header)."""
    temp = path.with_name(f"{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        connection = connect(temp)
        try:
            _migrate(connection)
            connection.execute("PRAGMA journal_mode=WAL")
        finally:
            connection.close()
        set_aside_orphans(path, now)
        _place(temp, path)
    finally:
        for suffix in ("", *SIDES):  # our own temporary file, never holding history
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{temp}{suffix}")


def _place(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)  # refuses an existing name: the first ledger made wins
    except FileExistsError:
        return
    except OSError:  # a file system without hard links (FAT on a USB stick)
        if not os.path.lexists(path):
            os.rename(temp, path)


# SQLite's primary result codes that say what went wrong, and what a clerk is told.
_CORRUPT, _NOTADB = 11, 26
_WHY = {
    3: "没有访问权限",
    5: f"另一条 jc315 命令占用台账超过 {BUSY_SECONDS:g} 秒",
    6: f"另一条 jc315 命令占用台账超过 {BUSY_SECONDS:g} 秒",
    8: "台账或其所在文件夹是只读的",
    10: "读写台账文件时出错（磁盘可能已满或有故障）",
    13: "磁盘已满",
    14: "无法打开台账文件",
    _CORRUPT: "数据库内容已损坏",
    _NOTADB: "不是有效的数据库文件",
}


_OS_WHY = {
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "文件系统是只读的",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "台账所在的 .jc315 不是文件夹",
    errno.EEXIST: "台账所在的 .jc315 不是文件夹",
}


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11 and later
    return None if code is None else int(code) & 0xFF


def damage(error: sqlite3.Error) -> bool:
    text = str(error)
    return _code(error) in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text


def why(error: BaseException) -> str:
    """The cause in a clerk's words; the system's own words when there are none."""
    if isinstance(error, sqlite3.Error):
        code = _code(error)
        if code in _WHY:
            return _WHY[code]
        if damage(error):
            return _WHY[_CORRUPT]
        return str(error)
    if isinstance(error, OSError):
        return _OS_WHY.get(error.errno or 0, error.strerror or str(error))
    return str(error)
