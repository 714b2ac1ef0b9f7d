"""Large batches: worker processes give the same reports and the same bytes as one process,
the progress bar shows only where a person watches, and the benchmark script runs.

Timings are not tested here; they are benchmarks/bench.py's (see benchmarks/README.md)."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from jc315cli.check import validate
from jc315cli.commands.merge import merge_paths
from jc315cli.console.progress import PROGRESS_FROM, ProgressBar
from jc315cli.console.render import render_batch
from jc315cli.console.render_materials import incomplete_line
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign, Reporter
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.write.blank_forms import generate_forms

ROOT = Path(__file__).resolve().parent.parent


def campaign_of(n: int) -> Campaign:
    reporters = tuple(
        Reporter(name=f"样例{i:03d}市场监督管理局", short_name=f"样例{i:03d}") for i in range(n)
    )
    return DEFAULT_CAMPAIGN.model_copy(update={"reporters": reporters})


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Campaign, Path]:
    """90 returned forms: varied values, a few with errors, one blank value, one not a
    workbook, and two forms of one reporter (a resubmission)."""
    campaign = campaign_of(90)
    folder = tmp_path_factory.mktemp("big") / "收回"
    forms = generate_forms(campaign, folder)
    rng = random.Random(315)
    for number, form in enumerate(forms):
        wb = load_workbook(form.path)
        ws = wb[FORM_SHEET]
        for index in range(len(campaign.form.items)):
            ws[LAYOUT.value_cell(index)] = rng.randint(0, 400)
        ws[LAYOUT.date_cell] = date(2023, 3, rng.randint(14, 24))
        if number % 17 == 3:
            ws[LAYOUT.value_cell(2)] = "十二件"
        if number == 40:
            ws[LAYOUT.value_cell(5)] = None
        wb.save(form.path)
    (folder / f"{forms[7].path.stem}（更正）.xlsx").write_bytes(forms[8].path.read_bytes())
    (folder / "样例050市场监督管理局.xlsx").write_bytes(b"not a workbook at all")
    return campaign, folder


def test_workers_give_the_reports_and_bytes_of_one_process(
    big_folder: tuple[Campaign, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign, folder = big_folder
    paths = sorted(folder.iterdir())
    assert len(paths) >= validate.POOL_FROM["fork"] + 20
    pooled = validate.validate_files(paths, campaign)
    pooled_bytes = tmp_path / "pooled.xlsx"
    merge_paths([folder], campaign, pooled_bytes, filled_on=date(2023, 3, 25), skip_invalid=True)

    monkeypatch.setitem(validate.POOL_FROM, "fork", 10**9)
    monkeypatch.setitem(validate.POOL_FROM, "spawn", 10**9)
    serial = validate.validate_files(paths, campaign)
    serial_bytes = tmp_path / "serial.xlsx"
    merge_paths([folder], campaign, serial_bytes, filled_on=date(2023, 3, 25), skip_invalid=True)

    assert [r.model_dump() for r in pooled] == [r.model_dump() for r in serial]
    assert [r.path for r in pooled] == [str(p) for p in paths]  # in the order given
    statuses = {r.status for r in pooled}
    assert statuses == {"valid", "pending", "invalid", "unreadable"}  # pending: a 元 converted
    assert pooled_bytes.read_bytes() == serial_bytes.read_bytes()


def test_worker_pool_is_used_for_a_large_batch(
    big_folder: tuple[Campaign, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same numbers with the threshold just below and just above the batch: below it the
    # checking happens in worker processes, whose pids the reports cannot show, so look at
    # which process ran validate_file.
    campaign, folder = big_folder
    paths = sorted(folder.iterdir())[:70]
    seen: list[int] = []
    real = validate.validate_file

    def counting(path: Path, c: Campaign) -> object:
        import os

        seen.append(os.getpid())
        return real(path, c)

    monkeypatch.setattr(validate, "validate_file", counting)
    monkeypatch.setitem(validate.POOL_FROM, "fork", 71)
    monkeypatch.setitem(validate.POOL_FROM, "spawn", 71)
    validate.validate_files(paths, campaign)
    assert len(seen) == 70  # below the threshold: all in this process
    seen.clear()
    monkeypatch.setitem(validate.POOL_FROM, "fork", 70)
    monkeypatch.setitem(validate.POOL_FROM, "spawn", 70)
    validate.validate_files(paths, campaign)
    if validate._processors() >= 2:
        assert seen == []  # in the workers: this process's list saw none of them


def test_the_callers_work_is_done_while_the_workers_check(
    big_folder: tuple[Campaign, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`meanwhile` (merge loads its writer there) runs once, and with a pool, while the workers
    are there to check the forms."""
    import multiprocessing

    campaign, folder = big_folder
    paths = sorted(folder.iterdir())
    workers: list[int] = []

    def meanwhile() -> None:
        workers.append(len(multiprocessing.active_children()))

    before = len(multiprocessing.active_children())  # (an .xls reader an earlier test left)
    reports = validate.validate_files(paths, campaign, meanwhile=meanwhile)
    assert len(reports) == len(paths) and len(workers) == 1
    if validate._processors() >= 2:
        assert workers[0] >= before + 2
    monkeypatch.setitem(validate.POOL_FROM, "fork", 10**9)
    monkeypatch.setitem(validate.POOL_FROM, "spawn", 10**9)
    validate.validate_files(paths[:3], campaign, meanwhile=meanwhile)
    assert workers[1:] == [before]


def bar_output(total: int, *, terminal: bool, enabled: bool = True) -> str:
    out = io.StringIO()
    console = Console(file=out, force_terminal=terminal, width=80)
    with ProgressBar(console, enabled=enabled) as bar:
        for done in range(1, total + 1):
            bar(done, total)
    return out.getvalue()


def test_progress_bar_only_on_a_terminal_for_more_than_fifty_files() -> None:
    shown = bar_output(PROGRESS_FROM + 10, terminal=True)
    assert "正在校验" in shown and f"{PROGRESS_FROM + 10}/{PROGRESS_FROM + 10} 个文件" in shown
    assert bar_output(PROGRESS_FROM, terminal=True) == ""  # few files: no bar
    assert bar_output(PROGRESS_FROM + 10, terminal=False) == ""  # a pipe or a file
    assert bar_output(PROGRESS_FROM + 10, terminal=True, enabled=False) == ""  # --format json


def test_benchmark_script_runs_small() -> None:
    tools = "jc315,floor,calamine,openpyxl"  # (pandas needs its own environment made)
    run = subprocess.run(
        [sys.executable, "benchmarks/bench.py", "--sizes", "20", "--rounds", "1"]
        + ["--writers", "openpyxl", "--tools", tools],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    rows = [line.split() for line in lines if len(line.split()) == 8]
    row = next(row for row in rows if row[0] == "jc315")
    assert row[5] == "1.00x" and float(row[7]) > 10  # peak MiB measured
    assert any(line.strip().startswith("floor ") for line in lines)
    assert any("jc315 validate (one form)" in line for line in lines)


def test_materials_of_many_units_are_summed_up_by_material(
    big_folder: tuple[Campaign, Path],
) -> None:
    # 90 units, none with a 活动总结 or pictures: a line a material, ten named, not 90 lines.
    campaign, folder = big_folder
    report = validate.validate_paths([folder], campaign)
    out = io.StringIO()
    render_batch(Console(file=out, width=80), report, campaign)
    block = out.getvalue().split("报送材料")[1].split("共 ")[0]
    assert len(report.materials) == 90
    assert "统计表：90 个单位都已收到" in block
    assert "活动总结：收到 0 个单位，缺 90 个（样例000市场监督管理局、" in block
    assert "……等）" in block and "样例089" not in block and "统计表 √" not in block
    (line,) = incomplete_line(report, merged=True)
    assert "详见汇总表的“报送情况”" in line.text and "统计表" not in line.text
    (line,) = incomplete_line(report)  # feedback writes no 报送情况 to point to
    assert "报送情况" not in line.text and "--format json" in line.text


def test_the_verdict_of_many_units_names_ten_and_counts_the_rest(tmp_path: Path) -> None:
    # 120 units, 60 sent a blank form (all 已退回), 60 sent nothing (all 未报送).
    campaign = campaign_of(120)
    sent = [r.short_name for r in campaign.reporters[:60]]
    generate_forms(campaign, tmp_path / "收回", reporter_names=sent)
    report = validate.validate_paths([tmp_path / "收回"], campaign)
    out = io.StringIO()
    render_batch(Console(file=out, width=400), report, campaign)
    verdict = next(line for line in out.getvalue().splitlines() if line.startswith("已报送"))
    assert "未报送：60 个（样例060、样例061、" in verdict
    assert "已退回：60 个（样例000、样例001、" in verdict and "，原因见上" in verdict
    assert verdict.count("……等") == 2 and "样例119" not in verdict and "样例059" not in verdict
