"""Comparing what a person typed with what the form expects: labels, unit words, reporter names,
ignoring whitespace, full/half-width forms and punctuation variants. Used by the form's own
validation (two labels that compare equal cannot be told apart) and by the readers."""

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
