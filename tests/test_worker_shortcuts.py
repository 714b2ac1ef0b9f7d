"""Where checking one returned form takes a shorter way for speed, it still finds what the long
way finds: the numeric cells found for their formats, a whole number's format never said to hide
its decimals, a label folded and a cell named as before when asked again."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest

from jc315cli.model import text
from jc315cli.read.formats import NUMERIC_CELL, _hidden_places, _shown_places, misleading
from jc315cli.read.workbook import a1

FIXTURES = Path(__file__).parent / "fixtures"

# NUMERIC_CELL as it was, without the lookahead: the reference.
NUMERIC_CELL_LONG = re.compile(
    rb"<(?:\w+:)?c\b([^>]*?\bs=\"(\d{1,5})\"[^>]*)>\s*<(?:\w+:)?v>([^<]{1,40})</(?:\w+:)?v>"
)


def _sheets() -> list[bytes]:
    sheets = []
    for path in sorted(FIXTURES.rglob("*.xls[xm]")):
        try:
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
                sheets += [archive.read(n) for n in names]
        except zipfile.BadZipFile:
            continue  # the damaged files among the fixtures
    return sheets


def test_numeric_cells_of_real_sheets_are_the_ones_the_long_pattern_finds() -> None:
    sheets = _sheets()
    assert len(sheets) > 20
    for sheet in sheets:
        assert NUMERIC_CELL.findall(sheet) == NUMERIC_CELL_LONG.findall(sheet)


NUMERIC_PIECES = [
    b"<c",
    b"<x:c",
    b"<cc",
    b"<c/",
    b"<col",
    b' s="1"',
    b' s="12"',
    b's="3"',
    b' xs="4"',
    b' r="A1"',
    b' t="n"',
    b' t="s"',
    b">",
    b"/>",
    b" ",
    b"\n",
    b"<v>",
    b"<x:v>",
    b"</v>",
    b"</x:v>",
    b"1.5",
    b"12",
    b"<is><t>a</t></is>",
    b"</c>",
    b"<",
    b'"',
    b"v>",
    b"<f>A1</f>",
]


def test_numeric_cells_are_the_ones_the_long_pattern_finds_on_random_texts() -> None:
    rng = random.Random(315)
    for _ in range(30_000):
        text = b"".join(rng.choice(NUMERIC_PIECES) for _ in range(rng.randint(0, 16)))
        assert NUMERIC_CELL.findall(text) == NUMERIC_CELL_LONG.findall(text), text


CODES = ["0", "0.00", "0.00##", "#,##0", "0.0", "0.000", "General", ";;;", "0%", '0"0"']


@pytest.mark.parametrize("code", CODES)
def test_a_number_is_said_to_hide_its_places_as_the_long_way_says(code: str) -> None:
    rng = random.Random(code)
    values = ["0", "00", "007", "12", "9" * 17, "9" * 400, "1.5", "1.50", "1e3", "1E-3", "٣"]
    values += [
        "".join(rng.choice("0123456789.e-") for _ in range(rng.randint(1, 8))) for _ in range(200)
    ]
    values += [str(rng.randint(0, 10**18)) for _ in range(200)]
    shown = _shown_places(code)
    for value in values:
        expected = _hidden_places(code, shown, value) if isinstance(shown, int) else shown
        assert misleading(code, value) == expected, value


def test_folded_labels_are_remembered_within_bounds_and_folded_as_ever() -> None:
    # More distinct texts than are kept, each asked twice: every answer is what folding it
    # gives, and the memo never holds more than it may.
    texts = [f"第 {n} 项（万元）" for n in range(text.KEEP + 50)]
    for value in texts + texts:
        assert text.fold(value) == text._fold(value)
        assert len(text._FOLDED) <= text.KEEP
    long = "长" * (text.MAX_KEPT + 1)
    assert text.fold(long) == long and long not in text._FOLDED


def test_a_cell_is_named_as_ever_when_named_again() -> None:
    for _ in range(2):
        assert [a1(8, 4), a1(0, 0), a1(0, 25), a1(0, 26), a1(1_048_575, 16_383)] == [
            "E9",
            "A1",
            "Z1",
            "AA1",
            "XFD1048576",
        ]
