"""Trust at the edges: hostile and clumsy inputs, each built here as a real file.

Every case is listed in docs/reliability.md with what the tool does. The bound the issue asks
for (no input up to 10 MB takes more than 5 s or 300 MB, aborts, or stops the other files) is
checked here by running the command in a child process with those limits.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jc315cli.check.validate import validate_file, validate_paths
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.model.campaign import Campaign
from jc315cli.model.layout import FORM_SHEET, LAYOUT
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import FileReport
from jc315cli.read.zipped import inflate_members
from tests.conftest import EXAMPLES, QUIRKS, ROOT, filled_form, invoke, lines_run

ZEZHOU = "泽州县市场监督管理局"
SHEET = "xl/worksheets/sheet1.xml"


def filled(path: Path, **cells: str | int | float | date) -> Path:
    return filled_form(path, **cells)


def rezip(
    data: bytes, replace: Mapping[str, bytes], *, add: Mapping[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def hostile_sheet(tmp_path: Path, name: str, edit: str, new: str) -> Path:
    base = filled(tmp_path / f"base-{name}")
    xml = member(base, SHEET).decode("utf-8")
    assert edit in xml
    path = tmp_path / name
    path.write_bytes(rezip(base.read_bytes(), {SHEET: xml.replace(edit, new, 1).encode("utf-8")}))
    return path


def problems_of(path: Path) -> dict[str, FileReport]:
    return {f.path: f for f in validate_paths([path], DEFAULT_CAMPAIGN).files}


def codes(report: FileReport) -> set[str]:
    return {p.code for p in report.problems}


# --- a number that is not there is never counted ---------------------------------------------


def test_formula_without_a_saved_result_is_an_error_not_a_zero(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = filled(tmp_path / "公式.xlsx", E9="=800+62")  # openpyxl saves no cached value
    report = validate_file(path, DEFAULT_CAMPAIGN)
    problem = next(p for p in report.problems if p.code == "formula-no-value")
    assert (problem.cell, problem.item, report.status) == ("E9", "4", "invalid")
    assert "重新保存" in problem.hint and "4" not in report.values
    result = invoke(runner, "merge", path, "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 1 and not (tmp_path / "o.xlsx").exists()


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A"])
def test_error_values_are_errors(tmp_path: Path, error: str) -> None:
    path = hostile_sheet(
        tmp_path,
        "错误值.xlsx",
        '<c r="E9" s="',
        f'<c r="E9" t="e"><v>{error}</v></c><c r="X99" s="',
    )
    report = validate_file(path, DEFAULT_CAMPAIGN)
    problem = next(p for p in report.problems if p.code == "error-value")
    assert (problem.cell, problem.value) == ("E9", error) and error in problem.message
    assert report.status == "invalid" and "4" not in report.values


@pytest.mark.parametrize(
    "name", ["error-libreoffice.ods", "error-libreoffice.xlsx", "formula-libreoffice.ods"]
)
def test_libreoffice_saved_errors_and_formulas(name: str) -> None:
    """Made by tests/fixtures/make_hostile.py through LibreOffice: =1/0 in E9 (a cached error),
    and in formula-libreoffice.ods a formula whose result was stripped."""
    report = validate_file(QUIRKS / name, DEFAULT_CAMPAIGN)
    assert report.status == "invalid"
    assert codes(report) & {"error-value", "formula-no-value"}
    assert "4" not in report.values


def test_a_libreoffice_false_saved_as_zero_is_a_logical_value() -> None:
    report = validate_file(QUIRKS / "boolean-libreoffice.ods", DEFAULT_CAMPAIGN)
    problem = next(p for p in report.problems if p.code == "logical-value")
    assert (problem.cell, problem.value, report.status) == ("E9", "FALSE", "invalid")
    assert "4" not in report.values


def test_an_item_label_twice_even_in_a_hidden_row_is_an_error_naming_both(tmp_path: Path) -> None:
    path = filled(tmp_path / "隐藏行.xlsx", E9=48)
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    ws["B22"], ws["E22"] = "接受投诉情况", 999  # an old row kept out of sight
    ws.row_dimensions[22].hidden = True
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    problem = next(p for p in report.problems if p.code == "duplicate-label")
    assert problem.item == "4" and "B9、B22" in problem.message
    assert "4" not in report.values and report.status == "invalid"


def test_two_copies_of_the_table_on_one_sheet_are_an_error_naming_both(tmp_path: Path) -> None:
    path = filled(tmp_path / "两份.xlsx")
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    for row in range(LAYOUT.header_row, LAYOUT.item_row(11) + 1):
        for col in range(1, 6):  # side by side: A..E copied to G..K
            value: Any = ws.cell(row=row, column=col).value
            ws.cell(row=row, column=col + 6, value=value)
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    (problem,) = report.problems
    assert problem.code == "ambiguous-form-copy" and "E5、K5" in problem.message


# --- one small file cannot stop or swamp a run -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("far-cell.xlsx", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
        ("tall-cell.xlsx", '<row r="1048576"><c r="AZ1048576"><v>1</v></c></row>'),
        ("wide-cell.xlsx", '<row r="100"><c r="XFD100"><v>1</v></c></row>'),
    ],
)
def test_a_far_away_cell_is_refused_before_the_reader(
    tmp_path: Path, name: str, extra: str
) -> None:
    path = hostile_sheet(tmp_path, name, "</sheetData>", extra + "</sheetData>")
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "unreadable" and "不像是统计表" in report.problems[0].message


def test_a_huge_shared_string_count_is_refused(tmp_path: Path) -> None:
    base = filled(tmp_path / "base.xlsx")
    strings = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' count="4294967295" uniqueCount="4294967295"><si><t>x</t></si></sst>'
    )
    path = tmp_path / "strings.xlsx"
    path.write_bytes(rezip(base.read_bytes(), {}, add={"xl/sharedStrings.xml": strings}))
    assert validate_file(path, DEFAULT_CAMPAIGN).status == "unreadable"


def test_a_zip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    base = filled(tmp_path / "base.xlsx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base.read_bytes())) as src, zipfile.ZipFile(bomb, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename), zipfile.ZIP_DEFLATED)
        dst.writestr("xl/media/zeros.bin", b"\0" * (64 * 1024 * 1024), zipfile.ZIP_DEFLATED, 9)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb.getvalue())
    assert path.stat().st_size < 1024 * 1024
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "unreadable" and "解压后超过" in report.problems[0].message


def test_what_is_kept_of_checked_members_stays_small(tmp_path: Path) -> None:
    """Checked members are kept for the batch's other forms, but only small ones: 20 MB of
    zeros in a member compresses to 20 KB, and 256 such members kept would be 5 GB."""
    from jc315cli.read import zipped

    base = filled(tmp_path / "base.xlsx")
    padded = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base.read_bytes())) as src:
        with zipfile.ZipFile(padded, "w") as dst:
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info.filename), zipfile.ZIP_DEFLATED)
            dst.writestr("xl/media/zeros.bin", b"\0" * (20 * 1024 * 1024), zipfile.ZIP_DEFLATED, 9)
    path = tmp_path / "padded.xlsx"
    path.write_bytes(padded.getvalue())
    assert validate_file(path, DEFAULT_CAMPAIGN).status == "valid"
    kept = zipped._INFLATED.values()
    assert kept and max(len(content) for content in kept) <= 64 * 1024


def test_a_member_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    base = filled(tmp_path / "base.xlsx")
    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    # The central directory entry's "uncompressed size" field: claim 100 bytes.
    central = data.rfind(
        b"PK\x01\x02" + bytes(data[data.find(b"PK\x01\x02") + 4 : data.find(b"PK\x01\x02") + 4])
    )
    index = 0
    while True:
        index = data.find(b"PK\x01\x02", index)
        name_len = int.from_bytes(data[index + 28 : index + 30], "little")
        if data[index + 46 : index + 46 + name_len] == SHEET.encode():
            break
        index += 4
    assert central >= 0 and info.file_size > 100
    data[index + 24 : index + 28] = (100).to_bytes(4, "little")
    path = tmp_path / "lying.xlsx"
    path.write_bytes(bytes(data))
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "unreadable"


def test_an_ods_row_repeated_a_million_times_is_refused(tmp_path: Path) -> None:
    source = QUIRKS / "filled-valid-libreoffice.ods"
    content = member(source, "content.xml").decode("utf-8")
    marker = "<table:table-row"
    start = content.index(marker)
    repeated = (
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell office:value-type="float"'
        ' office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
    )
    path = tmp_path / "repeat.ods"
    path.write_bytes(
        rezip(
            source.read_bytes(),
            {"content.xml": (content[:start] + repeated + content[start:]).encode()},
        )
    )
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "unreadable" and "重复" in report.problems[0].message


def test_a_truncated_ods_is_damaged(tmp_path: Path) -> None:
    data = (QUIRKS / "filled-valid-libreoffice.ods").read_bytes()
    path = tmp_path / "cut.ods"
    path.write_bytes(data[: len(data) * 2 // 3])
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "unreadable" and "损坏" in report.problems[0].message


def test_a_file_over_10_mb_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK" + b"\0" * (11 * 1024 * 1024))
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "unreadable" and "MB" in report.problems[0].message
    assert len(report.sha256) == 64  # still hashed, so 报送情况 can name it


def test_a_non_utf8_file_name_reads(tmp_path: Path) -> None:
    good = filled(tmp_path / "good.xlsx")
    name = os.fsdecode(b"\xff\xfe-" + "泽州县".encode("gbk") + b".xlsx")
    path = tmp_path / name
    path.write_bytes(good.read_bytes())
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "valid" and report.reporter == ZEZHOU


def _largest_high_water_mark(pid: int) -> int:
    """The largest resident high-water mark (VmHWM) of `pid` and the processes below it."""
    largest, todo = 0, [pid]
    while todo:
        proc = Path(f"/proc/{todo.pop()}")
        try:
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    largest = max(largest, int(line.split()[1]) * 1024)
            for task in (proc / "task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # it ended while we looked
    return largest


def _bounded(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run jc315 in a child with the issue's bounds: 5 s of CPU and an address-space ceiling,
    then check the wall time (5 s) and the peak resident memory of every process it ran,
    workers included (300 MB)."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (5, 5))
        resource.setrlimit(resource.RLIMIT_AS, (600 * 1024 * 1024, 600 * 1024 * 1024))

    started = time.monotonic()
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "jc315cli", *args],
            stdout=stdout,
            stderr=stderr,
            text=True,
            preexec_fn=limits,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        peak = 0  # sampled: wait4's ru_maxrss would carry this test process's own peak in
        while True:
            pid, status, _ = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _largest_high_water_mark(child.pid))
            time.sleep(0.002)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert time.monotonic() - started < 5, "over the 5 s bound"
    assert 0 < peak < 300 * 1024 * 1024, f"{peak // 2**20} MB"
    return subprocess.CompletedProcess(
        child.args,
        child.returncode,
        out.read_text(encoding="utf-8"),
        err.read_text(encoding="utf-8"),
    )


def test_one_hostile_file_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for source in EXAMPLES.iterdir():
        if source.suffix in (".xlsx", ".xls") and "陵川" not in source.name:
            (folder / source.name).write_bytes(source.read_bytes())
    hostile = hostile_sheet(
        tmp_path,
        "陵川县.xlsx",
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>',
    )
    (folder / "陵川县.xlsx").write_bytes(hostile.read_bytes())
    out = tmp_path / "o.xlsx"
    result = _bounded(
        [
            "merge",
            str(folder),
            "-o",
            str(out),
            "--skip-invalid",
            "--date",
            "2023-03-25",
            "--format",
            "json",
        ],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["included"]) == 6 and [r["path"] for r in data["rejected"]] == [
        str(folder / "陵川县.xlsx")
    ]
    assert out.exists()


def test_cells_without_an_address_are_bounded_too(tmp_path: Path) -> None:
    """A cell may leave out its address (it follows the one before): 20,000 of them in one row
    run past the last column Excel knows, and are counted as cells all the same."""
    cells = "<c><v>1</v></c>" * 20_000
    path = hostile_sheet(tmp_path, "wide.xlsx", "</sheetData>", f"<row>{cells}</row></sheetData>")
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "unreadable" and "单元格地址超出" in report.problems[0].message


def test_many_header_rows_take_linear_time(tmp_path: Path) -> None:
    """4,000 rows each holding 数量 and an item label: refused as an ambiguous copy, quickly."""
    rows = "".join(
        f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>接受投诉情况</t></is></c>'
        f'<c r="E{r}" t="inlineStr"><is><t>数量</t></is></c></row>'
        for r in range(30, 4030)
    )
    path = hostile_sheet(tmp_path, "rows.xlsx", "</sheetData>", rows + "</sheetData>")
    result = _bounded(["validate", str(path), "--format", "json"], tmp_path)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["files"][0]["status"] == "invalid"


def test_long_strings_are_refused_or_read_within_bounds(tmp_path: Path) -> None:
    text = "字" * 32767
    rows = "".join(
        f'<row r="{r}"><c r="G{r}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for r in range(30, 2030)
    )
    path = hostile_sheet(tmp_path, "long.xlsx", "</sheetData>", rows + "</sheetData>")
    result = _bounded(["validate", str(path), "--format", "json"], tmp_path)
    assert (
        result.returncode == 1 and json.loads(result.stdout)["files"][0]["status"] == "unreadable"
    )


def test_the_crc_of_a_member_is_checked(tmp_path: Path) -> None:
    base = filled(tmp_path / "base.xlsx")
    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    body = zlib.decompress(bytes(data[start : start + info.compress_size]), -15)
    assert body.startswith(b"<worksheet")
    data[start + info.compress_size // 2] ^= 0xFF
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    assert validate_file(path, DEFAULT_CAMPAIGN).status == "unreadable"


def test_a_zip_asking_for_a_newer_zip_version_is_unreadable(tmp_path: Path) -> None:
    """A central directory entry saying it needs zip version 8.4 (found by fuzzing an .ods):
    Python's zipfile raises NotImplementedError, not BadZipFile."""
    data = bytearray(filled(tmp_path / "base.xlsx").read_bytes())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6 : entry + 8] = (84).to_bytes(2, "little")  # version needed to extract
    path = tmp_path / "newer.xlsx"
    path.write_bytes(bytes(data))
    assert validate_file(path, DEFAULT_CAMPAIGN).status == "unreadable"


def test_a_member_many_forms_share_is_checked_in_each(tmp_path: Path) -> None:
    """Members the forms of one template share are inflated once per batch; a copy of one
    whose bytes differ (here the styles, one byte flipped) is still inflated and checked."""
    base = filled(tmp_path / "base.xlsx")
    assert validate_file(base, DEFAULT_CAMPAIGN).status == "valid"  # its members now known
    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/styles.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    with pytest.raises(Jc315Error):  # the check itself, not only calamine after it
        inflate_members(bytes(data))
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    assert validate_file(path, DEFAULT_CAMPAIGN).status == "unreadable"
    assert validate_file(base, DEFAULT_CAMPAIGN).status == "valid"


# --- text from files is inert everywhere -----------------------------------------------------

ESC = "\x1b[2J"  # clear-screen, if it ever reached a terminal
BIDI = "\u202e"  # right-to-left override


def test_control_characters_reach_neither_terminal_nor_workbook(
    tmp_path: Path, runner: CliRunner
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for source in EXAMPLES.iterdir():
        if source.suffix == ".xlsx" and "泽州" not in source.name:
            (folder / source.name).write_bytes(source.read_bytes())
    hostile = hostile_sheet(
        tmp_path,
        "base.xlsx",
        '<c r="C3" s="4" t="inlineStr"><is><t>泽州县市场监督管理局</t></is></c>',
        f'<c r="C3" s="4" t="inlineStr"><is><t>泽州县市场监督管理局_x001B_{BIDI}</t></is></c>',
    )
    (folder / f"泽州县{ESC}{BIDI}.xlsx").write_bytes(hostile.read_bytes())
    shown = invoke(runner, "validate", folder)
    assert "\x1b" not in shown.output and BIDI not in shown.output
    assert "<U+001B>" in shown.output and "<U+202E>" in shown.output
    assert shown.exit_code == 0  # invisible characters in the 填报单位 text do not hide the name
    out = tmp_path / "o.xlsx"
    merged = invoke(runner, "merge", folder, "-o", out, "--skip-invalid", "--date", "2023-03-25")
    assert merged.exit_code == 0, merged.output
    assert "\x1b" not in merged.output
    names = [
        c.value
        for row in load_workbook(out)["报送情况"].iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert any("<U+001B>" in n for n in names) and not any("\x1b" in n for n in names)


def test_markup_in_a_file_name_is_only_a_name(tmp_path: Path, runner: CliRunner) -> None:
    path = filled(tmp_path / "[red]泽州县[bold].xlsx", E9="约50")
    result = invoke(runner, "validate", path)
    assert result.exit_code == 1 and "[red]泽州县[bold].xlsx" in result.output


def test_formula_looking_text_from_a_cell_stays_text(tmp_path: Path) -> None:
    """The 填报日期 cell typed as =HYPERLINK(...) reaches the merged workbook's 问题清单 as the
    cell's raw value (an unreadable date is a warning, so the file is counted); it must be
    stored as text. (openpyxl would store a str starting with = as a formula, so the cell is
    written as an inline string in the XML directly.)"""
    base = filled(tmp_path / "base.xlsx")
    xml = member(base, SHEET).decode("utf-8")
    date_cell = re.search(r'<c r="C4"[^>]*>.*?</c>', xml)
    assert date_cell is not None
    text = '<c r="C4" t="inlineStr"><is><t>=HYPERLINK("http://x","三月")</t></is></c>'
    path = tmp_path / "泽州县.xlsx"
    path.write_bytes(
        rezip(base.read_bytes(), {SHEET: xml.replace(date_cell.group(0), text).encode()})
    )
    from jc315cli.commands.merge import merge_paths

    out = tmp_path / "o.xlsx"
    merge_paths([path], DEFAULT_CAMPAIGN, out, filled_on=date(2023, 3, 25))
    sheet = member(out, "xl/worksheets/sheet4.xml").decode("utf-8")  # 问题清单
    assert "HYPERLINK" in sheet and "<f>" not in sheet
    cell = next(
        c
        for row in load_workbook(out)["问题清单"].iter_rows()
        for c in row
        if "HYPERLINK" in str(c.value)
    )
    assert cell.data_type == "s"


# --- outputs ---------------------------------------------------------------------------------


def test_output_onto_a_device_or_fifo_is_refused_even_with_force(
    tmp_path: Path, runner: CliRunner
) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    result = invoke(runner, "merge", EXAMPLES, "-o", fifo, "--force", "--date", "2023-03-25")
    assert result.exit_code == 2 and "不是普通文件" in result.output
    result = invoke(runner, "merge", EXAMPLES, "-o", "/dev/null", "--force", "--date", "2023-03-25")
    assert result.exit_code == 2 and ("不是普通文件" in result.output or ".xlsx" in result.output)
    assert invoke(runner, "merge", EXAMPLES, "-o", tmp_path, "--force").exit_code == 2  # a folder
    assert Path("/dev/null").is_char_device() and fifo.is_fifo()


def test_a_failed_write_is_a_message_not_a_traceback(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(
        runner, "merge", EXAMPLES, "-o", "/proc/jc315/汇总.xlsx", "--date", "2023-03-25"
    )
    assert (
        result.exit_code == 1 and "无法写入" in result.output and "Traceback" not in result.output
    )
    blocked = tmp_path / "file"
    blocked.write_text("x")
    result = invoke(runner, "generate", "--out", blocked / "sub")
    assert result.exit_code == 1 and "无法写入" in result.output


def test_generate_refuses_names_that_clash_before_writing_anything(tmp_path: Path) -> None:
    from jc315cli.model.campaign import Reporter
    from jc315cli.problems.errors import Jc315Error
    from jc315cli.write.blank_forms import generate_forms

    campaign = DEFAULT_CAMPAIGN.model_copy(
        update={
            "reporters": (
                *DEFAULT_CAMPAIGN.reporters,
                Reporter(name="甲/乙局", short_name="甲乙一"),
                Reporter(name="甲:乙局", short_name="甲乙二"),
            )
        }
    )
    with pytest.raises(Jc315Error) as info:
        generate_forms(campaign, tmp_path / "out", force=True)
    assert info.value.problem.code == "file-name-clash" and "甲/乙局、甲:乙局" in info.value.message
    assert not (tmp_path / "out").exists()


def test_long_reporter_names_fit_the_file_system(tmp_path: Path) -> None:
    from jc315cli.model.campaign import Reporter
    from jc315cli.write.blank_forms import generate_forms

    long_name = "晋城市" + "市场监督管理局" * 8  # 59 characters, 177 bytes
    campaign = DEFAULT_CAMPAIGN.model_copy(
        update={"reporters": (Reporter(name=long_name, short_name="长名"),)}
    )
    (form,) = generate_forms(campaign, tmp_path)
    assert len(form.path.name.encode("utf-8")) <= 200 and form.path.name.endswith(".xlsx")
    assert validate_file(form.path, campaign).reporter == long_name


def test_a_killed_write_leaves_a_named_temp_that_the_next_run_removes(tmp_path: Path) -> None:
    from jc315cli.write.atomic import TEMP_MARK, write_atomic

    target = tmp_path / "汇总.xlsx"
    left = tmp_path / f".汇总.xlsx{TEMP_MARK}abc.tmp"  # what SIGKILL mid-write leaves
    left.write_bytes(b"half")
    write_atomic(target, b"whole", force=False)
    assert target.read_bytes() == b"whole" and not left.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]


def test_validate_of_an_empty_folder_is_a_usage_error(tmp_path: Path, runner: CliRunner) -> None:
    result = invoke(runner, "validate", tmp_path)
    assert result.exit_code == 2 and "没有找到任何统计表文件" in result.output


def test_a_fifo_given_as_input_is_unreadable_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "泽州县.xlsx"
    os.mkfifo(fifo)
    report = validate_paths([fifo], DEFAULT_CAMPAIGN).files[0]
    assert report.status == "unreadable" and "不是一个普通文件" in report.problems[0].message


# --- campaign files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            'organizer = "晋城市市场监督管理局"',
            'organizer = "晋城市\\u001b[2J局"',
            "organizer：含有看不见的控制字符 U+001B",
        ),
        ('category = "接受投诉情况"', 'category = "接受\\u202e投诉"', "U+202E"),
        ('right = "0" }\nmessage', 'right = "NaN" }\nmessage', "无法理解的表达式"),
        ('right = "0" }\nmessage', 'right = "9e999999999" }\nmessage', "无法理解的表达式"),
        (
            'conversions = [{ unit = "元", factor = "0.0001" }]',
            'conversions = [{ unit = "元", factor = "inf" }]',
            "有限",
        ),
        ("outlier_factor = 10", "outlier_factor = 1e400", "outlier_factor"),
        ('name = "泽州县市场监督管理局"', f'name = "{"泽" * 130}"', "太长"),
    ],
)
def test_campaign_values_out_of_range_are_refused_with_the_field(
    tmp_path: Path, runner: CliRunner, old: str, new: str, words: str
) -> None:
    from jc315cli.model.campaign_file import campaign_to_toml

    text = campaign_to_toml(DEFAULT_CAMPAIGN)
    assert old in text
    path = tmp_path / "c.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = invoke(runner, "generate", "--out", tmp_path / "out", "--campaign", path)
    assert result.exit_code == 2 and words in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_campaign_that_is_not_a_small_regular_file(
    tmp_path: Path, runner: CliRunner, special: str
) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "c.toml"
        os.mkfifo(path)
    elif special == "folder":
        path = tmp_path
    result = invoke(runner, "validate", QUIRKS / "filled-valid.xlsx", "--campaign", path)
    assert result.exit_code == 2 and "不是普通文件" in result.output
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (2 << 20), encoding="utf-8")
    assert (
        invoke(runner, "validate", QUIRKS / "filled-valid.xlsx", "--campaign", big).exit_code == 2
    )


# --- found by a red-team pass ----------------------------------------------------------------


def test_a_value_under_a_merged_cell_is_an_error(tmp_path: Path) -> None:
    path = filled(tmp_path / "合并.xlsx", E8=30, E9=500)
    wb = load_workbook(path)
    wb[FORM_SHEET].merge_cells("E8:E9")  # shows 30 over two rows; the 500 is hidden under it
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    merged = {p.cell: p for p in report.problems if p.code == "merged-value"}
    assert set(merged) == {"E8", "E9"} and "E8:E9" in merged["E9"].message
    assert "3" not in report.values and "4" not in report.values and report.status == "invalid"


def test_values_in_hidden_rows_columns_or_sheets_are_errors(tmp_path: Path) -> None:
    path = filled(tmp_path / "行.xlsx", E9=999)
    wb = load_workbook(path)
    wb[FORM_SHEET].row_dimensions[9].hidden = True
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert [p.cell for p in report.problems if p.code == "hidden-value"] == ["E9"]
    path = filled(tmp_path / "列.xlsx")
    wb = load_workbook(path)
    wb[FORM_SHEET].column_dimensions["E"].hidden = True
    wb.save(path)
    hidden = [p for p in validate_file(path, DEFAULT_CAMPAIGN).problems if p.code == "hidden-value"]
    assert len(hidden) == len(DEFAULT_CAMPAIGN.form.items)
    path = filled(tmp_path / "表.xlsx")
    wb = load_workbook(path)
    wb[FORM_SHEET].sheet_state = "hidden"
    wb.create_sheet("我的表")["A1"] = "本单位自己的表格"
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert "hidden-form-sheet" in codes(report) and report.status == "invalid"


def test_one_long_string_used_by_thousands_of_cells_is_bounded(tmp_path: Path) -> None:
    base = filled(tmp_path / "base.xlsx")
    strings = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        f' count="1" uniqueCount="1"><si><t>{"字" * 32767}</t></si></sst>'
    ).encode()
    cells = "".join(f'<row r="{r}"><c r="H{r}" t="s"><v>0</v></c></row>' for r in range(30, 2030))
    xml = member(base, SHEET).decode().replace("</sheetData>", cells + "</sheetData>")
    types = (
        member(base, "[Content_Types].xml")
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    )
    path = tmp_path / "shared.xlsx"
    path.write_bytes(
        rezip(
            base.read_bytes(),
            {SHEET: xml.encode(), "[Content_Types].xml": types.encode()},
            add={"xl/sharedStrings.xml": strings},
        )
    )
    result = _bounded(["validate", str(path), "--format", "json"], tmp_path)
    (found,) = json.loads(result.stdout)["files"]
    assert found["status"] == "unreadable" and found["problems"][0]["reason"] == "too-much-text"


def test_many_sheets_each_under_the_limit_are_bounded_together(tmp_path: Path) -> None:
    path = filled(tmp_path / "base.xlsx")
    wb = load_workbook(path)
    for n in range(20):
        ws = wb.create_sheet(f"附{n}")
        ws["A1"], ws["J100000"] = 1, 1
    wb.save(path)
    result = _bounded(["validate", str(path), "--format", "json"], tmp_path)
    (found,) = json.loads(result.stdout)["files"]
    assert found["status"] == "unreadable" and found["problems"][0]["reason"] == "too-many-cells"


@pytest.mark.parametrize(
    ("cell", "value", "number_format", "why"),
    [
        ("E9", 500, ";;;", "不显示实际数值"),
        ("E9", 5, '"12"', "不显示实际数值"),
        ("E9", 12000, "0,", "缩放"),
        ("E9", 1, "0%", "百分比"),
        ("E10", 0.5, "0%", "百分比"),
        ("E10", 3.4, "0", "只显示 0 位小数"),
        ("E10", 3.456, "0.00", "只显示 2 位小数"),
        ("E9", 1200, "0.00E+00", "科学计数"),
        ("E9", 5, '0"0"', "在数的旁边显示别的数字"),
    ],
)
def test_a_number_format_that_shows_another_number_is_an_error(
    tmp_path: Path, cell: str, value: float, number_format: str, why: str
) -> None:
    path = filled(tmp_path / "格式.xlsx", **{cell: value})
    wb = load_workbook(path)
    wb[FORM_SHEET][cell].number_format = number_format
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    problem = next(p for p in report.problems if p.code == "display-differs")
    assert problem.cell == cell and why in problem.message and report.status == "invalid"


def _with_format(tmp_path: Path, cell: str, number_format: str) -> tuple[Path, str]:
    path = filled(tmp_path / "base.xlsx")
    wb = load_workbook(path)
    wb[FORM_SHEET][cell].number_format = number_format
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        return path, z.read(SHEET).decode()


def _crafted(tmp_path: Path, base: Path, xml: str) -> FileReport:
    crafted = tmp_path / "crafted.xlsx"
    crafted.write_bytes(rezip(base.read_bytes(), {SHEET: xml.encode()}))
    return validate_file(crafted, DEFAULT_CAMPAIGN)


def test_a_hidden_number_is_found_as_excel_writes_it(tmp_path: Path) -> None:
    # Excel leaves a number's type out (no t="n"), and a typed cell with a value (here a
    # logical one in an unused column) may come before it: neither hides the format.
    base, xml = _with_format(tmp_path, "E9", ";;;")
    xml, untyped = re.subn(r'(<c r="E9" s="\d+") t="n">', r"\1>", xml)
    xml, typed = re.subn(r'(<c r="C9" s="\d+") t="n" />', r'\1 t="b"><v>0</v></c>', xml)
    assert (untyped, typed) == (1, 1)
    report = _crafted(tmp_path, base, xml)
    assert [p.cell for p in report.problems if p.code == "display-differs"] == ["E9"]


def test_text_under_a_number_format_is_not_a_display_problem(tmp_path: Path) -> None:
    # A format applies to numbers only: text "12" under 0% shows as 12.
    path = filled(tmp_path / "文字.xlsx", E9="12")
    wb = load_workbook(path)
    wb[FORM_SHEET]["E9"].number_format = "0%"
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert "display-differs" not in {p.code for p in report.problems}
    assert report.values["4"] == 12
    # The same text kept with a value element, as a formula's text result is (t="str").
    base, xml = _with_format(tmp_path, "E9", "0%")
    xml, found = re.subn(r'(<c r="E9" s="\d+") t="n"><v>[^<]*</v>', r'\1 t="str"><v>12</v>', xml)
    assert found == 1
    report = _crafted(tmp_path, base, xml)
    assert "display-differs" not in {p.code for p in report.problems}


@pytest.mark.parametrize("style", ["count", "999"])
def test_a_style_index_past_the_styles_is_no_crash(tmp_path: Path, style: str) -> None:
    base, xml = _with_format(tmp_path, "E9", "0")
    with zipfile.ZipFile(base) as z:
        styles = z.read("xl/styles.xml").decode()
    count = re.search(r'<cellXfs count="(\d+)"', styles)
    assert count is not None
    index = count.group(1) if style == "count" else style
    xml, found = re.subn(r'<c r="E9" s="\d+"', f'<c r="E9" s="{index}"', xml)
    assert found == 1
    report = _crafted(tmp_path, base, xml)
    assert "display-differs" not in {p.code for p in report.problems}


def test_a_stored_value_that_is_not_ascii_is_no_crash(tmp_path: Path) -> None:
    base, xml = _with_format(tmp_path, "E9", "0")
    xml, found = re.subn(r'(<c r="E9"[^>]*>)<v>[^<]*</v>', r"\1<v>１２</v>", xml)
    assert found == 1
    report = _crafted(tmp_path, base, xml)
    assert report.status != "valid" and "4" not in report.values


def test_a_format_check_past_column_z(tmp_path: Path) -> None:
    # Cell letters of two characters: the table moved 26 columns to the right.
    path = filled(tmp_path / "右移.xlsx")
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    ws.move_range("A1:H40", cols=26)
    ws["AE9"].number_format = ";;;"
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert [p.cell for p in report.problems if p.code == "display-differs"] == ["AE9"]


@pytest.mark.parametrize("stored", ["NaN", "inf", "-Infinity", "1e999"])
def test_a_stored_value_that_is_no_finite_number_is_never_counted(
    tmp_path: Path, stored: str
) -> None:
    # Written by hand into the sheet: no office suite saves these, a crafted file can. The
    # format check must not trip over them and the value must not reach a total.
    path = filled(tmp_path / "base.xlsx")
    wb = load_workbook(path)
    wb[FORM_SHEET]["E10"].number_format = "0.00"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        xml = z.read(SHEET).decode()
    xml, found = re.subn(r'(<c r="E10"[^>]*>)<v>[^<]*</v>', rf"\1<v>{stored}</v>", xml)
    assert found == 1
    crafted = tmp_path / "crafted.xlsx"
    crafted.write_bytes(rezip(path.read_bytes(), {SHEET: xml.encode()}))
    report = validate_file(crafted, DEFAULT_CAMPAIGN)
    assert report.status != "valid" and "5" not in report.values


@pytest.mark.parametrize(
    ("value", "number_format"),
    [(3.5, "General"), (3.5, "0.00##"), (3, "0"), (1200, "#,##0"), (3.5, '0.00"万元"')],
)
def test_formats_that_show_the_value_are_fine(
    tmp_path: Path, value: float, number_format: str
) -> None:
    path = filled(tmp_path / "格式.xlsx", E10=value)
    wb = load_workbook(path)
    wb[FORM_SHEET]["E10"].number_format = number_format
    wb.save(path)
    assert validate_file(path, DEFAULT_CAMPAIGN).status == "valid"


# --- cost linear in the form (promise 5) ----------------------------------------------------


def _long_campaign(extra: int) -> Campaign:
    """The built-in campaign with `extra` more items: half of them in blocks of three sub-items
    whose names are the same in every block (the shape of 媒体宣传报道), so both ways of finding
    an item's row are measured."""
    from jc315cli.model.form import Item

    items: list[Item] = []
    serial = 100
    while len(items) < extra:
        if serial % 2:
            items.append(Item(id=str(serial), category=f"测试项目{serial}", measure="件"))
        else:
            for sub in range(1, 4):
                items.append(
                    Item(
                        id=f"{serial}.{sub}",
                        category=f"测试分类{serial}",
                        name=f"子项{sub}",
                        measure="件",
                    )
                )
        serial += 1
    form = DEFAULT_CAMPAIGN.form.model_copy(
        update={"items": (*DEFAULT_CAMPAIGN.form.items, *items)}
    )
    return DEFAULT_CAMPAIGN.model_copy(update={"form": form})


def _long_form(tmp_path: Path, campaign: Campaign) -> Path:
    """泽州县's generated form of `campaign` with every value 1, saved by openpyxl."""
    from jc315cli.write.blank_forms import build_timestamp, form_bytes

    path = tmp_path / f"泽州县-{len(campaign.form.items)}.xlsx"
    reporter = campaign.reporter(ZEZHOU)
    path.write_bytes(form_bytes(campaign, reporter, build_timestamp(campaign)))
    wb = load_workbook(path)
    for index in range(len(campaign.form.items)):
        wb[FORM_SHEET][LAYOUT.value_cell(index)] = 1
    wb[FORM_SHEET][LAYOUT.date_cell] = date(2023, 3, 20)
    wb.save(path)
    return path


def test_validating_a_form_costs_linear_in_its_items(tmp_path: Path) -> None:
    # A form of 4× the items costs about 4× the work; the square of it (a set of the other
    # categories per item, a walk over every merged range per item) cost 13× and more, and at
    # 10,000 items 27 s and 5 GB.
    work = {}
    for extra in (400, 1600):
        campaign = _long_campaign(extra)
        path = _long_form(tmp_path, campaign)
        report: list[FileReport] = []
        work[extra] = lines_run(lambda: report.append(validate_file(path, campaign)))  # noqa: B023
        assert report[0].status == "valid" and len(report[0].values) == len(campaign.form.items)
    assert work[1600] < 6 * work[400], work


@pytest.mark.parametrize(
    ("cols", "hidden"),
    [
        # D and F hidden, E between them shown: no value is hidden
        ('<col min="4" max="4" hidden="1"/><col min="6" max="6" hidden="1"/>', False),
        # listed out of order and overlapping: F:H, B:C and C:E together hide E
        (
            '<col min="6" max="8" hidden="1"/><col min="2" max="3" hidden="1"/>'
            '<col min="3" max="5" hidden="1"/>',
            True,
        ),
        # B:F, C:D inside it, and a span that ends before it begins: E is hidden
        (
            '<col min="2" max="6" hidden="1"/><col min="3" max="4" hidden="1"/>'
            '<col min="9" max="8" hidden="1"/>',
            True,
        ),
        # a span that ends before it begins hides nothing
        ('<col min="5" max="4" hidden="1"/>', False),
    ],
)
def test_hidden_column_spans_hide_exactly_their_columns(
    tmp_path: Path, cols: str, hidden: bool
) -> None:
    # Spans are joined and looked up by bisection (a file may list one per column, and a long
    # form asks about every row): that must not hide a column no span covers, or miss one.
    path = hostile_sheet(tmp_path, "列.xlsx", "<cols>", "<cols>" + cols)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    found = [p.cell for p in report.problems if p.code == "hidden-value"]
    every = [LAYOUT.value_cell(i) for i in range(len(DEFAULT_CAMPAIGN.form.items))]
    assert found == (every if hidden else [])


def test_overlapping_merged_ranges_name_the_first_in_the_file(tmp_path: Path) -> None:
    # A damaged file merges E8:E12 and, later, E6:E9 (and E13 alone, which merges nothing):
    # each value cell under either is an error naming the first range in the file that holds
    # it, looked up in one sweep over the ranges, not a walk over all of them per row.
    merges = '<mergeCell ref="E13:E13"/><mergeCell ref="E8:E12"/><mergeCell ref="E6:E9"/>'
    path = hostile_sheet(tmp_path, "合并.xlsx", "<mergeCell ", merges + "<mergeCell ")
    report = validate_file(path, DEFAULT_CAMPAIGN)
    merged = {str(p.cell): p.message for p in report.problems if p.code == "merged-value"}
    expected = {"E6": "E6:E9", "E7": "E6:E9"} | {f"E{r}": "E8:E12" for r in range(8, 13)}
    assert {cell: expected[cell] in message for cell, message in merged.items()} == dict.fromkeys(
        expected, True
    )


# --- the 单位 cell says what a number counts ---------------------------------------------------


MONEY_ROW = LAYOUT.item_row(4)  # item 5, 为消费者挽回经济损失金额, in 万元


@pytest.mark.parametrize("written", [None, "  ", "—"])
def test_a_deleted_unit_cell_is_an_error_naming_it(tmp_path: Path, written: str | None) -> None:
    # 万元 deleted (or spaces, a dash): 3 may be 3 万元 or 3 元, so the value is not taken on
    # trust; the hint says what to put back.
    path = filled_form(tmp_path / "单位.xlsx", **{f"D{MONEY_ROW}": written, f"E{MONEY_ROW}": 3})
    report = validate_file(path, DEFAULT_CAMPAIGN)
    (missing,) = [p for p in report.problems if p.code == "measure-missing"]
    assert missing.cell == f"D{MONEY_ROW}" and missing.item == "5" and missing.severity == "error"
    assert "“万元”" in missing.message and "填回“万元”" in missing.hint
    assert report.status == "invalid" and codes(report) == {"measure-missing"}


def test_a_form_without_its_unit_column_is_an_error(tmp_path: Path) -> None:
    # The 单位 header deleted (its cells left or not): which column says the units is unknown.
    path = filled_form(tmp_path / "无单位栏.xlsx", **{f"D{LAYOUT.header_row}": None})
    report = validate_file(path, DEFAULT_CAMPAIGN)
    (missing,) = [p for p in report.problems if p.code == "measure-column-missing"]
    assert (
        missing.cell is None and "“单位”一栏" in missing.message and "“数量”左边" in missing.message
    )
    assert report.status == "invalid" and codes(report) == {"measure-column-missing"}


@pytest.mark.parametrize(("merged", "wrong"), [("D11:D13", []), ("D11:D14", ["D14"])])
def test_a_unit_cell_merged_over_rows_says_it_for_each(
    tmp_path: Path, merged: str, wrong: list[str]
) -> None:
    # 期 merged over the rows of 6.1–6.3 (all 期) is right for each; over 6.4 too, that row,
    # in 篇, says 期.
    path = filled(tmp_path / "合并单位.xlsx")
    wb = load_workbook(path)
    wb[FORM_SHEET].merge_cells(merged)
    wb.save(path)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert [p.cell for p in report.problems if p.code.startswith("measure")] == wrong
    assert all(p.code == "measure-mismatch" and "期" in p.message for p in report.errors)


def test_no_shipped_form_or_fixture_lacks_its_units(tmp_path: Path) -> None:
    # What jc315 writes (each county's blank form, the generic template), the examples and
    # what office suites saved of them keep every 单位 cell.
    from jc315cli.write.blank_forms import build_timestamp, form_bytes, generate_forms

    blank = [form.path for form in generate_forms(DEFAULT_CAMPAIGN, tmp_path)]
    template = tmp_path / "模板.xlsx"
    template.write_bytes(form_bytes(DEFAULT_CAMPAIGN, None, build_timestamp(DEFAULT_CAMPAIGN)))
    paths = [*EXAMPLES.iterdir(), *QUIRKS.iterdir(), *(QUIRKS.parent / "roundtrip").iterdir()]
    paths += [*blank, template]
    forms = [p for p in paths if p.suffix in (".xlsx", ".xls", ".ods", ".xlsm")]
    unit_codes = {"measure-missing", "measure-column-missing", "measure-mismatch"}
    found = {
        (p.name, c) for p in forms for c in codes(validate_file(p, DEFAULT_CAMPAIGN)) & unit_codes
    }
    assert found == {("wrong-measure.xlsx", "measure-mismatch")} and len(forms) > 45
