"""Comparing what a person typed with what the form expects: labels, unit words, reporter names,
ignoring whitespace, full/half-width forms and punctuation variants. Used by the form's own
validation (two labels that compare equal cannot be told apart) and by the readers.

And showing such a text (`shown`, `visible`, `clip`): here, not in report.py, so the terminal's
wrapper and the file namer have them without loading the report models."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def fold(text: object) -> str:
    """Comparable form of a label: NFKC (full-width → half-width, ／ → /), no whitespace, no
    punctuation or symbols, lower case."""
    if text is None:
        return ""
    value = str(text)
    return _fold_label(value) if len(value) <= 200 else _fold(value)


@lru_cache(maxsize=4096)  # the same labels come back in every form of a collection
def _fold_label(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    normalized = unicodedata.normalize("NFKC", text)
    return "".join(
        ch.lower()
        for ch in normalized
        if not ch.isspace() and unicodedata.category(ch)[0] not in ("P", "S", "Z", "C")
    )


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
