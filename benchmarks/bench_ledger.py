"""The ledger at scale: recording N files (15 values and 3 problems each) in one call, reading
them back, recording them again, reading one reporter's, and opening (with its quick_check).

    python benchmarks/bench_ledger.py                      # 300, 3000, 10000 files, 3 rounds
    python benchmarks/bench_ledger.py --sizes 3000 --rounds 5

Each figure is the median over rounds, each round in a new folder: the process's CPU time and,
after the slash, the wall-clock time (which a busy machine stretches; the CPU time it does not)."""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from jc315cli.collection.ledger import LEDGER_PATH, Ledger
from jc315cli.collection.records import SeenFile
from jc315cli.problems.registry import problem

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)


def files(n: int) -> list[SeenFile]:
    problems = (
        problem("not-a-number", cell="E11", raw="十二"),
        problem("blank", cell="E12"),
        problem("late", day="2025-03-23", deadline="2025-03-22"),
    )
    return [
        SeenFile(
            sha256=f"{i:064x}",
            name=f"收回/单位{i}.xlsx",
            size=20_000 + i,
            first_seen=NOW + timedelta(seconds=i),
            last_seen=NOW + timedelta(seconds=i),
            reporter=f"单位{i % 7}",
            filled_on=date(2025, 3, 20),
            status="invalid",
            values={str(k): i + k if k % 3 else Decimal(f"{i}.{k:02d}") for k in range(1, 16)},
            cells={str(k): f"E{8 + k}" for k in range(1, 16)},
            problems=problems,
        )
        for i in range(n)
    ]


def timed(work: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def one_round(made: list[SeenFile]) -> dict[str, tuple[float, float]]:
    root = Path(tempfile.mkdtemp(prefix="jc315-ledger-"))
    figures: dict[str, tuple[float, float]] = {}
    with Ledger.open(root) as ledger:
        figures["record"] = timed(lambda: ledger.record_files(made))
        figures["read"] = timed(ledger.files)
        figures["record again"] = timed(lambda: ledger.record_files(made))
        figures["one reporter"] = timed(lambda: ledger.files("单位3"))
    figures["open"] = timed(lambda: Ledger.open(root).close())
    with closing(sqlite3.connect(root / LEDGER_PATH)) as connection:
        figures["quick_check"] = timed(lambda: connection.execute("PRAGMA quick_check").fetchall())
    size = (root / LEDGER_PATH).stat().st_size / 1e6
    figures["MB"] = (size, size)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,3000,10000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        made = files(n)
        rounds = [one_round(made) for _ in range(args.rounds)]
        shown = ", ".join(
            f"{key} {rounds[0][key][0]:.1f} MB"
            if key == "MB"
            else "{} {:.0f}/{:.0f} ms".format(
                key, *(statistics.median(r[key][i] for r in rounds) * 1000 for i in (0, 1))
            )
            for key in rounds[0]
        )
        print(f"{n:>6} files: {shown}")


if __name__ == "__main__":
    main()
