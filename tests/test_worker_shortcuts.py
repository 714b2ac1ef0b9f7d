"""Where checking one returned form takes a shorter way for speed, it still finds what the long
way finds: the numeric cells found for their formats, a whole number's format never said to hide
its decimals, ..."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest

from jc315cli.read.formats import NUMERIC_CELL, _hidden_places, _shown_places, misleading

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
