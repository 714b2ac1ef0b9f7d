"""Fuzzing the reader: bytes of the real fixture workbooks (.xlsx, .xls, .ods) are changed,
cut and spliced, and each result is validated in a forked child with the issue's bounds (5 s,
300 MB more than the child starts with). Whatever the bytes, the child must come back with a
verdict (valid, invalid or unreadable): no traceback, no abort, no hang.

Fuzzing the command line the same way: campaign files (what `jc315 init` writes, with values
replaced by odd types, deep nesting and huge texts, lines dropped, doubled or inserted, blocks
repeated, bytes flipped) given to each command, and the values a person types (dates, paths,
reporter names) given to --date, --deadline, -o, -r and as inputs. Every run must end with
exit 0, 1 or 2 and a message, never a traceback or a hang.

CI runs a few hundred examples (JC315_FUZZ_EXAMPLES, 150 a test); the long runs recorded in
docs/reliability.md are

    JC315_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py -p no:cacheprovider
    JC315_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py -p no:cacheprovider \
        -k "campaign_file or command_line"
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jc315cli.check.validate import validate_file
from jc315cli.commands.app import app
from jc315cli.model.bounds import MAX_BYTES
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign_file import campaign_to_toml
from tests.conftest import EXAMPLES as RETURNED_FOLDER
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


# The command line: campaign files and option values -----------------------------------------
#
# Each run is `jc315 …` in a forked child, in a folder of its own, with the same bounds; it
# must end with exit 0, 1 or 2 and never raise (CliRunner keeps what a command raised: only
# SystemExit, which is how an exit code leaves, is allowed).

CLI_SECONDS = 20  # a run writes up to seven forms; the slowest seen is well under 2 s
RETURNED = RETURNED_FOLDER / "2023年3·15活动情况统计表-泽州县市场监督管理局.xlsx"
INIT = campaign_to_toml(DEFAULT_CAMPAIGN)
# Where a run starts: deep enough that no path of at most DEPTH parts leaves the run's folder.
DEPTH = 6


def _cli_child(folder: str, args: list[str], send: multiprocessing.connection.Connection) -> None:
    with open("/proc/self/statm") as statm:
        start = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (start + MEMORY, start + MEMORY))
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, args)
        raised = result.exception
        name = "" if raised is None or isinstance(raised, SystemExit) else type(raised).__name__
        send.send((result.exit_code, name, (str(raised) if name else result.output)[-300:]))
    except BaseException as exc:  # the runner itself failed: the test fails with it
        send.send((None, type(exc).__name__, str(exc)[:300]))
    os._exit(0)


def cli_verdict(args: list[str], files: dict[str, bytes]) -> tuple[int | None, str, str]:
    """(exit code, what was raised, the output's end) of `jc315 ARGS` run among `files`."""
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory() as top:
        folder = Path(top, *[f"d{i}" for i in range(DEPTH)])
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_cli_child, args=(str(folder), args, send))
        began = time.monotonic()
        child.start()
        send.close()
        try:
            assert receive.poll(CLI_SECONDS), f"no exit within {CLI_SECONDS} s: {args}"
            result: tuple[int | None, str, str] = receive.recv()
            event(f"took {'< 1' if time.monotonic() - began < 1 else '≥ 1'} s")
        finally:
            child.join(CLI_SECONDS)
            if child.is_alive():
                child.kill()
                child.join()
        assert child.exitcode == 0, f"child died with {child.exitcode}"
        return result


def assert_clean_exit(verdict: tuple[int | None, str, str], args: list[str]) -> None:
    code, raised, tail = verdict
    assert not raised, (args, raised, tail)
    assert code in (0, 1, 2), (args, code, tail)
    assert "Traceback" not in tail, (args, tail)
    event(f"{args[0]} → exit {code}")


# Values a person, a slip or an attacker may give where jc315 expects one.
ODD_VALUES = [
    "0", "-1", "2023", "9223372036854775807", "-9223372036854775808", "1e400", "inf", "-inf",
    "nan", "1.5", "0x1F", "0o7", "0b1", "true", "false", "9999-12-31", "0001-01-01",
    "2023-03-22T10:00:00", "2023-03-22T00:00:00Z", "1979-05-27T07:32:00-08:00", "10:00:00",
    '""', '" "', "[]", "{}", '[""]', "[1, 2]", '["a", 1]', '{ a = 1 }', '"1e999999999"',
    '"-0"', '"NaN"', '"Infinity"', '"0.0001"', '"元"', '"#{1} + #{99}"', '"#{1}"',
    '"\\n"', '"\\u2028"', '"\\u202e"', '"\\ue000"', '"\\u0000"', '".."', '"."', '"/"',
    '"CON"', '"a/../b"', "'''多\n行'''",
]  # fmt: skip


@st.composite
def odd_value(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["odd", "deep", "long", "text"]))
    if kind == "odd":
        return draw(st.sampled_from(ODD_VALUES))
    if kind == "deep":
        depth = draw(st.sampled_from([2, 8, 9, 50, 400, 1200]))
        if draw(st.booleans()):
            return "[" * depth + "]" * depth
        return "{a = " * depth + "1" + "}" * depth
    if kind == "long":
        size = draw(st.sampled_from([41, 61, 101, 301, 2001, 20_000, 300_000]))
        return json.dumps(draw(st.sampled_from(["x", "标", "\n", "\u202e", "\ue000", "."])) * size)
    return json.dumps(draw(st.text(max_size=30)))


# How a campaign file is changed; "other" (another line's value for the same key) three times,
# as it is the one change that mostly leaves a file that loads and reaches the writers.
ACTIONS = ["value", "value", "other", "other", "other", "drop", "double", "insert", "key", "block"]


@st.composite
def campaign_text(draw: st.DrawFn) -> bytes:
    """What `jc315 init` writes, changed the ways a hand or a program changes a file: values
    replaced by odd ones or by another line's, lines dropped, doubled, inserted or renamed,
    blocks repeated, bytes flipped."""
    lines = INIT.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(ACTIONS))
        keyed = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
        if action == "value":
            at = draw(st.sampled_from(keyed))
            lines[at] = lines[at].split(" = ", 1)[0] + " = " + draw(odd_value())
        elif action == "other":  # another line's value for the same key: a file that still loads
            at = draw(st.sampled_from(keyed))
            key = lines[at].split(" = ", 1)[0]
            other = draw(st.sampled_from([i for i in keyed if lines[i].startswith(key + " = ")]))
            lines[at] = lines[other]
        elif action == "drop":
            del lines[at]
        elif action == "double":
            lines.insert(at, lines[at])
        elif action == "insert":
            lines.insert(at, draw(st.text(max_size=40)))
        elif action == "key" and " = " in lines[at]:
            key = draw(st.text(min_size=1, max_size=20)).replace('"', "")
            lines[at] = json.dumps(key) + " = " + lines[at].split(" = ", 1)[1]
        elif action == "block":
            header = draw(st.sampled_from(["[[reporters]]", "[[form.items]]", "[[form.rules]]"]))
            if header not in lines:
                continue
            start = lines.index(header)
            end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), start)
            times = draw(st.sampled_from([1, 60, 600, 20_000]))
            # Past the 1 MB a campaign file may have, not gigabytes: a block holding a 300,000
            # character value repeated 20,000 times would exhaust the test, not jc315.
            size = sum(len(line) + 1 for line in lines[start:end]) or 1
            lines[end:end] = lines[start:end] * min(times, 2 * MAX_BYTES // size + 1)
    data = bytearray("\n".join(lines).encode("utf-8", "surrogatepass"))
    for _ in range(draw(st.integers(0, 2))):
        data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
    return bytes(data)


CAMPAIGN_COMMANDS = [
    ["validate", "泽州县.xlsx"],
    ["template", "-o", "模板.xlsx"],
    ["generate", "-o", "下发", "-r", "泽州县"],
    ["merge", "泽州县.xlsx", "-o", "汇总.xlsx", "--skip-invalid", "--date", "2023-03-25"],
    ["feedback", "泽州县.xlsx", "-o", "退回", "--date", "2023-03-23"],
    ["summary", "泽州县.xlsx"],
]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=campaign_text(), command=st.sampled_from(CAMPAIGN_COMMANDS))
def test_any_campaign_file_gets_an_exit_code(text: bytes, command: list[str]) -> None:
    args = [*command, "--campaign", "c.toml"]
    verdict = cli_verdict(args, {"c.toml": text, "泽州县.xlsx": RETURNED.read_bytes()})
    assert_clean_exit(verdict, args)


EDGE_DATES = st.sampled_from(
    ["9999-12-31", "0001-01-02", "2100-12-31", "2101-01-01", "2000-01-01", "1999-12-31",
     "20230325", "45005", "", " ", "今天", "2023-02-29", "2024-02-29"]
)  # fmt: skip
DATE_SPELLINGS = st.one_of(
    EDGE_DATES,
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.from_regex(r"\A[0-9]{1,6}[-/.年][0-9]{1,3}[-/.月][0-9]{1,3}[日号]?\Z"),
    st.text(max_size=20),
)
# A path part; at most 60 characters (a part over 255 bytes is held by the output tests).
PART = st.one_of(
    st.sampled_from(["..", ".", "下发", "泽州县.xlsx", "汇总.xlsx", "c.toml", "CON", " ", "-"]),
    st.text(st.characters(blacklist_characters="/\x00"), min_size=1, max_size=60),
)
PATH = st.lists(PART, min_size=1, max_size=DEPTH - 1).map("/".join)
NAME = st.one_of(
    st.sampled_from(["泽州县", "泽州县市场监督管理局", "泽州局", "城区", "..", "全部"]),
    st.text(st.characters(blacklist_characters="\x00"), max_size=80),
)


@st.composite
def command_line(draw: st.DrawFn) -> list[str]:
    """A command with the values a person types drawn freely: dates, paths, names. Paths stay
    inside the run's folder (at most DEPTH - 1 parts, none absolute)."""
    date, path = draw(DATE_SPELLINGS), draw(PATH)
    command = draw(st.sampled_from(["merge", "feedback", "feedback", "generate", "template",
                                    "validate", "campaign", "init", "summary", "compare"]))  # fmt: skip
    if command == "campaign":
        return ["validate", "泽州县.xlsx", "--campaign", path]
    if command == "merge":
        return ["merge", "泽州县.xlsx", "-o", path, "--date", date, "--force"]
    if command == "feedback":
        args = ["feedback", draw(st.sampled_from(["泽州县.xlsx", "."])), "-o", path]
        for option in ("--date", "--deadline"):
            if draw(st.booleans()):
                args += [option, draw(DATE_SPELLINGS)]
        return args
    if command == "generate":
        names = draw(st.lists(NAME, max_size=3))
        return ["generate", "-o", path, *[arg for name in names for arg in ("-r", name)]]
    if command == "template":
        return ["template", "-o", path, "--force"]
    if command == "validate":
        return ["validate", path, draw(st.sampled_from(["泽州县.xlsx", "."]))]
    if command == "init":
        return ["init", path]
    if command == "summary":
        return ["summary", path, "--compare", draw(st.sampled_from(["泽州县.xlsx", path]))]
    return ["compare", "泽州县.xlsx", path, "-o", draw(PATH)]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(args=command_line())
def test_any_command_line_value_gets_an_exit_code(args: list[str]) -> None:
    verdict = cli_verdict(args, {"泽州县.xlsx": RETURNED.read_bytes(), "c.toml": INIT.encode()})
    assert_clean_exit(verdict, args)
