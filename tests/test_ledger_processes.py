"""The ledger across processes, for real: a command killed with SIGKILL in the middle of a big
write leaves all of it or none and a sound file; several commands writing at once lose nothing
and never fail; a process that may write no more bytes (a full disk, as the kernel's file-size
limit makes it for one process) goes on with a notice. Each child is a real Python process
using the real ledger on a real file."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from jc315cli.collection.ledger import LEDGER_PATH, Ledger
from tests.test_ledger import NOW, seen

ROOT = Path(__file__).resolve().parent.parent

# A child recording `count` files of 15 values and a problem each in one call. It prints
# "recording" just before the call and "done" after it.
RECORD = """
import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from jc315cli.collection.ledger import Ledger
from jc315cli.collection.records import SeenFile
from jc315cli.problems.registry import problem

root, count = Path(sys.argv[1]), int(sys.argv[2])
now = datetime(2025, 3, 20, tzinfo=timezone.utc)
blank = (problem("blank", cell="E11", item="3"),)
files = [
    SeenFile(f"{i:064x}", f"收回/{i}.xlsx", i, now, now, "泽州县市场监督管理局", None, "valid",
             {**{str(k): i + k for k in range(14)}, "m": Decimal(f"{i}.25")}, {}, blank)
    for i in range(count)
]
ledger = Ledger.open(root, now=now)
print("recording", [n.code for n in ledger.notices], flush=True)
print("done", ledger.record_files(files), [n.message for n in ledger.notices], flush=True)
ledger.close()
"""


def spawn(code: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def rows(root: Path, table: str = "files") -> int:
    """Counted past the ledger (the first connection recovers the WAL a killed one left)."""
    import sqlite3

    with closing(sqlite3.connect(root / LEDGER_PATH)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        count: int = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return count


def wal_size(root: Path) -> int:
    try:
        return Path(f"{root / LEDGER_PATH}-wal").stat().st_size
    except FileNotFoundError:
        return 0


FILES = 20_000


def test_a_command_killed_in_the_middle_of_a_big_write_leaves_all_of_it_or_none(
    tmp_path: Path,
) -> None:
    """Killed at several moments, from the middle of the open to after the commit. Whenever
    it is killed: the file is sound, and holds 0 or all 20,000 files, never some."""
    (tmp_path / "whole").mkdir()
    whole = spawn(RECORD, tmp_path / "whole", FILES)
    assert whole.stdout is not None
    assert whole.stdout.readline().startswith("recording")
    started = time.monotonic()
    assert whole.stdout.readline().startswith("done True")
    took = time.monotonic() - started
    assert whole.wait(60) == 0 and rows(tmp_path / "whole") == FILES

    outcomes: list[tuple[str, float, int, bool, int]] = []
    moments = [("open", d) for d in (0.0, 0.3)]
    moments += [("record", took * f / 10) for f in range(1, 16)]
    moments += [("record", took * f / 20) for f in range(7, 21)]  # again, if none fell inside
    for n, (stage, delay) in enumerate(moments):
        if n >= 17 and any(inside(o) for o in outcomes):
            break
        outcomes.append(kill(tmp_path / f"killed-{n}", stage, delay))
    assert any(inside(o) for o in outcomes), outcomes


def inside(outcome: tuple[str, float, int, bool, int]) -> bool:
    """Killed inside the transaction: its pages were going into the WAL (megabytes of them)
    and none of it is there."""
    return outcome[2] > 1_000_000 and outcome[4] == 0


def kill(root: Path, stage: str, delay: float) -> tuple[str, float, int, bool, int]:
    root.mkdir()  # the collection folder, there before any command
    child = spawn(RECORD, root, FILES)
    assert child.stdout is not None
    if stage == "record":
        assert child.stdout.readline().startswith("recording")
    time.sleep(delay)
    writing = wal_size(root)
    child.send_signal(signal.SIGKILL)
    child.wait(60)
    done = "done True" in child.stdout.read()
    count = rows(root) if (root / LEDGER_PATH).exists() else 0
    outcome = (stage, round(delay, 2), writing, done, count)
    assert count in (0, FILES), outcome
    assert count == FILES or not done, outcome
    with Ledger.open(root, now=NOW) as ledger:  # the next command: sound, no damage
        assert [n.code for n in ledger.notices] in ([], ["ledger-new"]), outcome
        assert ledger.available and len(ledger.files()) == count
        assert ledger.record_files([seen(1)])
    assert not list(root.glob(".jc315/ledger.damaged-*")), outcome
    return outcome


# A child playing one command after another: each opens the ledger, records 5 files and 2
# replies, and closes it. It prints every notice code it was given and every failed write.
BATCHES = """
import json, sys
from datetime import date, datetime, timezone
from pathlib import Path
from jc315cli.collection.ledger import Ledger
from jc315cli.collection.records import ReplyKind, SeenFile, SentReply

root, worker, batches = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
codes, failed = [], 0
print("ready", flush=True)
go = root.parent / "go"
while not go.exists():  # all start at one moment, racing to make the ledger
    pass
for batch in range(batches):
    now = datetime.now(timezone.utc)
    name = f"单位{worker}-{batch}"
    with Ledger.open(root) as ledger:
        codes += [n.code for n in ledger.notices]
        files = [
            SeenFile(f"{worker:08x}{batch:08x}{j:048x}", f"{name}-{j}.xlsx", j, now, now,
                     name, date(2025, 3, 20), "valid", {"1": j}, {"1": "E9"})
            for j in range(5)
        ]
        replies = [SentReply(name, kind, date(2025, 3, 21), date(2025, 3, 24))
                   for kind in (ReplyKind.correct, ReplyKind.remind)]
        failed += not ledger.record_files(files)
        failed += not ledger.record_replies(replies)
        ledger.files(name)
        codes += [n.code for n in ledger.notices]
print(json.dumps({"codes": sorted(set(codes)), "failed": failed}))
"""


@pytest.mark.parametrize("workers", [2, 4])
def test_commands_writing_at_once_lose_nothing_and_never_fail(tmp_path: Path, workers: int) -> None:
    """They start together on a folder without a ledger, so they also race to make it."""
    root = tmp_path / "collection"
    root.mkdir()
    children = [spawn(BATCHES, root, w, 200) for w in range(workers)]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    (tmp_path / "go").touch()
    results = []
    for child in children:
        out, err = child.communicate(timeout=600)
        assert child.returncode == 0, err
        results.append(json.loads(out))
    assert all(r["failed"] == 0 for r in results), results
    assert all(set(r["codes"]) <= {"ledger-new"} for r in results), results
    assert rows(root) == workers * 200 * 5
    assert rows(root, "replies") == workers * 200 * 2
    assert sorted(p.name for p in (root / ".jc315").iterdir()) == ["ledger.sqlite"]


# A child that may write only a few more kilobytes to any file: RLIMIT_FSIZE, and SIGXFSZ
# ignored so the write fails (EFBIG) instead of killing it, as a full disk fails it.
FULL = """
import json, resource, signal, sys
from datetime import datetime, timezone
from pathlib import Path
from jc315cli.collection.ledger import Ledger
from jc315cli.collection.records import SeenFile

root = Path(sys.argv[1])
now = datetime(2025, 3, 20, tzinfo=timezone.utc)
files = [SeenFile(f"{i:064x}", f"{i}.xlsx", i, now, now, "泽州县", None, "valid",
                  {str(k): k for k in range(15)}, {}) for i in range(1000, 4000)]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
with Ledger.open(root, now=now) as ledger:
    limit = (root / ".jc315" / "ledger.sqlite").stat().st_size + 64 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    recorded = ledger.record_files(files)
    print(json.dumps({"recorded": recorded, "codes": [n.code for n in ledger.notices],
                      "messages": [n.message for n in ledger.notices],
                      "files": len(ledger.files())}, ensure_ascii=False))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and SIGXFSZ as on Linux")
def test_a_command_that_can_write_no_more_bytes_goes_on_with_a_notice(tmp_path: Path) -> None:
    with Ledger.open(tmp_path, now=NOW) as ledger:
        ledger.record_files(seen(i) for i in range(20))
    out, err = spawn(FULL, tmp_path).communicate(timeout=120)
    assert out, err
    said = json.loads(out)
    assert said["recorded"] is False and said["codes"] == ["ledger-write-failed"], said
    assert said["files"] == 20, said  # what was recorded before is still read
    assert rows(tmp_path) == 20
    with Ledger.open(tmp_path, now=NOW) as again:
        assert again.notices == [] and len(again.files()) == 20
