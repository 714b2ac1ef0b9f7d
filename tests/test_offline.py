"""The offline install package (packaging/make_offline.py): a clerk with no package index unzips
it, runs the install script and has a working jc315.

The Linux package is built for the running Python only, installed by its own install.sh into a
fresh venv with the network cut (where the machine allows a network namespace; `--no-index`
always), and merges the examples. The Windows package is built whole (four Pythons) and checked
with pip's own dry run for each Python, and with the package's resolution by the target's
markers, which pip's dry run cannot do from Linux. Building needs the package index: when pip
cannot reach it, those tests are skipped, saying so. The scripts' bytes and the resolution are
checked without the index.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook

from jc315cli import __version__
from tests.conftest import EXAMPLES, ROOT

SCRIPT = ROOT / "packaging" / "make_offline.py"
WINDOWS_PYTHONS = ("3.10", "3.11", "3.12", "3.13")
CURRENT = f"{sys.version_info[0]}.{sys.version_info[1]}"


def _load() -> ModuleType:
    """The build script as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("make_offline", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_offline"] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


offline = _load()


def offline_env(**extra: str) -> dict[str, str]:
    """This environment without any pip configuration (an index, find-links) or PYTHONPATH: what
    gets installed can only come from the package."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    return {**env, "PIP_CONFIG_FILE": os.devnull, **extra}


def _no_network() -> list[str]:
    """A prefix that runs a command with no network at all, where this machine allows it."""
    try:
        cut = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    except OSError:
        return []
    return ["unshare", "-n"] if cut.returncode == 0 else []


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skips when pip cannot reach its package index (making a package needs it)."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--retries",
         "0", "--timeout", "20", "--only-binary=:all:", "--platform", "win_amd64",
         "--python-version", "3.10", "--implementation", "cp",
         "--dest", str(tmp_path_factory.mktemp("probe")), "colorama"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["(no message)"])[-1]
        pytest.skip(f"the package index cannot be reached, so no package can be made: {last}")


def built(platform: str, out: Path, pythons: str) -> Path:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--platform", platform, "--out", str(out),
         "--python-version", pythons],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    archive = out / f"jc315-离线安装-{platform}.zip"
    assert archive.is_file() and "【完成】" in done.stdout
    return archive


def unpacked(archive: Path, into: Path) -> Path:
    """Unzipped as `unzip` does it, with the modes the zip holds (zipfile drops them)."""
    with zipfile.ZipFile(archive) as opened:
        for info in opened.infolist():
            Path(opened.extract(info, into)).chmod(info.external_attr >> 16 & 0o777)
    return into / archive.stem


@pytest.fixture(scope="module")
def linux_zip(index: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built("linux", tmp_path_factory.mktemp("linux"), "current")


@pytest.fixture(scope="module")
def windows_wheels(index: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("windows")
    archive = built("windows", work, ",".join(WINDOWS_PYTHONS))
    return unpacked(archive, work / "unzipped") / "wheels"


# --- the Linux package, end to end ------------------------------------------------------------


def test_the_linux_package_installs_without_an_index_in_a_fresh_venv_and_merges_the_examples(
    linux_zip: Path, tmp_path: Path
) -> None:
    package = unpacked(linux_zip, tmp_path / "unzipped")
    launcher = package / "jc315"
    early = subprocess.run([str(launcher), "--version"], capture_output=True, text=True)
    assert early.returncode == 2 and "请先运行本文件夹里的 install.sh" in early.stderr

    # A pip configuration that would send the install elsewhere: install.sh must ignore it.
    elsewhere = tmp_path / "elsewhere"
    hostile = tmp_path / "pip.conf"
    hostile.write_text(
        f"[global]\nindex-url = http://127.0.0.1:9/\n[install]\ntarget = {elsewhere}\n"
    )
    cut = _no_network()
    install = subprocess.run(
        [*cut, "sh", str(package / "install.sh")],
        capture_output=True, text=True, cwd=tmp_path,
        env=offline_env(JC315_PYTHON=sys.executable, PIP_CONFIG_FILE=str(hostile)),
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    assert not elsewhere.exists()
    assert "【完成】" in install.stdout and f"jc315 {__version__}" in install.stdout
    log = (package / "安装日志.txt").read_text("utf-8")
    assert "Looking in links" in log and "Looking in indexes" not in log

    venv_python = package / "venv" / "bin" / "python"
    where = subprocess.run(
        [str(venv_python), "-c", "import jc315cli; print(jc315cli.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=offline_env(), check=True,
    )  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(package / "venv")

    report = tmp_path / "汇总.xlsx"
    merge = subprocess.run(
        [*cut, str(launcher), "merge", str(EXAMPLES), "-o", str(report), "--date", "2023-03-25"],
        capture_output=True, text=True, cwd=tmp_path, env=offline_env(),
    )  # fmt: skip
    assert merge.returncode == 0, merge.stdout + merge.stderr
    sheet = load_workbook(report)["汇总"]
    assert sheet["E6"].value == 112 and sheet["E10"].value == pytest.approx(82.0597)

    # Moved: the venv's scripts name the old place; running install.sh again repairs them. The
    # launcher also works through a symbolic link, from another folder.
    moved = package.rename(tmp_path / "moved")
    again = subprocess.run(
        [*cut, "sh", str(moved / "install.sh")],
        capture_output=True, text=True, cwd=tmp_path,
        env=offline_env(JC315_PYTHON=sys.executable),
    )  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "jc315").symlink_to(moved / "jc315")
    version = subprocess.run(
        [str(tmp_path / "bin" / "jc315"), "--version"],
        capture_output=True, text=True, cwd=tmp_path / "bin", env=offline_env(),
    )  # fmt: skip
    assert (version.returncode, version.stdout) == (0, f"jc315 {__version__}\n"), version.stderr


def test_two_builds_from_the_same_checkout_give_the_same_zip(
    linux_zip: Path, tmp_path: Path
) -> None:
    assert built("linux", tmp_path, "current").read_bytes() == linux_zip.read_bytes()


# --- the Windows package: the wheel set is complete for every Python ------------------------


@pytest.mark.parametrize("python", WINDOWS_PYTHONS)
def test_the_windows_wheels_install_jc315_on_each_python(
    python: str, windows_wheels: Path, tmp_path: Path
) -> None:
    """pip's dry run for 64-bit Windows, and the script's resolution with Windows' markers. pip's
    dry run alone, run on Linux 3.11, passes a set without colorama (Typer needs it on Windows)
    and without tomli (3.10 needs it): it evaluates markers with the running Python; and `pip
    install --python-version` checks no Requires-Python, so for 3.10 it takes typer 0.29.3,
    which needs 3.11. `unmet` checks all three."""
    dry = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--platform", "win_amd64",
         "--only-binary=:all:", "--no-index", "--find-links", str(windows_wheels),
         "--python-version", python, "--implementation", "cp", "--target", str(tmp_path / "t"),
         "jc315"],
        capture_output=True, text=True, env=offline_env(),
    )  # fmt: skip
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert re.search(rf"^Would install .*\bjc315-{re.escape(__version__)}\b", dry.stdout, re.M), (
        dry.stdout
    )
    assert offline.unmet(windows_wheels, offline.PLATFORMS["windows"], python) == []
    names = {path.name.split("-")[0] for path in windows_wheels.glob("*.whl")}
    assert {"colorama", "tomli", "pydantic_core", "python_calamine"} <= names
    assert {"flask", "werkzeug", "jinja2", "waitress"} <= names  # the page, offline too
    with zipfile.ZipFile(next(windows_wheels.glob("jc315-*.whl"))) as wheel:
        held = set(wheel.namelist())
    assert {"jc315cli/web/templates/board.html", "jc315cli/web/static/page.js"} <= held


def test_the_windows_package_holds_the_scripts_as_written(windows_wheels: Path) -> None:
    folder = windows_wheels.parent
    version = re.sub(r"jc315-([^-]+)-.*", r"\1", next(windows_wheels.glob("jc315-*")).name)
    expected = offline.scripts(offline.PLATFORMS["windows"], WINDOWS_PYTHONS, version)
    assert {name: (folder / name).read_bytes() for name in expected} == expected
    assert sorted(p.name for p in folder.iterdir()) == sorted([*expected, "wheels"])


# --- without the index: the scripts' bytes, the resolution, the zip --------------------------


def windows_scripts(pythons: tuple[str, ...] = WINDOWS_PYTHONS) -> dict[str, bytes]:
    scripts: dict[str, bytes] = offline.scripts(offline.PLATFORMS["windows"], pythons, "0.2.0")
    return scripts


@pytest.mark.parametrize("name", ["安装.bat", "jc315.bat"])
def test_the_batch_files_are_gbk_with_crlf_and_no_bom(name: str) -> None:
    """cmd on a Chinese Windows reads a batch file in code page 936 (GBK) and shows its echo
    lines as they are; a BOM would make the first line an unknown command; lines end CRLF."""
    data = windows_scripts()[name]
    assert data.startswith(b"@echo off\r\n")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r") > 3
    text = data.decode("gbk")
    # GB2312 only: both bytes of each Chinese character are 0xA1 or above, so none can be
    # read as \ | & < > ^ % by cmd.
    assert all(byte >= 0xA1 for ch in text if ord(ch) > 127 for byte in ch.encode("gb2312"))
    assert not re.search(r"@[A-Z_]+@", text)
    assert "jc315" in text and re.search("[\u4e00-\u9fff]", text)


def test_the_install_batch_file_says_in_chinese_what_it_did_and_what_failed() -> None:
    text = windows_scripts()["安装.bat"].decode("gbk")
    for said in ("【完成】", "【失败】没有找到 64 位的 Python 3.10～3.13", "安装日志.txt"):
        assert said in text
    for pip_part in ("--no-index", '--find-links "%HERE%wheels"', "--isolated"):
        assert pip_part in text
    tries = re.findall(r"^if not defined PY call :try (.+?)\r?$", text, re.M)
    assert tries == ["py -3.13", "py -3.12", "py -3.11", "py -3.10", "python"]
    assert "in ((3, 10), (3, 11), (3, 12), (3, 13),)" in text
    assert 'set "PIP_CONFIG_FILE=nul"' in text  # os.devnull on Windows: no pip.ini applies
    # No parenthesised blocks: a path such as "D:\jc315 (1)\" expanded inside one closes it.
    assert not re.search(r"\(\s*$", text, re.M)
    one = windows_scripts(("3.11",))["安装.bat"].decode("gbk")
    assert "in ((3, 11),)" in one and "Python 3.11。" in one


def test_the_launcher_batch_file_runs_the_venv_jc315_from_anywhere() -> None:
    text = windows_scripts()["jc315.bat"].decode("gbk")
    assert '"%~dp0venv\\Scripts\\jc315.exe" %*\r\nexit /b\r\n' in text
    # run with nothing after it (in a collection folder): the collection's page
    assert 'if "%~1"=="" goto page' in text and '"%~dp0venv\\Scripts\\jc315.exe" web\r\n' in text
    assert "请先双击本文件夹里的“安装.bat”" in text


def test_the_windows_notes_are_utf8_with_bom_and_crlf() -> None:
    data = windows_scripts()["使用说明.txt"]
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n")
    text = data[3:].decode("utf-8")
    assert "Python 3.10～3.13" in text and "jc315 版本：0.2.0" in text and "安装.bat" in text


def test_the_linux_scripts_are_utf8_with_lf_and_pass_the_shell_syntax_check(tmp_path: Path) -> None:
    scripts = offline.scripts(offline.PLATFORMS["linux"], WINDOWS_PYTHONS, "0.2.0")
    for name in ("install.sh", "jc315"):
        data = scripts[name]
        assert data.startswith(b"#!/bin/sh\n") and b"\r" not in data
        (tmp_path / name).write_bytes(data)
        subprocess.run(["sh", "-n", str(tmp_path / name)], check=True)
    assert "python3.13 python3.12 python3.11 python3.10 python3" in scripts["install.sh"].decode()


def fake_wheel(folder: Path, filename: str, *requires: str, python: str = ">=3.10") -> None:
    """A real wheel file holding only what resolution reads: its name and METADATA."""
    name, version = filename.split("-")[:2]
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Python: {python}", *(f"Requires-Dist: {r}" for r in requires)]
    with zipfile.ZipFile(folder / filename, "w") as wheel:
        wheel.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(lines) + "\n\nbody\n")


@pytest.fixture
def like_pip_on_linux(tmp_path: Path) -> Path:
    """The wheels pip downloads for Windows and Python 3.10 when it runs on Linux 3.11: it
    evaluates markers for itself, so colorama and tomli are left out."""
    fake_wheel(tmp_path, "jc315-0.2.0-py3-none-any.whl", "typer<0.30", "pydantic-core",
               "tomli>=2; python_version < '3.11'")  # fmt: skip
    fake_wheel(tmp_path, "typer-0.29.1-py3-none-any.whl", 'colorama; platform_system == "Windows"')
    fake_wheel(tmp_path, "typer-0.29.3-py3-none-any.whl", "annotated-doc", python=">=3.11")
    fake_wheel(tmp_path, "pydantic_core-2.50.5-cp311-cp311-win_amd64.whl")
    return tmp_path


def test_resolution_by_the_targets_markers_finds_what_pip_left_out(like_pip_on_linux: Path) -> None:
    windows, linux = offline.PLATFORMS["windows"], offline.PLATFORMS["linux"]
    # 3.10: typer 0.29.3 needs 3.11, so 0.29.1 and its colorama; no cp310 pydantic-core.
    assert offline.unmet(like_pip_on_linux, windows, "3.10") == [
        "colorama", "pydantic-core", "tomli>=2",
    ]  # fmt: skip
    assert offline.unmet(like_pip_on_linux, windows, "3.11") == ["annotated-doc"]
    assert offline.unmet(like_pip_on_linux, linux, "3.11") == ["annotated-doc", "pydantic-core"]
    fake_wheel(like_pip_on_linux, "colorama-0.4.6-py2.py3-none-any.whl")
    fake_wheel(like_pip_on_linux, "tomli-2.5.0-py3-none-any.whl")
    fake_wheel(like_pip_on_linux, "pydantic_core-2.50.5-cp310-cp310-win_amd64.whl")
    assert offline.unmet(like_pip_on_linux, windows, "3.10") == []


def test_the_same_files_give_the_same_zip_sorted_dated_and_with_modes(
    like_pip_on_linux: Path, tmp_path: Path
) -> None:
    linux = offline.PLATFORMS["linux"]
    paths = [tmp_path / "a" / "p.zip", tmp_path / "b" / "p.zip"]
    for path in paths:
        offline.write_zip(path, "p", offline.members(linux, ["3.11"], like_pip_on_linux))
    assert paths[0].read_bytes() == paths[1].read_bytes()
    with zipfile.ZipFile(paths[0]) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    modes = {i.filename: i.external_attr >> 16 for i in infos}
    assert modes["p/install.sh"] == modes["p/jc315"] == 0o100755
    assert modes["p/使用说明.txt"] == 0o100644


def test_the_python_versions_are_checked_sorted_and_named_for_a_person() -> None:
    assert offline.pythons_of("3.12, 3.10,3.12") == ["3.10", "3.12"]
    assert offline.pythons_of("current") == [CURRENT]
    for wrong in ("3.x", "", "3.10;3.11", "2.7"):
        with pytest.raises(argparse.ArgumentTypeError, match="应为 current 或 3.10,3.11"):
            offline.pythons_of(wrong)
    assert offline.python_words(["3.10", "3.11", "3.12", "3.13"]) == "3.10～3.13"
    assert offline.python_words(["3.10", "3.12"]) == "3.10、3.12"
    assert offline.python_words(["3.11"]) == "3.11"
