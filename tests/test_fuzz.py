"""Fuzzing the reader: bytes of the real fixture workbooks (.xlsx, .xls, .ods) are changed,
cut and spliced, and each result is validated in a forked child with the issue's bounds (5 s,
300 MB more than the child starts with). Whatever the bytes, the child must come back with a
verdict (valid, invalid or unreadable): no traceback, no abort, no hang.

CI runs a few hundred examples; the long run recorded in docs/reliability.md is

    JC315_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from jc315cli.builtin import DEFAULT_CAMPAIGN
from jc315cli.validate import validate_file
from tests.conftest import QUIRKS

SEEDS = [
    QUIRKS / "filled-valid.xlsx",
    QUIRKS / "filled-valid-libreoffice.xlsx",
    QUIRKS / "filled-valid-libreoffice.xls",
    QUIRKS / "filled-valid-libreoffice.ods",
]
DATA = {seed.suffix: seed.read_bytes() for seed in SEEDS[1:]} | {"x.xlsx": SEEDS[0].read_bytes()}
EXAMPLES = int(os.environ.get("JC315_FUZZ_EXAMPLES", "150"))
SECONDS = 5
MEMORY = 300 * 1024 * 1024


def _child(path: str, send: multiprocessing.connection.Connection) -> None:
    with open("/proc/self/statm") as statm:
        start = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (start + MEMORY, start + MEMORY))
    try:
        report = validate_file(Path(path), DEFAULT_CAMPAIGN)
        send.send(("ok", report.status, [p.code for p in report.problems]))
    except BaseException as exc:  # a traceback: the test fails with it
        send.send(("raised", type(exc).__name__, [str(exc)[:200]]))
    os._exit(0)


def verdict(data: bytes, suffix: str) -> tuple[str, str, list[str]]:
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"泽州县{suffix}")
        Path(path).write_bytes(data)
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(path, send))
        child.start()
        send.close()
        try:
            assert receive.poll(SECONDS), "no verdict within the time bound"
            result: tuple[str, str, list[str]] = receive.recv()
        finally:
            child.join(SECONDS)
            if child.is_alive():
                child.kill()
                child.join()
        assert child.exitcode == 0, f"child died with {child.exitcode}"
        return result


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    key = draw(st.sampled_from(sorted(DATA)))
    data = bytearray(DATA[key])
    suffix = Path(key).suffix or key
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "splice", "zero"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 4096))]
        elif action == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif data:
            data[at : at + 16] = bytes(len(data[at : at + 16]))
    return bytes(data), suffix


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated())
def test_changed_bytes_always_get_a_verdict(case: tuple[bytes, str]) -> None:
    data, suffix = case
    kind, status, detail = verdict(data, suffix)
    assert kind == "ok", (status, detail)
    assert status in ("valid", "invalid", "unreadable")
    event(f"{suffix} → {status}")


def test_the_seeds_themselves_are_valid() -> None:
    for key, data in DATA.items():
        kind, status, detail = verdict(data, Path(key).suffix or key)
        assert (kind, status) == ("ok", "valid"), (key, detail)
