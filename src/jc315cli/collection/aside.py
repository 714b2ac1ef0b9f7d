"""Setting a damaged ledger aside: moved (never copied over, never deleted) to a new name
beside the new one, `ledger.damaged-<time>.sqlite`, with its WAL and shared-memory files, so a
person can still recover what it held."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import struct
import time
from datetime import datetime
from pathlib import Path

SIDES = ("-wal", "-shm")  # SQLite's companions of a WAL database: they travel with it
ORPHAN_SECONDS = 60.0  # companions without a ledger, older than this, belong to no command

WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_FORMAT = 3007000


def keep_damaged_log(path: Path, now: datetime) -> Path | None:
    """A WAL file whose header is garbage is ignored by SQLite and later overwritten: a copy of
    it is kept. One with a sound header of an unknown format makes SQLite refuse the ledger:
    it is moved aside (no process can be using it)."""
    wal = Path(f"{path}-wal")
    state = _log_state(wal)
    if state is None:
        return None
    target = Path(f"{free_name(path, now)}-wal")
    if state == "garbage":
        shutil.copyfile(wal, target)
    else:
        _move(wal, target)
    return target


def _log_state(wal: Path) -> str | None:
    """None for no WAL or a sound one; "garbage" or "unusable" otherwise. A header judged bad
    is read again a moment later and must be the same: another command may be writing a new
    header over the old one at this very moment."""
    if not os.path.lexists(wal):
        return None
    if not os.path.isfile(wal):
        return "unusable"
    header = _header(wal)
    state = _judged(header)
    if state is not None:
        time.sleep(0.05)
        if _header(wal) != header:
            return None
    return state


def _header(wal: Path) -> bytes:
    try:
        with open(wal, "rb") as file:
            return file.read(32)
    except OSError:
        return b""  # gone meanwhile, or unreadable: SQLite will say what is wrong


def _judged(header: bytes) -> str | None:
    if not header:
        return None
    if len(header) < 32:
        return "garbage"
    magic, version = struct.unpack(">II", header[:8])
    if magic not in WAL_MAGIC or _checksum(header[:24], magic & 1) != header[24:]:
        return "garbage"
    return None if version == WAL_FORMAT else "unusable"


def _checksum(data: bytes, big_endian: int) -> bytes:
    """The WAL header's checksum, as SQLite computes it (its file format, section 4.1)."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s0 = s1 = 0
    for x0, x1 in zip(words[::2], words[1::2], strict=True):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return struct.pack(">II", s0, s1)


def set_aside(path: Path, now: datetime) -> Path:
    """Moves the damaged ledger and its companions to a new name beside it and returns it."""
    for _ in range(100):
        target = free_name(path, now)
        try:
            _move(path, target)
        except FileExistsError:  # another command took the name meanwhile
            continue
        for suffix in SIDES:
            with contextlib.suppress(FileNotFoundError):
                _move(Path(f"{path}{suffix}"), Path(f"{target}{suffix}"))
        return target
    raise FileExistsError(path)


def set_aside_orphans(path: Path, now: datetime) -> None:
    """The WAL left by a ledger deleted by hand would be replayed into the new one: it is set
    aside. Only an old one: a neighbour's ledger linked in a moment ago has young companions,
    in use."""
    if os.path.lexists(path):
        return
    orphans = [suffix for suffix in SIDES if _age(Path(f"{path}{suffix}")) > ORPHAN_SECONDS]
    if orphans:
        target = free_name(path, now)
        for suffix in orphans:
            with contextlib.suppress(FileNotFoundError):
                _move(Path(f"{path}{suffix}"), Path(f"{target}{suffix}"))


def _age(path: Path) -> float:
    try:
        return time.time() - os.stat(path, follow_symlinks=False).st_mtime
    except FileNotFoundError:
        return -1.0


def free_name(path: Path, now: datetime) -> Path:
    """ledger.damaged-20250320-101500.sqlite, -2, -3 … : a name none of whose files exist.
    The clerk's own clock, as she will look for it."""
    stamp = now.astimezone().strftime("%Y%m%d-%H%M%S")
    for n in itertools.count(1):
        target = path.with_name(f"ledger.damaged-{stamp}{'' if n == 1 else f'-{n}'}.sqlite")
        if not any(os.path.lexists(f"{target}{suffix}") for suffix in ("", *SIDES)):
            return target
    raise AssertionError("unreachable")


def _move(source: Path, target: Path) -> None:
    """Never over an existing file: a hard link refuses an existing name. A folder, or a file
    system without hard links, is renamed after looking."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except FileNotFoundError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(source, target)
        return
    os.unlink(source)
