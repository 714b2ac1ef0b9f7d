"""Where the zip and XML checks take a shorter way for speed, they still find what the long way
finds: the shared-string text a workbook's cells refer to is counted whenever it could reach the
limit (across sheets too), a row hidden as LibreOffice writes it is still hidden, the cells are
looked at where calamine reads them, and an .ods is tidied and its styles read as before."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from jc315cli.model.layout import FORM_SHEET
from jc315cli.problems.errors import Jc315Error
from jc315cli.read.ods_layout import _untidy, ods_layout
from jc315cli.read.preflight import MAX_TEXT, check_xlsx

FORM = Path(__file__).parent / "fixtures" / "quirks" / "filled-valid.xlsx"
FORM_PART = "xl/worksheets/sheet1.xml"

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LONG = 100_000  # characters of the one long shared string


def _strings() -> bytes:
    return (
        f'<sst xmlns="{NS}" count="2" uniqueCount="2"><si><t>{"x" * LONG}</t></si>'
        "<si><t>a</t></si></sst>"
    ).encode()


def _sheet(references: int, index: int, extra_rows: str = "") -> bytes:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>{index}</v></c></row>' for r in range(1, references + 1)
    )
    return f'<worksheet xmlns="{NS}"><sheetData>{rows}{extra_rows}</sheetData></worksheet>'.encode()


def _members(*sheets: bytes) -> dict[str, bytes]:
    members = {"xl/sharedStrings.xml": _strings()}
    for number, sheet in enumerate(sheets, 1):
        members[f"xl/worksheets/sheet{number}.xml"] = sheet
    return members


def test_many_references_to_a_short_string_are_not_too_much_text() -> None:
    # 2,000 cells could refer to the 100,000 characters (200 million): they refer to "a".
    sheet = _sheet(2_000, 1)
    assert sheet.count(b"<") * len(_strings()) > MAX_TEXT
    check_xlsx(_members(sheet))  # no error


def test_text_is_added_up_over_sheets_counted_at_different_times() -> None:
    # The first sheet alone cannot reach the limit (its text is counted later, with the
    # second's); the two together refer to 85 copies of the long string, 8.5 million.
    first, second = _sheet(10, 0), _sheet(75, 0)
    assert first.count(b"<") * len(_strings()) < MAX_TEXT < 85 * LONG
    assert 75 * LONG < MAX_TEXT  # the second alone is under it
    with pytest.raises(Jc315Error) as raised:
        check_xlsx(_members(first, second))
    assert raised.value.problem.reason == "too-much-text"


@pytest.mark.parametrize("mark", ['hidden="true"', 'hidden="1"'])
def test_a_hidden_row_among_rows_marked_not_hidden_is_hidden(mark: str) -> None:
    rows = (
        '<row r="20" hidden="false"><c r="B20"><v>1</v></c></row>'
        f'<row r="21" {mark}><c r="B21"><v>2</v></c></row>'
        '<row r="22" hidden="false"><c r="B22"><v>3</v></c></row>'
    )
    _special, hidden = check_xlsx(_members(_sheet(1, 1, rows)))
    ((rows_hidden, _cols),) = hidden.values()
    assert rows_hidden == frozenset({20})


def _calamine_cells(sheet: bytes) -> list[list[Any]]:
    data = io.BytesIO()
    with zipfile.ZipFile(FORM) as source, zipfile.ZipFile(data, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, sheet if info.filename == FORM_PART else content)
    with CalamineWorkbook.from_filelike(io.BytesIO(data.getvalue())) as book:
        return book.get_sheet_by_name(FORM_SHEET).to_python()


@pytest.mark.parametrize(
    "place",
    [
        ("</sheetData>", '</sheetData><c r="Z99"><v>7</v></c>'),
        ("<sheetData>", '<row r="98"><c r="Y98"><v>8</v></c></row><sheetData>'),
        (
            "</sheetData>",
            '</sheetData><sheetData><row r="97"><c r="X97"><v>9</v></c></row></sheetData>',
        ),
        (
            "</worksheet>",
            '<extLst><ext><row r="95"><c r="V95"><v>5</v></c></row></ext></extLst></worksheet>',
        ),
    ],
)
def test_calamine_reads_no_cell_outside_sheet_data(place: tuple[str, str]) -> None:
    """What lets preflight bound and look at the cells inside sheetData only (_cell_part): if a
    release of calamine reads a cell elsewhere, this fails and preflight must look at it too."""
    with zipfile.ZipFile(FORM) as source:
        sheet = source.read(FORM_PART)
    before = _calamine_cells(sheet)
    old, new = place
    assert _calamine_cells(sheet.replace(old.encode(), new.encode(), 1)) == before


def test_the_checks_of_cells_look_at_the_sheet_data_only() -> None:
    # A cell that no reader takes (after sheetData) is not bounded; one inside is.
    outside = f'<worksheet xmlns="{NS}"><sheetData/><c r="XFE1"><v>1</v></c></worksheet>'
    inside = f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>'
    check_xlsx({"xl/worksheets/sheet1.xml": outside.encode()})
    with pytest.raises(Jc315Error) as raised:
        check_xlsx({"xl/worksheets/sheet1.xml": inside.encode()})
    assert raised.value.problem.reason == "address-out-of-range"


# What tidied() looked for before, as one alternation: the reference for _untidy.
UNTIDY = re.compile(rb"(?<!\?)>\s+<|<!--|<\?(?!xml[\s?])")


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?>\n<office:document-content><table:table/></office:document-content>',
        b'<?xml version="1.0"?><a>\n  <table:table-row/></a>',
        b"> <",
        b"<a>x</a><!-- note --><b/>",
        b'<?xml version="1.0"?><?mso-application progid="x"?><a/>',
        b"<?xml-stylesheet href='s'?><a/>",
        b"<?xml\t?><a/>?>\n<b/>",
        b"<a>?>\t\r\n<b/></a>",
        b"<a>text > <b/></a>",
        b"",
    ],
)
def test_untidy_content_is_told_as_the_one_pattern_told_it(content: bytes) -> None:
    assert _untidy(content) == bool(UNTIDY.search(content))


def test_untidy_content_is_told_as_the_one_pattern_told_it_on_random_texts() -> None:
    rng = random.Random(315)
    parts = [b"<", b">", b"?", b" ", b"\n", b"\t", b"a", b"<!--", b"<?", b"xml", b"-->", b"?>"]
    for _ in range(20_000):
        text = b"".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert _untidy(text) == bool(UNTIDY.search(text)), text


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)
PERCENT = (
    '<office:automatic-styles><number:percentage-style style:name="N1"><number:number '
    'number:decimal-places="0" number:min-integer-digits="1"/><number:text>%</number:text>'
    '</number:percentage-style><style:style style:name="ce1" style:family="table-cell" '
    'style:data-style-name="N1"/></office:automatic-styles>'
)


def _content(styles: str) -> bytes:
    return (
        f"<office:document-content {ODS_NS}>{styles}<office:body><office:spreadsheet>"
        '<table:table table:name="统计表"><table:table-row><table:table-cell '
        'table:style-name="ce1" office:value-type="float" office:value="0.5"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    ).encode()


def test_a_files_own_styles_do_not_stay_for_the_next_file() -> None:
    # The common styles.xml is read once for many files; each file's automatic styles are
    # its own: ce1 shows 0.5 as 50% in the first file and is not defined in the second.
    styles = f"<office:document-styles {ODS_NS}><office:styles/></office:document-styles>"
    first = ods_layout(_content(PERCENT), styles.encode())
    second = ods_layout(_content(""), styles.encode())
    assert first["统计表"].special  # 0.5 shown as 50 %
    assert not second["统计表"].special
