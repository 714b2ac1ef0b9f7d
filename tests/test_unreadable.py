"""Every reason a file cannot be read at all, each from a real file built here: the problem is
`unreadable`, its `reason` names the registered reason (a script can tell a password from a
truncated download), and its message is that reason's own words.

The reasons only a misbehaving reader can cause (a read that hangs, crashes or runs out of
memory) are produced in test_isolation.py with real child processes."""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jc315cli.check.validate import validate_file
from jc315cli.model.builtin import DEFAULT_CAMPAIGN
from jc315cli.problems.kinds import UNREADABLE
from jc315cli.problems.report import Problem
from tests.biff import with_many_styles
from tests.conftest import EXAMPLES, QUIRKS, filled_form, invoke

SHEET = "xl/worksheets/sheet1.xml"
ODS = QUIRKS / "filled-valid-libreoffice.ods"
XLS = EXAMPLES / "2023年3·15活动情况统计表-沁水县市场监督管理局.xls"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Reasons no file causes by itself: the reader hangs, dies, or needs more memory than allowed
BY_THE_READER = {"read-timeout", "reader-crashed", "too-complex"}


def _form(tmp_path: Path) -> bytes:
    return filled_form(tmp_path / "base.xlsx").read_bytes()


def _rezip(
    data: bytes,
    *,
    replace: Mapping[str, bytes] | None = None,
    add: Mapping[str, bytes] | None = None,
    drop: str = "",
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            if info.filename != drop:
                content = (replace or {}).get(info.filename, src.read(info.filename))
                dst.writestr(info.filename, content)
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def _member_data(data: bytes, name: str) -> tuple[zipfile.ZipInfo, int]:
    """A member's directory entry and where its compressed bytes start."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    start = info.header_offset
    name_len = int.from_bytes(data[start + 26 : start + 28], "little")
    extra_len = int.from_bytes(data[start + 28 : start + 30], "little")
    return info, start + 30 + name_len + extra_len


def _sheet(rows: str) -> bytes:
    return f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>'.encode()


def _with_cells(tmp_path: Path, extra: str) -> bytes:
    data = _form(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(SHEET).decode()
    return _rezip(
        data, replace={SHEET: xml.replace("</sheetData>", extra + "</sheetData>").encode()}
    )


def _truncated_member(tmp_path: Path) -> bytes:
    data = bytearray(_form(tmp_path))
    info, _ = _member_data(bytes(data), SHEET)
    data[info.header_offset : info.header_offset + 4] = b"\0\0\0\0"  # no local header there
    return bytes(data)


def _bad_deflate(tmp_path: Path) -> bytes:
    data = bytearray(_form(tmp_path))
    info, start = _member_data(bytes(data), SHEET)
    data[start : start + info.compress_size] = b"\xff" * info.compress_size  # a reserved block
    return bytes(data)


def _wrong_checksum(tmp_path: Path) -> bytes:
    data = bytearray(_rezip(_form(tmp_path), compression=zipfile.ZIP_STORED))
    _, start = _member_data(bytes(data), SHEET)
    data[start + 20] ^= 0x01  # one stored byte changed: same size, another CRC
    return bytes(data)


def _declares_too_much(tmp_path: Path) -> bytes:
    data = bytearray(_form(tmp_path))
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 24 : entry + 28] = (0x7FFFFFFF).to_bytes(4, "little")  # its inflated size
    return bytes(data)


def _shared_strings(tmp_path: Path, text: str, references: int) -> bytes:
    strings = f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>'
    cells = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, references + 1)
    )
    sheet = _sheet(cells)
    return _rezip(
        _form(tmp_path),
        add={"xl/sharedStrings.xml": strings.encode(), "xl/worksheets/sheet90.xml": sheet},
    )


def _repeated_ods_row() -> bytes:
    with zipfile.ZipFile(ODS) as archive:
        content = archive.read("content.xml").decode()
    start = content.index("<table:table-row")
    row = (
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell'
        ' office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        "</table:table-row>"
    )
    return _rezip(ODS.read_bytes(), replace={"content.xml": (content[:start] + row).encode()})


def _directory_pointing_nowhere(xls: bytes) -> bytes:
    """The .xls with its Workbook stream's directory entry naming a sibling that is not
    there: calamine reads it, xlrd cannot (IndexError)."""
    at = xls.index("Workbook".encode("utf-16-le"), 512)
    return xls[: at + 68] + struct.pack("<I", 9) + xls[at + 72 :]


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


Builder = Callable[[Path], "bytes | Path"]
# Each reason, and how to build a file (its name and bytes, or the path itself) that has it.
FILES: dict[str, tuple[str, Builder]] = {
    "not-a-file": ("泽州县.xlsx", lambda tmp: _fifo(tmp / "泽州县.xlsx")),
    "cannot-open": ("", lambda tmp: Path("/proc/self/mem")),  # a page that cannot be read: EIO
    "unsupported-type": ("泽州县.csv", lambda tmp: "项目,数量\n".encode()),
    "file-too-large": ("泽州县.xlsx", lambda tmp: b"PK" + bytes(11 * 1024 * 1024)),
    "empty": ("泽州县.xlsx", lambda tmp: b""),
    "encrypted": ("", lambda tmp: QUIRKS / "encrypted.xlsx"),
    "wps-format": ("泽州县.et", lambda tmp: b"PK\x03\x04 not a WPS file"),
    "not-a-spreadsheet": ("", lambda tmp: QUIRKS / "not-a-spreadsheet.xlsx"),
    "damaged": ("泽州县.xls", lambda tmp: OLE + bytes(4096)),
    "zip-unopenable": ("泽州县.xlsx", lambda tmp: b"PK" + bytes(100)),
    "zip-truncated": ("泽州县.xlsx", _truncated_member),
    "zip-data-error": ("泽州县.xlsx", _bad_deflate),
    "zip-method": (
        "泽州县.xlsx",
        lambda tmp: _rezip(_form(tmp), compression=zipfile.ZIP_BZIP2),
    ),
    "zip-checksum": ("泽州县.xlsx", _wrong_checksum),
    "too-many-members": (
        "泽州县.xlsx",
        lambda tmp: _rezip(_form(tmp), add={f"xl/media/{n}.bin": b"" for n in range(1001)}),
    ),
    "inflates-too-far": ("泽州县.xlsx", _declares_too_much),
    "workbook-xml": (
        "泽州县.xlsx",
        lambda tmp: _rezip(_form(tmp), replace={"xl/workbook.xml": b"<workbook><sheets>"}),
    ),
    "sheet-xml": (
        "泽州县.ods",
        lambda tmp: _rezip(ODS.read_bytes(), replace={"content.xml": b"<office:document"}),
    ),
    "no-content": ("泽州县.ods", lambda tmp: _rezip(ODS.read_bytes(), drop="content.xml")),
    "too-many-strings": (
        "泽州县.xlsx",
        lambda tmp: _rezip(
            _form(tmp),
            add={"xl/sharedStrings.xml": f'<sst xmlns="{NS}" count="4294967295"/>'.encode()},
        ),
    ),
    "too-many-cells": (  # three sheets, each just within the grid bound (A1 to ALL1000)
        "泽州县.xlsx",
        lambda tmp: _rezip(
            _form(tmp),
            add={
                f"xl/worksheets/sheet9{n}.xml": _sheet(
                    '<row r="1"><c r="A1"><v>1</v></c></row>'
                    '<row r="1000"><c r="ALL1000"><v>1</v></c></row>'
                )
                for n in range(3)
            },
        ),
    ),
    "too-much-text": ("泽州县.xlsx", lambda tmp: _shared_strings(tmp, "x" * (1 << 20), 9)),
    "address-out-of-range": (
        "泽州县.xlsx",
        lambda tmp: _with_cells(tmp, '<row r="100"><c r="XFE100"><v>1</v></c></row>'),
    ),
    "area-too-large": (
        "泽州县.xlsx",
        lambda tmp: _with_cells(tmp, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    ),
    "repeated-cells": ("泽州县.ods", lambda tmp: _repeated_ods_row()),
    "too-many-styles": ("泽州县.xls", lambda tmp: with_many_styles(XLS.read_bytes(), 33_000)),
}


def test_every_reason_is_caused_by_a_file_here_or_by_the_reader() -> None:
    assert set(UNREADABLE) == set(FILES) | BY_THE_READER
    assert not set(FILES) & BY_THE_READER


@pytest.mark.parametrize("reason", FILES)
def test_each_reason_a_file_is_unreadable_is_named(tmp_path: Path, reason: str) -> None:
    name, build = FILES[reason]
    built = build(tmp_path)
    if isinstance(built, Path):
        path = built
        if not path.exists():
            pytest.skip(f"{path} does not exist here")
    else:
        path = tmp_path / name
        path.write_bytes(built)
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert report.status == "unreadable"
    (problem,) = report.problems
    assert isinstance(problem, Problem)
    assert (problem.code, problem.reason) == ("unreadable", reason), problem.message
    registered = UNREADABLE[reason]
    assert problem.message.startswith(registered.message.split("{")[0])
    assert "{" not in problem.message and problem.hint


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_directory_pointing_nowhere, "damaged"),
        (lambda xls: with_many_styles(xls, 33_000), "too-many-styles"),
        (lambda xls: xls[: len(xls) // 2], "damaged"),  # cut short in a download
    ],
)
def test_an_xls_xlrd_cannot_read_has_one_verdict_in_validate_and_merge(
    tmp_path: Path, runner: CliRunner, change: Callable[[bytes], bytes], reason: str
) -> None:
    """xlrd reads what calamine does not (hidden rows, merged cells, formats): where it cannot,
    the form is unreadable, in Chinese, with the reason that is true (a workbook with more
    cell styles than xlrd can hold is not damaged), whichever command meets it."""
    folder = tmp_path / "收回"
    shutil.copytree(EXAMPLES, folder)
    (folder / XLS.name).write_bytes(change(XLS.read_bytes()))
    seen = []
    for command in (["validate", folder], ["merge", folder, "-o", tmp_path / "汇总.xlsx"]):
        result = invoke(runner, *command, "--format", "json")
        assert result.exit_code == 1 and "Traceback" not in result.output
        (entry,) = [f for f in json.loads(result.output)["files"] if f["path"].endswith(".xls")]
        seen.append(entry)
    assert seen[0] == seen[1] and not (tmp_path / "汇总.xlsx").exists()
    (problem,) = seen[0]["problems"]
    assert (seen[0]["status"], problem["reason"]) == ("unreadable", reason)
    assert problem["message"].startswith(UNREADABLE[reason].message.split("{")[0])
    assert ("损坏" in problem["message"]) == (reason == "damaged")


@pytest.mark.parametrize(
    ("count", "reason"),
    [("²", "damaged"), ("٣", "damaged"), ("9" * 5000, "repeated-cells")],
)
def test_an_ods_repeat_count_that_is_no_number_is_unreadable_not_a_crash(
    tmp_path: Path, count: str, reason: str
) -> None:
    """ "²" and "٣" are digits to Python but not to int() nor to calamine; a count of 5,000
    digits is more than int() reads. (Each was a ValueError out of the reader.)"""
    with zipfile.ZipFile(ODS) as archive:
        content = archive.read("content.xml").decode()
    cell = '<table:table-cell table:style-name="ce15"'
    assert cell in content
    repeated = content.replace(cell, f'{cell} table:number-columns-repeated="{count}"', 1)
    path = tmp_path / "泽州县.ods"
    path.write_bytes(_rezip(ODS.read_bytes(), replace={"content.xml": repeated.encode()}))
    report = validate_file(path, DEFAULT_CAMPAIGN)
    assert [(p.code, p.reason) for p in report.problems] == [("unreadable", reason)]
