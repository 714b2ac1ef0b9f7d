"""jc315 at scale: `jc315 merge` over N returned forms against what else could add them up, timed
side by side as whole processes, and jc315's start-up against `python -c "import typer"`.

    python benchmarks/bench.py                                   # sizes 300,1000, 3 rounds
    python benchmarks/bench.py --sizes 300,1000,3000 --rounds 3 --profile 1000
    python benchmarks/bench.py --sizes 20 --rounds 1 --writers openpyxl --tools jc315,floor

Tools, each a whole process over the same folder of forms:
- jc315: `jc315 merge` (every form checked, the merged workbook written, --format json);
- collection: the same merge inside a collection folder (`jc315 init`, the forms in 收回/,
  `jc315 merge` there), which records every round in the folder's ledger;
- floor: benchmarks/floor.py, only what any merge must do (read, hash, calamine, add up, write
  the cells as raw XML), checking nothing;
- guarded: the floor with jc315's own zip caps and sheet pass (read/zipped.py, read/preflight.py)
  before calamine: what a reader given hostile files must do that calamine does not, and no more;
- calamine: a bare python-calamine loop adding up the twelve values;
- pandas: a `pandas.read_excel(engine="calamine")` loop doing the same, in its own virtual
  environment (benchmarks/.venv-pandas, made on first use) so that numpy is not in jc315's;
- openpyxl: an `openpyxl.load_workbook(data_only=True)` loop doing the same (.xlsx only).

Forms are made once, for the largest N, with the project's own generator for a campaign of N
reporters and varied values (openpyxl); a smaller N takes the first N of them, which are the
forms of its own campaign. Writers: openpyxl (as made), libreoffice (each re-saved as .xlsx by
LibreOffice Calc), gnumeric (by Gnumeric's ssconvert, slow to make), mixed (openpyxl's, every
20th re-saved as .xls and every 20th, offset by 10, as .ods).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jc315cli
from jc315cli.model.bounds import MAX_REPORTERS

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere
from benchmarks.forms import campaign_of, make_writer_forms  # noqa: E402

PY = sys.executable
JC315 = [PY, "-m", "jc315cli"]
Results = dict[tuple[str, str], dict[str, Any]]  # (writer, tool) → figures
# A campaign file holds at most MAX_REPORTERS reporters (model/bounds.py). Beyond that the
# benchmark raises the bound in the process it starts, and changes nothing else.
JC315_RAISED = (
    "from jc315cli.model import bounds; bounds.LISTS['reporters'] = 10**6\n"
    "import runpy; runpy.run_module('jc315cli', run_name='__main__')"
)
PANDAS_VENV = HERE / ".venv-pandas"
ADD_UP = {
    "calamine": """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
total = [0.0] * 12
for path in sorted(Path(sys.argv[1]).iterdir()):
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("统计表").to_python()
    for i in range(12):
        total[i] += float(grid[5 + i][4] or 0)
print(total)
""",
    "pandas": """
import sys
from pathlib import Path
import pandas as pd
total = [0.0] * 12
for path in sorted(Path(sys.argv[1]).iterdir()):
    frame = pd.read_excel(path, sheet_name="统计表", engine="calamine", header=None)
    for i in range(12):
        total[i] += float(frame.iat[5 + i, 4] or 0)
print(total)
""",
    "openpyxl": """
import sys
from pathlib import Path
from openpyxl import load_workbook
total = [0.0] * 12
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    ws = load_workbook(path, data_only=True)["统计表"]
    for i in range(12):
        total[i] += float(ws.cell(row=6 + i, column=5).value or 0)
print(total)
""",
}
TOOLS = ("jc315", "collection", "floor", "guarded", "calamine", "pandas", "openpyxl")
BEFORE: list[Path] = []  # --before: the src folder of another version, for the tool "before"

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
# The stack jc315 stands on, before any of jc315: Typer, Rich's console, pydantic with one
# model built, python-calamine reading the form.
STACK = """
import sys
import typer, rich.console, python_calamine, pydantic
class M(pydantic.BaseModel):
    path: str
    values: dict[str, int] = {}
python_calamine.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name("统计表").to_python()
rich.console.Console().print(M(path=sys.argv[1]).model_dump_json())
"""
OPENPYXL_ONE = "import sys; from openpyxl import load_workbook; load_workbook(sys.argv[1])"


def run(args: list[str], *, sample: bool = False, cwd: Path | None = None) -> tuple[float, ...]:
    """Wall seconds of one whole process, the CPU seconds of it and every process below it
    (wait4's rusage counts the children each waited for: the pool's workers, their .xls
    readers), and, with `sample`, its peak memory in MiB, sampled every 5 ms from /proc
    (sampling costs CPU, so a sampled run is not a timed one): the memory of the process and
    all its workers added up (see _tree_memory), or the high-water mark of the largest single
    one if that is more. Not wait4's ru_maxrss: Linux carries the forking process's own
    high-water mark into the child across exec, so it measured this script's own memory."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    peak = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG if sample else 0)
        if pid:
            break
        peak = max(peak, *_tree_memory(child.pid))
        time.sleep(0.005)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    # Every tool must have done the whole job: a merge that refuses (exit 1: a form 待核实)
    # writes no workbook, and its time would be no merge's time.
    if child.returncode != 0:
        assert child.stderr is not None
        raise SystemExit(f"failed: {' '.join(args)}\n{child.stderr.read().decode()[-2000:]}")
    assert child.stderr is not None
    child.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, peak / (1024 * 1024)


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


def jc315(n: int) -> list[str]:
    return [PY, "-c", JC315_RAISED] if n > MAX_REPORTERS else JC315


def pandas_python() -> str:
    """The pandas environment's interpreter, made on first use (pandas, python-calamine)."""
    python = PANDAS_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PANDAS_VENV)], check=True)
        install = [str(python), "-m", "pip", "install", "-q", "pandas", "python-calamine"]
        subprocess.run(install, check=True)
    return str(python)


def commands(tool: str, n: int, forms: Path, work: Path) -> tuple[list[str], Path | None]:
    """The process of `tool` over the folder `forms`, and the folder it runs in."""
    if tool in ("jc315", "before"):
        program = jc315(n)
        if tool == "before":  # jc315 from another source tree (--before), the same way
            raised = "from jc315cli.model import bounds; bounds.LISTS['reporters'] = 10**6\n"
            start = f"import sys; sys.path.insert(0, {str(BEFORE[0])!r})\n"
            run_it = "import runpy; runpy.run_module('jc315cli', run_name='__main__')"
            program = [PY, "-c", start + (raised if n > MAX_REPORTERS else "") + run_it]
        merge = [*program, "merge", str(forms), "-o", str(work / f"{tool}.xlsx")]
        merge += ["--campaign", str(forms.parent / "campaign.toml")]
        return [*merge, "--date", "2023-03-25", "--force", "--format", "json"], None
    if tool == "collection":
        folder = work / "collection"
        if not folder.exists():
            campaign = ["--campaign", str(forms.parent / "campaign.toml")]
            init = [*jc315(n), "init", str(folder), *campaign]
            subprocess.run(init, check=True, cwd=work, capture_output=True)
            (folder / "收回").rmdir()
            shutil.copytree(forms, folder / "收回", copy_function=os.link)
        merge = [*jc315(n), "merge", "--date", "2023-03-25", "--force", "--format", "json"]
        return merge, folder
    if tool in ("floor", "guarded"):
        guards = ["--guards"] if tool == "guarded" else []
        return [PY, str(HERE / "floor.py"), *guards, str(forms), str(work / f"{tool}.xlsx")], None
    python = pandas_python() if tool == "pandas" else PY
    return [python, "-c", ADD_UP[tool], str(forms)], None


def bench_size(n: int, writers: dict[str, Path], tools: list[str], rounds: int) -> Results:
    """Every tool over the first n forms of every writer, `rounds` times, the tools in a
    rotating order within each round; then one memory-sampled run of each."""
    with tempfile.TemporaryDirectory(prefix="jc315-bench-") as tmp:
        work = Path(tmp)
        jobs: dict[tuple[str, str], tuple[list[str], Path | None]] = {}
        for writer, made in writers.items():
            forms = work / writer / "forms"
            forms.mkdir(parents=True)
            for path in sorted(made.glob("forms/*"), key=lambda p: p.stem)[:n]:
                os.link(path, forms / path.name)
            campaign = forms.parent / "campaign.toml"
            campaign.write_bytes((made / f"campaign-{n}.toml").read_bytes())
            for tool in tools:
                jobs[writer, tool] = commands(tool, n, forms, forms.parent)
        times: dict[tuple[str, str], list[tuple[float, ...]]] = {key: [] for key in jobs}
        keys = list(jobs)
        for r in range(rounds):
            for key in keys[r % len(keys) :] + keys[: r % len(keys)]:
                times[key].append(run(jobs[key][0], cwd=jobs[key][1]))
        results: Results = {}
        for key, measured in times.items():
            ours = times[key[0], "jc315"] if "jc315" in tools else measured
            results[key] = {
                "cpu_rounds": [m[1] for m in measured],
                "s": statistics.median(m[0] for m in measured),
                "cpu": statistics.median(m[1] for m in measured),
                "s_ratio": statistics.median(
                    m[0] / o[0] for m, o in zip(measured, ours, strict=True)
                ),
                "cpu_ratio": statistics.median(
                    m[1] / o[1] for m, o in zip(measured, ours, strict=True)
                ),
                "peak": run(jobs[key][0], sample=True, cwd=jobs[key][1])[2],
            }
    return results


def print_size(n: int, results: Results) -> None:
    for writer in dict.fromkeys(w for w, _ in results):
        print(f"N={n:,}, forms written by {writer}")
        print(
            f"  {'tool':<11} {'s':>7} {'cpu s':>7} {'ms/file':>8} {'cpu ms/file':>12} "
            f"{'s ÷ jc315':>10} {'cpu ÷ jc315':>12} {'peak MiB':>9}"
        )
        for (w, tool), r in results.items():
            if w != writer:
                continue
            print(
                f"  {tool:<11} {r['s']:>7.2f} {r['cpu']:>7.2f} {1000 * r['s'] / n:>8.2f} "
                f"{1000 * r['cpu'] / n:>12.2f} {r['s_ratio']:>9.2f}x {r['cpu_ratio']:>11.2f}x "
                f"{r['peak']:>9.0f}"
            )


AFTER_READING = """
import gc, json, sys, time
from datetime import date
from pathlib import Path
from jc315cli.model import bounds
bounds.LISTS["reporters"] = 10**6
from jc315cli.check.batch import check_batch
from jc315cli.check.merge_plan import plan_merge
from jc315cli.check.validate import validate_files
from jc315cli.model.campaign_file import load_campaign
from jc315cli.read.inputs import collect_inputs
from jc315cli.write.merged_report import consolidated_workbook_bytes
folder = Path(sys.argv[1])
campaign = load_campaign(folder / "campaign.toml")
inputs = collect_inputs([folder / "forms"], campaign)
reports = validate_files(inputs.forms, campaign)
t0 = time.process_time()
batch = check_batch(reports, campaign, inputs)
t1 = time.process_time()
plan = plan_merge(batch, campaign, filled_on=date(2023, 3, 25))
consolidated_workbook_bytes(campaign, plan)
t2 = time.process_time()
print(json.dumps({"batch": t1 - t0, "after": t2 - t0}))
"""


def after_reading(sizes: list[int], made: Path, rounds: int) -> dict[int, tuple[float, float]]:
    """CPU seconds of check_batch, and of everything after reading (check_batch, the plan, the
    workbook's bytes), per file, in a process of their own for each size, the sizes
    interleaved in each round; medians."""
    measured: dict[int, list[tuple[float, float]]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory(prefix="jc315-after-") as tmp:
        for n in sizes:
            forms = Path(tmp) / str(n) / "forms"
            forms.mkdir(parents=True)
            for path in sorted(made.glob("forms/*"), key=lambda p: p.stem)[:n]:
                os.link(path, forms / path.name)
            (forms.parent / "campaign.toml").write_bytes((made / f"campaign-{n}.toml").read_bytes())
        for _ in range(rounds):
            for n in sizes:
                out = subprocess.run(
                    [PY, "-c", AFTER_READING, str(Path(tmp) / str(n))],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                got = json.loads(out.stdout)
                measured[n].append((got["batch"] / n, got["after"] / n))
    return {
        n: (statistics.median(m[0] for m in v), statistics.median(m[1] for m in v))
        for n, v in measured.items()
    }


STAGES = (  # (label, file, function): each stage is the cumulative time of its functions
    ("finding the files (inputs)", (("inputs.py", "collect_inputs"),)),
    ("reading the bytes and hashing", (("workbook.py", "load_bytes"),)),
    (
        "zip and XML checks (preflight)",
        (
            ("zipped.py", "inflate_members"),
            ("preflight.py", "check_xlsx"),
            ("preflight_ods.py", "check_ods"),
            ("ods_layout.py", "ods_layout"),
            ("ods_layout.py", "readable"),
        ),
    ),
    (
        "calamine, .xls in a worker",
        (("workbook.py", "_read_sheets"), ("isolation.py", "__call__")),
    ),
    ("finding the form (locate)", (("locate.py", "locate_form"),)),
    ("reporter (matching)", (("one_file.py", "resolve_reporter"),)),
    (
        "checking cells, date, rules",
        tuple(
            ("one_file.py", name)
            for name in (
                "check_identity",
                "check_title",
                "check_values",
                "check_date",
                "check_rules",
            )
        ),
    ),
    ("comparing the files (batch)", (("batch.py", "check_batch"),)),
    ("planning the totals (plan)", (("merge_plan.py", "plan_merge"),)),
    (
        "building and writing the workbook",
        (("merged_report.py", "consolidated_workbook_bytes"), ("atomic.py", "write_atomic")),
    ),
)


def profile(n: int, made: Path) -> None:
    """cProfile of one in-process merge of n forms, read serially (so the profile sees every
    form), as the cumulative time of each stage's functions (STAGES) and what is left."""
    import cProfile
    import pstats
    from datetime import date

    from jc315cli.check import validate
    from jc315cli.commands.merge import merge_paths
    from jc315cli.model import bounds
    from jc315cli.model.campaign_file import load_campaign

    bounds.LISTS["reporters"] = 10**6
    with tempfile.TemporaryDirectory(prefix="jc315-profile-") as tmp:
        forms = Path(tmp) / "forms"
        forms.mkdir()
        for path in sorted(made.glob("forms/*"), key=lambda p: p.stem)[:n]:
            os.link(path, forms / path.name)
        campaign = load_campaign(made / f"campaign-{n}.toml")
        validate.POOL_FROM.update(fork=10**9, spawn=10**9)
        profiler = cProfile.Profile()
        profiler.enable()
        merge_paths([forms], campaign, Path(tmp) / "汇总.xlsx", filled_on=date(2023, 3, 25))
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


def per_form(n: int, writers: dict[str, Path], rounds: int = 5) -> None:
    """CPU microseconds of each step of checking one form, without a profiler: the first n
    forms of each writer, each step timed on its own (the zip's members inflated and checked,
    then the checks of preflight alone, then calamine alone), medians of `rounds` passes."""
    from jc315cli.check import one_file
    from jc315cli.check.validate import validate_file
    from jc315cli.problems.report import FileReport
    from jc315cli.read import locate, preflight, workbook, zipped

    clock = time.process_time
    print(f"where a form's time goes: CPU us a form, first {n} forms, median of {rounds} passes")
    steps = ("read+hash", "zip", "preflight", "calamine", "locate", "checks", "validate_file")
    print(f"  {'writer':<12}" + "".join(f"{s:>14}" for s in steps))
    for writer, made in writers.items():
        campaign = campaign_of(n)
        paths = sorted((made / "forms").iterdir(), key=lambda p: p.stem)[:n]
        paths = [p for p in paths if p.suffix == ".xlsx"]
        passes: list[list[float]] = []
        for _ in range(rounds):
            spent = [0.0] * len(steps)
            for path in paths:
                t0 = clock()
                loaded = workbook.load_bytes(path)
                t1 = clock()
                assert loaded.data is not None
                members = zipped.inflate_members(loaded.data)
                t2 = clock()
                preflight.check_xlsx(members)
                t3 = clock()
                workbook._read_sheets(loaded.data)
                t4 = clock()
                book = workbook.parse_workbook(path, loaded)
                t5 = clock()
                found = locate.locate_form(book, campaign.form)
                t6 = clock()
                check = one_file.FileCheck(FileReport(path=str(path)), campaign)
                one_file.check_identity(book, check)
                one_file.check_title(book, found, check)
                one_file.resolve_reporter(book, found.reporter, check, path)
                one_file.check_values(found, check)
                one_file.check_date(found, check)
                one_file.check_rules(check)
                t7 = clock()
                validate_file(path, campaign)
                t8 = clock()
                for i, (a, b) in enumerate(
                    ((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t5, t6), (t6, t7), (t7, t8))
                ):
                    spent[i] += b - a
            passes.append([1e6 * s / len(paths) for s in spent])
        medians = [statistics.median(p[i] for p in passes) for i in range(len(steps))]
        print(f"  {writer:<12}" + "".join(f"{m:>14.0f}" for m in medians))


def startup(rounds: int, one: Path) -> list[tuple[str, float, float]]:
    """Each start-up over `python -c "import typer"` in the same round, wall and CPU, medians."""
    typer = [PY, "-c", "import typer"]
    rows = []
    for label, args in (
        ("jc315 --version", [*jc315(0), "--version"]),
        ("jc315 validate (one form)", [*jc315(0), "validate", str(one)]),
        ("a one-command Typer app", [PY, "-c", MINIMAL_TYPER_APP, str(one)]),
        ("the stack: typer, rich, pydantic, calamine", [PY, "-c", STACK, str(one)]),
        ("openpyxl load_workbook of the form", [PY, "-c", OPENPYXL_ONE, str(one)]),
    ):
        ratios = []
        for _ in range(rounds):
            ours, base = run(args), run(typer)
            ratios.append((ours[0] / base[0], ours[1] / base[1]))
        rows.append(
            (
                label,
                statistics.median(r[0] for r in ratios),
                statistics.median(r[1] for r in ratios),
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writers", default="openpyxl,libreoffice")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--forms", type=Path, help="keep the forms here and use them again")
    parser.add_argument("--profile", type=int, default=0, help="also profile a merge of N forms")
    parser.add_argument("--before", type=Path, help="src/ of another version: the tool before")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    tools = args.tools.split(",")
    if args.before:
        BEFORE.append(args.before.resolve())
        tools.insert(1, "before")
    # As `pip install` leaves it: every module byte-compiled, so start-up is not compiling.
    compileall.compile_dir(Path(jc315cli.__file__).parent, quiet=1)
    print("jc315 scale benchmark")
    print(
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"os.cpu_count()={os.cpu_count()}, LibreOffice {'yes' if shutil.which('soffice') else 'no'}"
    )
    if "pandas" in tools:
        pandas_python()
    with tempfile.TemporaryDirectory(prefix="jc315-forms-") as tmp:
        folder = args.forms or Path(tmp)
        writers = {
            w: make_writer_forms(w, max(sizes), sizes, folder) for w in args.writers.split(",")
        }
        print(f"{args.rounds} rounds; ratios taken per round, medians; peak MiB: one more run")
        everything = {}
        for n in sizes:
            everything[n] = bench_size(n, writers, tools, args.rounds)
            print_size(n, everything[n])
        print()
        print_targets(sizes, everything, tools)
        first = next(iter(writers.values()))
        if len(sizes) > 1:
            print()
            print("after reading: CPU ms a file, its own process per size, sizes interleaved")
            after = after_reading(sizes, first, args.rounds)
            for n, (batch, rest) in after.items():
                print(
                    f"  N={n:>6,}  check_batch {1000 * batch:6.3f}  everything after {1000 * rest:6.3f}"
                )
            small, large = after[sizes[-2]], after[sizes[-1]]
            print(
                f"  N={sizes[-1]:,} over N={sizes[-2]:,}, a file: check_batch "
                f"{large[0] / small[0]:.2f}x, everything after reading {large[1] / small[1]:.2f}x"
            )
        print()
        print("start-up over python -c 'import typer' (medians of rounds): wall, CPU")
        one = HERE.parent / "tests" / "fixtures" / "quirks" / "filled-valid.xlsx"
        for label, wall, cpu in startup(max(args.rounds, 5), one):
            print(f"  {label:<44} {wall:5.2f}x {cpu:5.2f}x")
        if args.profile:
            print()
            per_form(min(args.profile, 300), writers)
            print()
            profile(args.profile, first)
    return 0


def print_targets(
    sizes: list[int],
    everything: dict[int, Results],
    tools: list[str],
) -> None:
    print("targets, as medians of per-round ratios")
    for n in sizes:
        results = everything[n]
        writers = list(dict.fromkeys(w for w, _ in results))
        parts = []
        for writer in writers:
            if "pandas" in tools:
                parts.append(f"pandas ÷ jc315 {results[writer, 'pandas']['s_ratio']:.2f}x")
            if "floor" in tools:
                parts.append(f"jc315 ÷ floor CPU {1 / results[writer, 'floor']['cpu_ratio']:.2f}x")
            if "guarded" in tools:
                guarded = results[writer, "guarded"]["cpu_ratio"]
                parts.append(f"jc315 ÷ guarded CPU {1 / guarded:.2f}x")
                if "floor" in tools:
                    floor = results[writer, "floor"]["cpu_ratio"]
                    parts.append(f"guarded ÷ floor CPU {guarded / floor:.2f}x")
            if "before" in tools:
                was = results[writer, "before"]
                parts.append(f"before ÷ jc315 {was['s_ratio']:.2f}x, CPU {was['cpu_ratio']:.2f}x")
            if "collection" in tools:
                parts.append(
                    f"collection ÷ jc315 CPU {results[writer, 'collection']['cpu_ratio']:.2f}x"
                )
            print(f"  N={n:>6,} {writer:<12} " + ", ".join(parts))
            parts = []
        if len(writers) > 1 and "jc315" in tools:
            base = results[writers[0], "jc315"]["cpu_rounds"]
            for writer in writers[1:]:
                other = results[writer, "jc315"]["cpu_rounds"]
                ratio = statistics.median(o / b for o, b in zip(other, base, strict=True))
                print(f"  N={n:>6,} jc315 CPU, {writer} ÷ {writers[0]} forms: {ratio:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
