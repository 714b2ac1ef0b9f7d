"""A campaign file's mistakes, explained in Chinese with the line, its text and a fitting hint;
and outputs whose name says what they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jc315cli.model.bounds import MAX_BYTES
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign_file import campaign_to_toml, load_campaign
from jc315cli.problems.errors import Jc315Error
from tests.conftest import EXAMPLES, invoke

TEXT = campaign_to_toml(DEFAULT_CAMPAIGN)


@pytest.mark.parametrize(
    ("old", "new", "said", "hint"),
    [
        (
            "deadline = 2023-03-22",
            "deadline = 2023-3-22",
            "deadline = 2023-3-22",
            "日期写成 2023-03-22",
        ),
        (
            "deadline = 2023-03-22",
            "deadline = 2023年3月22日",
            "deadline = 2023年3月22日",
            "日期写成 2023-03-22",
        ),
        (
            'organizer = "晋城市市场监督管理局"',
            "organizer = “晋城市市场监督管理局”",
            "organizer = “",
            "请用英文双引号",
        ),
        (
            'organizer = "晋城市市场监督管理局"',
            "organizer = 晋城市市场监督管理局",
            "organizer = 晋城",
            "文字要用英文双引号括起来",
        ),
        ("year = 2023", "year ＝ 2023", "year ＝ 2023", "英文等号"),
    ],
)
def test_syntax_mistakes_name_the_line_and_fit_the_hint(
    tmp_path: Path, runner: CliRunner, old: str, new: str, said: str, hint: str
) -> None:
    assert old in TEXT
    text = TEXT.replace(old, new, 1)
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    number = next(
        i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(new[:6])
    )
    result = invoke(runner, "validate", EXAMPLES, "--campaign", path)
    assert result.exit_code == 2
    assert (
        f"第 {number} 行有误" in result.output and said in result.output and hint in result.output
    )
    for english in ("Invalid", "Expected", "at line", "column", "TOML:"):
        assert english not in result.output


# Each way a campaign file can be wrong, and its code: (what the file is, what the message says).
CAMPAIGN_MISTAKES = {
    "campaign-not-found": (None, "找不到活动配置文件："),
    "campaign-not-a-file": ("folder", "不是普通文件"),
    "campaign-unreadable": ("/proc/self/mem", "无法读取活动配置文件 /proc/self/mem："),
    "campaign-too-large": (b"#" * (MAX_BYTES + 1), "超过 1 MB，不像是活动配置文件"),
    "campaign-not-unicode": (b'year = "\xb6\xfe"', "不是 UTF-8 编码的文本"),
    "campaign-not-toml": ("year = [1,", "不是有效的 TOML：这一行的值无法识别"),
    "campaign-syntax": ("year = = 2023", "第 1 行有误：这一行的值无法识别\n  1 | year = = 2023"),
    "campaign-too-deep": ("year = " + "[" * 1000 + "]" * 1000, "一层套一层，超过 8 层"),
    "campaign-beyond-bounds": (
        TEXT.replace('version = "2023.1"', f'version = "{"9" * 101}"'),
        "form.version：太长，有 101 个字，最多 100 个字",
    ),
    "campaign-invisible-characters": (
        TEXT.replace('organizer = "晋城', 'organizer = "\\u202e晋城', 1),
        "organizer：含有看不见的控制字符 U+202E",
    ),
    "campaign-invalid": (TEXT.replace("year = 2023", 'year = "二〇二三"'), "year：应为整数"),
}


@pytest.mark.parametrize("code", CAMPAIGN_MISTAKES)
def test_each_mistake_of_a_campaign_file_is_its_own_kind(tmp_path: Path, code: str) -> None:
    """Every way a campaign file is refused is a registered code with its own words, and a
    usage error (exit 2): the command was given the wrong file, nothing was read or written."""
    content, said = CAMPAIGN_MISTAKES[code]
    path = tmp_path / "c.toml"
    if content == "folder":
        path.mkdir()
    elif content == "/proc/self/mem":  # a regular file whose first page cannot be read (EIO)
        if not Path(content).is_file():
            pytest.skip("no /proc here")
        path = Path(content)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(Jc315Error) as refused:
        load_campaign(path)
    problem = refused.value.problem
    assert (problem.code, refused.value.exit_code) == (code, 2)
    assert said in problem.message and problem.hint, problem.message
    assert str(path) in problem.message


def test_an_unknown_key_lists_the_keys_allowed_there(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        TEXT.replace('short_name = "泽州县"', 'short_name = "泽州县"\nphon = "1"', 1),
        encoding="utf-8",
    )
    result = invoke(runner, "validate", EXAMPLES, "--campaign", path)
    assert result.exit_code == 2 and "reporters.2.phon：不认识的字段" in result.output
    assert "可用的有：name、short_name、aliases、contact、phone、email" in result.output


@pytest.mark.parametrize("command", ["merge", "template"])
def test_outputs_must_be_xlsx(tmp_path: Path, runner: CliRunner, command: str) -> None:
    args = [EXAMPLES] if command == "merge" else []
    result = invoke(runner, command, *args, "-o", tmp_path / "汇总.csv")
    assert result.exit_code == 2 and "扩展名不是 .xlsx" in result.output
    assert not (tmp_path / "汇总.csv").exists()


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (
            'category = "接受投诉情况"',
            'category = "接受咨询情况。"',
            "第 3 项和第 4 项的名称实际相同",
        ),
        ('suffixes = ["万"]', 'suffixes = ["万", "元"]', "既是计量单位“万元”的写法又要换算"),
        (
            'short_name = "高平市"',
            'short_name = "泽州　县"',  # an ideographic space: read as 泽州县, another unit
            "名称“泽州　县”与“泽州县”同时属于第 2 个",
        ),
        ('short_name = "高平市"', 'short_name = "泽州县"', "名称“泽州县”同时属于第 2 个"),
    ],
)
def test_a_form_a_reader_could_not_tell_apart_is_refused(
    tmp_path: Path, runner: CliRunner, old: str, new: str, said: str
) -> None:
    assert old in TEXT
    path = tmp_path / "c.toml"
    path.write_text(TEXT.replace(old, new, 1), encoding="utf-8")
    result = invoke(runner, "generate", "--out", tmp_path / "out", "--campaign", path)
    assert result.exit_code == 2 and said in result.output and not (tmp_path / "out").exists()
