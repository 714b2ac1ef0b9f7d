"""The options and arguments the commands share, in one place, each with its Chinese help and
metavar (what `--help` shows instead of a Python type), and the two small conversions they
share: a date typed on the command line, and JSON written to stdout."""

from __future__ import annotations

import re
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from jc315cli.console.json_text import indented_json
from jc315cli.problems.shown import invisible

CampaignOption = Annotated[
    Path | None,
    typer.Option(
        "--campaign",
        "-c",
        help="活动配置文件（TOML）；不给则用所在收集文件夹的 jc315.toml，"
        "不在收集文件夹中则用内置的 2023 年晋城市配置",
        metavar="配置文件",
        dir_okay=False,
    ),
]
LastCampaignOption = Annotated[
    Path | None,
    typer.Option(
        "--last-campaign",
        help="上次报表所用的活动配置文件（TOML）；不给则用内置的 2023 年晋城市配置",
        metavar="配置文件",
        dir_okay=False,
    ),
]
LastYearOption = Annotated[
    Path | None,
    typer.Option(
        "--last-year",
        help="上年的汇总表（jc315 merge 写出的），或上年的收集文件夹：每个单位的数与它自己上年的数比较，"
        "相差过大或完全相同的须核实；不给则用活动配置中的 last_year（没有则不比较）",
        metavar="汇总表或文件夹",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", "-f", help="覆盖已存在的文件")]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", help="每条问题后附上它的代码（如 not-a-number），便于查文档")
]


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="输出格式：table 为表格（给人看），json 为 JSON（给程序用）",
        metavar="table|json",
    ),
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="收回的统计表文件或文件夹（在收集文件夹中可不给）：文件夹内的 .xlsx/.xlsm/.xls/.ods/.et 都会读取，"
        "活动总结、图片等材料按文件名中的单位名称归属；以单位命名的子文件夹（如 泽州县/）"
        "也会读取，其中的材料都归该单位；其他子文件夹不读取（旧版本可放进“旧版/”）",
        metavar="文件或文件夹",
    ),
]


def print_json(data: object) -> None:
    """JSON on stdout, every text whole: the one place a 900 KB version string is printed in
    full. A character that would hide or reorder what is read (U+202E, U+200B, U+2028, a
    private-use glyph, a lone surrogate from a file name that is not valid UTF-8) is written as
    its \\u escape, which every JSON reader turns back into it, never as itself."""
    text = indented_json(data) + "\n"  # json.dumps(data, ensure_ascii=False, indent=2)
    # (each kind of character looked at once, not each time it is found: "·" a file)
    if any(invisible(ch) for ch in set(_NOT_ASCII.findall(text))):
        text = _NOT_ASCII.sub(_escape, text)
    sys.stdout.write(text)


# What json.dumps leaves as itself and could be invisible: not printable ASCII, not one of the
# common Chinese characters (U+4E00–U+9FA5, all letters since Unicode 1.1), checked one by one.
_NOT_ASCII = re.compile(r"[^\x00-\x7e\u4e00-\u9fa5]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if not invisible(ch):
        return ch
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the first plane: a surrogate pair, as JSON writes it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def parse_date(text: str | None, option: str = "--date") -> date:
    """--date as a person writes a date (2023-03-25, 2023年3月25日); never a bare number, and
    within the years of bounds.py, so a date nine thousand years ahead is a typing slip said
    as such, not an overflow three days later."""
    if text is None:
        return date.today()
    from jc315cli.check.dates import parse_text_date
    from jc315cli.model.bounds import FIRST_DAY, LAST_DAY, in_range
    from jc315cli.problems.report import clip, visible

    day = parse_text_date(text)
    if day is None:
        raise typer.BadParameter(
            f"无法识别的日期“{visible(clip(text))}”，请写作 2023-03-25", param_hint=option
        )
    if not in_range(day):
        raise typer.BadParameter(
            f"日期 {day.isoformat()} 不在 {FIRST_DAY} 至 {LAST_DAY} 之间", param_hint=option
        )
    return day
