"""Laying Chinese text out in a terminal: wrap by display cells (a CJK character takes two),
only between words or after punctuation (problems/breaking.py says where), with a hanging
indent."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

# Where a line may break is decided in problems/breaking.py, for the printed cells too.
from jc315cli.problems.breaking import NO_LINE_END as NO_LINE_END
from jc315cli.problems.breaking import NO_LINE_START as NO_LINE_START
from jc315cli.problems.breaking import pieces
from jc315cli.problems.breaking import tokens as tokens
from jc315cli.problems.breaking import wrap as wrap
from jc315cli.problems.shown import clip, visible

# Characters of one text printed at most: under `report.shown`, which bounds each text from a
# file or a campaign, this bounds a line made of many (the names of 1,000 reporters).
LINE_LIMIT = 20_000
# The hanging indent of a wrapped line: under the text after its mark (`  × E9 …`).
INDENT = 4


class Wrapped:
    """A rich renderable: `text` wrapped by `wrap` to whatever width it is given, never longer
    than LINE_LIMIT, never with a character that would hide or reorder what is printed."""

    def __init__(self, text: str, *, indent: int = 0, style: str | Style = "") -> None:
        self.text, self.indent, self.style = visible(clip(text, LINE_LIMIT)), indent, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = (
            console.get_style(self.style) if isinstance(self.style, str) and self.style else None
        )
        for line in wrap(self.text, options.max_width, self.indent):
            yield Segment(line, style if isinstance(style, Style) else None)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> object:
        from rich.measure import Measurement

        longest = max((cell_len(x) for x in self.text.split("\n")), default=0)
        # The narrowest a table may make it: its widest piece (a word wider than the column
        # is cut between its characters rather than the table cutting other columns with …).
        shortest = max((cell_len(t) for t in pieces(self.text) if not t.isspace()), default=1)
        return Measurement(min(shortest, options.max_width), min(longest, options.max_width))


def widest(lines: Iterable[str]) -> int:
    return max((cell_len(line) for line in lines), default=0)
