"""Printable text: the one check that a campaign's text holds no control or invisible
formatting character, as one annotated type every model field uses.

Such a character (ESC, U+202E, a zero-width space) is printed on forms, in merged reports and in
terminal messages, where it would hide or reorder what a person reads. A campaign file is
checked for them before the models see it (campaign_errors.py names the field); this type holds
the same line for a campaign built in code. Separate from text.py, which must not load pydantic.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator


def no_control_characters(text: str) -> str:
    """`text`, if it has no control (Cc) or formatting (Cf) character but for line breaks."""
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n" for ch in text):
        raise ValueError(f"含有不可见的控制字符：{text!r}")
    return text


Printable = Annotated[str, AfterValidator(no_control_characters)]
