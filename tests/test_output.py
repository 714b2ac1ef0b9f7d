"""What a person reads in an 80-column terminal: every line fits, no English codes, no cell
reference, date or number broken across lines, help never cut with "…" and free of Python type
names; a GBK console never makes a command fail."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from jc315cli.check.validate import validate_paths
from jc315cli.commands.app import app
from jc315cli.commands.merge import merge_paths
from jc315cli.console.render import render_batch, render_merge
from jc315cli.console.wrap import wrap
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.problems.kinds import KINDS
from tests.conftest import EXAMPLES, QUIRKS, ROOT

WIDTH = 80
RUN = re.compile(r"[A-Za-z0-9@._:/\\+#%\-,]")


def console() -> Console:
    return Console(width=WIDTH, file=io.StringIO(), color_system=None, legacy_windows=False)


def text_of(out: Console) -> str:
    assert isinstance(out.file, io.StringIO)
    return out.file.getvalue()


def check_layout(text: str, names: list[str]) -> None:
    lines = text.splitlines()
    for line in lines:
        assert cell_len(line) <= WIDTH, line
    scrubbed = text
    for name in sorted(names, key=len, reverse=True):
        scrubbed = scrubbed.replace(name, "")
    for code in KINDS:
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", scrubbed), code
    for upper, lower in zip(lines, lines[1:], strict=False):
        if upper and lower.strip():
            # Nothing like E1|0, 2023-03-2|5 or 1,20|0 across a line break.
            assert not (RUN.match(upper[-1]) and RUN.match(lower.lstrip()[0])), (upper, lower)


WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def check_word_breaks(narrow: str, wide: str) -> None:
    """Every line break of `narrow` falls between words or after punctuation: where two word
    characters meet across a break (填|报日期, 约|50), `wide`, the same rendered without
    wrapping, has a space or a line break between them too."""
    lines = [x.replace("│", " ").rstrip() for x in narrow.splitlines()]
    for upper, lower in zip(lines, lines[1:], strict=False):
        if not (upper.strip() and lower.strip()):
            continue
        if WORD.match(upper[-1]) and WORD.match(lower.lstrip()[0]):
            before, after = upper.split()[-1], lower.split()[0]
            joined = re.escape(before) + r"[\s│]+" + re.escape(after)
            assert re.search(joined, wide), (upper, lower)


def every_kind_of_problem() -> list[Path]:
    return [EXAMPLES, *sorted(p for p in QUIRKS.iterdir() if p.is_file())]


def test_validate_output_fits_80_columns() -> None:
    paths = every_kind_of_problem()
    report = validate_paths(paths, DEFAULT_CAMPAIGN)
    out = console()
    render_batch(out, report)
    text = text_of(out)
    check_layout(text, [Path(f.path).name for f in report.files])
    wide = Console(width=5000, file=io.StringIO(), color_system=None, legacy_windows=False)
    render_batch(wide, report)
    check_word_breaks(text, text_of(wide))
    assert "× E9 接受投诉情况：" in text  # a problem line: mark, cell, item, message
    assert len({p.code for f in report.files for p in f.problems}) > 25  # many kinds shown


def test_verbose_adds_the_codes(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(QUIRKS / "bad-values.xlsx"), "--verbose"])
    assert "[not-whole]" in result.output


def test_merge_output_fits_80_columns(tmp_path: Path) -> None:
    plan = merge_paths(
        [EXAMPLES], DEFAULT_CAMPAIGN, tmp_path / "o.xlsx", filled_on=date(2023, 3, 25)
    )
    out = console()
    render_merge(out, DEFAULT_CAMPAIGN, plan, tmp_path / "o.xlsx")
    check_layout(text_of(out), [Path(f.path).name for f in plan.report.files] + [str(tmp_path)])


@pytest.mark.parametrize(
    "command",
    ["", "init", "template", "generate", "validate", "merge", "feedback", "summary", "compare"],
)
def test_help_at_80_columns_is_whole_and_plain(command: str) -> None:
    def help_at(columns: int) -> str:
        env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
        env["PYTHONPATH"] = str(ROOT / "src")
        args = [sys.executable, "-m", "jc315cli", *([command] if command else []), "--help"]
        return subprocess.run(args, capture_output=True, text=True, env=env, check=True).stdout

    text = help_at(WIDTH)
    check_word_breaks(text, help_at(2000))
    assert "--out " not in text  # the old spelling still works, never shown
    assert "…" not in text
    for python_word in ("<bool>", "<list", "<str>", "<file>", "<path>", "{", "[OPTIONS]", "Path]"):
        assert python_word not in text, python_word
    for line in text.splitlines():
        assert cell_len(line) <= WIDTH
        assert not re.match(r"^[│ ]*[，。、；：）]", line), line  # no line opens with punctuation


def test_a_gbk_console_never_raises(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONIOENCODING": "gbk",
        "PYTHONPATH": str(ROOT / "src"),
        "COLUMNS": "80",
    }
    for args in (["validate", str(QUIRKS / "bad-values.xlsx"), str(EXAMPLES)], ["--help"]):
        result = subprocess.run(
            [sys.executable, "-m", "jc315cli", *args], capture_output=True, env=env
        )
        assert result.returncode in (0, 1) and b"Traceback" not in result.stderr
        assert "接受投诉情况".encode("gbk") in result.stdout or args == ["--help"]


def test_wrap_breaks_between_words_only() -> None:
    """Chinese breaks at a space or after punctuation, never inside 填报日期 or 约50; a run
    longer than a line is the only thing cut, between its characters, never inside a number."""
    text = "× 阳城县-修改.xlsx  未通过  阳城县市场监督管理局  填报日期 2023-03-21，“约50”是约数"
    for width in range(24, 90):
        lines = wrap(text, width, 4)
        joined = "".join(line.strip() for line in lines)
        for word in ("填报日期", "“约50”是约数", "阳城县市场监督管理局", "2023-03-21"):
            assert word in joined, (width, lines)
        assert all(cell_len(line) <= width for line in lines)
    long = "请于2023年3月25日前将E10单元格改为1,234.5678并联系0356-2025287"
    lines = wrap(long, 20)
    assert all(cell_len(line) <= 20 for line in lines) and len(lines) > 1
    assert "1,234.5678" in "".join(lines) and "0356-2025287" in "".join(lines)


def test_wrap_keeps_runs_and_punctuation() -> None:
    lines = wrap("请于2023年3月25日前将E10单元格改为 1,234.5678，联系电话0356-2025287。", 20, 2)
    assert all(cell_len(line) <= 20 for line in lines)
    joined = "".join(line.strip() for line in lines)
    assert "0356-2025287" in joined and "1,234.5678" in joined
    assert not any(line.strip()[:1] in "，。" for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])


def test_printed_side_sheets_are_at_least_9_pt(tmp_path: Path) -> None:
    """报送情况 and 问题清单 print at 100 % (no shrinking to fit), landscape A4, every column on
    the page, every font 9 pt or more, the header repeated, page numbers in the footer."""
    from openpyxl import load_workbook

    from jc315cli.write.page_fit import column_widths, print_range, printed_size
    from jc315cli.write.side_sheets import fits_on_page

    out = tmp_path / "o.xlsx"
    merge_paths([EXAMPLES], DEFAULT_CAMPAIGN, out, filled_on=date(2023, 3, 25))
    wb = load_workbook(out)
    for name in ("报送情况", "问题清单"):
        ws = wb[name]
        assert (
            ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"  # A4
        )
        assert ws.sheet_properties.pageSetUpPr is not None
        assert (
            not ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.scale or 100) == 100
        )
        printed = print_range(ws)[2]
        widths = column_widths(ws, 1, printed)
        assert len(widths) == (11 if name == "报送情况" else 10)  # with 活动总结 and 图片资料
        assert fits_on_page(widths) and printed_size(ws) >= 9
        assert ws.print_title_rows == "$2:$2"
        assert ws.oddFooter is not None and "&P" in (ws.oddFooter.center.text or "")
    status = wb["报送情况"]
    # The file's SHA-256 whole, in the last column, which is not printed
    assert str(status.cell(row=2, column=12).value).startswith("文件的 SHA-256")
    hashes = [row[11].value for row in status.iter_rows(min_row=3) if row[11].value]
    assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", str(h)) for h in hashes)
    issues = wb["问题清单"]
    kinds = {str(row[5].value).replace("\n", "") for row in issues.iter_rows(min_row=3)}
    assert "提示·逾期" in kinds and not any(re.search(r"[a-z]-[a-z]", str(k)) for k in kinds)
    places = [row[3].value for row in issues.iter_rows(min_row=3)]
    assert all(places) and "统计表!C4" in places


def test_the_detail_sheet_shows_every_reporter(tmp_path: Path) -> None:
    import shutil

    from openpyxl import load_workbook

    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    next(folder.glob("*开发区*")).unlink()
    out = tmp_path / "o.xlsx"
    merge_paths([folder], DEFAULT_CAMPAIGN, out, filled_on=date(2023, 3, 25))
    header = [c.value for c in load_workbook(out)["分单位明细"][2]]
    assert "开发区（未报送）" in header and len(header) == 4 + 7 + 1


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["validate", str(EXAMPLES), "--format", "xml"], "“xml”不是可选的值"),
        (["merge", str(EXAMPLES), "-o", str(EXAMPLES)], "是文件夹，这里要的是文件"),
        (["generate", "--out", str(ROOT / "README.md")], "是文件，这里要的是文件夹"),
    ],
)
def test_usage_errors_from_the_parser_are_chinese(
    runner: CliRunner, args: list[str], said: str
) -> None:
    result = runner.invoke(app, args)
    flat = re.sub(r"[\s│╭╮╰╯─]", "", result.output)  # the error panel wraps its text
    assert result.exit_code == 2 and re.sub(r"\s", "", said) in flat
    for english in ("Valueerror", "isnotoneof", "isadirectory", "isafile"):
        assert english not in flat


def test_a_very_long_cell_is_quoted_by_its_start_and_length(tmp_path: Path) -> None:
    from tests.conftest import filled_form

    path = filled_form(tmp_path / "长.xlsx", E9="字" * 40000)
    report = validate_paths([path], DEFAULT_CAMPAIGN)
    out = console()
    render_batch(out, report)
    text = text_of(out)
    assert re.search(r"…\s*（共 \d{5} 字）", text) and len(text) < 2000


def test_a_problem_reads_the_same_in_the_listing_and_in_a_refused_report() -> None:
    """One formatter (problems/lines.py) for `validate`'s listing and for the cells a refused
    report names: the same words, the refusal naming the sheet as well (its lines stand alone)."""
    from jc315cli.check.validate import validate_file
    from jc315cli.console.render import file_lines
    from jc315cli.figures.read_back import read_report
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.problems.lines import problem_line

    bad = QUIRKS / "bad-values.xlsx"
    errors = validate_file(bad, DEFAULT_CAMPAIGN).errors
    assert len(errors) == 8
    listed = [line.text for line in file_lines(validate_file(bad, DEFAULT_CAMPAIGN))]
    with pytest.raises(Jc315Error) as refusal:
        read_report(bad, DEFAULT_CAMPAIGN)
    for p in errors:
        line = problem_line(p)
        assert line.startswith(f"{p.cell} {p.label}：")
        assert f"  × {line}" in listed
        assert f"  × {problem_line(p, sheet=True)}" in refusal.value.message.splitlines()
        assert problem_line(p, sheet=True) == f"{p.sheet}!{line}"
        assert problem_line(p, code=True) == f"{line} [{p.code}]"


def test_one_option_name_per_meaning(tmp_path: Path, runner: CliRunner) -> None:
    """Every command that writes takes -o/--output (the old --out still works, unshown); no
    option of one meaning is spelled two ways across the commands."""
    import typer.main

    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    spellings: dict[str, set[tuple[str, ...]]] = {}
    for command in commands.values():
        for param in command.params:
            if param.param_type_name == "option":
                spellings.setdefault(str(param.name), set()).add(tuple(sorted(param.opts)))
    writers = {n for n, c in commands.items() if any(p.name == "output" for p in c.params)}
    assert writers == {"template", "generate", "merge", "feedback", "compare"}
    assert spellings["output"] == {("--out", "--output", "-o")}
    assert all(len(forms) == 1 for forms in spellings.values()), spellings
    out = tmp_path / "汇总.xlsx"
    merged = runner.invoke(app, ["merge", str(EXAMPLES), "--out", str(out), "--date", "2023-03-25"])
    assert merged.exit_code == 0 and out.exists()
    missing = runner.invoke(app, ["merge", str(EXAMPLES)])  # outside a collection folder
    assert (
        missing.exit_code == 2
        and "--out" not in missing.output
        and "-o 汇总.xlsx" in missing.output
    )


@pytest.mark.parametrize(
    "name", ["pasted-no-identity-libreoffice.ods", "pasted-no-identity.xlsx", "filled-valid.xlsx"]
)
def test_a_clean_file_takes_one_line_whatever_its_format(runner: CliRunner, name: str) -> None:
    out = console()
    render_batch(out, validate_paths([QUIRKS / name], DEFAULT_CAMPAIGN), DEFAULT_CAMPAIGN)
    head, blank, *_ = text_of(out).splitlines()
    assert head.startswith(f"√ {name}  通过  泽州县  填报日期 2023-03-20") and blank == ""


def test_a_generated_name_is_not_followed_by_the_same_reporter(tmp_path: Path) -> None:
    """A file named as `generate` names it says whose it is: the line does not say it again,
    and fits 80 columns in every format."""
    for suffix in (".xlsx", ".ods"):
        path = tmp_path / f"2023年3·15活动情况统计表-泽州县市场监督管理局{suffix}"
        shutil.copy(
            QUIRKS / f"pasted-no-identity{'-libreoffice' if suffix == '.ods' else ''}{suffix}", path
        )
        out = console()
        render_batch(out, validate_paths([path], DEFAULT_CAMPAIGN), DEFAULT_CAMPAIGN)
        head, blank, *_ = text_of(out).splitlines()
        assert head == f"√ {path.name}  通过  填报日期 2023-03-20" and blank == "", head
