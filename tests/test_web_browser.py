"""A whole collection acted out through the page in Debian's Chromium, as the clerk and the
seven counties would: each county uploads through its own link, 泽州县 with an error that it
corrects through its link, 高平市 with a doubtful value the clerk confirms with a reason; the
clerk merges and downloads the report. The totals equal `jc315 merge` on the same folder, and
`jc315 status` shows the same state afterwards. Screenshots go to JC315_SCREENSHOTS when set."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, invoke
from tests.test_collection_folder import fill

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="需要 Debian 的 chromium 和 chromium-driver（.ci/run 会安装）"
)
MONEY = "E10"  # 第 5 项 为消费者挽回经济损失金额（万元）


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--window-size=1366,768", "--disable-gpu", "--lang=zh-CN"):
        options.add_argument(flag)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def start(folder: Path, port: int) -> tuple[subprocess.Popen[str], str, dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    args = [sys.executable, "-m", "jc315cli", "web", "--no-browser", "--port", str(port), "--lan"]
    server = subprocess.Popen(args, cwd=folder, env=env, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    clerk, links = "", {}
    for line in server.stdout:
        if line.startswith("市局的网页"):
            clerk = line.split("：", 1)[1].strip()
        elif line.startswith("  ") and "http" in line:
            name, url = line.strip().split("：", 1)
            # The checks connect on loopback: the same secrets answer there.
            links[name] = f"http://127.0.0.1:{port}/" + url.split("/", 3)[3]
        elif line.startswith("按 Ctrl+C"):
            break
    return server, clerk, links


def upload(driver, path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
    try:
        driver.find_element(By.ID, "result")  # the page after the upload (implicit wait)
    except Exception:
        print(driver.current_url, driver.page_source[:3000])
        raise


def test_a_whole_collection_through_the_page(
    tmp_path: Path, runner: CliRunner, browser: object
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    folder = tmp_path / "2023年3·15统计"
    assert invoke(runner, "init", folder).exit_code == 0
    assert invoke(runner, "generate", "-c", folder / "jc315.toml").exit_code == 0
    filled = tmp_path / "各单位填好的表"
    forms = {}
    for number, blank in enumerate(sorted((folder / "下发").glob("*.xlsx"))):
        money = 36500 if "高平" in blank.name else 3 + number
        forms[blank.name] = fill(
            blank, filled / blank.name, day=date(2023, 3, 20), value=10 + number, **{MONEY: money}
        )
    wrong = fill(
        next((folder / "下发").glob("*泽州*")),
        filled / "错" / "泽州.xlsx",
        day=date(2023, 3, 19),
        value=10,
        E9="很多",
    )
    port = free_port()
    server, clerk, links = start(folder, port)
    shots = Path(os.environ.get("JC315_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    try:
        assert clerk.startswith(f"http://127.0.0.1:{port}/?k=") and len(links) == 7
        driver.get(clerk)  # type: ignore[attr-defined]
        assert "k=" not in driver.current_url  # type: ignore[attr-defined]
        assert "未加密" in driver.page_source  # type: ignore[attr-defined]
        # 泽州县 first sends a form with an error, and sees it at once, with its cell.
        zezhou = next(n for n in links if "泽州" in n)
        driver.get(links[zezhou])  # type: ignore[attr-defined]
        upload(driver, wrong)
        page = driver.page_source  # type: ignore[attr-defined]
        assert "未通过，待退回" in page and ">E9<" in page
        driver.save_screenshot(str(shots / "web-county.png"))  # type: ignore[attr-defined]
        # A file of another reporter through 泽州县's link: refused, nothing written.
        before = sorted(p.name for p in (folder / "收回").iterdir())
        upload(driver, next(p for n, p in forms.items() if "阳城" in n))
        assert "未接收" in driver.page_source  # type: ignore[attr-defined]
        assert sorted(p.name for p in (folder / "收回").iterdir()) == before
        # Every county sends its own form; 泽州县's is its correction.
        for name, url in links.items():
            driver.get(url)  # type: ignore[attr-defined]
            upload(driver, next(p for n, p in forms.items() if name in n))
            page = driver.page_source  # type: ignore[attr-defined]
            assert ("待核实" if "高平" in name else "通过") in page, name
        # The clerk confirms 高平市's doubtful value with a reason.
        driver.get(f"http://127.0.0.1:{port}/")  # type: ignore[attr-defined]
        assert "待核实" in driver.page_source  # type: ignore[attr-defined]
        driver.save_screenshot(str(shots / "web-board.png"))  # type: ignore[attr-defined]
        row = driver.find_element(By.CSS_SELECTOR, "form.confirm")  # type: ignore[attr-defined]
        row.find_element(By.NAME, "reason").send_keys("电话核实：含一起大案挽回损失")
        row.find_element(By.XPATH, ".//button[contains(., '核实')]").click()
        assert "已记录核实" in driver.page_source  # type: ignore[attr-defined]
        assert "待核实" not in driver.find_element(By.CSS_SELECTOR, "table.board").text  # type: ignore[attr-defined]
        gaoping = next(i for i, n in enumerate(links) if "高平" in n)
        driver.get(f"http://127.0.0.1:{port}/reporter/{gaoping}")  # type: ignore[attr-defined]
        driver.save_screenshot(str(shots / "web-reporter.png"))  # type: ignore[attr-defined]
        # Merge, follow its progress, download the report.
        driver.get(f"http://127.0.0.1:{port}/")  # type: ignore[attr-defined]
        driver.find_element(By.XPATH, "//button[contains(., '汇总')]").click()  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while "下载汇总表" not in driver.page_source and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.5)
        link = driver.find_element(By.XPATH, "//a[contains(., '下载') and contains(., '汇总')]")  # type: ignore[attr-defined]
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())  # type: ignore[attr-defined]
        request = urllib.request.Request(link.get_attribute("href"), headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as answer:
            assert "attachment" in answer.headers["Content-Disposition"]
            downloaded = answer.read()
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    report = next((folder / "汇总").glob("*.xlsx"))
    assert downloaded == report.read_bytes()
    assert not [p for p in folder.rglob("*") if "jc315写入中" in p.name]  # nothing half written
    # The command line sees the same collection: the same totals, the same state.
    copy = tmp_path / "副本"
    shutil.copytree(folder, copy)
    os.chdir(copy)
    try:
        merged = invoke(runner, "merge", "-o", copy / "核对.xlsx", "--format", "json")
        status = invoke(runner, "status", "--format", "json")
    finally:
        os.chdir(ROOT)
    assert merged.exit_code == 0, merged.output
    import sqlite3

    with sqlite3.connect(folder / ".jc315" / "ledger.sqlite") as db:
        (totals,) = db.execute("SELECT totals FROM merges ORDER BY id DESC LIMIT 1").fetchone()
    assert json.loads(totals) == json.loads(merged.output)["totals"]
    states = {r["reporter"]: r["state"] for r in json.loads(status.output)["reporters"]}
    assert set(states.values()) == {"通过"}
