"""The ledger under the commands, for real: deleted, corrupted, two commands at once, and a
merge killed with SIGKILL at many moments. The files stay the truth: every command still
works, and the ledger is whole or says what it lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, invoke
from tests.test_collection_folder import fill

LEDGER = Path(".jc315") / "ledger.sqlite"


def collection(tmp_path: Path, runner: CliRunner, reporters: int | None = None) -> Path:
    """A collection folder with every reporter's form returned, valid."""
    folder = tmp_path / "收集"
    assert invoke(runner, "init", folder).exit_code == 0
    if reporters is not None:
        from jc315cli.model.campaign_file import campaign_to_toml
        from tests.test_scale import campaign_of

        (folder / "jc315.toml").write_text(campaign_to_toml(campaign_of(reporters)), "utf-8")
    assert invoke(runner, "generate", "-c", folder / "jc315.toml").exit_code == 0
    for number, blank in enumerate(sorted((folder / "下发").glob("*.xlsx"))):
        fill(blank, folder / "收回" / blank.name, day=date(2023, 3, 20), value=number % 50 + 1)
    return folder


def jc315(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "80", "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "jc315cli", *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(word) for word in listed.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def rows(folder: Path, table: str) -> int:
    with sqlite3.connect(folder / LEDGER) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        count = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    assert isinstance(count, int)
    return count


def tables(folder: Path) -> set[str]:
    with sqlite3.connect(folder / LEDGER) as db:
        return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_a_deleted_ledger_is_made_anew_and_the_command_says_history_is_gone(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = collection(tmp_path, runner)
    monkeypatch.chdir(folder)
    assert invoke(runner, "validate").exit_code == 0
    for part in (folder / ".jc315").iterdir():
        part.unlink()
    (folder / ".jc315").rmdir()
    again = invoke(runner, "validate")
    assert again.exit_code == 0
    assert "此前的收集历史不可用" in again.output
    shown = invoke(runner, "status")
    assert shown.exit_code == 0 and "报送率 7/7" in shown.output


def test_a_corrupted_ledger_is_set_aside_never_deleted_and_never_stops_a_command(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = collection(tmp_path, runner)
    monkeypatch.chdir(folder)
    assert invoke(runner, "validate").exit_code == 0
    ledger = folder / LEDGER
    damaged = b"\x00garbage, not a database\xff" * 100
    ledger.write_bytes(damaged)
    for name in ("ledger.sqlite-wal", "ledger.sqlite-shm"):
        (folder / ".jc315" / name).unlink(missing_ok=True)
    again = invoke(runner, "validate")
    assert again.exit_code == 0
    assert "台账已损坏" in again.output
    kept = [p for p in (folder / ".jc315").iterdir() if "damaged" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert rows(folder, "files") == 7  # the new ledger holds this run


def test_two_commands_at_once_never_corrupt_the_ledger(tmp_path: Path, runner: CliRunner) -> None:
    folder = collection(tmp_path, runner)
    running = [jc315(folder, "validate") for _ in range(3)] + [jc315(folder, "merge", "--force")]
    for process in running:
        out, _ = process.communicate(timeout=300)
        assert process.returncode == 0, out
    assert rows(folder, "files") == 7
    assert rows(folder, "merges") == 1


def test_a_merge_killed_at_any_moment_leaves_the_ledger_whole(
    tmp_path: Path, runner: CliRunner
) -> None:
    """SIGKILL at growing delays: at each, the ledger passes its integrity check and holds
    either none of the merge's files or all of them, and a merge on record names a report
    that exists with those bytes."""
    import hashlib

    count = 150
    folder = collection(tmp_path, runner, reporters=count)
    report = folder / "汇总" / "2023年3·15活动情况汇总表.xlsx"
    start = time.monotonic()
    whole = jc315(folder, "merge")
    assert whole.wait(timeout=300) == 0
    took = time.monotonic() - start  # the kills land at fractions of one whole run
    killed_midway = 0
    for step in range(12):
        for part in (folder / ".jc315").glob("*"):
            part.unlink()
        report.unlink(missing_ok=True)
        process = jc315(folder, "merge")
        time.sleep(took * (0.15 + 0.07 * step))
        finished = process.poll() is not None
        workers = children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)  # ends only when no worker holds the output open
        deadline = time.monotonic() + 10
        while [pid for pid in workers if alive(pid)] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "a worker outlived its merge"
        if not finished and not report.exists():
            killed_midway += 1
        if not (folder / LEDGER).exists() or "files" not in tables(folder):
            continue  # killed before the ledger was made: nothing to check
        assert rows(folder, "files") in (0, count)
        with sqlite3.connect(folder / LEDGER) as db:
            merges = db.execute("SELECT output_sha256 FROM merges").fetchall()
        for (digest,) in merges:
            assert hashlib.sha256(report.read_bytes()).hexdigest() == digest
    assert killed_midway >= 2  # the kills did land inside the command


def test_a_ledger_whose_tables_lack_a_column_of_its_version_is_set_aside(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version 1 on the label, but not the columns version 1 makes (a build that never shipped
    wrote it, or a hand): every read and write would fail, command after command; it is set
    aside like any damage, byte for byte, and a sound ledger made."""
    folder = collection(tmp_path, runner)
    monkeypatch.chdir(folder)
    assert invoke(runner, "validate").exit_code == 0
    with sqlite3.connect(folder / LEDGER) as db:
        db.execute("ALTER TABLE files DROP COLUMN cells")
    db.close()
    before = (folder / LEDGER).read_bytes()
    again = invoke(runner, "validate")
    assert again.exit_code == 0 and "台账已损坏" in again.output and "结构" in again.output
    kept = [
        p for p in (folder / ".jc315").iterdir() if "damaged" in p.name and p.suffix == ".sqlite"
    ]
    assert len(kept) == 1 and kept[0].read_bytes() == before
    assert rows(folder, "files") == 7
    assert "不可用" not in invoke(runner, "validate").output  # the next command finds it sound
