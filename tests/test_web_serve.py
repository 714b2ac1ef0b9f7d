"""`jc315 web` as the acceptance checks drive it: the clerk's address printed and flushed before
it serves, 401 without the secret, and SIGTERM (as Ctrl+C) stops it with exit code 0. And the
ledger of an earlier jc315 (version 1) gains the page's tables, its history kept."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, invoke


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_address_comes_first_and_a_signal_stops_it_cleanly(
    tmp_path: Path, runner: CliRunner, stop: signal.Signals
) -> None:
    folder = tmp_path / "收集"
    assert invoke(runner, "init", folder).exit_code == 0
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jc315cli", "web", "--no-browser", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    first = server.stdout.readline()
    assert f"http://127.0.0.1:{port}/?k=" in first
    url = first.split("：", 1)[1].strip()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/")
    assert refused.value.code == 401
    page = urllib.request.build_opener(urllib.request.HTTPCookieProcessor()).open(url)
    assert "各单位" in page.read().decode("utf-8")
    server.send_signal(stop)
    assert server.wait(timeout=30) == 0
    assert server.stderr is not None and "Traceback" not in server.stderr.read()


def test_a_version_1_ledger_gains_the_pages_tables_and_keeps_its_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from jc315cli.collection import store
    from jc315cli.collection.ledger import LEDGER_PATH, Ledger
    from jc315cli.collection.schema import MIGRATIONS, V1, VERSION
    from tests.test_ledger import NOW, seen

    with monkeypatch.context() as old:
        old.setattr(store, "MIGRATIONS", (V1,))
        old.setattr(store, "VERSION", 1)
        with Ledger.open(tmp_path, now=NOW) as ledger:
            assert ledger.record_files([seen(1), seen(2)])
    with Ledger.open(tmp_path, now=NOW) as ledger:
        assert not ledger.notices and len(ledger.files()) == 2
        assert ledger.new_link("泽州县市场监督管理局", "s" * 43) and len(ledger.links()) == 1
    with sqlite3.connect(tmp_path / LEDGER_PATH) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (VERSION,)
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == MIGRATIONS[-1].tables
