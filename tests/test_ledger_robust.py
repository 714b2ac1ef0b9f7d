"""No state of the ledger's file stops a command or loses what it held: a missing ledger is made
anew and the clerk told history is not available; a damaged one is moved aside under a new name
(its bytes kept, never an earlier one overwritten) and a new one made; one from a newer jc315 is
left untouched; a read-only folder, a full disk or a ledger locked too long turn writes into a
notice. Every damage is made for real on the file, and every open is of the real file."""

from __future__ import annotations

import os
import random
import re
import shutil
import sqlite3
import struct
import subprocess
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pytest

from jc315cli.collection import aside, store
from jc315cli.collection.ledger import LEDGER_PATH, Ledger
from jc315cli.collection.schema import V1, VERSION, Migration
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


# --- damaged ---


def _header(path: Path) -> None:
    with open(path, "r+b") as file:
        file.write(random.Random(1).randbytes(100))


def _truncated(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2 + 1000)


def _middle_page(path: Path) -> None:
    pages = path.stat().st_size // PAGE
    with open(path, "r+b") as file:
        file.seek(pages // 2 * PAGE)
        file.write(random.Random(2).randbytes(PAGE))


def _cell_count(path: Path) -> None:
    """A leaf page claiming more cells than it holds: SQLite reads on, its check says no."""
    with open(path, "r+b") as file:
        file.seek(2 * PAGE + 3)
        file.write(b"\x00\x90")


def _emptied(path: Path) -> None:
    os.truncate(path, 0)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "something.txt").write_text("kept", encoding="utf-8")


def _not_a_ledger(path: Path) -> None:
    path.unlink()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (text)")
        connection.execute("INSERT INTO notes VALUES ('a database of something else')")
        connection.commit()


def _table_dropped(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("DROP TABLE replies")


DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "random-header": (_header, "不是有效的数据库文件"),
    "truncated": (_truncated, "数据库内容已损坏"),
    "garbage-page": (_middle_page, "完整性检查未通过"),
    "cell-count": (_cell_count, "完整性检查未通过"),
    "zero-bytes": (_emptied, "文件是空的，0 字节"),
    "a-folder": (_folder, "不是台账文件"),
    "not-jc315": (_not_a_ledger, "不是 jc315 的台账"),
    "table-dropped": (_table_dropped, "缺少数据表"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_ledger_is_set_aside_with_its_bytes_and_a_new_one_made(
    tmp_path: Path, damage: str
) -> None:
    path = ledger_with_history(tmp_path)
    damaging, reason = DAMAGES[damage]
    damaging(path)
    before = None if path.is_dir() else path.read_bytes()
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == ["ledger-damaged"]
        assert ledger.available and ledger.created and ledger.files() == []
        assert ledger.record_files([seen(1)]) and len(ledger.files()) == 1
        kept = ledger.kept
        message = ledger.notices[0].message
    assert kept == path.parent / f"ledger.damaged-{stamp()}.sqlite"
    assert f".jc315/{kept.name}" in message and reason in message
    if before is None:
        assert (kept / "something.txt").read_text(encoding="utf-8") == "kept"
    else:
        assert kept.read_bytes() == before
    assert check(path) == [("ok",)]


def test_a_second_damage_in_the_same_second_never_overwrites_the_first_one_set_aside(
    tmp_path: Path,
) -> None:
    path = ledger_with_history(tmp_path)
    kept = []
    for damage in ("random-header", "zero-bytes", "random-header"):
        DAMAGES[damage][0](path)
        before = path.read_bytes()
        with Ledger.open(tmp_path, now=NOW) as ledger:
            assert codes(ledger) == ["ledger-damaged"] and ledger.kept is not None
            assert ledger.kept.read_bytes() == before
            ledger.record_files(seen(i) for i in range(200))
            kept.append((ledger.kept, before))
    assert [k.name for k, _ in kept] == [
        f"ledger.damaged-{stamp()}.sqlite",
        f"ledger.damaged-{stamp()}-2.sqlite",
        f"ledger.damaged-{stamp()}-3.sqlite",
    ]
    assert all(k.read_bytes() == before for k, before in kept)


def _wal_header(version: int) -> bytes:
    """A WAL header SQLite accepts as a header (magic and checksum right) of `version`."""
    head = struct.pack(">IIIIII", 0x377F0683, version, PAGE, 0, 1, 2)
    words = struct.unpack(">6I", head)
    s0 = s1 = 0
    for x0, x1 in zip(words[::2], words[1::2], strict=True):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return head + struct.pack(">II", s0, s1)


def test_a_wal_file_of_garbage_is_copied_aside_and_the_history_kept(tmp_path: Path) -> None:
    path = ledger_with_history(tmp_path)
    garbage = random.Random(3).randbytes(5000)
    Path(f"{path}-wal").write_bytes(garbage)
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == ["ledger-log-damaged"] and not ledger.created
        assert len(ledger.files()) == 200
        assert ledger.record_files([seen(1000)])
        assert f"ledger.damaged-{stamp()}.sqlite-wal" in ledger.notices[0].message
    assert (path.parent / f"ledger.damaged-{stamp()}.sqlite-wal").read_bytes() == garbage
    assert check(path) == [("ok",)] and len(check(path, "SELECT sha256 FROM files")) == 201


def test_a_wal_file_of_an_unknown_format_is_moved_aside_so_the_ledger_opens(
    tmp_path: Path,
) -> None:
    """SQLite refuses a ledger whose WAL has a sound header of another format version."""
    path = ledger_with_history(tmp_path)
    wal = _wal_header(3007001) + bytes(PAGE + 24)
    Path(f"{path}-wal").write_bytes(wal)
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == ["ledger-log-damaged"]
        assert ledger.available and len(ledger.files()) == 200
    assert (path.parent / f"ledger.damaged-{stamp()}.sqlite-wal").read_bytes() == wal


def test_an_empty_wal_file_is_nothing_to_say(tmp_path: Path) -> None:
    path = ledger_with_history(tmp_path)
    Path(f"{path}-wal").write_bytes(b"")
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == [] and len(ledger.files()) == 200


def test_damage_found_while_reading_costs_the_history_of_this_command_only(
    tmp_path: Path,
) -> None:
    """Pages spoilt after the open's check: the read is empty with a notice, never an error,
    and the next open sets the ledger aside."""
    path = ledger_with_history(tmp_path, files=3000)  # larger than SQLite's page cache
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == []
        with open(path, "r+b") as file:
            for page in range(2, path.stat().st_size // PAGE, 2):
                file.seek(page * PAGE)
                file.write(b"\xff" * PAGE)
        assert ledger.files() == [] and codes(ledger) == ["ledger-unavailable"]
        assert not ledger.available and not ledger.record_files([seen(1)])
    with Ledger.open(tmp_path, now=NOW) as again:
        assert codes(again) == ["ledger-damaged"] and again.available


def test_a_row_edited_into_nonsense_costs_the_history_never_the_command(
    tmp_path: Path,
) -> None:
    path = ledger_with_history(tmp_path)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE files SET problems = '[{\"severity\": 1' WHERE rowid = 7")
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == []  # SQLite finds the file sound
        assert ledger.files() == [] and codes(ledger) == ["ledger-unavailable"]
        assert "台账内容无法识别" in ledger.notices[0].message
        assert ledger.replies() == [] and not ledger.record_files([seen(1)])
    assert path.exists() and len(check(path, "SELECT sha256 FROM files")) == 200


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


V2 = Migration(
    ("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)",),
    V1.tables | {"notes"},
)


def test_a_ledger_of_an_older_version_is_migrated_keeping_its_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version 2 is one more entry in MIGRATIONS."""
    path = ledger_with_history(tmp_path)
    monkeypatch.setattr(store, "MIGRATIONS", (V1, V2))
    monkeypatch.setattr(store, "VERSION", 2)
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == [] and len(ledger.files()) == 200
    assert check(path, "PRAGMA user_version") == [(2,)]
    assert check(path, "SELECT count(*) FROM notes") == [(0,)]
    (tmp_path / "new").mkdir()
    with Ledger.open(tmp_path / "new", now=NOW):
        pass
    assert check(tmp_path / "new" / LEDGER_PATH, "PRAGMA user_version") == [(2,)]
    monkeypatch.undo()
    with Ledger.open(tmp_path, now=NOW) as older:  # this jc315 again: a newer ledger now
        assert codes(older) == ["ledger-newer"]


def test_a_migration_that_fails_leaves_the_ledger_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ledger_with_history(tmp_path)
    broken = Migration(("CREATE TABLE notes (text)", "CREATE TABLE files (x)"), V2.tables)
    monkeypatch.setattr(store, "MIGRATIONS", (V1, broken))
    monkeypatch.setattr(store, "VERSION", 2)
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert codes(ledger) == ["ledger-unavailable"] and not ledger.available
    assert check(path, "PRAGMA user_version") == [(1,)]
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
