"""jc315 at scale: `jc315 merge` over N returned forms against a plain openpyxl loop, timed side
by side as whole processes, and jc315's start-up against `python -c "import typer"`.

    python benchmarks/bench.py                      # sizes 300,1000
    python benchmarks/bench.py --sizes 300,1000,3000 --rounds 3
    python benchmarks/bench.py --sizes 20 --rounds 1   # a smoke run

The forms are made with the project's own generator for a campaign of N reporters, filled with
varied values (openpyxl), and, when LibreOffice is installed, every 20th one is re-saved as .xls
and every 20th (offset by 10) as .ods. Each round runs jc315 and the baseline one after the
other (A B A B …); the ratio is taken per round and its median reported. Peak memory is
sampled in one more, untimed run (see `run`).
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import jc315cli
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.model.campaign_file import campaign_to_toml
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.write.blank_forms import generate_forms

JC315 = [sys.executable, "-m", "jc315cli"]
BASELINE = """
import sys
from pathlib import Path
from openpyxl import load_workbook
total = [0] * 12
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    ws = load_workbook(path, data_only=True)["统计表"]
    for i in range(12):
        total[i] += float(ws.cell(row=6 + i, column=5).value or 0)
print(total)
"""


# What any Typer command with a path argument costs before it does anything: Typer (0.2x)
# checks each parameter through a pydantic TypeAdapter, so it loads pydantic's schema machinery.
MINIMAL_TYPER_APP = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer()
@app.command()
def validate(paths: Annotated[list[Path], typer.Argument(exists=True)], verbose: bool = False):
    print(len(paths))
app()
"""


def campaign_of(n: int) -> Campaign:
    reporters = tuple(
        Reporter(name=f"测试{i:05d}市场监督管理局", short_name=f"测试{i:05d}") for i in range(n)
    )
    return DEFAULT_CAMPAIGN.model_copy(update={"reporters": reporters})


def make_forms(n: int, folder: Path, *, mixed: bool) -> Campaign:
    from openpyxl import load_workbook  # after jc315cli: see src/jc315cli/__init__.py

    campaign = campaign_of(n)
    forms = generate_forms(campaign, folder / "forms")
    rng = random.Random(n)
    for form in forms:
        wb = load_workbook(form.path)
        ws = wb[FORM_SHEET]
        for index, item in enumerate(campaign.form.items):
            money = campaign.form.measure_of(item).kind.value == "money"
            ws[LAYOUT.value_cell(index)] = (
                round(rng.uniform(0, 50), 4) if money else rng.randint(0, 300)
            )
        ws[LAYOUT.date_cell] = date(2023, 3, rng.randint(15, 22))
        wb.save(form.path)
    if mixed and shutil.which("soffice"):
        for target, offset in (("xls", 0), ("ods", 10)):
            chosen = [f.path for i, f in enumerate(forms) if i % 20 == offset]
            profile = f"-env:UserInstallation=file://{folder}/lo-profile"
            subprocess.run(
                [
                    "soffice",
                    profile,
                    "--headless",
                    "--convert-to",
                    target,
                    "--outdir",
                    str(folder / "forms"),
                    *map(str, chosen),
                ],
                capture_output=True,
                check=True,
            )
            for path in chosen:
                path.unlink()
    (folder / "campaign.toml").write_text(campaign_to_toml(campaign), encoding="utf-8")
    return campaign


def run(args: list[str], *, sample: bool = False) -> tuple[float, float]:
    """Wall seconds of one whole process and, with `sample`, its peak memory in MiB, sampled
    every 5 ms from /proc (sampling costs CPU, so a sampled run is not a timed one): the memory
    of the process and all its workers added up (see _tree_memory), or the high-water mark of
    the largest single one if that is more. Not wait4's ru_maxrss: Linux carries the forking
    process's own high-water mark into the child across exec, so it measured this script's own
    memory (579 MiB at 3,000 forms, the forms it had just made)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while True:
        pid, status, _ = os.wait4(child.pid, os.WNOHANG if sample else 0)
        if pid:
            break
        peak = max(peak, *_tree_memory(child.pid))
        time.sleep(0.005)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"failed: {' '.join(args)}")
    return wall, peak / (1024 * 1024)


def _tree_memory(pid: int) -> tuple[int, int]:
    """Memory of `pid` and every process below it, now, in bytes: the sum of their proportional
    set sizes (a page shared by the parent and its forked workers is counted once in all, split
    between them; their resident sizes where the kernel gives no Pss), and the largest
    high-water mark (VmHWM) of any one of them."""
    total, largest, todo = 0, 0, [pid]
    while todo:
        current = todo.pop()
        try:
            proc = Path(f"/proc/{current}")
            status = (proc / "status").read_text().splitlines()
            rollup = proc / "smaps_rollup"
            lines = rollup.read_text().splitlines() if rollup.exists() else status
            total += next(
                int(line.split()[1]) * 1024 for line in lines if line.startswith(("Pss:", "VmRSS:"))
            )
            largest = max(
                largest,
                *(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:")),
            )
            for task in (proc / "task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue  # it ended while we looked
    return total, largest


def bench_size(n: int, rounds: int, mixed: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="jc315-bench-") as tmp:
        folder = Path(tmp)
        make_forms(n, folder, mixed=mixed)
        forms = folder / "forms"
        merge = [
            *JC315,
            "merge",
            str(forms),
            "-o",
            str(folder / "汇总.xlsx"),
            "--campaign",
            str(folder / "campaign.toml"),
            "--date",
            "2023-03-25",
            "--force",
            "--format",
            "json",
        ]
        baseline = [sys.executable, "-c", BASELINE, str(forms)]
        ours, theirs = [], []
        for _ in range(rounds):
            ours.append(run(merge)[0])
            theirs.append(run(baseline)[0])
        peak = run(merge, sample=True)[1]
        ratios = [b / a for a, b in zip(ours, theirs, strict=True)]
        return {
            "n": n,
            "jc315": statistics.median(ours),
            "baseline": statistics.median(theirs),
            "ratio": statistics.median(ratios),
            "per_file_ms": 1000 * statistics.median(ours) / n,
            "peak_mib": peak,
        }


STAGES = (  # (label, file, function): each stage is the cumulative time of its functions
    ("finding the files (inputs)", (("inputs.py", "collect_inputs"),)),
    ("reading the bytes and hashing", (("reading.py", "load_bytes"),)),
    (
        "zip and XML checks (preflight)",
        (
            ("zipped.py", "inflate_members"),
            ("preflight.py", "check_xlsx"),
            ("preflight_ods.py", "check_ods"),
        ),
    ),
    (
        "calamine, .xls in a worker",
        (("reading.py", "_read_sheets"), ("reading.py", "_read_isolated")),
    ),
    ("finding the form (locate)", (("locate.py", "locate_form"),)),
    (
        "checking reporter, cells, date, rules",
        tuple(
            ("checks.py", name)
            for name in (
                "check_identity",
                "check_title",
                "resolve_reporter",
                "check_values",
                "check_date",
                "check_rules",
            )
        ),
    ),
    ("comparing the files (batch)", (("batch.py", "check_batch"),)),
    ("planning the totals (plan)", (("plan.py", "plan_merge"),)),
    (
        "building and writing the workbook",
        (("merge_workbook.py", "consolidated_workbook_bytes"), ("output.py", "write_atomic")),
    ),
)


def profile(n: int, mixed: bool) -> None:
    """cProfile of one in-process merge of n forms, read serially (so the profile sees every
    form), as the cumulative time of each stage's functions (STAGES) and what is left."""
    import cProfile
    import pstats

    from jc315cli.check import validate
    from jc315cli.commands.merge import merge_paths
    from jc315cli.model.campaign_file import load_campaign

    with tempfile.TemporaryDirectory(prefix="jc315-profile-") as tmp:
        folder = Path(tmp)
        make_forms(n, folder, mixed=mixed)
        campaign = load_campaign(folder / "campaign.toml")
        validate.POOL_FROM.update(fork=10**9, spawn=10**9)
        profiler = cProfile.Profile()
        profiler.enable()
        merge_paths([folder / "forms"], campaign, folder / "汇总.xlsx", filled_on=date(2023, 3, 25))
        profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = max(row[3] for row in stats.values())  # merge_paths, the outermost call
    print(f"profile: one in-process merge of {n} forms, serial, under cProfile ({total:.2f} s)")
    accounted = 0.0
    for label, functions in STAGES:
        seconds = sum(
            row[3] for (file, _, name), row in stats.items() if (Path(file).name, name) in functions
        )
        accounted += seconds
        print(f"  {label:<38} {1000 * seconds / n:6.2f} ms/file {100 * seconds / total:5.1f} %")
    rest = total - accounted
    print(f"  {'the rest':<38} {1000 * rest / n:6.2f} ms/file {100 * rest / total:5.1f} %")


def startup(rounds: int) -> list[tuple[str, float]]:
    one = (
        Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "quirks" / "filled-valid.xlsx"
    )
    typer = [sys.executable, "-c", "import typer"]
    minimal = [sys.executable, "-c", MINIMAL_TYPER_APP, str(one)]
    rows = []
    for label, args in (
        ("jc315 --version", [*JC315, "--version"]),
        ("jc315 validate (one form)", [*JC315, "validate", str(one)]),
        ("a one-command Typer app (floor)", minimal),
    ):
        ratios = []
        for _ in range(rounds):
            ratios.append(run(args)[0] / run(typer)[0])
        rows.append((label, statistics.median(ratios)))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-mixed", action="store_true", help="all .xlsx, even with LibreOffice")
    parser.add_argument("--profile", type=int, default=0, help="also profile a merge of N forms")
    args = parser.parse_args()
    # As `pip install` leaves it: every module byte-compiled, so start-up is not compiling.
    compileall.compile_dir(Path(jc315cli.__file__).parent, quiet=1)
    print("jc315 scale benchmark")
    print(
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"os.cpu_count()={os.cpu_count()}, LibreOffice {'yes' if shutil.which('soffice') else 'no'}"
    )
    print(f"{'N':>6} {'jc315 s':>9} {'openpyxl s':>11} {'ratio':>7} {'ms/file':>8} {'peak MiB':>9}")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        r = bench_size(size, args.rounds, not args.no_mixed)
        results.append(r)
        print(
            f"{r['n']:>6} {r['jc315']:>9.2f} {r['baseline']:>11.2f} {r['ratio']:>6.1f}x "
            f"{r['per_file_ms']:>8.2f} {r['peak_mib']:>9.0f}"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(
            f"time per file at N={large['n']:.0f} over N={small['n']:.0f}: "
            f"{large['per_file_ms'] / small['per_file_ms']:.2f}x"
        )
    print()
    print("start-up, ratio to python -c 'import typer' (median of rounds)")
    for label, ratio in startup(max(args.rounds, 5)):
        print(f"  {label:<32} {ratio:5.2f}x")
    if args.profile:
        print()
        profile(args.profile, not args.no_mixed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
