"""No state of the ledger's file stops a command or loses what it held: a missing ledger is made
anew and the clerk told history is not available; one from a newer jc315 is left untouched, an
older one migrated; a read-only folder, a full disk or a ledger locked too long turn writes into
a notice. Every state is made for real on the file, and every open is of the real file. A
damaged ledger is tests/test_ledger_damage.py's."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest

from jc315cli.collection import aside, store
from jc315cli.collection.ledger import LEDGER_PATH, Ledger
from jc315cli.collection.schema import MIGRATIONS, VERSION, Migration
from tests.test_ledger import NOW, seen

PAGE = 4096


def ledger_with_history(root: Path, files: int = 200) -> Path:
    with Ledger.open(root, now=NOW) as ledger:
        assert ledger.record_files(seen(i) for i in range(files))
    return root / LEDGER_PATH


def check(path: Path, sql: str = "PRAGMA integrity_check") -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def codes(ledger: Ledger) -> list[str]:
    return [notice.code for notice in ledger.notices]


def stamp(at: datetime = NOW) -> str:
    return at.astimezone().strftime("%Y%m%d-%H%M%S")


# --- missing ---


def test_a_ledger_deleted_between_two_commands_is_made_anew_and_the_clerk_told(
    tmp_path: Path,
) -> None:
    ledger_with_history(tmp_path).unlink()
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert ledger.available and ledger.created and codes(ledger) == ["ledger-new"]
        assert ledger.files() == []
        assert ledger.record_files([seen(1)]) and len(ledger.files()) == 1


def test_the_wal_left_by_a_deleted_ledger_is_set_aside_not_replayed_into_the_new_one(
    tmp_path: Path,
) -> None:
    """A command killed with the ledger's last records in its WAL, then the ledger deleted by
    hand: that WAL would be read into the new ledger as if it were its own."""
    path = tmp_path / LEDGER_PATH
    with Ledger.open(tmp_path, now=NOW) as ledger:
        ledger.record_files(seen(i) for i in range(50))
        wal = Path(f"{path}-wal").read_bytes()
        assert len(wal) > 10 * PAGE  # the records are in the WAL, not yet in the ledger
    path.unlink()
    Path(f"{path}-wal").write_bytes(wal)
    hour_ago = NOW.timestamp() - 3600
    os.utime(f"{path}-wal", (hour_ago, hour_ago))
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == ["ledger-new"] and ledger.files() == []
        assert ledger.record_files([seen(1)])
    assert check(path) == [("ok",)]
    assert (path.parent / f"ledger.damaged-{stamp()}.sqlite-wal").read_bytes() == wal


def test_young_companions_without_a_ledger_are_left_where_they_are(tmp_path: Path) -> None:
    """A moment-old WAL beside no ledger may be a neighbour's that has just made the ledger:
    moving it from under that command would lose its records."""
    path = tmp_path / LEDGER_PATH
    path.parent.mkdir()
    Path(f"{path}-shm").write_bytes(bytes(32768))
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert ledger.available and codes(ledger) == ["ledger-new"]
    assert not list(path.parent.glob("ledger.damaged-*"))


def test_setting_aside_never_moves_over_an_existing_file(tmp_path: Path) -> None:
    """Two commands may pick the same new name at the same moment: the second must fail."""
    first, second = tmp_path / "first.sqlite", tmp_path / "second.sqlite"
    first.write_bytes(b"first")
    second.write_bytes(b"second")
    with pytest.raises(FileExistsError):
        aside._move(first, second)
    assert first.read_bytes() == b"first" and second.read_bytes() == b"second"
    (tmp_path / "folder").mkdir()
    with pytest.raises(FileExistsError):
        aside._move(tmp_path / "folder", second)
    assert (tmp_path / "folder").is_dir() and second.read_bytes() == b"second"


# --- newer, older ---


def test_a_ledger_of_a_newer_jc315_is_left_untouched(tmp_path: Path) -> None:
    path = ledger_with_history(tmp_path)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA user_version = {VERSION + 1}")
    before = path.read_bytes()
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == ["ledger-newer"]
        assert not ledger.available and not ledger.created
        assert not ledger.record_files([seen(1000)]) and ledger.files() == []
        assert ledger.file(seen(1).sha256) is None and ledger.replies() == []
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["ledger.sqlite"]


NEXT = Migration(
    ("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)",),
    MIGRATIONS[-1].tables | {"notes"},
)


def test_a_ledger_of_an_older_version_is_migrated_keeping_its_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next version is one more entry in MIGRATIONS."""
    path = ledger_with_history(tmp_path)
    monkeypatch.setattr(store, "MIGRATIONS", (*MIGRATIONS, NEXT))
    monkeypatch.setattr(store, "VERSION", VERSION + 1)
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == [] and len(ledger.files()) == 200
    assert check(path, "PRAGMA user_version") == [(VERSION + 1,)]
    assert check(path, "SELECT count(*) FROM notes") == [(0,)]
    (tmp_path / "new").mkdir()
    with Ledger.open(tmp_path / "new", now=NOW):
        pass
    assert check(tmp_path / "new" / LEDGER_PATH, "PRAGMA user_version") == [(VERSION + 1,)]
    monkeypatch.undo()
    with Ledger.open(tmp_path, now=NOW) as older:  # this jc315 again: a newer ledger now
        assert codes(older) == ["ledger-newer"]


def test_a_migration_that_fails_leaves_the_ledger_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ledger_with_history(tmp_path)
    broken = Migration(("CREATE TABLE notes (text)", "CREATE TABLE files (x)"), NEXT.tables)
    monkeypatch.setattr(store, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(store, "VERSION", VERSION + 1)
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == ["ledger-unavailable"] and not ledger.available
    assert check(path, "PRAGMA user_version") == [(VERSION,)]
    assert check(path, "SELECT name FROM sqlite_master WHERE name = 'notes'") == []
    assert sorted(p.name for p in path.parent.iterdir()) == ["ledger.sqlite"]


# --- unwritable ---


def test_a_file_where_the_ledger_folder_should_be_costs_only_the_history(
    tmp_path: Path,
) -> None:
    (tmp_path / ".jc315").write_text("not a folder", encoding="utf-8")
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == ["ledger-unavailable"] and not ledger.available
        assert not ledger.record_files([seen(1)]) and ledger.files() == []
        assert "不是文件夹" in ledger.notices[0].message
    assert (tmp_path / ".jc315").read_text(encoding="utf-8") == "not a folder"


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` as a place nobody may write: its modes for a user, a read-only bind mount for
    root (whom modes do not stop)."""
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield folder
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    view = folder.parent / f"{folder.name}-read-only"
    view.mkdir()
    if subprocess.run(["mount", "--bind", folder, view], capture_output=True).returncode:
        pytest.skip("root, and cannot bind-mount a read-only view")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", view], check=True)
        yield view
    finally:
        subprocess.run(["umount", view], check=True)


def test_a_read_only_folder_costs_only_the_history(tmp_path: Path) -> None:
    root = tmp_path / "collection"
    (root / "another").mkdir(parents=True)
    path = ledger_with_history(root)
    before = path.read_bytes()
    with read_only(root) as seen_root:
        with Ledger.open(seen_root, now=NOW) as ledger:
            assert not ledger.record_files([seen(1000)])
            assert "ledger-unavailable" in codes(ledger) or "ledger-write-failed" in codes(ledger)
        with Ledger.open(seen_root / "another", now=NOW) as new:  # cannot make .jc315 there
            assert codes(new) == ["ledger-unavailable"] and not new.record_files([seen(1)])
    assert path.read_bytes() == before and not (root / "another" / ".jc315").exists()


def test_a_collection_folder_that_is_not_there_is_not_made(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "gone", now=NOW) as ledger:
        assert (
            codes(ledger) == ["ledger-unavailable"] and "文件夹不存在" in ledger.notices[0].message
        )
    assert not (tmp_path / "gone").exists()


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], capture_output=True
    )
    if done.returncode:
        pytest.skip("cannot mount a small file system (not root); see test_ledger_processes")
    try:
        yield folder
    finally:
        subprocess.run(["umount", folder], check=True)


def test_a_full_disk_turns_the_write_into_a_notice_and_keeps_what_was_recorded(
    tmp_path: Path,
) -> None:
    with small_disk(tmp_path / "disk", "300k") as disk:
        with Ledger.open(disk, now=NOW) as ledger:
            assert ledger.record_files(seen(i) for i in range(20))
            assert not ledger.record_files(seen(i) for i in range(20, 2000))
            assert codes(ledger) == ["ledger-new", "ledger-write-failed"]
            assert "磁盘已满" in ledger.notices[1].message
            assert not ledger.record_replies([]) and len(codes(ledger)) == 2  # said once
            assert len(ledger.files()) == 20
        assert check(disk / LEDGER_PATH) == [("ok",)]
        with Ledger.open(disk, now=NOW) as again:
            assert codes(again) == [] and len(again.files()) == 20


def test_a_ledger_locked_past_the_busy_timeout_turns_the_write_into_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ledger_with_history(tmp_path)
    monkeypatch.setattr(store, "BUSY_SECONDS", 0.2)
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another command in the middle of its write
        with Ledger.open(tmp_path, now=NOW) as ledger:
            assert len(ledger.files()) == 200  # readers never wait for a writer
            assert not ledger.record_files([seen(1000)])
            assert codes(ledger) == ["ledger-write-failed"]
            other.execute("COMMIT")
            assert not ledger.record_files([seen(1001)])  # this command's history stops
    assert len(check(path, "SELECT sha256 FROM files")) == 200


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    ledger_with_history(tmp_path)
    with Ledger.open(tmp_path, now=datetime.now(timezone.utc)):
        pass
    left = [p.name for p in (tmp_path / ".jc315").iterdir()]
    assert left == ["ledger.sqlite"], left
    assert not [p for p in left if re.search(r"\.new-", p)]
    shutil.rmtree(tmp_path / ".jc315")
