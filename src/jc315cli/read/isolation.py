"""Reading in a child process what cannot be bounded by looking at it: an .xls, whose cells sit
in a compound-file container. The child has a time limit per file and, where the system has one,
a memory limit, so a native abort or an endless read costs that one file, not the run.

One child reads file after file: starting a process costs some fifty times what reading a form
does (5 ms against 0.1 ms, forked on Linux; a spawned one imports jc315 again). A child is
replaced after any file it failed on, and after `RECYCLE` files, so no file is read in a child
another file has left in a bad state; each process (a worker of the pool too) has its own.

A read that needs more memory than the limit is told apart from one that crashes: the file is
too large or complex to read safely, not damaged, and the person is asked to save it as .xlsx
(whose reading is bounded before it starts).
"""

from __future__ import annotations

import faulthandler
import os
import sys
import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from jc315cli.problems.errors import Jc315Error, unreadable

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
RECYCLE = 64  # files one child reads before it is replaced
# What Rust's allocator writes to stderr before it aborts on a failed allocation (calamine)
OUT_OF_MEMORY = b"memory allocation of "


def too_complex(memory: int) -> dict[str, Any]:
    """The `unreadable` fields of a file whose reading needed more than `memory` bytes."""
    return {"reason": "too-complex", "megabytes": f"{memory / 2**20:g}"}


class Isolated(Generic[T]):
    """`read(data)` in a child process; a failure is `unreadable`, with a registered reason."""

    def __init__(self, read: Callable[[bytes], T], *, seconds: float, memory: int) -> None:
        self.read, self.seconds, self.memory = read, seconds, memory
        self._owner = 0  # the process the child belongs to (a forked copy of this must not use it)
        self._process: Any = None
        self._connection: Connection | None = None
        self._stderr: Any = None  # the child's stderr, a temporary file (forked children only)
        self._reads = 0

    def __call__(self, data: bytes) -> T:
        connection = self._child()
        try:
            connection.send_bytes(data)
            if not connection.poll(self.seconds):
                self.stop()
                raise unreadable("read-timeout", seconds=f"{self.seconds:g}")
            kind, payload = connection.recv()
        except (EOFError, OSError):  # the child died on this file (a native abort, the limit)
            exhausted = self._ran_out_of_memory()
            self.stop()
            died = too_complex(self.memory) if exhausted else {"reason": "reader-crashed"}
            raise unreadable(**died) from None
        self._reads += 1
        if kind == "error" or self._reads >= RECYCLE:
            self.stop()
        if kind == "error":
            raise unreadable(**payload)
        return payload  # type: ignore[no-any-return]

    @property
    def pid(self) -> int | None:
        """The child's process id, while there is one of this process's."""
        alive = self._owner == os.getpid() and self._process is not None
        return self._process.pid if alive and self._process.is_alive() else None

    def _ran_out_of_memory(self) -> bool:
        """Whether the child that just died said on its stderr that an allocation failed."""
        if self._stderr is None or self._process is None:
            return False
        self._process.join(1)  # ended: all it wrote is in the file
        size = os.fstat(self._stderr.fileno()).st_size
        self._stderr.seek(max(0, size - 65536))
        return OUT_OF_MEMORY in self._stderr.read()

    def stop(self) -> None:
        if self._owner == os.getpid() and self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            if self._connection is not None:
                self._connection.close()
            if self._stderr is not None:
                self._stderr.close()
        self._process, self._connection, self._stderr, self._reads = None, None, None, 0

    def _child(self) -> Connection:
        if self._owner != os.getpid():  # inherited through fork: that child is the parent's
            self._process, self._connection, self._stderr, self._reads = None, None, None, 0
        if self._process is not None and not self._process.is_alive():
            self.stop()  # ended between files (killed from outside)
        if self._connection is None:
            import multiprocessing

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context: Any = multiprocessing.get_context(method)
            ours, theirs = context.Pipe(duplex=True)
            # A forked child writes to a file of ours; a spawned one inherits no file descriptor
            # (and runs where no memory limit is set: Windows, macOS).
            stderr = tempfile.TemporaryFile() if method == "fork" else None
            process = context.Process(
                target=_serve,
                args=(theirs, ours, self.read, self.memory, stderr.fileno() if stderr else None),
                daemon=True,
            )
            process.start()
            theirs.close()
            self._owner, self._process, self._connection = os.getpid(), process, ours
            self._stderr = stderr
        return self._connection


def _serve(
    connection: Connection,
    other_end: Connection,
    read: Callable[[bytes], Any],
    memory: int,
    stderr: int | None,
) -> None:
    other_end.close()  # a forked child holds the parent's end too: it would never see the end
    # A native abort prints its own English line ("memory allocation of … failed"): into a
    # file the parent reads to tell why the child died, never onto the person's screen. Nor
    # does a fault handler that a host program (a test runner) turned on with a file of its
    # own print a Python stack there.
    os.dup2(os.open(os.devnull, os.O_WRONLY) if stderr is None else stderr, 2)
    faulthandler.disable()
    _limit_memory(memory)
    while True:
        try:
            data = connection.recv_bytes()
        except (EOFError, OSError):  # the reading process is done, or gone
            break
        try:
            result: tuple[str, object] = ("sheets", read(data))
        except Exception as exc:
            result = ("error", _reason(exc, memory))
        connection.send(result)
    connection.close()
    os._exit(0)  # no atexit handlers or buffers of the parent to flush in a forked child


def _reason(exc: Exception, memory: int) -> dict[str, Any]:
    """The `unreadable` fields the parent raises again: the read's own (a registered reason and
    its fields), unless it ran out of memory on the way (a MemoryError, or one the reader took
    for a damaged file)."""
    if isinstance(exc, MemoryError) or isinstance(exc.__context__, MemoryError):
        return too_complex(memory)
    if isinstance(exc, Jc315Error) and exc.problem.code == "unreadable":
        return exc.fields
    return {"reason": "damaged", "error": type(exc).__name__}


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
