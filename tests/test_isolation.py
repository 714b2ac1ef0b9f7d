"""An .xls is read in a child process that lives from file to file: what a slow, crashing or
greedy read costs, and that the next file is read by a fresh child each time. The reads here are
real child processes running real functions (a real .xls, a sleep, an abort, an allocation)."""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from jc315cli.errors import Jc315Error
from jc315cli.isolation import RECYCLE, Isolated
from jc315cli.reading import _read_isolated, _read_sheets, unreadable
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


def _echo(data: bytes) -> bytes:
    return data


def _reader(read: object = _read_sheets, seconds: float = 5) -> Isolated[object]:
    return Isolated(read, seconds=seconds, memory=64 * 1024 * 1024, unreadable=unreadable)  # type: ignore[arg-type]


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
        assert caught.value.problem.code == "unreadable"
        assert reader.pid is None
        reader(XLS)
        assert reader.pid not in (None, first)
    finally:
        reader.stop()


@pytest.mark.parametrize(
    ("read", "words"),
    [(_slow, "读取超过 0.5 秒仍未完成"), (_abort, "出错退出"), (_greedy, "文件已损坏")],
)
def test_a_read_that_hangs_crashes_or_grows_costs_that_file_only(read: object, words: str) -> None:
    reader = _reader(read, seconds=0.5)
    echo = _reader(_echo)
    try:
        started = time.monotonic()
        with pytest.raises(Jc315Error) as caught:
            reader(b"x" * 10)
        assert words in caught.value.problem.message
        assert time.monotonic() - started < 10
        assert reader.pid is None  # stopped: a hanging child is killed, not left behind
        assert echo(b"next") == b"next"
    finally:
        reader.stop()
        echo.stop()


def test_a_child_killed_between_files_is_replaced() -> None:
    reader = _reader(_echo)
    try:
        assert reader(b"a") == b"a"
        first = reader.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        time.sleep(0.2)
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
