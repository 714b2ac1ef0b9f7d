"""Finding the form inside a returned workbook by its labels, not by fixed coordinates.

People insert note rows, add columns, move the table, rename the sheet or paste it elsewhere.
The header cell 数量 gives the value column; each item's label gives its row; the form's own
title, found above the header, says whether this is the form being collected at all.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from jc315cli.model.form import FormSpec
from jc315cli.model.identity import IDENTITY_SHEET
from jc315cli.model.text import fold
from jc315cli.problems.errors import Jc315Error
from jc315cli.problems.report import NOTE_HEADER
from jc315cli.problems.shown import shown
from jc315cli.read.memo import per_object
from jc315cli.read.workbook import CellValue, Sheet, WorkbookData, a1


@dataclass(frozen=True)
class LabelledCell:
    row: int  # 0-based
    col: int
    value: CellValue


@dataclass
class FormLocation:
    sheet: Sheet
    header_row: int
    value_col: int
    measure_col: int | None
    item_rows: dict[str, int]  # item id → 0-based sheet row
    reporter: LabelledCell | None = None
    filled_on: LabelledCell | None = None
    note_col: int | None = None  # the 核实说明 column, right of the values, when the form has one
    title: str | None = None  # the title text found above the header, if any
    title_matches: bool = False  # whether it names this form (year aside)
    missing: list[str] = field(default_factory=list)  # item ids whose row was not found
    # item id → the label cells (A1) when its label stands in more than one row: which row is
    # meant cannot be told, so the item is an error and none of those rows is read. At most
    # MAX_NAMED cells are named, then how many there are in all.
    duplicated: dict[str, list[str]] = field(default_factory=dict)

    @property
    def title_year(self) -> int | None:
        match = re.search(r"(\d{4})\s*年", self.title or "")
        return int(match.group(1)) if match else None


def locate_form(workbook: WorkbookData, form: FormSpec) -> FormLocation:
    """The one sheet that holds the form, and where each item sits in it."""
    candidates = []
    for sheet in workbook.sheets:
        if sheet.name == IDENTITY_SHEET:
            continue
        location = _locate_in_sheet(sheet, form)
        if location is not None:
            candidates.append(location)
    if not candidates:
        names = "、".join(f"“{shown(s.name)}”" for s in workbook.sheets if s.name != IDENTITY_SHEET)
        raise Jc315Error("no-form-sheet", sheets=names or "（无）", value_header=form.labels.value)
    if len(candidates) > 1:
        raise Jc315Error(
            "ambiguous-form-sheet", sheets="、".join(f"“{shown(c.sheet.name)}”" for c in candidates)
        )
    return candidates[0]


MAX_LABEL = 200  # characters: no label or 填报单位 is longer, and folding long text is slow


class _Index:
    """Where each folded text label sits in a sheet, built once per sheet: every text cell is
    folded once here, not again by each search."""

    def __init__(self, sheet: Sheet) -> None:
        self.at: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.texts: list[tuple[int, int, str, str]] = []  # (row, col, text, folded), in order
        self._left: dict[tuple[str, int], tuple[list[int], list[int]]] = {}
        for row, col, value in sheet.cells():
            if isinstance(value, str) and len(value) <= MAX_LABEL:  # longer text is no label
                folded = fold(value)
                self.at[folded].append((row, col))
                self.texts.append((row, col, value, folded))

    def left(self, label: str, before_col: int) -> tuple[list[int], list[int]]:
        """The rows where `label` stands left of `before_col`, top to bottom, and its leftmost
        column in each. Kept per label and value column, so that each search below is a
        bisection: walking every place of a label once per item made a long form cost the
        square of its length."""
        key = (label, before_col)
        kept = self._left.get(key)
        if kept is None:
            rows: list[int] = []
            cols: list[int] = []
            for r, c in self.at.get(label, ()):  # in sheet order: the leftmost of a row first
                if c < before_col and (not rows or rows[-1] != r):
                    rows.append(r)
                    cols.append(c)
            kept = self._left[key] = (rows, cols)
        return kept

    def places(
        self, label: str, start: int, stop: int, before_col: int
    ) -> tuple[int, list[tuple[int, int]]]:
        """In how many rows start..stop (inclusive) `label` stands left of `before_col`, and
        the first MAX_NAMED of them as (row, col), top to bottom."""
        rows, cols = self.left(label, before_col)
        lo, hi = bisect_left(rows, start), bisect_right(rows, stop)
        return hi - lo, [(rows[k], cols[k]) for k in range(lo, min(hi, lo + MAX_NAMED))]

    def first_row(self, label: str, start: int, stop: int, before_col: int) -> int | None:
        """The first row in start..stop (inclusive) with `label` left of `before_col`."""
        rows, _cols = self.left(label, before_col)
        lo = bisect_left(rows, start)
        return rows[lo] if lo < len(rows) and rows[lo] <= stop else None


MAX_NAMED = 10  # cells named for a label that stands in more rows than one


@dataclass(frozen=True)
class _Words:
    """A form's labels as they are looked for: folded once per form, not once per file."""

    value: str
    measure: str
    reporter: str
    filled_on: str
    note: str  # the 核实说明 header: a county's reasons stand under it, beside the values
    title: str
    title_words: tuple[str, ...]  # labels that start a line above the header but are no title
    items: tuple[str, ...]  # item ids, in the form's order
    categories: tuple[str, ...]  # per item
    names: tuple[str | None, ...]


@per_object
def _words(form: FormSpec) -> _Words:
    labels = form.labels
    categories = tuple(fold(item.category) for item in form.items)
    return _Words(
        value=fold(labels.value),
        measure=fold(labels.measure),
        reporter=fold(labels.reporter),
        filled_on=fold(labels.filled_on),
        note=fold(NOTE_HEADER),
        title=fold(form.title),
        title_words=tuple(fold(w) for w in (labels.attachment, labels.reporter, labels.filled_on)),
        items=tuple(item.id for item in form.items),
        categories=categories,
        names=tuple(None if item.name is None else fold(item.name) for item in form.items),
    )


MAX_HEADERS = 10  # a sheet with more 数量 headers than this holds no single form


def _locate_in_sheet(sheet: Sheet, form: FormSpec) -> FormLocation | None:
    """The form in this sheet, or None. Two copies of the table (one above the other, or side
    by side) are an error naming both headers, never a silent choice of one."""
    index = _Index(sheet)
    words = _words(form)
    headers = sorted(index.at.get(words.value, ()))
    if len(headers) > MAX_HEADERS:
        raise _copies(sheet, headers[:2])
    found: list[FormLocation] = []
    for row, col in headers:
        location = _locate_items(sheet, index, words, row, col)
        if location.item_rows:
            found.append(location)
    if not found:
        return None
    # A stray 数量 typed into a value cell finds some of the same cells: one table. Headers
    # that find any item in another cell are two tables (stacked, side by side, or a second
    # 数量 column): which one holds the numbers cannot be told.
    best = max(found, key=lambda loc: len(loc.item_rows))  # the first of the largest
    for other in found:
        moved = any(best.item_rows.get(i, row) != row for i, row in other.item_rows.items())
        if moved or other.value_col != best.value_col:
            where = [(best.header_row, best.value_col), (other.header_row, other.value_col)]
            raise _copies(sheet, where)
    best.reporter = _labelled(sheet, index, words.reporter)
    best.filled_on = _labelled(sheet, index, words.filled_on)
    best.note_col = _note_column(index, words, best.header_row, best.value_col)
    best.title, best.title_matches = _title(index, words, best.header_row)
    return best


def _copies(sheet: Sheet, headers: list[tuple[int, int]]) -> Jc315Error:
    cells = "、".join(a1(row, col) for row, col in sorted(headers))
    return Jc315Error("ambiguous-form-copy", sheet_name=sheet.name, cells=cells)


def _title(index: _Index, words: _Words, header_row: int) -> tuple[str | None, bool]:
    """The title above the header: the cell that names the form, else the first longer text
    on a row without one of the form's labels (so another form's title can be named)."""
    above = [(row, text, folded) for row, _col, text, folded in index.texts if row < header_row]
    labelled = {row for row, _text, folded in above if folded.startswith(words.title_words)}
    other: str | None = None
    for row, text, folded in above:
        if words.title in folded:
            return text.strip(), True
        if other is None and row not in labelled and len(folded) >= 4:
            other = text.strip()
    return other, False


def _locate_items(
    sheet: Sheet, index: _Index, words: _Words, header_row: int, value_col: int
) -> FormLocation:
    measure_col = next(
        (c for c, v in sheet.row_values(header_row) if c < value_col and fold(v) == words.measure),
        None,
    )
    start, last = header_row + 1, sheet.last_row
    item_rows: dict[str, int] = {}
    missing: list[str] = []
    duplicated: dict[str, list[str]] = {}
    blocks = _Blocks(index, words, start, last, value_col)
    for item, category, name in zip(words.items, words.categories, words.names, strict=True):
        if name is None:
            count, places = index.places(category, start, last, value_col)
        else:
            # Sub-items are matched inside their block: from the block's label down to the
            # next row that names another category.
            begin, stop = blocks.of(category)
            count, places = index.places(name, begin, stop, value_col)
        if not count:
            missing.append(item)
        elif count > 1:
            cells = [a1(row, col) for row, col in places]
            duplicated[item] = cells if count == len(cells) else [*cells, f"…（共 {count} 处）"]
        else:
            item_rows[item] = places[0][0]
    return FormLocation(
        sheet, header_row, value_col, measure_col, item_rows, missing=missing, duplicated=duplicated
    )


class _Blocks:
    """Where each category's block of sub-items begins and ends under one header: each row
    that names a category is looked at once, not once per sub-item."""

    def __init__(self, index: _Index, words: _Words, start: int, last: int, value_col: int) -> None:
        self.index, self.words, self.value_col = index, words, value_col
        self.start, self.last = start, last
        self.found: dict[str, tuple[int, int]] = {}

    @cached_property
    def named(self) -> tuple[list[int], list[set[str]]]:
        """The rows that name a category left of the values, top to bottom, and the categories
        each names (built at the first sub-item: a form without any needs none)."""
        named: dict[int, set[str]] = defaultdict(set)
        for category in set(self.words.categories):
            for row in self.index.left(category, self.value_col)[0]:
                named[row].add(category)
        rows = sorted(named)
        return rows, [named[row] for row in rows]

    def of(self, category: str) -> tuple[int, int]:
        """The block's first and last row: from its label (from the header down when the label
        is gone) to the row before the next one that names another category."""
        block = self.found.get(category)
        if block is None:
            first = self.index.first_row(category, self.start, self.last, self.value_col)
            begin = self.start if first is None else first
            rows, categories = self.named
            i = bisect_right(rows, begin)
            while i < len(rows) and categories[i] == {category}:  # filled down its block
                i += 1
            stop = rows[i] - 1 if i < len(rows) else self.last
            block = self.found[category] = (begin, stop)
        return block


def _note_column(index: _Index, words: _Words, header_row: int, value_col: int) -> int | None:
    """The column headed 核实说明 in the header row, the nearest right of the values: found by
    its label, as the values are, so a column inserted before it moves it and nothing else.
    One look-up in the index, however wide the sheet."""
    right = [c for r, c in index.at.get(words.note, ()) if r == header_row and c > value_col]
    return min(right, default=None)


def _labelled(sheet: Sheet, index: _Index, label: str) -> LabelledCell | None:
    """The value after a label like 填报单位：, in the same cell or the next one to the right."""
    for row, col, value, folded in index.texts:
        if not folded.startswith(label):
            continue
        rest = re.split(r"[:：]", value, maxsplit=1)
        if len(rest) == 2 and rest[1].strip():
            return LabelledCell(row, col, rest[1].strip())
        for c, v in sheet.row_values(row):
            if c > col:
                return LabelledCell(row, c, v)
        # Nothing typed yet: point at the cell right after the (possibly merged) label.
        return LabelledCell(row, sheet.merged_end_col(row, col) + 1, None)
    return None
