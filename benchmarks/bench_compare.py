"""Reading merged reports back at scale: `jc315 compare -o` and `jc315 summary` of two merged
reports of N units each, as whole processes, with their peak memory.

    python -m benchmarks.bench_compare                         # sizes 300,3000
    python -m benchmarks.bench_compare --sizes 300,3000,7000 --rounds 3 --profile 3000
    python -m benchmarks.bench_compare --sizes 50 --rounds 1   # a smoke run

(as a module, from the repository root: the tests import `make_reports` from it.)

The reports are made with the project's own library, the way `jc315 merge` makes them: a campaign
of N reporters, one FileReport a reporter with varied values, the batch summarized and planned
(`plan_merge`) and written (`consolidated_workbook_bytes`). Validating N returned forms first
would only add what bench.py measures already. The two reports are the same campaign and year,
filled in on two days with other values, so every unit is compared with itself. They are read
with the built-in campaign (no -c: a campaign file holds at most a few hundred reporters), as
a report of units not on the campaign's list is read: each unit named by its column's header.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import jc315cli  # noqa: F401  # before openpyxl: see src/jc315cli/__init__.py

# isort: split

from benchmarks.bench import JC315, run

from jc315cli.check.batch import summarize
from jc315cli.check.merge_plan import plan_merge
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.model.form import ValueKind
from jc315cli.problems.report import BatchReport, FileReport, Number


def campaign_of(n: int) -> Campaign:
    """The 2023 campaign with `n` reporters: the one the reports are made with."""
    reporters = tuple(Reporter(name=f"单位{i:05d}", short_name=f"单{i:05d}") for i in range(n))
    return DEFAULT_CAMPAIGN.model_copy(update={"reporters": reporters})


def merged_report(campaign: Campaign, seed: int, filled_on: date) -> bytes:
    """A merged report of every reporter of `campaign`, with values drawn from `seed`."""
    from jc315cli.write.merged_report import consolidated_workbook_bytes

    rng = random.Random(seed)
    form = campaign.form
    files = []
    for reporter in campaign.reporters:
        values: dict[str, Number] = {}
        for item in form.items:
            if form.measure_of(item).kind is ValueKind.MONEY:
                values[item.id] = Decimal(rng.randint(0, 999_999)).scaleb(-4)
            else:
                values[item.id] = rng.randint(0, 400)
        files.append(
            FileReport(
                path=f"{reporter.short_name}.xlsx",
                reporter=reporter.name,
                covers=[reporter.name],
                values=values,
                filled_on=date(filled_on.year, 3, 20),
            )
        )
    report = BatchReport(files=files, summary=summarize(files, campaign, []))
    return consolidated_workbook_bytes(campaign, plan_merge(report, campaign, filled_on=filled_on))


def make_reports(n: int, folder: Path) -> tuple[Path, Path]:
    """The two merged reports of `n` units, in `folder`."""
    campaign = campaign_of(n)
    last, this = folder / "上次.xlsx", folder / "本次.xlsx"
    last.write_bytes(merged_report(campaign, 1, date(2023, 3, 25)))
    this.write_bytes(merged_report(campaign, 2, date(2023, 3, 28)))
    return last, this


def bench_size(n: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="jc315-bench-") as tmp:
        folder = Path(tmp)
        last, this = make_reports(n, folder)
        out = folder / "对比.xlsx"
        compare = [*JC315, "compare", str(last), str(this), "-o", str(out), "--force"]
        summary = [*JC315, "summary", str(this), "--compare", str(last), "--format", "json"]
        times = [run(compare)[0] for _ in range(rounds)]
        peak = run(compare, sample=True)[2]
        summary_times = [run(summary)[0] for _ in range(rounds)]
        return {
            "compare": statistics.median(times),
            "peak": peak,
            "summary": statistics.median(summary_times),
            "report_kb": this.stat().st_size / 1024,
            "output_kb": out.stat().st_size / 1024,
        }


def profile(n: int) -> None:
    """One in-process `compare -o` of two reports of `n` units under cProfile, by stage."""
    from jc315cli.commands.compare import compare_files

    with tempfile.TemporaryDirectory(prefix="jc315-bench-") as tmp:
        folder = Path(tmp)
        last, this = make_reports(n, folder)
        campaign = DEFAULT_CAMPAIGN
        profiler = cProfile.Profile()
        profiler.enable()
        compare_files(
            last,
            this,
            campaign=campaign,
            last_campaign=campaign,
            output=folder / "对比.xlsx",
            force=True,
        )
        profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(entry[3] for entry in stats.stats.values())  # type: ignore[attr-defined]
    stages = [
        ("reading both reports (read_back.read_report)", "figures/read_back.py", "read_report"),
        ("  of which calamine and the zip checks", "read/workbook.py", "parse_workbook"),
        ("  of which 分单位明细", "figures/unit_columns.py", "read_units"),
        ("comparing (comparison.compare_reports)", "figures/comparison.py", "compare_reports"),
        ("writing the 对比 workbook", "write/comparison_workbook.py", "comparison_workbook_bytes"),
    ]
    print(f"\nprofile: one in-process compare -o of {n:,} units a report, under cProfile")
    print(f"  {'everything':44} {total:7.2f} s")
    for label, file, function in stages:
        spent = sum(
            entry[3]
            for (path, _line, name), entry in stats.stats.items()  # type: ignore[attr-defined]
            if path.endswith(file) and name == function
        )
        print(f"  {label:44} {spent:7.2f} s  {100 * spent / total:5.1f} %")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,3000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'N':>6} {'compare -o s':>13} {'peak MiB':>9} {'summary s':>10} {'report KB':>10}")
    first: dict[str, float] | None = None
    for n in sizes:
        row = bench_size(n, args.rounds)
        first = first or {**row, "n": n}
        print(
            f"{n:>6} {row['compare']:>13.2f} {row['peak']:>9.0f} {row['summary']:>10.2f}"
            f" {row['report_kb']:>10.0f}"
        )
    if first is not None and len(sizes) > 1:
        n = sizes[-1]
        per_unit = row["compare"] / n / (first["compare"] / first["n"])
        print(f"compare time per unit at N={n:,} over N={int(first['n']):,}: {per_unit:.2f}x")
    if args.profile:
        profile(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
