"""No input is ever written, and outputs are written as a set or not at all.

Every command that writes decides where its output may go with one check
(`output.refuse_output_onto_inputs`), on the path as the write will resolve it; `write_all`
puts a set of files in place with the old ones kept aside and put back if any one fails. Real
files throughout: the example forms, `filled_form`, links, FIFOs and (where the file system
allows it) an immutable file, which even root cannot replace."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from jc315cli.commands.feedback import feedback_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.layout import LAYOUT
from jc315cli.problems.errors import Jc315Error
from jc315cli.write.atomic import KEEP_MARK, TEMP_MARK, write_all
from tests.conftest import EXAMPLES, ROOT, filled_form, invoke

TODAY = date(2023, 3, 23)
BY = date(2023, 3, 28)
LONG = "长" * 100  # 300 bytes in UTF-8: over the 255 bytes a name of every common file system
LAST_YEAR = ROOT / "examples" / "2023年晋城市3·15活动情况汇总.xlsx"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too), by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def returned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clerk's working folder (the current one) with 收回/ holding the seven example forms
    under short names, as in the issue: 收回/城区.xlsx, 收回/陵川县.xlsx …"""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "收回"
    folder.mkdir()
    for source in EXAMPLES.iterdir():
        short = source.stem.split("-", 1)[1].replace("市场监督管理局", "")
        short = short.replace("晋城市", "") or source.stem
        (folder / f"{short}{source.suffix}").write_bytes(source.read_bytes())
    return folder


def _refused(result: Result, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


# --- 1. no input is ever written ------------------------------------------------------------


def test_merge_onto_an_input_through_a_folder_not_yet_made_is_refused(
    returned: Path, runner: CliRunner
) -> None:
    before = snapshot(returned)
    forms = sorted(str(p.relative_to(returned.parent)) for p in returned.glob("*.xlsx"))
    for given in (forms, ["收回"]):  # files named one by one, and the folder
        result = invoke(
            runner,
            "merge",
            *given,
            "-o",
            "新建/../收回/城区.xlsx",
            "--force",
            "--date",
            "2023-03-25",
        )
        _refused(result)
        assert "也是输入文件之一" in result.output
    assert snapshot(returned) == before and not Path("新建").exists()


@pytest.mark.parametrize(
    "spelling",
    [
        "新建/../收回/城区.xlsx",
        "新建/更深/../../收回/城区.xlsx",
        "./收回//城区.xlsx",
        "收回/./城区.xlsx",
        "{abs}/收回/城区.xlsx",
        "链接/城区.xlsx",  # a link to 收回/
        "链接/../收回/城区.xlsx",
        # the system takes `..` after a link from where the link leads (here the folder
        # above 收回), not lexically: 远处/收回/城区.xlsx is not there, 收回/城区.xlsx is
        "远处/链接/../收回/城区.xlsx",
        "硬链接.xlsx",  # another name of the same file
        "符号链接.xlsx",
    ],
)
def test_no_spelling_of_an_input_is_written(
    returned: Path, runner: CliRunner, spelling: str
) -> None:
    os.symlink(returned, "链接")
    Path("远处").mkdir()
    os.symlink(returned, "远处/链接")
    os.link(returned / "城区.xlsx", "硬链接.xlsx")
    os.symlink(returned / "城区.xlsx", "符号链接.xlsx")
    before = snapshot(returned)
    output = spelling.format(abs=returned.parent)
    forms = [str(p) for p in sorted(returned.glob("*.xlsx"))]
    _refused(invoke(runner, "merge", *forms, "-o", output, "--force", "--date", "2023-03-25"))
    _refused(invoke(runner, "merge", "链接", "-o", output, "--force", "--date", "2023-03-25"))
    this = str(returned / "城区.xlsx")
    _refused(invoke(runner, "compare", LAST_YEAR, this, "-o", output, "--force"))
    assert snapshot(returned) == before and not Path("新建").exists()


def test_compare_onto_its_own_input_through_a_folder_not_yet_made(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    this = Path("今年.xlsx")
    this.write_bytes((ROOT / "examples" / "2024年晋城市3·15活动情况汇总.xlsx").read_bytes())
    before = this.read_bytes()
    result = invoke(runner, "compare", LAST_YEAR, this, "-o", "sub/../今年.xlsx", "--force")
    _refused(result)
    assert "也是输入文件之一" in result.output
    assert this.read_bytes() == before and not Path("sub").exists()


def test_feedback_into_the_folder_of_the_files_it_was_given_is_refused(
    returned: Path, runner: CliRunner
) -> None:
    """The issue's case: files given, not their folder, and no --force; 14 replies landed among
    the forms and the next `validate 收回` said 已报送 7/7."""
    before = snapshot(returned)
    result = invoke(
        runner,
        "feedback",
        "收回/城区.xlsx",
        "收回/陵川县.xlsx",
        "-o",
        "收回",
        "--date",
        "2023-03-23",
    )
    _refused(result)
    assert "输出文件夹 收回 里有输入文件 收回/城区.xlsx" in result.output
    assert snapshot(returned) == before


@pytest.mark.parametrize(
    ("inputs", "output"),
    [
        (["收回/城区.xlsx"], "."),  # the folder above
        (["收回/城区.xlsx"], "新建/../收回"),
        (["收回/城区.xlsx"], "链接"),  # a link to 收回/
        (["链接/城区.xlsx"], "收回"),
        (["收回/泽州县/泽州县.xlsx"], "收回"),  # held two levels down, in a unit's folder
        (["收回"], "."),
        (["链接"], "收回/退回"),  # inside a folder given through a link
        (["收回"], "链接/退回"),
        (["收回"], "新建/../收回/退回"),
    ],
)
def test_no_output_folder_holds_or_sits_in_an_input(
    returned: Path, runner: CliRunner, inputs: list[str], output: str
) -> None:
    os.symlink(returned, "链接")
    (returned / "泽州县").mkdir()
    os.replace(next(returned.glob("泽州县*")), returned / "泽州县" / "泽州县.xlsx")
    before = snapshot(returned.parent)
    result = invoke(runner, "feedback", *inputs, "-o", output, "--date", "2023-03-23", "--force")
    _refused(result)
    assert "输入文件" in result.output or "收回的文件夹里" in result.output
    assert snapshot(returned.parent) == before


def test_feedback_force_onto_a_reply_that_is_itself_an_input_is_refused(
    returned: Path, runner: CliRunner
) -> None:
    reply = returned / "退回-阳城县.xlsx"
    shutil.copy(returned / "阳城县.xlsx", reply)  # last round's reply, sent back as the form
    before = snapshot(returned)
    for given in (["收回/退回-阳城县.xlsx"], ["收回"]):
        result = invoke(runner, "feedback", *given, "-o", "收回", "--force", "--date", "2023-03-23")
        _refused(result)
    assert snapshot(returned) == before


def test_a_link_named_like_a_reply_leading_to_an_input_is_refused(
    returned: Path, runner: CliRunner
) -> None:
    """The output folder holds no input, but one reply's name is a link (or a second hard
    name) of a form being read."""
    (returned / "开发区分局.xlsx").unlink()  # two units that get a 催报 reply
    (returned / "高平市.xlsx").unlink()
    out = Path("退回")
    out.mkdir()
    os.symlink(returned / "城区.xlsx", out / "催报-开发区.xlsx")
    os.link(returned / "陵川县.xlsx", out / "催报-高平市.xlsx")
    before = snapshot(returned)
    for name in ("高平市", "开发区"):  # in the campaign's order
        result = invoke(runner, "feedback", "收回", "-o", out, "--force", "--date", "2023-03-23")
        _refused(result)
        assert f"退回/催报-{name}.xlsx 也是输入文件之一" in result.output
        (out / f"催报-{name}.xlsx").unlink()
    assert snapshot(returned) == before


def test_a_link_at_an_output_name_is_replaced_itself_never_followed(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decided: --force replaces a link found at an output's name, not the file it leads to
    (rename replaces the name); without --force it is an existing file like any other. A
    link named like a reply was a ValueError traceback."""
    monkeypatch.chdir(tmp_path)
    Path("收回").mkdir()
    filled_form(Path("收回/泽州县.xlsx"), **{LAYOUT.value_cell(0): "约20"})
    elsewhere = Path("别处")
    elsewhere.mkdir()
    victim = elsewhere / "重要.xlsx"
    victim.write_bytes(b"not a reply")
    out = Path("退回")
    out.mkdir()
    os.symlink(victim.resolve(), out / "退回-泽州县.xlsx")
    result = invoke(runner, "feedback", "收回", "-o", out, "--date", "2023-03-23")
    _refused(result, 1)
    assert "已存在" in result.output and (out / "退回-泽州县.xlsx").is_symlink()
    result = invoke(runner, "feedback", "收回", "-o", out, "--date", "2023-03-23", "--force")
    assert result.exit_code == 0, result.output
    assert not (out / "退回-泽州县.xlsx").is_symlink() and victim.read_bytes() == b"not a reply"
    # merge too: the link at -o is replaced, the file it led to kept
    os.symlink(victim.resolve(), "汇总.xlsx")
    result = invoke(runner, "merge", EXAMPLES, "-o", "汇总.xlsx", "--force", "--date", "2023-03-25")
    assert result.exit_code == 0, result.output
    assert not Path("汇总.xlsx").is_symlink() and victim.read_bytes() == b"not a reply"


def test_writing_commands_without_inputs_go_through_the_same_check(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """generate, template and init read no forms; the one check still sees where they write
    (here: through a folder not yet made and back), and they write where it says."""
    monkeypatch.chdir(tmp_path)
    assert invoke(runner, "generate", "--out", "新建/../下发").exit_code == 0
    assert len(list(Path("下发").glob("*.xlsx"))) == len(DEFAULT_CAMPAIGN.reporters)
    assert invoke(runner, "template", "-o", "新建/../模板.xlsx").exit_code == 0
    assert invoke(runner, "init", "新建/../活动.toml").exit_code == 0
    assert Path("模板.xlsx").is_file() and Path("活动.toml").is_file()


# --- names the system cannot look up ----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["validate", f"{LONG}.xlsx"],
        ["validate", f"收回/{LONG}.xlsx"],
        ["validate", f"{LONG}/城区.xlsx"],
        ["merge", "收回", "-o", f"{LONG}.xlsx"],
        ["merge", "收回", "-o", f"{LONG}/汇总.xlsx"],
        ["merge", f"{LONG}.xlsx", "-o", "汇总.xlsx"],
        ["merge", "收回", "-o", "汇总.xlsx", "--campaign", f"{LONG}.toml"],
        ["generate", "--out", LONG],
        ["generate", "--out", f"{LONG}/下发"],
        ["template", "-o", f"{LONG}.xlsx"],
        ["init", f"{LONG}.toml"],
        ["feedback", "收回", "-o", LONG],
        ["feedback", f"收回/{LONG}.xlsx", "-o", "退回"],
        ["compare", f"{LONG}.xlsx", str(LAST_YEAR)],
        ["compare", str(LAST_YEAR), "收回/城区.xlsx", "-o", f"{LONG}.xlsx"],
        ["summary", f"{LONG}.xlsx"],
        ["summary", str(LAST_YEAR), "--compare", f"{LONG}.xlsx"],
    ],
    ids=lambda args: " ".join(
        a.replace(LONG, "长×100").replace(str(LAST_YEAR), "去年汇总.xlsx") for a in args
    ),
)
def test_a_name_over_255_bytes_is_a_usage_error_in_every_command(
    returned: Path, runner: CliRunner, args: list[str]
) -> None:
    before = snapshot(returned.parent)
    result = invoke(runner, *args)
    _refused(result)
    assert "无法使用路径" in result.output and "名称太长" in result.output
    assert snapshot(returned.parent) == before


def test_a_long_but_valid_output_name_is_written(returned: Path, runner: CliRunner) -> None:
    """A name of 250 bytes is valid; the temporary name beside it used to add 30 and fail."""
    name = "长" * 82 + ".xlsx"  # 251 bytes
    result = invoke(runner, "merge", "收回", "-o", name, "--date", "2023-03-25")
    assert result.exit_code == 0, result.output
    assert Path(name).is_file() and not list(Path().glob(f"*{TEMP_MARK}*"))


# --- output folders that are not folders --------------------------------------------------------


@pytest.mark.parametrize("command", ["feedback", "generate"])
def test_an_output_folder_that_is_a_fifo_is_refused_in_chinese(
    returned: Path, runner: CliRunner, command: str
) -> None:
    os.mkfifo("管道")
    args = ["feedback", "收回", "-o"] if command == "feedback" else ["generate", "--out"]
    result = invoke(runner, *args, "管道", "--force")
    _refused(result)
    assert "输出位置 管道 已存在，但不是文件夹" in result.output
    assert "File exists" not in result.output and Path("管道").is_fifo()


# --- 2. outputs are written as a set or not at all -------------------------------------------


def _replies(folder: Path, out: Path, today: date) -> list[Path]:
    _, _, written = feedback_paths([folder], DEFAULT_CAMPAIGN, out, today=today, deadline=BY)
    return written


@pytest.fixture
def one_form(tmp_path: Path) -> Path:
    """泽州县's form with one value to fix: one 退回 and six 催报, fourteen files."""
    folder = tmp_path / "收回"
    folder.mkdir()
    filled_form(folder / "泽州县.xlsx", **{LAYOUT.value_cell(0): "约20"})
    return folder


def test_a_set_that_cannot_be_placed_whole_leaves_the_folder_as_it_was(
    one_form: Path, tmp_path: Path
) -> None:
    """The seventh of the fourteen cannot be put in place (a folder now has its name): the six
    replaced before it get their old selves back, a new one is removed, and the error names
    the seventh."""
    out = tmp_path / "退回"
    written = _replies(one_form, out, TODAY)
    assert len(written) == 14
    written[2].unlink()  # one of the set is new this time
    blocked = written[6]
    blocked.unlink()
    blocked.mkdir()
    (blocked / "里面.txt").write_text("一个文件夹", encoding="utf-8")
    before = snapshot(out)
    inodes = {p.name: p.stat().st_ino for p in out.iterdir() if p.is_file()}
    newer = [(path, f"{path.name} 新的内容".encode()) for path in written]
    with pytest.raises(Jc315Error) as info:
        write_all(newer, force=True)
    assert info.value.problem.code == "output-not-a-file" and str(blocked) in info.value.message
    assert snapshot(out) == before
    assert {p.name: p.stat().st_ino for p in out.iterdir() if p.is_file()} == inodes
    assert not [p for p in out.iterdir() if KEEP_MARK in p.name or TEMP_MARK in p.name]


def test_a_whole_set_replaces_every_file_and_keeps_nothing_aside(
    one_form: Path, tmp_path: Path
) -> None:
    out = tmp_path / "退回"
    written = _replies(one_form, out, TODAY)
    again = _replies_forced(one_form, out, date(2023, 3, 24))
    assert again == written
    assert "2023年3月24日" in (out / "催报-高平市.txt").read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)


def _replies_forced(folder: Path, out: Path, today: date) -> list[Path]:
    _, _, written = feedback_paths(
        [folder], DEFAULT_CAMPAIGN, out, today=today, deadline=BY, force=True
    )
    return written


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[list[Path]]:
    """Files made immutable (chattr +i): not even root can replace or rename them. Skipped
    where the file system or the user cannot set the flag; the flag is always taken off."""
    made: list[Path] = []
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    try:
        done = subprocess.run(["chattr", "+i", str(probe)], capture_output=True, check=False)
    except FileNotFoundError:
        pytest.skip("chattr is not available")
    if done.returncode != 0:
        pytest.skip("this file system or user cannot make a file immutable")
    subprocess.run(["chattr", "-i", str(probe)], check=True)
    yield made
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_feedback_force_with_a_reply_that_cannot_be_replaced_changes_nothing(
    one_form: Path, tmp_path: Path, runner: CliRunner, immutable: list[Path]
) -> None:
    """The issue's case: one old reply that cannot be replaced (a read-only file for Windows,
    a reply still open in WPS; here immutable, which stops root too). The folder went from 14
    files to 1; now it keeps its 14, byte for byte, and the message names the file."""
    out = tmp_path / "退回"
    written = _replies(one_form, out, TODAY)
    stuck = written[-2]  # late in the set: twelve are replaced before it is reached
    subprocess.run(["chattr", "+i", str(stuck)], check=True)
    immutable.append(stuck)
    before = snapshot(out)
    inodes = {p.name: p.stat().st_ino for p in out.iterdir()}
    result = invoke(runner, "feedback", one_form, "-o", out, "--date", "2023-03-24", "--force")
    _refused(result, 1)
    shown = result.output.replace("\n", "").replace(" ", "")
    assert f"无法写入{stuck}：没有写入权限" in shown and "原有的文件保持不变" in shown
    assert snapshot(out) == before
    assert {p.name: p.stat().st_ino for p in out.iterdir()} == inodes  # the same files


def test_a_name_the_system_refuses_mid_set_undoes_the_set(tmp_path: Path) -> None:
    """The second of two cannot be placed (its name is over 255 bytes; its temporary name is
    bounded, so only the placing fails): the first, already replaced, is put back."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.xlsx").write_bytes(b"old")
    with pytest.raises(Jc315Error) as info:
        write_all([(out / "a.xlsx", b"new"), (out / f"{LONG}.xlsx", b"x")], force=True)
    assert info.value.problem.code == "write-failed" and "文件名太长" in info.value.message
    assert snapshot(out) == {"a.xlsx": b"old"} and str(out / LONG) in info.value.message
