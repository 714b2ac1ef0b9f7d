"""Issue 27 under load, against the real server (`jc315 web --lan` in a subprocess, reached
over sockets as a browser reaches it): 50 uploads at once from the clerk and the counties'
links, then a merge of a few hundred forms started by the page's button while counties keep
uploading. Nothing is lost, the ledger stays whole, and the page answers throughout."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, invoke
from tests.test_collection_folder import fill
from tests.test_web_serve import free_port

REPORTERS = 300  # the merge's size: a campaign holds at most 500 (model/bounds.py)
COUNTIES = 10  # reporters that upload through their own links
ROUNDS = 4  # uploads of each of them in the burst
CLERK_UPLOADS = 10  # and the clerk's, of other reporters' forms: 10 x 4 + 10 = 50
ANSWER_SECONDS = 60.0  # the bound on every upload's answer, 50 queued on 2 busy cores
PAGE_SECONDS = 5.0  # the board answers within this while the merge runs
LEDGER = Path(".jc315") / "ledger.sqlite"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Client:
    """One browser: its own cookies, the CSRF token of the page it last read, and the page's
    own origin on every POST."""

    def __init__(self, link: str) -> None:
        self.origin = re.match(r"https?://[^/]+", link).group(0)  # type: ignore[union-attr]
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.page = self.get(link)

    def get(self, url: str) -> str:
        with self.opener.open(url if "://" in url else self.origin + url, timeout=120) as r:
            page = str(r.read().decode("utf-8"))
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        if found:
            self.csrf = found.group(1)
        return page

    def post(self, path: str, body: bytes, kind: str) -> str:
        request = urllib.request.Request(
            self.origin + path,
            data=body,
            method="POST",
            headers={"Content-Type": kind, "Origin": self.origin},
        )
        with self.opener.open(request, timeout=120) as r:
            return str(r.read().decode("utf-8"))

    def upload(self, path: str, name: str, data: bytes) -> str:
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'.encode(),
                self.csrf.encode() + b"\r\n",
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="files"; filename="{name}"\r\nContent-Type: {MIME}\r\n\r\n'.encode(),
                data + b"\r\n",
                f"--{boundary}--\r\n".encode(),
            ]
        )
        return self.post(path, body, f"multipart/form-data; boundary={boundary}")

    def button(self, path: str) -> str:
        body = f"csrf={self.csrf}".encode()
        return self.post(path, body, "application/x-www-form-urlencoded")


@dataclass
class Server:
    folder: Path
    process: subprocess.Popen[str]
    clerk: str  # the clerk's address with its secret
    links: dict[str, str]  # reporter → the county's upload link


@dataclass(frozen=True)
class Sent:
    reporter: str
    name: str  # a name no other upload has, to find its verdict on the page
    data: bytes
    by_county: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection folder of REPORTERS reporters with its blank forms, nothing returned."""
    from jc315cli.model.campaign_file import campaign_to_toml
    from tests.test_scale import campaign_of

    folder = tmp_path_factory.mktemp("load") / "收集"
    runner = CliRunner()
    assert invoke(runner, "init", folder).exit_code == 0
    (folder / "jc315.toml").write_text(campaign_to_toml(campaign_of(REPORTERS)), "utf-8")
    assert invoke(runner, "generate", "-c", folder / "jc315.toml").exit_code == 0
    return folder


def blanks(folder: Path) -> list[Path]:
    return sorted((folder / "下发").glob("*.xlsx"))


def reporter_of(blank: Path) -> str:
    return blank.stem.rsplit("-", 1)[1]


def filled(blank: Path, scratch: Path, value: int) -> bytes:
    out = fill(blank, scratch / f"{value}-{blank.name}", day=date(2023, 3, 20), value=value)
    return out.read_bytes()


@pytest.fixture
def served(made: Path, tmp_path: Path) -> Iterator[Server]:
    folder = tmp_path / "收集"
    shutil.copytree(made, folder)
    yield from serve(folder)


def serve(folder: Path) -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "jc315cli", "web", "--lan", "--no-browser", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    clerk = process.stdout.readline().split("：", 1)[1].strip()
    links = {}
    for line in iter(process.stdout.readline, ""):
        if "Ctrl+C" in line:
            break
        if "/county?k=" in line:
            name, link = line.strip().split("：", 1)
            links[name] = link
    try:
        yield Server(folder, process, clerk, links)
    finally:
        process.terminate()
        assert process.wait(timeout=60) == 0
        assert process.stderr is not None
        said = process.stderr.read()
        assert "Traceback" not in said and "出错了" not in said, said


def a_burst(folder: Path, scratch: Path, rounds: int, start: int) -> list[Sent]:
    """ROUNDS forms from each of the first COUNTIES reporters, each different from the others;
    and CLERK_UPLOADS forms of the next reporters, which the clerk uploads for them."""
    forms = blanks(folder)
    sent = []
    for number in range(rounds):
        for blank in forms[:COUNTIES]:
            data = filled(blank, scratch, start + number)
            name = f"{reporter_of(blank)}-第{start + number}次.xlsx"
            sent.append(Sent(reporter_of(blank), name, data, by_county=True))
    return sent


def clerks(folder: Path, scratch: Path) -> list[Sent]:
    forms = blanks(folder)[COUNTIES : COUNTIES + CLERK_UPLOADS]
    return [
        Sent(reporter_of(b), f"市局代传-{reporter_of(b)}.xlsx", filled(b, scratch, 7), False)
        for b in forms
    ]


def send(server: Server, one: Sent) -> tuple[Sent, str, float]:
    """One upload as a person makes it: open the page, choose the file, read the verdict."""
    began = time.monotonic()
    if one.by_county:
        client = Client(server.links[one.reporter])
        page = client.upload("/county/upload", one.name, one.data)
    else:
        client = Client(server.clerk)
        page = client.upload("/upload", one.name, one.data)
    return one, page, time.monotonic() - began


def verdict(one: Sent, page: str) -> bool:
    """What the page said of this very file: 已接收 or 未接收."""
    if f"<strong>已接收</strong>：{one.name}" in page:
        return True
    assert f"<strong>未接收</strong>：{one.name}" in page, f"no verdict for {one.name}"
    return False


def hashes(folder: Path) -> dict[str, str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in folder.glob("*.xlsx")}


def ledger_uploads(folder: Path) -> list[tuple[str | None, str, int]]:
    with sqlite3.connect(folder / LEDGER) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT reporter, sha256, accepted FROM uploads ORDER BY id").fetchall()
    return [(r, s, a) for r, s, a in rows]


def jc315_json(folder: Path, *args: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "jc315cli", *args, "--format", "json"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = json.loads(done.stdout)
    assert isinstance(found, dict)
    return found


def test_fifty_uploads_at_once_are_each_answered_recorded_and_kept(
    served: Server, tmp_path: Path
) -> None:
    folder = served.folder
    sent = a_burst(folder, tmp_path, ROUNDS, 1) + clerks(folder, tmp_path)
    assert len(sent) == 50
    with ThreadPoolExecutor(max_workers=len(sent)) as pool:
        answered = list(pool.map(lambda one: send(served, one), sent))
    slowest = max(seconds for _, _, seconds in answered)
    assert slowest < ANSWER_SECONDS
    accepted = {one.sha256 for one, page, _ in answered if verdict(one, page)}
    assert accepted == {one.sha256 for one in sent}  # every form is its sender's own and valid

    # The ledger: one row per upload, by the reporter it came for, with the hash sent.
    rows = ledger_uploads(folder)
    assert sorted((r, s) for r, s, _ in rows) == sorted((o.reporter, o.sha256) for o in sent)
    assert all(a == 1 for _, _, a in rows)

    # 收回/: each county's last form taken in (by the ledger's order), its earlier ones in
    # 收回/旧版/; the clerk's uploads all in 收回/. Nothing else, nothing lost.
    returned = folder / "收回"
    last = {r: s for r, s, _ in rows if r in {o.reporter for o in sent if o.by_county}}
    kept, old = hashes(returned), hashes(returned / "旧版")
    clerk_sent = {o.sha256 for o in sent if not o.by_county}
    assert set(kept) == set(last.values()) | clerk_sent
    assert set(old) == accepted - set(kept)

    # `jc315 status` afterwards agrees: every reporter who sent a form has its last one.
    status = jc315_json(folder, "status")
    rows_by = {r["reporter"]: r for r in status["reporters"]}  # type: ignore[attr-defined]
    for reporter, sha in last.items():
        row = rows_by[reporter]
        assert row["state"] == "通过" and sha in {x["sha256"] for x in row["rounds"]}
    for one in sent:
        if not one.by_county:
            assert one.sha256 in {x["sha256"] for x in rows_by[one.reporter]["rounds"]}
    assert status["rates"]["reported"]["part"] == COUNTIES + CLERK_UPLOADS  # type: ignore[index]


def merged_inputs(folder: Path) -> tuple[str, list[str], dict[str, object]]:
    """The last merge the ledger recorded: its report's hash, its inputs' hashes, its totals."""
    with sqlite3.connect(folder / LEDGER) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        sha, inputs, totals = db.execute(
            "SELECT output_sha256, inputs, totals FROM merges ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return sha, json.loads(inputs), json.loads(totals)


def test_a_merge_from_the_page_while_counties_upload_finishes_and_the_page_answers(
    made: Path, tmp_path: Path
) -> None:
    """The right comparison while uploads go on: the merge counts the forms 收回/ held when it
    read them, so it is checked against `jc315 merge` run on exactly those forms (found by the
    hashes the ledger recorded for the merge, in 收回/ or 收回/旧版/), not on 收回/ afterwards,
    which the uploads since have changed."""
    folder = tmp_path / "收集"
    shutil.copytree(made, folder)
    for number, blank in enumerate(blanks(folder)):
        fill(blank, folder / "收回" / blank.name, day=date(2023, 3, 20), value=number % 50 + 1)
    uploads = a_burst(folder, tmp_path, 3, 60)
    server = next(serve_gen := serve(folder))
    try:
        clerk = Client(server.clerk)
        began = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            sending = [pool.submit(send, server, one) for one in uploads]
            assert "正在汇总" in clerk.button("/merge") or "汇总完成" in clerk.page
            slowest_page = 0.0
            while True:
                asked = time.monotonic()
                board = clerk.get("/")
                slowest_page = max(slowest_page, time.monotonic() - asked)
                job = clerk.get("/job")
                if "正在汇总" not in job:
                    break
                time.sleep(0.2)
            merged_in = time.monotonic() - began
            answered = [f.result() for f in sending]
        assert "汇总完成" in job, job
        assert "汇总" in board and slowest_page < PAGE_SECONDS
        assert all(verdict(one, page) for one, page, _ in answered)
    finally:
        next(serve_gen, None)
    print(f"merge of {REPORTERS} forms under {len(uploads)} uploads: {merged_in:.1f} s")

    report = next((folder / "汇总").glob("*.xlsx"))
    sha, inputs, totals = merged_inputs(folder)
    assert hashlib.sha256(report.read_bytes()).hexdigest() == sha
    assert len(inputs) == REPORTERS
    present = {**hashes(folder / "收回" / "旧版"), **hashes(folder / "收回")}
    copy = tmp_path / "复核"
    (copy / "收回").mkdir(parents=True)
    shutil.copy(folder / "jc315.toml", copy / "jc315.toml")
    for digest in inputs:
        where = folder / "收回" / present[digest]
        if not where.exists():
            where = folder / "收回" / "旧版" / present[digest]
        shutil.copy(where, copy / "收回" / where.name)
    again = jc315_json(copy, "merge")
    assert again["totals"] == totals
    assert sorted(f["sha256"] for f in again["included"]) == sorted(inputs)  # type: ignore[attr-defined]
    assert ledger_uploads(folder) and len(ledger_uploads(folder)) == len(uploads)
