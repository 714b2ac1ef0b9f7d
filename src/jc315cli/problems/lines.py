"""One problem as one line of Chinese: where (the cell and the item), what was typed, what is
wrong and what to do. `validate` lists a file's problems with it, and a report refused by
`summary` or `compare` names its cells with it; written once, so a problem reads the same
wherever it is shown (the two copies had begun to differ: one showed the sheet, one the code)."""

from __future__ import annotations

from jc315cli.problems.report import Problem
from jc315cli.problems.shown import shown, visible


def problem_line(p: Problem, *, sheet: bool = False, code: bool = False) -> str:
    """`E9 接受投诉情况：“12场”的单位与本项的单位（件）不符。本项以“件”计，请只填写数字`.

    `sheet` names the sheet before the cell (统计表!E9): a refused report's lines stand alone,
    with no file listing above them to say which sheet a cell is on. `code` adds the English
    code at the end (--verbose), for whoever maintains jc315. What was typed is quoted only
    when the message does not quote it already. A 核实性 problem ends with its state:
    〔待核实〕 or 〔已核实：理由（填报单位说明，2023-03-20）〕."""
    place = "!".join(shown(x) for x in (p.sheet if sheet else None, p.cell) if x)
    where = " ".join(x for x in (place, p.label) if x)
    typed = f"“{shown(p.value)}” " if p.value and shown(p.value) not in p.message else ""
    hint = f"。{p.hint}" if p.hint else ""
    state = f"〔{p.state}〕" if p.state else ""
    tail = f" [{p.code}]" if code else ""
    return visible(f"{where + '：' if where else ''}{typed}{p.message}{hint}{state}{tail}")
