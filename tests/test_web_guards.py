"""Each guard of the page, through Flask's test client on a real collection folder: without a
secret nothing, a county's secret only its own page, the Host checked, no GET changes anything,
every POST from this page only, downloads by id as attachments, uploaded names never paths,
uploads bounded, wrong secrets slowed, no stack trace or path in any answer."""

from __future__ import annotations

import io
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.web_site import BASE, Served, serve_folder

ZEZHOU = "泽州县市场监督管理局"
GAOPING = "高平市市场监督管理局"


@pytest.fixture
def served(tmp_path: Path, runner: CliRunner) -> Served:
    return serve_folder(tmp_path, runner)


def csrf(served: Served, client: object, county: str | None = None) -> str:
    from jc315cli.web.keys import Who

    secret = served.keys.clerk if county is None else served.keys.links[county].secret
    link = None if county is None else served.keys.links[county]
    return str(served.keys.csrf(Who(secret, link)))


def upload(client, url: str, token: str, *files: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    data = {"csrf": token, "files": [(io.BytesIO(b), n) for n, b in files]}
    return client.post(url, data=data, base_url=BASE, content_type="multipart/form-data")


PATHS = ["/", "/reporter/0", "/job", "/download/abc", "/nope", "/county", "/static/page.css"]


@pytest.mark.parametrize("path", PATHS)
def test_without_a_secret_every_path_is_refused_and_shows_nothing(
    served: Served, path: str
) -> None:
    answer = served.client().get(path, base_url=BASE)
    assert answer.status_code == 401
    assert "泽州" not in answer.get_data(as_text=True)


def test_the_secret_becomes_an_httponly_strict_cookie_and_leaves_the_address_bar(
    served: Served,
) -> None:
    answer = served.client().get(f"/?k={served.keys.clerk}", base_url=BASE)
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert served.keys.clerk not in answer.headers["Location"]


def test_a_wrong_secret_is_refused_and_slowed_down(served: Served) -> None:
    served.site.wrong_delay = 0.3  # type: ignore[attr-defined]
    started = time.monotonic()
    answer = served.client().get("/?k=guess", base_url=BASE)
    assert answer.status_code == 401 and time.monotonic() - started >= 0.3


def test_a_wrong_cookie_is_refused_and_slowed_down_too(served: Served) -> None:
    served.site.wrong_delay = 0.3  # type: ignore[attr-defined]
    client = served.client()
    client.set_cookie("jc315_clerk", served.keys.clerk[:-1], domain="127.0.0.1")
    started = time.monotonic()
    assert client.get("/", base_url=BASE).status_code == 401
    assert time.monotonic() - started >= 0.3


def test_only_the_whole_secret_opens(served: Served) -> None:
    clerk = served.keys.clerk
    for near in (clerk[:-1], clerk + "x", clerk[:8], clerk.upper(), ""):
        assert served.client().get(f"/?k={near}", base_url=BASE).status_code == 401


def test_a_countys_secret_in_the_clerks_cookie_opens_nothing(served: Served) -> None:
    client = served.client()
    client.set_cookie("jc315_clerk", served.keys.links[ZEZHOU].secret, domain="127.0.0.1")
    assert client.get("/", base_url=BASE).status_code == 403
    client = served.client()
    client.set_cookie("jc315_county", served.keys.clerk, domain="127.0.0.1")
    assert client.get("/county", base_url=BASE).status_code == 403


def test_secrets_are_long_distinct_and_the_county_opens_only_its_own_page(served: Served) -> None:
    secrets = [served.keys.clerk, *(link.secret for link in served.keys.links.values())]
    assert len(set(secrets)) == len(secrets) == 8 and min(map(len, secrets)) >= 40
    county = served.county(ZEZHOU)
    page = county.get("/county", base_url=BASE).get_data(as_text=True)
    assert ZEZHOU in page and GAOPING not in page and "高平" not in page
    for path in ("/", "/reporter/1", "/job", "/download/x"):
        assert county.get(path, base_url=BASE).status_code == 403
    token = csrf(served, county, ZEZHOU)
    assert county.post("/merge", data={"csrf": token}, base_url=BASE).status_code == 403
    clerk = served.clerk()
    assert clerk.get("/county", base_url=BASE).status_code == 403


def test_a_host_not_served_is_refused(served: Served) -> None:
    clerk = served.clerk()
    answer = clerk.get("/", base_url="http://rebind.example:8765")
    assert answer.status_code == 421
    assert clerk.get("/", base_url="http://127.0.0.1:9999").status_code == 421


@pytest.mark.parametrize("path", ["/merge", "/feedback", "/generate", "/revoke", "/upload"])
def test_no_get_changes_anything(served: Served, path: str) -> None:
    clerk = served.clerk()
    before = sorted(p.name for p in served.folder.rglob("*"))
    assert clerk.get(path, base_url=BASE).status_code == 405
    assert sorted(p.name for p in served.folder.rglob("*")) == before


def test_a_post_needs_the_token_and_this_page_as_its_origin(served: Served) -> None:
    clerk = served.clerk()
    token = csrf(served, clerk)
    name = {"reporter": ZEZHOU}
    assert clerk.post("/revoke", data=name, base_url=BASE).status_code == 403
    assert clerk.post("/revoke", data={**name, "csrf": "x" * 64}, base_url=BASE).status_code == 403
    foreign = {"Origin": "http://evil.example"}
    answer = clerk.post("/revoke", data={**name, "csrf": token}, headers=foreign, base_url=BASE)
    assert answer.status_code == 403
    hidden = {"Origin": "null"}  # a sandboxed frame, or a page of another site without a referrer
    answer = clerk.post("/revoke", data={**name, "csrf": token}, headers=hidden, base_url=BASE)
    assert answer.status_code == 403
    cross = {"Sec-Fetch-Site": "cross-site"}
    answer = clerk.post("/revoke", data={**name, "csrf": token}, headers=cross, base_url=BASE)
    assert answer.status_code == 403
    old = served.keys.links[ZEZHOU].secret
    ours = {"Origin": BASE, "X-CSRF-Token": token}
    assert clerk.post("/revoke", data=name, headers=ours, base_url=BASE).status_code == 303
    assert served.keys.links[ZEZHOU].secret != old


def test_a_revoked_link_opens_nothing_and_a_new_one_is_shown(served: Served) -> None:
    old = served.keys.links[ZEZHOU].secret
    county = served.county(ZEZHOU)
    clerk = served.clerk()
    clerk.post("/revoke", data={"reporter": ZEZHOU, "csrf": csrf(served, clerk)}, base_url=BASE)
    new = served.keys.links[ZEZHOU].secret
    assert county.get("/county", base_url=BASE).status_code == 401
    assert served.client().get(f"/county?k={old}", base_url=BASE).status_code == 401
    page = clerk.get("/", base_url=BASE).get_data(as_text=True)
    assert new in page and old not in page


def test_every_answer_carries_no_referrer_no_store_and_nosniff(served: Served) -> None:
    for answer in (
        served.client().get("/", base_url=BASE),
        served.clerk().get("/", base_url=BASE),
        served.clerk().get("/nope", base_url=BASE),
    ):
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_download_is_an_attachment_chosen_by_id(served: Served) -> None:
    clerk = served.clerk()
    page = clerk.get("/", base_url=BASE).get_data(as_text=True)
    ids = [part.split('"')[0] for part in page.split('href="/download/')[1:]]
    assert len(ids) == 7
    answer = clerk.get(f"/download/{ids[0]}", base_url=BASE)
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith("attachment")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.data[:2] == b"PK"
    for path in (
        "/download/../jc315.toml",
        "/download/jc315.toml",
        "/download/%2e%2e%2fjc315.toml",
    ):
        assert clerk.get(path, base_url=BASE).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "..\\..\\CON.xlsx",
        "\\\\server\\share\\x.xlsx",
        "C:..\\evil.xlsx",
        "../../../escape.xlsx",
        "NUL.xlsx",
    ],
)
def test_an_uploaded_name_never_becomes_a_path(served: Served, tmp_path: Path, name: str) -> None:
    county = served.county(ZEZHOU)
    data = served.filled("泽州", tmp_path)
    sent = upload(county, "/county/upload", csrf(served, county, ZEZHOU), (name, data))
    assert sent.status_code == 303
    inside = list((served.folder / "收回").iterdir())
    assert len(inside) == 1 and inside[0].name.startswith(ZEZHOU)
    assert ":" not in inside[0].name and "\\" not in inside[0].name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["收集", "泽州.xlsx"]
    page = county.get(sent.headers["Location"], base_url=BASE).get_data(as_text=True)
    assert "已接收" in page


def test_a_form_of_another_reporter_or_no_form_is_refused_and_nothing_written(
    served: Served, tmp_path: Path
) -> None:
    county = served.county(ZEZHOU)
    token = csrf(served, county, ZEZHOU)
    other = served.filled("高平", tmp_path)
    sent = upload(county, "/county/upload", token, ("高平.xlsx", other), ("说明.txt", b"hello"))
    page = county.get(sent.headers["Location"], base_url=BASE).get_data(as_text=True)
    assert page.count("未接收") == 2 and "高平市的表" in page
    assert list((served.folder / "收回").iterdir()) == []
    with sqlite3.connect(served.folder / ".jc315" / "ledger.sqlite") as db:
        rows = db.execute("SELECT link, accepted, sha256 FROM uploads").fetchall()
    assert len(rows) == 2 and all(r[0] == served.keys.links[ZEZHOU].id and r[1] == 0 for r in rows)


def test_an_upload_shows_the_state_and_each_problem_cell_and_is_recorded(
    served: Served, tmp_path: Path
) -> None:
    county = served.county(ZEZHOU)
    wrong = served.filled("泽州", tmp_path, E9="很多")
    sent = upload(county, "/county/upload", csrf(served, county, ZEZHOU), ("泽州.xlsx", wrong))
    page = county.get(sent.headers["Location"], base_url=BASE).get_data(as_text=True)
    assert "未通过，待退回" in page and ">E9<" in page
    with sqlite3.connect(served.folder / ".jc315" / "ledger.sqlite") as db:
        (row,) = db.execute("SELECT link, reporter, sha256, accepted, at FROM uploads").fetchall()
    import hashlib

    assert row[0] == served.keys.links[ZEZHOU].id and row[1] == ZEZHOU and row[3] == 1
    assert row[2] == hashlib.sha256(wrong).hexdigest() and row[4].startswith("20")


def test_uploads_are_bounded_in_count_and_size_before_they_are_read(served: Served) -> None:
    from jc315cli.web.site import MAX_UPLOAD_FILES

    county = served.county(ZEZHOU)
    token = csrf(served, county, ZEZHOU)
    many = [(f"{i}.xlsx", b"x") for i in range(MAX_UPLOAD_FILES + 1)]
    assert upload(county, "/county/upload", token, *many).status_code == 413
    fields = {"csrf": token, **{f"f{i}": "x" for i in range(200)}}
    answer = county.post(
        "/county/upload", data=fields, base_url=BASE, content_type="multipart/form-data"
    )
    assert answer.status_code == 413  # parts counted while parsing, before any is kept
    from jc315cli.web.app import MAX_UPLOAD_BYTES

    claimed = {"CONTENT_LENGTH": str(MAX_UPLOAD_BYTES + 1)}
    answer = county.post(
        "/county/upload",
        data={"csrf": token, "files": [(io.BytesIO(b"x"), "a.xlsx")]},
        base_url=BASE,
        content_type="multipart/form-data",
        environ_overrides=claimed,
    )
    assert answer.status_code == 413  # refused on its length, before a byte is read
    assert list((served.folder / "收回").iterdir()) == []


def test_a_file_over_the_command_lines_limit_is_refused_as_the_command_line_would(
    served: Served, tmp_path: Path
) -> None:
    from jc315cli.read.workbook import MAX_FILE_BYTES

    county = served.county(ZEZHOU)
    big = ("泽州.xlsx", b"PK" + b"\0" * MAX_FILE_BYTES)
    sent = upload(county, "/county/upload", csrf(served, county, ZEZHOU), big)
    page = county.get(sent.headers["Location"], base_url=BASE).get_data(as_text=True)
    assert "未接收" in page and "MB" in page
    assert list((served.folder / "收回").iterdir()) == []


def test_an_error_shows_no_stack_trace_and_no_path(served: Served) -> None:
    @served.app.get("/boom")
    def boom() -> str:
        raise RuntimeError(f"failed at {served.folder}")

    answer = served.clerk().get("/boom", base_url=BASE)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 500 and "出错了" in text
    assert "Traceback" not in text and str(served.folder) not in text and "RuntimeError" not in text


def test_the_debugger_is_never_on(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    served = serve_folder(tmp_path, runner)
    assert served.app.debug is False
    assert served.app.config["PROPAGATE_EXCEPTIONS"] is False


def test_plain_http_on_the_network_says_so(tmp_path: Path, runner: CliRunner) -> None:
    served = serve_folder(tmp_path, runner, lan=True)
    assert "未加密" in served.clerk().get("/", base_url=BASE).get_data(as_text=True)
    local = serve_folder(tmp_path / "local", runner)
    assert "未加密" not in local.clerk().get("/", base_url=BASE).get_data(as_text=True)


def test_the_command_refuses_what_it_cannot_serve(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from tests.conftest import invoke

    folder = serve_folder(tmp_path, runner).folder
    monkeypatch.chdir(folder)
    half = invoke(runner, "web", "--no-browser", "--cert", folder / "jc315.toml")
    assert half.exit_code == 2 and "--cert 和 --key 须同时给出" in half.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = invoke(runner, "web", "--no-browser", "--port", port)
    assert busy.exit_code == 2 and "无法在" in busy.output
    monkeypatch.chdir(tmp_path)
    outside = invoke(runner, "web", "--no-browser", tmp_path)
    assert outside.exit_code == 2 and "不在收集文件夹中" in outside.output


def test_without_a_ledger_the_page_does_not_start(tmp_path: Path, runner: CliRunner) -> None:
    import shutil

    from jc315cli.collection.folder import choose
    from jc315cli.collection.session import Session
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.web.keys import Keys

    folder = serve_folder(tmp_path, runner).folder
    shutil.rmtree(folder / ".jc315")
    (folder / ".jc315").write_text("not a folder", encoding="utf-8")
    with Session(choose(folder / "jc315.toml")) as session, pytest.raises(Jc315Error) as raised:
        Keys.load(session)
    assert raised.value.problem.code == "web-no-ledger"


def test_the_buttons_call_the_commands_actions_and_say_what_they_did(
    served: Served, tmp_path: Path
) -> None:
    clerk = served.clerk()
    token = {"csrf": csrf(served, clerk)}

    def said(path: str) -> str:
        answer = clerk.post(path, data=token, base_url=BASE)
        assert answer.status_code == 303
        page = clerk.get(answer.headers["Location"], base_url=BASE).get_data(as_text=True)
        return page.split('<p class="message">', 1)[1].split("</p>", 1)[0]

    assert "已存在" in said("/generate")  # as `jc315 generate` without --force
    assert "还没有汇总表" in said("/summary")
    assert "没有找到" in said("/feedback")  # nothing returned yet: as `jc315 feedback`
    upload(clerk, "/upload", token["csrf"], ("泽州.xlsx", served.filled("泽州", tmp_path)))
    replies = said("/feedback")
    assert "已写出" in replies and "城区" in replies and "泽州" not in replies
    assert len(list((served.folder / "退回").glob("催报-*.txt"))) == 6
    assert str(served.folder) not in replies
