"""Laying Chinese text out in a terminal: wrap by display cells (a CJK character takes two),
never inside a cell reference, date, number, option or e-mail address, never with a line that
starts with closing punctuation or ends with opening punctuation, with a hanging indent."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style

from jc315cli.problems.shown import clip, visible

# Runs that must stay whole: E9, 2023-03-20, 1,200, 0356-2025287, --skip-invalid, a@b.cn, 3.5,
# and a character shown by its code point, <U+202E>
UNBREAKABLE = re.compile(r"<U\+[0-9A-F]{4,6}>|[A-Za-z0-9@._:/\\+#%\-,]+|\s+|.", re.DOTALL)
NO_LINE_START = set("，。、；：！？）】」』”’》〉…%,.;:!?)]}·")
NO_LINE_END = set("（【「『“‘《〈([{")
# Characters of one text printed at most: under `report.shown`, which bounds each text from a
# file or a campaign, this bounds a line made of many (the names of 1,000 reporters).
LINE_LIMIT = 20_000
# The hanging indent of a wrapped line: under the text after its mark (`  × E9 …`).
INDENT = 4


def tokens(text: str) -> list[str]:
    return UNBREAKABLE.findall(text)


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """Lines of at most `width` cells; every line after the first starts with `indent` spaces.
    A token wider than a line is cut by cells (the only case a run is broken)."""
    width = max(width, indent + 4)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_paragraph(paragraph, width, indent if lines else 0, indent)
    return lines


def _wrap_paragraph(text: str, width: int, first_indent: int, indent: int) -> list[str]:
    lines: list[list[str]] = [[" " * first_indent] if first_indent else []]
    used = first_indent
    fresh = False  # at the start of a continuation line: spaces there are dropped
    for token in tokens(text):
        size = cell_len(token)
        if token.isspace():
            if not fresh and used + size <= width:
                lines[-1].append(token)
                used += size
            continue
        if used + size > width and used > indent:
            carried = _carry(lines[-1], token)
            lines.append([" " * indent, *carried])
            used = indent + sum(cell_len(t) for t in carried)
        if used + size > width:  # a single token longer than a line
            *full, token = _cut(token, width - used, width - indent)
            for piece in full:
                lines[-1].append(piece)
                lines.append([" " * indent])
            if full:  # else one character wider than the room left: it overflows this line
                used, size = indent, cell_len(token)
        lines[-1].append(token)
        used += size
        fresh = False
    return ["".join(parts).rstrip() for parts in lines]


def _carry(line: list[str], token: str) -> list[str]:
    """What moves down with `token`: the character before a closing mark, or an opening mark
    left at the end of the line."""
    carried: list[str] = []
    if token[:1] in NO_LINE_START:  # take down marks before it too, and one character more
        while len(line) > 2 and not line[-1].isspace():
            last = line.pop()
            carried.insert(0, last)
            if last[:1] not in NO_LINE_START:
                break
    while len(line) > 2 and line[-1][-1:] in NO_LINE_END:
        carried.insert(0, line.pop())
    while line and line[-1].isspace() and len(line) > 1:
        line.pop()
    return carried


def _cut(token: str, room: int, line: int) -> list[str]:
    """`token` in pieces of at most `room` cells, then `line` cells each; every piece holds a
    character at least. One pass over the token, however long."""
    pieces: list[str] = []
    piece: list[str] = []
    used = 0
    for ch in token:
        size = cell_len(ch)
        if used + size > room and piece:
            pieces.append("".join(piece))
            piece, used, room = [], 0, line
        piece.append(ch)
        used += size
    pieces.append("".join(piece))
    return pieces


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
        shortest = max((cell_len(t) for t in tokens(self.text) if not t.isspace()), default=1)
        return Measurement(min(shortest, options.max_width), min(longest, options.max_width))


def widest(lines: Iterable[str]) -> int:
    return max((cell_len(line) for line in lines), default=0)
