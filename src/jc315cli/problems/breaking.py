"""Where a line of Chinese may break, for every place jc315 lays text out: the terminal
(console/wrap.py) and the printed cells of the workbooks it writes, which carry their own line
breaks so that no office suite breaks a date or a phone number in them.

A line breaks only at a space, after closing punctuation (，。、；：）”…) or before opening
punctuation (（“《): never inside a word (填报日期, not 填/报日期), never between a word and its
number (约50), never inside a cell reference, date, number, option or e-mail address
(E9, 2023-03-20, 1,200, 0356-2025287, --skip-invalid, a@b.cn), never with a line that starts
with closing punctuation or ends with opening punctuation. Only a run longer than a whole line
is cut, and then between its characters and ASCII runs before inside one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.cells import cell_len

# The pieces a run is cut into when it must be: a character shown by its code point
# (<U+202E>), an ASCII run (E9, 2023-03-20, 1,200, a@b.cn), spaces, or one character.
PIECES = re.compile(r"<U\+[0-9A-F]{4,6}>|[A-Za-z0-9@._:/\\+#%\-,]+|\s+|.", re.DOTALL)
BREAK_AFTER = frozenset("，。、；：！？）】」』”’》〉…")
NO_LINE_START = frozenset("，。、；：！？）】」』”’》〉…%,.;:!?)]}·")
NO_LINE_END = frozenset("（【「『“‘《〈([{")


def pieces(text: str) -> list[str]:
    return PIECES.findall(text)


def tokens(text: str) -> list[str]:
    """The words of `text` (runs a line never breaks inside) and the spaces between them."""
    words: list[list[str]] = []
    for piece in pieces(text):
        last = words[-1] if words else None
        if last is not None and not piece.isspace() and not last[-1].isspace():
            if not _may_break(last[-1], piece):
                last.append(piece)
                continue
        words.append([piece])
    return ["".join(word) for word in words]


def _opens_with_a_mark(token: str) -> bool:
    """Whether `token` would start a line with closing punctuation (not .xlsx, a word)."""
    return token[:1] in NO_LINE_START and not token[1:2].isalnum()


def _may_break(before: str, after: str) -> bool:
    if _opens_with_a_mark(after) or before[-1] in NO_LINE_END:
        return False
    if before[-1] == "·":  # 媒体宣传报道·广播专题节目, not 3·15
        return not after[0].isdigit()
    return before[-1] in BREAK_AFTER or after[0] in NO_LINE_END


Measure = Callable[[str], float]


def wrap(text: str, width: float, indent: int = 0, *, measure: Measure = cell_len) -> list[str]:
    """Lines of at most `width` cells (a CJK character takes two, or as `measure` counts);
    every line after the first starts with `indent` spaces. A word wider than a whole line is
    the only thing ever cut, from where the line stands (as printed Chinese breaks in a narrow
    column, between its characters; never inside an ASCII run that fits a line)."""
    width = max(width, indent + 4)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        first = indent if lines else 0
        lines += _wrap_paragraph(tokens(paragraph), width, first, indent, measure)
    return lines


def _wrap_paragraph(
    parts: list[str], width: float, first_indent: int, indent: int, measure: Measure
) -> list[str]:
    lines: list[list[str]] = [[" " * first_indent] if first_indent else []]
    used: float = first_indent
    fresh = False  # at the start of a continuation line: spaces there are dropped
    for token in parts:
        size = measure(token)
        if token.isspace():
            if not fresh and used + size <= width:
                lines[-1].append(token)
                used += size
            continue
        if used + size > width and used > indent and size <= width - indent:
            carried = _carry(lines[-1], token)
            lines.append([" " * indent, *carried])
            used = indent + sum(measure(t) for t in carried)
        if used + size > width:  # a single word longer than a line
            *full, token = _cut(token, width - used, width - indent, measure)
            for piece in full:
                lines[-1].append(piece)
                lines.append([" " * indent])
            if full:  # else one character wider than the room left: it overflows this line
                used, size = indent, measure(token)
        lines[-1].append(token)
        used += size
        fresh = False
    return ["".join(parts).rstrip() for parts in lines]


def _carry(line: list[str], token: str) -> list[str]:
    """What moves down with `token`: the word before a closing mark (after a space), or an
    opening mark left at the end of the line."""
    carried: list[str] = []
    if _opens_with_a_mark(token):  # take down marks before it too, and one word more
        while len(line) > 2 and not line[-1].isspace():
            last = line.pop()
            carried.insert(0, last)
            if not _opens_with_a_mark(last):
                break
    while len(line) > 2 and line[-1][-1:] in NO_LINE_END:
        carried.insert(0, line.pop())
    while line and line[-1].isspace() and len(line) > 1:
        line.pop()
    return carried


def _cut(word: str, room: float, line: float, measure: Measure) -> list[str]:
    """`word` in pieces of at most `room` cells, then `line` cells each; every piece holds a
    character at least. Cut between characters and whole ASCII runs where it can, inside an
    ASCII run only when the run is longer than a line. One pass, however long."""
    units: list[str] = []
    for piece in pieces(word):
        units += list(piece) if measure(piece) > line else [piece]
    cut: list[str] = []
    piece_now: list[str] = []
    used: float = 0
    for unit in units:
        size = measure(unit)
        if used + size > room and piece_now:
            cut.append("".join(piece_now))
            piece_now, used, room = [], 0, line
        piece_now.append(unit)
        used += size
    cut.append("".join(piece_now))
    return cut
