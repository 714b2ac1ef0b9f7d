"""Two reports side by side: each item's pair (item_pairs.py) with its change (change.py), and,
when both are merged reports, each unit's. Pure functions of two `ReportFigures`;
`comparison_workbook.py` writes the result and `render_figures.py` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jc315cli.figures.change import Change, Periods, periods
from jc315cli.figures.item_pairs import ItemPair, match_items
from jc315cli.figures.read_back import ReportFigures
from jc315cli.figures.unit_columns import UnitColumn
from jc315cli.model.text import fold
from jc315cli.problems.report import Number, exact
from jc315cli.read.matching import match_reporter


@dataclass(frozen=True)
class Row:
    pair: ItemPair
    change: Change
    note: str = ""

    def to_json(self, words: Periods) -> dict[str, Any]:
        last, this = self.pair.last, self.pair.this
        percent = self.change.percent
        return {
            "id": this.id if this else None,
            "label": this.label if this else None,
            "last_id": last.id if last else None,
            "last_label": last.label if last else None,
            "measure": self.pair.item.measure,
            "last": _json(self.change.last),
            "this": _json(self.change.this),
            "change": _json(self.change.delta),
            "percent": None if percent is None else format(percent, "f"),
            "percent_text": self.change.percent_text(words),
            "note": self.note,
        }


@dataclass(frozen=True)
class UnitRows:
    name: str
    rows: list[Row]
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    last: ReportFigures
    this: ReportFigures
    words: Periods
    rows: list[Row]
    units: list[UnitRows] | None  # when both are merged reports with 分单位明细

    def to_json(self) -> dict[str, Any]:
        return {
            "last": _meta(self.last, self.words.last_column),
            "this": _meta(self.this, self.words.this_column),
            "items": [row.to_json(self.words) for row in self.rows],
            "units": None
            if self.units is None
            else [
                {
                    "name": unit.name,
                    "note": unit.note,
                    "items": [row.to_json(self.words) for row in unit.rows],
                }
                for unit in self.units
            ],
        }


def compare_reports(last: ReportFigures, this: ReportFigures) -> Comparison:
    words = periods(last.year, this.year)
    pairs = match_items(last.campaign.form, this.campaign.form, words)
    rows = [_row(pair, last.values, this.values) for pair in pairs]
    units = None
    if last.units is not None and this.units is not None:
        units = _unit_rows(last, this, pairs, words)
    return Comparison(last, this, words, rows, units)


def _row(
    pair: ItemPair, last: dict[str, Number] | None, this: dict[str, Number] | None, note: str = ""
) -> Row:
    before = last.get(pair.last.id) if pair.last and last is not None else None
    after = this.get(pair.this.id) if pair.this and this is not None else None
    change = Change(before, after, comparable=pair.comparable)
    return Row(pair, change, "；".join(x for x in (pair.note, note) if x))


def _unit_rows(
    last: ReportFigures, this: ReportFigures, pairs: list[ItemPair], words: Periods
) -> list[UnitRows]:
    """Units matched by name (any of a unit's names in this campaign, else the header text):
    this report's units in its order, then the ones only the last report has."""
    assert last.units is not None and this.units is not None

    def key(unit: UnitColumn) -> str:
        for campaign in (this.campaign, last.campaign):
            found = match_reporter(campaign, unit.name)
            if found is not None:
                return found.name
        return fold(unit.name)

    before = {key(u): u for u in last.units}
    out: list[UnitRows] = []
    for unit in this.units:
        old = before.pop(key(unit), None)
        notes = []
        if old is None:
            notes.append(f"{words.last}无此单位")
        elif old.absent:
            notes.append(f"{words.last}{old.absent}")
        if unit.absent:
            notes.append(f"{words.this}{unit.absent}")
        note = "；".join(notes)
        last_values = old.values if old is not None and not old.absent else None
        this_values = None if unit.absent else unit.values
        rows = [_row(pair, last_values, this_values) for pair in pairs]
        out.append(UnitRows(unit.name, rows, note))
    for old in before.values():
        note = f"{words.this}无此单位"
        last_values = None if old.absent else old.values
        out.append(UnitRows(old.name, [_row(p, last_values, None) for p in pairs], note))
    return out


def _json(value: Number | None) -> int | str | None:
    return None if value is None else exact(value)


def _meta(report: ReportFigures, column: str) -> dict[str, Any]:
    return {
        "path": str(report.path),
        "column": column,
        "kind": report.kind,
        "year": report.year,
        "version": report.version,
        "reporter": report.reporter,
    }


def comparison_title(comparison: Comparison) -> str:
    """The comparison's title, the same on the terminal and in the 对比 workbook."""
    words, this = comparison.words, comparison.this
    form = this.campaign.form.title
    if comparison.last.year == this.year:
        return f"{this.year}年{form}两次报表对比"
    return f"{words.last_column}与{words.this_column}{form}对比"
