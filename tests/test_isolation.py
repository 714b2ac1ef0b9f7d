"""An .xls is read in a child process that lives from file to file: what a slow, crashing or
greedy read costs, and that the next file is read by a fresh child each time. The reads here are
real child processes running real functions (a real .xls, a sleep, an abort, an allocation)."""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import struct
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from jc315cli.check.validate import validate_file
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.problems.errors import Jc315Error, unreadable
from jc315cli.read.isolation import RECYCLE, Isolated
from jc315cli.read.workbook import _read_isolated, _read_sheets
from tests.conftest import QUIRKS

XLS = (QUIRKS / "filled-valid-libreoffice.xls").read_bytes()


def _slow(data: bytes) -> bytes:
    time.sleep(30)
    return data


def _abort(data: bytes) -> bytes:
    faulthandler.disable()  # pytest's would print the abort; a reader's child has none
    os.abort()


def _greedy(data: bytes) -> bytes:
    return bytes(512 * 1024 * 1024)


def _greedy_taken_for_damage(data: bytes) -> bytes:
    try:  # as the reader does: every failure of calamine is a damaged file
        return bytes(512 * 1024 * 1024)
    except Exception:
        raise unreadable("damaged", error="MemoryError") from None


def _echo(data: bytes) -> bytes:
    return data


def _reader(read: object = _read_sheets, seconds: float = 5) -> Isolated[object]:
    return Isolated(read, seconds=seconds, memory=64 * 1024 * 1024)  # type: ignore[arg-type]


def test_one_child_reads_file_after_file_and_is_replaced_in_time() -> None:
    reader = _reader()
    try:
        sheets = reader(XLS)
        assert [s.name for s in sheets][:1] == ["统计表"]  # type: ignore[attr-defined]
        first = reader.pid
        assert first is not None and first != os.getpid()
        for _ in range(RECYCLE - 2):
            reader(XLS)
        assert reader.pid == first
        reader(XLS)  # the RECYCLE-th file: that child is done
        assert reader.pid is None
        reader(XLS)
        assert reader.pid not in (None, first)
    finally:
        reader.stop()


def test_a_damaged_xls_is_unreadable_and_the_next_file_is_read_by_a_new_child() -> None:
    reader = _reader()
    try:
        reader(XLS)
        first = reader.pid
        with pytest.raises(Jc315Error) as caught:
            reader(XLS[:512] + b"\x00" * 4096)
        assert (caught.value.problem.code, caught.value.problem.reason) == ("unreadable", "damaged")
        assert reader.pid is None
        reader(XLS)
        assert reader.pid not in (None, first)
    finally:
        reader.stop()


@pytest.mark.parametrize(
    ("read", "reason", "words"),
    [
        (_slow, "read-timeout", "读取超过 0.5 秒仍未完成"),
        (_abort, "reader-crashed", "出错退出（文件可能已损坏"),
        (_greedy, "too-complex", "文件过大或过于复杂：读取它需要超过 64 MB 内存"),
        (_greedy_taken_for_damage, "too-complex", "文件过大或过于复杂：读取它需要超过 64 MB 内存"),
    ],
)
def test_a_read_that_hangs_crashes_or_grows_costs_that_file_only(
    read: object, reason: str, words: str
) -> None:
    reader = _reader(read, seconds=0.5)
    echo = _reader(_echo)
    try:
        started = time.monotonic()
        with pytest.raises(Jc315Error) as caught:
            reader(b"x" * 10)
        assert words in caught.value.problem.message
        assert caught.value.problem.reason == reason
        assert time.monotonic() - started < 10
        assert reader.pid is None  # stopped: a hanging child is killed, not left behind
        assert echo(b"next") == b"next"
    finally:
        reader.stop()
        echo.stop()


def _wait_dead(pid: int, seconds: float = 10.0) -> None:
    """Until the killed process has stopped running (a zombie or gone), as a kill between two
    files means: the signal landed before the next file is read."""
    stat = Path(f"/proc/{pid}/stat")
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                return
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.01)


def test_a_child_killed_between_files_is_replaced() -> None:
    reader = _reader(_echo)
    try:
        assert reader(b"a") == b"a"
        first = reader.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        _wait_dead(first)  # on a loaded machine 0.2 s was sometimes not enough
        assert reader(b"b") == b"b"
        assert reader.pid not in (None, first)
    finally:
        reader.stop()


def _pid_in_worker() -> tuple[int, int | None]:
    _read_isolated(XLS)
    return os.getpid(), _read_isolated.pid


def test_a_forked_worker_starts_its_own_child() -> None:
    _read_isolated(XLS)
    ours = _read_isolated.pid
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        worker, theirs = pool.submit(_pid_in_worker).result(timeout=30)
    assert worker != os.getpid() and theirs not in (None, ours)
    assert _read_isolated.pid == ours  # the worker left the parent's child alone


def _last_cell_used(xls: bytes) -> bytes:
    """The .xls with its first number (an RK record) moved to IV65536, the last cell an .xls
    has: calamine then holds a grid of 16 million cells, 512 MB, for one number."""
    rk = xls.find(b"\x7e\x02\x0a\x00")  # record 0x027E, 10 bytes: row, column, format, value
    assert rk > 0
    return xls[: rk + 4] + struct.pack("<HH", 65535, 255) + xls[rk + 8 :]


def test_an_xls_too_large_to_read_in_the_limit_says_so_not_damaged(tmp_path: Path) -> None:
    # A native abort of calamine's allocator ("memory allocation of … bytes failed" on the
    # child's stderr) is told apart from a crash: the file may be fine, only too large or
    # complex to read safely, and saved as .xlsx it can be read.
    path = tmp_path / "沁水县.xls"
    path.write_bytes(_last_cell_used(XLS))
    report = validate_file(path, DEFAULT_CAMPAIGN)
    (problem,) = report.problems
    assert (problem.code, problem.reason) == ("unreadable", "too-complex")
    assert "损坏" not in problem.message
    assert problem.message.startswith("文件过大或过于复杂：读取它需要超过 200 MB 内存")
    assert "另存为 .xlsx" in problem.message
    assert _read_isolated(XLS)[0].name == "统计表"  # the next file is read as before


HOSTED = (
    "import faulthandler, os, sys; faulthandler.enable(os.fdopen(os.dup(2), 'w'));"
    "sys.argv = ['jc315', *sys.argv[1:]]; from jc315cli.launch import main; main()"
)


@pytest.mark.parametrize(
    ("command", "env"),
    [
        (["-m", "jc315cli"], {"PYTHONFAULTHANDLER": "1", "RUST_BACKTRACE": "1"}),
        (["-c", HOSTED], {}),  # a host with a fault handler writing to a file of its own
    ],
)
def test_a_command_that_meets_such_an_xls_prints_no_stack(
    tmp_path: Path, command: list[str], env: dict[str, str]
) -> None:
    # Neither calamine's English line and backtrace nor a fault handler's Python stack.
    path = tmp_path / "沁水县.xls"
    path.write_bytes(_last_cell_used(XLS))
    run = subprocess.run(
        [sys.executable, *command, "validate", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert run.returncode == 1 and "文件过大或过于复杂" in run.stdout
    for trace in ("Fatal Python error", "memory allocation", "Traceback", "backtrace"):
        assert trace not in run.stdout + run.stderr
