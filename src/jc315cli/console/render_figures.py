"""Terminal renderings of `jc315 summary` and `jc315 compare` (rich, 80 columns, plain text:
what came from a file is bounded by `shown()` and never read as markup).

The paragraph goes to standard output alone, as one line the terminal wraps by itself, so it
can be copied or redirected into the 活动总结 without stray line breaks; where its numbers came
from, and anything worth checking, goes to standard error.
"""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from jc315cli.console.render import INDENT, name, plain
from jc315cli.console.wrap import Wrapped
from jc315cli.figures.comparison import Comparison, Row, comparison_title
from jc315cli.figures.paragraph import StatsParagraph
from jc315cli.problems.report import Number, exact, shown


def render_summary(out: Console, err: Console, paragraph: StatsParagraph) -> None:
    out.print(plain(paragraph.text, limit=None), soft_wrap=True)
    report, last = paragraph.report, paragraph.last
    err.print(
        Wrapped(
            f"数字取自：{name(str(report.path))}（{shown(report.reporter)}{report.kind_words}）",
            indent=INDENT,
            style="dim",
        )
    )
    if last is not None:
        err.print(
            Wrapped(
                f"对比：{name(str(last.path))}（{last.year}年{last.kind_words}）",
                indent=INDENT,
                style="dim",
            )
        )
    for figure in paragraph.figures:
        if figure.note:
            err.print(Wrapped(f"第 {figure.item.id} 项：{figure.note}", indent=INDENT, style="dim"))
    for p in report.warnings:
        where = " ".join(x for x in (p.cell, p.label) if x)
        err.print(Wrapped(f"! {where}：{p.message}", indent=INDENT, style="yellow"))


def _number(value: Number | None) -> str:
    return "—" if value is None else str(exact(value))


def _signed(row: Row) -> str:
    delta = row.change.delta
    if delta is None:
        return ""
    text = str(exact(delta))
    return f"+{text}" if delta > 0 else text


def items_table(comparison: Comparison) -> Table:
    words = comparison.words
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
    table.add_column("序号", no_wrap=True)
    table.add_column("项目", overflow="fold", ratio=1)
    table.add_column("单位", no_wrap=True)
    table.add_column(words.last_column, justify="right", no_wrap=True)
    table.add_column(words.this_column, justify="right", no_wrap=True)
    table.add_column("增减", justify="right", no_wrap=True)
    table.add_column("幅度", justify="right", no_wrap=True)
    for row in comparison.rows:
        item = row.pair.item
        table.add_row(
            item.id,
            plain(item.label),
            plain(item.measure),
            _number(row.change.last),
            _number(row.change.this),
            _signed(row),
            row.change.percent_text(words),
        )
    return table


def render_compare(console: Console, comparison: Comparison, output: Path | None) -> None:

    console.print(Wrapped(comparison_title(comparison), style="bold"))
    words = comparison.words
    for report, column in (
        (comparison.last, words.last_column),
        (comparison.this, words.this_column),
    ):
        console.print(
            Wrapped(
                f"{column}：{name(str(report.path))}（{shown(report.reporter)}{report.kind_words}）",
                indent=INDENT,
                style="dim",
            )
        )
    console.print(items_table(comparison))
    for row in comparison.rows:
        if row.note:
            item = row.pair.item
            console.print(Wrapped(f"· {item.id} {item.label}：{row.note}", indent=INDENT))
    if comparison.units is not None:
        where = f"见 {output.name} 的“分单位对比”" if output else "加 -o 对比.xlsx 写出"
        console.print(
            Wrapped(
                f"分单位对比（{len(comparison.units)} 个单位）{where}，或用 --format json",
                indent=INDENT,
            )
        )
    if output is not None:
        console.print(Wrapped(f"对比表已写出：{output}", indent=INDENT))
