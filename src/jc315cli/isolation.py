"""Reading in a child process what cannot be bounded by looking at it: an .xls, whose cells sit
in a compound-file container. The child has a time limit per file and, where the system has one,
a memory limit, so a native abort or an endless read costs that one file, not the run.

One child reads file after file: starting a process costs some fifty times what reading a form
does (5 ms against 0.1 ms, forked on Linux; a spawned one imports jc315 again). A child is
replaced after any file it failed on, and after `RECYCLE` files, so no file is read in a child
another file has left in a bad state; each process (a worker of the pool too) has its own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from jc315cli.errors import Jc315Error

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
RECYCLE = 64  # files one child reads before it is replaced


class Isolated(Generic[T]):
    """`read(data)` in a child process; a failure is `unreadable`, with the reason in Chinese."""

    def __init__(
        self,
        read: Callable[[bytes], T],
        *,
        seconds: float,
        memory: int,
        unreadable: Callable[[str], Jc315Error],
    ) -> None:
        self.read, self.seconds, self.memory, self.unreadable = read, seconds, memory, unreadable
        self._owner = 0  # the process the child belongs to (a forked copy of this must not use it)
        self._process: Any = None
        self._connection: Connection | None = None
        self._reads = 0

    def __call__(self, data: bytes) -> T:
        connection = self._child()
        try:
            connection.send_bytes(data)
            if not connection.poll(self.seconds):
                self.stop()
                raise self.unreadable(
                    f"读取超过 {self.seconds:g} 秒仍未完成，文件可能已损坏，已停止读取"
                )
            kind, payload = connection.recv()
        except (EOFError, OSError):  # the child died on this file (a native abort, the limit)
            self.stop()
            raise self.unreadable(
                "读取时出错退出（文件可能已损坏或内容异常），已停止读取"
            ) from None
        self._reads += 1
        if kind == "error" or self._reads >= RECYCLE:
            self.stop()
        if kind == "error":
            raise self.unreadable(payload)
        return payload  # type: ignore[no-any-return]

    @property
    def pid(self) -> int | None:
        """The child's process id, while there is one of this process's."""
        alive = self._owner == os.getpid() and self._process is not None
        return self._process.pid if alive and self._process.is_alive() else None

    def stop(self) -> None:
        if self._owner == os.getpid() and self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            if self._connection is not None:
                self._connection.close()
        self._process, self._connection, self._reads = None, None, 0

    def _child(self) -> Connection:
        if self._owner != os.getpid():  # inherited through fork: that child is the parent's
            self._process, self._connection, self._reads = None, None, 0
        if self._process is not None and not self._process.is_alive():
            self.stop()  # ended between files (killed from outside)
        if self._connection is None:
            import multiprocessing

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context: Any = multiprocessing.get_context(method)
            ours, theirs = context.Pipe(duplex=True)
            process = context.Process(
                target=_serve, args=(theirs, ours, self.read, self.memory), daemon=True
            )
            process.start()
            theirs.close()
            self._owner, self._process, self._connection = os.getpid(), process, ours
        return self._connection


def _serve(
    connection: Connection, other_end: Connection, read: Callable[[bytes], Any], memory: int
) -> None:
    other_end.close()  # a forked child holds the parent's end too: it would never see the end
    # A native abort prints its own English line ("memory allocation of … failed"); the
    # person gets the Chinese reason from the parent instead.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    _limit_memory(memory)
    while True:
        try:
            data = connection.recv_bytes()
        except (EOFError, OSError):  # the reading process is done, or gone
            break
        try:
            result: tuple[str, object] = ("sheets", read(data))
        except Exception as exc:  # a Jc315Error carries the Chinese reason
            result = ("error", getattr(getattr(exc, "problem", None), "message", "文件已损坏"))
        connection.send(result)
    connection.close()
    os._exit(0)  # no atexit handlers or buffers of the parent to flush in a forked child


def _limit_memory(memory: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - no resource limits there; the timeout holds
        return
    import resource

    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
    except OSError:  # pragma: no cover - no /proc (macOS): the timeout still holds
        return
    limit = pages * os.sysconf("SC_PAGE_SIZE") + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
