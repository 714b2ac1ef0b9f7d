"""Showing a text that came from a file or a campaign to a person (a message, a notice, a cell,
a terminal line, a file name): bounded in length, its invisible characters made visible. The
bottom of the house, without pydantic, so the terminal's wrapper and the file namer have it
without loading the report models."""

from __future__ import annotations

import unicodedata

# How much of one text from a file or a campaign is shown (a value, a name, a label): as long
# as the longest text a campaign may hold, so a campaign's own words are never cut.
TEXT_LIMIT = 100
# How much of a list or a sentence made of such texts (file names, a rule's message, a path).
LONG_LIMIT = 2000
# Control, format (bidirectional marks, zero-width), private-use, unassigned and surrogate
# characters, and the line and paragraph separators: none shows as itself.
INVISIBLE = frozenset(("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"))


def invisible(ch: str) -> bool:
    """Whether `ch` would hide, reorder or break what is shown (U+202E, U+200B, ESC, U+2028, a
    private-use glyph). Line breaks and tabs are layout, not hidden."""
    return ch not in "\n\t" and unicodedata.category(ch) in INVISIBLE


def visible(text: str) -> str:
    """`text` with invisible and control characters (but for line breaks and tabs) shown as
    <U+200B>, so a message never hides one inside its quotes, never sends an escape sequence to
    a terminal, and never carries a lone surrogate from an undecodable file name."""
    if text.isprintable():  # no Other or Separator but the space: nothing to show (fast)
        return text
    return "".join(f"<U+{ord(ch):04X}>" if invisible(ch) else ch for ch in text)


def clip(text: str, limit: int = TEXT_LIMIT) -> str:
    """A long text quoted in a message: its start and its length, not 40,000 characters."""
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 字）"


def shown(text: object, limit: int = TEXT_LIMIT) -> str:
    """The one way a text from a file or a campaign is shown to a person, in a message, a
    notice, a cell or a terminal: its first `limit` characters and its length, its invisible
    characters as <U+202E>. Cut before it is made visible, so showing costs the same whatever
    the file holds; the full value is only in the JSON report."""
    return visible(clip("" if text is None else str(text), limit))
