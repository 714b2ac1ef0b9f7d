"""The ledger keeps what it is given exactly and gives it back in a known order: values as the
same int or Decimal, times as the same instants, hostile texts byte for byte. Its robustness
(missing, damaged, unwritable, killed, run twice at once) is tests/test_ledger_robust.py's and
tests/test_ledger_processes.py's."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from jc315cli.check.validate import validate_paths
from jc315cli.collection.ledger import LEDGER_PATH, Ledger, seen_file
from jc315cli.collection.records import (
    Confirmation,
    ConfirmedBy,
    MergeRecord,
    ReplyKind,
    SeenFile,
    SentReply,
)
from jc315cli.collection.schema import MIGRATIONS, VERSION
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.problems.registry import problem
from jc315cli.problems.report import Number, Problem, Severity
from tests.conftest import filled_form

NOW = datetime(2025, 3, 20, 2, 15, 30, tzinfo=timezone.utc)
ZEZHOU = "泽州县市场监督管理局"
GAOPING = "高平市市场监督管理局"


def seen(number: int, **changes: object) -> SeenFile:
    """A file as validate judged it: values of both kinds, cells, a few problems."""
    made = SeenFile(
        sha256=f"{number:064x}",
        name=f"收回/{number}.xlsx",
        size=20_000 + number,
        first_seen=NOW + timedelta(minutes=number),
        last_seen=NOW + timedelta(minutes=number),
        reporter=ZEZHOU,
        filled_on=date(2025, 3, 20),
        status="invalid",
        values={"1": number, "2": Decimal("12.30"), "3": 0},
        cells={"1": "E9", "2": "E10", "3": "E11", "4": "E12"},
        problems=(
            problem("not-a-number", cell="E12", item="4", value="十二", raw="十二"),
            problem("blank", cell="E11", item="3"),
        ),
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def stored(root: Path, sql: str) -> list[tuple[object, ...]]:
    """What is in the file, read past the ledger."""
    with closing(sqlite3.connect(root / LEDGER_PATH)) as connection:
        return connection.execute(sql).fetchall()


def test_a_new_folder_gets_a_ledger_in_wal_mode_and_is_told_history_is_not_available(
    tmp_path: Path,
) -> None:
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert ledger.available and ledger.created and ledger.kept is None
        assert [n.code for n in ledger.notices] == ["ledger-new"]
        assert "此前的收集历史不可用" in ledger.notices[0].message
        assert ledger.path == tmp_path / ".jc315" / "ledger.sqlite"
    assert stored(tmp_path, "PRAGMA journal_mode") == [("wal",)]
    assert stored(tmp_path, "PRAGMA user_version") == [(VERSION,)]
    with Ledger.open(tmp_path, now=NOW) as again:
        assert again.available and not again.created and again.notices == []
    assert sorted(p.name for p in (tmp_path / ".jc315").iterdir()) == ["ledger.sqlite"]


def test_files_come_back_exactly_and_in_order(tmp_path: Path) -> None:
    gaoping = seen(3, reporter=GAOPING)
    unknown = seen(4, reporter=None, filled_on=None, status="unreadable", values={}, cells={})
    later = seen(1, filled_on=date(2025, 3, 23))
    earlier = seen(2)
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert ledger.record_files([later, gaoping, earlier, unknown])
        everything = ledger.files()
        assert everything == [unknown, earlier, later, gaoping]  # no reporter first, then by name
        assert ledger.files(ZEZHOU) == [earlier, later]
        assert ledger.file(gaoping.sha256) == gaoping
        assert ledger.file("0" * 64) is None
    back = everything[1]
    assert [type(v) for v in back.values.values()] == [int, Decimal, int]
    assert all(isinstance(p, Problem) for p in back.problems)
    assert back.problems[0].severity is Severity.ERROR and back.problems[0].cell == "E12"


def test_recording_a_file_again_keeps_when_it_was_first_seen_and_takes_the_rest(
    tmp_path: Path,
) -> None:
    first = seen(1)
    renamed = seen(
        1,
        name="收回/泽州县（更正）.xlsx",
        first_seen=NOW + timedelta(days=2),
        last_seen=NOW + timedelta(days=2),
        status="valid",
        values={"1": 15},
        cells={"1": "E9"},
        problems=(),
    )
    with Ledger.open(tmp_path, now=NOW) as ledger:
        ledger.record_files([first])
        ledger.record_files([renamed])
        assert ledger.files() == [replace(renamed, first_seen=first.first_seen)]
        # the same file twice in one batch is one row, seen from the first to the last time
        ledger.record_files([seen(7, last_seen=NOW), seen(7, first_seen=NOW - timedelta(days=1))])
        (twice,) = ledger.files(ZEZHOU)[:1]
    assert len(stored(tmp_path, "SELECT * FROM files")) == 2
    assert twice.first_seen == NOW - timedelta(days=1) and twice.last_seen == NOW + timedelta(
        minutes=7
    )


def test_values_come_back_as_the_same_numbers_never_floats(tmp_path: Path) -> None:
    values: dict[str, Number] = {
        "1": Decimal("0.1") + Decimal("0.2"),
        "2": Decimal("1E+2"),
        "3": Decimal("-0.00"),
        "4": Decimal("12"),
        "5": 10**40,
        "6": 0,
        "7": Decimal("123456789012345678901234567890.123456789"),
    }
    with Ledger.open(tmp_path, now=NOW) as ledger:
        ledger.record_files([seen(1, values=values)])
        ledger.record_merge(MergeRecord("汇总.xlsx", "f" * 64, ("1" * 64,), values, date.today()))
        ledger.record_confirmations(
            [
                Confirmation(ZEZHOU, k, v, "核实无误", ConfirmedBy.city, date.today())
                for k, v in values.items()
            ]
        )
        for back in (ledger.files()[0].values, ledger.merges()[0].totals):
            assert back == values
            assert [(type(v), str(v)) for v in back.values()] == [
                (type(v), str(v)) for v in values.values()
            ]
        confirmed = [(type(c.value), str(c.value)) for c in ledger.confirmations()]
        assert confirmed == [(type(v), str(v)) for v in values.values()]
    (text,) = stored(tmp_path, 'SELECT "values" FROM files')[0]
    big, money = 10**40, values["7"]
    assert text == f'{{"1":"0.3","2":"1E+2","3":"-0.00","4":"12","5":{big},"6":0,"7":"{money}"}}'


def test_a_float_or_a_naive_time_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """A float reaching the ledger is a bug upstream: loud, and nothing half-recorded."""
    with Ledger.open(tmp_path, now=NOW) as ledger:
        with pytest.raises(TypeError, match="float"):
            ledger.record_files([seen(1), seen(2, values={"1": 0.1})])
        with pytest.raises(TypeError, match="bool"):
            ledger.record_files([seen(2, values={"1": True})])
        with pytest.raises(ValueError, match="naive"):
            ledger.record_files([seen(3, first_seen=datetime(2025, 3, 20))])
        assert ledger.files() == [] and [n.code for n in ledger.notices] == ["ledger-new"]
    with pytest.raises(ValueError, match="naive"):
        Ledger.open(tmp_path, now=datetime(2025, 3, 20))


def test_times_are_kept_in_utc_with_their_offset_and_days_in_iso(tmp_path: Path) -> None:
    beijing = timezone(timedelta(hours=8))
    at = datetime(2025, 3, 20, 10, 15, 30, tzinfo=beijing)
    with Ledger.open(tmp_path, now=at) as ledger:
        ledger.record_files([seen(1, first_seen=at, last_seen=at)])
        ledger.record_replies(
            [SentReply(ZEZHOU, ReplyKind.correct, date(2025, 3, 21), date(2025, 3, 24))]
        )
        assert ledger.files()[0].first_seen == at
        assert ledger.replies()[0].written_at == at
    assert stored(tmp_path, "SELECT first_seen, filled_on FROM files") == [
        ("2025-03-20T02:15:30.000000+00:00", "2025-03-20")
    ]
    assert stored(tmp_path, "SELECT written_at, sent_on, deadline FROM replies") == [
        ("2025-03-20T02:15:30.000000+00:00", "2025-03-21", "2025-03-24")
    ]


def test_replies_merges_and_confirmations_come_back_in_the_order_they_were_written(
    tmp_path: Path,
) -> None:
    asked = SentReply(
        GAOPING, ReplyKind.correct, date(2025, 3, 21), date(2025, 3, 24), ("E9", "E12"), "a" * 64
    )
    reminded = SentReply(ZEZHOU, ReplyKind.remind, date(2025, 3, 21), date(2025, 3, 23))
    chosen = SentReply(
        ZEZHOU, ReplyKind.choose, date(2025, 3, 22), date(2025, 3, 25), ("E9",), "b" * 64
    )
    merge = MergeRecord(
        "汇总/汇总表.xlsx", "c" * 64, ("a" * 64, "b" * 64), {"1": 27}, date(2025, 3, 26)
    )
    county = Confirmation(
        ZEZHOU, "5", 9999, "本年开展专项行动", ConfirmedBy.county, date(2025, 3, 20), "b" * 64
    )
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert ledger.record_replies([asked, reminded])
        assert ledger.record_replies([replace(chosen, written_at=NOW + timedelta(days=1))])
        # feedback run again an hour later: the same reply, kept once, as first written
        assert ledger.record_replies([replace(asked, written_at=NOW + timedelta(hours=1))])
        assert ledger.record_merge(merge)  # and again, later: the same report, kept once
        assert ledger.record_merge(replace(merge, written_at=NOW + timedelta(hours=1)))
        assert ledger.record_confirmations([county])
        assert ledger.record_confirmations([replace(county, recorded_at=NOW + timedelta(hours=1))])
        assert ledger.replies() == [  # written at one time: by reporter (泽 U+6CFD before 高)
            replace(reminded, written_at=NOW),
            replace(asked, written_at=NOW),
            replace(chosen, written_at=NOW + timedelta(days=1)),
        ]
        assert [r.kind for r in ledger.replies(ZEZHOU)] == [ReplyKind.remind, ReplyKind.choose]
        assert ledger.merges() == [replace(merge, written_at=NOW)]
        assert ledger.confirmations(ZEZHOU) == [replace(county, recorded_at=NOW)]
        assert ledger.confirmations(GAOPING) == []
        assert [n.code for n in ledger.notices] == ["ledger-new"]


HOSTILE = [
    "泽州县'; DROP TABLE files; --",
    'a "quoted" \\ backslash',
    "nul\x00inside",
    "x" * 2000,
    "right-to-left \u202e and zero-width \u200b",
    "line\nbreak\r\nand tab\t",
    "' OR '1'='1",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_texts_are_kept_byte_for_byte_and_never_read_as_sql(
    tmp_path: Path, text: str
) -> None:
    hostile_problem = problem("not-a-number", cell="E9", value=text, raw=text)
    with Ledger.open(tmp_path, now=NOW) as ledger:
        ledger.record_files([seen(1, reporter=text, name=text, problems=(hostile_problem,))])
        ledger.record_replies(
            [SentReply(text, ReplyKind.correct, date.today(), date.today(), (text,))]
        )
        ledger.record_merge(MergeRecord(text, "f" * 64, (text,), {text: 1}, date.today()))
        ledger.record_confirmations(
            [Confirmation(text, text, 1, text, ConfirmedBy.city, date.today())]
        )
        (back,) = ledger.files(text)
        assert back.reporter == text and back.name == text
        assert back.problems[0].value == text
        assert ledger.replies(text)[0].cells == (text,)
        assert ledger.merges()[0].output_name == text and ledger.merges()[0].inputs == (text,)
        assert ledger.confirmations(text)[0].reason == text
        assert ledger.files("' OR '1'='1" if text != "' OR '1'='1" else "x") == []
    assert len(stored(tmp_path, "SELECT name FROM sqlite_master WHERE type = 'table'")) == len(
        MIGRATIONS[-1].tables
    )


def test_a_file_name_that_is_not_utf8_comes_back_the_same(tmp_path: Path) -> None:
    """A name read from a disk as undecodable bytes holds lone surrogates (\\udcb5)."""
    name = "收回/\udcb5\udcc0泽州.xlsx"
    lone = problem("not-a-number", cell="E9", value="\ud800", raw="x")
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert ledger.record_files([seen(1, name=name, problems=(lone,))])
        (back,) = ledger.files()
    assert back.name == name and back.problems[0].value == "\ud800"


def test_record_batch_keeps_every_checked_file_with_its_verdict(tmp_path: Path) -> None:
    folder = tmp_path / "收回"
    folder.mkdir()
    good = filled_form(folder / "泽州县.xlsx")
    bad = filled_form(folder / "高平市.xlsx", E9="十二件", C3=GAOPING)
    report = validate_paths([folder], DEFAULT_CAMPAIGN)
    names = {f.path: Path(f.path).relative_to(tmp_path).as_posix() for f in report.files}
    sizes = {f.path: Path(f.path).stat().st_size for f in report.files}
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert ledger.record_batch(report, at=NOW, names=names, sizes=sizes)
        kept = {f.name: f for f in ledger.files()}
    assert set(kept) == {"收回/泽州县.xlsx", "收回/高平市.xlsx"}
    for f in report.files:
        assert kept[names[f.path]] == seen_file(f, name=names[f.path], size=sizes[f.path], at=NOW)
    assert (
        kept["收回/泽州县.xlsx"].status == "valid"
        and kept["收回/泽州县.xlsx"].size == good.stat().st_size
    )
    assert kept["收回/高平市.xlsx"].status == "invalid" and bad.exists()
    assert any(
        p.severity is Severity.ERROR and p.cell == "E9" for p in kept["收回/高平市.xlsx"].problems
    )


def test_three_thousand_files_are_recorded_and_read_in_one_go(tmp_path: Path) -> None:
    """A bound far above the ~0.1 s it takes (benchmarks/bench_ledger.py), so only something
    quadratic or a statement per value fails it, not a busy machine."""
    files = [
        seen(
            i, values={str(k): (i + k if k % 3 else Decimal(f"{i}.{k:02d}")) for k in range(1, 16)}
        )
        for i in range(3000)
    ]
    with Ledger.open(tmp_path, now=NOW) as ledger:
        started = time.perf_counter()
        assert ledger.record_files(files)
        back = ledger.files()
        took = time.perf_counter() - started
    assert back == files and took < 3.0
