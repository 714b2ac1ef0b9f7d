"""Benchmark: reading returned forms with calamine vs openpyxl, and what a validate/merge costs.

Run from the repository root:

    python benchmarks/bench_reading.py            # or any venv with jc315 installed

Options: --rounds R (default 5), --reps N (per-file repetitions per round, default 30),
--quick (2 rounds, few repetitions; for checking the script still runs).

Every measurement uses the committed forms only:
  * examples/returned/*  (the spreadsheet files: 6 .xlsx + 1 .xls)
  * tests/fixtures/quirks/filled-valid*.{xlsx,xls,ods}

Method: each round runs every (operation, file) pair once as a block of N back-to-back calls and
records the mean time per call of that block; the order of the pairs is shuffled every round
(fixed seed), so the operations are interleaved rather than run one after another. The figure
reported is the median over rounds. Per format, the "ms/form" column is the median over that
format's files of the per-file figures. "ratio" compares with `read_workbook` on the same format
(same files) within each round -- this row's per-round figure (median over the files) divided by
read_workbook's in that round -- and reports the median of those per-round ratios; "ratio/round"
is their lowest and highest. Within-round ratios are used because the machine's speed can drift
between rounds, and both sides of a ratio were timed in the same round. Rows over the batch in
examples/returned are divided by its 7 forms and compared with the mean `read_workbook` time of
those same 7 forms. "spread" is (max - min) / median of the per-round times: how much that row's
absolute time moved between rounds.

This prints measurements; it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from importlib.metadata import version
from pathlib import Path

import jc315cli  # noqa: F401  # before openpyxl: see src/jc315cli/__init__.py

# isort: split

import openpyxl
import python_calamine as calamine

from jc315cli.check.validate import validate_file, validate_paths
from jc315cli.commands.merge import merge_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import FORM_EXTENSIONS
from jc315cli.read.workbook import read_workbook

ROOT = Path.cwd()
RETURNED = Path("examples/returned")
QUIRKS = Path("tests/fixtures/quirks")
SEED = 315
Grids = Sequence[Sequence[Sequence[object]]]  # sheets -> rows -> values


def forms() -> tuple[list[Path], list[Path]]:
    returned = sorted(
        p for p in RETURNED.iterdir() if p.is_file() and p.suffix.lower() in FORM_EXTENSIONS
    )
    quirks = sorted(
        p for p in QUIRKS.glob("filled-valid*") if p.suffix.lower() in (".xlsx", ".xls", ".ods")
    )
    return returned, quirks


# --- the operations -------------------------------------------------------------------------


# Each reader returns every sheet's rows as Python lists/tuples of values, which is what
# read_workbook keeps; the cell counting used for the sanity check is done outside the timing.


def calamine_bare(path: Path) -> Grids:
    """Just python-calamine: open, every sheet to Python lists (no jc315 checks around it)."""
    with calamine.CalamineWorkbook.from_path(str(path)) as book:
        return [
            book.get_sheet_by_name(name).to_python(skip_empty_area=True)
            for name in book.sheet_names
        ]


def jc315_read(path: Path) -> Grids:
    return [sheet.rows for sheet in read_workbook(path).sheets]


def openpyxl_read(path: Path) -> Grids:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
    finally:
        book.close()


def non_empty(sheets: Grids) -> int:
    return sum(1 for rows in sheets for row in rows for v in row if v is not None and v != "")


def jc315_validate(path: Path) -> object:
    return validate_file(path, DEFAULT_CAMPAIGN)


# --- timing ---------------------------------------------------------------------------------


def per_call(fn: Callable[[], object], reps: int) -> float:
    start = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - start) / reps


def run_process(argv: list[str]) -> None:
    done = subprocess.run(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    if done.returncode != 0:
        raise SystemExit(
            f"{argv} exited {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}"
        )


def git_state() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!benchmarks"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes outside benchmarks/)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reps", type=int, default=30, help="per-file calls per round")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if not (RETURNED.is_dir() and QUIRKS.is_dir()):
        raise SystemExit("run from the repository root: python benchmarks/bench_reading.py")
    rounds, reps = (2, 3) if args.quick else (args.rounds, args.reps)
    batch_reps = max(1, reps // 3)  # validate_paths over 7 forms
    merge_reps = max(1, reps // 6)  # validate + write the consolidated workbook
    proc_reps = 1 if args.quick else 2  # whole processes

    commit = git_state()
    returned, quirks = forms()
    files = returned + quirks
    fmt = {p: p.suffix.lower().lstrip(".") for p in files}

    # Same values? Count the non-empty cells each reader sees before timing anything.
    for path in files:
        got = {
            "calamine": non_empty(calamine_bare(path)),
            "read_workbook": non_empty(jc315_read(path)),
        }
        if fmt[path] == "xlsx":
            got["openpyxl"] = non_empty(openpyxl_read(path))
        if len(set(got.values())) != 1:
            print(f"WARNING: readers disagree on non-empty cells in {path}: {got}", file=sys.stderr)
        report = validate_file(path, DEFAULT_CAMPAIGN)
        if report.status != "valid":
            print(f"WARNING: {path} is {report.status}, not valid", file=sys.stderr)

    tmp = tempfile.TemporaryDirectory(prefix="jc315-bench-")
    out = Path(tmp.name) / "汇总.xlsx"
    py = sys.executable
    tasks: list[tuple[str, str, Callable[[], object], int]] = []  # (what, key, fn, reps)
    for path in files:
        key = str(path)
        tasks.append(("calamine bare (no checks)", key, partial(calamine_bare, path), reps))
        tasks.append(("read_workbook (calamine)", key, partial(jc315_read, path), reps))
        if fmt[path] == "xlsx":
            tasks.append(("openpyxl read_only loop", key, partial(openpyxl_read, path), reps))
        tasks.append(("validate_file", key, partial(jc315_validate, path), reps))
    tasks.append(
        (
            "validate_paths(returned/)",
            "batch",
            lambda: validate_paths([RETURNED], DEFAULT_CAMPAIGN),
            batch_reps,
        )
    )
    tasks.append(
        (
            "merge_paths(returned/) incl. write",
            "batch",
            lambda: merge_paths(
                [RETURNED], DEFAULT_CAMPAIGN, out, filled_on=date(2023, 3, 25), force=True
            ),
            merge_reps,
        )
    )
    tasks.append(
        ("process: python -c pass", "batch", lambda: run_process([py, "-c", "pass"]), proc_reps)
    )
    tasks.append(
        (
            "process: import jc315cli.commands.app",
            "batch",
            lambda: run_process([py, "-c", "import jc315cli.commands.app"]),
            proc_reps,
        )
    )
    tasks.append(
        (
            "process: jc315 validate returned/",
            "batch",
            lambda: run_process(
                [py, "-m", "jc315cli", "validate", str(RETURNED), "--format", "json"]
            ),
            proc_reps,
        )
    )

    for _, _, fn, _ in tasks:  # warm-up: imports, caches, first-call costs
        fn()

    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    shuffler = random.Random(SEED)
    started = time.perf_counter()
    for _ in range(rounds):
        order = tasks[:]
        shuffler.shuffle(order)
        for what, key, fn, n in order:
            samples[(what, key)].append(per_call(fn, n))
    elapsed = time.perf_counter() - started
    tmp.cleanup()

    # --- report ---------------------------------------------------------------------------
    print("jc315 reading benchmark")
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"python-calamine {version('python-calamine')}, openpyxl {openpyxl.__version__}, "
        f"os.cpu_count()={os.cpu_count()}, {platform.system()} {platform.machine()}"
    )
    after = git_state()
    print(
        f"repository at commit {commit}"
        + ("" if after == commit else f"; CHANGED during the run to {after}")
    )
    print(
        f"forms: {len(returned)} in {RETURNED}/ ({', '.join(sorted({fmt[p] for p in returned}))}), "
        f"{len(quirks)} in {QUIRKS}/filled-valid*"
    )
    print(
        f"{rounds} rounds, interleaved; per round: {reps} calls per file, {batch_reps} validate_paths, "
        f"{merge_reps} merge_paths, {proc_reps} per process; timed part took {elapsed:.1f} s"
    )
    print()

    def per_file_median(what: str, path: Path) -> float:
        return statistics.median(samples[(what, str(path))])

    def per_round(
        what: str, paths: list[Path], reduce: Callable[[list[float]], float] = statistics.median
    ) -> list[float]:
        """This operation's figure in each round: `reduce` over the files of that round's per-call times."""
        return [reduce([samples[(what, str(p))][r] for p in paths]) for r in range(rounds)]

    def spread(values: list[float]) -> float:
        return (max(values) - min(values)) / statistics.median(values)

    def ratios(values: list[float], bases: list[float]) -> tuple[float, str]:
        """Median and lowest-highest of the within-round ratios (both sides timed in the same round)."""
        each = [v / b for v, b in zip(values, bases, strict=True)]
        return statistics.median(each), f"{min(each):.2f}-{max(each):.2f}"

    header = (
        f"{'what':36} {'format':14} {'files':>5} {'ms/call':>8} {'ms/form':>8} {'ratio':>7} "
        f"{'ratio/round':>13} {'spread':>6}"
    )
    print(header)
    print("-" * len(header))
    per_file_ops = [
        "read_workbook (calamine)",
        "calamine bare (no checks)",
        "openpyxl read_only loop",
        "validate_file",
    ]
    for kind in ("xlsx", "xls", "ods"):
        paths = [p for p in files if fmt[p] == kind]
        base_rounds = per_round("read_workbook (calamine)", paths)
        for what in per_file_ops:
            if (what, str(paths[0])) not in samples:
                continue
            value = statistics.median(per_file_median(what, p) for p in paths)
            rounds_ = per_round(what, paths)
            ratio, span = ratios(rounds_, base_rounds)
            print(
                f"{what:36} {kind:14} {len(paths):5} {'':>8} {value * 1e3:8.2f} {ratio:6.2f}x "
                f"{span:>13} {spread(rounds_):6.0%}"
            )
        print()

    n = len(returned)
    mix = "+".join(
        f"{sum(fmt[p] == k for p in returned)} {k}"
        for k in ("xlsx", "xls", "ods")
        if any(fmt[p] == k for p in returned)
    )
    base = statistics.mean(per_file_median("read_workbook (calamine)", p) for p in returned)
    base_rounds = per_round("read_workbook (calamine)", returned, statistics.mean)
    print(
        f"{'read_workbook, mean over these forms':36} {mix:14} {n:5} {base * n * 1e3:8.2f} {base * 1e3:8.2f} "
        f"{1:6.2f}x {'':>13} {spread(base_rounds):6.0%}"
    )
    batch_ops = [
        "validate_paths(returned/)",
        "merge_paths(returned/) incl. write",
        "process: python -c pass",
        "process: import jc315cli.commands.app",
        "process: jc315 validate returned/",
    ]
    for what in batch_ops:
        values = samples[(what, "batch")]
        value = statistics.median(values)
        ratio, span = ratios([v / n for v in values], base_rounds)
        print(
            f"{what:36} {mix:14} {n:5} {value * 1e3:8.2f} {value / n * 1e3:8.2f} {ratio:6.2f}x "
            f"{span:>13} {spread(values):6.0%}"
        )
    print()
    whole = statistics.median(samples[("process: jc315 validate returned/", "batch")])
    work = statistics.median(samples[("validate_paths(returned/)", "batch")])
    imports = statistics.median(samples[("process: import jc315cli.commands.app", "batch")])
    bare = statistics.median(samples[("process: python -c pass", "batch")])
    reading = base * n
    print(
        f"whole `jc315 validate {RETURNED}` process: {whole * 1e3:.0f} ms (median). In-process "
        f"validate_paths: {work * 1e3:.1f} ms ({work / whole:.1%} of it); read_workbook of the {n} forms: "
        f"~{reading * 1e3:.1f} ms ({reading / whole:.1%}). A process that only imports jc315cli.commands.app: "
        f"{imports * 1e3:.0f} ms ({imports / whole:.0%}); bare interpreter start: {bare * 1e3:.0f} ms."
    )
    print(
        "ms/call: one call over the whole batch, or one whole process. ms/form: per form (batch rows: ms/call / "
        f"{n}).\nratio: median over rounds of (this row / read_workbook (calamine)) on the same format or forms, "
        "both timed in the same round; lower is faster.\nratio/round: lowest-highest of those per-round ratios. "
        "spread: (max - min) / median of the per-round times."
    )


if __name__ == "__main__":
    main()
