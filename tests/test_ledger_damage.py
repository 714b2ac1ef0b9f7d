"""A damaged ledger is moved aside under a new name beside a new one: its bytes kept (with its
WAL and shared-memory files), never an earlier set-aside file overwritten, the clerk told which
file and why. A WAL of garbage is copied aside; damage found while reading costs that command's
history only. Every damage is made for real on the file."""

from __future__ import annotations

import os
import random
import sqlite3
import struct
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from jc315cli.collection.ledger import Ledger
from tests.test_ledger import NOW, seen
from tests.test_ledger_robust import PAGE, check, codes, ledger_with_history, stamp


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
