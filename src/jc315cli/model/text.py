"""Comparing what a person typed with what the form expects: labels, unit words, reporter names,
ignoring whitespace, full/half-width forms and punctuation variants. Used by the form's own
validation (two labels that compare equal cannot be told apart) and by the readers."""

from __future__ import annotations

import unicodedata


def fold(text: object) -> str:
    """Comparable form of a label: NFKC (full-width → half-width, ／ → /), no whitespace, no
    punctuation or symbols, lower case."""
    if text is None:
        return ""
    value = str(text)
    if len(value) > MAX_KEPT:
        return _fold(value)
    folded = _FOLDED.get(value)
    if folded is None:
        if len(_FOLDED) >= KEEP:
            _FOLDED.clear()
        folded = _FOLDED[value] = _fold(value)
    return folded


# The same labels come back in every form of a collection, each folded dozens of times a form:
# a look-up in a plain dict costs less than a call through functools.lru_cache.
_FOLDED: dict[str, str] = {}
KEEP = 4096
MAX_KEPT = 200  # characters: longer text is no label and is folded each time


def _fold(text: str) -> str:
    normalized = unicodedata.normalize("NFKC", text)
    return "".join(
        ch.lower()
        for ch in normalized
        if not ch.isspace() and unicodedata.category(ch)[0] not in ("P", "S", "Z", "C")
    )
